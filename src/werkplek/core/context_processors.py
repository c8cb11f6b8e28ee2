"""Context for every page rendered with a request (``base.html`` relies on it)."""

from django.conf import settings
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

SITE_NAME = "Werkplek"
SITE_SUBTITLE = _("Recognition as a workplace for dual learning")


def site(request):
    """Give the layout the site's name and the language switch.

    - ``SITE_NAME``: the product name ("Werkplek", not translated).
    - ``SITE_SUBTITLE``: the line under the name in the header, translated.
    - ``OTHER_LANGUAGES``: the languages the page can be switched to, each a dict with ``code``
      and ``name_local`` (the language's name in that language: "English", "Nederlands").
    - ``CURRENT_PATH``: where the language switch returns to (the path with its query string).
    """
    current = get_language() or settings.LANGUAGE_CODE
    other_languages = [
        {"code": code, "name_local": get_language_info(code)["name_local"]}
        for code, _name in settings.LANGUAGES
        if code != current
    ]
    return {
        "SITE_NAME": SITE_NAME,
        "SITE_SUBTITLE": SITE_SUBTITLE,
        "OTHER_LANGUAGES": other_languages,
        "CURRENT_PATH": request.get_full_path(),
    }
