"""The public register of recognised workplaces (read, anonymous), with ETags."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import NotFound

from werkplek.core.identifiers import format_enterprise_number, format_establishment_unit_number
from werkplek.core.pagecache import fetch, known_parameters, store
from werkplek.register import selectors
from werkplek.register.forms import DEFAULT_RADIUS, RADII, RegisterSearchForm

from ..etags import ETAG_HEADER, IF_NONE_MATCH, NOT_MODIFIED, kept_response, with_etag
from ..fields import EnterpriseRefSerializer, NamedSerializer, UnitSerializer


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    via_partnership = serializers.BooleanField(
        help_text="True when the enterprise gave no contact: then it is the partnership's.")


class WorkplaceSerializer(serializers.Serializer):
    """A recognised workplace. No personal data: no mentors, no learners."""

    id = serializers.IntegerField()
    enterprise = EnterpriseRefSerializer()
    unit = UnitSerializer()
    programme = NamedSerializer()
    sector = NamedSerializer(source="programme.sector")
    partnership = NamedSerializer()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    contact = serializers.SerializerMethodField()
    distance_km = serializers.SerializerMethodField(
        help_text="Distance from the place searched for, in km (only with `place`).")

    def get_contact(self, recognition) -> ContactSerializer:
        return ContactSerializer(selectors.contact_for(recognition)).data

    def get_distance_km(self, recognition) -> float | None:
        near = self.context.get("near")
        if not near:
            return None
        km = near.get(recognition.unit.postal_code)
        return None if km is None else round(km, 1)

    def to_representation(self, recognition) -> dict:
        """The fields above, built directly: the same JSON (tests/register/test_api.py compares
        it with the declared fields' output) at a fraction of the cost of a page of 50
        workplaces through six nested serializers each."""
        enterprise, unit = recognition.enterprise, recognition.unit
        programme = recognition.programme
        contact = selectors.contact_for(recognition)
        return {
            "id": recognition.pk,
            "enterprise": {"id": enterprise.pk,
                           "enterprise_number": format_enterprise_number(
                               enterprise.enterprise_number),
                           "name": enterprise.name},
            "unit": {"id": unit.pk,
                     "unit_number": format_establishment_unit_number(unit.unit_number),
                     "name": unit.name, "street": unit.street, "postal_code": unit.postal_code,
                     "municipality": unit.municipality,
                     "province": None if unit.province is None else _named(unit.province)},
            "programme": _named(programme),
            "sector": _named(programme.sector),
            "partnership": _named(recognition.partnership),
            "valid_from": recognition.valid_from.isoformat(),
            "valid_until": recognition.valid_until.isoformat(),
            "contact": {"name": contact.name, "email": contact.email, "phone": contact.phone,
                        "via_partnership": contact.via_partnership},
            "distance_km": self.get_distance_km(recognition),
        }


def _named(entry) -> dict:
    return {"code": entry.code, "name_nl": entry.name_nl, "name_en": entry.name_en}


# API names of the filters, and the field of the register's search form each one fills.
FILTERS = {"programme": "opleiding", "place": "plaats", "radius_km": "straal",
           "province": "provincie", "partnership": "partnerschap", "sector": "sector"}
# The query parameters a kept page of the list may have: the filters and the pagination's.
KEPT_PARAMETERS = frozenset({*FILTERS, "cursor", "page_size"})


@extend_schema(
    tags=["register"], summary="Search the recognised workplaces",
    description="The recognitions in force today, by id. Filters combine.",
    parameters=[
        OpenApiParameter("programme", str, description="Part of the programme's name, "
                                                       "Dutch or English."),
        OpenApiParameter("place", str, description="A Belgian postal code or municipality."),
        OpenApiParameter("radius_km", int, enum=list(RADII),
                         description=f"Distance from `place` (default {DEFAULT_RADIUS})."),
        OpenApiParameter("province", str, description="Province code (e.g. VOV)."),
        OpenApiParameter("partnership", str, description="Partnership code."),
        OpenApiParameter("sector", str, description="Sector code."),
        IF_NONE_MATCH, ETAG_HEADER,
    ],
    responses={200: OpenApiResponse(WorkplaceSerializer(many=True)), 304: NOT_MODIFIED},
)
class RegisterList(generics.ListAPIView):
    serializer_class = WorkplaceSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        params = self.request.query_params
        form = RegisterSearchForm({form_name: params.get(name, "")
                                   for name, form_name in FILTERS.items()})
        if not form.is_valid():
            names = {form_name: name for name, form_name in FILTERS.items()}
            raise DjangoValidationError({names.get(key, key): errors
                                         for key, errors in form.errors.as_data().items()})
        self.near = form.postal_codes
        return selectors.search(today=timezone.localdate(), **form.filters()).order_by("-pk")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "near": getattr(self, "near", None)}

    def list(self, request, *args, **kwargs):
        """A page of the register, kept rendered in the cache (after the throttles: they count
        every request) under its address, language, day and the register's version, like the
        register's public pages (werkplek.core.pagecache); a kept page is served only while
        every recognition on it is still in force."""
        # Plain JSON (no `indent`) of an address with only the parameters the list reads.
        if not (settings.WERKPLEK_PAGE_CACHE and request.accepted_media_type == "application/json"
                and known_parameters(request, KEPT_PARAMETERS)):
            return with_etag(request, super().list(request, *args, **kwargs))
        key, current, kept = fetch(
            request, kind="api-register", version_key=selectors.VERSION_KEY,
            version=selectors.cache_version, still_shown=selectors.all_in_force)
        if kept is not None:
            return kept_response(request, *kept)
        response = with_etag(request, super().list(request, *args, **kwargs))
        if response.status_code == 200:
            store(key, current, [workplace["id"] for workplace in response.data["results"]],
                  response.rendered_json, response["ETag"])
        return response


@extend_schema(
    tags=["register"], summary="One recognised workplace",
    parameters=[IF_NONE_MATCH, ETAG_HEADER],
    responses={200: OpenApiResponse(WorkplaceSerializer), 304: NOT_MODIFIED},
)
class RegisterDetail(generics.RetrieveAPIView):
    serializer_class = WorkplaceSerializer
    permission_classes = [permissions.AllowAny]

    def get_object(self):
        recognition = selectors.workplace(self.kwargs["pk"], today=timezone.localdate())
        if recognition is None:
            raise NotFound(_("No recognition in force with this id."))
        return recognition

    def retrieve(self, request, *args, **kwargs):
        return with_etag(request, super().retrieve(request, *args, **kwargs))

