"""The partnership's side, lists: the case handlers' queue and the handling statistics.

Thin views: the query parameters are parsed by a form, the reads are in `selectors` and
`statistics`, the page is rendered."""

import csv
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors
from . import statistics as stats
from .forms_queue import QueueFilterForm, StatisticsPeriodForm

PAGE_SIZE = 50
# The tabs in the URL (Dutch, like the other query parameters) and their titles.
TAB_SLUGS = {
    "new": "nieuw", "in_progress": "in-behandeling", "waiting": "wacht-op-aanvrager",
    "to_decide": "te-beslissen", "decided": "beslist", "closed": "afgesloten",
}
TAB_TITLES = {
    "new": gettext_lazy("New"),
    "in_progress": gettext_lazy("Being handled"),
    "waiting": gettext_lazy("With the applicant"),
    "to_decide": gettext_lazy("To decide"),
    "decided": gettext_lazy("Decided"),
    "closed": gettext_lazy("Closed"),
}
SORT_SLUGS = {"deadline": "termijn", "submitted": "ingediend", "reference": "referentie",
              "enterprise": "onderneming", "programme": "opleiding", "province": "provincie",
              "handler": "behandelaar"}


def _url(params: dict, **changes) -> str:
    merged = {**params, **changes}
    return "?" + urlencode({key: value for key, value in merged.items() if value})


def _sort_header(key: str, label: str, *, params: dict, sort: str, descending: bool) -> dict:
    """A sortable column header: aria-sort for the current column, and a link that sorts by
    this column (or turns the current one around)."""
    current = key == sort
    next_descending = not descending if current else False
    slug = ("-" if next_descending else "") + SORT_SLUGS[key]
    return {
        "label": label,
        "aria_sort": ("descending" if descending else "ascending") if current else "none",
        "url": _url(params, sorteer=slug, pagina=""),
        "hint": _("sort descending") if next_descending else _("sort ascending"),
    }


class _Page(Paginator):
    """A paginator that is told its count (the tab counts already have it: no extra query)."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


@login_required
def queue(request):
    """The handler's queue: one tab per step, filters, sortable columns, 50 per page.

    Tabs: new (submitted), in progress, waiting for the applicant, to decide (proposed),
    decided (approved or refused) and closed (lapsed or withdrawn: not decisions, so apart).
    Query parameters: `tab`, `opleiding`, `provincie`, `behandelaar` (ik, niemand or a user's
    id), `termijn` (verlopen, binnenkort), `sorteer` (termijn, ingediend, referentie,
    onderneming, opleiding, provincie, behandelaar; a leading "-" for descending) and
    `pagina`. An unknown tab or sort falls back to the default; a wrong filter value is shown
    as an error and left out. Each open row says how many days are left (or past)."""
    partnership_ids = selectors.handled_partnership_ids(request.user)
    if not partnership_ids:  # only case handlers (an active handler membership) have a queue
        raise PermissionDenied
    today = timezone.localdate()
    handlers = list(selectors.queue_handlers(request.user, partnership_ids=partnership_ids))
    form = QueueFilterForm(request.GET, handlers=handlers)
    form.is_valid()
    filters = {**form.filters(), "partnership_ids": partnership_ids, "today": today}
    tab = next((key for key, slug in TAB_SLUGS.items() if slug == request.GET.get("tab")), "new")
    requested = request.GET.get("sorteer", "")
    sort = next((key for key, slug in SORT_SLUGS.items() if slug == requested.lstrip("-")),
                None)
    descending = requested.startswith("-") if sort else None
    counts = selectors.queue_counts(request.user, **filters)
    applications = selectors.queue(request.user, tab=tab, sort=sort or "deadline",
                                   descending=descending, total=counts[tab], **filters)
    page = _Page(applications, PAGE_SIZE, count=counts[tab]).get_page(request.GET.get("pagina"))
    for application in page.object_list:
        application.deadline_flag = selectors.deadline_flag(application, today=today)
        # Days to the deadline that runs (None when decided or closed), or days past it.
        left = selectors.days_to_deadline(application, today=today)
        application.days_left = left
        application.days_late = -left if left is not None and left < 0 else 0

    # The query of this view without page, tab and sort: kept by every link.
    kept = {name: request.GET.get(name, "") for name in form.fields if name not in form.errors}
    sort_param = requested if sort else ""
    params = {"tab": TAB_SLUGS[tab], **kept, "sorteer": sort_param}
    shown_descending = descending if descending is not None \
        else tab in selectors.DESCENDING_BY_DEFAULT
    headers = {
        key: _sort_header(key, label, params=params, sort=sort or "deadline",
                          descending=shown_descending)
        for key, label in (
            ("reference", _("Reference")), ("enterprise", _("Enterprise and unit")),
            ("programme", _("Programme")), ("province", _("Province")),
            ("submitted", _("Submitted on")),
            ("deadline", _("To be completed by") if tab == "waiting"
             else _("Decision at the latest")),
            ("handler", _("Case handler")),
        )
    }
    from werkplek.notices.selectors import undelivered_for

    return render(request, "applications/queue.html", {
        "undelivered": undelivered_for(request.user, partnership_ids=partnership_ids),
        "form": form, "page": page, "tab": tab, "tab_title": TAB_TITLES[tab],
        "tabs": [{"key": key, "title": TAB_TITLES[key], "count": counts[key],
                  "url": _url({**kept, "sorteer": sort_param}, tab=TAB_SLUGS[key]),
                  "current": key == tab} for key in TAB_SLUGS],
        "headers": headers,
        "pages": [{"number": n, "url": _url(params, pagina=n) if isinstance(n, int) else "",
                   "current": n == page.number}
                  for n in page.paginator.get_elided_page_range(page.number, on_each_side=2,
                                                                on_ends=1)],
        "previous_url": _url(params, pagina=page.previous_page_number())
        if page.has_previous() else "",
        "next_url": _url(params, pagina=page.next_page_number()) if page.has_next() else "",
        "tab_param": TAB_SLUGS[tab], "sort_param": sort_param,
        "filtered": any(form.filters().values()),
        "clear_url": _url({"tab": TAB_SLUGS[tab], "sorteer": sort_param}),
    })


@login_required
def statistics(request):
    """Handling statistics for a period: the last 12 months by default, or a year (`jaar`).

    Case handlers see their partnerships; administrators and the handlers and voting members
    of the Flemish Partnership see all partnerships, with a row per partnership. Anyone else
    gets 403. Beside the applications, the page shows the recognitions as they stand today and
    the sanctions and appeals of the period (`statistics.compute_recognitions`).

    `?formaat=csv` downloads the monthly figures, `?formaat=csv&tabel=partnerschappen` the
    figures per partnership, for the same period; `tabel=erkenningen` the recognitions per
    partnership today, `tabel=sancties` the sanctions per partnership and kind and
    `tabel=beroepen` the appeals per partnership, of the period. The CSV is what Excel opens
    directly with Belgian settings: UTF-8 with a byte-order mark, `;` between fields and a
    decimal comma (87,5), no thousands separator, months as 2026-01; percentages are numbers
    without the % sign. The files are small (one row per month or per partnership): not
    streamed."""
    scope = stats.statistics_scope(request.user)
    if scope is None:
        raise PermissionDenied
    form = StatisticsPeriodForm(request.GET, years=stats.available_years(scope))
    valid = form.is_valid()
    period = stats.period_for(form.year())
    if valid and request.GET.get("formaat") == "csv":
        table = request.GET.get("tabel")
        if table in RECOGNITION_CSV_TABLES:
            return RECOGNITION_CSV_TABLES[table](stats.compute_recognitions(scope, period))
        figures = stats.compute(scope, period)
        if table == "partnerschappen":
            return _csv_partnerships(figures)
        return _csv_months(figures)
    figures = stats.compute(scope, period)
    recognitions = stats.compute_recognitions(scope, period)
    year = request.GET.get("jaar", "") if valid else ""
    return render(request, "applications/statistics.html", {
        "form": form, "stats": figures, "period": period, "recognition_stats": recognitions,
        "csv_months_url": _url({"jaar": year, "formaat": "csv"}),
        "csv_partnerships_url": _url({"jaar": year, "formaat": "csv",
                                      "tabel": "partnerschappen"}),
        "csv_recognitions_url": _url({"jaar": year, "formaat": "csv", "tabel": "erkenningen"}),
        "csv_sanctions_url": _url({"jaar": year, "formaat": "csv", "tabel": "sancties"}),
        "csv_appeals_url": _url({"jaar": year, "formaat": "csv", "tabel": "beroepen"}),
        "is_handler": request.user.has_role("handler"),
    })


def _number(value, decimals: int = 1) -> str:
    """A decimal comma, rounded half up like the page (`floatformat`), no thousands separator."""
    if value is None:
        return ""
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return formats.number_format(rounded, decimal_pos=decimals, use_l10n=True)


def _text(value: str) -> str:
    """A text cell that a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv_response(name: str, period: stats.Period, rows: list[list], *,
                  slug: str | None = None) -> HttpResponse:
    """`rows` as a CSV download named after `name` and the period (or `slug`)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="werkplek-statistieken-{name}-{slug or period.slug}.csv"')
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return response


def _csv_months(figures: stats.Statistics) -> HttpResponse:
    rows = [[_("Month"), _("Received"), _("Decided"), _("Decided within 14 days"),
             _("Share decided within 14 days (%)"),
             _("Median lead time in days, without pauses")]]
    for month in figures.months:
        rows.append([f"{month.month:%Y-%m}", month.received, month.decided,
                     month.within_deadline, _number(month.share_within_deadline),
                     _number(month.median_days)])
    return _csv_response("maanden", figures.period, rows)


def _csv_partnerships(figures: stats.Statistics) -> HttpResponse:
    rows = [[_("Code"), _("Partnership"), _("Received"), _("Decided"), _("Approved"),
             _("Refused"), _("Decided within 14 days"), _("Share decided within 14 days (%)"),
             _("Median lead time in days, without pauses"),
             _("Median lead time in days, with pauses"), _("Open now"), _("Overdue now")]]

    def row(code: str, name: str, f: stats.Figures) -> list:
        return [_text(code), _text(name), f.received, f.decided, f.approved, f.refused,
                f.within_deadline, _number(f.share_within_deadline), _number(f.median_days),
                _number(f.median_raw_days), f.open, f.overdue]

    for item in figures.partnerships:
        rows.append(row(item.partnership.code, item.partnership.name, item.figures))
    rows.append(row("", _("All partnerships") if figures.scope.everything else _("Total"),
                    figures.totals))
    return _csv_response("partnerschappen", figures.period, rows)


def _total_label(scope: stats.Scope) -> str:
    return _("All partnerships") if scope.everything else _("Total")


def _csv_recognitions(figures: stats.RecognitionStatistics) -> HttpResponse:
    """The recognitions per partnership as they stand today (named after the day)."""
    rows = [[_("Code"), _("Partnership"), _("Active"), _("Of which expiring within 6 months"),
             _("Renewed, still in force"), _("Expired"), _("Withdrawn"), _("Excluded"),
             _("In force without an active mentor")]]

    def row(code: str, name: str, f: stats.RecognitionFigures) -> list:
        return [_text(code), _text(name), f.active, f.expiring, f.renewed, f.expired,
                f.withdrawn, f.excluded, f.without_mentor]

    for item in figures.partnerships:
        rows.append(row(item.partnership.code, item.partnership.name, item.recognitions))
    rows.append(row("", _total_label(figures.scope), figures.recognitions))
    return _csv_response("erkenningen", figures.period, rows,
                         slug=f"{figures.today:%Y-%m-%d}")


def _csv_sanctions(figures: stats.RecognitionStatistics) -> HttpResponse:
    """The sanctions imposed in the period per partnership and kind, then per kind in total."""
    rows = [[_("Code"), _("Partnership"), _("Kind"), _("Imposed"), _("In force"), _("Ended"),
             _("Lifted on appeal")]]

    def row(code: str, name: str, item: stats.SanctionKindFigures) -> list:
        f = item.figures
        return [_text(code), _text(name), capfirst(str(item.label)), f.imposed, f.in_force,
                f.ended, f.lifted]

    for partnership in figures.partnerships:
        for item in partnership.sanctions:
            rows.append(row(partnership.partnership.code, partnership.partnership.name, item))
    for item in figures.sanctions:
        rows.append(row("", _total_label(figures.scope), item))
    return _csv_response("sancties", figures.period, rows)


def _csv_appeals(figures: stats.RecognitionStatistics) -> HttpResponse:
    """The appeals filed in the period per partnership, by outcome and by what they are
    against, with the admissibility confirmed in time."""
    rows = [[_("Code"), _("Partnership"), _("Filed"), _("Pending"), _("Inadmissible"),
             _("Upheld"), _("Overturned"), _("Against a refusal"), _("Against a sanction"),
             _("Admissibility decided"), _("Admissibility confirmed within 10 days"),
             _("Share of admissibility confirmed within 10 days (%)")]]

    def row(code: str, name: str, f: stats.AppealFigures) -> list:
        return [_text(code), _text(name), f.filed, f.pending, f.inadmissible, f.upheld,
                f.overturned, f.against_refusal, f.against_sanction, f.admissibility_decided,
                f.admissibility_in_time, _number(f.share_admissibility_in_time)]

    for item in figures.partnerships:
        rows.append(row(item.partnership.code, item.partnership.name, item.appeals))
    rows.append(row("", _total_label(figures.scope), figures.appeals))
    return _csv_response("beroepen", figures.period, rows)


# The downloads of `compute_recognitions`, by the value of `tabel`.
RECOGNITION_CSV_TABLES = {
    "erkenningen": _csv_recognitions,
    "sancties": _csv_sanctions,
    "beroepen": _csv_appeals,
}
