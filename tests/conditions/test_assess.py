"""The whole check: the overall verdict, the documents to prepare, and properties over random
facts and random sector rules."""

from datetime import date

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from werkplek.conditions.rules import assess
from werkplek.conditions.types import (
    ApplicationFacts,
    Assessment,
    ExtraDocument,
    MentorFacts,
    SectorRules,
    Status,
    TrainingStatus,
    WorkplaceFacts,
)

from .facts import (
    CONSTRUCTION,
    DAY,
    GENERAL,
    HOSPITALITY,
    MODEL_II,
    RSZ,
    good_application,
    good_mentor,
    good_workplace,
)

MET, NOT_MET, UNKNOWN = Status.MET, Status.NOT_MET, Status.UNKNOWN


def codes(assessment: Assessment) -> list[str]:
    return [c.code for c in assessment.all_conditions]


def test_all_met_in_hospitality():
    result = assess(workplace=good_workplace(), mentors=[good_mentor()],
                    application=good_application(), rules=HOSPITALITY)
    assert result.status == MET
    assert codes(result) == [
        "financial_capacity", "no_convictions", "infrastructure", "mentor",
        "extra_documents", "declaration_on_honour", "mandate",
    ]
    assert [c.code for c in result.mentors[0].conditions] == [
        "mentor_age", "mentor_experience", "mentor_conduct", "mentor_training",
        "mentor_extra_documents",
    ]


def test_conditions_without_sector_extras():
    result = assess(workplace=good_workplace(), mentors=[good_mentor()],
                    application=good_application(), rules=CONSTRUCTION)
    assert result.status == MET
    assert codes(result) == [
        "financial_capacity", "no_convictions", "infrastructure", "mentor",
        "declaration_on_honour", "mandate",
    ]


def test_fails_on_mentor_age():
    young = good_mentor(birth_date=date(2001, 12, 1))  # 24 years and 364 days
    result = assess(workplace=good_workplace(), mentors=[young],
                    application=good_application(), rules=GENERAL)
    assert result.status == NOT_MET
    assert result.mentor.status == NOT_MET
    assert [c.code for c in result.all_conditions if c.status != MET] == ["mentor"]
    age = result.mentors[0].conditions[0]
    assert age.status == NOT_MET
    assert age.reason == (
        "Jan Peeters is 24 on 30/11/2026; a mentor must be at least 25 in this sector."
    )


def test_same_mentor_passes_in_a_sector_with_minimum_23():
    young = good_mentor(birth_date=date(2001, 12, 1))
    result = assess(workplace=good_workplace(), mentors=[young],
                    application=good_application(), rules=HOSPITALITY)
    assert result.status == MET


def test_fails_on_convictions():
    result = assess(workplace=good_workplace(has_convictions=True), mentors=[good_mentor()],
                    application=good_application(), rules=GENERAL)
    assert result.status == NOT_MET
    assert [c.code for c in result.all_conditions if c.status == NOT_MET] == ["no_convictions"]


def test_not_met_wins_over_unknown():
    result = assess(workplace=WorkplaceFacts(has_convictions=True), mentors=[],
                    application=ApplicationFacts(on_day=DAY), rules=GENERAL)
    assert result.status == NOT_MET


def test_unknown_when_nothing_fails_but_something_is_open():
    result = assess(workplace=good_workplace(financial_capacity=None), mentors=[good_mentor()],
                    application=good_application(), rules=GENERAL)
    assert result.status == UNKNOWN


def test_empty_scan_with_mentor():
    result = assess(workplace=WorkplaceFacts(), mentors=[MentorFacts()],
                    application=ApplicationFacts(on_day=DAY), rules=HOSPITALITY)
    assert result.status == UNKNOWN
    assert all(c.status == UNKNOWN for c in result.all_conditions)


def test_age_is_counted_on_the_application_day():
    mentor = good_mentor(birth_date=date(2001, 12, 1))
    before = assess(workplace=good_workplace(), mentors=[mentor],
                    application=good_application(on_day=date(2026, 11, 30)), rules=GENERAL)
    on_birthday = assess(workplace=good_workplace(), mentors=[mentor],
                         application=good_application(on_day=date(2026, 12, 1)), rules=GENERAL)
    assert (before.status, on_birthday.status) == (NOT_MET, MET)


def test_documents_to_prepare_hospitality():
    mentors = [
        good_mentor(),
        good_mentor(name="An Claes", years_of_experience=3, has_prior_education_proof=True),
    ]
    result = assess(workplace=good_workplace(), mentors=mentors,
                    application=good_application(filed_by_other=True, has_mandate=True),
                    rules=HOSPITALITY)
    assert result.status == MET
    assert result.documents_to_prepare == (
        "NSSO certificate",
        "Extract from the criminal record, model 596.2, for Jan Peeters",
        "Extract from the criminal record, model II, for Jan Peeters",
        "Proof of prior education (certificate or EVC proof), for An Claes",
        "Extract from the criminal record, model 596.2, for An Claes",
        "Extract from the criminal record, model II, for An Claes",
        "Declaration on honour, filled in and signed",
        "Mandate from the enterprise",
    )


def test_documents_to_prepare_minimal():
    result = assess(workplace=good_workplace(), mentors=[good_mentor()],
                    application=good_application(), rules=CONSTRUCTION)
    assert result.documents_to_prepare == (
        "Extract from the criminal record, model 596.2, for Jan Peeters",
        "Declaration on honour, filled in and signed",
    )


def test_documents_to_prepare_always_has_declaration():
    result = assess(workplace=WorkplaceFacts(), mentors=[],
                    application=ApplicationFacts(on_day=DAY), rules=GENERAL)
    assert result.documents_to_prepare == ("Declaration on honour, filled in and signed",)


def test_documents_to_prepare_are_unique():
    mentors = [MentorFacts(), MentorFacts()]  # unnamed: one line "for each mentor"
    result = assess(workplace=good_workplace(), mentors=mentors,
                    application=good_application(), rules=HOSPITALITY)
    assert len(result.documents_to_prepare) == len(set(result.documents_to_prepare))
    assert (
        "Extract from the criminal record, model 596.2, for each mentor"
        in result.documents_to_prepare
    )


def test_assessment_in_dutch():
    with translation.override("nl"):
        result = assess(workplace=good_workplace(has_convictions=True), mentors=[],
                        application=good_application(), rules=HOSPITALITY)
    assert result.workplace[1].title == "Geen veroordelingen"
    assert result.mentor.reason == "Er is nog geen mentor aangeduid."
    assert "Verklaring op eer, ingevuld en ondertekend" in result.documents_to_prepare
    assert "RSZ-attest" in result.documents_to_prepare


# --- properties ------------------------------------------------------------------------------

maybe = st.sampled_from([True, False, None])
EXTRAS = (
    RSZ,
    MODEL_II,
    ExtraDocument("plan", "Grondplan", "Floor plan", "application", "infrastructure"),
    ExtraDocument("vca", "VCA-attest", "VCA certificate", "mentor", "mentor"),
)
EXTRA_CODES = [d.code for d in EXTRAS]
codes_or_none = st.none() | st.frozensets(st.sampled_from(EXTRA_CODES))

rules_strategy = st.builds(
    SectorRules,
    partnership_name=st.sampled_from(["", "Sectoral partnership Hospitality"]),
    min_mentor_age=st.integers(23, 25),
    min_experience_years=st.integers(0, 8),
    experience_derogation_allowed=st.booleans(),
    mentor_training_required=st.booleans(),
    mentor_training_deadline_months=st.none() | st.sampled_from([1, 6, 12]),
    extra_documents=st.lists(st.sampled_from(EXTRAS), unique=True).map(tuple),
)
mentor_strategy = st.builds(
    MentorFacts,
    name=st.sampled_from(["", "Jan Peeters", "An Claes"]),
    birth_date=st.none() | st.dates(date(1950, 1, 1), date(2010, 12, 31)),
    years_of_experience=st.none() | st.integers(0, 40),
    has_criminal_record_extract=maybe,
    has_prior_education_proof=maybe,
    training=st.none() | st.sampled_from(TrainingStatus),
    extra_documents=codes_or_none,
    age=st.none() | st.integers(15, 80),  # the self-scan keeps only the age
)
workplace_strategy = st.integers(0, 20).flatmap(
    lambda total: st.builds(
        WorkplaceFacts,
        financial_capacity=maybe,
        has_convictions=maybe,
        activities_total=st.just(total),
        activities_offered=st.none() | st.integers(0, total + 1),
        infrastructure_fits=maybe,
    )
)
application_strategy = st.builds(
    ApplicationFacts,
    on_day=st.dates(date(2024, 1, 1), date(2032, 12, 31)),
    filed_by_other=maybe,
    has_mandate=maybe,
    declaration_on_honour=maybe,
    extra_documents=codes_or_none,
)


@settings(max_examples=400, deadline=None)
@given(
    workplace=workplace_strategy,
    mentors=st.lists(mentor_strategy, max_size=3),
    application=application_strategy,
    rules=rules_strategy,
)
def test_verdict_follows_the_conditions(workplace, mentors, application, rules):
    with translation.override("en"):
        result = assess(workplace=workplace, mentors=mentors, application=application,
                        rules=rules)
    statuses = [c.status for c in result.all_conditions]
    assert (result.status == MET) == all(s == MET for s in statuses)
    assert (result.status == NOT_MET) == any(s == NOT_MET for s in statuses)
    assert (result.status == UNKNOWN) == (
        NOT_MET not in statuses and UNKNOWN in statuses
    )
    # The mentor condition: met iff some mentor meets every mentor condition.
    assert len(result.mentors) == len(mentors)
    for mentor in result.mentors:
        mentor_statuses = [c.status for c in mentor.conditions]
        assert (mentor.status == MET) == all(s == MET for s in mentor_statuses)
        assert (mentor.status == NOT_MET) == (NOT_MET in mentor_statuses)
    assert (result.mentor.status == MET) == any(m.status == MET for m in result.mentors)
    assert (result.mentor.status == NOT_MET) == all(
        m.status == NOT_MET for m in result.mentors
    )
    # Documents: unique, and the declaration on honour always among them.
    documents = result.documents_to_prepare
    assert len(documents) == len(set(documents))
    assert "Declaration on honour, filled in and signed" in documents
    for condition in result.all_conditions:
        assert set(condition.documents) <= set(documents)
        assert condition.title and condition.reason
    if application.filed_by_other:
        assert "Mandate from the enterprise" in documents
    # Sector extras appear exactly when the sector asks for them.
    extra_codes = {"extra_documents"} & {c.code for c in result.all_conditions}
    has_application_extras = any(d.scope == "application" for d in rules.extra_documents)
    assert bool(extra_codes) == has_application_extras


@settings(max_examples=200, deadline=None)
@given(
    birth_date=st.dates(date(1950, 1, 1), date(2012, 12, 31)),
    on_day=st.dates(date(2024, 1, 1), date(2032, 12, 31)),
    minimum=st.integers(23, 25),
)
def test_age_condition_matches_calendar(birth_date, on_day, minimum):
    """Met exactly when the day is on or after the day the mentor turns the minimum age."""
    rules = SectorRules(min_mentor_age=minimum)
    with translation.override("en"):
        result = assess(workplace=good_workplace(), mentors=[good_mentor(birth_date=birth_date)],
                        application=good_application(on_day=on_day), rules=rules)
    age = result.mentors[0].conditions[0]
    if birth_date > on_day:
        assert age.status == UNKNOWN
        return
    try:
        turns = birth_date.replace(year=birth_date.year + minimum)
    except ValueError:  # 29 February in a common year: 1 March
        turns = date(birth_date.year + minimum, 3, 1)
    assert (age.status == MET) == (on_day >= turns)
    assert (age.status == NOT_MET) == (on_day < turns)
