"""The API's throttles: anonymous clients per address, authenticated ones per token (or, for a
browser session, per user).

DRF's own throttles keep a list of timestamps per client in the cache and write it back without
a lock: under several web processes two requests lose each other's count, and a busy client's
list is hundreds of entries long. These count with werkplek.core.ratelimit's fixed window
(atomic `cache.add`/`incr`), take the client's address from `client_ip` (which honours
WERKPLEK_TRUSTED_PROXY_COUNT; DRF's default would trust any X-Forwarded-For a client sends) and
read their rate at each request, so that WERKPLEK_RATE_LIMITS=0 and the tests' settings apply.

The rates are REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"] and ["user"]; an answer over the
rate is 429 with Retry-After, in the API's error shape (errors.exception_handler)."""

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from werkplek.core import ratelimit


class _FixedWindowThrottle(BaseThrottle):
    scope = ""

    def get_ident_key(self, request) -> str | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        self.retry_after = None
        if not ratelimit.enabled():
            return True
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        ident = self.get_ident_key(request)
        if not rate or ident is None:
            return True
        outcome = ratelimit.hit(f"api-{self.scope}", ident, ratelimit.parse_rate(rate))
        if outcome.allowed:
            return True
        self.retry_after = outcome.retry_after
        return False

    def wait(self) -> float | None:
        return self.retry_after


class AnonThrottle(_FixedWindowThrottle):
    """Clients that are not logged in and send no token: per address."""

    scope = "anon"

    def get_ident_key(self, request) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return ratelimit.client_ip(request)


class UserThrottle(_FixedWindowThrottle):
    """Authenticated clients: per token (each system an administrator issued a token to has its
    own budget), per user for a browser session."""

    scope = "user"

    def get_ident_key(self, request) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        from .models import ApiToken  # not at import: DRF loads this module with its settings

        if isinstance(request.auth, ApiToken):
            return f"token-{request.auth.pk}"
        return f"user-{request.user.pk}"
