"""Public pages of the catalogue."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors


@require_safe
def help_page(request: HttpRequest) -> HttpResponse:
    """Help: where to get help with an application, with the contact point per province."""
    return render(
        request,
        "catalog/help.html",
        {"contact_points": list(selectors.contact_points())},
    )
