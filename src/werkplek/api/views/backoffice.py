"""The partnership's back office through the API: the case of an application (investigation,
notes, the vote, the proposal) and one action per endpoint, `POST
/applications/{pk}/<action>/`.

Each action calls the service the case page calls (`applications.backoffice`), so the same
rules, permissions, timeline and version check apply. A case handler of the partnership finds
the application through the same lookup as the applications resource (anyone else: 404, or 403
for its applicant); a voting member votes and reads the case while it is theirs to see.

An action that asks for `version` is refused with 409 (`conflict`, error code `stale`) when
the case changed since that version was read; an action the case's state does not allow
(finding a decided application complete, closing a vote nobody cast, …) is refused with 409
(error code `state`)."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from werkplek.applications import backoffice
from werkplek.applications.access import HANDLER, VOTER, case_role
from werkplek.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationMentor,
    CaseNote,
    InvestigationStep,
)
from werkplek.catalog.models import VoteRule

from .applications import (
    ApplicationSerializer,
    MentorRefSerializer,
    application_for,
    application_response,
)

TAGS = ["back office"]

# --- finding the case ------------------------------------------------------------------------


def handled_application(user, pk: int) -> Application:
    """The application for a back-office action: 404 when the user may not see it at all, 403
    when they see it but do not handle it (its applicant)."""
    application = application_for(user, pk)
    if not backoffice.is_handler(user, application):
        raise PermissionDenied(_("Only a case handler of the competent partnership can do this."))
    return application


def case_for(user, pk: int) -> tuple[Application, str]:
    """The application and the user's role on its case (handler or voter); 404 otherwise."""
    application = (Application.objects.select_related("partnership", "assigned_to",
                                                      "proposed_by")
                   .filter(pk=pk).first())
    role = case_role(user, application) if application is not None else None
    if role is None:
        raise Http404
    return application, role


def run(service, **kwargs):
    """Call the service; a page out of date and a state that does not allow the action are
    conflicts (409), with the service's message."""
    try:
        return service(**kwargs)
    except backoffice.StaleApplication as error:
        raise DjangoValidationError(" ".join(error.messages), code="stale") from error
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict") and all(e.code is None for e in error.error_list):
            raise DjangoValidationError([DjangoValidationError(message, code="state")
                                         for message in error.messages]) from error
        raise


def _version_field():
    return serializers.IntegerField(min_value=1, help_text=(
        "The `version` of the application you acted on. When someone changed the case since, "
        "nothing is done and the answer is 409."))


def _name(user) -> str | None:
    return (user.get_full_name() or user.username) if user is not None else None


# --- the case --------------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class InvestigationStepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=InvestigationStep.Kind.choices)
    on = serializers.DateField(help_text="The day of the contact or visit.")
    participants = serializers.CharField()
    findings = serializers.CharField()
    recorded_by = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class CaseNoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CaseNote.Kind.choices, help_text=(
        "`note`: internal, only the partnership sees it; `message`: sent to the applicant."))
    body = serializers.CharField()
    author = serializers.CharField()
    created_at = serializers.DateTimeField()


class CaseMentorSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The mentor entry (for `mentors/{entry_id}/check/`).")
    mentor = MentorRefSerializer()
    years_of_experience = serializers.IntegerField()
    training = serializers.ChoiceField(choices=ApplicationMentor.Training.choices)
    derogation_requested = serializers.BooleanField()
    check_result = serializers.ChoiceField(choices=ApplicationMentor.Check.choices,
                                           allow_blank=True,
                                           help_text="Empty while not checked.")
    check_reason = serializers.CharField(allow_blank=True)
    checked_by = serializers.CharField(allow_null=True)
    checked_at = serializers.DateTimeField(allow_null=True)


class CaseVoteSerializer(serializers.Serializer):
    voter = serializers.CharField()
    in_favour = serializers.BooleanField()
    remark = serializers.CharField(allow_blank=True)
    cast_at = serializers.DateTimeField()


class TallySerializer(serializers.Serializer):
    round = serializers.IntegerField(help_text="The proposal round the votes are of.")
    rule = serializers.ChoiceField(choices=VoteRule.choices)
    rule_label = serializers.CharField()
    members = serializers.IntegerField(help_text="The partnership's voting members.")
    in_favour = serializers.IntegerField()
    against = serializers.IntegerField()
    closed = serializers.BooleanField()
    outcome = serializers.ChoiceField(
        choices=Application.VoteOutcome.choices, allow_null=True,
        help_text="Once the vote is closed or can no longer change; null before.")
    voters_pending = serializers.ListField(child=serializers.CharField(),
                                           help_text="Who has not voted yet.")
    votes = CaseVoteSerializer(many=True, help_text="The votes of this round.")


class ProposalSerializer(serializers.Serializer):
    proposal = serializers.ChoiceField(choices=Application.Outcome.choices)
    reasons = serializers.CharField()
    proposed_at = serializers.DateTimeField(allow_null=True)
    proposed_by = serializers.CharField(allow_null=True)
    round = serializers.IntegerField()


class CaseMandateSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="`digital`, or `document` (a signed document the "
                                           "partnership checks: `mandate-check/`).")
    document_check = serializers.CharField(allow_blank=True,
                                           help_text="pending, accepted, rejected, or empty.")
    document_check_reason = serializers.CharField(allow_blank=True)


class CaseSerializer(serializers.Serializer):
    """The partnership's side of an application: what the applicant does not see."""

    id = serializers.IntegerField()
    reference = serializers.CharField(allow_null=True)
    state = serializers.ChoiceField(choices=Application.State.choices)
    version = serializers.IntegerField(help_text="Send it back with an action that asks for it.")
    role = serializers.ChoiceField(choices=[(HANDLER, "case handler"), (VOTER, "voting member")],
                                   help_text="Your role on the case.")
    assigned_to = PersonSerializer(allow_null=True)
    handlers = PersonSerializer(many=True, help_text=(
        "The partnership's case handlers, to assign the application to (empty for a voting "
        "member)."))
    completion_sections = serializers.ListField(child=serializers.CharField())
    completion_due = serializers.DateField(allow_null=True)
    mentors = CaseMentorSerializer(many=True)
    mandate = CaseMandateSerializer(allow_null=True, help_text=(
        "The mandate a learner coach filed the application under; null when the enterprise "
        "filed it."))
    investigation = InvestigationStepSerializer(many=True)
    notes = CaseNoteSerializer(many=True, help_text="Internal notes and messages to the "
                                                    "applicant, oldest first.")
    proposal = ProposalSerializer(allow_null=True, help_text="The current proposal, if any.")
    requires_vote = serializers.BooleanField(help_text="The partnership decides after a vote.")
    vote = TallySerializer(allow_null=True, help_text=(
        "The vote on the current proposal (where the partnership votes and a proposal was "
        "made)."))
    vote_outcome = serializers.ChoiceField(choices=Application.VoteOutcome.choices,
                                           allow_blank=True)
    decision_deadline = serializers.DateField(allow_null=True)


def _mandate(application: Application):
    """The mandate the coach filed under; once its document was rejected it is no longer in
    force, so then the one the last check was of."""
    mandate = backoffice.mandate_for(application)
    if mandate is None and application.filed_by == Application.FiledBy.COACH:
        from werkplek.enterprises.models import Mandate

        checked = (application.events.filter(kind=ApplicationEvent.Kind.MANDATE_CHECKED)
                   .order_by("-created_at", "-pk").values_list("data", flat=True).first())
        if checked and checked.get("mandate"):
            mandate = Mandate.objects.filter(pk=checked["mandate"]).first()
    return mandate


def case_data(application: Application, role: str) -> dict:
    partnership = application.partnership
    entries = application.mentors.select_related("mentor", "checked_by").order_by("pk")
    proposal = None
    if application.proposal:
        proposal = {"proposal": application.proposal, "reasons": application.proposal_reasons,
                    "proposed_at": application.proposed_at,
                    "proposed_by": _name(application.proposed_by),
                    "round": application.proposal_round}
    vote = None
    if partnership.requires_vote and application.proposal_round:
        result = backoffice.tally(application)
        votes = application.votes.filter(round=application.proposal_round).select_related(
            "voter").order_by("cast_at", "pk")
        vote = {"round": application.proposal_round, "rule": result.rule,
                "rule_label": result.rule_label, "members": result.members,
                "in_favour": result.in_favour, "against": result.against,
                "closed": result.closed, "outcome": result.outcome,
                "voters_pending": [_name(u) for u in result.voters_pending],
                "votes": [{"voter": _name(v.voter), "in_favour": v.in_favour,
                           "remark": v.remark, "cast_at": v.cast_at} for v in votes]}
    mandate = _mandate(application)
    handlers = backoffice.handlers_of(application.partnership_id) if role == HANDLER else []
    return {
        "id": application.pk, "reference": application.reference, "state": application.state,
        "version": application.version, "role": role,
        "assigned_to": ({"id": application.assigned_to.pk,
                         "name": _name(application.assigned_to)}
                        if application.assigned_to else None),
        "handlers": [{"id": u.pk, "name": _name(u)} for u in handlers],
        "completion_sections": application.completion_sections or [],
        "completion_due": application.completion_due,
        "mentors": [{"id": e.pk, "mentor": e.mentor,
                     "years_of_experience": e.years_of_experience, "training": e.training,
                     "derogation_requested": e.derogation_requested,
                     "check_result": e.check_result, "check_reason": e.check_reason,
                     "checked_by": _name(e.checked_by), "checked_at": e.checked_at}
                    for e in entries],
        "mandate": ({"kind": mandate.kind, "document_check": mandate.document_check or "",
                     "document_check_reason": mandate.document_check_reason}
                    if mandate is not None else None),
        "investigation": [{"id": s.pk, "kind": s.kind, "on": s.on,
                           "participants": s.participants, "findings": s.findings,
                           "recorded_by": _name(s.recorded_by), "recorded_at": s.created_at}
                          for s in application.investigation.select_related("recorded_by")],
        "notes": [{"id": n.pk, "kind": n.kind, "body": n.body, "author": _name(n.author),
                   "created_at": n.created_at}
                  for n in application.notes.select_related("author").order_by(
                      "created_at", "pk")],
        "proposal": proposal,
        "requires_vote": partnership.requires_vote,
        "vote": vote,
        "vote_outcome": application.vote_outcome,
        "decision_deadline": application.decision_deadline,
    }


@extend_schema(tags=TAGS, summary="The case of an application (partnership)", description=(
    "For a case handler of the partnership, and for a voting member while the proposal is put "
    "to their vote (or once they voted): the investigation, the notes, the mentor checks, the "
    "proposal and the vote. National register numbers are masked. Anyone else: 404."),
    responses={200: CaseSerializer})
class Case(APIView):
    def get(self, request, pk: int):
        application, role = case_for(request.user, pk)
        return Response(CaseSerializer(case_data(application, role)).data)


# --- the actions -----------------------------------------------------------------------------


class Action(APIView):
    parser_classes = [JSONParser]
    input_class: type[serializers.Serializer] | None = None

    def valid(self, request) -> dict:
        serializer = self.input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def _action(summary: str, request, description: str = "", status_code: int = 200):
    return extend_schema(tags=TAGS, summary=summary, description=description or None,
                         request=request, responses={status_code: ApplicationSerializer})


class MarkComplete(Action):
    @_action("Find the application complete", None, description=(
        "A submitted application: the investigation starts (state `in_progress`)."))
    def post(self, request, pk: int):
        application = handled_application(request.user, pk)
        return application_response(run(backoffice.mark_complete, actor=request.user,
                                        application_id=application.pk))


class CompletionRequestSerializer(serializers.Serializer):
    sections = serializers.ListField(
        child=serializers.ChoiceField(choices=[(s, s) for s in backoffice.SECTIONS]),
        allow_empty=True, help_text="The parts of the application the applicant completes.")
    message = serializers.CharField(allow_blank=True, max_length=10000,
                                    help_text="What is missing; the applicant receives it.")


class RequestCompletion(Action):
    input_class = CompletionRequestSerializer

    @_action("Ask the applicant to complete the application", CompletionRequestSerializer,
             description="The decision clock pauses until the applicant sends the application "
                         "back (`complete/`), or the completion period ends (state `lapsed`).")
    def post(self, request, pk: int):
        application = handled_application(request.user, pk)
        data = self.valid(request)
        return application_response(run(
            backoffice.request_completion, actor=request.user, application_id=application.pk,
            message=data["message"], sections=data["sections"]))


class AssignSerializer(serializers.Serializer):
    handler = serializers.IntegerField(required=False, allow_null=True, help_text=(
        "Id of a case handler of the partnership (see `handlers` of the case); leave it out "
        "to assign the application to yourself."))


class Assign(Action):
    input_class = AssignSerializer

    @_action("Assign the application to a case handler", AssignSerializer)
    def post(self, request, pk: int):
        application = handled_application(request.user, pk)
        data = self.valid(request)
        handler = None
        if data.get("handler") is not None:
            handler = backoffice.handlers_of(application.partnership_id).filter(
                pk=data["handler"]).first()
            if handler is None:
                raise DjangoValidationError({"handler": DjangoValidationError(
                    _("Choose one of the case handlers of the partnership."),
                    code="not_handler")})
        return application_response(run(backoffice.assign, actor=request.user,
                                        application_id=application.pk, handler=handler))


class InvestigationInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=InvestigationStep.Kind.choices,
                                   help_text="A contact with the enterprise, or a site visit.")
    on = serializers.DateField(help_text="The day it took place: not in the future, not "
                                         "before the application was submitted.")
    participants = serializers.CharField(allow_blank=True, max_length=300,
                                         help_text="Who took part: names and roles.")
    findings = serializers.CharField(allow_blank=True, max_length=10000,
                                     help_text="What was found.")


class Investigations(Action):
    input_class = InvestigationInputSerializer

    @_action("Record a contact or a site visit", InvestigationInputSerializer, status_code=201)
    def post(self, request, pk: int):
        application = handled_application(request.user, pk)
        data = self.valid(request)
        run(backoffice.record_investigation, actor=request.user, application_id=application.pk,
            kind=data["kind"], on=data["on"], participants=data["participants"],
            findings=data["findings"])
        return application_response(application, status_code=201)


class MentorCheckSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=ApplicationMentor.Check.choices, help_text=(
        "Whether the mentor meets the mentor conditions."))
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000,
                                   help_text="Required to reject; it goes into the decision "
                                             "letter.")


class MentorCheck(Action):
    input_class = MentorCheckSerializer

    @_action("Confirm or reject a mentor", MentorCheckSerializer, description=(
        "During the investigation (state `in_progress`); `entry_id` is the mentor entry."))
    def post(self, request, pk: int, entry_id: int):
        application = handled_application(request.user, pk)
        if not application.mentors.filter(pk=entry_id).exists():
            raise Http404
        data = self.valid(request)
        run(backoffice.check_mentor, actor=request.user, application_id=application.pk,
            entry_id=entry_id, result=data["result"], reason=data.get("reason", ""))
        return application_response(application)


class NoteInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CaseNote.Kind.choices, default=CaseNote.Kind.NOTE,
                                   help_text=("`note`: internal, the applicant never sees it; "
                                              "`message`: shown to the applicant and sent to "
                                              "them by e-mail."))
    body = serializers.CharField(allow_blank=True, max_length=10000, help_text="The text.")


class Notes(Action):
    input_class = NoteInputSerializer

    @_action("Write an internal note or a message to the applicant", NoteInputSerializer,
             status_code=201)
    def post(self, request, pk: int):
        application = handled_application(request.user, pk)
        data = self.valid(request)
        run(backoffice.add_note, actor=request.user, application_id=application.pk,
            kind=data["kind"], body=data["body"])
        return application_response(application, status_code=201)


class ProposeSerializer(serializers.Serializer):
    version = _version_field()
    proposal = serializers.ChoiceField(choices=Application.Outcome.choices,
                                       help_text="The decision you propose.")
    reasons = serializers.CharField(allow_blank=True, max_length=10000,
                                    help_text="They go into the decision letter.")


class Propose(Action):
    input_class = ProposeSerializer

    @_action("Propose the decision", ProposeSerializer, description=(
        "After every mentor was checked; an approval needs a confirmed mentor. Where the "
        "partnership decides after a vote, its voting members can vote now."))
    def post(self, request, pk: int):
        application = handled_application(request.user, pk)
        data = self.valid(request)
        return application_response(run(
            backoffice.propose, actor=request.user, application_id=application.pk,
            version=data["version"], proposal=data["proposal"], reasons=data["reasons"]))


class VersionSerializer(serializers.Serializer):
    version = _version_field()


class WithdrawProposal(Action):
    input_class = VersionSerializer

    @_action("Withdraw the proposal", VersionSerializer, description=(
        "Back to the investigation; the votes of this round lapse."))
    def post(self, request, pk: int):
        application = handled_application(request.user, pk)
        data = self.valid(request)
        return application_response(run(
            backoffice.withdraw_proposal, actor=request.user, application_id=application.pk,
            version=data["version"]))


class VoteInputSerializer(serializers.Serializer):
    in_favour = serializers.BooleanField(help_text="true: for the proposal; false: against.")
    remark = serializers.CharField(required=False, allow_blank=True, max_length=4000,
                                   help_text="The case handlers and the other voting members "
                                             "see it.")


class Votes(Action):
    input_class = VoteInputSerializer

    @_action("Vote on the proposal (voting member)", VoteInputSerializer, description=(
        "Once per proposal round. When no vote still to come can change the outcome, the vote "
        "closes."))
    def post(self, request, pk: int):
        application, _role = case_for(request.user, pk)
        data = self.valid(request)
        run(backoffice.cast_vote, actor=request.user, application_id=application.pk,
            in_favour=data["in_favour"], remark=data.get("remark", ""))
        return application_response(application)


class CloseVote(Action):
    input_class = VersionSerializer

    @_action("Close the vote", VersionSerializer, description=(
        "The outcome follows the partnership's rule; a rejected proposal sends the "
        "application back to the investigation."))
    def post(self, request, pk: int):
        application = handled_application(request.user, pk)
        data = self.valid(request)
        return application_response(run(
            backoffice.close_vote, actor=request.user, application_id=application.pk,
            version=data["version"]))


class DecideSerializer(serializers.Serializer):
    version = _version_field()
    reasons = serializers.CharField(allow_blank=True, max_length=10000, help_text=(
        "The reasons of the decision; they go into the decision letter."))


class Decide(Action):
    input_class = DecideSerializer

    @_action("Record the decision", DecideSerializer, description=(
        "The decision the proposal names (after the vote adopted it, where the partnership "
        "votes). Final: an approval grants the recognition; the letter follows."))
    def post(self, request, pk: int):
        application = handled_application(request.user, pk)
        data = self.valid(request)
        return application_response(run(
            backoffice.decide, actor=request.user, application_id=application.pk,
            version=data["version"], reasons=data["reasons"]))


class MandateCheckSerializer(serializers.Serializer):
    accepted = serializers.BooleanField(help_text="Whether the signed mandate document allows "
                                                  "the learner coach to file the application.")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000,
                                   help_text="Required to reject the document.")


class MandateCheck(Action):
    input_class = MandateCheckSerializer

    @_action("Accept or reject the mandate document", MandateCheckSerializer, description=(
        "For an application a learner coach filed under a signed mandate document."))
    def post(self, request, pk: int):
        application = handled_application(request.user, pk)
        data = self.valid(request)
        run(backoffice.check_mandate_document, actor=request.user,
            application_id=application.pk, accepted=data["accepted"],
            reason=data.get("reason", ""))
        return application_response(application)


urlpatterns = [
    path("applications/<int:pk>/case/", Case.as_view(), name="application-case"),
    path("applications/<int:pk>/mark-complete/", MarkComplete.as_view(),
         name="application-mark-complete"),
    path("applications/<int:pk>/request-completion/", RequestCompletion.as_view(),
         name="application-request-completion"),
    path("applications/<int:pk>/assign/", Assign.as_view(), name="application-assign"),
    path("applications/<int:pk>/investigations/", Investigations.as_view(),
         name="application-investigations"),
    path("applications/<int:pk>/mentors/<int:entry_id>/check/", MentorCheck.as_view(),
         name="application-mentor-check"),
    path("applications/<int:pk>/notes/", Notes.as_view(), name="application-notes"),
    path("applications/<int:pk>/propose/", Propose.as_view(), name="application-propose"),
    path("applications/<int:pk>/withdraw-proposal/", WithdrawProposal.as_view(),
         name="application-withdraw-proposal"),
    path("applications/<int:pk>/votes/", Votes.as_view(), name="application-votes"),
    path("applications/<int:pk>/close-vote/", CloseVote.as_view(),
         name="application-close-vote"),
    path("applications/<int:pk>/decide/", Decide.as_view(), name="application-decide"),
    path("applications/<int:pk>/mandate-check/", MandateCheck.as_view(),
         name="application-mandate-check"),
]
