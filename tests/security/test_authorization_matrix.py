"""The authorization matrix: every URL of the application and every operation of the API,
requested as every role and as outsiders, against what `matrix.py` says each may do.

The URLs come from the URL configuration (`get_resolver()`, walking includes; the Django admin's
own URLs are left out by a stated rule, `SKIPPED_NAMESPACES`) and the API's operations from its
OpenAPI schema (drf-spectacular), so a new URL or operation is found by itself:
`test_every_url_is_in_the_matrix` fails until it has an entry, and fails as well for an entry
whose URL is gone. The admin's index and staff two-factor have tests of their own.

The objects the URLs point at are built once for the module (`world`: the demo casework and
recognitions plus a few more, see `matrix.build_world`) in a transaction rolled back at the end;
each check runs in its own transaction on top of it, so an allowed action changes nothing for the
next. One test per URL entry and actor: `-k "applications:detail"`, `-k coach_expired`.

What is expected of each kind of actor (`Entry.expectation`):

- public: GET answers 200 (or a redirect, not to the login page); a POST never fails (5xx);
- anonymous: every request goes to the login page (an API request gets 401 or 403);
- allow: GET answers 200 (an action URL: a redirect or 405); the POST (empty, unless the entry
  gives data) is not refused (403, 404, the login page); an API write answers 2xx, or 400/409
  (the data or the state does not fit);
- readonly: GET as for allow; the POST (or the API write) changes nothing;
- deny: 403 or 404 (an action URL's GET: a redirect or 405), and the POST changes nothing.

Beside the status, an entry may name texts a page shows only to some (`Entry.shows`): what a
list shows is theirs only, a national register number is on no page in clear, the partnership's
internal note is for its handler. No response is ever a 5xx. Whether a request changed anything
is read from the database's own counters of written rows (SQLite `total_changes()`, PostgreSQL
`pg_stat_xact_user_tables`). Every response, whoever asked, carries the security headers
(`_header_problems`): the matrix is also the test of the headers on every page."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import import_module
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection, transaction
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from .matrix import (
    ACTORS,
    ANONYMOUS,
    API,
    ENTRIES,
    PAGES,
    Entry,
    FakeHTML,
    build_world,
    make_expired,
    make_revoked,
)

LOGIN_PATH = "/account/login/"
# The modules that render PDFs with WeasyPrint's HTML.
PDF_MODULES = ("werkplek.applications.declaration", "werkplek.notices.letters")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


# --- discovering the URLs -------------------------------------------------------------------------

# The Django admin's own URLs are left out by this rule: every pattern in the `admin` namespace
# (the admin site under /beheer/). The admin index is checked on its own (non-staff refused).
# Infrastructure (i18n's set_language, the JavaScript catalogue) is in the matrix, as public.
SKIPPED_NAMESPACES = frozenset({"admin"})
# The API's operations: checked per method from the OpenAPI schema. The schema and its
# documentation (/api/schema/, /api/docs/) are pages of the matrix like any other.
API_PREFIX = "/api/v1/"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # "/aanvragen/<int:pk>/", the pattern as written (regex patterns as regex)
    kwargs: tuple[str, ...]


def _pattern_text(pattern) -> str:
    return str(pattern.pattern)


def _walk(patterns, prefix: str = "", namespace: str = ""):
    from django.urls import URLPattern, URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            if inner.split(":")[0] in SKIPPED_NAMESPACES:
                continue
            yield from _walk(pattern.url_patterns, prefix + _pattern_text(pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed {prefix}{_pattern_text(pattern)}>"
            full = f"{namespace}:{name}" if namespace else name
            route = "/" + prefix + _pattern_text(pattern)
            kwargs = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route)) + tuple(
                re.findall(r"\(\?P<(\w+)>", route))
            yield Route(full, route, kwargs)


def discover_routes() -> list[Route]:
    """Every URL pattern of the root URL configuration, walking includes, but the admin's."""
    from django.urls import get_resolver

    return sorted(_walk(get_resolver().url_patterns), key=lambda r: r.name)


def schema_path(route: str) -> str:
    """The OpenAPI path of an API route: `<int:pk>` becomes `{id}` (drf-spectacular's
    coercion of the primary key), any other `<x:name>` becomes `{name}`."""

    def parameter(match: re.Match) -> str:
        name = match.group(1)
        return "{id}" if name == "pk" else "{" + name + "}"

    return re.sub(r"<(?:\w+:)?(\w+)>", parameter, route)


def api_routes(routes: list[Route]) -> list[Route]:
    return [route for route in routes if route.route.startswith(API_PREFIX)]


def page_routes(routes: list[Route]) -> list[Route]:
    """The routes the matrix checks as pages: everything but the API operations."""
    return [route for route in routes if not route.route.startswith(API_PREFIX)]


def discover_operations() -> list[tuple[str, str]]:
    """Every operation of the OpenAPI schema, as (METHOD, path)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted((method.upper(), path) for path, operations in schema["paths"].items()
                  for method in operations if method in HTTP_METHODS)


# --- the world ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def world_media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_media):
    """The objects of the matrix, built once for the module and rolled back after it."""
    from django.conf import settings

    previous = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = world_media
    try:
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                yield build_world()
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
    finally:
        settings.MEDIA_ROOT = previous


@pytest.fixture
def media_root(settings, world_media):
    """The world's uploaded files stay where the world put them (overrides tests/conftest)."""
    settings.MEDIA_ROOT = world_media
    return world_media


@pytest.fixture(autouse=True)
def matrix_settings(settings):
    """The matrix is about who may do what: no rate limit counts its thousands of requests,
    staff two-factor stays off (as with DEBUG=1; `test_staff_two_factor` switches it on), and
    PDFs (the declaration on honour, letters) are not really rendered: WeasyPrint takes
    seconds for each."""
    import importlib
    from contextlib import ExitStack
    from unittest import mock

    settings.WERKPLEK_RATE_LIMITS = False
    settings.STAFF_TWO_FACTOR = False
    with ExitStack() as stack:
        for name in PDF_MODULES:
            module = importlib.import_module(name)
            if hasattr(module, "HTML"):
                stack.enter_context(mock.patch.object(module, "HTML", FakeHTML))
        yield


# --- requests -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sessions(world):
    """A session for each signed-in actor, made once (in the world's transaction), and one
    test client for all the requests (a client loads the middleware on its first request;
    with DEBUG, WhiteNoise then indexes every static file: once is enough)."""
    from django.conf import settings
    from django.test import Client

    from werkplek.accounts.models import User
    from werkplek.core.middleware import SEEN_KEY

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    keys = {}
    for actor, pk in world.users.items():
        if pk is not None:
            client = Client()
            client.force_login(User.objects.get(pk=pk))
            key = client.cookies[settings.SESSION_COOKIE_NAME].value
            # Last seen long ago: every test's first request (in _client) writes the session, and
            # no checked request does, however long after this the test runs. Stamped now, a
            # test that straddled the minute after this would see its POST write the session.
            session = SessionStore(session_key=key)
            session[SEEN_KEY] = 0
            session.save()
            keys[actor] = key
    return {"keys": keys, "client": Client(headers={"accept-language": "en"})}


def _client(world, sessions, actor: str):
    """The test client, in the actor's session (without any other cookie of an earlier
    request). The coach whose mandate expired or was revoked gets them changed now, in the
    test's transaction."""
    from http.cookies import SimpleCookie

    from django.conf import settings
    from django.urls import reverse

    client = sessions["client"]
    client.cookies = SimpleCookie()
    if actor != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions["keys"][actor]
    # A session's first request in a while writes it (werkplek.core.middleware moves its
    # expiry): make that request now, so that the writes counted later are the checked ones.
    client.get(reverse("core:alive"))
    if actor == "coach_expired":
        make_expired(world)
    elif actor == "coach_revoked":
        make_revoked(world)
    return client


def _url(entry: Entry, world) -> str:
    from django.urls import reverse

    kwargs = {name: world.pk(obj) for name, obj in entry.kwargs.items()}
    if entry.is_api:
        path = entry.key.split(" ", 1)[1]
        url = re.sub(r"\{(\w+)\}", lambda m: str(kwargs[m.group(1)]), path)
    else:
        url = reverse(entry.key, kwargs=kwargs)
    return f"{url}?{entry.query}" if entry.query else url


def _data(entry: Entry, world) -> dict:
    """The entry's POST data, with "@name" (in a key or as a value) replaced by the world's
    object of that name."""

    def resolve(text: str) -> str:
        return re.sub(r"@([\w.]+)", lambda match: str(world.pk(match.group(1))), text)

    return {resolve(key): world.pk(value[1:]) if isinstance(value, str)
            and value.startswith("@") else value for key, value in entry.post.items()}


def _written() -> object:
    """A counter of the rows written in this transaction (any table)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT total_changes()")
            return cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del "
                           "FROM pg_stat_xact_user_tables WHERE n_tup_ins + n_tup_upd + "
                           "n_tup_del > 0 AND relname <> 'django_session'")
            return dict(cursor.fetchall())
    pytest.skip(f"No counter of written rows for {connection.vendor}.")


def _changes(before, after) -> str:
    if before == after:
        return ""
    if isinstance(before, dict):
        tables = sorted(t for t in after if after[t] != before.get(t))
        return "wrote to " + ", ".join(tables)
    return f"wrote {after - before} row(s)"


def _got(response) -> str:
    text = str(response.status_code)
    if response.status_code in (301, 302, 303, 307, 308):
        text += f" -> {response['Location']}"
    return text


def _to_login(response) -> bool:
    return response.status_code == 302 and urlsplit(response["Location"]).path == LOGIN_PATH


def _redirect_elsewhere(response) -> bool:
    return response.status_code in (301, 302, 303) and not _to_login(response)


def _request(client, method: str, url: str, data: dict | None = None):
    if method == "GET":
        response = client.get(url)
    elif url.startswith(API_PREFIX):
        response = client.generic(method, url, json.dumps(data or {}),
                                  content_type="application/json")
        if response.status_code == 415:  # an upload: the operation takes multipart only
            response = client.generic(method, url, encode_multipart(BOUNDARY, data or {}),
                                      content_type=MULTIPART_CONTENT)
    else:
        response = client.post(url, data or {})
    if response.streaming:
        # Read a download to its end: the test client then closes it (and its file) the way a
        # server does. (Closing it here would close the database connection as well.)
        response.body = b"".join(response.streaming_content)
    return response


# --- what is expected -----------------------------------------------------------------------------

def _shown(entry: Entry, actor: str, expected: str, response, world) -> list[str]:
    """Whether the page (or API answer) shows each of the entry's texts to exactly the actors
    it names."""
    if not entry.shows or expected not in ("allow", "readonly") or response.status_code != 200:
        return []
    body = (response.body if response.streaming else response.content).decode(errors="replace")
    problems = []
    for name, actors in entry.shows:
        value = world.pk(name)
        texts = [str(text) for text in (value if isinstance(value, tuple) else (value,))]
        found = [text for text in texts if text in body]
        if actor in actors and not found:
            problems.append(f"GET: expected {texts[0]!r} ({name}) on the page, it is not")
        elif actor not in actors and found:
            problems.append(f"GET: shows {found[0]!r} ({name}), which is not for this actor")
    return problems


def _page_problems(entry: Entry, expected: str, get, post, changed: str) -> list[str]:
    problems = []
    refused = {403, 404}
    if expected == "public":
        if not (get.status_code == 200 or _redirect_elsewhere(get)
                or (entry.post_only and get.status_code == 405)):
            problems.append(f"GET: expected 200 (public), got {_got(get)}")
    elif expected == "anonymous":
        for method, response in (("GET", get), ("POST", post)):
            if not _to_login(response):
                problems.append(f"{method}: expected a redirect to the login page, "
                                f"got {_got(response)}")
    elif expected in ("allow", "readonly"):
        if entry.post_only:
            if not (_redirect_elsewhere(get) or get.status_code == 405):
                problems.append(f"GET: expected a redirect or 405 (action URL), got {_got(get)}")
        elif not (get.status_code == 200 or _redirect_elsewhere(get)):
            problems.append(f"GET: expected 200, got {_got(get)}")
        if expected == "allow" and (post.status_code in refused or _to_login(post)):
            problems.append(f"POST: expected to be let in, got {_got(post)}")
    elif expected == "deny":
        ok = get.status_code in refused or (
            entry.post_only and (_redirect_elsewhere(get) or get.status_code == 405))
        if not ok:
            problems.append(f"GET: expected 403 or 404, got {_got(get)}")
        if post.status_code not in refused:
            problems.append(f"POST: expected 403 or 404, got {_got(post)}")
    if expected in ("anonymous", "readonly", "deny") and changed:
        problems.append(f"POST changed the database: {changed}")
    return problems


def _api_problems(entry: Entry, expected: str, response, changed: str) -> list[str]:
    status = response.status_code
    write = entry.method in WRITE_METHODS
    problems = []
    if expected == "public" and status != 200:
        problems.append(f"expected 200 (public), got {status}")
    elif expected == "anonymous" and status not in (401, 403):
        problems.append(f"expected 401 or 403, got {_got(response)}")
    elif expected == "allow":
        if write and not (200 <= status < 300 or status in (400, 409)):
            problems.append(f"expected 2xx (or 400/409 for the empty body), got {status}")
        elif not write and status != 200:
            problems.append(f"expected 200, got {status}")
    elif expected == "readonly":
        if write and status not in (400, 403, 404, 409):
            problems.append(f"expected 400, 403, 404 or 409, got {status}")
        elif not write and status != 200:
            problems.append(f"expected 200, got {status}")
    elif expected == "deny" and status not in entry.refused:
        problems.append(f"expected {' or '.join(map(str, sorted(entry.refused)))}, "
                        f"got {status}")
    if expected in ("anonymous", "readonly", "deny") and changed:
        problems.append(f"{entry.method} changed the database: {changed}")
    return problems


# The headers every response carries (Django's SecurityMiddleware, XFrameOptionsMiddleware).
EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# What the Content Security Policy of an HTML page must say (settings.SECURE_CSP).
CSP_DIRECTIVES = ("default-src 'self'", "style-src 'self'", "object-src 'none'",
                  "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'")
# A document (a letter, an upload, an export) is downloaded, never shown in the site's origin.
DOCUMENT_TYPES = ("application/pdf", "image/", "text/csv", "application/zip")
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def _header_problems(method: str, response, *, signed_in: bool) -> list[str]:
    """The security headers of one response: the same on every page, for every actor.

    Every response: no content sniffing, no framing, no referrer to other sites, its own
    browsing context. An HTML page: a strict Content Security Policy with a fresh nonce (no
    'unsafe-inline' or 'unsafe-eval'), carried by every script, and nothing that policy would
    block (inline styles, event-handler attributes, javascript: links). A page for a signed-in
    person: kept by no cache. A download: an attachment. (HSTS and secure cookies are for
    production: `tests/test_settings.py`.)"""
    problems = [f"{method}: {name} is {response.get(name)!r}, not {value!r}"
                for name, value in EVERY_RESPONSE.items() if response.get(name) != value]
    content_type = response.get("Content-Type", "")
    body = response.body if response.streaming else response.content
    if signed_in and response.status_code == 200 and "no-store" not in response.get(
            "Cache-Control", "") and not response.get("Cache-Control", "").startswith("public"):
        problems.append(f"{method}: a signed-in page without Cache-Control no-store "
                        f"({response.get('Cache-Control')!r})")
    if content_type.startswith(DOCUMENT_TYPES) and not response.get(
            "Content-Disposition", "").startswith("attachment"):
        problems.append(f"{method}: a document ({content_type}) not as an attachment")
    if not content_type.startswith("text/html") or not body:
        return problems
    policy = response.get("Content-Security-Policy", "")
    missing = [directive for directive in CSP_DIRECTIVES if directive not in policy]
    if missing:
        problems.append(f"{method}: the Content-Security-Policy lacks {missing}: {policy!r}")
    if "unsafe-" in policy:
        problems.append(f"{method}: the Content-Security-Policy allows something unsafe")
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", policy)
    html = body.decode(errors="replace")
    scripts = re.findall(r"<script\b[^>]*>", html)
    # A script from the site's own files runs under 'self'; one written in the page only with
    # the nonce of this response. A nonce on a tag is always this response's.
    expected_nonce = f'nonce="{nonce.group(1)}"' if nonce else None
    for tag in scripts:
        if ("nonce=" in tag or " src=" not in tag) and (
                expected_nonce is None or expected_nonce not in tag):
            problems.append(f"{method}: a script without this response's nonce: {tag}")
    if "<style" in html or re.search(r"\sstyle=", html):
        problems.append(f"{method}: an inline style, which the policy blocks")
    if INLINE_HANDLER.search(html) or "javascript:" in html:
        problems.append(f"{method}: inline JavaScript, which the policy blocks")
    return problems


def _params():
    for entry in ENTRIES:
        for actor in ACTORS:
            marks = []
            if actor in entry.xfail:
                marks.append(pytest.mark.xfail(strict=True, reason=entry.xfail[actor]))
            yield pytest.param(entry, actor, id=f"{entry.id}-{actor}", marks=marks)


# --- the matrix -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("entry", "actor"), list(_params()))
def test_authorization_matrix(world, sessions, db, entry: Entry, actor: str):
    client = _client(world, sessions, actor)
    url = _url(entry, world)
    expected = entry.expectation(actor)
    if entry.is_api:
        before = _written()
        response = _request(client, entry.method, url, _data(entry, world))
        changed = _changes(before, _written())
        problems = _api_problems(entry, expected, response, changed)
        problems += _shown(entry, actor, expected, response, world)
        responses = [(entry.method, response)]
    else:
        get = _request(client, "GET", url)
        before = _written()
        post = _request(client, "POST", url, _data(entry, world))
        changed = _changes(before, _written())
        problems = _page_problems(entry, expected, get, post, changed)
        problems += _shown(entry, actor, expected, get, world)
        responses = [("GET", get), ("POST", post)]
    five_hundreds = [f"{method}: server error {response.status_code}"
                     for method, response in responses if response.status_code >= 500]
    headers = [problem for method, response in responses
               for problem in _header_problems(method, response, signed_in=actor != ANONYMOUS)]
    problems = five_hundreds + problems + headers
    assert not problems, (
        f"\n  URL:      {entry.method if entry.is_api else 'GET/POST'} {url} ({entry.id})"
        f"\n  actor:    {actor}"
        f"\n  expected: {expected}"
        f"\n  got:      " + "\n            ".join(problems))


def test_the_header_check_finds_what_is_wrong():
    """`_header_problems` is not a check that cannot fail: a page that lacks what it should
    have, or has what the policy blocks, is reported for each."""
    from django.http import HttpResponse

    good_policy = ("default-src 'self'; script-src 'self' 'nonce-abc'; style-src 'self'; "
                   "object-src 'none'; base-uri 'self'; form-action 'self'; "
                   "frame-ancestors 'none'")
    page = ('<html><script nonce="abc">go()</script><script src="/static/a.js"></script>'
            "</html>")

    def response(body=page, policy=good_policy, **headers):
        result = HttpResponse(body)
        for name, value in {**EVERY_RESPONSE, "Content-Security-Policy": policy,
                            "Cache-Control": "no-store, private", **headers}.items():
            result[name] = value
        return result

    assert _header_problems("GET", response(), signed_in=True) == []
    bad = {
        "nosniff": response(**{"X-Content-Type-Options": ""}),
        "framing": response(**{"X-Frame-Options": "SAMEORIGIN"}),
        "policy": response(policy="default-src 'self'"),
        "unsafe": response(policy=good_policy + "; script-src 'unsafe-inline'"),
        "nonce": response(body='<script nonce="xyz">go()</script>'),
        "inline script": response(body="<script>go()</script>"),
        "style": response(body='<p style="color: red">'),
        "handler": response(body='<a href="#" onclick="go()">'),
        "cache": response(**{"Cache-Control": "max-age=600"}),
        "attachment": response(body=b"%PDF", **{"Content-Type": "application/pdf",
                                                 "Content-Disposition": "inline"}),
    }
    for what, wrong in bad.items():
        assert _header_problems("GET", wrong, signed_in=True), what


# --- the matrix covers every URL ------------------------------------------------------------------

def test_every_url_is_in_the_matrix():
    """Every URL name of the URL configuration (but the admin's) has an entry, every API
    operation of the schema has one, and no entry is left for a URL or operation that is gone.
    An entry's URL arguments are the URL's."""
    routes = discover_routes()
    unnamed = [r.route for r in routes if r.name.startswith("<unnamed")]
    assert not unnamed, f"URLs without a name cannot have a matrix entry: {unnamed}"

    found_pages = {r.name for r in page_routes(routes)}
    matrix_pages = {e.key for e in PAGES}
    missing = sorted(found_pages - matrix_pages)
    stale = sorted(matrix_pages - found_pages)

    operations = {f"{method} {path}" for method, path in discover_operations()}
    matrix_api = {e.key for e in API}
    missing += sorted(operations - matrix_api)
    stale += sorted(matrix_api - operations)
    assert not (missing or stale), (
        f"\n  URLs and API operations without an entry in the matrix: {missing}"
        f"\n  matrix entries for URLs or API operations that are gone: {stale}")

    # Every API route is in the schema: an operation left out of it would escape the matrix.
    schema_paths = {path for _method, path in discover_operations()}
    hidden = sorted(schema_path(r.route) for r in api_routes(routes)
                    if schema_path(r.route) not in schema_paths)
    assert not hidden, f"API routes missing from the OpenAPI schema: {hidden}"

    by_name = {r.name: r for r in routes}
    wrong = []
    for entry in PAGES:
        if entry.key in by_name and set(by_name[entry.key].kwargs) != set(entry.kwargs):
            wrong.append(f"{entry.id}: the URL takes {sorted(by_name[entry.key].kwargs)}, "
                         f"the entry gives {sorted(entry.kwargs)}")
    for entry in API:
        wanted = set(re.findall(r"\{(\w+)\}", entry.key))
        if wanted != set(entry.kwargs):
            wrong.append(f"{entry.id}: the path takes {sorted(wanted)}, the entry gives "
                         f"{sorted(entry.kwargs)}")
    assert not wrong, "\n".join(wrong)


def test_matrix_size():
    """How many checks the matrix makes (shown with -s)."""
    print(f"\nauthorization matrix: {len({e.key for e in PAGES})} URL names in {len(PAGES)} "
          f"page entries, {len({e.key for e in API})} API operations in {len(API)} entries, "
          f"{len(ACTORS)} actors: {len(ENTRIES)} x {len(ACTORS)} = "
          f"{len(ENTRIES) * len(ACTORS)} checks")
    # Every actor the issue names is in it, and every entry is checked as each of them.
    assert {"anonymous", "other_representative", "other_coach", "other_handler",
            "coach_expired", "coach_revoked"} <= set(ACTORS)
    assert len(list(_params())) == len(ENTRIES) * len(ACTORS)


# --- the admin, and staff two-factor --------------------------------------------------------------

def test_admin_refuses_everyone_but_staff(world, sessions, db):
    """The Django admin's URLs are not in the matrix; its index lets in only staff (the
    administrator) and sends anyone else to the admin's login."""
    from django.urls import reverse

    url = reverse("admin:index")
    login = reverse("admin:login")
    problems = []
    for actor in ACTORS:
        response = _client(world, sessions, actor).get(url)
        if actor == "administrator":
            if response.status_code != 200:
                problems.append(f"{actor}: expected 200, got {_got(response)}")
        elif not (response.status_code == 302
                  and urlsplit(response["Location"]).path == login):
            problems.append(f"{actor}: expected a redirect to {login}, got {_got(response)}")
    assert not problems, f"GET {url}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("actor", ["handler", "voter", "appeal_committee", "administrator"])
def test_staff_two_factor(world, sessions, db, settings, actor):
    """With staff two-factor on (production), a staff role that did not verify a second factor
    is sent to set one up, or, with a device, to verify it, on staff pages and in the API; an
    enterprise user is not."""
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.STAFF_TWO_FACTOR = True
    client = _client(world, sessions, actor)
    urls = [reverse("applications:queue"), reverse("appeals:queue"), "/api/v1/applications/",
            reverse("admin:index")]
    for target in ("two_factor_setup", "two_factor_verify"):
        if target == "two_factor_verify":
            from werkplek.accounts.models import User

            TOTPDevice.objects.create(user=User.objects.get(pk=world.users[actor]),
                                      name="Telefoon", confirmed=True)
        for url in urls:
            response = client.get(url)
            location = urlsplit(response.get("Location", ""))
            assert response.status_code == 302 \
                and location.path == reverse(f"accounts:{target}") \
                and parse_qs(location.query).get("next") == [url], (
                f"GET {url} as {actor} without a verified second factor: expected a redirect "
                f"to accounts:{target}?next={url}, got {_got(response)}")

    enterprise = _client(world, sessions, "representative")
    assert enterprise.get(reverse("applications:list")).status_code == 200
