"""Sessions that expire after a period of inactivity, without a database write per request;
pages for a signed-in person kept by no cache."""

import time

from django.conf import settings
from django.utils.cache import add_never_cache_headers

SEEN_KEY = "_werkplek_seen"
SIGNED_IN_KEY = "_werkplek_signed_in"
AUTH_KEY = "_auth_user_id"  # django.contrib.auth's key of the signed-in user in the session


class SessionActivityMiddleware:
    """Moves a session's expiry forward at most once per ``SESSION_ACTIVITY_RESOLUTION`` seconds.

    Django's ``SESSION_SAVE_EVERY_REQUEST`` writes the session on every request (an UPDATE and a
    transaction per page for every signed-in person). Marking the session modified only when the
    last refresh is older than the resolution gives the same inactivity expiry, accurate to the
    resolution (a minute), for one write a minute. Placed after ``SessionMiddleware``.

    However active, a session ends ``SESSION_ABSOLUTE_AGE`` seconds (12 hours) after signing in
    (OWASP ASVS 3.3.2: re-authentication at least every 12 hours): a stolen or forgotten session
    cannot be kept alive forever.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key is not None:  # a cookie came with the request
            now = int(time.time())
            seen = session.get(SEEN_KEY, 0)  # loads it: an unknown or expired key becomes None
            if session.session_key is not None:
                signed_in = session.get(SIGNED_IN_KEY)
                if signed_in is not None and now - signed_in >= settings.SESSION_ABSOLUTE_AGE:
                    session.flush()  # signed in too long ago, however active: sign in again
                elif now - seen >= settings.SESSION_ACTIVITY_RESOLUTION:
                    session[SEEN_KEY] = now  # modified: saved with a new expiry, cookie re-sent
                    if signed_in is None and AUTH_KEY in session:
                        session[SIGNED_IN_KEY] = now  # a session from before this rule
        return self.get_response(request)


def stamp_login(sender, request, user, **kwargs) -> None:
    """Signing in is activity: the session starts stamped, so the first page writes nothing;
    and the moment of signing in starts the absolute lifetime."""
    now = int(time.time())
    request.session[SEEN_KEY] = now
    request.session[SIGNED_IN_KEY] = now


class PrivatePagesMiddleware:
    """Pages for a signed-in person are not kept by the browser or any cache in between.

    What a signed-in person sees (a case, a national register number masked or not, a decision)
    must not stay in a shared computer's browser cache, for the back button of the next user,
    nor in a proxy (OWASP ASVS 8.2.1). A response that says itself how it may be cached (a
    download, the API's public register with its ETag) keeps what it says. Placed after
    ``AuthenticationMiddleware``, so it sees who the request was for.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated
                and not response.has_header("Cache-Control")):
            add_never_cache_headers(response)
        return response
