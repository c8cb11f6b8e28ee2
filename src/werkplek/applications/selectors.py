"""Reads about applications that several views need."""

from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from werkplek.accounts.models import Membership, Role

from .models import Application


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
# The sort keys of the queue and the columns they order by (the primary key breaks ties).
QUEUE_SORTS = ("deadline", "submitted", "reference", "enterprise")
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
    """How many applications each tab of the queue holds with these filters: one query,
    grouped by state (without filters the database reads only the index)."""
    by_state = dict(_queue_filtered(user, **filters).values("state")
                    .annotate(n=Count("*")).order_by().values_list("state", "n"))
    return {tab: sum(by_state.get(state, 0) for state in states)
            for tab, states in QUEUE_TABS.items()}


def queue(user, *, tab: str | None = None, sort: str = "deadline",
          descending: bool | None = None, **filters) -> QuerySet[Application]:
    """The applications of the handler's partnerships in one tab (all tabs when None), filtered
    (see `_queue_filtered`) and sorted: by deadline (the default; in the "waiting" tab the
    applicant's completion date), submission, reference or enterprise name. The partnership,
    state and deadline filter and order are backed by `application_queue_idx`."""
    applications = _queue_filtered(user, **filters)
    if tab is not None:
        applications = applications.filter(state__in=QUEUE_TABS[tab])
    if descending is None:
        descending = tab in DESCENDING_BY_DEFAULT
    column = {
        "deadline": "completion_due" if tab == "waiting" else "decision_deadline",
        "submitted": "submitted_at",
        "reference": "reference",
        "enterprise": "enterprise__name",
    }[sort if sort in QUEUE_SORTS else "deadline"]
    # Every column sorted on is filled once an application is submitted (no NULLS LAST: it
    # would keep the database from reading the index backwards).
    sign = "-" if descending else ""
    order = [f"{sign}{column}", f"{sign}submitted_at", f"{sign}pk"]
    return (applications
            .select_related("enterprise", "unit", "programme", "partnership", "assigned_to")
            .order_by(*order))


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
