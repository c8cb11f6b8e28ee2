"""The kept reference records of the forms' selects."""

import pytest
from django import forms
from django.utils.translation import override

from werkplek.catalog.fields import CatalogueChoiceField
from werkplek.catalog.models import Province

pytestmark = pytest.mark.django_db


class ProvinceForm(forms.Form):
    provincie = CatalogueChoiceField(queryset=Province.objects.order_by("name_nl"),
                                     to_field_name="code", required=False,
                                     empty_label="Alle provincies")


def options(form):
    return [(str(value), str(label)) for value, label in form.fields["provincie"].choices]


def test_the_list_is_read_once_and_labelled_in_the_active_language(
        django_assert_num_queries):
    with django_assert_num_queries(1):
        first = options(ProvinceForm())
        assert options(ProvinceForm()) == first
    assert first[0] == ("", "Alle provincies")
    assert ("VOV", "Oost-Vlaanderen") in first
    with override("en"), django_assert_num_queries(0):
        assert ("VOV", "East Flanders") in options(ProvinceForm())


def test_a_saved_record_is_shown_at_once():
    options(ProvinceForm())
    province = Province.objects.get(code="VOV")
    province.name_nl = "Oost-Vlaanderen (gewijzigd)"
    province.save()
    assert ("VOV", "Oost-Vlaanderen (gewijzigd)") in options(ProvinceForm())


def test_the_list_is_read_again_after_its_lifetime(settings, django_assert_num_queries):
    options(ProvinceForm())
    settings.CATALOGUE_CHOICES_SECONDS = 0
    with django_assert_num_queries(1):
        options(ProvinceForm())


def test_a_choice_is_validated_against_the_database():
    form = ProvinceForm({"provincie": "VOV"})
    assert form.is_valid()
    assert form.cleaned_data["provincie"] == Province.objects.get(code="VOV")
    options(form)
    Province.objects.filter(code="VOV").update(code="XXX")  # no signal: the list is stale
    stale = ProvinceForm({"provincie": "VOV"})
    assert not stale.is_valid()
