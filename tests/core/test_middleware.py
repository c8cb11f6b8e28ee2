"""Inactivity expiry of sessions: the expiry moves with activity, at most one write a minute."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from werkplek.accounts.models import User
from werkplek.core.middleware import SEEN_KEY, SIGNED_IN_KEY

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


def test_a_session_idle_for_longer_than_its_age_has_ended(signed_in, settings):
    """The expiry moves with activity, so the session ends SESSION_COOKIE_AGE after the last
    request, not after signing in: active for longer than its age, it is still there; idle for
    longer, it is gone."""
    settings.SESSION_COOKIE_AGE = 120
    settings.SESSION_ACTIVITY_RESOLUTION = 60
    session = signed_in.session
    for minutes_ago in (3, 2, 1):  # three minutes of activity, past the session's age
        session[SEEN_KEY] = int(time.time()) - 60 * minutes_ago
        session.save()
        assert signed_in.get(reverse("accounts:dashboard")).status_code == 200
    assert expiry(signed_in) > timezone.now() + timedelta(seconds=100)  # moved with activity
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))  # then idle
    response = signed_in.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_session_ends_twelve_hours_after_signing_in_however_active(signed_in, settings):
    assert settings.SESSION_ABSOLUTE_AGE == 12 * 60 * 60
    session = signed_in.session
    now = int(time.time())
    session[SIGNED_IN_KEY] = now - settings.SESSION_ABSOLUTE_AGE + 60
    session[SEEN_KEY] = now
    session.save()
    assert signed_in.get(reverse("accounts:dashboard")).status_code == 200  # 11 h 59 min
    session = signed_in.session
    session[SIGNED_IN_KEY] = now - settings.SESSION_ABSOLUTE_AGE
    session.save()
    response = signed_in.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Session.objects.filter(session_key=session.session_key).exists()


def test_a_session_from_before_the_absolute_lifetime_gets_its_start(signed_in):
    session = signed_in.session
    del session[SIGNED_IN_KEY]
    session[SEEN_KEY] = int(time.time()) - 120
    session.save()
    signed_in.get("/status/ok")
    assert abs(signed_in.session[SIGNED_IN_KEY] - time.time()) < 5


def test_signing_in_stamps_the_session(signed_in):
    assert abs(signed_in.session[SEEN_KEY] - time.time()) < 5
    assert signed_in.session[SIGNED_IN_KEY] == signed_in.session[SEEN_KEY]
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
