"""Property-based fuzzing (hypothesis) of every form of the application: random and hostile
strings, huge inputs, numbers and dates out of range, wrong encodings, omitted, duplicated and
unknown fields. Whatever is sent, the answer is never a server error (5xx) and never a
traceback, hostile markup is never on the page unescaped, and what the user is told is clear:

- a form that comes back (200 to a POST) shows the GOV.UK error summary (but for the few
  actions whose success is a page of its own, `SUCCESS_PAGES`), with the hostile markup typed in
  a text field back in that field, escaped;
- every message (the summary's title and items, a field's error, a notification banner on the
  page a redirect leads to, the heading of an error page such as Django's 400 for a malformed
  request) is non-empty and in Dutch, the language of a browser that asks for none: it matches
  no English text of the catalogues (the application's and Django's) that has a Dutch
  translation, and does not read as English.

Which forms: the authorization matrix (`matrix.py`) knows every page and who may use it. Each
page entry that is public, or that some actor may use, is requested as anonymous (public pages,
in a session holding a complete self-scan, so that each step of the scan shows its form) or as
each role on its own objects that may use it (`FORM_ACTORS`: what a page offers depends on who
looks). Its `<form>` elements are read with the standard library's HTML parser (inputs, selects
and their options, textareas, named buttons, hidden fields) and filed under the URL they send to.
An entry is fuzzed when some form sends to its URL (as the first actor who saw one), or when it
is an action URL (`post_only`; with the matrix's `post` data as fields when no form was found).
GET forms (search, filters) are fuzzed through the query string. Pages to which no form sends are
skipped, with that reason.

An example is mostly a plausible submission (each field its first option, its initial value, or
a value guessed from its type and name) with one or two fields fuzzed, else every field fuzzed:
random text (control characters and NUL included), hostile strings (markup, SQL, template and
format strings, path traversal, bidirectional overrides, zero-width characters, emoji), 100 kB
values, numbers and dates out of range, uploads with hostile names or broken content; a field may
be omitted, sent twice or many times, and an unknown field added. It is sent as multipart (the
browser's way with files), URL-encoded in UTF-8 or in Latin-1 (with and without saying so; Django
refuses a declared non-UTF-8 charset with 400), with bytes that are not UTF-8 (raw and
percent-encoded, URL-encoded and multipart) or with an unknown charset. Besides these random
examples, every field of every form is probed once with a null character appended (PostgreSQL
cannot store one) and once with a number beyond any integer, the rest of the form plausible
(`PROBES`).

Each example runs in a transaction rolled back at its end, on top of the matrix's world (built
once for the module in a transaction of its own), so no example changes what the next one sees.
The examples are derandomized: CI tries the same inputs on every run.

The counts: `-s` prints one line per form ("form <entry>: N inputs, 0 server errors (what
became of them)"; N counts the probes and the random examples) and, at the end, the totals
(forms, random examples per form, inputs sent):

    DEBUG=1 PYTHONPATH=src .venv/bin/pytest tests/security/test_form_fuzz.py -q -s
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, quote_from_bytes, urlencode, urljoin, urlsplit

import pytest
from django.db import transaction
from django.test.client import BOUNDARY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import test_authorization_matrix as authorization
from .matrix import ANONYMOUS, PAGES, PDF, Entry
from .test_authorization_matrix import LOGIN_PATH, _data, _url

# The matrix's fixtures: its world (built once for the module), a session per actor, its
# settings (no rate limits, no staff two-factor, no real PDF rendering) and media root.
world = authorization.world
world_media = authorization.world_media
media_root = authorization.media_root
sessions = authorization.sessions
matrix_settings = authorization.matrix_settings

EXAMPLES_PER_FORM = 15
# The URLs that forms on the pages post to: 57 when this was written; far fewer means the pages
# were not read as who may use them.
MIN_POST_FORMS = 50
# The actor a page is fuzzed as: the first of these the entry allows.
FORM_ACTORS = ("representative", "employer", "coach", "handler", "voter", "appeal_committee",
               "administrator", "other_handler", "other_voter", "other_representative",
               "other_employer", "other_coach")
# Entries whose successful POST answers 200 with a page of its own instead of redirecting: a
# 200 without an error summary is then a success, not a form that failed silently.
SUCCESS_PAGES = {
    # Withdrawing: without `confirm`, the question is asked again.
    "applications:withdraw": "the confirmation question",
    # The national register number in full, this once (the answer to the POST).
    "applications:case_reveal": "shows the number in full",
    "agreements:reveal": "shows the number in full",
    # A confirmation step before the action itself.
    "recognitions:impose_sanction": "the confirmation page of the sanction",
}

HOSTILE = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "'; DROP TABLE auth_user; --",
    "{{ 7*7 }}",
    "{% debug %}",
    "${7*7}",
    "%s%n%x%d",
    "%(password)s",
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "\u202egnp.exe",  # right-to-left override
    "a\u200db\u200cc\u2060d",  # zero-width joiner, non-joiner, word joiner
    "\ufeffbom",
    "\x00",
    "a\x00b",
    "\r\nSet-Cookie: x=1",
    "😀🇧🇪👩‍👩‍👧",
    "Ǆemal ĳsje ß ﬁ",
    "ｆｕｌｌｗｉｄｔｈ",
    "   ",
    "\t\n",
    "javascript:alert(1)",
    "null",
    "None",
    "true",
    "[]",
    '{"a": 1}',
)
# Hostile markup that must never come back raw (it would run in the browser).
MARKUP = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
NUMBERS = ("-1", "0", "-0", "1" + "0" * 30, "1e309", "-1e309", "NaN", "inf", "-inf", "1,5",
           "1.5", "0x10", "٣", "²", "99999999999", "-2147483649", "9223372036854775808",
           "+1", "1_000", " 7 ")
DATES = ("31/02/2026", "99/99/9999", "29/02/2025", "00/00/0000", "0000-00-00", "2026-02-31",
         "31/12/9999", "9999-12-31", "01/01/0001", "0001-01-01", "1/1/1", "01/01/10000",
         "2026-13-01", "32/01/2026", "-1/-1/-1", "1e9/1/1", "31.12.2026", "2026/12/31",
         "24:00", "25:61")
BIG = 100_000


# --- reading the forms of a page --------------------------------------------------------------

@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, choice (radios, checkboxes, buttons), hidden, file, ...
    values: list[str] = field(default_factory=list)  # options, or the page's initial value
    multiple: bool = False


@dataclass
class Form:
    method: str  # "get" or "post"
    action: str  # the path it sends to
    enctype: str
    page: str  # the entry id of the page it was found on
    actor: str  # who it was found as
    fields: dict[str, Field] = field(default_factory=dict)

    def add(self, name: str, kind: str, value: str | None = None, *, multiple=False) -> None:
        if not name:
            return
        known = self.fields.setdefault(name, Field(name, kind, multiple=multiple))
        if kind in ("radio", "checkbox", "submit") or known.kind != kind:
            known.kind = "choice" if kind in ("radio", "checkbox", "submit") else known.kind
            known.multiple = known.multiple or kind == "checkbox"
        if value is not None and value not in known.values:
            known.values.append(value)


class FormParser(HTMLParser):
    """The forms of a page: their method, action and fields."""

    def __init__(self, url: str, page: str, actor: str):
        super().__init__(convert_charrefs=True)
        self.url, self.page, self.actor = url, page, actor
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.textarea: tuple[str, list[str]] | None = None
        self.option: tuple[str | None, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            action = urljoin(self.url, attrs.get("action") or self.url)
            self.form = Form(method=(attrs.get("method") or "get").lower(),
                             action=urlsplit(action).path,
                             enctype=attrs.get("enctype", ""), page=self.page,
                             actor=self.actor)
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("radio", "checkbox"):
                self.form.add(attrs.get("name"), kind, attrs.get("value", "on"))
            elif kind in ("submit", "image", "button", "reset"):
                if attrs.get("name"):
                    self.form.add(attrs["name"], "submit", attrs.get("value", ""))
            else:
                self.form.add(attrs.get("name"), kind, attrs.get("value"))
        elif tag == "button" and attrs.get("name"):
            self.form.add(attrs["name"], "submit", attrs.get("value", ""))
        elif tag == "select" and attrs.get("name"):
            self.form.add(attrs["name"], "select", multiple="multiple" in attrs)
            self.select = self.form.fields[attrs["name"]]
        elif tag == "option" and self.select is not None:
            self.option = (attrs.get("value"), [])
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = (attrs["name"], [])

    def handle_data(self, data):
        if self.option is not None:
            self.option[1].append(data)
        if self.textarea is not None:
            self.textarea[1].append(data)

    def _end_option(self):
        if self.option is not None and self.select is not None:
            value, text = self.option
            value = "".join(text).strip() if value is None else value
            if value not in self.select.values:
                self.select.values.append(value)
        self.option = None

    def handle_endtag(self, tag):
        if tag in ("option", "select"):
            self._end_option()
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            name, text = self.textarea
            self.form.add(name, "textarea", "".join(text).lstrip("\n"))
            self.textarea = None
        elif tag == "form":
            self.form = None


# --- reading what a page tells the user -------------------------------------------------------

# Elements whose text is a message to the user (by class).
MESSAGE_CLASSES = {
    "govuk-error-summary__title": "summary title",
    "govuk-error-summary__list": "summary",
    "govuk-error-message": "field error",
    "govuk-notification-banner__heading": "banner",
}
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})


class MessageParser(HTMLParser):
    """The texts of error summaries, field errors and notification banners (without the
    visually hidden "Fout:" prefix); each item of the summary's list is a message of its own."""

    def __init__(self, classes: dict[str, str] = MESSAGE_CLASSES):
        super().__init__(convert_charrefs=True)
        self.classes = classes
        self.stack: list[tuple[str, set[str]]] = []
        self.messages: list[tuple[str, str]] = []
        self.current: tuple[str, int, list[str]] | None = None  # (kind, depth, text)
        self.hidden_depth: int | None = None
        self.input_values: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "input" and attrs.get("name"):
            self.input_values.setdefault(attrs["name"], []).append(attrs.get("value", ""))
        if tag in VOID:
            return
        classes = set(attrs.get("class", "").split())
        self.stack.append((tag, classes))
        depth = len(self.stack)
        if self.current is None:
            for css, kind in self.classes.items():
                if css in classes and kind != "summary":
                    self.current = (kind, depth, [])
        if tag == "li" and any("govuk-error-summary__list" in c for _t, c in self.stack[:-1]):
            self.current = ("summary", depth, [])
        if "govuk-visually-hidden" in classes and self.hidden_depth is None:
            self.hidden_depth = depth

    def handle_endtag(self, tag):
        if tag in VOID or not self.stack:
            return
        # Close up to the matching tag (forgiving unclosed elements).
        while self.stack:
            depth = len(self.stack)
            opened, _classes = self.stack.pop()
            if self.hidden_depth == depth:
                self.hidden_depth = None
            if self.current is not None and self.current[1] == depth:
                kind, _depth, text = self.current
                self.messages.append((kind, " ".join("".join(text).split())))
                self.current = None
            if opened == tag:
                break

    def handle_data(self, data):
        if self.current is not None and self.hidden_depth is None:
            self.current[2].append(data)


# --- is a message in Dutch? -------------------------------------------------------------------

SRC = Path(__file__).resolve().parents[2] / "src" / "werkplek"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def _po_entries(path: Path):
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        match = re.search(r'^msgid ((?:".*"\n?)+)(?:msgid_plural ((?:".*"\n?)+))?'
                          r'msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        if match:
            def join(part):
                return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', part or "")).replace(
                    '\\"', '"').replace("\\n", "\n")

            msgstr = join(match.group(3))
            for msgid in (join(match.group(1)), join(match.group(2))):
                if msgid and msgstr and msgid != msgstr:
                    yield msgid


@cache
def english_messages() -> tuple[tuple[str, re.Pattern], ...]:
    """The English texts that have a Dutch translation (the application's catalogues and
    Django's), as patterns: a message that matches one was left untranslated."""
    import django

    catalogues = list(SRC.glob("*/locale/nl/LC_MESSAGES/django.po"))
    django_root = Path(django.__file__).parent
    catalogues += [django_root / "conf/locale/nl/LC_MESSAGES/django.po",
                   django_root / "contrib/auth/locale/nl/LC_MESSAGES/django.po"]
    patterns = {}
    for catalogue in catalogues:
        if not catalogue.exists():
            continue
        for msgid in _po_entries(catalogue):
            text = " ".join(re.sub(r"<[^>]+>", "", msgid).split())
            parts = PLACEHOLDER.split(text)
            # Whole sentences only: a word or two may be the same in both languages.
            if len(re.findall(r"[A-Za-z]+", "".join(parts))) < 3:
                continue
            regex = ".*?".join(re.escape(part) for part in parts)
            patterns[text] = (parts[0], re.compile(regex, re.S))
    return tuple(patterns.values())


ENGLISH_WORDS = frozenset({"the", "this", "must", "please", "enter", "should", "invalid",
                           "value", "field", "select", "valid", "required", "ensure",
                           "characters", "choose", "error", "problem", "cannot", "could",
                           "not", "you", "your", "with", "has", "have", "was", "were"})
DUTCH_WORDS = frozenset({"de", "het", "een", "niet", "moet", "geef", "kies", "dit", "deze",
                         "van", "geldig", "geldige", "veld", "tekens", "op", "in", "u", "uw",
                         "je", "is", "er", "probleem", "fout", "zijn", "kan", "voor", "met"})


def _english(message: str) -> str:
    """Why the message looks English ("" if it does not)."""
    for prefix, pattern in english_messages():
        if message.startswith(prefix) and pattern.fullmatch(message):
            return f"the untranslated text {pattern.pattern!r}"
    words = re.findall(r"[a-z]+", message.lower())
    english = [word for word in words if word in ENGLISH_WORDS]
    if len(english) >= 2 and not any(word in DUTCH_WORDS for word in words):
        return f"English words {english}"
    return ""


# --- the inputs -------------------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
HUGE = st.sampled_from(["A" * BIG, "é" * (BIG // 2), "<script>alert(1)</script>" * 4000,
                        "1" * BIG, "😀" * (BIG // 4), ("a\x00" * (BIG // 2))])


def _national_number(body: str) -> str:
    """A valid national register number of someone born in 2000 or later."""
    return f"{body}{97 - int('2' + body) % 97:02d}"


def _plausible(form_field: Field) -> str:
    """A value that looks right for the field: its first option or its initial value, else one
    guessed from its type and name (so that most of a form passes and the fuzzed field is what
    the form and the services behind it get to handle)."""
    from django.utils import timezone

    values = [value for value in form_field.values if value]
    if values:
        return values[0]
    name, kind = form_field.name.lower(), form_field.kind
    soon = timezone.localdate() + timedelta(days=30)
    part = re.search(r"_([012])$", name)
    if part:  # a date in three fields: day, month, year
        return str((soon.day, soon.month, soon.year)[int(part.group(1))])
    if kind == "email" or "email" in name:
        return "leerling@voorbeeld.be"
    if "national" in name:
        return _national_number("090505123")
    if any(word in name for word in ("date", "valid_", "day", "deadline", "_on")):
        return soon.strftime("%d/%m/%Y")
    if kind == "number" or any(word in name for word in ("hours", "years", "count")):
        return "10"
    if kind == "textarea":
        return "Een korte toelichting bij het antwoord."
    return "Voorbeeld"


# Appended to a plausible value: what a value that otherwise passes may still carry.
SUFFIXES = ("\x00", "\u202e", "\u200d", "<script>alert(1)</script>", "'", "\\", "%", "😀",
            " " * 3, "\r\n", "\x1b[31m")


def _value(form_field: Field):
    """A strategy for one value of a field: valid-looking (as is, or with something appended),
    random, hostile, huge, a number or a date out of range."""
    valid = [value for value in form_field.values if value is not None]
    plausible = _plausible(form_field)
    strategies = [TEXT, st.sampled_from(HOSTILE), HUGE, st.sampled_from(NUMBERS),
                  st.sampled_from(DATES), st.from_regex(r"\A\d{1,12}\Z"),
                  st.sampled_from(SUFFIXES).map(lambda suffix: plausible + suffix)]
    if valid:
        # Valid-looking values more often: the form then gets past its first checks.
        strategies = [st.sampled_from(valid)] * 3 + strategies
    return st.one_of(strategies)


UPLOADS = (
    ("verklaring.pdf", PDF),
    ("<script>alert(1)</script>.pdf", PDF),
    ("../../etc/passwd", PDF),
    ("\u202efdp.exe", PDF),
    ("x" * 300 + ".pdf", PDF),
    ("leeg.pdf", b""),
    ("kapot.pdf", PDF[:20]),
    ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
    ("random.pdf", bytes(range(256)) * 8),
    ("script.pdf", PDF.replace(b"/Catalog", b"/Catalog/OpenAction<</S/JavaScript/JS(x)>>")),
)


def _all_fields(form: Form, extra: dict) -> dict[str, Field]:
    """The form's fields, and those of the matrix's POST data for its URL."""
    fields = dict(form.fields)
    for name, value in extra.items():
        fields.setdefault(name, Field(name, "text", [str(value)]))
    return fields


def _plausible_pairs(name: str, form_field: Field) -> list[tuple[str, object]]:
    if form_field.kind == "file":
        return [(name, ("file", *UPLOADS[0]))]
    if form_field.kind == "choice" and form_field.multiple:
        return [(name, value) for value in form_field.values]
    return [(name, _plausible(form_field))]


@st.composite
def _fields(draw, form: Form, extra: dict) -> list[tuple[str, object]]:
    """The (name, value) pairs of one submission. Mostly a plausible submission with one or
    two fields fuzzed (present, omitted, duplicated or sent as a list); else every field
    fuzzed. Sometimes fields the form does not have."""
    pairs: list[tuple[str, object]] = []
    fields = _all_fields(form, extra)
    names = [name for name in fields if name != "csrfmiddlewaretoken"]
    fuzzed = set(names)
    if names and draw(st.booleans()):
        fuzzed = set(draw(st.lists(st.sampled_from(names), min_size=1, max_size=2)))
    for name, form_field in fields.items():
        if name not in fuzzed:
            pairs += _plausible_pairs(name, form_field)
            continue
        how = draw(st.sampled_from(["one"] * 6 + ["omit", "two", "many"]))
        if how == "omit":
            continue
        if form_field.kind == "file":
            name_and_content = draw(st.sampled_from(UPLOADS))
            pairs.append((name, ("file", *name_and_content)))
            continue
        count = {"one": 1, "two": 2, "many": draw(st.integers(3, 6))}[how]
        pairs += [(name, draw(_value(form_field))) for _ in range(count)]
    if draw(st.integers(0, 5)) == 0:
        junk = draw(st.sampled_from(["x", "__proto__", "pk", "id", "version", "next",
                                     "a" * 300, "naam[]", "\x00", "🙂"]))
        pairs.append((junk, draw(st.one_of(TEXT, st.sampled_from(HOSTILE)))))
    return pairs


# Besides the random examples, each field of each form gets these, the rest of the form
# plausible: the values that are most likely to reach the database or a C function unchecked.
PROBES = (
    ("a null character", lambda value: value + "\x00"),  # PostgreSQL cannot store it
    ("a number beyond any integer", lambda value: "1" + "0" * 30),
)


def _probes(form: Form, extra: dict):
    """The probe submissions of a form: one per field and probe."""
    fields = _all_fields(form, extra)
    for probed, probed_field in fields.items():
        if probed == "csrfmiddlewaretoken" or probed_field.kind == "file":
            continue
        for _what, probe in PROBES:
            pairs = []
            for name, form_field in fields.items():
                pairs += ([(name, probe(_plausible(form_field)))] if name == probed
                          else _plausible_pairs(name, form_field))
            yield Submission(form.method, form.action, "multipart" if form.method == "post"
                             else "utf-8", pairs)


ENCODINGS = ("multipart",) * 4 + ("urlencoded", "latin-1", "latin-1 declared",
                                   "invalid utf-8", "invalid utf-8 multipart", "bogus charset")


@dataclass
class Submission:
    method: str
    path: str
    encoding: str
    pairs: list[tuple[str, object]]

    def describe(self) -> str:
        def short(value):
            if isinstance(value, tuple):
                return f"<file {value[1][:40]!r}, {len(value[2])} bytes>"
            text = value if isinstance(value, str) else repr(value)
            return repr(text[:60] + (f"... ({len(text)} characters)" if len(text) > 60 else ""))

        fields = ", ".join(f"{name[:40]!r}: {short(value)}" for name, value in self.pairs)
        return f"{self.method.upper()} {self.path} ({self.encoding}) {{{fields}}}"


def _bytes(value: str, rng_bytes: bytes) -> bytes:
    return value.encode("utf-8") + rng_bytes


def _send(client, submission: Submission, invalid: bytes):
    """Send the submission the way its encoding says; `invalid` are raw bytes that are not
    UTF-8 (for the wrong encodings)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    pairs, path = submission.pairs, submission.path
    text_pairs = [(name, value if isinstance(value, str) else value[1])
                  for name, value in pairs]
    encoding = submission.encoding
    if submission.method == "get":
        if encoding == "invalid utf-8":
            query = "&".join(f"{quote(name)}={quote_from_bytes(_bytes(value, invalid))}"
                             for name, value in text_pairs)
        else:
            query = urlencode(text_pairs, encoding="latin-1" if "latin" in encoding else "utf-8",
                              errors="replace")
        return client.get(f"{path}?{query}")
    urlencoded = "application/x-www-form-urlencoded"
    if encoding == "multipart":
        data: dict[str, list] = {}
        for name, value in pairs:
            if isinstance(value, tuple):
                value = SimpleUploadedFile(value[1], value[2], content_type="application/pdf")
            data.setdefault(name, []).append(value)
        return client.post(path, data)
    if encoding == "urlencoded":
        return client.post(path, urlencode(text_pairs), content_type=urlencoded)
    if encoding in ("latin-1", "latin-1 declared"):
        body = urlencode(text_pairs, encoding="latin-1", errors="replace")
        content_type = urlencoded + ("; charset=iso-8859-1" if "declared" in encoding else "")
        return client.post(path, body, content_type=content_type)
    if encoding == "invalid utf-8":
        # Half percent-encoded, half raw bytes in the body.
        body = b"&".join(
            quote(name).encode() + b"=" + (quote_from_bytes(_bytes(value, invalid)).encode()
                                           if index % 2 else _bytes(value, invalid))
            for index, (name, value) in enumerate(text_pairs))
        return client.post(path, body, content_type=urlencoded)
    if encoding == "invalid utf-8 multipart":
        parts = []
        for name, value in text_pairs:
            parts += [f"--{BOUNDARY}".encode(),
                      f'Content-Disposition: form-data; name="{name}"'.encode(), b"",
                      _bytes(value, invalid)]
        body = b"\r\n".join([*parts, f"--{BOUNDARY}--".encode(), b""])
        # (Not MULTIPART_CONTENT itself, which the test client would encode again.)
        return client.post(path, body, content_type=f"multipart/form-data;boundary={BOUNDARY}")
    assert encoding == "bogus charset", encoding
    # (generic: the test client's post would encode the body in the unknown charset.)
    return client.generic("POST", path, urlencode(text_pairs).encode(),
                          content_type=urlencoded + "; charset=x-klingon")


# --- what the answer must be ------------------------------------------------------------------

def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def _problems(entry: Entry, submission: Submission, response, body: str,
              form: Form | None = None, *, dutch: bool = True) -> list[str]:
    """What is wrong with the answer to a submission (or, `form` None, with the page it
    redirected to); `dutch` False: the user chose another language."""
    problems = []
    status = response.status_code
    if status >= 500:
        problems.append(f"server error {status}")
    if "Traceback" in body:
        problems.append("the answer shows a traceback")
    html = "html" in response.get("Content-Type", "")
    if not html:
        return problems
    for markup in MARKUP:
        if markup in body:
            problems.append(f"{markup!r} is on the page unescaped")
    # An error page (400, 403, 404, 429) says what went wrong in its heading.
    parser = MessageParser(MESSAGE_CLASSES if status < 400 else {
        **MESSAGE_CLASSES, "govuk-heading-xl": "error page heading",
        "govuk-heading-l": "error page heading"})
    parser.feed(body)
    if status >= 400 and body.strip() and not any(
            kind == "error page heading" for kind, _text in parser.messages):
        problems.append(f"the error page ({status}) does not say what went wrong")
    summary = [text for kind, text in parser.messages if kind == "summary"]
    for kind, text in parser.messages:
        if not text:
            problems.append(f"an empty {kind}")
        elif dutch and (why := _english(text)):
            problems.append(f"the {kind} {text[:120]!r} is not in Dutch ({why})")
    if submission.method == "post" and status == 200 and entry.key not in SUCCESS_PAGES \
            and not summary:
        problems.append("the form came back (200) without an error summary")
    if summary and form is not None and submission.encoding in ("multipart", "urlencoded"):
        problems += _not_echoed(form, submission, parser, body)
    return problems


ECHOED_KINDS = frozenset({"text", "textarea", "search", "email", "url", "tel"})


def _not_echoed(form: Form, submission: Submission, parser: MessageParser, body: str):
    """The hostile markup entered (once) in a text field of a redisplayed form comes back in
    that field, escaped."""
    from django.utils.html import escape

    names = [name for name, _value in submission.pairs]
    problems = []
    for name, value in submission.pairs:
        form_field = form.fields.get(name)
        if value not in MARKUP or names.count(name) != 1 or form_field is None \
                or form_field.kind not in ECHOED_KINDS:
            continue
        if form_field.kind == "textarea":
            echoed = f'name="{name}"' not in body or escape(value) in body
        else:
            echoed = name not in parser.input_values or value in parser.input_values[name]
        if not echoed:
            problems.append(f"the form came back without what was entered in {name!r}")
    return problems


# --- the targets --------------------------------------------------------------------------------

# The roles on their own objects: a page is read as each of them that may use it (what a page
# offers depends on who looks: the coach uploads the mandate, the voting member votes).
OWN_ACTORS = FORM_ACTORS[:7]


def _actors(entry: Entry) -> list[str]:
    """Who the entry's forms are looked for as: anonymous for a public entry, else the roles
    on their own objects that may use it (or the first outsider that may)."""
    if entry.public:
        return [ANONYMOUS]
    allowed = [actor for actor in FORM_ACTORS if actor in entry.allow]
    return [actor for actor in allowed if actor in OWN_ACTORS] or allowed[:1]


TARGETS = [entry for entry in PAGES if not entry.is_api and _actors(entry)]


@pytest.fixture(scope="module")
def session_keys(world, sessions, django_db_blocker) -> dict[str, str]:
    """The session of each actor; the anonymous visitor's holds a complete self-scan, so that
    its pages (each asks for the answers of the pages before it) show their forms."""
    from django.conf import settings as django_settings
    from django.test import Client

    from ..selfscan.test_views import walk

    client = Client()
    with django_db_blocker.unblock():
        assert walk(client).status_code == 302
    return {**sessions["keys"],
            ANONYMOUS: client.cookies[django_settings.SESSION_COOKIE_NAME].value}


@pytest.fixture(scope="module")
def dutch_client():
    """A test client whose browser asks for no language: the answers are in Dutch."""
    from django.test import Client

    return Client()


def _in_session(client, session_keys, actor: str):
    """The client in the actor's session, without any other cookie of an earlier request (a
    message, a language)."""
    from django.conf import settings as django_settings

    client.cookies = SimpleCookie()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = session_keys[actor]
    return client


@pytest.fixture(scope="module")
def forms(world, session_keys, dutch_client, django_db_blocker) -> dict[str, list[Form]]:
    """Every form found on the pages of the matrix, by the path it sends to, as each actor
    that may open the page sees it."""
    found: dict[str, list[Form]] = {}
    with django_db_blocker.unblock():
        for entry in TARGETS:
            if entry.post_only:
                continue
            url = _url(entry, world)
            for actor in _actors(entry):
                client = _in_session(dutch_client, session_keys, actor)
                with transaction.atomic():
                    response = client.get(url)
                    transaction.set_rollback(True)
                if response.status_code != 200 or "html" not in response.get("Content-Type",
                                                                            ""):
                    continue
                parser = FormParser(url, entry.id, actor)
                parser.feed(_body(response))
                for form in parser.forms:
                    same = found.setdefault(form.action, [])
                    if not any((known.method, known.actor, known.fields.keys())
                               == (form.method, form.actor, form.fields.keys())
                               for known in same):
                        same.append(form)
    # The pages were read as who may use them: a broken session or world would find no forms
    # (and every test would be skipped).
    posted = {path for path, known in found.items() if any(f.method == "post" for f in known)}
    assert len(posted) >= MIN_POST_FORMS, f"only {len(posted)} URLs that forms post to"
    return found


COUNTS: dict[str, int] = {}  # entry id -> the inputs sent


@pytest.fixture(scope="module", autouse=True)
def totals():
    """The totals of the fuzzing, printed after the last form (shown with -s)."""
    yield
    if COUNTS:
        print(f"\nform fuzzing: {len(COUNTS)} forms, {EXAMPLES_PER_FORM} random examples each "
              "and the probes of each field, "
              f"{sum(COUNTS.values())} inputs in total, 0 server errors")


def _outcome(response, body: str) -> str:
    """What became of an input, for the counts."""
    status = response.status_code
    if status in (301, 302, 303):
        return "redirected"
    if status == 200:
        return "errors shown" if "govuk-error-summary" in body else "answered"
    return f"refused {status}"


@pytest.mark.parametrize("entry", TARGETS, ids=[entry.id for entry in TARGETS])
def test_form_fuzz(world, session_keys, dutch_client, forms, db, entry: Entry):
    from django.conf import settings as django_settings

    url = _url(entry, world)
    path = urlsplit(url).path
    actors = _actors(entry)
    # The forms that send to the entry's URL, as the first actor (in `FORM_ACTORS` order) that
    # sees one; an action URL without any: its own POST data, as the first actor.
    seen = sorted((form for form in forms.get(path, []) if form.actor in actors),
                  key=lambda form: actors.index(form.actor))
    actor = seen[0].actor if seen else actors[0]
    targets = [form for form in seen if form.actor == actor]
    extra = _data(entry, world)
    if entry.post_only and not any(form.method == "post" for form in targets):
        targets.append(Form("post", path, "", page=entry.id, actor=actor))
    if not targets:
        pytest.skip("no form sends to this page")
    outcomes: Counter[str] = Counter()

    def check(form: Form, submission: Submission, invalid: bytes = b"\xff") -> None:
        with transaction.atomic():
            client = _in_session(dutch_client, session_keys, actor)
            response = _send(client, submission, invalid)
            body = _body(response)
            problems = _problems(entry, submission, response, body, form)
            location = response.get("Location", "")
            if response.status_code in (301, 302, 303) and not location.startswith(
                    ("http", LOGIN_PATH)):
                # What the next page tells the user (a message after an action).
                after = client.get(location)
                # (Unless the user just chose another language.)
                chosen = response.cookies.get(django_settings.LANGUAGE_COOKIE_NAME)
                problems += [f"after the redirect to {location}: {problem}" for problem in
                             _problems(entry, Submission("get", location, "", []), after,
                                       _body(after), dutch=not chosen or chosen.value == "nl")]
            transaction.set_rollback(True)
        outcomes[_outcome(response, body)] += 1
        assert not problems, (
            f"\n  form:     {form.method.upper()} {path} (on {form.page}, as {actor})"
            f"\n  sent:     {submission.describe()}"
            f"\n  got:      {response.status_code}"
            f"\n  problems: " + "\n            ".join(problems))

    for form in targets:
        for submission in _probes(form, extra if form.method == "post" else {}):
            check(form, Submission(submission.method, path, submission.encoding,
                                   submission.pairs))

    @settings(max_examples=EXAMPLES_PER_FORM, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.function_scoped_fixture])
    @given(data=st.data())
    def fuzz(data):
        form = data.draw(st.sampled_from(targets), label="form")
        pairs = data.draw(_fields(form, extra if form.method == "post" else {}), label="fields")
        encoding = data.draw(st.sampled_from(ENCODINGS if form.method == "post"
                                             else ("utf-8", "latin-1", "invalid utf-8")),
                             label="encoding")
        if any(isinstance(value, tuple) for _name, value in pairs):
            encoding = "multipart"
        invalid = data.draw(st.sampled_from([b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\x80",
                                             b"\xe9t\xe9", b"\xf4\x90\x80\x80"]))
        check(form, Submission(form.method, path, encoding, pairs), invalid)

    fuzz()
    tried = COUNTS[entry.id] = outcomes.total()
    print(f"\nform {entry.id}: {tried} inputs, 0 server errors ("
          + ", ".join(f"{outcome} {count}" for outcome, count in sorted(outcomes.items())) + ")")
