"""Query budgets: the pages that list rows read them in a fixed number of SQL queries.

Each page is asked once to warm up (the session, the token's first use, the places read once per
process), then at 1 row and at 50 rows (the search shows 25 of them a page; a unit holds at
most one recognition per programme, so the workplace page lists every other programme of the
catalogue: 47). The number of queries must be the same at both, and
equal to the page's budget below: a new query anywhere (a middleware, a context processor, a
template tag) fails the test, and whoever adds it raises the budget here, knowingly.

The budgets are the same on SQLite and PostgreSQL. A logged-in page reads its session and user;
it writes the session only when its expiry moves (at most once a minute, in the warm-up here)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.applications.queue_factory import make_application

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
MANY = 50

# Each page's queries, whatever the number of rows. A logged-in page reads the session and the
# user and saves the session (a savepoint, the update, its release): 5 of its budget.
BUDGETS = {
    # The province of the filter; the programmes matching the text; the count and the ids of
    # the page (once, then kept in the cache: `register.selectors.SearchResults`); the page of
    # rows by id (with their enterprise, unit, province, programme, sector and partnership).
    # Measured with an empty cache. The form's provinces, partnerships and sectors are read
    # once per process (`catalog.fields`), in the warm-up.
    "register_search": 5,
    # The same without a province or programme filter; the postal codes within the radius come
    # from the places read once per process.
    "register_search_radius": 3,
    # The recognition with what its page shows; the other programmes at its unit.
    "register_workplace": 2,
    # The session and the user, the partnerships handled, their handlers, the tab counts, the
    # page of rows, two probes for failed letters and e-mails (the banner; its lists are read
    # only when one failed). The programmes and provinces of the filters are read once per
    # process; the session's activity is written at most once a minute (core.middleware).
    "applications_queue": 8,
    # The application (with its enterprise, partnership and routing rule), its unit, its
    # programme and its people (four small queries rather than one join of fourteen tables:
    # see `access.case_application`); may this handler open it; its mentors and their
    # documents, its documents, the routing rules and the partnership's extra documents (the
    # conditions), events, notes, investigation, votes, the handlers to assign to, the
    # e-mails sent.
    "applications_case": 18,
    # The memberships (once, for the roles table and the statistics' scope; the staff
    # two-factor check reads the roles when it is on), the support actions to answer, the
    # recognitions ending, the agreements to confirm, the saved self-scan.
    "accounts_dashboard": 7,
    # One page of rows with its relations (cursor pagination: no count).
    "api_register_list": 1,
    # The token, its partnership, the handler's membership, the page of rows.
    "api_applications_list": 4,
    # The whole register in one query, read with an iterator.
    "register_export_csv": 1,
}


class Measured:
    """A response, its body and the SQL its request ran."""

    def __init__(self, response, sql: list[str], content: bytes):
        self.response, self.sql, self.content = response, sql, content

    def text(self) -> str:
        return self.content.decode()


def measure(get) -> Measured:
    """Run `get` (a request) and count its queries; a streamed body is read inside the count,
    since its rows are read while it streams."""
    with CaptureQueriesContext(connection) as queries:
        response = get()
        content = (b"".join(response.streaming_content) if response.streaming
                   else response.content)
    return Measured(response, [query["sql"] for query in queries.captured_queries], content)


def _short(statement: str) -> str:
    return statement if len(statement) <= 400 else f"{statement[:250]} … {statement[-140:]}"


def _listing(sql: list[str]) -> str:
    return "\n".join(f"  {i:>2}. {_short(statement)}" for i, statement in enumerate(sql, 1))


def assert_budget(name: str, one: Measured, many: Measured) -> None:
    assert one.response.status_code == 200, one.response.status_code
    assert many.response.status_code == 200, many.response.status_code
    assert len(many.sql) == len(one.sql), (
        f"{name}: {len(one.sql)} queries at 1 row, {len(many.sql)} at {MANY} rows.\n"
        f"At 1 row:\n{_listing(one.sql)}\nAt {MANY} rows:\n{_listing(many.sql)}")
    assert len(one.sql) == BUDGETS[name], (
        f"{name}: {len(one.sql)} queries, the budget is {BUDGETS[name]}: if the new query is "
        f"needed, raise the budget.\n{_listing(one.sql)}")


# --- 1. the public register's search --------------------------------------------------------


def _workplace_links(content: str, recognitions) -> int:
    return sum(f'href="{reverse("register:workplace", args=[r.pk])}"' in content
               for r in recognitions)


@pytest.mark.parametrize("name, params, unit_fields", [
    # A programme (part of its name) and a province.
    pytest.param("register_search", {"opleiding": "dak", "provincie": "VOV"},
                 lambda i: {"postal_code": "9000", "province": "VOV"}, id="programme+province"),
    # A place and a radius: sorted by distance.
    pytest.param("register_search_radius", {"plaats": "9000", "straal": "25"},
                 lambda i: {"postal_code": "9000" if i % 2 else "9050"}, id="place+radius"),
])
def test_register_search(client, make_recognition, name, params, unit_fields):
    search = reverse("register:search")

    def get():
        return client.get(search, params, **EN)

    # Half of them without contact details: the partnership's are shown instead.
    made = [make_recognition(email="info@een.example", **unit_fields(0))]
    get()
    cache.clear()  # a search not kept in the cache yet: its count and its page's ids are read
    one = measure(get)
    assert 'id="results-title">1 recognised workplace</h2>' in one.text()
    assert _workplace_links(one.text(), made) == 1
    made += [make_recognition(email="" if i % 2 else f"info{i}@example.be", **unit_fields(i))
             for i in range(1, MANY)]
    cache.clear()
    many = measure(get)
    # 25 a page: the first page of the fifty.
    assert f'id="results-title">{MANY} recognised workplaces</h2>' in many.text()
    assert len(many.response.context["page"].object_list) == 25
    assert _workplace_links(many.text(), made) == 25
    assert_budget(name, one, many)


# --- 2. one workplace of the register, with the other programmes at its unit -------------------


def test_register_workplace(client, make_recognition, make_unit):
    from werkplek.catalog.models import Programme

    unit = make_unit(email="info@een.example")
    programmes = list(Programme.objects.order_by("pk").values_list("code", flat=True))
    shown = make_recognition(unit=unit, programme=programmes[0])
    others = [make_recognition(unit=unit, programme=programmes[1])]
    page = reverse("register:workplace", args=[shown.pk])

    def get():
        return client.get(page, **EN)

    get()
    one = measure(get)
    assert one.response.context["others"] == others
    assert _workplace_links(one.text(), others) == 1
    # One active recognition per unit and programme: the unit can hold every other programme
    # of the catalogue, not more.
    others += [make_recognition(unit=unit, programme=code) for code in programmes[2:MANY + 1]]
    many = measure(get)
    assert len(many.response.context["others"]) == len(others) == min(MANY, len(programmes) - 1)
    assert _workplace_links(many.text(), others) == len(others)
    assert_budget("register_workplace", one, many)


# --- 3. the case handler's queue -------------------------------------------------------------


@pytest.fixture
def handler_client(client, demo_user, settings):
    # As the other back-office tests: no one-time code here (see accounts/test_views.py for the
    # two-factor step itself).
    settings.STAFF_TWO_FACTOR = False
    client.force_login(demo_user("behandelaar-bouw"))
    return client


def test_applications_queue(handler_client, demo_user, today):
    from werkplek.applications.models import ApplicationEvent

    me = demo_user("behandelaar-bouw")
    queue = reverse("applications:queue")

    def get():
        return handler_client.get(queue, **EN)

    made = [make_application(assigned_to=me, deadline=today + timedelta(days=1))]
    get()
    one = measure(get)
    assert list(one.response.context["page"].object_list) == made
    for i in range(1, MANY):
        application = make_application(
            assigned_to=me if i % 2 else None, deadline=today + timedelta(days=i % 12),
            programme="ruwbouw-duaal" if i % 3 else "dakwerker-duaal",
            paused_days=2 if i % 5 == 0 else 0)
        if i % 4 == 0:  # some came back, completed on the day they were asked
            ApplicationEvent.objects.create(application=application,
                                            kind=ApplicationEvent.Kind.COMPLETED)
        made.append(application)
    many = measure(get)
    rows = list(many.response.context["page"].object_list)
    assert len(rows) == MANY and set(rows) == set(made)
    assert all(f">{a.reference}</a>" in many.text() for a in made)
    assert_budget("applications_queue", one, many)


# --- 4. the case page and its timeline -------------------------------------------------------


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_applications_case(handler_client, demo_user, ready_draft, make_mentor):
    from werkplek.applications import backoffice, services
    from werkplek.applications.models import ApplicationEvent, ApplicationMentor, Document

    handler, employer = demo_user("behandelaar-bouw"), demo_user("werkgever")
    services.submit(actor=employer, application_id=ready_draft.pk)
    case = backoffice.mark_complete(actor=handler, application_id=ready_draft.pk)
    page = reverse("applications:case", args=[case.pk])

    def get():
        return handler_client.get(page, **EN)

    def timeline(measured) -> int:
        return measured.text().count('<li class="wp-timeline__item')

    get()
    one = measure(get)
    # A case as the services leave it: one mentor with a document, a few events.
    events = case.events.count()
    assert timeline(one) == events < 10
    assert len(one.response.context["mentors"]) == 1
    assert len(one.response.context["documents"]) == 2
    kinds = [ApplicationEvent.Kind.INVESTIGATION, ApplicationEvent.Kind.MESSAGE,
             ApplicationEvent.Kind.ASSIGNED, ApplicationEvent.Kind.NOTICE_SENT]
    for i in range(MANY - events):
        ApplicationEvent.objects.create(application=case, kind=kinds[i % len(kinds)],
                                        actor=(handler, employer, None)[i % 3],
                                        message=f"Stap {i}")
    for i in range(MANY - 1):
        entry = ApplicationMentor.objects.create(
            application=case, mentor=make_mentor(last_name=f"Mentor{i:02d}"),
            years_of_experience=5 + i % 10, training=ApplicationMentor.Training.DONE)
        Document.objects.create(
            application=case, kind=Document.Kind.CRIMINAL_RECORD_EXTRACT, mentor=entry,
            original_name=f"uittreksel-{i}.pdf", content_type="application/pdf",
            size=len(PDF), sha256="0" * 64, uploaded_by=employer,
            file=SimpleUploadedFile(f"uittreksel-{i}.pdf", PDF))
    many = measure(get)
    assert timeline(many) == MANY
    assert len(many.response.context["mentors"]) == MANY
    assert len(many.response.context["documents"]) == MANY + 1
    assert all(f"Mentor{i:02d}" in many.text() for i in range(MANY - 1))
    assert_budget("applications_case", one, many)


# --- 5. the dashboard of an enterprise's representative ----------------------------------------


def test_accounts_dashboard(client, demo_user, demo_enterprise, make_recognition, today):
    from werkplek.catalog.models import Programme
    from werkplek.recognitions.models import SupportAction

    representative, handler = demo_user("vertegenwoordiger"), demo_user("behandelaar-bouw")
    # One active recognition per unit and programme: the demo enterprise's units, each with
    # the programmes of the catalogue.
    places = [(unit, code) for code in Programme.objects.order_by("pk")
              .values_list("code", flat=True) for unit in demo_enterprise.units.order_by("pk")]
    assert len(places) >= MANY

    def add(unit, code):
        # A recognition that ends within 6 months, with a support action to answer, and an
        # application for the same programme (the dashboard links to the list, counts none).
        recognition = make_recognition(unit=unit, programme=code,
                                       valid_from=today - timedelta(days=5 * 365 - 30),
                                       valid_until=today + timedelta(days=30))
        SupportAction.objects.create(recognition=recognition, improvement="Meer begeleiding",
                                     due_on=today + timedelta(days=10), created_by=handler)
        make_application(unit=unit, programme=code, created_by=representative)

    client.force_login(representative)
    dashboard = reverse("accounts:dashboard")

    def get():
        return client.get(dashboard, **EN)

    add(*places[0])
    get()
    one = measure(get)
    assert "1 recognition ends within 6 months" in one.text()
    assert "1 support action waits for your answer" in one.text()
    for place in places[1:MANY]:
        add(*place)
    many = measure(get)
    assert f"{MANY} recognitions end within 6 months" in many.text()
    assert f"{MANY} support actions wait for your answer" in many.text()
    assert_budget("accounts_dashboard", one, many)


# --- 6. the API: the public register, and a partnership's applications -----------------------


def test_api_register_list(api, make_recognition):
    def get():
        return api.get("/api/v1/register/")

    made = [make_recognition(email="info@een.example")]
    get()
    one = measure(get)
    assert [item["id"] for item in one.response.json()["results"]] == [made[0].pk]
    made += [make_recognition(email="" if i % 2 else f"info{i}@example.be",
                              postal_code="9000" if i % 2 else "2000",
                              municipality="Gent" if i % 2 else "Antwerpen",
                              province="VOV" if i % 2 else "VAN")
             for i in range(1, MANY)]
    many = measure(get)
    assert {item["id"] for item in many.response.json()["results"]} == {r.pk for r in made}
    assert_budget("api_register_list", one, many)


def test_api_applications_list(as_handler, today):
    def get():
        return as_handler.get("/api/v1/applications/")

    made = [make_application(deadline=today + timedelta(days=3))]
    get()  # the first use of the token records when it was used
    one = measure(get)
    assert [item["id"] for item in one.response.json()["results"]] == [made[0].pk]
    made += [make_application(state=("submitted", "in_progress", "waiting", "proposed")[i % 4],
                              programme="ruwbouw-duaal" if i % 3 else "dakwerker-duaal")
             for i in range(1, MANY)]
    many = measure(get)
    assert {item["id"] for item in many.response.json()["results"]} == {a.pk for a in made}
    assert_budget("api_applications_list", one, many)


# --- 7. the open data: the whole register as CSV -----------------------------------------------


def test_register_export_csv(client, make_recognition):
    export = reverse("register:export_csv")

    def get():
        return client.get(export)

    def data_rows(measured) -> int:
        return len(measured.text().splitlines()) - 1  # the header

    made = [make_recognition()]
    get()
    one = measure(get)
    assert data_rows(one) == 1 and f"{made[0].pk}," in one.text()
    made += [make_recognition(province=None if i % 5 == 0 else "VOV") for i in range(1, MANY)]
    many = measure(get)
    assert data_rows(many) == MANY
    assert all(f"\n{r.pk}," in many.text() for r in made)
    assert_budget("register_export_csv", one, many)
