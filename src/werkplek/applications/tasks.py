"""Background work for applications: the receipt after submission, and the notices of a
completion request, a lapse and a message from the partnership.

Each e-mail goes to each recipient as a delivery of the notices app (`notices.models.Delivery`):
sent once, a failure of the mail server retried with a backoff, every attempt recorded, and one
that failed for good shown to the case handlers, who can send it again."""

import logging
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from werkplek.accounts.models import Membership, Role

from .models import Application, ApplicationEvent

logger = logging.getLogger(__name__)


def receipt_recipients(application: Application) -> list:
    """The applicant, the enterprise's legal representatives, and the coach who filed."""
    users = [application.submitted_by]
    users += [m.user for m in Membership.objects.filter(
        enterprise=application.enterprise, role=Role.REPRESENTATIVE, is_active=True,
    ).select_related("user")]
    if application.filed_by == Application.FiledBy.COACH:
        users.append(application.created_by)
    seen, result = set(), []
    for user in users:
        if user is not None and user.email and user.pk not in seen:
            seen.add(user.pk)
            result.append(user)
    return result


def _language(application: Application, recipient) -> str:
    return (recipient.preferred_language if recipient else "") or \
        application.enterprise.language or "nl"


def _name(recipient, email: str) -> str:
    return (recipient.get_full_name() or recipient.username) if recipient else email


def receipt_message(application: Application, *, recipient, email: str) -> EmailMessage:
    """The receipt for one recipient (a user, or None when the account is gone), to `email`."""
    with override(_language(application, recipient)):
        link = settings.SITE_URL + reverse("applications:detail", args=[application.pk])
        subject = _("Your application %(reference)s has been received") % {
            "reference": application.reference}
        body = "\n".join([
            _("Dear %(name)s,") % {"name": _name(recipient, email)},
            "",
            _("We received the application for recognition as a workplace for dual learning "
              "of %(enterprise)s.") % {"enterprise": application.enterprise.name},
            "",
            _("Reference: %(value)s") % {"value": application.reference},
            _("Establishment unit: %(value)s") % {"value": application.unit},
            _("Programme: %(value)s") % {"value": application.programme.name},
            _("Handled by: %(value)s") % {"value": application.partnership.name},
            _("Decision at the latest on: %(value)s") % {
                "value": application.decision_deadline.strftime("%d/%m/%Y")},
            "",
            _("Follow your application at %(link)s") % {"link": link},
            "",
            _("The decision will reach you by e-mail. If an e-mail from Werkplek does not "
              "arrive, check your spam folder."),
        ])
    return EmailMessage(subject=subject, body=body, to=[email])


@task()
def send_receipt(application_id: int) -> str:
    """Send the receipt to each recipient once, as a delivery each: a failure of the mail
    server is recorded and retried with a backoff, and a run again reaches only those not
    reached yet (see `notices.tasks.send_to_recipients`)."""
    from werkplek.notices.tasks import send_to_recipients

    application = (Application.objects
                   .select_related("enterprise", "unit", "programme", "partnership",
                                   "submitted_by", "created_by")
                   .get(pk=application_id))
    return send_to_recipients(application=application)


def notice_message(event: ApplicationEvent, *, application: Application, recipient,
                   email: str) -> EmailMessage:
    """What `event` (of `application`) means for one recipient (a user, or None when the
    account is gone), to `email`."""
    with override(_language(application, recipient)):
        link = settings.SITE_URL + reverse("applications:detail", args=[application.pk])
        if event.kind == ApplicationEvent.Kind.COMPLETION_REQUESTED:
            subject = _("Complete your application %(reference)s") % {
                "reference": application.reference}
            lines = [
                _("%(partnership)s asks you to complete your application %(reference)s:") % {
                    "partnership": application.partnership.name,
                    "reference": application.reference},
                "", event.message, "",
                _("Complete it at the latest on %(date)s at %(link)s. Until then the 14 days "
                  "for the decision are paused; without completion the application lapses.") % {
                    "date": date.fromisoformat(event.data["due"]).strftime("%d/%m/%Y"),
                    "link": link},
            ]
        elif event.kind == ApplicationEvent.Kind.MESSAGE:
            subject = _("A message about your application %(reference)s") % {
                "reference": application.reference}
            lines = [
                _("%(partnership)s sends you a message about your application %(reference)s:")
                % {"partnership": application.partnership.name,
                   "reference": application.reference},
                "", event.message, "",
                _("You can read it again on %(link)s") % {"link": link},
            ]
        else:
            subject = _("Your application %(reference)s has lapsed") % {
                "reference": application.reference}
            lines = [
                _("Your application %(reference)s was not completed by %(date)s and has "
                  "lapsed. You can start a new application at any time.") % {
                    "reference": application.reference,
                    "date": date.fromisoformat(event.data["due"]).strftime("%d/%m/%Y")},
                "", link,
            ]
        lines += ["", _("If an e-mail from Werkplek does not arrive, check your spam folder.")]
        body = "\n".join([_("Dear %(name)s,") % {"name": _name(recipient, email)}, "", *lines])
    return EmailMessage(subject=subject, body=body, to=[email])


@task()
def send_notice(event_id: int) -> str:
    """E-mail what an event means for the applicant (a completion request, a lapse, a
    message), once per recipient, as a delivery each: a failure of the mail server is recorded
    and retried with a backoff, and a run again reaches only those not reached yet (see
    `notices.tasks.send_to_recipients`)."""
    from werkplek.notices.tasks import send_to_recipients

    event = ApplicationEvent.objects.select_related(
        "application__partnership", "application__enterprise", "application__submitted_by",
        "application__created_by").get(pk=event_id)
    return send_to_recipients(application=event.application, event=event)
