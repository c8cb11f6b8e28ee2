"""A letter whose preparation fails: every failed attempt recorded on the letter, tried again
with a backoff, failed for good after the last attempt, shown to the case handler, who can have
it tried again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from werkplek.notices import services
from werkplek.notices.models import Delivery, Letter
from werkplek.notices.selectors import deliveries_for, letters_for
from werkplek.notices.services import RETRY_DELAYS
from werkplek.notices.tasks import prepare_letter

from .conftest import issue

pytestmark = pytest.mark.django_db

PREPARE = "werkplek.notices.tasks.prepare_letter"
SEND = "werkplek.notices.tasks.send_delivery"


def queued(task_path: str, pk: int) -> list:
    return sorted((r for r in DBTaskResult.objects.filter(task_path=task_path)
                   if r.args_kwargs["args"] == [pk]), key=lambda r: r.enqueued_at)


@pytest.fixture
def broken_renderer(monkeypatch):
    """WeasyPrint fails, until `fixed` is set."""
    calls = []

    def render(letter):
        calls.append(letter.pk)
        raise OSError("No space left on device")

    monkeypatch.setattr("werkplek.notices.tasks.render_letter_pdf", render)

    def fix():
        monkeypatch.undo()

    render.calls, render.fix = calls, fix
    return render


def run(letter_id, capture) -> str:
    with capture(execute=True):
        return prepare_letter.call(letter_id)


def test_a_failed_rendering_is_recorded_and_tried_again_later(
        approved, broken_renderer, django_capture_on_commit_callbacks):
    letter = issue(approved)
    before = timezone.now()

    result = run(letter.pk, django_capture_on_commit_callbacks)

    assert "preparing failed" in result
    letter.refresh_from_db()
    assert letter.state == Letter.State.PENDING
    assert (letter.attempts, letter.round_attempts) == (1, 1)
    assert letter.last_error == "OSError: No space left on device"
    assert not letter.file and not letter.deliveries.exists()
    retry, = queued(PREPARE, letter.pk)
    assert before + RETRY_DELAYS[0] <= retry.run_after <= timezone.now() + RETRY_DELAYS[0]


def test_after_the_last_attempt_the_letter_fails_for_good(
        approved, broken_renderer, django_capture_on_commit_callbacks):
    letter = issue(approved)

    for _ in range(5):
        run(letter.pk, django_capture_on_commit_callbacks)

    letter.refresh_from_db()
    assert letter.state == Letter.State.FAILED
    assert (letter.attempts, letter.round_attempts) == (5, 5)
    retries = queued(PREPARE, letter.pk)
    assert len(retries) == 4  # after each failure but the last
    delays = [r.run_after - r.enqueued_at for r in retries]
    assert delays == sorted(delays) and delays[0] < delays[-1]  # backing off
    # A task still in the queue for it does nothing.
    assert run(letter.pk, django_capture_on_commit_callbacks).startswith("failed")
    assert len(broken_renderer.calls) == 5
    assert not letter.deliveries.exists()


def test_a_later_attempt_that_works_makes_the_letter_ready_and_sends_it(
        approved, broken_renderer, django_capture_on_commit_callbacks):
    letter = issue(approved)
    run(letter.pk, django_capture_on_commit_callbacks)
    broken_renderer.fix()

    run(letter.pk, django_capture_on_commit_callbacks)

    letter.refresh_from_db()
    assert letter.state == Letter.State.READY and letter.file
    assert (letter.attempts, letter.last_error) == (2, "")
    deliveries = list(letter.deliveries.all())
    assert len(deliveries) == 2
    assert all(d.purpose == Delivery.Purpose.LETTER and d.application_id == approved.pk
               for d in deliveries)
    assert all(len(queued(SEND, d.pk)) == 1 for d in deliveries)


def test_a_failure_while_creating_the_deliveries_is_tried_again_too(
        approved, monkeypatch, django_capture_on_commit_callbacks):
    letter = issue(approved)

    def unreachable(application):
        raise RuntimeError("database went away")

    monkeypatch.setattr("werkplek.notices.tasks.receipt_recipients", unreachable)
    run(letter.pk, django_capture_on_commit_callbacks)

    letter.refresh_from_db()
    assert letter.file  # rendered: a retry does not render it again
    assert (letter.state, letter.attempts) == (Letter.State.PENDING, 1)
    assert letter.last_error == "RuntimeError: database went away"
    assert len(queued(PREPARE, letter.pk)) == 1
    monkeypatch.undo()
    name = letter.file.name

    run(letter.pk, django_capture_on_commit_callbacks)

    letter.refresh_from_db()
    assert letter.state == Letter.State.READY and letter.file.name == name
    assert letter.deliveries.count() == 2


def _failed_letter(application) -> Letter:
    letter = issue(application)
    Letter.objects.filter(pk=letter.pk).update(
        state=Letter.State.FAILED, attempts=5, round_attempts=5,
        last_error="OSError: No space left on device")
    letter.refresh_from_db()
    return letter


@pytest.mark.parametrize("username", ["behandelaar-vpdl", "werkgever", "vertegenwoordiger",
                                      "stemgerechtigde"])
def test_only_a_handler_of_the_partnership_may_try_again(approved, user, username):
    letter = _failed_letter(approved)

    with pytest.raises(PermissionDenied):
        services.retry_letter(actor=user(username), letter_id=letter.pk)
    letter.refresh_from_db()
    assert letter.state == Letter.State.FAILED


@pytest.mark.parametrize("state", [Letter.State.PENDING, Letter.State.READY])
def test_only_a_failed_letter_can_be_tried_again(approved, user, state):
    letter = issue(approved)
    Letter.objects.filter(pk=letter.pk).update(state=state)

    with pytest.raises(ValidationError) as raised:
        services.retry_letter(actor=user("behandelaar-bouw"), letter_id=letter.pk)
    assert raised.value.code == "not_failed"


def test_trying_again_starts_a_new_round_that_prepares_and_sends_the_letter(
        approved, user, mailoutbox, django_capture_on_commit_callbacks):
    from werkplek.notices.tasks import send_delivery

    letter = _failed_letter(approved)
    handler = user("behandelaar-bouw")

    with django_capture_on_commit_callbacks(execute=True):
        services.retry_letter(actor=handler, letter_id=letter.pk)

    letter.refresh_from_db()
    assert (letter.state, letter.round_attempts, letter.attempts) == (
        Letter.State.PENDING, 0, 5)
    assert letter.retry_requested_by == handler and letter.retry_requested_at is not None
    assert len(queued(PREPARE, letter.pk)) == 1

    run(letter.pk, django_capture_on_commit_callbacks)
    for delivery in letter.deliveries.all():
        send_delivery.call(delivery.pk)

    letter.refresh_from_db()
    assert (letter.state, letter.attempts) == (Letter.State.READY, 6)
    assert sorted(m.to[0] for m in mailoutbox) == ["vertegenwoordiger@werkplek.example",
                                                   "werkgever@werkplek.example"]


# --- on the pages -------------------------------------------------------------------------------

def _case_html(application, username, user, **extra) -> str:
    request = RequestFactory().get(f"/aanvragen/{application.pk}/")
    request.user = user(username)
    return render_to_string("notices/_deliveries.html", {
        "deliveries": deliveries_for(application), "letters": list(letters_for(application)),
        "application": application, **extra}, request=request)


def test_the_case_page_shows_a_failed_letter_with_a_try_again_button(approved, user):
    letter = _failed_letter(approved)

    html = _case_html(approved, "behandelaar-bouw", user)

    assert f"The decision letter {letter.reference} could not be prepared (5 attempts)" in html
    assert "nobody has received it" in html
    assert "OSError: No space left on device" in html
    assert reverse("notices:retry_letter", args=[letter.pk]) in html
    assert "Try again" in html
    hidden = _case_html(approved, "behandelaar-bouw", user, can_resend=False)
    assert reverse("notices:retry_letter", args=[letter.pk]) not in hidden
    assert "could not be prepared" in hidden


def test_the_case_page_says_a_letter_is_being_tried_again(approved, user):
    letter = issue(approved)
    Letter.objects.filter(pk=letter.pk).update(attempts=2, round_attempts=2,
                                               last_error="OSError: disk full")

    html = _case_html(approved, "behandelaar-bouw", user)

    assert "could not be prepared yet (2 failed attempts); it is tried again automatically" \
        in html
    assert "OSError: disk full" in html
    assert reverse("notices:retry_letter", args=[letter.pk]) not in html


def test_the_applicant_reads_that_the_letter_is_delayed(approved):
    letter = _failed_letter(approved)

    html = render_to_string("notices/_letters.html", {"letters": letters_for(approved)})

    assert letter.reference in html
    assert "delayed: it could not be made yet" in html
    assert "OSError" not in html  # the technical error is for the partnership


def test_a_handler_tries_again_from_the_case_page(client, approved, user):
    letter = _failed_letter(approved)
    client.force_login(user("behandelaar-bouw"))
    case = reverse("applications:detail", args=[approved.pk]) + "#notifications"

    response = client.post(reverse("notices:retry_letter", args=[letter.pk]), {"next": case})

    assert response.status_code == 302 and response["Location"] == case
    letter.refresh_from_db()
    assert letter.state == Letter.State.PENDING
    assert letter.retry_requested_by.username == "behandelaar-bouw"


def test_trying_again_a_letter_that_did_not_fail_says_why(client, approved, user):
    letter = issue(approved)
    client.force_login(user("behandelaar-bouw"))

    response = client.post(reverse("notices:retry_letter", args=[letter.pk]), follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")

    assert "Only a letter that could not be prepared can be tried again." in \
        response.content.decode()


@pytest.mark.parametrize(("username", "status"), [("werkgever", 403),
                                                  ("behandelaar-vpdl", 404)])
def test_others_cannot_try_again(client, approved, user, username, status):
    letter = _failed_letter(approved)
    client.force_login(user(username))

    assert client.post(reverse("notices:retry_letter", args=[letter.pk])).status_code == status
    letter.refresh_from_db()
    assert letter.state == Letter.State.FAILED


def test_trying_again_needs_a_post(client, approved, user):
    letter = _failed_letter(approved)
    client.force_login(user("behandelaar-bouw"))

    assert client.get(reverse("notices:retry_letter", args=[letter.pk])).status_code == 405
