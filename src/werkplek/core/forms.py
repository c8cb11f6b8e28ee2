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
