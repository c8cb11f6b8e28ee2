"""Sessions that expire after a period of inactivity, without a database write per request."""

import time

from django.conf import settings

SEEN_KEY = "_werkplek_seen"


class SessionActivityMiddleware:
    """Moves a session's expiry forward at most once per ``SESSION_ACTIVITY_RESOLUTION`` seconds.

    Django's ``SESSION_SAVE_EVERY_REQUEST`` writes the session on every request (an UPDATE and a
    transaction per page for every signed-in person). Marking the session modified only when the
    last refresh is older than the resolution gives the same inactivity expiry, accurate to the
    resolution (a minute), for one write a minute. Placed after ``SessionMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key is not None:  # a cookie came with the request
            now = int(time.time())
            seen = session.get(SEEN_KEY, 0)  # loads it: an unknown or expired key becomes None
            if (session.session_key is not None
                    and now - seen >= settings.SESSION_ACTIVITY_RESOLUTION):
                session[SEEN_KEY] = now  # modified: saved with a new expiry, cookie re-sent
        return self.get_response(request)


def stamp_login(sender, request, user, **kwargs) -> None:
    """Signing in is activity: the session starts stamped, so the first page writes nothing."""
    request.session[SEEN_KEY] = int(time.time())
