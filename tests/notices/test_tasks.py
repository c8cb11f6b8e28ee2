"""Sending a delivery: once, in the recipient's language, with the letter attached; failures of
the mail server retried with a backoff, every attempt recorded, failed for good at the end."""

import io
from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from werkplek.applications.models import ApplicationEvent
from werkplek.notices.models import Delivery, DeliveryAttempt
from werkplek.notices.services import RETRY_DELAYS
from werkplek.notices.tasks import STALE_CLAIM, send_delivery

pytestmark = pytest.mark.django_db

SEND = "werkplek.notices.tasks.send_delivery"


def retries(delivery) -> list:
    return sorted((r for r in DBTaskResult.objects.filter(task_path=SEND)
                   if r.args_kwargs["args"] == [delivery.pk]), key=lambda r: r.enqueued_at)


@pytest.fixture
def delivery(approved, prepared):
    letter = prepared(approved)
    return letter.deliveries.select_related("letter", "recipient").get(
        recipient__username="vertegenwoordiger")


@pytest.fixture
def smtp_down(monkeypatch):
    calls = []

    def fail(self, fail_silently=False):
        calls.append(self)
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMessage, "send", fail)
    return calls


def test_running_the_send_task_twice_sends_once(delivery, mailoutbox):
    assert send_delivery.call(delivery.pk) == "sent"
    assert send_delivery.call(delivery.pk) == "nothing to send"

    assert len(mailoutbox) == 1
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT
    assert delivery.attempts == 1 and delivery.sent_at is not None
    attempt = delivery.attempt_log.get()
    assert attempt.outcome == DeliveryAttempt.Outcome.SENT and attempt.requested_by is None
    event = ApplicationEvent.objects.get(application=delivery.letter.application,
                                         kind=ApplicationEvent.Kind.LETTER_SENT)
    assert event.data == {"to": ["vertegenwoordiger@werkplek.example"],
                          "letter": delivery.letter_id}


def test_the_mail_has_the_decision_a_link_the_spam_hint_and_the_letter(delivery, mailoutbox):
    delivery.recipient.preferred_language = "en"
    delivery.recipient.save()
    application = delivery.letter.application

    send_delivery.call(delivery.pk)

    message = mailoutbox[0]
    assert message.to == ["vertegenwoordiger@werkplek.example"]
    assert message.subject == f"Decision on your application {application.reference}: approved"
    assert message.reply_to == [application.partnership.email]
    link = settings.SITE_URL + reverse("applications:detail", args=[application.pk])
    assert link in message.body
    assert "the application is approved" in message.body
    assert delivery.letter.reference in message.body
    assert "check your spam folder" in message.body
    recognition = application.recognition
    assert recognition.valid_until.strftime("%d/%m/%Y") in message.body
    (name, content, mimetype), = message.attachments
    assert mimetype == "application/pdf"
    assert name == f"beslissing-{delivery.letter.reference}.pdf"  # the letter stays Dutch
    reader = PdfReader(io.BytesIO(content))
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert application.reference in reader.pages[0].extract_text()


def test_each_recipient_reads_the_mail_in_their_own_language(approved, prepared, mailoutbox,
                                                             user):
    english = user("werkgever")
    english.preferred_language = "en"
    english.save()
    letter = prepared(approved)

    for delivery in letter.deliveries.all():
        send_delivery.call(delivery.pk)

    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects["werkgever@werkplek.example"].startswith("Decision on your application")
    from django.utils import translation

    with translation.override("nl"):
        from django.utils.translation import gettext

        dutch = gettext("Decision on your application %(reference)s: %(decision)s") % {
            "reference": approved.reference, "decision": gettext("approved")}
    assert subjects["vertegenwoordiger@werkplek.example"] == dutch


def test_a_refusal_mail_names_the_last_day_to_appeal(refused, prepared, mailoutbox):
    letter = prepared(refused)
    delivery = letter.deliveries.get(recipient__username="werkgever")
    delivery.recipient.preferred_language = "en"
    delivery.recipient.save()

    send_delivery.call(delivery.pk)

    body = mailoutbox[0].body
    assert mailoutbox[0].subject.endswith(": refused")
    assert "Only the enterprise may appeal" in body
    assert letter.appeal_until.strftime("%d/%m/%Y") in body


def test_a_failing_mail_server_records_the_attempt_and_schedules_a_retry(
        delivery, smtp_down, django_capture_on_commit_callbacks):
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        send_delivery.call(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.PENDING
    assert (delivery.attempts, delivery.round_attempts) == (1, 1)
    assert delivery.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert delivery.sending_since is None
    attempt = delivery.attempt_log.get()
    assert attempt.outcome == DeliveryAttempt.Outcome.FAILED
    assert attempt.error == delivery.last_error
    retry = retries(delivery)[-1]
    assert before + RETRY_DELAYS[0] <= retry.run_after <= timezone.now() + RETRY_DELAYS[0]
    assert not ApplicationEvent.objects.filter(kind=ApplicationEvent.Kind.LETTER_SENT).exists()


def test_after_the_last_attempt_the_delivery_fails_for_good(
        delivery, smtp_down, django_capture_on_commit_callbacks):
    first = len(retries(delivery))  # the first send, enqueued by the letter's task

    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            send_delivery.call(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    assert delivery.attempts == 5
    assert list(delivery.attempt_log.values_list("outcome", flat=True)) == ["failed"] * 5
    assert len(retries(delivery)) == first + 4  # a retry after each failure but the last
    delays = [r.run_after - r.enqueued_at for r in retries(delivery)[first:]]
    assert delays == sorted(delays)  # backing off
    assert send_delivery.call(delivery.pk) == "nothing to send"
    assert len(smtp_down) == 5


def test_an_unexpected_error_fails_the_delivery_at_once(delivery, monkeypatch):
    def broken(self, fail_silently=False):
        raise ValueError("template bug")

    monkeypatch.setattr(EmailMessage, "send", broken)

    with pytest.raises(ValueError):
        send_delivery.call(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    assert delivery.last_error == "ValueError: template bug"
    assert delivery.sending_since is None


def test_a_delivery_being_sent_by_another_worker_is_left_alone(delivery, mailoutbox):
    Delivery.objects.filter(pk=delivery.pk).update(sending_since=timezone.now())

    assert send_delivery.call(delivery.pk) == "nothing to send"
    assert not mailoutbox


def test_a_delivery_abandoned_by_a_dead_worker_is_taken_over(delivery, mailoutbox):
    Delivery.objects.filter(pk=delivery.pk).update(
        sending_since=timezone.now() - STALE_CLAIM - timedelta(seconds=1))

    assert send_delivery.call(delivery.pk) == "sent"
    assert len(mailoutbox) == 1


def test_a_resent_round_records_who_asked_on_its_attempts(delivery, user, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    from werkplek.notices.services import resend

    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.FAILED,
                                                   attempts=5, round_attempts=5)
    handler = user("behandelaar-bouw")
    resend(actor=handler, delivery_id=delivery.pk)

    send_delivery.call(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 6)
    assert delivery.attempt_log.get().requested_by == handler
