"""Forms of the recognitions pages: the filters of the partnership's register (GET), a mentor
added to or replacing one of a recognition, stopping a mentor, and the enterprise's answer to
a support action. The rules themselves are checked by the services; the forms check only what
was typed."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from werkplek.core.fields import NationalNumberFormField
from werkplek.core.uploads import DocumentField


class _NameChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class HandlerRegisterFilterForm(forms.Form):
    """The filters of the partnership's register. The field names are the query parameters
    (Dutch, like the URLs), so a filtered register can be bookmarked."""

    zoek = forms.CharField(
        label=_("Enterprise name or number"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                      "spellcheck": "false"}))
    opleiding = _NameChoiceField(
        label=_("Programme"), queryset=None, required=False, empty_label=_("All programmes"),
        error_messages={"invalid_choice": _("Choose a programme from the list.")})
    provincie = _NameChoiceField(
        label=_("Province of the unit"), queryset=None, required=False,
        empty_label=_("All provinces"),
        error_messages={"invalid_choice": _("Choose a province from the list.")})
    zonder_mentor = forms.BooleanField(
        label=_("Only without an active mentor"), required=False)
    opvolging = forms.BooleanField(
        label=_("Only with a support action due for follow-up"), required=False)

    def __init__(self, data=None, **kwargs):
        from werkplek.catalog.models import Programme, Province

        super().__init__(data, **kwargs)
        english = (get_language() or "nl").startswith("en")
        self.fields["opleiding"].queryset = Programme.objects.order_by(
            "name_en" if english else "name_nl")
        self.fields["provincie"].queryset = Province.objects.order_by(
            "name_en" if english else "name_nl")
        for name, field in self.fields.items():
            field.hide_optional = True  # every filter is optional: saying so is noise
            if name in ("zoek", "opleiding", "provincie"):
                field.widget.attrs["class"] = "govuk-!-width-full"

    def filters(self) -> dict:
        """The valid filters as keyword arguments of `selectors.handler_recognitions`; a field
        with a wrong value is left out (the form shows why)."""
        data = self.cleaned_data if self.is_bound else {}
        return {
            "programme_id": data["opleiding"].pk if data.get("opleiding") else None,
            "province_id": data["provincie"].pk if data.get("provincie") else None,
            "search": data.get("zoek") or "",
            "without_mentor": bool(data.get("zonder_mentor")),
            "follow_up_due": bool(data.get("opvolging")),
        }


def training_choices():
    from werkplek.applications.models import ApplicationMentor

    return [(value, capfirst(label)) for value, label in ApplicationMentor.Training.choices]


class MentorForm(forms.Form):
    """A mentor for a recognition in force: a known mentor of the enterprise, or a new one by
    name and national register number; with what the conditions ask. The service checks the
    conditions (age, experience, extract, training, no mentor ban) and says which are not
    met."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    existing = forms.ModelChoiceField(
        queryset=None, required=False, widget=forms.RadioSelect, empty_label=None,
        label=_("Mentors already known for the enterprise"),
        error_messages={"invalid_choice": _("Choose one of the mentors in the list.")})
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    national_number = NationalNumberFormField(
        label=_("National register number"), required=False,
        help_text=_("For example 85.07.30-033.28. The age is worked out from it."))
    years_of_experience = forms.IntegerField(
        label=_("Years of professional experience in the occupation"), min_value=0,
        max_value=60,
        error_messages={"required": _("Enter the years of professional experience."),
                        "invalid": _("Enter the number of years as a whole number, like 6."),
                        "min_value": _("The number of years cannot be negative."),
                        "max_value": _("Enter at most 60 years.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}))
    training = forms.ChoiceField(
        label=_("Mentor training"), widget=forms.RadioSelect, choices=(),
        error_messages={"required": _("Choose the state of the mentor training.")})
    extract = DocumentField(
        label=_("Extract from the criminal record, model 596.2"), required=False,
        help_text=_("For work with minors, not older than 3 months. PDF, JPEG or PNG, at most "
                    "10 MB."))
    proof = DocumentField(label=_("Proof of prior education"), required=False)

    def __init__(self, *args, known_mentors, min_experience_years: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training"].choices = training_choices()
        self.fields["proof"].help_text = _(
            "Only when the mentor has fewer than %(years)s years of experience: a certificate "
            "from a regular education institution covering the competences of the training "
            "plan, or an EVC proof. PDF, JPEG or PNG, at most 10 MB.") % {
            "years": min_experience_years}
        # Required or not depends on other answers (checked in clean, or by the conditions):
        # no "(optional)" in the label.
        for name in ("first_name", "last_name", "national_number", "extract"):
            self.fields[name].hide_optional = True
        if known_mentors.exists():
            self.fields["existing"].queryset = known_mentors
            self.fields["existing"].label_from_instance = lambda m: (
                f"{m.full_name} ({m.masked_national_number})")
            self.fields["existing"].hide_optional = True
        else:
            del self.fields["existing"]

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("existing")
        new = any(cleaned.get(name) for name in ("first_name", "last_name", "national_number"))
        if chosen and new:
            self.add_error("national_number", _("Choose a known mentor or fill in a new one, "
                                                "not both."))
        elif not chosen:
            for name, message in (("first_name", _("Enter the mentor's first name.")),
                                  ("last_name", _("Enter the mentor's last name.")),
                                  ("national_number", _("Enter the mentor's national register "
                                                        "number."))):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return cleaned


class DeactivateMentorForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Why does the mentor stop?"), required=False, max_length=200,
        help_text=_("For example: left the enterprise, another job. At most 200 characters."),
        widget=forms.Textarea(attrs={"rows": 3}))


class SupportActionAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what you did or will do, and by when. The partnership reads it before "
                    "the follow-up."),
        error_messages={"required": _("Say what you did or will do."),
                        "max_length": _("Write at most 4000 characters.")})
