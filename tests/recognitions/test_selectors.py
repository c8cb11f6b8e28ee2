"""The reads behind the recognitions pages: the expiring boundary, the enterprise's register
grouped per unit, the partnership's filters and counts, and the parts of a recognition's
page."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from werkplek.recognitions import selectors
from werkplek.recognitions.models import (
    Finding,
    Recognition,
    RecognitionEvent,
    RecognitionMentor,
    SupportAction,
)


@pytest.fixture
def today():
    return timezone.localdate()


def numbered(first8: int) -> str:
    """A valid enterprise or establishment unit number from its first eight digits."""
    return f"{first8:08d}{97 - first8 % 97:02d}"


def programme(code):
    from werkplek.catalog.models import Programme

    return Programme.objects.get(code=code)


# --- expiring ------------------------------------------------------------------------------------

@pytest.mark.parametrize("today", [
    date(2026, 1, 1), date(2026, 2, 28), date(2026, 3, 1), date(2028, 2, 29),
    date(2026, 8, 31), date(2026, 12, 31), date(2027, 6, 30), date(2026, 9, 1)])
def test_the_cutoff_matches_register_state_day_by_day(today):
    """Every last day around the boundary is expiring exactly when it is before the cutoff,
    as `Recognition.register_state` says row by row."""
    cutoff = selectors.expiring_cutoff(today)
    for offset in range(-40, 40):
        end = cutoff + timedelta(days=offset)
        recognition = Recognition(state=Recognition.State.ACTIVE, valid_until=end,
                                  valid_from=end - timedelta(days=5 * 365))
        assert (recognition.register_state(today) == "expiring") == (end < cutoff), end


def test_the_cutoff_over_a_whole_leap_year():
    day = date(2027, 12, 25)
    while day < date(2029, 1, 5):
        cutoff = selectors.expiring_cutoff(day)
        for end in (cutoff - timedelta(days=1), cutoff):
            recognition = Recognition(state=Recognition.State.ACTIVE, valid_until=end,
                                      valid_from=end - timedelta(days=1800))
            assert (recognition.register_state(day) == "expiring") == (end < cutoff)
        day += timedelta(days=1)


def test_register_state_q_selects_what_register_state_says(make_recognition, dakwerker,
                                                            today, construction_unit):
    """Active and expiring recognitions on both sides of the boundary, and the stored
    states."""
    from werkplek.catalog.models import Programme

    cutoff = selectors.expiring_cutoff(today)
    codes = list(Programme.objects.exclude(pk=dakwerker.pk).order_by("code")
                 .values_list("code", flat=True)[:4])
    made = []
    for code, end in zip(codes, (cutoff - timedelta(days=1), cutoff, cutoff + timedelta(days=1),
                                 today), strict=True):
        made.append(make_recognition(programme=programme(code), valid_until=end,
                                     valid_from=end - timedelta(days=1800)))
    for state in ("expired", "withdrawn", "excluded", "renewed"):
        made.append(make_recognition(state=state))
    for state in selectors.REGISTER_STATES:
        chosen = set(Recognition.objects.filter(pk__in=[r.pk for r in made])
                     .filter(selectors.register_state_q(state, today=today))
                     .values_list("pk", flat=True))
        assert chosen == {r.pk for r in made if r.register_state(today) == state}, state
    with pytest.raises(ValueError):
        selectors.register_state_q("lapsed")


# --- the enterprise's register -------------------------------------------------------------------

def test_enterprise_ids_are_those_of_representatives_and_employers(demo_user, demo_enterprise):
    assert selectors.enterprise_ids_for(demo_user("werkgever")) == [demo_enterprise.pk]
    assert selectors.enterprise_ids_for(demo_user("vertegenwoordiger")) == [demo_enterprise.pk]
    assert selectors.enterprise_ids_for(demo_user("trajectbegeleider")) == []
    assert selectors.enterprise_ids_for(demo_user("behandelaar-bouw")) == []


def test_register_groups_per_unit_with_mentors_and_counts(
        make_recognition, demo_enterprise, construction_unit, peeters, make_mentor, employer,
        today, django_assert_num_queries):
    other_unit = demo_enterprise.units.exclude(pk=construction_unit.pk).get()
    claes = make_mentor("Claes")
    first = make_recognition(mentors=[peeters, claes])
    RecognitionMentor.objects.filter(recognition=first, mentor=claes).update(is_active=False)
    ruwbouw = make_recognition(programme=programme("ruwbouw-duaal"), mentors=[])
    elsewhere = make_recognition(unit=other_unit)
    for due, state in ((today - timedelta(days=1), "open"), (today + timedelta(days=9), "answered"),
                       (today - timedelta(days=3), "met")):
        SupportAction.objects.create(recognition=first, improvement="Beter", due_on=due,
                                     state=state, created_by=employer)
    units = list(selectors.register_units([demo_enterprise.pk]))
    assert units == sorted(units, key=lambda u: u.name)
    assert set(units) == {construction_unit, other_unit}
    with django_assert_num_queries(2):
        groups = selectors.register_groups(units, [demo_enterprise.pk], today=today)
    by_unit = {group.unit: group.recognitions for group in groups}
    assert by_unit[other_unit] == [elsewhere]
    rows = {r.pk: r for r in by_unit[construction_unit]}
    assert set(rows) == {first.pk, ruwbouw.pk}
    assert [link.mentor for link in rows[first.pk].active_links] == [peeters]
    assert rows[first.pk].open_action_count == 2
    assert rows[first.pk].follow_up_due is True
    assert rows[first.pk].lacks_mentor is False
    assert rows[ruwbouw.pk].lacks_mentor is True
    assert rows[ruwbouw.pk].open_action_count == 0
    assert rows[first.pk].shown_state == "active"


def test_register_shows_the_successor_of_a_renewed_recognition(make_recognition, today):
    old = make_recognition(state="renewed", valid_from=today - timedelta(days=1700))
    new = make_recognition(valid_from=old.valid_until + timedelta(days=1))
    Recognition.objects.filter(pk=new.pk).update(previous=old)
    groups = selectors.register_groups(selectors.register_units([old.enterprise_id]),
                                       [old.enterprise_id], today=today)
    rows = {r.pk: r for r in groups[0].recognitions}
    assert rows[old.pk].next_recognition == new
    assert rows[new.pk].next_recognition is None
    assert rows[old.pk].shown_state == "renewed"


def test_a_recognition_that_ended_has_no_mentor_flag(make_recognition):
    withdrawn = make_recognition(state="withdrawn", mentors=[])
    row = selectors.decorate(selectors.handler_rows(
        Recognition.objects.filter(pk=withdrawn.pk)))[0]
    assert row.active_mentor_count == 0
    assert row.lacks_mentor is False


# --- the partnership's register ------------------------------------------------------------------

def test_handler_filters(make_recognition, bouw, demo_enterprise, construction_unit, employer,
                         today):
    other_unit = demo_enterprise.units.exclude(pk=construction_unit.pk).get()  # Antwerpen
    gent = make_recognition()
    antwerp = make_recognition(unit=other_unit, mentors=[])
    ruwbouw = make_recognition(programme=programme("ruwbouw-duaal"))
    SupportAction.objects.create(recognition=ruwbouw, improvement="x", due_on=today,
                                 created_by=employer)
    SupportAction.objects.create(recognition=gent, improvement="x",
                                 due_on=today + timedelta(days=1), created_by=employer)

    def pks(**filters):
        return set(selectors.handler_recognitions(partnership_ids=[bouw.pk], today=today,
                                                  **filters).values_list("pk", flat=True))

    assert pks() == {gent.pk, antwerp.pk, ruwbouw.pk}
    assert pks(programme_id=programme("ruwbouw-duaal").pk) == {ruwbouw.pk}
    from werkplek.catalog.models import Province

    assert pks(province_id=Province.objects.get(code="VAN").pk) == {antwerp.pk}
    assert pks(without_mentor=True) == {antwerp.pk}
    assert pks(follow_up_due=True) == {ruwbouw.pk}
    assert pks(search="zwaluw") == {gent.pk, antwerp.pk, ruwbouw.pk}
    assert pks(search="0412.345") == {gent.pk, antwerp.pk, ruwbouw.pk}
    assert pks(search="andere naam") == set()
    assert selectors.handler_recognitions(partnership_ids=[], today=today).count() == 0


def test_the_province_of_a_unit_without_one_comes_from_its_postal_code(
        make_recognition, construction_unit, bouw, today):
    from werkplek.catalog.models import Province

    construction_unit.province = None
    construction_unit.save()
    recognition = make_recognition()
    east = Province.objects.get(code="VOV")
    assert list(selectors.handler_recognitions(partnership_ids=[bouw.pk], province_id=east.pk,
                                               today=today)) == [recognition]


def test_handler_counts_per_state_in_one_query(make_recognition, bouw, today,
                                               django_assert_num_queries):
    from werkplek.catalog.models import Programme

    make_recognition()
    make_recognition(programme=programme("ruwbouw-duaal"),
                     valid_until=today + timedelta(days=20),
                     valid_from=today - timedelta(days=1800))
    for state in ("expired", "expired", "withdrawn"):
        make_recognition(state=state)
    assert Programme.objects.exists()
    recognitions = selectors.handler_recognitions(partnership_ids=[bouw.pk], today=today)
    with django_assert_num_queries(1):
        counts = selectors.handler_counts(recognitions, today=today)
    assert counts == {"all": 5, "active": 1, "expiring": 1, "expired": 2, "renewed": 0,
                      "withdrawn": 1, "excluded": 0}


def test_handler_rows_sort(make_recognition, bouw, today):
    from werkplek.enterprises.models import Enterprise, EstablishmentUnit

    late = make_recognition(valid_from=today - timedelta(days=10))
    early = make_recognition(programme=programme("ruwbouw-duaal"),
                             valid_from=today - timedelta(days=1000))
    other = Enterprise.objects.create(enterprise_number=numbered(1_000_001),
                                      name="Aannemer Abeel")
    unit = EstablishmentUnit.objects.create(enterprise=other, unit_number=numbered(31_000_001),
                                            name="Site", street="Straat 1", postal_code="9000",
                                            municipality="Gent")
    abeel = make_recognition(unit=unit, valid_from=today - timedelta(days=500))
    Recognition.objects.filter(pk=abeel.pk).update(enterprise=other)
    recognitions = selectors.handler_recognitions(partnership_ids=[bouw.pk], today=today)
    assert list(selectors.handler_rows(recognitions)) == [early, abeel, late]
    assert list(selectors.handler_rows(recognitions, descending=True)) == [late, abeel, early]
    assert next(iter(selectors.handler_rows(recognitions, sort="enterprise"))) == abeel
    assert list(selectors.handler_rows(recognitions, sort="enterprise",
                                       descending=True))[-1] == abeel
    assert list(selectors.handler_rows(recognitions, state="active")) == [early, abeel, late]
    assert list(selectors.handler_rows(recognitions, state="expired")) == []


# --- one recognition -----------------------------------------------------------------------------

def test_monitoring_context(recognition, handler, employer, today, django_assert_num_queries):
    finding = Finding.objects.create(recognition=recognition, kind=Finding.Kind.SITE_VISIT,
                                     on=today, outcome=Finding.Outcome.NOT_MET,
                                     description="Geen valbeveiliging", recorded_by=handler)
    action = SupportAction.objects.create(recognition=recognition, finding=finding,
                                          improvement="Valbeveiliging plaatsen",
                                          due_on=today + timedelta(days=30),
                                          created_by=handler)
    context = selectors.monitoring_context(recognition)
    assert set(context) == {"findings", "support_actions", "sanctions"}
    assert context["findings"] == [finding]
    assert context["support_actions"] == [action]
    assert context["sanctions"] == []
    assert all(isinstance(value, list) for value in context.values())
    with django_assert_num_queries(0):
        assert context["support_actions"][0].finding == finding
        assert context["support_actions"][0].created_by == handler
        assert context["findings"][0].recorded_by == handler


def test_sanctions_of_include_the_exclusion_that_ended_it(make_recognition, handler, bouw,
                                                         today, employer):
    from werkplek.recognitions.models import Sanction

    first = make_recognition()
    second = make_recognition(programme=programme("ruwbouw-duaal"))
    action = SupportAction.objects.create(recognition=first, improvement="x",
                                          due_on=today, state="failed", created_by=handler)
    exclusion = Sanction.objects.create(
        reference="S-T-1", kind=Sanction.Kind.EXCLUSION, enterprise=first.enterprise,
        partnership=bouw, recognition=first, support_action=action, reasons="Ernstig",
        imposed_on=today, imposed_by=handler)
    Recognition.objects.filter(pk=second.pk).update(state="excluded", ended_by=exclusion,
                                                    ended_on=today)
    second.refresh_from_db()
    assert selectors.sanctions_of(second) == [exclusion]
    assert selectors.sanctions_of(first) == [exclusion]
    assert selectors.sanctions_of(first)[0].current_appeal is None


def test_timeline_hides_casework_from_the_enterprise(recognition, handler):
    for kind in (RecognitionEvent.Kind.GRANTED, RecognitionEvent.Kind.FINDING,
                 RecognitionEvent.Kind.SUPPORT_DUE, RecognitionEvent.Kind.SUPPORT_OPENED):
        RecognitionEvent.objects.create(enterprise=recognition.enterprise,
                                        recognition=recognition, kind=kind, actor=handler)
    assert [e.kind for e in selectors.timeline(recognition, internal=False)] == [
        "granted", "support_opened"]
    assert len(selectors.timeline(recognition, internal=True)) == 4


def test_mentor_links_with_running_agreements(recognition, peeters, make_mentor,
                                              make_agreement, django_assert_num_queries):
    claes = make_mentor("Claes")
    RecognitionMentor.objects.create(recognition=recognition, mentor=claes,
                                     since=recognition.valid_from, is_active=False,
                                     until=recognition.valid_from + timedelta(days=10),
                                     end_reason="vertrokken")
    running = make_agreement(recognition, peeters)
    make_agreement(recognition, peeters, state="ended")
    with django_assert_num_queries(3):
        links = selectors.mentor_links(recognition)
        assert [link.mentor for link in links] == [peeters, claes]
        assert links[0].running == [running]
        assert links[0].running[0].learner.last_name.startswith("Leerling")
        assert links[1].running == []
        assert list(links[0].documents.all()) == []


def test_known_mentors_leave_out_the_active_mentors(recognition, peeters, make_mentor,
                                                    demo_enterprise):
    claes = make_mentor("Claes")
    janssens = demo_enterprise.mentors.get(last_name="Janssens")
    assert set(selectors.known_mentors(recognition)) == {claes, janssens}
    RecognitionMentor.objects.filter(recognition=recognition, mentor=peeters).update(
        is_active=False)
    assert peeters in set(selectors.known_mentors(recognition))
