"""Official notification of a decision: issue the letter; let a case handler send a failed
delivery again, or have a letter that could not be prepared tried again. The rendering and the
sending themselves happen in `tasks.py`, through the task queue."""

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


def max_attempts() -> int:
    """Attempts per round before a delivery, or the preparation of a letter, counts as failed
    (settings.NOTICES_MAX_ATTEMPTS)."""
    return int(getattr(settings, "NOTICES_MAX_ATTEMPTS", MAX_ATTEMPTS))


def retry_delay(failed_attempts: int) -> timedelta:
    """How long to wait after the `failed_attempts`-th failed attempt of a round."""
    return RETRY_DELAYS[min(failed_attempts, len(RETRY_DELAYS)) - 1]


def date_letter(letter: Letter, day) -> None:
    """Date the letter; a refusal states the last day to appeal, counted from that day (the
    day it is sent)."""
    letter.dated_on = day
    if letter.kind == Letter.Kind.REFUSAL:
        deadline = appeal_deadline(day)
        letter.appeal_until, letter.appeal_rule = deadline.day, deadline.rule
    else:
        letter.appeal_until, letter.appeal_rule = None, ""


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
    number = (Letter.objects.filter(application=application)
              .aggregate(last=Max("number"))["last"] or 0) + 1
    letter = Letter(application=application, number=number,
                    reference=f"{application.reference}-K{number}", kind=kind,
                    language=application.enterprise.language or "nl", created_by=actor)
    date_letter(letter, timezone.localdate())
    letter.save()
    from .tasks import prepare_letter

    transaction.on_commit(lambda: prepare_letter.enqueue(letter.pk))
    return letter


def _check_handler(actor, application: Application) -> None:
    from werkplek.applications.backoffice import is_handler

    if not is_handler(actor, application):
        raise PermissionDenied(_("Only a case handler of the competent partnership can do this."))


@transaction.atomic
def resend(*, actor, delivery_id: int) -> Delivery:
    """Send a failed delivery again (a new round of attempts); only a case handler of the
    application's partnership may ask, and who asked is recorded."""
    delivery = (Delivery.objects.select_for_update(of=("self",))
                .select_related("application").get(pk=delivery_id))
    _check_handler(actor, delivery.application)
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
    it is ready, it is sent to each recipient); only a case handler of the application's
    partnership may ask, and who asked is recorded."""
    letter = (Letter.objects.select_for_update(of=("self",))
              .select_related("application").get(pk=letter_id))
    _check_handler(actor, letter.application)
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
