"""The case handlers' queue: who sees what, tabs and counts, filters, sorting, deadline flags,
pagination and a query count that does not grow with the rows."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from werkplek.applications import selectors
from werkplek.applications.models import Application

from .queue_factory import make_application, new_unit

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
QUEUE = reverse("applications:queue")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def handler_client(client, demo_user):
    client.force_login(demo_user("behandelaar-bouw"))
    return client


def rows(response) -> list[Application]:
    return list(response.context["page"].object_list)


def references(response) -> list[str]:
    return [application.reference for application in rows(response)]


# --- who sees what ----------------------------------------------------------------------------


def test_only_case_handlers_open_the_queue(client, demo_user, db):
    for username in ("werkgever", "stemgerechtigde", "trajectbegeleider"):
        client.force_login(demo_user(username))
        assert client.get(QUEUE).status_code == 403
    client.logout()
    assert client.get(QUEUE)["Location"].startswith(reverse("accounts:login"))


def test_a_handler_sees_only_the_own_partnerships_applications_and_never_drafts(
        client, demo_user, today):
    ours = make_application(partnership="bouw", state="submitted")
    theirs = make_application(partnership="vpdl", state="submitted")
    draft = Application.objects.create(
        enterprise=ours.enterprise, unit=new_unit(), created_by=demo_user("werkgever"),
        partnership=ours.partnership)  # a draft never shows, even with a partnership set
    client.force_login(demo_user("behandelaar-vpdl"))
    response = client.get(QUEUE)
    assert rows(response) == [theirs]
    assert sum(response.context["tabs"][i]["count"] for i in range(6)) == 1
    client.force_login(demo_user("behandelaar-bouw"))
    for tab in ("nieuw", "in-behandeling", "wacht-op-aanvrager", "te-beslissen", "beslist",
                "afgesloten"):
        found = rows(client.get(QUEUE, {"tab": tab}))
        assert theirs not in found and draft not in found
    assert rows(client.get(QUEUE)) == [ours]


def test_each_state_is_in_its_tab_with_the_counts(handler_client, today):
    made = {state: make_application(state=state, submitted=today - timedelta(days=2))
            for state in ("submitted", "in_progress", "waiting", "proposed", "approved",
                          "refused", "lapsed", "withdrawn")}
    expected = {"nieuw": ["submitted"], "in-behandeling": ["in_progress"],
                "wacht-op-aanvrager": ["waiting"], "te-beslissen": ["proposed"],
                "beslist": ["approved", "refused"], "afgesloten": ["lapsed", "withdrawn"]}
    for tab, states in expected.items():
        response = handler_client.get(QUEUE, {"tab": tab}, **EN)
        assert {a.pk for a in rows(response)} == {made[s].pk for s in states}
        assert [t["count"] for t in response.context["tabs"]] == [1, 1, 1, 1, 2, 2]
        current = [t for t in response.context["tabs"] if t["current"]]
        assert len(current) == 1 and current[0]["url"].endswith(f"tab={tab}")
    page = handler_client.get(QUEUE, {"tab": "beslist"}, **EN).content.decode()
    assert 'aria-current="page">Decided (2)</a>' in page
    assert "Approved" in page and "Refused" in page
    # An unknown tab shows the first one.
    assert rows(handler_client.get(QUEUE, {"tab": "x"})) == [made["submitted"]]


def test_the_waiting_tab_shows_the_completion_date(handler_client, today):
    waiting = make_application(state="waiting", submitted=today - timedelta(days=20),
                               completion_due=today + timedelta(days=9))
    page = handler_client.get(QUEUE, {"tab": "wacht-op-aanvrager"}, **EN).content.decode()
    assert "To be completed by" in page
    assert (today + timedelta(days=9)).strftime("%d/%m/%Y") in page
    assert waiting.decision_deadline.strftime("%d/%m/%Y") not in page
    # Its decision deadline has passed, but the clock is paused: no flag.
    assert "govuk-tag--red" not in page


# --- filters ----------------------------------------------------------------------------------


def test_filter_by_programme(handler_client, today):
    roofer = make_application(programme="dakwerker-duaal")
    builder = make_application(programme="ruwbouw-duaal")
    response = handler_client.get(QUEUE, {"opleiding": builder.programme_id})
    assert rows(response) == [builder]
    assert response.context["tabs"][0]["count"] == 1
    assert roofer not in rows(response)
    # The chosen value stays in the form, and the tab links keep it.
    page = response.content.decode()
    assert f'<option value="{builder.programme_id}" selected>' in page
    assert f"opleiding={builder.programme_id}" in response.context["tabs"][3]["url"]


def test_filter_by_province_of_the_unit(handler_client, today):
    ghent = make_application(unit=new_unit(province_code="VOV", postal_code="9000"))
    leuven = make_application(unit=new_unit(province_code="VBR", postal_code="3000",
                                            municipality="Leuven"))
    # A unit without a province: the province of its postal code counts.
    bruges = make_application(unit=new_unit(province_code="", postal_code="8000",
                                            municipality="Brugge"))
    from werkplek.catalog.models import Province

    def only(code):
        return rows(handler_client.get(QUEUE, {"provincie": Province.objects.get(code=code).pk}))

    assert only("VOV") == [ghent]
    assert only("VBR") == [leuven]
    assert only("VWV") == [bruges]
    assert only("VAN") == []


def test_filter_by_handler(handler_client, demo_user, today):
    from werkplek.accounts.models import Membership, Role, User

    me = demo_user("behandelaar-bouw")
    colleague = User.objects.create(username="collega", first_name="Cora", last_name="Collega",
                                    email="cora@werkplek.example")
    Membership.objects.create(user=colleague, role=Role.HANDLER, partnership=me.memberships
                              .get(role=Role.HANDLER).partnership)
    mine = make_application(assigned_to=me)
    hers = make_application(assigned_to=colleague)
    nobodys = make_application()
    assert rows(handler_client.get(QUEUE, {"behandelaar": "ik"})) == [mine]
    assert rows(handler_client.get(QUEUE, {"behandelaar": "niemand"})) == [nobodys]
    assert rows(handler_client.get(QUEUE, {"behandelaar": colleague.pk})) == [hers]
    response = handler_client.get(QUEUE, **EN)
    assert {a.pk for a in rows(response)} == {mine.pk, hers.pk, nobodys.pk}
    page = response.content.decode()
    assert "Cora Collega" in page and "Not assigned" in page
    # Someone who is not a handler of the partnership cannot be chosen.
    outsider = demo_user("behandelaar-vpdl")
    response = handler_client.get(QUEUE, {"behandelaar": outsider.pk, "opleiding": ""}, **EN)
    assert "Choose a case handler from the list." in response.content.decode()
    assert len(rows(response)) == 3  # the wrong filter is left out


def test_filter_by_deadline(handler_client, today):
    late = make_application(state="in_progress", deadline=today - timedelta(days=1))
    soon = make_application(state="proposed", deadline=today + timedelta(days=3))
    later = make_application(deadline=today + timedelta(days=4))
    paused = make_application(state="waiting", deadline=today - timedelta(days=5))
    decided = make_application(state="approved", deadline=today - timedelta(days=5))

    def found(value):
        response = handler_client.get(QUEUE, {"termijn": value})
        return {pk for tab in ("nieuw", "in-behandeling", "te-beslissen", "wacht-op-aanvrager",
                               "beslist")
                for pk in (a.pk for a in rows(handler_client.get(
                    QUEUE, {"termijn": value, "tab": tab})))}, response.context["tabs"]

    overdue, tabs = found("verlopen")
    assert overdue == {late.pk}
    assert [t["count"] for t in tabs] == [0, 1, 0, 0, 0, 0]
    due, tabs = found("binnenkort")
    assert due == {soon.pk}
    assert [t["count"] for t in tabs] == [0, 0, 0, 1, 0, 0]
    everything, _tabs = found("")
    assert everything == {late.pk, soon.pk, later.pk, paused.pk, decided.pk}


def test_a_wrong_filter_value_says_so_and_keeps_the_others(handler_client, today):
    builder = make_application(programme="ruwbouw-duaal")
    make_application(programme="dakwerker-duaal")
    response = handler_client.get(QUEUE, {"opleiding": builder.programme_id,
                                          "termijn": "gisteren", "provincie": "999999"}, **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Choose a deadline from the list." in page
    assert "Choose a province from the list." in page
    assert page.count("<title>Error:") == 1
    assert rows(response) == [builder]


# --- sorting ----------------------------------------------------------------------------------


@pytest.fixture
def four(today):
    """Four new applications with distinct deadlines, submission days, references, names."""
    spec = [  # reference, enterprise name, days ago submitted, deadline in days
        ("WP-T-900003", "Aannemer Zeven", 5, 9),
        ("WP-T-900001", "Bouw Drie", 9, 2),
        ("WP-T-900004", "Dakwerken Een", 1, 13),
        ("WP-T-900002", "Charpente Vier", 12, 6),
    ]
    return {
        reference: make_application(reference=reference, unit=new_unit(name=name),
                                    submitted=today - timedelta(days=ago),
                                    deadline=today + timedelta(days=left))
        for reference, name, ago, left in spec
    }


@pytest.mark.parametrize(("sort", "expected"), [
    ("", ["WP-T-900001", "WP-T-900002", "WP-T-900003", "WP-T-900004"]),
    ("termijn", ["WP-T-900001", "WP-T-900002", "WP-T-900003", "WP-T-900004"]),
    ("-termijn", ["WP-T-900004", "WP-T-900003", "WP-T-900002", "WP-T-900001"]),
    ("ingediend", ["WP-T-900002", "WP-T-900001", "WP-T-900003", "WP-T-900004"]),
    ("-ingediend", ["WP-T-900004", "WP-T-900003", "WP-T-900001", "WP-T-900002"]),
    ("referentie", ["WP-T-900001", "WP-T-900002", "WP-T-900003", "WP-T-900004"]),
    ("-referentie", ["WP-T-900004", "WP-T-900003", "WP-T-900002", "WP-T-900001"]),
    ("onderneming", ["WP-T-900003", "WP-T-900001", "WP-T-900002", "WP-T-900004"]),
    ("-onderneming", ["WP-T-900004", "WP-T-900002", "WP-T-900001", "WP-T-900003"]),
    ("onzin", ["WP-T-900001", "WP-T-900002", "WP-T-900003", "WP-T-900004"]),
])
def test_sorting(handler_client, four, sort, expected):
    assert references(handler_client.get(QUEUE, {"sorteer": sort})) == expected


def test_sortable_headers_say_how_they_sort(handler_client, four):
    page = handler_client.get(QUEUE, **EN).content.decode()
    headers = re.findall(r'<th scope="col" class="govuk-table__header" aria-sort="(\w+)">'
                         r'<a class="govuk-link" href="([^"]+)">([^<]+)<span', page)
    assert [(sort, label) for sort, _url, label in headers] == [
        ("none", "Reference"), ("none", "Enterprise and unit"), ("none", "Submitted on"),
        ("ascending", "Decision at the latest")]
    links = {label: url.replace("&amp;", "&") for _sort, url, label in headers}
    assert "sorteer=-termijn" in links["Decision at the latest"]  # click again: turn around
    assert "sorteer=referentie" in links["Reference"]
    assert "(sort descending)" in page and "(sort ascending)" in page
    page = handler_client.get(QUEUE, {"sorteer": "-referentie"}, **EN).content.decode()
    assert 'aria-sort="descending"><a class="govuk-link" href="?tab=nieuw&amp;sorteer=referentie"' \
        in page


def test_finished_tabs_list_the_latest_deadline_first(handler_client, today):
    older = make_application(state="approved", deadline=today - timedelta(days=30))
    newer = make_application(state="refused", deadline=today - timedelta(days=3))
    assert rows(handler_client.get(QUEUE, {"tab": "beslist"})) == [newer, older]
    assert rows(handler_client.get(QUEUE, {"tab": "beslist", "sorteer": "termijn"})) == [
        older, newer]


# --- deadline flags ---------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "flag"), [(-1, "overdue"), (0, "soon"), (3, "soon"),
                                            (4, ""), (14, "")])
def test_deadline_flags_at_the_boundaries(handler_client, today, days, flag):
    application = make_application(state="in_progress", deadline=today + timedelta(days=days))
    assert selectors.deadline_flag(application, today=today) == flag
    page = handler_client.get(QUEUE, {"tab": "in-behandeling"}, **EN).content.decode()
    assert ('govuk-tag--red">Overdue' in page) == (flag == "overdue")
    assert ('govuk-tag--orange">Due within 3 days' in page) == (flag == "soon")


@pytest.mark.parametrize("state", ["waiting", "approved", "refused", "lapsed", "withdrawn"])
def test_no_flag_when_the_clock_does_not_run(today, state, db):
    application = make_application(state=state, deadline=today - timedelta(days=2))
    assert selectors.deadline_flag(application, today=today) == ""


# --- pagination and queries -------------------------------------------------------------------


def test_fifty_per_page_and_the_links_keep_the_query(handler_client, today):
    for i in range(51):
        make_application(deadline=today + timedelta(days=i % 20))
    url_params = {"termijn": "", "behandelaar": "niemand", "sorteer": "-ingediend"}
    first = handler_client.get(QUEUE, url_params, **EN)
    assert len(rows(first)) == 50
    assert first.context["tabs"][0]["count"] == 51
    next_url = first.context["next_url"]
    assert "behandelaar=niemand" in next_url and "sorteer=-ingediend" in next_url
    assert "pagina=2" in next_url and "tab=nieuw" in next_url
    second = handler_client.get(QUEUE + next_url)
    assert len(rows(second)) == 1
    assert set(rows(second)).isdisjoint(rows(first))
    assert "page 1 of 2" in first.content.decode()


def test_the_queue_runs_the_same_queries_for_few_and_many_rows(
        handler_client, demo_user, today, django_assert_max_num_queries):
    me = demo_user("behandelaar-bouw")
    make_application(assigned_to=me, deadline=today + timedelta(days=1))
    params = {"provincie": "", "behandelaar": "", "termijn": "binnenkort"}
    with django_assert_max_num_queries(11) as few:
        handler_client.get(QUEUE, params)
    for i in range(60):
        make_application(assigned_to=me if i % 2 else None,
                         deadline=today + timedelta(days=i % 4),
                         programme="ruwbouw-duaal" if i % 3 else "dakwerker-duaal")
    with django_assert_max_num_queries(11) as many:
        response = handler_client.get(QUEUE, params)
    assert len(rows(response)) == 50
    assert len(many) == len(few)


def test_the_queue_runs_at_most_eleven_queries(handler_client, today,
                                               django_assert_max_num_queries):
    for state in ("submitted", "in_progress", "proposed", "approved", "waiting"):
        for _ in range(3):
            make_application(state=state)
    # The session (read, and saved on every request: 4), the user, the partnerships handled,
    # the handlers, the tab counts, the rows, the programmes and the provinces.
    for tab in ("nieuw", "beslist", "wacht-op-aanvrager"):
        with django_assert_max_num_queries(11):
            handler_client.get(QUEUE, {"tab": tab, "sorteer": "onderneming"})
