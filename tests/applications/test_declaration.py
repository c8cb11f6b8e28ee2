"""The pre-filled declaration on honour: a PDF with the application's data, in the user's language,
naming the mentors without their national register number."""

import io
import re

import pytest
from pypdf import PdfReader

from werkplek.applications.declaration import render_declaration_pdf

pytestmark = pytest.mark.django_db

JAN_COMPACT = "80051412308"
JAN_FORMATTED = "80.05.14-123.08"


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def test_pdf_is_a_pdf_with_the_application_data(ready_draft):
    pdf = render_declaration_pdf(ready_draft, language="en")

    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert "Declaration on honour" in text
    assert ready_draft.enterprise.name in text
    assert ready_draft.enterprise.formatted_number in text
    assert ready_draft.unit.formatted_number in text
    assert ready_draft.unit.joint_committee.number in text
    assert ready_draft.programme.name_en in text
    assert "Jan Peeters" in text
    assert "Upload the signed declaration in your application in Werkplek." in text
    for line in ("Name of the signatory", "Capacity (function)", "Place", "Signature"):
        assert line in text


def test_pdf_is_in_dutch_when_asked(ready_draft):
    text = _text(render_declaration_pdf(ready_draft, language="nl"))

    assert "Verklaring op eer" in text
    assert "Declaration on honour" not in text
    assert ready_draft.programme.name_nl in text
    assert ready_draft.unit.formatted_number in text
    assert "Jan Peeters" in text


def test_rendering_leaves_the_active_language_alone(ready_draft):
    from django.utils import translation

    render_declaration_pdf(ready_draft, language="nl")

    assert translation.get_language() == "en"


def test_pdf_never_shows_a_national_register_number(ready_draft):
    text = _text(render_declaration_pdf(ready_draft, language="en"))
    digits = re.sub(r"\D", "", text)

    assert JAN_COMPACT not in text
    assert JAN_FORMATTED not in text
    assert JAN_COMPACT not in digits


def test_a_draft_without_unit_programme_or_mentors_renders_too(draft):
    assert draft.unit is None and draft.programme is None and not draft.mentors.exists()

    pdf = render_declaration_pdf(draft, language="en")

    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert draft.enterprise.name in text
    assert "—" in text
    assert f"Draft no. {draft.pk}" in text


def test_pdf_is_an_accessible_tagged_pdf_with_title_and_language(ready_draft):
    reader = PdfReader(io.BytesIO(render_declaration_pdf(ready_draft, language="nl")))
    catalog = reader.trailer["/Root"]

    assert catalog["/Lang"] == "nl"
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert reader.metadata.title.startswith("Verklaring op eer")
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points
