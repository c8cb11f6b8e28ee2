"""The self-scan's logic: from the answers in the session to facts, the competent
partnership and the assessment by the shared conditions module; help requests; carrying the
answers into an application."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from werkplek.catalog.models import ContactPoint, Programme
from werkplek.catalog.selectors import Routing, contact_point_for_province, route
from werkplek.conditions.adapters import sector_rules_from_partnership
from werkplek.conditions.rules import assess
from werkplek.conditions.types import (
    ApplicationFacts,
    Assessment,
    MentorFacts,
    SectorRules,
    TrainingStatus,
    WorkplaceFacts,
)

from .models import HelpRequest, SavedScan

SESSION_KEY = "selfscan"


def clean_answers(raw) -> dict:
    """The answers kept in the session, with anything malformed or out of date dropped (a
    programme that no longer exists, a value of the wrong shape): those pages are asked again."""
    if not isinstance(raw, dict):
        return {}
    answers = {k: v for k, v in raw.items() if isinstance(k, str)}
    if not (isinstance(answers.get("programme"), str) and Programme.objects.filter(
            code=answers["programme"], is_active=True).exists()):
        for key in ("programme", "activities"):
            answers.pop(key, None)
    for key in ("joint_committee", "province", "financial_capacity", "has_convictions",
                "filed_by", "mandate", "declaration"):
        if key in answers and not isinstance(answers[key], str):
            answers.pop(key)
    for key in ("activities", "extras", "extras_asked"):
        if key in answers and not (isinstance(answers[key], list)
                                   and all(isinstance(v, str) for v in answers[key])):
            answers.pop(key)
    mentors = answers.get("mentors")
    if mentors is not None:
        answers["mentors"] = [m for m in mentors if _sane_mentor(m)] \
            if isinstance(mentors, list) else []
    return answers


def _sane_mentor(mentor) -> bool:
    if not isinstance(mentor, dict):
        return False
    numbers_ok = all(mentor.get(k) is None or (isinstance(mentor.get(k), int)
                                                and not isinstance(mentor.get(k), bool))
                     for k in ("age", "years"))
    texts_ok = all(isinstance(mentor.get(k, ""), str) for k in ("extract", "proof", "training"))
    lists_ok = all(isinstance(mentor.get(k, []), list) for k in ("extras", "extras_asked"))
    return numbers_ok and texts_ok and lists_ok


def _tri(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


@dataclass(frozen=True)
class ScanContext:
    """Everything the later pages need: programme, routing, rules and contact point."""

    programme: Programme
    routing: Routing
    rules: SectorRules
    contact_point: ContactPoint | None


def scan_context(answers: dict) -> ScanContext | None:
    code = answers.get("programme")
    programme = (Programme.objects.select_related("sector")
                 .filter(code=code, is_active=True).first())
    if programme is None or "joint_committee" not in answers:
        return None
    committee = answers["joint_committee"]
    routing = route(
        joint_committee_number=None if committee == "unknown" else committee,
        programme_sector_code=programme.sector.code,
    )
    return ScanContext(
        programme=programme,
        routing=routing,
        rules=sector_rules_from_partnership(routing.partnership),
        contact_point=contact_point_for_province(answers.get("province", "")),
    )


def _documents(answers: dict, rules: SectorRules, scope: str) -> frozenset[str] | None:
    """The sector documents someone said they have; None when the sector's documents were
    never asked (for example after changing to another sector)."""
    wanted = {doc.code for doc in rules.extra_documents if doc.scope == scope}
    if not wanted <= set(answers.get("extras_asked", [])):
        return None
    return frozenset(answers.get("extras", []))


def mentor_facts(mentor: dict, index: int, rules: SectorRules | None = None) -> MentorFacts:
    training = mentor.get("training")
    proof = mentor.get("proof")
    return MentorFacts(
        name=_("Mentor %(number)s") % {"number": index + 1},
        age=mentor.get("age"),
        years_of_experience=mentor.get("years"),
        has_criminal_record_extract=_tri(mentor.get("extract")),
        # "not needed" says the mentor has the years: no proof is needed, none is claimed.
        has_prior_education_proof=False if proof == "na" else _tri(proof),
        training=TrainingStatus(training) if training in TrainingStatus else None,
        extra_documents=_documents(mentor, rules or SectorRules(), "mentor"),
    )


def assess_answers(answers: dict, context: ScanContext, *, on_day: date) -> Assessment:
    activities_total = len(context.programme.activities or [])
    workplace = WorkplaceFacts(
        financial_capacity=_tri(answers.get("financial_capacity")),
        has_convictions=_tri(answers.get("has_convictions")),
        activities_total=activities_total,
        activities_offered=(len(answers["activities"]) if "activities" in answers else None),
    )
    mentors = tuple(mentor_facts(m, i, context.rules)
                    for i, m in enumerate(answers.get("mentors", [])))
    filed_by = answers.get("filed_by")
    application = ApplicationFacts(
        on_day=on_day,
        filed_by_other=None if filed_by is None else filed_by == "other",
        has_mandate=_tri(answers.get("mandate")),
        declaration_on_honour=_tri(answers.get("declaration")),
        extra_documents=_documents(answers, context.rules, "application"),
    )
    return assess(workplace=workplace, mentors=mentors, application=application,
                  rules=context.rules)


def summary_text(answers: dict, context: ScanContext, assessment: Assessment, *,
                 on_day: date, language: str) -> str:
    """A plain-text summary of the scan, in the given language, for the contact point."""
    with override(language):
        lines = [
            _("Self-scan of %(date)s") % {"date": on_day.strftime("%d/%m/%Y")},
            _("Programme: %(name)s") % {"name": context.programme.name},
            _("Competent partnership: %(name)s") % {"name": context.routing.partnership.name},
            _("Overall result: %(status)s") % {"status": status_label(assessment.status)},
            "",
        ]
        for result in assessment.all_conditions:
            lines.append(f"- {result.title}: {status_label(result.status)}. {result.reason}")
        if assessment.documents_to_prepare:
            lines += ["", _("Documents to prepare:")]
            lines += [f"- {document}" for document in assessment.documents_to_prepare]
        return "\n".join(lines)


def status_label(status) -> str:
    return {
        "met": _("seems to be met"),
        "not_met": _("seems not to be met"),
        "unknown": _("cannot tell yet"),
    }[str(status)]


HELP_REQUESTS_PER_HOUR = 3


def too_many_help_requests(*, email: str) -> bool:
    """An anonymous form that sends e-mail: at most a few requests an hour per address."""
    since = timezone.now() - timedelta(hours=1)
    return HelpRequest.objects.filter(email__iexact=email, created_at__gte=since).count() \
        >= HELP_REQUESTS_PER_HOUR


@transaction.atomic
def request_help(*, contact_point: ContactPoint, name: str, email: str, phone: str,
                 enterprise_name: str, message: str, summary: str, language: str) -> HelpRequest:
    """Record the visitor's request and send it to the contact point through the task queue."""
    from .tasks import send_help_request

    help_request = HelpRequest.objects.create(
        contact_point=contact_point, name=name, email=email, phone=phone,
        enterprise_name=enterprise_name, message=message, summary=summary, language=language,
        consent_at=timezone.now(),
    )
    transaction.on_commit(lambda: send_help_request.enqueue(help_request.pk))
    return help_request


@transaction.atomic
def save_scan(*, user, answers: dict) -> SavedScan:
    """Keep the answers for the user's next application; the same answers are kept once."""
    latest = SavedScan.objects.filter(user=user, used_at__isnull=True).first()
    if latest is not None and latest.answers == answers:
        return latest
    programme = Programme.objects.filter(code=answers.get("programme")).first()
    return SavedScan.objects.create(user=user, answers=answers, programme=programme)
