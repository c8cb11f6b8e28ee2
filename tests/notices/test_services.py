"""Issuing the decision letter, the deliveries per recipient, and sending a failed one again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_tasks_db.models import DBTaskResult

from werkplek.applications.models import Application
from werkplek.notices import services
from werkplek.notices.models import Delivery, Letter
from werkplek.notices.tasks import prepare_letter

from .conftest import issue, submitted_application

pytestmark = pytest.mark.django_db

SEND = "werkplek.notices.tasks.send_delivery"
PREPARE = "werkplek.notices.tasks.prepare_letter"


def queued(task_path: str, *args) -> list:
    return [r for r in DBTaskResult.objects.filter(task_path=task_path)
            if not args or r.args_kwargs["args"] == list(args)]


def test_an_approval_gets_an_approval_letter_in_the_enterprise_language(approved):
    approved.enterprise.language = "en"
    approved.enterprise.save()

    letter = issue(approved)

    assert letter.kind == Letter.Kind.APPROVAL
    assert letter.language == "en"
    assert letter.reference == f"{approved.reference}-K1"
    assert letter.created_by.username == "behandelaar-bouw"
    assert not letter.file  # rendered by the task after the commit


def test_a_refusal_gets_a_refusal_letter(refused):
    letter = issue(refused)

    assert (letter.kind, letter.language) == (Letter.Kind.REFUSAL, "nl")
    assert letter.appeal_until is not None


def test_each_letter_of_an_application_has_its_own_reference(approved):
    first, second = issue(approved), issue(approved)

    assert (first.number, second.number) == (1, 2)
    assert second.reference == f"{approved.reference}-K2"
    assert Letter.objects.filter(reference=first.reference).count() == 1


def test_an_undecided_application_gets_no_letter(db):
    application = submitted_application()

    with pytest.raises(ValidationError):
        issue(application)
    assert not Letter.objects.exists()


def test_a_state_that_contradicts_the_decision_gets_no_letter(refused):
    Application.objects.filter(pk=refused.pk).update(decision=Application.Outcome.APPROVE)
    refused.refresh_from_db()

    with pytest.raises(ValidationError):
        issue(refused)


def test_the_rendering_is_enqueued_after_the_commit(approved, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        letter = issue(approved)

    assert len(callbacks) == 1
    assert len(queued(PREPARE, letter.pk)) == 1


def test_one_delivery_per_recipient_each_with_its_own_send_task(approved, prepared):
    letter = prepared(approved)

    assert letter.file and letter.size > 1000 and len(letter.sha256) == 64
    assert letter.rendered_at is not None
    deliveries = list(letter.deliveries.select_related("recipient"))
    # The applicant (submitted_by) and the enterprise's legal representative.
    assert {d.recipient.username for d in deliveries} == {"werkgever", "vertegenwoordiger"}
    assert {d.email for d in deliveries} == {"werkgever@werkplek.example",
                                             "vertegenwoordiger@werkplek.example"}
    assert all(d.state == Delivery.State.PENDING and d.attempts == 0 for d in deliveries)
    for delivery in deliveries:
        assert len(queued(SEND, delivery.pk)) == 1


def test_the_coach_who_filed_under_mandate_gets_it_too(approved, prepared, user):
    Application.objects.filter(pk=approved.pk).update(
        filed_by=Application.FiledBy.COACH, created_by=user("trajectbegeleider"))
    approved.refresh_from_db()

    letter = prepared(approved)

    assert set(letter.deliveries.values_list("recipient__username", flat=True)) == {
        "werkgever", "vertegenwoordiger", "trajectbegeleider"}


def test_preparing_twice_renders_creates_and_sends_nothing_twice(
        approved, prepared, mailoutbox, django_capture_on_commit_callbacks):
    from werkplek.notices.tasks import send_delivery

    letter = prepared(approved)
    name = letter.file.name

    with django_capture_on_commit_callbacks(execute=True):
        prepare_letter.call(letter.pk)

    letter.refresh_from_db()
    assert letter.file.name == name  # not rendered again
    assert letter.deliveries.count() == 2
    # A delivery not tried yet is enqueued again (a lost task is recovered); the send task
    # itself sends each delivery once.
    for result in queued(SEND):
        send_delivery.call(*result.args_kwargs["args"])
    assert sorted(m.to[0] for m in mailoutbox) == ["vertegenwoordiger@werkplek.example",
                                                   "werkgever@werkplek.example"]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        prepare_letter.call(letter.pk)
    assert not callbacks  # every delivery was tried: nothing to enqueue


def _failed(letter) -> Delivery:
    delivery = letter.deliveries.get(recipient__username="vertegenwoordiger")
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.FAILED, attempts=5, round_attempts=5,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed")
    return delivery


@pytest.mark.parametrize("username", ["behandelaar-vpdl", "werkgever", "vertegenwoordiger",
                                      "stemgerechtigde"])
def test_only_a_handler_of_the_partnership_may_resend(approved, prepared, user, username):
    delivery = _failed(prepared(approved))

    with pytest.raises(PermissionDenied):
        services.resend(actor=user(username), delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED


def test_only_a_failed_delivery_can_be_sent_again(approved, prepared, user):
    letter = prepared(approved)
    delivery = letter.deliveries.first()

    with pytest.raises(ValidationError):
        services.resend(actor=user("behandelaar-bouw"), delivery_id=delivery.pk)


def test_a_resend_starts_a_new_round_and_records_who_asked(approved, prepared, user,
                                                           django_capture_on_commit_callbacks):
    delivery = _failed(prepared(approved))
    before = len(queued(SEND, delivery.pk))
    handler = user("behandelaar-bouw")

    with django_capture_on_commit_callbacks(execute=True):
        result = services.resend(actor=handler, delivery_id=delivery.pk)

    assert result.state == Delivery.State.PENDING
    delivery.refresh_from_db()
    assert (delivery.state, delivery.round_attempts, delivery.attempts) == (
        Delivery.State.PENDING, 0, 5)
    assert delivery.resend_requested_by == handler
    assert delivery.resend_requested_at is not None
    assert len(queued(SEND, delivery.pk)) == before + 1
