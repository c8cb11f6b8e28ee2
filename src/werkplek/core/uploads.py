"""Uploaded documents: checking, private storage, serving and an optional virus scan.

Applications carry personal documents (criminal-record extracts, diplomas, signed declarations),
so every upload goes through the same gate:

1. :func:`validate_upload` decides the type from the file's *content* (magic bytes), never from
   its name or the browser's content type; accepts only PDF, JPEG and PNG up to
   ``WERKPLEK_MAX_UPLOAD_BYTES`` (10 MB by default); refuses encrypted PDFs and PDFs with
   scripts, launch actions or embedded files; checks that images are complete. It reads the
   file in chunks, computes its SHA-256 and returns a :class:`CheckedUpload`.
2. :func:`scan_for_viruses` sends the file to ClamAV when ``CLAMAV_SOCKET`` or ``CLAMAV_HOST``
   (and optionally ``CLAMAV_PORT``, default 3310) is set; otherwise it does nothing.
3. :class:`DocumentField` is the form field that runs both and attaches the result to the
   cleaned file as ``.checked``.
4. Files are stored by :class:`PrivateStorage` under ``MEDIA_ROOT / "private"`` with a random
   name from :func:`private_upload_to`; the storage has no URL, so a file can only reach a
   browser through a view that checked permissions and returns :func:`file_response`.

A model holding a document::

    class Document(models.Model):
        file = models.FileField(storage=private_storage, upload_to=private_upload_to)
        content_type = models.CharField(max_length=50)   # read by private_upload_to
        original_name = models.CharField(max_length=150)
        size = models.PositiveIntegerField()
        sha256 = models.CharField(max_length=64)

    upload = form.cleaned_data["extract"]                 # from a DocumentField
    checked = upload.checked
    Document.objects.create(
        file=upload, content_type=checked.content_type, original_name=checked.original_name,
        size=checked.size, sha256=checked.sha256,
    )

and a view serving it, after its permission check (the download is recorded in the
personal-data access register: who, whose data, why)::

    return file_response(file_field=document.file, download_name=document.original_name,
                         content_type=document.content_type, request=request,
                         subject=f"application:{application.pk}", purpose="application document")

``private_upload_to`` takes the extension from ``instance.content_type`` (set from the
checked upload before saving) and never uses the user's file name, which stays only as a
display name.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import socket
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from uuid import uuid4

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils import formats, timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("werkplek.uploads")

ALLOWED_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
MAX_NAME_LENGTH = 150

CHUNK_SIZE = 64 * 1024
HEAD_SIZE = 8 * 1024  # enough to recognise every type below
PDF_EOF_WINDOW = 1024  # "%%EOF" must be in the last this many bytes

_MIB = 1024 * 1024
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"

MESSAGES = {
    "empty": _("The file is empty."),
    "too_large": _("The file is larger than %(limit)s MB."),
    "wrong_type_known": _("Upload a PDF, JPEG or PNG file. This file is a %(kind)s."),
    "wrong_type": _("This file is not a PDF, JPEG or PNG."),
    "pdf_damaged": _("This PDF is incomplete or damaged. Save it again and upload the new file."),
    "pdf_encrypted": _("This PDF is protected with a password. Upload it without protection."),
    "pdf_active_content": _("This PDF contains scripts or embedded files, which we do not accept."),
    "image_damaged": _(
        "This image is incomplete or damaged. Save it again and upload the new file."
    ),
    "virus": _("This file contains a virus or malware and was refused."),
    "virus_scan_unavailable": _("We cannot check files for viruses right now. Try again later."),
}


def max_upload_bytes() -> int:
    """The size limit: ``settings.WERKPLEK_MAX_UPLOAD_BYTES``, else :data:`MAX_UPLOAD_BYTES`."""
    return int(getattr(settings, "WERKPLEK_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES))


def _format_megabytes(size: int) -> str:
    megabytes = size / _MIB
    if megabytes == int(megabytes):
        return str(int(megabytes))
    return formats.number_format(megabytes, decimal_pos=1)


def _help_text() -> str:
    return gettext("PDF, JPEG or PNG, at most %(limit)s MB.") % {
        "limit": _format_megabytes(max_upload_bytes())
    }


help_text_lazy = lazy(_help_text, str)


# --- Recognising types --------------------------------------------------------------------


def detect_type(head: bytes) -> str | None:
    """The accepted content type of a file from its first bytes, or ``None``.

    PDF: ``%PDF-`` within the first 1024 bytes (readers allow junk before it); JPEG: starts
    with FF D8 FF; PNG: starts with the 8-byte PNG signature.
    """
    if head.startswith(_PNG_SIGNATURE):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    return None


def describe_other_type(head: bytes):
    """A translated name ("Word document", "ZIP file", ...) for a common refused type."""
    if head.startswith(b"PK\x03\x04"):
        if b"mimetype" in head[:100] and b"application/vnd.oasis.opendocument." in head[:200]:
            if b"opendocument.spreadsheet" in head[:200]:
                return _("spreadsheet (OpenDocument)")
            if b"opendocument.presentation" in head[:200]:
                return _("presentation (OpenDocument)")
            return _("text document (OpenDocument)")
        if b"word/" in head:
            return _("Word document")
        if b"xl/" in head:
            return _("spreadsheet")
        if b"ppt/" in head:
            return _("PowerPoint presentation")
        return _("ZIP file")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _("Microsoft Office document")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return _("GIF image")
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return _("TIFF image")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _("WebP image")
    bmp_header_sizes = (12, 40, 52, 56, 64, 108, 124)
    if (
        head.startswith(b"BM")
        and head[14:15]
        and head[14] in bmp_header_sizes
        and (head[15:18] == b"\0\0\0")
    ):
        return _("BMP image")
    if head[4:8] == b"ftyp":
        if head[8:12] in (b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"hevc"):
            return _("HEIC photo")
        return _("video")
    if head.startswith(b"{\\rtf"):
        return _("rich text document (RTF)")
    if head.startswith(b"MZ"):
        return _("Windows program")
    if head.startswith((b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")):
        return _("compressed archive")
    text = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html")):
        return _("web page")
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return _("vector image (SVG)")
    return None


# --- Display names ------------------------------------------------------------------------

_UNSAFE_NAME_CHARACTERS = re.compile(r'[/\\:*?"<>|]')


def safe_display_name(name: str | None, *, default: str = "document") -> str:
    """A file name that is safe to show and to offer as a download name.

    Keeps only the last path component (``/`` and ``\\``), drops control and format characters
    (including bidirectional overrides that disguise an extension) but turns tabs and line
    breaks into spaces, replaces characters that
    are not allowed in file names on common systems, collapses whitespace and shortens the name
    to 150 characters, keeping its extension.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(
        " " if ch.isspace() else ch
        for ch in name
        if ch.isspace() or unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co"}
    )
    name = _UNSAFE_NAME_CHARACTERS.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    if not name:
        return default
    if len(name) > MAX_NAME_LENGTH:
        suffix = PurePosixPath(name).suffix
        if not 1 < len(suffix) <= 10:
            suffix = ""
        name = name[: MAX_NAME_LENGTH - len(suffix)].rstrip(" .") + suffix
    return name


# --- Structure checks ---------------------------------------------------------------------

# A PDF name: "/" and regular characters; "#xx" escapes stand for bytes ("/J#61vaScript").
_PDF_NAME = re.compile(rb"/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*")
_PDF_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Names that run code or carry files. "/JS" is too short to look for in binary stream data
# (it turns up by chance in a compressed image), so it is only looked for in the PDF's own
# syntax and in object streams; a script action always carries "/S /JavaScript" as well.
_PDF_ACTIVE_NAMES = frozenset(
    {b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"/EmbeddedFiles", b"/RichMedia"}
)
_PDF_SYNTAX_ONLY_NAMES = frozenset({b"/JS"})
# The "stream" keyword after a stream's dictionary.
_PDF_STREAM_START = re.compile(rb">>[\x00\t\n\x0c\r ]{0,32}stream(?:\r\n|\n|\r)")
_KEEP = 48  # bytes kept back at a chunk's end: a keyword may continue in the next chunk
_NAME_OVERLAP = 512  # longer than any name (127 bytes, three times with "#xx" escapes)
_MAX_INFLATED = 64 * _MIB  # decompressed object streams: more is refused as damaged


def _pdf_names(data: bytes, *, final: bool) -> set[bytes]:
    """The (unescaped) names in ``data``; a name touching the end is left for the next round."""
    found = set()
    for match in _PDF_NAME.finditer(data):
        if match.end() == len(data) and not final:
            continue
        name = match.group()
        if b"#" in name:
            name = _PDF_HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)
        found.add(name)
    return found


class _PdfScanner:
    """Looks for encryption and active content in a PDF fed in chunks.

    The PDF's own syntax (everything outside streams) is searched for every name; stream data
    only for the long names, which do not occur by chance. Object streams (``/Type /ObjStm``,
    where PDF 1.5+ keeps compressed dictionaries) are decompressed and searched like syntax.
    Each part keeps an overlap with the previous chunk, so a name split by a chunk boundary is
    still seen.
    """

    def __init__(self):
        self.names: set[bytes] = set()
        self.buffer = b""
        self.mode = "syntax"  # "syntax", "stream" (skip to endstream) or "objstm" (inflate)
        self.tail = b""  # the latest bytes of the current part
        self.inflater = None
        self.inflated_total = 0
        self.damaged = False

    def feed(self, data: bytes, *, final: bool = False) -> None:
        self.buffer += data
        while self.buffer or final:
            if self.mode == "syntax":
                match = _PDF_STREAM_START.search(self.buffer)
                if match is None:
                    self._scan_part(self._take(final), everything=True, final=final)
                    return
                self._scan_part(self.buffer[: match.end()], everything=True, final=True)
                dictionary = self.tail[-4096:]
                dictionary = dictionary[dictionary.rfind(b"obj") :]
                names = _pdf_names(dictionary, final=True)
                self.buffer = self.buffer[match.end() :]
                self.tail = b""
                if b"/ObjStm" in names and b"/FlateDecode" in names:
                    self.mode = "objstm"
                    self.inflater = zlib.decompressobj()
                else:
                    self.mode = "stream"
            elif self.mode == "stream":
                end = self.buffer.find(b"endstream")
                if end < 0:
                    self._scan_part(self._take(final), everything=False, final=final)
                    return
                self._scan_part(self.buffer[:end], everything=False, final=True)
                self.buffer = self.buffer[end + len(b"endstream") :]
                self.tail = b""
                self.mode = "syntax"
            elif not self._inflate(final=final):
                return

    def _take(self, final: bool) -> bytes:
        """Take the buffer but for the bytes that may begin a keyword (all when final)."""
        cut = len(self.buffer) if final else max(0, len(self.buffer) - _KEEP)
        data, self.buffer = self.buffer[:cut], self.buffer[cut:]
        return data

    def _scan_part(self, data: bytes, *, everything: bool, final: bool) -> None:
        text = self.tail[-_NAME_OVERLAP:] + data
        names = _pdf_names(text, final=final)
        if not everything:
            names &= _PDF_ACTIVE_NAMES | {b"/Encrypt"}
        self.names |= names
        self.tail = (self.tail + data)[-4096:]

    def _inflate(self, *, final: bool) -> bool:
        """Inflate buffered object-stream data; False when more input is needed."""
        try:
            output = self.inflater.decompress(self.buffer, _MAX_INFLATED)
        except zlib.error:
            self.mode = "stream"  # not Flate after all: opaque stream data
            return True
        self.inflated_total += len(output)
        if self.inflated_total >= _MAX_INFLATED or self.inflater.unconsumed_tail:
            self.damaged = True  # a decompression bomb, or something like it
            self.buffer = b""
            self.mode = "stream"
            return False
        self._scan_part(output, everything=True, final=self.inflater.eof or final)
        if self.inflater.eof:
            self.buffer = self.inflater.unused_data
            self.tail = b""
            self.mode = "stream"  # the rest, up to "endstream"
            return True
        self.buffer = b""
        return False

    @property
    def encrypted(self) -> bool:
        return b"/Encrypt" in self.names

    @property
    def active(self) -> bool:
        return bool(self.names & (_PDF_ACTIVE_NAMES | _PDF_SYNTAX_ONLY_NAMES))


def _check_png(head: bytes, tail: bytes) -> bool:
    """A PNG starts with a valid IHDR chunk and ends with the IEND chunk."""
    if len(head) < 33 or head[8:16] != b"\x00\x00\x00\x0dIHDR":
        return False
    (crc,) = struct.unpack(">I", head[29:33])
    if zlib.crc32(head[12:29]) != crc:
        return False
    width, height = struct.unpack(">II", head[16:24])
    return width > 0 and height > 0 and tail.endswith(_PNG_IEND)


def _check_jpeg(head: bytes, tail: bytes) -> bool:
    """A JPEG starts with SOI and a marker, and ends with EOI (FF D9)."""
    return head.startswith(b"\xff\xd8\xff") and len(head) >= 4 and tail.endswith(b"\xff\xd9")


# --- Validation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedUpload:
    """What :func:`validate_upload` found out about an accepted file."""

    content_type: str  # one of ALLOWED_TYPES
    extension: str  # ".pdf", ".jpg" or ".png": from the content, not the name
    size: int  # bytes
    sha256: str  # hex
    original_name: str  # safe display name (see safe_display_name)


def _error(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def _read_head(file) -> bytes:
    file.seek(0)
    head = b""
    while len(head) < HEAD_SIZE:
        chunk = file.read(HEAD_SIZE - len(head))
        if not chunk:
            break
        head += chunk
    return head


def validate_upload(file: UploadedFile) -> CheckedUpload:
    """Check an uploaded file and describe it; raise ValidationError if it is refused.

    Reads the file in chunks of 64 KB (never more than the limit plus one chunk) and rewinds
    it afterwards, also when it is refused.
    """
    limit = max_upload_bytes()
    try:
        declared = getattr(file, "size", None)
        if declared is not None and declared > limit:
            raise _error("too_large", limit=_format_megabytes(limit))
        head = _read_head(file)
        if not head:
            raise _error("empty")
        content_type = detect_type(head)
        if content_type is None:
            kind = describe_other_type(head)
            if kind is not None:
                raise ValidationError(
                    MESSAGES["wrong_type_known"], code="wrong_type", params={"kind": kind}
                )
            raise _error("wrong_type")

        file.seek(0)
        digest = hashlib.sha256()
        size = 0
        tail = b""
        scanner = _PdfScanner() if content_type == "application/pdf" else None
        while chunk := file.read(CHUNK_SIZE):
            size += len(chunk)
            if size > limit:
                raise _error("too_large", limit=_format_megabytes(limit))
            digest.update(chunk)
            tail = (tail + chunk)[-PDF_EOF_WINDOW:]
            if scanner is not None:
                scanner.feed(chunk)
        if size == 0:
            raise _error("empty")

        if scanner is not None:
            scanner.feed(b"", final=True)
            if b"%%EOF" not in tail or scanner.damaged:
                raise _error("pdf_damaged")
            if scanner.encrypted:
                raise _error("pdf_encrypted")
            if scanner.active:
                raise _error("pdf_active_content")
        else:
            check_image = _check_png if content_type == "image/png" else _check_jpeg
            if not check_image(head, tail):
                raise _error("image_damaged")
    finally:
        file.seek(0)

    return CheckedUpload(
        content_type=content_type,
        extension=ALLOWED_TYPES[content_type],
        size=size,
        sha256=digest.hexdigest(),
        original_name=safe_display_name(getattr(file, "name", None)),
    )


# --- Virus scan (ClamAV) ------------------------------------------------------------------


def _clamav_address():
    """``(family, address)`` of the ClamAV daemon, or ``None`` when none is configured."""
    path = getattr(settings, "CLAMAV_SOCKET", None)
    if path:
        return socket.AF_UNIX, str(path)
    host = getattr(settings, "CLAMAV_HOST", None)
    port = getattr(settings, "CLAMAV_PORT", None)
    if host or port:
        return socket.AF_INET, (host or "127.0.0.1", int(port or 3310))
    return None


def scan_for_viruses(file) -> None:
    """Have ClamAV scan ``file`` (INSTREAM); do nothing when ClamAV is not configured.

    Settings: ``CLAMAV_SOCKET`` (a Unix socket path) or ``CLAMAV_HOST`` / ``CLAMAV_PORT``
    (TCP, port 3310 by default), and ``CLAMAV_TIMEOUT`` in seconds (default 30). Raises
    ValidationError ``virus`` when ClamAV finds something, and ``virus_scan_unavailable``
    (after logging an error) when it cannot be reached or answers with an error: a
    configured scanner fails closed. Rewinds the file.
    """
    address = _clamav_address()
    if address is None:
        return
    family, target = address
    timeout = float(getattr(settings, "CLAMAV_TIMEOUT", 30))
    try:
        with socket.socket(family, socket.SOCK_STREAM) as connection:
            connection.settimeout(timeout)
            connection.connect(target)
            connection.sendall(b"zINSTREAM\0")
            file.seek(0)
            while chunk := file.read(CHUNK_SIZE):
                connection.sendall(struct.pack(">I", len(chunk)) + chunk)
            connection.sendall(struct.pack(">I", 0))
            reply = b""
            while not reply.endswith(b"\0") and len(reply) < 4096:
                data = connection.recv(4096)
                if not data:
                    break
                reply += data
    except OSError as error:
        logger.error("Virus scan failed: ClamAV at %s is unreachable: %s", target, error)
        raise _error("virus_scan_unavailable") from error
    finally:
        file.seek(0)

    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if answer.endswith("FOUND"):
        logger.warning("Virus scan refused an upload: %s", answer)
        raise _error("virus")
    if not answer.endswith("OK"):
        logger.error("Virus scan failed: ClamAV answered %r", answer)
        raise _error("virus_scan_unavailable")


# --- Storage ------------------------------------------------------------------------------


@deconstructible(path="werkplek.core.uploads.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """File storage under ``MEDIA_ROOT / "private"`` that has no URL.

    ``url()`` raises ValueError: files are only sent by views that check permissions (see
    :func:`file_response`). Files are created with mode 0600 and directories with 0700
    unless other modes are given.
    """

    def __init__(self, location=None, **kwargs):
        kwargs["base_url"] = None
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(location=location, **kwargs)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, Path(settings.MEDIA_ROOT) / "private")

    @cached_property
    def base_url(self):
        return None


_private_storage: PrivateStorage | None = None


def private_storage() -> PrivateStorage:
    """The shared :class:`PrivateStorage`, for ``FileField(storage=private_storage)``.

    A callable, so migrations record ``werkplek.core.uploads.private_storage`` instead of a
    path, and the storage (which reads MEDIA_ROOT when used) is created on first use.
    """
    global _private_storage
    if _private_storage is None:
        _private_storage = PrivateStorage()
    return _private_storage


def delete_stored_files(names) -> int:
    """Remove stored files by name (missing ones are fine); return how many were removed. A
    file that cannot be removed is logged, not raised: its row is gone already, and the orphan
    sweep of ``retention_daily`` tries again."""
    storage = private_storage()
    removed = 0
    for name in names:
        if not name:
            continue
        try:
            if storage.exists(name):
                storage.delete(name)
                removed += 1
        except OSError:
            logger.exception("Could not delete the stored file %s", name)
    return removed


def delete_stored_files_on_commit(names) -> None:
    """Remove stored files once the transaction that deleted their rows has committed (if it
    rolls back, the rows and their files both stay)."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: delete_stored_files(names))


def stored_file_names(*, older_than: float) -> list[str]:
    """The names of the files in the private storage last changed before ``older_than`` (a
    POSIX time), relative to the storage's root, as the FileFields store them."""
    root = Path(private_storage().location)
    names = []
    for folder, _dirs, files in os.walk(root):
        for file in files:
            path = Path(folder) / file
            try:
                if path.stat().st_mtime < older_than:
                    names.append(path.relative_to(root).as_posix())
            except FileNotFoundError:  # removed meanwhile
                continue
    return names


def private_file_fields():
    """Every (model, field name) whose files are in the private storage."""
    from django.apps import apps

    return [(model, field.name) for model in apps.get_models()
            for field in model._meta.get_fields()
            if isinstance(field, models.FileField)
            and isinstance(field.storage, PrivateStorage)]


def private_upload_to(instance, filename: str) -> str:
    """``documents/<yyyy>/<mm>/<random hex><ext>`` for a checked upload.

    The extension comes from ``instance.content_type`` (set from the :class:`CheckedUpload`
    before saving); ``filename``, the user's name, is ignored. A content type that was not
    checked raises ValueError, so an unchecked file is never stored.
    """
    content_type = getattr(instance, "content_type", None)
    if content_type not in ALLOWED_TYPES:
        raise ValueError(
            f"{type(instance).__name__}.content_type must be set from validate_upload() before "
            f"the file is saved (got {content_type!r})."
        )
    today = timezone.localdate()
    return f"documents/{today:%Y}/{today:%m}/{uuid4().hex}{ALLOWED_TYPES[content_type]}"


# --- Serving ------------------------------------------------------------------------------

_EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
}


def file_response(*, file_field: FieldFile, download_name: str, content_type: str,
                  request=None, subject: str = "", purpose: str = "") -> FileResponse:
    """Send a stored document as a download; call it only after the permission check.

    ``Content-Disposition: attachment`` with ``download_name`` made safe (RFC 6266 / 5987
    encoding by Django) and given the extension of ``content_type`` when it lacks it;
    ``nosniff``; never cached; and a CSP that blocks everything should a browser render it.

    Every view passes its ``request``, the ``subject`` whose data the document is (as the
    personal-data access register names it: ``mentor:12``, ``application:40``…) and the
    ``purpose`` (``"application document"``): the download is then recorded in the register
    (who, whose, which document, why, through which route) once the file could be opened.
    A file that is gone answers 404 (and is logged as an error), not a server error.
    """
    name = safe_display_name(download_name)
    extensions = _EXTENSIONS.get(content_type, ())
    if extensions and not name.lower().endswith(extensions):
        name = safe_display_name(name[: MAX_NAME_LENGTH - len(extensions[0])] + extensions[0])
    try:
        handle = file_field.storage.open(file_field.name, "rb")
    except FileNotFoundError:
        # The row names a file the storage no longer has (restored from an older backup, removed
        # by hand): the person gets the "not found" page, the operators an error in the log.
        logger.error("Stored file missing: %s (%s)", file_field.name, download_name)
        raise Http404 from None
    if request is not None:
        from .personal_data import document_label, log_download, request_route

        document = document_label(getattr(file_field, "instance", None))
        try:
            log_download(user=request.user, subject=subject or document or file_field.name,
                         purpose=purpose or "document", document=document,
                         route=request_route(request))
        except BaseException:
            handle.close()  # no record, no download
            raise
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- Form field ---------------------------------------------------------------------------


class DocumentField(forms.FileField):
    """A file upload for a document: PDF, JPEG or PNG, checked by :func:`validate_upload` and
    :func:`scan_for_viruses`.

    ``clean()`` returns the uploaded file with the :class:`CheckedUpload` as ``.checked``
    (an unchanged initial value is returned as it is).
    """

    widget = forms.FileInput  # no "currently" link: private files have no URL
    default_error_messages = {
        "required": _("Choose a file to upload."),
        "empty": MESSAGES["empty"],
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", help_text_lazy())
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if not widget.is_hidden:
            attrs["accept"] = ACCEPT
        return attrs

    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if isinstance(file, UploadedFile):
            checked = validate_upload(file)
            scan_for_viruses(file)
            file.checked = checked
        return file
