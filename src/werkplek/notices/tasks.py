"""Background work of the official notification: prepare the decision letter (render it once,
then create one delivery per recipient), and send each delivery of an application (the letter,
the receipt, the notices) once, with retries and every attempt recorded.

Preparing a letter that fails is tried again with a backoff; after the last attempt the letter
is failed, and a case handler sees it and can have it tried again.

A delivery is sent at most once: the send claims it under a row lock (`sending_since`) and
checks its state first, so a second task for the same delivery does nothing. No lock is held
while the mail server is being talked to.
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

from werkplek.applications.models import Application, ApplicationEvent
from werkplek.applications.tasks import receipt_recipients

from .letters import render_letter_pdf
from .models import Delivery, DeliveryAttempt, Letter
from .services import date_letter, max_attempts, retry_delay

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died while sending: it may be taken over.
STALE_CLAIM = timedelta(minutes=10)
MAX_ERROR_LENGTH = 2000

# The e-mail that tells about an event, by the event's kind (any other kind: the lapse, as in
# `applications.tasks.notice_message`).
NOTICE_PURPOSES = {
    ApplicationEvent.Kind.COMPLETION_REQUESTED: Delivery.Purpose.COMPLETION_REQUEST,
    ApplicationEvent.Kind.LAPSED: Delivery.Purpose.LAPSE,
    ApplicationEvent.Kind.MESSAGE: Delivery.Purpose.MESSAGE,
}


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH]


def _letter(letter_id: int) -> Letter:
    return Letter.objects.select_related(
        "application__enterprise", "application__unit", "application__programme",
        "application__partnership", "application__decided_by", "application__submitted_by",
        "application__created_by").get(pk=letter_id)


# --- the decision letter -----------------------------------------------------------------------

@task()
def prepare_letter(letter_id: int) -> str:
    """Render and store the letter's PDF (once), then create one delivery per recipient and
    enqueue a send task for each delivery not tried yet. Safe to run again.

    Whatever goes wrong (the rendering, the storage, the database) is recorded on the letter
    and tried again with a backoff, up to `max_attempts()`; then the letter is failed and waits
    for a case handler (`services.retry_letter`)."""
    state = Letter.objects.filter(pk=letter_id).values_list("state", flat=True).first()
    if state is None:
        return "no such letter"
    if state == Letter.State.FAILED:
        return "failed: waiting for a case handler to try again"
    try:
        return _prepare(letter_id)
    except Exception as error:
        logger.exception("Preparing letter %s failed", letter_id)
        with transaction.atomic():
            letter = _record_letter_failure(letter_id, error)
        return f"letter {letter.reference}: preparing failed ({letter.get_state_display()})"


def _prepare(letter_id: int) -> str:
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
        locked = Letter.objects.select_for_update().get(pk=letter_id)  # one creator
        existing = set(letter.deliveries.values_list("recipient_id", flat=True))
        Delivery.objects.bulk_create([
            Delivery(application=letter.application, purpose=Delivery.Purpose.LETTER,
                     letter=letter, recipient=user, email=user.email)
            for user in receipt_recipients(letter.application) if user.pk not in existing
        ])
        if locked.state != Letter.State.READY:
            locked.state = Letter.State.READY
            locked.attempts += 1
            locked.round_attempts += 1
            locked.last_error = ""
            locked.save(update_fields=["state", "attempts", "round_attempts", "last_error"])
        untried = list(letter.deliveries.filter(state=Delivery.State.PENDING, attempts=0,
                                                sending_since__isnull=True)
                       .values_list("pk", flat=True))
        for delivery_id in untried:
            transaction.on_commit(lambda pk=delivery_id: send_delivery.enqueue(pk))
    return f"letter {letter.reference}: {len(untried)} to send"


def _record_letter_failure(letter_id: int, error: BaseException) -> Letter:
    """Record a failed attempt to prepare the letter; try again after a backoff, until the
    round's attempts are used up, then fail the letter."""
    letter = Letter.objects.select_for_update().get(pk=letter_id)
    if letter.state != Letter.State.PENDING:
        return letter  # prepared (or given up) by another worker meanwhile
    letter.attempts += 1
    letter.round_attempts += 1
    letter.last_error = _error_text(error)
    if letter.round_attempts < max_attempts():
        run_after = timezone.now() + retry_delay(letter.round_attempts)
        transaction.on_commit(
            lambda: prepare_letter.using(run_after=run_after).enqueue(letter_id))
    else:
        letter.state = Letter.State.FAILED
        logger.warning("Letter %s could not be prepared after %s attempts: %s",
                       letter.reference, letter.round_attempts, letter.last_error)
    letter.save(update_fields=["state", "attempts", "round_attempts", "last_error"])
    return letter


# --- the receipt and the notices of an application ---------------------------------------------

def send_to_recipients(*, application: Application, event: ApplicationEvent | None = None
                       ) -> str:
    """The receipt of `application` (no `event`), or the notice of `event`: one delivery per
    recipient not reached yet, each sent once, right here. A failure of the mail server is
    retried by a send task with a backoff, and recorded; a run again sends to nobody twice.
    Any other error fails that delivery at once and is raised after the others were sent."""
    if event is None:
        purpose = Delivery.Purpose.RECEIPT
        timeline = application.events.filter(kind=ApplicationEvent.Kind.RECEIPT_SENT)
    else:
        purpose = NOTICE_PURPOSES.get(event.kind, Delivery.Purpose.LAPSE)
        timeline = application.events.filter(kind=ApplicationEvent.Kind.NOTICE_SENT,
                                             data__event=event.pk)
    # Addresses the timeline says were reached (also by e-mails sent before deliveries were
    # recorded for them).
    reached = {address for data in timeline.values_list("data", flat=True)
               for address in data.get("to", [])}
    with transaction.atomic():
        # A concurrent run may create the same deliveries: the unique constraints keep one.
        Delivery.objects.bulk_create([
            Delivery(application=application, purpose=purpose, event=event, recipient=user,
                     email=user.email)
            for user in receipt_recipients(application) if user.email not in reached
        ], ignore_conflicts=True)
        untried = list(Delivery.objects.filter(
            application=application, purpose=purpose, event=event,
            state=Delivery.State.PENDING, attempts=0, sending_since__isnull=True,
        ).order_by("pk").values_list("pk", flat=True))
    outcomes, unexpected = [], []
    for delivery_id in untried:
        try:
            outcomes.append(deliver(delivery_id))
        except Exception as error:  # recorded on the delivery; the others still go out
            unexpected.append(error)
    if unexpected:
        raise unexpected[0]
    sent = outcomes.count("sent")
    failed = sum(1 for outcome in outcomes if outcome.startswith("failed"))
    return f"sent {sent}" + (f", {failed} failed" if failed else "")


# --- sending one delivery ----------------------------------------------------------------------

def delivery_message(delivery: Delivery) -> EmailMessage:
    """The e-mail of one delivery, in the recipient's language."""
    from werkplek.applications.tasks import notice_message, receipt_message

    if delivery.purpose == Delivery.Purpose.LETTER:
        return letter_message(delivery)
    if delivery.purpose == Delivery.Purpose.RECEIPT:
        return receipt_message(delivery.application, recipient=delivery.recipient,
                               email=delivery.email)
    return notice_message(delivery.event, application=delivery.application,
                          recipient=delivery.recipient, email=delivery.email)


def letter_message(delivery: Delivery) -> EmailMessage:
    """The e-mail of a delivery of the decision letter, with the letter attached."""
    letter = delivery.letter
    application = delivery.application
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


# What the timeline says for each e-mail that reached a recipient.
def _sent_event(delivery: Delivery) -> ApplicationEvent:
    if delivery.purpose == Delivery.Purpose.LETTER:
        kind, data = ApplicationEvent.Kind.LETTER_SENT, {"to": [delivery.email],
                                                         "letter": delivery.letter_id}
    elif delivery.purpose == Delivery.Purpose.RECEIPT:
        kind, data = ApplicationEvent.Kind.RECEIPT_SENT, {"to": [delivery.email]}
    else:
        kind, data = ApplicationEvent.Kind.NOTICE_SENT, {"event": delivery.event_id,
                                                         "to": [delivery.email]}
    return ApplicationEvent(application_id=delivery.application_id, kind=kind, data=data)


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
        _sent_event(delivery).save()
    else:
        delivery.last_error = attempt.error = _error_text(error)
        attempt.outcome = DeliveryAttempt.Outcome.FAILED
        if retry and delivery.round_attempts < max_attempts():
            run_after = now + retry_delay(delivery.round_attempts)
            transaction.on_commit(
                lambda: send_delivery.using(run_after=run_after).enqueue(delivery_id))
        else:
            delivery.state = Delivery.State.FAILED
            logger.warning("Delivery %s (%s) failed for good after %s attempts: %s",
                           delivery.pk, delivery.subject, delivery.round_attempts,
                           delivery.last_error)
    delivery.save()
    attempt.save()
    return delivery


def deliver(delivery_id: int) -> str:
    """Send one delivery once: "sent", "nothing to send" (sent, failed, or being sent by
    another worker) or "failed (…)". A failure of the mail server (SMTPException, OSError) is
    retried by a send task with a backoff up to `max_attempts()`; any other error marks it
    failed at once (a case handler sees it and can send it again) and is raised."""
    if not _claim(delivery_id):
        return "nothing to send"
    delivery = Delivery.objects.select_related(
        "recipient", "letter", "event", "application__partnership",
        "application__enterprise", "application__unit", "application__programme",
        "application__recognition").get(pk=delivery_id)
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


@task()
def send_delivery(delivery_id: int) -> str:
    """Send one delivery once (see `deliver`): the first send of a letter's delivery, and every
    retry."""
    return deliver(delivery_id)
