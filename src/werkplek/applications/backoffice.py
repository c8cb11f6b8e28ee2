"""The partnership's completeness check: find an application complete, or ask the applicant to
complete parts of it (the decision clock pauses until they do), and let it lapse when the
completion period passes. Each function is one action with its permission check and event."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkplek.accounts.models import Membership, Role
from werkplek.core.deadlines import completion_deadline, decision_deadline, paused_days

from .models import Application, ApplicationEvent

SECTIONS = ("unit", "programme", "workplace", "mentors", "declaration")


def is_handler(user, application: Application) -> bool:
    """A case handler of the partnership the application was routed to."""
    return application.partnership_id is not None and Membership.objects.filter(
        user=user, role=Role.HANDLER, partnership_id=application.partnership_id, is_active=True,
    ).exists()


def _locked(application_id: int) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related(
        "partnership").get(pk=application_id)


@transaction.atomic
def mark_complete(*, actor, application_id: int) -> Application:
    application = _locked(application_id)
    if not is_handler(actor, application):
        raise PermissionDenied(_("Only a case handler of the competent partnership can do this."))
    if application.state != Application.State.SUBMITTED:
        raise ValidationError(_("Only a submitted application can be found complete."))
    application.mark_complete()
    application.save()
    ApplicationEvent.objects.create(
        application=application, kind=ApplicationEvent.Kind.MARKED_COMPLETE, actor=actor,
        from_state=Application.State.SUBMITTED, to_state=Application.State.IN_PROGRESS)
    return application


@transaction.atomic
def request_completion(*, actor, application_id: int, message: str,
                       sections: list[str]) -> Application:
    """Ask the applicant to complete the named sections; the decision clock pauses."""
    application = _locked(application_id)
    if not is_handler(actor, application):
        raise PermissionDenied(_("Only a case handler of the competent partnership can do this."))
    if application.state not in (Application.State.SUBMITTED, Application.State.IN_PROGRESS):
        raise ValidationError(_("Completion can only be asked while the application is "
                                "being handled."))
    chosen = [s for s in SECTIONS if s in sections]
    if not chosen:
        raise ValidationError({"sections": [_("Choose at least one part to complete.")]})
    if not message.strip():
        raise ValidationError({"message": [_("Say what is missing.")]})
    now = timezone.now()
    due = completion_deadline(now, days=application.partnership.completion_period_days)
    previous = application.state
    application.request_completion()
    application.paused_at = now
    application.completion_due = due.day
    application.completion_sections = chosen
    application.save()
    event = ApplicationEvent.objects.create(
        application=application, kind=ApplicationEvent.Kind.COMPLETION_REQUESTED, actor=actor,
        from_state=previous, to_state=Application.State.WAITING, message=message.strip(),
        data={"sections": chosen, "due": due.day.isoformat(), "rule": due.rule})
    from .tasks import send_notice

    transaction.on_commit(lambda: send_notice.enqueue(event.pk))
    return application


@transaction.atomic
def complete(*, actor, application_id: int) -> Application:
    """The applicant sends the completed application back: the clock runs again, and the
    deadline moves by the days it waited."""
    from .services import acting_role

    application = _locked(application_id)
    if acting_role(actor, application.enterprise, unit=application.unit) is None:
        raise PermissionDenied(_("You may not complete applications of this enterprise."))
    if application.state != Application.State.WAITING:
        raise ValidationError(_("Nothing was asked to complete for this application."))
    now = timezone.now()
    waited = paused_days(application.paused_at, now)
    application.complete()
    application.paused_days += waited
    deadline = decision_deadline(application.submitted_at, paused_days=application.paused_days)
    application.decision_deadline = deadline.day
    application.deadline_rule = deadline.rule
    application.paused_at = None
    application.completion_due = None
    application.completion_sections = []
    application.save()
    ApplicationEvent.objects.create(
        application=application, kind=ApplicationEvent.Kind.COMPLETED, actor=actor,
        from_state=Application.State.WAITING, to_state=Application.State.SUBMITTED,
        data={"paused_days": waited, "deadline": deadline.day.isoformat(),
              "rule": deadline.rule})
    return application


def lapse_overdue(*, today: date | None = None) -> int:
    """Let applications lapse whose completion period has passed; safe to run again (the ones
    lapsed are no longer waiting). Reads only the due rows, by index."""
    today = today or timezone.localdate()
    count = 0
    due = Application.objects.filter(state=Application.State.WAITING,
                                     completion_due__lt=today).values_list("pk", flat=True)
    for application_id in list(due):
        with transaction.atomic():
            application = _locked(application_id)
            if application.state != Application.State.WAITING or \
                    application.completion_due >= today:
                continue
            application.lapse()
            application.save()
            event = ApplicationEvent.objects.create(
                application=application, kind=ApplicationEvent.Kind.LAPSED,
                from_state=Application.State.WAITING, to_state=Application.State.LAPSED,
                data={"due": application.completion_due.isoformat()})
            from .tasks import send_notice

            transaction.on_commit(lambda pk=event.pk: send_notice.enqueue(pk))
            count += 1
    return count
