from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfScanConfig(AppConfig):
    name = "werkplek.selfscan"
    label = "selfscan"
    verbose_name = _("Self-scan")
