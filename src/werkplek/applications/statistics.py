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

`compute_recognitions` adds, for the same partnerships, the recognitions as they stand today,
and the sanctions imposed and appeals filed in the period (see the section at the end; one
more query).
"""

import statistics as pystatistics
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import (
    Aggregate,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    JSONField,
    Min,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import JSONObject, TruncDate, TruncMonth
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkplek.accounts.models import Membership, Role
from werkplek.appeals.models import Appeal
from werkplek.catalog.models import Partnership
from werkplek.recognitions.models import Recognition, RecognitionMentor, Sanction
from werkplek.recognitions.selectors import expiring_cutoff

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


def statistics_scope(user, *, memberships: list[Membership] | None = None) -> Scope | None:
    """Administrators, and handlers or voting members of the Flemish Partnership, see every
    partnership; other case handlers see their own partnerships; anyone else nothing (None).

    `memberships`: the user's active memberships with their partnership, when the caller has
    read them already (the dashboard): then no query at all."""
    if not getattr(user, "is_authenticated", False):
        return None
    if memberships is not None:
        if user.is_superuser or any(m.role == Role.ADMINISTRATOR for m in memberships):
            return Scope(partnership_ids=None)
        memberships = [(m.role, m.partnership_id, m.partnership.kind) for m in memberships
                       if m.is_active and m.role in (Role.HANDLER, Role.VOTER)
                       and m.partnership_id is not None]
    elif user.has_role(Role.ADMINISTRATOR):
        return Scope(partnership_ids=None)
    else:
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


# --- recognitions, sanctions and appeals --------------------------------------------------------
#
# Beside the handling of applications, what became of the recognitions and how they were
# monitored, for the same partnerships. Recognitions are counted as they stand today (whatever
# the period); sanctions imposed in the period (`imposed_on`) and appeals filed in it
# (`filed_at`, in Brussels), each with its state now.
#
# One query, whatever the number of rows: a row per partnership with three correlated
# subqueries, each aggregating that partnership's recognitions, sanctions or appeals (by the
# partnership's index) into one JSON object of conditional counts (`JSONObject`: json_object
# on SQLite, jsonb_build_object on PostgreSQL). The totals are the sums over the partnerships
# (every row belongs to exactly one partnership).


class _Addable:
    """Figures that add up field by field (for the total over the partnerships)."""

    def add(self, other) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class RecognitionFigures(_Addable):
    """Recognitions by the state of the register, today.

    - *active*: in the state active (as in the register's tabs "active" and "expiring",
      including a renewal's recognition that has not started yet);
    - *expiring*: of those, the ones whose last day is within 6 months (`register_state`);
    - *renewed*: continued by a renewal and still in force (their last day not passed);
    - *without_mentor*: active, or renewed and in force, without any active mentor.
    """

    active: int = 0
    expiring: int = 0
    renewed: int = 0
    expired: int = 0
    withdrawn: int = 0
    excluded: int = 0
    without_mentor: int = 0


@dataclass
class SanctionFigures(_Addable):
    """Sanctions imposed in the period, by their state now."""

    imposed: int = 0
    in_force: int = 0
    ended: int = 0
    lifted: int = 0


@dataclass
class SanctionKindFigures:
    kind: str
    label: str
    figures: SanctionFigures


@dataclass
class AppealFigures(_Addable):
    """Appeals filed in the period, by their state now, by what they are against, and how many
    had their admissibility confirmed in time (the local day of `admissibility_decided_at` on
    or before `admissibility_due`)."""

    filed: int = 0
    pending: int = 0  # filed or admissible: not decided yet
    inadmissible: int = 0
    upheld: int = 0
    overturned: int = 0
    against_refusal: int = 0
    against_sanction: int = 0
    admissibility_decided: int = 0
    admissibility_in_time: int = 0

    @property
    def share_admissibility_in_time(self) -> float | None:
        """Percentage of the appeals whose admissibility was decided that were decided within
        the 10 days, None when none was decided."""
        if not self.admissibility_decided:
            return None
        return 100 * self.admissibility_in_time / self.admissibility_decided


def _sanction_kinds() -> list[SanctionKindFigures]:
    return [SanctionKindFigures(kind, label, SanctionFigures())
            for kind, label in Sanction.Kind.choices]


@dataclass
class PartnershipRecognitionFigures:
    partnership: Partnership
    recognitions: RecognitionFigures = field(default_factory=RecognitionFigures)
    sanctions: list[SanctionKindFigures] = field(default_factory=_sanction_kinds)
    appeals: AppealFigures = field(default_factory=AppealFigures)

    @property
    def sanctions_imposed(self) -> int:
        return sum(item.figures.imposed for item in self.sanctions)


@dataclass
class RecognitionStatistics:
    scope: Scope
    period: Period
    today: date
    partnerships: list[PartnershipRecognitionFigures]
    recognitions: RecognitionFigures
    sanctions: list[SanctionKindFigures]  # the totals per kind
    appeals: AppealFigures

    @property
    def sanctions_imposed(self) -> int:
        return sum(item.figures.imposed for item in self.sanctions)

    @property
    def sanctioned_partnerships(self) -> list[PartnershipRecognitionFigures]:
        """The partnerships that imposed a sanction in the period (the page lists only these)."""
        return [item for item in self.partnerships if item.sanctions_imposed]


def _recognition_figures(today: date) -> dict:
    state = Recognition.State
    in_force = Q(state=state.ACTIVE) | Q(state=state.RENEWED, valid_until__gte=today)
    has_mentor = Exists(RecognitionMentor.objects.filter(recognition=OuterRef("pk"),
                                                         is_active=True))
    return {
        "active": Count("pk", filter=Q(state=state.ACTIVE)),
        "expiring": Count("pk", filter=Q(state=state.ACTIVE,
                                         valid_until__lt=expiring_cutoff(today))),
        "renewed": Count("pk", filter=Q(state=state.RENEWED, valid_until__gte=today)),
        "expired": Count("pk", filter=Q(state=state.EXPIRED)),
        "withdrawn": Count("pk", filter=Q(state=state.WITHDRAWN)),
        "excluded": Count("pk", filter=Q(state=state.EXCLUDED)),
        "without_mentor": Count("pk", filter=in_force & ~Q(has_mentor)),
    }


def _sanction_figures() -> dict:
    """Per kind (keys `<kind>__<figure>`): imposed, in force, ended, lifted."""
    figures = {}
    for kind in Sanction.Kind.values:
        of_kind = Q(kind=kind)
        figures |= {
            f"{kind}__imposed": Count("pk", filter=of_kind),
            f"{kind}__in_force": Count("pk", filter=of_kind & Q(state=Sanction.State.IN_FORCE)),
            f"{kind}__ended": Count("pk", filter=of_kind & Q(state=Sanction.State.ENDED)),
            f"{kind}__lifted": Count("pk", filter=of_kind & Q(state=Sanction.State.LIFTED)),
        }
    return figures


def _appeal_figures() -> dict:
    return {
        "filed": Count("pk"),
        "pending": Count("pk", filter=Q(state__in=Appeal.OPEN_STATES)),
        "inadmissible": Count("pk", filter=Q(state=Appeal.State.INADMISSIBLE)),
        "upheld": Count("pk", filter=Q(state=Appeal.State.UPHELD)),
        "overturned": Count("pk", filter=Q(state=Appeal.State.OVERTURNED)),
        "against_refusal": Count("pk", filter=Q(application_id__isnull=False)),
        "against_sanction": Count("pk", filter=Q(sanction_id__isnull=False)),
        "admissibility_decided": Count("pk", filter=Q(admissibility_decided_at__isnull=False)),
        "admissibility_in_time": Count("pk", filter=LessThanOrEqual(
            _local_day("admissibility_decided_at"), F("admissibility_due"))),
    }


def _per_partnership(queryset, figures: dict) -> Subquery:
    """The `figures` (aggregates) over the rows of `queryset` of the outer partnership, as
    one JSON object (NULL when the partnership has no such rows)."""
    return Subquery(queryset.filter(partnership=OuterRef("pk")).order_by()
                    .values("partnership").annotate(figures=JSONObject(**figures))
                    .values("figures"), output_field=JSONField())


def compute_recognitions(scope: Scope, period: Period, *,
                         today: date | None = None) -> RecognitionStatistics:
    """Recognitions (today), sanctions and appeals (of `period`) of `scope`, per partnership
    (in the order of `Scope.partnerships`) and in total: one query, whatever the number of
    rows or partnerships."""
    today = today or timezone.localdate()
    start, end = period.bounds()
    rows = scope.partnerships().annotate(
        recognition_figures=_per_partnership(Recognition.objects.all(),
                                             _recognition_figures(today)),
        sanction_figures=_per_partnership(
            Sanction.objects.filter(imposed_on__gte=period.start, imposed_on__lt=period.end),
            _sanction_figures()),
        appeal_figures=_per_partnership(
            Appeal.objects.filter(filed_at__gte=start, filed_at__lt=end), _appeal_figures()),
    )
    result = RecognitionStatistics(
        scope=scope, period=period, today=today, partnerships=[],
        recognitions=RecognitionFigures(), sanctions=_sanction_kinds(), appeals=AppealFigures())
    for partnership in rows:
        item = PartnershipRecognitionFigures(partnership)
        if partnership.recognition_figures:
            item.recognitions = RecognitionFigures(**partnership.recognition_figures)
        if partnership.sanction_figures:
            for kind in item.sanctions:
                kind.figures = SanctionFigures(**{
                    name: partnership.sanction_figures[f"{kind.kind}__{name}"]
                    for name in SanctionFigures.__dataclass_fields__})
        if partnership.appeal_figures:
            item.appeals = AppealFigures(**partnership.appeal_figures)
        result.partnerships.append(item)
        result.recognitions.add(item.recognitions)
        for total, kind in zip(result.sanctions, item.sanctions, strict=True):
            total.figures.add(kind.figures)
        result.appeals.add(item.appeals)
    return result
