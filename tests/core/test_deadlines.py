"""The deadline rules: one function per rule, calendar days in Brussels, with pauses."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from werkplek.core import deadlines

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_the_decision_is_due_14_calendar_days_after_the_day_of_submission():
    result = deadlines.decision_deadline(datetime(2026, 11, 30, 9, tzinfo=BRUSSELS))
    assert result.day == date(2026, 12, 14)
    assert result.rule == "decision:14-calendar-days"


def test_a_submission_late_in_the_evening_counts_from_the_brussels_day():
    # 23:30 UTC on 30 November is already 1 December in Brussels.
    result = deadlines.decision_deadline(datetime(2026, 11, 30, 23, 30, tzinfo=ZoneInfo("UTC")))
    assert result.day == date(2026, 12, 15)


def test_the_days_waited_for_completion_move_the_deadline():
    result = deadlines.decision_deadline(datetime(2026, 11, 30, 9, tzinfo=BRUSSELS),
                                         paused_days=9)
    assert result.day == date(2026, 12, 23)
    assert result.rule == "decision:14-calendar-days+9-paused"


@pytest.mark.parametrize(("asked", "completed", "paused"), [
    (datetime(2026, 12, 1, 8), datetime(2026, 12, 1, 17), 0),    # same day: nothing paused
    (datetime(2026, 12, 1, 23), datetime(2026, 12, 2, 1), 1),    # across midnight
    (datetime(2026, 12, 1, 10), datetime(2026, 12, 31, 10), 30),
    (datetime(2026, 12, 5, 10), datetime(2026, 12, 1, 10), 0),   # never negative
])
def test_paused_days_are_calendar_days_between_request_and_completion(asked, completed, paused):
    assert deadlines.paused_days(asked.replace(tzinfo=BRUSSELS),
                                 completed.replace(tzinfo=BRUSSELS)) == paused


def test_paused_days_span_the_change_to_winter_time():
    asked = datetime(2026, 10, 24, 12, tzinfo=BRUSSELS)
    completed = datetime(2026, 10, 26, 0, 30, tzinfo=BRUSSELS)
    assert deadlines.paused_days(asked, completed) == 2


def test_the_completion_period_is_per_partnership():
    result = deadlines.completion_deadline(datetime(2026, 11, 30, 9, tzinfo=BRUSSELS), days=30)
    assert result.day == date(2026, 12, 30) and result.rule == "completion:30-calendar-days"
    assert deadlines.completion_deadline(datetime(2026, 11, 30, 9, tzinfo=BRUSSELS),
                                         days=10).day == date(2026, 12, 10)


def test_days_left_counts_to_the_deadline():
    assert deadlines.days_left(date(2026, 12, 14), today=date(2026, 11, 30)) == 14
    assert deadlines.days_left(date(2026, 11, 30), today=date(2026, 11, 30)) == 0
    assert deadlines.days_left(date(2026, 11, 29), today=date(2026, 11, 30)) == -1


@pytest.mark.parametrize(("decided", "last_day"), [
    (date(2026, 11, 30), date(2031, 11, 29)),
    (date(2026, 1, 1), date(2030, 12, 31)),
    (date(2028, 2, 29), date(2033, 2, 28)),   # no 29 February in 2033
    (date(2027, 3, 1), date(2032, 2, 29)),    # the day before lands on a leap day
])
def test_a_recognition_runs_five_years_from_the_decision(decided, last_day):
    result = deadlines.recognition_validity(decided)
    assert result.day == last_day and result.rule == "recognition:5-years"


def test_the_appeal_window_is_ten_calendar_days_from_receipt():
    result = deadlines.appeal_deadline(date(2026, 11, 30))
    assert result.day == date(2026, 12, 10) and result.rule == "appeal:10-calendar-days"


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2031, 11, 29), 6, date(2031, 5, 29)),
    (date(2031, 8, 31), 6, date(2031, 2, 28)),    # a shorter month: its last day
    (date(2032, 8, 31), 6, date(2032, 2, 29)),    # a leap year
    (date(2031, 1, 15), 2, date(2030, 11, 15)),   # across the year
    (date(2031, 4, 30), 2, date(2031, 2, 28)),
])
def test_months_before_counts_calendar_months(day, months, expected):
    assert deadlines.months_before(day, months) == expected


def test_the_end_reminders_fall_six_and_two_months_before_the_last_day():
    assert deadlines.expiry_reminder_day(date(2031, 11, 29), 6) == date(2031, 5, 29)
    assert deadlines.expiry_reminder_day(date(2031, 11, 29), 2) == date(2031, 9, 29)


@pytest.mark.parametrize(("previous_until", "decided", "start"), [
    (date(2031, 11, 29), date(2031, 9, 1), date(2031, 11, 30)),   # continues without a gap
    (date(2031, 12, 31), date(2031, 12, 31), date(2032, 1, 1)),   # decided on the last day
    (date(2031, 11, 29), date(2031, 12, 5), date(2031, 12, 5)),   # already ended: from the day
])
def test_a_renewal_starts_the_day_after_the_previous_recognition_ends(previous_until, decided,
                                                                       start):
    assert deadlines.renewal_start(previous_until, decided) == start


def test_admissibility_is_confirmed_within_ten_calendar_days_of_filing_in_brussels():
    # 23:30 UTC on 30 November is 1 December in Brussels.
    late_evening = datetime(2026, 11, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert deadlines.admissibility_deadline(late_evening).day == date(2026, 12, 11)
    assert deadlines.admissibility_deadline(
        datetime(2026, 11, 30, 9, tzinfo=BRUSSELS)).rule == "admissibility:10-calendar-days"


@pytest.mark.parametrize(("filed", "in_time"), [
    (datetime(2026, 12, 10, 23, 59, tzinfo=BRUSSELS), True),    # the last day, before midnight
    (datetime(2026, 12, 11, 0, 0, tzinfo=BRUSSELS), False),     # midnight: one day late
    # 23:30 UTC on 10 December is already 11 December in Brussels: late.
    (datetime(2026, 12, 10, 23, 30, tzinfo=ZoneInfo("UTC")), False),
    (datetime(2026, 12, 10, 22, 30, tzinfo=ZoneInfo("UTC")), True),
])
def test_an_appeal_is_in_time_up_to_midnight_of_the_last_day_in_brussels(filed, in_time):
    # Notified on 30 November: the last day to appeal is 10 December.
    assert deadlines.appeal_in_time(date(2026, 11, 30), filed) is in_time
