"""End to end through the task queue: the decision's transaction commits, the worker renders the
letter and e-mails it to a real SMTP server; the PDF arrives attached and says what was decided."""

import io
import re

import pytest
from pypdf import PdfReader

from werkplek.applications.models import ApplicationEvent
from werkplek.notices.models import Delivery, DeliveryAttempt, Letter

from .conftest import decided_application, issue


def _letters(inbox) -> dict:
    """The received messages that carry a PDF, by recipient, with the PDF's text."""
    found = {}
    for received in inbox.messages:
        message = received["message"]
        pdfs = [part for part in message.iter_attachments()
                if part.get_content_type() == "application/pdf"]
        if pdfs:
            (pdf,) = pdfs
            reader = PdfReader(io.BytesIO(pdf.get_content()))
            text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
            found[received["to"][0]] = {"message": message, "name": pdf.get_filename(),
                                        "text": text, "lang": reader.trailer["/Root"]["/Lang"]}
    return found


@pytest.mark.parametrize("decision", ["approve", "refuse"])
def test_the_letter_reaches_every_recipient_over_smtp(committed_data, smtp_server, run_tasks,
                                                      decision):
    application = decided_application(decision)
    application.enterprise.language = "en"
    application.enterprise.save()

    letter = issue(application)  # commits: the rendering is enqueued
    run_tasks()

    letter.refresh_from_db()
    received = _letters(smtp_server)
    assert set(received) == {"werkgever@werkplek.example", "vertegenwoordiger@werkplek.example"}
    word = "approved" if decision == "approve" else "refused"
    for mail in received.values():
        assert mail["name"] == f"decision-{letter.reference}.pdf"
        assert mail["lang"] == "en"
        assert application.reference in mail["text"]
        assert letter.reference in mail["text"]
        assert f"The application is {word}." in mail["text"]
        assert application.reference in mail["message"]["Subject"]
        body = mail["message"].get_body(preferencelist=("plain",)).get_content()
        assert "spam" in body
    if decision == "refuse":
        assert letter.kind == Letter.Kind.REFUSAL
        deadline = letter.appeal_until.strftime("%d/%m/%Y")
        assert all(f"at the latest on {deadline}" in m["text"] for m in received.values())
    else:
        assert all("Jan Peeters" in m["text"] for m in received.values())

    deliveries = list(letter.deliveries.all())
    assert all(d.state == Delivery.State.SENT and d.attempts == 1 for d in deliveries)
    assert DeliveryAttempt.objects.filter(delivery__letter=letter,
                                          outcome=DeliveryAttempt.Outcome.SENT).count() == 2
    sent = application.events.filter(kind=ApplicationEvent.Kind.LETTER_SENT)
    assert sorted(e.data["to"][0] for e in sent) == sorted(received)
    assert all(e.data["letter"] == letter.pk for e in sent)

    smtp_server.messages.clear()
    run_tasks()  # nothing is left, and nothing goes out twice
    assert not smtp_server.messages


def test_a_mail_server_that_is_down_leaves_a_retry_queued(committed_data, smtp_server, run_tasks,
                                                          settings):
    from django_tasks_db.models import DBTaskResult

    application = decided_application("refuse")
    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nobody listens there
    }}
    letter = issue(application)
    run_tasks()

    deliveries = list(letter.deliveries.all())
    assert len(deliveries) == 2
    for delivery in deliveries:
        assert delivery.state == Delivery.State.PENDING
        assert delivery.attempts == 1 and delivery.last_error
        assert delivery.attempt_log.get().outcome == DeliveryAttempt.Outcome.FAILED
    waiting = [r.args_kwargs["args"][0] for r in DBTaskResult.objects.filter(
        task_path="werkplek.notices.tasks.send_delivery", status="READY")]
    # The retries wait for their time: the worker left them.
    assert sorted(pk for pk in waiting if pk in {d.pk for d in deliveries}) == sorted(
        d.pk for d in deliveries)


def test_the_letter_arrives_when_a_refusing_mail_server_accepts_again(
        committed_data, smtp_server, run_tasks):
    from .conftest import make_flaky, make_retries_due

    switch = make_flaky(smtp_server)
    application = decided_application("approve")
    letter = issue(application)
    run_tasks()

    letter.refresh_from_db()
    assert letter.state == Letter.State.READY  # the letter is made; its e-mails wait
    assert switch["refused"] == 4 and not smtp_server.messages  # 2 receipts, 2 letters
    deliveries = list(letter.deliveries.all())
    assert all(d.state == Delivery.State.PENDING and d.attempts == 1 for d in deliveries)
    assert all(d.last_error.startswith("SMTPDataError: (451") for d in deliveries)

    switch["refuse"] = False
    make_retries_due()
    run_tasks()

    received = _letters(smtp_server)
    assert set(received) == {"werkgever@werkplek.example", "vertegenwoordiger@werkplek.example"}
    for delivery in letter.deliveries.all():
        assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 2)
        assert list(delivery.attempt_log.values_list("outcome", flat=True)) == [
            "failed", "sent"]
    run_tasks()
    assert len(_letters(smtp_server)) == 2


def test_a_letter_that_cannot_be_made_fails_then_is_made_when_tried_again(
        committed_data, smtp_server, run_tasks, settings, monkeypatch):
    from werkplek.accounts.models import User
    from werkplek.notices.services import retry_letter

    from .conftest import make_retries_due

    settings.NOTICES_MAX_ATTEMPTS = 2

    def broken(letter):
        raise OSError("No space left on device")

    monkeypatch.setattr("werkplek.notices.tasks.render_letter_pdf", broken)
    application = decided_application("refuse")
    letter = issue(application)
    run_tasks()

    letter.refresh_from_db()
    assert (letter.state, letter.attempts) == (Letter.State.PENDING, 1)
    make_retries_due()
    run_tasks()
    letter.refresh_from_db()
    assert (letter.state, letter.attempts) == (Letter.State.FAILED, 2)
    assert letter.last_error == "OSError: No space left on device"
    assert not letter.deliveries.exists() and not _letters(smtp_server)

    monkeypatch.undo()
    retry_letter(actor=User.objects.get(username="behandelaar-bouw"), letter_id=letter.pk)
    run_tasks()

    letter.refresh_from_db()
    assert (letter.state, letter.attempts) == (Letter.State.READY, 3)
    received = _letters(smtp_server)
    assert set(received) == {"werkgever@werkplek.example", "vertegenwoordiger@werkplek.example"}
    assert all(letter.reference in mail["text"] for mail in received.values())
