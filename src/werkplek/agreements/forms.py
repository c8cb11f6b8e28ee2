"""Forms of the agreements pages: the filters of the partnership's list and the coach's search
for a recognised workplace (GET), registering an agreement, ending one early and naming another
mentor. They only parse what was typed and say clearly what is wrong with it; the rules are
checked by the services, whose messages land on the fields they name."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from werkplek.applications.forms_case import DateInputField
from werkplek.catalog.fields import CatalogueChoiceField
from werkplek.core.fields import NationalNumberFormField

_HOURS = re.compile(r"^\d{1,3}(?:[.,]\d+)?$")


class HoursField(forms.CharField):
    """Hours a week as a decimal number: "24", "22,5" (Belgian comma) or "22.5"; at most one
    decimal. The service checks the range."""

    default_error_messages = {
        "invalid": gettext_lazy("Enter the hours a week as a number, for example 24 or 22,5."),
        "decimals": gettext_lazy("Enter the hours with at most one decimal, for example 22,5."),
    }

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"maxlength": "10", "inputmode": "decimal", "autocomplete": "off",
                      "spellcheck": "false", "class": "govuk-input--width-4"})
        return attrs

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        text = value.replace(" ", "")
        if len(text) > 10 or not _HOURS.match(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            hours = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if hours != hours.quantize(Decimal("0.1")):
            raise forms.ValidationError(self.error_messages["decimals"], code="decimals")
        return hours

    def prepare_value(self, value):
        """Show a number the Belgian way ("22,5", as the site's formats do in both languages);
        what was typed stays as it was."""
        if isinstance(value, Decimal):
            return format(value.normalize(), "f").replace(".", ",")
        return value


def mentor_label(option) -> str:
    """A mentor as a choice: the name, the learners coached now and the cap, and the
    mentor-training deadline when the training is still missing."""
    label = ngettext(
        "%(name)s – coaches %(count)s learner now (at most %(cap)s at a time)",
        "%(name)s – coaches %(count)s learners now (at most %(cap)s at a time)",
        option.coaching) % {"name": option.mentor.full_name, "count": option.coaching,
                            "cap": option.cap}
    if option.training_deadline is not None:
        label += " – " + _("mentor training not followed yet, deadline %(date)s") % {
            "date": option.training_deadline.strftime("%d/%m/%Y")}
    return label


def _mentor_field(options, *, label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, widget=forms.RadioSelect,
        choices=[(str(option.mentor.pk), mentor_label(option)) for option in options],
        error_messages={"required": _("Choose the mentor."),
                        "invalid_choice": _("Choose one of the mentors in the list.")})


def _date_field(label: str, required_message: str) -> DateInputField:
    return DateInputField(label=label, help_text=gettext_lazy("For example 1 9 2026."),
                          error_messages={"required": required_message})


class AgreementForm(forms.Form):
    """A new agreement: the learner, the training provider (a choice for the enterprise, fixed
    for a coach of one provider), the mentor, the period and the hours at the workplace."""

    first_name = forms.CharField(
        label=gettext_lazy("Learner's first name"), max_length=100,
        error_messages={"required": gettext_lazy("Enter the learner's first name.")})
    last_name = forms.CharField(
        label=gettext_lazy("Learner's last name"), max_length=100,
        error_messages={"required": gettext_lazy("Enter the learner's last name.")})
    national_number = NationalNumberFormField(
        label=gettext_lazy("Learner's national register number"),
        help_text=gettext_lazy("For example 09.01.01-123.72. The birth date is worked out from "
                               "it. The number is stored protected and shown masked."),
        error_messages={"required": gettext_lazy("Enter the learner's national register "
                                                 "number.")})
    training_provider = CatalogueChoiceField(
        label=gettext_lazy("Training provider"), queryset=None,
        error_messages={"required": gettext_lazy("Choose the training provider."),
                        "invalid_choice": gettext_lazy("Choose a training provider from the "
                                                       "list.")})
    mentor = forms.ChoiceField()  # replaced in __init__ with the recognition's mentors
    start_date = forms.DateField()  # replaced in __init__
    end_date = forms.DateField()  # replaced in __init__
    weekly_hours = HoursField(
        label=gettext_lazy("Hours a week at the workplace, on average"),
        error_messages={"required": gettext_lazy("Enter the hours a week at the workplace.")})

    def __init__(self, *args, providers=None, mentor_options=(), **kwargs):
        super().__init__(*args, **kwargs)
        if providers is None:
            del self.fields["training_provider"]
        else:
            field = self.fields["training_provider"]
            field.queryset = providers
            field.empty_label = _("Choose the training provider")
        self.fields["mentor"] = _mentor_field(mentor_options, label=_("Mentor"))
        self.fields["start_date"] = _date_field(_("Start"), _("Enter the start date."))
        self.fields["end_date"] = _date_field(_("End"), _("Enter the end date."))
        # Keep the fields in the order of the page.
        order = ["first_name", "last_name", "national_number", "training_provider", "mentor",
                 "start_date", "end_date", "weekly_hours"]
        self.order_fields([name for name in order if name in self.fields])

    def clean_mentor(self):
        return int(self.cleaned_data["mentor"])


class EndForm(forms.Form):
    """Ending an agreement before its end date (or withdrawing a registration)."""

    on_day = DateInputField(
        label=gettext_lazy("Last day"),
        help_text=gettext_lazy("The last day the learner trains at the workplace under this "
                               "agreement. For example 27 3 2026."),
        error_messages={"required": gettext_lazy("Enter the last day.")})
    note = forms.CharField(
        label=gettext_lazy("Why does the agreement end?"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The other side and the partnership read this. Do not write "
                               "medical or other sensitive details."),
        error_messages={"required": gettext_lazy("Say why the agreement ends."),
                        "max_length": gettext_lazy("Write at most 2000 characters.")})


class MentorChangeForm(forms.Form):
    """Another active mentor of the recognition for a running agreement."""

    mentor = forms.ChoiceField()  # replaced in __init__

    def __init__(self, *args, mentor_options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"] = _mentor_field(mentor_options, label=_("New mentor"))

    def clean_mentor(self):
        return int(self.cleaned_data["mentor"])


class WorkplaceSearchForm(forms.Form):
    """A learner coach looks up a recognised workplace by enterprise name or number."""

    zoek = forms.CharField(
        label=gettext_lazy("Enterprise name or enterprise number"), max_length=100,
        min_length=2,
        help_text=gettext_lazy("For example De Zwaluw, or 0412.345.614."),
        error_messages={"required": gettext_lazy("Enter the name or the number of the "
                                                 "enterprise."),
                        "min_length": gettext_lazy("Enter at least 2 characters.")},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                      "spellcheck": "false", "class": "govuk-!-width-two-thirds"}))


class HandlerFilterForm(forms.Form):
    """The filters of the partnership's list of agreements. The field names are the query
    parameters (Dutch, like the URLs), so a filtered list can be bookmarked."""

    zoek = forms.CharField(
        label=gettext_lazy("Enterprise name or number"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                      "spellcheck": "false"}))
    opleiding = CatalogueChoiceField(
        label=gettext_lazy("Programme"), queryset=None, required=False,
        empty_label=gettext_lazy("All programmes"),
        error_messages={"invalid_choice": gettext_lazy("Choose a programme from the list.")})

    def __init__(self, data=None, **kwargs):
        from werkplek.catalog.models import Programme

        super().__init__(data, **kwargs)
        english = (get_language() or "nl").startswith("en")
        self.fields["opleiding"].queryset = Programme.objects.order_by(
            "name_en" if english else "name_nl")
        for field in self.fields.values():
            field.hide_optional = True  # every filter is optional: saying so is noise
            field.widget.attrs["class"] = "govuk-!-width-full"

    def filters(self) -> dict:
        """The valid filters as keyword arguments of `selectors.handler_agreements`; a field
        with a wrong value is left out (the form shows why)."""
        data = self.cleaned_data if self.is_bound else {}
        return {
            "programme_id": data["opleiding"].pk if data.get("opleiding") else None,
            "search": data.get("zoek") or "",
        }
