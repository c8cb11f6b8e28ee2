"""Dates and deadlines: one function per rule, each returning the day and the rule that made it.

All days are calendar days in Europe/Brussels (DOMAIN.md, a choice of this service): the decision
is due 14 days after submission, and the clock pauses while the application waits for the
applicant (the days waited are added).
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

DECISION_DAYS = 14


@dataclass(frozen=True)
class Deadline:
    day: date
    rule: str  # a stable name of the rule that produced the day, stored beside it


def local_day(moment: datetime) -> date:
    """The calendar day of a moment in Brussels."""
    return timezone.localtime(moment).date()


def decision_deadline(submitted_at: datetime, *, paused_days: int = 0) -> Deadline:
    """14 calendar days after the day of submission, plus the days the clock was paused."""
    day = local_day(submitted_at) + timedelta(days=DECISION_DAYS + paused_days)
    rule = f"decision:{DECISION_DAYS}-calendar-days"
    if paused_days:
        rule += f"+{paused_days}-paused"
    return Deadline(day=day, rule=rule)


def days_left(deadline: date, *, today: date | None = None) -> int:
    """Calendar days from today to the deadline (negative when it has passed)."""
    return (deadline - (today or timezone.localdate())).days


def completion_deadline(requested_at: datetime, *, days: int) -> Deadline:
    """The applicant completes within `days` calendar days of the request (30 by default per
    partnership); after that day the application lapses."""
    return Deadline(day=local_day(requested_at) + timedelta(days=days),
                    rule=f"completion:{days}-calendar-days")


def paused_days(paused_at: datetime, resumed_at: datetime) -> int:
    """Calendar days the decision clock stood still: from the day of the request to the day
    the applicant completed (a request and completion on the same day pause nothing)."""
    return max(0, (local_day(resumed_at) - local_day(paused_at)).days)


RECOGNITION_YEARS = 5
APPEAL_DAYS = 10


def recognition_validity(decided_on: date) -> Deadline:
    """A recognition runs 5 years from the day of the decision: its last day is the day before
    the fifth anniversary (a decision on 29 February ends on 28 February)."""
    try:
        anniversary = decided_on.replace(year=decided_on.year + RECOGNITION_YEARS)
    except ValueError:  # 29 February in a year that has none
        anniversary = decided_on.replace(year=decided_on.year + RECOGNITION_YEARS, day=28) + \
            timedelta(days=1)
    return Deadline(day=anniversary - timedelta(days=1),
                    rule=f"recognition:{RECOGNITION_YEARS}-years")


def appeal_deadline(notified_on: date) -> Deadline:
    """The enterprise may appeal within 10 calendar days of receiving the written decision
    (the day the official e-mail was sent)."""
    return Deadline(day=notified_on + timedelta(days=APPEAL_DAYS),
                    rule=f"appeal:{APPEAL_DAYS}-calendar-days")


ADMISSIBILITY_DAYS = 10


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day where that month is
    shorter: 6 months before 31 August is 28 or 29 February)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def expiry_reminder_day(valid_until: date, months: int) -> date:
    """The day the enterprise is reminded that its recognition ends: `months` calendar months
    before its last day."""
    return months_before(valid_until, months)


def renewal_start(previous_until: date, decided_on: date) -> date:
    """A renewal continues the recognition without a gap: it starts the day after the previous
    one ends, or on the day of the decision when the previous one has already ended."""
    return max(previous_until + timedelta(days=1), decided_on)


def admissibility_deadline(filed_at: datetime) -> Deadline:
    """Receipt and admissibility of an appeal are confirmed within 10 calendar days of the day
    it was filed (Europe/Brussels)."""
    return Deadline(day=local_day(filed_at) + timedelta(days=ADMISSIBILITY_DAYS),
                    rule=f"admissibility:{ADMISSIBILITY_DAYS}-calendar-days")


def appeal_in_time(notified_on: date, filed_at: datetime) -> bool:
    """Whether an appeal filed at `filed_at` falls within the appeal window of a decision
    notified on `notified_on`: up to and including the last day, until midnight in Brussels."""
    return local_day(filed_at) <= appeal_deadline(notified_on).day
