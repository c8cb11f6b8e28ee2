"""Small helpers for views that several parts share."""

from functools import wraps

from django.shortcuts import redirect


def post_or_redirect(viewname: str, *, keep: tuple[str, ...] = ("pk",)):
    """Accept only POST; any other request goes to `viewname` (with the view's URL arguments
    named in `keep`) instead of a bare 405. Someone lands on an action URL with a GET after logging
    in again (the login's `next`), from a bookmark or a reload: they get the page the action
    belongs to, not an empty error page."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "POST":
                return redirect(viewname, **{k: v for k, v in kwargs.items() if k in keep})
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
