"""The declaration on honour (verklaring op eer): a pre-filled PDF the enterprise prints, signs
and uploads with its application (one per application).

The PDF is rendered with WeasyPrint from an HTML template as an accessible, tagged PDF/UA-1
document. It shows the mentors by name only: never their national register number.
"""

from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from werkplek.applications.models import Application

TEMPLATE = "applications/pdf/declaration.html"
PDF_VARIANT = "pdf/ua-1"


class _NoFetching(URLFetcher):
    """Refuses every URL: the declaration embeds no remote (or local) resources, so a template
    change that adds one fails loudly instead of fetching it at render time."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), fail_on_errors=True)


def declaration_context(application: Application) -> dict:
    """What the template shows; related objects are read once, in the active language."""
    return {
        "application": application,
        "enterprise": application.enterprise,
        "unit": application.unit,
        "programme": application.programme,
        "mentor_names": [
            entry.mentor.full_name
            for entry in application.mentors.select_related("mentor").order_by("pk")
        ],
        "today": timezone.localdate(),
    }


def render_declaration_pdf(application: Application, *, language: str) -> bytes:
    """Render the pre-filled declaration on honour of `application` in `language` ("nl"/"en")."""
    with translation.override(language):
        html = render_to_string(TEMPLATE, declaration_context(application))
    document = HTML(string=html, url_fetcher=_NoFetching())
    return document.write_pdf(pdf_variant=PDF_VARIANT)
