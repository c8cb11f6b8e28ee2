from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionsConfig(AppConfig):
    name = "werkplek.recognitions"
    label = "recognitions"
    verbose_name = _("Recognitions")
