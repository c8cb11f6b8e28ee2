"""The completeness check: find complete, ask to complete (the clock pauses), complete, lapse."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from werkplek.applications import backoffice, services
from werkplek.applications.models import Application, ApplicationEvent


@pytest.fixture
def submitted(ready_draft, demo_user):
    return services.submit(actor=demo_user("werkgever"), application_id=ready_draft.pk)


def test_the_handler_finds_it_complete(submitted, demo_user):
    application = backoffice.mark_complete(actor=demo_user("behandelaar-bouw"),
                                           application_id=submitted.pk)
    assert application.state == Application.State.IN_PROGRESS


@pytest.mark.parametrize("username", ["behandelaar-vpdl", "werkgever", "stemgerechtigde"])
def test_only_the_competent_handler_acts(submitted, demo_user, username):
    with pytest.raises(PermissionDenied):
        backoffice.mark_complete(actor=demo_user(username), application_id=submitted.pk)
    with pytest.raises(PermissionDenied):
        backoffice.request_completion(actor=demo_user(username), application_id=submitted.pk,
                                      message="x", sections=["mentors"])


def test_a_completion_request_needs_parts_and_a_message(submitted, demo_user):
    handler = demo_user("behandelaar-bouw")
    with pytest.raises(ValidationError):
        backoffice.request_completion(actor=handler, application_id=submitted.pk, message="x",
                                      sections=[])
    with pytest.raises(ValidationError):
        backoffice.request_completion(actor=handler, application_id=submitted.pk, message=" ",
                                      sections=["mentors"])


def test_ask_complete_and_the_deadline_moves_by_the_days_waited(submitted, demo_user, client,
                                                                django_capture_on_commit_callbacks):
    handler, employer = demo_user("behandelaar-bouw"), demo_user("werkgever")
    deadline = submitted.decision_deadline
    with django_capture_on_commit_callbacks() as callbacks:
        application = backoffice.request_completion(
            actor=handler, application_id=submitted.pk,
            message="Het uittreksel van Jan Peeters is onleesbaar.", sections=["mentors"])
    assert len(callbacks) == 1  # the applicant is told by e-mail
    assert application.state == Application.State.WAITING
    assert application.completion_due == timezone.localdate() + timedelta(days=30)
    # Only the asked section can be changed.
    with pytest.raises(ValidationError):
        services.save_workplace(actor=employer, application=application,
                                financial_capacity=True, has_convictions=False)
    entry = application.mentors.get()
    services.save_mentor(actor=employer, application=application, entry=entry,
                         years_of_experience=21, training="done", derogation_requested=False)
    # Six days later the applicant sends it back: the deadline moves by six days.
    Application.objects.filter(pk=application.pk).update(
        paused_at=timezone.now() - timedelta(days=6))
    application = backoffice.complete(actor=employer, application_id=application.pk)
    assert application.state == Application.State.SUBMITTED
    assert application.paused_days == 6
    assert application.decision_deadline == deadline + timedelta(days=6)
    assert application.deadline_rule == "decision:14-calendar-days+6-paused"
    completed = application.events.get(kind=ApplicationEvent.Kind.COMPLETED)
    assert completed.data["paused_days"] == 6
    # Both timelines say so: the applicant's and the handler's.
    moved = (f"The clock stood still for 6 days: the decision is now due on "
             f"{application.decision_deadline:%d/%m/%Y}.")
    for username in ("werkgever", "behandelaar-bouw"):
        client.force_login(demo_user(username))
        page = client.get(reverse("applications:detail", args=[application.pk]),
                          HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert moved in page


def test_not_completed_in_time_lapses_once(submitted, demo_user):
    backoffice.request_completion(actor=demo_user("behandelaar-bouw"),
                                  application_id=submitted.pk, message="Ontbreekt",
                                  sections=["declaration"])
    Application.objects.filter(pk=submitted.pk).update(
        completion_due=timezone.localdate() - timedelta(days=1))
    assert backoffice.lapse_overdue() == 1
    assert backoffice.lapse_overdue() == 0  # running it again changes nothing
    submitted.refresh_from_db()
    assert submitted.state == Application.State.LAPSED


def test_a_waiting_application_is_not_lapsed_on_its_last_day(submitted, demo_user):
    backoffice.request_completion(actor=demo_user("behandelaar-bouw"),
                                  application_id=submitted.pk, message="Ontbreekt",
                                  sections=["declaration"])
    Application.objects.filter(pk=submitted.pk).update(completion_due=timezone.localdate())
    assert backoffice.lapse_overdue() == 0


def test_the_pages(client, submitted, demo_user):
    client.force_login(demo_user("behandelaar-bouw"))
    url = reverse("applications:request_completion", args=[submitted.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"message": "", "sections": []},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert "Say what is missing." in response.content.decode()
    client.post(url, {"message": "Het uittreksel ontbreekt.", "sections": ["mentors"]})
    submitted.refresh_from_db()
    assert submitted.state == Application.State.WAITING
    client.force_login(demo_user("werkgever"))
    page = client.get(reverse("applications:detail", args=[submitted.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Het uittreksel ontbreekt." in page
    assert reverse("applications:mentors", args=[submitted.pk]) in page
    assert client.get(reverse("applications:mentors", args=[submitted.pk])).status_code == 200
    assert client.get(reverse("applications:workplace", args=[submitted.pk]))["Location"] == (
        reverse("applications:detail", args=[submitted.pk]))
    client.post(reverse("applications:complete", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.state == Application.State.SUBMITTED
    client.force_login(demo_user("behandelaar-vpdl"))
    assert client.get(url).status_code == 404


def test_the_completion_request_reaches_the_applicant_over_smtp(client, committed_data,
                                                                smtp_server, run_tasks):
    from werkplek.accounts.models import User

    from .test_views import fill_in, start

    employer = User.objects.get(username="werkgever")
    client.force_login(employer)
    from werkplek.catalog.models import Programme
    from werkplek.enterprises.models import Enterprise

    enterprise = Enterprise.objects.get(enterprise_number="0412345614")
    application = start(client, enterprise)
    fill_in(client, application, enterprise.units.get(joint_committee__number="124"),
            Programme.objects.get(code="dakwerker-duaal"),
            enterprise.mentors.get(last_name="Peeters"))
    client.post(reverse("applications:submit", args=[application.pk]))
    run_tasks()
    smtp_server.messages.clear()
    backoffice.request_completion(actor=User.objects.get(username="behandelaar-bouw"),
                                  application_id=application.pk,
                                  message="Het uittreksel is onleesbaar.", sections=["mentors"])
    run_tasks()
    run_tasks()
    assert sorted(m["to"][0] for m in smtp_server.messages) == [
        "vertegenwoordiger@werkplek.example", "werkgever@werkplek.example"]
    body = smtp_server.messages[0]["message"].get_body().get_content()
    assert "Het uittreksel is onleesbaar." in body and "spam" in body
