"""Applications through the API, for whoever may file them: the enterprise's own people, and a
training provider's learner coach under the enterprise's mandate. Partnerships read the same
resource (the back-office actions are in `backoffice.py`).

Each write calls the service the web counter calls (`applications.services`), so the same rules,
permissions and timeline apply."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from werkplek.applications import checks, declaration, services
from werkplek.applications.access import case_role
from werkplek.applications.models import Application, ApplicationEvent, ApplicationMentor, Document
from werkplek.applications.selectors import applications_for, enterprises_for
from werkplek.catalog.models import Programme
from werkplek.core.uploads import file_response, scan_for_viruses, validate_upload
from werkplek.enterprises.models import Enterprise, EstablishmentUnit, Mentor
from werkplek.notices.models import Letter

from ..fields import EnterpriseRefSerializer, EventSerializer, NamedSerializer, UnitSerializer

# --- reading ---------------------------------------------------------------------------------


def visible_applications(user):
    """What the user may read: their enterprises' applications, what they filed under a valid
    mandate, and (for a case handler) what was submitted to their partnership."""
    return applications_for(user)


def application_for(user, pk: int, *, for_update: bool = False) -> Application:
    """The application if the user may read it; 404 otherwise (never reveal that it exists)."""
    application = (visible_applications(user).filter(pk=pk)
                   .select_related("unit__province", "programme__sector", "partnership",
                                   "enterprise").first())
    if application is None:
        raise Http404
    return application


def is_applicant(user, application: Application) -> bool:
    return services.acting_role(user, application.enterprise, unit=application.unit) is not None


class MentorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    national_number = serializers.CharField(source="masked_national_number",
                                            help_text="Masked: only the last digits show.")


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Document.Kind.choices)
    mentor_entry = serializers.IntegerField(source="mentor_id", allow_null=True,
                                            help_text="The mentor entry it belongs to.")
    extra_code = serializers.CharField(allow_blank=True,
                                       help_text="For a sector document: its code.")
    file_name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()


class MentorEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    mentor = MentorRefSerializer()
    years_of_experience = serializers.IntegerField()
    training = serializers.ChoiceField(choices=ApplicationMentor.Training.choices)
    derogation_requested = serializers.BooleanField()
    check_result = serializers.CharField(allow_blank=True,
                                         help_text="The partnership's check: confirmed, "
                                                   "rejected, or empty.")


class ProblemSerializer(serializers.Serializer):
    section = serializers.CharField()
    message = serializers.CharField()


class LetterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=Letter.Kind.choices)
    dated_on = serializers.DateField()
    appeal_until = serializers.DateField(allow_null=True)
    state = serializers.ChoiceField(choices=Letter.State.choices)
    pdf = serializers.SerializerMethodField(help_text="Where to download the PDF (when ready).")

    def get_pdf(self, letter) -> str | None:
        if letter.state != Letter.State.READY:
            return None
        from django.urls import reverse

        return reverse("api:letter-pdf", args=[letter.pk])


class ApplicationSerializer(serializers.Serializer):
    """An application, as its applicant or its partnership sees it."""

    id = serializers.IntegerField()
    reference = serializers.CharField(allow_null=True,
                                      help_text="WP-YYYY-NNNNNN, given on submission.")
    state = serializers.ChoiceField(choices=Application.State.choices)
    state_label = serializers.CharField(source="get_state_display")
    version = serializers.IntegerField(help_text="Raised by every back-office change; send it "
                                                 "back with an action that asks for it.")
    enterprise = EnterpriseRefSerializer()
    unit = UnitSerializer(allow_null=True)
    programme = NamedSerializer(allow_null=True)
    activities_offered = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    financial_capacity = serializers.BooleanField(allow_null=True)
    has_convictions = serializers.BooleanField(allow_null=True)
    infrastructure_fits = serializers.BooleanField(allow_null=True)
    filed_by = serializers.ChoiceField(choices=Application.FiledBy.choices)
    renews = serializers.IntegerField(source="renews_id", allow_null=True)
    mentors = MentorEntrySerializer(many=True, source="mentor_entries")
    documents = DocumentSerializer(many=True, source="document_list")
    sections = serializers.DictField(child=serializers.CharField(), source="section_states",
                                     help_text=(
        "Per section (unit, programme, workplace, mentors, declaration, mandate): "
        "not_started, in_progress or completed."))
    problems = ProblemSerializer(many=True, source="problem_list", help_text=(
        "What stops submission now (while a draft, or waiting for completion)."))
    completion_sections = serializers.ListField(child=serializers.CharField())
    completion_due = serializers.DateField(allow_null=True)
    partnership = NamedSerializer(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    decision_deadline = serializers.DateField(allow_null=True)
    decision = serializers.CharField(allow_blank=True)
    decision_reasons = serializers.CharField(allow_blank=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    letters = LetterSerializer(many=True, source="letter_list")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def to_representation(self, application):
        entries = list(application.mentors.select_related("mentor").order_by("pk"))
        documents = list(application.documents.order_by("pk"))
        application.mentor_entries = entries
        application.document_list = documents
        application.section_states = checks.section_states(application)
        application.problem_list = (
            [{"section": s, "message": str(m)} for s, m in checks.blocking_problems(application)]
            if application.state in (Application.State.DRAFT, Application.State.WAITING)
            else [])
        application.letter_list = list(application.letters.order_by("pk"))
        return super().to_representation(application)


class ApplicationListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(allow_null=True)
    state = serializers.ChoiceField(choices=Application.State.choices)
    state_label = serializers.CharField(source="get_state_display")
    enterprise = EnterpriseRefSerializer()
    unit = serializers.IntegerField(source="unit_id", allow_null=True)
    programme = serializers.CharField(source="programme.code", allow_null=True)
    partnership = serializers.CharField(source="partnership.code", allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    decision_deadline = serializers.DateField(allow_null=True)
    updated_at = serializers.DateTimeField()


def application_response(application: Application, *, status_code: int = 200) -> Response:
    fresh = Application.objects.select_related(
        "enterprise", "unit__province", "programme__sector", "partnership").get(pk=application.pk)
    return Response(ApplicationSerializer(fresh).data, status=status_code)


# --- writing ---------------------------------------------------------------------------------


class ApplicationInputSerializer(serializers.Serializer):
    """The answers of a draft (or of the sections asked to complete). Send only what changes."""

    unit = serializers.IntegerField(required=False, help_text="Id of the establishment unit.")
    programme = serializers.SlugField(required=False, help_text="Code of the programme.")
    activities_offered = serializers.ListField(
        child=serializers.IntegerField(min_value=0), required=False, allow_null=True,
        help_text="Positions (0, 1, …) of the programme's activities the workplace offers.")
    financial_capacity = serializers.BooleanField(required=False)
    has_convictions = serializers.BooleanField(required=False)
    infrastructure_fits = serializers.BooleanField(required=False, allow_null=True)


class ApplicationCreateSerializer(ApplicationInputSerializer):
    enterprise = serializers.IntegerField(help_text="Id of the enterprise (GET /enterprises/).")


def save_answers(*, actor, application: Application, data: dict) -> Application:
    """Apply the answers given, section by section, through the services."""
    if "unit" in data:
        unit = EstablishmentUnit.objects.filter(pk=data["unit"]).first()
        if unit is None or unit.enterprise_id != application.enterprise_id:
            raise DjangoValidationError({"unit": DjangoValidationError(
                _("This establishment unit does not belong to the enterprise."),
                code="other_enterprise")})
        application = services.save_unit(actor=actor, application=application, unit=unit)
    if "programme" in data or "activities_offered" in data:
        code = data.get("programme")
        programme = (Programme.objects.filter(code=code).first() if code
                     else application.programme)
        if programme is None:
            raise DjangoValidationError({"programme": DjangoValidationError(
                _("There is no programme with this code.") if code
                else _("Choose the programme first."), code="unknown")})
        activities = data.get("activities_offered",
                              application.activities_offered if programme.pk ==
                              application.programme_id else None)
        try:
            application = services.save_programme(actor=actor, application=application,
                                                  programme=programme,
                                                  activities_offered=activities)
        except DjangoValidationError as error:
            if getattr(error, "code", None) == "activity":
                raise DjangoValidationError({"activities_offered": error}) from error
            raise
    workplace = ("financial_capacity", "has_convictions", "infrastructure_fits")
    if any(name in data for name in workplace):
        values = {name: data.get(name, getattr(application, name)) for name in workplace}
        missing = {name: DjangoValidationError(_("Answer this question too."), code="required")
                   for name in ("financial_capacity", "has_convictions") if values[name] is None}
        if missing:
            raise DjangoValidationError(missing)
        application = services.save_workplace(actor=actor, application=application, **values)
    return application


@extend_schema(tags=["applications"])
class ApplicationList(generics.ListCreateAPIView):
    serializer_class = ApplicationListSerializer
    parser_classes = [JSONParser]

    @extend_schema(summary="Applications you may follow", parameters=[
        OpenApiParameter("state", str, enum=Application.State.values,
                         description="Only in this state."),
        OpenApiParameter("enterprise", int, description="Only of this enterprise (id)."),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        queryset = visible_applications(self.request.user).select_related(
            "enterprise", "programme", "partnership")
        params = self.request.query_params
        if state := params.get("state"):
            if state not in Application.State.values:
                raise DjangoValidationError({"state": DjangoValidationError(
                    _("Unknown state."), code="invalid_choice")})
            queryset = queryset.filter(state=state)
        if enterprise := params.get("enterprise"):
            if not enterprise.isdigit():
                raise DjangoValidationError({"enterprise": DjangoValidationError(
                    _("Give the id of the enterprise."), code="invalid")})
            queryset = queryset.filter(enterprise_id=int(enterprise))
        return queryset

    @extend_schema(summary="Start a draft application", request=ApplicationCreateSerializer,
                   responses={201: ApplicationSerializer})
    def post(self, request, *args, **kwargs):
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        enterprise = Enterprise.objects.filter(pk=data.pop("enterprise")).first()
        if enterprise is None or not enterprises_for(request.user).filter(
                pk=enterprise.pk).exists():
            raise DjangoValidationError({"enterprise": DjangoValidationError(
                _("You may not apply for this enterprise."), code="not_allowed")})
        from django.db import transaction

        with transaction.atomic():
            application = services.create_draft(actor=request.user, enterprise=enterprise)
            application = save_answers(actor=request.user, application=application, data=data)
        return application_response(application, status_code=201)


@extend_schema(tags=["applications"])
class ApplicationDetail(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="One application", responses={200: ApplicationSerializer})
    def get(self, request, pk: int):
        return application_response(application_for(request.user, pk))

    @extend_schema(summary="Answer or change sections of a draft",
                   request=ApplicationInputSerializer, responses={200: ApplicationSerializer})
    def patch(self, request, pk: int):
        application = application_for(request.user, pk)
        serializer = ApplicationInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        from django.db import transaction

        with transaction.atomic():
            application = save_answers(actor=request.user, application=application,
                                       data=serializer.validated_data)
        return application_response(application)


class MentorInputSerializer(serializers.Serializer):
    mentor = serializers.IntegerField(required=False, help_text=(
        "Id of a mentor the enterprise already has (GET /enterprises/{id}/mentors/); or give "
        "first_name, last_name and national_number for a new one."))
    first_name = serializers.CharField(required=False, max_length=100)
    last_name = serializers.CharField(required=False, max_length=100)
    national_number = serializers.CharField(required=False, max_length=20,
                                            help_text="Belgian national register number.")
    years_of_experience = serializers.IntegerField(min_value=0, max_value=60)
    training = serializers.ChoiceField(choices=ApplicationMentor.Training.choices)
    derogation_requested = serializers.BooleanField(default=False)
    extract = serializers.FileField(help_text=(
        "Extract from the criminal record, model 596.2 (PDF, JPEG or PNG)."))
    proof = serializers.FileField(required=False, help_text=(
        "Proof of prior education, when a derogation is asked."))


class MentorChangeSerializer(serializers.Serializer):
    years_of_experience = serializers.IntegerField(min_value=0, max_value=60, required=False)
    training = serializers.ChoiceField(choices=ApplicationMentor.Training.choices,
                                       required=False)
    derogation_requested = serializers.BooleanField(required=False)


def checked_upload(upload, field: str):
    """Check an upload as the web form does (type by content, size, viruses); the error is
    keyed by the field."""
    try:
        upload.checked = validate_upload(upload)
        scan_for_viruses(upload)
    except DjangoValidationError as error:
        raise DjangoValidationError({field: error}) from error
    return upload


@extend_schema(tags=["applications"])
class MentorList(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(summary="Name a mentor in a draft, with their documents",
                   request={"multipart/form-data": MentorInputSerializer},
                   responses={201: ApplicationSerializer})
    def post(self, request, pk: int):
        application = application_for(request.user, pk)
        serializer = MentorInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existing = None
        if data.get("mentor") is not None:
            existing = Mentor.objects.filter(pk=data["mentor"],
                                             enterprise_id=application.enterprise_id).first()
            if existing is None:
                raise DjangoValidationError({"mentor": DjangoValidationError(
                    _("This mentor does not work for the enterprise."), code="other_enterprise")})
        else:
            missing = {name: DjangoValidationError(
                _("Give the mentor's first name, last name and national register number, or "
                  "the id of a known mentor."), code="required")
                for name in ("first_name", "last_name", "national_number") if not data.get(name)}
            if missing:
                raise DjangoValidationError(missing)
        extract = checked_upload(data["extract"], "extract")
        proof = checked_upload(data["proof"], "proof") if data.get("proof") else None
        services.save_mentor(
            actor=request.user, application=application, existing_mentor=existing,
            first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
            national_number=data.get("national_number", ""),
            years_of_experience=data["years_of_experience"], training=data["training"],
            derogation_requested=data["derogation_requested"], extract=extract, proof=proof)
        return application_response(application, status_code=201)


def _entry(application: Application, entry_id: int) -> ApplicationMentor:
    return get_object_or_404(application.mentors.select_related("mentor"), pk=entry_id)


@extend_schema(tags=["applications"])
class MentorDetail(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="Change what the application says about a mentor",
                   request=MentorChangeSerializer, responses={200: ApplicationSerializer})
    def patch(self, request, pk: int, entry_id: int):
        application = application_for(request.user, pk)
        entry = _entry(application, entry_id)
        serializer = MentorChangeSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.save_mentor(
            actor=request.user, application=application, entry=entry,
            years_of_experience=data.get("years_of_experience", entry.years_of_experience),
            training=data.get("training", entry.training),
            derogation_requested=data.get("derogation_requested", entry.derogation_requested))
        return application_response(application)

    @extend_schema(summary="Take a mentor out of a draft", request=None,
                   responses={200: ApplicationSerializer})
    def delete(self, request, pk: int, entry_id: int):
        application = application_for(request.user, pk)
        services.remove_mentor(actor=request.user, application=application,
                               entry=_entry(application, entry_id))
        return application_response(application)


UPLOAD_KINDS = [Document.Kind.DECLARATION_ON_HONOUR, Document.Kind.SECTOR_EXTRA,
                Document.Kind.CRIMINAL_RECORD_EXTRACT, Document.Kind.PRIOR_EDUCATION_PROOF]


class DocumentInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in UPLOAD_KINDS])
    file = serializers.FileField(help_text="PDF, JPEG or PNG.")
    mentor_entry = serializers.IntegerField(required=False, help_text=(
        "For a mentor's document: the mentor entry (the extract, the proof, or a sector "
        "document asked per mentor)."))
    extra_code = serializers.SlugField(required=False, help_text=(
        "For a sector document: its code (see `problems`)."))


@extend_schema(tags=["applications"])
class DocumentList(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(summary="Upload a document (replaces the previous one of its kind)",
                   description=(
                       "The signed declaration on honour (download it pre-filled from "
                       "`declaration/`), a sector document, or a mentor's document."),
                   request={"multipart/form-data": DocumentInputSerializer},
                   responses={201: ApplicationSerializer})
    def post(self, request, pk: int):
        application = application_for(request.user, pk)
        serializer = DocumentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        kind, code = data["kind"], data.get("extra_code", "")
        if kind == Document.Kind.SECTOR_EXTRA and not code:
            raise DjangoValidationError({"extra_code": DjangoValidationError(
                _("Say which sector document this is."), code="required")})
        entry = None
        if data.get("mentor_entry") is not None:
            entry = application.mentors.filter(pk=data["mentor_entry"]).first()
            if entry is None:
                raise DjangoValidationError({"mentor_entry": DjangoValidationError(
                    _("This mentor is not named in the application."), code="unknown")})
        elif kind in (Document.Kind.CRIMINAL_RECORD_EXTRACT, Document.Kind.PRIOR_EDUCATION_PROOF):
            raise DjangoValidationError({"mentor_entry": DjangoValidationError(
                _("Say which mentor this document is of."), code="required")})
        upload = checked_upload(data["file"], "file")
        if entry is None:
            services.upload_application_document(actor=request.user, application=application,
                                                 kind=kind, upload=upload, extra_code=code)
        else:
            services.save_mentor(
                actor=request.user, application=application, entry=entry,
                years_of_experience=entry.years_of_experience, training=entry.training,
                derogation_requested=entry.derogation_requested,
                extract=upload if kind == Document.Kind.CRIMINAL_RECORD_EXTRACT else None,
                proof=upload if kind == Document.Kind.PRIOR_EDUCATION_PROOF else None,
                extras={code: upload} if kind == Document.Kind.SECTOR_EXTRA else None)
        return application_response(application, status_code=201)


BINARY = OpenApiResponse(OpenApiTypes.BINARY, description="The file.")


@extend_schema(tags=["applications"], summary="Download a document", responses={200: BINARY})
class DocumentFile(APIView):
    def get(self, request, pk: int, document_id: int):
        application = application_for(request.user, pk)
        document = get_object_or_404(application.documents, pk=document_id)
        import logging

        logging.getLogger("werkplek.audit").info(
            "document download api user=%s application=%s document=%s kind=%s",
            request.user.pk, application.pk, document.pk, document.kind)
        return file_response(file_field=document.file, download_name=document.original_name,
                             content_type=document.content_type, request=request,
                             subject=f"mentor:{document.mentor.mentor_id}"
                             if document.mentor_id else f"application:{application.pk}",
                             purpose="application document")


@extend_schema(tags=["applications"], summary="The declaration on honour, pre-filled (PDF)",
               description="Print it, have it signed, and upload it as "
                           "`declaration_on_honour`.",
               responses={200: OpenApiResponse(OpenApiTypes.BINARY, description="PDF.")})
class DeclarationPdf(APIView):
    def get(self, request, pk: int):
        application = application_for(request.user, pk)
        if not is_applicant(request.user, application):
            raise Http404
        pdf = declaration.render_declaration_pdf(application,
                                                 language=(get_language() or "nl")[:2])
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="verklaring-op-eer-{application.pk}.pdf"')
        return response


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


@extend_schema(tags=["applications"])
class Submit(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="Submit the application", request=None, description=(
        "Checks every condition again; when something is missing the answer is 400 with code "
        "`blocked` and an error per problem (with its section). Submitting twice changes "
        "nothing."), responses={200: ApplicationSerializer})
    def post(self, request, pk: int):
        application = application_for(request.user, pk)
        return application_response(services.submit(actor=request.user,
                                                     application_id=application.pk))


@extend_schema(tags=["applications"])
class Complete(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="Send back the completed application", request=None, description=(
        "After the partnership asked to complete sections (state `waiting`): the decision "
        "clock runs again."), responses={200: ApplicationSerializer})
    def post(self, request, pk: int):
        from werkplek.applications import backoffice

        application = application_for(request.user, pk)
        if application.state == Application.State.WAITING:
            problems = [p for p in checks.blocking_problems(application)
                        if p[0] in (application.completion_sections or [])]
            if problems:
                raise services.SubmissionBlocked(problems)
        return application_response(backoffice.complete(actor=request.user,
                                                        application_id=application.pk))


@extend_schema(tags=["applications"])
class Withdraw(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="Withdraw the application", request=WithdrawSerializer,
                   responses={200: ApplicationSerializer})
    def post(self, request, pk: int):
        application = application_for(request.user, pk)
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return application_response(services.withdraw(
            actor=request.user, application_id=application.pk,
            reason=serializer.validated_data.get("reason", "")))


@extend_schema(tags=["applications"], summary="The timeline of the application",
               description="The applicant does not see the partnership's internal steps.",
               responses={200: EventSerializer(many=True)})
class Events(generics.ListAPIView):
    serializer_class = EventSerializer
    pagination_class = None

    def get_queryset(self):
        application = application_for(self.request.user, self.kwargs["pk"])
        events = application.events.order_by("created_at", "pk")
        if case_role(self.request.user, application) is None:
            events = events.exclude(kind__in=[str(k) for k in ApplicationEvent.INTERNAL_KINDS])
        return events


@extend_schema(tags=["applications"], summary="Download a letter (PDF)",
               responses={200: OpenApiResponse(OpenApiTypes.BINARY, description="PDF.")})
class LetterPdf(APIView):
    def get(self, request, pk: int):
        from werkplek.notices.selectors import may_view_letter

        letter = get_object_or_404(Letter.objects.select_related("application", "sanction",
                                                                 "appeal"), pk=pk)
        if not may_view_letter(request.user, letter) or not letter.file:
            raise Http404
        return file_response(file_field=letter.file, download_name=letter.download_name(),
                             content_type="application/pdf", request=request,
                             subject=f"{letter.subject._meta.model_name}:{letter.subject.pk}",
                             purpose="letter")


# --- enterprises ------------------------------------------------------------------------------


class MandateSerializer(serializers.Serializer):
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    all_units = serializers.BooleanField()
    units = serializers.SerializerMethodField(help_text="Ids of the units it covers "
                                                        "(empty when it covers all).")
    may_file_applications = serializers.BooleanField()
    may_manage_agreements = serializers.BooleanField()
    state = serializers.CharField()

    def get_units(self, mandate) -> list[int]:
        return [] if mandate.all_units else [unit.pk for unit in mandate.units.all()]


class EnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    enterprise_number = serializers.SerializerMethodField(
        help_text="The KBO number, written 0123.456.749.")
    name = serializers.CharField()
    units = UnitSerializer(many=True)
    mandates = serializers.SerializerMethodField(
        help_text="Your mandates from this enterprise (for a learner coach).")

    def get_enterprise_number(self, enterprise) -> str:
        return EnterpriseRefSerializer.get_enterprise_number(self, enterprise)

    def get_mandates(self, enterprise) -> MandateSerializer(many=True):
        return MandateSerializer(getattr(enterprise, "my_mandates", []), many=True).data


def _enterprises(user):
    from werkplek.enterprises.models import Mandate
    from werkplek.enterprises.selectors import mandated_enterprises

    own = Enterprise.objects.filter(memberships__user=user, memberships__is_active=True,
                                    memberships__role__in=["representative", "employer"])
    mandated = mandated_enterprises(user, include_pending=True)
    return (Enterprise.objects.filter(Q(pk__in=own.values("pk"))
                                      | Q(pk__in=mandated.values("pk")))
            .prefetch_related(
                Prefetch("units", queryset=EstablishmentUnit.objects.select_related("province")
                         .order_by("pk")),
                Prefetch("mandates", to_attr="my_mandates",
                         queryset=Mandate.objects.filter(holder=user).prefetch_related("units")
                         .order_by("-valid_until"))))


@extend_schema(tags=["enterprises"], summary="Enterprises you may act for", description=(
    "Your own enterprises, and those that gave you a mandate that is in force."))
class EnterpriseList(generics.ListAPIView):
    serializer_class = EnterpriseSerializer

    def get_queryset(self):
        return _enterprises(self.request.user)


@extend_schema(tags=["enterprises"], summary="One enterprise you may act for")
class EnterpriseDetail(generics.RetrieveAPIView):
    serializer_class = EnterpriseSerializer

    def get_queryset(self):
        return _enterprises(self.request.user)


class MentorSerializer(MentorRefSerializer):
    years_of_experience = serializers.IntegerField()
    mentor_training_completed_on = serializers.DateField(allow_null=True)


@extend_schema(tags=["enterprises"], summary="The enterprise's mentors",
               description="To name a known mentor in an application by id.")
class EnterpriseMentors(generics.ListAPIView):
    serializer_class = MentorSerializer
    pagination_class = None

    def get_queryset(self):
        enterprise = get_object_or_404(_enterprises(self.request.user), pk=self.kwargs["pk"])
        if services.acting_role(self.request.user, enterprise) is None:
            raise PermissionDenied(_("You may not file applications for this enterprise."))
        return enterprise.mentors.filter(is_active=True).order_by("last_name", "first_name",
                                                                  "pk")


urlpatterns = [
    path("enterprises/", EnterpriseList.as_view(), name="enterprise-list"),
    path("enterprises/<int:pk>/", EnterpriseDetail.as_view(), name="enterprise-detail"),
    path("enterprises/<int:pk>/mentors/", EnterpriseMentors.as_view(),
         name="enterprise-mentors"),
    path("applications/", ApplicationList.as_view(), name="application-list"),
    path("applications/<int:pk>/", ApplicationDetail.as_view(), name="application-detail"),
    path("applications/<int:pk>/mentors/", MentorList.as_view(), name="application-mentors"),
    path("applications/<int:pk>/mentors/<int:entry_id>/", MentorDetail.as_view(),
         name="application-mentor"),
    path("applications/<int:pk>/documents/", DocumentList.as_view(),
         name="application-documents"),
    path("applications/<int:pk>/documents/<int:document_id>/file/", DocumentFile.as_view(),
         name="application-document-file"),
    path("applications/<int:pk>/declaration/", DeclarationPdf.as_view(),
         name="application-declaration"),
    path("applications/<int:pk>/submit/", Submit.as_view(), name="application-submit"),
    path("applications/<int:pk>/complete/", Complete.as_view(), name="application-complete"),
    path("applications/<int:pk>/withdraw/", Withdraw.as_view(), name="application-withdraw"),
    path("applications/<int:pk>/events/", Events.as_view(), name="application-events"),
    path("letters/<int:pk>/pdf/", LetterPdf.as_view(), name="letter-pdf"),
]

