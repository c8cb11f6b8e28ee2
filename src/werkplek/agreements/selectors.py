"""Reads about agreements that the pages need: who looks (the enterprise, the learner coach, the
partnership's case handler), the lists with their tabs and counts, the capacity left per mentor,
the recognised workplaces to register an agreement at, and the parts of an agreement's page.

Every list reads its rows in a fixed number of queries, whatever the number of rows: related
records by joins, the mentors' capacity by two grouped queries for the whole page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, IntegerField, Min, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language

from werkplek.accounts.models import Membership, Role
from werkplek.recognitions.models import Recognition, RecognitionMentor

from . import rules
from .models import Agreement, AgreementEvent

RUNNING_STATES = tuple(Agreement.RUNNING_STATES)
ENDED_STATES = (Agreement.State.ENDED, Agreement.State.ENDED_EARLY)

# The tabs of the enterprise's and the coach's list: running or waiting, and ended.
LIST_TABS: dict[str, tuple[str, ...]] = {"current": RUNNING_STATES, "ended": ENDED_STATES}
# The tabs of the handlers' list: all, then one per state.
HANDLER_TABS: dict[str, tuple[str, ...]] = {
    "all": (),
    "draft": (Agreement.State.DRAFT,),
    "active": (Agreement.State.ACTIVE,),
    "ended": (Agreement.State.ENDED,),
    "ended_early": (Agreement.State.ENDED_EARLY,),
}


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


def _programme_name() -> str:
    return "programme__name_en" if _english() else "programme__name_nl"


# --- who is who ----------------------------------------------------------------------------------

def enterprise_ids_for(user) -> list[int]:
    """The enterprises whose agreements the user manages: as their legal representative or
    employer staff."""
    from werkplek.recognitions.selectors import enterprise_ids_for as recognition_enterprises

    return recognition_enterprises(user)


def provider_ids_for(user) -> list[int]:
    """The training providers the user is a learner coach of."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.filter(
        user=user, is_active=True, role=Role.COACH, training_provider__isnull=False,
    ).order_by("training_provider_id").values_list("training_provider_id", flat=True).distinct())


# --- the enterprise's and the coach's lists ------------------------------------------------------

def enterprise_agreements(enterprise_ids: list[int]) -> QuerySet[Agreement]:
    return Agreement.objects.filter(enterprise_id__in=enterprise_ids)


def coach_agreements(provider_ids: list[int]) -> QuerySet[Agreement]:
    return Agreement.objects.filter(training_provider_id__in=provider_ids)


def list_counts(agreements: QuerySet[Agreement]) -> dict[str, int]:
    """How many of `agreements` are in each tab of `LIST_TABS`: one query."""
    counts = agreements.order_by().aggregate(
        **{tab: Count("pk", filter=Q(state__in=states)) for tab, states in LIST_TABS.items()})
    return {tab: value or 0 for tab, value in counts.items()}


def _waiting_first(side_to_confirm: str) -> Case:
    """0 for the agreements that wait for `side_to_confirm`'s confirmation, then the other
    registrations waiting, the running ones, and the ended ones."""
    return Case(
        When(state=Agreement.State.DRAFT, registered_side=_other(side_to_confirm), then=Value(0)),
        When(state=Agreement.State.DRAFT, then=Value(1)),
        When(state=Agreement.State.ACTIVE, then=Value(2)),
        default=Value(3), output_field=IntegerField())


def _other(side: str) -> str:
    return (Agreement.Side.PROVIDER if side == Agreement.Side.ENTERPRISE
            else Agreement.Side.ENTERPRISE)


_ROW_RELATED = ("learner", "enterprise", "unit", "programme", "mentor", "training_provider",
                "coach", "recognition__partnership")


def enterprise_rows(agreements: QuerySet[Agreement], *, tab: str) -> QuerySet[Agreement]:
    """The rows of one tab in the order of the groups: per establishment unit, per mentor,
    those that wait for the enterprise's confirmation first, then the latest start."""
    return (agreements.filter(state__in=LIST_TABS[tab])
            .select_related(*_ROW_RELATED)
            .annotate(order=_waiting_first(Agreement.Side.ENTERPRISE))
            .order_by(Lower("unit__name"), "unit_id", Lower("mentor__last_name"),
                      Lower("mentor__first_name"), "mentor_id", "order", "-start_date", "-pk"))


def coach_rows(agreements: QuerySet[Agreement], *, tab: str) -> QuerySet[Agreement]:
    """The rows of one tab for a learner coach: those that wait for the training provider's
    confirmation first, then the other waiting ones, the running ones, by the latest start."""
    return (agreements.filter(state__in=LIST_TABS[tab])
            .select_related(*_ROW_RELATED)
            .annotate(order=_waiting_first(Agreement.Side.PROVIDER))
            .order_by("order", "-start_date", "-pk"))


@dataclass
class Capacity:
    """How many learners a mentor coaches today (agreements running or waiting for
    confirmation), and the most the partnership allows at once (None: no longer a mentor of a
    recognition in force at the unit)."""
    coaching: int
    cap: int | None

    @property
    def left(self) -> int | None:
        return None if self.cap is None else max(self.cap - self.coaching, 0)


def _in_force_link_q(today: date) -> Q:
    """Links to a recognition in force (as `Recognition.in_force_q`, through the link)."""
    return Q(recognition__state=Recognition.State.ACTIVE) | Q(
        recognition__state=Recognition.State.RENEWED, recognition__valid_until__gte=today)


def coaching_today(mentor_ids, *, today: date) -> dict[int, int]:
    """How many learners each mentor coaches today, in every unit (agreements running or
    waiting for confirmation, on that day): one query."""
    rows = (Agreement.objects.filter(mentor_id__in=list(mentor_ids), state__in=RUNNING_STATES,
                                     start_date__lte=today, end_date__gte=today)
            .order_by().values("mentor_id").annotate(n=Count("pk")).values_list("mentor_id", "n"))
    return dict(rows)


def mentor_capacity(pairs, *, today: date | None = None) -> dict[tuple[int, int], Capacity]:
    """The capacity of each (unit id, mentor id) pair today: the learners the mentor coaches
    today, and the cap of the partnership of the recognitions in force at the unit the mentor
    is an active mentor of (the strictest, when there are several). Two queries."""
    today = today or timezone.localdate()
    pairs = set(pairs)
    if not pairs:
        return {}
    unit_ids = {unit_id for unit_id, _mentor in pairs}
    mentor_ids = {mentor_id for _unit, mentor_id in pairs}
    caps = {
        (unit_id, mentor_id): cap for unit_id, mentor_id, cap in (
            RecognitionMentor.objects
            .filter(_in_force_link_q(today), is_active=True, mentor__is_active=True,
                    mentor_id__in=list(mentor_ids), recognition__unit_id__in=list(unit_ids))
            .order_by().values("recognition__unit_id", "mentor_id")
            .annotate(cap=Min("recognition__partnership__max_learners_per_mentor"))
            .values_list("recognition__unit_id", "mentor_id", "cap"))}
    coaching = coaching_today(mentor_ids, today=today)
    return {pair: Capacity(coaching=coaching.get(pair[1], 0), cap=caps.get(pair))
            for pair in pairs}


@dataclass
class MentorGroup:
    mentor: object
    capacity: Capacity
    agreements: list = field(default_factory=list)


@dataclass
class UnitGroup:
    unit: object
    mentors: list[MentorGroup] = field(default_factory=list)


def group_rows(rows, *, today: date | None = None) -> list[UnitGroup]:
    """One page of `enterprise_rows`, grouped per unit and per mentor in the order of the rows,
    each mentor with the capacity left today (two queries)."""
    rows = list(rows)
    capacity = mentor_capacity({(row.unit_id, row.mentor_id) for row in rows}, today=today)
    units: dict[int, UnitGroup] = {}
    mentors: dict[tuple[int, int], MentorGroup] = {}
    for row in rows:
        unit = units.get(row.unit_id)
        if unit is None:
            unit = units[row.unit_id] = UnitGroup(unit=row.unit)
        key = (row.unit_id, row.mentor_id)
        group = mentors.get(key)
        if group is None:
            group = mentors[key] = MentorGroup(mentor=row.mentor, capacity=capacity[key])
            unit.mentors.append(group)
        group.agreements.append(row)
    return list(units.values())


# --- the partnership's list ----------------------------------------------------------------------

def handler_agreements(*, partnership_ids: list[int], programme_id: int | None = None,
                       search: str = "") -> QuerySet[Agreement]:
    """The agreements under the recognitions of the partnerships, filtered by programme and by
    the enterprise's name or number (`search`)."""
    agreements = Agreement.objects.filter(recognition__partnership_id__in=partnership_ids)
    if programme_id:
        agreements = agreements.filter(programme_id=programme_id)
    search = " ".join(search.split())
    if search:
        text = Q(enterprise__name__icontains=search)
        digits = "".join(ch for ch in search if ch.isdigit())
        if len(digits) >= 3 and not any(ch.isalpha() for ch in search):
            text |= Q(enterprise__enterprise_number__contains=digits)
        agreements = agreements.filter(text)
    return agreements


def handler_counts(agreements: QuerySet[Agreement]) -> dict[str, int]:
    """How many of `agreements` are in each tab of `HANDLER_TABS`: one query."""
    counts = agreements.order_by().aggregate(
        all=Count("pk"),
        **{tab: Count("pk", filter=Q(state__in=states))
           for tab, states in HANDLER_TABS.items() if states})
    return {tab: value or 0 for tab, value in counts.items()}


def handler_rows(agreements: QuerySet[Agreement], *, tab: str = "all") -> QuerySet[Agreement]:
    """The rows of one tab, the latest start first, with what the table shows."""
    states = HANDLER_TABS[tab]
    if states:
        agreements = agreements.filter(state__in=states)
    return agreements.select_related(*_ROW_RELATED).order_by("-start_date", "-pk")


# --- the workplaces to register at ---------------------------------------------------------------

def _workplaces(queryset: QuerySet[Recognition], today: date) -> QuerySet[Recognition]:
    return (queryset.filter(Recognition.in_force_q(today))
            .select_related("enterprise", "unit", "programme")
            .order_by(Lower("enterprise__name"), "enterprise_id", Lower("unit__name"),
                      "unit_id", Lower(_programme_name()), "pk"))


def enterprise_workplaces(enterprise_ids: list[int], *,
                          today: date | None = None) -> QuerySet[Recognition]:
    """The enterprise's recognitions in force (unit and programme), where it can register an
    agreement."""
    today = today or timezone.localdate()
    return _workplaces(Recognition.objects.filter(enterprise_id__in=enterprise_ids), today)


def search_workplaces(search: str, *, today: date | None = None) -> QuerySet[Recognition]:
    """Recognitions in force of the enterprises whose name contains `search`, or whose
    enterprise number contains its digits (at least 3, without letters)."""
    today = today or timezone.localdate()
    search = " ".join(search.split())
    if not search:
        return Recognition.objects.none()
    condition = Q(enterprise__name__icontains=search)
    digits = "".join(ch for ch in search if ch.isdigit())
    if len(digits) >= 3 and not any(ch.isalpha() for ch in search):
        condition |= Q(enterprise__enterprise_number__contains=digits)
    return _workplaces(Recognition.objects.filter(condition), today)


def workplace(recognition_id: int) -> Recognition | None:
    """A recognition in force, with its unit, programme, partnership and enterprise; None when
    there is none (or it is no longer in force)."""
    return (Recognition.objects.filter(Recognition.in_force_q(), pk=recognition_id)
            .select_related("enterprise", "unit", "programme", "partnership").first())


def providers_for_programme(programme):
    """The training providers that offer the programme, by name; all of them when none does."""
    from werkplek.catalog.models import TrainingProvider

    order = "name_en" if _english() else "name_nl"
    offering = TrainingProvider.objects.filter(programmes=programme).order_by(order, "pk")
    if offering.exists():
        return offering
    return TrainingProvider.objects.order_by(order, "pk")


@dataclass
class MentorOption:
    """An active mentor of a recognition, as the forms offer them."""
    mentor: object
    coaching: int
    cap: int
    training_deadline: date | None = None  # set when untrained and the sector requires it

    @property
    def full(self) -> bool:
        return self.coaching >= self.cap


def mentor_options(recognition: Recognition, *, exclude_mentor_id: int | None = None,
                   today: date | None = None) -> list[MentorOption]:
    """The active mentors of the recognition, by name, with the learners each coaches today
    and the partnership's cap, and the mentor-training deadline of those who have not followed
    it where the sector requires it: two queries."""
    today = today or timezone.localdate()
    partnership = recognition.partnership
    links = list(RecognitionMentor.objects.filter(recognition=recognition, is_active=True,
                                                  mentor__is_active=True)
                 .exclude(mentor_id=exclude_mentor_id)
                 .select_related("mentor")
                 .order_by(Lower("mentor__last_name"), Lower("mentor__first_name"), "pk"))
    coaching = coaching_today([link.mentor_id for link in links], today=today)
    options = []
    for link in links:
        deadline = None
        if partnership.mentor_training_required and \
                link.mentor.mentor_training_completed_on is None:
            deadline = rules.training_deadline(link.since,
                                               partnership.mentor_training_deadline_months)
        options.append(MentorOption(mentor=link.mentor, coaching=coaching.get(link.mentor_id, 0),
                                    cap=partnership.max_learners_per_mentor,
                                    training_deadline=deadline))
    return options


# --- one agreement -------------------------------------------------------------------------------

def agreement_with_related(pk: int) -> Agreement:
    """One agreement with what its page shows beside it (raises DoesNotExist)."""
    return (Agreement.objects
            .select_related("learner", "enterprise", "unit", "programme",
                            "recognition__partnership", "recognition__unit",
                            "recognition__programme", "mentor", "training_provider", "coach",
                            "confirmed_by", "created_by", "ended_by")
            .get(pk=pk))


def timeline(agreement: Agreement) -> list[AgreementEvent]:
    """The events of the agreement in order, with the actor; a mentor change carries the names
    of the mentors before and after (`from_mentor`, `to_mentor`), an early end its last day
    (`ended_on`): two queries."""
    from werkplek.enterprises.models import Mentor

    events = list(agreement.events.select_related("actor"))
    ids = set()
    for event in events:
        if event.kind == AgreementEvent.Kind.MENTOR_CHANGED:
            ids.update(value for value in (event.data.get("from"), event.data.get("to"))
                       if isinstance(value, int))
    names = {mentor.pk: mentor.full_name
             for mentor in Mentor.objects.filter(pk__in=ids)} if ids else {}
    for event in events:
        event.from_mentor = names.get(event.data.get("from"), "")
        event.to_mentor = names.get(event.data.get("to"), "")
        try:
            event.ended_on = date.fromisoformat(event.data.get("ended_on") or "")
        except (TypeError, ValueError):
            event.ended_on = None
    return events
