"""Handling statistics of the partnerships: applications received and decided, the share decided
within the 14 days, the median lead time, the backlog by state, per month and per partnership.

Everything is counted in the database (grouped aggregates, a fixed number of queries whatever
the number of applications). Days are calendar days in Europe/Brussels, like the deadlines:

- *received*: applications submitted in the period (by `submitted_at`);
- *decided*: approved or refused in the period (by `decided_at`);
- *decided within 14 days*: the local day of the decision is on or before `decision_deadline`
  (which already includes the days the clock was paused);
- *lead time*: days from the day of submission to the day of the decision, without the days
  paused (`paused_days`) and, shown beside it, with them ("raw");
- *median*: the continuous median (the mean of the two middle values for an even count). On
  PostgreSQL it is `PERCENTILE_CONT(0.5)`; SQLite has no median, so a small aggregate function
  is registered on the connection and the values of one group pass through Python once. Both
  give the same figure; on SQLite a group holds at most one period's decisions.
- *backlog*: applications open now (not bound to the period), with those overdue now.
"""

import statistics as pystatistics
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import (
    Aggregate,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Min,
    Q,
)
from django.db.models.functions import TruncDate, TruncMonth
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkplek.accounts.models import Membership, Role
from werkplek.catalog.models import Partnership

from .models import Application

BRUSSELS = ZoneInfo("Europe/Brussels")
OPEN_STATE_LABELS = {
    Application.State.SUBMITTED: _("New"),
    Application.State.IN_PROGRESS: _("Being handled"),
    Application.State.WAITING: _("With the applicant"),
    Application.State.PROPOSED: _("To decide"),
}


# --- who sees what ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The partnerships whose figures a user may see: `partnership_ids` None means all."""

    partnership_ids: tuple[int, ...] | None

    @property
    def everything(self) -> bool:
        return self.partnership_ids is None

    def applications(self):
        if self.partnership_ids is None:
            return Application.objects.all()
        return Application.objects.filter(partnership_id__in=self.partnership_ids)

    def partnerships(self):
        found = Partnership.objects.all()
        if self.partnership_ids is not None:
            found = found.filter(pk__in=self.partnership_ids)
        return found.order_by("kind", "name_nl")


def statistics_scope(user) -> Scope | None:
    """Administrators, and handlers or voting members of the Flemish Partnership, see every
    partnership; other case handlers see their own partnerships; anyone else nothing (None)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.has_role(Role.ADMINISTRATOR):
        return Scope(partnership_ids=None)
    memberships = list(Membership.objects.filter(
        user=user, is_active=True, role__in=[Role.HANDLER, Role.VOTER],
        partnership__isnull=False,
    ).values_list("role", "partnership_id", "partnership__kind"))
    if any(kind == Partnership.Kind.FLEMISH for _role, _id, kind in memberships):
        return Scope(partnership_ids=None)
    handled = sorted({pk for role, pk, _kind in memberships if role == Role.HANDLER})
    return Scope(partnership_ids=tuple(handled)) if handled else None


# --- the period -------------------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """From `start` (included) to `end` (excluded), whole months in Brussels."""

    start: date
    end: date
    year: int | None = None

    @property
    def last_day(self) -> date:
        return date.fromordinal(self.end.toordinal() - 1)

    def months(self) -> list[date]:
        result, month = [], self.start
        while month < self.end:
            result.append(month)
            month = _add_months(month, 1)
        return result

    def bounds(self) -> tuple[datetime, datetime]:
        return (datetime.combine(self.start, time.min, tzinfo=BRUSSELS),
                datetime.combine(self.end, time.min, tzinfo=BRUSSELS))

    @property
    def slug(self) -> str:
        if self.year:
            return str(self.year)
        return f"{self.start:%Y-%m}-{self.last_day:%Y-%m}"


def period_for(year: int | None = None, *, today: date | None = None) -> Period:
    """A calendar year, or by default the last 12 months: this month and the 11 before it."""
    if year:
        return Period(start=date(year, 1, 1), end=date(year + 1, 1, 1), year=year)
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    return Period(start=_add_months(this_month, -11), end=_add_months(this_month, 1))


def available_years(scope: Scope, *, today: date | None = None) -> list[int]:
    """The years that can be chosen, newest first: from the first submission to this year."""
    this_year = (today or timezone.localdate()).year
    first = scope.applications().filter(submitted_at__isnull=False).aggregate(
        first=Min("submitted_at"))["first"]
    first_year = min(timezone.localtime(first, BRUSSELS).year, this_year) if first else this_year
    return list(range(this_year, first_year - 1, -1))


# --- database expressions ---------------------------------------------------------------------


class DaysBetween(Func):
    """Whole days from the second date expression to the first (end - start)."""

    arity = 2
    output_field = IntegerField()
    template = "(%(expressions)s)"
    arg_joiner = " - "  # PostgreSQL: date - date is a number of days

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection,
                           template="CAST(ROUND(JULIANDAY(%(expressions)s), 0) AS INTEGER)",
                           arg_joiner=") - JULIANDAY(", **extra_context)


class _SqliteMedian:
    def __init__(self):
        self.values: list[float] = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return float(pystatistics.median(self.values)) if self.values else None


class Median(Aggregate):
    """The continuous median of a numeric expression (see the module's docstring)."""

    name = "Median"
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    arity = 1
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        connection.ensure_connection()
        connection.connection.create_aggregate("werkplek_median", 1, _SqliteMedian)
        return self.as_sql(compiler, connection, function="WERKPLEK_MEDIAN",
                           template="%(function)s(%(expressions)s)%(filter)s", **extra_context)


def _local_day(name: str):
    return TruncDate(name, tzinfo=BRUSSELS)


def _month(name: str):
    return TruncMonth(name, tzinfo=BRUSSELS, output_field=DateField())


# --- the figures ------------------------------------------------------------------------------


class _InTime:
    """The share of decisions taken within the deadline, for figures that count them."""

    decided: int
    within_deadline: int

    @property
    def share_within_deadline(self) -> float | None:
        """Percentage of the decided applications decided in time, None when none decided."""
        if not self.decided:
            return None
        return 100 * self.within_deadline / self.decided


@dataclass
class Figures(_InTime):
    received: int = 0
    decided: int = 0
    approved: int = 0
    refused: int = 0
    within_deadline: int = 0
    median_days: float | None = None  # without the days paused
    median_raw_days: float | None = None  # with them
    open: int = 0
    overdue: int = 0


@dataclass
class MonthFigures(_InTime):
    month: date
    received: int = 0
    decided: int = 0
    within_deadline: int = 0
    median_days: float | None = None


@dataclass
class PartnershipFigures:
    partnership: Partnership
    figures: Figures


@dataclass
class Statistics:
    scope: Scope
    period: Period
    totals: Figures
    months: list[MonthFigures]
    partnerships: list[PartnershipFigures]
    backlog: list[tuple[str, str, int, int]] = field(default_factory=list)  # state, label, n,
    # overdue

    @property
    def month_chart(self) -> dict:
        return bar_chart_months(self.months)

    @property
    def backlog_chart(self) -> dict:
        return bar_chart_backlog(self.backlog)


def _decision_figures():
    """Aggregates over decided applications: counts, in time, and the median lead times."""
    decided_day = _local_day("decided_at")
    raw = DaysBetween(_local_day("decided_at"), _local_day("submitted_at"))
    return {
        "decided": Count("pk"),
        "approved": Count("pk", filter=Q(state=Application.State.APPROVED)),
        "refused": Count("pk", filter=Q(state=Application.State.REFUSED)),
        "within_deadline": Count("pk", filter=LessThanOrEqual(decided_day,
                                                              F("decision_deadline"))),
        "median_days": Median(ExpressionWrapper(raw - F("paused_days"),
                                                output_field=IntegerField())),
        "median_raw_days": Median(raw),
    }


def compute(scope: Scope, period: Period, *, today: date | None = None) -> Statistics:
    """The figures of `scope` for `period`: seven queries, whatever the number of rows."""
    today = today or timezone.localdate()
    start, end = period.bounds()
    applications = scope.applications()
    received_rows = (applications.filter(submitted_at__gte=start, submitted_at__lt=end)
                     .annotate(month=_month("submitted_at"))
                     .values("partnership_id", "month").annotate(n=Count("pk")).order_by())
    decided = applications.filter(state__in=Application.DECIDED_STATES, decided_at__gte=start,
                                  decided_at__lt=end, submitted_at__isnull=False)
    figures = _decision_figures()
    total_decided = decided.aggregate(**figures)
    decided_by_partnership = decided.values("partnership_id").annotate(**figures).order_by()
    decided_by_month = (decided.annotate(month=_month("decided_at")).values("month")
                        .annotate(decided=figures["decided"],
                                  within_deadline=figures["within_deadline"],
                                  median_days=figures["median_days"]).order_by())
    backlog_rows = (applications.filter(state__in=Application.OPEN_STATES)
                    .values("partnership_id", "state")
                    .annotate(n=Count("state"), overdue=Count("state", filter=Q(
                        state__in=Application.RUNNING_STATES, decision_deadline__lt=today)))
                    .order_by())

    partnerships = {p.pk: PartnershipFigures(p, Figures()) for p in scope.partnerships()}
    totals = Figures(**{key: total_decided[key] for key in figures})
    months = {month: MonthFigures(month) for month in period.months()}
    for row in received_rows:
        totals.received += row["n"]
        if row["partnership_id"] in partnerships:
            partnerships[row["partnership_id"]].figures.received += row["n"]
        if row["month"] in months:
            months[row["month"]].received += row["n"]
    for row in decided_by_partnership:
        if row["partnership_id"] in partnerships:
            target = partnerships[row["partnership_id"]].figures
            for key in figures:
                setattr(target, key, row[key])
    for row in decided_by_month:
        if row["month"] in months:
            target = months[row["month"]]
            target.decided, target.within_deadline = row["decided"], row["within_deadline"]
            target.median_days = row["median_days"]
    by_state = {state: [0, 0] for state in OPEN_STATE_LABELS}
    for row in backlog_rows:
        by_state[row["state"]][0] += row["n"]
        by_state[row["state"]][1] += row["overdue"]
        totals.open += row["n"]
        totals.overdue += row["overdue"]
        if row["partnership_id"] in partnerships:
            partnerships[row["partnership_id"]].figures.open += row["n"]
            partnerships[row["partnership_id"]].figures.overdue += row["overdue"]
    return Statistics(
        scope=scope, period=period, totals=totals, months=list(months.values()),
        partnerships=list(partnerships.values()),
        backlog=[(state, label, *by_state[state]) for state, label in OPEN_STATE_LABELS.items()],
    )


# --- charts (server-rendered SVG; the template draws what is computed here) --------------------


def _nice_maximum(value: float) -> tuple[int, int]:
    """A round top for an axis and its step (1, 2 or 5 times a power of ten, at most 5 steps)."""
    if value <= 0:
        return 4, 1
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if value <= step * 5:
                steps = -(-int(value) // step)  # ceiling
                return max(steps, 1) * step, step
        magnitude *= 10


def bar_chart_months(months: list[MonthFigures]) -> dict:
    """Geometry of the grouped bar chart "received and decided per month"."""
    width, height = 760, 330
    left, right, top, bottom = 56, 16, 48, 56
    plot_width, plot_height = width - left - right, height - top - bottom
    top_value, step = _nice_maximum(max([m.received for m in months]
                                        + [m.decided for m in months] + [0]))
    group = plot_width / max(len(months), 1)
    bar = group * 0.34

    def y(value: int) -> float:
        return round(top + plot_height - value / top_value * plot_height, 1)

    groups = []
    for i, month in enumerate(months):
        x = left + i * group + group * 0.14
        groups.append({
            "month": month.month,
            "show_year": i == 0 or month.month.month == 1,
            "centre": round(left + (i + 0.5) * group, 1),
            "bars": [
                {"kind": "received", "value": month.received, "x": round(x, 1),
                 "y": y(month.received), "height": round(top + plot_height - y(month.received), 1)},
                {"kind": "decided", "value": month.decided, "x": round(x + bar + 2, 1),
                 "y": y(month.decided), "height": round(top + plot_height - y(month.decided), 1)},
            ],
        })
    return {
        "width": width, "height": height, "left": left, "right": width - right,
        "top": top, "baseline": top + plot_height, "bar_width": round(bar, 1),
        "ticks": [{"value": v, "y": y(v)} for v in range(0, top_value + 1, step)],
        "groups": groups, "label_y": top + plot_height + 20,
        "year_y": top + plot_height + 40,
    }


def bar_chart_backlog(backlog: list[tuple[str, str, int, int]]) -> dict:
    """Geometry of the horizontal bar chart "open applications by state"."""
    width, left, right, row = 760, 230, 70, 40
    height = 16 + row * len(backlog) + 8
    top_value, _step = _nice_maximum(max([n for _s, _l, n, _o in backlog] + [0]))
    plot_width = width - left - right
    rows = []
    for i, (state, label, count, overdue) in enumerate(backlog):
        length = round(count / top_value * plot_width, 1)
        rows.append({"state": state, "label": label, "value": count, "overdue": overdue,
                     "y": 16 + i * row, "length": length, "text_x": round(left + length + 8, 1),
                     "text_y": 16 + i * row + 19})
    return {"width": width, "height": height, "left": left, "rows": rows, "bar_height": 26}
