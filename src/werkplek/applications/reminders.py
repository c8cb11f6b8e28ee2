"""The daily deadline job: remind the case handlers of decisions due within three days, and flag
the ones overdue. Run by `python -m django remind_deadlines`; safe to run again.

Per application and per deadline the job records at most one `DEADLINE_REMINDER` and one
`OVERDUE` event, with `data = {"deadline": iso date, "to": [addresses]}`; the event row is
written while the application row is locked, so two runs at once cannot both remind. When the
deadline moves (the clock paused while the applicant completed the application), the new
deadline gets its own reminder. The e-mails go through the task queue, enqueued on commit, one
per handler in their own language; each delivery is recorded on the event (`data["sent"]`), so
a retry of the task reaches only those not reached yet.
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from werkplek.accounts.models import Membership, Role

from .models import Application, ApplicationEvent
from .selectors import DUE_SOON_DAYS

logger = logging.getLogger(__name__)
KINDS = (ApplicationEvent.Kind.DEADLINE_REMINDER, ApplicationEvent.Kind.OVERDUE)


@dataclass
class Result:
    reminded: int = 0
    overdue: int = 0


def _handlers_by_partnership(partnership_ids) -> dict[int, list]:
    """The active case handlers of each partnership (with an e-mail address): one query."""
    result: dict[int, list] = {}
    for membership in (Membership.objects
                       .filter(role=Role.HANDLER, is_active=True,
                               partnership_id__in=partnership_ids, user__is_active=True)
                       .exclude(user__email="")
                       .select_related("user").order_by("user__last_name", "user_id")):
        result.setdefault(membership.partnership_id, []).append(membership.user)
    return result


def recipients(application: Application, handlers: list) -> list:
    """The assigned handler while they still handle the partnership's cases; otherwise (not
    assigned, or no longer a handler there) every active handler of the partnership."""
    if application.assigned_to_id and any(u.pk == application.assigned_to_id for u in handlers):
        return [u for u in handlers if u.pk == application.assigned_to_id]
    return handlers


def remind_deadlines(*, today: date | None = None) -> Result:
    """Record and send what is due today; see the module's docstring. Reads only the open
    applications whose clock runs and whose deadline is at most three days away (by the state
    index), and the reminder events of just those."""
    today = today or timezone.localdate()
    result = Result()
    candidates = list(Application.objects
                      .filter(state__in=Application.RUNNING_STATES,
                              decision_deadline__lte=today + timedelta(days=DUE_SOON_DAYS))
                      .exclude(partnership__isnull=True)
                      .values_list("pk", "decision_deadline"))
    if not candidates:
        return result
    done = {
        (application_id, kind, (data or {}).get("deadline"))
        for application_id, kind, data in ApplicationEvent.objects.filter(
            application_id__in=[pk for pk, _deadline in candidates], kind__in=KINDS,
        ).values_list("application_id", "kind", "data")
    }
    due = []
    for pk, deadline in candidates:
        kind = (ApplicationEvent.Kind.OVERDUE if deadline < today
                else ApplicationEvent.Kind.DEADLINE_REMINDER)
        if (pk, kind, deadline.isoformat()) not in done:
            due.append(pk)
    if not due:
        return result
    partnership_ids = set(Application.objects.filter(pk__in=due)
                          .values_list("partnership_id", flat=True))
    handlers = _handlers_by_partnership(partnership_ids)
    for pk in due:
        kind = _record(pk, today=today, handlers=handlers)
        if kind == ApplicationEvent.Kind.OVERDUE:
            result.overdue += 1
        elif kind == ApplicationEvent.Kind.DEADLINE_REMINDER:
            result.reminded += 1
    return result


@transaction.atomic
def _record(application_id: int, *, today: date, handlers: dict[int, list]) -> str | None:
    """Under the application's lock: check again, write the event, enqueue the e-mails."""
    application = Application.objects.select_for_update(of=("self",)).get(pk=application_id)
    deadline = application.decision_deadline
    if application.state not in Application.RUNNING_STATES or deadline is None or \
            deadline > today + timedelta(days=DUE_SOON_DAYS):
        return None
    kind = (ApplicationEvent.Kind.OVERDUE if deadline < today
            else ApplicationEvent.Kind.DEADLINE_REMINDER)
    if application.events.filter(kind=kind, data__deadline=deadline.isoformat()).exists():
        return None  # another run got here first
    to = recipients(application, handlers.get(application.partnership_id, []))
    if not to:
        logger.warning("No active case handler to remind for application %s", application.pk)
    event = ApplicationEvent.objects.create(
        application=application, kind=kind,
        data={"deadline": deadline.isoformat(), "to": [user.email for user in to], "sent": []})
    if to:
        transaction.on_commit(lambda: send_deadline_email.enqueue(event.pk))
    return kind


def _message(event: ApplicationEvent, user) -> EmailMessage:
    application = event.application
    deadline = date.fromisoformat(event.data["deadline"])
    with override(user.preferred_language or "nl"):
        link = settings.SITE_URL + reverse("applications:detail", args=[application.pk])
        values = {"reference": application.reference,
                  "enterprise": application.enterprise.name,
                  "programme": application.programme.name if application.programme else "—",
                  "date": deadline.strftime("%d/%m/%Y")}
        if event.kind == ApplicationEvent.Kind.OVERDUE:
            subject = _("Decision overdue: %(reference)s") % values
            lead = _("The decision on application %(reference)s of %(enterprise)s "
                     "(%(programme)s) was due on %(date)s. The deadline has passed.") % values
        else:
            days = (deadline - timezone.localtime(event.created_at).date()).days
            subject = _("Decision due on %(date)s: %(reference)s") % values
            lead = ngettext(
                "The decision on application %(reference)s of %(enterprise)s (%(programme)s) "
                "is due on %(date)s, in %(days)s day.",
                "The decision on application %(reference)s of %(enterprise)s (%(programme)s) "
                "is due on %(date)s, in %(days)s days.", days) % {**values, "days": days}
        body = "\n".join([
            _("Dear %(name)s,") % {"name": user.get_full_name() or user.username},
            "", lead, "",
            _("Open the case: %(link)s") % {"link": link},
            "",
            _("You receive this reminder as the case handler of the application or, when no "
              "one is assigned to it, as a case handler of %(partnership)s.") % {
                "partnership": application.partnership.name},
        ])
    return EmailMessage(subject=subject, body=body, to=[user.email])


@task()
def send_deadline_email(event_id: int) -> str:
    """E-mail a deadline reminder or an overdue notice to each handler it names, once: each
    delivery is recorded on the event as it happens, and no lock is held while sending."""
    from werkplek.accounts.models import User

    event = ApplicationEvent.objects.select_related(
        "application__enterprise", "application__programme",
        "application__partnership").get(pk=event_id)
    sent = list(event.data.get("sent", []))
    users = {user.email: user for user in User.objects.filter(email__in=event.data.get("to", []))}
    count = 0
    for address in event.data.get("to", []):
        if address in sent or address not in users:
            continue
        _message(event, users[address]).send()
        sent.append(address)
        ApplicationEvent.objects.filter(pk=event.pk).update(data={**event.data, "sent": sent})
        count += 1
    return f"sent {count}"
