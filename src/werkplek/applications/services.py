"""Every change of an application is one function here: keyword-only arguments, the acting
user first, one transaction, the permission checked inside, an event for the timeline, and
jobs enqueued on commit. The web views and (later) the API call the same functions."""

from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from werkplek.accounts.models import Membership, Role
from werkplek.catalog.models import Programme
from werkplek.core.deadlines import decision_deadline
from werkplek.enterprises.models import Enterprise, EstablishmentUnit

from . import checks
from .models import Application, ApplicationEvent, Document, ReferenceSequence


class SubmissionBlocked(ValidationError):
    """The application cannot be submitted yet: `problems` lists (section, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__([message for _section, message in problems], code="blocked")


# --- who may act ----------------------------------------------------------------------------


def acting_role(user, enterprise: Enterprise, *,
                unit: EstablishmentUnit | None = None) -> str | None:
    """How `user` may act for `enterprise`: "enterprise" (its representative or employer
    staff), "coach" (a learner coach with a valid mandate to file), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if Membership.objects.filter(user=user, enterprise=enterprise, is_active=True,
                                 role__in=[Role.REPRESENTATIVE, Role.EMPLOYER]).exists():
        return Application.FiledBy.ENTERPRISE
    from werkplek.enterprises.selectors import valid_mandate

    if valid_mandate(user=user, enterprise=enterprise, unit=unit,
                     purpose="file_applications", include_pending=True) is not None:
        return Application.FiledBy.COACH
    return None


def editable(application: Application, section: str | None) -> bool:
    """A draft can be changed everywhere; an application waiting for completion only in the
    sections the partnership asked to complete."""
    if application.state == Application.State.DRAFT:
        return True
    return (application.state == Application.State.WAITING and section is not None
            and section in (application.completion_sections or []))


def _require_editor(user, application: Application, section: str | None = None) -> str:
    role = acting_role(user, application.enterprise, unit=application.unit)
    if role is None:
        raise PermissionDenied(_("You may not change applications of this enterprise."))
    # Lock the row and judge the state it has now, not the one the page was loaded with: an
    # edit from a second tab racing the submission waits for it, and is then refused.
    current = SimpleNamespace(**Application.objects.select_for_update(of=("self",)).filter(
        pk=application.pk).values("state", "completion_sections").get())
    if not editable(current, section):
        raise ValidationError(_("This application has been submitted and can no longer be "
                                "changed."), code="not_draft")
    return role


def _event(application, kind, *, actor, message="", data=None, from_state="", to_state=""):
    return ApplicationEvent.objects.create(
        application=application, kind=kind, actor=actor, message=message, data=data or {},
        from_state=from_state, to_state=to_state,
    )


# --- drafting -------------------------------------------------------------------------------


@transaction.atomic
def create_draft(*, actor, enterprise: Enterprise, scan=None) -> Application:
    """A new draft for the enterprise, prefilled from a self-scan when one is given."""
    role = acting_role(actor, enterprise)
    if role is None:
        raise PermissionDenied(_("You may not apply for this enterprise."))
    application = Application.objects.create(enterprise=enterprise, created_by=actor,
                                             filed_by=role)
    if scan is not None and scan.user_id == actor.pk:
        _prefill_from_scan(application, scan)
    _event(application, ApplicationEvent.Kind.CREATED, actor=actor,
           to_state=Application.State.DRAFT,
           data={"from_scan": scan.pk} if scan is not None else {})
    return application


@transaction.atomic
def start_application(*, actor, enterprise: Enterprise, scan=None, mandate_document=None,
                      mandate_valid_until=None) -> Application:
    """A new draft; a learner coach without a mandate in Werkplek first files the mandate
    document the enterprise signed (checked later by the partnership)."""
    if mandate_document is not None:
        from werkplek.enterprises.services import file_mandate_document

        file_mandate_document(actor=actor, enterprise=enterprise, upload=mandate_document,
                              valid_until=mandate_valid_until)
    return create_draft(actor=actor, enterprise=enterprise, scan=scan)


def _prefill_from_scan(application: Application, scan) -> None:
    answers = scan.answers or {}
    programme = Programme.objects.filter(code=answers.get("programme"), is_active=True).first()
    if programme is not None:
        application.programme = programme
        activities = answers.get("activities")
        if isinstance(activities, list):
            application.activities_offered = sorted(
                int(a) for a in activities if str(a).isdigit())
    yes_no = {"yes": True, "no": False}
    application.financial_capacity = yes_no.get(answers.get("financial_capacity"))
    application.has_convictions = yes_no.get(answers.get("has_convictions"))
    application.scan = scan
    application.save()
    scan.used_at = timezone.now()
    scan.save(update_fields=["used_at"])


@transaction.atomic
def save_unit(*, actor, application: Application, unit: EstablishmentUnit) -> Application:
    _require_editor(actor, application, "unit")
    if unit.enterprise_id != application.enterprise_id:
        raise ValidationError(_("This establishment unit does not belong to the enterprise."),
                              code="other_enterprise")
    if acting_role(actor, application.enterprise, unit=unit) is None:
        raise PermissionDenied(_("Your mandate does not cover this establishment unit."))
    if application.renews_id and unit.pk != application.renews.unit_id:
        raise ValidationError(_("A renewal is for the establishment unit and programme of the "
                                "recognition it renews: start a new application for another "
                                "one."), code="renewal")
    application.unit = unit
    application.save(update_fields=["unit", "updated_at"])
    return application


@transaction.atomic
def save_programme(*, actor, application: Application, programme: Programme,
                   activities_offered: list[int] | None) -> Application:
    """The programme and the activities the workplace offers (None: not confirmed yet)."""
    _require_editor(actor, application, "programme")
    if not programme.is_active:
        raise ValidationError(_("This programme is no longer offered."), code="inactive")
    if application.renews_id and programme.pk != application.renews.programme_id:
        raise ValidationError(_("A renewal is for the establishment unit and programme of the "
                                "recognition it renews: start a new application for another "
                                "one."), code="renewal")
    total = len(programme.activities or [])
    if activities_offered is not None and any(
            not 0 <= index < total for index in activities_offered):
        raise ValidationError(_("Choose activities from the programme's list."),
                              code="activity")
    application.programme = programme
    application.activities_offered = (sorted(set(activities_offered))
                                      if activities_offered is not None else None)
    application.save(update_fields=["programme", "activities_offered", "updated_at"])
    return application


@transaction.atomic
def save_workplace(*, actor, application: Application, financial_capacity: bool,
                   has_convictions: bool, infrastructure_fits: bool | None = None
                   ) -> Application:
    _require_editor(actor, application, "workplace")
    application.financial_capacity = financial_capacity
    application.has_convictions = has_convictions
    application.infrastructure_fits = infrastructure_fits
    application.save(update_fields=["financial_capacity", "has_convictions",
                                    "infrastructure_fits", "updated_at"])
    return application


# --- submitting -----------------------------------------------------------------------------


def next_reference(year: int) -> str:
    """The next reference of the year, allocated under a row lock (never twice)."""
    try:
        with transaction.atomic():  # the first submission of a year creates the row
            ReferenceSequence.objects.get_or_create(year=year)
    except IntegrityError:
        pass  # another submission created it at the same moment
    sequence = ReferenceSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"WP-{year}-{sequence.last:06d}"


def open_duplicate(application: Application) -> Application | None:
    """Another application for the same unit and programme that is still open."""
    return (Application.objects.filter(unit=application.unit, programme=application.programme,
                                       state__in=Application.OPEN_STATES)
            .exclude(pk=application.pk).first())


@transaction.atomic
def submit(*, actor, application_id: int) -> Application:
    """Submit a draft: check every condition again, route it, give it a reference and a
    deadline. Idempotent: submitting an already submitted application returns it unchanged."""
    application = (Application.objects.select_for_update(of=("self",))
                   .select_related("enterprise", "unit__joint_committee", "programme__sector")
                   .get(pk=application_id))
    if acting_role(actor, application.enterprise, unit=application.unit) is None:
        raise PermissionDenied(_("You may not submit applications of this enterprise."))
    if application.state == Application.State.SUBMITTED:
        return application  # a double click, a retry or a second tab: nothing happens twice
    if application.state != Application.State.DRAFT:
        raise ValidationError(_("This application can no longer be submitted."),
                              code="not_draft")
    problems = checks.blocking_problems(application)
    if problems:
        raise SubmissionBlocked(problems)
    duplicate = open_duplicate(application)
    if duplicate is not None:
        raise SubmissionBlocked([("programme", _(
            "An application for this establishment unit and programme is already open "
            "(%(reference)s).") % {"reference": duplicate.reference})])

    now = timezone.now()
    with override("nl"):  # the stored explanation is the official (Dutch) one
        routing = checks.routing_for(application)
    deadline = decision_deadline(now)
    explanation = routing.explanation
    application.submit()
    application.reference = next_reference(timezone.localdate(now).year)
    application.submitted_at = now
    application.submitted_by = actor
    application.decision_deadline = deadline.day
    application.deadline_rule = deadline.rule
    application.partnership = routing.partnership
    application.routing_rule = routing.rule
    application.routing_explanation = explanation[:300]
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:  # another submission for this unit and programme won
        raise SubmissionBlocked([("programme", _(
            "An application for this establishment unit and programme has just been "
            "submitted."))]) from error
    _event(application, ApplicationEvent.Kind.SUBMITTED, actor=actor,
           from_state=Application.State.DRAFT, to_state=Application.State.SUBMITTED,
           data={"reference": application.reference,
                 "deadline": application.decision_deadline.isoformat(),
                 "deadline_rule": deadline.rule})
    _event(application, ApplicationEvent.Kind.ROUTED, actor=None,
           message=explanation,
           data={"partnership": routing.partnership.code,
                 "rule": routing.rule.name if routing.rule else None})
    from .tasks import send_receipt

    transaction.on_commit(lambda: send_receipt.enqueue(application.pk))
    return application


@transaction.atomic
def withdraw(*, actor, application_id: int, reason: str = "") -> Application:
    application = Application.objects.select_for_update(of=("self",)).get(pk=application_id)
    if acting_role(actor, application.enterprise, unit=application.unit) is None:
        raise PermissionDenied(_("You may not withdraw applications of this enterprise."))
    if "\x00" in reason:  # PostgreSQL cannot store it in a text
        raise ValidationError(_("The reason cannot contain a null character (an invisible "
                                "control character). Remove it and try again."),
                              code="null_character")
    if application.state == Application.State.WITHDRAWN:
        return application
    previous = application.state
    application.withdraw()
    application.save()
    _event(application, ApplicationEvent.Kind.WITHDRAWN, actor=actor, message=reason,
           from_state=previous, to_state=Application.State.WITHDRAWN)
    return application


# --- mentors and documents ------------------------------------------------------------------


def _delete_documents(documents) -> None:
    """Delete document rows now and their files once the transaction has committed."""
    from werkplek.core.uploads import delete_stored_files_on_commit

    names = list(documents.values_list("file", flat=True))
    documents.delete()
    delete_stored_files_on_commit(names)


def _store_document(*, actor, application: Application, kind: str, upload,
                    entry=None, extra_code: str = "") -> Document:
    """Keep one checked upload (`upload.checked` from DocumentField), replacing the previous
    document of the same kind for the same mentor or sector document."""

    _delete_documents(application.documents.filter(kind=kind, mentor=entry,
                                                   extra_code=extra_code))
    document = Document(application=application, kind=kind, mentor=entry,
                        extra_code=extra_code)
    document.store(upload, actor=actor)
    return document


@transaction.atomic
def save_mentor(*, actor, application: Application, entry=None, existing_mentor=None,
                first_name: str = "", last_name: str = "", national_number: str = "",
                years_of_experience: int, training: str, derogation_requested: bool,
                extract=None, proof=None, extras: dict | None = None):
    """Add a mentor to the application (a known one of the enterprise, or a new one), or
    change one; with the mentor's documents. Returns the ApplicationMentor."""

    from .models import ApplicationMentor

    _require_editor(actor, application, "mentors")
    if entry is None:
        if existing_mentor is not None:
            if existing_mentor.enterprise_id != application.enterprise_id:
                raise ValidationError(_("This mentor does not work for the enterprise."))
            mentor = existing_mentor
        else:
            from werkplek.enterprises.services import find_or_create_mentor

            mentor = find_or_create_mentor(enterprise=application.enterprise,
                                           first_name=first_name, last_name=last_name,
                                           national_number=national_number)
        if application.mentors.filter(mentor=mentor).exists():
            raise ValidationError(_("This mentor is already named in the application."),
                                  code="duplicate")
        if extract is None:
            raise ValidationError(_("Upload the extract from the criminal record, model "
                                    "596.2, of the mentor."), code="extract")
        entry = ApplicationMentor(application=application, mentor=mentor)
    elif entry.application_id != application.pk:
        raise PermissionDenied
    entry.years_of_experience = years_of_experience
    entry.training = training
    entry.derogation_requested = derogation_requested
    entry.save()
    if extract is not None:
        _store_document(actor=actor, application=application,
                        kind=Document.Kind.CRIMINAL_RECORD_EXTRACT, upload=extract, entry=entry)
    if proof is not None:
        _store_document(actor=actor, application=application,
                        kind=Document.Kind.PRIOR_EDUCATION_PROOF, upload=proof, entry=entry)
    if not derogation_requested:
        _delete_documents(entry.documents.filter(kind=Document.Kind.PRIOR_EDUCATION_PROOF))
    for code, upload in (extras or {}).items():
        if upload is not None:
            _store_document(actor=actor, application=application,
                            kind=Document.Kind.SECTOR_EXTRA, upload=upload, entry=entry,
                            extra_code=code)
    return entry


@transaction.atomic
def remove_mentor(*, actor, application: Application, entry) -> None:
    _require_editor(actor, application, "mentors")
    if entry.application_id != application.pk:
        raise PermissionDenied
    _delete_documents(entry.documents.all())
    entry.delete()


@transaction.atomic
def upload_application_document(*, actor, application: Application, kind: str, upload,
                                extra_code: str = ""):
    """The signed declaration on honour, or a sector document asked once per application."""
    _require_editor(actor, application,
                    "declaration" if kind == Document.Kind.DECLARATION_ON_HONOUR else "workplace")
    if kind not in (Document.Kind.DECLARATION_ON_HONOUR, Document.Kind.SECTOR_EXTRA):
        raise ValidationError(_("This kind of document cannot be added here."))
    return _store_document(actor=actor, application=application, kind=kind, upload=upload,
                           extra_code=extra_code)
