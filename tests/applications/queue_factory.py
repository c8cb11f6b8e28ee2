"""Applications in any back-office state, for the queue, statistics and reminder tests: built
through the state machine's transitions, with the fields set as the services would set them."""

from datetime import date, datetime, time, timedelta
from itertools import count
from zoneinfo import ZoneInfo

from django.utils import timezone

from werkplek.applications.models import Application
from werkplek.catalog.models import Partnership, Programme
from werkplek.core.deadlines import decision_deadline
from werkplek.enterprises.models import Enterprise, EstablishmentUnit

BRUSSELS = ZoneInfo("Europe/Brussels")
_numbers = count(1)

# The transitions from "submitted" to each state.
PATHS = {
    "submitted": [],
    "in_progress": ["mark_complete"],
    "waiting": ["request_completion"],
    "proposed": ["mark_complete", "propose"],
    "approved": ["mark_complete", "propose", "approve"],
    "refused": ["mark_complete", "propose", "refuse"],
    "lapsed": ["request_completion", "lapse"],
    "withdrawn": ["withdraw"],
}


def at(day: date, hour: int = 10) -> datetime:
    """A moment on `day` in Brussels."""
    return datetime.combine(day, time(hour), tzinfo=BRUSSELS)


def new_unit(*, province_code: str = "VOV", postal_code: str = "9000",
             municipality: str = "Gent", name: str | None = None) -> EstablishmentUnit:
    """A new enterprise with one unit (so that open applications never collide)."""
    from werkplek.catalog.models import Province

    n = next(_numbers)
    first8 = 1_000_000 + n  # 0100.000.1xx: valid enterprise numbers, never the demo's
    enterprise = Enterprise.objects.create(
        enterprise_number=f"{first8:08d}{97 - first8 % 97:02d}",
        name=name or f"Onderneming {n:04d}")
    unit_first8 = 21_000_000 + n
    unit_check = 97 - unit_first8 % 97
    return EstablishmentUnit.objects.create(
        enterprise=enterprise, unit_number=f"{unit_first8}{unit_check:02d}",
        name=f"Vestiging {n:04d}", street="Straat 1", postal_code=postal_code,
        municipality=municipality,
        province=Province.objects.get(code=province_code) if province_code else None)


def make_application(*, state: str = "submitted", partnership: str | Partnership = "bouw",
                     submitted: date | datetime | None = None, paused_days: int = 0,
                     decided: date | datetime | None = None, deadline: date | None = None,
                     unit: EstablishmentUnit | None = None, programme: str = "dakwerker-duaal",
                     assigned_to=None, created_by=None, reference: str | None = None,
                     completion_due: date | None = None) -> Application:
    """One application of `partnership` in `state`, submitted on `submitted` (today by default,
    at 10:00 in Brussels), with the 14-day deadline plus `paused_days` unless `deadline` says
    otherwise; a decided one is decided at `decided`."""
    from werkplek.accounts.models import User

    if not isinstance(partnership, Partnership):
        partnership = Partnership.objects.get(code=partnership)
    unit = unit or new_unit()
    submitted = submitted or timezone.localdate()
    submitted_at = submitted if isinstance(submitted, datetime) else at(submitted)
    application = Application(
        enterprise=unit.enterprise, unit=unit, programme=Programme.objects.get(code=programme),
        created_by=created_by or User.objects.get(username="werkgever"),
    )
    application.submit()
    application.reference = reference or f"WP-T-{next(_numbers):06d}"
    application.submitted_at = submitted_at
    application.partnership = partnership
    application.paused_days = paused_days
    rule = decision_deadline(submitted_at, paused_days=paused_days)
    application.decision_deadline = deadline or rule.day
    application.deadline_rule = rule.rule
    application.assigned_to = assigned_to
    for step in PATHS[state]:
        getattr(application, step)()
    if state == "waiting":
        application.paused_at = submitted_at + timedelta(days=1)
        application.completion_due = completion_due or (submitted_at.date() + timedelta(days=31))
        application.completion_sections = ["mentors"]
    if state in ("approved", "refused"):
        decided = decided or timezone.localdate()
        application.decided_at = decided if isinstance(decided, datetime) else at(decided, 15)
        application.decision = "approve" if state == "approved" else "refuse"
    application.save()
    return application
