"""Recognitions through the API: the register and one recognition with its mentors, support
actions, sanctions and timeline, for the partnership's case handlers, the enterprise's own
people, and a training provider's learner coach under a mandate of the enterprise; the
partnership's monitoring (findings, support actions, their follow-up, sanctions) and the
enterprise's answers and mentor changes.

Each write calls the service the web pages call (`recognitions.services`), so the same rules,
permissions, optimistic locking (`version`) and timeline apply. Lifting a sanction is not here:
it is the effect of the appeal committee's decision (`appeals.services.decide_appeal`)."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from werkplek.applications.selectors import handled_partnership_ids
from werkplek.catalog.models import Programme
from werkplek.core.identifiers import format_establishment_unit_number
from werkplek.recognitions import selectors, services
from werkplek.recognitions.models import (
    Finding,
    Recognition,
    RecognitionMentor,
    Sanction,
    SupportAction,
)

from ..fields import EnterpriseRefSerializer, EventSerializer, NamedSerializer, UnitSerializer
from .applications import LetterSerializer

TAGS = ["recognitions"]

# Who reads a recognition: the partnership's case handler, the enterprise's representatives
# and employer staff, or a learner coach under a mandate of the enterprise covering its unit.
HANDLER, ENTERPRISE, COACH = "handler", "enterprise", "coach"

# --- reading ---------------------------------------------------------------------------------


def _mandated(user) -> Q:
    """Recognitions of a unit covered by a mandate the user holds, in force today."""
    from werkplek.enterprises.selectors import mandates_held

    covering = (mandates_held(user).filter(enterprise_id=OuterRef("enterprise_id"))
                .filter(Q(all_units=True) | Q(units=OuterRef("unit_id"))))
    return Q(Exists(covering))


def visible_recognitions(user):
    """What the user may read: the recognitions of the partnerships they handle, of the
    enterprises they represent or work for, and of the units a mandate they hold covers."""
    partnership_ids = handled_partnership_ids(user)
    enterprise_ids = selectors.enterprise_ids_for(user)
    own = Recognition.objects.filter(Q(enterprise_id__in=enterprise_ids) | _mandated(user))
    if partnership_ids:
        return selectors.handler_recognitions(partnership_ids=partnership_ids) | own
    return own


def recognition_for(user, pk: int) -> tuple[Recognition, str]:
    """The recognition and the user's role on it; 404 for anyone who may not read it (never
    reveal that it exists)."""
    try:
        recognition = selectors.recognition_with_related(pk)
    except Recognition.DoesNotExist:
        raise Http404 from None
    if services.is_enterprise_user(user, recognition.enterprise_id):
        return recognition, ENTERPRISE
    if services.is_partnership_handler(user, recognition.partnership_id):
        return recognition, HANDLER
    if Recognition.objects.filter(_mandated(user), pk=pk).exists():
        return recognition, COACH
    raise Http404


def _as_handler(request, pk: int) -> Recognition:
    """For the partnership's monitoring: a handler of its partnership; 403 for someone else who
    reads it, 404 for anyone else."""
    recognition, role = recognition_for(request.user, pk)
    if role != HANDLER:
        raise PermissionDenied(_("Only a case handler of the competent partnership can do "
                                 "this."))
    return recognition


def _as_enterprise(request, pk: int) -> Recognition:
    """For the enterprise's actions: its representatives and employer staff; 403 for someone
    else who reads it, 404 for anyone else."""
    recognition, role = recognition_for(request.user, pk)
    if role != ENTERPRISE:
        raise PermissionDenied(_("Only the enterprise's representatives and employer staff can "
                                 "do this."))
    return recognition


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit_number = serializers.SerializerMethodField(
        help_text="The KBO number of the establishment unit, written 2.123.456.789.")
    name = serializers.CharField()

    def get_unit_number(self, unit) -> str:
        return format_establishment_unit_number(unit.unit_number)


REGISTER_STATE_HELP = ("The state the register shows: the stored state, or `expiring` for an "
                       "active recognition in its last 6 months.")


class RecognitionListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=Recognition.State.choices)
    state_label = serializers.CharField(source="get_state_display")
    register_state = serializers.ChoiceField(choices=selectors.REGISTER_STATES,
                                             source="shown_state", help_text=REGISTER_STATE_HELP)
    enterprise = EnterpriseRefSerializer()
    unit = UnitRefSerializer()
    programme = NamedSerializer()
    partnership = serializers.CharField(source="partnership.code")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    previous = serializers.IntegerField(source="previous_id", allow_null=True,
                                        help_text="The recognition this one renews.")
    version = serializers.IntegerField()

    def to_representation(self, recognition):
        recognition.shown_state = recognition.register_state(self.context.get("today"))
        return super().to_representation(recognition)


class MentorLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The mentor's place on this recognition (to "
                                            "deactivate it).")
    mentor = serializers.IntegerField(source="mentor_id", help_text="The mentor (the person).")
    name = serializers.CharField(source="mentor.full_name")
    since = serializers.DateField()
    until = serializers.DateField(allow_null=True)
    is_active = serializers.BooleanField()
    end_reason = serializers.CharField(allow_blank=True)
    training = serializers.CharField(allow_blank=True, help_text=(
        "The mentor training declared when the mentor was added during the validity; empty "
        "for a mentor of the decision."))


class FindingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Finding.Kind.choices)
    on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=Finding.Outcome.choices)
    condition = serializers.CharField(allow_blank=True)
    description = serializers.CharField()
    created_at = serializers.DateTimeField()


class SupportActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=SupportAction.State.choices)
    state_label = serializers.CharField(source="get_state_display")
    finding = serializers.SerializerMethodField(help_text="The finding it follows (for the "
                                                          "partnership only).")
    improvement = serializers.CharField()
    due_on = serializers.DateField()
    answer = serializers.CharField(allow_blank=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    follow_up = serializers.CharField(allow_blank=True)
    followed_up_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()

    def get_finding(self, action) -> int | None:
        return action.finding_id if self.context.get("role") == HANDLER else None


class SanctionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=Sanction.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    state = serializers.ChoiceField(choices=Sanction.State.choices)
    state_label = serializers.CharField(source="get_state_display")
    recognition = serializers.IntegerField(source="recognition_id",
                                           help_text="The recognition it was imposed on.")
    support_action = serializers.IntegerField(source="support_action_id")
    mentor = serializers.IntegerField(source="mentor_id", allow_null=True,
                                      help_text="A mentor ban: the mentor.")
    mentor_name = serializers.CharField(source="mentor.full_name", allow_null=True)
    programmes = serializers.SerializerMethodField(help_text="A mentor ban: the codes of the "
                                                             "programmes.")
    whole_enterprise = serializers.SerializerMethodField(
        help_text="An exclusion: of the whole enterprise (else of the establishment unit).")
    ends_on = serializers.DateField(allow_null=True, help_text=(
        "A temporary exclusion: its last day (empty: definitive)."))
    reasons = serializers.CharField()
    imposed_on = serializers.DateField()
    lifted_at = serializers.DateTimeField(allow_null=True)
    letters = LetterSerializer(many=True, source="letters.all")

    def get_programmes(self, sanction) -> list[str]:
        return [programme.code for programme in sanction.programmes.all()]

    def get_whole_enterprise(self, sanction) -> bool:
        return sanction.kind == Sanction.Kind.EXCLUSION and sanction.unit_id is None


class RecognitionSerializer(serializers.Serializer):
    """A recognition, as its partnership, its enterprise or a mandated coach sees it."""

    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=Recognition.State.choices)
    state_label = serializers.CharField(source="get_state_display")
    register_state = serializers.ChoiceField(choices=selectors.REGISTER_STATES,
                                             source="shown_state", help_text=REGISTER_STATE_HELP)
    version = serializers.IntegerField(help_text="Raised by every change; send it back with an "
                                                 "action that asks for it.")
    enterprise = EnterpriseRefSerializer()
    unit = UnitSerializer()
    programme = NamedSerializer()
    partnership = NamedSerializer()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True, help_text=(
        "The day a sanction ended it before its end."))
    previous = serializers.IntegerField(source="previous_id", allow_null=True,
                                        help_text="The recognition this one renews.")
    successor = serializers.IntegerField(source="successor_id", allow_null=True,
                                         help_text="The recognition that renews this one.")
    application = serializers.IntegerField(source="application_id", allow_null=True)
    mentors = MentorLinkSerializer(many=True, source="link_list", help_text=(
        "Active mentors first. National register numbers are never shown."))
    support_actions = SupportActionSerializer(many=True, source="action_list", help_text=(
        "All its support actions, the latest first; open or answered ones are still to be "
        "followed up."))
    sanctions = SanctionSerializer(many=True, source="sanction_list", help_text=(
        "Imposed on it, and the exclusion of the whole enterprise that ended it."))
    findings = FindingSerializer(many=True, source="finding_list", help_text=(
        "Monitoring findings: for the partnership's case handlers only (empty for others)."))
    role = serializers.ChoiceField(choices=[HANDLER, ENTERPRISE, COACH], help_text=(
        "How you read it: as a case handler of its partnership, for the enterprise, or as a "
        "learner coach under a mandate."))

    def to_representation(self, recognition):
        role = self.context["role"]
        recognition.role = role
        recognition.shown_state = recognition.register_state(timezone.localdate())
        successor = getattr(recognition, "successor", None)
        recognition.successor_id = successor.pk if successor is not None else None
        recognition.link_list = list(
            recognition.mentor_links.select_related("mentor")
            .order_by("-is_active", "mentor__last_name", "mentor__first_name", "pk"))
        recognition.action_list = selectors.support_actions_of(recognition)
        recognition.sanction_list = selectors.sanctions_of(recognition)
        recognition.finding_list = (selectors.findings_of(recognition) if role == HANDLER
                                    else [])
        return super().to_representation(recognition)


def recognition_response(request, pk: int) -> Response:
    """The recognition as it is now, as the user sees it."""
    recognition, role = recognition_for(request.user, pk)
    return Response(RecognitionSerializer(recognition, context={"role": role}).data)


def _invalid(field: str, message: str, code: str = "invalid") -> DjangoValidationError:
    return DjangoValidationError({field: DjangoValidationError(message, code=code)})


@extend_schema(tags=TAGS)
class RecognitionList(generics.ListAPIView):
    serializer_class = RecognitionListSerializer

    @extend_schema(summary="Recognitions you may follow", description=(
        "For a case handler: those of their partnerships. For the enterprise's people: those "
        "of their enterprises. For a learner coach: those of the units their mandates cover."),
        parameters=[
            OpenApiParameter("state", str, enum=Recognition.State.values,
                             description="Only in this (stored) state."),
            OpenApiParameter("programme", str, description="Only of this programme (code)."),
            OpenApiParameter("enterprise", int, description="Only of this enterprise (id)."),
            OpenApiParameter("unit", int, description="Only of this establishment unit (id)."),
        ], responses={200: RecognitionListSerializer(many=True)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def get_queryset(self):
        queryset = visible_recognitions(self.request.user).select_related(
            "enterprise", "unit", "programme", "partnership")
        params = self.request.query_params
        if state := params.get("state"):
            if state not in Recognition.State.values:
                raise _invalid("state", _("Unknown state."), "invalid_choice")
            queryset = queryset.filter(state=state)
        if programme := params.get("programme"):
            queryset = queryset.filter(programme__code=programme)
        for name in ("enterprise", "unit"):
            if value := params.get(name):
                if not value.isdigit():
                    raise _invalid(name, _("Give the id of the enterprise.") if name ==
                                   "enterprise" else _("Give the id of the establishment unit."))
                queryset = queryset.filter(**{f"{name}_id": int(value)})
        return queryset


@extend_schema(tags=TAGS)
class RecognitionDetail(APIView):
    @extend_schema(summary="One recognition", description=(
        "With its mentors, support actions and sanctions; the monitoring findings for the "
        "partnership's case handlers only."), responses={200: RecognitionSerializer})
    def get(self, request, pk: int):
        return recognition_response(request, pk)


@extend_schema(tags=TAGS, summary="The timeline of the recognition",
               description="The enterprise and a learner coach do not see the partnership's "
                           "internal steps (findings, reminders of follow-ups).",
               responses={200: EventSerializer(many=True)})
class RecognitionEvents(APIView):
    def get(self, request, pk: int):
        recognition, role = recognition_for(request.user, pk)
        events = selectors.timeline(recognition, internal=role == HANDLER)
        return Response(EventSerializer(events, many=True).data)


# --- the partnership's monitoring ------------------------------------------------------------

VERSION_HELP = ("The recognition's `version` as you read it: when it changed meanwhile, "
                "nothing is done and the answer is 409 (error code `stale`).")


class VersionInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class FindingInputSerializer(VersionInputSerializer):
    kind = serializers.ChoiceField(choices=Finding.Kind.choices,
                                   help_text="A site visit, a complaint or a check.")
    on = serializers.DateField(help_text="The day of the visit, complaint or check; not in "
                                         "the future.")
    outcome = serializers.ChoiceField(choices=Finding.Outcome.choices, help_text=(
        "Whether the conditions and duties are met."))
    condition = serializers.ChoiceField(
        choices=services.FINDING_CONDITIONS, required=False, allow_blank=True, default="",
        help_text="The condition or duty concerned; required when it is no longer met.")
    description = serializers.CharField(max_length=10000, help_text="What was found.")

    def validate(self, data):
        if data["outcome"] == Finding.Outcome.NOT_MET and not data.get("condition"):
            raise serializers.ValidationError({"condition": _(
                "Choose the condition or duty that is no longer met.")}, code="required")
        return data


class SupportActionInputSerializer(VersionInputSerializer):
    improvement = serializers.CharField(max_length=10000, help_text=(
        "What must improve. The enterprise sees this text and answers it."))
    due_on = serializers.DateField(help_text="The last day for the enterprise to improve, "
                                             "after today.")
    finding = serializers.IntegerField(required=False, allow_null=True, help_text=(
        "The finding of this recognition it follows (id), if any."))


class FollowUpInputSerializer(VersionInputSerializer):
    met = serializers.BooleanField(help_text=(
        "Whether the improvement was made. `false` (not met) only from the deadline on; a "
        "sanction may then follow."))
    note = serializers.CharField(max_length=10000, help_text="What you found.")


class SanctionInputSerializer(VersionInputSerializer):
    support_action = serializers.IntegerField(help_text=(
        "The support action of this recognition that was followed up and not met (id)."))
    kind = serializers.ChoiceField(choices=Sanction.Kind.choices, help_text=(
        "`mentor_ban`: the mentor may no longer coach for the programmes; `withdrawal`: this "
        "recognition ends; `exclusion`: every recognition of the unit (or the whole "
        "enterprise) ends, and no application is accepted while it lasts."))
    reasons = serializers.CharField(max_length=10000, help_text="They go into the letter to "
                                                                "the enterprise.")
    mentor = serializers.IntegerField(required=False, allow_null=True, help_text=(
        "A mentor ban: the mentor (`mentor` in `mentors` of the recognition)."))
    programmes = serializers.ListField(
        child=serializers.SlugField(), required=False, default=list, help_text=(
            "A mentor ban: the codes of the programmes, among those of the enterprise's "
            "recognitions in force of this partnership."))
    replacement_mentor = serializers.IntegerField(required=False, allow_null=True, help_text=(
        "A mentor ban: another active mentor of this recognition who takes over the banned "
        "mentor's running agreements here. Without one, those agreements end early (as do "
        "those under the enterprise's other recognitions)."))
    whole_enterprise = serializers.BooleanField(required=False, default=False, help_text=(
        "An exclusion: of the whole enterprise rather than this establishment unit."))
    ends_on = serializers.DateField(required=False, allow_null=True, help_text=(
        "An exclusion: its last day, after today (temporary); empty for a definitive one."))


class AnswerInputSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=10000, help_text=(
        "What the enterprise did or will do. It may add to it until the follow-up."))


class DeactivateMentorInputSerializer(VersionInputSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200,
                                   help_text="Why the mentor no longer coaches (optional).")


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _action(recognition: Recognition, action_id: int) -> SupportAction:
    action = recognition.support_actions.filter(pk=action_id).first()
    if action is None:
        raise Http404
    return action


def _still_open(action: SupportAction) -> None:
    """An action that was followed up already takes no answer or follow-up (409)."""
    if action.state not in SupportAction.OPEN_STATES:
        raise DjangoValidationError(_("This support action has been followed up already."),
                                    code="not_open")


class _Action(APIView):
    parser_classes = [JSONParser]


@extend_schema(tags=TAGS)
class RecordFinding(_Action):
    @extend_schema(summary="Record a monitoring finding", description=(
        "A site visit, a complaint or a check. The enterprise does not see findings."),
        request=FindingInputSerializer, responses={200: RecognitionSerializer})
    def post(self, request, pk: int):
        recognition = _as_handler(request, pk)
        data = _valid(FindingInputSerializer, request)
        services.record_finding(actor=request.user, recognition_id=recognition.pk,
                                version=data["version"], kind=data["kind"], on=data["on"],
                                outcome=data["outcome"], description=data["description"],
                                condition=data["condition"])
        return recognition_response(request, pk)


@extend_schema(tags=TAGS)
class OpenSupportAction(_Action):
    @extend_schema(summary="Open a support action", description=(
        "What the enterprise must improve, by when. It is told by e-mail and answers it. Only "
        "for a recognition in force."),
        request=SupportActionInputSerializer, responses={200: RecognitionSerializer})
    def post(self, request, pk: int):
        recognition = _as_handler(request, pk)
        data = _valid(SupportActionInputSerializer, request)
        finding_id = data.get("finding")
        if finding_id and not recognition.findings.filter(pk=finding_id).exists():
            raise _invalid("finding", _("Choose one of the findings of this recognition, or "
                                        "none."), "unknown")
        services.open_support_action(actor=request.user, recognition_id=recognition.pk,
                                     version=data["version"], improvement=data["improvement"],
                                     due_on=data["due_on"], finding_id=finding_id)
        return recognition_response(request, pk)


@extend_schema(tags=TAGS)
class FollowUpSupportAction(_Action):
    @extend_schema(summary="Follow up a support action", description=(
        "Met, or not met (from its deadline on). After “not met” a sanction may follow. An "
        "action followed up already gives 409."),
        request=FollowUpInputSerializer, responses={200: RecognitionSerializer})
    def post(self, request, pk: int, action_id: int):
        recognition = _as_handler(request, pk)
        action = _action(recognition, action_id)
        data = _valid(FollowUpInputSerializer, request)
        _still_open(action)
        services.follow_up_support_action(actor=request.user, action_id=action.pk,
                                          version=data["version"], met=data["met"],
                                          note=data["note"])
        return recognition_response(request, pk)


@extend_schema(tags=TAGS)
class ImposeSanction(_Action):
    @extend_schema(summary="Impose a sanction", description=(
        "After a support action that was followed up and not met. Its effects apply at once "
        "(mentors deactivated, recognitions ended, running agreements ended or given the "
        "replacement mentor) and the official letter is sent. Only an appeal lifts it."),
        request=SanctionInputSerializer, responses={200: RecognitionSerializer})
    def post(self, request, pk: int):
        recognition = _as_handler(request, pk)
        data = _valid(SanctionInputSerializer, request)
        if not recognition.support_actions.filter(pk=data["support_action"]).exists():
            raise _invalid("support_action", _("Choose a support action of this recognition."),
                           "unknown")
        codes = set(data["programmes"])
        programmes = dict(Programme.objects.filter(code__in=codes).values_list("code", "pk"))
        if len(programmes) != len(codes):
            raise _invalid("programmes", _("There is no programme with the code %(codes)s.") % {
                "codes": ", ".join(sorted(codes - set(programmes)))}, "unknown")
        kind = data["kind"]
        ban = kind == Sanction.Kind.MENTOR_BAN
        exclusion = kind == Sanction.Kind.EXCLUSION
        services.impose_sanction(
            actor=request.user, support_action_id=data["support_action"], kind=kind,
            reasons=data["reasons"], version=data["version"],
            mentor_id=data.get("mentor") if ban else None,
            programme_ids=list(programmes.values()) if ban else [],
            replacement_mentor_id=data.get("replacement_mentor") if ban else None,
            whole_enterprise=exclusion and data["whole_enterprise"],
            ends_on=data.get("ends_on") if exclusion else None)
        return recognition_response(request, pk)


# --- the enterprise --------------------------------------------------------------------------


@extend_schema(tags=TAGS)
class AnswerSupportAction(_Action):
    @extend_schema(summary="Answer a support action", description=(
        "For the enterprise's representatives and employer staff: what it did or will do. It "
        "may add to its answer until the follow-up (then 409)."),
        request=AnswerInputSerializer, responses={200: RecognitionSerializer})
    def post(self, request, pk: int, action_id: int):
        recognition = _as_enterprise(request, pk)
        action = _action(recognition, action_id)
        data = _valid(AnswerInputSerializer, request)
        _still_open(action)
        services.answer_support_action(actor=request.user, action_id=action.pk,
                                       answer=data["answer"])
        return recognition_response(request, pk)


@extend_schema(tags=TAGS)
class DeactivateMentor(_Action):
    @extend_schema(summary="Stop a mentor", description=(
        "For the enterprise's representatives and employer staff: the mentor no longer coaches "
        "for this recognition. Refused while they coach a running agreement (replace them on "
        "the recognition's page instead)."),
        request=DeactivateMentorInputSerializer, responses={200: RecognitionSerializer})
    def post(self, request, pk: int, link_id: int):
        recognition = _as_enterprise(request, pk)
        if not RecognitionMentor.objects.filter(pk=link_id, recognition=recognition).exists():
            raise Http404
        data = _valid(DeactivateMentorInputSerializer, request)
        services.deactivate_mentor(actor=request.user, recognition_id=recognition.pk,
                                   link_id=link_id, version=data["version"],
                                   reason=data["reason"])
        return recognition_response(request, pk)


urlpatterns = [
    path("recognitions/", RecognitionList.as_view(), name="recognition-list"),
    path("recognitions/<int:pk>/", RecognitionDetail.as_view(), name="recognition-detail"),
    path("recognitions/<int:pk>/events/", RecognitionEvents.as_view(),
         name="recognition-events"),
    path("recognitions/<int:pk>/findings/", RecordFinding.as_view(),
         name="recognition-findings"),
    path("recognitions/<int:pk>/support-actions/", OpenSupportAction.as_view(),
         name="recognition-support-actions"),
    path("recognitions/<int:pk>/support-actions/<int:action_id>/follow-up/",
         FollowUpSupportAction.as_view(), name="recognition-support-action-follow-up"),
    path("recognitions/<int:pk>/support-actions/<int:action_id>/answer/",
         AnswerSupportAction.as_view(), name="recognition-support-action-answer"),
    path("recognitions/<int:pk>/sanctions/", ImposeSanction.as_view(),
         name="recognition-sanctions"),
    path("recognitions/<int:pk>/mentors/<int:link_id>/deactivate/", DeactivateMentor.as_view(),
         name="recognition-mentor-deactivate"),
]
