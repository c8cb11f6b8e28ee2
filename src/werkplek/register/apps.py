from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "werkplek.register"
    label = "register"
    verbose_name = _("Public register")

    def ready(self) -> None:
        """Forget the cached searches of the register (`selectors.SearchResults`) whenever a
        record it shows, filters or sorts on is saved or deleted."""
        from django.db.models.signals import post_delete, post_save

        from werkplek.catalog.models import Partnership, Programme, Province, Sector
        from werkplek.enterprises.models import Enterprise, EstablishmentUnit
        from werkplek.recognitions.models import Recognition

        from .selectors import bump_cache_version

        for model in (Recognition, Enterprise, EstablishmentUnit, Programme, Partnership,
                      Province, Sector):
            for signal in (post_save, post_delete):
                signal.connect(bump_cache_version, sender=model,
                               dispatch_uid=f"register-cache-{model._meta.label}-{id(signal)}")
