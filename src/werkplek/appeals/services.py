"""Appeals (beroep): filing by the enterprise, the committee's admissibility check, hearing and
decision. Each service: keyword-only arguments with the actor first, one transaction, the
permission checked inside, the transition, an `AppealEvent`, and the official letter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from werkplek.accounts.models import Role
from werkplek.applications.models import Application, ApplicationMentor
from werkplek.core.deadlines import (
    APPEAL_DAYS,
    admissibility_deadline,
    appeal_deadline,
    appeal_in_time,
)
from werkplek.recognitions.models import Sanction
from werkplek.recognitions.services import is_enterprise_user, next_reference

from .models import Appeal, AppealDocument, AppealEvent, FinalDecision


class StaleAppeal(ValidationError):
    """The page was out of date: someone changed the appeal meanwhile."""


def is_committee_member(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(
        Role.APPEAL_COMMITTEE)


@dataclass(frozen=True)
class Appealable:
    """A decision the enterprise may appeal, with its window."""
    application: Application | None
    sanction: Sanction | None
    notified_on: date
    appeal_until: date

    @property
    def subject(self):
        return self.application or self.sanction

    @property
    def enterprise_id(self) -> int:
        return self.subject.enterprise_id

    @property
    def partnership_id(self) -> int:
        return self.subject.partnership_id


def notified_on(*, application: Application | None = None,
                sanction: Sanction | None = None) -> date | None:
    """The day the written decision was notified: the date of its (first) official letter, or
    the day of the decision when no letter was issued."""
    from werkplek.notices.models import Letter

    subject = {"application": application} if application is not None else {
        "sanction": sanction}
    letter = (Letter.objects.filter(kind__in=Letter.APPEALABLE_KINDS, **subject)
              .order_by("number").first())
    if letter is not None:
        return letter.dated_on
    if application is not None:
        return timezone.localdate(application.decided_at) if application.decided_at else None
    return sanction.imposed_on


def appealable(*, application_id: int | None = None,
               sanction_id: int | None = None) -> Appealable:
    """The decision to appeal: a refused application or a sanction in force. Raises a
    ValidationError that says why something cannot be appealed."""
    application = sanction = None
    if application_id:
        application = Application.objects.select_related("enterprise", "partnership").filter(
            pk=application_id).first()
        if application is None:
            raise ValidationError(_("This decision does not exist."), code="not_found")
        if application.state != Application.State.REFUSED:
            raise ValidationError(_("Only a refusal or a sanction can be appealed."),
                                  code="not_appealable")
    elif sanction_id:
        sanction = Sanction.objects.select_related("enterprise", "partnership").filter(
            pk=sanction_id).first()
        if sanction is None:
            raise ValidationError(_("This decision does not exist."), code="not_found")
        if sanction.state != Sanction.State.IN_FORCE:
            raise ValidationError(_("This sanction is no longer in force."),
                                  code="not_appealable")
    else:
        raise ValidationError(_("Choose the decision you appeal against."), code="no_subject")
    day = notified_on(application=application, sanction=sanction)
    return Appealable(application=application, sanction=sanction, notified_on=day,
                      appeal_until=appeal_deadline(day).day)


def _existing(target: Appealable) -> Appeal | None:
    subject = {"application": target.application} if target.application else {
        "sanction": target.sanction}
    return Appeal.objects.filter(**subject).exclude(state=Appeal.State.INADMISSIBLE).first()


def _event(appeal: Appeal, kind: str, actor, *, previous: str | None = None, message: str = "",
           data: dict | None = None) -> AppealEvent:
    return AppealEvent.objects.create(appeal=appeal, kind=kind, actor=actor,
                                      from_state=previous or "",
                                      to_state=appeal.state if previous else "",
                                      message=message, data=data or {})


def _letter(appeal: Appeal, kind: str, actor) -> None:
    from werkplek.notices.services import issue_letter

    issue_letter(kind=kind, actor=actor, appeal=appeal)


@transaction.atomic
def file_appeal(*, actor, application_id: int | None = None, sanction_id: int | None = None,
                grounds: str, documents=()) -> Appeal:
    """The enterprise appeals against a refusal or a sanction, with its grounds and documents.

    Only the enterprise's legal representatives and employer staff may appeal (a learner coach
    may not, even under a mandate). An appeal filed after the 10 days, or after the daily job
    made the decision final (`close_appeal_windows`), is received all the same as late (it is
    the committee that declares it inadmissible, with reasons); the receipt letter says by when
    the admissibility is confirmed."""
    from werkplek.notices.models import Letter

    target = appealable(application_id=application_id, sanction_id=sanction_id)
    if not is_enterprise_user(actor, target.enterprise_id):
        raise PermissionDenied(_("Only the enterprise itself (its legal representatives and "
                                 "employer staff) may appeal against this decision."))
    if not grounds.strip():
        raise ValidationError({"grounds": [_("Give the grounds of your appeal: why the decision "
                                             "should be overturned.")]})
    # Lock the decision appealed, so that two appeals filed at once, or an appeal and the job
    # that closes the appeal window (`close_appeal_windows`), never both pass; then look again
    # at the decision as it is now (it may have been lifted or closed while we waited).
    _lock_subject(target)
    target = appealable(application_id=application_id, sanction_id=sanction_id)
    existing = _existing(target)
    if existing is not None:
        raise ValidationError(_("An appeal against this decision has already been filed: "
                                "%(reference)s.") % {"reference": existing.reference},
                              code="duplicate")
    final = final_decision(application=target.application, sanction=target.sanction)
    # The moment of filing is the moment the appeal is recorded, under the lock: after the
    # window was closed, the appeal is late, whatever the clock said when the page was sent.
    now = timezone.now()
    deadline = admissibility_deadline(now)
    appeal = Appeal.objects.create(
        reference=next_reference("B", timezone.localdate(now).year),
        enterprise_id=target.enterprise_id, application=target.application,
        sanction=target.sanction, partnership_id=target.partnership_id,
        grounds=grounds.strip(), filed_at=now, filed_by=actor,
        notified_on=target.notified_on, appeal_until=target.appeal_until,
        in_time=final is None and appeal_in_time(target.notified_on, now),
        admissibility_due=deadline.day, admissibility_rule=deadline.rule)
    stored: list[str] = []
    try:
        for upload in documents:
            document = AppealDocument(appeal=appeal)
            document.store(upload, actor=actor)
            stored.append(document.file.name)
        data = {"in_time": appeal.in_time, "appeal_until": appeal.appeal_until.isoformat()}
        if final is not None:
            data["final_since"] = final.final_since.isoformat()
        _event(appeal, AppealEvent.Kind.FILED, actor, message=appeal.grounds, data=data)
        _letter(appeal, Letter.Kind.APPEAL_RECEIPT, actor)
    except BaseException:
        # The rows roll back with the transaction; the files written meanwhile would stay
        # behind, unreachable (private documents of the enterprise): remove them.
        _remove_files(stored)
        raise
    return appeal


def _remove_files(names: list[str]) -> None:
    from werkplek.core.uploads import delete_stored_files

    delete_stored_files(names)


def _lock_subject(target: Appealable) -> None:
    if target.application is not None:
        Application.objects.select_for_update().get(pk=target.application.pk)
    else:
        Sanction.objects.select_for_update().get(pk=target.sanction.pk)


def final_decision(*, application: Application | None = None,
                   sanction: Sanction | None = None) -> FinalDecision | None:
    """The record that the decision became final (its appeal window closed), if it did."""
    if application is not None:
        return FinalDecision.objects.filter(application=application).first()
    return FinalDecision.objects.filter(sanction=sanction).first()


# --- the daily job: closing the appeal windows ---------------------------------------------------

def _notified(target: Appealable) -> bool:
    """Whether the enterprise was sent the written decision: its letter (when there is one) is
    ready and reached at least one recipient. A decision without a letter counts as notified on
    the day it was taken (as in `notified_on`)."""
    from werkplek.notices.models import Delivery, Letter

    subject = {"application": target.application} if target.application is not None else {
        "sanction": target.sanction}
    letters = Letter.objects.filter(kind__in=Letter.APPEALABLE_KINDS, **subject)
    if not letters.exists():
        return True
    return Delivery.objects.filter(letter__in=letters, letter__state=Letter.State.READY,
                                   state=Delivery.State.SENT).exists()


def _close_window(target: Appealable, *, today: date) -> FinalDecision | None:
    """Inside a transaction: lock the decision (the lock `file_appeal` takes), then record it
    final unless it was appealed, is still within its window, or was not notified yet."""
    _lock_subject(target)
    try:
        target = appealable(application_id=target.application.pk if target.application else None,
                            sanction_id=target.sanction.pk if target.sanction else None)
    except ValidationError:
        return None  # lifted, or no longer refused, meanwhile
    if target.appeal_until >= today or not _notified(target):
        return None
    if _existing(target) is not None:
        return None  # appealed (even late): the committee judges the appeal first
    if final_decision(application=target.application, sanction=target.sanction) is not None:
        return None  # closed by another run
    return FinalDecision.objects.create(
        application=target.application, sanction=target.sanction,
        notified_on=target.notified_on, appeal_until=target.appeal_until,
        appeal_rule=appeal_deadline(target.notified_on).rule, final_since=timezone.now())


def close_appeal_windows(*, today: date | None = None) -> int:
    """The daily job: every refusal and every sanction in force whose appeal period (10
    calendar days from the notification) has passed without an appeal becomes final. Returns
    how many. Safe to run again (a decision is closed once), and at any hour: it closes only
    the windows whose last day is before `today` (default: today in Brussels).

    Each decision is closed in its own transaction under the row lock that `file_appeal`
    takes, so an appeal filed at the moment the window closes either comes first (then the
    decision is not closed: the committee handles the appeal) or after (then it is received as
    late, and the enterprise is told the decision was final)."""
    real_today = timezone.localdate()
    today = today or real_today
    if today > real_today:
        raise ValueError("An appeal window cannot be closed before its last day has passed.")
    # The window ends 10 days after the notification, which is on or after the day of the
    # decision: only decisions taken before this day can have a closed window.
    before = timezone.make_aware(datetime.combine(today - timedelta(days=APPEAL_DAYS), time()))
    appealed = Appeal.objects.exclude(state=Appeal.State.INADMISSIBLE)
    applications = (Application.objects
                    .filter(state=Application.State.REFUSED, decided_at__lt=before,
                            final_decision__isnull=True)
                    .exclude(Exists(appealed.filter(application=OuterRef("pk"))))
                    .values_list("pk", flat=True))
    sanctions = (Sanction.objects
                 .filter(state=Sanction.State.IN_FORCE,
                         imposed_on__lt=today - timedelta(days=APPEAL_DAYS),
                         final_decision__isnull=True)
                 .exclude(Exists(appealed.filter(sanction=OuterRef("pk"))))
                 .values_list("pk", flat=True))
    closed = 0
    for ids in ([{"application_id": pk} for pk in applications]
                + [{"sanction_id": pk} for pk in sanctions]):
        with transaction.atomic():
            try:
                target = appealable(**ids)
            except ValidationError:
                continue
            if _close_window(target, today=today) is not None:
                closed += 1
    return closed


def _as_committee(actor, appeal_id: int, version: int | None) -> Appeal:
    if not is_committee_member(actor):
        raise PermissionDenied(_("Only a member of the appeal committee can do this."))
    appeal = Appeal.objects.select_for_update(of=("self",)).select_related(
        "application", "sanction", "enterprise").get(pk=appeal_id)
    if version is not None and int(version) != appeal.version:
        raise StaleAppeal(_("Someone changed this appeal meanwhile (it is now: %(state)s). "
                            "Nothing was changed.") % {"state": appeal.get_state_display()},
                          code="stale")
    return appeal


def _save(appeal: Appeal) -> None:
    appeal.version += 1
    appeal.save()


@transaction.atomic
def decide_admissibility(*, actor, appeal_id: int, version: int | None = None,
                         admissible: bool | None, reason: str = "", reasons: str = "") -> Appeal:
    """The committee confirms receipt and admissibility (within 10 calendar days of filing). An
    appeal filed late, or not by the enterprise, is inadmissible; the reasons go into the
    letter."""
    from werkplek.notices.models import Letter

    appeal = _as_committee(actor, appeal_id, version)
    if appeal.state != Appeal.State.FILED:
        raise ValidationError(_("The admissibility of this appeal has been decided already."))
    if admissible is None:
        raise ValidationError({"admissible": [_("Choose whether the appeal is admissible.")]})
    if admissible and not appeal.in_time:
        raise ValidationError({"admissible": [_(
            "This appeal was filed on %(filed)s, after the last day to appeal (%(until)s): it "
            "is inadmissible.") % {"filed": timezone.localtime(appeal.filed_at)
                                   .strftime("%d/%m/%Y"),
                                   "until": appeal.appeal_until.strftime("%d/%m/%Y")}]})
    if not admissible:
        if reason not in Appeal.Inadmissible.values:
            raise ValidationError({"reason": [_("Choose why the appeal is inadmissible.")]})
        if not reasons.strip():
            raise ValidationError({"reasons": [_("Explain why the appeal is inadmissible: it "
                                                 "goes into the letter.")]})
    previous = appeal.state
    if admissible:
        appeal.admit()
    else:
        appeal.declare_inadmissible()
        appeal.admissibility_reason = reason
    appeal.admissibility_reasons = reasons.strip()
    appeal.admissibility_decided_at = timezone.now()
    appeal.admissibility_decided_by = actor
    _save(appeal)
    _event(appeal, AppealEvent.Kind.ADMISSIBLE if admissible else AppealEvent.Kind.INADMISSIBLE,
           actor, previous=previous, message=appeal.admissibility_reasons,
           data={"reason": appeal.admissibility_reason})
    _letter(appeal, Letter.Kind.APPEAL_ADMISSIBILITY, actor)
    return appeal


@transaction.atomic
def record_hearing(*, actor, appeal_id: int, notes: str,
                   version: int | None = None) -> Appeal:
    """The committee's notes of the hearing (internal; the decision's reasons are public)."""
    appeal = _as_committee(actor, appeal_id, version)
    if appeal.state != Appeal.State.ADMISSIBLE:
        raise ValidationError(_("Hearing notes are recorded for an admissible appeal that has "
                                "not been decided."))
    if not notes.strip():
        raise ValidationError({"notes": [_("Write the notes of the hearing.")]})
    appeal.hearing_notes = notes.strip()
    _save(appeal)
    _event(appeal, AppealEvent.Kind.HEARING, actor, message=appeal.hearing_notes)
    return appeal


@transaction.atomic
def decide_appeal(*, actor, appeal_id: int, version: int | None = None, overturn: bool | None,
                  reasons: str) -> Appeal:
    """The committee upholds or overturns the decision, with reasons. An overturned refusal
    creates the recognition (from today, with the mentors the partnership confirmed, or else all
    the mentors named); an overturned sanction is lifted and its effects reversed where
    possible. The letter goes to the enterprise and the partnership."""
    from werkplek.notices.models import Letter
    from werkplek.recognitions.services import grant, lift_sanction

    appeal = _as_committee(actor, appeal_id, version)
    if appeal.state != Appeal.State.ADMISSIBLE:
        raise ValidationError(_("Only an admissible appeal that has not been decided can be "
                                "decided."))
    if overturn is None:
        raise ValidationError({"overturn": [_("Choose whether you uphold or overturn the "
                                              "decision.")]})
    if not reasons.strip():
        raise ValidationError({"reasons": [_("Give the reasons of the decision: they go into "
                                             "the letter.")]})
    previous = appeal.state
    data: dict = {}
    if overturn:
        appeal.overturn()
        if appeal.application_id:
            application = Application.objects.select_for_update().get(pk=appeal.application_id)
            entries = list(application.mentors.select_related("mentor"))
            confirmed = [e.mentor for e in entries
                         if e.check_result == ApplicationMentor.Check.CONFIRMED]
            # The mentors the partnership confirmed; else (the refusal often turned on a
            # mentor the committee finds suitable) the mentors named. Banned ones never.
            mentors = confirmed or [e.mentor for e in entries]
            try:
                recognition = grant(actor=actor, application=application, mentors=mentors)
            except ValidationError as error:
                # Overturned all the same; what stands in the way is said in the letter (for
                # example: the unit was recognised again meanwhile, or it is excluded).
                data["not_applied"] = error.messages
            else:
                data["recognition"] = recognition.pk
            from werkplek.applications.models import ApplicationEvent

            ApplicationEvent.objects.create(
                application=application, kind=ApplicationEvent.Kind.OVERTURNED, actor=actor,
                message=reasons.strip(), data={"appeal": appeal.pk, **data})
        else:
            sanction = lift_sanction(actor=actor, sanction_id=appeal.sanction_id,
                                     reasons=reasons.strip())
            data["sanction"] = appeal.sanction_id
            data["reversed"] = sanction.effects.get("reversed", {})
    else:
        appeal.uphold()
    appeal.decision_reasons = reasons.strip()
    appeal.decided_at = timezone.now()
    appeal.decided_by = actor
    _save(appeal)
    _event(appeal, AppealEvent.Kind.OVERTURNED if overturn else AppealEvent.Kind.UPHELD, actor,
           previous=previous, message=appeal.decision_reasons, data=data)
    _letter(appeal, Letter.Kind.APPEAL_DECISION, actor)
    return appeal
