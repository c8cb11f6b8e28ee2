"""Form fields and model fields for Belgian identifiers. No database needed.

The forms here use Django's own renderer: these tests are about the fields, not the markup.
"""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import DjangoTemplates
from django.test.utils import isolate_apps
from django.utils import translation

from werkplek.core.fields import (
    EnterpriseNumberField,
    EnterpriseNumberFormField,
    EstablishmentUnitNumberField,
    EstablishmentUnitNumberFormField,
    NationalNumberFormField,
)
from werkplek.core.identifiers import parse_national_number


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids); the site's default language is Dutch."""
    with translation.override("en"):
        yield


RENDERER = DjangoTemplates()


class IdentifiersForm(forms.Form):
    default_renderer = RENDERER
    enterprise_number = EnterpriseNumberFormField()
    unit_number = EstablishmentUnitNumberFormField(required=False)
    national_number = NationalNumberFormField(required=False)


def form_errors(**data) -> dict:
    form = IdentifiersForm(data={"enterprise_number": "0203201340", **data})
    assert not form.is_valid()
    return form.errors


# --- Form fields -------------------------------------------------------------------------------


def test_valid_input_in_any_notation_cleans_to_compact():
    form = IdentifiersForm(
        data={
            "enterprise_number": " be 203.201.340 ",
            "unit_number": "2 123 456 791",
            "national_number": "85.07.30-033.28",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "enterprise_number": "0203201340",
        "unit_number": "2123456791",
        "national_number": "85073003328",
    }
    # The documented way to the derived data of a national number:
    assert parse_national_number(form.cleaned_data["national_number"]).sex == "M"


def test_empty_values_use_the_required_logic():
    form = IdentifiersForm(
        data={"enterprise_number": "  ", "unit_number": "", "national_number": ""}
    )
    assert not form.is_valid()
    assert form.errors == {"enterprise_number": ["This field is required."]}
    form = IdentifiersForm(data={"enterprise_number": "0203201340"})
    assert form.is_valid()
    assert form.cleaned_data["unit_number"] == ""
    assert form.cleaned_data["national_number"] == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("enterprise_number", "0203.201.341", "The check digits are not correct."),
        ("enterprise_number", "0203.201.3", "Expected 10 digits, found 8."),
        (
            "enterprise_number",
            "2.123.456.791",
            "This is an establishment unit number, not an enterprise number.",
        ),
        (
            "enterprise_number",
            "85.07.30-033.28",
            "This is a national register number, not an enterprise number.",
        ),
        (
            "enterprise_number",
            "0203 201 34a",
            "Only digits, spaces, dots, dashes and slashes are allowed.",
        ),
        ("enterprise_number", "9203201340", "An enterprise number starts with 0 or 1."),
        (
            "unit_number",
            "0203.201.340",
            "This is an enterprise number, not an establishment unit number.",
        ),
        (
            "unit_number",
            "1.123.456.789",
            "An establishment unit number starts with a digit from 2 to 8.",
        ),
        ("national_number", "85.07.30-033.2", "Expected 11 digits, found 10."),
        ("national_number", "85.13.30-033.28", "The month of birth in this number does not exist."),
        (
            "national_number",
            "0203.201.340",
            "This is an enterprise number, not a national register number.",
        ),
    ],
)
def test_specific_error_messages(field, value, message):
    assert form_errors(**{field: value}) == {field: [message]}


def test_prepare_value_formats():
    form = IdentifiersForm(
        initial={
            "enterprise_number": "0203201340",
            "unit_number": "2123456791",
            "national_number": "85073003328",
        }
    )
    assert form["enterprise_number"].value() == "0203.201.340"
    html = str(form)
    assert 'value="0203.201.340"' in html
    assert 'value="2.123.456.791"' in html
    assert 'value="85.07.30-033.28"' in html


def test_prepare_value_keeps_invalid_input_as_typed():
    field = EnterpriseNumberFormField()
    assert field.prepare_value("0203 201 34x") == "0203 201 34x"
    assert field.prepare_value("BE 203201340") == "0203.201.340"
    assert field.prepare_value("") == ""
    assert field.prepare_value(None) is None


def test_bound_invalid_input_is_shown_again_as_typed():
    form = IdentifiersForm(data={"enterprise_number": "0203.201.341"})
    assert 'value="0203.201.341"' in str(form["enterprise_number"])


@pytest.mark.parametrize(
    "field_class",
    [EnterpriseNumberFormField, EstablishmentUnitNumberFormField, NationalNumberFormField],
)
def test_widget_attributes(field_class):
    attrs = field_class().widget.attrs
    assert attrs["inputmode"] == "numeric"
    assert attrs["autocomplete"] == "off"
    assert attrs["spellcheck"] == "false"
    assert attrs["maxlength"] == "20"


# --- Model fields ------------------------------------------------------------------------------


@pytest.fixture
def workplace_model():
    with isolate_apps("werkplek.core"):

        class Workplace(models.Model):
            enterprise_number = EnterpriseNumberField()
            unit_number = EstablishmentUnitNumberField(blank=True)

            class Meta:
                app_label = "core"

            def __str__(self):
                return self.enterprise_number

        yield Workplace


def test_model_full_clean_normalises(workplace_model):
    workplace = workplace_model(enterprise_number="BE 0203.201.340", unit_number="2.123.456.791")
    workplace.full_clean()
    assert workplace.enterprise_number == "0203201340"
    assert workplace.unit_number == "2123456791"


def test_model_full_clean_gives_the_specific_message_only(workplace_model):
    workplace = workplace_model(enterprise_number="0203.201.341.5", unit_number="0203201340")
    with pytest.raises(ValidationError) as info:
        workplace.full_clean()
    assert info.value.message_dict == {
        "enterprise_number": ["Expected 10 digits, found 11."],
        "unit_number": ["This is an enterprise number, not an establishment unit number."],
    }


def test_model_field_get_prep_value_normalises():
    field = EnterpriseNumberField()
    assert field.get_prep_value("BE 0203.201.340") == "0203201340"
    assert field.get_prep_value("0203") == "0203"  # not a number: left alone (lookups)
    assert field.get_prep_value("") == ""
    assert field.get_prep_value(None) is None
    assert field.to_python("203 201 340") == "0203201340"


def test_model_field_pre_save_normalises_the_instance(workplace_model):
    workplace = workplace_model(enterprise_number="0203.201.340")
    field = workplace_model._meta.get_field("enterprise_number")
    assert field.pre_save(workplace, add=True) == "0203201340"
    assert workplace.enterprise_number == "0203201340"


@pytest.mark.parametrize("field_class", [EnterpriseNumberField, EstablishmentUnitNumberField])
def test_model_field_deconstruct(field_class):
    field = field_class(verbose_name="number", blank=True)
    field.set_attributes_from_name("number")
    _name, path, args, kwargs = field.deconstruct()
    assert path == f"werkplek.core.fields.{field_class.__name__}"
    assert kwargs == {"verbose_name": "number", "blank": True}
    rebuilt = field_class(*args, **kwargs)
    assert rebuilt.max_length == 10
    assert field_class(max_length=12).deconstruct()[3]["max_length"] == 12


@pytest.mark.parametrize(
    ("field_class", "form_class"),
    [
        (EnterpriseNumberField, EnterpriseNumberFormField),
        (EstablishmentUnitNumberField, EstablishmentUnitNumberFormField),
    ],
)
def test_model_field_formfield(field_class, form_class):
    form_field = field_class(verbose_name="number").formfield()
    assert type(form_field) is form_class
    assert form_field.max_length == 20  # room for the formatted notation, not just 10 digits
    assert form_field.widget.attrs["inputmode"] == "numeric"


def test_model_form_round_trip(workplace_model):
    class WorkplaceForm(forms.ModelForm):
        default_renderer = RENDERER

        class Meta:
            model = workplace_model
            fields = ["enterprise_number", "unit_number"]

    form = WorkplaceForm(data={"enterprise_number": "BE0203201340", "unit_number": ""})
    assert form.is_valid(), form.errors
    workplace = form.save(commit=False)
    assert workplace.enterprise_number == "0203201340"
    assert 'value="0203.201.340"' in str(WorkplaceForm(instance=workplace)["enterprise_number"])
