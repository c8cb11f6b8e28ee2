"""Facts and sector rules shared by the condition tests."""

from datetime import date

from werkplek.conditions.types import (
    ApplicationFacts,
    ExtraDocument,
    MentorFacts,
    SectorRules,
    TrainingStatus,
    WorkplaceFacts,
)

DAY = date(2026, 11, 30)

RSZ = ExtraDocument(
    code="rsz-attest", name_nl="RSZ-attest", name_en="NSSO certificate",
    scope="application", condition="financial_capacity",
)
MODEL_II = ExtraDocument(
    code="uittreksel-strafregister-model-2",
    name_nl="Uittreksel uit het strafregister, model II",
    name_en="Extract from the criminal record, model II",
    scope="mentor", condition="mentor",
)

GENERAL = SectorRules(partnership_name="Flemish Partnership for Dual Learning",
                      mentor_training_required=True, mentor_training_deadline_months=12)
CONSTRUCTION = SectorRules(partnership_name="Sectoral partnership Construction",
                           mentor_training_required=True, mentor_training_deadline_months=6)
HOSPITALITY = SectorRules(
    partnership_name="Sectoral partnership Hospitality", min_mentor_age=23,
    mentor_training_required=True, mentor_training_deadline_months=12,
    extra_documents=(RSZ, MODEL_II),
)
NO_TRAINING = SectorRules(partnership_name="Sectoral partnership Automotive")
NO_DEROGATION = SectorRules(partnership_name="Sectoral partnership Wood",
                            experience_derogation_allowed=False)


def good_mentor(**changes) -> MentorFacts:
    values = {
        "name": "Jan Peeters", "birth_date": date(1980, 5, 1), "years_of_experience": 10,
        "has_criminal_record_extract": True, "has_prior_education_proof": None,
        "training": TrainingStatus.DONE,
        "extra_documents": frozenset({MODEL_II.code}),
    }
    values.update(changes)
    return MentorFacts(**values)


def good_workplace(**changes) -> WorkplaceFacts:
    values = {"financial_capacity": True, "has_convictions": False, "activities_total": 12,
              "activities_offered": 12}
    values.update(changes)
    return WorkplaceFacts(**values)


def good_application(**changes) -> ApplicationFacts:
    values = {"on_day": DAY, "filed_by_other": False, "has_mandate": None,
              "declaration_on_honour": True, "extra_documents": frozenset({RSZ.code})}
    values.update(changes)
    return ApplicationFacts(**values)
