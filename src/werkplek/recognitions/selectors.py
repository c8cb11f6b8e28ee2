"""Reads about recognitions that several views need: the enterprise's register, the
partnership's register with its filters and counts, and the parts of a recognition's page.

Every list reads its rows in a fixed number of queries, whatever the number of rows: related
records by joins, counts and flags by subqueries, the active mentors by one prefetch."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import get_language

from werkplek.accounts.models import Membership, Role

from .models import (
    EXPIRING_MONTHS,
    Finding,
    Recognition,
    RecognitionEvent,
    RecognitionMentor,
    Sanction,
    SupportAction,
)

# The states of the register, in the order of the tabs: the stored states, with "expiring"
# (an active recognition in its last 6 months) apart from "active".
REGISTER_STATES = ("active", "expiring", "expired", "renewed", "withdrawn", "excluded")


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


# --- who is who ----------------------------------------------------------------------------------

def enterprise_ids_for(user) -> list[int]:
    """The enterprises whose register the user reads: as their legal representative or
    employer staff (a learner coach has none)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.filter(
        user=user, is_active=True, enterprise__isnull=False,
        role__in=[Role.REPRESENTATIVE, Role.EMPLOYER],
    ).order_by("enterprise_id").values_list("enterprise_id", flat=True).distinct())


# --- expiring ------------------------------------------------------------------------------------

def expiring_cutoff(today: date | None = None) -> date:
    """The first last day (`valid_until`) that is *not* expiring on `today`: an active
    recognition is expiring (`Recognition.register_state`) exactly when its `valid_until` is
    before this day. It lets a query select by the end-date index what `register_state` says
    row by row."""
    from werkplek.core.deadlines import months_before

    today = today or timezone.localdate()
    index = today.year * 12 + today.month - 1 + EXPIRING_MONTHS
    year, month = divmod(index, 12)
    month += 1
    day = date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
    # `months_before` never decreases as its day grows: step to the first day it reaches today.
    while months_before(day, EXPIRING_MONTHS) <= today:
        day += timedelta(days=1)
    while months_before(day - timedelta(days=1), EXPIRING_MONTHS) > today:
        day -= timedelta(days=1)
    return day


def register_state_q(state: str, *, today: date | None = None) -> Q:
    """The recognitions in one state of the register (see `REGISTER_STATES`)."""
    if state in ("active", "expiring"):
        cutoff = expiring_cutoff(today)
        if state == "active":
            return Q(state=Recognition.State.ACTIVE, valid_until__gte=cutoff)
        return Q(state=Recognition.State.ACTIVE, valid_until__lt=cutoff)
    if state not in REGISTER_STATES:
        raise ValueError(f"Unknown register state {state!r}")
    return Q(state=state)


# --- row annotations -----------------------------------------------------------------------------

def _active_links() -> Prefetch:
    """The active mentors of each recognition, with the person, as `active_links`."""
    return Prefetch("mentor_links",
                    queryset=RecognitionMentor.objects.filter(is_active=True)
                    .select_related("mentor").order_by("mentor__last_name",
                                                       "mentor__first_name", "pk"),
                    to_attr="active_links")


def _count(queryset) -> Coalesce:
    """The number of rows of `queryset` (filtered on OuterRef("pk")), as a subquery."""
    return Coalesce(Subquery(queryset.order_by().values("recognition_id")
                             .annotate(n=Count("*")).values("n")[:1],
                             output_field=IntegerField()), Value(0))


def _open_actions():
    return SupportAction.objects.filter(recognition=OuterRef("pk"),
                                        state__in=SupportAction.OPEN_STATES)


def _with_row_data(queryset: QuerySet[Recognition], *, today: date) -> QuerySet[Recognition]:
    """Each row with `active_mentor_count`, `open_action_count` and `follow_up_due` (an open or
    answered support action whose deadline has come)."""
    return queryset.annotate(
        active_mentor_count=_count(RecognitionMentor.objects.filter(
            recognition=OuterRef("pk"), is_active=True)),
        open_action_count=_count(_open_actions()),
        follow_up_due=Exists(_open_actions().filter(due_on__lte=today)),
    )


def _without_active_mentor() -> Q:
    """In force (or to start) and no active mentor: the flag the handlers must see."""
    return Recognition.in_force_q() & ~Q(
        Exists(RecognitionMentor.objects.filter(recognition=OuterRef("pk"), is_active=True,
                                                mentor__is_active=True)))


def lacks_mentor(recognition: Recognition) -> bool:
    """Whether a row (annotated by `_with_row_data`) is flagged for having no active mentor."""
    return (recognition.in_force() or recognition.state == Recognition.State.ACTIVE) \
        and not recognition.active_mentor_count


# --- the enterprise's register -------------------------------------------------------------------

def register_units(enterprise_ids: list[int]):
    """The establishment units of these enterprises that have (or had) a recognition, by
    enterprise and name: the groups of the register, paginated by the view."""
    from werkplek.enterprises.models import EstablishmentUnit

    return (EstablishmentUnit.objects
            .filter(enterprise_id__in=enterprise_ids,
                    pk__in=Recognition.objects.filter(enterprise_id__in=enterprise_ids)
                    .values("unit_id"))
            .select_related("enterprise")
            .order_by("enterprise__name", "name", "pk"))


@dataclass
class UnitGroup:
    """One establishment unit of the register and its recognitions."""
    unit: object
    recognitions: list = field(default_factory=list)


def register_groups(units, enterprise_ids: list[int], *,
                    today: date | None = None) -> list[UnitGroup]:
    """The recognitions of `units` (one page of `register_units`), grouped per unit in the
    order of the units, by programme name and the latest first: two queries (the rows, and
    their active mentors). Each row carries `shown_state` (see `register_state`), its
    successor (`next_recognition`), `active_links`, `active_mentor_count`,
    `open_action_count`, `follow_up_due` and `lacks_mentor`."""
    today = today or timezone.localdate()
    units = list(units)
    name = "programme__name_en" if _english() else "programme__name_nl"
    rows = (_with_row_data(Recognition.objects.filter(
        unit_id__in=[unit.pk for unit in units], enterprise_id__in=enterprise_ids),
        today=today)
        .select_related("programme", "successor")
        .prefetch_related(_active_links())
        .order_by(Lower(name), "programme_id", "-valid_from", "-pk"))
    groups = {unit.pk: UnitGroup(unit=unit) for unit in units}
    for recognition in rows:
        _decorate(recognition, today=today)
        groups[recognition.unit_id].recognitions.append(recognition)
    return list(groups.values())


def _decorate(recognition: Recognition, *, today: date) -> None:
    recognition.shown_state = recognition.register_state(today)
    recognition.next_recognition = getattr(recognition, "successor", None)
    recognition.lacks_mentor = lacks_mentor(recognition)


# --- the partnership's register ------------------------------------------------------------------

def handler_recognitions(*, partnership_ids: list[int], programme_id: int | None = None,
                         province_id: int | None = None, search: str = "",
                         without_mentor: bool = False, follow_up_due: bool = False,
                         today: date | None = None) -> QuerySet[Recognition]:
    """The recognitions of the partnerships, filtered: by programme, by the province of the
    unit (for a unit without one, the province of its postal code), by the enterprise's name
    or number (`search`), those in force without an active mentor, and those with a support
    action due for follow-up (open or answered, its deadline today or past)."""
    from werkplek.catalog.models import PostalCode

    today = today or timezone.localdate()
    recognitions = Recognition.objects.filter(partnership_id__in=partnership_ids)
    if programme_id:
        recognitions = recognitions.filter(programme_id=programme_id)
    if province_id:
        recognitions = recognitions.filter(
            Q(unit__province_id=province_id)
            | Q(unit__province__isnull=True,
                unit__postal_code__in=PostalCode.objects.filter(
                    municipality__province_id=province_id).values("code")))
    search = " ".join(search.split())
    if search:
        text = Q(enterprise__name__icontains=search)
        digits = "".join(ch for ch in search if ch.isdigit())
        if len(digits) >= 3 and not any(ch.isalpha() for ch in search):
            text |= Q(enterprise__enterprise_number__contains=digits)
        recognitions = recognitions.filter(text)
    if without_mentor:
        recognitions = recognitions.filter(_without_active_mentor())
    if follow_up_due:
        recognitions = recognitions.filter(Exists(_open_actions().filter(due_on__lte=today)))
    return recognitions


def handler_counts(recognitions: QuerySet[Recognition], *,
                   today: date | None = None) -> dict[str, int]:
    """How many of `recognitions` are in each state of the register, and "all": one query."""
    counts = recognitions.order_by().aggregate(
        all=Count("pk"),
        **{state: Count("pk", filter=register_state_q(state, today=today))
           for state in REGISTER_STATES})
    return {key: value or 0 for key, value in counts.items()}


def handler_rows(recognitions: QuerySet[Recognition], *, state: str | None = None,
                 sort: str = "end", descending: bool = False,
                 today: date | None = None) -> QuerySet[Recognition]:
    """The rows of one tab (`state` of `REGISTER_STATES`, or all) in order: by the last day
    (`end`, the default) or by the enterprise's name, then the unit and programme; with the
    enterprise, unit, programme, successor, active mentors and the counts of
    `_with_row_data`. Call `decorate` on the rows of the page."""
    today = today or timezone.localdate()
    if state:
        recognitions = recognitions.filter(register_state_q(state, today=today))
    sign = "-" if descending else ""
    if sort == "enterprise":
        key = Lower("enterprise__name")
        order = [key.desc() if descending else key.asc(), f"{sign}enterprise_id",
                 "unit__name", "valid_until", "pk"]
    else:
        order = [f"{sign}valid_until", f"{sign}pk"]
    return (_with_row_data(recognitions, today=today)
            .select_related("enterprise", "unit", "programme", "successor")
            .prefetch_related(_active_links())
            .order_by(*order))


def decorate(rows, *, today: date | None = None) -> list[Recognition]:
    """Set `shown_state`, `next_recognition` and `lacks_mentor` on rows read by
    `handler_rows` or `register_groups`."""
    today = today or timezone.localdate()
    rows = list(rows)
    for recognition in rows:
        _decorate(recognition, today=today)
    return rows


# --- one recognition -----------------------------------------------------------------------------

def recognition_with_related(pk: int) -> Recognition:
    """One recognition with what its page shows beside it (raises DoesNotExist)."""
    return (Recognition.objects
            .select_related("enterprise", "unit__province", "programme", "partnership",
                            "application", "previous", "successor", "ended_by")
            .get(pk=pk))


def mentor_links(recognition: Recognition) -> list[RecognitionMentor]:
    """Every mentor of the recognition, the active ones first, with their documents and
    `running` (their running agreements on this recognition, with the learner): three
    queries."""
    from werkplek.agreements.models import Agreement

    links = list(recognition.mentor_links.select_related("mentor")
                 .prefetch_related("documents")
                 .order_by("-is_active", "mentor__last_name", "mentor__first_name", "pk"))
    running: dict[int, list] = {}
    for agreement in (Agreement.objects.filter(recognition=recognition,
                                               state=Agreement.State.ACTIVE)
                      .select_related("learner").order_by("learner__last_name",
                                                          "learner__first_name", "pk")):
        running.setdefault(agreement.mentor_id, []).append(agreement)
    for link in links:
        link.running = running.get(link.mentor_id, [])
    return links


def support_actions_of(recognition: Recognition) -> list[SupportAction]:
    """The recognition's support actions, the latest first, with the people involved."""
    return list(recognition.support_actions.select_related(
        "finding", "created_by", "answered_by", "followed_up_by"))


def sanctions_of(recognition: Recognition) -> list[Sanction]:
    """The sanctions imposed on the recognition, and the one that ended it (an exclusion of
    the whole enterprise imposed on another recognition), with their mentor, programmes,
    letters and appeals, the latest first. Each carries `current_appeal`: its latest appeal
    that was not declared inadmissible, or None."""
    from werkplek.appeals.models import Appeal
    from werkplek.notices.models import Letter

    condition = Q(recognition=recognition)
    if recognition.ended_by_id:
        condition |= Q(pk=recognition.ended_by_id)
    sanctions = list(Sanction.objects.filter(condition)
                .select_related("mentor", "unit", "support_action", "imposed_by",
                                "recognition__unit", "recognition__programme")
                .prefetch_related("programmes",
                                  Prefetch("letters", queryset=Letter.objects.order_by("number",
                                                                                       "pk")),
                                  Prefetch("appeals", queryset=Appeal.objects.order_by(
                                      "-filed_at", "-pk"))))
    for sanction in sanctions:
        # The appeal that counts: the latest one not declared inadmissible.
        sanction.current_appeal = next(
            (appeal for appeal in sanction.appeals.all()
             if appeal.state != Appeal.State.INADMISSIBLE), None)
    return sanctions


def findings_of(recognition: Recognition) -> list[Finding]:
    return list(recognition.findings.select_related("recorded_by"))


def monitoring_context(recognition: Recognition) -> dict:
    """What the handler's monitoring section (`_monitoring.html`) reads: the findings, the
    support actions and the sanctions of the recognition, each a list."""
    return {
        "findings": findings_of(recognition),
        "support_actions": support_actions_of(recognition),
        "sanctions": sanctions_of(recognition),
    }


def timeline(recognition: Recognition, *, internal: bool) -> list[RecognitionEvent]:
    """The events of the recognition in order; without the casework the enterprise does not
    see (`RecognitionEvent.INTERNAL_KINDS`) unless `internal`."""
    events = recognition.events.select_related("actor", "sanction")
    if not internal:
        events = events.exclude(kind__in=RecognitionEvent.INTERNAL_KINDS)
    return list(events)


def renewal_applications(recognition: Recognition):
    """The applications that renew the recognition, the latest first."""
    return list(recognition.renewal_applications.order_by("-created_at", "-pk"))


# --- mentors -------------------------------------------------------------------------------------

def known_mentors(recognition: Recognition):
    """The enterprise's mentors who can be added to the recognition: active, and not an active
    mentor of it already (a former mentor of it may come back)."""
    return (recognition.enterprise.mentors.filter(is_active=True)
            .exclude(pk__in=recognition.mentor_links.filter(is_active=True)
                     .values("mentor_id"))
            .order_by("last_name", "first_name", "pk"))
