"""Background work of the official notification: render the letter once, then send it to each
recipient, one task per delivery, with retries and every attempt recorded.

A delivery is sent at most once: the send task claims it under a row lock (`sending_since`)
and checks its state first, so a second task for the same delivery does nothing. No lock is
held while the mail server is being talked to.
"""

import hashlib
import logging
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from werkplek.applications.models import ApplicationEvent
from werkplek.applications.tasks import receipt_recipients

from .letters import render_letter_pdf
from .models import Delivery, DeliveryAttempt, Letter
from .services import date_letter, max_attempts, retry_delay

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died while sending: it may be taken over.
STALE_CLAIM = timedelta(minutes=10)
MAX_ERROR_LENGTH = 2000


def _letter(letter_id: int) -> Letter:
    return Letter.objects.select_related(
        "application__enterprise", "application__unit", "application__programme",
        "application__partnership", "application__decided_by", "application__submitted_by",
        "application__created_by").get(pk=letter_id)


@task()
def prepare_letter(letter_id: int) -> str:
    """Render and store the letter's PDF (once), then create one delivery per recipient and
    enqueue a send task for each delivery not tried yet. Safe to run again."""
    letter = _letter(letter_id)
    if not letter.file:
        date_letter(letter, timezone.localdate())  # dated the day it is produced and sent
        pdf = render_letter_pdf(letter)
        with transaction.atomic():
            locked = Letter.objects.select_for_update().get(pk=letter_id)
            if not locked.file:  # another worker may have stored it meanwhile
                locked.dated_on = letter.dated_on
                locked.appeal_until, locked.appeal_rule = letter.appeal_until, letter.appeal_rule
                locked.file.save(letter.download_name(), ContentFile(pdf), save=False)
                locked.size = len(pdf)
                locked.sha256 = hashlib.sha256(pdf).hexdigest()
                locked.rendered_at = timezone.now()
                locked.save()
        letter = _letter(letter_id)

    with transaction.atomic():
        Letter.objects.select_for_update().get(pk=letter_id)  # one creator of deliveries
        existing = set(letter.deliveries.values_list("recipient_id", flat=True))
        Delivery.objects.bulk_create([
            Delivery(letter=letter, recipient=user, email=user.email)
            for user in receipt_recipients(letter.application) if user.pk not in existing
        ])
        untried = list(letter.deliveries.filter(state=Delivery.State.PENDING, attempts=0,
                                                sending_since__isnull=True)
                       .values_list("pk", flat=True))
        for delivery_id in untried:
            transaction.on_commit(lambda pk=delivery_id: send_delivery.enqueue(pk))
    return f"letter {letter.reference}: {len(untried)} to send"


def delivery_message(delivery: Delivery) -> EmailMessage:
    """The e-mail of one delivery, in the recipient's language, with the letter attached."""
    letter = delivery.letter
    application = letter.application
    user = delivery.recipient
    approved = letter.kind == Letter.Kind.APPROVAL
    with override((user.preferred_language if user else "") or letter.language):
        link = settings.SITE_URL + reverse("applications:detail", args=[application.pk])
        decision = _("approved") if approved else _("refused")
        subject = _("Decision on your application %(reference)s: %(decision)s") % {
            "reference": application.reference, "decision": decision}
        name = (user.get_full_name() or user.username) if user else delivery.email
        lines = [
            _("Dear %(name)s,") % {"name": name},
            "",
            _("%(partnership)s has decided on the application for recognition as a workplace "
              "for dual learning of %(enterprise)s (%(reference)s): the application is "
              "%(decision)s.") % {
                "partnership": application.partnership.name,
                "enterprise": application.enterprise.name,
                "reference": application.reference, "decision": decision},
            "",
        ]
        if approved:
            recognition = getattr(application, "recognition", None)
            if recognition is not None:
                lines.append(_("The recognition is valid from %(start)s up to and including "
                               "%(end)s.") % {
                    "start": recognition.valid_from.strftime("%d/%m/%Y"),
                    "end": recognition.valid_until.strftime("%d/%m/%Y")})
        else:
            lines.append(_("Only the enterprise may appeal against this decision, within 10 "
                           "calendar days of receiving it: at the latest on %(date)s. The "
                           "attached letter says how.") % {
                "date": letter.appeal_until.strftime("%d/%m/%Y")})
        lines += [
            _("The official decision letter is attached (letter reference %(reference)s).") % {
                "reference": letter.reference},
            "",
            _("Follow your application at %(link)s") % {"link": link},
            "",
            _("If an e-mail from Werkplek does not arrive, check your spam folder."),
        ]
    message = EmailMessage(subject=subject, body="\n".join(lines), to=[delivery.email],
                           reply_to=[application.partnership.email]
                           if application.partnership.email else None)
    with letter.file.storage.open(letter.file.name, "rb") as handle:
        message.attach(letter.download_name(), handle.read(), "application/pdf")
    return message


def _claim(delivery_id: int) -> bool:
    """Mark the delivery as being sent by this worker; False when there is nothing to do."""
    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.state != Delivery.State.PENDING:
            return False
        if delivery.sending_since and now - delivery.sending_since < STALE_CLAIM:
            return False  # another worker is sending it right now
        delivery.sending_since = now
        delivery.save(update_fields=["sending_since"])
    return True


def _record(delivery_id: int, *, error: BaseException | None, retry: bool) -> Delivery:
    """Record the attempt and its outcome; after a failure that may be retried, enqueue the
    next attempt with a backoff, until the round's attempts are used up."""
    now = timezone.now()
    delivery = Delivery.objects.select_for_update(of=("self",)).select_related("letter").get(
        pk=delivery_id)
    delivery.attempts += 1
    delivery.round_attempts += 1
    delivery.sending_since = None
    attempt = DeliveryAttempt(delivery=delivery, at=now,
                              requested_by_id=delivery.resend_requested_by_id)
    if error is None:
        delivery.state = Delivery.State.SENT
        delivery.sent_at = now
        delivery.last_error = ""
        attempt.outcome = DeliveryAttempt.Outcome.SENT
        ApplicationEvent.objects.create(
            application_id=delivery.letter.application_id,
            kind=ApplicationEvent.Kind.LETTER_SENT,
            data={"to": [delivery.email], "letter": delivery.letter_id})
    else:
        text = f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH]
        delivery.last_error = attempt.error = text
        attempt.outcome = DeliveryAttempt.Outcome.FAILED
        if retry and delivery.round_attempts < max_attempts():
            run_after = now + retry_delay(delivery.round_attempts)
            transaction.on_commit(
                lambda: send_delivery.using(run_after=run_after).enqueue(delivery_id))
        else:
            delivery.state = Delivery.State.FAILED
            logger.warning("Delivery %s of letter %s failed for good after %s attempts: %s",
                           delivery.pk, delivery.letter.reference, delivery.round_attempts,
                           text)
    delivery.save()
    attempt.save()
    return delivery


@task()
def send_delivery(delivery_id: int) -> str:
    """Send one delivery once. A failure of the mail server (SMTPException, OSError) is
    retried with a backoff up to `max_attempts()`; any other error marks it failed at once
    (a case handler sees it and can send it again)."""
    if not _claim(delivery_id):
        return "nothing to send"
    delivery = Delivery.objects.select_related(
        "recipient", "letter__application__partnership", "letter__application__enterprise",
        "letter__application__recognition").get(pk=delivery_id)
    try:
        delivery_message(delivery).send()
    except (SMTPException, OSError) as error:
        logger.warning("Delivery %s failed: %s", delivery_id, error)
        with transaction.atomic():
            delivery = _record(delivery_id, error=error, retry=True)
        return f"failed ({delivery.get_state_display()})"
    except Exception as error:
        with transaction.atomic():
            _record(delivery_id, error=error, retry=False)
        raise
    with transaction.atomic():
        _record(delivery_id, error=None, retry=False)
    return "sent"
