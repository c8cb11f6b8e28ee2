"""Races over HTTP: concurrent requests at the same object, each from its own browser session
(its own `django.test.Client`) in its own thread with its own database connection, lined up by a
`threading.Barrier`. Exactly one wins; every other request gets a page with a clear message in
the user's language (never a 500), and nothing is recorded twice.

To make each race land every time, the winner holds its row lock a moment longer (`_hold`: a
sleep right after the service took its lock, inside its transaction), so the other request
always arrives while the first is still working; each test also checks that the requests did
overlap. Without the row locks in the services these tests fail.

Each race is run `RACES` times per test, each time on a fresh object (the figure the docs cite:
`RACES` per test; the appeal-against-the-deadline-job test runs it for each order, so twice
`RACES`).

PostgreSQL only: SQLite takes one writer at a time for the whole database (the project opens
its transactions IMMEDIATE), so requests cannot race on a row there; the same services run on
SQLite in the rest of the suite."""

import re
import threading
import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from functools import partial
from io import StringIO
from itertools import count

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from ..conftest import national_number_born

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="races on a row need PostgreSQL's row locks: SQLite serialises every writer on the "
           "whole database, so two requests cannot race there")

RACES = 5  # each race, per test, on a fresh object each time
HOLD = 0.4  # seconds the first request keeps its row lock, so the other one arrives meanwhile
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CONSTRUCTION = ["dakwerker-duaal", "ruwbouw-duaal", "afwerking-bouw-duaal",
                "bouwplaatsmachinist-duaal", "decoratie-en-schilderwerken-duaal",
                "dekvloerlegger-en-tegelzetter-duaal",
                "ijzervlechter-en-bekister-betonneerder-duaal"]
_numbers = count(1)


# --- running requests at once --------------------------------------------------------------------

class Outcome:
    """What one racing request got: the response (or the exception), and when it ran."""

    def __init__(self):
        self.response = None
        self.error: BaseException | None = None
        self.started = self.ended = 0.0

    @property
    def text(self) -> str:
        """The final page's text, without tags, on one line."""
        return " ".join(re.sub(r"<[^>]+>", " ", self.response.content.decode()).split())


def race(*calls, allow_errors: bool = False) -> list[Outcome]:
    """Run each call (a function of no arguments doing one request) in its own thread, all
    released at once by a barrier; return what each got, in order. A thread's database
    connection is its own, and is closed when it ends. A request that raised (a 500) fails
    the test unless `allow_errors`."""
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _call in calls]

    def run(call, outcome: Outcome) -> None:
        try:
            translation.activate("en")
            barrier.wait(timeout=30)
            outcome.started = time.monotonic()
            outcome.response = call()
        except BaseException as error:  # the test looks at what every request got
            outcome.error = error
        finally:
            outcome.ended = time.monotonic()
            connection.close()

    threads = [threading.Thread(target=run, args=(call, outcome))
               for call, outcome in zip(calls, outcomes, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    errors = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert allow_errors or not errors, f"a request failed (a 500): {errors!r}"
    # They did run at the same time: each started before any finished.
    assert max(o.started for o in outcomes) < min(o.ended for o in outcomes)
    return outcomes


def _after(event: threading.Event, call):
    """Do `call` once `event` is set (another request got its lock)."""
    assert event.wait(timeout=10), "the other side never took its lock"
    return call()


def _hold(monkeypatch, module, name: str, *, entered: threading.Event | None = None,
          seconds: float = HOLD) -> None:
    """Make `module.name` (a step a service takes after its row lock) keep the lock `seconds`
    longer; `entered` is set each time a request got that far."""
    original = getattr(module, name)

    def held(*args, **kwargs):
        result = original(*args, **kwargs)
        if entered is not None:
            entered.set()
        time.sleep(seconds)
        return result

    monkeypatch.setattr(module, name, held)


def browser(user, *, cookies=None, raise_errors: bool = True) -> Client:
    """A logged-in browser session of `user` reading English (`cookies`: share another
    session's, as two tabs or a double click do). With `raise_errors` a 500 is raised in the
    test; without, it is returned as the response (the test client's capture of a view's
    exception listens to every thread, so only one racing request may use it)."""
    client = Client(headers={"accept-language": "en"}, raise_request_exception=raise_errors)
    if cookies is not None:
        client.cookies = cookies
    else:
        client.force_login(user)
    return client


# --- the world -----------------------------------------------------------------------------------

def _user(username: str):
    from werkplek.accounts.models import User

    return User.objects.get(username=username)


def _member(username: str, role: str, **where):
    from werkplek.accounts.models import Membership, User

    user = User.objects.create_user(username=username, password="x", email=f"{username}@x.be",
                                    first_name=username.split("-")[0].title(), last_name="Test")
    Membership.objects.create(user=user, role=role, **where)
    return user


def _construction_unit():
    from werkplek.accounts.demo import DEMO_ENTERPRISE_NUMBER
    from werkplek.enterprises.models import Enterprise

    enterprise = Enterprise.objects.get(enterprise_number=DEMO_ENTERPRISE_NUMBER)
    return enterprise.units.get(joint_committee__number="124")


def ready_draft(programme_code: str = "dakwerker-duaal"):
    """A draft of the demo enterprise's construction unit with every section filled in."""
    from werkplek.applications import services
    from werkplek.applications.models import ApplicationMentor, Document
    from werkplek.catalog.models import Programme

    employer = _user("werkgever")
    unit = _construction_unit()
    programme = Programme.objects.get(code=programme_code)
    draft = services.create_draft(actor=employer, enterprise=unit.enterprise)
    services.save_unit(actor=employer, application=draft, unit=unit)
    services.save_programme(actor=employer, application=draft, programme=programme,
                            activities_offered=list(range(len(programme.activities))))
    services.save_workplace(actor=employer, application=draft, financial_capacity=True,
                            has_convictions=False, infrastructure_fits=True)
    entry = ApplicationMentor.objects.create(
        application=draft, mentor=unit.enterprise.mentors.get(last_name="Peeters"),
        years_of_experience=20, training=ApplicationMentor.Training.DONE)
    for kind, mentor in ((Document.Kind.CRIMINAL_RECORD_EXTRACT, entry),
                         (Document.Kind.DECLARATION_ON_HONOUR, None)):
        Document.objects.create(
            application=draft, kind=kind, mentor=mentor, original_name="doc.pdf",
            content_type="application/pdf", size=len(PDF), sha256="0" * 64,
            uploaded_by=employer, file=SimpleUploadedFile("doc.pdf", PDF))
    return draft


def proposed(programme_code: str, *, vote: bool):
    """A submitted application, found complete, its mentor confirmed, an approval proposed;
    with `vote` the demo voting member voted for it."""
    from werkplek.applications import backoffice, services

    handler = _user("behandelaar-bouw")
    application = services.submit(actor=_user("werkgever"),
                                  application_id=ready_draft(programme_code).pk)
    backoffice.mark_complete(actor=handler, application_id=application.pk)
    backoffice.check_mentor(actor=handler, application_id=application.pk,
                            entry_id=application.mentors.get().pk, result="confirmed")
    application.refresh_from_db()
    backoffice.propose(actor=handler, application_id=application.pk,
                       version=application.version, proposal="approve",
                       reasons="Alle voorwaarden zijn vervuld.")
    if vote:
        backoffice.cast_vote(actor=_user("stemgerechtigde"), application_id=application.pk,
                             in_favour=True)
    application.refresh_from_db()
    return application


def _free_programmes(count_needed: int) -> list[str]:
    """Construction programmes the demo unit has no recognition for yet."""
    from werkplek.recognitions.models import Recognition

    taken = set(Recognition.objects.filter(unit=_construction_unit())
                .values_list("programme__code", flat=True))
    free = [code for code in CONSTRUCTION if code not in taken]
    assert len(free) >= count_needed
    return free[:count_needed]


# --- (a) two handlers decide at once; two voting members cast the deciding votes at once ---------

def test_two_handlers_deciding_at_once_record_one_decision(committed_data, monkeypatch,
                                                           record_property):
    from werkplek.accounts.models import Role
    from werkplek.applications import backoffice
    from werkplek.applications.models import ApplicationEvent
    from werkplek.catalog.models import Partnership
    from werkplek.notices.models import Letter
    from werkplek.recognitions.models import Recognition

    first = _user("behandelaar-bouw")
    second = _member("tweede-behandelaar", Role.HANDLER,
                     partnership=Partnership.objects.get(code="bouw"))
    names = {first.get_full_name(), second.get_full_name()}
    for programme in _free_programmes(RACES):
        application = proposed(programme, vote=True)
        url = reverse("applications:case_decide", args=[application.pk])
        data = {"decision-version": application.version, "decision-reasons": "In orde."}
        clients = [browser(first), browser(second)]
        with monkeypatch.context() as patch:
            _hold(patch, backoffice, "_locked")
            outcomes = race(*(partial(c.post, url, data) for c in clients))

        statuses = sorted(o.response.status_code for o in outcomes)
        assert statuses == [302, 409], statuses
        (won,) = [o for o in outcomes if o.response.status_code == 302]
        (lost,) = [o for o in outcomes if o.response.status_code == 409]
        assert won.response["Location"] == reverse("applications:case", args=[application.pk])
        # The other handler sees the case as it is now, told who decided and that nothing
        # of theirs was recorded.
        assert "approved this application meanwhile" in lost.text
        assert "Nothing was changed." in lost.text
        application.refresh_from_db()
        assert application.state == "approved"
        assert application.decided_by.get_full_name() in names
        assert application.decided_by.get_full_name() in lost.text
        assert Recognition.objects.filter(application=application).count() == 1
        assert application.events.filter(kind=ApplicationEvent.Kind.APPROVED).count() == 1
        assert Letter.objects.filter(application=application).count() == 1
    record_property("races", RACES)


def test_two_voting_members_casting_the_last_votes_at_once_close_the_vote_once(
        committed_data, monkeypatch, record_property):
    from werkplek.accounts.models import Role
    from werkplek.applications import backoffice
    from werkplek.applications.models import ApplicationEvent, Vote
    from werkplek.catalog.models import Partnership

    voters = [_user("stemgerechtigde"),
              _member("tweede-stemgerechtigde", Role.VOTER,
                      partnership=Partnership.objects.get(code="bouw"))]
    for programme in _free_programmes(RACES):
        application = proposed(programme, vote=False)
        url = reverse("applications:case_vote", args=[application.pk])
        clients = [browser(voter) for voter in voters]
        with monkeypatch.context() as patch:
            _hold(patch, backoffice, "_locked")
            outcomes = race(*(partial(c.post, url, {"vote-choice": "for"}, follow=True)
                              for c in clients))

        assert [o.response.status_code for o in outcomes] == [200, 200]
        assert all("Your vote for the proposal is recorded." in o.text for o in outcomes)
        # Whoever voted last closed the vote, and was told; the other was not.
        closed = [o for o in outcomes if "The vote is closed: the proposal is adopted." in o.text]
        assert len(closed) == 1
        application.refresh_from_db()
        assert application.vote_outcome == "adopted" and application.vote_closed_at
        assert Vote.objects.filter(application=application).count() == 2
        assert application.events.filter(kind=ApplicationEvent.Kind.VOTE_CAST).count() == 2
        assert application.events.filter(kind=ApplicationEvent.Kind.VOTE_CLOSED).count() == 1
    record_property("races", RACES)


# --- (b) a double click on "submit" --------------------------------------------------------------

def test_a_double_click_on_submit_submits_once(committed_data, monkeypatch, record_property):
    from django_tasks_db.models import DBTaskResult

    from werkplek.applications import checks, services
    from werkplek.applications.models import ApplicationEvent, ReferenceSequence

    employer = _user("werkgever")
    references = []
    for _race in range(RACES):
        draft = ready_draft()
        url = reverse("applications:submit", args=[draft.pk])
        first = browser(employer)
        second = browser(employer, cookies=first.cookies)  # the same session: one browser
        before = ReferenceSequence.objects.filter(
            year=timezone.localdate().year).values_list("last", flat=True).first() or 0
        with monkeypatch.context() as patch:
            _hold(patch, checks, "blocking_problems")
            outcomes = race(partial(first.post, url, follow=True),
                            partial(second.post, url, follow=True))

        draft.refresh_from_db()
        assert draft.state == "submitted" and draft.reference
        references.append(draft.reference)
        # Both clicks land on the application's page, which says it was submitted under its
        # one reference: the second click is an idempotent redirect, not an error.
        for outcome in outcomes:
            assert outcome.response.status_code == 200
            assert outcome.response.redirect_chain == [
                (reverse("applications:detail", args=[draft.pk]), 302)]
            assert (f"Your application has been submitted with reference {draft.reference}."
                    in outcome.text)
        kinds = list(draft.events.values_list("kind", flat=True))
        assert kinds.count(ApplicationEvent.Kind.SUBMITTED) == 1
        assert kinds.count(ApplicationEvent.Kind.ROUTED) == 1
        assert ReferenceSequence.objects.get(year=timezone.localdate().year).last == before + 1
        receipts = [r for r in DBTaskResult.objects.filter(
            task_path="werkplek.applications.tasks.send_receipt")
            if r.args_kwargs["args"] == [draft.pk]]
        assert len(receipts) == 1  # one receipt e-mail job, not two
        # Free the unit and programme for the next round.
        services.withdraw(actor=employer, application_id=draft.pk)
    assert len(set(references)) == RACES
    record_property("races", RACES)


def test_an_edit_from_a_second_tab_racing_the_submission_is_refused(
        committed_data, monkeypatch, record_property, caplog):
    """One tab submits, another removes the mentor at the same moment: the edit waits for
    the submission's lock and is refused, so the submitted application keeps the mentor it
    was checked and submitted with (before the lock in `_require_editor`, the mentor was
    removed from the submitted application behind the partnership's back)."""

    from werkplek.applications import checks, services

    employer = _user("werkgever")
    for _race in range(RACES):
        draft = ready_draft()
        submit_tab = browser(employer, raise_errors=False)
        edit_tab = browser(employer, cookies=submit_tab.cookies, raise_errors=False)
        caplog.clear()
        entry = draft.mentors.get()
        edit_url = reverse("applications:remove_mentor", args=[draft.pk, entry.pk])
        entered = threading.Event()
        edit = partial(edit_tab.post, edit_url, follow=True)
        with monkeypatch.context() as patch:
            _hold(patch, checks, "blocking_problems", entered=entered)
            submitted, edited = race(
                partial(submit_tab.post, reverse("applications:submit", args=[draft.pk]),
                        follow=True),
                partial(_after, entered, edit))  # once the submission holds the lock
        assert submitted.response.status_code == 200
        assert "Your application has been submitted with reference" in submitted.text
        draft.refresh_from_db()
        assert draft.state == "submitted"
        assert draft.mentors.filter(pk=entry.pk).exists()  # as submitted
        assert edited.response.status_code == 200
        assert "has been submitted and can no longer be changed" in edited.text
        services.withdraw(actor=employer, application_id=draft.pk)
    record_property("races", RACES)


# --- (c) two agreements for a mentor's last place ------------------------------------------------

def _recognition():
    """An active recognition of the demo construction unit for dakwerker (bouw: 1 learner per
    mentor, mentor training required)."""
    from werkplek.catalog.models import Partnership, Programme
    from werkplek.core.deadlines import recognition_validity
    from werkplek.recognitions.models import Recognition

    Partnership.objects.filter(code="bouw").update(max_learners_per_mentor=1,
                                                    mentor_training_required=True,
                                                    mentor_training_deadline_months=6)
    unit = _construction_unit()
    start = timezone.localdate() - timedelta(days=365)
    return Recognition.objects.create(
        enterprise=unit.enterprise, unit=unit, programme=Programme.objects.get(
            code="dakwerker-duaal"), partnership=Partnership.objects.get(code="bouw"),
        valid_from=start, valid_until=recognition_validity(start).day,
        validity_rule="recognition:5-years")


def _mentor(recognition):
    """A new trained mentor of the recognition."""
    from werkplek.enterprises.models import Mentor
    from werkplek.recognitions.models import RecognitionMentor

    number = next(_numbers)
    mentor = Mentor(enterprise=recognition.enterprise, first_name="Mentor",
                    last_name=f"Nummer{number}", years_of_experience=12,
                    mentor_training_completed_on=date(2024, 1, 15))
    mentor.set_national_number(national_number_born(date(1980, 1, 1), number),
                               date(1980, 1, 1))
    mentor.save()
    RecognitionMentor.objects.create(recognition=recognition, mentor=mentor,
                                     since=recognition.valid_from)
    return mentor


def _learner_number() -> str:
    return national_number_born(date(2008, 5, 5), next(_numbers))


def _formatted(number: str) -> str:
    return f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"


def _register(recognition, mentor, *, start: date, end: date, number: str | None = None):
    from werkplek.accounts.models import Membership, Role
    from werkplek.agreements import services

    coach = _user("trajectbegeleider")
    provider = Membership.objects.get(user=coach, role=Role.COACH).training_provider
    return services.register_agreement(
        actor=coach, recognition_id=recognition.pk, first_name="Lotte",
        last_name="Leerling", national_number=number or _learner_number(),
        training_provider_id=provider.pk, mentor_id=mentor.pk, start_date=start, end_date=end,
        weekly_hours="24")


def _form(mentor, *, number: str, start: date, end: date, last_name: str) -> dict:
    def day(name, value):
        return {f"{name}_0": str(value.day), f"{name}_1": str(value.month),
                f"{name}_2": str(value.year)}

    return {"first_name": "Mila", "last_name": last_name, "national_number": _formatted(number),
            "mentor": str(mentor.pk), "weekly_hours": "24", **day("start_date", start),
            **day("end_date", end)}


def test_two_confirmations_for_a_mentors_last_place_run_one(committed_data, monkeypatch,
                                                           record_property):
    from werkplek.agreements import services
    from werkplek.agreements.models import Agreement, AgreementEvent
    from werkplek.catalog.models import Partnership

    recognition = _recognition()
    today = timezone.localdate()
    clients = [browser(_user("werkgever")), browser(_user("vertegenwoordiger"))]
    for _race in range(RACES):
        mentor = _mentor(recognition)
        # Two registrations for the mentor in overlapping periods, made while bouw allowed
        # two learners per mentor; now it allows one.
        Partnership.objects.filter(code="bouw").update(max_learners_per_mentor=2)
        drafts = [_register(recognition, mentor, start=today, end=today + timedelta(days=200)),
                  _register(recognition, mentor, start=today + timedelta(days=100),
                            end=today + timedelta(days=300))]
        Partnership.objects.filter(code="bouw").update(max_learners_per_mentor=1)
        with monkeypatch.context() as patch:
            _hold(patch, services, "_lock_mentor")
            outcomes = race(*(
                partial(c.post, reverse("agreements:confirm", args=[d.pk]), follow=True)
                for c, d in zip(clients, drafts, strict=True)))

        states = {d.pk: Agreement.objects.get(pk=d.pk).state for d in drafts}
        assert sorted(states.values()) == ["active", "draft"]
        for draft, outcome in zip(drafts, outcomes, strict=True):
            assert outcome.response.status_code == 200
            if states[draft.pk] == "active":
                assert "The agreement of Lotte Leerling is confirmed" in outcome.text
            else:
                assert "The agreement of Lotte Leerling is not confirmed" in outcome.text
                assert (f"{mentor.full_name} may coach 1 learner at a time (rule of "
                        in outcome.text)
        assert AgreementEvent.objects.filter(agreement__mentor=mentor,
                                             kind=AgreementEvent.Kind.ACTIVATED).count() == 1
    record_property("races", RACES)


def test_two_registrations_for_a_mentors_last_place_register_one(committed_data, monkeypatch,
                                                                record_property):
    from werkplek.accounts.models import Membership, Role
    from werkplek.agreements import services
    from werkplek.agreements.models import Agreement

    recognition = _recognition()
    coach = _user("trajectbegeleider")
    provider = Membership.objects.get(user=coach, role=Role.COACH).training_provider
    colleague = _member("collega-begeleider", Role.COACH, training_provider=provider)
    clients = [browser(coach), browser(colleague)]
    url = reverse("agreements:register", args=[recognition.pk])
    today = timezone.localdate()
    for _race in range(RACES):
        mentor = _mentor(recognition)
        forms = [_form(mentor, number=_learner_number(), start=today + timedelta(days=7),
                       end=today + timedelta(days=200), last_name=name)
                 for name in ("Desmet", "Peeters")]
        with monkeypatch.context() as patch:
            _hold(patch, services, "_lock_mentor")
            outcomes = race(*(partial(c.post, url, f)
                              for c, f in zip(clients, forms, strict=True)))

        assert sorted(o.response.status_code for o in outcomes) == [200, 302]
        (lost,) = [o for o in outcomes if o.response.status_code == 200]
        # The form again, with what was typed and the reason on the mentor field.
        assert "There is a problem" in lost.text
        assert f"{mentor.full_name} may coach 1 learner at a time" in lost.text
        assert Agreement.objects.filter(mentor=mentor).count() == 1
    record_property("races", RACES)


def test_one_learner_registered_twice_at_once_with_two_mentors_gets_one_agreement(
        committed_data, monkeypatch, record_property):
    """The mentors' locks do not cover this: two registrations of one (known) learner, each
    with another mentor, in the same period. The learner's row lock makes one wait."""
    from werkplek.accounts.models import Membership, Role
    from werkplek.agreements import services
    from werkplek.agreements.models import Agreement

    recognition = _recognition()
    coach = _user("trajectbegeleider")
    provider = Membership.objects.get(user=coach, role=Role.COACH).training_provider
    colleague = _member("collega-begeleider", Role.COACH, training_provider=provider)
    clients = [browser(coach), browser(colleague)]
    url = reverse("agreements:register", args=[recognition.pk])
    today = timezone.localdate()
    for _race in range(RACES):
        number = _learner_number()
        # A learner known from an earlier agreement, ended long ago.
        old = _register(recognition, _mentor(recognition), start=today - timedelta(days=300),
                        end=today - timedelta(days=200), number=number)
        Agreement.objects.filter(pk=old.pk).update(state="ended")
        mentors = [_mentor(recognition), _mentor(recognition)]
        forms = [_form(mentor, number=number, start=today + timedelta(days=7),
                       end=today + timedelta(days=200), last_name="Leerling")
                 for mentor in mentors]
        for form in forms:
            form["first_name"] = "Lotte"
        with monkeypatch.context() as patch:
            _hold(patch, services, "_counted")
            outcomes = race(*(partial(c.post, url, f)
                              for c, f in zip(clients, forms, strict=True)))

        assert sorted(o.response.status_code for o in outcomes) == [200, 302]
        (lost,) = [o for o in outcomes if o.response.status_code == 200]
        assert "This learner already has an agreement in this period." in lost.text
        assert Agreement.objects.filter(learner=old.learner, mentor__in=mentors).count() == 1
    record_property("races", RACES)


# --- (d) an appeal filed as its window closes, against the daily job -----------------------------

def _refusal_notified(day: date):
    """A refused application of the demo construction unit, decided (and, without a letter,
    notified) at noon on `day`."""
    from werkplek.applications.models import Application
    from werkplek.catalog.models import Partnership, Programme

    unit = _construction_unit()
    decided = timezone.make_aware(datetime.combine(day, clock_time(12)))
    return Application.objects.create(
        enterprise=unit.enterprise, unit=unit,
        programme=Programme.objects.get(code="dakwerker-duaal"), created_by=_user("werkgever"),
        partnership=Partnership.objects.get(code="bouw"),
        reference=f"WP-RACE-{next(_numbers):06d}", state="refused", decision="refuse",
        decision_reasons="No mentor meets the conditions.", decided_at=decided,
        submitted_at=decided - timedelta(days=10))


class _Clock:
    """`timezone.now` for the race: runs at real speed from 0.6 s before `midnight` (in
    Brussels), the end of the last day to appeal."""

    def __init__(self, midnight: datetime):
        self.midnight = midnight
        self.offset = midnight - timedelta(seconds=0.6) - datetime.now(midnight.tzinfo)

    def __call__(self) -> datetime:
        return datetime.now(self.midnight.tzinfo) + self.offset

    def wait_past_midnight(self) -> None:
        while self() < self.midnight + timedelta(milliseconds=20):
            time.sleep(0.01)


def _daily_job(clock: _Clock, output: StringIO) -> None:
    """The daily job, as cron starts it, just after midnight."""
    clock.wait_past_midnight()
    call_command("appeals_daily", stdout=output)


@pytest.mark.parametrize("first", ["appeal", "job"])
def test_an_appeal_filed_as_its_window_closes_and_the_daily_job_never_both_win(
        committed_data, monkeypatch, record_property, first):
    """The last day to appeal ends at midnight; the daily job closes the window just after
    it. Either the appeal is recorded first (just before midnight: in time, and the job leaves
    the decision open for the committee), or the job closes the window first (the decision is
    final, and the appeal that comes in is received as late, with a message that says so).
    Never an appeal in time against a decision the job made final."""
    from werkplek.appeals import services
    from werkplek.appeals.models import Appeal, AppealEvent, FinalDecision

    representative = _user("vertegenwoordiger")
    for _race in range(RACES):
        today = timezone.localdate()
        refusal = _refusal_notified(today - timedelta(days=11))  # last day: yesterday
        midnight = timezone.make_aware(datetime.combine(today, clock_time()))
        client = browser(representative)
        url = reverse("appeals:file_refusal", args=[refusal.pk])
        locked = threading.Event()
        output = StringIO()
        clock = _Clock(midnight)
        file_appeal = partial(client.post, url,
                              {"grounds": "Jan Peeters has 20 years of experience."},
                              follow=True)
        run_job = partial(_daily_job, clock, output)
        if first == "job":
            file_appeal = partial(_after, locked, file_appeal)  # the job holds the lock
        else:
            run_job = partial(_after, locked, run_job)  # the appeal holds the lock

        with monkeypatch.context() as patch:
            patch.setattr(timezone, "now", clock)
            if first == "appeal":
                # Hold the lock after the appeal took its time (just before midnight).
                _hold(patch, services, "_letter", entered=locked, seconds=1.5)
            else:
                _hold(patch, services, "_notified", entered=locked, seconds=1.0)
            (filed, _job) = race(file_appeal, run_job)

        appeal = Appeal.objects.get(application=refusal)
        final = FinalDecision.objects.filter(application=refusal).first()
        assert filed.response.status_code == 200
        assert filed.response.redirect_chain == [
            (reverse("appeals:detail", args=[appeal.pk]), 302)]
        if first == "appeal":
            assert appeal.in_time is True
            assert timezone.localtime(appeal.filed_at).date() == today - timedelta(days=1)
            assert final is None  # the committee handles the appeal
            assert "0 decision(s) became final." in output.getvalue()
            assert f"Your appeal {appeal.reference} is filed." in filed.text
        else:
            assert final is not None and final.appeal_until == today - timedelta(days=1)
            assert final.final_since < appeal.filed_at
            assert appeal.in_time is False
            assert "1 decision(s) became final." in output.getvalue()
            assert (f"Your appeal {appeal.reference} is received, but late: the last day to "
                    f"appeal was {final.appeal_until:%d/%m/%Y}, and the decision has been final "
                    f"since {timezone.localtime(final.final_since):%d/%m/%Y %H:%M}."
                    in filed.text)
            event = appeal.events.get(kind=AppealEvent.Kind.FILED)
            assert event.data["in_time"] is False and event.data["final_since"]
        # Never both: an appeal in time and a final decision.
        assert not (appeal.in_time and final is not None)
        assert Appeal.objects.filter(application=refusal).count() == 1
    record_property("races", RACES)
