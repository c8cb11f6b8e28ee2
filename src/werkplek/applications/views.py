"""The applicant's side of an application: start, task list, sections, check and submit,
and the status page. Thin: each view parses, calls one service, renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkplek.catalog.models import Programme
from werkplek.core.deadlines import days_left

from . import checks, selectors, services
from .forms import ActivitiesForm, ChooseEnterpriseForm, ProgrammeForm, UnitForm, WorkplaceForm
from .models import Application

SECTIONS = ["unit", "programme", "workplace", "mentors", "declaration", "mandate"]


def _data(request):
    return request.POST if request.method == "POST" else None


def _application(request, pk: int, *, draft: bool = False) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("enterprise", "unit__joint_committee",
                                           "programme__sector", "partnership"), pk=pk)
    if not selectors.can_view(request.user, application):
        raise Http404  # never reveal that someone else's application exists
    if draft and application.state != Application.State.DRAFT:
        raise PermissionDenied(_("This application has been submitted and can no longer be "
                                 "changed."))
    return application


def section_states(application: Application) -> dict[str, str]:
    """not_started / in_progress / completed per task-list section."""
    problems = checks.blocking_problems(application)
    blocked = {section for section, _message in problems}
    states = {}
    states["unit"] = "completed" if application.unit_id else "not_started"
    if application.programme_id is None:
        states["programme"] = "not_started"
    else:
        states["programme"] = ("completed" if application.activities_offered is not None
                               and "programme" not in blocked else "in_progress")
    answered = [application.financial_capacity, application.has_convictions]
    states["workplace"] = ("not_started" if all(a is None for a in answered)
                           else "in_progress" if "workplace" in blocked or None in answered
                           else "completed")
    has_mentors = application.mentors.exists()
    states["mentors"] = ("not_started" if not has_mentors
                         else "in_progress" if "mentors" in blocked else "completed")
    states["declaration"] = "in_progress" if "declaration" in blocked else "completed"
    if application.filed_by == Application.FiledBy.COACH:
        states["mandate"] = "in_progress" if "mandate" in blocked else "completed"
    return states


@login_required
def application_list(request):
    return render(request, "applications/list.html", {
        "applications": selectors.applications_for(request.user)[:200],
    })


@login_required
def start(request):
    enterprises = selectors.enterprises_for(request.user)
    scan = request.user.saved_scans.filter(used_at__isnull=True).first()
    form = ChooseEnterpriseForm(_data(request), enterprises=enterprises,
                                initial={"enterprise": enterprises.first()}
                                if enterprises.count() == 1 else None)
    if request.method == "POST" and form.is_valid():
        use_scan = scan if request.POST.get("use_scan") == "yes" else None
        try:
            application = services.create_draft(actor=request.user,
                                                enterprise=form.cleaned_data["enterprise"],
                                                scan=use_scan)
        except PermissionDenied:
            form.add_error("enterprise", _("You may not apply for this enterprise."))
        else:
            return redirect("applications:detail", pk=application.pk)
    return render(request, "applications/start.html", {
        "form": form, "scan": scan, "has_enterprises": enterprises.exists(),
    })


@login_required
def detail(request, pk: int):
    application = _application(request, pk)
    if application.state == Application.State.DRAFT:
        states = section_states(application)
        return render(request, "applications/task_list.html", {
            "application": application, "states": states,
            "completed": sum(1 for s in states.values() if s == "completed"),
        })
    return render(request, "applications/status.html", {
        "application": application,
        "events": application.events.select_related("actor"),
        "days_left": days_left(application.decision_deadline)
        if application.decision_deadline else None,
    })


def _section(request, application, form, *, title, template="applications/section.html",
             **context):
    return render(request, template, {"application": application, "form": form,
                                      "title": title, **context})


@login_required
def unit(request, pk: int):
    application = _application(request, pk, draft=True)
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
def programme(request, pk: int):
    application = _application(request, pk, draft=True)
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
def activities(request, pk: int):
    application = _application(request, pk, draft=True)
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
def workplace(request, pk: int):
    application = _application(request, pk, draft=True)
    as_choice = {True: "yes", False: "no", None: None}
    form = WorkplaceForm(_data(request), initial={
        "financial_capacity": as_choice[application.financial_capacity],
        "has_convictions": as_choice[application.has_convictions]})
    if request.method == "POST" and form.is_valid():
        services.save_workplace(
            actor=request.user, application=application,
            financial_capacity=form.cleaned_data["financial_capacity"] == "yes",
            has_convictions=form.cleaned_data["has_convictions"] == "yes")
        return redirect("applications:detail", pk=pk)
    return _section(request, application, form, title=_("Workplace conditions"))


@login_required
def check(request, pk: int):
    application = _application(request, pk, draft=True)
    problems = checks.blocking_problems(application)
    return render(request, "applications/check.html", {
        "application": application, "problems": problems,
        "assessment": checks.assessment(application)
        if application.unit_id and application.programme_id else None,
        "routing": checks.routing_for(application),
    })


@login_required
@require_POST
def submit(request, pk: int):
    application = _application(request, pk)
    try:
        application = services.submit(actor=request.user, application_id=application.pk)
    except services.SubmissionBlocked as blocked:
        return render(request, "applications/check.html", {
            "application": application, "problems": blocked.problems,
            "assessment": checks.assessment(application)
            if application.unit_id and application.programme_id else None,
            "routing": checks.routing_for(application), "submit_failed": True,
        }, status=200)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("applications:detail", pk=pk)
    messages.success(request, _("Your application has been submitted with reference "
                                "%(reference)s.") % {"reference": application.reference})
    return redirect("applications:detail", pk=pk)


@login_required
@require_POST
def withdraw(request, pk: int):
    application = _application(request, pk)
    try:
        services.withdraw(actor=request.user, application_id=application.pk,
                          reason=request.POST.get("reason", "")[:1000])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The application has been withdrawn."))
    return redirect("applications:detail", pk=pk)
