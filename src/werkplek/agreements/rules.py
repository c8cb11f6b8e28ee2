"""The rules for an agreement with a learner, as pure functions over plain values: the kind
from the hours, overlapping periods and the most learners a mentor coaches at once, the
mentor-training deadline, and the recognition's coverage of the period. `services.py` reads the
database and calls these; the tests try each rule at its boundary."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

# An OAO: at least this many hours a week on average at the workplace; below: a stage agreement.
OAO_MIN_WEEKLY_HOURS = Decimal(20)
MAX_WEEKLY_HOURS = Decimal(50)


def kind_for_hours(weekly_hours: Decimal) -> str:
    """"oao" (overeenkomst alternerende opleiding) from 20 hours a week on average at the
    workplace, else "stage" (stageovereenkomst)."""
    return "oao" if Decimal(weekly_hours) >= OAO_MIN_WEEKLY_HOURS else "stage"


@dataclass(frozen=True)
class Period:
    """From `start` up to and including `end` (calendar days)."""
    start: date
    end: date

    def overlaps(self, other: Period) -> bool:
        # Adjacent periods (one ends on the 31st, the next starts on the 1st) do not overlap.
        return self.start <= other.end and other.start <= self.end


def most_at_once(periods: Iterable[Period], within: Period) -> int:
    """The largest number of `periods` that run on one same day of `within`. Two agreements that
    each overlap the new one but not each other count once: the mentor never coaches both at
    the same time."""
    events: list[tuple[date, int]] = []
    for period in periods:
        if not period.overlaps(within):
            continue
        events.append((max(period.start, within.start), 1))
        # The day after its end it no longer counts.
        events.append((min(period.end, within.end) + timedelta(days=1), -1))
    # On one day, ends (-1) are applied before starts (+1).
    events.sort()
    running = peak = 0
    for _day, change in events:
        running += change
        peak = max(peak, running)
    return peak


def months_after(day: date, months: int) -> date:
    """The same day `months` calendar months later (the month's last day where that month is
    shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def training_deadline(since: date, months: int | None) -> date | None:
    """The last day an untrained mentor may still start coaching: `months` after the day they
    became a mentor of the recognition (None: the sector sets no deadline). The period ends the
    day before the same day `months` later; where that month has no such day, on its last day
    (as a recognition's validity: since 31/08, 6 months end on 28/02 or 29/02)."""
    if months is None:
        return None
    later = months_after(since, months)
    if later.day < since.day:
        # Clamped to a shorter month: the same day does not exist, so the whole month counts.
        return later
    return later - timedelta(days=1)


def training_allows(*, required: bool, trained: bool, since: date, months: int | None,
                    on_day: date) -> bool:
    """Whether the mentor-training rule lets the mentor take a new agreement on `on_day`."""
    if not required or trained:
        return True
    deadline = training_deadline(since, months)
    return deadline is None or on_day <= deadline


def covered_until(chain: Iterable[Period], start: date) -> date | None:
    """The last day of continuous recognition from `start`, over a recognition and the renewals
    that continue it without a gap (None when `start` is not covered at all)."""
    periods = sorted(chain, key=lambda p: p.start)
    end = None
    for period in periods:
        if end is None:
            if period.start <= start <= period.end:
                end = period.end
        elif period.start <= end + timedelta(days=1):
            end = max(end, period.end)
    return end
