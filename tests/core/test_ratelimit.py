"""Rate limits on the public pages (werkplek.core.ratelimit): a fixed window per client address,
a 429 page in Dutch and English with Retry-After, off with WERKPLEK_RATE_LIMITS=0, and a count
that Redis shares between processes."""

import os
import socket
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from werkplek.core import ratelimit
from werkplek.core.ratelimit import Rate, client_ip, hit, login_ip, parse_rate

ROOT = Path(__file__).resolve().parent.parent.parent
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
SEARCH = "/erkende-werkplekken/"
# 10:00:10 on a day, in seconds since the epoch: 50 seconds before the minute's window ends.
NOON_ISH = 1_800_000_010.0


@pytest.fixture
def clock(monkeypatch):
    """The limiter's clock, frozen (a test must not straddle a window's edge) and movable."""
    now = SimpleNamespace(value=NOON_ISH)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now.value))
    return now


@pytest.fixture
def limits(settings, clock):
    """Rate limits on (the suite turns them off), with small rates to reach."""
    settings.WERKPLEK_RATE_LIMITS = True
    settings.WERKPLEK_RATE_LIMIT_RATES = {"register": "3/min", "export": "2/min",
                                          "selfscan": "3/min", "selfscan-help": "1/hour"}
    return settings


def _redis_reachable() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5):
            return True
    except OSError:
        return False


# --- rates and addresses ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "rate"), [
    ("120/min", Rate(120, 60)), ("60/minute", Rate(60, 60)), ("3/m", Rate(3, 60)),
    ("10/hour", Rate(10, 3600)), ("10/h", Rate(10, 3600)), ("1000/day", Rate(1000, 86400)),
    ("5/s", Rate(5, 1)), ("5/10min", Rate(5, 600)), (" 7 / 2 hours ", Rate(7, 7200)),
])
def test_rates_are_read_like_drfs_and_with_a_count_of_periods(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "120", "many/min", "10/fortnight", "-1/min"])
def test_a_wrong_rate_is_a_configuration_error(text):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(text)


def _request(remote="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_client_is_remote_addr_whatever_it_forwards(settings):
    settings.WERKPLEK_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.7", forwarded="198.51.100.1")) == "203.0.113.7"


def test_behind_one_proxy_the_client_is_the_right_most_forwarded_address(settings):
    settings.WERKPLEK_TRUSTED_PROXY_COUNT = 1
    # The client wrote 1.2.3.4 itself; our proxy appended the address it saw.
    request = _request("10.0.0.2", forwarded="1.2.3.4, 198.51.100.9")
    assert client_ip(request) == "198.51.100.9"


def test_behind_two_proxies_the_client_is_the_second_from_the_right(settings):
    settings.WERKPLEK_TRUSTED_PROXY_COUNT = 2
    request = _request("10.0.0.2", forwarded="1.2.3.4,198.51.100.9, 10.0.0.1")
    assert client_ip(request) == "198.51.100.9"
    # Fewer addresses than proxies: all were written by ours, the first is the client.
    assert client_ip(_request("10.0.0.2", forwarded="198.51.100.9")) == "198.51.100.9"
    # No header at all: the connection's address.
    assert client_ip(_request("10.0.0.2")) == "10.0.0.2"


def test_an_ipv6_client_is_its_64_network_and_a_mapped_ipv4_its_ipv4(settings):
    settings.WERKPLEK_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::/64"
    assert client_ip(_request("2001:db8:1:2:bbbb::9")) == "2001:db8:1:2::/64"
    assert client_ip(_request("::ffff:198.51.100.4")) == "198.51.100.4"


def test_a_forwarded_value_that_is_no_address_is_kept_short(settings):
    settings.WERKPLEK_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("10.0.0.2", forwarded="x" * 500)) == "x" * 64


def test_the_login_lockout_gets_a_whole_address_or_none(settings):
    """The lockout's log stores the address in an IP column: never a /64 network, never
    "unknown" (PostgreSQL refuses both), the proxy's client as the rate limits read it."""
    settings.WERKPLEK_TRUSTED_PROXY_COUNT = 0
    assert login_ip(_request("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2:aaaa::1"
    assert login_ip(_request("::ffff:198.51.100.4")) == "198.51.100.4"
    assert login_ip(_request("")) is None
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert login_ip(request) is None
    settings.WERKPLEK_TRUSTED_PROXY_COUNT = 1
    assert login_ip(_request("10.0.0.2", forwarded="203.0.113.5")) == "203.0.113.5"
    assert login_ip(_request("10.0.0.2", forwarded="not an address")) is None


# --- the counter ------------------------------------------------------------------------------

def test_the_counter_refuses_past_the_limit_until_the_window_ends():
    from django.core.cache import cache

    rate = Rate(3, 60)
    outcomes = [hit("t", "a", rate, now=NOON_ISH, cache=cache) for _ in range(4)]
    assert [o.allowed for o in outcomes] == [True, True, True, False]
    assert [o.count for o in outcomes] == [1, 2, 3, 4]
    assert outcomes[-1].retry_after == 50  # the window ends at 10:01:00
    assert hit("t", "a", rate, now=NOON_ISH + 49.5, cache=cache).retry_after == 1
    # The next window starts afresh; another client and another scope count apart.
    assert hit("t", "a", rate, now=NOON_ISH + 50, cache=cache).count == 1
    assert hit("t", "b", rate, now=NOON_ISH, cache=cache).count == 1
    assert hit("u", "a", rate, now=NOON_ISH, cache=cache).count == 1


def test_a_failing_cache_lets_the_request_through(caplog):
    class Broken:
        def add(self, *args, **kwargs):
            raise ConnectionError("no Redis")

    outcome = hit("t", "a", Rate(1, 60), cache=Broken())
    assert outcome.allowed
    assert "the cache failed" in caplog.text


# --- the public pages ---------------------------------------------------------------------------

def _search(client, address="203.0.113.7", **extra):
    return client.get(SEARCH, REMOTE_ADDR=address, **extra)


@pytest.mark.django_db
def test_the_search_answers_429_after_its_limit_with_retry_after(client, limits, caplog):
    assert [_search(client).status_code for _ in range(3)] == [200, 200, 200]
    response = _search(client)
    assert response.status_code == 429
    assert response["Retry-After"] == "50"
    assert "no-store" in response["Cache-Control"]
    assert response.templates[0].name == "429.html"
    assert "Rate limit reached: scope register" in caplog.text


@pytest.mark.django_db
def test_the_429_page_is_in_dutch_by_default(client, limits):
    for _ in range(3):
        _search(client)
    page = _search(client).content.decode()
    assert "Te veel verzoeken in korte tijd" in page
    assert "Probeer het over 50 seconden opnieuw." in page
    assert "Download de open data" in page
    assert 'href="/open-data/"' in page


@pytest.mark.django_db
def test_the_429_page_is_in_english_when_asked(client, limits, clock):
    clock.value = NOON_ISH + 49  # one second left in the window: the singular
    for _ in range(3):
        _search(client, HTTP_ACCEPT_LANGUAGE="en")
    response = _search(client, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 429
    assert "Too many requests in a short time" in page
    assert "Try again in 1 second." in page
    assert "Download the open data" in page


@pytest.mark.django_db
def test_each_address_has_its_own_count(client, limits):
    for _ in range(3):
        _search(client, "203.0.113.7")
    assert _search(client, "203.0.113.7").status_code == 429
    assert _search(client, "198.51.100.20").status_code == 200


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_escape_the_limit(client, limits):
    limits.WERKPLEK_TRUSTED_PROXY_COUNT = 0
    for n in range(3):
        _search(client, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert _search(client, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


@pytest.mark.django_db
def test_behind_the_proxy_the_forwarded_client_is_counted(client, limits):
    limits.WERKPLEK_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(3):
        _search(client, proxy, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert _search(client, proxy, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert _search(client, proxy, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


@pytest.mark.django_db
def test_the_next_window_lets_the_client_in_again(client, limits, clock):
    for _ in range(4):
        _search(client)
    clock.value += 50
    assert _search(client).status_code == 200


@pytest.mark.django_db
def test_the_export_has_its_own_smaller_limit(client, limits):
    assert client.get("/open-data/erkende-werkplekken.csv").status_code == 200
    assert client.get("/open-data/erkende-werkplekken.json").status_code == 200
    response = client.get("/open-data/erkende-werkplekken.csv")
    assert response.status_code == 429
    assert response["Retry-After"] == "50"
    # Searching is still allowed: another scope.
    assert client.get(SEARCH).status_code == 200


@pytest.mark.django_db
def test_the_self_scan_is_limited(client, limits):
    assert [client.get("/zelfscan/").status_code for _ in range(3)] == [200, 200, 200]
    assert client.get("/zelfscan/").status_code == 429


@pytest.mark.django_db
def test_switched_off_nothing_is_limited(client, limits):
    limits.WERKPLEK_RATE_LIMITS = False
    assert {_search(client).status_code for _ in range(10)} == {200}
    assert {client.get("/open-data/erkende-werkplekken.csv").status_code
            for _ in range(5)} == {200}


@pytest.mark.django_db
def test_the_suite_runs_with_the_limits_off(client, settings):
    assert settings.WERKPLEK_RATE_LIMITS is False
    assert {client.get(SEARCH).status_code for _ in range(5)} == {200}


# --- Redis --------------------------------------------------------------------------------------

@pytest.fixture
def redis_cache():
    """The Redis cache production uses (werkplek.core.cache) on the local Redis, under a key
    prefix of its own (removed after)."""
    if not _redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    from werkplek.core.cache import RedisCache

    prefix = f"werkplek-test-{uuid.uuid4().hex}"
    cache = RedisCache(f"redis://{REDIS_HOST}:{REDIS_PORT}/0", {"KEY_PREFIX": prefix})
    yield cache
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_the_counter_is_exact_on_redis_under_concurrent_requests(redis_cache):
    rate = Rate(50, 60)
    results = []

    def worker():
        for _ in range(10):
            results.append(hit("t", "a", rate, now=NOON_ISH, cache=redis_cache))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o.count for o in results) == list(range(1, 81))
    assert sum(o.allowed for o in results) == 50
    # The eight threads shared one Redis client (made once, not per call).
    assert redis_cache._cache.get_client() is redis_cache._cache.get_client(write=True)
    # The key expires with its window.
    client = redis_cache._cache.get_client()
    (key,) = client.scan_iter(match=f"{redis_cache.key_prefix}:*")
    assert 0 < client.ttl(key) <= 61


@pytest.mark.django_db
def test_the_pages_count_in_redis_when_it_is_the_cache(client, limits, redis_cache):
    limits.CACHES = {"default": {
        "BACKEND": "werkplek.core.cache.RedisCache",
        "LOCATION": f"redis://{REDIS_HOST}:{REDIS_PORT}/0",
        "KEY_PREFIX": redis_cache.key_prefix,
    }}
    for _ in range(3):
        assert _search(client).status_code == 200
    assert _search(client).status_code == 429
    # The count is in Redis, where another process would find it.
    key = f"ratelimit:register:60:{int(NOON_ISH // 60)}:203.0.113.7"
    assert redis_cache.get(key) == 4


def test_cache_url_selects_redis_with_fast_timeouts():
    code = ("from django.conf import settings; import django; django.setup(); "
            "from django.core.cache import caches; cache = caches[\"default\"]; "
            "print(type(cache).__module__, type(cache).__name__, "
            "settings.CACHES['default']['LOCATION'], "
            "settings.CACHES['default']['OPTIONS']['socket_timeout'])")
    env = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "REDIS_URL"}}
    env.update({"DEBUG": "1", "PYTHONPATH": str(ROOT / "src"),
                "DJANGO_SETTINGS_MODULE": "werkplek.settings"})

    def run(**extra):
        return subprocess.run([sys.executable, "-c", code], env={**env, **extra}, cwd=ROOT,
                              capture_output=True, text=True, timeout=60)

    result = run(REDIS_URL="redis://127.0.0.1:6379/1")
    assert result.stdout.split() == ["werkplek.core.cache", "RedisCache",
                                     "redis://127.0.0.1:6379/1", "1"], result.stderr
    result = run(CACHE_URL="memcached://127.0.0.1:11211")
    assert result.returncode != 0
    assert "CACHE_URL must be a Redis URL" in result.stderr
    locmem = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); "
         "from django.core.cache import caches; print(type(caches[\"default\"]).__name__)"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert locmem.stdout.strip() == "LocMemCache", locmem.stderr
