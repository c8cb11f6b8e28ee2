from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "werkplek.catalog"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .fields import clear_catalogue_choices

        for model in self.get_models():
            post_save.connect(clear_catalogue_choices, sender=model,
                              dispatch_uid=f"catalogue-choices-save-{model._meta.label}")
            post_delete.connect(clear_catalogue_choices, sender=model,
                                dispatch_uid=f"catalogue-choices-delete-{model._meta.label}")
