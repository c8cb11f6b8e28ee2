from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every part of Werkplek shares: the layout, forms, uploads, personal data and its
    access register, retention, rate limits."""

    name = "werkplek.core"
    label = "core"
    verbose_name = _("General")
