"""Reads about appeals that several views need: who may see an appeal and in which role, the
enterprise's appeals, the appeal committee's queue, an appeal's timeline, and the appeal (or the
way to appeal) shown on a refused application's status page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, QuerySet
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from werkplek.accounts.models import Membership, Role
from werkplek.recognitions.services import is_enterprise_user, is_partnership_handler

from .models import Appeal, AppealEvent
from .services import is_committee_member

# The roles in which someone opens an appeal.
COMMITTEE = "committee"  # handles it: admissibility, hearing, decision
ENTERPRISE = "enterprise"  # filed it (its legal representatives and employer staff): reads it
HANDLER = "handler"  # a case handler of the partnership whose decision is appealed: reads it


def viewer_role(user, appeal: Appeal) -> str | None:
    """COMMITTEE, ENTERPRISE, HANDLER or None: the role in which `user` may open `appeal`."""
    if not getattr(user, "is_authenticated", False):
        return None
    if is_committee_member(user):
        return COMMITTEE
    if is_enterprise_user(user, appeal.enterprise_id):
        return ENTERPRISE
    if is_partnership_handler(user, appeal.partnership_id):
        return HANDLER
    return None


def enterprise_ids(user) -> list[int]:
    """The enterprises for which `user` is an active legal representative or employer staff:
    the ones whose decisions they may appeal."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.filter(
        user=user, is_active=True, role__in=[Role.REPRESENTATIVE, Role.EMPLOYER],
        enterprise__isnull=False).values_list("enterprise_id", flat=True).distinct())


def is_coach_for(user, enterprise_id: int) -> bool:
    """Whether `user` is a learner coach who acts for the enterprise: with a mandate of it (in
    force or waiting for its check), or as the one who filed one of its applications. Such a
    coach may not appeal, and is told so (anyone else unrelated gets "not found")."""
    from werkplek.applications.models import Application
    from werkplek.enterprises.selectors import mandated_enterprises

    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.COACH):
        return False
    return (mandated_enterprises(user, include_pending=True).filter(pk=enterprise_id).exists()
            or Application.objects.filter(created_by=user, enterprise_id=enterprise_id).exists())


def appeals_for(user) -> QuerySet[Appeal]:
    """The appeals of the enterprises `user` represents or works for, the latest first."""
    return (Appeal.objects.filter(enterprise_id__in=enterprise_ids(user))
            .select_related("enterprise", "partnership", "application", "sanction")
            .order_by("-filed_at", "-pk"))


def appeal_for_page(pk: int) -> Appeal:
    """One appeal with what its page shows beside it (raises Appeal.DoesNotExist)."""
    return Appeal.objects.select_related(
        "enterprise", "partnership", "filed_by", "admissibility_decided_by", "decided_by",
        "application__unit", "application__programme", "application__partnership",
        "sanction__recognition__unit", "sanction__recognition__programme", "sanction__mentor",
        "sanction__unit",
    ).get(pk=pk)


def existing_appeal(*, application=None, sanction=None) -> Appeal | None:
    """The appeal against this decision that blocks another one: any appeal that was not
    declared inadmissible (the same rule as the service's)."""
    subject = {"application": application} if application is not None else {
        "sanction": sanction}
    return (Appeal.objects.filter(**subject).exclude(state=Appeal.State.INADMISSIBLE)
            .order_by("-filed_at", "-pk").first())


def latest_appeal(*, application=None, sanction=None) -> Appeal | None:
    """The appeal to show beside a decision: the one that blocks another, else the latest
    (inadmissible) one."""
    subject = {"application": application} if application is not None else {
        "sanction": sanction}
    appeals = list(Appeal.objects.filter(**subject).order_by("-filed_at", "-pk")[:20])
    return next((a for a in appeals if a.state != Appeal.State.INADMISSIBLE),
                appeals[0] if appeals else None)


def timeline(appeal: Appeal, *, internal: bool) -> list[AppealEvent]:
    """The appeal's events, the newest first; without the internal ones (the hearing) unless
    `internal` (the committee)."""
    events = appeal.events.select_related("actor").order_by("-created_at", "-pk")
    if not internal:
        events = events.exclude(kind__in=[str(k) for k in AppealEvent.INTERNAL_KINDS])
    return list(events)


# --- the committee's queue -----------------------------------------------------------------------

# An appeal whose admissibility is due within this many days (or today) is flagged.
DUE_SOON_DAYS = 3

QUEUE_TABS: dict[str, tuple[str, ...]] = {
    "admissibility": (Appeal.State.FILED,),
    "to_decide": (Appeal.State.ADMISSIBLE,),
    "closed": tuple(Appeal.CLOSED_STATES),
}
QUEUE_STATES = tuple(state for states in QUEUE_TABS.values() for state in states)
QUEUE_SORTS = ("due", "filed", "reference", "enterprise")
KINDS = ("refusal", "sanction")


def _queue_filtered(*, partnership_id: int | None = None, kind: str = "") -> QuerySet[Appeal]:
    appeals = Appeal.objects.filter(state__in=QUEUE_STATES)
    if partnership_id:
        appeals = appeals.filter(partnership_id=partnership_id)
    if kind == "refusal":
        appeals = appeals.filter(application__isnull=False)
    elif kind == "sanction":
        appeals = appeals.filter(sanction__isnull=False)
    return appeals


def queue_counts(**filters) -> dict[str, int]:
    """How many appeals each tab holds with these filters (one query, grouped by state)."""
    by_state = dict(_queue_filtered(**filters).values("state").annotate(n=Count("*"))
                    .order_by().values_list("state", "n"))
    return {tab: sum(by_state.get(str(state), 0) for state in states)
            for tab, states in QUEUE_TABS.items()}


def _default_order(tab: str) -> list:
    if tab == "admissibility":  # the nearest deadline first
        return [F("admissibility_due").asc(), F("filed_at").asc(), F("pk").asc()]
    if tab == "to_decide":  # the oldest first
        return [F("filed_at").asc(), F("pk").asc()]
    # Closed: the latest closed first.
    closed = Coalesce("decided_at", "admissibility_decided_at", "filed_at")
    return [closed.desc(), F("pk").desc()]


def _sort_expression(sort: str):
    return {"due": F("admissibility_due"), "filed": F("filed_at"), "reference": F("reference"),
            "enterprise": Lower("enterprise__name")}[sort]


def queue(*, tab: str, sort: str | None = None, descending: bool = False,
          **filters) -> QuerySet[Appeal]:
    """The appeals of one tab of the committee's queue, with the filters, in the tab's order
    (or sorted by `sort`: one of QUEUE_SORTS), with what a row shows (one query)."""
    appeals = (_queue_filtered(**filters).filter(state__in=QUEUE_TABS[tab])
               .select_related("enterprise", "partnership", "application", "sanction"))
    if sort in QUEUE_SORTS:
        expression = _sort_expression(sort)
        order = [expression.desc() if descending else expression.asc(),
                 F("pk").desc() if descending else F("pk").asc()]
    else:
        order = _default_order(tab)
    return appeals.order_by(*order)


def due_flag(appeal: Appeal, *, today: date | None = None) -> str:
    """"overdue" when the admissibility of a filed appeal was due before today, "soon" when it
    is due today or within DUE_SOON_DAYS days, else ""."""
    if appeal.state != Appeal.State.FILED:
        return ""
    today = today or timezone.localdate()
    if appeal.admissibility_due < today:
        return "overdue"
    if appeal.admissibility_due <= today + timedelta(days=DUE_SOON_DAYS):
        return "soon"
    return ""


# --- the appeal on a refused application's status page -------------------------------------------

@dataclass(frozen=True)
class AppealBox:
    """What a refused application's status page says about appealing it.

    `kind`: "appeal" (an appeal exists: `appeal`), "file" (the enterprise may appeal, until
    `appeal_until`; `late` once that day has passed; `previous` an earlier appeal declared
    inadmissible) or "coach" (a learner coach: only the enterprise may appeal)."""

    kind: str
    appeal: Appeal | None = None
    appeal_until: date | None = None
    late: bool = False
    previous: Appeal | None = None


def appeal_box(user, application) -> AppealBox | None:
    """The appeal block for `user` on the status page of `application` (None when there is
    nothing to show: the application is not refused, or the user neither the enterprise nor a
    coach acting for it)."""
    from django.core.exceptions import ValidationError

    from .services import appealable

    if application is None or application.state != "refused":
        return None
    if not is_enterprise_user(user, application.enterprise_id):
        if is_coach_for(user, application.enterprise_id):
            return AppealBox(kind="coach")
        return None
    appeal = latest_appeal(application=application)
    if appeal is not None and appeal.state != Appeal.State.INADMISSIBLE:
        return AppealBox(kind="appeal", appeal=appeal)
    try:
        target = appealable(application_id=application.pk)
    except ValidationError:
        return AppealBox(kind="appeal", appeal=appeal) if appeal else None
    return AppealBox(kind="file", appeal_until=target.appeal_until,
                     late=timezone.localdate() > target.appeal_until, previous=appeal)

