"""The widgets rendered in Python by GovukFormRenderer give, to the byte, what Django's widget
templates give."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from werkplek.core.forms import GovukFormRenderer

CHOICES = [
    ("", "---------"),
    (1, "Eén & twee"),
    ("b", mark_safe("<b>veilig</b>")),
    ("Groep <1>", [("c", "Cé"), ("d\"", 'd "quoted"')]),
    ("e", gettext_lazy("Dutch")),
    (Decimal("2.5"), 1234567),
]

WIDGETS = [
    (forms.TextInput(), "hello <script>&"),
    (forms.TextInput(attrs={"required": True, "disabled": False, "maxlength": 20}), None),
    (forms.TextInput(attrs={"data-x": mark_safe("a&amp;b")}), mark_safe("x&amp;y")),
    (forms.EmailInput(), "a@b.be"),
    (forms.NumberInput(attrs={"step": Decimal("0.01")}), Decimal("1234.5")),
    (forms.PasswordInput(render_value=True), "secret"),
    (forms.HiddenInput(), 42),
    (forms.DateInput(), datetime.date(2026, 11, 30)),
    (forms.DateInput(format="%d/%m/%Y"), datetime.date(2026, 11, 30)),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.URLInput(), "https://x.be/?a=1&b=2"),
    (forms.SearchInput(), ""),
    (forms.TelInput(), "+32 9 123 45 67"),
    (forms.FileInput(), None),
    (forms.Select(choices=CHOICES), "b"),
    (forms.Select(choices=CHOICES, attrs={"class": "govuk-select", "aria-describedby": "x"}), 1),
    (forms.Select(choices=CHOICES), "c"),
    (forms.Select(choices=CHOICES), None),
    (forms.SelectMultiple(choices=CHOICES), ["b", "d\""]),
    (forms.NullBooleanSelect(), True),
    (forms.Select(choices=[]), None),
]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=lambda w: type(w).__name__)
def test_widget_html_is_what_the_templates_give(widget, value, language):
    renderer = GovukFormRenderer()
    with override(language):
        fast = widget.render("veld", value, attrs={"id": "id_veld"}, renderer=renderer)
        context = widget.get_context("veld", value, {"id": "id_veld"})
        slow = DjangoTemplates.render(renderer, widget.template_name, context)
    assert fast == slow


def test_a_custom_option_template_is_rendered_by_its_template():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Custom(choices=[("a", "A")])
    html = widget.render("veld", "a", renderer=GovukFormRenderer())
    assert '<input type="select" name="veld" value="a"' in html


def test_a_whole_form_renders_the_same_through_the_fast_path():
    class Form(forms.Form):
        naam = forms.CharField(help_text="Je naam")
        keuze = forms.ChoiceField(choices=CHOICES[1:3])
        datum = forms.DateField(required=False)

    class SlowRenderer(GovukFormRenderer):
        def render(self, template_name, context, request=None):
            return DjangoTemplates.render(self, template_name, context, request)

    data = {"naam": "<x>", "keuze": "zzz"}
    fast = Form(data, renderer=GovukFormRenderer()).as_div()
    slow = Form(data, renderer=SlowRenderer()).as_div()
    assert fast == slow
    assert "govuk-select--error" in fast
