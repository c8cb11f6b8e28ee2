"""A form field for choosing a reference record (a programme, province, partnership, sector,
training provider) from a list that is read once, not on every page.

The search and filter forms of the register and the queues show selects of up to a few hundred
reference records; reading and building them on every request was a large part of those pages'
time. The rows of a queryset are kept in this process for `CATALOGUE_CHOICES_SECONDS` (five
minutes) and forgotten at once when this process saves or deletes a reference record; another
process sees such a change within the lifetime. Reference data changes a few times a year, by
`load_reference_data` or the admin. Validation of a submitted choice still reads the database,
so a choice removed in the meantime is refused."""

import time

from django import forms
from django.conf import settings
from django.forms.models import ModelChoiceIterator

_cache: dict[tuple[str, str], tuple[float, list]] = {}


def clear_catalogue_choices(**_kwargs) -> None:
    """Forget every kept list (connected to the reference models' save and delete)."""
    _cache.clear()


def catalogue_rows(queryset) -> list:
    """The rows of `queryset`, read at most once per lifetime in this process."""
    key = (queryset.model._meta.label, str(queryset.query))
    now = time.monotonic()
    kept = _cache.get(key)
    if kept is not None and now - kept[0] < settings.CATALOGUE_CHOICES_SECONDS:
        return kept[1]
    rows = list(queryset)
    _cache[key] = (now, rows)
    return rows


class _KeptChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in catalogue_rows(self.queryset):
            yield self.choice(obj)

    def __len__(self):
        return len(catalogue_rows(self.queryset)) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(catalogue_rows(self.queryset))


class CatalogueChoiceField(forms.ModelChoiceField):
    """A choice of a reference record, labelled with its name in the active language."""

    iterator = _KeptChoiceIterator

    def label_from_instance(self, obj) -> str:
        return obj.name
