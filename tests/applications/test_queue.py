"""The case handlers' queue: who sees what, tabs and counts, filters, sorting, deadline flags,
pagination and a query count that does not grow with the rows."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from werkplek.applications import selectors
from werkplek.applications.models import Application

from .queue_factory import make_application, new_unit

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
QUEUE = reverse("applications:queue")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture(params=["plain", "deferred join"])
def page_query(request, monkeypatch):
    """Both ways a page is read: one plain query (a small tab) and the deferred join (a tab of
    more than `DEFERRED_JOIN_FROM` rows; here from the first row on)."""
    if request.param == "deferred join":
        monkeypatch.setattr(selectors, "DEFERRED_JOIN_FROM", 0)
    return request.param


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
def test_sorting(handler_client, four, sort, expected, page_query):
    assert references(handler_client.get(QUEUE, {"sorteer": sort})) == expected


def test_sortable_headers_say_how_they_sort(handler_client, four):
    page = handler_client.get(QUEUE, **EN).content.decode()
    headers = re.findall(r'<th scope="col" class="govuk-table__header" aria-sort="(\w+)">'
                         r'<a class="govuk-link" href="([^"]+)">([^<]+)<span', page)
    assert [(sort, label) for sort, _url, label in headers] == [
        ("none", "Reference"), ("none", "Enterprise and unit"), ("none", "Programme"),
        ("none", "Province"), ("none", "Submitted on"), ("ascending", "Decision at the latest"),
        ("none", "Case handler")]
    links = {label: url.replace("&amp;", "&") for _sort, url, label in headers}
    assert "sorteer=-termijn" in links["Decision at the latest"]  # click again: turn around
    assert "sorteer=referentie" in links["Reference"]
    assert "sorteer=opleiding" in links["Programme"]
    assert "sorteer=provincie" in links["Province"]
    assert "sorteer=behandelaar" in links["Case handler"]
    assert "(sort descending)" in page and "(sort ascending)" in page
    page = handler_client.get(QUEUE, {"sorteer": "-referentie"}, **EN).content.decode()
    assert 'aria-sort="descending"><a class="govuk-link" href="?tab=nieuw&amp;sorteer=referentie"' \
        in page


def row_of(page: str, reference: str) -> str:
    """The table row (HTML) of the application with this reference."""
    found = [row for row in re.findall(r"<tr class=\"govuk-table__row\">.*?</tr>", page, re.S)
             if f">{reference}</a>" in row]
    assert len(found) == 1, reference
    return found[0]


def sorted_references(user, sort: str, *, descending: bool = False, tab: str = "new",
                      language: str = "nl") -> list[str]:
    """The order of the selector, read both ways: a page (the deferred join the view uses)
    and the plain queryset; they must agree."""
    with translation.override(language):
        rows = selectors.queue(user, tab=tab, sort=sort, descending=descending)
    # The language is the one when the queue was asked for, not when it is read.
    with translation.override("en" if language == "nl" else "nl"):
        page = [a.reference for a in rows[0:50]]
        plain = [a.reference for a in rows.queryset]
    assert page == plain
    return page


@pytest.fixture
def programmes(db):
    """Three programmes whose Dutch and English names sort differently."""
    from werkplek.catalog.models import Programme

    sector = Programme.objects.get(code="dakwerker-duaal").sector
    names = {"t-afwerking": ("Afwerking test duaal", "Test finishing (dual)"),
             "t-metselwerk": ("Metselwerk test duaal", "Bricklaying test (dual)"),
             "t-schilderwerk": ("Schilderwerk test duaal", "Painting test (dual)")}
    for code, (nl, en) in names.items():
        Programme.objects.create(code=code, name_nl=nl, name_en=en, sector=sector)
    return names


def test_sort_by_programme_follows_the_language(handler_client, demo_user, programmes, today,
                                                page_query):
    def make(reference, programme, left):
        return make_application(reference=reference, programme=programme,
                                deadline=today + timedelta(days=left))

    make("WP-T-800001", "t-metselwerk", 5)
    make("WP-T-800002", "t-afwerking", 7)
    make("WP-T-800003", "t-schilderwerk", 2)
    make("WP-T-800004", "t-metselwerk", 3)
    make("WP-T-800005", "t-metselwerk", 3)  # the same deadline: the primary key decides
    me = demo_user("behandelaar-bouw")
    # Afwerking < Metselwerk < Schilderwerk; within a programme the nearest deadline first.
    dutch = ["WP-T-800002", "WP-T-800004", "WP-T-800005", "WP-T-800001", "WP-T-800003"]
    # Bricklaying < Painting < Test finishing.
    english = ["WP-T-800004", "WP-T-800005", "WP-T-800001", "WP-T-800003", "WP-T-800002"]
    assert sorted_references(me, "programme", language="nl") == dutch
    assert sorted_references(me, "programme", language="en") == english
    # Descending turns the programmes around, not the order within one.
    assert sorted_references(me, "programme", descending=True, language="nl") == [
        "WP-T-800003", "WP-T-800004", "WP-T-800005", "WP-T-800001", "WP-T-800002"]
    # The page follows the language of the request, and shows the names in it.
    assert references(handler_client.get(QUEUE, {"sorteer": "opleiding"})) == dutch
    response = handler_client.get(QUEUE, {"sorteer": "opleiding"}, **EN)
    assert references(response) == english
    page = response.content.decode()
    assert "Bricklaying test (dual)" in page and "Metselwerk test duaal" not in page
    assert re.search(r'aria-sort="ascending"><a class="govuk-link" href="[^"]*'
                     r'sorteer=-opleiding"[^>]*>Programme<', page)


def test_sort_by_province_follows_the_language(handler_client, demo_user, today, page_query):
    def make(reference, left, **unit):
        return make_application(reference=reference, unit=new_unit(**unit),
                                deadline=today + timedelta(days=left))

    make("WP-T-810001", 4, province_code="VOV")
    make("WP-T-810002", 1, province_code="VBR", postal_code="3000", municipality="Leuven")
    # No province on the unit: its postal code's (West Flanders) counts, as in the filter.
    make("WP-T-810003", 6, province_code="", postal_code="8000", municipality="Brugge")
    make("WP-T-810004", 9, province_code="VAN", postal_code="2000", municipality="Antwerpen")
    make("WP-T-810005", 8, province_code="VLI", postal_code="3500", municipality="Hasselt")
    # No province at all (a postal code that does not exist): last, then first when turned.
    make("WP-T-810006", 3, province_code="", postal_code="9999", municipality="Nergens")
    make("WP-T-810007", 2, province_code="VOV")
    me = demo_user("behandelaar-bouw")
    # Antwerpen < Limburg < Oost-Vlaanderen < Vlaams-Brabant < West-Vlaanderen < none.
    dutch = ["WP-T-810004", "WP-T-810005", "WP-T-810007", "WP-T-810001", "WP-T-810002",
             "WP-T-810003", "WP-T-810006"]
    # Antwerp < East Flanders < Flemish Brabant < Limburg < West Flanders < none.
    english = ["WP-T-810004", "WP-T-810007", "WP-T-810001", "WP-T-810002", "WP-T-810005",
               "WP-T-810003", "WP-T-810006"]
    assert sorted_references(me, "province", language="nl") == dutch
    assert sorted_references(me, "province", language="en") == english
    assert sorted_references(me, "province", descending=True, language="nl") == [
        "WP-T-810006", "WP-T-810003", "WP-T-810002", "WP-T-810007", "WP-T-810001",
        "WP-T-810005", "WP-T-810004"]
    assert references(handler_client.get(QUEUE, {"sorteer": "provincie"})) == dutch
    response = handler_client.get(QUEUE, {"sorteer": "provincie"}, **EN)
    assert references(response) == english
    page = response.content.decode()
    assert "<td class=\"govuk-table__cell\">West Flanders</td>" in row_of(page, "WP-T-810003")
    assert "<td class=\"govuk-table__cell\">—</td>" in row_of(page, "WP-T-810006")
    dutch_page = handler_client.get(QUEUE, {"sorteer": "-provincie"}).content.decode()
    assert "<td class=\"govuk-table__cell\">West-Vlaanderen</td>" in row_of(
        dutch_page, "WP-T-810003")


def test_sort_by_handler_puts_the_unassigned_last(handler_client, demo_user, today, page_query):
    from werkplek.accounts.models import Membership, Role, User

    me = demo_user("behandelaar-bouw")  # Bart Behandelaar
    partnership = me.memberships.get(role=Role.HANDLER).partnership

    def handler(username, first_name="", last_name=""):
        user = User.objects.create(username=username, first_name=first_name,
                                   last_name=last_name, email=f"{username}@werkplek.example")
        Membership.objects.create(user=user, role=Role.HANDLER, partnership=partnership)
        return user

    cora = handler("cora", "Cora", "Collega")
    adam = handler("adam")  # no name: shown, and sorted, by the user name
    zeger = handler("zeger", last_name="Zeger")  # a last name only
    for reference, who, left in [("WP-T-820001", None, 6), ("WP-T-820002", cora, 4),
                                 ("WP-T-820003", me, 5), ("WP-T-820004", zeger, 1),
                                 ("WP-T-820005", None, 2), ("WP-T-820006", adam, 9),
                                 ("WP-T-820007", me, 3)]:
        make_application(reference=reference, assigned_to=who,
                         deadline=today + timedelta(days=left))
    # adam < Bart Behandelaar < Cora Collega < Zeger (without regard to case), then nobody.
    ascending = ["WP-T-820006", "WP-T-820007", "WP-T-820003", "WP-T-820002", "WP-T-820004",
                 "WP-T-820005", "WP-T-820001"]
    descending = ["WP-T-820005", "WP-T-820001", "WP-T-820004", "WP-T-820002", "WP-T-820007",
                  "WP-T-820003", "WP-T-820006"]
    assert sorted_references(me, "handler") == ascending
    assert sorted_references(me, "handler", descending=True) == descending
    assert references(handler_client.get(QUEUE, {"sorteer": "behandelaar"})) == ascending
    response = handler_client.get(QUEUE, {"sorteer": "-behandelaar"}, **EN)
    assert references(response) == descending
    page = response.content.decode()
    assert ">adam</td>" in row_of(page, "WP-T-820006")
    assert ">Zeger</td>" in row_of(page, "WP-T-820004")
    assert re.search(r'aria-sort="descending"><a class="govuk-link" href="[^"]*'
                     r'sorteer=behandelaar"[^>]*>Case handler<', page)


@pytest.mark.parametrize("sort", ["termijn", "-ingediend", "referentie", "-onderneming",
                                  "opleiding", "-opleiding", "provincie", "-provincie",
                                  "behandelaar", "-behandelaar"])
def test_every_sort_with_every_filter(handler_client, demo_user, today, sort, page_query):
    from werkplek.catalog.models import Province

    me = demo_user("behandelaar-bouw")

    def bruges():  # no province on the unit: West Flanders through its postal code
        return new_unit(province_code="", postal_code="8000", municipality="Brugge")

    wanted = [make_application(assigned_to=me, deadline=today + timedelta(days=days),
                               unit=bruges()) for days in (2, 1)]
    make_application(assigned_to=me, deadline=today + timedelta(days=2))  # East Flanders
    make_application(deadline=today + timedelta(days=2), unit=bruges())  # nobody's
    make_application(assigned_to=me, deadline=today + timedelta(days=2), unit=bruges(),
                     programme="ruwbouw-duaal")
    params = {"opleiding": wanted[0].programme_id, "behandelaar": "ik", "termijn": "binnenkort",
              "provincie": Province.objects.get(code="VWV").pk, "sorteer": sort}
    response = handler_client.get(QUEUE, params)
    assert response.status_code == 200
    found = rows(response)
    assert {a.pk for a in found} == {a.pk for a in wanted}
    assert [a.province_name for a in found] == ["West-Vlaanderen"] * 2
    if sort.lstrip("-") in ("opleiding", "provincie", "behandelaar"):  # a tie: by deadline
        assert found == [wanted[1], wanted[0]]
    assert handler_client.get(QUEUE, {**params, "tab": "beslist"}).status_code == 200


@pytest.mark.parametrize("sort", selectors.QUEUE_SORTS)
def test_the_same_rows_can_be_read_again(demo_user, today, sort):
    """A page is a subquery of keys inside the query of the full rows; reading it twice, or
    the whole queryset after it, gives the same rows (no expression shared between them)."""
    from werkplek.catalog.models import Province

    for days in (3, 1, 2):
        make_application(deadline=today + timedelta(days=days),
                         unit=new_unit(province_code="", postal_code="8000",
                                       municipality="Brugge"))
    rows = selectors.queue(demo_user("behandelaar-bouw"), tab="new", sort=sort,
                           descending=True,
                           province_id=Province.objects.get(code="VWV").pk)
    first = [a.pk for a in rows[0:2]]
    assert [a.pk for a in rows[0:2]] == first
    assert rows[1:3][0].pk == first[1]
    assert [a.pk for a in rows.queryset][:2] == first
    assert rows.count() == 3


def test_sorting_the_finished_tabs_breaks_ties_by_the_latest_deadline(handler_client, today):
    older = make_application(state="approved", deadline=today - timedelta(days=30))
    newer = make_application(state="refused", deadline=today - timedelta(days=3))
    other = make_application(state="approved", programme="ruwbouw-duaal",
                             deadline=today - timedelta(days=10))
    # Dakwerker < Ruwbouw; within Dakwerker the latest deadline first, as the tab lists them.
    assert rows(handler_client.get(QUEUE, {"tab": "beslist", "sorteer": "opleiding"})) == [
        newer, older, other]


@pytest.mark.parametrize("sort", ["opleiding", "-provincie", "behandelaar", "onderneming"])
def test_pages_never_overlap_when_many_rows_tie(handler_client, today, sort, page_query):
    made = [make_application(deadline=today + timedelta(days=i % 5)) for i in range(55)]
    first = handler_client.get(QUEUE, {"sorteer": sort})
    second = handler_client.get(QUEUE + first.context["next_url"])
    found = rows(first) + rows(second)
    assert len(rows(first)) == 50 and len({a.pk for a in found}) == 55
    if sort == "onderneming":  # every enterprise has its own name: no ties
        return
    # Same programme, province and (no) handler: the deadline, then the primary key.
    assert [a.pk for a in found] == [a.pk for a in sorted(
        made, key=lambda a: (a.decision_deadline, a.pk))]


# --- completed applications and days left ----------------------------------------------------


def test_an_application_completed_after_a_request_is_marked(handler_client, demo_user, today,
                                                            page_query):
    from werkplek.accounts.models import Membership, Role
    from werkplek.applications import backoffice

    handler, employer = demo_user("behandelaar-bouw"), demo_user("werkgever")
    # Asked and completed on the same day: no day paused, the deadline did not move, but it
    # did come back (a "completed" event).
    same_day = make_application(reference="WP-T-830001")
    Membership.objects.create(user=employer, role=Role.EMPLOYER,
                              enterprise=same_day.enterprise)
    backoffice.request_completion(actor=handler, application_id=same_day.pk,
                                  message="Het uittreksel van de mentor ontbreekt.",
                                  sections=["mentors"])
    backoffice.complete(actor=employer, application_id=same_day.pk)
    same_day.refresh_from_db()
    assert same_day.state == "submitted" and same_day.paused_days == 0
    # Waited five days: the deadline moved.
    waited = make_application(reference="WP-T-830002", paused_days=5)
    plain = make_application(reference="WP-T-830003")

    response = handler_client.get(QUEUE, **EN)
    assert {a.reference: a.resubmitted for a in rows(response)} == {
        "WP-T-830001": True, "WP-T-830002": True, "WP-T-830003": False}
    page = response.content.decode()
    tag = "Completed by the applicant</strong>"
    moved = "Moved by 5 days of waiting for completion."
    assert tag in row_of(page, "WP-T-830001") and "Moved by" not in row_of(page, "WP-T-830001")
    assert tag in row_of(page, "WP-T-830002") and moved in row_of(page, "WP-T-830002")
    assert waited.decision_deadline.strftime("%d/%m/%Y") in row_of(page, "WP-T-830002")
    assert tag not in row_of(page, "WP-T-830003") and "Moved by" not in row_of(
        page, "WP-T-830003")
    assert plain.reference in page
    dutch = handler_client.get(QUEUE).content.decode()
    assert "5 dagen opgeschoven door het wachten op aanvulling." in row_of(dutch, "WP-T-830002")


@pytest.mark.parametrize(("left", "english", "dutch"), [
    (10, "10 days left", "nog 10 dagen"),
    (3, "3 days left", "nog 3 dagen"),
    (1, "1 day left", "nog 1 dag"),
    (0, "Today is the last day.", "Vandaag is de laatste dag."),
    (-1, "1 day past the deadline", "1 dag over de termijn"),
    (-4, "4 days past the deadline", "4 dagen over de termijn"),
])
def test_the_deadline_cell_says_how_many_days_are_left(handler_client, today, left, english,
                                                         dutch):
    make_application(state="in_progress", reference="WP-T-840001",
                     deadline=today + timedelta(days=left))
    page = handler_client.get(QUEUE, {"tab": "in-behandeling"}, **EN).content.decode()
    cell = row_of(page, "WP-T-840001")
    assert english in cell
    # Next to the flag, when there is one.
    flag = "Overdue" if left < 0 else "Due within 3 days" if left <= 3 else ""
    if flag:
        assert re.search(rf">{flag}</strong> {re.escape(english)}", cell)
    else:
        assert "govuk-tag" not in cell
    page = handler_client.get(QUEUE, {"tab": "in-behandeling"}).content.decode()
    assert dutch in row_of(page, "WP-T-840001")


def test_days_left_while_waiting_count_to_the_completion_date_and_not_when_decided(
        handler_client, today):
    make_application(state="waiting", reference="WP-T-850001",
                     submitted=today - timedelta(days=20),
                     completion_due=today + timedelta(days=9))
    make_application(state="approved", reference="WP-T-850002",
                     deadline=today + timedelta(days=2))
    page = handler_client.get(QUEUE, {"tab": "wacht-op-aanvrager"}, **EN).content.decode()
    assert "9 days left" in row_of(page, "WP-T-850001")
    page = handler_client.get(QUEUE, {"tab": "beslist"}, **EN).content.decode()
    row = row_of(page, "WP-T-850002")
    assert "left" not in row and "past the deadline" not in row


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


@pytest.mark.parametrize("sort", ["", "opleiding", "-provincie", "behandelaar"])
def test_the_queue_runs_the_same_queries_for_few_and_many_rows(
        handler_client, demo_user, today, django_assert_max_num_queries, sort, page_query):
    from werkplek.applications.models import ApplicationEvent

    me = demo_user("behandelaar-bouw")
    make_application(assigned_to=me, deadline=today + timedelta(days=1))
    params = {"provincie": "", "behandelaar": "", "termijn": "binnenkort", "sorteer": sort}
    # Both measured requests find the same kept state: the filters' reference records read
    # and the session's activity stamped (tests/performance counts a cold request).
    handler_client.get(QUEUE, params)
    with django_assert_max_num_queries(13) as few:
        handler_client.get(QUEUE, params)
    for i in range(60):
        application = make_application(
            assigned_to=me if i % 2 else None, deadline=today + timedelta(days=i % 4),
            programme="ruwbouw-duaal" if i % 3 else "dakwerker-duaal",
            paused_days=2 if i % 5 == 0 else 0,
            unit=new_unit(province_code="" if i % 7 == 0 else "VOV"))
        if i % 4 == 0:  # some came back, completed on the day they were asked
            ApplicationEvent.objects.create(application=application,
                                            kind=ApplicationEvent.Kind.COMPLETED)
    with django_assert_max_num_queries(13) as many:
        response = handler_client.get(QUEUE, params)
    assert len(rows(response)) == 50
    assert any(a.resubmitted for a in rows(response))
    assert len(many) == len(few)


def test_the_queue_runs_at_most_thirteen_queries(handler_client, today,
                                               django_assert_max_num_queries, page_query):
    for state in ("submitted", "in_progress", "proposed", "approved", "waiting"):
        for _ in range(3):
            make_application(state=state)
    # The session (read, and saved at most once a minute), the user, the partnerships handled,
    # the handlers, the tab counts, the rows, the programmes and the provinces, and the
    # banner of undelivered mail (failed letters, failed e-mails).
    for tab in ("nieuw", "beslist", "wacht-op-aanvrager"):
        for sort in ("onderneming", "opleiding", "-provincie", "behandelaar"):
            with django_assert_max_num_queries(13):
                handler_client.get(QUEUE, {"tab": tab, "sorteer": sort})
