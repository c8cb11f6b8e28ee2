"""Official notification: issue the letter of a decision on an application, of a sanction, or
of a step of an appeal; e-mail the notices of a recognition's timeline; let a case handler (or
the appeal committee, for an appeal) send a failed delivery again, or have a letter that could
not be prepared tried again. The rendering and the sending themselves happen in `tasks.py`,
through the task queue."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from werkplek.applications.models import Application
from werkplek.core.deadlines import appeal_deadline

from .models import Delivery, Letter

MAX_ATTEMPTS = 5
# The wait before the 2nd, 3rd, 4th and 5th attempt (the last one repeats if more are allowed).
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                timedelta(hours=2))

# The letters of a sanction and of an appeal, by what they are about.
SANCTION_KINDS = (Letter.Kind.SANCTION,)
APPEAL_KINDS = (Letter.Kind.APPEAL_RECEIPT, Letter.Kind.APPEAL_ADMISSIBILITY,
                Letter.Kind.APPEAL_DECISION)


def max_attempts() -> int:
    """Attempts per round before a delivery, or the preparation of a letter, counts as failed
    (settings.NOTICES_MAX_ATTEMPTS)."""
    return int(getattr(settings, "NOTICES_MAX_ATTEMPTS", MAX_ATTEMPTS))


def retry_delay(failed_attempts: int) -> timedelta:
    """How long to wait after the `failed_attempts`-th failed attempt of a round."""
    return RETRY_DELAYS[min(failed_attempts, len(RETRY_DELAYS)) - 1]


def date_letter(letter: Letter, day) -> None:
    """Date the letter; a letter that may be appealed (a refusal, a sanction) states the last
    day to appeal, counted from that day (the day it is sent)."""
    letter.dated_on = day
    if letter.kind in Letter.APPEALABLE_KINDS:
        deadline = appeal_deadline(day)
        letter.appeal_until, letter.appeal_rule = deadline.day, deadline.rule
    else:
        letter.appeal_until, letter.appeal_rule = None, ""


def _create_letter(*, kind: str, actor, **subject) -> Letter:
    """The next letter about `subject` (one of application=, sanction=, appeal=), in the
    enterprise's language, dated today; rendered and sent by a task after the commit."""
    (field, value), = subject.items()
    number = (Letter.objects.filter(**{field: value})
              .aggregate(last=Max("number"))["last"] or 0) + 1
    letter = Letter(**{field: value}, number=number, reference=f"{value.reference}-K{number}",
                    kind=kind, language=value.enterprise.language or "nl", created_by=actor)
    date_letter(letter, timezone.localdate())
    letter.save()
    from .tasks import prepare_letter

    transaction.on_commit(lambda: prepare_letter.enqueue(letter.pk))
    return letter


@transaction.atomic
def issue_decision_letter(*, application: Application, actor) -> Letter:
    """Create the decision letter of an application that was just approved or refused, in the
    enterprise's language; after the commit a task renders the PDF and sends it by e-mail to
    each recipient. Called inside the decision's transaction, which holds the application."""
    kinds = {
        (Application.State.APPROVED, Application.Outcome.APPROVE): Letter.Kind.APPROVAL,
        (Application.State.REFUSED, Application.Outcome.REFUSE): Letter.Kind.REFUSAL,
    }
    kind = kinds.get((application.state, application.decision))
    if kind is None:
        raise ValidationError(_("A decision letter needs an approved or refused application."),
                              code="not_decided")
    return _create_letter(kind=kind, actor=actor, application=application)


@transaction.atomic
def issue_letter(*, kind: str, actor, sanction=None, appeal=None) -> Letter:
    """Create the letter of a sanction (kind SANCTION, which states the last day to appeal)
    or of a step of an appeal (APPEAL_RECEIPT, APPEAL_ADMISSIBILITY, APPEAL_DECISION), in the
    enterprise's language, numbered per sanction or appeal; after the commit a task renders
    the PDF and sends it by e-mail to each recipient.

    Called inside the transaction of the service that imposed the sanction or took the
    appeal's step (it checked the permission and holds the sanction or the appeal)."""
    if (sanction is None) == (appeal is None):
        raise ValidationError(_("A letter is about one sanction or one appeal."),
                              code="one_subject")
    if (sanction is not None and kind not in SANCTION_KINDS) or \
            (appeal is not None and kind not in APPEAL_KINDS):
        raise ValidationError(_("This kind of letter does not fit what it is about."),
                              code="wrong_kind")
    if appeal is not None:
        from werkplek.appeals.models import Appeal

        if kind == Letter.Kind.APPEAL_ADMISSIBILITY and appeal.state == Appeal.State.FILED:
            raise ValidationError(_("The admissibility of the appeal has not been decided yet."),
                                  code="not_decided")
        if kind == Letter.Kind.APPEAL_DECISION and appeal.state not in (
                Appeal.State.UPHELD, Appeal.State.OVERTURNED):
            raise ValidationError(_("The appeal committee has not decided on the appeal yet."),
                                  code="not_decided")
        return _create_letter(kind=kind, actor=actor, appeal=appeal)
    return _create_letter(kind=kind, actor=actor, sanction=sanction)


def notify_recognition_event(*, event, purpose: str) -> None:
    """E-mail what a line of a recognition's timeline means for the enterprise (the reminder
    that it ends, its end, a support action): after the commit a task sends it once to each
    of the enterprise's legal representatives and employer staff, as a delivery each. Safe
    to call again: each address is reached once per event."""
    if purpose not in Delivery.RECOGNITION_PURPOSES:
        raise ValidationError(_("This e-mail is not a notice of a recognition."),
                              code="wrong_purpose")
    if not event.recognition_id:
        raise ValidationError(_("A notice of a recognition needs the recognition."),
                              code="no_recognition")
    from .tasks import send_recognition_notice

    transaction.on_commit(
        lambda: send_recognition_notice.enqueue(event.pk, str(purpose)))


def _check_may_handle(actor, *, letter: Letter | None = None,
                      delivery: Delivery | None = None) -> None:
    from .selectors import may_handle_delivery, may_handle_letter

    allowed = may_handle_letter(actor, letter) if letter is not None \
        else may_handle_delivery(actor, delivery)
    if allowed:
        return
    letter = letter if letter is not None else delivery.letter
    if letter is not None and letter.appeal_id:
        raise PermissionDenied(_("Only a member of the appeal committee can do this."))
    raise PermissionDenied(_("Only a case handler of the competent partnership can do this."))


@transaction.atomic
def resend(*, actor, delivery_id: int) -> Delivery:
    """Send a failed delivery again (a new round of attempts); only a case handler of the
    partnership of the application, the sanction or the recognition (the appeal committee,
    for an appeal's letter) may ask, and who asked is recorded."""
    delivery = (Delivery.objects.select_for_update(of=("self",))
                .select_related("application", "letter__application", "letter__sanction",
                                "recognition_event__recognition", "recognition_event__sanction")
                .get(pk=delivery_id))
    _check_may_handle(actor, delivery=delivery)
    if delivery.state != Delivery.State.FAILED:
        raise ValidationError(_("Only a delivery that failed can be sent again."),
                              code="not_failed")
    delivery.state = Delivery.State.PENDING
    delivery.round_attempts = 0
    delivery.sending_since = None
    delivery.resend_requested_by = actor
    delivery.resend_requested_at = timezone.now()
    delivery.save(update_fields=["state", "round_attempts", "sending_since",
                                 "resend_requested_by", "resend_requested_at"])
    from .tasks import send_delivery

    transaction.on_commit(lambda: send_delivery.enqueue(delivery.pk))
    return delivery


@transaction.atomic
def retry_letter(*, actor, letter_id: int) -> Letter:
    """Try again to prepare a letter whose every attempt failed (a new round of attempts; once
    it is ready, it is sent to each recipient); only a case handler of the partnership of the
    application or the sanction (the appeal committee, for an appeal's letter) may ask, and
    who asked is recorded."""
    letter = (Letter.objects.select_for_update(of=("self",))
              .select_related("application", "sanction", "appeal").get(pk=letter_id))
    _check_may_handle(actor, letter=letter)
    if letter.state != Letter.State.FAILED:
        raise ValidationError(_("Only a letter that could not be prepared can be tried again."),
                              code="not_failed")
    letter.state = Letter.State.PENDING
    letter.round_attempts = 0
    letter.retry_requested_by = actor
    letter.retry_requested_at = timezone.now()
    letter.save(update_fields=["state", "round_attempts", "retry_requested_by",
                               "retry_requested_at"])
    from .tasks import prepare_letter

    transaction.on_commit(lambda: prepare_letter.enqueue(letter.pk))
    return letter
