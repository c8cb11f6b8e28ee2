"""Rate limits per client: a fixed-window counter in the Django cache.

Public pages that cost the server real work (the register search, the open-data export, the
self-scan) take the `ratelimit` decorator; the API's DRF throttles (werkplek.api.throttling) count
with the same `hit`. A client is its IP address (`client_ip`); an IPv6 client is its /64
network, since one subscriber usually gets a whole /64.

The counter is one cache key per client, scope and window: `cache.add(key, 1)` starts it,
`cache.incr` counts on. Both are atomic on Redis and, within a process, on the local-memory
cache, so with `CACHE_URL` set (Redis) every web process shares the count. A fixed window lets
a client send up to twice the limit around a window's edge; for protecting the service that is
good enough, and it costs one or two cache calls instead of a list of timestamps per client.

Settings:

- `WERKPLEK_RATE_LIMITS`: False switches every limit off, the API's too (load benchmarks).
- `WERKPLEK_RATE_LIMIT_RATES`: scope -> rate, "120/min", "3/min", "10/hour", "5/10min".
- `WERKPLEK_TRUSTED_PROXY_COUNT`: how many reverse proxies of ours stand in front of the web
  processes; each appends the address it was reached from to X-Forwarded-For. 0: REMOTE_ADDR.

When the cache cannot be reached, a request is let through (and the failure logged): the limits
protect the service, they must not take it down.
"""

import ipaddress
import logging
import math
import re
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

CACHE_ALIAS = "default"
KEY_PREFIX = "ratelimit"
TEMPLATE = "429.html"

_PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60,
            "h": 3600, "hour": 3600, "d": 86400, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*$")


@dataclass(frozen=True)
class Rate:
    limit: int  # requests allowed in one window
    period: int  # the window, in seconds


def parse_rate(rate: str) -> Rate:
    """ "120/min" -> Rate(120, 60). The period is a unit (s, min, hour, day, or DRF's
    second/minute/hour/day and their first letter), optionally with a count: "5/10min"."""
    match = _RATE.match(rate.lower())
    if not match:
        raise ImproperlyConfigured(f"Not a rate: {rate!r} (write it as 120/min, 10/hour).")
    limit, count, unit = match.groups()
    unit = unit.rstrip("s") if unit not in _PERIODS else unit
    if unit not in _PERIODS:
        raise ImproperlyConfigured(f"Unknown period in the rate {rate!r}.")
    return Rate(int(limit), (int(count) if count else 1) * _PERIODS[unit])


def enabled() -> bool:
    return bool(getattr(settings, "WERKPLEK_RATE_LIMITS", True))


def rate_for(scope: str) -> Rate | None:
    """The rate of a scope from WERKPLEK_RATE_LIMIT_RATES; None when it has none (unlimited)."""
    rate = getattr(settings, "WERKPLEK_RATE_LIMIT_RATES", {}).get(scope)
    return parse_rate(rate) if rate else None


def _client_address(request) -> str:
    """The client's address as written: REMOTE_ADDR, or with WERKPLEK_TRUSTED_PROXY_COUNT = n > 0
    the n-th address from the right of X-Forwarded-For (the right-most n were written by our
    proxies; what a client writes itself stands to the left and is ignored)."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "WERKPLEK_TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if hop.strip()]
        if hops:
            # Fewer hops than proxies: every hop was written by one of ours, the first is the
            # client as the outermost proxy saw it.
            address = hops[-proxies] if len(hops) >= proxies else hops[0]
    return address


def login_ip(request) -> str | None:
    """The client's address for the login lockout and its log (AXES_CLIENT_IP_CALLABLE): the
    same address `client_ip` counts, but a whole, valid IP address or None, because the log
    stores it in an IP address column (PostgreSQL's inet refuses anything else). A request
    without an address (a test client's forced login) is None."""
    try:
        ip = ipaddress.ip_address(_client_address(request))
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


def client_ip(request) -> str:
    """The client for the rate limits: its address (see `_client_address`); an IPv6 address is
    reduced to its /64 network, anything that is not an address is kept as written (at most 64
    characters) or "unknown"."""
    address = _client_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


@dataclass(frozen=True)
class Outcome:
    allowed: bool
    count: int  # requests counted in this window, this one included
    limit: int
    retry_after: int  # seconds until the window ends


def hit(scope: str, ident: str, rate: Rate, *, now: float | None = None,
        cache=None) -> Outcome:
    """Count one request of `ident` in `scope` and say whether it is within `rate`."""
    cache = cache if cache is not None else caches[CACHE_ALIAS]
    now = time.time() if now is None else now
    window = int(now // rate.period)
    retry_after = max(1, math.ceil((window + 1) * rate.period - now))
    key = f"{KEY_PREFIX}:{scope}:{rate.period}:{window}:{ident}"
    try:
        if cache.add(key, 1, rate.period + 1):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # it expired between add and incr
                cache.add(key, 1, rate.period + 1)
                count = 1
            else:
                if count == 1:  # Redis's INCR re-created an expired key, without a timeout
                    cache.touch(key, rate.period + 1)
    except Exception:
        logger.exception("Rate limit not checked: the cache failed (scope %s)", scope)
        return Outcome(True, 0, rate.limit, retry_after)
    if count == rate.limit + 1:  # once per client and window, not on every refused request
        logger.warning("Rate limit reached: scope %s, client %s, %s requests in %s s",
                       scope, ident, rate.limit, rate.period)
    return Outcome(count <= rate.limit, count, rate.limit, retry_after)


def too_many_requests(request, retry_after: int):
    """The 429 page: what happened and when to try again, with Retry-After."""
    from django.http import HttpResponse

    content = render_to_string(TEMPLATE, {"retry_after": retry_after}, request=request)
    response = HttpResponse(content, status=429)
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response


def ratelimit(scope: str):
    """Limit a view to the rate of `scope` (WERKPLEK_RATE_LIMIT_RATES) per client address;
    over it, the 429 page. Stack several for several limits (the first one refusing answers)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if enabled():
                rate = rate_for(scope)
                if rate is not None:
                    outcome = hit(scope, client_ip(request), rate)
                    if not outcome.allowed:
                        return too_many_requests(request, outcome.retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
