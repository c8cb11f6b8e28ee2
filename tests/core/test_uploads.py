"""Uploaded documents: type from content, limits, PDF and image checks, private storage,
serving, the form field and the ClamAV hook (against a fake ClamAV daemon). No database."""

import hashlib
import io
import logging
import os
import re
import shutil
import socket
import socketserver
import stat
import struct
import tempfile
import threading
import zipfile
import zlib
from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import models
from django.db.migrations.writer import MigrationWriter
from django.db.models.fields.files import FieldFile
from django.forms.renderers import DjangoTemplates
from django.utils import translation

from werkplek.core import uploads
from werkplek.core.uploads import (
    ALLOWED_TYPES,
    CHUNK_SIZE,
    MAX_UPLOAD_BYTES,
    CheckedUpload,
    DocumentField,
    PrivateStorage,
    detect_type,
    file_response,
    private_storage,
    private_upload_to,
    safe_display_name,
    scan_for_viruses,
    validate_upload,
)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids); the site's default language is Dutch."""
    with translation.override("en"):
        yield


# --- Building files -----------------------------------------------------------------------


def make_pdf(*objects: bytes, catalog_extra: bytes = b"", trailer_extra: bytes = b"") -> bytes:
    """A small, well-formed PDF (with a correct cross-reference table).

    Objects 1 to 3 are the catalog, the page tree and a page; ``objects`` follow as 4, 5, ...
    (each the full text between "N 0 obj" and "endobj", so it may be a stream).
    """
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R" + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        *objects,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R" % (len(bodies) + 1)
        + trailer_extra
        + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    )
    return out.getvalue()


def stream(data: bytes, dictionary: bytes = b"") -> bytes:
    return b"<< /Length %d" % len(data) + dictionary + b" >>\nstream\n" + data + b"\nendstream"


def object_stream(*objects: bytes) -> bytes:
    """A compressed object stream (PDF 1.5) holding ``objects`` as 10, 11, ..."""
    header, body = b"", b""
    for number, obj in enumerate(objects, start=10):
        header += b"%d %d " % (number, len(body))
        body += obj + b"\n"
    data = zlib.compress(header + body)
    return stream(
        data, b" /Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(objects), len(header))
    )


def make_png(width: int = 1, height: int = 1) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


JPEG = (
    b"\xff\xd8"  # SOI
    b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"  # APP0
    b"\xff\xdb\x00\x43\x00"
    + bytes(range(1, 65))  # DQT
    + b"\xff\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00"  # SOF0, 1x1, one component
    + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00\x12\x34"  # SOS and a little scan data
    + b"\xff\xd9"  # EOI
)
PDF = make_pdf()
PNG = make_png()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return out.getvalue()


def upload(content: bytes, name: str = "document.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(content: bytes, name: str = "document.pdf") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(content, name))
    return caught.value


def message(error: ValidationError) -> str:
    return error.messages[0]


# --- detect_type --------------------------------------------------------------------------


def test_detect_type_by_magic_bytes():
    assert detect_type(PDF[:16]) == "application/pdf"
    assert detect_type(JPEG[:16]) == "image/jpeg"
    assert detect_type(PNG[:16]) == "image/png"
    assert detect_type(b"junk before\n%PDF-1.4") == "application/pdf"
    assert detect_type(b" " * 1030 + b"%PDF-1.4") is None
    assert detect_type(b"Hello, this is text") is None
    assert detect_type(b"") is None
    assert detect_type(b"\x89PNG\r\n") is None  # a signature cut short


# --- Accepted files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type", "extension"),
    [(PDF, "application/pdf", ".pdf"), (JPEG, "image/jpeg", ".jpg"), (PNG, "image/png", ".png")],
    ids=["pdf", "jpeg", "png"],
)
def test_valid_files_are_accepted_and_described(content, content_type, extension):
    file = upload(content, "Mijn document.bin", "application/octet-stream")
    checked = validate_upload(file)
    assert checked == CheckedUpload(
        content_type=content_type,
        extension=extension,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        original_name="Mijn document.bin",
    )
    assert ALLOWED_TYPES[checked.content_type] == checked.extension
    assert file.tell() == 0
    assert file.read() == content


def test_the_type_comes_from_the_content_not_the_name_or_browser_type():
    checked = validate_upload(upload(PDF, "photo.png", "image/png"))
    assert (checked.content_type, checked.extension) == ("application/pdf", ".pdf")


def test_checked_upload_is_frozen():
    checked = validate_upload(upload(PDF))
    with pytest.raises(AttributeError):
        checked.size = 1


def test_large_file_is_hashed_in_chunks_and_rewound(tmp_path):
    content = make_pdf(stream(os.urandom(3 * CHUNK_SIZE + 17)))
    file = TemporaryUploadedFile("scan.pdf", "application/pdf", len(content), None)
    file.write(content)
    checked = validate_upload(file)
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert file.tell() == 0
    file.close()


def test_pdf_with_compressed_content_and_an_open_action_to_a_page_is_accepted():
    content = zlib.compress(b"BT /F1 12 Tf 72 712 Td (Uittreksel) Tj ET")
    pdf = make_pdf(
        stream(content, b" /Filter /FlateDecode"), catalog_extra=b" /OpenAction [3 0 R /Fit]"
    )
    assert validate_upload(upload(pdf)).content_type == "application/pdf"


def test_short_names_in_binary_stream_data_do_not_count():
    """ "/JS" turns up by chance in compressed images; only the PDF's syntax counts for it."""
    image = os.urandom(2000) + b"/JS " + os.urandom(2000)
    pdf = make_pdf(stream(image, b" /Type /XObject /Subtype /Image /Filter /DCTDecode"))
    assert validate_upload(upload(pdf)).content_type == "application/pdf"


# --- Refused files ------------------------------------------------------------------------


def test_empty_file():
    error = refusal(b"")
    assert error.code == "empty"
    assert message(error) == "The file is empty."


def test_file_over_the_limit_is_refused_without_reading_it(tmp_path):
    size = MAX_UPLOAD_BYTES + 1
    file = TemporaryUploadedFile("big.pdf", "application/pdf", size, None)
    file.write(b"%PDF-1.7\n")
    file.write(b"\0" * (size - 9))
    file.seek(0)
    with pytest.raises(ValidationError) as caught:
        validate_upload(file)
    assert caught.value.code == "too_large"
    assert message(caught.value) == "The file is larger than 10 MB."
    assert file.tell() == 0
    file.close()


def test_file_over_the_limit_with_a_false_size_is_stopped_while_reading():
    file = upload(b"%PDF-1.7\n" + b"\0" * MAX_UPLOAD_BYTES)
    file.size = 100
    with pytest.raises(ValidationError) as caught:
        validate_upload(file)
    assert caught.value.code == "too_large"


def test_file_of_exactly_the_limit_is_accepted():
    pdf = make_pdf()
    padding = MAX_UPLOAD_BYTES - len(pdf)
    content = pdf.replace(b"%PDF-1.7\n", b"%PDF-1.7\n%" + b"x" * (padding - 2) + b"\n", 1)
    assert len(content) == MAX_UPLOAD_BYTES
    assert validate_upload(upload(content)).size == MAX_UPLOAD_BYTES


def test_the_limit_follows_the_setting(settings):
    settings.WERKPLEK_MAX_UPLOAD_BYTES = 1536 * 1024
    error = refusal(make_pdf(stream(b"x" * 1600 * 1024)))
    assert message(error) == "The file is larger than 1,5 MB."  # Belgian formats
    settings.WERKPLEK_MAX_UPLOAD_BYTES = 1024 * 1024
    assert message(refusal(make_pdf(stream(b"x" * 1100 * 1024)))) == (
        "The file is larger than 1 MB."
    )


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (docx_bytes(), "Word document"),
        (zip_bytes(), "ZIP file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "Microsoft Office document"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "GIF image"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "HEIC photo"),
        (b"MZ\x90\x00" + bytes(60), "Windows program"),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "web page"),
    ],
    ids=["docx", "zip", "doc", "gif", "heic", "exe", "html"],
)
def test_recognisable_other_types_are_named(content, kind):
    error = refusal(content, "uittreksel.pdf")
    assert error.code == "wrong_type"
    assert message(error) == f"Upload a PDF, JPEG or PNG file. This file is a {kind}."


def test_text_file_named_pdf_is_refused():
    error = refusal(b"This is not a PDF at all.\n%%EOF\n", "uittreksel.pdf")
    assert error.code == "wrong_type"
    assert message(error) == "This file is not a PDF, JPEG or PNG."


def test_wrong_type_message_is_translated():
    with translation.override("nl"):
        error = refusal(docx_bytes())
        assert message(error) == (
            "Laad een pdf-, jpeg- of png-bestand op. Dit bestand is een Word-document."
        )
        assert message(refusal(b"")) == "Het bestand is leeg."


def test_pdf_without_end_of_file_marker_is_refused():
    error = refusal(PDF[: len(PDF) // 2])
    assert error.code == "pdf_damaged"
    assert message(error) == (
        "This PDF is incomplete or damaged. Save it again and upload the new file."
    )


def test_encrypted_pdf_is_refused():
    encrypt = b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <00> /U <00> >>"
    error = refusal(make_pdf(encrypt, trailer_extra=b" /Encrypt 4 0 R /ID [<01> <01>]"))
    assert error.code == "pdf_encrypted"
    assert message(error) == (
        "This PDF is protected with a password. Upload it without protection."
    )


ACTIVE_MESSAGE = "This PDF contains scripts or embedded files, which we do not accept."


@pytest.mark.parametrize(
    ("objects", "catalog_extra"),
    [
        ((b"<< /S /JavaScript /JS (app.alert(1)) >>",), b" /OpenAction 4 0 R"),
        ((b"<< /JS 5 0 R >>", stream(b"app.alert(1)")), b" /AA << /WC 4 0 R >>"),
        (
            (b"<< /Names [(x) 5 0 R] >>", b"<< /S /JavaScript /JS (1) >>"),
            b" /Names << /JavaScript 4 0 R >>",
        ),
        ((b"<< /S /Launch /F (cmd.exe) >>",), b" /OpenAction 4 0 R"),
        ((stream(b"MZ", b" /Type /EmbeddedFile"),), b""),
        (
            (b"<< /Names [(a.exe) 5 0 R] >>", b"<< /Type /Filespec /F (a.exe) >>"),
            b" /Names << /EmbeddedFiles 4 0 R >>",
        ),
        ((b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",), b" /OpenAction 4 0 R"),
        ((object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>"),), b" /OpenAction 10 0 R"),
    ],
    ids=[
        "open-action-js",
        "js-only",
        "names-tree",
        "launch",
        "embedded-file",
        "embedded-files",
        "hex-escaped",
        "object-stream",
    ],
)
def test_pdf_with_scripts_or_embedded_files_is_refused(objects, catalog_extra):
    error = refusal(make_pdf(*objects, catalog_extra=catalog_extra))
    assert error.code == "pdf_active_content"
    assert message(error) == ACTIVE_MESSAGE


@pytest.mark.parametrize("shift", range(-12, 4))
def test_a_name_split_between_chunks_is_still_found(shift):
    body = make_pdf(b"<< /Names [] >>", catalog_extra=b" /Names << /JavaScript 4 0 R >>")
    header_end = body.index(b"\n") + 1
    target = CHUNK_SIZE + shift  # where "/JavaScript" should start
    filler = b"%" + b"x" * (target - body.index(b"/JavaScript") - 2) + b"\n"
    content = body[:header_end] + filler + body[header_end:]
    assert content.index(b"/JavaScript") == target
    assert refusal(content).code == "pdf_active_content"


@pytest.mark.parametrize("shift", range(-6, 2))
def test_a_harmless_name_split_between_chunks_is_not_mistaken(shift):
    """ "/JSX" cut after "/JS" by a chunk boundary is not the forbidden "/JS"."""
    body = make_pdf(catalog_extra=b" /JSX true")
    header_end = body.index(b"\n") + 1
    target = CHUNK_SIZE + shift
    filler = b"%" + b"x" * (target - body.index(b"/JSX") - 2) + b"\n"
    content = body[:header_end] + filler + body[header_end:]
    assert content.index(b"/JSX") == target
    assert validate_upload(upload(content)).content_type == "application/pdf"


def test_a_script_hidden_in_a_fake_stream_is_found():
    """The script's "/S /JavaScript" is searched in stream data too."""
    pdf = make_pdf(b"<< /S /JavaScript /JS (1) >>", catalog_extra=b" /OpenAction 4 0 R")
    pdf = pdf.replace(b"4 0 obj\n", b"4 0 obj\n(>> stream\n)", 1)
    assert refusal(pdf).code == "pdf_active_content"


def test_pdf_object_stream_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "_MAX_INFLATED", 1024 * 1024)
    bomb = object_stream(b"<< /Filler (" + b"0" * (2 * 1024 * 1024) + b") >>")
    assert refusal(make_pdf(bomb)).code == "pdf_damaged"


def test_truncated_png_is_refused():
    error = refusal(PNG[:-12], "foto.png")
    assert error.code == "image_damaged"
    assert message(error) == (
        "This image is incomplete or damaged. Save it again and upload the new file."
    )


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n",  # signature only
        PNG[:8] + PNG[8:20] + b"\x00" * 13 + PNG[33:],  # IHDR with a wrong CRC
        make_png()[:16] + b"\x00" * 8 + make_png()[24:],  # zero width and height
    ],
    ids=["no-ihdr", "bad-crc", "zero-size"],
)
def test_png_without_a_valid_header_is_refused(content):
    assert refusal(content, "foto.png").code == "image_damaged"


def test_jpeg_without_end_marker_is_refused():
    error = refusal(JPEG[:-2], "foto.jpg")
    assert error.code == "image_damaged"


def test_file_is_rewound_after_a_refusal():
    file = upload(make_pdf(b"<< /S /JavaScript /JS (1) >>"))
    with pytest.raises(ValidationError):
        validate_upload(file)
    assert file.tell() == 0


# --- Names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("uittreksel.pdf", "uittreksel.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\jan\\Bureaublad\\scan.jpg", "scan.jpg"),
        ("bad\x00na\x7fme\x1b.pdf", "badname.pdf"),
        ("line\r\nbreak\tand tab.pdf", "line break and tab.pdf"),
        ("cv\u202efdp.exe", "cvfdp.exe"),
        ('a"b<c>d|e?.pdf', "a_b_c_d_e_.pdf"),
        ("  Zoë   Peeters .pdf ", "Zoë Peeters .pdf"),
        ("...", "document"),
        ("", "document"),
        (None, "document"),
    ],
)
def test_safe_display_name(name, expected):
    assert safe_display_name(name) == expected


def test_long_name_is_shortened_keeping_its_extension():
    name = safe_display_name("a" * 300 + ".pdf")
    assert len(name) == 150
    assert name.endswith("a.pdf")


def test_checked_upload_keeps_a_safe_display_name():
    checked = validate_upload(upload(PDF, "../../Strafregister\tJan.pdf"))
    assert checked.original_name == "Strafregister Jan.pdf"


# --- Storage ------------------------------------------------------------------------------


def test_private_upload_to_uses_a_random_name_and_the_checked_extension():
    instance = SimpleNamespace(content_type="image/jpeg")
    filename = "../Jan Peeters strafregister.pdf"
    first = private_upload_to(instance, filename)
    second = private_upload_to(instance, filename)
    assert re.fullmatch(r"documents/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", first)
    assert first != second
    for part in ("Jan", "Peeters", "strafregister", ".pdf", ".."):
        assert part not in first


def test_private_upload_to_refuses_an_unchecked_file():
    with pytest.raises(ValueError, match="content_type"):
        private_upload_to(SimpleNamespace(), "x.pdf")
    with pytest.raises(ValueError, match="content_type"):
        private_upload_to(SimpleNamespace(content_type="text/html"), "x.pdf")


def test_private_storage_is_outside_the_media_url_and_has_no_url(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    storage = private_storage()
    assert storage is private_storage()
    assert isinstance(storage, PrivateStorage)
    assert storage.location == str(tmp_path / "private")
    name = storage.save("documents/2026/01/abc.pdf", ContentFile(PDF))
    assert (tmp_path / "private" / name).read_bytes() == PDF
    assert stat.S_IMODE((tmp_path / "private" / name).stat().st_mode) == 0o600
    with pytest.raises(ValueError, match="not accessible via a URL"):
        storage.url(name)


def test_file_field_with_private_storage_deconstructs_for_migrations():
    field = models.FileField(storage=private_storage, upload_to=private_upload_to)
    _name, _path, _args, kwargs = field.deconstruct()
    assert kwargs["storage"] is private_storage
    assert kwargs["upload_to"] is private_upload_to
    serialized, imports = MigrationWriter.serialize(field)
    assert "werkplek.core.uploads.private_storage" in serialized
    assert "werkplek.core.uploads.private_upload_to" in serialized
    assert "import werkplek.core.uploads" in imports


# --- Serving ------------------------------------------------------------------------------


@pytest.fixture
def stored_pdf(settings, tmp_path, db):  # closing a response closes old DB connections
    settings.MEDIA_ROOT = tmp_path
    field = models.FileField(storage=private_storage, upload_to=private_upload_to)
    name = private_storage().save(
        private_upload_to(SimpleNamespace(content_type="application/pdf"), "x.pdf"),
        ContentFile(PDF),
    )
    return FieldFile(None, field, name)


def _body(response) -> bytes:
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


def test_file_response_headers(stored_pdf):
    response = file_response(
        file_field=stored_pdf, download_name="uittreksel.pdf", content_type="application/pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="uittreksel.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Length"] == str(len(PDF))
    assert _body(response) == PDF


@pytest.mark.parametrize(
    ("download_name", "disposition"),
    [
        ("Uittreksel Zoë.pdf", "attachment; filename*=utf-8''Uittreksel%20Zo%C3%AB.pdf"),
        ('../../a"b\r\nSet-Cookie: x.pdf', 'attachment; filename="a_b Set-Cookie_ x.pdf"'),
        ("scan.txt", 'attachment; filename="scan.txt.pdf"'),
        ("", 'attachment; filename="document.pdf"'),
    ],
)
def test_file_response_download_name_is_safe(stored_pdf, download_name, disposition):
    response = file_response(
        file_field=stored_pdf, download_name=download_name, content_type="application/pdf"
    )
    assert response["Content-Disposition"] == disposition
    _body(response)


def test_file_response_keeps_jpeg_extension(stored_pdf):
    response = file_response(
        file_field=stored_pdf, download_name="foto.jpeg", content_type="image/jpeg"
    )
    assert response["Content-Disposition"] == 'attachment; filename="foto.jpeg"'
    _body(response)


# --- The form field -----------------------------------------------------------------------


class DocumentForm(forms.Form):
    default_renderer = DjangoTemplates()
    extract = DocumentField(label="Criminal-record extract")


def bound_form(content: bytes | None, name: str = "uittreksel.pdf") -> DocumentForm:
    files = {} if content is None else {"extract": upload(content, name)}
    return DocumentForm(data={}, files=files)


def test_document_field_attaches_the_checked_upload():
    form = bound_form(PDF)
    assert form.is_valid(), form.errors
    file = form.cleaned_data["extract"]
    assert file.checked.content_type == "application/pdf"
    assert file.checked.sha256 == hashlib.sha256(PDF).hexdigest()
    assert file.checked.original_name == "uittreksel.pdf"
    assert file.tell() == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "Choose a file to upload."),
        (b"", "The file is empty."),
        (docx_bytes(), "Upload a PDF, JPEG or PNG file. This file is a Word document."),
        (make_pdf(b"<< /S /JavaScript /JS (1) >>"), ACTIVE_MESSAGE),
    ],
    ids=["missing", "empty", "docx", "javascript"],
)
def test_document_field_errors(content, expected):
    form = bound_form(content)
    assert not form.is_valid()
    assert form.errors["extract"] == [expected]


def test_document_field_widget_and_help_text():
    field = DocumentForm().fields["extract"]
    assert isinstance(field.widget, forms.FileInput)
    assert not isinstance(field.widget, forms.ClearableFileInput)
    assert field.widget.attrs["accept"] == (
        ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
    )
    assert str(field.help_text) == "PDF, JPEG or PNG, at most 10 MB."
    html = str(DocumentForm()["extract"])
    assert 'accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"' in html
    with translation.override("nl"):
        assert str(field.help_text) == "Pdf, jpeg of png, maximaal 10 MB."


def test_document_field_help_text_follows_the_limit(settings):
    settings.WERKPLEK_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
    assert str(DocumentField().help_text) == "PDF, JPEG or PNG, at most 5 MB."


def test_document_field_keeps_an_initial_file():
    initial = SimpleNamespace(name="documents/2026/01/abc.pdf")
    assert DocumentField(required=False).clean(None, initial) is initial


# --- ClamAV -------------------------------------------------------------------------------

VIRUS_MARKER = b"TEST-VIRUS-MARKER"  # the fake daemon's "signature"


class FakeClamdHandler(socketserver.StreamRequestHandler):
    """Speaks clamd's INSTREAM: "zINSTREAM\\0", <length><chunk>..., <0>; answers with a
    null-terminated "stream: OK" or "stream: <name> FOUND"."""

    def handle(self):
        command = b""
        while not command.endswith(b"\0"):
            byte = self.rfile.read(1)
            if not byte:
                return
            command += byte
        received = io.BytesIO()
        while True:
            (length,) = struct.unpack(">I", self.rfile.read(4))
            if length == 0:
                break
            received.write(self.rfile.read(length))
        data = received.getvalue()
        self.server.received.append((command, data))
        if self.server.reply is not None:
            reply = self.server.reply
        elif VIRUS_MARKER in data:
            reply = b"stream: Eicar-Test-Signature FOUND"
        else:
            reply = b"stream: OK"
        self.wfile.write(reply + b"\0")


def _serve(server):
    server.received = []
    server.reply = None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def clamd(settings):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeClamdHandler)
    _serve(server)
    settings.CLAMAV_HOST, settings.CLAMAV_PORT = server.server_address
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def clamd_unix(settings):
    folder = tempfile.mkdtemp(dir="/tmp")  # short: Unix socket paths are limited to ~100 bytes
    path = os.path.join(folder, "clamd.sock")
    server = socketserver.ThreadingUnixStreamServer(path, FakeClamdHandler)
    _serve(server)
    settings.CLAMAV_SOCKET = path
    yield server
    server.shutdown()
    server.server_close()
    shutil.rmtree(folder)


def test_clean_file_passes_the_scan_and_is_sent_whole(clamd):
    content = make_pdf(stream(os.urandom(2 * CHUNK_SIZE + 5)))
    file = upload(content)
    file.read(10)
    assert scan_for_viruses(file) is None
    assert clamd.received == [(b"zINSTREAM\0", content)]
    assert file.tell() == 0


def test_infected_file_is_refused(clamd, caplog):
    file = upload(make_pdf(stream(VIRUS_MARKER)))
    with (
        caplog.at_level(logging.WARNING, logger="werkplek.uploads"),
        pytest.raises(ValidationError) as caught,
    ):
        scan_for_viruses(file)
    assert caught.value.code == "virus"
    assert message(caught.value) == "This file contains a virus or malware and was refused."
    assert "Eicar-Test-Signature" in caplog.text


def test_scan_over_a_unix_socket(clamd_unix):
    scan_for_viruses(upload(PDF))
    with pytest.raises(ValidationError) as caught:
        scan_for_viruses(upload(make_pdf(stream(VIRUS_MARKER))))
    assert caught.value.code == "virus"
    assert len(clamd_unix.received) == 2


def test_clamav_error_reply_fails_closed(clamd, caplog):
    clamd.reply = b"INSTREAM size limit exceeded. ERROR"
    with pytest.raises(ValidationError) as caught:
        scan_for_viruses(upload(PDF))
    assert caught.value.code == "virus_scan_unavailable"
    assert "size limit exceeded" in caplog.text


def test_unreachable_clamav_fails_closed_and_logs(settings, caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CLAMAV_HOST, settings.CLAMAV_PORT = "127.0.0.1", port
    settings.CLAMAV_TIMEOUT = 2
    file = upload(PDF)
    with (
        caplog.at_level(logging.ERROR, logger="werkplek.uploads"),
        pytest.raises(ValidationError) as caught,
    ):
        scan_for_viruses(file)
    assert caught.value.code == "virus_scan_unavailable"
    assert message(caught.value) == (
        "We cannot check files for viruses right now. Try again later."
    )
    assert any(record.levelno == logging.ERROR for record in caplog.records)
    assert file.tell() == 0


def test_scan_is_off_when_clamav_is_not_configured(settings, monkeypatch):
    for name in ("CLAMAV_SOCKET", "CLAMAV_HOST", "CLAMAV_PORT"):
        if hasattr(settings, name):
            delattr(settings, name)

    def no_sockets(*args, **kwargs):
        raise AssertionError("no connection expected")

    monkeypatch.setattr(uploads.socket, "socket", no_sockets)
    assert scan_for_viruses(upload(make_pdf(stream(VIRUS_MARKER)))) is None


def test_document_field_runs_the_virus_scan(clamd):
    form = bound_form(make_pdf(stream(VIRUS_MARKER)))
    assert not form.is_valid()
    assert form.errors["extract"] == ["This file contains a virus or malware and was refused."]
    assert bound_form(PDF).is_valid()
    assert len(clamd.received) == 2
