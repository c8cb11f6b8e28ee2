"""The partnership's casework on an application, one service per action: the completeness
check (find complete, ask to complete — the decision clock pauses — and lapse), assignment,
the investigation (contacts, site visits, mentor checks), notes and messages, the proposal, the
vote where the partnership asks for one, and the decision with its recognition and letter.

Every service locks the application row, checks the actor's permission and the state, writes a
timeline event, and raises the application's `version`: a form carries the version it was shown
with, and a posted version that is not the current one is refused (`StaleApplication`), so two
handlers acting at once can never both change the case unknowingly, or both decide."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkplek.accounts.models import Membership, Role, User
from werkplek.catalog.models import VoteRule
from werkplek.core.deadlines import (
    completion_deadline,
    decision_deadline,
    paused_days,
)

from .models import (
    Application,
    ApplicationEvent,
    ApplicationMentor,
    CaseNote,
    InvestigationStep,
    Vote,
)

SECTIONS = ("unit", "programme", "workplace", "mentors", "declaration")


def is_handler(user, application: Application) -> bool:
    """A case handler of the partnership the application was routed to."""
    return application.partnership_id is not None and Membership.objects.filter(
        user=user, role=Role.HANDLER, partnership_id=application.partnership_id, is_active=True,
    ).exists()


def is_voter(user, application: Application) -> bool:
    """A voting member of the partnership the application was routed to."""
    return application.partnership_id is not None and Membership.objects.filter(
        user=user, role=Role.VOTER, partnership_id=application.partnership_id, is_active=True,
    ).exists()


def handlers_of(partnership_id: int):
    """The active case handlers of a partnership (for assignment)."""
    return User.objects.filter(
        memberships__role=Role.HANDLER, memberships__partnership_id=partnership_id,
        memberships__is_active=True, is_active=True,
    ).distinct().order_by("first_name", "last_name", "username")


def voters_of(partnership_id: int):
    return User.objects.filter(
        memberships__role=Role.VOTER, memberships__partnership_id=partnership_id,
        memberships__is_active=True, is_active=True,
    ).distinct().order_by("first_name", "last_name", "username")


class StaleApplication(ValidationError):
    """The page the action was taken from is out of date: someone else changed the case."""


def _locked(application_id: int) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related(
        "partnership", "decided_by").get(pk=application_id)


def _as_handler(actor, application_id: int, version: int | None = None) -> Application:
    """Lock the application, check that the actor handles it and that the page was current."""
    application = _locked(application_id)
    if not is_handler(actor, application):
        raise PermissionDenied(_("Only a case handler of the competent partnership can do this."))
    _check_version(application, version)
    return application


def _check_version(application: Application, version: int | None) -> None:
    if version is None or int(version) == application.version:
        return
    if application.state in Application.DECIDED_STATES:
        when = timezone.localtime(application.decided_at).strftime("%d/%m/%Y %H:%M")
        who = application.decided_by.get_full_name() if application.decided_by else ""
        if application.state == Application.State.APPROVED:
            text = _("%(name)s approved this application meanwhile, on %(date)s. Nothing was "
                     "changed.")
        else:
            text = _("%(name)s refused this application meanwhile, on %(date)s. Nothing was "
                     "changed.")
        raise StaleApplication(text % {"name": who or _("Another case handler"), "date": when})
    raise StaleApplication(_("Someone else changed this application after you opened it. "
                             "Nothing was changed: look at the current state and try again."))


def _save(application: Application) -> None:
    application.version += 1
    application.save()


def _event(application: Application, kind: str, actor, *, previous: str | None = None,
           message: str = "", data: dict | None = None) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application, kind=kind, actor=actor,
        from_state=previous or "", to_state=application.state if previous else "",
        message=message, data=data or {})


@transaction.atomic
def mark_complete(*, actor, application_id: int) -> Application:
    application = _as_handler(actor, application_id)
    if application.state != Application.State.SUBMITTED:
        raise ValidationError(_("Only a submitted application can be found complete."))
    application.mark_complete()
    _save(application)
    ApplicationEvent.objects.create(
        application=application, kind=ApplicationEvent.Kind.MARKED_COMPLETE, actor=actor,
        from_state=Application.State.SUBMITTED, to_state=Application.State.IN_PROGRESS)
    return application


@transaction.atomic
def request_completion(*, actor, application_id: int, message: str,
                       sections: list[str]) -> Application:
    """Ask the applicant to complete the named sections; the decision clock pauses."""
    application = _as_handler(actor, application_id)
    if application.state not in (Application.State.SUBMITTED, Application.State.IN_PROGRESS):
        raise ValidationError(_("Completion can only be asked while the application is "
                                "being handled."))
    chosen = [s for s in SECTIONS if s in sections]
    if not chosen:
        raise ValidationError({"sections": [_("Choose at least one part to complete.")]})
    if not message.strip():
        raise ValidationError({"message": [_("Say what is missing.")]})
    now = timezone.now()
    due = completion_deadline(now, days=application.partnership.completion_period_days)
    previous = application.state
    application.request_completion()
    application.paused_at = now
    application.completion_due = due.day
    application.completion_sections = chosen
    _save(application)
    event = ApplicationEvent.objects.create(
        application=application, kind=ApplicationEvent.Kind.COMPLETION_REQUESTED, actor=actor,
        from_state=previous, to_state=Application.State.WAITING, message=message.strip(),
        data={"sections": chosen, "due": due.day.isoformat(), "rule": due.rule})
    from .tasks import send_notice

    transaction.on_commit(lambda: send_notice.enqueue(event.pk))
    return application


@transaction.atomic
def complete(*, actor, application_id: int) -> Application:
    """The applicant sends the completed application back: the clock runs again, and the
    deadline moves by the days it waited."""
    from .services import acting_role

    application = _locked(application_id)
    if acting_role(actor, application.enterprise, unit=application.unit) is None:
        raise PermissionDenied(_("You may not complete applications of this enterprise."))
    if application.state != Application.State.WAITING:
        raise ValidationError(_("Nothing was asked to complete for this application."))
    now = timezone.now()
    waited = paused_days(application.paused_at, now)
    application.complete()
    application.paused_days += waited
    deadline = decision_deadline(application.submitted_at, paused_days=application.paused_days)
    application.decision_deadline = deadline.day
    application.deadline_rule = deadline.rule
    application.paused_at = None
    application.completion_due = None
    application.completion_sections = []
    _save(application)
    ApplicationEvent.objects.create(
        application=application, kind=ApplicationEvent.Kind.COMPLETED, actor=actor,
        from_state=Application.State.WAITING, to_state=Application.State.SUBMITTED,
        data={"paused_days": waited, "deadline": deadline.day.isoformat(),
              "rule": deadline.rule})
    return application


def lapse_overdue(*, today: date | None = None) -> int:
    """Let applications lapse whose completion period has passed; safe to run again (the ones
    lapsed are no longer waiting). Reads only the due rows, by index."""
    today = today or timezone.localdate()
    count = 0
    due = Application.objects.filter(state=Application.State.WAITING,
                                     completion_due__lt=today).values_list("pk", flat=True)
    for application_id in list(due):
        with transaction.atomic():
            application = _locked(application_id)
            if application.state != Application.State.WAITING or \
                    application.completion_due >= today:
                continue
            application.lapse()
            _save(application)
            event = ApplicationEvent.objects.create(
                application=application, kind=ApplicationEvent.Kind.LAPSED,
                from_state=Application.State.WAITING, to_state=Application.State.LAPSED,
                data={"due": application.completion_due.isoformat()})
            from .tasks import send_notice

            transaction.on_commit(lambda pk=event.pk: send_notice.enqueue(pk))
            count += 1
    return count


# Assignment ------------------------------------------------------------------------------------

@transaction.atomic
def assign(*, actor, application_id: int, handler=None) -> Application:
    """Assign the application to a handler of its partnership (None: to the actor)."""
    application = _as_handler(actor, application_id)
    if application.state not in Application.OPEN_STATES:
        raise ValidationError(_("Only an application that is still being handled can be "
                                "assigned."))
    handler = handler or actor
    if not is_handler(handler, application):
        raise ValidationError({"handler": [_("%(name)s is not a case handler of %(partnership)s.")
                                           % {"name": handler.get_full_name() or handler,
                                              "partnership": application.partnership.name}]})
    if application.assigned_to_id == handler.pk:
        return application
    previous = application.assigned_to
    application.assigned_to = handler
    _save(application)
    _event(application, ApplicationEvent.Kind.ASSIGNED, actor,
           message=handler.get_full_name() or handler.username,
           data={"to": handler.pk, "from": previous.pk if previous else None})
    return application


# Investigation ---------------------------------------------------------------------------------

@transaction.atomic
def record_investigation(*, actor, application_id: int, kind: str, on: date,
                         participants: str, findings: str) -> InvestigationStep:
    """Record a contact with the enterprise or a site visit: when, with whom, what was found."""
    application = _as_handler(actor, application_id)
    if application.state not in Application.OPEN_STATES:
        raise ValidationError(_("The investigation is closed: the application is %(state)s.")
                              % {"state": application.get_state_display()})
    errors: dict[str, list[str]] = {}
    if kind not in InvestigationStep.Kind.values:
        errors["kind"] = [_("Choose a contact or a site visit.")]
    today = timezone.localdate()
    if on is None:
        errors["on"] = [_("Enter the date of the contact or visit.")]
    elif on > today:
        errors["on"] = [_("The date cannot be in the future.")]
    elif application.submitted_at and on < timezone.localtime(application.submitted_at).date():
        errors["on"] = [_("The date cannot be before the application was submitted (%(date)s).")
                        % {"date": timezone.localtime(application.submitted_at)
                           .strftime("%d/%m/%Y")}]
    if not participants.strip():
        errors["participants"] = [_("Say who took part.")]
    if not findings.strip():
        errors["findings"] = [_("Write down what was found.")]
    if errors:
        raise ValidationError(errors)
    step = InvestigationStep.objects.create(
        application=application, kind=kind, on=on, participants=participants.strip(),
        findings=findings.strip(), recorded_by=actor)
    _save(application)
    _event(application, ApplicationEvent.Kind.INVESTIGATION, actor,
           message=step.get_kind_display(), data={"step": step.pk, "on": on.isoformat()})
    return step


@transaction.atomic
def check_mentor(*, actor, application_id: int, entry_id: int, result: str,
                 reason: str = "") -> ApplicationMentor:
    """Confirm a mentor of the application, or reject them with a reason."""
    application = _as_handler(actor, application_id)
    if application.state != Application.State.IN_PROGRESS:
        raise ValidationError(_("Mentors are checked during the investigation, after the "
                                "application was found complete and before a proposal."))
    entry = application.mentors.select_related("mentor").filter(pk=entry_id).first()
    if entry is None:
        raise ValidationError(_("This mentor is not part of the application."))
    if result not in ApplicationMentor.Check.values:
        raise ValidationError({"result": [_("Choose whether you confirm or reject the mentor.")]})
    if result == ApplicationMentor.Check.REJECTED and not reason.strip():
        raise ValidationError({"reason": [_("Give the reason why the mentor is rejected.")]})
    entry.check_result = result
    entry.check_reason = reason.strip()
    entry.checked_by = actor
    entry.checked_at = timezone.now()
    entry.save(update_fields=["check_result", "check_reason", "checked_by", "checked_at"])
    _save(application)
    _event(application, ApplicationEvent.Kind.MENTOR_CHECKED, actor,
           message=f"{entry.mentor.full_name}: {entry.get_check_result_display()}",
           data={"entry": entry.pk, "result": result})
    return entry


@transaction.atomic
def reveal_national_number(*, actor, application_id: int, entry_id: int) -> str:
    """The national register number of a mentor of the application, in clear, for a handler;
    each reveal is recorded in the personal-data access register."""
    from werkplek.core.identifiers import format_national_number
    from werkplek.core.personal_data import log_reveal

    application = Application.objects.select_related("partnership").get(pk=application_id)
    if not is_handler(actor, application):
        raise PermissionDenied(_("Only a case handler of the competent partnership can see "
                                 "national register numbers."))
    entry = application.mentors.select_related("mentor").filter(pk=entry_id).first()
    if entry is None:
        raise ValidationError(_("This mentor is not part of the application."))
    log_reveal(user=actor, subject=f"mentor:{entry.mentor_id}",
               purpose=f"case {application.reference}: mentor check")
    return format_national_number(entry.mentor.national_number)


# Notes and messages ----------------------------------------------------------------------------

@transaction.atomic
def add_note(*, actor, application_id: int, kind: str, body: str) -> CaseNote:
    """An internal note (only the partnership sees it) or a message to the applicant (shown on
    their status page and sent to them by e-mail)."""
    application = _as_handler(actor, application_id)
    if application.state == Application.State.DRAFT:
        raise ValidationError(_("This application has not been submitted."))
    if kind not in CaseNote.Kind.values:
        raise ValidationError({"kind": [_("Choose an internal note or a message.")]})
    if not body.strip():
        raise ValidationError({"body": [_("Write the text of the note or message.")]})
    note = CaseNote.objects.create(application=application, kind=kind, body=body.strip(),
                                   author=actor)
    if kind == CaseNote.Kind.MESSAGE:
        event = _event(application, ApplicationEvent.Kind.MESSAGE, actor, message=note.body,
                       data={"note": note.pk})
        from .tasks import send_notice

        transaction.on_commit(lambda: send_notice.enqueue(event.pk))
    return note


# Proposal, vote, decision ----------------------------------------------------------------------

@transaction.atomic
def propose(*, actor, application_id: int, version: int | None, proposal: str,
            reasons: str) -> Application:
    """Propose the decision after the investigation: every mentor checked, reasons given; an
    approval needs at least one confirmed mentor. Voting opens where the partnership asks."""
    application = _as_handler(actor, application_id, version)
    if application.state != Application.State.IN_PROGRESS:
        raise ValidationError(_("A decision can be proposed once the application was found "
                                "complete and before it is decided."))
    errors: dict[str, list[str]] = {}
    if proposal not in Application.Outcome.values:
        errors["proposal"] = [_("Choose whether you propose to approve or to refuse.")]
    if not reasons.strip():
        errors["reasons"] = [_("Give the reasons of the proposal: they go into the decision "
                               "letter.")]
    entries = list(application.mentors.select_related("mentor"))
    unchecked = [e.mentor.full_name for e in entries if not e.check_result]
    if unchecked:
        errors.setdefault("__all__", []).append(
            _("Check every mentor first. Not checked yet: %(names)s.")
            % {"names": ", ".join(unchecked)})
    elif proposal == Application.Outcome.APPROVE and not any(
            e.check_result == ApplicationMentor.Check.CONFIRMED for e in entries):
        errors["proposal"] = [_("An approval needs at least one confirmed mentor.")]
    if application.partnership.requires_vote and \
            not voters_of(application.partnership_id).exists():
        # Otherwise the proposal would wait for a vote nobody can cast.
        errors.setdefault("__all__", []).append(
            _("%(partnership)s decides after a vote, but has no voting members. Ask an "
              "administrator to add them before you propose a decision.")
            % {"partnership": application.partnership.name})
    if errors:
        raise ValidationError(errors)
    application.propose()
    application.proposal = proposal
    application.proposal_reasons = reasons.strip()
    application.proposed_at = timezone.now()
    application.proposed_by = actor
    application.proposal_round += 1
    application.vote_outcome = ""
    application.vote_closed_at = None
    _save(application)
    _event(application, ApplicationEvent.Kind.PROPOSED, actor,
           previous=Application.State.IN_PROGRESS, message=application.proposal_reasons,
           data={"proposal": proposal, "round": application.proposal_round,
                 "vote": application.partnership.requires_vote})
    return application


@transaction.atomic
def withdraw_proposal(*, actor, application_id: int, version: int | None) -> Application:
    """Take the proposal back to continue the investigation (votes of this round lapse)."""
    application = _as_handler(actor, application_id, version)
    if application.state != Application.State.PROPOSED:
        raise ValidationError(_("There is no proposal to withdraw."))
    application.reopen()
    application.proposal = ""
    application.vote_outcome = ""
    _save(application)
    _event(application, ApplicationEvent.Kind.PROPOSAL_WITHDRAWN, actor,
           previous=Application.State.PROPOSED, data={"round": application.proposal_round})
    return application


@dataclass
class Tally:
    """The votes of the current round and what they mean under the partnership's rule."""

    in_favour: int
    against: int
    members: int
    rule: str
    rule_label: str
    closed: bool
    voters_pending: list = field(default_factory=list)

    @property
    def cast(self) -> int:
        return self.in_favour + self.against

    @property
    def result_if_closed(self) -> str:
        """The outcome if the vote were closed now."""
        if self.rule == VoteRule.ABSOLUTE_MAJORITY:
            adopted = self.in_favour * 2 > self.members
        elif self.rule == VoteRule.UNANIMITY:
            adopted = self.cast > 0 and self.against == 0
        else:
            adopted = self.in_favour > self.against
        return Application.VoteOutcome.ADOPTED if adopted else Application.VoteOutcome.REJECTED

    @property
    def settled(self) -> bool:
        """No vote still to come can change the outcome."""
        if self.cast >= self.members:
            return True
        if self.rule == VoteRule.ABSOLUTE_MAJORITY:
            return self.in_favour * 2 > self.members or self.against * 2 >= self.members
        if self.rule == VoteRule.UNANIMITY:
            return self.against > 0
        return False

    @property
    def outcome(self) -> str | None:
        """Adopted or rejected once closed or settled; None while open and undecided."""
        return self.result_if_closed if (self.closed or self.settled) and self.cast else None


def tally(application: Application) -> Tally:
    partnership = application.partnership
    votes = list(application.votes.filter(round=application.proposal_round))
    voters = list(voters_of(application.partnership_id))
    voted = {v.voter_id for v in votes}
    return Tally(
        in_favour=sum(1 for v in votes if v.in_favour),
        against=sum(1 for v in votes if not v.in_favour),
        members=len(voters), rule=partnership.vote_rule,
        rule_label=str(partnership.get_vote_rule_display()),
        closed=application.vote_closed_at is not None,
        voters_pending=[u for u in voters if u.pk not in voted],
    )


def proposals_to_vote(user):
    """Open votes of the user's partnerships in which the user has not voted yet."""
    from django.db.models import Exists, OuterRef

    partnership_ids = Membership.objects.filter(user=user, role=Role.VOTER, is_active=True)\
        .values("partnership_id")
    voted = Vote.objects.filter(application=OuterRef("pk"), round=OuterRef("proposal_round"),
                                voter=user)
    return (Application.objects.filter(partnership_id__in=partnership_ids,
                                       partnership__requires_vote=True,
                                       state=Application.State.PROPOSED,
                                       vote_closed_at__isnull=True)
            .exclude(Exists(voted))
            .select_related("enterprise", "unit", "programme")
            .order_by("decision_deadline", "pk"))


def _close(application: Application, actor, result: Tally) -> None:
    outcome = result.result_if_closed
    application.vote_outcome = outcome
    application.vote_closed_at = timezone.now()
    data = {"round": application.proposal_round, "outcome": outcome,
            "in_favour": result.in_favour, "against": result.against,
            "members": result.members, "rule": result.rule}
    if outcome == Application.VoteOutcome.REJECTED:
        # The proposal is not carried: back to the investigation for a new proposal.
        application.reopen()
        _save(application)
        _event(application, ApplicationEvent.Kind.VOTE_CLOSED, actor,
               previous=Application.State.PROPOSED, data=data)
    else:
        _save(application)
        _event(application, ApplicationEvent.Kind.VOTE_CLOSED, actor, data=data)


@transaction.atomic
def cast_vote(*, actor, application_id: int, in_favour: bool, remark: str = "") -> Vote:
    """A voting member votes for or against the proposal of the current round, once. When the
    outcome can no longer change (everyone voted, or the rule is settled), the vote closes."""
    application = _locked(application_id)
    if not is_voter(actor, application):
        raise PermissionDenied(_("Only a voting member of the competent partnership can vote."))
    if not application.partnership.requires_vote:
        raise ValidationError(_("Decisions of this partnership are not put to a vote."))
    if application.state != Application.State.PROPOSED or application.vote_closed_at:
        raise ValidationError(_("There is no open vote on this application."))
    if in_favour is None:
        raise ValidationError({"in_favour": [_("Choose for or against the proposal.")]})
    if application.votes.filter(round=application.proposal_round, voter=actor).exists():
        raise ValidationError(_("You have already voted on this proposal."))
    vote = Vote.objects.create(application=application, round=application.proposal_round,
                               voter=actor, in_favour=in_favour, remark=remark.strip())
    _event(application, ApplicationEvent.Kind.VOTE_CAST, actor, message=vote.remark,
           data={"round": vote.round, "in_favour": in_favour})
    result = tally(application)
    if result.settled:
        _close(application, None, result)
    else:
        _save(application)
    return vote


@transaction.atomic
def close_vote(*, actor, application_id: int, version: int | None) -> Application:
    """The handler closes the vote; the outcome follows the partnership's rule. A rejected
    proposal sends the application back to the investigation."""
    application = _as_handler(actor, application_id, version)
    if application.state != Application.State.PROPOSED or application.vote_closed_at or \
            not application.partnership.requires_vote:
        raise ValidationError(_("There is no open vote on this application."))
    result = tally(application)
    if not result.cast:
        raise ValidationError(_("No voting member has voted yet."))
    _close(application, actor, result)
    return application


@transaction.atomic
def decide(*, actor, application_id: int, version: int | None, reasons: str) -> Application:
    """Record the decision the proposal names, with reasons. Final. An approval creates the
    recognition for the unit and programme (5 years, with the confirmed mentors); the letter
    and the official e-mail follow through the task queue."""
    from werkplek.notices.services import issue_decision_letter
    from werkplek.recognitions.services import grant

    application = _as_handler(actor, application_id, version)
    if application.state in Application.DECIDED_STATES:
        _check_version(application, -1)  # says who decided, and when
    if application.state != Application.State.PROPOSED:
        raise ValidationError(_("Propose a decision before recording it."))
    if application.partnership.requires_vote and \
            application.vote_outcome != Application.VoteOutcome.ADOPTED:
        raise ValidationError(_("%(partnership)s decides after a vote: the proposal must be "
                                "adopted first.") % {"partnership": application.partnership.name})
    if not reasons.strip():
        raise ValidationError({"reasons": [_("Give the reasons of the decision: they go into "
                                             "the decision letter.")]})
    now = timezone.now()
    previous = application.state
    approve = application.proposal == Application.Outcome.APPROVE
    if approve:
        confirmed = [e.mentor for e in application.mentors.select_related("mentor")
                     if e.check_result == ApplicationMentor.Check.CONFIRMED]
        if not confirmed:
            raise ValidationError(_("An approval needs at least one confirmed mentor."))
        application.approve()
    else:
        application.refuse()
    application.decision = application.proposal
    application.decision_reasons = reasons.strip()
    application.decided_at = now
    application.decided_by = actor
    _save(application)
    data = {"decision": application.decision}
    if approve:
        # The recognition (a renewal continues the one it renews); refused, with the whole
        # decision, when the unit is already recognised for the programme.
        recognition = grant(actor=actor, application=application, mentors=confirmed,
                            on_day=timezone.localdate(now))
        data.update(recognition=recognition.pk, valid_from=recognition.valid_from.isoformat(),
                    valid_until=recognition.valid_until.isoformat())
    _event(application,
           ApplicationEvent.Kind.APPROVED if approve else ApplicationEvent.Kind.REFUSED,
           actor, previous=previous, message=application.decision_reasons, data=data)
    issue_decision_letter(application=application, actor=actor)
    return application


# Mandate documents -----------------------------------------------------------------------------

def mandate_for(application: Application):
    """The mandate under which a coach filed the application (None when the enterprise filed)."""
    from werkplek.enterprises.selectors import valid_mandate

    if application.filed_by != Application.FiledBy.COACH:
        return None
    return valid_mandate(user=application.created_by, enterprise=application.enterprise,
                         unit=application.unit, include_pending=True,
                         on_day=timezone.localdate(application.submitted_at)
                         if application.submitted_at else None)


@transaction.atomic
def check_mandate_document(*, actor, application_id: int, accepted: bool,
                           reason: str = ""):
    """Accept or reject the signed mandate document a coach filed the application under. A
    rejected document needs a reason; the applicant is then asked to complete (or the
    application is refused) by the handler."""
    from werkplek.enterprises.models import Mandate

    application = _as_handler(actor, application_id)
    if application.state not in Application.OPEN_STATES:
        raise ValidationError(_("The application is no longer being handled."))
    mandate = mandate_for(application)
    if mandate is None or mandate.kind != Mandate.Kind.DOCUMENT:
        raise ValidationError(_("This application was not filed under a mandate document."))
    if accepted is None:
        raise ValidationError({"accepted": [_("Choose whether you accept the mandate "
                                              "document.")]})
    if not accepted and not reason.strip():
        raise ValidationError({"reason": [_("Give the reason why the mandate document is "
                                            "rejected.")]})
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    mandate.document_check = (Mandate.DocumentCheck.ACCEPTED if accepted
                              else Mandate.DocumentCheck.REJECTED)
    mandate.document_check_reason = reason.strip()
    mandate.document_checked_by = actor
    mandate.document_checked_at = timezone.now()
    mandate.save(update_fields=["document_check", "document_check_reason",
                                "document_checked_by", "document_checked_at"])
    _save(application)
    _event(application, ApplicationEvent.Kind.MANDATE_CHECKED, actor,
           message=mandate.get_document_check_display(),
           data={"mandate": mandate.pk, "accepted": bool(accepted)})
    return mandate
