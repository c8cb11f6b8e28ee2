"""The recognitions register and a recognition's page, for the enterprise and for the
partnership's case handlers; the enterprise's actions on a recognition: renewal, mentors, and
answers to support actions. Thin: each view checks who asks, calls one service or selector,
and renders. The handlers' monitoring actions are in `views_monitoring`."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkplek.core.http import post_or_redirect

from . import selectors, services
from .forms import (
    DeactivateMentorForm,
    HandlerRegisterFilterForm,
    MentorForm,
    SupportActionAnswerForm,
)
from .models import MentorDocument, Recognition, RecognitionEvent, RecognitionMentor

ENTERPRISE = "enterprise"
HANDLER = "handler"

UNITS_PER_PAGE = 25
ROWS_PER_PAGE = 50

# The tabs of the partnership's register in the URL (Dutch, like the other parameters).
STATE_SLUGS = {"all": "alle", "active": "actief", "expiring": "loopt-af", "expired": "verlopen",
               "renewed": "hernieuwd", "withdrawn": "opgeheven", "excluded": "uitgesloten"}
STATE_TITLES = {
    "all": gettext_lazy("All"),
    "active": gettext_lazy("Active"),
    "expiring": gettext_lazy("Expiring within 6 months"),
    "expired": gettext_lazy("Expired"),
    "renewed": gettext_lazy("Renewed"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "excluded": gettext_lazy("Excluded"),
}
SORT_SLUGS = {"end": "einddatum", "enterprise": "onderneming"}


def _data(request):
    return request.POST if request.method == "POST" else None


def _form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on the form
    (a list of unmet conditions becomes one error each)."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _url(params: dict, **changes) -> str:
    merged = {**params, **changes}
    return "?" + urlencode({key: value for key, value in merged.items() if value})


class _Page(Paginator):
    """A paginator that is told its count (the tab counts have it already: no extra query)."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


def _no_access(request, *, handler_page: bool):
    """403 with a page that says who the register is for."""
    from werkplek.accounts.models import Role

    return render(request, "recognitions/no_access.html", {
        "handler_page": handler_page, "is_coach": request.user.has_role(Role.COACH),
        "is_handler": request.user.has_role(Role.HANDLER)}, status=403)


def _recognition(request, pk: int) -> tuple[Recognition, str]:
    """The recognition and the user's role on it: its enterprise's representatives and
    employer staff, or a case handler of its partnership. 404 for anyone else: never reveal
    that someone else's recognition exists."""
    try:
        recognition = selectors.recognition_with_related(pk)
    except Recognition.DoesNotExist:
        raise Http404 from None
    if services.is_enterprise_user(request.user, recognition.enterprise_id):
        return recognition, ENTERPRISE
    if services.is_partnership_handler(request.user, recognition.partnership_id):
        return recognition, HANDLER
    raise Http404


def _enterprise_recognition(request, pk: int) -> Recognition:
    """The recognition, for an action only the enterprise takes (a handler gets 403)."""
    recognition, role = _recognition(request, pk)
    if role != ENTERPRISE:
        raise PermissionDenied
    return recognition


# --- the registers -------------------------------------------------------------------------------

@login_required
def register(request):
    """The enterprise's register: every recognition of its establishment units, grouped per
    unit (25 units a page), with the programme, active mentors, validity, state and open
    support actions. For the legal representatives and employer staff of an enterprise."""
    enterprise_ids = selectors.enterprise_ids_for(request.user)
    if not enterprise_ids:
        return _no_access(request, handler_page=False)
    today = timezone.localdate()
    page = Paginator(selectors.register_units(enterprise_ids), UNITS_PER_PAGE).get_page(
        request.GET.get("pagina"))
    groups = selectors.register_groups(page.object_list, enterprise_ids, today=today)
    return render(request, "recognitions/register.html", {
        "groups": groups, "page": page, "several_enterprises": len(enterprise_ids) > 1,
        "today": today,
    })


@login_required
def handler_register(request):
    """The partnership's register: the recognitions of the handler's partnerships, one tab per
    state (with counts), filters, sortable by end date or enterprise, 50 a page.

    Query parameters: `staat` (alle, actief, loopt-af, verlopen, hernieuwd, opgeheven,
    uitgesloten), `zoek`, `opleiding`, `provincie`, `zonder_mentor`, `opvolging`, `sorteer`
    (einddatum, onderneming; a leading "-" for descending) and `pagina`."""
    from werkplek.applications.selectors import handled_partnership_ids

    partnership_ids = handled_partnership_ids(request.user)
    if not partnership_ids:
        return _no_access(request, handler_page=True)
    today = timezone.localdate()
    form = HandlerRegisterFilterForm(request.GET)
    form.is_valid()
    filters = form.filters()
    tab = next((key for key, slug in STATE_SLUGS.items() if slug == request.GET.get("staat")),
               "all")
    requested = request.GET.get("sorteer", "")
    sort = next((key for key, slug in SORT_SLUGS.items() if slug == requested.lstrip("-")), None)
    descending = bool(sort) and requested.startswith("-")
    recognitions = selectors.handler_recognitions(partnership_ids=partnership_ids, today=today,
                                                  **filters)
    counts = selectors.handler_counts(recognitions, today=today)
    rows = selectors.handler_rows(recognitions, state=None if tab == "all" else tab,
                                  sort=sort or "end", descending=descending, today=today)
    page = _Page(rows, ROWS_PER_PAGE, count=counts[tab]).get_page(request.GET.get("pagina"))
    page.object_list = selectors.decorate(page.object_list, today=today)

    kept = {name: request.GET.get(name, "") for name in form.fields if name not in form.errors}
    sort_param = requested if sort else ""
    params = {"staat": STATE_SLUGS[tab], **kept, "sorteer": sort_param}
    headers = {}
    for key, label in (("enterprise", _("Enterprise and unit")), ("end", _("Valid until"))):
        current = key == (sort or "end")
        next_descending = not descending if current else False
        headers[key] = {
            "label": label,
            "aria_sort": ("descending" if descending else "ascending") if current else "none",
            "url": _url(params, sorteer=("-" if next_descending else "") + SORT_SLUGS[key],
                        pagina=""),
            "hint": _("sort descending") if next_descending else _("sort ascending"),
        }
    return render(request, "recognitions/handler_register.html", {
        "form": form, "page": page, "tab": tab, "tab_title": STATE_TITLES[tab],
        "tabs": [{"key": key, "title": STATE_TITLES[key], "count": counts[key],
                  "url": _url({**kept, "sorteer": sort_param}, staat=STATE_SLUGS[key]),
                  "current": key == tab} for key in STATE_SLUGS],
        "headers": headers,
        "pages": [{"number": n, "url": _url(params, pagina=n) if isinstance(n, int) else "",
                   "current": n == page.number}
                  for n in page.paginator.get_elided_page_range(page.number, on_each_side=2,
                                                                on_ends=1)],
        "previous_url": _url(params, pagina=page.previous_page_number())
        if page.has_previous() else "",
        "next_url": _url(params, pagina=page.next_page_number()) if page.has_next() else "",
        "state_param": STATE_SLUGS[tab], "sort_param": sort_param,
        "filtered": any(filters.values()),
        "clear_url": _url({"staat": STATE_SLUGS[tab], "sorteer": sort_param}),
        "today": today,
    })


# --- one recognition -----------------------------------------------------------------------------

def _render_detail(request, recognition: Recognition, role: str, *, answer_form=None,
                   answer_action_id: int | None = None, status: int = 200):
    today = timezone.localdate()
    is_handler = role == HANDLER
    is_enterprise = role == ENTERPRISE
    if is_handler:
        monitoring = selectors.monitoring_context(recognition)
        support_actions, sanctions = monitoring["support_actions"], monitoring["sanctions"]
    else:
        monitoring = None
        support_actions = selectors.support_actions_of(recognition)
        sanctions = selectors.sanctions_of(recognition)
    links = selectors.mentor_links(recognition)
    active_links = [link for link in links if link.is_active]
    if is_enterprise:
        for action in support_actions:
            if action.state in action.OPEN_STATES:
                action.answer_form = (answer_form if action.pk == answer_action_id
                                      else SupportActionAnswerForm(prefix=f"action-{action.pk}"))
    return render(request, "recognitions/detail.html", {
        "recognition": recognition, "role": role, "is_handler": is_handler,
        "is_enterprise": is_enterprise, "today": today,
        "shown_state": recognition.register_state(today),
        "successor": getattr(recognition, "successor", None),
        "links": links, "active_links": active_links,
        "lacks_mentor": recognition.state in Recognition.IN_FORCE_STATES and not active_links,
        "mentors_changeable": recognition.state in Recognition.IN_FORCE_STATES,
        "support_actions": support_actions, "sanctions": sanctions,
        "events": selectors.timeline(recognition, internal=is_handler),
        "internal_kinds": RecognitionEvent.INTERNAL_KINDS,
        "renewal_problem": services.renewal_problem(recognition, today=today)
        if is_enterprise else None,
        "renewals": selectors.renewal_applications(recognition) if is_enterprise else [],
        "monitoring": monitoring,
        "answer_form": answer_form,
        "page_has_errors": answer_form is not None and bool(answer_form.errors),
    }, status=status)


@login_required
def detail(request, pk: int):
    """A recognition's page: its data, mentors, support actions, sanctions and their letters,
    the timeline; renewal and mentor changes for the enterprise; the monitoring section for
    the partnership's case handlers. 404 for anyone else."""
    recognition, role = _recognition(request, pk)
    return _render_detail(request, recognition, role)


@login_required
@post_or_redirect("recognitions:detail")
def renew(request, pk: int):
    """Start the renewal: a draft application prefilled from the recognition."""
    recognition = _enterprise_recognition(request, pk)
    try:
        draft = services.start_renewal(actor=request.user, recognition_id=recognition.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("recognitions:detail", pk=pk)
    messages.success(request, _("Your renewal application has been started with the data of "
                                "the current recognition. Check each part, change what is no "
                                "longer right, sign the declaration on honour and submit."))
    return redirect("applications:detail", pk=draft.pk)


def _mentor_for(recognition: Recognition, data: dict):
    """The chosen known mentor, or the new one by name and national register number (found or
    created by the enterprises service, in the caller's transaction, so a refusal leaves
    nothing)."""
    from werkplek.enterprises.services import find_or_create_mentor

    if data.get("existing") is not None:
        return data["existing"]
    try:
        return find_or_create_mentor(
            enterprise=recognition.enterprise, first_name=data["first_name"],
            last_name=data["last_name"], national_number=data["national_number"],
            years_of_experience=data["years_of_experience"])
    except ValidationError as error:
        raise ValidationError({"national_number": error.messages}) from None


def _stale(request, form, recognition_pk: int, error: ValidationError) -> Recognition:
    """After a stale version: the current recognition, the form keeping what was entered with
    the current version, and the message."""
    recognition = selectors.recognition_with_related(recognition_pk)
    data = form.data.copy()
    data["version"] = str(recognition.version)
    form.data = data
    form.add_error(None, error.messages)
    return recognition


def _mentor_page(request, pk: int, link_id: int | None):
    recognition = _enterprise_recognition(request, pk)
    replaced = None
    if link_id is not None:
        replaced = get_object_or_404(RecognitionMentor.objects.select_related("mentor"),
                                     pk=link_id, recognition=recognition)
        if not replaced.is_active:
            messages.error(request, _("%(name)s is no longer a mentor of this recognition.")
                           % {"name": replaced.mentor.full_name})
            return redirect("recognitions:detail", pk=pk)
    if recognition.state not in Recognition.IN_FORCE_STATES:
        messages.error(request, _("Mentors can only be changed while the recognition is in "
                                  "force."))
        return redirect("recognitions:detail", pk=pk)
    form = MentorForm(_data(request), request.FILES or None,
                      known_mentors=selectors.known_mentors(recognition),
                      min_experience_years=recognition.partnership.min_experience_years,
                      initial={"version": recognition.version})
    refused = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                mentor = _mentor_for(recognition, data)
                link = services.add_mentor(
                    actor=request.user, recognition_id=recognition.pk,
                    version=data.get("version"), mentor=mentor,
                    years_of_experience=data["years_of_experience"],
                    training=data["training"], extract=data.get("extract"),
                    proof=data.get("proof"), replaces_link_id=replaced.pk if replaced else None)
        except services.StaleRecognition as error:
            recognition = _stale(request, form, pk, error)
            refused = True
        except ValidationError as error:
            _form_errors(form, error)
            refused = True
        else:
            if replaced is not None:
                messages.success(request, _("%(name)s replaces %(old)s as mentor. Running "
                                            "agreements of %(old)s now have %(name)s as "
                                            "mentor.") % {"name": link.mentor.full_name,
                                                          "old": replaced.mentor.full_name})
            else:
                messages.success(request, _("%(name)s has been added as mentor.")
                                 % {"name": link.mentor.full_name})
            return redirect("recognitions:detail", pk=pk)
    return render(request, "recognitions/mentor_form.html", {
        "recognition": recognition, "form": form, "replaced": replaced,
        "files_lost": bool(request.FILES) and (refused or bool(form.errors)),
    })


@login_required
def add_mentor(request, pk: int):
    """Add a mentor to a recognition in force, checked by the conditions."""
    return _mentor_page(request, pk, None)


@login_required
def replace_mentor(request, pk: int, link_id: int):
    """Replace an active mentor by another: the running agreements move to the new one."""
    return _mentor_page(request, pk, link_id)


@login_required
def deactivate_mentor(request, pk: int, link_id: int):
    """Ask first, then stop a mentor (with an optional reason). Refused while they coach a
    running agreement: then replace them."""
    recognition = _enterprise_recognition(request, pk)
    link = get_object_or_404(RecognitionMentor.objects.select_related("mentor"), pk=link_id,
                             recognition=recognition)
    if not link.is_active:
        messages.info(request, _("%(name)s is no longer a mentor of this recognition.")
                      % {"name": link.mentor.full_name})
        return redirect("recognitions:detail", pk=pk)
    form = DeactivateMentorForm(_data(request), initial={"version": recognition.version})
    coaching: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.deactivate_mentor(actor=request.user, recognition_id=recognition.pk,
                                       link_id=link.pk, version=form.cleaned_data["version"],
                                       reason=form.cleaned_data["reason"])
        except services.StaleRecognition as error:
            recognition = _stale(request, form, pk, error)
        except ValidationError as error:
            if getattr(error, "code", None) == "coaching":
                # Nothing to correct on this page: the way out is to replace the mentor.
                coaching = error.messages
            else:
                _form_errors(form, error)
        else:
            messages.success(request, _("%(name)s is no longer a mentor of this recognition.")
                             % {"name": link.mentor.full_name})
            return redirect("recognitions:detail", pk=pk)
    return render(request, "recognitions/deactivate_mentor.html", {
        "recognition": recognition, "link": link, "form": form,
        "coaching": coaching, "page_has_errors": bool(coaching),
    })


@login_required
def mentor_document(request, pk: int, document_id: int):
    """Download a document of a mentor added during the validity: for the enterprise and the
    partnership's case handlers; logged."""
    from werkplek.core.personal_data import audit_log
    from werkplek.core.uploads import file_response

    recognition, _role = _recognition(request, pk)
    document = get_object_or_404(MentorDocument, pk=document_id,
                                 link__recognition=recognition)
    audit_log.info("mentor document download user=%s recognition=%s document=%s kind=%s",
                   request.user.pk, recognition.pk, document.pk, document.kind)
    return file_response(file_field=document.file, download_name=document.original_name,
                         content_type=document.content_type, request=request,
                         subject=f"mentor:{document.link.mentor_id}", purpose="mentor document")


@login_required
@post_or_redirect("recognitions:detail")
def answer_support_action(request, pk: int, action_id: int):
    """The enterprise answers a support action (and may add to its answer until the
    follow-up). A wrong answer shows the page again with what was typed."""
    recognition = _enterprise_recognition(request, pk)
    action = get_object_or_404(recognition.support_actions, pk=action_id)
    form = SupportActionAnswerForm(request.POST, prefix=f"action-{action.pk}")
    if form.is_valid():
        try:
            services.answer_support_action(actor=request.user, action_id=action.pk,
                                           answer=form.cleaned_data["answer"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                _form_errors(form, error)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("recognitions:detail", pk=pk)
        else:
            messages.success(request, _("Your answer has been sent to the partnership."))
            return redirect("recognitions:detail", pk=pk)
    return _render_detail(request, recognition, ENTERPRISE, answer_form=form,
                          answer_action_id=action.pk)
