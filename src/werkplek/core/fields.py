"""Form fields and model fields for Belgian identifiers (see :mod:`werkplek.core.identifiers`).

Form fields accept every notation the parsers accept, clean to the compact digits and show the
formatted notation again. Errors are the parsers' specific messages. An empty value is handled
by the usual ``required`` logic.

``NationalNumberFormField`` also cleans to the compact string. For the derived data (birth date,
sex, BIS) call :func:`~werkplek.core.identifiers.parse_national_number` on the cleaned value::

    number = parse_national_number(form.cleaned_data["national_number"])

There is deliberately no plain model field for national register numbers: they are personal
data and are stored encrypted (see :mod:`werkplek.core.personal_data`).
"""

from django import forms
from django.core.validators import EMPTY_VALUES
from django.db import models

from .identifiers import (
    IdentifierError,
    format_enterprise_number,
    format_establishment_unit_number,
    format_national_number,
    parse_enterprise_number,
    parse_establishment_unit_number,
    parse_national_number,
)

# --- Form fields -------------------------------------------------------------------------------


class _IdentifierFormField(forms.CharField):
    """A text field that parses an identifier: ``clean()`` gives the compact digits."""

    # Room for a formatted number with a prefix and some extra spaces ("BE 0123.456.749" is 15).
    default_max_length = 20
    widget_attrs_extra = {
        "inputmode": "numeric",
        "autocomplete": "off",
        "spellcheck": "false",
    }

    def __init__(self, **kwargs):
        if kwargs.get("max_length") is None:
            kwargs["max_length"] = self.default_max_length
        super().__init__(**kwargs)

    def parse(self, value: str) -> str:
        raise NotImplementedError

    def format(self, compact: str) -> str:
        raise NotImplementedError

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if not widget.is_hidden:
            attrs.update(self.widget_attrs_extra)
        return attrs

    def to_python(self, value):
        value = super().to_python(value)  # str, stripped; empty_value when empty
        if value in self.empty_values:
            return value
        return self.parse(value)  # IdentifierError is a ValidationError

    def prepare_value(self, value):
        """Show a valid number formatted; show anything else as it was typed."""
        if value in EMPTY_VALUES or not isinstance(value, str):
            return value
        try:
            return self.format(self.parse(value))
        except IdentifierError:
            return value


class EnterpriseNumberFormField(_IdentifierFormField):
    def parse(self, value: str) -> str:
        return parse_enterprise_number(value)

    def format(self, compact: str) -> str:
        return format_enterprise_number(compact)


class EstablishmentUnitNumberFormField(_IdentifierFormField):
    def parse(self, value: str) -> str:
        return parse_establishment_unit_number(value)

    def format(self, compact: str) -> str:
        return format_establishment_unit_number(compact)


class NationalNumberFormField(_IdentifierFormField):
    """Cleans to the compact 11 digits; use ``parse_national_number()`` for the derived data."""

    def parse(self, value: str) -> str:
        return parse_national_number(value).compact

    def format(self, compact: str) -> str:
        return format_national_number(compact)


# --- Model fields ------------------------------------------------------------------------------


def validate_enterprise_number(value: str) -> None:
    parse_enterprise_number(value)


def validate_establishment_unit_number(value: str) -> None:
    parse_establishment_unit_number(value)


class _IdentifierModelField(models.CharField):
    """Stores the compact digits; any accepted notation is normalised on the way in."""

    form_class: type[_IdentifierFormField]
    compact_length = 10

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", self.compact_length)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == self.compact_length:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def parse(self, value: str) -> str:
        raise NotImplementedError

    def normalise(self, value):
        """The compact form of a valid number; anything else unchanged (validators report it)."""
        if not isinstance(value, str) or value in self.empty_values:
            return value
        try:
            return self.parse(value)
        except IdentifierError:
            return value

    def to_python(self, value):
        return self.normalise(super().to_python(value))

    def run_validators(self, value):
        # An invalid number gets only the parser's specific message, not also the generic
        # "at most 10 characters" one.
        if isinstance(value, str) and value not in self.empty_values:
            self.parse(value)
        super().run_validators(value)

    def get_prep_value(self, value):
        return self.normalise(super().get_prep_value(value))

    def pre_save(self, model_instance, add):
        """Also normalise the attribute on the instance, so it matches what is stored."""
        value = self.normalise(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(
            **{
                "form_class": self.form_class,
                "max_length": self.form_class.default_max_length,
                **kwargs,
            }
        )


class EnterpriseNumberField(_IdentifierModelField):
    """An enterprise number (ondernemingsnummer), stored as 10 digits: ``0123456749``."""

    description = "Belgian enterprise number"
    default_validators = [validate_enterprise_number]
    form_class = EnterpriseNumberFormField

    def parse(self, value: str) -> str:
        return parse_enterprise_number(value)


class EstablishmentUnitNumberField(_IdentifierModelField):
    """An establishment unit number (vestigingseenheidsnummer), stored as 10 digits."""

    description = "Belgian establishment unit number"
    default_validators = [validate_establishment_unit_number]
    form_class = EstablishmentUnitNumberFormField

    def parse(self, value: str) -> str:
        return parse_establishment_unit_number(value)
