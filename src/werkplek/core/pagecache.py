"""Whole public pages kept in the cache for anonymous visitors.

A public page of the register is the same for every anonymous visitor who asks the same thing
in the same language on the same day: the same search finds the same rows until the register
changes. Rendering it (25 results, the search form, the layout) is almost all of its cost, so
the `anonymous_page` decorator keeps the rendered page and serves it again, for `TIMEOUT`
seconds at most, under a key made of the full address with its query string, the active
language and today's date, and with the version of what it shows: every change to that replaces
the version (the register's `cache_version`, bumped when a recognition, an enterprise, a unit or
a reference record it shows is saved or deleted), and a page kept at another version is not
used. The version and the page are read together, in one round trip to the cache.

What differs between two visitors' copies is filled in per response: the page's Content
Security Policy nonce and the CSRF token of its forms (the language switch). When the page is
kept they are replaced by markers that cannot occur in rendered text (`<` is always escaped
there), and each response gets its own nonce and its own token. The kept copy carries nothing
personal: it is kept only for a visitor without a session or a pending message, and only for a
successful HTML page.

A page may say which records it shows (`response.shown_ids`, a list of primary keys) and the
decorator a `still_shown(ids)` check: a kept copy is served only when every record it shows is
still shown, read fresh for each request by an index-only query. A recognition withdrawn by a
bulk update (no signal, no version bump) is so never shown from the cache either.

`WERKPLEK_PAGE_CACHE = False` turns it off (each page rendered for each request).
"""

import hashlib
import re
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import CSRF_TOKEN_LENGTH, _unmask_cipher_token, get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

TIMEOUT = 60
NONCE_MARK = "<werkplek:csp-nonce>"
CSRF_MARK = "<werkplek:csrf-token>"
_CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"<]+)"')
_TOKEN_LIKE = re.compile(rf"(?<![A-Za-z0-9])[A-Za-z0-9]{{{CSRF_TOKEN_LENGTH}}}(?![A-Za-z0-9])")


def _cacheable_request(request) -> bool:
    """Only a GET or HEAD of a visitor without a session (so not signed in) and without a
    message waiting to be shown; never with `WERKPLEK_PAGE_CACHE` off."""
    if request.method not in ("GET", "HEAD") or not getattr(settings, "WERKPLEK_PAGE_CACHE",
                                                               True):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and \
        getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in cookies


def page_key(request, kind: str = "page") -> str:
    """The cache's key of what `request` asks for: its address in full (the scheme and the host
    too, which absolute links in a response are made of) with its query parameters in a fixed
    order, the active language and today. The version of what it shows is kept in the value
    (see `lookup`)."""
    query = urlencode(sorted((name, value) for name in request.GET
                             for value in request.GET.getlist(name)))
    described = "\0".join((request.build_absolute_uri(request.path), query,
                           get_language() or "", timezone.localdate().isoformat()))
    return f"{kind}:" + hashlib.sha256(described.encode()).hexdigest()


def known_parameters(request, allowed) -> bool:
    """Whether every query parameter of `request` is one of `allowed`: an address with anything
    else is not kept (no cache entry per made-up parameter)."""
    return all(name in allowed for name in request.GET)


def lookup(key: str, version_key: str, version: Callable[[], str]) -> tuple[str, tuple | None]:
    """The current version and what is kept under `key` if it was kept at that version, read
    in one round trip to the cache (the version's key and the page's together)."""
    found = cache.get_many([version_key, key])
    current = found.get(version_key) or version()  # `version()` starts one when there is none
    kept = found.get(key)
    if kept is not None and kept[0] == current:
        return current, kept[1:]
    return current, None


def fetch(request, *, kind: str, version_key: str, version: Callable[[], str],
          still_shown: Callable[[list], bool] | None) -> tuple[str, str, tuple | None]:
    """The cache's key of `request`, the current version, and what is kept for it (without
    its ids) when it was kept at that version and every record it shows is still shown."""
    key = page_key(request, kind)
    current, kept = lookup(key, version_key, version)
    if kept is not None:
        ids, *payload = kept
        if not ids or still_shown is None or still_shown(ids):
            return key, current, tuple(payload)
    return key, current, None


def store(key: str, current: str, ids, *payload) -> None:
    """Keep `payload` under `key` at version `current`, with the ids of the records it shows."""
    cache.set(key, (current, list(ids or []), *payload), TIMEOUT)


def _keep(request, response) -> tuple[str, str] | None:
    """The page as kept: its body with the nonce and the CSRF tokens replaced by markers, and
    its content type. None for a page that is not to be kept: not a successful HTML page, one
    its view marked `keep = False` (a search with an error), one with headers or cookies of its
    own (the kept copy has only its body and type), or one that shows the visitor's CSRF token
    or secret anywhere but in a form's hidden field."""
    if response.status_code != 200 or response.streaming or response.cookies \
            or not getattr(response, "keep", True) \
            or {name.lower() for name in response.headers} - {"content-type"}:
        return None
    content_type = response.get("Content-Type", "")
    if not content_type.startswith("text/html"):
        return None
    body = response.content.decode(response.charset)
    if NONCE_MARK in body or CSRF_MARK in body:  # cannot happen: `<` is escaped in text
        return None
    nonce = get_nonce(request)
    if nonce:  # generated: the page uses it
        body = body.replace(str(nonce), NONCE_MARK)
    elif 'nonce="' in body:  # a nonce of its own: not to be handed to others
        return None
    for token in set(_CSRF_VALUE.findall(body)):
        body = body.replace(token, CSRF_MARK)
    if _shows_csrf_secret(request, body):
        return None
    return body, content_type


def _shows_csrf_secret(request, body: str) -> bool:
    """Whether `body` still holds the visitor's CSRF secret, or a token made of it, elsewhere
    than in the form fields just replaced (a `{{ csrf_token }}` in a script or an attribute, a
    token of the view's own): kept, that would hand one visitor's secret to all."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return False
    if secret in body:
        return True
    return any(_unmask_cipher_token(run) == secret for run in _TOKEN_LIKE.findall(body))


def _serve(request, body: str, content_type: str) -> HttpResponse:
    if NONCE_MARK in body:
        body = body.replace(NONCE_MARK, str(get_nonce(request)))
    if CSRF_MARK in body:
        body = body.replace(CSRF_MARK, get_token(request))
    response = HttpResponse(body, content_type=content_type)
    # As the rendered page: it read the session (anonymous) and set the CSRF cookie.
    patch_vary_headers(response, ("Cookie",))
    return response


def anonymous_page(*, version_key: str, version: Callable[[], str],
                   still_shown: Callable[[list], bool] | None = None,
                   parameters: frozenset[str] = frozenset()):
    """Keep the view's rendered page for anonymous visitors (see the module's text).

    `version_key` is the cache key that holds the current version of what the page shows and
    `version()` reads it (starting one when there is none); `still_shown(ids)` says whether the
    records a kept page shows (`response.shown_ids`) are all still to be shown; `parameters`
    are the query parameters the page reads (an address with others is rendered, not kept)."""
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable_request(request) or not known_parameters(request, parameters):
                return view(request, *args, **kwargs)
            key, current, kept = fetch(request, kind="page", version_key=version_key,
                                       version=version, still_shown=still_shown)
            if kept is not None:
                return _serve(request, *kept)
            response = view(request, *args, **kwargs)
            page = _keep(request, response)
            if page is not None:
                store(key, current, getattr(response, "shown_ids", None), *page)
            return response
        return wrapper
    return decorator
