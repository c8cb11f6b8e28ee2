"""Django's own messages that Django REST framework translates differently.

Translations of an app listed earlier in INSTALLED_APPS win over later ones, and every app's win
over Django's own catalogue; DRF's Dutch catalogue ("Dit veld is vereist.") would therefore replace
Django's ("Dit veld is verplicht.") in every form. Marking them here puts Django's wording in the
core catalogue, which comes before DRF."""

from django.utils.translation import gettext_noop

MESSAGES = (
    gettext_noop("This field is required."),
    gettext_noop("No file was submitted."),
    gettext_noop("Upload a valid image. The file you uploaded was either not an image or a "
                 "corrupted image."),
    gettext_noop("Value must be valid JSON."),
)
