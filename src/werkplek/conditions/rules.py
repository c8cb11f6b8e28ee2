"""The recognition conditions, written once.

Pure functions over the plain values in `types.py`: the self-scan, the application check and
monitoring all call these, so the rules live nowhere else. Every check returns a
`ConditionResult` with a status (met / not met / cannot tell yet), a reason a person can read,
what to do next, and the documents to prepare. Texts are translated when the check runs (plain
`gettext`, not lazy), so the result is in the active language.

Codes: workplace ``financial_capacity``, ``no_convictions``, ``infrastructure``; the mentor
condition ``mentor`` ("at least one mentor meets every mentor condition") built from the per-mentor
conditions ``mentor_age``, ``mentor_experience``, ``mentor_conduct``, ``mentor_training`` and, when
the sector asks for documents per mentor, ``mentor_extra_documents``; per application
``extra_documents`` (only when the sector asks for documents per application),
``declaration_on_honour`` and ``mandate``.

Sector extra documents: each is listed (in ``documents``) under the condition the partnership
filed it under (e.g. hospitality's NSSO certificate under financial capacity); whether the
applicant has them is checked once, by ``extra_documents`` for those per application and by
``mentor_extra_documents`` for those per mentor. A workplace condition's status depends only on
the answer about the condition itself.
"""

from collections.abc import Iterable, Sequence
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, ngettext

from werkplek.core.identifiers import age_on

from .types import (
    ApplicationFacts,
    Assessment,
    ConditionResult,
    ExtraDocument,
    MentorFacts,
    MentorResult,
    SectorRules,
    Status,
    TrainingStatus,
    WorkplaceFacts,
)

__all__ = [
    "DECLARATION_ON_HONOUR",
    "EXTRA_DOCUMENTS",
    "FINANCIAL_CAPACITY",
    "INFRASTRUCTURE",
    "LEGAL_MIN_MENTOR_AGE",
    "MANDATE",
    "MENTOR",
    "MENTOR_AGE",
    "MENTOR_CONDUCT",
    "MENTOR_EXPERIENCE",
    "MENTOR_EXTRA_DOCUMENTS",
    "MENTOR_TRAINING",
    "NO_CONVICTIONS",
    "assess",
    "check_declaration_on_honour",
    "check_extra_documents",
    "check_financial_capacity",
    "check_infrastructure",
    "check_mandate",
    "check_mentor",
    "check_mentor_age",
    "check_mentor_conduct",
    "check_mentor_experience",
    "check_mentor_extra_documents",
    "check_mentor_training",
    "check_mentors",
    "check_no_convictions",
    "combine_statuses",
    "document_name",
]

# Condition codes.
FINANCIAL_CAPACITY = "financial_capacity"
NO_CONVICTIONS = "no_convictions"
INFRASTRUCTURE = "infrastructure"
MENTOR = "mentor"
MENTOR_AGE = "mentor_age"
MENTOR_EXPERIENCE = "mentor_experience"
MENTOR_CONDUCT = "mentor_conduct"
MENTOR_TRAINING = "mentor_training"
MENTOR_EXTRA_DOCUMENTS = "mentor_extra_documents"
EXTRA_DOCUMENTS = "extra_documents"
DECLARATION_ON_HONOUR = "declaration_on_honour"
MANDATE = "mandate"

LEGAL_MIN_MENTOR_AGE = 25  # by law; a partnership may lower it (to 23) for its sector

SCOPE_APPLICATION = "application"
SCOPE_MENTOR = "mentor"


# --- small helpers ---------------------------------------------------------------------------


def combine_statuses(statuses: Iterable[Status]) -> Status:
    """NOT_MET if any is not met; MET if all are met (also when there are none); else UNKNOWN."""
    statuses = tuple(statuses)
    if Status.NOT_MET in statuses:
        return Status.NOT_MET
    if all(status == Status.MET for status in statuses):
        return Status.MET
    return Status.UNKNOWN


def document_name(document: ExtraDocument) -> str:
    """The name of a sector document in the active language."""
    if (get_language() or "nl").startswith("en"):
        return document.name_en or document.name_nl
    return document.name_nl or document.name_en


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def _list(items: Iterable[str]) -> str:
    return ", ".join(items)


def _day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _years(count: int) -> str:
    return ngettext("%(count)s year", "%(count)s years", count) % {"count": count}


def _months(count: int) -> str:
    return ngettext("%(count)s month", "%(count)s months", count) % {"count": count}


def _subject(mentor: MentorFacts) -> str:
    """The mentor at the start of a sentence."""
    return mentor.name.strip() or gettext("This mentor")


def _object(mentor: MentorFacts) -> str:
    """The mentor inside a sentence."""
    return mentor.name.strip() or gettext("this mentor")


def _partnership(rules: SectorRules) -> str:
    """The partnership at the start of a sentence."""
    return rules.partnership_name.strip() or gettext("The partnership")


def _extras(rules: SectorRules, *, scope: str | None = None, condition: str | None = None):
    return tuple(
        document
        for document in rules.extra_documents
        if (scope is None or document.scope == scope)
        and (condition is None or document.condition == condition)
    )


def _with_documents(next_step: str, documents: Sequence[str]) -> str:
    if not documents:
        return next_step
    prepare = gettext("Prepare: %(documents)s.") % {"documents": _list(documents)}
    return f"{next_step} {prepare}" if next_step else prepare


# Documents every application or mentor needs.


def _declaration_document() -> str:
    return gettext("Declaration on honour, filled in and signed")


def _extract_document() -> str:
    return gettext("Extract from the criminal record, model 596.2")


def _proof_document() -> str:
    return gettext("Proof of prior education (certificate or EVC proof)")


def _mandate_document() -> str:
    return gettext("Mandate from the enterprise")


def _for_mentor(document: str, mentor: MentorFacts) -> str:
    if mentor.name.strip():
        return gettext("%(document)s, for %(name)s") % {
            "document": document, "name": mentor.name.strip()
        }
    return gettext("%(document)s, for each mentor") % {"document": document}


# --- workplace -------------------------------------------------------------------------------


def _workplace_documents(rules: SectorRules, condition: str) -> tuple[str, ...]:
    return _unique(document_name(d) for d in _extras(rules, condition=condition))


def check_financial_capacity(workplace: WorkplaceFacts, rules: SectorRules) -> ConditionResult:
    documents = _workplace_documents(rules, FINANCIAL_CAPACITY)
    title = gettext("Financial capacity")
    if workplace.financial_capacity is True:
        status = Status.MET
        reason = gettext(
            "You state that the enterprise is solvent and viable enough to let a learner finish "
            "the programme. The partnership checks this."
        )
        next_step = ""
    elif workplace.financial_capacity is False:
        status = Status.NOT_MET
        reason = gettext(
            "The enterprise is not solvent or viable enough to let a learner finish the "
            "programme; the partnership cannot recognise the workplace without that."
        )
        next_step = gettext(
            "Ask your provincial contact point for advice before you apply."
        )
    else:
        status = Status.UNKNOWN
        reason = gettext(
            "It is not known yet whether the enterprise is solvent and viable enough to let a "
            "learner finish the programme."
        )
        next_step = gettext(
            "Check the enterprise's solvency and viability, for example with your accountant."
        )
    return ConditionResult(
        code=FINANCIAL_CAPACITY, status=status, title=title, reason=reason,
        next_step=_with_documents(next_step, documents), documents=documents,
    )


def check_no_convictions(workplace: WorkplaceFacts, rules: SectorRules) -> ConditionResult:
    documents = _workplace_documents(rules, NO_CONVICTIONS)
    title = gettext("No convictions")
    if workplace.has_convictions is False:
        status = Status.MET
        reason = gettext(
            "You state that the enterprise has no labour-law or social-security (NSSO) "
            "convictions."
        )
        next_step = ""
    elif workplace.has_convictions is True:
        status = Status.NOT_MET
        reason = gettext(
            "The enterprise has labour-law or social-security (NSSO) convictions; a workplace "
            "can only be recognised without them."
        )
        next_step = gettext(
            "Ask your provincial contact point whether and when the enterprise can apply."
        )
    else:
        status = Status.UNKNOWN
        reason = gettext(
            "It is not known yet whether the enterprise has labour-law or social-security "
            "(NSSO) convictions."
        )
        next_step = gettext(
            "Check whether the enterprise has been convicted under labour law or "
            "social-security law."
        )
    return ConditionResult(
        code=NO_CONVICTIONS, status=status, title=title, reason=reason,
        next_step=_with_documents(next_step, documents), documents=documents,
    )


def check_infrastructure(workplace: WorkplaceFacts, rules: SectorRules) -> ConditionResult:
    documents = _workplace_documents(rules, INFRASTRUCTURE)
    title = gettext("Infrastructure and organisation")
    total = workplace.activities_total
    offered = workplace.activities_offered
    if total <= 0:
        status = Status.UNKNOWN
        reason = gettext("No programme has been picked yet, so its activity list is not known.")
        next_step = gettext("Pick a programme to see its activity list.")
    elif offered is None:
        status = Status.UNKNOWN
        reason = gettext(
            "It is not known yet how many of the %(total)s activities on the programme's list "
            "the workplace can offer."
        ) % {"total": total}
        next_step = gettext(
            "Go through the programme's activity list and check which activities the workplace "
            "can offer."
        )
    elif offered >= total and workplace.infrastructure_fits is False:
        status = Status.NOT_MET
        reason = gettext(
            "The workplace offers every activity, but you stated that its space, equipment, "
            "safety or supervision do not fit the training plan yet."
        )
        next_step = gettext(
            "Arrange what is missing in the infrastructure and organisation before you apply."
        )
    elif offered >= total:
        status = Status.MET
        reason = gettext(
            "The workplace can offer all %(total)s activities on the programme's list."
        ) % {"total": total}
        next_step = ""
    else:
        status = Status.NOT_MET
        reason = gettext(
            "You can offer %(offered)s of %(total)s activities; the infrastructure and "
            "organisation must let the workplace offer every activity on the programme's list."
        ) % {"offered": max(offered, 0), "total": total}
        next_step = gettext(
            "Check how the workplace can organise the missing activities, or pick a programme "
            "that fits the workplace better."
        )
    return ConditionResult(
        code=INFRASTRUCTURE, status=status, title=title, reason=reason,
        next_step=_with_documents(next_step, documents), documents=documents,
    )


# --- mentor ----------------------------------------------------------------------------------


def _turns(birth_date: date, age: int) -> date:
    """The day someone born on ``birth_date`` turns ``age`` (29 February: 1 March, as age_on)."""
    try:
        return birth_date.replace(year=birth_date.year + age)
    except ValueError:
        return date(birth_date.year + age, 3, 1)


def check_mentor_age(mentor: MentorFacts, rules: SectorRules, on_day: date) -> ConditionResult:
    """Age in full years on the day of application at least the sector's minimum."""
    minimum = rules.min_mentor_age
    title = gettext("Age")
    lowered = ""
    if minimum < LEGAL_MIN_MENTOR_AGE:
        lowered = gettext(
            "%(partnership)s lowered the minimum age for this sector from %(legal)s to "
            "%(minimum)s."
        ) % {"partnership": _partnership(rules), "legal": LEGAL_MIN_MENTOR_AGE,
             "minimum": minimum}

    def result(status: Status, reason: str, next_step: str = "") -> ConditionResult:
        if lowered:
            reason = f"{reason} {lowered}"
        return ConditionResult(
            code=MENTOR_AGE, status=status, title=title, reason=reason, next_step=next_step
        )

    if mentor.birth_date is None and mentor.age is not None:
        # Only the age is known (the anonymous self-scan keeps no birth date).
        reason = gettext(
            "%(name)s is %(age)s on %(day)s; a mentor must be at least %(minimum)s in this "
            "sector."
        ) % {"name": _subject(mentor), "age": mentor.age, "day": _day(on_day),
             "minimum": minimum}
        if mentor.age >= minimum:
            return result(Status.MET, reason)
        return result(
            Status.NOT_MET,
            reason,
            gettext("Name a mentor who is at least %(minimum)s on the day of application.")
            % {"minimum": minimum},
        )
    if mentor.birth_date is None:
        return result(
            Status.UNKNOWN,
            gettext(
                "The birth date of %(name)s is not known yet; a mentor must be at least "
                "%(minimum)s on the day of application in this sector."
            ) % {"name": _object(mentor), "minimum": minimum},
            gettext("Enter the mentor's birth date or national register number."),
        )
    if mentor.birth_date > on_day:
        return result(
            Status.UNKNOWN,
            gettext(
                "The birth date of %(name)s (%(birth_date)s) lies after the day of application "
                "(%(day)s)."
            ) % {"name": _object(mentor), "birth_date": _day(mentor.birth_date),
                 "day": _day(on_day)},
            gettext("Check the mentor's birth date or national register number."),
        )
    age = age_on(mentor.birth_date, on_day)
    reason = gettext(
        "%(name)s is %(age)s on %(day)s; a mentor must be at least %(minimum)s in this sector."
    ) % {"name": _subject(mentor), "age": age, "day": _day(on_day), "minimum": minimum}
    if age >= minimum:
        return result(Status.MET, reason)
    return result(
        Status.NOT_MET,
        reason,
        gettext(
            "Name a mentor who is at least %(minimum)s on the day of application, or apply "
            "from %(birthday)s, when %(name)s turns %(minimum)s."
        ) % {"minimum": minimum, "birthday": _day(_turns(mentor.birth_date, minimum)),
             "name": _object(mentor)},
    )


def _derogation_proof_text() -> str:
    return gettext(
        "The partnership decides on the derogation based on the proof of prior education: a "
        "certificate from a regular education institution that covers the competences of the "
        "programme, or an EVC proof of competences acquired elsewhere that covers them."
    )


def check_mentor_experience(mentor: MentorFacts, rules: SectorRules) -> ConditionResult:
    """At least the sector's years of professional experience, or a derogation with proof."""
    minimum = rules.min_experience_years
    title = gettext("Professional experience")
    years = mentor.years_of_experience
    if years is None:
        return ConditionResult(
            code=MENTOR_EXPERIENCE, status=Status.UNKNOWN, title=title,
            reason=gettext(
                "The professional experience of %(name)s is not known yet; a mentor needs at "
                "least %(minimum)s of professional experience in the occupation."
            ) % {"name": _object(mentor), "minimum": _years(minimum)},
            next_step=gettext(
                "Enter how many years of professional experience the mentor has in the "
                "occupation."
            ),
        )
    params = {"name": _subject(mentor), "years": _years(years), "minimum": _years(minimum)}
    if years >= minimum:
        return ConditionResult(
            code=MENTOR_EXPERIENCE, status=Status.MET, title=title,
            reason=gettext(
                "%(name)s has %(years)s of professional experience; at least %(minimum)s are "
                "required."
            ) % params,
        )
    fewer = gettext(
        "%(name)s has %(years)s of professional experience, fewer than the %(minimum)s required."
    ) % params
    if not rules.experience_derogation_allowed:
        return ConditionResult(
            code=MENTOR_EXPERIENCE, status=Status.NOT_MET, title=title,
            reason=f"{fewer} " + gettext("This sector allows no derogation."),
            next_step=gettext(
                "Name a mentor with at least %(minimum)s of professional experience in the "
                "occupation."
            ) % params,
        )
    proof = _for_mentor(_proof_document(), mentor)
    derogation = _derogation_proof_text()
    if mentor.has_prior_education_proof is True:
        return ConditionResult(
            code=MENTOR_EXPERIENCE, status=Status.MET, title=title,
            reason=f"{fewer} "
            + gettext("A derogation is possible: %(name)s has a proof of prior education.")
            % {"name": _object(mentor)}
            + f" {derogation}",
            next_step=gettext("Add the proof of prior education to the application."),
            documents=(proof,),
        )
    if mentor.has_prior_education_proof is None:
        return ConditionResult(
            code=MENTOR_EXPERIENCE, status=Status.UNKNOWN, title=title,
            reason=f"{fewer} "
            + gettext("This sector allows a derogation with a proof of prior education.")
            + f" {derogation}",
            next_step=gettext(
                "Check whether the mentor has such a certificate or EVC proof."
            ),
            documents=(proof,),
        )
    return ConditionResult(
        code=MENTOR_EXPERIENCE, status=Status.NOT_MET, title=title,
        reason=f"{fewer} "
        + gettext(
            "%(name)s has no proof of prior education (a certificate from a regular education "
            "institution or an EVC proof) for a derogation."
        ) % {"name": _subject(mentor)},
        next_step=gettext(
            "Name a mentor with at least %(minimum)s of professional experience, or have the "
            "mentor's competences recognised (EVC) to obtain a proof of prior education."
        ) % params,
        documents=(proof,),
    )


def check_mentor_conduct(mentor: MentorFacts) -> ConditionResult:
    """Blameless conduct, shown by an extract from the criminal record, model 596.2."""
    title = gettext("Blameless conduct")
    documents = (_for_mentor(_extract_document(), mentor),)
    ask = gettext(
        "Ask the mentor for an extract from the criminal record, model 596.2, at the "
        "municipality or online."
    )
    if mentor.has_criminal_record_extract is True:
        status = Status.MET
        reason = gettext(
            "%(name)s can submit an extract from the criminal record, model 596.2, to show "
            "blameless conduct."
        ) % {"name": _subject(mentor)}
        next_step = gettext("Upload the extract with the application.")
    elif mentor.has_criminal_record_extract is False:
        status = Status.NOT_MET
        reason = gettext(
            "%(name)s has no extract from the criminal record, model 596.2; without it the "
            "mentor's blameless conduct cannot be shown."
        ) % {"name": _subject(mentor)}
        next_step = ask
    else:
        status = Status.UNKNOWN
        reason = gettext(
            "It is not known yet whether %(name)s can submit an extract from the criminal "
            "record, model 596.2, to show blameless conduct."
        ) % {"name": _object(mentor)}
        next_step = ask
    return ConditionResult(
        code=MENTOR_CONDUCT, status=status, title=title, reason=reason, next_step=next_step,
        documents=documents,
    )


def check_mentor_training(mentor: MentorFacts, rules: SectorRules) -> ConditionResult:
    """The sector's mentor-training rule."""
    title = gettext("Mentor training")
    if not rules.mentor_training_required:
        return ConditionResult(
            code=MENTOR_TRAINING, status=Status.MET, title=title,
            reason=gettext("This sector does not require mentor training."),
        )
    months = rules.mentor_training_deadline_months
    if months:
        rule = gettext(
            "This sector requires mentor training within %(months)s of recognition."
        ) % {"months": _months(months)}
    else:
        rule = gettext("This sector requires mentor training.")
    name = {"name": _subject(mentor)}
    if mentor.training == TrainingStatus.DONE:
        status = Status.MET
        reason = gettext("%(name)s has followed the mentor training.") % name
        next_step = ""
    elif mentor.training == TrainingStatus.WILL_FOLLOW:
        status = Status.MET
        reason = gettext("%(name)s will follow the mentor training.") % name
        if months:
            next_step = gettext(
                "Register the mentor for a mentor training in time: it must be completed within "
                "%(months)s of recognition."
            ) % {"months": _months(months)}
        else:
            next_step = gettext("Register the mentor for a mentor training.")
    elif mentor.training == TrainingStatus.WONT_FOLLOW:
        status = Status.NOT_MET
        reason = gettext("%(name)s does not intend to follow the mentor training.") % name
        next_step = gettext(
            "Name a mentor who has followed the mentor training or will follow it."
        )
    else:
        status = Status.UNKNOWN
        reason = gettext(
            "It is not known yet whether %(name)s has followed the mentor training or will "
            "follow it."
        ) % {"name": _object(mentor)}
        next_step = gettext(
            "Say whether the mentor has followed the mentor training or will follow it."
        )
    return ConditionResult(
        code=MENTOR_TRAINING, status=status, title=title, reason=f"{rule} {reason}",
        next_step=next_step,
    )


def check_mentor_extra_documents(
    mentor: MentorFacts, rules: SectorRules
) -> ConditionResult | None:
    """The sector's documents per mentor; None when the sector asks for none."""
    required = _extras(rules, scope=SCOPE_MENTOR)
    if not required:
        return None
    title = gettext("Sector documents per mentor")
    names = [document_name(d) for d in required]
    documents = _unique(_for_mentor(name, mentor) for name in names)
    params = {"partnership": _partnership(rules), "documents": _list(names),
              "name": _object(mentor)}
    asks = gettext("%(partnership)s asks for each mentor: %(documents)s.") % params
    if mentor.extra_documents is None:
        status = Status.UNKNOWN
        reason = f"{asks} " + gettext("It is not known yet whether %(name)s has them.") % params
        next_step = gettext("Check that the mentor can submit: %(documents)s.") % params
    else:
        missing = [document_name(d) for d in required if d.code not in mentor.extra_documents]
        if missing:
            status = Status.NOT_MET
            reason = f"{asks} " + gettext("Missing for %(name)s: %(missing)s.") % {
                "name": _object(mentor), "missing": _list(missing)
            }
            next_step = gettext("Ask the mentor for: %(missing)s.") % {"missing": _list(missing)}
        else:
            status = Status.MET
            reason = f"{asks} " + gettext("%(name)s has them all.") % {"name": _subject(mentor)}
            next_step = ""
    return ConditionResult(
        code=MENTOR_EXTRA_DOCUMENTS, status=status, title=title, reason=reason,
        next_step=next_step, documents=documents,
    )


def check_mentor(mentor: MentorFacts, rules: SectorRules, on_day: date) -> MentorResult:
    """Every mentor condition for one mentor: met iff all are met."""
    conditions = [
        check_mentor_age(mentor, rules, on_day),
        check_mentor_experience(mentor, rules),
        check_mentor_conduct(mentor),
        check_mentor_training(mentor, rules),
    ]
    extras = check_mentor_extra_documents(mentor, rules)
    if extras is not None:
        conditions.append(extras)
    return MentorResult(
        name=mentor.name,
        status=combine_statuses(c.status for c in conditions),
        conditions=tuple(conditions),
    )


def _mentor_label(result: MentorResult, number: int) -> str:
    return result.name.strip() or gettext("mentor %(number)s") % {"number": number}


def check_mentors(
    mentors: Sequence[MentorFacts], rules: SectorRules, on_day: date
) -> tuple[ConditionResult, tuple[MentorResult, ...]]:
    """The condition "at least one mentor meets every mentor condition", and each mentor's result.

    Met when some mentor meets every condition; not met when no mentor is named or every mentor
    fails a condition; otherwise it cannot be told yet. The documents are those of every mentor.
    """
    results = tuple(check_mentor(mentor, rules, on_day) for mentor in mentors)
    title = gettext("At least one mentor who meets the mentor conditions")
    documents = _unique(d for result in results for c in result.conditions for d in c.documents)
    labels = [_mentor_label(result, number) for number, result in enumerate(results, 1)]
    if not results:
        status = Status.NOT_MET
        reason = gettext("No mentor has been named yet.")
        next_step = gettext("Name at least one mentor.")
    elif any(result.status == Status.MET for result in results):
        status = Status.MET
        reason = gettext("At least one mentor meets every mentor condition: %(names)s.") % {
            "names": _list(
                label for label, r in zip(labels, results, strict=True) if r.status == Status.MET
            )
        }
        next_step = ""
    elif all(result.status == Status.NOT_MET for result in results):
        status = Status.NOT_MET
        reason = gettext("None of the mentors meets every mentor condition: %(names)s.") % {
            "names": _list(labels)
        }
        next_step = gettext(
            "Solve what is not met for a mentor (see the conditions per mentor), or name another "
            "mentor."
        )
    else:
        status = Status.UNKNOWN
        reason = gettext(
            "It is not certain yet that a mentor meets every mentor condition: %(names)s."
        ) % {
            "names": _list(
                label for label, r in zip(labels, results, strict=True)
                if r.status == Status.UNKNOWN
            )
        }
        next_step = gettext("Answer the open questions about the mentors.")
    return (
        ConditionResult(
            code=MENTOR, status=status, title=title, reason=reason, next_step=next_step,
            documents=documents,
        ),
        results,
    )


# --- application -----------------------------------------------------------------------------


def check_extra_documents(
    application: ApplicationFacts, rules: SectorRules
) -> ConditionResult | None:
    """The sector's documents per application; None when the sector asks for none.

    These documents are also listed under the condition the partnership filed them under (for
    example hospitality's NSSO certificate under financial capacity); this is where their
    presence is checked.
    """
    required = _extras(rules, scope=SCOPE_APPLICATION)
    if not required:
        return None
    title = gettext("Sector documents")
    names = [document_name(d) for d in required]
    documents = _unique(names)
    params = {"partnership": _partnership(rules), "documents": _list(names)}
    asks = gettext("%(partnership)s asks for: %(documents)s.") % params
    if application.extra_documents is None:
        status = Status.UNKNOWN
        reason = f"{asks} " + gettext("It is not known yet whether you have them.")
        next_step = gettext("Check that you can add: %(documents)s.") % params
    else:
        missing = [
            document_name(d) for d in required if d.code not in application.extra_documents
        ]
        if missing:
            status = Status.NOT_MET
            reason = f"{asks} " + gettext("Still missing: %(missing)s.") % {
                "missing": _list(missing)
            }
            next_step = gettext("Get the missing documents: %(missing)s.") % {
                "missing": _list(missing)
            }
        else:
            status = Status.MET
            reason = f"{asks} " + gettext("You have them all.")
            next_step = gettext("Add them to the application.")
    return ConditionResult(
        code=EXTRA_DOCUMENTS, status=status, title=title, reason=reason, next_step=next_step,
        documents=documents,
    )


def check_declaration_on_honour(application: ApplicationFacts) -> ConditionResult:
    title = gettext("Declaration on honour")
    required = gettext(
        "A declaration on honour, filled in and signed, is required for every application."
    )
    fill_in = gettext("Fill in and sign the declaration on honour and add it to the application.")
    if application.declaration_on_honour is True:
        status = Status.MET
        reason = gettext("The declaration on honour will be filled in and signed.")
    elif application.declaration_on_honour is False:
        status = Status.NOT_MET
        reason = required
    else:
        status = Status.UNKNOWN
        reason = f"{required} " + gettext("It is not known yet whether it will be signed.")
    return ConditionResult(
        code=DECLARATION_ON_HONOUR, status=status, title=title, reason=reason,
        next_step=fill_in, documents=(_declaration_document(),),
    )


def check_mandate(application: ApplicationFacts) -> ConditionResult:
    title = gettext("Mandate")
    documents: tuple[str, ...] = ()
    if application.filed_by_other is False:
        status = Status.MET
        reason = gettext("The enterprise files itself, no mandate needed.")
        next_step = ""
    elif application.filed_by_other is True:
        documents = (_mandate_document(),)
        if application.has_mandate is True:
            status = Status.MET
            reason = gettext(
                "Someone else files for the enterprise and has the enterprise's mandate."
            )
            next_step = gettext("Add the mandate to the application.")
        elif application.has_mandate is False:
            status = Status.NOT_MET
            reason = gettext(
                "Someone else files for the enterprise but has no mandate from the enterprise; "
                "a coach or sector employee can only file with that mandate."
            )
            next_step = gettext(
                "Ask the enterprise for a mandate for the person who files the application."
            )
        else:
            status = Status.UNKNOWN
            reason = gettext(
                "Someone else files for the enterprise; it is not known yet whether that person "
                "has the enterprise's mandate."
            )
            next_step = gettext(
                "Ask the enterprise for a mandate for the person who files the application."
            )
    else:
        status = Status.UNKNOWN
        reason = gettext(
            "It is not known yet who files the application: the enterprise itself needs no "
            "mandate, anyone else (a coach or sector employee) does."
        )
        next_step = gettext("Say who files the application.")
    return ConditionResult(
        code=MANDATE, status=status, title=title, reason=reason, next_step=next_step,
        documents=documents,
    )


# --- the whole check -------------------------------------------------------------------------


def assess(
    *,
    workplace: WorkplaceFacts,
    mentors: Sequence[MentorFacts],
    application: ApplicationFacts,
    rules: SectorRules,
) -> Assessment:
    """Every condition, with the overall status: MET exactly when every condition is met,
    NOT_MET when any is not met, UNKNOWN otherwise.

    ``documents_to_prepare`` lists, de-duplicated and in the order of the conditions, every
    document found under them (sector extras, the extract 596.2 per mentor, the proof of prior
    education where a derogation is needed, the declaration on honour, the mandate).
    """
    workplace_results = (
        check_financial_capacity(workplace, rules),
        check_no_convictions(workplace, rules),
        check_infrastructure(workplace, rules),
    )
    mentor_result, mentor_results = check_mentors(mentors, rules, application.on_day)
    extras = check_extra_documents(application, rules)
    application_results = (
        *((extras,) if extras is not None else ()),
        check_declaration_on_honour(application),
        check_mandate(application),
    )
    every = (*workplace_results, mentor_result, *application_results)
    return Assessment(
        status=combine_statuses(c.status for c in every),
        workplace=workplace_results,
        mentor=mentor_result,
        mentors=mentor_results,
        application=application_results,
        documents_to_prepare=_unique(d for c in every for d in c.documents),
    )
