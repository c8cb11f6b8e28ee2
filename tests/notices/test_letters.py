"""The decision letter: an accessible PDF in the enterprise's language with everything the
decision needs to say, and never a national register number."""

import io
import re

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from werkplek.core.deadlines import appeal_deadline
from werkplek.notices.letters import render_letter_pdf
from werkplek.notices.models import Letter

from .conftest import JAN_COMPACT, JAN_FORMATTED, REASONS, issue

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() or "" for page in reader.pages))


def in_language(language: str, msgid: str) -> str:
    with translation.override(language):
        return gettext(msgid)


def short(day) -> str:
    return day.strftime("%d/%m/%Y")


def test_an_approval_letter_says_what_was_decided(approved):
    approved.enterprise.language = "en"
    approved.enterprise.save()
    letter = issue(approved)
    assert (letter.kind, letter.language) == (Letter.Kind.APPROVAL, "en")
    assert letter.appeal_until is None

    text = pdf_text(render_letter_pdf(letter))

    partnership = approved.partnership
    assert partnership.name_en in text
    assert partnership.email in text and partnership.phone in text
    for value in (letter.reference, approved.reference, short(letter.dated_on),
                  short(timezone.localdate(approved.submitted_at)),
                  short(timezone.localdate(approved.decided_at)),
                  approved.enterprise.name, approved.enterprise.formatted_number,
                  approved.unit.name, approved.unit.formatted_number, approved.unit.street,
                  approved.programme.name_en, REASONS["approve"], "Jan Peeters"):
        assert value in text, value
    assert "The application is approved." in text
    recognition = approved.recognition
    assert (f"valid from {short(recognition.valid_from)} up to and including "
            f"{short(recognition.valid_until)}") in text
    assert "appeal" not in text.lower()


def test_a_refusal_letter_states_the_appeal_route_and_its_last_day(refused):
    refused.enterprise.language = "en"
    refused.enterprise.save()
    letter = issue(refused)
    assert letter.kind == Letter.Kind.REFUSAL
    assert letter.appeal_until == appeal_deadline(timezone.localdate()).day
    assert letter.appeal_rule == "appeal:10-calendar-days"

    text = pdf_text(render_letter_pdf(letter))

    assert "The application is refused." in text
    assert REASONS["refuse"] in text
    assert "Only the enterprise may appeal" in text
    assert "appeal committee (beroepscommissie) of the Flemish Partnership for Dual Learning" \
        in text
    assert "within 10 calendar days of receiving this letter" in text
    assert f"at the latest on {short(letter.appeal_until)}" in text
    assert "erkenning@vpdl.partnerschap.example" in text  # where to send the appeal
    assert "Confirmed mentors" not in text


def test_the_letter_is_in_the_enterprise_language(approved):
    assert approved.enterprise.language == "nl"
    letter = issue(approved)
    assert letter.language == "nl"

    text = pdf_text(render_letter_pdf(letter))

    assert approved.partnership.name_nl in text
    assert approved.programme.name_nl in text
    assert in_language("nl", "The application is approved.") in text
    assert in_language("nl", "Confirmed mentors") in text


@pytest.mark.parametrize(("language", "greeting"), [("nl", "Beste {name},"),
                                                    ("en", "Dear {name},")])
def test_the_letter_greets_the_enterprise_by_name(approved, language, greeting):
    approved.enterprise.language = language
    approved.enterprise.save()

    text = pdf_text(render_letter_pdf(issue(approved)))

    assert greeting.format(name=approved.enterprise.name) in text
    assert "mevrouw" not in text.lower() and "sir or madam" not in text.lower()


def test_rendering_leaves_the_active_language_alone(approved):
    letter = issue(approved)
    with translation.override("en"):
        render_letter_pdf(letter)
        assert translation.get_language() == "en"


def test_the_letter_never_shows_a_national_register_number(approved):
    text = pdf_text(render_letter_pdf(issue(approved)))

    assert "Jan Peeters" in text
    assert JAN_COMPACT not in text
    assert JAN_FORMATTED not in text
    assert JAN_COMPACT not in re.sub(r"\D", "", text)


@pytest.mark.parametrize("fixture", ["approved", "refused"])
def test_the_letter_is_an_accessible_tagged_pdf(request, fixture):
    application = request.getfixturevalue(fixture)
    letter = issue(application)
    reader = PdfReader(io.BytesIO(render_letter_pdf(letter)))
    catalog = reader.trailer["/Root"]

    assert catalog["/Lang"] == "nl"
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert reader.metadata.title.endswith(application.reference)
    roles = set()

    def walk(node):
        node = node.get_object()
        if "/S" in node:
            roles.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                walk(kid)

    walk(catalog["/StructTreeRoot"])
    assert {"/H1", "/H2", "/Table", "/TH"} <= roles  # real headings and table headers
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4
