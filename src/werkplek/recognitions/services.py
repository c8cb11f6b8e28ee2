"""Every change to a recognition over its life: granting (and renewing), the end of its validity
(reminders, expiry), its mentors, monitoring (findings, support actions) and sanctions.

Each service is one action: keyword-only arguments with the acting user first, one transaction,
the permission checked inside, the transition of the state machine, a `RecognitionEvent` for the
timeline, and its letters and e-mails enqueued on commit. The daily jobs (`send_end_reminders`,
`expire_recognitions`, `end_exclusions`, `remind_support_follow_ups`) are safe to run again: each
row is changed once, under a row lock, and what was done is recorded on the row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from werkplek.accounts.models import Membership, Role
from werkplek.agreements.models import Agreement
from werkplek.core.deadlines import (
    expiry_reminder_day,
    months_before,
    recognition_validity,
    renewal_start,
)

from .models import (
    REMINDER_MONTHS,
    Counter,
    Finding,
    MentorDocument,
    Recognition,
    RecognitionEvent,
    RecognitionMentor,
    Sanction,
    SupportAction,
)

# The conditions and duties a finding can be about.
FINDING_CONDITIONS = ("financial_capacity", "no_convictions", "infrastructure", "mentor",
                      "commitments")
# Renewal can be asked from this many months before the end of the recognition.
RENEWAL_OPENS_MONTHS = 6


class StaleRecognition(ValidationError):
    """The page the change was made on is out of date: someone changed the recognition."""


# --- who may act ---------------------------------------------------------------------------------

def is_enterprise_user(user, enterprise_id: int) -> bool:
    """The enterprise's legal representative or employer staff (not a coach)."""
    return bool(getattr(user, "is_authenticated", False)) and Membership.objects.filter(
        user=user, enterprise_id=enterprise_id, is_active=True,
        role__in=[Role.REPRESENTATIVE, Role.EMPLOYER]).exists()


def is_partnership_handler(user, partnership_id: int) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and Membership.objects.filter(
        user=user, partnership_id=partnership_id, role=Role.HANDLER, is_active=True).exists()


def _locked(recognition_id: int) -> Recognition:
    return (Recognition.objects.select_for_update(of=("self",))
            .select_related("enterprise", "unit", "programme", "partnership")
            .get(pk=recognition_id))


def _check_version(recognition: Recognition, version: int | None) -> None:
    if version is not None and int(version) != recognition.version:
        raise StaleRecognition(_("Someone changed this recognition meanwhile. Nothing was "
                                 "changed: look at the current state and try again."),
                               code="stale")


def _as_handler(actor, recognition_id: int, version: int | None = None) -> Recognition:
    recognition = _locked(recognition_id)
    if not is_partnership_handler(actor, recognition.partnership_id):
        raise PermissionDenied(_("Only a case handler of the competent partnership can do this."))
    _check_version(recognition, version)
    return recognition


def _as_enterprise(actor, recognition_id: int, version: int | None = None) -> Recognition:
    recognition = _locked(recognition_id)
    if not is_enterprise_user(actor, recognition.enterprise_id):
        raise PermissionDenied(_("Only the enterprise's representatives and employer staff can "
                                 "do this."))
    _check_version(recognition, version)
    return recognition


def _save(recognition: Recognition) -> None:
    recognition.version += 1
    recognition.save()


def _event(recognition: Recognition | None, kind: str, actor, *, enterprise_id: int | None = None,
           previous: str | None = None, message: str = "", data: dict | None = None,
           sanction: Sanction | None = None) -> RecognitionEvent:
    return RecognitionEvent.objects.create(
        enterprise_id=enterprise_id or recognition.enterprise_id, recognition=recognition,
        sanction=sanction, kind=kind, actor=actor, from_state=previous or "",
        to_state=recognition.state if (recognition is not None and previous) else "",
        message=message, data=data or {})


def _notify(event: RecognitionEvent, purpose: str) -> None:
    from werkplek.notices.services import notify_recognition_event

    notify_recognition_event(event=event, purpose=purpose)


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# --- granting and renewing -----------------------------------------------------------------------

@transaction.atomic
def grant(*, actor, application, mentors, on_day: date | None = None) -> Recognition:
    """The recognition an approved application (or an appeal that overturned its refusal) gives:
    5 years from the day of the decision, with `mentors`. A renewal continues the recognition
    it renews without a gap: it starts the day after that one ends, which is then *renewed*;
    running agreements move to the new recognition. Called inside the decision's transaction."""
    on_day = on_day or timezone.localdate()
    previous = None
    if application.renews_id:
        previous = _locked(application.renews_id)
    active = (Recognition.objects.select_for_update()
              .filter(unit_id=application.unit_id, programme_id=application.programme_id,
                      state=Recognition.State.ACTIVE).first())
    if active is not None and (previous is None or active.pk != previous.pk):
        raise ValidationError(_("This establishment unit is already recognised for this "
                                "programme until %(date)s.") % {"date": _day(active.valid_until)})
    exclusion = exclusion_in_force(enterprise_id=application.enterprise_id,
                                   unit_id=application.unit_id, today=on_day)
    if exclusion is not None:
        raise ValidationError(_("The enterprise or this establishment unit is excluded (sanction "
                                "%(reference)s): no recognition can be granted while the "
                                "exclusion lasts.") % {"reference": exclusion.reference},
                              code="excluded")
    banned = [mentor for mentor in mentors
              if application.programme_id in banned_programme_ids(mentor.pk)]
    mentors = [mentor for mentor in mentors if mentor not in banned]
    if not mentors:
        if banned:
            raise ValidationError(_("%(names)s may no longer coach learners for this programme "
                                    "(mentor ban): a recognition needs another mentor.") % {
                "names": ", ".join(mentor.full_name for mentor in banned)}, code="banned")
        raise ValidationError(_("A recognition needs at least one confirmed mentor."))
    start = on_day
    if previous is not None and previous.state == Recognition.State.ACTIVE:
        start = renewal_start(previous.valid_until, on_day)
        previous_state = previous.state
        previous.renew()
        _save(previous)
    else:
        previous_state = None
    validity = recognition_validity(start)
    recognition = Recognition.objects.create(
        enterprise_id=application.enterprise_id, unit_id=application.unit_id,
        programme_id=application.programme_id, partnership_id=application.partnership_id,
        # An expired predecessor stays linked: the renewal came late, with a gap.
        application=application, previous=previous,
        valid_from=start, valid_until=validity.day, validity_rule=validity.rule,
        created_by=actor)
    # A mentor who continues from the renewed recognition keeps the day they became its mentor
    # (the mentor-training deadline counts from it).
    earlier = dict(previous.mentor_links.filter(is_active=True).values_list(
        "mentor_id", "since")) if previous_state else {}
    RecognitionMentor.objects.bulk_create([
        RecognitionMentor(recognition=recognition, mentor=mentor,
                          since=earlier.get(mentor.pk, start))
        for mentor in mentors])
    data = {"application": application.pk, "valid_from": start.isoformat(),
            "valid_until": validity.day.isoformat()}
    if previous_state:
        moved = list(Agreement.objects.filter(recognition=previous,
                                              state__in=[Agreement.State.ACTIVE,
                                                         Agreement.State.DRAFT])
                     .values_list("pk", flat=True))
        Agreement.objects.filter(pk__in=moved).update(recognition=recognition)
        data.update(previous=previous.pk, agreements_moved=moved)
        _event(previous, RecognitionEvent.Kind.RENEWED, actor, previous=previous_state,
               data={"successor": recognition.pk, "valid_from": start.isoformat()})
    _event(recognition, RecognitionEvent.Kind.GRANTED, actor, data=data)
    return recognition


def renewal_opens_on(recognition: Recognition) -> date:
    """The first day a renewal can be asked: 6 months before the recognition ends."""
    return months_before(recognition.valid_until, RENEWAL_OPENS_MONTHS)


def renewal_problem(recognition: Recognition, *, today: date | None = None) -> str | None:
    """Why this recognition cannot be renewed now (None when it can)."""
    today = today or timezone.localdate()
    if recognition.state != Recognition.State.ACTIVE:
        return _("Only an active recognition can be renewed.")
    if today < renewal_opens_on(recognition):
        return _("A renewal can be asked from %(date)s, 6 months before the recognition "
                 "ends.") % {"date": _day(renewal_opens_on(recognition))}
    from werkplek.applications.models import Application

    open_renewal = recognition.renewal_applications.exclude(
        state__in=[Application.State.REFUSED, Application.State.LAPSED,
                   Application.State.WITHDRAWN]).first()
    if open_renewal is not None:
        return _("A renewal has already been started: %(reference)s.") % {
            "reference": str(open_renewal)}
    return None


@transaction.atomic
def start_renewal(*, actor, recognition_id: int):
    """A draft application that renews the recognition, prefilled from it: the unit, the
    programme, the workplace answers and documents of the application that led to it (except the
    declaration on honour, which is signed anew) and its active mentors. Only what changed needs
    to be entered."""
    from werkplek.applications.models import Application, ApplicationEvent, ApplicationMentor
    from werkplek.applications.services import acting_role

    recognition = _locked(recognition_id)
    role = acting_role(actor, recognition.enterprise, unit=recognition.unit)
    if role is None:
        raise PermissionDenied(_("You may not apply for this enterprise."))
    problem = renewal_problem(recognition)
    if problem:
        raise ValidationError(problem, code="no_renewal")
    source = recognition.application
    draft = Application.objects.create(
        enterprise=recognition.enterprise, unit=recognition.unit,
        programme=recognition.programme, created_by=actor, filed_by=role, renews=recognition,
        activities_offered=source.activities_offered if source else None,
        financial_capacity=source.financial_capacity if source else None,
        has_convictions=source.has_convictions if source else None,
        infrastructure_fits=source.infrastructure_fits if source else None)
    source_entries = {e.mentor_id: e for e in source.mentors.all()} if source else {}
    links = recognition.mentor_links.filter(is_active=True).select_related("mentor")
    for link in links:
        earlier = source_entries.get(link.mentor_id)
        training = (ApplicationMentor.Training.DONE if link.mentor.mentor_training_completed_on
                    else (earlier.training if earlier else link.training
                          or ApplicationMentor.Training.WILL_FOLLOW))
        entry = ApplicationMentor.objects.create(
            application=draft, mentor=link.mentor,
            years_of_experience=(earlier.years_of_experience if earlier
                                 else link.years_of_experience
                                 or link.mentor.years_of_experience),
            derogation_requested=earlier.derogation_requested if earlier else False,
            training=training)
        if earlier is not None:
            _copy_documents(earlier.documents.all(), draft, entry)
        else:
            _copy_documents(link.documents.all(), draft, entry)
    if source is not None:
        from werkplek.applications.models import Document

        _copy_documents(source.documents.filter(mentor__isnull=True).exclude(
            kind__in=[Document.Kind.DECLARATION_ON_HONOUR, Document.Kind.MANDATE]), draft, None)
    ApplicationEvent.objects.create(
        application=draft, kind=ApplicationEvent.Kind.CREATED, actor=actor,
        to_state=Application.State.DRAFT, data={"renews": recognition.pk})
    return draft


def _copy_file(field, new_field) -> None:
    """Store a copy of a private file under a new random name (deleting one document never
    takes the other's file)."""
    with field.storage.open(field.name, "rb") as handle:
        new_field.save("copy", handle, save=False)


def _copy_documents(documents, application, entry) -> None:
    """Copy application documents, or a mentor's documents of a recognition, to the renewal
    draft (each file copied under a new random name)."""
    from werkplek.applications.models import Document

    for document in documents:
        copy = Document(application=application, kind=document.kind, mentor=entry,
                        extra_code=getattr(document, "extra_code", ""),
                        original_name=document.original_name,
                        content_type=document.content_type, size=document.size,
                        sha256=document.sha256, uploaded_by=document.uploaded_by)
        _copy_file(document.file, copy.file)
        copy.save()


# --- the end of the validity: the daily jobs -----------------------------------------------------

def send_end_reminders(*, today: date | None = None) -> int:
    """Remind the enterprise 6 and 2 months before a recognition ends (an official e-mail), once
    each: reads only active recognitions whose reminder day has come (by the state and end-date
    index), and marks each one under a row lock. A recognition already continued by a renewal is
    *renewed*, not active, and is not reminded. Returns the number of reminders."""
    today = today or timezone.localdate()
    sent = 0
    for months in sorted(REMINDER_MONTHS):  # 2 before 6: the nearest end wins
        marker = f"reminded_{months}m_on"
        # valid_until <= today + months  ⇔  the reminder day (valid_until - months) <= today.
        last_day = _months_after(today, months)
        due = (Recognition.objects.filter(state=Recognition.State.ACTIVE,
                                          valid_until__lte=last_day, valid_until__gte=today,
                                          **{f"{marker}__isnull": True})
               .values_list("pk", flat=True).order_by("valid_until", "pk"))
        for pk in list(due):
            with transaction.atomic():
                recognition = (Recognition.objects.select_for_update()
                               .filter(pk=pk, state=Recognition.State.ACTIVE,
                                       **{f"{marker}__isnull": True}).first())
                if recognition is None or expiry_reminder_day(recognition.valid_until,
                                                              months) > today:
                    continue
                setattr(recognition, marker, today)
                fields = [marker]
                # The 6-month reminder is not sent after the 2-month one.
                for other in REMINDER_MONTHS:
                    if other > months and getattr(recognition, f"reminded_{other}m_on") is None:
                        setattr(recognition, f"reminded_{other}m_on", today)
                        fields.append(f"reminded_{other}m_on")
                recognition.save(update_fields=fields)
                event = _event(recognition, RecognitionEvent.Kind.REMINDER, None, data={
                    "months": months, "valid_until": recognition.valid_until.isoformat()})
                from werkplek.notices.models import Delivery

                _notify(event, Delivery.Purpose.EXPIRY_REMINDER)
                sent += 1
    return sent


def _months_after(day: date, months: int) -> date:
    """The last `valid_until` whose reminder `months` before is due by `day`."""
    import calendar

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    # If `day` is the last day of its month, every end day up to the end of the target month
    # has its reminder day (clamped to a shorter month) on or before `day`.
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return date(year, month, last)
    return date(year, month, min(day.day, last))


def expire_recognitions(*, today: date | None = None) -> int:
    """End the active recognitions whose last day has passed (by the state and end-date index),
    with an e-mail to the enterprise; their running agreements end with them. A renewed
    recognition is continued by the next one and stays as it is. Returns how many expired."""
    from werkplek.notices.models import Delivery

    today = today or timezone.localdate()
    due = list(Recognition.objects.filter(state=Recognition.State.ACTIVE,
                                          valid_until__lt=today)
               .order_by("valid_until", "pk").values_list("pk", flat=True))
    expired = 0
    for pk in due:
        with transaction.atomic():
            recognition = (Recognition.objects.select_for_update()
                           .filter(pk=pk, state=Recognition.State.ACTIVE,
                                   valid_until__lt=today).first())
            if recognition is None:
                continue
            previous = recognition.state
            recognition.expire()
            recognition.ended_on = recognition.valid_until
            _save(recognition)
            ended = _end_agreements(
                Agreement.objects.filter(recognition=recognition,
                                         state__in=[Agreement.State.ACTIVE,
                                                    Agreement.State.DRAFT],
                                         end_date__gt=recognition.valid_until),
                on_day=recognition.valid_until, reason=Agreement.EndReason.RECOGNITION_END,
                actor=None, sanction=None)
            event = _event(recognition, RecognitionEvent.Kind.EXPIRED, None, previous=previous,
                           data={"valid_until": recognition.valid_until.isoformat(),
                                 "agreements_ended": ended})
            _notify(event, Delivery.Purpose.EXPIRY)
            expired += 1
    return expired


def end_exclusions(*, today: date | None = None) -> int:
    """End the temporary exclusions whose last day has passed: the enterprise (or unit) may
    apply again. The recognitions they ended stay ended."""
    today = today or timezone.localdate()
    due = list(Sanction.objects.filter(kind=Sanction.Kind.EXCLUSION,
                                       state=Sanction.State.IN_FORCE, ends_on__lt=today)
               .values_list("pk", flat=True))
    ended = 0
    for pk in due:
        with transaction.atomic():
            sanction = Sanction.objects.select_for_update().filter(
                pk=pk, state=Sanction.State.IN_FORCE).first()
            if sanction is None:
                continue
            sanction.end()
            sanction.save()
            event = _event(sanction.recognition, RecognitionEvent.Kind.SANCTION_ENDED, None,
                           sanction=sanction, data={"ends_on": sanction.ends_on.isoformat(),
                                                    "sanction": sanction.pk,
                                                    "reference": sanction.reference})
            from werkplek.notices.models import Delivery

            _notify(event, Delivery.Purpose.EXCLUSION_ENDED)
            ended += 1
    return ended


# --- mentors during the validity -----------------------------------------------------------------

@dataclass
class MentorCheck:
    """The conditions module's verdict on a mentor added to a recognition."""
    met: bool
    problems: list[str] = field(default_factory=list)


def banned_programme_ids(mentor_id: int, *, today: date | None = None) -> set[int]:
    """The programmes a mentor may not coach for, by a mentor ban in force."""
    from werkplek.catalog.models import Programme

    return set(Programme.objects.filter(
        pk__in=Sanction.programmes.through.objects.filter(
            sanction__mentor_id=mentor_id, sanction__kind=Sanction.Kind.MENTOR_BAN,
            sanction__state=Sanction.State.IN_FORCE).values("programme_id"))
        .values_list("pk", flat=True))


def check_new_mentor(*, recognition: Recognition, mentor, years_of_experience: int,
                     training: str, has_extract: bool, has_proof: bool,
                     on_day: date | None = None) -> MentorCheck:
    """Check a mentor for a recognition with the conditions module (the same rules as the
    application), and the sanctions: a banned mentor is refused."""
    from werkplek.conditions.adapters import sector_rules_from_partnership
    from werkplek.conditions.rules import check_mentor
    from werkplek.conditions.types import MentorFacts, Status, TrainingStatus

    on_day = on_day or timezone.localdate()
    rules = sector_rules_from_partnership(recognition.partnership)
    short = years_of_experience < rules.min_experience_years
    facts = MentorFacts(
        name=mentor.full_name, birth_date=mentor.birth_date,
        years_of_experience=years_of_experience, has_criminal_record_extract=has_extract,
        has_prior_education_proof=has_proof if short else None,
        training=TrainingStatus(training),
        # Per-mentor sector documents are asked in an application; here they are not.
        extra_documents=frozenset(d.code for d in rules.extra_documents if d.scope == "mentor"))
    result = check_mentor(facts, rules, on_day)
    problems = [f"{c.title}: {c.reason}" + (f" {c.next_step}" if c.next_step else "")
                for c in result.conditions if c.status != Status.MET]
    if recognition.programme_id in banned_programme_ids(mentor.pk):
        problems.append(_("%(name)s may no longer coach learners for this programme (mentor "
                          "ban).") % {"name": mentor.full_name})
    return MentorCheck(met=not problems, problems=problems)


@transaction.atomic
def add_mentor(*, actor, recognition_id: int, version: int | None = None, mentor,
               years_of_experience: int, training: str, extract=None, proof=None,
               replaces_link_id: int | None = None) -> RecognitionMentor:
    """Add a mentor to a recognition in force, checked by the conditions module (age,
    experience, the criminal-record extract, training, no mentor ban); refused with every reason
    when a condition is not met. With `replaces_link_id`, the mentor replaces another one: that
    one is deactivated and its running agreements move to the new mentor."""
    recognition = _as_enterprise(actor, recognition_id, version)
    if not recognition.in_force() and not (
            recognition.state == Recognition.State.ACTIVE
            and recognition.valid_from > timezone.localdate()):
        raise ValidationError(_("Mentors can only be changed while the recognition is in "
                                "force."), code="not_in_force")
    if mentor.enterprise_id != recognition.enterprise_id:
        raise ValidationError(_("This mentor does not work for the enterprise."))
    existing = recognition.mentor_links.filter(mentor=mentor).first()
    if existing is not None and existing.is_active:
        raise ValidationError(_("%(name)s is already a mentor of this recognition.")
                              % {"name": mentor.full_name}, code="already")
    check = check_new_mentor(recognition=recognition, mentor=mentor,
                             years_of_experience=years_of_experience, training=training,
                             has_extract=extract is not None, has_proof=proof is not None)
    if not check.met:
        raise ValidationError(check.problems, code="conditions")
    old = None
    if replaces_link_id:
        old = recognition.mentor_links.select_related("mentor").filter(
            pk=replaces_link_id, is_active=True).first()
        if old is None or old.mentor_id == mentor.pk:
            raise ValidationError(_("The mentor to replace is no longer active."))
    today = timezone.localdate()
    if existing is not None:  # a former mentor comes back; the day they first became its
        # mentor stays (the mentor-training deadline counts from it)
        link = existing
        link.is_active, link.until, link.end_reason = True, None, ""
    else:
        link = RecognitionMentor(recognition=recognition, mentor=mentor, since=today)
    link.years_of_experience = years_of_experience
    link.training = training
    link.added_by = actor
    link.save()
    if extract is not None:
        MentorDocument(link=link, kind=MentorDocument.Kind.CRIMINAL_RECORD_EXTRACT).store(
            extract, actor=actor)
    if proof is not None:
        MentorDocument(link=link, kind=MentorDocument.Kind.PRIOR_EDUCATION_PROOF).store(
            proof, actor=actor)
    data = {"mentor": mentor.pk, "name": mentor.full_name}
    if old is not None:
        moved = _deactivate(actor=actor, recognition=recognition, link=old,
                            reason=_("replaced by %(name)s") % {"name": mentor.full_name},
                            move_to=mentor)
        data.update(replaces=old.mentor_id, agreements_moved=moved)
    _save(recognition)
    _event(recognition, RecognitionEvent.Kind.MENTOR_ADDED, actor, data=data)
    return link


def _deactivate(*, actor, recognition: Recognition, link: RecognitionMentor, reason: str,
                move_to=None) -> list[int]:
    link.is_active = False
    link.until = timezone.localdate()
    link.end_reason = reason[:200]
    link.save(update_fields=["is_active", "until", "end_reason"])
    moved: list[int] = []
    if move_to is not None:
        running = Agreement.objects.filter(recognition=recognition, mentor_id=link.mentor_id,
                                           state__in=[Agreement.State.ACTIVE,
                                                      Agreement.State.DRAFT])
        moved = list(running.values_list("pk", flat=True))
        _change_mentor(moved, mentor=move_to, actor=actor, message=reason)
    _event(recognition, RecognitionEvent.Kind.MENTOR_DEACTIVATED, actor, message=reason,
           data={"mentor": link.mentor_id, "name": link.mentor.full_name,
                 "agreements_moved": moved})
    return moved


@transaction.atomic
def deactivate_mentor(*, actor, recognition_id: int, link_id: int, version: int | None = None,
                      reason: str = "") -> RecognitionMentor:
    """A mentor no longer coaches for this recognition (left, or another role). Refused while
    they coach a running agreement: replace them instead, so the learner keeps a mentor. A
    recognition left without an active mentor is flagged to the partnership's handlers."""
    recognition = _as_enterprise(actor, recognition_id, version)
    link = recognition.mentor_links.select_related("mentor").filter(pk=link_id).first()
    if link is None or not link.is_active:
        raise ValidationError(_("This mentor is no longer active for this recognition."))
    running = Agreement.objects.filter(recognition=recognition, mentor_id=link.mentor_id,
                                       state__in=[Agreement.State.ACTIVE,
                                                  Agreement.State.DRAFT]).count()
    if running:
        raise ValidationError(ngettext(
            "%(name)s coaches %(count)s running agreement: replace them by another mentor "
            "instead.",
            "%(name)s coaches %(count)s running agreements: replace them by another mentor "
            "instead.", running) % {"name": link.mentor.full_name, "count": running},
            code="coaching")
    _deactivate(actor=actor, recognition=recognition, link=link,
                reason=reason.strip() or _("no longer a mentor"))
    _save(recognition)
    return link


def move_problems(agreement: Agreement, mentor) -> list[str]:
    """Why `agreement` cannot move to `mentor` (the agreements' rules: an active, unbanned,
    trained-in-time mentor of its recognition, within the partnership's cap over the rest of
    its period, counting what moved before it in the same transaction)."""
    from werkplek.agreements.services import check_rules

    today = timezone.localdate()
    check = check_rules(recognition=agreement.recognition, mentor_id=mentor.pk,
                        start=max(today, agreement.start_date), end=agreement.end_date,
                        exclude_id=agreement.pk, today=today)
    # Whether the start is still covered is the agreement's own matter, not the mentor's.
    return [message for field, message in check.problems if field == "mentor"]


def _change_mentor(agreement_ids: list[int], *, mentor, actor, message: str,
                   sanction: Sanction | None = None, field: str = "mentor") -> None:
    """Give running agreements another mentor, one by one, each checked against the rules
    first; refused as a whole (the caller's transaction) when one cannot move."""
    from werkplek.agreements.models import AgreementEvent

    agreements = list(Agreement.objects.select_for_update(of=("self",)).select_related(
        "recognition__partnership", "recognition__unit", "recognition__programme", "learner")
        .filter(pk__in=agreement_ids).order_by("start_date", "pk"))
    for agreement in agreements:
        problems = move_problems(agreement, mentor)
        if problems:
            raise ValidationError({field: [
                _("The agreement of %(learner)s cannot move to %(name)s:") % {
                    "learner": agreement.learner.full_name, "name": mentor.full_name},
                *problems]})
        previous = agreement.mentor_id
        agreement.mentor = mentor
        agreement.save(update_fields=["mentor"])
        AgreementEvent.objects.create(agreement=agreement,
                                      kind=AgreementEvent.Kind.MENTOR_CHANGED, actor=actor,
                                      message=message,
                                      data={"from": previous, "to": mentor.pk,
                                            "sanction": sanction.pk if sanction else None})


def _end_agreements(queryset, *, on_day: date, reason: str, actor, sanction) -> list[int]:
    """End running agreements early on `on_day` (never after their own end), each with an
    event. Returns their ids."""
    from werkplek.agreements.models import AgreementEvent

    ended = []
    for agreement in queryset.select_for_update():
        previous = agreement.state
        agreement.end_early()
        agreement.ended_on = min(on_day, agreement.end_date)
        agreement.end_reason = reason
        agreement.ended_by = sanction
        agreement.save()
        AgreementEvent.objects.create(agreement=agreement, kind=AgreementEvent.Kind.ENDED_EARLY,
                                      actor=actor, message=str(Agreement.EndReason(reason).label),
                                      data={"from": previous, "reason": reason,
                                            "sanction": sanction.pk if sanction else None})
        ended.append(agreement.pk)
    return ended


# --- monitoring ----------------------------------------------------------------------------------

@transaction.atomic
def record_finding(*, actor, recognition_id: int, kind: str, on: date, outcome: str,
                   description: str, condition: str = "", version: int | None = None) -> Finding:
    """A handler records a site visit, a complaint or a check against a recognition."""
    recognition = _as_handler(actor, recognition_id, version)
    errors = {}
    if kind not in Finding.Kind.values:
        errors["kind"] = [_("Choose what kind of finding it is.")]
    if outcome not in Finding.Outcome.values:
        errors["outcome"] = [_("Choose whether the conditions and duties are met.")]
    if condition and condition not in FINDING_CONDITIONS:
        errors["condition"] = [_("Choose a condition or duty from the list.")]
    if on > timezone.localdate():
        errors["on"] = [_("The date of a finding cannot be in the future.")]
    if not description.strip():
        errors["description"] = [_("Describe what was found.")]
    if errors:
        raise ValidationError(errors)
    finding = Finding.objects.create(recognition=recognition, kind=kind, on=on, outcome=outcome,
                                     condition=condition, description=description.strip(),
                                     recorded_by=actor)
    _save(recognition)
    _event(recognition, RecognitionEvent.Kind.FINDING, actor, message=finding.description,
           data={"finding": finding.pk, "kind": kind, "outcome": outcome})
    return finding


@transaction.atomic
def open_support_action(*, actor, recognition_id: int, improvement: str, due_on: date,
                        finding_id: int | None = None,
                        version: int | None = None) -> SupportAction:
    """When the enterprise no longer meets a condition or a duty, the handler first opens a
    support action: what must improve, by when. The enterprise is told by e-mail and answers on
    the recognition's page."""
    from werkplek.notices.models import Delivery

    recognition = _as_handler(actor, recognition_id, version)
    if not recognition.in_force():
        raise ValidationError(_("Support actions are for a recognition in force."))
    errors = {}
    if not improvement.strip():
        errors["improvement"] = [_("Say what must improve.")]
    if due_on <= timezone.localdate():
        errors["due_on"] = [_("The deadline must be after today.")]
    if errors:
        raise ValidationError(errors)
    finding = None
    if finding_id:
        finding = recognition.findings.filter(pk=finding_id).first()
    action = SupportAction.objects.create(recognition=recognition, finding=finding,
                                          improvement=improvement.strip(), due_on=due_on,
                                          created_by=actor)
    _save(recognition)
    event = _event(recognition, RecognitionEvent.Kind.SUPPORT_OPENED, actor,
                   message=action.improvement,
                   data={"support_action": action.pk, "due_on": due_on.isoformat()})
    _notify(event, Delivery.Purpose.SUPPORT_ACTION)
    return action


def _locked_action(action_id: int) -> SupportAction:
    return (SupportAction.objects.select_for_update(of=("self",))
            .select_related("recognition").get(pk=action_id))


@transaction.atomic
def answer_support_action(*, actor, action_id: int, answer: str) -> SupportAction:
    """The enterprise says what it did (it may add to its answer until the follow-up)."""
    action = _locked_action(action_id)
    if not is_enterprise_user(actor, action.recognition.enterprise_id):
        raise PermissionDenied(_("Only the enterprise's representatives and employer staff can "
                                 "do this."))
    if action.state not in SupportAction.OPEN_STATES:
        raise ValidationError(_("This support action has been followed up already."))
    if not answer.strip():
        raise ValidationError({"answer": [_("Say what you did or will do.")]})
    action.record_answer()
    action.answer = answer.strip()
    action.answered_at = timezone.now()
    action.answered_by = actor
    action.save()
    _event(action.recognition, RecognitionEvent.Kind.SUPPORT_ANSWERED, actor,
           message=action.answer, data={"support_action": action.pk})
    return action


@transaction.atomic
def follow_up_support_action(*, actor, action_id: int, met: bool, note: str,
                             version: int | None = None) -> SupportAction:
    """On (or after) its deadline the handler follows up: met, or not met (only then may a
    sanction follow)."""
    action = _locked_action(action_id)
    recognition = _as_handler(actor, action.recognition_id, version)
    if action.state not in SupportAction.OPEN_STATES:
        raise ValidationError(_("This support action has been followed up already."))
    if met is None:
        raise ValidationError({"met": [_("Choose whether the improvement was made.")]})
    if not note.strip():
        raise ValidationError({"note": [_("Say what you found.")]})
    if not met and timezone.localdate() < action.due_on:
        raise ValidationError(_("The enterprise has until %(date)s to improve: a support action "
                                "can only be found not met from its deadline.")
                              % {"date": _day(action.due_on)})
    previous = action.state
    action.mark_met() if met else action.mark_failed()
    action.follow_up = note.strip()
    action.followed_up_at = timezone.now()
    action.followed_up_by = actor
    action.save()
    _save(recognition)
    _event(recognition, RecognitionEvent.Kind.SUPPORT_FOLLOWED_UP, actor,
           message=action.follow_up,
           data={"support_action": action.pk, "from": previous, "outcome": action.state})
    return action


def remind_support_follow_ups(*, today: date | None = None) -> int:
    """Tell the handlers (on the timeline, and in their list) that support actions reached
    their deadline, once each."""
    today = today or timezone.localdate()
    due = list(SupportAction.objects.filter(state__in=SupportAction.OPEN_STATES,
                                            due_on__lte=today,
                                            follow_up_reminded_on__isnull=True)
               .values_list("pk", flat=True))
    flagged = 0
    for pk in due:
        with transaction.atomic():
            action = (SupportAction.objects.select_for_update(of=("self",))
                      .select_related("recognition")
                      .filter(pk=pk, follow_up_reminded_on__isnull=True).first())
            if action is None:
                continue
            action.follow_up_reminded_on = today
            action.save(update_fields=["follow_up_reminded_on"])
            _event(action.recognition, RecognitionEvent.Kind.SUPPORT_DUE, None,
                   data={"support_action": action.pk, "due_on": action.due_on.isoformat()})
            flagged += 1
    return flagged


# --- sanctions -----------------------------------------------------------------------------------

def exclusion_in_force(*, enterprise_id: int, unit_id: int | None = None,
                       today: date | None = None) -> Sanction | None:
    """An exclusion in force of the enterprise, or of the unit: no new application while it
    lasts."""
    today = today or timezone.localdate()
    scope = Q(unit__isnull=True)
    if unit_id is not None:
        scope |= Q(unit_id=unit_id)
    # Not only what the daily job left in force: a temporary one past its end no longer counts.
    return (Sanction.objects.filter(scope, Q(ends_on__isnull=True) | Q(ends_on__gte=today),
                                    enterprise_id=enterprise_id, kind=Sanction.Kind.EXCLUSION,
                                    state=Sanction.State.IN_FORCE)
            .order_by("ends_on").first())


def next_reference(prefix: str, year: int) -> str:
    """S-2026-000012 (a sanction), B-2026-000003 (an appeal): one sequence per prefix and year,
    taken under a row lock by the caller's transaction."""
    key = f"{prefix}-{year}"
    if not Counter.objects.filter(key=key).exists():
        try:  # the first of the year; a concurrent transaction may create it at the same time
            with transaction.atomic():
                Counter.objects.create(key=key)
        except IntegrityError:
            pass
    counter = Counter.objects.select_for_update().get(key=key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:06d}"


@transaction.atomic
def impose_sanction(*, actor, support_action_id: int, kind: str, reasons: str,
                    mentor_id: int | None = None, programme_ids=(), whole_enterprise: bool = False,
                    ends_on: date | None = None, replacement_mentor_id: int | None = None,
                    version: int | None = None) -> Sanction:
    """Impose a sanction after a failed support action, with reasons, and apply its effects in
    the same transaction:

    - mentor ban: the mentor stops being a mentor of the enterprise's recognitions for those
      programmes; their running agreements there get `replacement_mentor_id` (another active,
      unbanned mentor of the same recognition) or end early;
    - withdrawal: the recognition (and the renewed one it continues, while in force) is
      withdrawn; its running agreements end early;
    - exclusion (of the recognition's unit, or the whole enterprise; until `ends_on` or
      definitive): every recognition in force there ends; running agreements end early; no new
      application is accepted while it lasts.

    The official letter (with the appeal route) goes to the enterprise and every coach whose
    agreement was touched."""
    from werkplek.notices.models import Letter
    from werkplek.notices.services import issue_letter

    action = _locked_action(support_action_id)
    recognition = _as_handler(actor, action.recognition_id, version)
    if action.state != SupportAction.State.FAILED:
        raise ValidationError(_("A sanction follows only a support action that was followed up "
                                "and not met."), code="support_first")
    if kind not in Sanction.Kind.values:
        raise ValidationError({"kind": [_("Choose the sanction.")]})
    errors: dict[str, list[str]] = {}
    if not reasons.strip():
        errors["reasons"] = [_("Give the reasons of the sanction: they go into the letter.")]
    today = timezone.localdate()
    mentor = programmes = replacement = None
    if kind == Sanction.Kind.MENTOR_BAN:
        link = recognition.mentor_links.select_related("mentor").filter(
            mentor_id=mentor_id).first() if mentor_id else None
        if link is None:
            errors["mentor"] = [_("Choose a mentor of this recognition.")]
        else:
            mentor = link.mentor
        from werkplek.catalog.models import Programme

        # Programmes the enterprise is recognised for (in force): a ban elsewhere means nothing.
        # The enterprise's programmes under this partnership's recognitions in force: a
        # partnership bans for what it recognised, not for another partnership's programmes.
        in_force = Recognition.objects.filter(Recognition.in_force_q(today),
                                              enterprise_id=recognition.enterprise_id,
                                              partnership_id=recognition.partnership_id)
        programmes = list(Programme.objects.filter(
            pk__in=[int(p) for p in programme_ids]).filter(
            pk__in=in_force.values("programme_id")))
        if len(programmes) != len({int(p) for p in programme_ids}):
            errors["programmes"] = [_("Choose programmes the enterprise is recognised for.")]
        elif not programmes:
            errors["programmes"] = [_("Choose at least one programme.")]
        if replacement_mentor_id:
            replacement_link = recognition.mentor_links.select_related("mentor").filter(
                mentor_id=replacement_mentor_id, is_active=True).first()
            if replacement_link is None or replacement_link.mentor_id == int(mentor_id or 0):
                errors["replacement_mentor"] = [_("Choose another active mentor of this "
                                                  "recognition.")]
            elif recognition.programme_id in banned_programme_ids(replacement_link.mentor_id):
                errors["replacement_mentor"] = [_("%(name)s may no longer coach learners for "
                                                  "this programme (mentor ban).") % {
                    "name": replacement_link.mentor.full_name}]
            else:
                replacement = replacement_link.mentor
    elif kind == Sanction.Kind.WITHDRAWAL:
        if not recognition.in_force() and recognition.state != Recognition.State.ACTIVE:
            errors["kind"] = [_("This recognition is no longer in force.")]
    elif kind == Sanction.Kind.EXCLUSION and ends_on is not None and ends_on <= today:
        errors["ends_on"] = [_("A temporary exclusion ends after today.")]
    if errors:
        raise ValidationError(errors)
    sanction = Sanction.objects.create(
        reference=next_reference("S", today.year), kind=kind,
        enterprise_id=recognition.enterprise_id, partnership_id=recognition.partnership_id,
        recognition=recognition, support_action=action, mentor=mentor,
        unit=None if (kind == Sanction.Kind.EXCLUSION and whole_enterprise) else recognition.unit,
        ends_on=ends_on if kind == Sanction.Kind.EXCLUSION else None, reasons=reasons.strip(),
        imposed_on=today, imposed_by=actor)
    if kind != Sanction.Kind.EXCLUSION:
        sanction.unit = None
    if programmes:
        sanction.programmes.set(programmes)
    effects: dict = {"recognitions": [], "agreements_ended": [], "agreements_reassigned": [],
                     "mentor_links": []}
    if kind == Sanction.Kind.MENTOR_BAN:
        _apply_mentor_ban(sanction, actor=actor, replacement=replacement, effects=effects)
    else:
        if kind == Sanction.Kind.WITHDRAWAL:
            targets = [recognition]
            if recognition.previous_id:
                targets.append(recognition.previous)
            if hasattr(recognition, "successor"):
                targets.append(recognition.successor)
            reason = Agreement.EndReason.WITHDRAWAL
        else:
            scope = Q(enterprise_id=recognition.enterprise_id)
            if sanction.unit_id:
                scope &= Q(unit_id=sanction.unit_id)
            # The locked recognition itself stands for its own row (one object per row).
            targets = [recognition if target.pk == recognition.pk else target
                       for target in Recognition.objects.select_for_update().filter(
                           scope, Recognition.in_force_q(today)).order_by("pk")]
            reason = Agreement.EndReason.EXCLUSION
        for target in targets:
            # A renewed recognition past its last day is over: its successor carries on.
            if target.state not in Recognition.IN_FORCE_STATES or target.valid_until < today:
                continue
            previous = target.state
            target.withdraw() if kind == Sanction.Kind.WITHDRAWAL else target.exclude()
            target.ended_on = today
            target.ended_by = sanction
            _save(target)
            effects["recognitions"].append({"id": target.pk, "from": previous})
            ended = _end_agreements(
                Agreement.objects.filter(recognition=target,
                                         state__in=[Agreement.State.ACTIVE,
                                                    Agreement.State.DRAFT]),
                on_day=today, reason=reason, actor=actor, sanction=sanction)
            effects["agreements_ended"] += ended
            _event(target, RecognitionEvent.Kind.WITHDRAWN if kind == Sanction.Kind.WITHDRAWAL
                   else RecognitionEvent.Kind.EXCLUDED, actor, previous=previous,
                   sanction=sanction, message=sanction.reasons,
                   data={"sanction": sanction.pk, "agreements_ended": ended})
    sanction.effects = effects
    sanction.save()
    if recognition.state in Recognition.IN_FORCE_STATES:
        _save(recognition)
    _event(recognition, RecognitionEvent.Kind.SANCTION, actor, sanction=sanction,
           message=sanction.reasons,
           data={"sanction": sanction.pk, "kind": kind, "reference": sanction.reference,
                 "effects": effects})
    issue_letter(kind=Letter.Kind.SANCTION, actor=actor, sanction=sanction)
    return sanction


def _apply_mentor_ban(sanction: Sanction, *, actor, replacement, effects: dict) -> None:
    programme_ids = list(sanction.programmes.values_list("pk", flat=True))
    links = (RecognitionMentor.objects.select_for_update(of=("self",))
             .select_related("recognition", "mentor")
             .filter(mentor=sanction.mentor, is_active=True,
                     recognition__enterprise_id=sanction.enterprise_id,
                     recognition__partnership_id=sanction.partnership_id,
                     recognition__programme_id__in=programme_ids,
                     recognition__in=Recognition.objects.filter(
                         Recognition.in_force_q(sanction.imposed_on))))
    reason = _("mentor ban %(reference)s") % {"reference": sanction.reference}
    for link in links:
        recognition = link.recognition
        link.is_active = False
        link.until = sanction.imposed_on
        link.end_reason = reason
        link.save(update_fields=["is_active", "until", "end_reason"])
        effects["mentor_links"].append(link.pk)
        running = Agreement.objects.filter(recognition=recognition, mentor=sanction.mentor,
                                           state__in=[Agreement.State.ACTIVE,
                                                      Agreement.State.DRAFT])
        # The replacement is a mentor of the sanctioned recognition; elsewhere agreements end.
        if replacement is not None and recognition.pk == sanction.recognition_id:
            ids = list(running.values_list("pk", flat=True))
            _change_mentor(ids, mentor=replacement, actor=actor, message=reason,
                           sanction=sanction, field="replacement_mentor")
            effects["agreements_reassigned"] += [
                {"id": pk, "from_mentor": sanction.mentor_id, "to_mentor": replacement.pk}
                for pk in ids]
        else:
            effects["agreements_ended"] += _end_agreements(
                running, on_day=sanction.imposed_on, reason=Agreement.EndReason.MENTOR_BAN,
                actor=actor, sanction=sanction)
        _event(recognition, RecognitionEvent.Kind.MENTOR_DEACTIVATED, actor, sanction=sanction,
               message=reason, data={"mentor": sanction.mentor_id,
                                     "name": sanction.mentor.full_name})


@transaction.atomic
def lift_sanction(*, actor, sanction_id: int, reasons: str) -> Sanction:
    """Lift a sanction that an appeal overturned, and reverse its effects where possible:
    recognitions it ended are restored while their validity runs (and no other recognition took
    their place); the banned mentor is a mentor again; agreements it ended run again when their
    end date is still ahead and the learner has no other running agreement. Called by the
    appeal's decision, which checks the committee member."""
    sanction = Sanction.objects.select_for_update().get(pk=sanction_id)
    if sanction.state == Sanction.State.LIFTED:
        raise ValidationError(_("This sanction has been lifted already."))
    sanction.lift()
    sanction.lifted_at = timezone.now()
    # Saved at once: the reversals below read whether the mentor is still banned.
    sanction.save()
    today = timezone.localdate()
    effects = dict(sanction.effects or {})
    reversed_: dict[str, list] = {"recognitions": [], "agreements": [], "mentor_links": [],
                                  "not_restored": []}
    for item in effects.get("recognitions", []):
        target = Recognition.objects.select_for_update().get(pk=item["id"])
        taken = Recognition.objects.filter(unit_id=target.unit_id,
                                           programme_id=target.programme_id,
                                           state=Recognition.State.ACTIVE).exists()
        if target.valid_until < today or (item["from"] == Recognition.State.ACTIVE and taken):
            reversed_["not_restored"].append(target.pk)
            continue
        previous = target.state
        if item["from"] == Recognition.State.RENEWED:
            target.reinstate_renewed()
        else:
            target.reinstate()
        target.ended_on = None
        target.ended_by = None
        _save(target)
        reversed_["recognitions"].append(target.pk)
        _event(target, RecognitionEvent.Kind.REINSTATED, actor, previous=previous,
               sanction=sanction, message=reasons)
    for link in RecognitionMentor.objects.filter(pk__in=effects.get("mentor_links", [])):
        if link.recognition.in_force() or link.recognition.state == Recognition.State.ACTIVE:
            link.is_active, link.until, link.end_reason = True, None, ""
            link.save(update_fields=["is_active", "until", "end_reason"])
            reversed_["mentor_links"].append(link.pk)
    reversed_["agreements"] = _restore_agreements(sanction, actor=actor, today=today,
                                                  message=reasons)
    reversed_["mentors_back"] = _give_back_agreements(sanction, actor=actor, message=reasons)
    effects["reversed"] = reversed_
    sanction.effects = effects
    sanction.save()
    _event(sanction.recognition, RecognitionEvent.Kind.SANCTION_LIFTED, actor,
           sanction=sanction, message=reasons, data={"sanction": sanction.pk,
                                                     "reversed": reversed_})
    return sanction


def _restore_agreements(sanction: Sanction, *, actor, today: date, message: str) -> list[int]:
    from werkplek.agreements.models import AgreementEvent

    restored = []
    for agreement in Agreement.objects.select_for_update(of=("self",)).select_related(
            "recognition").filter(ended_by=sanction, state=Agreement.State.ENDED_EARLY):
        busy = Agreement.objects.filter(
            learner_id=agreement.learner_id, state__in=Agreement.RUNNING_STATES,
            start_date__lte=agreement.end_date, end_date__gte=today).exists()
        if agreement.end_date < today or busy or not agreement.recognition.in_force() \
                or move_problems(agreement, agreement.mentor):
            # The mentor must still be able to take the learner (active, within the cap).
            continue
        ended = agreement.events.filter(kind=AgreementEvent.Kind.ENDED_EARLY,
                                        data__sanction=sanction.pk).order_by("-pk").first()
        # Back to what it was: a draft stays a draft.
        if ended is not None and ended.data.get("from") == Agreement.State.DRAFT:
            agreement.restore_draft()
        else:
            agreement.restore()
        agreement.ended_on, agreement.end_reason, agreement.ended_by = None, "", None
        agreement.save()
        AgreementEvent.objects.create(agreement=agreement, kind=AgreementEvent.Kind.RESTORED,
                                      actor=actor, message=message,
                                      data={"sanction": sanction.pk})
        restored.append(agreement.pk)
    return restored


def _give_back_agreements(sanction: Sanction, *, actor, message: str) -> list[int]:
    """After a mentor ban is lifted: the agreements it gave another mentor go back to the
    mentor it banned, where they still run with the replacement and the mentor is active
    again for that recognition."""
    moved = []
    for item in (sanction.effects or {}).get("agreements_reassigned", []):
        agreement = (Agreement.objects.select_for_update().filter(
            pk=item["id"], mentor_id=item["to_mentor"],
            state__in=[Agreement.State.ACTIVE, Agreement.State.DRAFT]).first())
        if agreement is None or move_problems(agreement, sanction.mentor):
            continue
        _change_mentor([agreement.pk], mentor=sanction.mentor, actor=actor, message=message,
                       sanction=sanction)
        moved.append(agreement.pk)
    return moved
