from django import forms
from django.utils.translation import gettext_lazy as _

from werkplek.catalog.models import Programme


class ChooseEnterpriseForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        queryset=None, label=_("For which enterprise do you apply?"), widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the enterprise."),
                        "invalid_choice": _("Choose one of the enterprises in the list.")},
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["enterprise"].label_from_instance = lambda e: f"{e.name} ({e.formatted_number})"


class UnitForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=None, label=_("Establishment unit"), widget=forms.RadioSelect, empty_label=None,
        help_text=_("Recognition is per establishment unit: the site where the learner works."),
        error_messages={"required": _("Choose the establishment unit."),
                        "invalid_choice": _("Choose one of the establishment units in the list.")},
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: (
            f"{u.name} – {u.formatted_number} – {u.address}"
            + (f" – PC {u.joint_committee.number}" if u.joint_committee else ""))


class ProgrammeForm(forms.Form):
    """The programme by its exact name; a list of suggestions works without JavaScript."""

    programme = forms.CharField(
        label=_("Programme"), max_length=200,
        help_text=_("Type the exact name of the programme, for example “Dakwerker duaal”, and "
                    "choose it from the suggestions."),
        error_messages={"required": _("Enter the name of the programme.")},
        widget=forms.TextInput(attrs={"list": "programme-names", "autocomplete": "off",
                                      "spellcheck": "false"}),
    )

    def clean_programme(self):
        name = " ".join(self.cleaned_data["programme"].split())
        programme = (Programme.objects.filter(is_active=True, name_nl__iexact=name).first()
                     or Programme.objects.filter(is_active=True, name_en__iexact=name).first())
        if programme is None:
            suggestions = list(Programme.objects.filter(is_active=True,
                                                        name_nl__icontains=name[:20])
                               .values_list("name_nl", flat=True)[:3])
            message = _("There is no programme with exactly this name.")
            if suggestions:
                message = _("There is no programme with exactly this name. Did you mean: "
                            "%(names)s?") % {"names": ", ".join(suggestions)}
            raise forms.ValidationError(message, code="unknown")
        return programme


class ActivitiesForm(forms.Form):
    activities = forms.MultipleChoiceField(
        label=_("Which activities can your workplace offer?"),
        help_text=_("The workplace must be able to offer the activities of the training plan."),
        widget=forms.CheckboxSelectMultiple, required=False,
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].choices = [
            (str(i), text) for i, text in enumerate(programme.activity_texts())]

    def clean_activities(self):
        return [int(value) for value in self.cleaned_data["activities"]]


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class WorkplaceForm(forms.Form):
    financial_capacity = forms.ChoiceField(
        label=_("Is the enterprise financially strong enough to let a learner finish the "
                "programme?"),
        help_text=_("Solvency and viability. You declare this on your honour; the partnership "
                    "may check it."),
        choices=YES_NO, widget=forms.RadioSelect,
        error_messages={"required": _("Answer whether the enterprise has the financial "
                                      "capacity.")},
    )
    has_convictions = forms.ChoiceField(
        label=_("Has the enterprise been convicted for labour law or social security (RSZ) "
                "offences?"),
        choices=YES_NO, widget=forms.RadioSelect,
        error_messages={"required": _("Answer whether the enterprise has been convicted.")},
    )
