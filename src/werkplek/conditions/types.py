"""Plain data for the recognition conditions: what the checks read and what they return.

No Django models here: the self-scan, the application check and monitoring all build these
values from their own sources and call the same functions in `rules.py`.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"  # cannot tell yet


class TrainingStatus(StrEnum):
    DONE = "done"  # followed the mentor training
    WILL_FOLLOW = "will_follow"  # will follow it within the sector's deadline
    WONT_FOLLOW = "wont_follow"  # does not intend to follow it


@dataclass(frozen=True)
class ExtraDocument:
    """A document a partnership asks for on top of the general ones."""

    code: str
    name_nl: str
    name_en: str
    scope: str  # "application" or "mentor"
    condition: str  # "financial_capacity", "no_convictions", "infrastructure" or "mentor"


@dataclass(frozen=True)
class SectorRules:
    """The partnership's rules that the conditions depend on (see catalog.Partnership)."""

    partnership_name: str = ""
    min_mentor_age: int = 25
    min_experience_years: int = 5
    experience_derogation_allowed: bool = True
    mentor_training_required: bool = False
    mentor_training_deadline_months: int | None = None
    extra_documents: tuple[ExtraDocument, ...] = ()


@dataclass(frozen=True)
class WorkplaceFacts:
    """Answers about the workplace; None means "not known yet"."""

    financial_capacity: bool | None = None  # solvent and viable enough for a learner to finish
    has_convictions: bool | None = None  # labour-law or social-security (RSZ) convictions
    activities_total: int = 0  # number of activities on the programme's list
    activities_offered: int | None = None  # how many of them the workplace can offer
    # The applicant's statement that space, equipment, safety and supervision fit the training
    # plan (asked in the application; None where it is not asked, as in the self-scan).
    infrastructure_fits: bool | None = None


@dataclass(frozen=True)
class MentorFacts:
    """Answers about one mentor; None means "not known yet"."""

    name: str = ""
    birth_date: date | None = None
    years_of_experience: int | None = None
    has_criminal_record_extract: bool | None = None  # model 596.2, for work with minors
    has_prior_education_proof: bool | None = None  # certificate or EVC proof for the derogation
    training: TrainingStatus | None = None
    extra_documents: frozenset[str] | None = None  # codes of the sector's per-mentor documents
    # The age in full years on the day, for callers that do not keep the birth date (the
    # anonymous self-scan). Used only when birth_date is None.
    age: int | None = None


@dataclass(frozen=True)
class ApplicationFacts:
    """Answers about the application itself."""

    on_day: date  # the day of submission (or of the scan): the mentor's age counts on it
    filed_by_other: bool | None = None  # a coach or sector employee files for the enterprise
    has_mandate: bool | None = None  # the enterprise's mandate for that person
    declaration_on_honour: bool | None = None  # will sign / has signed the declaration
    extra_documents: frozenset[str] | None = None  # codes of the sector's per-application documents


@dataclass(frozen=True)
class ConditionResult:
    """The outcome of one condition, with texts a person can read (already translated)."""

    code: str
    status: Status
    title: str
    reason: str
    next_step: str = ""
    documents: tuple[str, ...] = ()  # documents to prepare for this condition


@dataclass(frozen=True)
class MentorResult:
    name: str
    status: Status
    conditions: tuple[ConditionResult, ...]


@dataclass(frozen=True)
class Assessment:
    """The whole check: overall status, and every condition with its reason."""

    status: Status
    workplace: tuple[ConditionResult, ...]
    mentor: ConditionResult  # "at least one mentor meets every mentor condition"
    mentors: tuple[MentorResult, ...]
    application: tuple[ConditionResult, ...]  # extra documents, declaration, mandate
    documents_to_prepare: tuple[str, ...] = field(default=())

    @property
    def all_conditions(self) -> tuple[ConditionResult, ...]:
        return (*self.workplace, self.mentor, *self.application)
