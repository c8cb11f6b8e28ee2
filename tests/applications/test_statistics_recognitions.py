"""Recognitions, sanctions and appeals in the handling statistics, on a constructed data set whose
figures are known exactly: recognitions in every state (with the "expiring" boundary, renewed
ones in and out of force, those without an active mentor), sanctions at the period's boundary,
appeals around midnight in Brussels; per scope, on the page, in the CSV, in one query."""

import csv
import io
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from werkplek.appeals.models import Appeal
from werkplek.applications import statistics as stats
from werkplek.catalog.models import Partnership, Programme
from werkplek.core.deadlines import admissibility_deadline
from werkplek.enterprises.models import Mentor
from werkplek.recognitions.models import Recognition, RecognitionMentor, Sanction, SupportAction
from werkplek.recognitions.selectors import expiring_cutoff

from .queue_factory import make_application, new_unit

BRUSSELS = ZoneInfo("Europe/Brussels")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
URL = reverse("applications:statistics")
PROGRAMMES = {"bouw": "dakwerker-duaal", "vpdl": "kapper-stylist-duaal",
              "horeca": "grootkeukenkok-duaal"}
_numbers = count(1)


def local(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BRUSSELS)


# --- building rows directly ----------------------------------------------------------------------


def make_recognition(code: str, state: str, *, valid_until: date, mentor: str | None = "active",
                     today: date) -> Recognition:
    """A recognition of a new unit of partnership `code`, with an active mentor, an inactive
    one, or none (`mentor`)."""
    unit = new_unit()
    recognition = Recognition.objects.create(
        enterprise=unit.enterprise, unit=unit, programme=Programme.objects.get(
            code=PROGRAMMES[code]), partnership=Partnership.objects.get(code=code),
        state=state, valid_from=today - timedelta(days=400), valid_until=valid_until,
        validity_rule="recognition:5-years")
    if mentor:
        person = Mentor(enterprise=unit.enterprise, first_name="An", last_name="Mentor")
        body = f"800101{next(_numbers):03d}"
        person.set_national_number(f"{body}{97 - int(body) % 97:02d}", date(1980, 1, 1))
        person.save()
        RecognitionMentor.objects.create(recognition=recognition, mentor=person,
                                         since=recognition.valid_from,
                                         is_active=mentor == "active")
    return recognition


def make_sanction(recognition: Recognition, kind: str, state: str, *, imposed_on: date,
                  by) -> Sanction:
    action = SupportAction.objects.create(recognition=recognition, improvement="Beter doen",
                                          due_on=imposed_on - timedelta(days=30), created_by=by,
                                          state=SupportAction.State.FAILED)
    return Sanction.objects.create(
        reference=f"S-T-{next(_numbers):05d}", kind=kind, enterprise=recognition.enterprise,
        partnership=recognition.partnership, recognition=recognition, support_action=action,
        reasons="Niet verbeterd", state=state, imposed_on=imposed_on, imposed_by=by)


def make_appeal(against, state: str, *, filed_at: datetime, by,
                admissibility_decided_at: datetime | None = None) -> Appeal:
    """An appeal against a refused application or a sanction, due for admissibility 10 days
    after the day it was filed."""
    due = admissibility_deadline(filed_at)
    is_sanction = isinstance(against, Sanction)
    return Appeal.objects.create(
        reference=f"B-T-{next(_numbers):05d}", enterprise=against.enterprise,
        application=None if is_sanction else against, sanction=against if is_sanction else None,
        partnership=against.partnership, state=state, grounds="Onterecht",
        filed_at=filed_at, filed_by=by, notified_on=filed_at.date() - timedelta(days=2),
        appeal_until=filed_at.date() + timedelta(days=8), in_time=True,
        admissibility_due=due.day, admissibility_rule=due.rule,
        admissibility_decided_at=admissibility_decided_at,
        admissibility_decided_by=by if admissibility_decided_at else None)


def refusal(code: str):
    return make_application(state="refused", partnership=code, programme=PROGRAMMES[code],
                            submitted=timezone.localdate() - timedelta(days=60),
                            decided=timezone.localdate() - timedelta(days=50))


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def period(today):
    return stats.period_for(today=today)


@pytest.fixture
def data_set(db, demo_user, today, period):
    """bouw: recognitions in every state, 4 sanctions in the period (one more the day before),
    5 appeals in the period (one more the minute before); vpdl: a few of each; horeca:
    nothing."""
    staff = demo_user("behandelaar-bouw")
    employer = demo_user("werkgever")
    cutoff = expiring_cutoff(today)
    far = today + timedelta(days=3 * 365)
    made = {
        # Its last day is the first that is not expiring: active, not expiring.
        "R1": make_recognition("bouw", "active", valid_until=cutoff, today=today),
        # One day earlier: expiring.
        "R2": make_recognition("bouw", "active", valid_until=cutoff - timedelta(days=1),
                               today=today),
        # Active without any mentor: flagged.
        "R3": make_recognition("bouw", "active", valid_until=far, mentor=None, today=today),
        # Renewed, in force until its last day, with its mentor deactivated: flagged.
        "R4": make_recognition("bouw", "renewed", valid_until=today, mentor="inactive",
                               today=today),
        # Renewed, its last day passed: counts nowhere (not flagged either).
        "R5": make_recognition("bouw", "renewed", valid_until=today - timedelta(days=1),
                               mentor=None, today=today),
        "R6": make_recognition("bouw", "expired", valid_until=today - timedelta(days=3),
                               today=today),
        # Withdrawn without a mentor: not flagged (not in force).
        "R7": make_recognition("bouw", "withdrawn", valid_until=far, mentor=None, today=today),
        "R8": make_recognition("bouw", "excluded", valid_until=far, today=today),
        "V1": make_recognition("vpdl", "active", valid_until=far, today=today),
        "V2": make_recognition("vpdl", "withdrawn", valid_until=far, today=today),
    }
    start = period.start
    made |= {
        "S1": make_sanction(made["R1"], "mentor_ban", "in_force", imposed_on=start, by=staff),
        "S2": make_sanction(made["R1"], "mentor_ban", "lifted", imposed_on=today, by=staff),
        "S3": make_sanction(made["R7"], "withdrawal", "in_force", imposed_on=today, by=staff),
        "S4": make_sanction(made["R8"], "exclusion", "ended", imposed_on=today, by=staff),
        # The day before the period: not counted.
        "S5": make_sanction(made["R6"], "withdrawal", "in_force",
                            imposed_on=start - timedelta(days=1), by=staff),
        "S6": make_sanction(made["V2"], "exclusion", "in_force", imposed_on=today, by=staff),
    }
    filed = local(today - timedelta(days=20))
    due = admissibility_deadline(filed).day
    made |= {
        # Filed at the first moment of the period (the day before in UTC): pending.
        "A1": make_appeal(refusal("bouw"), "filed", filed_at=local(start, 0, 0), by=employer),
        # Admissibility confirmed on its last day at 23:30 in Brussels: in time.
        "A2": make_appeal(made["S2"], "overturned", filed_at=filed, by=employer,
                          admissibility_decided_at=local(due, 23, 30)),
        # The day after at 00:30 in Brussels (still the last day in UTC): late.
        "A3": make_appeal(refusal("bouw"), "inadmissible", filed_at=filed, by=employer,
                          admissibility_decided_at=local(due + timedelta(days=1), 0, 30)),
        "A4": make_appeal(made["S1"], "admissible", filed_at=filed, by=employer,
                          admissibility_decided_at=local(due - timedelta(days=5))),
        "A5": make_appeal(refusal("bouw"), "upheld", filed_at=filed, by=employer,
                          admissibility_decided_at=local(due)),
        # A minute before the period: not counted.
        "A6": make_appeal(made["S4"], "upheld", filed_at=local(start, 0, 0) - timedelta(
            minutes=1), by=employer, admissibility_decided_at=local(due)),
        "A7": make_appeal(made["S6"], "upheld", filed_at=filed, by=employer,
                          admissibility_decided_at=local(due)),
    }
    return made


def figures_of(result: stats.RecognitionStatistics) -> dict:
    return {item.partnership.code: item for item in result.partnerships}


def sanctions_of(kinds: list[stats.SanctionKindFigures]) -> dict:
    return {item.kind: (item.figures.imposed, item.figures.in_force, item.figures.ended,
                        item.figures.lifted) for item in kinds}


def appeals_of(f: stats.AppealFigures) -> tuple:
    return (f.filed, f.pending, f.inadmissible, f.upheld, f.overturned, f.against_refusal,
            f.against_sanction, f.admissibility_decided, f.admissibility_in_time)


def recognitions_of(f: stats.RecognitionFigures) -> tuple:
    return (f.active, f.expiring, f.renewed, f.expired, f.withdrawn, f.excluded,
            f.without_mentor)


# --- the figures ---------------------------------------------------------------------------------


def test_the_figures_for_all_partnerships(data_set, today, period):
    result = stats.compute_recognitions(stats.Scope(None), period, today=today)
    by_code = figures_of(result)
    assert len(by_code) == Partnership.objects.count()
    assert recognitions_of(by_code["bouw"].recognitions) == (3, 1, 1, 1, 1, 1, 2)
    assert recognitions_of(by_code["vpdl"].recognitions) == (1, 0, 0, 0, 1, 0, 0)
    assert recognitions_of(by_code["horeca"].recognitions) == (0, 0, 0, 0, 0, 0, 0)
    assert recognitions_of(result.recognitions) == (4, 1, 1, 1, 2, 1, 2)

    assert sanctions_of(by_code["bouw"].sanctions) == {
        "mentor_ban": (2, 1, 0, 1), "withdrawal": (1, 1, 0, 0), "exclusion": (1, 0, 1, 0)}
    assert sanctions_of(by_code["vpdl"].sanctions) == {
        "mentor_ban": (0, 0, 0, 0), "withdrawal": (0, 0, 0, 0), "exclusion": (1, 1, 0, 0)}
    assert sanctions_of(result.sanctions) == {
        "mentor_ban": (2, 1, 0, 1), "withdrawal": (1, 1, 0, 0), "exclusion": (2, 1, 1, 0)}
    assert result.sanctions_imposed == 5
    # In the order of the page: the Flemish Partnership first, then the sectoral ones.
    assert [item.partnership.code for item in result.sanctioned_partnerships] == [
        "vpdl", "bouw"]

    assert appeals_of(by_code["bouw"].appeals) == (5, 2, 1, 1, 1, 3, 2, 4, 3)
    assert by_code["bouw"].appeals.share_admissibility_in_time == 75.0
    assert appeals_of(by_code["vpdl"].appeals) == (1, 0, 0, 1, 0, 0, 1, 1, 1)
    assert appeals_of(result.appeals) == (6, 2, 1, 2, 1, 3, 3, 5, 4)
    assert result.appeals.share_admissibility_in_time == 80.0
    assert by_code["horeca"].appeals.share_admissibility_in_time is None


def test_expiring_agrees_with_the_register_state(data_set, today, period):
    assert data_set["R1"].register_state(today) == "active"
    assert data_set["R2"].register_state(today) == "expiring"
    assert data_set["R4"].in_force(today) and not data_set["R5"].in_force(today)


def test_recognitions_count_as_of_today_whatever_the_period(data_set, today):
    """An earlier year has no sanctions or appeals, but the same recognitions."""
    result = stats.compute_recognitions(stats.Scope(None), stats.period_for(today.year - 3),
                                        today=today)
    assert recognitions_of(result.recognitions) == (4, 1, 1, 1, 2, 1, 2)
    assert result.sanctions_imposed == 0 and result.appeals.filed == 0
    assert result.appeals.share_admissibility_in_time is None


def test_a_day_later_the_renewed_one_is_no_longer_in_force(data_set, today, period):
    tomorrow = today + timedelta(days=1)
    result = stats.compute_recognitions(stats.Scope(None), period, today=tomorrow)
    bouw = figures_of(result)["bouw"].recognitions
    # R4 ends today; R1 (its last day the old cutoff) may now be expiring too.
    assert bouw.renewed == 0 and bouw.without_mentor == 1
    assert bouw.expiring == sum(1 for key in ("R1", "R2", "R3")
                                if data_set[key].register_state(tomorrow) == "expiring")


def test_a_handler_sees_the_own_partnership(data_set, demo_user, today, period):
    scope = stats.statistics_scope(demo_user("behandelaar-bouw"))
    result = stats.compute_recognitions(scope, period, today=today)
    assert [item.partnership.code for item in result.partnerships] == ["bouw"]
    assert recognitions_of(result.recognitions) == (3, 1, 1, 1, 1, 1, 2)
    assert result.sanctions_imposed == 4
    assert appeals_of(result.appeals) == (5, 2, 1, 1, 1, 3, 2, 4, 3)


def test_one_query_whatever_the_rows_and_partnerships(data_set, demo_user, today, period,
                                                      django_assert_num_queries):
    staff, employer = demo_user("behandelaar-bouw"), demo_user("werkgever")
    one = stats.statistics_scope(staff)
    with django_assert_num_queries(1):
        stats.compute_recognitions(one, period, today=today)
    with django_assert_num_queries(1):
        stats.compute_recognitions(stats.Scope(None), period, today=today)
    for code in ("bouw", "vpdl", "horeca"):
        for _ in range(3):
            recognition = make_recognition(code, "active", valid_until=today + timedelta(
                days=900), mentor=None, today=today)
            sanction = make_sanction(recognition, "withdrawal", "in_force", imposed_on=today,
                                     by=staff)
            make_appeal(sanction, "filed", filed_at=local(today), by=employer)
    with django_assert_num_queries(1):
        many = stats.compute_recognitions(stats.Scope(None), period, today=today)
    with django_assert_num_queries(1):
        stats.compute_recognitions(one, period, today=today)
    assert figures_of(many)["horeca"].recognitions.without_mentor == 3
    assert many.appeals.filed == 6 + 9


# --- the page ------------------------------------------------------------------------------------


class _Tables(HTMLParser):
    """The tables of a page: caption, then rows of (tag, scope, text) per cell."""

    def __init__(self):
        super().__init__()
        self.tables, self.cell, self.in_caption = [], None, False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td") and self.tables:
            self.cell = [tag, dict(attrs).get("scope"), ""]

    def handle_endtag(self, tag):
        if tag == "caption":
            self.in_caption = False
        elif tag in ("th", "td") and self.cell:
            self.cell[2] = " ".join(self.cell[2].split())
            self.tables[-1]["rows"][-1].append(tuple(self.cell))
            self.cell = None

    def handle_data(self, data):
        if self.in_caption:
            self.tables[-1]["caption"] += data
        elif self.cell:
            self.cell[2] += data


def tables_of(response) -> dict[str, list]:
    parser = _Tables()
    parser.feed(response.content.decode())
    return {" ".join(table["caption"].split()): table["rows"] for table in parser.tables}


def texts(row) -> list[str]:
    return [text for _tag, _scope, text in row]


def test_the_page_for_a_handler_of_bouw(client, demo_user, data_set, today):
    client.force_login(demo_user("behandelaar-bouw"))
    response = client.get(URL, **EN)
    page = response.content.decode()
    assert response.status_code == 200
    tables = tables_of(response)
    recognitions = tables[f"Recognitions per partnership on {today:%d/%m/%Y}"]
    assert texts(recognitions[0]) == [
        "Partnership", "Active", "Of which expiring within 6 months", "Renewed, still in force",
        "Expired", "Withdrawn", "Excluded", "In force without an active mentor"]
    assert {scope for _tag, scope, _text in recognitions[0]} == {"col"}
    assert recognitions[1:] == [[("th", "row", "Sectoral partnership Construction")]
                                + [("td", None, n) for n in "3111112"]]
    sanctions = tables["Sanctions per partnership and kind"]
    assert sanctions[1] == [("th", "rowgroup", "Sectoral partnership Construction"),
                            ("th", "row", "Mentor ban"), ("td", None, "2"), ("td", None, "1"),
                            ("td", None, "0"), ("td", None, "1")]
    assert [texts(row) for row in sanctions[2:]] == [
        ["Withdrawal of the recognition", "1", "1", "0", "0"],
        ["Exclusion", "1", "0", "1", "0"]]
    appeals = tables["Appeals per partnership by outcome"]
    assert texts(appeals[1]) == ["Sectoral partnership Construction", "5", "2", "1", "1", "1",
                                 "3", "2", "75,0 % (3 of 4)"]
    assert len(appeals) == 2  # no total row for one partnership
    assert "Flemish Partnership" not in page and "All partnerships" not in page
    assert "75,0&nbsp;%" in page


def test_the_page_for_all_partnerships(client, demo_user, data_set, today):
    client.force_login(demo_user("behandelaar-vpdl"))
    response = client.get(URL, **EN)
    tables = tables_of(response)
    recognitions = {row[0][2]: texts(row)[1:] for row in
                    tables[f"Recognitions per partnership on {today:%d/%m/%Y}"][1:]}
    assert len(recognitions) == Partnership.objects.count() + 1
    assert recognitions["Flemish Partnership for Dual Learning"] == list("1000100")
    assert recognitions["All partnerships"] == list("4111212")
    sanctions = tables["Sanctions per partnership and kind"]
    groups = [text for tag, scope, text in (row[0] for row in sanctions[1:])
              if scope == "rowgroup"]
    # Only the partnerships that imposed one, then the totals.
    assert sorted(groups[:-1]) == ["Flemish Partnership for Dual Learning",
                                   "Sectoral partnership Construction"]
    assert groups[-1] == "All partnerships"
    assert [texts(row)[-5:] for row in sanctions[-3:]] == [
        ["Mentor ban", "2", "1", "0", "1"], ["Withdrawal of the recognition", "1", "1", "0", "0"],
        ["Exclusion", "2", "1", "1", "0"]]
    appeals = {row[0][2]: texts(row)[1:] for row in
               tables["Appeals per partnership by outcome"][1:]}
    assert appeals["All partnerships"] == ["6", "2", "1", "2", "1", "3", "3", "80,0 % (4 of 5)"]
    assert appeals["Sectoral partnership Hospitality"][-1] == "—"
    assert response.context["recognition_stats"].scope.everything


def test_without_sanctions_the_page_says_so(client, demo_user, db):
    client.force_login(demo_user("behandelaar-bouw"))
    page = client.get(URL, **EN).content.decode()
    assert "No sanctions were imposed in this period." in page
    assert "Sanctions per partnership and kind" not in page
    assert "Appeals per partnership by outcome" in page


def test_large_numbers_in_belgian_format(db):
    from django.template.loader import render_to_string

    bouw = Partnership.objects.get(code="bouw")
    item = stats.PartnershipRecognitionFigures(
        bouw, recognitions=stats.RecognitionFigures(active=12345, expiring=1234),
        appeals=stats.AppealFigures(filed=2500, admissibility_decided=1234,
                                    admissibility_in_time=1080))
    item.sanctions[0].figures.imposed = 1001
    result = stats.RecognitionStatistics(
        scope=stats.Scope((bouw.pk,)), period=stats.period_for(2025), today=date(2026, 1, 5),
        partnerships=[item], recognitions=item.recognitions, sanctions=item.sanctions,
        appeals=item.appeals)
    html = render_to_string("applications/_stats_recognitions.html", {"rec": result})
    assert ">12.345<" in html and ">1.234<" in html and ">2.500<" in html and ">1.001<" in html
    assert "87,5&nbsp;%" in html  # 1080 of 1234
    assert "05/01/2026" in html and "01/01/2025" in html and "31/12/2025" in html


# --- CSV -----------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_recognitions_csv(client, demo_user, data_set, today):
    client.force_login(demo_user("behandelaar-vpdl"))
    response = client.get(URL, {"formaat": "csv", "tabel": "erkenningen"}, **EN)
    assert response["Content-Disposition"] == (
        f'attachment; filename="werkplek-statistieken-erkenningen-{today:%Y-%m-%d}.csv"')
    rows = read_csv(response)
    assert rows[0] == ["Code", "Partnership", "Active", "Of which expiring within 6 months",
                       "Renewed, still in force", "Expired", "Withdrawn", "Excluded",
                       "In force without an active mentor"]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["bouw"] == ["bouw", "Sectoral partnership Construction",
                               "3", "1", "1", "1", "1", "1", "2"]
    assert by_code["horeca"][2:] == ["0"] * 7
    assert rows[-1] == ["", "All partnerships", "4", "1", "1", "1", "2", "1", "2"]
    assert len(rows) == 1 + Partnership.objects.count() + 1


def test_the_sanctions_csv(client, demo_user, data_set, period):
    client.force_login(demo_user("behandelaar-vpdl"))
    response = client.get(URL, {"formaat": "csv", "tabel": "sancties"}, **EN)
    assert response["Content-Disposition"] == (
        f'attachment; filename="werkplek-statistieken-sancties-{period.slug}.csv"')
    rows = read_csv(response)
    assert rows[0] == ["Code", "Partnership", "Kind", "Imposed", "In force", "Ended",
                       "Lifted on appeal"]
    bouw = [row[2:] for row in rows if row[0] == "bouw"]
    assert bouw == [["Mentor ban", "2", "1", "0", "1"],
                    ["Withdrawal of the recognition", "1", "1", "0", "0"],
                    ["Exclusion", "1", "0", "1", "0"]]
    assert [row[1:] for row in rows[-3:]] == [
        ["All partnerships", "Mentor ban", "2", "1", "0", "1"],
        ["All partnerships", "Withdrawal of the recognition", "1", "1", "0", "0"],
        ["All partnerships", "Exclusion", "2", "1", "1", "0"]]
    # Every partnership, with every kind.
    assert len(rows) == 1 + 3 * Partnership.objects.count() + 3


def test_the_appeals_csv_of_a_year(client, demo_user, data_set, today):
    client.force_login(demo_user("behandelaar-bouw"))
    year = str(today.year)
    response = client.get(URL, {"jaar": year, "formaat": "csv", "tabel": "beroepen"}, **EN)
    assert response["Content-Disposition"] == (
        f'attachment; filename="werkplek-statistieken-beroepen-{year}.csv"')
    rows = read_csv(response)
    assert rows[0] == ["Code", "Partnership", "Filed", "Pending", "Inadmissible", "Upheld",
                       "Overturned", "Against a refusal", "Against a sanction",
                       "Admissibility decided", "Admissibility confirmed within 10 days",
                       "Share of admissibility confirmed within 10 days (%)"]
    # Only bouw, then its total; the figures of this calendar year.
    expected = stats.compute_recognitions(
        stats.statistics_scope(demo_user("behandelaar-bouw")), stats.period_for(today.year),
        today=today).appeals
    assert [row[0] for row in rows[1:]] == ["bouw", ""]
    assert rows[1][2:11] == [str(n) for n in appeals_of(expected)]
    assert rows[2][1] == "Total"


def test_the_appeals_csv_has_a_decimal_comma(client, demo_user, data_set):
    client.force_login(demo_user("behandelaar-bouw"))
    rows = read_csv(client.get(URL, {"formaat": "csv", "tabel": "beroepen"}, **EN))
    assert rows[1][2:] == ["5", "2", "1", "1", "1", "3", "2", "4", "3", "75,0"]
    assert rows[-1][2:] == rows[1][2:]


@pytest.mark.parametrize("table", ["erkenningen", "sancties", "beroepen"])
def test_the_new_csv_files_are_refused_to_others(client, demo_user, table):
    client.force_login(demo_user("werkgever"))
    assert client.get(URL, {"formaat": "csv", "tabel": table}).status_code == 403


def test_the_page_runs_a_fixed_number_of_queries(client, demo_user, data_set, today,
                                                 django_assert_max_num_queries):
    client.force_login(demo_user("behandelaar-vpdl"))
    with django_assert_max_num_queries(16) as few:
        client.get(URL)
    staff, employer = demo_user("behandelaar-bouw"), demo_user("werkgever")
    for code in ("bouw", "vpdl", "horeca"):
        for state in ("active", "expired", "withdrawn"):
            recognition = make_recognition(code, state, valid_until=today + timedelta(days=90),
                                           today=today)
            sanction = make_sanction(recognition, "mentor_ban", "ended", imposed_on=today,
                                     by=staff)
            make_appeal(sanction, "admissible", filed_at=local(today), by=employer,
                        admissibility_decided_at=local(today))
    with django_assert_max_num_queries(16) as many:
        client.get(URL)
    assert len(few) == len(many)
