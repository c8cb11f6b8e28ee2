"""The application's check: its data as plain facts for the shared conditions module, and the
problems that block submission, each tied to the task-list section where it is fixed."""

from django.utils import timezone
from django.utils.translation import gettext as _

from werkplek.catalog.selectors import Routing, route
from werkplek.conditions.adapters import sector_rules_from_partnership
from werkplek.conditions.rules import assess
from werkplek.conditions.types import (
    ApplicationFacts,
    Assessment,
    MentorFacts,
    SectorRules,
    Status,
    TrainingStatus,
    WorkplaceFacts,
)

from .models import Application, Document

# Where each condition is answered in the task list.
SECTION_OF_CONDITION = {
    "financial_capacity": "workplace",
    "no_convictions": "workplace",
    "extra_documents": "workplace",
    "infrastructure": "programme",
    "mentor": "mentors",
    "declaration_on_honour": "declaration",
    "mandate": "mandate",
}


def routing_for(application: Application) -> Routing | None:
    if application.unit is None or application.programme is None:
        return None
    committee = application.unit.joint_committee
    return route(joint_committee_number=committee.number if committee else None,
                 programme_sector_code=application.programme.sector.code)


def rules_for(application: Application) -> SectorRules:
    routing = routing_for(application)
    return sector_rules_from_partnership(routing.partnership if routing else None)


def facts(application: Application, rules: SectorRules, *, entries=None):
    """The facts of the application for the conditions module. `entries`: its mentor entries
    (`ApplicationMentor`, in their order, with their mentor), when the caller has read them
    already (the case page): then they are not read again."""
    documents = list(application.documents.all())
    by_mentor: dict[int, set[str]] = {}
    extras_by_mentor: dict[int, set[str]] = {}
    application_extras: set[str] = set()
    for document in documents:
        if document.mentor_id:
            by_mentor.setdefault(document.mentor_id, set()).add(document.kind)
            if document.kind == Document.Kind.SECTOR_EXTRA:
                extras_by_mentor.setdefault(document.mentor_id, set()).add(document.extra_code)
        elif document.kind == Document.Kind.SECTOR_EXTRA:
            application_extras.add(document.extra_code)
    kinds = {d.kind for d in documents if d.mentor_id is None}
    total = len(application.programme.activities or []) if application.programme else 0
    workplace = WorkplaceFacts(
        financial_capacity=application.financial_capacity,
        has_convictions=application.has_convictions,
        activities_total=total,
        activities_offered=(len(application.activities_offered)
                            if application.activities_offered is not None else None),
        infrastructure_fits=application.infrastructure_fits,
    )
    mentors = []
    if entries is None:
        entries = application.mentors.select_related("mentor")
    for entry in entries:
        mentor_kinds = by_mentor.get(entry.pk, set())
        short = entry.years_of_experience < rules.min_experience_years
        mentors.append(MentorFacts(
            name=entry.mentor.full_name,
            birth_date=entry.mentor.birth_date,
            years_of_experience=entry.years_of_experience,
            has_criminal_record_extract=Document.Kind.CRIMINAL_RECORD_EXTRACT in mentor_kinds,
            has_prior_education_proof=(Document.Kind.PRIOR_EDUCATION_PROOF in mentor_kinds
                                       if short else None),
            training=TrainingStatus(entry.training),
            extra_documents=frozenset(extras_by_mentor.get(entry.pk, set())),
        ))
    filed_by_other = application.filed_by == Application.FiledBy.COACH
    has_mandate = None
    if filed_by_other:
        from werkplek.enterprises.selectors import valid_mandate

        has_mandate = valid_mandate(user=application.created_by,
                                    enterprise=application.enterprise, unit=application.unit,
                                    purpose="file_applications",
                                    include_pending=True) is not None
    application_facts = ApplicationFacts(
        on_day=timezone.localdate(),
        filed_by_other=filed_by_other,
        has_mandate=has_mandate,
        declaration_on_honour=Document.Kind.DECLARATION_ON_HONOUR in kinds,
        extra_documents=frozenset(application_extras),
    )
    return workplace, tuple(mentors), application_facts


def assessment(application: Application, *, entries=None) -> Assessment:
    """The check of the application; `entries` as in `facts`."""
    rules = rules_for(application)
    workplace, mentors, application_facts = facts(application, rules, entries=entries)
    return assess(workplace=workplace, mentors=mentors, application=application_facts,
                  rules=rules)


def blocking_problems(application: Application) -> list[tuple[str, str]]:
    """Everything that keeps the application from being submitted, per section."""
    problems: list[tuple[str, str]] = []
    if application.unit is None:
        problems.append(("unit", _("Choose the establishment unit.")))
    if application.programme is None:
        problems.append(("programme", _("Choose the programme.")))
    if problems:
        return problems
    from werkplek.recognitions.models import Recognition
    from werkplek.recognitions.services import banned_programme_ids, exclusion_in_force

    exclusion = exclusion_in_force(enterprise_id=application.enterprise_id,
                                   unit_id=application.unit_id)
    if exclusion is not None:
        if exclusion.ends_on:
            text = _("The enterprise or this establishment unit is excluded until %(date)s "
                     "(sanction %(reference)s): no application can be submitted before then.") % {
                "date": exclusion.ends_on.strftime("%d/%m/%Y"), "reference": exclusion.reference}
        else:
            text = _("The enterprise or this establishment unit is excluded for good (sanction "
                     "%(reference)s): no application can be submitted.") % {
                "reference": exclusion.reference}
        problems.append(("unit", text))
    active = Recognition.objects.filter(unit_id=application.unit_id,
                                        programme_id=application.programme_id,
                                        state=Recognition.State.ACTIVE).first()
    if active is not None and active.pk != application.renews_id:
        problems.append(("programme", _(
            "This establishment unit is already recognised for this programme until %(date)s.")
            % {"date": active.valid_until.strftime("%d/%m/%Y")}))
    for entry in application.mentors.select_related("mentor"):
        if application.programme_id in banned_programme_ids(entry.mentor_id):
            problems.append(("mentors", _(
                "%(name)s may no longer coach learners for this programme (mentor ban): name "
                "another mentor.") % {"name": entry.mentor.full_name}))
    result = assessment(application)
    for condition in result.all_conditions:
        if condition.status != Status.MET:
            section = SECTION_OF_CONDITION.get(condition.code, "workplace")
            text = f"{condition.title}: {condition.reason}"
            if condition.next_step:
                text += f" {condition.next_step}"
            problems.append((section, text))
    return problems


def extra_documents(application: Application, scope: str):
    """The competent partnership's extra documents for `scope` ("application" or "mentor")."""
    return [d for d in rules_for(application).extra_documents if d.scope == scope]


def section_states(application: Application) -> dict[str, str]:
    """not_started / in_progress / completed per task-list section: whether it is answered.
    Whether the answers meet the conditions is shown on the check page."""
    documents = list(application.documents.all())
    states = {"unit": "completed" if application.unit_id else "not_started"}
    if application.programme_id is None:
        states["programme"] = "not_started"
    else:
        states["programme"] = ("completed" if application.activities_offered is not None
                               else "in_progress")
    answered = [application.financial_capacity, application.has_convictions,
                application.infrastructure_fits]
    wanted = {d.code for d in extra_documents(application, "application")}
    uploaded = {d.extra_code for d in documents
                if d.kind == Document.Kind.SECTOR_EXTRA and d.mentor_id is None}
    if all(a is None for a in answered) and not uploaded:
        states["workplace"] = "not_started"
    else:
        states["workplace"] = ("completed" if None not in answered and wanted <= uploaded
                               else "in_progress")
    entries = list(application.mentors.all())
    if not entries:
        states["mentors"] = "not_started"
    else:
        def complete(entry) -> bool:
            kinds = {d.kind for d in documents if d.mentor_id == entry.pk}
            return (Document.Kind.CRIMINAL_RECORD_EXTRACT in kinds
                    and (not entry.derogation_requested
                         or Document.Kind.PRIOR_EDUCATION_PROOF in kinds))
        states["mentors"] = "completed" if all(complete(e) for e in entries) else "in_progress"
    states["declaration"] = ("completed" if any(
        d.kind == Document.Kind.DECLARATION_ON_HONOUR for d in documents) else "not_started")
    if application.filed_by == Application.FiledBy.COACH:
        from werkplek.enterprises.selectors import valid_mandate

        states["mandate"] = ("completed" if valid_mandate(
            user=application.created_by, enterprise=application.enterprise,
            unit=application.unit, purpose="file_applications", include_pending=True)
            else "in_progress")
    return states
