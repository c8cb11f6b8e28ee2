"""The agreement services against the database: registering by either side, confirming by the
other, every rule at its boundary (the mentor cap with overlapping and adjacent periods, the
mentor-training deadline day, the end of the recognition), ending, changing the mentor, the
daily job, and who may do what."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from werkplek.agreements import services
from werkplek.agreements.models import Agreement, AgreementEvent, Learner
from werkplek.recognitions.models import Recognition, RecognitionMentor

from .conftest import today

CAP = "may coach 1 learner at a time"


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def confirm(actor, agreement) -> Agreement:
    return services.confirm_agreement(actor=actor, agreement_id=agreement.pk)


# The sector's reference data --------------------------------------------------------------------

def test_construction_allows_one_learner_per_mentor_and_training_within_six_months(bouw):
    # The catalogue as loaded (the tests below set these values themselves where they count).
    assert bouw.max_learners_per_mentor == 1
    assert bouw.mentor_training_required is True
    assert bouw.mentor_training_deadline_months == 6


# Registering and confirming ---------------------------------------------------------------------

def test_the_coach_registers_a_draft_for_the_provider_side(register, coach, provider,
                                                           recognition, peeters):
    agreement = register(start=today(), end=today() + timedelta(days=300), hours="24",
                         first_name=" Lotte ", last_name="Leerling")
    assert agreement.state == Agreement.State.DRAFT
    assert agreement.registered_side == Agreement.Side.PROVIDER
    assert agreement.coach == coach and agreement.created_by == coach
    assert agreement.kind == Agreement.Kind.OAO and agreement.weekly_hours == Decimal("24.0")
    assert (agreement.recognition, agreement.unit, agreement.programme, agreement.mentor,
            agreement.training_provider, agreement.enterprise) == (
        recognition, recognition.unit, recognition.programme, peeters, provider,
        recognition.enterprise)
    learner = agreement.learner
    assert learner.full_name == "Lotte Leerling"
    assert learner.birth_date == date(2008, 5, 5)
    assert learner.training_provider == provider and learner.programme == recognition.programme
    assert learner.masked_national_number.startswith("xx.xx.xx-xxx.")
    event = agreement.events.get()
    assert event.kind == AgreementEvent.Kind.REGISTERED and event.actor == coach
    assert event.data == {"side": "provider", "kind": "oao", "hours": "24.0"}


@pytest.mark.parametrize(("hours", "kind"), [("19.9", "stage"), ("20", "oao"), ("20.1", "oao"),
                                             ("19,9", "stage"), (Decimal("22.5"), "oao"),
                                             (8, "stage")])
def test_the_kind_follows_from_the_hours(register, hours, kind):
    agreement = register(start=today(), end=today() + timedelta(days=30), hours=hours)
    assert agreement.kind == kind


@pytest.mark.parametrize("hours", ["", "twintig", "NaN", "Infinity", "0.9", "50.1", None])
def test_hours_that_are_no_number_or_out_of_range_are_refused(register, hours):
    with pytest.raises(ValidationError) as excinfo:
        register(start=today(), end=today() + timedelta(days=30), hours=hours)
    assert list(errors_of(excinfo)) == ["weekly_hours"]
    assert not Agreement.objects.exists()


def test_the_enterprise_registers_and_the_coach_confirms(register, employer, coach):
    agreement = register(actor=employer, start=today(), end=today() + timedelta(days=300))
    assert agreement.registered_side == Agreement.Side.ENTERPRISE and agreement.coach is None
    agreement = confirm(coach, agreement)
    assert agreement.state == Agreement.State.ACTIVE
    assert agreement.confirmed_by == coach and agreement.coach == coach
    assert agreement.confirmed_at is not None


@pytest.mark.parametrize("confirmer", ["werkgever", "vertegenwoordiger"])
def test_the_enterprise_confirms_what_the_coach_registered(register, demo_user, confirmer):
    agreement = register(start=today(), end=today() + timedelta(days=300))
    agreement = confirm(demo_user(confirmer), agreement)
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.ACTIVE
    assert agreement.confirmed_by.username == confirmer
    assert [e.kind for e in agreement.events.all()] == ["registered", "activated"]


def test_the_side_that_registered_cannot_confirm(register, coach, employer, representative):
    by_coach = register(start=today(), end=today() + timedelta(days=100))
    with pytest.raises(ValidationError) as excinfo:
        confirm(coach, by_coach)
    assert "The other side confirms the agreement: the enterprise." in excinfo.value.messages
    by_enterprise = register(actor=employer, start=today() + timedelta(days=101),
                             end=today() + timedelta(days=200))
    # Another person of the same side is the same side.
    with pytest.raises(ValidationError) as excinfo:
        confirm(representative, by_enterprise)
    assert "The other side confirms the agreement: the training provider." in \
        excinfo.value.messages
    for agreement in (by_coach, by_enterprise):
        agreement.refresh_from_db()
        assert agreement.state == Agreement.State.DRAFT


def test_only_a_draft_can_be_confirmed(register, employer, coach):
    agreement = register(start=today(), end=today() + timedelta(days=100))
    confirm(employer, agreement)
    with pytest.raises(ValidationError, match="no longer waiting for confirmation"):
        confirm(employer, agreement)


# The mentor cap ---------------------------------------------------------------------------------

def test_a_second_overlapping_agreement_for_a_capped_mentor_is_refused(register):
    first = register(start=today(), end=today() + timedelta(days=200))
    assert first.state == Agreement.State.DRAFT  # a draft counts
    with pytest.raises(ValidationError) as excinfo:
        # Overlapping on the first one's last day only.
        register(start=today() + timedelta(days=200), end=today() + timedelta(days=400))
    errors = errors_of(excinfo)
    assert list(errors) == ["mentor"]
    assert "Jan Peeters" in errors["mentor"][0] and CAP in errors["mentor"][0]
    assert "waiting for confirmation" in errors["mentor"][0]
    assert Agreement.objects.count() == 1
    # Nothing of the refused one remains: no learner either.
    assert Learner.objects.count() == 1


def test_an_active_agreement_counts_as_well(register, employer):
    confirm(employer, register(start=today(), end=today() + timedelta(days=200)))
    with pytest.raises(ValidationError) as excinfo:
        register(start=today() - timedelta(days=30), end=today() + timedelta(days=10))
    assert CAP in errors_of(excinfo)["mentor"][0]


def test_an_adjacent_agreement_for_a_capped_mentor_is_accepted(register):
    first = register(start=today(), end=today() + timedelta(days=200))
    after = register(start=first.end_date + timedelta(days=1),
                     end=first.end_date + timedelta(days=200))
    before = register(start=today() - timedelta(days=100), end=today() - timedelta(days=1))
    assert Agreement.objects.filter(mentor=first.mentor).count() == 3
    assert {after.state, before.state} == {Agreement.State.DRAFT}


def test_an_agreement_ended_early_frees_the_place(register, employer):
    first = register(start=today(), end=today() + timedelta(days=200))
    services.end_agreement(actor=employer, agreement_id=first.pk, on_day=today(),
                           note="De leerling stopt.")
    second = register(start=today() + timedelta(days=1), end=today() + timedelta(days=200))
    assert second.state == Agreement.State.DRAFT


def test_agreements_that_do_not_overlap_each_other_count_once(register, sector_rules,
                                                              recognition, peeters):
    sector_rules(max_learners_per_mentor=2)
    register(start=today(), end=today() + timedelta(days=99))
    register(start=today() + timedelta(days=100), end=today() + timedelta(days=199))
    # Overlaps both, but the mentor never coaches both at once: 2 at a time at most.
    check = services.check_rules(recognition=Recognition.objects.get(pk=recognition.pk),
                                 mentor_id=peeters.pk, start=today() + timedelta(days=50),
                                 end=today() + timedelta(days=150))
    assert check.ok and check.at_once == 2 and check.cap == 2
    register(start=today() + timedelta(days=50), end=today() + timedelta(days=150))
    with pytest.raises(ValidationError) as excinfo:
        register(start=today() + timedelta(days=60), end=today() + timedelta(days=60))
    assert "may coach 2 learners at a time" in errors_of(excinfo)["mentor"][0]
    # Outside the overlap of the third one, the mentor still has room.
    register(start=today() + timedelta(days=160), end=today() + timedelta(days=170))


def test_the_cap_counts_the_mentor_at_other_recognitions(register, make_recognition, dakwerker,
                                                         peeters, recognition):
    from werkplek.catalog.models import Programme

    elsewhere = make_recognition(programme=Programme.objects.filter(
        sector=dakwerker.sector).exclude(pk=dakwerker.pk).first())
    register(recognition=elsewhere, start=today(), end=today() + timedelta(days=100))
    with pytest.raises(ValidationError) as excinfo:
        register(start=today() + timedelta(days=50), end=today() + timedelta(days=150))
    assert CAP in errors_of(excinfo)["mentor"][0]


def test_the_cap_is_checked_again_at_confirmation(register, sector_rules, employer):
    sector_rules(max_learners_per_mentor=2)
    first = register(start=today(), end=today() + timedelta(days=200))
    second = register(start=today() + timedelta(days=100), end=today() + timedelta(days=300))
    sector_rules(max_learners_per_mentor=1)
    # The first one confirmed takes the place (the other draft does not block it)...
    assert confirm(employer, first).state == Agreement.State.ACTIVE
    # ... and the second one no longer fits.
    with pytest.raises(ValidationError) as excinfo:
        confirm(employer, second)
    assert CAP in errors_of(excinfo)["mentor"][0]
    second.refresh_from_db()
    assert second.state == Agreement.State.DRAFT
    assert not second.events.filter(kind=AgreementEvent.Kind.ACTIVATED).exists()


def test_a_confirmation_leaves_the_agreement_itself_out_of_the_count(register, employer):
    agreement = register(start=today(), end=today() + timedelta(days=200))
    assert confirm(employer, agreement).state == Agreement.State.ACTIVE


# The mentor-training deadline -------------------------------------------------------------------

@pytest.fixture
def untrained_since_31_august(make_recognition, make_mentor):
    """A recognition from 31/08/2025 with an untrained mentor since then: with 6 months, the
    deadline is 28/02/2026."""
    mentor = make_mentor(trained=False)
    recognition = make_recognition(valid_from=date(2025, 8, 31), mentors=[mentor])
    return recognition, mentor


def test_an_untrained_mentor_is_accepted_on_the_deadline_day(register, on_day,
                                                              untrained_since_31_august):
    recognition, mentor = untrained_since_31_august
    with on_day(date(2026, 2, 28)):
        agreement = register(recognition=recognition, mentor=mentor, start=date(2026, 3, 2),
                             end=date(2026, 8, 31))
    assert agreement.state == Agreement.State.DRAFT


def test_an_untrained_mentor_is_refused_the_day_after_the_deadline(register, on_day,
                                                                    untrained_since_31_august):
    recognition, mentor = untrained_since_31_august
    with on_day(date(2026, 3, 1)), pytest.raises(ValidationError) as excinfo:
        register(recognition=recognition, mentor=mentor, start=date(2026, 3, 2),
                 end=date(2026, 8, 31))
    (message,) = errors_of(excinfo)["mentor"]
    assert "An Claes has not followed the mentor training" in message
    assert "passed on 28/02/2026" in message
    assert not Agreement.objects.exists()


def test_check_rules_takes_the_day_it_judges(untrained_since_31_august):
    recognition, mentor = untrained_since_31_august
    period = {"recognition": recognition, "mentor_id": mentor.pk, "start": date(2026, 3, 2),
              "end": date(2026, 8, 31)}
    assert services.check_rules(**period, today=date(2026, 2, 28)).ok
    late = services.check_rules(**period, today=date(2026, 3, 1))
    assert [field for field, _message in late.problems] == ["mentor"]


def test_the_deadline_counts_from_the_day_the_mentor_joined(make_recognition, make_mentor):
    mentor = make_mentor(trained=False)
    # A mentor added to a recognition later has 6 months from that day.
    recognition = make_recognition(valid_from=date(2025, 1, 10), mentors=[mentor],
                                   since=date(2025, 9, 1))
    period = {"recognition": recognition, "mentor_id": mentor.pk, "start": date(2026, 3, 2),
              "end": date(2026, 8, 31)}
    assert services.check_rules(**period, today=date(2026, 2, 28)).ok
    assert not services.check_rules(**period, today=date(2026, 3, 1)).ok


def test_a_trained_mentor_or_a_sector_without_the_rule_has_no_deadline(
        make_recognition, make_mentor, sector_rules):
    untrained, trained = make_mentor("Claes", trained=False), make_mentor("Wouters", trained=True)
    recognition = make_recognition(valid_from=date(2025, 8, 31), mentors=[untrained, trained])
    period = {"recognition": recognition, "start": date(2026, 3, 2), "end": date(2026, 8, 31),
              "today": date(2026, 3, 1)}
    assert services.check_rules(**period, mentor_id=trained.pk).ok
    assert not services.check_rules(**period, mentor_id=untrained.pk).ok
    sector_rules(mentor_training_required=False)
    # A fresh read: the rules come with the recognition's partnership.
    period["recognition"] = Recognition.objects.get(pk=recognition.pk)
    assert services.check_rules(**period, mentor_id=untrained.pk).ok


def test_a_draft_cannot_be_confirmed_after_the_deadline(register, on_day, employer,
                                                        untrained_since_31_august):
    recognition, mentor = untrained_since_31_august
    with on_day(date(2026, 2, 28)):
        agreement = register(recognition=recognition, mentor=mentor, start=date(2026, 3, 2),
                             end=date(2026, 8, 31))
    with on_day(date(2026, 3, 1)), pytest.raises(ValidationError) as excinfo:
        confirm(employer, agreement)
    assert "passed on 28/02/2026" in errors_of(excinfo)["mentor"][0]


# The recognition's period -----------------------------------------------------------------------

@pytest.mark.parametrize("state", ["withdrawn", "expired", "excluded"])
def test_no_agreement_at_a_recognition_no_longer_in_force(register, make_recognition, state):
    ended = make_recognition(state=state)
    with pytest.raises(ValidationError) as excinfo:
        register(recognition=ended, start=today() + timedelta(days=1),
                 end=today() + timedelta(days=100))
    (message,) = errors_of(excinfo)["start_date"]
    assert f"{ended.unit.name} is not recognised for {ended.programme.name}" in message
    assert f"on {today() + timedelta(days=1):%d/%m/%Y}" in message


def test_no_agreement_after_a_withdrawal_by_sanction(register, recognition, handler):
    from werkplek.recognitions import services as recognitions
    from werkplek.recognitions.models import SupportAction

    action = recognitions.open_support_action(actor=handler, recognition_id=recognition.pk,
                                              improvement="Opleidingsplan volgen.",
                                              due_on=today() + timedelta(days=30))
    SupportAction.objects.filter(pk=action.pk).update(due_on=today())
    recognitions.follow_up_support_action(actor=handler, action_id=action.pk, met=False,
                                          note="Niet gevolgd.")
    recognitions.impose_sanction(actor=handler, support_action_id=action.pk, kind="withdrawal",
                                 reasons="Geen opleiding gegeven.")
    with pytest.raises(ValidationError) as excinfo:
        register(start=today(), end=today() + timedelta(days=100))
    assert "start_date" in errors_of(excinfo)


def test_a_recognition_past_its_last_day_does_not_count_before_the_expiry_job(
        register, make_recognition):
    # Still "active" (the daily job has not run), but its last day was yesterday.
    old = make_recognition(valid_from=today() - timedelta(days=400),
                           valid_until=today() - timedelta(days=1))
    with pytest.raises(ValidationError) as excinfo:
        register(recognition=old, start=today() - timedelta(days=10),
                 end=today() + timedelta(days=10))
    assert "start_date" in errors_of(excinfo)


def test_the_start_must_lie_within_the_recognition(register, make_recognition):
    recognition = make_recognition(valid_from=today() - timedelta(days=10),
                                   valid_until=today() + timedelta(days=100))
    for start in (today() - timedelta(days=11), today() + timedelta(days=101)):
        with pytest.raises(ValidationError) as excinfo:
            register(recognition=recognition, start=start, end=today() + timedelta(days=200))
        assert "start_date" in errors_of(excinfo)
    # Its first and its last day are in.
    register(recognition=recognition, start=today() - timedelta(days=10),
             end=today() - timedelta(days=5))
    register(recognition=recognition, start=today() + timedelta(days=100),
             end=today() + timedelta(days=100))


def test_an_end_after_the_recognition_is_accepted_until_its_last_day(register, make_recognition,
                                                                     peeters):
    recognition = make_recognition(valid_from=today() - timedelta(days=10),
                                   valid_until=today() + timedelta(days=100))
    check = services.check_rules(recognition=recognition, mentor_id=peeters.pk, start=today(),
                                 end=today() + timedelta(days=300))
    assert check.ok and check.covered_until == recognition.valid_until
    agreement = register(recognition=recognition, start=today(),
                         end=today() + timedelta(days=300))
    assert agreement.end_date == today() + timedelta(days=300)


def test_a_renewal_extends_the_coverage(make_recognition, peeters):
    first = make_recognition(state="renewed", valid_from=today() - timedelta(days=400),
                             valid_until=today() + timedelta(days=30))
    renewal = make_recognition(valid_from=first.valid_until + timedelta(days=1), previous=first,
                               since=first.valid_from)
    check = services.check_rules(recognition=first, mentor_id=peeters.pk, start=today(),
                                 end=today() + timedelta(days=300))
    assert check.ok and check.covered_until == renewal.valid_until
    # A withdrawn renewal no longer continues it.
    Recognition.objects.filter(pk=renewal.pk).update(state="withdrawn")
    check = services.check_rules(recognition=first, mentor_id=peeters.pk, start=today(),
                                 end=today() + timedelta(days=300))
    assert check.ok and check.covered_until == first.valid_until


def test_the_end_must_not_be_before_the_start(register):
    with pytest.raises(ValidationError) as excinfo:
        register(start=today(), end=today() - timedelta(days=1))
    assert list(errors_of(excinfo)) == ["end_date"]


# The mentor -------------------------------------------------------------------------------------

def test_a_mentor_not_of_the_recognition_is_refused(register, make_mentor, demo_enterprise,
                                                    recognition, peeters):
    stranger = make_mentor(trained=True)
    janssens = demo_enterprise.mentors.get(last_name="Janssens")
    for mentor in (stranger, janssens):
        with pytest.raises(ValidationError) as excinfo:
            register(mentor=mentor, start=today(), end=today() + timedelta(days=100))
        assert errors_of(excinfo)["mentor"] == ["Choose an active mentor of this recognition."]
    # A mentor whose link ended, or who is no longer active at the enterprise.
    RecognitionMentor.objects.filter(recognition=recognition, mentor=peeters).update(
        is_active=False)
    with pytest.raises(ValidationError, match="Choose an active mentor"):
        register(start=today(), end=today() + timedelta(days=100))
    RecognitionMentor.objects.filter(recognition=recognition, mentor=peeters).update(
        is_active=True)
    type(peeters).objects.filter(pk=peeters.pk).update(is_active=False)
    with pytest.raises(ValidationError, match="Choose an active mentor"):
        register(start=today(), end=today() + timedelta(days=100))


@pytest.fixture
def failed_action(recognition, handler):
    from werkplek.recognitions import services as recognitions
    from werkplek.recognitions.models import SupportAction

    action = recognitions.open_support_action(actor=handler, recognition_id=recognition.pk,
                                              improvement="Mentor opvolgen.",
                                              due_on=today() + timedelta(days=30))
    SupportAction.objects.filter(pk=action.pk).update(due_on=today())
    return recognitions.follow_up_support_action(actor=handler, action_id=action.pk, met=False,
                                                 note="Niet gevolgd.")


def test_a_banned_mentor_is_refused(register, recognition, peeters, handler, failed_action):
    from werkplek.recognitions.models import Sanction

    sanction = Sanction.objects.create(
        reference="S-2099-000001", kind=Sanction.Kind.MENTOR_BAN,
        enterprise=recognition.enterprise, partnership=recognition.partnership,
        recognition=recognition, support_action=failed_action, mentor=peeters,
        reasons="Volgt de leerlingen niet op.", imposed_on=today(), imposed_by=handler)
    sanction.programmes.set([recognition.programme])
    with pytest.raises(ValidationError) as excinfo:
        register(start=today(), end=today() + timedelta(days=100))
    assert errors_of(excinfo)["mentor"] == [
        "Jan Peeters may no longer coach learners for this programme (mentor ban)."]
    # A ban that no longer holds does not count.
    Sanction.objects.filter(pk=sanction.pk).update(state=Sanction.State.LIFTED)
    assert register(start=today(), end=today() + timedelta(days=100)).mentor == peeters


def test_a_mentor_banned_by_sanction_is_refused(register, recognition, peeters, handler,
                                                failed_action):
    from werkplek.recognitions import services as recognitions

    recognitions.impose_sanction(actor=handler, support_action_id=failed_action.pk,
                                 kind="mentor_ban", reasons="Volgt de leerlingen niet op.",
                                 mentor_id=peeters.pk, programme_ids=[recognition.programme_id])
    with pytest.raises(ValidationError) as excinfo:
        register(start=today(), end=today() + timedelta(days=100))
    assert "mentor" in errors_of(excinfo)


# The learner ------------------------------------------------------------------------------------

def test_a_learner_with_an_overlapping_agreement_is_refused(register, make_mentor,
                                                            make_recognition, learner_number):
    other_mentor = make_mentor("Wouters", trained=True)
    from werkplek.enterprises.models import Mentor

    peeters = Mentor.objects.get(last_name="Peeters")
    recognition = make_recognition(mentors=[peeters, other_mentor])
    number = learner_number()
    first = register(recognition=recognition, national_number=number, start=today(),
                     end=today() + timedelta(days=100))
    with pytest.raises(ValidationError) as excinfo:
        register(recognition=recognition, mentor=other_mentor, national_number=number,
                 start=today() + timedelta(days=100), end=today() + timedelta(days=200))
    assert errors_of(excinfo) == {
        "national_number": ["This learner already has an agreement in this period."]}
    # The day after, the same learner may start another one (the same learner record).
    second = register(recognition=recognition, mentor=other_mentor, national_number=number,
                      start=today() + timedelta(days=101), end=today() + timedelta(days=200))
    assert second.learner == first.learner


@pytest.mark.parametrize("number", ["12345678901", "0412345614", "abc", "080505001"])
def test_an_invalid_national_number_is_a_field_error(register, number):
    with pytest.raises(ValidationError) as excinfo:
        register(national_number=number, start=today(), end=today() + timedelta(days=100))
    assert list(errors_of(excinfo)) == ["national_number"]
    assert not Learner.objects.exists() and not Agreement.objects.exists()


def test_a_known_number_under_another_name_is_refused(register, learner_number):
    number = learner_number()
    first = register(national_number=number, first_name="Lotte", last_name="Leerling",
                     start=today(), end=today() + timedelta(days=10))
    with pytest.raises(ValidationError) as excinfo:
        register(national_number=number, first_name="Lotte", last_name="Andere",
                 start=today() + timedelta(days=11), end=today() + timedelta(days=20))
    assert "known under another name" in errors_of(excinfo)["national_number"][0]
    # The same name written otherwise is the same learner; the number may be formatted.
    formatted = f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"
    again = register(national_number=formatted, first_name="LOTTE", last_name="leerling ",
                     start=today() + timedelta(days=11), end=today() + timedelta(days=20))
    assert again.learner == first.learner and Learner.objects.count() == 1


def test_a_new_learner_needs_a_name(register):
    with pytest.raises(ValidationError) as excinfo:
        register(first_name=" ", last_name="Leerling", start=today(),
                 end=today() + timedelta(days=10))
    assert list(errors_of(excinfo)) == ["last_name"]


# Ending -----------------------------------------------------------------------------------------

@pytest.fixture
def running(register, employer):
    return confirm(employer, register(start=today() - timedelta(days=30),
                                      end=today() + timedelta(days=200)))


@pytest.mark.parametrize("who", ["trajectbegeleider", "werkgever", "vertegenwoordiger"])
def test_either_side_ends_an_agreement_with_a_reason(running, demo_user, who):
    actor = demo_user(who)
    agreement = services.end_agreement(actor=actor, agreement_id=running.pk, on_day=today(),
                                       note="  De leerling verandert van richting. ")
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.ENDED_EARLY
    assert agreement.end_reason == Agreement.EndReason.PARTY
    assert agreement.end_note == "De leerling verandert van richting."
    assert agreement.ended_on == today() and agreement.last_day == today()
    event = agreement.events.get(kind=AgreementEvent.Kind.ENDED_EARLY)
    assert event.actor == actor and event.message == agreement.end_note
    assert event.data == {"from": "active", "reason": "party", "ended_on": today().isoformat()}


def test_ending_needs_a_reason(running, employer):
    with pytest.raises(ValidationError) as excinfo:
        services.end_agreement(actor=employer, agreement_id=running.pk, on_day=today(),
                               note="   ")
    assert list(errors_of(excinfo)) == ["note"]


@pytest.mark.parametrize("days_after_end", [0, 1])
def test_an_early_end_is_before_the_end_date(running, employer, days_after_end):
    with pytest.raises(ValidationError) as excinfo:
        services.end_agreement(actor=employer, agreement_id=running.pk,
                               on_day=running.end_date + timedelta(days=days_after_end),
                               note="Stopt.")
    assert "ends on" in errors_of(excinfo)["on_day"][0]
    # The day before the end date is an early end.
    services.end_agreement(actor=employer, agreement_id=running.pk,
                           on_day=running.end_date - timedelta(days=1), note="Stopt.")


def test_a_running_agreement_does_not_end_before_its_start(running, employer):
    with pytest.raises(ValidationError) as excinfo:
        services.end_agreement(actor=employer, agreement_id=running.pk,
                               on_day=running.start_date - timedelta(days=1), note="Stopt.")
    assert "before the start" in errors_of(excinfo)["on_day"][0]


def test_a_registration_is_withdrawn_before_its_start(register, coach):
    draft = register(start=today() + timedelta(days=30), end=today() + timedelta(days=200))
    agreement = services.end_agreement(actor=coach, agreement_id=draft.pk, on_day=today(),
                                       note="Toch niet.")
    assert agreement.state == Agreement.State.ENDED_EARLY
    assert agreement.ended_on == draft.start_date


def test_an_ended_agreement_does_not_end_again(running, employer):
    services.end_agreement(actor=employer, agreement_id=running.pk, on_day=today(),
                           note="Stopt.")
    with pytest.raises(ValidationError, match="has ended already"):
        services.end_agreement(actor=employer, agreement_id=running.pk, on_day=today(),
                               note="Stopt.")


# Another mentor ---------------------------------------------------------------------------------

@pytest.fixture
def two_mentors(make_recognition, make_mentor, peeters):
    other = make_mentor("Wouters", trained=True)
    return make_recognition(mentors=[peeters, other]), other


def test_the_enterprise_names_another_mentor(register, employer, two_mentors, peeters):
    recognition, other = two_mentors
    agreement = confirm(employer, register(recognition=recognition, start=today(),
                                           end=today() + timedelta(days=200)))
    changed = services.change_mentor(actor=employer, agreement_id=agreement.pk,
                                     mentor_id=str(other.pk))
    changed.refresh_from_db()
    assert changed.mentor == other and changed.state == Agreement.State.ACTIVE
    event = changed.events.get(kind=AgreementEvent.Kind.MENTOR_CHANGED)
    assert event.actor == employer and event.data == {"from": peeters.pk, "to": other.pk}
    # Peeters is free again for the same period.
    register(recognition=recognition, start=today(), end=today() + timedelta(days=200))


def test_only_the_enterprise_names_the_mentor(register, employer, coach, two_mentors):
    recognition, other = two_mentors
    agreement = confirm(employer, register(recognition=recognition, start=today(),
                                           end=today() + timedelta(days=200)))
    with pytest.raises(PermissionDenied):
        services.change_mentor(actor=coach, agreement_id=agreement.pk, mentor_id=other.pk)
    agreement.refresh_from_db()
    assert agreement.mentor.last_name == "Peeters"


def test_another_mentor_is_checked_against_the_cap(register, employer, two_mentors):
    recognition, other = two_mentors
    agreement = confirm(employer, register(recognition=recognition, start=today(),
                                           end=today() + timedelta(days=200)))
    # The other mentor coaches someone until day 50: no room for the rest of this period.
    register(recognition=recognition, mentor=other, start=today() - timedelta(days=100),
             end=today() + timedelta(days=50))
    with pytest.raises(ValidationError) as excinfo:
        services.change_mentor(actor=employer, agreement_id=agreement.pk, mentor_id=other.pk)
    assert "An Wouters may coach 1 learner at a time" in errors_of(excinfo)["mentor"][0]
    with pytest.raises(ValidationError, match="already the learner's mentor"):
        services.change_mentor(actor=employer, agreement_id=agreement.pk,
                               mentor_id=agreement.mentor_id)


def test_the_cap_for_another_mentor_counts_from_today(register, employer, two_mentors):
    recognition, other = two_mentors
    agreement = confirm(employer, register(recognition=recognition,
                                           start=today() - timedelta(days=100),
                                           end=today() + timedelta(days=200)))
    # The other mentor's learner left yesterday: the part before today does not count.
    register(recognition=recognition, mentor=other, start=today() - timedelta(days=100),
             end=today() - timedelta(days=1))
    changed = services.change_mentor(actor=employer, agreement_id=agreement.pk,
                                     mentor_id=other.pk)
    assert changed.mentor == other


def test_a_mentor_from_outside_the_recognition_is_refused(register, employer, make_mentor):
    agreement = confirm(employer, register(start=today(), end=today() + timedelta(days=200)))
    stranger = make_mentor(trained=True)
    with pytest.raises(ValidationError) as excinfo:
        services.change_mentor(actor=employer, agreement_id=agreement.pk, mentor_id=stranger.pk)
    assert errors_of(excinfo)["mentor"] == ["Choose an active mentor of this recognition."]


# The daily job ----------------------------------------------------------------------------------

def test_agreements_past_their_end_date_end(register, employer):
    active = confirm(employer, register(start=today(), end=today() + timedelta(days=10)))
    draft = register(start=today() + timedelta(days=11), end=today() + timedelta(days=20))
    later = confirm(employer, register(start=today() + timedelta(days=21),
                                       end=today() + timedelta(days=30)))
    # On the end day itself, nothing ends yet.
    assert services.finish_agreements(today=today() + timedelta(days=10)) == 0
    assert services.finish_agreements(today=today() + timedelta(days=21)) == 2
    for agreement in (active, draft, later):
        agreement.refresh_from_db()
    assert active.state == Agreement.State.ENDED and active.last_day == active.end_date
    assert draft.state == Agreement.State.ENDED_EARLY
    assert draft.end_note == "never confirmed" and draft.ended_on == draft.end_date
    assert later.state == Agreement.State.ACTIVE
    # Again: nothing more.
    assert services.finish_agreements(today=today() + timedelta(days=21)) == 0
    assert active.events.filter(kind=AgreementEvent.Kind.ENDED).count() == 1
    assert draft.events.filter(kind=AgreementEvent.Kind.ENDED_EARLY).count() == 1


def test_the_daily_command_runs_as_of_a_day(register, employer, capsys):
    agreement = confirm(employer, register(start=today(), end=today() + timedelta(days=10)))
    day = (today() + timedelta(days=11)).isoformat()
    call_command("agreements_daily", "--date", day)
    call_command("agreements_daily", "--date", day)
    assert capsys.readouterr().out.splitlines() == ["1 agreement(s) ended.",
                                                    "0 agreement(s) ended."]
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.ENDED
    with pytest.raises(CommandError, match="--date"):
        call_command("agreements_daily", "--date", "31/12/2026")


# Who may do what --------------------------------------------------------------------------------

def test_an_employer_of_another_enterprise_can_do_nothing(register, employer, coach,
                                                          other_enterprise_employer):
    outsider = other_enterprise_employer
    with pytest.raises(PermissionDenied):
        register(actor=outsider, start=today(), end=today() + timedelta(days=100))
    draft = register(start=today(), end=today() + timedelta(days=100))
    with pytest.raises(PermissionDenied):
        confirm(outsider, draft)
    with pytest.raises(PermissionDenied):
        services.end_agreement(actor=outsider, agreement_id=draft.pk, on_day=today(),
                               note="Stopt.")
    confirm(employer, draft)
    with pytest.raises(PermissionDenied):
        services.end_agreement(actor=outsider, agreement_id=draft.pk, on_day=today(),
                               note="Stopt.")
    with pytest.raises(PermissionDenied):
        services.change_mentor(actor=outsider, agreement_id=draft.pk, mentor_id=draft.mentor_id)
    draft.refresh_from_db()
    assert draft.state == Agreement.State.ACTIVE and draft.confirmed_by == employer


def test_a_coach_of_another_provider_can_do_nothing_for_this_ones_learners(
        register, employer, other_provider_coach, provider):
    outsider = other_provider_coach
    with pytest.raises(PermissionDenied):
        register(actor=outsider, training_provider=provider, start=today(),
                 end=today() + timedelta(days=100))
    assert not Agreement.objects.exists() and not Learner.objects.exists()
    draft = register(actor=employer, start=today(), end=today() + timedelta(days=100))
    with pytest.raises(PermissionDenied):
        confirm(outsider, draft)
    with pytest.raises(PermissionDenied):
        services.end_agreement(actor=outsider, agreement_id=draft.pk, on_day=today(),
                               note="Stopt.")
    draft.refresh_from_db()
    assert draft.state == Agreement.State.DRAFT


def test_a_coach_registers_for_their_own_provider(register, employer, other_provider_coach):
    from werkplek.accounts.models import Membership

    own = Membership.objects.get(user=other_provider_coach).training_provider
    agreement = register(actor=other_provider_coach, training_provider=own, start=today(),
                         end=today() + timedelta(days=100))
    assert agreement.training_provider == own and agreement.coach == other_provider_coach
    assert confirm(employer, agreement).state == Agreement.State.ACTIVE


def test_people_without_a_role_here_can_do_nothing(register, demo_user, coach, employer):
    from werkplek.accounts.models import Membership

    for outsider in (demo_user("behandelaar-bouw"), demo_user("beheer"), AnonymousUser()):
        with pytest.raises(PermissionDenied):
            register(actor=outsider, start=today(), end=today() + timedelta(days=100))
    draft = register(start=today(), end=today() + timedelta(days=100))
    # A membership that was ended gives no rights.
    Membership.objects.filter(user=employer).update(is_active=False)
    with pytest.raises(PermissionDenied):
        confirm(employer, draft)
    with pytest.raises(PermissionDenied):
        confirm(AnonymousUser(), draft)



def test_an_agreement_ended_early_on_a_later_day_keeps_its_place_until_that_day(register,
                                                                               employer):
    first = register(start=today(), end=today() + timedelta(days=200))
    services.end_agreement(actor=employer, agreement_id=first.pk,
                           on_day=today() + timedelta(days=100), note="De leerling verhuist.")
    with pytest.raises(ValidationError) as excinfo:
        register(start=today() + timedelta(days=10), end=today() + timedelta(days=50))
    assert CAP in errors_of(excinfo)["mentor"][0]
    after = register(start=today() + timedelta(days=101), end=today() + timedelta(days=150))
    assert after.state == Agreement.State.DRAFT


def test_an_agreement_longer_than_five_years_is_refused(register):
    with pytest.raises(ValidationError) as excinfo:
        register(start=today(), end=today().replace(year=today().year + 6))
    assert list(errors_of(excinfo)) == ["end_date"]
