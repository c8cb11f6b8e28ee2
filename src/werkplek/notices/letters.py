"""The decision letter as an accessible PDF (PDF/UA-1), rendered with WeasyPrint from a template
per decision kind (`notices/letters/approval.html`, `refusal.html`, sharing `base.html`).

The letter is in the enterprise's language. It names the confirmed mentors by name only: never
their national register number.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from werkplek.catalog.models import Partnership
from werkplek.core.deadlines import local_day

from .models import Letter

PDF_VARIANT = "pdf/ua-1"
TEMPLATES = {
    Letter.Kind.APPROVAL: "notices/letters/approval.html",
    Letter.Kind.REFUSAL: "notices/letters/refusal.html",
}


class _NoFetching(URLFetcher):
    """Refuses every URL: the letter embeds no remote or local resources, so a template change
    that adds one fails loudly instead of fetching it while rendering."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), fail_on_errors=True)


def letter_context(letter: Letter) -> dict:
    """What the letter shows; read in the active language (names of programme, partnership)."""
    application = letter.application
    context = {
        "letter": letter,
        "application": application,
        "partnership": application.partnership,
        "enterprise": application.enterprise,
        "unit": application.unit,
        "programme": application.programme,
        "submitted_on": local_day(application.submitted_at) if application.submitted_at
        else None,
        "decided_on": local_day(application.decided_at) if application.decided_at else None,
        "decided_by": application.decided_by,
        "status_url": settings.SITE_URL + reverse("applications:detail",
                                                  args=[application.pk]),
    }
    if letter.kind == Letter.Kind.APPROVAL:
        from werkplek.recognitions.models import Recognition

        recognition = (Recognition.objects.filter(application=application)
                       .prefetch_related("mentor_links__mentor").first())
        context["recognition"] = recognition
        context["mentor_names"] = [
            link.mentor.full_name for link in recognition.mentor_links.all() if link.is_active
        ] if recognition else []
    else:
        context["appeal_body"] = Partnership.objects.filter(
            kind=Partnership.Kind.FLEMISH).order_by("pk").first()
    return context


def render_letter_pdf(letter: Letter) -> bytes:
    """Render `letter` in its own language; the active language is left alone."""
    with translation.override(letter.language):
        html = render_to_string(TEMPLATES[letter.kind], letter_context(letter))
    return HTML(string=html, url_fetcher=_NoFetching()).write_pdf(pdf_variant=PDF_VARIANT)
