"""The agreement rules as pure functions, each at its boundary: the kind from the hours, the
overlap of periods, the most learners a mentor coaches at once, the mentor-training deadline
and the recognition's coverage of a period."""

from datetime import date
from decimal import Decimal

import pytest

from werkplek.agreements.rules import (
    Period,
    covered_until,
    kind_for_hours,
    months_after,
    most_at_once,
    training_allows,
    training_deadline,
)


def d(text: str) -> date:
    """A day written as 31/01/2026."""
    day, month, year = (int(part) for part in text.split("/"))
    return date(year, month, day)


def p(start: str, end: str) -> Period:
    return Period(d(start), d(end))


# The kind from the hours ------------------------------------------------------------------------

@pytest.mark.parametrize(("hours", "kind"), [
    (Decimal("19.9"), "stage"),
    (Decimal("20"), "oao"),
    (Decimal("20.0"), "oao"),
    (Decimal("20.1"), "oao"),
    (Decimal("1"), "stage"),
    (Decimal("38"), "oao"),
])
def test_the_kind_follows_from_twenty_hours_a_week(hours, kind):
    assert kind_for_hours(hours) == kind


def test_the_kind_accepts_plain_numbers_and_text():
    assert kind_for_hours(20) == "oao"
    assert kind_for_hours("19.9") == "stage"


# Overlapping periods ----------------------------------------------------------------------------

def test_adjacent_periods_do_not_overlap():
    january, february = p("01/01/2026", "31/01/2026"), p("01/02/2026", "28/02/2026")
    assert not january.overlaps(february)
    assert not february.overlaps(january)


def test_periods_sharing_one_day_overlap():
    january, from_the_31st = p("01/01/2026", "31/01/2026"), p("31/01/2026", "28/02/2026")
    assert january.overlaps(from_the_31st)
    assert from_the_31st.overlaps(january)


def test_one_day_periods_overlap_only_on_the_same_day():
    assert p("15/03/2026", "15/03/2026").overlaps(p("15/03/2026", "15/03/2026"))
    assert not p("15/03/2026", "15/03/2026").overlaps(p("16/03/2026", "16/03/2026"))


def test_a_period_inside_another_overlaps_it():
    outer, inner = p("01/01/2026", "31/12/2026"), p("01/05/2026", "31/05/2026")
    assert outer.overlaps(inner) and inner.overlaps(outer)


# The most at once -------------------------------------------------------------------------------

def test_two_periods_that_overlap_the_new_one_but_not_each_other_count_once():
    new = p("01/01/2026", "31/12/2026")
    first_half, second_half = p("01/09/2025", "30/06/2026"), p("01/07/2026", "31/03/2027")
    assert most_at_once([first_half, second_half], new) == 1


def test_two_periods_sharing_one_day_inside_the_new_one_count_twice():
    new = p("01/01/2026", "31/12/2026")
    first, second = p("01/09/2025", "30/06/2026"), p("30/06/2026", "31/03/2027")
    assert most_at_once([first, second], new) == 2


def test_three_nested_periods_count_three():
    new = p("01/01/2026", "31/12/2026")
    nested = [p("01/01/2025", "31/12/2027"), p("01/03/2026", "30/11/2026"),
              p("01/06/2026", "30/06/2026")]
    assert most_at_once(nested, new) == 3


def test_nested_periods_outside_the_new_one_do_not_count():
    new = p("01/01/2026", "31/01/2026")
    # All three run together, but only after the new one ended.
    later = [p("01/02/2026", "31/12/2026"), p("01/03/2026", "30/11/2026"),
             p("01/06/2026", "30/06/2026")]
    assert most_at_once(later, new) == 0
    # One of them reaches back into the new one's last day: that one counts.
    assert most_at_once([*later, p("31/01/2026", "30/06/2026")], new) == 1


def test_a_period_ending_the_day_before_the_new_start_counts_zero():
    new = p("01/02/2026", "31/07/2026")
    assert most_at_once([p("01/09/2025", "31/01/2026")], new) == 0
    # Ending on the start day itself, it overlaps.
    assert most_at_once([p("01/09/2025", "01/02/2026")], new) == 1


def test_a_period_starting_the_day_after_the_new_end_counts_zero():
    new = p("01/02/2026", "31/07/2026")
    assert most_at_once([p("01/08/2026", "31/12/2026")], new) == 0
    assert most_at_once([p("31/07/2026", "31/12/2026")], new) == 1


def test_one_ending_and_one_starting_on_consecutive_days_count_once():
    new = p("01/01/2026", "31/12/2026")
    assert most_at_once([p("01/01/2026", "31/05/2026"), p("01/06/2026", "31/12/2026"),
                         p("01/03/2026", "31/05/2026")], new) == 2
    assert most_at_once([], new) == 0


# The mentor-training deadline -------------------------------------------------------------------

@pytest.mark.parametrize(("since", "months", "deadline"), [
    ("01/09/2025", 6, "28/02/2026"),
    ("15/01/2026", 6, "14/07/2026"),
    ("28/08/2025", 6, "27/02/2026"),
    # The same day six months later does not exist: the period ends on February's last day.
    ("31/08/2025", 6, "28/02/2026"),
    ("30/08/2025", 6, "28/02/2026"),
    ("31/08/2023", 6, "29/02/2024"),
    ("29/08/2023", 6, "28/02/2024"),
    # As a recognition's validity: from 29/02, a year ends on 28/02.
    ("29/02/2024", 12, "28/02/2025"),
    ("15/03/2026", 12, "14/03/2027"),
])
def test_the_training_deadline(since, months, deadline):
    assert training_deadline(d(since), months) == d(deadline)


def test_the_deadline_never_goes_back_when_the_start_is_later():
    start = d("01/01/2025")
    deadlines = [training_deadline(date.fromordinal(start.toordinal() + n), 6)
                 for n in range(800)]
    assert deadlines == sorted(deadlines)
    # And the mentor always has at least the months' worth of days minus the shortest months.
    assert all((deadline - date.fromordinal(start.toordinal() + n)).days >= 180
               for n, deadline in enumerate(deadlines))


def test_no_deadline_when_the_sector_sets_none():
    assert training_deadline(d("31/08/2025"), None) is None


def test_months_after_clamps_to_the_last_day_of_a_shorter_month():
    assert months_after(d("31/08/2025"), 6) == d("28/02/2026")
    assert months_after(d("31/01/2024"), 1) == d("29/02/2024")
    assert months_after(d("15/11/2025"), 3) == d("15/02/2026")


@pytest.mark.parametrize(("since", "deadline_day", "day_after"), [
    ("01/09/2025", "28/02/2026", "01/03/2026"),
    ("31/08/2025", "28/02/2026", "01/03/2026"),
    ("31/08/2023", "29/02/2024", "01/03/2024"),
])
def test_an_untrained_mentor_may_start_on_the_deadline_day_not_the_day_after(
        since, deadline_day, day_after):
    rule = {"required": True, "trained": False, "since": d(since), "months": 6}
    assert training_allows(**rule, on_day=d(deadline_day))
    assert not training_allows(**rule, on_day=d(day_after))


def test_a_trained_mentor_or_a_sector_without_the_rule_is_never_refused():
    late = d("01/01/2030")
    assert training_allows(required=True, trained=True, since=d("31/08/2025"), months=6,
                           on_day=late)
    assert training_allows(required=False, trained=False, since=d("31/08/2025"), months=6,
                           on_day=late)
    # Compulsory without a deadline: the training may follow at any time.
    assert training_allows(required=True, trained=False, since=d("31/08/2025"), months=None,
                           on_day=late)


# The recognition's coverage ---------------------------------------------------------------------

def test_one_recognition_covers_until_its_last_day():
    assert covered_until([p("01/09/2025", "31/08/2030")], d("01/09/2025")) == d("31/08/2030")
    assert covered_until([p("01/09/2025", "31/08/2030")], d("31/08/2030")) == d("31/08/2030")


def test_a_renewal_without_a_gap_extends_the_coverage():
    chain = [p("01/09/2020", "31/08/2025"), p("01/09/2025", "31/08/2030")]
    assert covered_until(chain, d("01/03/2025")) == d("31/08/2030")
    # In any order.
    assert covered_until(list(reversed(chain)), d("01/03/2025")) == d("31/08/2030")
    # Starting in the renewal, the renewal's end.
    assert covered_until(chain, d("01/09/2025")) == d("31/08/2030")


def test_a_gap_stops_the_coverage():
    chain = [p("01/09/2020", "31/08/2025"), p("02/09/2025", "01/09/2030")]
    assert covered_until(chain, d("01/03/2025")) == d("31/08/2025")
    # The day in the gap is not covered at all.
    assert covered_until(chain, d("01/09/2025")) is None


def test_a_start_outside_the_chain_is_not_covered():
    chain = [p("01/09/2020", "31/08/2025"), p("01/09/2025", "31/08/2030")]
    assert covered_until(chain, d("31/08/2020")) is None
    assert covered_until(chain, d("01/09/2030")) is None
    assert covered_until([], d("01/09/2025")) is None
