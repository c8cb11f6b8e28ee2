"""Agreements with learners: registered by one side (the learner's coach for the training
provider, or the enterprise), confirmed by the other, and only where the rules allow:

- an active recognition for the unit and programme covers the start (and, continued by its
  renewals, the period; where it ends first, the agreement ends with it);
- the mentor is an active mentor of that recognition and not banned for the programme;
- the sector's mentor-training rule: trained, or still within the deadline counted from the day
  they became a mentor of the recognition;
- the mentor coaches no more learners at the same time than the partnership allows, counting
  the agreements that run or wait for confirmation, on the days they overlap.

Each service: keyword-only arguments with the actor first, one transaction, permission inside,
the transition, an `AgreementEvent`. The rules are checked again at confirmation and at a mentor
change, under a lock on the mentor, so two agreements cannot take a mentor's last place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from werkplek.accounts.models import Membership, Role
from werkplek.core.identifiers import IdentifierError, parse_national_number
from werkplek.recognitions.models import Recognition, RecognitionMentor

from . import rules
from .models import Agreement, AgreementEvent, Learner


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# --- who acts ------------------------------------------------------------------------------------

def is_enterprise_side(user, enterprise_id: int) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and Membership.objects.filter(
        user=user, enterprise_id=enterprise_id, is_active=True,
        role__in=[Role.REPRESENTATIVE, Role.EMPLOYER]).exists()


def is_provider_side(user, training_provider_id: int) -> bool:
    """A learner coach of the training provider."""
    return bool(getattr(user, "is_authenticated", False)) and Membership.objects.filter(
        user=user, training_provider_id=training_provider_id, is_active=True,
        role=Role.COACH).exists()


def side_of(user, agreement: Agreement) -> str | None:
    if is_enterprise_side(user, agreement.enterprise_id):
        return Agreement.Side.ENTERPRISE
    if is_provider_side(user, agreement.training_provider_id):
        return Agreement.Side.PROVIDER
    return None


# --- the rules against the database --------------------------------------------------------------

@dataclass
class RuleCheck:
    """What the rules say about a mentor and a period at a recognition: the problems (field,
    message), the last covered day, and the learners the mentor would coach at once."""
    problems: list[tuple[str, str]]
    covered_until: date | None = None
    at_once: int = 0
    cap: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _chain(recognition: Recognition) -> list[Recognition]:
    """The recognition with the renewed ones it continues and the renewals that continue it
    (all in force), oldest first."""
    first = recognition
    while first.previous_id is not None:
        previous = Recognition.objects.filter(pk=first.previous_id,
                                              state__in=Recognition.IN_FORCE_STATES).first()
        if previous is None:
            break
        first = previous
    chain = [first]
    while True:
        successor = Recognition.objects.filter(
            previous=chain[-1], state__in=Recognition.IN_FORCE_STATES).first()
        if successor is None:
            return chain
        chain.append(successor)


def head_of_chain(recognition: Recognition) -> Recognition:
    """The latest recognition of the chain: new agreements belong to it, so that a sanction or
    the expiry of the renewal reaches them."""
    return _chain(recognition)[-1]


# No agreement runs longer than a recognition: a guard against a period typed wrongly.
MAX_AGREEMENT_YEARS = 5


def _counted(queryset, counted_states, start: date):
    """The agreements that still take a place from `start`: in `counted_states`, or ended early
    on a last day on or after `start`; each with the last day it counts."""
    from django.db.models import Q

    return [
        rules.Period(first, ended_on if state == Agreement.State.ENDED_EARLY else last)
        for first, last, state, ended_on in queryset.filter(
            Q(state__in=counted_states)
            | Q(state=Agreement.State.ENDED_EARLY, ended_on__gte=start)
        ).values_list("start_date", "end_date", "state", "ended_on")
    ]


def check_rules(*, recognition: Recognition, mentor_id: int, start: date, end: date,
                exclude_id: int | None = None, today: date | None = None) -> RuleCheck:
    """Every rule for a new (or changed) agreement; `exclude_id` leaves the agreement itself
    out of the mentor's count."""
    return _check_rules(recognition=recognition, mentor_id=mentor_id, start=start, end=end,
                        exclude_id=exclude_id, today=today,
                        counted_states=Agreement.RUNNING_STATES)


def _check_rules(*, recognition: Recognition, mentor_id: int, start: date, end: date,
                 exclude_id: int | None, today: date | None, counted_states) -> RuleCheck:
    """`check_rules`, counting the mentor's agreements in `counted_states`: a registration
    or a mentor change counts those running and those waiting for confirmation; a confirmation
    counts those running, so that of two drafts for a mentor's last place the first confirmed
    takes it (counting the other draft would refuse both)."""
    from werkplek.recognitions.services import banned_programme_ids

    today = today or timezone.localdate()
    problems: list[tuple[str, str]] = []
    if end < start:
        return RuleCheck([("end_date", _("The end must be on or after the start."))])
    if end > rules.months_after(start, 12 * MAX_AGREEMENT_YEARS):
        return RuleCheck([("end_date", _("An agreement runs at most %(years)s years: check the "
                                         "end date.") % {"years": MAX_AGREEMENT_YEARS})])
    in_force = recognition.state in Recognition.IN_FORCE_STATES and recognition.valid_until >= today
    chain = [rules.Period(r.valid_from, r.valid_until) for r in _chain(recognition)]
    covered = rules.covered_until(chain, start) if in_force else None
    if covered is None:
        problems.append(("start_date", _(
            "%(unit)s is not recognised for %(programme)s on %(date)s: an agreement can only "
            "start while a recognition is in force.") % {
                "unit": recognition.unit.name, "programme": recognition.programme.name,
                "date": _day(start)}))
    link = RecognitionMentor.objects.select_related("mentor").filter(
        recognition=recognition, mentor_id=mentor_id, is_active=True,
        mentor__is_active=True).first()
    partnership = recognition.partnership
    check = RuleCheck(problems, covered_until=covered, cap=partnership.max_learners_per_mentor)
    if link is None:
        problems.append(("mentor", _("Choose an active mentor of this recognition.")))
        return check
    mentor = link.mentor
    if recognition.programme_id in banned_programme_ids(mentor.pk):
        problems.append(("mentor", _("%(name)s may no longer coach learners for this programme "
                                     "(mentor ban).") % {"name": mentor.full_name}))
    since = link.since
    if not rules.training_allows(required=partnership.mentor_training_required,
                                 trained=mentor.mentor_training_completed_on is not None,
                                 since=since,
                                 months=partnership.mentor_training_deadline_months,
                                 on_day=today):
        deadline = rules.training_deadline(since, partnership.mentor_training_deadline_months)
        problems.append(("mentor", _(
            "%(name)s has not followed the mentor training, and the deadline of %(partnership)s "
            "passed on %(date)s: no new agreements until the training is done.") % {
                "name": mentor.full_name, "partnership": partnership.name,
                "date": _day(deadline)}))
    others = _counted(Agreement.objects.filter(mentor_id=mentor.pk, start_date__lte=end,
                                               end_date__gte=start).exclude(pk=exclude_id),
                      counted_states, start)
    period = rules.Period(start, end)
    at_once = rules.most_at_once(others, period) + 1
    check.at_once = at_once
    if at_once > check.cap:
        problems.append(("mentor", ngettext(
            "%(name)s may coach %(cap)d learner at a time (rule of %(partnership)s), and "
            "already coaches that many in this period (agreements running or waiting for "
            "confirmation): choose another mentor or another period.",
            "%(name)s may coach %(cap)d learners at a time (rule of %(partnership)s), and "
            "already coaches that many in this period (agreements running or waiting for "
            "confirmation): choose another mentor or another period.", check.cap) % {
                "name": mentor.full_name, "cap": check.cap, "partnership": partnership.name}))
    return check


def _raise(check: RuleCheck) -> None:
    if check.problems:
        errors: dict[str, list[str]] = {}
        for field_name, message in check.problems:
            errors.setdefault(field_name, []).append(message)
        raise ValidationError(errors)


def _lock_mentor(mentor_id: int) -> None:
    """Serialise the changes of one mentor's agreements (the count, then the insert)."""
    from werkplek.enterprises.models import Mentor

    Mentor.objects.select_for_update().filter(pk=mentor_id).first()


def _event(agreement: Agreement, kind: str, actor, *, message: str = "", data=None) -> None:
    AgreementEvent.objects.create(agreement=agreement, kind=kind, actor=actor, message=message,
                                  data=data or {})


# --- registering and confirming ------------------------------------------------------------------

def _hours(value) -> Decimal:
    if isinstance(value, str):
        # The decimal comma people type (22,5), as the message below suggests.
        value = value.strip().replace(",", ".")
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, TypeError):
        hours = None
    if hours is None or not hours.is_finite():
        # Not a number, or NaN / Infinity (NaN cannot even be compared with the range).
        raise ValidationError({"weekly_hours": [_("Enter the hours a week as a number, for "
                                                  "example 24 or 22,5.")]})
    if not Decimal(1) <= hours <= rules.MAX_WEEKLY_HOURS:
        raise ValidationError({"weekly_hours": [_(
            "Enter between 1 and %(max)s hours a week at the workplace.") % {
                "max": rules.MAX_WEEKLY_HOURS}]})
    return hours.quantize(Decimal("0.1"))


def find_or_create_learner(*, first_name: str, last_name: str, national_number: str,
                           training_provider, programme) -> Learner:
    """The learner with this national register number (names must match), or a new one."""
    try:
        number = parse_national_number(national_number)
    except IdentifierError as error:
        raise ValidationError({"national_number": error.messages}) from None
    probe = Learner(first_name=first_name.strip(), last_name=last_name.strip(),
                    training_provider=training_provider, programme=programme)
    probe.set_national_number(number.compact, number.birth_date)
    learner = Learner.objects.filter(national_number_hash=probe.national_number_hash).first()
    if learner is None:
        if not probe.first_name or not probe.last_name:
            raise ValidationError({"last_name": [_("Enter the learner's first and last name.")]})
        try:
            with transaction.atomic():  # two registrations of a new learner at once
                probe.save()
            return probe
        except IntegrityError:
            learner = Learner.objects.get(national_number_hash=probe.national_number_hash)
    if (learner.first_name.casefold(), learner.last_name.casefold()) != (
            probe.first_name.casefold(), probe.last_name.casefold()):
        raise ValidationError({"national_number": [_(
            "A learner with this national register number is known under another name: check "
            "the name and the number.")]})
    return learner


@transaction.atomic
def register_agreement(*, actor, recognition_id: int, first_name: str, last_name: str,
                       national_number: str, training_provider_id: int, mentor_id: int,
                       start_date: date, end_date: date, weekly_hours) -> Agreement:
    """Register an agreement (waiting for the other side's confirmation): by a learner coach
    of the training provider, or by the enterprise. The kind follows from the hours."""
    from werkplek.catalog.models import TrainingProvider

    recognition = head_of_chain(Recognition.objects.select_related(
        "unit", "programme", "partnership", "enterprise").get(pk=recognition_id))
    provider = TrainingProvider.objects.filter(pk=training_provider_id).first()
    if provider is None:
        raise ValidationError({"training_provider": [_("Choose the training provider.")]})
    if is_enterprise_side(actor, recognition.enterprise_id):
        side = Agreement.Side.ENTERPRISE
    elif is_provider_side(actor, provider.pk):
        side = Agreement.Side.PROVIDER
    else:
        raise PermissionDenied(_("Only the enterprise or a learner coach of the training "
                                 "provider can register this agreement."))
    hours = _hours(weekly_hours)
    _lock_mentor(mentor_id)
    _raise(check_rules(recognition=recognition, mentor_id=mentor_id, start=start_date,
                       end=end_date))
    learner = find_or_create_learner(first_name=first_name, last_name=last_name,
                                     national_number=national_number,
                                     training_provider=provider,
                                     programme=recognition.programme)
    # The mentor's lock does not cover two registrations of one learner with two mentors:
    # lock the learner too (always after the mentor), then count.
    Learner.objects.select_for_update().filter(pk=learner.pk).first()
    if _counted(Agreement.objects.filter(learner=learner, start_date__lte=end_date,
                                         end_date__gte=start_date),
                Agreement.RUNNING_STATES, start_date):
        raise ValidationError({"national_number": [_(
            "This learner already has an agreement in this period.")]})
    agreement = Agreement.objects.create(
        learner=learner, enterprise=recognition.enterprise, unit=recognition.unit,
        programme=recognition.programme, recognition=recognition, mentor_id=mentor_id,
        training_provider=provider, coach=actor if side == Agreement.Side.PROVIDER else None,
        kind=rules.kind_for_hours(hours), weekly_hours=hours, start_date=start_date,
        end_date=end_date, registered_side=side, created_by=actor)
    _event(agreement, AgreementEvent.Kind.REGISTERED, actor,
           data={"side": side, "kind": agreement.kind, "hours": str(hours)})
    return agreement


def _locked(agreement_id: int) -> Agreement:
    return (Agreement.objects.select_for_update(of=("self",))
            .select_related("recognition__unit", "recognition__programme",
                            "recognition__partnership", "mentor", "learner")
            .get(pk=agreement_id))


@transaction.atomic
def confirm_agreement(*, actor, agreement_id: int) -> Agreement:
    """The other side confirms: the rules are checked again, and the agreement runs."""
    agreement = _locked(agreement_id)
    side = side_of(actor, agreement)
    if side is None:
        raise PermissionDenied(_("Only the enterprise or a learner coach of the training "
                                 "provider can confirm this agreement."))
    if agreement.state != Agreement.State.DRAFT:
        raise ValidationError(_("This agreement is no longer waiting for confirmation."))
    if side == agreement.registered_side:
        raise ValidationError(_("The other side confirms the agreement: %(side)s.") % {
            "side": Agreement.Side.PROVIDER.label if side == Agreement.Side.ENTERPRISE
            else Agreement.Side.ENTERPRISE.label})
    _lock_mentor(agreement.mentor_id)
    _raise(_check_rules(recognition=agreement.recognition, mentor_id=agreement.mentor_id,
                        start=agreement.start_date, end=agreement.end_date,
                        exclude_id=agreement.pk, today=None,
                        counted_states=(Agreement.State.ACTIVE,)))
    agreement.activate()
    agreement.confirmed_at = timezone.now()
    agreement.confirmed_by = actor
    if side == Agreement.Side.PROVIDER and agreement.coach_id is None:
        agreement.coach = actor
    agreement.save()
    _event(agreement, AgreementEvent.Kind.ACTIVATED, actor, data={"side": side})
    return agreement


@transaction.atomic
def end_agreement(*, actor, agreement_id: int, on_day: date, note: str) -> Agreement:
    """Either party ends the agreement before its end date (or withdraws a registration that
    waits for confirmation), with the reason."""
    agreement = _locked(agreement_id)
    if side_of(actor, agreement) is None:
        raise PermissionDenied(_("Only the enterprise or a learner coach of the training "
                                 "provider can end this agreement."))
    if agreement.state not in Agreement.RUNNING_STATES:
        raise ValidationError(_("This agreement has ended already."))
    errors = {}
    if not note.strip():
        errors["note"] = [_("Say why the agreement ends.")]
    if on_day < agreement.start_date and agreement.state == Agreement.State.ACTIVE:
        errors.setdefault("on_day", []).append(_(
            "The last day cannot be before the start (%(date)s).") % {
                "date": _day(agreement.start_date)})
    if on_day >= agreement.end_date:
        errors.setdefault("on_day", []).append(_(
            "The agreement ends on %(date)s anyway: an early end is before that day.") % {
                "date": _day(agreement.end_date)})
    if errors:
        raise ValidationError(errors)
    previous = agreement.state
    agreement.end_early()
    agreement.ended_on = max(on_day, agreement.start_date)
    agreement.end_reason = Agreement.EndReason.PARTY
    agreement.end_note = note.strip()
    agreement.save()
    _event(agreement, AgreementEvent.Kind.ENDED_EARLY, actor, message=agreement.end_note,
           data={"from": previous, "reason": Agreement.EndReason.PARTY,
                 "ended_on": agreement.ended_on.isoformat()})
    return agreement


@transaction.atomic
def change_mentor(*, actor, agreement_id: int, mentor_id: int) -> Agreement:
    """The enterprise names another mentor of the recognition for a running agreement; the
    rules are checked for the new mentor over the rest of the period."""
    agreement = _locked(agreement_id)
    if not is_enterprise_side(actor, agreement.enterprise_id):
        raise PermissionDenied(_("Only the enterprise names the mentor."))
    if agreement.state not in Agreement.RUNNING_STATES:
        raise ValidationError(_("This agreement has ended already."))
    if int(mentor_id) == agreement.mentor_id:
        raise ValidationError({"mentor": [_("This is already the learner's mentor.")]})
    today = timezone.localdate()
    _lock_mentor(mentor_id)
    _raise(check_rules(recognition=agreement.recognition, mentor_id=mentor_id,
                       start=max(today, agreement.start_date), end=agreement.end_date,
                       exclude_id=agreement.pk))
    previous = agreement.mentor_id
    agreement.mentor_id = int(mentor_id)
    agreement.save(update_fields=["mentor"])
    _event(agreement, AgreementEvent.Kind.MENTOR_CHANGED, actor,
           data={"from": previous, "to": agreement.mentor_id})
    return agreement


def finish_agreements(*, today: date | None = None) -> int:
    """Running agreements past their end date end normally (daily; safe to run again).
    Registrations never confirmed before their end date lapse the same way, as ended early."""
    today = today or timezone.localdate()
    due = list(Agreement.objects.filter(state__in=Agreement.RUNNING_STATES,
                                        end_date__lt=today).values_list("pk", flat=True))
    finished = 0
    for pk in due:
        with transaction.atomic():
            agreement = Agreement.objects.select_for_update().filter(
                pk=pk, state__in=Agreement.RUNNING_STATES, end_date__lt=today).first()
            if agreement is None:
                continue
            previous = agreement.state
            if previous == Agreement.State.ACTIVE:
                agreement.finish()
                agreement.save()
                _event(agreement, AgreementEvent.Kind.ENDED, None)
            else:
                agreement.end_early()
                agreement.ended_on = agreement.end_date
                agreement.end_reason = Agreement.EndReason.PARTY
                agreement.end_note = _("never confirmed")
                agreement.save()
                _event(agreement, AgreementEvent.Kind.ENDED_EARLY, None,
                       message=agreement.end_note, data={"from": previous})
            finished += 1
    return finished


@transaction.atomic
def reveal_national_number(*, actor, agreement: Agreement) -> str:
    """The learner's national register number in clear, for someone the caller found may see
    the agreement; each look is recorded in the personal-data access register."""
    from werkplek.core.identifiers import format_national_number
    from werkplek.core.personal_data import decrypt, log_reveal

    log_reveal(user=actor, subject=f"learner:{agreement.learner_id}", purpose="agreement")
    return format_national_number(decrypt(agreement.learner.national_number_encrypted))
