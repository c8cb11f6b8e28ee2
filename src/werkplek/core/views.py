"""Werkplek's general pages (home, accessibility statement, privacy) and the error handlers.

The root URLconf points Django's error handlers here::

    handler403 = "werkplek.core.views.permission_denied"
    handler404 = "werkplek.core.views.page_not_found"
    handler500 = "werkplek.core.views.server_error"
"""

from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError
from django.template import loader
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView


def alive(request):
    """Liveness: the process answers, without touching the database or a template. A load
    balancer's health check, and the framework floor of the load benchmark (bench/load.py):
    the full middleware stack and nothing else."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=60 * 60 * 24)
def favicon(request):
    """``/favicon.ico``, which browsers ask for on a page that names no icon (the admin, a
    JSON answer, a download): the site's icon, instead of a 404 for every such page."""
    return HttpResponsePermanentRedirect(static("werkplek/images/favicon.svg"))


class HomeView(TemplateView):
    """What Werkplek is, for whom, and where to start."""

    template_name = "core/home.html"


class AccessibilityView(TemplateView):
    """The accessibility statement (toegankelijkheidsverklaring)."""

    template_name = "core/accessibility.html"


class PrivacyView(TemplateView):
    """The privacy notice: what Werkplek holds, why, how long, and the user's rights."""

    template_name = "core/privacy.html"

    def get_context_data(self, **kwargs):
        from .retention import periods

        return {**super().get_context_data(**kwargs), "periods": periods()}


def _api_error(request, status: int):
    """For a request to the API: the error in the API's JSON shape (see api/errors.py)."""
    if not request.path.startswith("/api/"):
        return None
    from werkplek.api.errors import api_error_response

    return api_error_response(status)


@requires_csrf_token
def permission_denied(request, exception=None):
    """403 in the site's layout (base.html with the request context)."""
    if (response := _api_error(request, 403)) is not None:
        return response
    return defaults.permission_denied(request, exception, template_name="403.html")


@requires_csrf_token
def page_not_found(request, exception=None):
    """404 in the site's layout (base.html with the request context)."""
    if (response := _api_error(request, 404)) is not None:
        return response
    return defaults.page_not_found(request, exception, template_name="404.html")


@requires_csrf_token
def server_error(request):
    """500 from a standalone template: it renders without the request context.

    Something may be broken in a context processor, the database or the session, so the page
    must not depend on them: ``500.html`` uses no context and no nonce'd script.
    """
    if (response := _api_error(request, 500)) is not None:
        return response
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render())
