"""Background work for applications: the receipt after submission, and the notices of a
completion request, a lapse and a message from the partnership."""

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


def _receipt_message(application: Application, user) -> EmailMessage:
    with override(user.preferred_language or "nl"):
        link = settings.SITE_URL + reverse("applications:detail", args=[application.pk])
        subject = _("Your application %(reference)s has been received") % {
            "reference": application.reference}
        body = "\n".join([
            _("Dear %(name)s,") % {"name": user.get_full_name() or user.username},
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
    return EmailMessage(subject=subject, body=body, to=[user.email])


@task()
def send_receipt(application_id: int) -> str:
    """Send the receipt to each recipient once. Each delivery is recorded as it happens, so a
    retry after a failure sends only to those not reached yet; no lock is held while the mail
    server is being talked to."""
    application = (Application.objects
                   .select_related("enterprise", "unit", "programme", "partnership",
                                   "submitted_by", "created_by")
                   .get(pk=application_id))
    reached = {
        address
        for data in application.events.filter(kind=ApplicationEvent.Kind.RECEIPT_SENT)
        .values_list("data", flat=True)
        for address in data.get("to", [])
    }
    sent = 0
    for user in receipt_recipients(application):
        if user.email in reached:
            continue
        _receipt_message(application, user).send()
        ApplicationEvent.objects.create(
            application=application, kind=ApplicationEvent.Kind.RECEIPT_SENT,
            data={"to": [user.email]},
        )
        sent += 1
    return f"sent {sent}"


def _notice_message(event: ApplicationEvent, user) -> EmailMessage:
    application = event.application
    with override(user.preferred_language or "nl"):
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
        body = "\n".join([_("Dear %(name)s,") % {"name": user.get_full_name() or user.username},
                          "", *lines])
    return EmailMessage(subject=subject, body=body, to=[user.email])


@task()
def send_notice(event_id: int) -> str:
    """E-mail what an event means for the applicant (a completion request, a lapse), once per
    recipient; deliveries are recorded so a retry reaches only those not reached yet."""
    event = ApplicationEvent.objects.select_related(
        "application__partnership", "application__enterprise", "application__submitted_by",
        "application__created_by").get(pk=event_id)
    application = event.application
    reached = {
        address
        for data in application.events.filter(kind=ApplicationEvent.Kind.NOTICE_SENT,
                                              data__event=event_id)
        .values_list("data", flat=True)
        for address in data.get("to", [])
    }
    sent = 0
    for user in receipt_recipients(application):
        if user.email in reached:
            continue
        _notice_message(event, user).send()
        ApplicationEvent.objects.create(application=application,
                                        kind=ApplicationEvent.Kind.NOTICE_SENT,
                                        data={"event": event_id, "to": [user.email]})
        sent += 1
    return f"sent {sent}"
