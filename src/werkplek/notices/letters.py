"""The official letters as accessible PDFs (PDF/UA-1), rendered with WeasyPrint from a template
per kind, all sharing `notices/letters/base.html`:

- the decision on an application (`approval.html`, `refusal.html`), on the letterhead of the
  partnership that decided;
- a sanction (`sanction.html`), on the letterhead of the partnership that imposed it;
- the receipt, the admissibility and the decision of an appeal (`appeal_receipt.html`,
  `appeal_admissibility.html`, `appeal_decision.html`), on the letterhead of the Flemish
  Partnership, which hosts the appeal committee.

The letter is in the enterprise's language. It names people (mentors, signatories) by name
only: never their national register number.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from werkplek.catalog.models import Partnership
from werkplek.core.deadlines import local_day

from .models import Letter

PDF_VARIANT = "pdf/ua-1"
TEMPLATES = {
    Letter.Kind.APPROVAL: "notices/letters/approval.html",
    Letter.Kind.REFUSAL: "notices/letters/refusal.html",
    Letter.Kind.SANCTION: "notices/letters/sanction.html",
    Letter.Kind.APPEAL_RECEIPT: "notices/letters/appeal_receipt.html",
    Letter.Kind.APPEAL_ADMISSIBILITY: "notices/letters/appeal_admissibility.html",
    Letter.Kind.APPEAL_DECISION: "notices/letters/appeal_decision.html",
}


class _NoFetching(URLFetcher):
    """Refuses every URL: the letter embeds no remote or local resources, so a template change
    that adds one fails loudly instead of fetching it while rendering."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), fail_on_errors=True)


def appeal_body() -> Partnership | None:
    """The Flemish Partnership for Dual Learning, which hosts the appeal committee (the first
    one, should there be more)."""
    return Partnership.objects.filter(kind=Partnership.Kind.FLEMISH).order_by("pk").first()


def appealed_decision(appeal) -> str:
    """What an appeal is against, in the active language: "the refusal of application …" or
    "sanction … (withdrawal of the recognition)"."""
    if appeal.application_id:
        return _("the refusal of application %(reference)s") % {
            "reference": appeal.application.reference}
    return _("sanction %(reference)s (%(kind)s)") % {
        "reference": appeal.sanction.reference, "kind": appeal.sanction.get_kind_display()}


def sanction_effects(sanction) -> list[str]:
    """What the sanction changed, in plain words (from its recorded `effects`)."""
    effects = sanction.effects or {}
    counts = (
        (len(effects.get("recognitions", [])),
         lambda n: ngettext("%(count)d recognition ended.", "%(count)d recognitions ended.", n)),
        (len(effects.get("agreements_ended", [])),
         lambda n: ngettext("%(count)d running agreement ended early.",
                            "%(count)d running agreements ended early.", n)),
        (len(effects.get("agreements_reassigned", [])),
         lambda n: ngettext("%(count)d running agreement got another mentor.",
                            "%(count)d running agreements got another mentor.", n)),
    )
    lines = [text(count) % {"count": count} for count, text in counts if count]
    return lines or [_("No recognition or agreement was changed.")]


def _application_context(letter: Letter) -> dict:
    application = letter.application
    context = {
        "application": application,
        "subject_reference": application.reference,
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
        context["appeal_body"] = appeal_body()
    return context


def _sanction_context(letter: Letter) -> dict:
    sanction = letter.sanction
    recognition = sanction.recognition
    return {
        "sanction": sanction,
        "subject_reference": sanction.reference,
        "recognition": recognition,
        "partnership": sanction.partnership,
        "enterprise": sanction.enterprise,
        "unit": recognition.unit,
        "programme": recognition.programme,
        "support_action": sanction.support_action,
        "mentor_name": sanction.mentor.full_name if sanction.mentor_id else "",
        "ban_programmes": [programme.name for programme in sanction.programmes.all()],
        "effects": sanction_effects(sanction),
        "decided_by": sanction.imposed_by,
        "appeal_body": appeal_body(),
        "status_url": settings.SITE_URL + reverse("recognitions:detail",
                                                  args=[recognition.pk]),
    }


def _appeal_context(letter: Letter) -> dict:
    appeal = letter.appeal
    host = appeal_body()
    if appeal.application_id:
        appealed = appeal.application
        unit, programme = appealed.unit, appealed.programme
    else:
        appealed = appeal.sanction
        unit, programme = appealed.recognition.unit, appealed.recognition.programme
    context = {
        "appeal": appeal,
        "subject_reference": appeal.reference,
        "partnership": host or appeal.partnership,
        "appeal_body": host,
        "enterprise": appeal.enterprise,
        "unit": unit,
        "programme": programme,
        "appealed": appealed,
        "against": appealed_decision(appeal),
        "filed_on": local_day(appeal.filed_at),
        "status_url": settings.SITE_URL + reverse("appeals:detail", args=[appeal.pk]),
        "decided_by": None,
    }
    if letter.kind == Letter.Kind.APPEAL_ADMISSIBILITY:
        context["decided_by"] = appeal.admissibility_decided_by
    elif letter.kind == Letter.Kind.APPEAL_DECISION:
        context["decided_by"] = appeal.decided_by
        from werkplek.appeals.models import AppealEvent

        decided = appeal.events.filter(kind=AppealEvent.Kind.OVERTURNED).order_by("-pk").first()
        # What the overturning could not bring about (the letter says so plainly).
        context["not_applied"] = decided.data.get("not_applied", []) if decided else []
        reversed_ = decided.data.get("reversed", {}) if decided else {}
        context["not_restored"] = len(reversed_.get("not_restored", []))
        if appeal.application_id:
            from werkplek.recognitions.models import Recognition

            context["recognition"] = Recognition.objects.filter(
                application_id=appeal.application_id).first()
    return context


def letter_context(letter: Letter) -> dict:
    """What the letter shows; read in the active language (names of programme, partnership,
    kinds and reasons of choices)."""
    if letter.application_id:
        context = _application_context(letter)
    elif letter.sanction_id:
        context = _sanction_context(letter)
    else:
        context = _appeal_context(letter)
    return {"letter": letter, **context}


def render_letter_pdf(letter: Letter) -> bytes:
    """Render `letter` in its own language; the active language is left alone."""
    with translation.override(letter.language):
        html = render_to_string(TEMPLATES[letter.kind], letter_context(letter))
    return HTML(string=html, url_fetcher=_NoFetching()).write_pdf(pdf_variant=PDF_VARIANT)
