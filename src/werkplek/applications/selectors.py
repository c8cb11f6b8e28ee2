"""Reads about applications that several views need."""

from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Lower, NullIf, Trim
from django.utils import timezone
from django.utils.translation import get_language

from werkplek.accounts.models import Membership, Role
from werkplek.core.deadlines import days_left

from .models import Application, ApplicationEvent


def enterprises_for(user):
    """Enterprises the user may apply for: as their representative or employer staff, or as
    a learner coach with a valid mandate to file."""
    from werkplek.enterprises.models import Enterprise
    from werkplek.enterprises.selectors import mandated_enterprises

    own = Enterprise.objects.filter(
        memberships__user=user, memberships__is_active=True,
        memberships__role__in=[Role.REPRESENTATIVE, Role.EMPLOYER],
    )
    mandated = mandated_enterprises(user, include_pending=True, purpose="file_applications")
    return Enterprise.objects.filter(Q(pk__in=own.values("pk")) | Q(pk__in=mandated.values("pk")))\
        .order_by("name")


def applications_for(user) -> QuerySet[Application]:
    """Applications the user may follow: of their enterprises, or the ones they filed."""
    from werkplek.enterprises.selectors import mandated_enterprises

    enterprise_ids = Membership.objects.filter(
        user=user, is_active=True, role__in=[Role.REPRESENTATIVE, Role.EMPLOYER],
    ).values("enterprise_id")
    # A coach follows what they filed only while a mandate of that enterprise is valid.
    mandated_ids = mandated_enterprises(user, include_pending=True,
                                        purpose="file_applications").values("pk")
    partnership_ids = handled_partnerships(user)
    return (Application.objects.filter(Q(enterprise_id__in=enterprise_ids)
                                       | Q(created_by=user, enterprise_id__in=mandated_ids)
                                       | (Q(partnership_id__in=partnership_ids)
                                          & ~Q(state=Application.State.DRAFT)))
            .select_related("enterprise", "unit", "programme", "partnership")
            .order_by("-updated_at"))


def handled_partnerships(user):
    """The partnerships whose cases the user handles (case handler)."""
    return Membership.objects.filter(user=user, role=Role.HANDLER, is_active=True).values(
        "partnership_id")


# --- the handlers' queue ---------------------------------------------------------------------

# How many days before the decision deadline an application is flagged (and its handler
# reminded by the daily job): the deadline day itself and the three days before it.
DUE_SOON_DAYS = 3

# The queue's tabs, in the order shown, with the states each one holds. Lapsed and withdrawn
# applications are not decisions: they get their own "closed" tab beside "decided".
QUEUE_TABS: dict[str, tuple[str, ...]] = {
    "new": (Application.State.SUBMITTED,),
    "in_progress": (Application.State.IN_PROGRESS,),
    "waiting": (Application.State.WAITING,),
    "to_decide": (Application.State.PROPOSED,),
    "decided": (Application.State.APPROVED, Application.State.REFUSED),
    "closed": (Application.State.LAPSED, Application.State.WITHDRAWN),
}
QUEUE_STATES = tuple(state for states in QUEUE_TABS.values() for state in states)
# The sort keys of the queue. The deadline, submission, reference and enterprise are columns of
# the application or its enterprise; the programme and the province sort by their name in the
# active language, the handler by the name shown in the queue (see `_sort_expression`).
QUEUE_SORTS = ("deadline", "submitted", "reference", "enterprise", "programme", "province",
               "handler")
# Tabs of finished cases list the most recent deadline first by default; the others the
# nearest (oldest) deadline first.
DESCENDING_BY_DEFAULT = frozenset({"decided", "closed"})


def handled_partnership_ids(user) -> list[int]:
    """The primary keys of the partnerships the user handles, as a list: a query that filters
    on a list of values lets the database use `application_queue_idx` (partnership, state,
    deadline), where a subquery makes it scan the table."""
    return list(handled_partnerships(user).values_list("partnership_id", flat=True))


def queue_handlers(user, *, partnership_ids: list[int] | None = None):
    """The active case handlers of the partnerships that `user` handles, by name: the people
    an application in the user's queue can be assigned to."""
    from werkplek.accounts.models import User

    if partnership_ids is None:
        partnership_ids = handled_partnership_ids(user)
    return (User.objects.filter(memberships__role=Role.HANDLER, memberships__is_active=True,
                                memberships__partnership_id__in=partnership_ids)
            .distinct().order_by("first_name", "last_name", "username"))


def _queue_filtered(user, *, partnership_ids: list[int] | None = None,
                    programme_id: int | None = None, province_id: int | None = None,
                    handler: str = "", deadline: str = "",
                    today: date | None = None) -> QuerySet[Application]:
    """Every submitted (never draft) application of the user's partnerships that matches the
    filters, in any state. `partnership_ids` saves a query when the caller has them (see
    `handled_partnership_ids`). `handler` is "" (anyone), "me", "none" (not assigned) or a
    user's primary key; `deadline` is "" , "overdue" or "soon" (both only while the clock
    runs)."""
    from werkplek.catalog.models import PostalCode

    today = today or timezone.localdate()
    if partnership_ids is None:
        partnership_ids = handled_partnership_ids(user)
    # Only columns of `application_queue_idx` here, so that the counts can be read from the
    # index alone. A draft never has a partnership (it is routed on submission); its state
    # keeps it out anyway.
    applications = Application.objects.filter(partnership_id__in=partnership_ids,
                                              state__in=QUEUE_STATES)
    if programme_id:
        applications = applications.filter(programme_id=programme_id)
    if province_id:
        # The unit's province; for a unit without one, the province of its postal code.
        applications = applications.filter(
            Q(unit__province_id=province_id)
            | Q(unit__province__isnull=True,
                unit__postal_code__in=PostalCode.objects.filter(
                    municipality__province_id=province_id).values("code")))
    if handler == "me":
        applications = applications.filter(assigned_to=user)
    elif handler == "none":
        applications = applications.filter(assigned_to__isnull=True)
    elif handler:
        applications = applications.filter(assigned_to_id=int(handler))
    if deadline == "overdue":
        applications = applications.filter(state__in=Application.RUNNING_STATES,
                                           decision_deadline__lt=today)
    elif deadline == "soon":
        applications = applications.filter(
            state__in=Application.RUNNING_STATES, decision_deadline__gte=today,
            decision_deadline__lte=today + timedelta(days=DUE_SOON_DAYS))
    return applications


def queue_counts(user, **filters) -> dict[str, int]:
    """How many applications each tab of the queue holds with these filters: one query, a
    UNION ALL of one plain count per tab. Each count reads only its states' range of
    `application_queue_idx` (without filters the index alone), with no grouping: on
    PostgreSQL about twice as fast as one count grouped by state, which hashes the state of
    every row (tens of thousands of decided applications in a large partnership)."""
    filtered = _queue_filtered(user, **filters)
    counts = [filtered.filter(state__in=states).annotate(tab=Value(tab))
              .values("tab").annotate(n=Count("*")).values_list("tab", "n").order_by()
              for tab, states in QUEUE_TABS.items()]
    by_tab = dict(counts[0].union(*counts[1:], all=True).order_by())
    return {tab: by_tab.get(tab, 0) for tab in QUEUE_TABS}


def _english() -> bool:
    """Whether names are read in English: the rule of `BilingualName.name`."""
    return (get_language() or "nl").startswith("en")


def _province_name(english: bool):
    """The name of the unit's province, in English or Dutch; for a unit without one, the
    province of its postal code (as the province filter does)."""
    from werkplek.catalog.models import PostalCode

    name = "name_en" if english else "name_nl"
    by_postal_code = (PostalCode.objects
                      .filter(code=OuterRef("unit__postal_code"),
                              municipality__province__isnull=False)
                      .order_by(f"municipality__province__{name}")
                      .values(f"municipality__province__{name}")[:1])
    return Coalesce(F(f"unit__province__{name}"), Subquery(by_postal_code))


def _handler_name():
    """The assigned handler's name as the queue shows it (`get_full_name()`, else the user
    name); NULL when nobody is assigned."""
    full_name = Trim(Concat("assigned_to__first_name", Value(" "), "assigned_to__last_name"))
    return Coalesce(NullIf(full_name, Value("")), "assigned_to__username")


def _sort_expression(sort: str, tab: str | None, english: bool):
    """What a sort key orders by. Names are compared in lower case, otherwise as the database
    compares text (SQLite, and PostgreSQL with the C collation: by code point, so an accented
    letter comes after z)."""
    if sort == "deadline":
        return F("completion_due" if tab == "waiting" else "decision_deadline")
    if sort == "programme":
        return Lower("programme__name_en" if english else "programme__name_nl")
    if sort == "province":
        return Lower(_province_name(english))
    if sort == "handler":
        return Lower(_handler_name())
    return F({"submitted": "submitted_at", "reference": "reference",
              "enterprise": "enterprise__name"}[sort])


# From how many rows in a tab a page is read with a deferred join (see `QueueRows`). Measured
# with bench/queue_statistics.py: below a few hundred rows one plain query is faster.
DEFERRED_JOIN_FROM = 250


class QueueRows:
    """The rows of a queue tab in their order, for the paginator: a slice is read with a
    deferred join. The page's keys are sorted on the narrow rows first (the application's
    columns of the index, and only the joins the sort needs); then only the rows of that page
    are read in full, with their enterprise, unit, programme, partnership and handler and
    the annotations. Still one query per page; it keeps a sort on a large tab (thousands of
    decided applications) and a deep page from reading and sorting every wide row.

    A tab of at most `DEFERRED_JOIN_FROM` rows (when the caller knows its size, `total`) is
    read in one plain query instead: there the subquery costs more than it saves.

    `keys` makes the filtered, ordered queryset; `rows` turns a queryset of applications into
    the full, ordered rows. `queryset` is every row, ordered, in one plain query."""

    ordered = True

    def __init__(self, *, keys, rows, total: int | None = None):
        self._keys = keys
        self._rows = rows
        self.total = total

    @property
    def queryset(self) -> QuerySet[Application]:
        return self._rows(self._keys())

    def count(self) -> int:
        return self._keys().count()

    def __iter__(self):
        return iter(self.queryset)

    def page_queryset(self, start: int | None, stop: int | None) -> QuerySet[Application]:
        """The rows from `start` to `stop` (not included), in order: the deferred join. The
        filters are in the subquery only."""
        return self._rows(Application.objects.filter(
            pk__in=self._keys().values("pk")[start:stop]))

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self.queryset[item]
        if self.total is not None and self.total <= DEFERRED_JOIN_FROM:
            return list(self.queryset[item])
        return list(self.page_queryset(item.start, item.stop))


def queue(user, *, tab: str | None = None, sort: str = "deadline",
          descending: bool | None = None, total: int | None = None,
          **filters) -> QueueRows:
    """The applications of the handler's partnerships in one tab (all tabs when None), filtered
    (see `_queue_filtered`) and sorted by one of `QUEUE_SORTS`: by deadline (the default; in
    the "waiting" tab the applicant's completion date), submission, reference, enterprise
    name, programme, province of the unit or case handler. Programmes and provinces sort by
    their name in the active language; an application without a handler (or a province)
    comes last in ascending order, first in descending. Ties are broken by the deadline in
    the tab's own order (nearest first; latest first in the finished tabs), then the
    primary key, so that the pages never overlap.

    Each row carries `province_name` (the province in the active language) and `resubmitted`
    (the applicant completed the application after a request: the clock paused for days, or
    a "completed" event for a completion on the same day). `total` is the number of rows,
    when the caller knows it (the tab's count; see `QueueRows`). The partnership, state and
    deadline filter and order are backed by `application_queue_idx`."""
    applications = _queue_filtered(user, **filters)
    if tab is not None:
        applications = applications.filter(state__in=QUEUE_TABS[tab])
    natural_descending = tab in DESCENDING_BY_DEFAULT
    if descending is None:
        descending = natural_descending
    sort = sort if sort in QUEUE_SORTS else "deadline"
    english = _english()  # the language of the names, when the queue is asked for

    def order() -> list:
        # New expressions for each query that uses them: a query that becomes a subquery
        # relabels its expressions, which must not leak into another query.
        key = _sort_expression(sort, tab, english)
        if sort == "deadline":
            # Every column sorted on is filled once an application is submitted (no NULLS
            # LAST: it would keep the database from reading the index backwards).
            sign = "-" if descending else ""
            return [key.desc() if descending else key.asc(), f"{sign}submitted_at",
                    f"{sign}pk"]
        deadline = _sort_expression("deadline", tab, english)
        return [key.desc(nulls_first=True) if descending else key.asc(nulls_last=True),
                deadline.desc() if natural_descending else deadline.asc(),
                "-pk" if natural_descending else "pk"]

    def rows(queryset: QuerySet[Application]) -> QuerySet[Application]:
        """The full rows: related records, the province's name, resubmitted, in order."""
        completed = ApplicationEvent.objects.filter(application=OuterRef("pk"),
                                                    kind=ApplicationEvent.Kind.COMPLETED)
        return (queryset
                .select_related("enterprise", "unit", "programme", "partnership", "assigned_to")
                .annotate(province_name=_province_name(english),
                          resubmitted=Case(When(paused_days__gt=0, then=Value(True)),
                                           default=Exists(completed),
                                           output_field=BooleanField()))
                .order_by(*order()))

    return QueueRows(keys=lambda: applications.order_by(*order()), rows=rows, total=total)


def days_to_deadline(application: Application, *, today: date | None = None) -> int | None:
    """Calendar days to the deadline that runs now (negative when it has passed): the
    decision deadline while the clock runs, the completion date while the application waits
    for the applicant; None for a decided or closed application."""
    if application.state in Application.RUNNING_STATES:
        deadline = application.decision_deadline
    elif application.state == Application.State.WAITING:
        deadline = application.completion_due
    else:
        return None
    return days_left(deadline, today=today) if deadline else None


def deadline_flag(application: Application, *, today: date | None = None) -> str:
    """"overdue" when the decision deadline has passed while the clock runs, "soon" when it is
    within `DUE_SOON_DAYS` days (today included), else "". An application waiting for the
    applicant (clock paused) or decided is never flagged."""
    if application.state not in Application.RUNNING_STATES or not application.decision_deadline:
        return ""
    left = (application.decision_deadline - (today or timezone.localdate())).days
    if left < 0:
        return "overdue"
    return "soon" if left <= DUE_SOON_DAYS else ""


def can_view(user, application: Application) -> bool:
    return applications_for(user).filter(pk=application.pk).exists()
