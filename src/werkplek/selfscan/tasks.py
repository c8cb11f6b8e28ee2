"""Background work of the self-scan: sending a help request to the contact point."""

import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import HelpRequest

logger = logging.getLogger(__name__)


@task()
def send_help_request(help_request_id: int) -> str:
    """Send one help request, once: a request already sent is not sent again."""
    with transaction.atomic():
        help_request = (HelpRequest.objects.select_for_update().select_related("contact_point")
                        .get(pk=help_request_id))
        if help_request.delivery == HelpRequest.Delivery.SENT:
            return "already sent"
        help_request.attempts += 1
        contact_point = help_request.contact_point
        with override(help_request.language):
            subject = _("Request for help with a recognition as workplace: %(name)s") % {
                "name": help_request.enterprise_name or help_request.name}
            body = "\n".join([
                _("A visitor of Werkplek asks for help with an application for recognition as "
                  "a workplace for dual learning, and agreed that we send you this."),
                "",
                _("Name: %(value)s") % {"value": help_request.name},
                _("Enterprise: %(value)s") % {"value": help_request.enterprise_name or "—"},
                _("E-mail: %(value)s") % {"value": help_request.email},
                _("Phone: %(value)s") % {"value": help_request.phone or "—"},
                _("Question: %(value)s") % {"value": help_request.message or "—"},
                "",
                help_request.summary,
                "",
                _("Answer the visitor directly at %(email)s.") % {"email": help_request.email},
            ])
        message = EmailMessage(subject=subject, body=body, to=[contact_point.email],
                               reply_to=[help_request.email])
        failure: Exception | None = None
        try:
            message.send()
        except Exception as error:  # recorded, then raised again so the task shows as failed
            failure = error
            help_request.delivery = HelpRequest.Delivery.FAILED
            help_request.last_error = str(error)[:2000]
            help_request.save(update_fields=["delivery", "attempts", "last_error"])
            logger.warning("help request %s not sent: %s", help_request_id, error)
        else:
            help_request.delivery = HelpRequest.Delivery.SENT
            help_request.sent_at = timezone.now()
            help_request.last_error = ""
            help_request.save(update_fields=["delivery", "sent_at", "attempts", "last_error"])
    if failure is not None:
        raise failure
    return "sent"
