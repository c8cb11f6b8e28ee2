"""Background work of the official notification: prepare a letter (of a decision on an
application, of a sanction, of a step of an appeal: render it once, then create one delivery per
recipient), and send each delivery (the letter, the receipt and the notices of an application,
the notices of a recognition) once, with retries and every attempt recorded.

Preparing a letter that fails is tried again with a backoff; after the last attempt the letter
is failed, and a case handler sees it and can have it tried again.

A delivery is sent once: the send claims it under a row lock (`sending_since`) and checks its
state first, so a second task for the same delivery does nothing. No lock is held while the
mail server is being talked to; the outcome is recorded in the transaction right after the mail
server answered.

What is guaranteed when a worker dies (killed, out of memory, the machine stops):
- No e-mail is lost. A claim older than `stale_claim()` belongs to a worker that died while
  sending; `resume_deliveries` (the `notices_resume` command, every few minutes) gives such a
  delivery a new send task, and that task takes the claim over. It does the same for a
  delivery or a letter whose first task was lost before it ran.
- No e-mail is sent twice, except in one window that SMTP cannot close: the mail server has
  accepted the e-mail (its "250" after the data) and the worker dies before the commit that
  records it, a window of one short database transaction. The delivery then looks unsent and
  is sent again. SMTP has no way to ask whether a message arrived and cannot take part in a
  transaction, so this cannot be excluded; it is made harmless instead: every attempt of a
  delivery carries the same Message-ID (`message_id`), by which mail systems and clients
  recognise the second copy as the same message, and the takeover is recorded as an
  interrupted attempt, so that a case handler can see it.
"""

import hashlib
import logging
from datetime import date, timedelta
from email.utils import parseaddr
from smtplib import SMTPException

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from werkplek.applications.models import Application, ApplicationEvent
from werkplek.applications.tasks import receipt_recipients
from werkplek.core.deadlines import local_day

from .letters import appeal_body, appealed_decision, render_letter_pdf
from .models import Delivery, DeliveryAttempt, Letter
from .selectors import Recipient, enterprise_recipients, letter_recipients, sanction_coaches
from .services import date_letter, max_attempts, retry_delay

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died while sending: it may be taken over.
# Longer than the mail server's timeout, so that a slow send is never taken for a dead one
# (settings.NOTICES_STALE_CLAIM: a timedelta or seconds).
STALE_CLAIM = timedelta(minutes=10)
MAX_ERROR_LENGTH = 2000

# The e-mail that tells about an event, by the event's kind (any other kind: the lapse, as in
# `applications.tasks.notice_message`).
NOTICE_PURPOSES = {
    ApplicationEvent.Kind.COMPLETION_REQUESTED: Delivery.Purpose.COMPLETION_REQUEST,
    ApplicationEvent.Kind.LAPSED: Delivery.Purpose.LAPSE,
    ApplicationEvent.Kind.MESSAGE: Delivery.Purpose.MESSAGE,
}


def stale_claim() -> timedelta:
    """How old a claim must be before another worker may take it over."""
    value = getattr(settings, "NOTICES_STALE_CLAIM", STALE_CLAIM)
    return value if isinstance(value, timedelta) else timedelta(seconds=float(value))


def message_id(delivery: Delivery) -> str:
    """The Message-ID of a delivery: the same at every attempt, so that the copy sent again
    after a worker died mid-send is recognised as the same message."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "werkplek.invalid"
    return f"<delivery.{delivery.pk}.{delivery.created_at:%Y%m%d%H%M%S%f}@{domain}>"


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH]


def _letter(letter_id: int) -> Letter:
    return Letter.objects.select_related(
        "application__enterprise", "application__unit", "application__programme",
        "application__partnership", "application__decided_by", "application__submitted_by",
        "application__created_by",
        "sanction__enterprise", "sanction__partnership", "sanction__recognition__unit",
        "sanction__recognition__programme", "sanction__mentor", "sanction__unit",
        "sanction__imposed_by", "sanction__support_action",
        "appeal__enterprise", "appeal__partnership", "appeal__filed_by",
        "appeal__application__unit", "appeal__application__programme",
        "appeal__sanction__recognition__unit", "appeal__sanction__recognition__programme",
        "appeal__admissibility_decided_by", "appeal__decided_by").get(pk=letter_id)


# --- the letter --------------------------------------------------------------------------------

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
        existing = list(letter.deliveries.values_list("recipient_id", "email"))
        users = {user_id for user_id, _email in existing if user_id is not None}
        addresses = {email.lower() for user_id, email in existing if user_id is None}
        Delivery.objects.bulk_create([
            Delivery(application=letter.application, purpose=Delivery.Purpose.LETTER,
                     letter=letter, recipient=recipient.user, email=recipient.email)
            for recipient in _recipients(letter)
            if (recipient.user.pk not in users if recipient.user is not None
                else recipient.email.lower() not in addresses)
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


def _recipients(letter: Letter) -> list[Recipient]:
    """Who receives the letter (`selectors.letter_recipients`); the decision on an application
    goes to those who received its receipt."""
    if letter.application_id:
        return [Recipient(user=user, email=user.email)
                for user in receipt_recipients(letter.application)]
    return letter_recipients(letter)


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

def _send_each(delivery_ids: list[int]) -> str:
    """Send each delivery once, right here; an unexpected error is raised after the others
    were sent."""
    outcomes, unexpected = [], []
    for delivery_id in delivery_ids:
        try:
            outcomes.append(deliver(delivery_id))
        except Exception as error:  # recorded on the delivery; the others still go out
            unexpected.append(error)
    if unexpected:
        raise unexpected[0]
    sent = outcomes.count("sent")
    failed = sum(1 for outcome in outcomes if outcome.startswith("failed"))
    return f"sent {sent}" + (f", {failed} failed" if failed else "")


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
    return _send_each(untried)


# --- the notices of a recognition --------------------------------------------------------------

def send_recognition_notices(*, event, purpose: str) -> str:
    """The notice of a line of a recognition's timeline (`purpose`: the reminder that it
    ends, its end, a support action): one delivery per legal representative and employer staff
    of the enterprise, each sent once, right here. The unique constraint (one per event and
    address) makes a run again send to nobody twice."""
    if purpose not in Delivery.RECOGNITION_PURPOSES:
        raise ValueError(f"{purpose!r} is not a notice of a recognition")
    with transaction.atomic():
        Delivery.objects.bulk_create([
            Delivery(purpose=purpose, recognition_event=event, recipient=user,
                     email=user.email)
            for user in enterprise_recipients(event.enterprise_id)
        ], ignore_conflicts=True)
        untried = list(Delivery.objects.filter(
            recognition_event=event, state=Delivery.State.PENDING, attempts=0,
            sending_since__isnull=True,
        ).order_by("pk").values_list("pk", flat=True))
    return _send_each(untried)


@task()
def send_recognition_notice(event_id: int, purpose: str) -> str:
    """E-mail what a line of a recognition's timeline means for the enterprise, once per
    recipient, as a delivery each (see `send_recognition_notices`)."""
    from werkplek.recognitions.models import RecognitionEvent

    event = RecognitionEvent.objects.select_related("enterprise", "recognition").get(
        pk=event_id)
    return send_recognition_notices(event=event, purpose=purpose)


def _day(value, fallback):
    """A day from an event's data (an ISO date), or `fallback`."""
    if isinstance(value, str) and value:
        return date.fromisoformat(value)
    return value or fallback


def recognition_notice_message(delivery: Delivery) -> EmailMessage:
    """The notice of a recognition's timeline for one recipient, in their language."""
    from werkplek.recognitions.models import SupportAction

    event = delivery.recognition_event
    recognition = event.recognition
    user = delivery.recipient
    with override((user.preferred_language if user else "") or event.enterprise.language
                  or "nl"):
        link = settings.SITE_URL + reverse("recognitions:detail", args=[recognition.pk])
        names = {"unit": recognition.unit.name, "programme": recognition.programme.name}
        if delivery.purpose == Delivery.Purpose.EXPIRY_REMINDER:
            day = _day(event.data.get("valid_until"), recognition.valid_until)
            subject = _("Your recognition for %(programme)s ends on %(date)s") % {
                **names, "date": day.strftime("%d/%m/%Y")}
            lines = [
                _("The recognition of %(unit)s as a workplace for dual learning for the "
                  "programme %(programme)s ends on %(date)s.") % {
                    **names, "date": day.strftime("%d/%m/%Y")},
                "",
                _("Apply for its renewal in time, so that the recognition continues without a "
                  "gap: %(link)s") % {"link": link},
            ]
        elif delivery.purpose == Delivery.Purpose.EXPIRY:
            day = _day(event.data.get("valid_until"), recognition.valid_until)
            subject = _("Your recognition for %(programme)s has ended") % names
            lines = [
                _("The recognition of %(unit)s as a workplace for dual learning for the "
                  "programme %(programme)s ended on %(date)s.") % {
                    **names, "date": day.strftime("%d/%m/%Y")},
                "",
                _("From now on you may not conclude new agreements with learners for this "
                  "programme at this establishment unit. To be recognised again, submit a new "
                  "application."),
            ]
            ended = len(event.data.get("agreements_ended", []))
            if ended:
                lines.append(ngettext("%(count)d running agreement ended with it.",
                                      "%(count)d running agreements ended with it.",
                                      ended) % {"count": ended})
            lines += [
                "",
                _("See the recognition at %(link)s") % {"link": link},
            ]
        elif delivery.purpose == Delivery.Purpose.EXCLUSION_ENDED:
            subject = _("Your exclusion has ended")
            lines = [
                _("The exclusion %(reference)s ended on %(date)s. From now on you may apply for "
                  "recognition again.") % {
                    "reference": event.data.get("reference", ""),
                    "date": _day(event.data.get("ends_on"), recognition.valid_until)
                    .strftime("%d/%m/%Y")},
                "",
                _("The recognitions that ended with the exclusion do not come back: apply anew "
                  "where you want to train learners."),
            ]
        else:
            action = SupportAction.objects.get(pk=event.data["support_action"])
            subject = _("A support action for your recognition for %(programme)s") % names
            lines = [
                _("%(partnership)s asks you to improve the following at %(unit)s for the "
                  "programme %(programme)s, at the latest on %(date)s:") % {
                    **names, "partnership": recognition.partnership.name,
                    "date": action.due_on.strftime("%d/%m/%Y")},
                "", action.improvement, "",
                _("Answer what you did on the page of the recognition: %(link)s") % {
                    "link": link},
                _("If the improvement is not made, a sanction may follow."),
            ]
        lines += ["", _("If an e-mail from Werkplek does not arrive, check your spam folder.")]
        body = "\n".join([_("Dear %(name)s,") % {"name": _name(user, delivery.email)}, "",
                          *lines])
    partnership = recognition.partnership
    return EmailMessage(subject=subject, body=body, to=[delivery.email],
                        reply_to=[partnership.email] if partnership.email else None)


# --- sending one delivery ----------------------------------------------------------------------

def delivery_message(delivery: Delivery) -> EmailMessage:
    """The e-mail of one delivery, in the recipient's language."""
    from werkplek.applications.tasks import notice_message, receipt_message

    if delivery.purpose == Delivery.Purpose.LETTER:
        return letter_message(delivery)
    if delivery.recognition_event_id:
        return recognition_notice_message(delivery)
    if delivery.purpose == Delivery.Purpose.RECEIPT:
        return receipt_message(delivery.application, recipient=delivery.recipient,
                               email=delivery.email)
    return notice_message(delivery.event, application=delivery.application,
                          recipient=delivery.recipient, email=delivery.email)


def _name(user, email: str) -> str:
    return (user.get_full_name() or user.username) if user else email


def _spam_hint() -> str:
    return _("If an e-mail from Werkplek does not arrive, check your spam folder.")


def letter_message(delivery: Delivery) -> EmailMessage:
    """The e-mail of a delivery of a letter, in the recipient's language, with the letter
    attached."""
    letter = delivery.letter
    user = delivery.recipient
    with override((user.preferred_language if user else "") or letter.language):
        if letter.application_id:
            subject, lines, reply_to = _decision_mail(letter)
        elif letter.sanction_id:
            subject, lines, reply_to = _sanction_mail(letter, delivery)
        else:
            subject, lines, reply_to = _appeal_mail(letter)
        body = "\n".join([_("Dear %(name)s,") % {"name": _name(user, delivery.email)}, "",
                          *lines, "", _spam_hint()])
    message = EmailMessage(subject=subject, body=body, to=[delivery.email],
                           reply_to=[reply_to] if reply_to else None)
    with letter.file.storage.open(letter.file.name, "rb") as handle:
        message.attach(letter.download_name(), handle.read(), "application/pdf")
    return message


def _decision_mail(letter: Letter) -> tuple[str, list[str], str]:
    application = letter.application
    approved = letter.kind == Letter.Kind.APPROVAL
    link = settings.SITE_URL + reverse("applications:detail", args=[application.pk])
    decision = _("approved") if approved else _("refused")
    subject = _("Decision on your application %(reference)s: %(decision)s") % {
        "reference": application.reference, "decision": decision}
    lines = [
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
        lines.append(_appeal_line(letter))
    lines += [
        _("The official decision letter is attached (letter reference %(reference)s).") % {
            "reference": letter.reference},
        "",
        _("Follow your application at %(link)s") % {"link": link},
    ]
    return subject, lines, application.partnership.email


def _appeal_line(letter: Letter) -> str:
    return _("Only the enterprise may appeal against this decision, within 10 calendar days "
             "of receiving it: at the latest on %(date)s. The attached letter says how.") % {
        "date": letter.appeal_until.strftime("%d/%m/%Y")}


def _sanction_mail(letter: Letter, delivery: Delivery) -> tuple[str, list[str], str]:
    sanction = letter.sanction
    recognition = sanction.recognition
    link = settings.SITE_URL + reverse("recognitions:detail", args=[recognition.pk])
    subject = _("Sanction for %(enterprise)s: %(kind)s (%(reference)s)") % {
        "enterprise": sanction.enterprise.name, "kind": sanction.get_kind_display(),
        "reference": sanction.reference}
    lines = [
        _("%(partnership)s has imposed a sanction on %(enterprise)s: %(kind)s. It concerns "
          "the recognition of %(unit)s for the programme %(programme)s.") % {
            "partnership": sanction.partnership.name, "enterprise": sanction.enterprise.name,
            "kind": sanction.get_kind_display(), "unit": recognition.unit.name,
            "programme": recognition.programme.name},
        "",
    ]
    if delivery.recipient_id and delivery.recipient_id in {
            coach.pk for coach in sanction_coaches(sanction)}:
        lines += [_("You receive this letter as the learner coach of an agreement that the "
                    "sanction ends early or gives another mentor."), ""]
    lines += [
        _appeal_line(letter),
        _("The official decision letter is attached (letter reference %(reference)s).") % {
            "reference": letter.reference},
        "",
        _("Follow the recognition at %(link)s") % {"link": link},
    ]
    return subject, lines, sanction.partnership.email


def _appeal_mail(letter: Letter) -> tuple[str, list[str], str]:
    from werkplek.appeals.models import Appeal

    appeal = letter.appeal
    link = settings.SITE_URL + reverse("appeals:detail", args=[appeal.pk])
    names = {"reference": appeal.reference, "enterprise": appeal.enterprise.name,
             "against": appealed_decision(appeal)}
    if letter.kind == Letter.Kind.APPEAL_RECEIPT:
        subject = _("Appeal %(reference)s received") % names
        lines = [
            _("The appeal committee (beroepscommissie) received the appeal %(reference)s of "
              "%(enterprise)s against %(against)s on %(date)s.") % {
                **names, "date": local_day(appeal.filed_at).strftime("%d/%m/%Y")},
            _("It will confirm whether the appeal is admissible at the latest on %(date)s.") % {
                "date": appeal.admissibility_due.strftime("%d/%m/%Y")},
            "",
            _("The official letter is attached (letter reference %(reference)s).") % {
                "reference": letter.reference},
        ]
    elif letter.kind == Letter.Kind.APPEAL_ADMISSIBILITY:
        if appeal.state == Appeal.State.INADMISSIBLE:
            subject = _("Appeal %(reference)s is inadmissible") % names
            lines = [
                _("The appeal committee found the appeal %(reference)s of %(enterprise)s "
                  "against %(against)s inadmissible: %(reason)s. The decision appealed "
                  "stands.") % {**names, "reason": appeal.get_admissibility_reason_display()},
            ]
        else:
            subject = _("Appeal %(reference)s is admissible") % names
            lines = [
                _("The appeal committee found the appeal %(reference)s of %(enterprise)s "
                  "against %(against)s admissible. It will hear the appeal and decide.")
                % names,
            ]
        lines += ["", _("The official decision letter is attached (letter reference "
                        "%(reference)s).") % {"reference": letter.reference}]
    else:
        if appeal.state == Appeal.State.OVERTURNED:
            subject = _("Decision on appeal %(reference)s: decision overturned") % names
            lines = [_("The appeal committee overturns %(against)s.") % names]
            recognition = getattr(appeal.application, "recognition", None) \
                if appeal.application_id else None
            if appeal.application_id and recognition is not None:
                lines.append(_("The recognition is valid from %(start)s up to and including "
                               "%(end)s.") % {
                    "start": recognition.valid_from.strftime("%d/%m/%Y"),
                    "end": recognition.valid_until.strftime("%d/%m/%Y")})
            elif appeal.sanction_id:
                lines.append(_("The sanction is lifted."))
        else:
            subject = _("Decision on appeal %(reference)s: decision upheld") % names
            lines = [_("The appeal committee upholds %(against)s: the decision stands.")
                     % names]
        lines += ["", _("The official decision letter is attached (letter reference "
                        "%(reference)s).") % {"reference": letter.reference}]
    lines += ["", _("Follow the appeal at %(link)s") % {"link": link}]
    host = appeal_body()
    return subject, lines, host.email if host else ""


INTERRUPTED = ("Interrupted: the worker stopped while sending, so whether the mail server "
               "accepted this attempt is unknown. Sent again with the same Message-ID.")


def _claim(delivery_id: int) -> bool:
    """Mark the delivery as being sent by this worker; False when there is nothing to do. A
    claim older than `stale_claim()` is taken over, and its attempt recorded as interrupted."""
    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.state != Delivery.State.PENDING:
            return False
        fields = ["sending_since"]
        if delivery.sending_since:
            if now - delivery.sending_since < stale_claim():
                return False  # another worker is sending it right now
            logger.warning("Delivery %s: taking over the claim of a worker that stopped while "
                           "sending (since %s)", delivery.pk, delivery.sending_since)
            delivery.attempts += 1
            delivery.round_attempts += 1
            fields += ["attempts", "round_attempts"]
            DeliveryAttempt.objects.create(delivery=delivery, at=delivery.sending_since,
                                           outcome=DeliveryAttempt.Outcome.FAILED,
                                           error=INTERRUPTED,
                                           requested_by_id=delivery.resend_requested_by_id)
        delivery.sending_since = now
        delivery.save(update_fields=fields)
    return True


def resume_deliveries(*, now=None) -> dict[str, int]:
    """Give a new task to the work a dead worker left behind (run every few minutes; safe to
    run again, and beside running workers): a delivery whose claim is stale, and a delivery or
    a letter never tried whose first task is not waiting in the queue (it was lost, or it was
    running when its worker died). Each task checks the state again under its own lock, so an
    extra task does nothing."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    old = now - stale_claim()
    waiting = DBTaskResult.objects.filter(status="READY")

    def queued(task_path: str) -> set[int]:
        return {row["args"][0] for row in waiting.filter(task_path=task_path)
                .values_list("args_kwargs", flat=True) if row.get("args")}

    stale = list(Delivery.objects.filter(state=Delivery.State.PENDING, sending_since__lt=old)
                 .values_list("pk", flat=True))
    untried = list(Delivery.objects.filter(state=Delivery.State.PENDING, attempts=0,
                                           sending_since__isnull=True, created_at__lt=old)
                   .values_list("pk", flat=True))
    letters = list(Letter.objects.filter(state=Letter.State.PENDING, attempts=0,
                                         created_at__lt=old).values_list("pk", flat=True))
    if untried:
        untried = [pk for pk in untried if pk not in queued(send_delivery.module_path)]
    if letters:
        letters = [pk for pk in letters if pk not in queued(prepare_letter.module_path)]
    for delivery_id in stale + untried:
        send_delivery.enqueue(delivery_id)
    for letter_id in letters:
        prepare_letter.enqueue(letter_id)
    if stale or untried or letters:
        logger.warning("Resumed %s delivery(ies) abandoned while sending, %s never tried, and "
                       "%s letter(s)", len(stale), len(untried), len(letters))
    return {"stale": len(stale), "untried": len(untried), "letters": len(letters)}


# What the timeline says for each e-mail that reached a recipient: the application's, the
# recognitions' (a sanction's letter, a notice of a recognition) or the appeal's.
def _sent_event(delivery: Delivery):
    from werkplek.appeals.models import AppealEvent
    from werkplek.recognitions.models import RecognitionEvent

    letter = delivery.letter if delivery.letter_id else None
    if letter is not None and letter.sanction_id:
        sanction = letter.sanction
        return RecognitionEvent(enterprise_id=sanction.enterprise_id,
                                recognition_id=sanction.recognition_id, sanction=sanction,
                                kind=RecognitionEvent.Kind.LETTER_SENT,
                                data={"to": [delivery.email], "letter": letter.pk})
    if letter is not None and letter.appeal_id:
        return AppealEvent(appeal_id=letter.appeal_id, kind=AppealEvent.Kind.LETTER_SENT,
                           data={"to": [delivery.email], "letter": letter.pk})
    if delivery.recognition_event_id:
        event = delivery.recognition_event
        return RecognitionEvent(enterprise_id=event.enterprise_id,
                                recognition_id=event.recognition_id,
                                kind=RecognitionEvent.Kind.NOTICE_SENT,
                                data={"event": event.pk, "to": [delivery.email]})
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
    delivery = (Delivery.objects.select_for_update(of=("self",))
                .select_related("letter__sanction", "recognition_event").get(pk=delivery_id))
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
        "recipient", "event", "application__partnership",
        "application__enterprise", "application__unit", "application__programme",
        "application__recognition", "recognition_event__enterprise",
        "recognition_event__recognition__unit", "recognition_event__recognition__programme",
        "recognition_event__recognition__partnership").get(pk=delivery_id)
    try:
        if delivery.letter_id:
            delivery.letter = _letter(delivery.letter_id)
        message = delivery_message(delivery)
        message.extra_headers["Message-ID"] = message_id(delivery)
        message.send()
    except (SMTPException, OSError) as error:
        logger.warning("Delivery %s failed: %s", delivery_id, error)
        with transaction.atomic():
            delivery = _record(delivery_id, error=error, retry=True)
        return f"failed ({delivery.get_state_display()})"
    except Exception as error:
        with transaction.atomic():
            _record(delivery_id, error=error, retry=False)
        raise
    # Accepted by the mail server: record it at once (the window described at the top).
    with transaction.atomic():
        _record(delivery_id, error=None, retry=False)
    return "sent"


@task()
def send_delivery(delivery_id: int) -> str:
    """Send one delivery once (see `deliver`): the first send of a letter's delivery, and every
    retry."""
    return deliver(delivery_id)
