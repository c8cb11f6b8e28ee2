"""The agreements pages: the list of the enterprise (per unit and mentor, with the capacity
left) or of the learner coach (their learners', those waiting for them first), the partnership's
list, registering an agreement at a recognised workplace, and an agreement's page with its
actions (confirm, end early, another mentor, show the national register number).

Thin: each view checks who asks, calls one service or selector, and renders. Someone who may
not see an agreement gets a 404: never reveal that someone else's agreement exists."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from werkplek.core.http import post_or_redirect

from . import rules, selectors, services
from .forms import AgreementForm, EndForm, HandlerFilterForm, MentorChangeForm, WorkplaceSearchForm
from .models import Agreement

ENTERPRISE = Agreement.Side.ENTERPRISE.value
PROVIDER = Agreement.Side.PROVIDER.value
HANDLER = "handler"

ROWS_PER_PAGE = 50

# The tabs in the URL (Dutch, like the other parameters).
LIST_SLUGS = {"current": "lopend", "ended": "afgelopen"}
LIST_TITLES = {
    "current": gettext_lazy("Running and waiting for confirmation"),
    "ended": gettext_lazy("Ended"),
}
HANDLER_SLUGS = {"all": "alle", "draft": "wacht", "active": "lopend", "ended": "afgelopen",
                 "ended_early": "vroegtijdig"}
HANDLER_TITLES = {
    "all": gettext_lazy("All"),
    "draft": gettext_lazy("Waiting for confirmation"),
    "active": gettext_lazy("Running"),
    "ended": gettext_lazy("Ended"),
    "ended_early": gettext_lazy("Ended early"),
}


def _data(request):
    return request.POST if request.method == "POST" else None


def _form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on the form."""
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


def _pagination(page, params: dict) -> dict:
    """The links of `applications/_queue_pagination.html`, keeping the other parameters."""
    return {
        "pages": [{"number": n, "url": _url(params, pagina=n) if isinstance(n, int) else "",
                   "current": n == page.number}
                  for n in page.paginator.get_elided_page_range(page.number, on_each_side=2,
                                                                on_ends=1)],
        "previous_url": _url(params, pagina=page.previous_page_number())
        if page.has_previous() else "",
        "next_url": _url(params, pagina=page.next_page_number()) if page.has_next() else "",
    }


def _no_access(request, *, page: str):
    """403 with a page that says who the page is for (`page`: list, handler or register)."""
    from werkplek.accounts.models import Role

    return render(request, "agreements/no_access.html", {
        "page": page, "is_handler": request.user.has_role(Role.HANDLER),
    }, status=403)


def _tab(slugs: dict, value, default: str) -> str:
    return next((key for key, slug in slugs.items() if slug == value), default)


# --- the lists -----------------------------------------------------------------------------------

@login_required
def agreement_list(request):
    """The enterprise's agreements, grouped per establishment unit and mentor with the capacity
    left per mentor today; or, for a learner coach, the agreements of their training provider's
    learners, those that wait for their confirmation first. Two tabs (running or waiting, and
    ended), 50 a page. Query parameters: `staat` (lopend, afgelopen) and `pagina`."""
    enterprise_ids = selectors.enterprise_ids_for(request.user)
    provider_ids = [] if enterprise_ids else selectors.provider_ids_for(request.user)
    if not enterprise_ids and not provider_ids:
        return _no_access(request, page="list")
    today = timezone.localdate()
    side = ENTERPRISE if enterprise_ids else PROVIDER
    if side == ENTERPRISE:
        agreements = selectors.enterprise_agreements(enterprise_ids)
    else:
        agreements = selectors.coach_agreements(provider_ids)
    counts = selectors.list_counts(agreements)
    tab = _tab(LIST_SLUGS, request.GET.get("staat"), "current")
    rows = (selectors.enterprise_rows(agreements, tab=tab) if side == ENTERPRISE
            else selectors.coach_rows(agreements, tab=tab))
    page = _Page(rows, ROWS_PER_PAGE, count=counts[tab]).get_page(request.GET.get("pagina"))
    groups = []
    if side == ENTERPRISE:
        groups = selectors.group_rows(page.object_list, today=today)
    else:
        page.object_list = list(page.object_list)
    params = {"staat": LIST_SLUGS[tab]}
    return render(request, "agreements/list.html", {
        "side": side, "is_enterprise": side == ENTERPRISE, "page": page, "groups": groups,
        "tab": tab, "tab_title": LIST_TITLES[tab],
        "tabs": [{"key": key, "title": LIST_TITLES[key], "count": counts[key],
                  "url": _url({}, staat=LIST_SLUGS[key]), "current": key == tab}
                 for key in LIST_SLUGS],
        "several_enterprises": len(enterprise_ids) > 1,
        "several_providers": len(provider_ids) > 1,
        "today": today, **_pagination(page, params),
    })


@login_required
def handler_list(request):
    """The agreements under the recognitions of the handler's partnerships: one tab per state
    (with counts), filters by programme and enterprise, the latest start first, 50 a page.
    Query parameters: `staat` (alle, wacht, lopend, afgelopen, vroegtijdig), `zoek`,
    `opleiding` and `pagina`."""
    from werkplek.applications.selectors import handled_partnership_ids

    partnership_ids = handled_partnership_ids(request.user)
    if not partnership_ids:
        return _no_access(request, page="handler")
    form = HandlerFilterForm(request.GET)
    form.is_valid()
    filters = form.filters()
    tab = _tab(HANDLER_SLUGS, request.GET.get("staat"), "all")
    agreements = selectors.handler_agreements(partnership_ids=partnership_ids, **filters)
    counts = selectors.handler_counts(agreements)
    rows = selectors.handler_rows(agreements, tab=tab)
    page = _Page(rows, ROWS_PER_PAGE, count=counts[tab]).get_page(request.GET.get("pagina"))
    page.object_list = list(page.object_list)
    kept = {name: request.GET.get(name, "") for name in form.fields if name not in form.errors}
    params = {"staat": HANDLER_SLUGS[tab], **kept}
    return render(request, "agreements/handler_list.html", {
        "form": form, "page": page, "tab": tab, "tab_title": HANDLER_TITLES[tab],
        "tabs": [{"key": key, "title": HANDLER_TITLES[key], "count": counts[key],
                  "url": _url(kept, staat=HANDLER_SLUGS[key]), "current": key == tab}
                 for key in HANDLER_SLUGS],
        "state_param": HANDLER_SLUGS[tab], "filtered": any(filters.values()),
        "clear_url": _url({"staat": HANDLER_SLUGS[tab]}),
        **_pagination(page, params),
    })


# --- registering ---------------------------------------------------------------------------------

@login_required
def choose_workplace(request):
    """The first step of a registration: the enterprise chooses one of its recognitions in
    force; a learner coach searches the recognised workplaces by enterprise name or number
    (`zoek`) and picks one. Only the unit, the programme and the enterprise are shown."""
    enterprise_ids = selectors.enterprise_ids_for(request.user)
    if enterprise_ids:
        page = Paginator(selectors.enterprise_workplaces(enterprise_ids),
                         ROWS_PER_PAGE).get_page(request.GET.get("pagina"))
        return render(request, "agreements/choose_workplace.html", {
            "is_enterprise": True, "page": page,
            "several_enterprises": len(enterprise_ids) > 1, **_pagination(page, {}),
        })
    if not selectors.provider_ids_for(request.user):
        return _no_access(request, page="register")
    form = WorkplaceSearchForm(request.GET if "zoek" in request.GET else None)
    page = None
    pagination = {}
    if form.is_bound and form.is_valid():
        page = Paginator(selectors.search_workplaces(form.cleaned_data["zoek"]),
                         ROWS_PER_PAGE).get_page(request.GET.get("pagina"))
        pagination = _pagination(page, {"zoek": form.cleaned_data["zoek"]})
    return render(request, "agreements/choose_workplace.html", {
        "is_enterprise": False, "form": form, "page": page, **pagination,
    })


def _registration_side(request, recognition_id: int):
    """The recognition in force and how the user registers at it (the enterprise, or a
    coach with their providers), or the response to give instead."""
    from werkplek.catalog.models import TrainingProvider
    from werkplek.recognitions.models import Recognition

    user = request.user
    recognition = selectors.workplace(recognition_id)
    if recognition is not None and services.is_enterprise_side(user, recognition.enterprise_id):
        return recognition, ENTERPRISE, selectors.providers_for_programme(recognition.programme)
    provider_ids = selectors.provider_ids_for(user)
    if recognition is not None and provider_ids:
        providers = TrainingProvider.objects.filter(pk__in=provider_ids).order_by("name_nl", "pk")
        return recognition, PROVIDER, providers
    if recognition is None:
        stale = Recognition.objects.filter(pk=recognition_id).only("enterprise_id").first()
        if stale is not None and services.is_enterprise_side(user, stale.enterprise_id):
            messages.error(request, _("This recognition is no longer in force: you cannot "
                                      "register new agreements under it."))
            return redirect("agreements:choose_workplace")
    if not provider_ids and not selectors.enterprise_ids_for(user):
        return _no_access(request, page="register")
    raise Http404


@login_required
def register(request, recognition_id: int):
    """The registration form at a recognised workplace (unit and programme): the learner, the
    training provider (the coach's own), the mentor with the learners they coach now, the
    period and the hours a week. The service checks the rules; its reasons land on the fields,
    and nothing typed is lost."""
    found = _registration_side(request, recognition_id)
    if not isinstance(found, tuple):
        return found
    recognition, side, providers = found
    fixed_provider = None
    if side == PROVIDER:
        own = list(providers)
        if len(own) == 1:
            # A coach of one training provider registers for it: no choice to make.
            fixed_provider, providers = own[0], None
    options = selectors.mentor_options(recognition)
    form = AgreementForm(_data(request), providers=providers, mentor_options=options)
    if request.method == "POST" and options and form.is_valid():
        data = form.cleaned_data
        provider = data.get("training_provider") or fixed_provider
        try:
            agreement = services.register_agreement(
                actor=request.user, recognition_id=recognition.pk,
                first_name=data["first_name"], last_name=data["last_name"],
                national_number=data["national_number"], training_provider_id=provider.pk,
                mentor_id=data["mentor"], start_date=data["start_date"],
                end_date=data["end_date"], weekly_hours=data["weekly_hours"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            other = (Agreement.Side.PROVIDER if agreement.registered_side == ENTERPRISE
                     else Agreement.Side.ENTERPRISE)
            messages.success(request, _(
                "The agreement is registered as %(kind)s. It runs once %(side)s confirms it.")
                % {"kind": agreement.get_kind_display(), "side": other.label})
            return redirect("agreements:detail", pk=agreement.pk)
    return render(request, "agreements/register.html", {
        "recognition": recognition, "form": form, "side": side,
        "fixed_provider": fixed_provider, "has_mentors": bool(options),
        "oao_min": rules.OAO_MIN_WEEKLY_HOURS,
        "cap": recognition.partnership.max_learners_per_mentor,
    })


# --- one agreement -------------------------------------------------------------------------------

def _agreement(request, pk: int) -> tuple[Agreement, str]:
    """The agreement and the user's role on it: one of its two sides (the enterprise, or a
    learner coach of its training provider), or a case handler of the partnership of its
    recognition (read-only). 404 for anyone else."""
    from werkplek.recognitions.services import is_partnership_handler

    try:
        agreement = selectors.agreement_with_related(pk)
    except Agreement.DoesNotExist:
        raise Http404 from None
    side = services.side_of(request.user, agreement)
    if side is not None:
        return agreement, str(side)
    if is_partnership_handler(request.user, agreement.recognition.partnership_id):
        return agreement, HANDLER
    raise Http404


def _party(request, pk: int) -> tuple[Agreement, str]:
    """The agreement, for an action only its two sides take (a handler gets 403)."""
    agreement, role = _agreement(request, pk)
    if role == HANDLER:
        raise PermissionDenied
    return agreement, role


def _render_detail(request, agreement: Agreement, role: str, *, revealed: str = ""):
    today = timezone.localdate()
    running = agreement.state in Agreement.RUNNING_STATES
    is_party = role in (ENTERPRISE, PROVIDER)
    check = None
    if running and agreement.end_date >= today:
        check = services.check_rules(recognition=agreement.recognition,
                                     mentor_id=agreement.mentor_id,
                                     start=agreement.start_date, end=agreement.end_date,
                                     exclude_id=agreement.pk, today=today)
    covered_until = check.covered_until if check else None
    return render(request, "agreements/detail.html", {
        "agreement": agreement, "role": role, "is_handler": role == HANDLER,
        "is_enterprise": role == ENTERPRISE, "is_party": is_party,
        "waiting_for": (Agreement.Side.PROVIDER if agreement.registered_side == ENTERPRISE
                        else Agreement.Side.ENTERPRISE),
        "can_confirm": is_party and agreement.state == Agreement.State.DRAFT
        and agreement.registered_side != role,
        "can_end": is_party and running,
        "can_change_mentor": role == ENTERPRISE and running,
        "ends_with_recognition": covered_until is not None
        and covered_until < agreement.end_date,
        "covered_until": covered_until,
        "rule_problems": [message for _field, message in check.problems]
        if check and agreement.state == Agreement.State.DRAFT else [],
        "events": selectors.timeline(agreement),
        "oao_min": rules.OAO_MIN_WEEKLY_HOURS,
        "revealed": revealed, "today": today,
    })


@login_required
def detail(request, pk: int):
    """An agreement's page: the learner (national register number masked), the kind and why,
    the workplace, mentor, provider, period, hours, state and timeline; the actions of each
    side. Read-only for the partnership's case handlers; 404 for anyone else."""
    agreement, role = _agreement(request, pk)
    return _render_detail(request, agreement, role)


@login_required
@post_or_redirect("agreements:detail")
def confirm(request, pk: int):
    """The side that did not register the agreement confirms it: the rules are checked again,
    and it runs. From the list (`terug=lijst`), back to the list."""
    agreement, _role = _party(request, pk)
    try:
        services.confirm_agreement(actor=request.user, agreement_id=agreement.pk)
    except ValidationError as error:
        messages.error(request, _("The agreement of %(name)s is not confirmed: %(reasons)s") % {
            "name": agreement.learner.full_name, "reasons": " ".join(error.messages)})
    else:
        messages.success(request, _("The agreement of %(name)s is confirmed: it runs from "
                                    "%(start)s until %(end)s.") % {
            "name": agreement.learner.full_name,
            "start": agreement.start_date.strftime("%d/%m/%Y"),
            "end": agreement.end_date.strftime("%d/%m/%Y")})
    if request.POST.get("terug") == "lijst":
        return redirect("agreements:list")
    return redirect("agreements:detail", pk=agreement.pk)


def _ended_already(request, agreement: Agreement):
    messages.info(request, _("This agreement has ended already."))
    return redirect("agreements:detail", pk=agreement.pk)


@login_required
def end(request, pk: int):
    """Either side ends the agreement before its end date (or withdraws a registration that
    waits for confirmation): the last day and why."""
    agreement, _role = _party(request, pk)
    if agreement.state not in Agreement.RUNNING_STATES:
        return _ended_already(request, agreement)
    form = EndForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.end_agreement(actor=request.user, agreement_id=agreement.pk,
                                               on_day=form.cleaned_data["on_day"],
                                               note=form.cleaned_data["note"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect("agreements:detail", pk=agreement.pk)
            _form_errors(form, error)
        else:
            messages.success(request, _("The agreement of %(name)s ends early: its last day is "
                                        "%(date)s. The other side sees it on the agreement.") % {
                "name": agreement.learner.full_name,
                "date": agreement.ended_on.strftime("%d/%m/%Y")})
            return redirect("agreements:detail", pk=agreement.pk)
    return render(request, "agreements/end.html", {"agreement": agreement, "form": form})


@login_required
def change_mentor(request, pk: int):
    """The enterprise names another active mentor of the recognition for a running agreement;
    the service checks the rules for the new mentor."""
    agreement, role = _party(request, pk)
    if role != ENTERPRISE:
        raise PermissionDenied
    if agreement.state not in Agreement.RUNNING_STATES:
        return _ended_already(request, agreement)
    options = selectors.mentor_options(agreement.recognition,
                                       exclude_mentor_id=agreement.mentor_id)
    form = MentorChangeForm(_data(request), mentor_options=options)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.change_mentor(actor=request.user, agreement_id=agreement.pk,
                                               mentor_id=form.cleaned_data["mentor"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect("agreements:detail", pk=agreement.pk)
            _form_errors(form, error)
        else:
            messages.success(request, _("%(mentor)s is now the mentor of %(name)s.") % {
                "mentor": agreement.mentor.full_name, "name": agreement.learner.full_name})
            return redirect("agreements:detail", pk=agreement.pk)
    return render(request, "agreements/change_mentor.html", {
        "agreement": agreement, "form": form, "has_options": bool(options),
    })


@never_cache
@login_required
@post_or_redirect("agreements:detail")
def reveal(request, pk: int):
    """Show the learner's national register number in clear on this response only (never in
    a URL, never on a GET), for anyone who may see the agreement; each look is recorded in the
    personal-data access register."""
    agreement, role = _agreement(request, pk)
    number = services.reveal_national_number(actor=request.user, agreement=agreement)
    return _render_detail(request, agreement, role, revealed=number)
