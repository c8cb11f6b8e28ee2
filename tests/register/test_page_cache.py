"""The register's public pages kept whole for anonymous visitors (werkplek.core.pagecache): a
second visit is served from the cache with one query, each response with its own CSP nonce and
CSRF token, never a recognition that is no longer in force, never a signed-in person's page,
and a fresh page as soon as the register changes."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from werkplek.core.pagecache import CSRF_MARK, NONCE_MARK

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NL = {"HTTP_ACCEPT_LANGUAGE": "nl"}
SEARCH = {"opleiding": "dak", "provincie": "VOV"}


def _nonce(response) -> str:
    header = response["Content-Security-Policy"]
    return re.search(r"'nonce-([^']+)'", header).group(1)


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def test_a_second_visit_is_served_from_the_cache_with_its_own_nonce_and_token(
        make_recognition, django_assert_max_num_queries):
    shown = make_recognition(enterprise_name="Dakwerken Vandamme BV")
    search = reverse("register:search")
    first = Client().get(search, SEARCH, **EN)
    with django_assert_max_num_queries(1):  # is every shown recognition still in force?
        second = Client().get(search, SEARCH, **EN)
    assert first.status_code == second.status_code == 200
    assert "Dakwerken Vandamme BV" in second.text
    assert reverse("register:workplace", args=[shown.pk]) in second.text
    # Each response its own nonce, in the header and on every script of the page.
    for response in (first, second):
        nonce = _nonce(response)
        assert response.text.count(f'nonce="{nonce}"') == response.text.count("<script") >= 2
        assert NONCE_MARK not in response.text and CSRF_MARK not in response.text
    assert _nonce(first) != _nonce(second)
    assert _token(first) != _token(second)
    # Apart from them, the very same page.
    def bare(response):
        return response.text.replace(_nonce(response), "").replace(_token(response), "")
    assert bare(first) == bare(second)
    assert second["Content-Language"] == "en"
    assert "Cookie" in second["Vary"] and "Accept-Language" in second["Vary"]


def test_the_kept_pages_language_switch_works_with_the_visitors_own_cookie(make_recognition):
    make_recognition()
    search = reverse("register:search")
    Client().get(search, SEARCH, **NL)  # kept
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(search, SEARCH, **NL)
    switched = visitor.post(reverse("set_language"), {
        "csrfmiddlewaretoken": _token(page), "language": "en",
        "next": f"{search}?opleiding=dak&provincie=VOV"})
    assert switched.status_code == 302
    assert visitor.get(search, SEARCH).text.count("recognised workplace") >= 1


def test_each_language_its_own_page(make_recognition):
    make_recognition()
    search = reverse("register:search")
    dutch = Client().get(search, SEARCH, **NL)
    english = Client().get(search, SEARCH, **EN)
    assert dutch["Content-Language"] == "nl" and '<html lang="nl"' in dutch.text
    assert english["Content-Language"] == "en" and '<html lang="en"' in english.text


def test_a_recognition_withdrawn_without_a_signal_is_not_shown_from_the_cache(make_recognition):
    """A bulk update sends no signal and bumps no version: the kept page is still not served,
    because what it shows is checked against the register on every visit."""
    from werkplek.recognitions.models import Recognition

    shown = make_recognition(enterprise_name="Dakwerken Vandamme BV")
    search = reverse("register:search")
    workplace = reverse("register:workplace", args=[shown.pk])
    assert "Dakwerken Vandamme BV" in Client().get(search, SEARCH, **EN).text
    assert Client().get(workplace, **EN).status_code == 200
    Recognition.objects.filter(pk=shown.pk).update(state="withdrawn")
    assert "Dakwerken Vandamme BV" not in Client().get(search, SEARCH, **EN).text
    assert Client().get(workplace, **EN).status_code == 404


def test_a_change_to_the_register_shows_at_once(make_recognition,
                                                django_capture_on_commit_callbacks):
    shown = make_recognition(enterprise_name="Dakwerken Vandamme BV")
    search = reverse("register:search")
    Client().get(search, SEARCH, **EN)
    enterprise = shown.enterprise
    enterprise.name = "Dakwerken Vandamme & Zonen BV"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enterprise.save()  # bumps the register's version, and again when committed
    assert callbacks
    assert "Dakwerken Vandamme &amp; Zonen BV" in Client().get(search, SEARCH, **EN).text
    added = make_recognition(enterprise_name="Daken Peeters")
    assert "Daken Peeters" in Client().get(search, SEARCH, **EN).text
    assert added.pk


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_visitor_with_a_session_or_a_message_gets_a_page_of_their_own(
        make_recognition, cookie):
    make_recognition()
    search = reverse("register:search")
    Client().get(search, SEARCH, **EN)  # kept
    visitor = Client()
    visitor.cookies[cookie] = "x"
    with CaptureQueriesContext(connection) as queries:
        assert visitor.get(search, SEARCH, **EN).status_code == 200
    assert len(queries) >= 2  # rendered again (the page's rows read), not the kept page


def test_a_signed_in_person_never_gets_or_leaves_a_kept_page(client, make_recognition,
                                                             demo_user):
    make_recognition()
    search = reverse("register:search")
    client.force_login(demo_user("werkgever"))
    mine = client.get(search, SEARCH, **EN)
    assert "Log out" in mine.text
    anonymous = Client().get(search, SEARCH, **EN)
    assert "Log out" not in anonymous.text and "Log in" in anonymous.text
    again = client.get(search, SEARCH, **EN)
    assert "Log out" in again.text


def test_an_error_page_is_not_kept(make_recognition):
    from werkplek.recognitions.models import Recognition

    suspended = make_recognition(state="withdrawn")
    page = reverse("register:workplace", args=[suspended.pk])
    assert Client().get(page, **EN).status_code == 404
    Recognition.objects.filter(pk=suspended.pk).update(state="active")  # no version bump
    assert Client().get(page, **EN).status_code == 200


# --- the register's API: a page of the list kept rendered, after the throttles --------------

API = "/api/v1/register/"


def test_the_apis_list_is_served_again_from_the_cache_with_its_etag(
        make_recognition, django_assert_max_num_queries):
    from rest_framework.test import APIClient

    make_recognition(enterprise_name="Dakwerken Vandamme BV")
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    first = api.get(API, {"province": "VOV"})
    with django_assert_max_num_queries(1):
        second = api.get(API, {"province": "VOV"})
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second.json()["results"][0]["enterprise"]["name"] == "Dakwerken Vandamme BV"
    for header in ("ETag", "Cache-Control", "Content-Type", "Content-Language"):
        assert second[header] == first[header], header
    assert set(first["Vary"].split(", ")) == set(second["Vary"].split(", "))
    with django_assert_max_num_queries(1):
        current = api.get(API, {"province": "VOV"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert current.status_code == 304 and current["ETag"] == first["ETag"]
    assert "Content-Type" not in current  # as the 304 of a rendered list
    cache.clear()
    rendered_304 = api.get(API, {"province": "VOV"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert rendered_304.status_code == 304 and "Content-Type" not in rendered_304
    # Indented JSON, asked for, is rendered as asked, not the kept compact copy.
    api.get(API, {"province": "VOV"})
    indented = api.get(API, {"province": "VOV"}, HTTP_ACCEPT="application/json; indent=4")
    assert indented.content.startswith(b"{\n")
    # In Dutch: a page of its own.
    dutch = APIClient(HTTP_ACCEPT_LANGUAGE="nl").get(API, {"province": "VOV"})
    assert dutch["Content-Language"] == "nl" and dutch["ETag"] != first["ETag"]


def test_the_apis_kept_list_never_shows_a_withdrawn_recognition(make_recognition):
    from rest_framework.test import APIClient

    from werkplek.recognitions.models import Recognition

    shown = make_recognition()
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    assert [row["id"] for row in api.get(API).json()["results"]] == [shown.pk]
    Recognition.objects.filter(pk=shown.pk).update(state="withdrawn")  # no signal
    assert api.get(API).json()["results"] == []


def test_the_check_of_a_kept_page_is_in_forces_condition(make_recognition, today):
    """`all_in_force` (SQL, for speed) says what `in_force` (the ORM) says, for every state and
    every period around today."""
    from datetime import timedelta

    from werkplek.recognitions.models import Recognition
    from werkplek.register import selectors

    day = timedelta(days=1)
    periods = [(today - 10 * day, today + 10 * day), (today, today), (today + day, today + 9 * day),
               (today - 9 * day, today - day), (today - 9 * day, today), (today, today + day)]
    made = [make_recognition(state=state, valid_from=start, valid_until=end)
            for state in Recognition.State.values for start, end in periods]
    expected = set(selectors.in_force(today=today).filter(pk__in=[r.pk for r in made])
                   .values_list("pk", flat=True))
    assert expected and len(expected) < len(made)
    for recognition in made:
        assert selectors.all_in_force([recognition.pk], today=today) is (
            recognition.pk in expected), (recognition.state, recognition.valid_from)
    assert selectors.all_in_force(sorted(expected), today=today)
    assert not selectors.all_in_force([*expected, made[-1].pk + 1000], today=today)
    assert selectors.all_in_force([], today=today)


def test_a_page_kept_before_the_commit_is_not_used_after_it(make_recognition,
                                                            django_capture_on_commit_callbacks):
    """A search made while a change is being saved (its rows read as they were) may be kept
    under the version set by the save; the second bump, at the commit, makes it unusable."""
    from werkplek.register import selectors

    shown = make_recognition(enterprise_name="Dakwerken Vandamme BV")
    search = reverse("register:search")
    with django_capture_on_commit_callbacks(execute=True):
        enterprise = shown.enterprise
        enterprise.name = "Nieuwe Naam BV"
        enterprise.save()
        during = selectors.cache_version()
        Client().get(search, SEARCH, **EN)  # kept under `during`
    assert selectors.cache_version() != during
    assert "Nieuwe Naam BV" in Client().get(search, SEARCH, **EN).text


def test_the_order_of_the_parameters_does_not_matter_but_unknown_ones_are_not_kept(
        make_recognition, django_assert_max_num_queries):
    make_recognition()
    search = reverse("register:search")
    Client().get(f"{search}?opleiding=dak&provincie=VOV", **EN)
    with django_assert_max_num_queries(1):
        assert Client().get(f"{search}?provincie=VOV&opleiding=dak", **EN).status_code == 200
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            Client().get(f"{search}?opleiding=dak&provincie=VOV&x=1", **EN)
        assert len(queries) >= 2  # rendered each time: no entry per made-up parameter
    workplace = reverse("register:workplace", args=[make_recognition().pk])
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            Client().get(f"{workplace}?utm=1", **EN)
        assert len(queries) >= 2


def test_a_search_with_an_error_is_not_kept(db):
    search = reverse("register:search")
    for _ in range(2):
        response = Client().get(search, {"plaats": "Atlantis"}, **EN)
        assert "Atlantis" in response.text and response.context is not None  # rendered


def test_a_head_then_a_get(make_recognition):
    make_recognition(enterprise_name="Dakwerken Vandamme BV")
    search = reverse("register:search")
    head = Client().head(search, SEARCH, **EN)
    assert head.status_code == 200 and head.content == b""
    get = Client().get(search, SEARCH, **EN)
    assert "Dakwerken Vandamme BV" in get.text


def test_a_visitor_with_a_csrf_cookie_gets_their_own_token(make_recognition):
    from django.middleware.csrf import _unmask_cipher_token

    make_recognition()
    search = reverse("register:search")
    first = Client()
    first.get(search, SEARCH, **EN)  # kept; the first visitor now has a CSRF cookie
    second = Client()
    page = second.get(search, SEARCH, **EN)
    secret = second.cookies["csrftoken"].value
    assert _unmask_cipher_token(_token(page)) == secret != first.cookies["csrftoken"].value
    again = first.get(search, SEARCH, **EN)
    assert _unmask_cipher_token(_token(again)) == first.cookies["csrftoken"].value


# --- what is kept, and what not (`_keep`) -----------------------------------------------------

def test_only_a_plain_successful_html_page_is_kept(rf):
    from django.http import HttpResponse, JsonResponse

    from werkplek.core.pagecache import _keep

    request = rf.get("/")
    assert _keep(request, HttpResponse("<p>ok</p>")) == ("<p>ok</p>", "text/html; charset=utf-8")
    assert _keep(request, HttpResponse("<p>weg</p>", status=404)) is None
    assert _keep(request, JsonResponse({"a": 1})) is None
    assert _keep(request, HttpResponse("<p>ok</p>", headers={"Cache-Control": "no-store"})) \
        is None
    cookie = HttpResponse("<p>ok</p>")
    cookie.set_cookie("x", "1")
    assert _keep(request, cookie) is None
    marked = HttpResponse("<p>ok</p>")
    marked.keep = False
    assert _keep(request, marked) is None


def test_a_page_that_shows_the_csrf_token_elsewhere_is_not_kept(rf):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from werkplek.core.pagecache import CSRF_MARK, _keep

    request = rf.get("/")
    token = get_token(request)
    field = f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
    assert _keep(request, HttpResponse(field))[0] == field.replace(token, CSRF_MARK)
    # The same token also in a meta tag: replaced there too (it is the same value).
    meta = f'<meta name="csrf" content="{token}">{field}'
    assert token not in _keep(request, HttpResponse(meta))[0]
    # Another token made of the visitor's secret, or the secret itself: not kept.
    other = get_token(request)
    assert other != token
    assert _keep(request, HttpResponse(f'{field}<div data-token="{other}"></div>')) is None
    assert _keep(request, HttpResponse(f"<p>{request.META['CSRF_COOKIE']}</p>")) is None
