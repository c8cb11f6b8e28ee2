"""Inactivity expiry of sessions: the expiry moves with activity, at most one write a minute."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse

from werkplek.accounts.models import User
from werkplek.core.middleware import SEEN_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    user = User.objects.create_user("ria", "ria@example.be", "correct horse battery 9")
    client.force_login(user)
    return client


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_request_moves_the_expiry_once_the_resolution_has_passed(signed_in):
    session = signed_in.session
    session[SEEN_KEY] = int(time.time()) - 120
    session.save()
    before = expiry(signed_in)
    response = signed_in.get("/status/ok")
    assert response.status_code == 200
    assert expiry(signed_in) > before
    assert "sessionid" in response.cookies  # the browser's cookie moves too


def test_requests_within_the_resolution_write_nothing(signed_in):
    signed_in.get("/status/ok")  # the first request stamps the session
    before = expiry(signed_in)
    response = signed_in.get("/status/ok")
    assert "sessionid" not in response.cookies
    assert expiry(signed_in) == before


def test_an_unknown_session_cookie_creates_no_session(client):
    client.cookies["sessionid"] = "x" * 32
    client.get("/status/ok")
    assert Session.objects.count() == 0


@override_settings(SESSION_COOKIE_AGE=60)
def test_an_idle_session_expires(signed_in):
    Session.objects.update(expire_date="2000-01-01T00:00:00Z")
    response = signed_in.get("/account/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"] or "login" in response["Location"]


def test_signing_in_stamps_the_session(signed_in):
    assert abs(signed_in.session[SEEN_KEY] - time.time()) < 5
    response = signed_in.get("/status/ok")
    assert "sessionid" not in response.cookies  # nothing to write on the first page


def test_a_signed_in_persons_page_is_kept_by_no_cache(signed_in):
    response = signed_in.get(reverse("core:home"))
    assert response.status_code == 200
    control = response["Cache-Control"]
    assert "no-store" in control and "private" in control


def test_an_anonymous_page_says_nothing_of_caching(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert not response.has_header("Cache-Control")


def test_a_response_that_sets_its_own_caching_keeps_it(signed_in, settings):
    # The API's public register says it may be cached (with its ETag), whoever asks.
    response = signed_in.get(reverse("api:register-list"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public")
