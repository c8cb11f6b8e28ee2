"""The case page (dossier) of an application, for the partnership's case handlers and, read-only
plus their vote, for its voting members; and one small view per back-office action.

Each action view parses its form, calls the one service, and on success goes back to the case
page with a message saying what happened. When the input or the state is wrong the case page is
shown again with the form's errors in the error summary and everything typed kept; when the page
was out of date (`StaleApplication`) it is shown again with the current data and the message on
top. Who may open the case is decided in `access`; what each may do, in `backoffice`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from werkplek.core.deadlines import appeal_deadline, days_left
from werkplek.core.http import post_or_redirect

from . import backoffice, checks, selectors
from .access import HANDLER, VOTER, case_application
from .forms_case import (
    AssignForm,
    DecisionForm,
    InvestigationForm,
    MandateCheckForm,
    MentorCheckForm,
    MessageForm,
    NoteForm,
    ProposalForm,
    VersionForm,
    VoteForm,
)
from .models import Application, ApplicationEvent, CaseNote, Document, InvestigationStep

TEMPLATE = "applications/case/page.html"


# The page ------------------------------------------------------------------------------------

def _mentor_prefix(entry_id: int) -> str:
    return f"mentor-{entry_id}"


def case_context(request, application: Application, role: str, *, bound: dict | None = None,
                 revealed: dict | None = None) -> dict:
    """Everything the case page shows, in a fixed number of queries whatever the size of the
    case. `bound`: forms posted with errors, by prefix (shown instead of empty ones);
    `revealed`: national register numbers in clear, by mentor entry, for this response only."""
    bound = bound or {}
    revealed = revealed or {}
    state = application.state
    State = Application.State
    is_handler = role == HANDLER
    partnership = application.partnership

    entries = list(application.mentors.select_related("mentor", "checked_by")
                   .prefetch_related("documents"))
    # The conditions module reads the same documents: read them once.
    prefetch_related_objects([application], Prefetch(
        "documents", queryset=Document.objects.select_related("mentor__mentor")))
    documents = list(application.documents.all())
    assessment = checks.assessment(application, entries=entries) if application.unit_id and \
        application.programme_id else None
    mentor_results = list(assessment.mentors) if assessment else []

    events = list(application.events.select_related("actor"))
    notes = list(application.notes.select_related("author"))
    investigation = list(application.investigation.select_related("recorded_by"))
    votes = list(application.votes.select_related("voter").order_by("round", "cast_at", "pk"))
    vote_needed = bool(partnership and partnership.requires_vote)
    tally = backoffice.tally(application) if vote_needed and application.proposal_round else None
    my_vote = next((v for v in votes if v.voter_id == request.user.pk
                    and v.round == application.proposal_round), None)

    def form(prefix, form_class, **kwargs):
        return bound[prefix] if prefix in bound else form_class(prefix=prefix, **kwargs)

    version = {"version": application.version}
    can = {
        "assign": is_handler and state in Application.OPEN_STATES,
        "mark_complete": is_handler and state == State.SUBMITTED,
        "request_completion": is_handler and state in (State.SUBMITTED, State.IN_PROGRESS),
        "investigate": is_handler and state in Application.OPEN_STATES,
        "check_mentors": is_handler and state == State.IN_PROGRESS,
        "reveal": is_handler,
        "note": is_handler,
        "propose": is_handler and state == State.IN_PROGRESS,
        "withdraw_proposal": is_handler and state == State.PROPOSED,
        "vote": (role == VOTER and vote_needed and state == State.PROPOSED
                 and application.vote_closed_at is None and my_vote is None),
        "close_vote": (is_handler and vote_needed and state == State.PROPOSED
                       and application.vote_closed_at is None and bool(tally and tally.cast)),
        "decide": is_handler and state == State.PROPOSED and (
            not vote_needed or application.vote_outcome == Application.VoteOutcome.ADOPTED),
    }
    mandate = backoffice.mandate_for(application) \
        if application.filed_by == Application.FiledBy.COACH else None
    can["check_mandate"] = (is_handler and state in Application.OPEN_STATES
                            and mandate is not None and mandate.kind == mandate.Kind.DOCUMENT)
    forms = {}
    if can["check_mandate"]:
        forms["mandate"] = form("mandate", MandateCheckForm, initial={
            "decision": {"accepted": "accept", "rejected": "reject"}.get(
                mandate.document_check or ""),
            "reason": mandate.document_check_reason})
    if can["assign"]:
        forms["assign"] = form("assign", AssignForm,
                               handlers=backoffice.handlers_of(application.partnership_id))
    if can["investigate"]:
        forms["investigation"] = form("investigation", InvestigationForm)
    if can["note"]:
        forms["note"] = form("note", NoteForm)
        forms["message"] = form("message", MessageForm)
    if can["propose"]:
        forms["proposal"] = form("proposal", ProposalForm, initial={
            **version, "proposal": application.proposal or None,
            "reasons": application.proposal_reasons})
    if can["withdraw_proposal"]:
        forms["withdraw"] = form("withdraw", VersionForm, initial=version)
    if can["vote"]:
        forms["vote"] = form("vote", VoteForm)
    if can["close_vote"]:
        forms["close"] = form("close", VersionForm, initial=version)
    if can["decide"]:
        forms["decision"] = form("decision", DecisionForm, initial={
            **version, "reasons": application.proposal_reasons})
    mentors = []
    for i, entry in enumerate(entries):
        prefix = _mentor_prefix(entry.pk)
        check_form = None
        if can["check_mentors"]:
            check_form = forms[prefix] = form(prefix, MentorCheckForm, initial={
                "result": entry.check_result or None, "reason": entry.check_reason},
                mentor_name=entry.mentor.full_name)
        mentors.append({"entry": entry, "result": mentor_results[i]
                        if i < len(mentor_results) else None,
                        "revealed": revealed.get(entry.pk), "form": check_form})

    decided = state in Application.DECIDED_STATES
    recognition = None
    from werkplek.notices.selectors import deliveries_for, letters_for

    # Every e-mail of the case (receipt, completion request, messages, the letter), with how
    # its sending went; the letters once decided.
    deliveries = deliveries_for(application)
    letters = list(letters_for(application)) if decided else None
    if state == State.APPROVED:
        recognition = _recognition(application)
    deadline_days = days_left(application.decision_deadline) \
        if application.decision_deadline and state in Application.OPEN_STATES else None
    flag = selectors.deadline_flag(application)
    error_form = next((f for f in forms.values() if f.is_bound and f.errors), None)
    # A posted form that the case's state no longer shows: its errors still go on top.
    shown = {id(f) for f in forms.values()}
    hidden_errors = [message for f in bound.values() if id(f) not in shown
                     for problems in f.errors.values() for message in problems]
    return {
        "application": application, "role": role, "is_handler": is_handler,
        "document_url": "applications:document" if is_handler else "applications:case_document",
        "can": can, "forms": forms, "error_form": error_form,
        "hidden_errors": hidden_errors, "page_has_errors": bool(hidden_errors),
        "show_completeness": is_handler and state in (State.SUBMITTED, State.IN_PROGRESS,
                                                      State.WAITING),
        "mentors": mentors, "documents": documents, "assessment": assessment,
        "activities": _activities(application),
        "timeline": _timeline(reversed(events)),
        "open_states": [str(s) for s in Application.OPEN_STATES],
        "internal_notes": [n for n in notes if n.kind == CaseNote.Kind.NOTE],
        "messages_to_applicant": [n for n in notes if n.kind == CaseNote.Kind.MESSAGE],
        "investigation": investigation, "votes": votes, "my_vote": my_vote,
        "vote_needed": vote_needed, "tally": tally,
        "completion_request": next((e for e in reversed(events)
                                    if e.kind == ApplicationEvent.Kind.COMPLETION_REQUESTED),
                                   None) if state == State.WAITING else None,
        "days_left": deadline_days,
        "days_overdue": -deadline_days if deadline_days is not None else None,
        "overdue": flag == "overdue", "due_soon": flag == "soon",
        "decided": decided, "recognition": recognition, "deliveries": deliveries,
        "letters": letters,
        "mandate": mandate,
    }


def _timeline(events) -> list[dict]:
    """The events, each with whether it is internal and its states by name."""
    labels = dict(Application.State.choices)
    internal = {str(k) for k in ApplicationEvent.INTERNAL_KINDS}
    return [{"event": e, "internal": e.kind in internal,
             "from": labels.get(e.from_state), "to": labels.get(e.to_state)} for e in events]


def _activities(application: Application) -> list[tuple[str, bool]]:
    """The programme's activities, each with whether the workplace offers it."""
    if application.programme is None:
        return []
    offered = set(application.activities_offered or [])
    return [(text, i in offered) for i, text in enumerate(application.programme.activity_texts())]


def _recognition(application: Application):
    from werkplek.recognitions.models import Recognition

    return (Recognition.objects.filter(application=application)
            .select_related("unit", "programme")
            .prefetch_related("mentor_links__mentor").first())


def render_case(request, application: Application, role: str, *, status: int = 200,
                stale: ValidationError | None = None, **kwargs):
    context = case_context(request, application, role, **kwargs)
    if stale is not None:
        context["stale"] = " ".join(stale.messages)
        context["page_has_errors"] = True
    return render(request, TEMPLATE, context, status=status)


@login_required
def case(request, pk: int):
    application, role = case_application(request, pk)
    return render_case(request, application, role)


@login_required
def case_document(request, pk: int, document_id: int):
    """Download a document from the case page: for everyone who may open the case (a voting
    member cannot use the applicant's download), and logged."""
    from werkplek.core.personal_data import audit_log
    from werkplek.core.uploads import file_response

    application, _role = case_application(request, pk)
    item = get_object_or_404(application.documents, pk=document_id)
    audit_log.info("document download user=%s application=%s document=%s kind=%s case=1",
                   request.user.pk, application.pk, item.pk, item.kind)
    return file_response(file_field=item.file, download_name=item.original_name,
                         content_type=item.content_type, request=request,
                         subject=f"mentor:{item.mentor.mentor_id}" if item.mentor_id
                         else f"application:{application.pk}", purpose="case document")


@login_required
def case_mandate_document(request, pk: int):
    """Download the signed mandate document the application was filed under; logged."""
    from werkplek.core.personal_data import audit_log
    from werkplek.core.uploads import file_response

    application, _role = case_application(request, pk)
    mandate = backoffice.mandate_for(application) \
        if application.filed_by == Application.FiledBy.COACH else None
    if mandate is None or not mandate.document:
        raise Http404
    audit_log.info("mandate document download user=%s application=%s mandate=%s",
                   request.user.pk, application.pk, mandate.pk)
    return file_response(file_field=mandate.document,
                         download_name=mandate.document_name or "machtiging.pdf",
                         content_type=mandate.content_type or "application/pdf",
                         request=request, subject=f"user:{mandate.holder_id}",
                         purpose="mandate document")


# The actions ---------------------------------------------------------------------------------

def _act(request, pk: int, *, prefix: str, form_class, call, form_kwargs=None):
    """Parse the posted form, call the service; back to the case page with the message that
    `call` returns, or the case page again with the errors and what was typed."""
    from .views import _form_errors

    application, role = case_application(request, pk)
    form = form_class(request.POST, prefix=prefix,
                      **(form_kwargs(application) if form_kwargs else {}))
    if form.is_valid():
        try:
            success = call(application, form.cleaned_data, form)
        except backoffice.StaleApplication as error:
            application, role = case_application(request, pk)
            data = request.POST.copy()
            data[f"{prefix}-version"] = str(application.version)
            fresh = form_class(data, prefix=prefix,
                               **(form_kwargs(application) if form_kwargs else {}))
            fresh.is_valid()
            return render_case(request, application, role, stale=error, status=409,
                               bound={prefix: fresh})
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("applications:case", pk=pk)
    return render_case(request, application, role, bound={prefix: form})


def _name(user) -> str:
    return user.get_full_name() or user.username


@login_required
@post_or_redirect("applications:detail")
def assign(request, pk: int):
    def call(application, data, form):
        assigned = backoffice.assign(actor=request.user, application_id=application.pk,
                                     handler=None if data.get("me") else data["handler"])
        if assigned.assigned_to_id == request.user.pk:
            return _("The application is assigned to you.")
        return _("The application is assigned to %(name)s.") % {
            "name": _name(assigned.assigned_to)}

    return _act(request, pk, prefix="assign", form_class=AssignForm, call=call,
                form_kwargs=lambda a: {"handlers": backoffice.handlers_of(a.partnership_id)})


@login_required
@post_or_redirect("applications:detail")
def investigation(request, pk: int):
    def call(application, data, form):
        step = backoffice.record_investigation(
            actor=request.user, application_id=application.pk, kind=data["kind"],
            on=data["on"], participants=data["participants"], findings=data["findings"])
        if step.kind == InvestigationStep.Kind.SITE_VISIT:
            return _("The site visit of %(date)s is recorded.") % {
                "date": step.on.strftime("%d/%m/%Y")}
        return _("The contact of %(date)s is recorded.") % {"date": step.on.strftime("%d/%m/%Y")}

    return _act(request, pk, prefix="investigation", form_class=InvestigationForm, call=call)


@login_required
@post_or_redirect("applications:detail")
def check_mentor(request, pk: int, entry_id: int):
    def call(application, data, form):
        entry = backoffice.check_mentor(actor=request.user, application_id=application.pk,
                                        entry_id=entry_id, result=data["result"],
                                        reason=data["reason"])
        if entry.check_result == entry.Check.CONFIRMED:
            return _("%(name)s is confirmed as mentor.") % {"name": entry.mentor.full_name}
        return _("%(name)s is rejected as mentor.") % {"name": entry.mentor.full_name}

    def form_kwargs(application):
        entry = get_object_or_404(application.mentors.select_related("mentor"), pk=entry_id)
        return {"mentor_name": entry.mentor.full_name}

    return _act(request, pk, prefix=_mentor_prefix(entry_id), form_class=MentorCheckForm,
                call=call, form_kwargs=form_kwargs)


@login_required
@post_or_redirect("applications:detail")
def check_mandate(request, pk: int):
    def call(application, data, form):
        mandate = backoffice.check_mandate_document(
            actor=request.user, application_id=application.pk, accepted=form.accepted,
            reason=data["reason"])
        if mandate.document_check == mandate.DocumentCheck.ACCEPTED:
            return _("The mandate document is accepted.")
        return _("The mandate document is rejected. Ask the applicant to complete the "
                 "application, or propose a refusal.")

    return _act(request, pk, prefix="mandate", form_class=MandateCheckForm, call=call)


@login_required
@post_or_redirect("applications:detail")
@never_cache
def reveal(request, pk: int, entry_id: int):
    """Show one mentor's national register number in clear on this response only (never in a
    URL, never on a GET); the service records the reveal. A voting member may not."""
    application, role = case_application(request, pk)
    try:
        number = backoffice.reveal_national_number(actor=request.user,
                                                   application_id=application.pk,
                                                   entry_id=entry_id)
    except ValidationError:
        raise Http404 from None
    return render_case(request, application, role, revealed={entry_id: number})


def _note(request, pk: int, kind: str):
    def call(application, data, form):
        backoffice.add_note(actor=request.user, application_id=application.pk, kind=kind,
                            body=data["body"])
        if kind == CaseNote.Kind.MESSAGE:
            return _("Your message is sent to the applicant, on their status page and by "
                     "e-mail.")
        return _("Your internal note is saved. The applicant does not see it.")

    prefix, form_class = (("message", MessageForm) if kind == CaseNote.Kind.MESSAGE
                          else ("note", NoteForm))
    return _act(request, pk, prefix=prefix, form_class=form_class, call=call)


@login_required
@post_or_redirect("applications:detail")
def note(request, pk: int):
    return _note(request, pk, CaseNote.Kind.NOTE)


@login_required
@post_or_redirect("applications:detail")
def message(request, pk: int):
    return _note(request, pk, CaseNote.Kind.MESSAGE)


@login_required
@post_or_redirect("applications:detail")
def propose(request, pk: int):
    def call(application, data, form):
        proposed = backoffice.propose(actor=request.user, application_id=application.pk,
                                      version=data["version"], proposal=data["proposal"],
                                      reasons=data["reasons"])
        text = (_("You proposed to approve the application.")
                if proposed.proposal == Application.Outcome.APPROVE
                else _("You proposed to refuse the application."))
        if proposed.partnership.requires_vote:
            text += " " + _("The voting members can now vote on it.")
        return text

    return _act(request, pk, prefix="proposal", form_class=ProposalForm, call=call)


@login_required
@post_or_redirect("applications:detail")
def withdraw_proposal(request, pk: int):
    def call(application, data, form):
        backoffice.withdraw_proposal(actor=request.user, application_id=application.pk,
                                     version=data["version"])
        return _("The proposal is withdrawn: the investigation continues.")

    return _act(request, pk, prefix="withdraw", form_class=VersionForm, call=call)


@login_required
@post_or_redirect("applications:detail")
def vote(request, pk: int):
    def call(application, data, form):
        backoffice.cast_vote(actor=request.user, application_id=application.pk,
                             in_favour=form.in_favour, remark=data["remark"])
        application.refresh_from_db()
        text = (_("Your vote for the proposal is recorded.") if form.in_favour
                else _("Your vote against the proposal is recorded."))
        if application.vote_closed_at:
            text += " " + _vote_closed(application)
        return text

    return _act(request, pk, prefix="vote", form_class=VoteForm, call=call)


def _vote_closed(application: Application) -> str:
    if application.vote_outcome == Application.VoteOutcome.ADOPTED:
        return _("The vote is closed: the proposal is adopted.")
    return _("The vote is closed: the proposal is rejected, and the investigation continues.")


@login_required
@post_or_redirect("applications:detail")
def close_vote(request, pk: int):
    def call(application, data, form):
        closed = backoffice.close_vote(actor=request.user, application_id=application.pk,
                                       version=data["version"])
        return _vote_closed(closed)

    return _act(request, pk, prefix="close", form_class=VersionForm, call=call)


@login_required
@post_or_redirect("applications:detail")
def decide(request, pk: int):
    def call(application, data, form):
        decided = backoffice.decide(actor=request.user, application_id=application.pk,
                                    version=data["version"], reasons=data["reasons"])
        if decided.state == Application.State.APPROVED:
            until = decided.recognition.valid_until
            return _("The application is approved: the workplace is recognised until "
                     "%(date)s. The decision letter is sent to the applicant.") % {
                "date": until.strftime("%d/%m/%Y")}
        return _("The application is refused. The decision letter is sent to the applicant.")

    return _act(request, pk, prefix="decision", form_class=DecisionForm, call=call)


# The applicant's side ------------------------------------------------------------------------

def applicant_context(application: Application) -> dict:
    """What the applicant's status page shows of the casework: the messages of the partnership
    (never the internal notes), the timeline without the internal events, and once decided the
    decision, the recognition or the appeal route, and the letters."""
    events = list(application.events.exclude(
        kind__in=[str(k) for k in ApplicationEvent.INTERNAL_KINDS]).select_related("actor"))
    context = {
        "events": events,
        "messages_to_applicant": list(application.notes.filter(
            kind=CaseNote.Kind.MESSAGE).select_related("author")),
        "recognition": None, "appeal_until": None, "letters": None,
        "open": application.state in Application.OPEN_STATES,
    }
    if application.state in Application.DECIDED_STATES:
        from werkplek.notices.selectors import letters_for

        letters = context["letters"] = list(letters_for(application))
        if application.state == Application.State.APPROVED:
            context["recognition"] = _recognition(application)
        elif (recognition := _recognition(application)) is not None:
            # The appeal committee overturned the refusal: the recognition stands.
            context["recognition"] = recognition
        else:
            # The letter states the last day to appeal, counted from the day it was sent;
            # before it is dated, count from the day of the decision.
            dated = next((letter for letter in letters if letter.appeal_until), None)
            context["appeal_until"] = dated.appeal_until if dated else appeal_deadline(
                timezone.localdate(application.decided_at)).day
    return context
