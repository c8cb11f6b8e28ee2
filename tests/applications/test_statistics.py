"""Handling statistics on a constructed data set whose figures are known exactly: received,
decided, share within 14 days (with paused applications decided just in time and one day late,
and moments around midnight in Brussels), median lead times, months, backlog, CSV, access."""

import csv
import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from werkplek.applications import statistics as stats
from werkplek.applications.models import Application

from .queue_factory import make_application, new_unit

BRUSSELS = ZoneInfo("Europe/Brussels")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
URL = reverse("applications:statistics")
TODAY = date(2026, 11, 30)


def local(y, m, d, hour=10, minute=0):
    return datetime.combine(date(y, m, d), time(hour, minute), tzinfo=BRUSSELS)


@pytest.fixture
def data_set(db, demo_user):
    """Applications around 2025; the comments give each one's days (raw / without pauses)."""
    made = {
        # Approved in 10 days, well in time (deadline 24/1).
        "A": make_application(state="approved", submitted=local(2025, 1, 10),
                              decided=local(2025, 1, 20, 15)),
        # Refused after 21 days: late (deadline 29/1).
        "B": make_application(state="refused", submitted=local(2025, 1, 15),
                              decided=local(2025, 2, 5, 15)),
        # Paused 6 days: deadline 23/2, decided that day at 23:30 (still 23/2 in Brussels):
        # in time; 20 days raw, 14 without the pause.
        "C": make_application(state="approved", submitted=local(2025, 2, 3), paused_days=6,
                              decided=local(2025, 2, 23, 23, 30)),
        # Paused 4 days: deadline 28/2, decided 1/3 at 00:30 in Brussels (still 28/2 in UTC):
        # one day late; 19 days raw, 15 without the pause.
        "D": make_application(state="approved", submitted=local(2025, 2, 10), paused_days=4,
                              decided=local(2025, 3, 1, 0, 30)),
        # Submitted 1/3 at 00:15 in Brussels (28/2 in UTC): received in March; open, overdue.
        "E": make_application(state="in_progress", submitted=local(2025, 3, 1, 0, 15)),
        # Received in December 2025, decided in 2026.
        "F": make_application(state="approved", submitted=local(2025, 12, 20),
                              decided=local(2026, 1, 5, 15)),
        # Received in 2024, decided 1/1/2025 at 00:30 in Brussels (31/12 in UTC): 4 days.
        "G": make_application(state="approved", submitted=local(2024, 12, 28),
                              decided=local(2025, 1, 1, 0, 30)),
        # The Flemish Partnership: refused in 9 days, in time.
        "H": make_application(state="refused", partnership="vpdl", submitted=local(2025, 4, 1),
                              decided=local(2025, 4, 10, 15), programme="kapper-stylist-duaal"),
        # Open and waiting for the applicant (never overdue while paused).
        "I": make_application(state="waiting", submitted=local(2025, 6, 1)),
        # Withdrawn: received, never decided.
        "J": make_application(state="withdrawn", submitted=local(2025, 5, 1)),
        # Submitted 1/1/2026 at 00:30 in Brussels (31/12/2025 in UTC): not received in 2025;
        # open and overdue now.
        "L": make_application(state="submitted", submitted=local(2026, 1, 1, 0, 30)),
    }
    # A draft counts nowhere.
    Application.objects.create(enterprise=made["A"].enterprise, unit=new_unit(),
                               created_by=demo_user("werkgever"))
    return made


def test_the_figures_of_2025_for_all_partnerships(data_set):
    figures = stats.compute(stats.Scope(None), stats.period_for(2025), today=TODAY)
    t = figures.totals
    assert (t.received, t.decided, t.approved, t.refused, t.within_deadline) == (9, 6, 4, 2, 4)
    assert t.share_within_deadline == pytest.approx(66.6667, abs=1e-3)
    # Without pauses: 4, 9, 10, 14, 15, 21; raw: 4, 9, 10, 19, 20, 21.
    assert (t.median_days, t.median_raw_days) == (12.0, 14.5)
    assert (t.open, t.overdue) == (3, 2)
    by_code = {item.partnership.code: item.figures for item in figures.partnerships}
    assert len(by_code) == 11
    bouw, vpdl = by_code["bouw"], by_code["vpdl"]
    assert (bouw.received, bouw.decided, bouw.approved, bouw.refused, bouw.within_deadline) == (
        8, 5, 4, 1, 3)
    assert bouw.share_within_deadline == 60.0
    assert (bouw.median_days, bouw.median_raw_days) == (14.0, 19.0)
    assert (bouw.open, bouw.overdue) == (3, 2)
    assert (vpdl.received, vpdl.decided, vpdl.within_deadline, vpdl.median_days) == (1, 1, 1, 9)
    assert by_code["horeca"].share_within_deadline is None
    assert by_code["horeca"].median_days is None


def test_the_months_of_2025(data_set):
    figures = stats.compute(stats.Scope(None), stats.period_for(2025), today=TODAY)
    months = {m.month.month: m for m in figures.months}
    assert [m.month for m in figures.months] == [date(2025, n, 1) for n in range(1, 13)]
    assert [m.received for m in figures.months] == [2, 2, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1]
    assert [m.decided for m in figures.months] == [2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    assert [m.within_deadline for m in figures.months][:4] == [2, 1, 0, 1]
    assert [months[n].median_days for n in (1, 2, 3, 4, 5)] == [7.0, 17.5, 15.0, 9.0, None]
    assert (months[2].share_within_deadline, months[3].share_within_deadline) == (50.0, 0.0)
    assert months[5].share_within_deadline is None


def test_the_backlog_by_state(data_set):
    figures = stats.compute(stats.Scope(None), stats.period_for(2025), today=TODAY)
    assert [(state, count, overdue) for state, _label, count, overdue in figures.backlog] == [
        ("submitted", 1, 1), ("in_progress", 1, 1), ("waiting", 1, 0), ("proposed", 0, 0)]


def test_a_handler_sees_the_own_partnership(data_set, demo_user):
    scope = stats.statistics_scope(demo_user("behandelaar-bouw"))
    figures = stats.compute(scope, stats.period_for(2025), today=TODAY)
    assert [item.partnership.code for item in figures.partnerships] == ["bouw"]
    t = figures.totals
    assert (t.received, t.decided, t.within_deadline, t.median_days, t.open) == (8, 5, 3, 14, 3)


def test_the_default_period_is_the_last_twelve_months():
    period = stats.period_for(today=date(2026, 11, 30))
    assert (period.start, period.end, period.last_day) == (
        date(2025, 12, 1), date(2026, 12, 1), date(2026, 11, 30))
    assert len(period.months()) == 12
    assert stats.period_for(today=date(2026, 1, 15)).start == date(2025, 2, 1)
    assert stats.period_for(2024).months()[-1] == date(2024, 12, 1)


def test_a_period_without_applications(db):
    figures = stats.compute(stats.Scope(None), stats.period_for(2019), today=TODAY)
    assert figures.totals.received == figures.totals.decided == 0
    assert figures.totals.median_days is None and figures.totals.share_within_deadline is None
    assert stats.available_years(stats.Scope(None), today=TODAY) == [2026]


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["behandelaar-vpdl", "beheer"])
def test_the_page_for_all_partnerships(client, demo_user, data_set, username):
    client.force_login(demo_user(username))
    response = client.get(URL, {"jaar": "2025"}, **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "All partnerships" in page
    assert "66,7&nbsp;%" in page  # Belgian number format
    assert "12 without the days the clock was paused (14,5 from submission" in page
    assert "Sectoral partnership Construction" in page
    assert "Sectoral partnership Hospitality" in page
    assert '<option value="2025" selected>' in page
    # The charts are images with a title and a description, and the table has the figures.
    assert page.count('role="img"') == 2
    assert '<title id="chart-months-title">' in page and '<desc id="chart-months-desc">' in page
    assert page.count('fill="#a8407c"/>') == 12 + 1  # a bar per month and the legend
    assert "<th scope=\"row\" class=\"govuk-table__header\">February 2025</th>" in page


def test_a_voting_member_of_the_flemish_partnership_sees_all(client, db):
    from werkplek.accounts.models import Membership, Role, User
    from werkplek.catalog.models import Partnership

    voter = User.objects.create(username="stem-vpdl")
    Membership.objects.create(user=voter, role=Role.VOTER,
                              partnership=Partnership.objects.get(code="vpdl"))
    client.force_login(voter)
    assert client.get(URL).context["stats"].scope.everything


def test_a_case_handler_sees_the_own_partnership_only(client, demo_user, data_set):
    client.force_login(demo_user("behandelaar-bouw"))
    response = client.get(URL, {"jaar": "2025"}, **EN)
    page = response.content.decode()
    assert "Sectoral partnership Construction" in page
    assert "Flemish Partnership" not in page and "All partnerships" not in page
    assert "60,0&nbsp;%" in page


@pytest.mark.parametrize("username", ["werkgever", "stemgerechtigde", "trajectbegeleider",
                                      "beroepscommissie"])
def test_anyone_else_is_refused(client, demo_user, username):
    client.force_login(demo_user(username))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"formaat": "csv"}).status_code == 403


def test_not_logged_in_goes_to_the_login(client, db):
    assert client.get(URL)["Location"].startswith(reverse("accounts:login"))


def test_a_wrong_year_says_which_years_there_are(client, demo_user, data_set):
    client.force_login(demo_user("beheer"))
    response = client.get(URL, {"jaar": "1999"}, **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a year from 2024 to 2026, or the last 12 months." in page
    assert page.startswith("<!DOCTYPE html>") and "<title>Error:" in page
    # A wrong year does not download anything.
    assert client.get(URL, {"jaar": "1999", "formaat": "csv"})["Content-Type"].startswith(
        "text/html")


def test_the_statistics_run_a_fixed_number_of_queries(client, demo_user, data_set,
                                                      django_assert_max_num_queries):
    client.force_login(demo_user("beheer"))
    with django_assert_max_num_queries(15) as few:
        client.get(URL, {"jaar": "2025"})
    for month in range(1, 13):
        make_application(state="approved", submitted=local(2025, month, 2),
                         decided=local(2025, month, 12))
        make_application(state="proposed", submitted=local(2025, month, 3))
    with django_assert_max_num_queries(15) as many:
        client.get(URL, {"jaar": "2025"})
    assert len(few) == len(many)


# --- CSV --------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_monthly_csv(client, demo_user, data_set):
    client.force_login(demo_user("beheer"))
    response = client.get(URL, {"jaar": "2025", "formaat": "csv"}, **EN)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="werkplek-statistieken-maanden-2025.csv"')
    rows = read_csv(response)
    assert rows[0] == ["Month", "Received", "Decided", "Decided within 14 days",
                       "Share decided within 14 days (%)",
                       "Median lead time in days, without pauses"]
    assert rows[1:5] == [["2025-01", "2", "2", "2", "100,0", "7,0"],
                         ["2025-02", "2", "2", "1", "50,0", "17,5"],
                         ["2025-03", "1", "1", "0", "0,0", "15,0"],
                         ["2025-04", "1", "1", "1", "100,0", "9,0"]]
    assert rows[5] == ["2025-05", "1", "0", "0", "", ""]
    assert rows[12] == ["2025-12", "1", "0", "0", "", ""]
    assert len(rows) == 13


def test_the_partnership_csv(client, demo_user, data_set):
    client.force_login(demo_user("behandelaar-vpdl"))
    response = client.get(URL, {"jaar": "2025", "formaat": "csv", "tabel": "partnerschappen"},
                          **EN)
    assert response["Content-Disposition"] == (
        'attachment; filename="werkplek-statistieken-partnerschappen-2025.csv"')
    rows = read_csv(response)
    assert rows[0][:4] == ["Code", "Partnership", "Received", "Decided"]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["bouw"] == ["bouw", "Sectoral partnership Construction", "8", "5", "4", "1",
                               "3", "60,0", "14,0", "19,0", "3", "2"]
    assert by_code["vpdl"][2:] == ["1", "1", "0", "1", "1", "100,0", "9,0", "9,0", "0", "0"]
    assert by_code["horeca"][2:] == ["0", "0", "0", "0", "0", "", "", "", "0", "0"]
    assert rows[-1] == ["", "All partnerships", "9", "6", "4", "2", "4", "66,7", "12,0", "14,5",
                        "3", "2"]
    assert len(rows) == 1 + 11 + 1


def test_the_csv_of_the_last_twelve_months_is_named_after_them(client, demo_user, db):
    from django.utils import timezone

    client.force_login(demo_user("behandelaar-bouw"))
    response = client.get(URL, {"formaat": "csv"})
    period = stats.period_for(today=timezone.localdate())
    assert f"maanden-{period.start:%Y-%m}-{period.last_day:%Y-%m}.csv" in response[
        "Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][0] == "Maand" or rows[0][0] == "Month"
    assert len(rows) == 13


def test_large_numbers_in_belgian_format():
    from django.template.loader import render_to_string

    from werkplek.applications.views_backoffice import _number

    figures = stats.Figures(received=12345, decided=1234, within_deadline=1080,
                            median_days=9.25, median_raw_days=10.5, open=2500, overdue=1001)
    html = render_to_string("applications/_stats_partnership_cells.html", {"f": figures})
    assert ">12.345<" in html and ">1.234<" in html and ">2.500<" in html
    assert "87,5&nbsp;%" in html  # 1080 of 1234 = 87,52 %
    assert "9,3 " in html and "10,5 with pauses" in html  # half up, like the CSV
    assert (_number(87.52), _number(9.25), _number(1234.5), _number(None)) == (
        "87,5", "9,3", "1234,5", "")
