"""Every single condition: each status, each sector rule, the boundaries, the texts."""

from datetime import date

import pytest
from django.utils import translation

from werkplek.conditions.rules import (
    LEGAL_MIN_MENTOR_AGE,
    check_declaration_on_honour,
    check_extra_documents,
    check_financial_capacity,
    check_infrastructure,
    check_mandate,
    check_mentor,
    check_mentor_age,
    check_mentor_conduct,
    check_mentor_experience,
    check_mentor_extra_documents,
    check_mentor_training,
    check_mentors,
    check_no_convictions,
    combine_statuses,
    document_name,
)
from werkplek.conditions.types import (
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
    NO_DEROGATION,
    NO_TRAINING,
    RSZ,
    good_application,
    good_mentor,
    good_workplace,
)

MET, NOT_MET, UNKNOWN = Status.MET, Status.NOT_MET, Status.UNKNOWN

ALL_RULES = [GENERAL, CONSTRUCTION, HOSPITALITY, NO_TRAINING, NO_DEROGATION]


def test_every_result_has_title_and_reason():
    mentor = good_mentor()
    results = [
        check_financial_capacity(good_workplace(), HOSPITALITY),
        check_no_convictions(good_workplace(), HOSPITALITY),
        check_infrastructure(good_workplace(), HOSPITALITY),
        *check_mentor(mentor, HOSPITALITY, DAY).conditions,
        check_mentors([mentor], HOSPITALITY, DAY)[0],
        check_extra_documents(good_application(), HOSPITALITY),
        check_declaration_on_honour(good_application()),
        check_mandate(good_application()),
    ]
    for result in results:
        assert isinstance(result.title, str) and result.title
        assert isinstance(result.reason, str) and result.reason.endswith(".")
        assert isinstance(result.next_step, str)
        assert all(isinstance(d, str) and d for d in result.documents)


# --- combine_statuses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((), MET),
        ((MET,), MET),
        ((MET, MET), MET),
        ((MET, UNKNOWN), UNKNOWN),
        ((UNKNOWN,), UNKNOWN),
        ((MET, UNKNOWN, NOT_MET), NOT_MET),
        ((NOT_MET,), NOT_MET),
    ],
)
def test_combine_statuses(statuses, expected):
    assert combine_statuses(statuses) == expected


# --- financial capacity ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"), [(True, MET), (False, NOT_MET), (None, UNKNOWN)]
)
@pytest.mark.parametrize("rules", ALL_RULES)
def test_financial_capacity(answer, expected, rules):
    result = check_financial_capacity(WorkplaceFacts(financial_capacity=answer), rules)
    assert result.code == "financial_capacity"
    assert result.status == expected
    assert result.title == "Financial capacity"
    assert "solvent" in result.reason


def test_financial_capacity_not_met_says_what_to_do():
    result = check_financial_capacity(WorkplaceFacts(financial_capacity=False), GENERAL)
    assert result.next_step == "Ask your provincial contact point for advice before you apply."
    assert result.documents == ()


def test_financial_capacity_lists_hospitality_nsso_certificate():
    for answer in (True, False, None):
        result = check_financial_capacity(WorkplaceFacts(financial_capacity=answer), HOSPITALITY)
        assert result.documents == ("NSSO certificate",)
        assert "Prepare: NSSO certificate." in result.next_step


def test_financial_capacity_without_sector_documents():
    result = check_financial_capacity(WorkplaceFacts(financial_capacity=True), CONSTRUCTION)
    assert result.documents == ()
    assert result.next_step == ""


def test_extras_are_listed_under_their_own_condition():
    on_convictions = ExtraDocument("certificate", "Attest", "Certificate", "application",
                                   "no_convictions")
    on_infrastructure = ExtraDocument("plan", "Plan", "Floor plan", "application",
                                      "infrastructure")
    rules = SectorRules(extra_documents=(on_convictions, on_infrastructure))
    workplace = good_workplace()
    assert check_financial_capacity(workplace, rules).documents == ()
    assert check_no_convictions(workplace, rules).documents == ("Certificate",)
    assert check_infrastructure(workplace, rules).documents == ("Floor plan",)


# --- no convictions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("has_convictions", "expected"), [(False, MET), (True, NOT_MET), (None, UNKNOWN)]
)
def test_no_convictions(has_convictions, expected):
    result = check_no_convictions(WorkplaceFacts(has_convictions=has_convictions), GENERAL)
    assert result.code == "no_convictions"
    assert result.status == expected
    assert result.title == "No convictions"
    assert "labour-law or social-security" in result.reason


def test_convictions_not_met_reason():
    result = check_no_convictions(WorkplaceFacts(has_convictions=True), GENERAL)
    assert "can only be recognised without them" in result.reason
    assert "provincial contact point" in result.next_step


# --- infrastructure --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "offered", "expected"),
    [
        (12, 12, MET),
        (12, 13, MET),
        (1, 1, MET),
        (12, 11, NOT_MET),
        (12, 0, NOT_MET),
        (12, None, UNKNOWN),
        (0, None, UNKNOWN),
        (0, 5, UNKNOWN),
    ],
)
def test_infrastructure(total, offered, expected):
    workplace = WorkplaceFacts(activities_total=total, activities_offered=offered)
    result = check_infrastructure(workplace, GENERAL)
    assert result.code == "infrastructure"
    assert result.status == expected
    assert result.title == "Infrastructure and organisation"


def test_infrastructure_texts():
    partly = check_infrastructure(WorkplaceFacts(activities_total=12, activities_offered=9),
                                  GENERAL)
    assert partly.reason.startswith("You can offer 9 of 12 activities;")
    assert partly.next_step
    fully = check_infrastructure(WorkplaceFacts(activities_total=12, activities_offered=12),
                                 GENERAL)
    assert "all 12 activities" in fully.reason
    no_programme = check_infrastructure(WorkplaceFacts(), GENERAL)
    assert no_programme.next_step == "Pick a programme to see its activity list."
    unanswered = check_infrastructure(WorkplaceFacts(activities_total=7), GENERAL)
    assert "7 activities" in unanswered.reason


# --- mentor age ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "rules", "expected", "age"),
    [
        (date(2001, 11, 30), GENERAL, MET, 25),  # exactly 25 on the day
        (date(2001, 12, 1), GENERAL, NOT_MET, 24),  # 24 years and 364 days
        (date(1960, 1, 1), GENERAL, MET, 66),
        (date(2003, 11, 30), HOSPITALITY, MET, 23),  # exactly 23 where the sector allows it
        (date(2003, 12, 1), HOSPITALITY, NOT_MET, 22),  # 22 years and 364 days
        (date(2003, 11, 30), CONSTRUCTION, NOT_MET, 23),  # 23 is too young at 25
        (date(2001, 12, 1), HOSPITALITY, MET, 24),
    ],
)
def test_mentor_age_boundaries(birth_date, rules, expected, age):
    result = check_mentor_age(good_mentor(birth_date=birth_date), rules, DAY)
    assert result.code == "mentor_age"
    assert result.status == expected
    assert result.title == "Age"
    assert result.reason.startswith(
        f"Jan Peeters is {age} on 30/11/2026; a mentor must be at least "
        f"{rules.min_mentor_age} in this sector."
    )


def test_mentor_age_not_met_reason_and_next_step():
    result = check_mentor_age(good_mentor(birth_date=date(2001, 12, 1)), GENERAL, DAY)
    assert result.reason == (
        "Jan Peeters is 24 on 30/11/2026; a mentor must be at least 25 in this sector."
    )
    assert result.next_step == (
        "Name a mentor who is at least 25 on the day of application, or apply from 01/12/2026, "
        "when Jan Peeters turns 25."
    )


def test_mentor_age_mentions_lowered_minimum():
    result = check_mentor_age(good_mentor(birth_date=date(2003, 11, 30)), HOSPITALITY, DAY)
    assert result.reason.endswith(
        "Sectoral partnership Hospitality lowered the minimum age for this sector from 25 to 23."
    )
    unnamed = check_mentor_age(good_mentor(), SectorRules(min_mentor_age=23), DAY)
    assert unnamed.reason.endswith(
        "The partnership lowered the minimum age for this sector from 25 to 23."
    )
    general = check_mentor_age(good_mentor(), GENERAL, DAY)
    assert "lowered" not in general.reason
    assert LEGAL_MIN_MENTOR_AGE == 25


def test_mentor_age_unknown_without_birth_date():
    result = check_mentor_age(good_mentor(birth_date=None), GENERAL, DAY)
    assert result.status == UNKNOWN
    assert result.reason == (
        "The birth date of Jan Peeters is not known yet; a mentor must be at least 25 on the day "
        "of application in this sector."
    )
    assert "national register number" in result.next_step


def test_mentor_age_unknown_with_birth_date_after_the_day():
    result = check_mentor_age(good_mentor(birth_date=date(2027, 1, 1)), GENERAL, DAY)
    assert result.status == UNKNOWN
    assert "lies after the day of application (30/11/2026)" in result.reason


@pytest.mark.parametrize(
    ("on_day", "expected", "age"),
    [
        (date(2029, 2, 28), NOT_MET, 24),  # no 29 February in 2029: not yet 25
        (date(2029, 3, 1), MET, 25),  # 1 March in a common year
        (date(2028, 2, 29), NOT_MET, 24),
        (date(2032, 2, 28), MET, 27),
        (date(2032, 2, 29), MET, 28),
    ],
)
def test_mentor_age_born_on_29_february(on_day, expected, age):
    mentor = good_mentor(birth_date=date(2004, 2, 29))
    result = check_mentor_age(mentor, GENERAL, on_day)
    assert result.status == expected
    assert result.reason.startswith(f"Jan Peeters is {age} on ")


def test_mentor_age_next_step_for_29_february_birthday():
    result = check_mentor_age(good_mentor(birth_date=date(2004, 2, 29)), GENERAL,
                              date(2029, 2, 28))
    assert "apply from 01/03/2029, when Jan Peeters turns 25" in result.next_step


def test_unnamed_mentor():
    mentor = MentorFacts(birth_date=date(2001, 12, 1))
    assert check_mentor_age(mentor, GENERAL, DAY).reason.startswith("This mentor is 24 on")
    assert "The birth date of this mentor" in check_mentor_age(MentorFacts(), GENERAL, DAY).reason


# --- mentor experience -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "proof", "rules", "expected"),
    [
        (5, None, GENERAL, MET),  # exactly 5 years
        (5, False, NO_DEROGATION, MET),
        (30, None, GENERAL, MET),
        (4, True, GENERAL, MET),  # derogation with proof
        (4, None, GENERAL, UNKNOWN),  # derogation possible, proof unknown
        (4, False, GENERAL, NOT_MET),  # no proof
        (4, True, NO_DEROGATION, NOT_MET),  # no derogation in this sector
        (4, None, NO_DEROGATION, NOT_MET),
        (0, True, GENERAL, MET),
        (None, True, GENERAL, UNKNOWN),
        (None, None, NO_DEROGATION, UNKNOWN),
    ],
)
def test_mentor_experience(years, proof, rules, expected):
    mentor = good_mentor(years_of_experience=years, has_prior_education_proof=proof)
    result = check_mentor_experience(mentor, rules)
    assert result.code == "mentor_experience"
    assert result.status == expected
    assert result.title == "Professional experience"


def test_mentor_experience_enough():
    result = check_mentor_experience(good_mentor(years_of_experience=5), GENERAL)
    assert result.reason == (
        "Jan Peeters has 5 years of professional experience; at least 5 years are required."
    )
    assert result.documents == ()


def test_mentor_experience_other_minimum():
    rules = SectorRules(min_experience_years=3)
    assert check_mentor_experience(good_mentor(years_of_experience=3), rules).status == MET
    result = check_mentor_experience(good_mentor(years_of_experience=1,
                                                 has_prior_education_proof=False), rules)
    assert result.status == NOT_MET
    assert result.reason.startswith(
        "Jan Peeters has 1 year of professional experience, fewer than the 3 years required."
    )


def test_mentor_experience_derogation_with_proof():
    mentor = good_mentor(years_of_experience=4, has_prior_education_proof=True)
    result = check_mentor_experience(mentor, GENERAL)
    assert result.reason.startswith(
        "Jan Peeters has 4 years of professional experience, fewer than the 5 years required. "
        "A derogation is possible: Jan Peeters has a proof of prior education."
    )
    assert "The partnership decides on the derogation based on the proof" in result.reason
    assert "regular education institution" in result.reason
    assert "EVC" in result.reason
    assert result.documents == (
        "Proof of prior education (certificate or EVC proof), for Jan Peeters",
    )
    assert result.next_step == "Add the proof of prior education to the application."


def test_mentor_experience_derogation_with_unknown_proof():
    mentor = good_mentor(years_of_experience=4, has_prior_education_proof=None)
    result = check_mentor_experience(mentor, GENERAL)
    assert "This sector allows a derogation with a proof of prior education." in result.reason
    assert "EVC" in result.next_step
    assert result.documents == (
        "Proof of prior education (certificate or EVC proof), for Jan Peeters",
    )


def test_mentor_experience_without_proof():
    mentor = good_mentor(years_of_experience=4, has_prior_education_proof=False)
    result = check_mentor_experience(mentor, GENERAL)
    assert "Jan Peeters has no proof of prior education" in result.reason
    assert result.next_step.startswith(
        "Name a mentor with at least 5 years of professional experience"
    )


def test_mentor_experience_derogation_not_allowed():
    mentor = good_mentor(years_of_experience=4, has_prior_education_proof=True)
    result = check_mentor_experience(mentor, NO_DEROGATION)
    assert result.reason.endswith("This sector allows no derogation.")
    assert result.documents == ()
    assert result.next_step == (
        "Name a mentor with at least 5 years of professional experience in the occupation."
    )


def test_mentor_experience_unknown():
    result = check_mentor_experience(good_mentor(years_of_experience=None), GENERAL)
    assert result.reason == (
        "The professional experience of Jan Peeters is not known yet; a mentor needs at least "
        "5 years of professional experience in the occupation."
    )
    assert result.documents == ()


# --- mentor conduct --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extract", "expected"), [(True, MET), (False, NOT_MET), (None, UNKNOWN)]
)
def test_mentor_conduct(extract, expected):
    result = check_mentor_conduct(good_mentor(has_criminal_record_extract=extract))
    assert result.code == "mentor_conduct"
    assert result.status == expected
    assert result.title == "Blameless conduct"
    assert "model 596.2" in result.reason
    assert result.documents == (
        "Extract from the criminal record, model 596.2, for Jan Peeters",
    )


@pytest.mark.parametrize("extract", [False, None])
def test_mentor_conduct_next_step(extract):
    result = check_mentor_conduct(good_mentor(has_criminal_record_extract=extract))
    assert result.next_step == (
        "Ask the mentor for an extract from the criminal record, model 596.2, at the "
        "municipality or online."
    )


def test_mentor_conduct_unnamed_mentor_document():
    result = check_mentor_conduct(MentorFacts())
    assert result.documents == (
        "Extract from the criminal record, model 596.2, for each mentor",
    )


# --- mentor training -------------------------------------------------------------------------


@pytest.mark.parametrize("training", [*TrainingStatus, None])
def test_mentor_training_not_required(training):
    result = check_mentor_training(good_mentor(training=training), NO_TRAINING)
    assert result.code == "mentor_training"
    assert result.status == MET
    assert result.title == "Mentor training"
    assert result.reason == "This sector does not require mentor training."


@pytest.mark.parametrize(
    ("training", "expected"),
    [
        (TrainingStatus.DONE, MET),
        (TrainingStatus.WILL_FOLLOW, MET),
        (TrainingStatus.WONT_FOLLOW, NOT_MET),
        (None, UNKNOWN),
    ],
)
@pytest.mark.parametrize(("rules", "months"), [(GENERAL, 12), (CONSTRUCTION, 6)])
def test_mentor_training_required(training, expected, rules, months):
    result = check_mentor_training(good_mentor(training=training), rules)
    assert result.status == expected
    assert result.reason.startswith(
        f"This sector requires mentor training within {months} months of recognition."
    )


@pytest.mark.parametrize(("rules", "months"), [(GENERAL, 12), (CONSTRUCTION, 6)])
def test_mentor_training_will_follow_states_deadline(rules, months):
    result = check_mentor_training(good_mentor(training=TrainingStatus.WILL_FOLLOW), rules)
    assert f"within {months} months of recognition" in result.reason
    assert f"within {months} months of recognition" in result.next_step
    assert "Jan Peeters will follow the mentor training." in result.reason


def test_mentor_training_one_month_and_no_deadline():
    one = SectorRules(mentor_training_required=True, mentor_training_deadline_months=1)
    result = check_mentor_training(good_mentor(training=TrainingStatus.WILL_FOLLOW), one)
    assert "within 1 month of recognition" in result.reason
    open_ended = SectorRules(mentor_training_required=True)
    result = check_mentor_training(good_mentor(training=TrainingStatus.WILL_FOLLOW), open_ended)
    assert result.status == MET
    assert result.reason.startswith("This sector requires mentor training. ")
    assert result.next_step == "Register the mentor for a mentor training."


def test_mentor_training_wont_follow_next_step():
    result = check_mentor_training(good_mentor(training=TrainingStatus.WONT_FOLLOW), GENERAL)
    assert "does not intend to follow" in result.reason
    assert result.next_step.startswith("Name a mentor who has followed the mentor training")


# --- mentor extra documents ------------------------------------------------------------------


def test_mentor_extra_documents_omitted_without_sector_extras():
    for rules in (GENERAL, CONSTRUCTION, NO_TRAINING, NO_DEROGATION):
        assert check_mentor_extra_documents(good_mentor(), rules) is None
        codes = [c.code for c in check_mentor(good_mentor(), rules, DAY).conditions]
        assert codes == ["mentor_age", "mentor_experience", "mentor_conduct", "mentor_training"]


def test_mentor_extra_documents_application_scope_is_not_per_mentor():
    rules = SectorRules(extra_documents=(RSZ,))
    assert check_mentor_extra_documents(good_mentor(), rules) is None


@pytest.mark.parametrize(
    ("documents", "expected"),
    [
        (frozenset({MODEL_II.code}), MET),
        (frozenset({MODEL_II.code, "something-else"}), MET),
        (frozenset(), NOT_MET),
        (frozenset({"something-else"}), NOT_MET),
        (None, UNKNOWN),
    ],
)
def test_mentor_extra_documents_hospitality(documents, expected):
    result = check_mentor_extra_documents(good_mentor(extra_documents=documents), HOSPITALITY)
    assert result.code == "mentor_extra_documents"
    assert result.status == expected
    assert result.documents == ("Extract from the criminal record, model II, for Jan Peeters",)
    assert result.reason.startswith(
        "Sectoral partnership Hospitality asks for each mentor: "
        "Extract from the criminal record, model II."
    )
    codes = [c.code for c in check_mentor(good_mentor(extra_documents=documents), HOSPITALITY,
                                          DAY).conditions]
    assert codes[-1] == "mentor_extra_documents"


def test_mentor_extra_documents_names_the_missing_ones():
    other = ExtraDocument("vca", "VCA-attest", "VCA certificate", "mentor", "mentor")
    rules = SectorRules(extra_documents=(MODEL_II, other))
    result = check_mentor_extra_documents(good_mentor(extra_documents=frozenset({"vca"})), rules)
    assert result.status == NOT_MET
    assert result.reason.endswith(
        "Missing for Jan Peeters: Extract from the criminal record, model II."
    )
    assert result.next_step == "Ask the mentor for: Extract from the criminal record, model II."
    assert len(result.documents) == 2


# --- one mentor, all mentors -----------------------------------------------------------------


def test_check_mentor_met():
    result = check_mentor(good_mentor(), HOSPITALITY, DAY)
    assert result.name == "Jan Peeters"
    assert result.status == MET
    assert all(c.status == MET for c in result.conditions)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"birth_date": date(2004, 1, 1)}, NOT_MET),
        ({"birth_date": None}, UNKNOWN),
        ({"years_of_experience": 2, "has_prior_education_proof": False}, NOT_MET),
        ({"years_of_experience": 2, "has_prior_education_proof": None}, UNKNOWN),
        ({"has_criminal_record_extract": False}, NOT_MET),
        ({"has_criminal_record_extract": None}, UNKNOWN),
        ({"training": TrainingStatus.WONT_FOLLOW}, NOT_MET),
        ({"training": None}, UNKNOWN),
        ({"extra_documents": frozenset()}, NOT_MET),
        ({"extra_documents": None}, UNKNOWN),
        ({"birth_date": None, "has_criminal_record_extract": False}, NOT_MET),
    ],
)
def test_check_mentor_one_condition_decides(changes, expected):
    result = check_mentor(good_mentor(**changes), HOSPITALITY, DAY)
    assert result.status == expected


def test_check_mentors_none_named():
    condition, results = check_mentors([], GENERAL, DAY)
    assert condition.code == "mentor"
    assert condition.status == NOT_MET
    assert results == ()
    assert condition.next_step == "Name at least one mentor."


def test_check_mentors_any_met_is_enough():
    young = good_mentor(name="An Claes", birth_date=date(2005, 1, 1))
    unknown = good_mentor(name="Piet Janssens", training=None)
    condition, results = check_mentors([young, good_mentor(), unknown], GENERAL, DAY)
    assert condition.status == MET
    assert [r.status for r in results] == [NOT_MET, MET, UNKNOWN]
    assert condition.reason == "At least one mentor meets every mentor condition: Jan Peeters."
    assert "Extract from the criminal record, model 596.2, for An Claes" in condition.documents


def test_check_mentors_all_not_met():
    young = good_mentor(name="An Claes", birth_date=date(2005, 1, 1))
    no_extract = good_mentor(has_criminal_record_extract=False)
    condition, _ = check_mentors([young, no_extract], GENERAL, DAY)
    assert condition.status == NOT_MET
    assert condition.reason == (
        "None of the mentors meets every mentor condition: An Claes, Jan Peeters."
    )
    assert condition.next_step


def test_check_mentors_unknown():
    young = good_mentor(name="An Claes", birth_date=date(2005, 1, 1))
    unknown = MentorFacts()
    condition, results = check_mentors([young, unknown], GENERAL, DAY)
    assert condition.status == UNKNOWN
    assert condition.reason == (
        "It is not certain yet that a mentor meets every mentor condition: mentor 2."
    )
    assert condition.next_step == "Answer the open questions about the mentors."
    assert results[1].name == ""


# --- per application -------------------------------------------------------------------------


def test_extra_documents_omitted_without_sector_extras():
    for rules in (GENERAL, CONSTRUCTION, SectorRules(extra_documents=(MODEL_II,))):
        assert check_extra_documents(good_application(), rules) is None


@pytest.mark.parametrize(
    ("documents", "expected"),
    [
        (frozenset({RSZ.code}), MET),
        (frozenset(), NOT_MET),
        (frozenset({MODEL_II.code}), NOT_MET),
        (None, UNKNOWN),
    ],
)
def test_extra_documents_hospitality(documents, expected):
    result = check_extra_documents(good_application(extra_documents=documents), HOSPITALITY)
    assert result.code == "extra_documents"
    assert result.status == expected
    assert result.title == "Sector documents"
    assert result.documents == ("NSSO certificate",)
    assert result.reason.startswith("Sectoral partnership Hospitality asks for: NSSO certificate.")


def test_extra_documents_missing_are_named():
    result = check_extra_documents(good_application(extra_documents=frozenset()), HOSPITALITY)
    assert result.reason.endswith("Still missing: NSSO certificate.")
    assert result.next_step == "Get the missing documents: NSSO certificate."


@pytest.mark.parametrize(
    ("answer", "expected"), [(True, MET), (False, NOT_MET), (None, UNKNOWN)]
)
def test_declaration_on_honour(answer, expected):
    result = check_declaration_on_honour(good_application(declaration_on_honour=answer))
    assert result.code == "declaration_on_honour"
    assert result.status == expected
    assert result.documents == ("Declaration on honour, filled in and signed",)


def test_declaration_on_honour_refused():
    result = check_declaration_on_honour(good_application(declaration_on_honour=False))
    assert result.reason == (
        "A declaration on honour, filled in and signed, is required for every application."
    )


@pytest.mark.parametrize(
    ("filed_by_other", "has_mandate", "expected", "documents"),
    [
        (False, None, MET, ()),
        (False, False, MET, ()),
        (True, True, MET, ("Mandate from the enterprise",)),
        (True, False, NOT_MET, ("Mandate from the enterprise",)),
        (True, None, UNKNOWN, ("Mandate from the enterprise",)),
        (None, None, UNKNOWN, ()),
        (None, True, UNKNOWN, ()),
    ],
)
def test_mandate(filed_by_other, has_mandate, expected, documents):
    application = good_application(filed_by_other=filed_by_other, has_mandate=has_mandate)
    result = check_mandate(application)
    assert result.code == "mandate"
    assert result.status == expected
    assert result.documents == documents


def test_mandate_texts():
    itself = check_mandate(good_application(filed_by_other=False))
    assert itself.reason == "The enterprise files itself, no mandate needed."
    missing = check_mandate(good_application(filed_by_other=True, has_mandate=False))
    assert missing.next_step == (
        "Ask the enterprise for a mandate for the person who files the application."
    )


# --- language --------------------------------------------------------------------------------


def test_document_name_follows_language():
    assert document_name(RSZ) == "NSSO certificate"
    with translation.override("nl"):
        assert document_name(RSZ) == "RSZ-attest"


def test_reasons_in_dutch():
    with translation.override("nl"):
        age = check_mentor_age(good_mentor(birth_date=date(2001, 12, 1)), GENERAL, DAY)
        assert age.title == "Leeftijd"
        assert age.reason == (
            "Jan Peeters is 24 op 30/11/2026; een mentor moet in deze sector minstens 25 zijn."
        )
        conduct = check_mentor_conduct(good_mentor(has_criminal_record_extract=None))
        assert "uittreksel uit het strafregister model 596.2" in conduct.next_step
        assert conduct.title == "Onberispelijk gedrag"
        training = check_mentor_training(good_mentor(training=TrainingStatus.WILL_FOLLOW),
                                         CONSTRUCTION)
        assert "binnen 6 maanden na de erkenning" in training.reason
        experience = check_mentor_experience(
            good_mentor(years_of_experience=4, has_prior_education_proof=True), GENERAL
        )
        assert "4 jaar beroepservaring" in experience.reason
        assert "bewijs van vooropleiding" in experience.reason
        assert check_financial_capacity(good_workplace(), HOSPITALITY).documents == (
            "RSZ-attest",
        )
        assert check_financial_capacity(good_workplace(), GENERAL).title == (
            "Financiële draagkracht"
        )
        assert check_declaration_on_honour(good_application()).title == "Verklaring op eer"
        assert check_mandate(good_application()).title == "Machtiging"
        condition, _ = check_mentors([], GENERAL, DAY)
        assert condition.next_step == "Duid minstens één mentor aan."


class TestMentorAgeFromAgeOnly:
    """The anonymous self-scan keeps only the age in years, not the birth date."""

    def test_age_at_the_minimum_is_met(self):
        from datetime import date

        from werkplek.conditions.rules import check_mentor_age
        from werkplek.conditions.types import MentorFacts, SectorRules, Status

        result = check_mentor_age(MentorFacts(age=25), SectorRules(), date(2026, 11, 30))
        assert result.status == Status.MET

    def test_age_below_the_minimum_is_not_met(self):
        from datetime import date

        from werkplek.conditions.rules import check_mentor_age
        from werkplek.conditions.types import MentorFacts, SectorRules, Status

        result = check_mentor_age(MentorFacts(age=24), SectorRules(), date(2026, 11, 30))
        assert result.status == Status.NOT_MET
        assert "at least 25" in result.next_step

    def test_age_in_a_sector_that_lowered_it(self):
        from datetime import date

        from werkplek.conditions.rules import check_mentor_age
        from werkplek.conditions.types import MentorFacts, SectorRules, Status

        rules = SectorRules(min_mentor_age=23)
        assert check_mentor_age(MentorFacts(age=23), rules, date(2026, 11, 30)).status == Status.MET
        assert check_mentor_age(MentorFacts(age=22), rules, date(2026, 11, 30)).status == (
            Status.NOT_MET)

    def test_a_birth_date_wins_over_an_age(self):
        from datetime import date

        from werkplek.conditions.rules import check_mentor_age
        from werkplek.conditions.types import MentorFacts, SectorRules, Status

        mentor = MentorFacts(birth_date=date(2001, 12, 1), age=40)
        assert check_mentor_age(mentor, SectorRules(), date(2026, 11, 30)).status == (
            Status.NOT_MET)


class TestInfrastructureStatement:
    def test_a_no_on_the_infrastructure_fails_even_with_every_activity(self):
        from werkplek.conditions.rules import check_infrastructure
        from werkplek.conditions.types import SectorRules, Status, WorkplaceFacts

        facts = WorkplaceFacts(activities_total=4, activities_offered=4, infrastructure_fits=False)
        assert check_infrastructure(facts, SectorRules()).status == Status.NOT_MET

    def test_a_yes_or_no_answer_leaves_the_activity_rule(self):
        from werkplek.conditions.rules import check_infrastructure
        from werkplek.conditions.types import SectorRules, Status, WorkplaceFacts

        for fits in (True, None):
            facts = WorkplaceFacts(activities_total=4, activities_offered=4,
                                   infrastructure_fits=fits)
            assert check_infrastructure(facts, SectorRules()).status == Status.MET
        facts = WorkplaceFacts(activities_total=4, activities_offered=3, infrastructure_fits=True)
        assert check_infrastructure(facts, SectorRules()).status == Status.NOT_MET
