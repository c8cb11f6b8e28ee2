"""API throttling (werkplek.api.throttling): anonymous clients per address, authenticated ones
per token; 429 in the API's error shape with Retry-After; off with WERKPLEK_RATE_LIMITS=0."""

from types import SimpleNamespace

import pytest

from werkplek.core import ratelimit

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/register/"
PROGRAMMES = "/api/v1/programmes/"
NOON_ISH = 1_800_000_010.0  # 50 seconds before a minute's window ends


@pytest.fixture
def throttled(settings, monkeypatch):
    """Throttles on (the suite turns them off), with small rates, on a frozen clock."""
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: NOON_ISH))
    settings.WERKPLEK_RATE_LIMITS = True
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "5/min"}}
    return settings


def test_the_defaults_are_configured():
    from django.conf import settings

    config = settings.REST_FRAMEWORK
    assert config["DEFAULT_THROTTLE_CLASSES"] == ["werkplek.api.throttling.AnonThrottle",
                                                  "werkplek.api.throttling.UserThrottle"]
    assert config["DEFAULT_THROTTLE_RATES"] == {"anon": "60/min", "user": "600/min"}


def test_an_anonymous_client_gets_429_in_the_api_shape_with_retry_after(api, throttled):
    assert [api.get(REGISTER).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(REGISTER)
    assert response.status_code == 429
    assert response["Retry-After"] == "50"
    assert response.json() == {"code": "throttled",
                               "message": "Too many requests: try again later."}


def test_the_message_is_in_dutch_when_asked(api, throttled):
    for _ in range(3):
        api.get(PROGRAMMES)
    response = api.get(PROGRAMMES, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 429
    assert response.json()["message"] == "Te veel verzoeken: probeer het later opnieuw."


def test_the_anonymous_limit_is_per_address_and_spans_the_api(api, throttled):
    api.get(REGISTER, REMOTE_ADDR="203.0.113.7")
    api.get(PROGRAMMES, REMOTE_ADDR="203.0.113.7")
    api.get("/api/v1/partnerships/", REMOTE_ADDR="203.0.113.7")
    assert api.get(REGISTER, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert api.get(REGISTER, REMOTE_ADDR="198.51.100.20").status_code == 200


def test_a_forged_forwarded_for_does_not_escape_the_limit(api, throttled):
    throttled.WERKPLEK_TRUSTED_PROXY_COUNT = 0
    for n in range(3):
        api.get(REGISTER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert api.get(REGISTER, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_a_token_has_its_own_higher_budget(api, throttled, coach_token, handler_token):
    for _ in range(3):
        api.get(REGISTER)
    assert api.get(REGISTER).status_code == 429  # the address's anonymous budget is spent
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {coach_token}")
    assert [api.get(REGISTER).status_code for _ in range(5)] == [200] * 5
    response = api.get(REGISTER)
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert response["Retry-After"] == "50"
    # Another token, from the same address, counts apart.
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {handler_token}")
    assert api.get(REGISTER).status_code == 200


def test_a_browser_session_counts_per_user(api, throttled, demo_user):
    api.force_login(demo_user("trajectbegeleider"))
    assert [api.get(REGISTER).status_code for _ in range(5)] == [200] * 5
    assert api.get(REGISTER).status_code == 429
    api.force_login(demo_user("behandelaar-bouw"))
    assert api.get(REGISTER).status_code == 200


def test_switched_off_nothing_is_throttled(api, throttled):
    throttled.WERKPLEK_RATE_LIMITS = False
    assert {api.get(REGISTER).status_code for _ in range(10)} == {200}


def test_the_suite_runs_with_the_throttles_off(api, settings):
    assert settings.WERKPLEK_RATE_LIMITS is False
    assert {api.get(REGISTER).status_code for _ in range(70)} == {200}
