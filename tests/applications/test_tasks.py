"""The receipt and the notices (completion request, lapse, message) go to each recipient as a
delivery: sent once, a failure of the mail server recorded and retried with a backoff, failed for
good after the last attempt (the case handlers see it and can send it again), and never sent
twice to a recipient already reached."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from werkplek.applications import backoffice, services
from werkplek.applications.models import ApplicationEvent
from werkplek.applications.tasks import send_notice, send_receipt
from werkplek.notices.models import Delivery, DeliveryAttempt
from werkplek.notices.services import RETRY_DELAYS, resend
from werkplek.notices.tasks import send_delivery

SEND = "werkplek.notices.tasks.send_delivery"
ADDRESSES = ["vertegenwoordiger@werkplek.example", "werkgever@werkplek.example"]


def retries(delivery) -> list:
    return sorted((r for r in DBTaskResult.objects.filter(task_path=SEND)
                   if r.args_kwargs["args"] == [delivery.pk]), key=lambda r: r.enqueued_at)


@pytest.fixture
def submitted(ready_draft, demo_user):
    return services.submit(actor=demo_user("werkgever"), application_id=ready_draft.pk)


@pytest.fixture
def smtp_down(monkeypatch):
    """The mail server drops the connection, for every address or only for `only`."""
    calls = []
    send = EmailMessage.send

    def down(only: set[str] | None = None, error: Exception | None = None):
        def fail(self, fail_silently=False):
            calls.append(self.to[0])
            if only is None or self.to[0] in only:
                raise error or SMTPServerDisconnected("Connection unexpectedly closed")
            return send(self, fail_silently)

        monkeypatch.setattr(EmailMessage, "send", fail)
        return calls

    down.calls = calls
    down.restore = monkeypatch.undo
    return down


def _events(application, kind):
    return sorted((e.data for e in application.events.filter(kind=kind)),
                  key=lambda data: data["to"])


# --- the receipt -------------------------------------------------------------------------------

def test_the_receipt_reaches_each_recipient_once_as_a_delivery(submitted, mailoutbox):
    assert send_receipt.call(submitted.pk) == "sent 2"
    assert send_receipt.call(submitted.pk) == "sent 0"  # a run again sends nothing twice

    assert sorted(m.to[0] for m in mailoutbox) == ADDRESSES
    deliveries = list(Delivery.objects.filter(application=submitted))
    assert len(deliveries) == 2
    for delivery in deliveries:
        assert delivery.purpose == Delivery.Purpose.RECEIPT
        assert delivery.letter is None and delivery.event is None
        assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 1)
        assert delivery.attempt_log.get().outcome == DeliveryAttempt.Outcome.SENT
    assert _events(submitted, ApplicationEvent.Kind.RECEIPT_SENT) == [
        {"to": [address]} for address in ADDRESSES]
    assert all(submitted.reference in m.subject for m in mailoutbox)


def test_a_mail_server_that_is_down_is_recorded_and_tried_again_later(
        submitted, smtp_down, mailoutbox, django_capture_on_commit_callbacks):
    smtp_down()
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        assert send_receipt.call(submitted.pk) == "sent 0, 2 failed"

    assert not mailoutbox
    assert not submitted.events.filter(kind=ApplicationEvent.Kind.RECEIPT_SENT).exists()
    deliveries = list(Delivery.objects.filter(application=submitted))
    assert len(deliveries) == 2
    for delivery in deliveries:
        assert (delivery.state, delivery.attempts) == (Delivery.State.PENDING, 1)
        assert delivery.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
        attempt = delivery.attempt_log.get()
        assert (attempt.outcome, attempt.error) == (DeliveryAttempt.Outcome.FAILED,
                                                    delivery.last_error)
        retry, = retries(delivery)
        assert before + RETRY_DELAYS[0] <= retry.run_after <= timezone.now() + RETRY_DELAYS[0]

    # The mail server is back: the retries send the receipt, once.
    smtp_down.restore()
    for delivery in deliveries:
        assert send_delivery.call(delivery.pk) == "sent"
    assert send_receipt.call(submitted.pk) == "sent 0"
    assert sorted(m.to[0] for m in mailoutbox) == ADDRESSES
    assert _events(submitted, ApplicationEvent.Kind.RECEIPT_SENT) == [
        {"to": [address]} for address in ADDRESSES]


def test_after_the_last_attempt_the_handlers_see_it_and_can_send_it_again(
        submitted, smtp_down, mailoutbox, settings, demo_user,
        django_capture_on_commit_callbacks):
    from werkplek.notices.selectors import undelivered_for

    settings.NOTICES_MAX_ATTEMPTS = 2
    smtp_down(only={"werkgever@werkplek.example"})
    with django_capture_on_commit_callbacks(execute=True):
        send_receipt.call(submitted.pk)
    failing = Delivery.objects.get(application=submitted, email="werkgever@werkplek.example")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_delivery.call(failing.pk) == "failed (failed)"

    failing.refresh_from_db()
    assert (failing.state, failing.attempts) == (Delivery.State.FAILED, 2)
    assert len(retries(failing)) == 1  # after the first failure only
    handler = demo_user("behandelaar-bouw")
    undelivered = undelivered_for(handler)
    assert (undelivered.letters, undelivered.mails) == (0, 1)
    assert undelivered.items[0].email == "werkgever@werkplek.example"
    assert undelivered.items[0].reference == submitted.reference
    assert not undelivered_for(demo_user("behandelaar-vpdl"))
    assert [m.to[0] for m in mailoutbox] == ["vertegenwoordiger@werkplek.example"]

    smtp_down.restore()
    with django_capture_on_commit_callbacks(execute=True):
        resend(actor=handler, delivery_id=failing.pk)
    assert send_delivery.call(failing.pk) == "sent"
    failing.refresh_from_db()
    assert (failing.state, failing.attempts) == (Delivery.State.SENT, 3)
    assert failing.attempt_log.order_by("pk").last().requested_by == handler
    assert not undelivered_for(handler)
    assert sorted(m.to[0] for m in mailoutbox) == ADDRESSES


def test_a_recipient_already_reached_is_not_sent_to_again(
        submitted, smtp_down, mailoutbox, django_capture_on_commit_callbacks):
    smtp_down(only={"vertegenwoordiger@werkplek.example"})
    with django_capture_on_commit_callbacks(execute=True):
        assert send_receipt.call(submitted.pk) == "sent 1, 1 failed"
    # The task again (a second worker, a lost task enqueued twice): nobody gets it twice, and
    # the failed one waits for its own retry.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_receipt.call(submitted.pk) == "sent 0"
    assert sorted(smtp_down.calls) == ADDRESSES  # one attempt each
    waiting = Delivery.objects.get(email="vertegenwoordiger@werkplek.example",
                                   application=submitted)
    assert len(retries(waiting)) == 1

    smtp_down.restore()
    assert send_delivery.call(waiting.pk) == "sent"
    assert sorted(m.to[0] for m in mailoutbox) == ADDRESSES


def test_an_address_the_timeline_says_was_reached_gets_no_delivery(submitted, mailoutbox):
    """A receipt sent before deliveries were recorded for it stays sent."""
    ApplicationEvent.objects.create(application=submitted,
                                    kind=ApplicationEvent.Kind.RECEIPT_SENT,
                                    data={"to": ["werkgever@werkplek.example"]})

    assert send_receipt.call(submitted.pk) == "sent 1"

    assert [m.to[0] for m in mailoutbox] == ["vertegenwoordiger@werkplek.example"]
    assert list(Delivery.objects.filter(application=submitted)
                .values_list("email", flat=True)) == ["vertegenwoordiger@werkplek.example"]


def test_an_unexpected_error_fails_that_delivery_at_once_and_the_others_still_go(
        submitted, smtp_down, mailoutbox):
    smtp_down(only={"vertegenwoordiger@werkplek.example"}, error=ValueError("template bug"))

    with pytest.raises(ValueError, match="template bug"):
        send_receipt.call(submitted.pk)

    broken = Delivery.objects.get(application=submitted,
                                  email="vertegenwoordiger@werkplek.example")
    assert (broken.state, broken.last_error) == (Delivery.State.FAILED,
                                                 "ValueError: template bug")
    assert not retries(broken)
    assert [m.to[0] for m in mailoutbox] == ["werkgever@werkplek.example"]


def test_the_receipt_of_a_deleted_account_still_reads_well(submitted, mailoutbox):
    """An account removed after the delivery was made (recipient emptied): the e-mail still
    goes to the address, greeting it and in the enterprise's language."""
    send_receipt.call(submitted.pk)
    delivery = Delivery.objects.get(application=submitted, email="werkgever@werkplek.example")
    Delivery.objects.filter(pk=delivery.pk).update(recipient=None, state=Delivery.State.PENDING,
                                                   attempts=0)
    mailoutbox.clear()

    assert send_delivery.call(delivery.pk) == "sent"

    message, = mailoutbox
    assert message.to == ["werkgever@werkplek.example"]
    assert message.body.startswith("Beste werkgever@werkplek.example,")


# --- the notices -------------------------------------------------------------------------------

@pytest.fixture
def in_progress(submitted, demo_user):
    return backoffice.mark_complete(actor=demo_user("behandelaar-bouw"),
                                    application_id=submitted.pk)


def _completion_request(application, handler):
    backoffice.request_completion(actor=handler, application_id=application.pk,
                                  message="Voeg het uittreksel van de mentor toe.",
                                  sections=["mentors"])
    return application.events.get(kind=ApplicationEvent.Kind.COMPLETION_REQUESTED)


def _message(application, handler):
    backoffice.add_note(actor=handler, application_id=application.pk, kind="message",
                        body="We komen op 3/12 langs.")
    return application.events.get(kind=ApplicationEvent.Kind.MESSAGE)


def _lapse(application, handler):
    _completion_request(application, handler)
    application.refresh_from_db()
    backoffice.lapse_overdue(today=application.completion_due + timedelta(days=1))
    return application.events.get(kind=ApplicationEvent.Kind.LAPSED)


@pytest.mark.parametrize(("make", "purpose", "text"), [
    (_completion_request, Delivery.Purpose.COMPLETION_REQUEST,
     "Voeg het uittreksel van de mentor toe."),
    (_message, Delivery.Purpose.MESSAGE, "We komen op 3/12 langs."),
    (_lapse, Delivery.Purpose.LAPSE, "lapsed"),
], ids=["completion_request", "message", "lapse"])
def test_a_notice_survives_a_mail_server_that_is_down(
        in_progress, demo_user, smtp_down, mailoutbox, make, purpose, text,
        django_capture_on_commit_callbacks):
    handler = demo_user("behandelaar-bouw")
    for user in (demo_user("werkgever"), demo_user("vertegenwoordiger")):
        user.preferred_language = "en"
        user.save()
    event = make(in_progress, handler)
    smtp_down()

    with django_capture_on_commit_callbacks(execute=True):
        assert send_notice.call(event.pk) == "sent 0, 2 failed"

    deliveries = list(Delivery.objects.filter(event=event))
    assert len(deliveries) == 2
    assert all(d.purpose == purpose and d.application_id == in_progress.pk for d in deliveries)
    assert all(d.state == Delivery.State.PENDING and d.attempts == 1 for d in deliveries)
    assert all(len(retries(d)) == 1 for d in deliveries)
    assert not in_progress.events.filter(kind=ApplicationEvent.Kind.NOTICE_SENT).exists()

    smtp_down.restore()
    for delivery in deliveries:
        assert send_delivery.call(delivery.pk) == "sent"
    assert send_notice.call(event.pk) == "sent 0"
    assert sorted(m.to[0] for m in mailoutbox) == ADDRESSES
    assert all(text in m.body and "spam folder" in m.body for m in mailoutbox)
    assert _events(in_progress, ApplicationEvent.Kind.NOTICE_SENT) == [
        {"event": event.pk, "to": [address]} for address in ADDRESSES]


def test_each_notice_reaches_an_address_once_but_two_notices_both_reach_it(
        in_progress, demo_user, mailoutbox):
    handler = demo_user("behandelaar-bouw")
    first = _message(in_progress, handler)
    send_notice.call(first.pk)
    backoffice.add_note(actor=handler, application_id=in_progress.pk, kind="message",
                        body="Nog een vraag.")
    second = in_progress.events.filter(kind=ApplicationEvent.Kind.MESSAGE).latest("pk")

    send_notice.call(second.pk)
    send_notice.call(first.pk)

    assert len(mailoutbox) == 4
    assert Delivery.objects.filter(application=in_progress,
                                   purpose=Delivery.Purpose.MESSAGE).count() == 4


# --- over SMTP, through the task queue ---------------------------------------------------------

def test_the_receipt_arrives_when_a_refusing_mail_server_accepts_again(
        committed_data, smtp_server, run_tasks):
    from tests.notices.conftest import make_flaky, make_retries_due, submitted_application

    switch = make_flaky(smtp_server)
    application = submitted_application()  # commits: the receipt is enqueued
    run_tasks()

    assert switch["refused"] == 2 and not smtp_server.messages
    deliveries = list(Delivery.objects.filter(application=application))
    assert len(deliveries) == 2
    for delivery in deliveries:
        assert (delivery.state, delivery.attempts) == (Delivery.State.PENDING, 1)
        assert delivery.last_error.startswith("SMTPDataError: (451")
    assert not application.events.filter(kind=ApplicationEvent.Kind.RECEIPT_SENT).exists()

    switch["refuse"] = False
    assert make_retries_due() == 2
    run_tasks()

    assert sorted(to for m in smtp_server.messages for to in m["to"]) == ADDRESSES
    body = smtp_server.messages[0]["message"].get_body().get_content()
    assert application.reference in body and "spam" in body
    assert all(d.state == Delivery.State.SENT and d.attempts == 2
               for d in Delivery.objects.filter(application=application))
    assert _events(application, ApplicationEvent.Kind.RECEIPT_SENT) == [
        {"to": [address]} for address in ADDRESSES]
    run_tasks()
    assert len(smtp_server.messages) == 2  # nothing goes out twice
