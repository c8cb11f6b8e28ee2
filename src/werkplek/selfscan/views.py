"""The public self-scan: one topic per page, answers kept in the session, a result page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkplek.core.ratelimit import ratelimit

from . import services
from .forms import (
    ActivitiesForm,
    AddAnotherMentorForm,
    ApplicationForm,
    EstablishmentForm,
    HelpRequestForm,
    MentorForm,
    ProgrammeForm,
    WorkplaceForm,
)
from .services import SESSION_KEY

MAX_MENTORS = 10
TOTAL_STEPS = 6


def _data(request):
    """The submitted data of a POST (even when empty, so that it is validated), else None."""
    return request.POST if request.method == "POST" else None


def _answers(request) -> dict:
    return services.clean_answers(request.session.get(SESSION_KEY, {}))


def _store(request, answers: dict) -> None:
    request.session[SESSION_KEY] = answers


def _today():
    return timezone.localdate()


def _first_missing(answers: dict) -> str | None:
    """The first page whose answers are still missing, or None when the scan is complete."""
    if "programme" not in answers:
        return reverse("selfscan:programme")
    if "joint_committee" not in answers:
        return reverse("selfscan:establishment")
    if "financial_capacity" not in answers:
        return reverse("selfscan:workplace")
    if "activities" not in answers:
        return reverse("selfscan:activities")
    if not answers.get("mentors"):
        return reverse("selfscan:mentor", args=[0])
    if "filed_by" not in answers:
        return reverse("selfscan:application")
    return None


def _step(request, *, form, template="selfscan/step.html", step: int, title: str,
          back: str, **context):
    return render(request, template, {
        "form": form, "step": step, "total_steps": TOTAL_STEPS, "title": title,
        "back_url": back, **context,
    })


@ratelimit("selfscan")
def start(request):
    answers = _answers(request)
    return render(request, "selfscan/start.html", {
        "in_progress": bool(answers), "continue_url": _first_missing(answers)
        or reverse("selfscan:result"),
    })


@require_POST
@ratelimit("selfscan")
def restart(request):
    request.session.pop(SESSION_KEY, None)
    return redirect("selfscan:programme")


@ratelimit("selfscan")
def programme(request):
    answers = _answers(request)
    form = ProgrammeForm(_data(request), initial={"programme": answers.get("programme")})
    if request.method == "POST" and form.is_valid():
        if answers.get("programme") != form.cleaned_data["programme"]:
            answers.pop("activities", None)  # another programme has another activity list
        answers["programme"] = form.cleaned_data["programme"]
        _store(request, answers)
        return redirect("selfscan:establishment")
    return _step(request, form=form, step=1, title=_("Which programme is it for?"),
                 back=reverse("selfscan:start"))


@ratelimit("selfscan")
def establishment(request):
    answers = _answers(request)
    if "programme" not in answers:
        return redirect(_first_missing(answers))
    form = EstablishmentForm(_data(request), initial=answers)
    if request.method == "POST" and form.is_valid():
        answers.update(form.cleaned_data)
        _store(request, answers)
        return redirect("selfscan:workplace")
    return _step(request, form=form, step=2, title=_("Where will the learner work?"),
                 back=reverse("selfscan:programme"))


@ratelimit("selfscan")
def workplace(request):
    answers = _answers(request)
    form = WorkplaceForm(_data(request), initial=answers)
    if request.method == "POST" and form.is_valid():
        answers.update(form.cleaned_data)
        _store(request, answers)
        return redirect("selfscan:activities")
    return _step(request, form=form, step=3, title=_("About the enterprise"),
                 back=reverse("selfscan:establishment"))


@ratelimit("selfscan")
def activities(request):
    answers = _answers(request)
    context = services.scan_context(answers)
    if context is None:
        return redirect(_first_missing(answers))
    form = ActivitiesForm(_data(request), programme=context.programme,
                          initial={"activities": answers.get("activities", [])})
    if request.method == "POST" and form.is_valid():
        answers["activities"] = form.cleaned_data["activities"]
        _store(request, answers)
        if answers.get("mentors"):
            return redirect("selfscan:mentors")
        return redirect("selfscan:mentor", index=0)
    return _step(request, form=form, step=4, title=_("Infrastructure and organisation"),
                 back=reverse("selfscan:workplace"), programme=context.programme,
                 template="selfscan/activities.html")


@ratelimit("selfscan")
def mentor(request, index: int):
    answers = _answers(request)
    context = services.scan_context(answers)
    if context is None:
        return redirect(_first_missing(answers))
    mentors = list(answers.get("mentors", []))
    if index > len(mentors) or index >= MAX_MENTORS:
        raise Http404
    mentor_extras = [d for d in context.rules.extra_documents if d.scope == "mentor"]
    existing = mentors[index] if index < len(mentors) else {}
    form = MentorForm(_data(request), on_day=_today(), mentor_extras=mentor_extras,
                      initial=MentorForm.initial_from(existing))
    if request.method == "POST" and form.is_valid():
        values = form.answers()
        if values["age"] is None and existing.get("age") is not None \
                and not (form.cleaned_data.get("birth_date") or
                         form.cleaned_data.get("national_number")):
            values["age"] = existing["age"]  # the age worked out earlier stays
        if index < len(mentors):
            mentors[index] = values
        else:
            mentors.append(values)
        answers["mentors"] = mentors
        _store(request, answers)
        return redirect("selfscan:mentors")
    return _step(request, form=form, step=5, title=_("About the mentor"),
                 back=reverse("selfscan:mentors") if mentors else reverse("selfscan:activities"),
                 template="selfscan/mentor.html", rules=context.rules, index=index,
                 known_age=existing.get("age"), on_day=_today())


@ratelimit("selfscan")
def mentors(request):
    answers = _answers(request)
    listed = answers.get("mentors", [])
    if not listed:
        return redirect(_first_missing(answers) or reverse("selfscan:mentor", args=[0]))
    form = AddAnotherMentorForm(_data(request))
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["add_another"] == "yes" and len(listed) < MAX_MENTORS:
            return redirect("selfscan:mentor", index=len(listed))
        return redirect("selfscan:application")
    return _step(request, form=form, step=5, title=_("Mentors"),
                 back=reverse("selfscan:activities"), template="selfscan/mentors.html",
                 mentors=listed, can_add=len(listed) < MAX_MENTORS)


@require_POST
@ratelimit("selfscan")
def remove_mentor(request, index: int):
    answers = _answers(request)
    listed = list(answers.get("mentors", []))
    if index < len(listed):
        del listed[index]
        answers["mentors"] = listed
        _store(request, answers)
    return redirect("selfscan:mentors")


@ratelimit("selfscan")
def application(request):
    answers = _answers(request)
    context = services.scan_context(answers)
    if context is None:
        return redirect(_first_missing(answers))
    extras = [d for d in context.rules.extra_documents if d.scope == "application"]
    form = ApplicationForm(_data(request), application_extras=extras, initial={
        "filed_by": answers.get("filed_by"), "mandate": answers.get("mandate"),
        "declaration": answers.get("declaration"), "extra_documents": answers.get("extras", []),
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers.update({"filed_by": data["filed_by"], "mandate": data["mandate"],
                        "declaration": data["declaration"],
                        "extras": list(data.get("extra_documents", [])),
                        "extras_asked": [doc.code for doc in extras]})
        _store(request, answers)
        return redirect("selfscan:result")
    return _step(request, form=form, step=6, title=_("About the application"),
                 back=reverse("selfscan:mentors"))


def _result_context(request, answers: dict, help_form=None) -> dict:
    context = services.scan_context(answers)
    on_day = _today()
    assessment = services.assess_answers(answers, context, on_day=on_day)
    return {
        "answers": answers,
        "scan": context,
        "assessment": assessment,
        "on_day": on_day,
        "help_form": help_form or HelpRequestForm(),
        "status_labels": {"met": _("Seems to be met"), "not_met": _("Seems not to be met"),
                          "unknown": _("Cannot tell yet")},
    }


@ratelimit("selfscan")
def result(request):
    answers = _answers(request)
    missing = _first_missing(answers)
    if missing:
        return redirect(missing)
    return render(request, "selfscan/result.html", _result_context(request, answers))


@require_POST
@ratelimit("selfscan")
@ratelimit("selfscan-help")
def ask_help(request):
    answers = _answers(request)
    if _first_missing(answers):
        return redirect(_first_missing(answers))
    form = HelpRequestForm(request.POST)
    context = _result_context(request, answers, help_form=form)
    scan = context["scan"]
    if scan.contact_point is None:
        raise Http404
    if not form.is_valid():
        return render(request, "selfscan/result.html", {**context, "form": form}, status=200)
    language = (get_language() or "nl")[:2]
    summary = services.summary_text(answers, scan, context["assessment"],
                                    on_day=context["on_day"], language="nl")
    data = form.cleaned_data
    fingerprint = f"{data['email'].lower()}|{summary}|{data['message']}"
    if request.session.get("selfscan_help_sent") == fingerprint:
        return redirect("selfscan:help_sent")  # the same request again: sent once
    if services.too_many_help_requests(email=data["email"]):
        form.add_error(None, _("You have sent several requests for help in the last hour. "
                               "The contact point will answer them; you can also call them."))
        return render(request, "selfscan/result.html", {**context, "form": form})
    request.session["selfscan_help_sent"] = fingerprint
    services.request_help(
        contact_point=scan.contact_point, name=data["name"], email=data["email"],
        phone=data["phone"], enterprise_name=data["enterprise_name"], message=data["message"],
        summary=summary, language=language if language in ("nl", "en") else "nl",
    )
    return redirect("selfscan:help_sent")


@ratelimit("selfscan")
def help_sent(request):
    answers = _answers(request)
    context = services.scan_context(answers) if answers else None
    return render(request, "selfscan/help_sent.html", {
        "contact_point": context.contact_point if context else None,
    })


@require_POST
@ratelimit("selfscan")
def start_application(request):
    answers = _answers(request)
    if _first_missing(answers):
        return redirect(_first_missing(answers))
    if not request.user.is_authenticated:
        login = reverse("accounts:login")
        return redirect(f"{login}?{urlencode({'next': reverse('selfscan:carry')})}")
    services.save_scan(user=request.user, answers=answers)
    messages.success(request, _("Your self-scan answers are kept for your application."))
    return redirect("applications:start")


@login_required
@ratelimit("selfscan")
def carry(request):
    """After logging in: keep the scan's answers for the user's application."""
    answers = _answers(request)
    if answers and not _first_missing(answers):
        services.save_scan(user=request.user, answers=answers)
        messages.success(request, _("Your self-scan answers are kept for your application."))
    return redirect("applications:start")
