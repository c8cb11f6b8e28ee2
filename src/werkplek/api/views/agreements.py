"""Agreements with learners through the API: the enterprise, a training provider's learner coach
(for their provider's learners, and reading the agreements of the enterprises that gave them a
mandate to manage agreements) and a partnership's case handler (read-only) follow them; either
side registers one, the other confirms it, either ends it early, the enterprise names another
mentor.

Each write calls the service the web pages call (`agreements.services`), so the same rules,
permissions and timeline apply. The learner's national register number is taken on
registration and only ever shown masked."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from werkplek.agreements import selectors, services
from werkplek.agreements.models import Agreement

from ..errors import Conflict
from ..fields import EnterpriseRefSerializer, NamedSerializer, UnitSerializer

# --- who sees what ---------------------------------------------------------------------------


def _mandated_q(user) -> Q | None:
    """The agreements of the enterprises (and units) that gave the user a mandate in force to
    manage agreements."""
    from werkplek.enterprises.selectors import mandates_held

    condition = None
    for mandate in mandates_held(user).filter(may_manage_agreements=True):
        part = Q(enterprise_id=mandate.enterprise_id)
        if not mandate.all_units:
            part &= Q(unit_id__in=[unit.pk for unit in mandate.units.all()])
        condition = part if condition is None else condition | part
    return condition


def visible_agreements(user):
    """What the user may read, as the web lists show it: an enterprise's agreements to its
    representatives and employer staff, a training provider's to its learner coaches (and the
    mandating enterprises' to a coach with a mandate to manage agreements), and those under a
    partnership's recognitions to its case handlers."""
    from werkplek.applications.selectors import handled_partnership_ids

    if not getattr(user, "is_authenticated", False):
        return Agreement.objects.none()
    parts = []
    if enterprise_ids := selectors.enterprise_ids_for(user):
        parts.append(Q(enterprise_id__in=enterprise_ids))
    if provider_ids := selectors.provider_ids_for(user):
        parts.append(Q(training_provider_id__in=provider_ids))
        if (mandated := _mandated_q(user)) is not None:
            parts.append(mandated)
    if partnership_ids := handled_partnership_ids(user):
        parts.append(Q(recognition__partnership_id__in=partnership_ids))
    if not parts:
        return Agreement.objects.none()
    condition = parts[0]
    for part in parts[1:]:
        condition |= part
    return Agreement.objects.filter(condition)


_RELATED = ("learner", "enterprise", "unit__province", "programme", "mentor",
            "training_provider", "recognition")


def agreement_for(user, pk: int) -> Agreement:
    """The agreement if the user may read it; 404 otherwise (never reveal that it exists)."""
    agreement = visible_agreements(user).filter(pk=pk).select_related(*_RELATED).first()
    if agreement is None:
        raise Http404
    return agreement


# --- reading ---------------------------------------------------------------------------------


class AgreementLearnerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    national_number = serializers.CharField(
        source="masked_national_number",
        help_text="Masked: only the check digits show (xx.xx.xx-xxx.28). Never in clear.")


class AgreementMentorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()


class AgreementProviderSerializer(NamedSerializer):
    id = serializers.IntegerField()


class AgreementListSerializer(serializers.Serializer):
    """One agreement in a list."""

    id = serializers.IntegerField()
    learner = AgreementLearnerSerializer()
    enterprise = EnterpriseRefSerializer()
    unit = serializers.IntegerField(source="unit_id", help_text="Id of the establishment unit.")
    recognition = serializers.IntegerField(source="recognition_id")
    programme = serializers.CharField(source="programme.code", help_text="Code of the programme.")
    mentor = AgreementMentorSerializer()
    training_provider = AgreementProviderSerializer()
    kind = serializers.ChoiceField(choices=Agreement.Kind.choices, help_text=(
        "`oao` (alternating training) from 20 hours a week at the workplace, else `stage`."))
    weekly_hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    state = serializers.ChoiceField(choices=Agreement.State.choices)
    state_label = serializers.CharField(source="get_state_display")
    registered_side = serializers.ChoiceField(choices=Agreement.Side.choices,
                                              help_text="The side that registered it.")


class AgreementSerializer(AgreementListSerializer):
    """An agreement, as its two sides and the partnership's case handlers see it."""

    unit = UnitSerializer()
    programme = NamedSerializer()
    kind_label = serializers.CharField(source="get_kind_display")
    waiting_for = serializers.SerializerMethodField(help_text=(
        "While it waits for confirmation: the side that confirms it (the one that did not "
        "register it)."))
    confirmed_at = serializers.DateTimeField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True, help_text="The last day, when it ended "
                                                                "early.")
    end_reason = serializers.SerializerMethodField(help_text=(
        "Why it ended early: `party` (one of the parties), `withdrawal`, `exclusion`, "
        "`mentor_ban` or `recognition_end`; null otherwise."))
    end_note = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField(help_text="When it was registered.")

    def get_waiting_for(self, agreement) -> str | None:
        if agreement.state != Agreement.State.DRAFT:
            return None
        return str(Agreement.Side.PROVIDER if agreement.registered_side ==
                   Agreement.Side.ENTERPRISE else Agreement.Side.ENTERPRISE)

    def get_end_reason(self, agreement) -> str | None:
        return agreement.end_reason or None


def agreement_response(agreement: Agreement, *, status_code: int = 200) -> Response:
    """The agreement as it is now (fresh from the database, with what the detail shows)."""
    fresh = Agreement.objects.select_related(*_RELATED).get(pk=agreement.pk)
    return Response(AgreementSerializer(fresh).data, status=status_code)


class AgreementEventSerializer(serializers.Serializer):
    """One entry of an agreement's timeline."""

    kind = serializers.CharField(help_text="registered, activated, mentor_changed, "
                                           "ended_early, ended or restored.")
    label = serializers.CharField(source="get_kind_display")
    by = serializers.SerializerMethodField(help_text="Who did it (null: the system).")
    side = serializers.SerializerMethodField(help_text=(
        "For a registration or confirmation: the side that acted (enterprise, provider)."))
    from_mentor = serializers.CharField(allow_blank=True,
                                        help_text="For another mentor: the mentor before.")
    to_mentor = serializers.CharField(allow_blank=True,
                                      help_text="For another mentor: the new mentor.")
    ended_on = serializers.DateField(allow_null=True,
                                     help_text="For an early end: the last day.")
    message = serializers.CharField(allow_blank=True)
    at = serializers.DateTimeField(source="created_at")

    def get_by(self, event) -> str | None:
        actor = event.actor
        return None if actor is None else (actor.get_full_name() or actor.username)

    def get_side(self, event) -> str | None:
        side = (event.data or {}).get("side")
        return side if side in Agreement.Side.values else None


# --- the list and registering ----------------------------------------------------------------


class RegisterSerializer(serializers.Serializer):
    """An agreement to register at a recognised workplace: it waits for the other side's
    confirmation."""

    recognition = serializers.IntegerField(help_text=(
        "Id of the recognition in force (unit and programme) the learner works under."))
    first_name = serializers.CharField(max_length=100, help_text="The learner's first name.")
    last_name = serializers.CharField(max_length=100, help_text="The learner's last name.")
    national_number = serializers.CharField(max_length=20, write_only=True, help_text=(
        "The learner's national register number (11 digits; dots and dash allowed). A known "
        "learner must have the same name. It is stored encrypted and only shown masked."))
    training_provider = serializers.IntegerField(required=False, help_text=(
        "Id of the learner's training provider. A learner coach of one training provider may "
        "leave it out: theirs."))
    mentor = serializers.IntegerField(help_text="Id of an active mentor of the recognition.")
    start_date = serializers.DateField(help_text="The first day.")
    end_date = serializers.DateField(help_text="The last day (at most 5 years later).")
    weekly_hours = serializers.DecimalField(max_digits=4, decimal_places=1, help_text=(
        "Hours a week at the workplace on average (1 to 50): from 20 it is an OAO, below a "
        "stage agreement."))


STATE_PARAMETER = OpenApiParameter("state", str, enum=Agreement.State.values,
                                   description="Only in this state.")


def _id_parameter(params, name: str) -> int | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    if not value.isdigit():
        raise DjangoValidationError({name: DjangoValidationError(
            _("Give an id (a whole number)."), code="invalid")})
    return int(value)


@extend_schema(tags=["agreements"])
class AgreementList(generics.ListCreateAPIView):
    serializer_class = AgreementListSerializer
    parser_classes = [JSONParser]

    @extend_schema(summary="Agreements you may follow", description=(
        "The enterprise's agreements for its people; a learner coach's training provider's "
        "(and those of the enterprises that gave them a mandate to manage agreements); those "
        "under a partnership's recognitions for its case handlers. The latest registered "
        "first."), parameters=[
        STATE_PARAMETER,
        OpenApiParameter("recognition", int, description="Only under this recognition (id)."),
        OpenApiParameter("enterprise", int, description="Only of this enterprise (id)."),
    ], responses={200: AgreementListSerializer(many=True)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        queryset = visible_agreements(self.request.user).select_related(
            "learner", "enterprise", "programme", "mentor", "training_provider")
        params = self.request.query_params
        if state := params.get("state"):
            if state not in Agreement.State.values:
                raise DjangoValidationError({"state": DjangoValidationError(
                    _("Unknown state."), code="invalid_choice")})
            queryset = queryset.filter(state=state)
        if (recognition := _id_parameter(params, "recognition")) is not None:
            queryset = queryset.filter(recognition_id=recognition)
        if (enterprise := _id_parameter(params, "enterprise")) is not None:
            queryset = queryset.filter(enterprise_id=enterprise)
        return queryset

    @extend_schema(summary="Register an agreement", description=(
        "By the enterprise, or by a learner coach of the learner's training provider, at a "
        "recognition in force: the rules (recognition in force on the start, an active mentor "
        "of the recognition who may coach, the mentor-training deadline, the learners a mentor "
        "may coach at once) are checked, and a rule that refuses it gives 400 with the error "
        "on the field it is about (mostly `mentor`). It then waits for the other side's "
        "confirmation."), request=RegisterSerializer, responses={201: AgreementSerializer})
    def post(self, request, *args, **kwargs):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        recognition = selectors.workplace(data["recognition"])
        if recognition is None:
            raise DjangoValidationError({"recognition": DjangoValidationError(
                _("There is no recognition in force with this id: agreements are registered "
                  "under a recognition in force."), code="not_in_force")})
        provider_id = data.get("training_provider")
        if provider_id is None:
            provider_ids = selectors.provider_ids_for(request.user)
            if len(provider_ids) != 1 or services.is_enterprise_side(
                    request.user, recognition.enterprise_id):
                raise DjangoValidationError({"training_provider": DjangoValidationError(
                    _("Give the id of the learner's training provider."), code="required")})
            provider_id = provider_ids[0]
        agreement = services.register_agreement(
            actor=request.user, recognition_id=recognition.pk, first_name=data["first_name"],
            last_name=data["last_name"], national_number=data["national_number"],
            training_provider_id=provider_id, mentor_id=data["mentor"],
            start_date=data["start_date"], end_date=data["end_date"],
            weekly_hours=data["weekly_hours"])
        return agreement_response(agreement, status_code=status.HTTP_201_CREATED)


# --- one agreement ---------------------------------------------------------------------------


@extend_schema(tags=["agreements"])
class AgreementDetail(APIView):
    @extend_schema(summary="One agreement", description=(
        "404 when it does not exist or you may not see it."),
        responses={200: AgreementSerializer})
    def get(self, request, pk: int):
        return Response(AgreementSerializer(agreement_for(request.user, pk)).data)


@extend_schema(tags=["agreements"], summary="The timeline of the agreement",
               responses={200: AgreementEventSerializer(many=True)})
class Events(generics.ListAPIView):
    serializer_class = AgreementEventSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.timeline(agreement_for(self.request.user, self.kwargs["pk"]))


def _act(agreement: Agreement, allowed_states, call) -> Agreement:
    """Call the service; a refusal because the agreement is (now) in another state is a 409
    Conflict, any other refusal stays what the service says."""
    try:
        return call()
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            state = (Agreement.objects.filter(pk=agreement.pk)
                     .values_list("state", flat=True).first())
            if state not in allowed_states:
                raise Conflict(" ".join(error.messages)) from error
        raise


# An action without a body can still be refused by a rule (the schema hook adds 400 only where
# there is input).
REFUSED = OpenApiResponse(response={"$ref": "#/components/schemas/Error"}, description=(
    "A rule refuses it (see `fields` and `errors`)."))


class EndSerializer(serializers.Serializer):
    on_day = serializers.DateField(help_text=(
        "The last day (before the end date; for a running agreement not before the start)."))
    note = serializers.CharField(max_length=2000, help_text="Why the agreement ends.")


class MentorChangeSerializer(serializers.Serializer):
    mentor = serializers.IntegerField(help_text="Id of another active mentor of the "
                                                "recognition.")


@extend_schema(tags=["agreements"])
class Confirm(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="Confirm the agreement", request=None, description=(
        "By the side that did not register it (the enterprise, or a learner coach of the "
        "training provider): the rules are checked again, and it runs. 400 when a rule refuses "
        "it now (or you registered it yourself), 409 when it no longer waits for "
        "confirmation."), responses={200: AgreementSerializer, 400: REFUSED})
    def post(self, request, pk: int):
        agreement = agreement_for(request.user, pk)
        agreement = _act(agreement, (Agreement.State.DRAFT,), lambda: services.confirm_agreement(
            actor=request.user, agreement_id=agreement.pk))
        return agreement_response(agreement)


@extend_schema(tags=["agreements"])
class End(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="End the agreement early", request=EndSerializer, description=(
        "Either side ends it before its end date, or withdraws a registration that waits for "
        "confirmation, with the reason. 409 when it has ended already."),
        responses={200: AgreementSerializer})
    def post(self, request, pk: int):
        agreement = agreement_for(request.user, pk)
        serializer = EndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        agreement = _act(agreement, Agreement.RUNNING_STATES, lambda: services.end_agreement(
            actor=request.user, agreement_id=agreement.pk, on_day=data["on_day"],
            note=data["note"]))
        return agreement_response(agreement)


@extend_schema(tags=["agreements"])
class ChangeMentor(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="Name another mentor", request=MentorChangeSerializer, description=(
        "The enterprise names another active mentor of the recognition for an agreement that "
        "runs or waits for confirmation; the rules are checked for the new mentor over the rest "
        "of the period. 409 when it has ended already."), responses={200: AgreementSerializer})
    def post(self, request, pk: int):
        agreement = agreement_for(request.user, pk)
        serializer = MentorChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        mentor_id = serializer.validated_data["mentor"]
        agreement = _act(agreement, Agreement.RUNNING_STATES, lambda: services.change_mentor(
            actor=request.user, agreement_id=agreement.pk, mentor_id=mentor_id))
        return agreement_response(agreement)


urlpatterns = [
    path("agreements/", AgreementList.as_view(), name="agreement-list"),
    path("agreements/<int:pk>/", AgreementDetail.as_view(), name="agreement-detail"),
    path("agreements/<int:pk>/events/", Events.as_view(), name="agreement-events"),
    path("agreements/<int:pk>/confirm/", Confirm.as_view(), name="agreement-confirm"),
    path("agreements/<int:pk>/end/", End.as_view(), name="agreement-end"),
    path("agreements/<int:pk>/change-mentor/", ChangeMentor.as_view(),
         name="agreement-change-mentor"),
]

__all__ = ["AgreementSerializer", "agreement_for", "urlpatterns", "visible_agreements"]

