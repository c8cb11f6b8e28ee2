"""The demo recognitions of `make run`: every state of a recognition, a support action, a
sanction, an appeal and an agreement, consistent with each other, loaded once; and the browser
journeys start from them (the employer answers, the handler withdraws, the committee
overturns)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from werkplek.accounts.demo import DEMO_ENTERPRISE_NUMBER
from werkplek.accounts.models import User
from werkplek.agreements.models import Agreement
from werkplek.appeals import services as appeals
from werkplek.appeals.models import Appeal
from werkplek.notices.models import Letter
from werkplek.recognitions import services
from werkplek.recognitions.demo import SCENARIOS, load_demo_recognitions
from werkplek.recognitions.models import Recognition, Sanction, SupportAction


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for the module (rendering its letters takes a while), in a
    transaction that is rolled back after the last test; each test runs in a savepoint of it."""
    from django.db import transaction
    from django.test.utils import override_settings

    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), \
            transaction.atomic():
        yield load_demo_recognitions()
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    return loaded


def _demo_recognition(programme_code: str) -> Recognition:
    return Recognition.objects.get(enterprise__enterprise_number=DEMO_ENTERPRISE_NUMBER,
                                   programme__code=programme_code, previous__isnull=True)


def test_the_demo_recognitions_cover_every_state_and_load_once(demo):
    assert demo["problems"] == []
    assert demo["built"] == len(SCENARIOS)
    assert set(Recognition.objects.values_list("state", flat=True)) == set(
        Recognition.State.values)
    assert set(SupportAction.objects.values_list("state", flat=True)) == set(
        SupportAction.State.values)
    assert set(Sanction.objects.values_list("kind", flat=True)) == set(Sanction.Kind.values)
    assert set(Appeal.objects.values_list("state", flat=True)) == set(Appeal.State.values)
    assert {Agreement.State.ACTIVE, Agreement.State.ENDED_EARLY, Agreement.State.ENDED,
            Agreement.State.DRAFT} <= set(Agreement.objects.values_list("state", flat=True))
    # The one waiting was registered by the coach, for the employer to confirm.
    waiting = Agreement.objects.get(state=Agreement.State.DRAFT)
    assert waiting.registered_side == Agreement.Side.PROVIDER
    assert demo["recognitions"] == {
        state: Recognition.objects.filter(state=state).count()
        for state in Recognition.State.values}
    # Every letter of a sanction or an appeal is rendered, dated the day of its step.
    letters = Letter.objects.filter(application__isnull=True)
    assert letters.count() > 10
    assert not letters.filter(file="").exists()
    for sanction in Sanction.objects.all():
        assert sanction.letters.get().dated_on == sanction.imposed_on
    for appeal in Appeal.objects.all():
        receipt = appeal.letters.get(kind=Letter.Kind.APPEAL_RECEIPT)
        assert receipt.dated_on == timezone.localdate(appeal.filed_at)
        if appeal.sanction_id:
            assert appeal.notified_on == appeal.sanction.imposed_on

    again = load_demo_recognitions()
    assert again["built"] == 0 and again["problems"] == []
    for key in ("recognitions", "support_actions", "sanctions", "sanction_states", "appeals",
                "agreements", "letters"):
        assert again[key] == demo[key]


def test_the_demo_enterprise_register(demo):
    today = timezone.localdate()
    active = _demo_recognition("dakwerker-duaal")
    assert active.register_state() == "active"
    assert active.mentor_links.filter(is_active=True).count() == 2
    assert active.agreements.filter(state=Agreement.State.ACTIVE,
                                    coach__username="trajectbegeleider").exists()

    expiring = _demo_recognition("ruwbouw-duaal")
    assert expiring.register_state() == "expiring"
    assert expiring.reminded_6m_on is not None and expiring.reminded_2m_on is None
    assert expiring.support_actions.get().state == SupportAction.State.ANSWERED

    expired = _demo_recognition("bouwplaatsmachinist-duaal")
    assert expired.state == Recognition.State.EXPIRED and expired.valid_until < today

    renewed = _demo_recognition("afwerking-bouw-duaal")
    assert renewed.state == Recognition.State.RENEWED
    assert renewed.successor.state == Recognition.State.ACTIVE
    assert renewed.successor.valid_from == renewed.valid_until + timedelta(days=1)
    assert renewed.successor.agreements.filter(state=Agreement.State.ACTIVE).exists()

    # Learners of construction: one at a time per mentor.
    running = Agreement.objects.filter(enterprise__enterprise_number=DEMO_ENTERPRISE_NUMBER,
                                       state=Agreement.State.ACTIVE)
    mentors = list(running.values_list("mentor_id", flat=True))
    assert len(mentors) == len(set(mentors)) >= 4


def test_the_employer_can_answer_the_open_support_action(demo):
    action = SupportAction.objects.get(
        recognition__enterprise__enterprise_number=DEMO_ENTERPRISE_NUMBER,
        state=SupportAction.State.OPEN)
    assert action.due_on > timezone.localdate()
    answered = services.answer_support_action(actor=User.objects.get(username="werkgever"),
                                              action_id=action.pk,
                                              answer="Beschermkap geplaatst, foto bijgevoegd.")
    assert answered.state == SupportAction.State.ANSWERED


def test_the_handler_withdraws_the_enterprise_appeals_the_committee_overturns(demo):
    """The e2e journey, through the services, from the demo data as it is loaded."""
    action = SupportAction.objects.get(
        recognition__enterprise__enterprise_number=DEMO_ENTERPRISE_NUMBER,
        recognition__partnership__code="bouw", state=SupportAction.State.FAILED)
    recognition = action.recognition
    running = recognition.agreements.get(state=Agreement.State.ACTIVE)
    assert running.coach.username == "trajectbegeleider"

    sanction = services.impose_sanction(
        actor=User.objects.get(username="behandelaar-bouw"), support_action_id=action.pk,
        kind=Sanction.Kind.WITHDRAWAL, reasons="Begeleidingsactie niet uitgevoerd.")
    recognition.refresh_from_db()
    running.refresh_from_db()
    assert recognition.state == Recognition.State.WITHDRAWN
    assert running.state == Agreement.State.ENDED_EARLY

    appeal = appeals.file_appeal(actor=User.objects.get(username="werkgever"),
                                 sanction_id=sanction.pk, grounds="Toezicht is nu geregeld.")
    assert appeal.in_time
    committee = User.objects.get(username="beroepscommissie")
    appeal = appeals.decide_admissibility(actor=committee, appeal_id=appeal.pk,
                                          admissible=True)
    appeals.decide_appeal(actor=committee, appeal_id=appeal.pk, overturn=True,
                          reasons="Toezicht aangetoond.")
    recognition.refresh_from_db()
    running.refresh_from_db()
    assert recognition.state == Recognition.State.ACTIVE
    assert running.state == Agreement.State.ACTIVE


def test_sanctions_and_appeals_of_the_other_enterprises(demo):
    today = timezone.localdate()
    filed = Appeal.objects.get(state=Appeal.State.FILED)
    assert filed.in_time and today < filed.admissibility_due <= today + timedelta(days=10)
    late = Appeal.objects.get(state=Appeal.State.INADMISSIBLE)
    assert not late.in_time and late.admissibility_reason == Appeal.Inadmissible.LATE
    assert Appeal.objects.get(state=Appeal.State.ADMISSIBLE).hearing_notes

    overturned_refusal = Appeal.objects.get(state=Appeal.State.OVERTURNED,
                                            application__isnull=False)
    assert overturned_refusal.application.recognition.state == Recognition.State.ACTIVE
    lifted = Appeal.objects.get(state=Appeal.State.OVERTURNED, sanction__isnull=False).sanction
    assert lifted.state == Sanction.State.LIFTED
    assert lifted.recognition.state == Recognition.State.ACTIVE
    assert lifted.recognition.agreements.get().state == Agreement.State.ACTIVE
    upheld = Appeal.objects.get(state=Appeal.State.UPHELD).sanction
    assert upheld.state == Sanction.State.IN_FORCE
    assert upheld.recognition.state == Recognition.State.WITHDRAWN

    exclusions = Sanction.objects.filter(kind=Sanction.Kind.EXCLUSION)
    temporary = exclusions.get(ends_on__isnull=False)
    assert temporary.unit_id is None and temporary.ends_on > today
    definitive = exclusions.get(ends_on__isnull=True)
    assert definitive.unit_id is not None
    assert set(Recognition.objects.filter(ended_by__in=exclusions).values_list(
        "state", flat=True)) == {Recognition.State.EXCLUDED}

    bans = Sanction.objects.filter(kind=Sanction.Kind.MENTOR_BAN)
    replaced = bans.get(effects__agreements_ended=[])
    assert replaced.effects["agreements_reassigned"]
    assert replaced.recognition.agreements.get().state == Agreement.State.ACTIVE
    ended = bans.exclude(pk=replaced.pk).get()
    assert ended.recognition.agreements.get().end_reason == Agreement.EndReason.MENTOR_BAN
    assert not ended.recognition.mentor_links.filter(is_active=True).exists()
