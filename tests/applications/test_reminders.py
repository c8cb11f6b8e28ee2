"""The daily deadline job: reminders three days before the decision deadline, overdue flags,
once per deadline, to the assigned handler or else every handler of the partnership."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from werkplek.applications import reminders
from werkplek.applications.models import Application, ApplicationEvent

from .queue_factory import make_application

REMINDER = ApplicationEvent.Kind.DEADLINE_REMINDER
OVERDUE = ApplicationEvent.Kind.OVERDUE


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def colleagues(db, demo_user):
    """Bart (the demo handler of Construction), an English-speaking colleague, and one whose
    membership ended: he is never reminded."""
    from werkplek.accounts.models import Membership, Role, User
    from werkplek.catalog.models import Partnership

    bouw = Partnership.objects.get(code="bouw")
    emma = User.objects.create(username="emma", first_name="Emma", last_name="English",
                               email="emma@werkplek.example", preferred_language="en")
    Membership.objects.create(user=emma, role=Role.HANDLER, partnership=bouw)
    former = User.objects.create(username="oud", email="oud@werkplek.example")
    Membership.objects.create(user=former, role=Role.HANDLER, partnership=bouw, is_active=False)
    return {"bart": demo_user("behandelaar-bouw"), "emma": emma, "former": former}


def events(application, kind=None):
    found = application.events.filter(kind__in=[kind] if kind else [REMINDER, OVERDUE])
    return list(found.order_by("pk").values_list("kind", "data"))


@pytest.mark.parametrize(("days", "kind"), [(4, None), (3, REMINDER), (1, REMINDER),
                                            (0, REMINDER), (-1, OVERDUE), (-30, OVERDUE)])
def test_what_is_due_today(colleagues, today, days, kind, django_capture_on_commit_callbacks):
    application = make_application(state="in_progress", deadline=today + timedelta(days=days),
                                   assigned_to=colleagues["emma"])
    with django_capture_on_commit_callbacks() as callbacks:
        result = reminders.remind_deadlines(today=today)
    assert (result.reminded, result.overdue) == (int(kind == REMINDER), int(kind == OVERDUE))
    if kind is None:
        assert events(application) == [] and callbacks == []
    else:
        deadline = (today + timedelta(days=days)).isoformat()
        assert events(application) == [
            (kind, {"deadline": deadline, "to": ["emma@werkplek.example"], "sent": []})]
        assert len(callbacks) == 1  # the e-mail task is enqueued once the event is committed


def test_running_twice_records_and_sends_nothing_twice(colleagues, today,
                                                       django_capture_on_commit_callbacks):
    soon = make_application(deadline=today + timedelta(days=3))
    late = make_application(state="proposed", deadline=today - timedelta(days=2))
    with django_capture_on_commit_callbacks() as first:
        assert reminders.remind_deadlines(today=today) == reminders.Result(reminded=1, overdue=1)
    with django_capture_on_commit_callbacks() as second:
        assert reminders.remind_deadlines(today=today) == reminders.Result(0, 0)
    assert (len(first), len(second)) == (2, 0)
    # The next days: the reminded application is not reminded again for the same deadline;
    # the overdue one is not flagged again.
    for later in (1, 2, 3):
        assert reminders.remind_deadlines(today=today + timedelta(days=later)) == \
            reminders.Result(0, 0)
    # The day after its deadline the reminded one is overdue: flagged once.
    assert reminders.remind_deadlines(today=today + timedelta(days=4)) == reminders.Result(0, 1)
    assert [kind for kind, _data in events(soon)] == [REMINDER, OVERDUE]
    assert [kind for kind, _data in events(late)] == [OVERDUE]


def test_unassigned_goes_to_every_active_handler_of_the_partnership(colleagues, today):
    unassigned = make_application(deadline=today + timedelta(days=2))
    reminders.remind_deadlines(today=today)
    (_kind, data), = events(unassigned)
    assert sorted(data["to"]) == ["behandelaar-bouw@werkplek.example", "emma@werkplek.example"]


def test_assigned_to_someone_no_longer_handling_goes_to_every_handler(colleagues, today):
    application = make_application(deadline=today + timedelta(days=2),
                                   assigned_to=colleagues["former"])
    reminders.remind_deadlines(today=today)
    (_kind, data), = events(application)
    assert sorted(data["to"]) == ["behandelaar-bouw@werkplek.example", "emma@werkplek.example"]


def test_a_moved_deadline_gets_its_own_reminder(colleagues, today):
    application = make_application(state="in_progress", deadline=today + timedelta(days=1),
                                   assigned_to=colleagues["bart"])
    reminders.remind_deadlines(today=today)
    # The applicant was asked to complete and took 5 days: the deadline moved by 5 days.
    moved = today + timedelta(days=6)
    Application.objects.filter(pk=application.pk).update(decision_deadline=moved, paused_days=5)
    assert reminders.remind_deadlines(today=today + timedelta(days=2)) == reminders.Result(0, 0)
    assert reminders.remind_deadlines(today=today + timedelta(days=3)) == reminders.Result(1, 0)
    assert reminders.remind_deadlines(today=today + timedelta(days=4)) == reminders.Result(0, 0)
    assert [data["deadline"] for _kind, data in events(application)] == [
        (today + timedelta(days=1)).isoformat(), moved.isoformat()]


@pytest.mark.parametrize("state", ["waiting", "approved", "refused", "lapsed", "withdrawn"])
def test_no_reminder_when_the_clock_does_not_run(colleagues, today, state):
    application = make_application(state=state, deadline=today + timedelta(days=1))
    other = make_application(state=state, deadline=today - timedelta(days=3))
    assert reminders.remind_deadlines(today=today) == reminders.Result(0, 0)
    assert events(application) == events(other) == []


def test_the_job_reads_only_what_is_due(colleagues, today, django_assert_max_num_queries):
    for days in range(4, 40):
        make_application(deadline=today + timedelta(days=days))
    with django_assert_max_num_queries(1):  # one indexed read finds nothing due
        reminders.remind_deadlines(today=today)


def test_the_e_mail_task_sends_once_per_handler_in_their_language(colleagues, today, mailoutbox,
                                                                 settings):
    application = make_application(deadline=today + timedelta(days=3))
    reminders.remind_deadlines(today=today)
    event = application.events.get(kind=REMINDER)
    assert reminders.send_deadline_email.call(event.pk) == "sent 2"
    assert reminders.send_deadline_email.call(event.pk) == "sent 0"  # a retry sends nothing
    assert sorted(m.to[0] for m in mailoutbox) == ["behandelaar-bouw@werkplek.example",
                                                   "emma@werkplek.example"]
    english = next(m for m in mailoutbox if m.to[0] == "emma@werkplek.example")
    date = (today + timedelta(days=3)).strftime("%d/%m/%Y")
    assert english.subject == f"Decision due on {date}: {application.reference}"
    assert "Dear Emma English," in english.body
    assert f"is due on {date}, in 3 days." in english.body
    assert f"{settings.SITE_URL}/aanvragen/{application.pk}/" in english.body
    event.refresh_from_db()
    assert sorted(event.data["sent"]) == sorted(event.data["to"])


def test_the_command(colleagues, today, capsys):
    make_application(deadline=today + timedelta(days=3))
    make_application(deadline=today - timedelta(days=1))
    call_command("remind_deadlines")
    assert "1 reminder(s), 1 overdue application(s) flagged." in capsys.readouterr().out
    call_command("remind_deadlines")
    assert "0 reminder(s), 0 overdue application(s) flagged." in capsys.readouterr().out


def test_reminders_reach_the_handlers_over_smtp(committed_data, smtp_server, run_tasks,
                                                settings):
    from werkplek.accounts.models import User

    settings.SITE_URL = "https://werkplek.example"
    today = timezone.localdate()
    bart = User.objects.get(username="behandelaar-bouw")
    soon = make_application(state="in_progress", deadline=today + timedelta(days=3),
                            assigned_to=bart)
    late = make_application(state="submitted", deadline=today - timedelta(days=1))
    call_command("remind_deadlines")
    run_tasks()
    # Bart is the only active handler of Construction in the demo data (in Dutch).
    assert [m["to"] for m in smtp_server.messages] == [["behandelaar-bouw@werkplek.example"]] * 2
    mails = {application.pk: next(m["message"] for m in smtp_server.messages
                                  if application.reference in m["message"]["Subject"])
             for application in (soon, late)}
    for application in (soon, late):
        body = mails[application.pk].get_body().get_content()
        assert f"https://werkplek.example/aanvragen/{application.pk}/" in body
        assert application.enterprise.name in body
    assert f"{today + timedelta(days=3):%d/%m/%Y}" in mails[soon.pk]["Subject"]
    # Again: nothing recorded, nothing sent.
    call_command("remind_deadlines")
    run_tasks()
    assert len(smtp_server.messages) == 2
    assert ApplicationEvent.objects.filter(kind__in=[REMINDER, OVERDUE]).count() == 2
    assert all(e.data["sent"] == ["behandelaar-bouw@werkplek.example"]
               for e in ApplicationEvent.objects.filter(kind__in=[REMINDER, OVERDUE]))
