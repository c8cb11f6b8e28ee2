"""Appeals (beroep): the enterprise files one against a refusal or a sanction and follows it; the
appeal committee handles it from its queue (admissibility, hearing, decision); the case handlers
of the partnership whose decision is appealed read along.

Thin views: who may see what is decided in `selectors`, every change is one call of a service.
An action that fails on its input shows the appeal's page again with the errors; a page that was
out of date (`StaleAppeal`) shows it again with the current data and the message, as HTTP 409."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkplek.applications.models import Application
from werkplek.core.deadlines import days_left
from werkplek.core.http import post_or_redirect
from werkplek.recognitions.models import Sanction
from werkplek.recognitions.services import is_enterprise_user

from . import selectors, services
from .forms import (
    AdmissibilityForm,
    AppealForm,
    CommitteeQueueFilterForm,
    DecisionForm,
    HearingForm,
)
from .models import Appeal

PAGE_SIZE = 50
DETAIL_TEMPLATE = "appeals/detail.html"


def _form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on the form."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error)


def _url(params: dict, **changes) -> str:
    merged = {**params, **changes}
    return "?" + urlencode({key: value for key, value in merged.items() if value})


class _Page(Paginator):
    """A paginator that is told its count (the tab counts already have it: no extra query)."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


def _pages(page, params: dict) -> dict:
    """The links of the pagination (`applications/_queue_pagination.html`)."""
    return {
        "pages": [{"number": n, "url": _url(params, pagina=n) if isinstance(n, int) else "",
                   "current": n == page.number}
                  for n in page.paginator.get_elided_page_range(page.number, on_each_side=2,
                                                                on_ends=1)],
        "previous_url": _url(params, pagina=page.previous_page_number())
        if page.has_previous() else "",
        "next_url": _url(params, pagina=page.next_page_number()) if page.has_next() else "",
    }


# Filing -----------------------------------------------------------------------------------------

def _subject_link(*, application: Application | None = None,
                  sanction: Sanction | None = None) -> str:
    """The page of the decision appealed: the application's status page, or the page of the
    sanctioned recognition."""
    from django.urls import reverse

    if application is not None:
        return reverse("applications:detail", args=[application.pk])
    return reverse("recognitions:detail", args=[sanction.recognition_id])


def _file(request, *, application: Application | None = None,
          sanction: Sanction | None = None):
    """The filing page: who may appeal, the decision and its window, the form; on a valid
    post the service files the appeal."""
    subject = application if application is not None else sanction
    if not is_enterprise_user(request.user, subject.enterprise_id):
        if selectors.is_coach_for(request.user, subject.enterprise_id):
            return render(request, "appeals/coach_may_not_appeal.html", {
                "application": application, "sanction": sanction,
                "back_url": _subject_link(application=application, sanction=sanction)
                if application is not None else "",
            }, status=403)
        raise Http404  # never reveal that someone else's decision exists
    ids = {"application_id": application.pk} if application is not None else {
        "sanction_id": sanction.pk}
    back_url = _subject_link(application=application, sanction=sanction)
    try:
        target = services.appealable(**ids)
    except ValidationError as error:
        return render(request, "appeals/not_appealable.html", {
            "application": application, "sanction": sanction, "back_url": back_url,
            "problem": " ".join(error.messages)})
    today = timezone.localdate()
    existing = selectors.existing_appeal(application=application, sanction=sanction)
    form = AppealForm(request.POST, request.FILES) if request.method == "POST" else AppealForm()
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.file_appeal(actor=request.user, grounds=form.cleaned_data["grounds"],
                                          documents=form.cleaned_data["documents"], **ids)
        except ValidationError as error:
            _form_errors(form, error)
            existing = selectors.existing_appeal(application=application, sanction=sanction)
        else:
            _filed_message(request, appeal,
                           services.final_decision(application=application, sanction=sanction))
            return redirect("appeals:detail", pk=appeal.pk)
    final = services.final_decision(application=application, sanction=sanction)
    return render(request, "appeals/file.html", {
        "form": form, "application": application, "sanction": sanction, "target": target,
        "back_url": back_url, "existing": existing,
        "late": final is not None or today > target.appeal_until, "final": final,
        "days_left": days_left(target.appeal_until, today=today),
        "enterprise": subject.enterprise,
    })


def _filed_message(request, appeal: Appeal, final) -> None:
    """What the enterprise is told once its appeal is recorded: filed; or received but late,
    and, when the daily job closed the window first, since when the decision is final."""
    names = {"reference": appeal.reference, "date": appeal.appeal_until.strftime("%d/%m/%Y")}
    if final is not None:
        messages.warning(request, _(
            "Your appeal %(reference)s is received, but late: the last day to appeal was "
            "%(date)s, and the decision has been final since %(final)s. The appeal committee "
            "will most likely declare your appeal inadmissible. The receipt letter follows by "
            "e-mail; if it does not arrive, check your spam folder.") % {
            **names, "final": timezone.localtime(final.final_since).strftime("%d/%m/%Y %H:%M")})
    elif not appeal.in_time:
        messages.warning(request, _(
            "Your appeal %(reference)s is received, but late: the last day to appeal was "
            "%(date)s. The appeal committee will most likely declare your appeal inadmissible. "
            "The receipt letter follows by e-mail; if it does not arrive, check your spam "
            "folder.") % names)
    else:
        messages.success(request, _(
            "Your appeal %(reference)s is filed. The receipt letter follows by e-mail: it "
            "says by when the appeal committee confirms whether your appeal is admissible. "
            "If the e-mail does not arrive, check your spam folder.") % {
            "reference": appeal.reference})


@login_required
def file_against_refusal(request, application_id: int):
    application = get_object_or_404(
        Application.objects.select_related("enterprise", "partnership", "unit", "programme"),
        pk=application_id)
    return _file(request, application=application)


@login_required
def file_against_sanction(request, sanction_id: int):
    sanction = get_object_or_404(
        Sanction.objects.select_related("enterprise", "partnership", "recognition__unit",
                                        "recognition__programme", "mentor", "unit"),
        pk=sanction_id)
    return _file(request, sanction=sanction)


# The enterprise's appeals -----------------------------------------------------------------------

@login_required
def appeal_list(request):
    """The appeals of the enterprises the user represents or works for, the latest first. A
    member of the appeal committee (without an enterprise) goes to the committee's queue."""
    enterprise_ids = selectors.enterprise_ids(request.user)
    if not enterprise_ids:
        if services.is_committee_member(request.user):
            return redirect("appeals:queue")
        raise PermissionDenied
    appeals = selectors.appeals_for(request.user)
    page = Paginator(appeals, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "appeals/list.html", {
        "page": page, "several_enterprises": len(enterprise_ids) > 1,
        **_pages(page, {}),
    })


# The committee's queue --------------------------------------------------------------------------

TAB_SLUGS = {"admissibility": "ontvankelijkheid", "to_decide": "te-beslissen",
             "closed": "afgesloten"}
TAB_TITLES = {
    "admissibility": gettext_lazy("Admissibility to confirm"),
    "to_decide": gettext_lazy("To decide"),
    "closed": gettext_lazy("Closed"),
}
SORT_SLUGS = {"due": "termijn", "filed": "ingediend", "reference": "referentie",
              "enterprise": "onderneming"}


def _sort_header(key: str, label: str, *, params: dict, sort: str | None,
                 descending: bool) -> dict:
    current = key == sort
    next_descending = not descending if current else False
    slug = ("-" if next_descending else "") + SORT_SLUGS[key]
    return {
        "label": label,
        "aria_sort": ("descending" if descending else "ascending") if current else "none",
        "url": _url(params, sorteer=slug, pagina=""),
        "hint": _("sort descending") if next_descending else _("sort ascending"),
    }


@login_required
def committee_queue(request):
    """The appeal committee's queue: appeals whose admissibility is to be confirmed (the
    nearest deadline first, flagged when overdue or due within 3 days), appeals to decide,
    and closed appeals; filters by partnership and kind of decision; 50 per page.

    Query parameters: `tab` (ontvankelijkheid, te-beslissen, afgesloten), `partnerschap`,
    `soort` (weigering, sanctie), `sorteer` (termijn, ingediend, referentie, onderneming; a
    leading "-" for descending) and `pagina`."""
    if not services.is_committee_member(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    form = CommitteeQueueFilterForm(request.GET)
    form.is_valid()
    filters = form.filters()
    tab = next((key for key, slug in TAB_SLUGS.items() if slug == request.GET.get("tab")),
               "admissibility")
    requested = request.GET.get("sorteer", "")
    sort = next((key for key, slug in SORT_SLUGS.items() if slug == requested.lstrip("-")),
                None)
    descending = bool(sort) and requested.startswith("-")
    counts = selectors.queue_counts(**filters)
    appeals = selectors.queue(tab=tab, sort=sort, descending=descending, **filters)
    page = _Page(appeals, PAGE_SIZE, count=counts[tab]).get_page(request.GET.get("pagina"))
    for appeal in page.object_list:
        appeal.due_flag = selectors.due_flag(appeal, today=today)
        appeal.days_left = days_left(appeal.admissibility_due, today=today) \
            if appeal.state == Appeal.State.FILED else None
        appeal.days_late = -appeal.days_left if appeal.days_left is not None \
            and appeal.days_left < 0 else 0

    kept = {name: request.GET.get(name, "") for name in form.fields if name not in form.errors}
    sort_param = requested if sort else ""
    params = {"tab": TAB_SLUGS[tab], **kept, "sorteer": sort_param}
    # Without a chosen sort, the admissibility tab is in the order of its deadline.
    shown_sort = sort or ("due" if tab == "admissibility" else None)
    headers = {key: _sort_header(key, label, params=params, sort=shown_sort,
                                 descending=descending)
               for key, label in (("reference", _("Reference")),
                                  ("enterprise", _("Enterprise")),
                                  ("filed", _("Filed on")),
                                  ("due", _("Admissibility by")))}
    return render(request, "appeals/queue.html", {
        "form": form, "page": page, "tab": tab, "tab_title": TAB_TITLES[tab],
        "tabs": [{"key": key, "title": TAB_TITLES[key], "count": counts[key],
                  "url": _url({**kept, "sorteer": sort_param}, tab=TAB_SLUGS[key]),
                  "current": key == tab} for key in TAB_SLUGS],
        "headers": headers, "tab_param": TAB_SLUGS[tab], "sort_param": sort_param,
        "filtered": any(filters.values()),
        "clear_url": _url({"tab": TAB_SLUGS[tab], "sorteer": sort_param}),
        **_pages(page, params),
    })


# One appeal -------------------------------------------------------------------------------------

def _appeal(request, pk: int) -> tuple[Appeal, str]:
    """The appeal and the user's role on it; 404 for anyone without one."""
    try:
        appeal = selectors.appeal_for_page(pk)
    except Appeal.DoesNotExist:
        raise Http404 from None
    role = selectors.viewer_role(request.user, appeal)
    if role is None:
        raise Http404  # never reveal that someone else's appeal exists
    return appeal, role


def _context(request, appeal: Appeal, role: str, *, bound: dict | None = None) -> dict:
    from werkplek.notices.selectors import deliveries_for, letters_for

    bound = bound or {}
    committee = role == selectors.COMMITTEE
    State = Appeal.State
    version = {"version": appeal.version}

    def form(prefix, form_class, **kwargs):
        return bound[prefix] if prefix in bound else form_class(prefix=prefix, **kwargs)

    forms = {}
    if committee and appeal.state == State.FILED:
        forms["admissibility"] = form("admissibility", AdmissibilityForm, initial={
            **version, "reason": "" if appeal.in_time else Appeal.Inadmissible.LATE})
    if committee and appeal.state == State.ADMISSIBLE:
        forms["hearing"] = form("hearing", HearingForm,
                                initial={**version, "notes": appeal.hearing_notes})
        forms["decision"] = form("decision", DecisionForm, initial=version)
    error_form = next((f for f in forms.values() if f.is_bound and f.errors), None)
    shown = {id(f) for f in forms.values()}
    # A posted form that the appeal's state no longer shows: its errors still go on top.
    hidden_errors = [message for f in bound.values() if id(f) not in shown
                     for problems in f.errors.values() for message in problems]
    today = timezone.localdate()
    subject_url = ""
    if role != selectors.COMMITTEE:
        subject_url = _subject_link(application=appeal.application, sanction=appeal.sanction)
    return {
        "appeal": appeal, "role": role, "is_committee": committee,
        "is_enterprise": role == selectors.ENTERPRISE, "is_handler": role == selectors.HANDLER,
        "subject_url": subject_url,
        "documents": list(appeal.documents.all()),
        "timeline": selectors.timeline(appeal, internal=committee),
        "letters": list(letters_for(appeal)),
        "deliveries": list(deliveries_for(appeal)) if committee else None,
        "forms": forms, "error_form": error_form, "hidden_errors": hidden_errors,
        "page_has_errors": bool(hidden_errors),
        "due_flag": selectors.due_flag(appeal, today=today),
        "days_left": days_left(appeal.admissibility_due, today=today),
        "filed_on": timezone.localdate(appeal.filed_at),
        "open": appeal.state in Appeal.OPEN_STATES,
    }


def _render(request, appeal: Appeal, role: str, *, status: int = 200,
            stale: ValidationError | None = None, **kwargs):
    context = _context(request, appeal, role, **kwargs)
    if stale is not None:
        context["stale"] = " ".join(stale.messages)
        context["page_has_errors"] = True
    return render(request, DETAIL_TEMPLATE, context, status=status)


@login_required
def detail(request, pk: int):
    """One appeal: for the enterprise's legal representatives and employer staff, the case
    handlers of the partnership whose decision is appealed (both read-only, without the
    internal hearing notes), and the appeal committee (with its forms)."""
    appeal, role = _appeal(request, pk)
    return _render(request, appeal, role)


@login_required
def document(request, pk: int, document_id: int):
    """Download a document of the appeal: for everyone who may open the appeal; logged."""
    from werkplek.core.personal_data import audit_log
    from werkplek.core.uploads import file_response

    appeal, role = _appeal(request, pk)
    item = get_object_or_404(appeal.documents, pk=document_id)
    audit_log.info("document download user=%s appeal=%s document=%s role=%s",
                   request.user.pk, appeal.pk, item.pk, role)
    return file_response(file_field=item.file, download_name=item.original_name,
                         content_type=item.content_type, request=request,
                         subject=f"appeal:{appeal.pk}", purpose="appeal document")


def _act(request, pk: int, *, prefix: str, form_class, call):
    """Parse the posted form of a committee step and call the service; back to the appeal
    with the message that `call` returns, or the appeal again with the errors."""
    appeal, role = _appeal(request, pk)
    if role != selectors.COMMITTEE:
        raise PermissionDenied
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            success = call(appeal, form.cleaned_data)
        except services.StaleAppeal as error:
            appeal, role = _appeal(request, pk)
            data = request.POST.copy()
            data[f"{prefix}-version"] = str(appeal.version)
            fresh = form_class(data, prefix=prefix)
            fresh.is_valid()
            return _render(request, appeal, role, stale=error, status=409,
                           bound={prefix: fresh})
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("appeals:detail", pk=pk)
    return _render(request, appeal, role, bound={prefix: form})


@login_required
@post_or_redirect("appeals:detail")
def admissibility(request, pk: int):
    def call(appeal, data):
        decided = services.decide_admissibility(
            actor=request.user, appeal_id=appeal.pk, version=data["version"],
            admissible=data["admissible"], reason=data["reason"] or "",
            reasons=data["reasons"] or "")
        if decided.state == Appeal.State.ADMISSIBLE:
            return _("The appeal is admissible. The letter confirming it is sent to the "
                     "enterprise.")
        return _("The appeal is inadmissible. The letter with the reasons is sent to the "
                 "enterprise.")

    return _act(request, pk, prefix="admissibility", form_class=AdmissibilityForm, call=call)


@login_required
@post_or_redirect("appeals:detail")
def hearing(request, pk: int):
    def call(appeal, data):
        services.record_hearing(actor=request.user, appeal_id=appeal.pk, notes=data["notes"],
                                version=data["version"])
        return _("The notes of the hearing are saved. The enterprise does not see them.")

    return _act(request, pk, prefix="hearing", form_class=HearingForm, call=call)


@login_required
@post_or_redirect("appeals:detail")
def decide(request, pk: int):
    def call(appeal, data):
        decided = services.decide_appeal(actor=request.user, appeal_id=appeal.pk,
                                         version=data["version"], overturn=data["overturn"],
                                         reasons=data["reasons"])
        if decided.state == Appeal.State.OVERTURNED:
            if decided.application_id:
                return _("The refusal is overturned: the workplace is now recognised. The "
                         "letter is sent to the enterprise and the partnership.")
            return _("The sanction is overturned: it is lifted and its effects are reversed "
                     "where possible. The letter is sent to the enterprise and the "
                     "partnership.")
        return _("The decision is upheld. The letter is sent to the enterprise and the "
                 "partnership.")

    return _act(request, pk, prefix="decision", form_class=DecisionForm, call=call)
