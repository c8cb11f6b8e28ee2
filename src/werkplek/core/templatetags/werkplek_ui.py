"""Template helpers for Werkplek's GOV.UK-style layout. Load with ``{% load werkplek_ui %}``."""

from collections.abc import Iterable

from django import template
from django.utils.translation import gettext

register = template.Library()


def _has_errors(form) -> bool:
    return bool(getattr(form, "is_bound", False) and getattr(form, "errors", None))


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """Return "Fout: " (English: "Error: ") when the page shows a form with errors, else "".

    GOV.UK pattern: when a submitted form has errors, the page ``<title>`` starts with "Error: "
    so that screen-reader users hear it first. ``base.html`` puts this tag in front of
    ``{% block title %}``, so pages get the prefix without doing anything when:

    - the context has a bound ``form`` with errors (what Django's FormView, CreateView,
      UpdateView and LoginView provide), or
    - the context has ``forms``, an iterable (or dict) of forms, and one of them has errors, or
    - the view sets ``page_has_errors = True`` in the context (pages that show errors
      another way, e.g. a formset or a failed action).
    """
    if context.get("page_has_errors"):
        return gettext("Error:") + " "
    if _has_errors(context.get("form")):
        return gettext("Error:") + " "
    forms = context.get("forms")
    if isinstance(forms, dict):
        forms = forms.values()
    if (
        isinstance(forms, Iterable)
        and not isinstance(forms, str | bytes)
        and any(_has_errors(form) for form in forms)
    ):
        return gettext("Error:") + " "
    return ""
