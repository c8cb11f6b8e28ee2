from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkplek.core.fields import NationalNumberFormField

from .models import Enterprise, Mandate

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
ALL_UNITS, CHOSEN_UNITS = "all", "chosen"


def _date_field(label, help_text, *, required: bool) -> forms.DateField:
    return forms.DateField(
        label=label, help_text=help_text, required=required, input_formats=DATE_INPUT_FORMATS,
        error_messages={
            "required": _("Enter the end date of the mandate."),
            "invalid": _("Enter the date as day/month/year, for example 31/08/2027."),
        },
        widget=forms.DateInput(format="%d/%m/%Y",
                               attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


# The largest primary key a database can hold (a 64-bit integer).
MAX_KEY = 2**63 - 1


class UnitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.formatted_number}), {obj.address}"

    def _check_values(self, value):
        """A number beyond any primary key is no unit of the enterprise (Django would look it
        up with `pk__in`, which SQLite refuses with an OverflowError)."""
        for key in value:
            text = str(key).strip().lstrip("+-")
            if text.isascii() and text.isdigit() and int(text) > MAX_KEY:
                raise forms.ValidationError(self.error_messages["invalid_choice"],
                                            code="invalid_choice", params={"value": key})
        return super()._check_values(value)


class GrantMandateForm(forms.Form):
    """What a legal representative fills in to mandate a learner coach.

    Only the shape of the answers is checked here; the rules (who can be mandated, the dates,
    the scope) are checked by ``services.grant_mandate``.
    """

    holder_email = forms.EmailField(
        label=_("E-mail address"), required=False,
        help_text=_("The address the learner coach uses in Werkplek."),
        error_messages={"invalid": _("Enter an e-mail address like name@example.be.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    holder_national_number = NationalNumberFormField(
        label=_("Or: national register number"), required=False,
        help_text=_("For example 85.07.30-033.28."),
    )
    scope = forms.ChoiceField(
        label=_("For which establishment units?"),
        choices=[(ALL_UNITS, _("All establishment units, also ones added later")),
                 (CHOSEN_UNITS, _("Only the establishment units I choose below"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose all establishment units or only some.")},
    )
    units = UnitChoiceField(
        label=_("Establishment units"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when the mandate is not for all establishment units."),
        error_messages={"invalid_choice": _("Choose establishment units of this enterprise.")},
    )
    permissions = forms.MultipleChoiceField(
        label=_("What may the learner coach do?"),
        choices=[(Mandate.FILE_APPLICATIONS,
                  _("File and follow applications for recognition")),
                 (Mandate.MANAGE_AGREEMENTS, _("Manage agreements with learners"))],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose what the learner coach may do: file "
                                      "applications, manage agreements, or both.")},
    )
    valid_from = _date_field(
        _("Valid from"), _("For example 01/09/2026. Today, unless you change it."),
        required=False,
    )
    valid_until = _date_field(
        _("Valid until"),
        _("For example 31/08/2027. The mandate ends at the end of that day."),
        required=True,
    )

    def __init__(self, *args, enterprise: Enterprise, **kwargs):
        kwargs.setdefault("initial", {"valid_from": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = enterprise.units.order_by("name")

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("holder_email")
        number = cleaned.get("holder_national_number")
        if email and number:
            raise forms.ValidationError(_(
                "Enter either the e-mail address or the national register number of the "
                "learner coach, not both."
            ))
        if not email and not number and not self.has_error("holder_email") \
                and not self.has_error("holder_national_number"):
            self.add_error("holder_email", _(
                "Enter the e-mail address or the national register number of the learner "
                "coach."
            ))
        if cleaned.get("scope") == CHOSEN_UNITS and not cleaned.get("units") \
                and not self.has_error("units"):
            self.add_error("units", _("Choose at least one establishment unit, or all units."))
        return cleaned

    def service_arguments(self) -> dict:
        """The cleaned answers as the keyword arguments of ``services.grant_mandate``."""
        data = self.cleaned_data
        all_units = data["scope"] == ALL_UNITS
        return {
            "holder_email": data.get("holder_email") or None,
            "holder_national_number": data.get("holder_national_number") or None,
            "all_units": all_units,
            "units": [] if all_units else list(data.get("units") or []),
            "may_file_applications": Mandate.FILE_APPLICATIONS in data["permissions"],
            "may_manage_agreements": Mandate.MANAGE_AGREEMENTS in data["permissions"],
            "valid_from": data.get("valid_from"),
            "valid_until": data["valid_until"],
        }
