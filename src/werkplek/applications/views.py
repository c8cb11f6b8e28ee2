"""The applicant's side of an application: start, task list, sections, check and submit,
and the status page. Thin: each view parses, calls one service, renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from werkplek.catalog.models import Programme
from werkplek.core.deadlines import days_left
from werkplek.core.http import post_or_redirect

from . import backoffice, checks, selectors, services
from .forms import (
    ActivitiesForm,
    ChooseEnterpriseForm,
    CompletionRequestForm,
    DeclarationForm,
    MentorForm,
    NewUnitForm,
    ProgrammeForm,
    UnitForm,
    WorkplaceForm,
)
from .models import Application, Document


def _data(request):
    return request.POST if request.method == "POST" else None


def _form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on the form."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error)


def _application(request, pk: int, *, draft: bool = False,
                 section: str | None = None) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("enterprise", "unit__joint_committee",
                                           "programme__sector", "partnership"), pk=pk)
    if not selectors.can_view(request.user, application):
        raise Http404  # never reveal that someone else's application exists
    if draft and not services.editable(application, section):
        raise NotADraft(application)
    return application


class NotADraft(Exception):
    """A section of an application that is no longer a draft was asked for."""

    def __init__(self, application: Application):
        self.application = application


def drafts_only(view):
    """Send a request for a section of a submitted application to its status page."""
    from functools import wraps

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotADraft as error:
            pk = error.application.pk
        except ValidationError as error:
            # Submitted from another tab while this request waited for the application's lock:
            # the service refused the change.
            if getattr(error, "code", None) != "not_draft":
                raise
            pk = kwargs["pk"]
        messages.info(request, _("This application has been submitted and can no longer "
                                 "be changed."))
        return redirect("applications:detail", pk=pk)

    return wrapper


@login_required
def application_list(request):
    from django.core.paginator import Paginator

    page = Paginator(selectors.applications_for(request.user), 50).get_page(
        request.GET.get("pagina"))
    return render(request, "applications/list.html", {"applications": page, "page": page})


@login_required
def start(request):
    enterprises = selectors.enterprises_for(request.user)
    scan = request.user.saved_scans.filter(used_at__isnull=True).first()
    only = enterprises.first() if enterprises.count() == 1 else None
    coach = request.user.has_role("coach")
    form = ChooseEnterpriseForm(_data(request), request.FILES or None, enterprises=enterprises,
                                coach=coach,
                                initial={"enterprise_number": only.enterprise_number}
                                if only else None)
    if request.method == "POST" and form.is_valid():
        use_scan = scan if request.POST.get("use_scan") == "yes" else None
        document = form.needs_mandate_document
        try:
            application = services.start_application(
                actor=request.user, enterprise=form.cleaned_data["enterprise"], scan=use_scan,
                mandate_document=form.cleaned_data.get("mandate_document") if document else None,
                mandate_valid_until=form.cleaned_data.get("mandate_valid_until"))
        except PermissionDenied:
            form.add_error("enterprise_number", _("You may not apply for this enterprise."))
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect("applications:detail", pk=application.pk)
    return render(request, "applications/start.html", {
        "form": form, "scan": scan, "has_enterprises": enterprises.exists() or coach,
    })


@login_required
def detail(request, pk: int):
    """The draft's task list or the applicant's status page; the partnership's case handlers
    and voting members get the case page (dossier) instead."""
    from .access import case_application
    from .views_case import applicant_context, render_case

    try:
        case, role = case_application(request, pk)
    except Http404:
        pass
    else:
        return render_case(request, case, role)
    application = _application(request, pk)
    if application.state == Application.State.DRAFT:
        states = checks.section_states(application)
        return render(request, "applications/task_list.html", {
            "application": application, "states": states,
            "completed": sum(1 for s in states.values() if s == "completed"),
        })
    return render(request, "applications/status.html", {
        "application": application,
        "can_act": services.acting_role(request.user, application.enterprise,
                                        unit=application.unit) is not None,
        "completion_request": application.events.filter(
            kind="completion_requested").order_by("-created_at").first()
        if application.state == Application.State.WAITING else None,
        "documents": application.documents.select_related("mentor__mentor"),
        "days_left": days_left(application.decision_deadline)
        if application.decision_deadline else None,
        **applicant_context(application),
    })


def _section(request, application, form, *, title, template="applications/section.html",
             **context):
    return render(request, template, {"application": application, "form": form,
                                      "title": title, **context})


@login_required
@drafts_only
def unit(request, pk: int):
    application = _application(request, pk, draft=True, section="unit")
    form = UnitForm(_data(request), units=application.enterprise.units.select_related(
        "joint_committee"), initial={"unit": application.unit})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_unit(actor=request.user, application=application,
                               unit=form.cleaned_data["unit"])
        except (ValidationError, PermissionDenied) as error:
            form.add_error("unit", " ".join(getattr(error, "messages", [str(error)])))
        else:
            return redirect("applications:detail", pk=pk)
    return _section(request, application, form, title=_("Enterprise and establishment unit"),
                    template="applications/unit.html")


@login_required
@drafts_only
def new_unit(request, pk: int):
    from werkplek.enterprises.services import add_establishment_unit

    application = _application(request, pk, draft=True, section="unit")
    form = NewUnitForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            unit = add_establishment_unit(actor=request.user, enterprise=application.enterprise,
                                          **form.cleaned_data)
            services.save_unit(actor=request.user, application=application, unit=unit)
        except ValidationError as error:
            _form_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You may not add establishment units."))
        else:
            return redirect("applications:detail", pk=pk)
    return _section(request, application, form, title=_("Add an establishment unit"))


@login_required
@drafts_only
def programme(request, pk: int):
    application = _application(request, pk, draft=True, section="programme")
    form = ProgrammeForm(_data(request), initial={
        "programme": application.programme.name_nl if application.programme else ""})
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["programme"]
        if chosen != application.programme:
            # Another programme: its activity list must be confirmed again.
            services.save_programme(actor=request.user, application=application,
                                    programme=chosen, activities_offered=None)
        return redirect("applications:activities", pk=pk)
    return _section(request, application, form, title=_("Programme"),
                    template="applications/programme.html",
                    programme_names=Programme.objects.filter(is_active=True)
                    .order_by("name_nl").values_list("name_nl", flat=True))


@login_required
@drafts_only
def activities(request, pk: int):
    application = _application(request, pk, draft=True, section="programme")
    if application.programme is None:
        return redirect("applications:programme", pk=pk)
    form = ActivitiesForm(_data(request), programme=application.programme, initial={
        "activities": [str(i) for i in application.activities_offered or []]})
    if request.method == "POST" and form.is_valid():
        services.save_programme(actor=request.user, application=application,
                                programme=application.programme,
                                activities_offered=form.cleaned_data["activities"])
        return redirect("applications:detail", pk=pk)
    return _section(request, application, form, title=_("Activities of the programme"),
                    template="applications/activities.html")


@login_required
@drafts_only
def workplace(request, pk: int):
    application = _application(request, pk, draft=True, section="workplace")
    as_choice = {True: "yes", False: "no", None: None}
    present = set(application.documents.filter(kind=Document.Kind.SECTOR_EXTRA,
                                               mentor__isnull=True)
                  .values_list("extra_code", flat=True))
    form = WorkplaceForm(_data(request), request.FILES or None,
                         application_extras=checks.extra_documents(application, "application"),
                         present=present, initial={
                             "financial_capacity": as_choice[application.financial_capacity],
                             "has_convictions": as_choice[application.has_convictions],
                             "infrastructure_fits": as_choice[application.infrastructure_fits]})
    if request.method == "POST" and form.is_valid():
        services.save_workplace(
            actor=request.user, application=application,
            financial_capacity=form.cleaned_data["financial_capacity"] == "yes",
            has_convictions=form.cleaned_data["has_convictions"] == "yes",
            infrastructure_fits=form.cleaned_data["infrastructure_fits"] == "yes")
        for code, upload in form.extras().items():
            if upload is not None:
                services.upload_application_document(
                    actor=request.user, application=application,
                    kind=Document.Kind.SECTOR_EXTRA, upload=upload, extra_code=code)
        return redirect("applications:detail", pk=pk)
    return _section(request, application, form, title=_("Workplace conditions"),
                    multipart=True)


@login_required
@drafts_only
def mentors(request, pk: int):
    application = _application(request, pk, draft=True, section="mentors")
    entries = list(application.mentors.select_related("mentor").prefetch_related("documents"))
    results = []
    if application.unit_id and application.programme_id:
        results = list(checks.assessment(application).mentors)
    return render(request, "applications/mentors.html", {
        "application": application,
        "rows": [(entry, results[i] if i < len(results) else None)
                 for i, entry in enumerate(entries)],
        "rules": checks.rules_for(application),
    })


@login_required
@drafts_only
def mentor(request, pk: int, entry_id: int | None = None):
    application = _application(request, pk, draft=True, section="mentors")
    entry = get_object_or_404(application.mentors.select_related("mentor"), pk=entry_id) \
        if entry_id else None
    known = application.enterprise.mentors.filter(is_active=True).exclude(
        pk__in=application.mentors.values("mentor_id"))
    form = MentorForm(_data(request), request.FILES or None, known_mentors=known, entry=entry,
                      mentor_extras=checks.extra_documents(application, "mentor"),
                      initial={"years_of_experience": entry.years_of_experience,
                               "training": entry.training,
                               "derogation_requested": entry.derogation_requested}
                      if entry else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_mentor(
                actor=request.user, application=application, entry=entry,
                existing_mentor=data.get("existing"), first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                national_number=data.get("national_number", ""),
                years_of_experience=data["years_of_experience"], training=data["training"],
                derogation_requested=data["derogation_requested"],
                extract=data.get("extract"), proof=data.get("proof"), extras=form.extras())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect("applications:mentors", pk=pk)
    return _section(request, application, form,
                    title=_("Change a mentor") if entry else _("Add a mentor"),
                    template="applications/mentor.html", multipart=True, entry=entry,
                    rules=checks.rules_for(application))


@login_required
@post_or_redirect("applications:detail")
@drafts_only
def remove_mentor(request, pk: int, entry_id: int):
    application = _application(request, pk, draft=True, section="mentors")
    entry = get_object_or_404(application.mentors, pk=entry_id)
    services.remove_mentor(actor=request.user, application=application, entry=entry)
    return redirect("applications:mentors", pk=pk)


@login_required
@drafts_only
def mandate(request, pk: int):
    """For a learner coach who files: the enterprise's mandate that allows it."""
    from werkplek.enterprises.selectors import valid_mandate

    application = _application(request, pk, draft=True)
    found = valid_mandate(user=application.created_by, enterprise=application.enterprise,
                          unit=application.unit, purpose="file_applications",
                          include_pending=True)
    return render(request, "applications/mandate.html", {"application": application,
                                                         "mandate": found})


@login_required
@drafts_only
def declaration(request, pk: int):
    application = _application(request, pk, draft=True, section="declaration")
    form = DeclarationForm(_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.upload_application_document(
            actor=request.user, application=application,
            kind=Document.Kind.DECLARATION_ON_HONOUR, upload=form.cleaned_data["declaration"])
        return redirect("applications:detail", pk=pk)
    return _section(request, application, form, title=_("Declaration on honour"),
                    template="applications/declaration.html", multipart=True,
                    signed=application.documents.filter(
                        kind=Document.Kind.DECLARATION_ON_HONOUR).first())


@login_required
def declaration_pdf(request, pk: int):
    from django.http import HttpResponse

    from .declaration import render_declaration_pdf

    application = _application(request, pk)
    language = (request.LANGUAGE_CODE or "nl")[:2]
    response = HttpResponse(render_declaration_pdf(application, language=language),
                            content_type="application/pdf")
    name = "verklaring-op-eer" if language == "nl" else "declaration-on-honour"
    response["Content-Disposition"] = f'attachment; filename="{name}-{application.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def document(request, pk: int, document_id: int):
    """Download one document; only for those who may see the application, and logged."""
    from werkplek.core.personal_data import audit_log
    from werkplek.core.uploads import file_response

    application = _application(request, pk)
    item = get_object_or_404(application.documents, pk=document_id)
    audit_log.info("document download user=%s application=%s document=%s kind=%s",
                   request.user.pk, application.pk, item.pk, item.kind)
    return file_response(file_field=item.file, download_name=item.original_name,
                         content_type=item.content_type, request=request,
                         subject=f"mentor:{item.mentor.mentor_id}" if item.mentor_id
                         else f"application:{application.pk}", purpose="application document")


def _check_page(request, application, problems, **extra):
    return render(request, "applications/check.html", {
        "application": application, "problems": problems,
        "assessment": checks.assessment(application)
        if application.unit_id and application.programme_id else None,
        "routing": checks.routing_for(application), **extra,
    })


@login_required
@drafts_only
def check(request, pk: int):
    application = _application(request, pk, draft=True)
    return _check_page(request, application, checks.blocking_problems(application))


@login_required
@post_or_redirect("applications:detail")
def submit(request, pk: int):
    application = _application(request, pk)
    try:
        application = services.submit(actor=request.user, application_id=application.pk)
    except services.SubmissionBlocked as blocked:
        return _check_page(request, application, blocked.problems, submit_failed=True)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("applications:detail", pk=pk)
    messages.success(request, _("Your application has been submitted with reference "
                                "%(reference)s.") % {"reference": application.reference})
    return redirect("applications:detail", pk=pk)


@login_required
@post_or_redirect("applications:detail")
def mark_complete(request, pk: int):
    application = _application(request, pk)
    try:
        backoffice.mark_complete(actor=request.user, application_id=application.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The application is complete and being handled."))
    return redirect("applications:detail", pk=pk)


@login_required
def request_completion(request, pk: int):
    application = _application(request, pk)
    if not backoffice.is_handler(request.user, application):
        raise PermissionDenied
    if application.state not in (Application.State.SUBMITTED, Application.State.IN_PROGRESS):
        messages.info(request, _("Completion can only be asked while the application is "
                                 "being handled."))
        return redirect("applications:detail", pk=pk)
    form = CompletionRequestForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            backoffice.request_completion(actor=request.user, application_id=application.pk,
                                          message=form.cleaned_data["message"],
                                          sections=form.cleaned_data["sections"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The applicant has been asked to complete the "
                                        "application."))
            return redirect("applications:detail", pk=pk)
    return _section(request, application, form, title=_("Ask to complete the application"))


@login_required
@post_or_redirect("applications:detail")
def complete(request, pk: int):
    application = _application(request, pk)
    try:
        backoffice.complete(actor=request.user, application_id=application.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your completed application has been sent to the "
                                    "partnership."))
    return redirect("applications:detail", pk=pk)


@login_required
def withdraw(request, pk: int):
    """Ask first, then withdraw (with an optional reason): it cannot be undone."""
    application = _application(request, pk)
    if request.method != "POST" or "confirm" not in request.POST:
        return render(request, "applications/withdraw.html", {"application": application})
    try:
        services.withdraw(actor=request.user, application_id=application.pk,
                          reason=request.POST.get("reason", "")[:1000])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The application has been withdrawn."))
    return redirect("applications:detail", pk=pk)
