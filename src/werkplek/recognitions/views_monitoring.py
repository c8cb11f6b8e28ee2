"""The partnership's monitoring of a recognition: record a finding, open a support action,
follow it up, and impose a sanction (in two steps: what it will change, then impose it).

Only the case handlers of the recognition's partnership get here (anyone else: 404). The forms
are posted from the recognition's page (`recognitions/_monitoring.html`); each view parses its
form and calls the one service. On success it goes back to the recognition's page with a
message; when the input or the state is wrong it shows the form on a page of its own with the
errors and everything typed; when the page was out of date (`StaleRecognition`) it shows the
form again with the message on top (HTTP 409)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from werkplek.catalog.models import Programme
from werkplek.core.http import post_or_redirect

from . import services
from .forms_monitoring import (
    ENTERPRISE,
    TEMPORARY,
    FindingForm,
    FollowUpForm,
    SanctionForm,
    SupportActionForm,
    preview_sanction,
)
from .models import Recognition, Sanction, SupportAction
from .services import StaleRecognition

PAGES = "recognitions/monitoring/"


# Helpers ------------------------------------------------------------------------------------

def _recognition(request, pk: int) -> Recognition:
    """The recognition, for a case handler of its partnership only: for anyone else it does
    not exist."""
    recognition = get_object_or_404(
        Recognition.objects.select_related("enterprise", "unit", "programme", "partnership"),
        pk=pk)
    if not services.is_partnership_handler(request.user, recognition.partnership_id):
        raise Http404
    return recognition


def _back(pk: int, anchor: str):
    return redirect(f"{reverse('recognitions:detail', kwargs={'pk': pk})}#{anchor}")


def _stale_error() -> StaleRecognition:
    return StaleRecognition(_("Someone changed this recognition meanwhile. Nothing was "
                              "changed: look at the current state and try again."),
                            code="stale")


def _put_errors(form, error: ValidationError, *, default: str | None = None) -> None:
    """A service's refusal on the form: on the field it names, else on `default` (or the
    form)."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else default, problems)
    else:
        form.add_error(default, error.messages)


def _page(request, template: str, recognition: Recognition, *, form, status: int = 200,
          stale: ValidationError | None = None, **extra):
    context = {"recognition": recognition, "form": form, **extra}
    if stale is not None:
        context["stale"] = " ".join(stale.messages)
        context["page_has_errors"] = True
    return render(request, PAGES + template, context, status=status)


def _fresh(request, form, build):
    """The posted form again, with the current version of the recognition (so it can be sent
    again once the person has looked at the current state)."""
    recognition = _recognition(request, form.recognition_pk)
    data = request.POST.copy()
    data[f"{form.prefix}-version"] = str(recognition.version)
    fresh = build(recognition, data)
    fresh.is_valid()
    return recognition, fresh


def _act(request, recognition: Recognition, *, build, template: str, call, anchor: str,
         default_field: str | None = None, extra=None):
    """Parse the posted form, call the service; back to the recognition's page with the
    message `call` returns, or the form's page with the errors and what was typed."""
    extra = extra or {}
    form = build(recognition, request.POST)
    form.recognition_pk = recognition.pk
    if form.is_valid():
        try:
            success = call(form.cleaned_data, form)
        except StaleRecognition as error:
            recognition, fresh = _fresh(request, form, build)
            return _page(request, template, recognition, form=fresh, status=409, stale=error,
                         **extra)
        except ValidationError as error:
            _put_errors(form, error, default=default_field)
        else:
            messages.success(request, success)
            return _back(recognition.pk, anchor)
    return _page(request, template, recognition, form=form, **extra)


def _day(day) -> str:
    return day.strftime("%d/%m/%Y")


# A finding ----------------------------------------------------------------------------------

@login_required
@post_or_redirect("recognitions:detail")
def record_finding(request, pk: int):
    recognition = _recognition(request, pk)

    def call(data, form):
        finding = services.record_finding(
            actor=request.user, recognition_id=recognition.pk, version=data["version"],
            kind=data["kind"], on=data["on"], outcome=data["outcome"],
            description=data["description"], condition=data["condition"])
        return _("The finding (%(kind)s, %(date)s) is recorded.") % {
            "kind": finding.get_kind_display(), "date": _day(finding.on)}

    return _act(request, recognition, template="finding.html", call=call, anchor="findings",
                build=lambda r, data: FindingForm(data, prefix="finding"))


# A support action ---------------------------------------------------------------------------

@login_required
@post_or_redirect("recognitions:detail")
def open_support_action(request, pk: int):
    recognition = _recognition(request, pk)

    def build(recognition, data):
        return SupportActionForm(data, prefix="support",
                                 findings=list(recognition.findings.all()))

    def call(data, form):
        action = services.open_support_action(
            actor=request.user, recognition_id=recognition.pk, version=data["version"],
            improvement=data["improvement"], due_on=data["due_on"], finding_id=data["finding"])
        return _("The support action is opened: the enterprise must improve by %(date)s. It "
                 "is told by e-mail and answers on its recognition's page.") % {
            "date": _day(action.due_on)}

    return _act(request, recognition, template="support_action.html", call=call,
                anchor="support-actions", build=build)


@login_required
@post_or_redirect("recognitions:detail")
def follow_up(request, pk: int, action_id: int):
    recognition = _recognition(request, pk)
    action = get_object_or_404(
        SupportAction.objects.select_related("finding", "answered_by"),
        pk=action_id, recognition=recognition)

    def call(data, form):
        done = services.follow_up_support_action(actor=request.user, action_id=action.pk,
                                                 version=data["version"], met=form.is_met,
                                                 note=data["note"])
        if done.state == SupportAction.State.MET:
            return _("The support action is followed up: the improvement was made.")
        return _("The support action is followed up: the improvement was not made. A "
                 "sanction can now follow.")

    return _act(request, recognition, template="follow_up.html", call=call,
                anchor="support-actions", default_field="met", extra={"action": action},
                build=lambda r, data: FollowUpForm(data, prefix=f"follow-up-{action.pk}"))


# A sanction ---------------------------------------------------------------------------------

def _sanction_form(recognition: Recognition, data=None, *, initial=None) -> SanctionForm:
    """The sanction form with its choices: the failed support actions, the recognition's
    mentors, and the programmes of the enterprise's recognitions in force."""
    failed = list(recognition.support_actions.filter(state=SupportAction.State.FAILED)
                  .order_by("-due_on", "-pk"))
    links = list(recognition.mentor_links.select_related("mentor")
                 .order_by("-is_active", "mentor__last_name", "mentor__first_name"))
    programme_ids = set(Recognition.objects.filter(
        Recognition.in_force_q(), enterprise_id=recognition.enterprise_id,
        partnership_id=recognition.partnership_id)
        .values_list("programme_id", flat=True)) | {recognition.programme_id}
    programmes = sorted(Programme.objects.filter(pk__in=programme_ids), key=lambda p: p.name)
    form = SanctionForm(data, prefix="sanction", initial=initial, recognition=recognition,
                        failed_actions=failed, mentor_links=links, programmes=programmes)
    form.failed_actions = {str(a.pk): a for a in failed}
    form.recognition_pk = recognition.pk
    return form


def _chosen(form: SanctionForm) -> dict:
    """What was chosen, by name, for the confirmation page."""
    data = form.cleaned_data
    labels = {name: dict(form.fields[name].choices)
              for name in ("mentor", "replacement_mentor", "programmes", "scope")}
    kind = data["kind"]
    return {
        "action": form.failed_actions[data["support_action"]],
        "kind": dict(Sanction.Kind.choices)[kind],
        "mentor": labels["mentor"].get(data["mentor"]) if data.get("mentor") else None,
        "programmes": [labels["programmes"][p] for p in data.get("programmes", [])],
        "replacement": (labels["replacement_mentor"].get(data["replacement_mentor"])
                        if data.get("replacement_mentor") else None),
        "whole_enterprise": data.get("scope") == ENTERPRISE,
        "scope": labels["scope"].get(data.get("scope")),
        "ends_on": data.get("ends_on") if data.get("duration") == TEMPORARY else None,
        "reasons": data["reasons"],
    }


def _confirmation(request, recognition: Recognition, form: SanctionForm, *, status: int = 200,
                  stale: ValidationError | None = None):
    arguments = form.service_arguments()
    preview = preview_sanction(recognition=recognition, **arguments)
    # Everything posted, to post again with the confirmation (or to change it).
    hidden = [(key, value) for key, values in form.data.lists()
              if key.startswith(f"{form.prefix}-") for value in values]
    return _page(request, "sanction_confirm.html", recognition, form=form, status=status,
                 stale=stale, preview=preview, chosen=_chosen(form), hidden=hidden,
                 kind=arguments["kind"])


@login_required
def impose_sanction(request, pk: int):
    """Step 1 (GET, or a POST with errors or `change`): the sanction and its details. Step 2
    (a valid POST): what it will change, before it happens. Step 3 (POST with `confirm`):
    impose it."""
    recognition = _recognition(request, pk)
    if request.method != "POST":
        form = _sanction_form(recognition, initial={
            "version": recognition.version, "programmes": [str(recognition.programme_id)]})
        asked = request.GET.get("support_action", "")
        if asked in form.failed_actions:
            form.initial["support_action"] = asked
        elif len(form.failed_actions) == 1:
            form.initial["support_action"] = next(iter(form.failed_actions))
        return _page(request, "sanction.html", recognition, form=form)

    form = _sanction_form(recognition, request.POST)
    if "change" in request.POST or not form.is_valid():
        return _page(request, "sanction.html", recognition, form=form)
    if form.cleaned_data["version"] != recognition.version:
        return _stale_sanction(request, form, _stale_error())
    if "confirm" not in request.POST:
        return _confirmation(request, recognition, form)
    try:
        sanction = services.impose_sanction(actor=request.user, **form.service_arguments())
    except StaleRecognition as error:
        return _stale_sanction(request, form, error)
    except ValidationError as error:
        _put_errors(form, error, default="support_action")
        return _page(request, "sanction.html", recognition, form=form)
    messages.success(request, _(
        "Sanction %(reference)s (%(kind)s) is imposed. The official letter goes to the "
        "enterprise and to the learner coaches of the agreements concerned.") % {
        "reference": sanction.reference, "kind": sanction.get_kind_display()})
    return _back(recognition.pk, "sanctions")


def _stale_sanction(request, form: SanctionForm, error: ValidationError):
    """The recognition changed since the page was shown: what the sanction will change is
    shown again as it is now (or the form, when the choice no longer holds), to confirm
    again."""
    recognition, fresh = _fresh(request, form, _sanction_form)
    if fresh.is_valid():
        return _confirmation(request, recognition, fresh, status=409, stale=error)
    return _page(request, "sanction.html", recognition, form=fresh, status=409, stale=error)
