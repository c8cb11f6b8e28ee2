"""The catalogue: programmes and partnerships (read, public)."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import ValidationError

from werkplek.catalog.models import Partnership, Programme, Sector

from ..fields import NamedSerializer


class ActivitySerializer(serializers.Serializer):
    nl = serializers.CharField()
    en = serializers.CharField()


class ProgrammeSerializer(serializers.ModelSerializer):
    sector = NamedSerializer()
    activities = ActivitySerializer(many=True, help_text=(
        "The activities of the programme, in order; an application names the ones the "
        "workplace offers by their position (0, 1, …)."))

    class Meta:
        model = Programme
        fields = ["code", "name_nl", "name_en", "sector", "level", "standard_trajectory",
                  "activities", "is_active"]


class PartnershipSerializer(serializers.ModelSerializer):
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Partnership
        fields = ["code", "name_nl", "name_en", "short_name", "kind", "email", "phone",
                  "address", "sectors", "min_mentor_age", "min_experience_years",
                  "experience_derogation_allowed", "mentor_training_required",
                  "mentor_training_deadline_months", "max_learners_per_mentor",
                  "requires_vote", "completion_period_days"]


@extend_schema_view(
    get=extend_schema(tags=["catalogue"], summary="Programmes", parameters=[
        OpenApiParameter("sector", str, description="Only the programmes of this sector (code)."),
        OpenApiParameter("active", bool, description="Only those on offer (true) or no longer "
                                                     "offered (false)."),
        OpenApiParameter("q", str, description="Part of the name, Dutch or English."),
    ]))
class ProgrammeList(generics.ListAPIView):
    serializer_class = ProgrammeSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        from django.db.models import Q

        params = self.request.query_params
        queryset = Programme.objects.select_related("sector")
        if sector := params.get("sector"):
            queryset = queryset.filter(sector__code=sector)
        if (active := params.get("active")) is not None:
            if active not in ("true", "false"):
                raise ValidationError({"active": [_("Use true or false.")]})
            queryset = queryset.filter(is_active=active == "true")
        if q := params.get("q", "").strip():
            queryset = queryset.filter(Q(name_nl__icontains=q) | Q(name_en__icontains=q))
        return queryset


@extend_schema_view(get=extend_schema(tags=["catalogue"], summary="One programme"))
class ProgrammeDetail(generics.RetrieveAPIView):
    serializer_class = ProgrammeSerializer
    permission_classes = [permissions.AllowAny]
    queryset = Programme.objects.select_related("sector")
    lookup_field = "code"


@extend_schema_view(get=extend_schema(tags=["catalogue"], summary="Partnerships"))
class PartnershipList(generics.ListAPIView):
    serializer_class = PartnershipSerializer
    permission_classes = [permissions.AllowAny]
    queryset = Partnership.objects.prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.only("id", "code")))


@extend_schema_view(get=extend_schema(tags=["catalogue"], summary="One partnership"))
class PartnershipDetail(generics.RetrieveAPIView):
    serializer_class = PartnershipSerializer
    permission_classes = [permissions.AllowAny]
    queryset = PartnershipList.queryset
    lookup_field = "code"
