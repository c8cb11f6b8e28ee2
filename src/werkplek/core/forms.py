"""GOV.UK-style rendering of Django forms.

``settings.FORM_RENDERER = "werkplek.core.forms.GovukFormRenderer"`` makes every ``{{ form }}``
and ``{{ form.field.as_field_group }}`` render the GOV.UK Frontend markup:

- a form group (``govuk-form-group``, ``--error`` when the field has errors);
- the label (``govuk-label``), or a fieldset legend for radios, checkbox lists and multi-widgets;
- ``help_text`` as the hint (``govuk-hint``, id ``<field id>_helptext``, Django's own id);
- each error as ``govuk-error-message`` with a visually hidden "Error:" prefix
  (id ``<field id>_error``);
- the widget with GOV.UK classes (``govuk-input``, ``govuk-select``, ``govuk-textarea``,
  ``govuk-file-upload``, ``govuk-radios__input``, ``govuk-checkboxes__input``, plus their
  ``--error`` modifiers) and ``aria-describedby`` pointing at the hint and the error message
  (Django builds it from the same ids; for radios and checkbox lists it is on the fieldset).

Templates (in ``core/templates/govuk/forms/``): ``form.html`` (the whole form: non-field errors,
visible fields, hidden fields) and ``field.html`` (one field group). The error summary at the top
of a page is ``{% include "includes/error_summary.html" with form=form %}``; the "Error: " prefix
of the page title is the ``{% error_title_prefix %}`` tag in ``werkplek_ui`` (base.html calls it).

Classes already on a widget (``attrs={"class": ...}``, e.g. the admin's ``vTextField``) are kept:
the GOV.UK classes are added to them, never put in their place.
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Input
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

# Django's widget templates that are only `{% include "django/forms/widgets/input.html" %}`.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "email", "number", "password", "url", "search", "tel",
                 "hidden", "date", "datetime", "time", "color", "checkbox", "file")
)
_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _format(value) -> str:
    """``{{ value|stringformat:'s' }}`` in an autoescaped template."""
    if isinstance(value, SafeData):
        return str(value)
    return escape("%s" % (str(value) if isinstance(value, tuple) else value))


def _variable(value) -> str:
    """``{{ value }}`` in an autoescaped template (localised, then escaped)."""
    return conditional_escape(localize(value))


def _attrs(attrs: dict) -> str:
    """Django's ``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_variable(name)}" if value is True
                     else f' {_variable(name)}="{_format(value)}"')
    return "".join(parts)


def render_input(widget: dict) -> str:
    """Django's ``django/forms/widgets/input.html``, without a template per widget."""
    value = widget["value"]
    value_html = "" if value is None else f' value="{_format(value)}"'
    return (f'<input type="{_variable(widget["type"])}" name="{_variable(widget["name"])}"'
            f'{value_html}{_attrs(widget["attrs"])}>')


def render_select(widget: dict) -> str | None:
    """Django's ``django/forms/widgets/select.html`` and its options, without a template per
    option (a select of 300 programmes otherwise costs 300 template includes). ``None`` when an
    option has its own template: then the templates render it."""
    parts = [f'<select name="{_variable(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_variable(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION_TEMPLATE:
                return None
            parts.append(f'\n  <option value="{_format(option["value"])}"'
                         f'{_attrs(option["attrs"])}>{_variable(option["label"])}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _join_classes(*parts: str | None) -> str:
    seen: list[str] = []
    for part in parts:
        for name in (part or "").split():
            if name not in seen:
                seen.append(name)
    return " ".join(seen)


class GovukBoundField(BoundField):
    """A bound field that knows its GOV.UK kind, its hint and error ids and its widget classes."""

    @property
    def govuk_kind(self) -> str:
        """How the field is laid out: radios, checkboxes, checkbox, file, fieldset or input."""
        widget = self.field.widget
        # CheckboxSelectMultiple is a subclass of RadioSelect: test it first.
        if isinstance(widget, forms.CheckboxSelectMultiple):
            return "checkboxes"
        if isinstance(widget, forms.RadioSelect):
            return "radios"
        if isinstance(widget, forms.CheckboxInput):
            return "checkbox"
        if isinstance(widget, forms.MultiWidget):
            return "fieldset"
        return "input"

    @property
    def govuk_id(self) -> str:
        return self.auto_id or self.html_name

    @property
    def govuk_hint_id(self) -> str:
        # Django's own id for the help text (it also builds aria-describedby from it).
        return f"{self.govuk_id}_helptext"

    @property
    def govuk_error_id(self) -> str:
        return f"{self.govuk_id}_error"

    @property
    def govuk_anchor_id(self) -> str:
        """The id that an error-summary link points at: the first input of the field."""
        if self.govuk_kind in {"radios", "checkboxes", "fieldset"}:
            return f"{self.govuk_id}_0"
        return self.id_for_label or self.govuk_id

    @property
    def govuk_described_by(self) -> str:
        ids = []
        if self.help_text:
            ids.append(self.govuk_hint_id)
        if self.errors:
            ids.append(self.govuk_error_id)
        return " ".join(ids)

    def govuk_widget_class(self, widget) -> str:
        has_errors = bool(self.errors)
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            return "govuk-checkboxes__input"
        if isinstance(widget, forms.RadioSelect):
            return "govuk-radios__input"
        if isinstance(widget, forms.Textarea):
            return _join_classes("govuk-textarea", "govuk-textarea--error" if has_errors else "")
        if isinstance(widget, forms.Select | forms.SelectMultiple):
            return _join_classes("govuk-select", "govuk-select--error" if has_errors else "")
        if isinstance(widget, forms.FileInput):
            return _join_classes(
                "govuk-file-upload", "govuk-file-upload--error" if has_errors else ""
            )
        if isinstance(widget, forms.HiddenInput | forms.MultipleHiddenInput | forms.MultiWidget):
            return ""
        if isinstance(widget, Input):
            width = ""
            if isinstance(widget, forms.DateInput | forms.DateTimeInput | forms.TimeInput):
                width = "govuk-input--width-10"
            return _join_classes("govuk-input", width, "govuk-input--error" if has_errors else "")
        return ""

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if isinstance(widget, forms.MultiWidget):
            for subwidget in widget.widgets:
                extra = self.govuk_widget_class(subwidget)
                subwidget.attrs["class"] = _join_classes(subwidget.attrs.get("class"), extra)
        extra_class = self.govuk_widget_class(widget)
        if extra_class:
            attrs["class"] = _join_classes(
                widget.attrs.get("class"), attrs.get("class"), extra_class
            )
        return attrs


class GovukFormRenderer(DjangoTemplates):
    """Form renderer with GOV.UK Frontend templates and bound fields.

    Like Django's ``DjangoTemplates`` renderer, it has its own template engine that finds
    Django's widget templates and every app's ``templates/`` folder, so it does not need
    ``django.forms`` in ``INSTALLED_APPS``. Only the form and field templates are GOV.UK ones:
    the widget templates stay Django's, so the admin's widgets are unchanged.
    """

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"
    bound_field_class = GovukBoundField

    def render(self, template_name, context, request=None):
        # The most common widgets are rendered in Python, to the byte what Django's templates
        # give (tests/core/test_forms.py compares them): a page with a few selects of a few
        # hundred options otherwise spends a third of its time in template includes.
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and len(context) == 1:
            if template_name in _INPUT_TEMPLATES:
                return render_input(widget)
            if template_name == _SELECT_TEMPLATE:
                html = render_select(widget)
                if html is not None:
                    return html
        return super().render(template_name, context, request)
