"""GOV.UK form rendering, the error summary, the "Error:" title prefix, and Belgian formats."""

import datetime
import re
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from werkplek.core.forms import GovukBoundField, GovukFormRenderer


class SampleForm(forms.Form):
    name = forms.CharField(label="Naam", help_text="Zoals op de identiteitskaart")
    email = forms.EmailField(label="E-mail", required=False)
    start = forms.DateField(label="Startdatum", required=False)
    notes = forms.CharField(label="Opmerkingen", widget=forms.Textarea, required=False)
    sector = forms.ChoiceField(label="Sector", choices=[("bouw", "Bouw"), ("horeca", "Horeca")])
    kind = forms.ChoiceField(
        label="Soort", choices=[("oao", "OAO"), ("stage", "Stage")], widget=forms.RadioSelect
    )
    days = forms.MultipleChoiceField(
        label="Dagen", choices=[("ma", "Maandag"), ("di", "Dinsdag")],
        widget=forms.CheckboxSelectMultiple, required=False,
    )
    agree = forms.BooleanField(label="Ik ga akkoord", help_text="Verplicht")

    def clean(self):
        if self.cleaned_data.get("name") == "fout":
            raise forms.ValidationError("Deze combinatie bestaat niet")
        return self.cleaned_data


def render(template: str, **context) -> str:
    return Template("{% load werkplek_ui %}" + template).render(Context(context))


def test_the_settings_use_the_govuk_renderer():
    form = SampleForm()
    assert isinstance(form.renderer, GovukFormRenderer)
    assert isinstance(form["name"], GovukBoundField)


def test_unbound_form_renders_govuk_markup():
    html = str(SampleForm())
    assert '<label class="govuk-label" for="id_name">Naam</label>' in html
    hint = '<div id="id_name_helptext" class="govuk-hint">Zoals op de identiteitskaart</div>'
    assert hint in html
    assert re.search(r'<input[^>]*class="govuk-input"[^>]*id="id_name"', html)
    assert 'aria-describedby="id_name_helptext"' in html
    assert re.search(r'<textarea[^>]*class="govuk-textarea"', html)
    assert re.search(r'<select[^>]*class="govuk-select"', html)
    assert "govuk-input--width-10" in html  # the date field
    assert '<div class="govuk-radios" data-module="govuk-radios">' in html
    assert re.search(r'<input type="radio"[^>]*id="id_kind_0"[^>]*class="govuk-radios__input"',
                     html)
    assert '<div class="govuk-checkboxes" data-module="govuk-checkboxes">' in html
    assert "govuk-checkboxes__input" in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Soort</legend>' in html
    assert "E-mail (optioneel)" in html
    assert "govuk-error-message" not in html
    assert "style=" not in html


def test_field_with_error_is_marked_and_described():
    form = SampleForm(data={"name": "", "sector": "bouw", "kind": "oao", "agree": "on"})
    html = str(form)
    assert "govuk-form-group govuk-form-group--error" in html
    assert re.search(r'<input[^>]*class="govuk-input govuk-input--error"[^>]*id="id_name"', html)
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert (
        '<p id="id_name_error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Fout:</span> Dit veld is verplicht.</p>'
    ) in html


def test_error_summary_links_to_each_field_and_non_field_errors():
    form = SampleForm(data={"name": "fout", "sector": "bouw"})
    assert not form.is_valid()
    html = render('{% include "includes/error_summary.html" with form=form %}', form=form)
    assert 'class="govuk-error-summary" data-module="govuk-error-summary"' in html
    assert "Er is een probleem" in html
    assert '<a href="#id_kind_0">Dit veld is verplicht.</a>' in html  # radios: first input
    assert '<a href="#id_agree">Dit veld is verplicht.</a>' in html
    assert '<a href="#id_name">Deze combinatie bestaat niet</a>' in html  # non-field error


def test_error_summary_is_empty_for_unbound_or_valid_forms():
    assert render('{% include "includes/error_summary.html" %}', form=SampleForm()).strip() == ""


def test_non_field_errors_are_shown_above_the_form():
    html = str(SampleForm(data={"name": "fout"}))
    assert 'id="form-errors"' in html
    assert "Deze combinatie bestaat niet" in html


def test_error_title_prefix():
    assert render("{% error_title_prefix %}", form=SampleForm()) == ""
    assert render("{% error_title_prefix %}", form=SampleForm(data={})) == "Fout: "
    assert render("{% error_title_prefix %}", forms=[SampleForm(), SampleForm(data={})]) == "Fout: "
    assert render("{% error_title_prefix %}", page_has_errors=True) == "Fout: "
    with translation.override("en"):
        assert render("{% error_title_prefix %}", form=SampleForm(data={})) == "Error: "


def test_widget_classes_are_added_to_existing_ones():
    class Admin(forms.Form):
        title = forms.CharField(widget=forms.TextInput(attrs={"class": "vTextField"}))

    html = str(Admin()["title"])
    assert 'class="vTextField govuk-input"' in html


@pytest.mark.django_db
def test_page_title_gets_error_prefix(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = AnonymousUser()
    html = render_to_string(
        "core/privacy.html", {"form": SampleForm(data={})}, request=request
    )
    assert "<title>Fout: Privacy \N{EN DASH} Werkplek</title>" in html


DATE = datetime.date(2026, 11, 30)
MOMENT = datetime.datetime(2026, 11, 30, 14, 5, tzinfo=datetime.UTC)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_dates_are_day_month_year(language):
    with translation.override(language), override_settings(TIME_ZONE="Europe/Brussels"):
        assert render("{{ date }}", date=DATE) == "30/11/2026"
        assert render('{{ date|date:"SHORT_DATE_FORMAT" }}', date=DATE) == "30/11/2026"
        assert render("{{ moment }}", moment=MOMENT) == "30/11/2026 15:05"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_numbers_use_decimal_comma_and_thousands_point(language):
    number = Decimal("1234567.5")
    with translation.override(language):
        assert render('{{ n|floatformat:"1g" }}', n=number) == "1.234.567,5"
        assert render('{{ n|floatformat:"-2g" }}', n=number) == "1.234.567,50"
        assert render("{% load l10n humanize %}{{ n|intcomma }}", n=1234567) == "1.234.567"
        with override_settings(USE_THOUSAND_SEPARATOR=True):
            assert render("{% load l10n %}{{ n|localize }}", n=number) == "1.234.567,5"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_dates_are_parsed_day_first(language):
    class DateForm(forms.Form):
        day = forms.DateField()

    with translation.override(language):
        form = DateForm(data={"day": "30/11/2026"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == DATE
