from django import forms
from django.utils.translation import gettext_lazy as _

from werkplek.catalog.models import Programme
from werkplek.conditions.rules import document_name
from werkplek.core.fields import (
    EnterpriseNumberFormField,
    EstablishmentUnitNumberFormField,
    NationalNumberFormField,
)
from werkplek.core.uploads import DocumentField


class ChooseEnterpriseForm(forms.Form):
    """The enterprise by its enterprise number (KBO), among those the user may apply for."""

    enterprise_number = EnterpriseNumberFormField(
        label=_("Enterprise number"),
        error_messages={"required": _("Enter the enterprise number.")},
    )

    def __init__(self, *args, enterprises, coach: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprises = enterprises
        self.coach = coach
        self.needs_mandate_document = False
        names = ", ".join(f"{e.name} ({e.formatted_number})" for e in enterprises[:5])
        self.fields["enterprise_number"].help_text = (
            _("For example 0123.456.749. You can apply for: %(names)s.") % {"names": names}
            if names else _("For example 0123.456.749."))
        if coach:
            # A coach without a mandate in Werkplek may file with a signed mandate document.
            self.fields["mandate_document"] = DocumentField(
                label=_("Mandate document signed by the enterprise"), required=False,
                help_text=_("Only if the enterprise has not granted you a mandate in Werkplek. "
                            "The partnership checks the document. PDF, JPEG or PNG, at most "
                            "10 MB."))
            self.fields["mandate_document"].hide_optional = True
            self.fields["mandate_valid_until"] = forms.DateField(
                label=_("The mandate is valid until"), required=False,
                input_formats=["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"],
                help_text=_("As written on the document, for example 31/08/2027."),
                error_messages={"invalid": _("Enter the date as day/month/year, for example "
                                             "31/08/2027.")},
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
            self.fields["mandate_valid_until"].hide_optional = True

    def clean_enterprise_number(self):
        from werkplek.enterprises.models import Enterprise

        number = self.cleaned_data["enterprise_number"]
        enterprise = self.enterprises.filter(enterprise_number=number).first()
        if enterprise is None and self.coach:
            enterprise = Enterprise.objects.filter(enterprise_number=number).first()
            if enterprise is None:
                raise forms.ValidationError(
                    _("This enterprise does not use Werkplek yet. Its legal representative "
                      "must log in first."), code="unknown_enterprise")
            self.needs_mandate_document = True
        if enterprise is None:
            raise forms.ValidationError(
                _("You cannot apply for the enterprise with this number. A legal "
                  "representative of the enterprise can give you access or a mandate."),
                code="not_yours")
        self.cleaned_data["enterprise"] = enterprise
        return number

    def clean(self):
        cleaned = super().clean()
        if self.needs_mandate_document:
            if not cleaned.get("mandate_document") and "mandate_document" not in self.errors:
                self.add_error("mandate_document", _(
                    "The enterprise has not granted you a mandate in Werkplek: upload the "
                    "mandate document it signed."))
            if not cleaned.get("mandate_valid_until") and \
                    "mandate_valid_until" not in self.errors:
                self.add_error("mandate_valid_until", _("Enter the end date of the mandate."))
        return cleaned


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
    infrastructure_fits = forms.ChoiceField(
        label=_("Do the space, equipment, safety measures and supervision at this "
                "establishment unit let the learner carry out the activities of the training "
                "plan?"),
        help_text=_("Infrastructure and organisation. The partnership may visit the site."),
        choices=YES_NO, widget=forms.RadioSelect,
        error_messages={"required": _("Answer whether the infrastructure and organisation "
                                      "fit the training plan.")},
    )

    def __init__(self, *args, application_extras=(), present=(), **kwargs):
        """`application_extras`: the sector's documents asked once per application (for
        example hospitality's RSZ certificate); `present`: codes already uploaded."""
        super().__init__(*args, **kwargs)
        self.extra_codes = []
        for document in application_extras:
            name = f"extra_{document.code}"
            self.extra_codes.append((document.code, name))
            options = {"label": document_name(document), "required": False}
            if document.code in present:
                options["help_text"] = _("Already uploaded. Upload a new file only to "
                                         "replace it.")
            self.fields[name] = DocumentField(**options)

    def extras(self) -> dict:
        return {code: self.cleaned_data.get(name) for code, name in self.extra_codes}


class MentorForm(forms.Form):
    """A mentor for the application: a known mentor of the enterprise, or a new one."""

    existing = forms.ModelChoiceField(
        queryset=None, required=False, widget=forms.RadioSelect, empty_label=None,
        label=_("Mentors already known for the enterprise"),
    )
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    national_number = NationalNumberFormField(
        label=_("National register number"), required=False,
        help_text=_("For example 85.07.30-033.28. The age is worked out from it."),
    )
    years_of_experience = forms.IntegerField(
        label=_("Years of professional experience in the occupation"), min_value=0,
        max_value=60,
        error_messages={"required": _("Enter the years of professional experience."),
                        "invalid": _("Enter the number of years as a whole number, like 6."),
                        "min_value": _("The number of years cannot be negative."),
                        "max_value": _("Enter at most 60 years.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    training = forms.ChoiceField(
        label=_("Mentor training"), widget=forms.RadioSelect,
        choices=[("done", _("The mentor has followed the mentor training")),
                 ("will_follow", _("The mentor will follow it within the sector's deadline")),
                 ("wont_follow", _("The mentor will not follow it"))],
        error_messages={"required": _("Choose the state of the mentor training.")},
    )
    extract = DocumentField(
        label=_("Extract from the criminal record, model 596.2"), required=False,
        help_text=_("For work with minors, not older than 3 months. PDF, JPEG or PNG, at most "
                    "10 MB."),
    )
    derogation_requested = forms.BooleanField(
        label=_("The mentor has fewer years of experience than required: I ask for a "
                "derogation with a proof of prior education"), required=False,
    )
    proof = DocumentField(
        label=_("Proof of prior education"), required=False,
        help_text=_("A certificate from a regular education institution covering the "
                    "competences of the training plan, or an EVC proof."),
    )

    def __init__(self, *args, known_mentors, entry=None, mentor_extras=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Required or not depends on other answers (checked in clean): no "(optional)" label.
        for name in ("first_name", "last_name", "national_number", "extract", "proof"):
            self.fields[name].hide_optional = True
        self.entry = entry
        self.has_extract = bool(entry and entry.documents.filter(
            kind="criminal_record_extract").exists())
        self.has_proof = bool(entry and entry.documents.filter(
            kind="prior_education_proof").exists())
        if entry is not None:
            for name in ("existing", "first_name", "last_name", "national_number"):
                del self.fields[name]
        else:
            self.fields["existing"].queryset = known_mentors
            self.fields["existing"].label_from_instance = lambda m: (
                f"{m.full_name} ({m.masked_national_number})")
            if not known_mentors.exists():
                del self.fields["existing"]
        self.extra_codes = []
        for document in mentor_extras:
            name = f"extra_{document.code}"
            self.extra_codes.append((document.code, name))
            self.fields[name] = DocumentField(label=document_name(document), required=False)

    def clean(self):
        cleaned = super().clean()
        if self.entry is None:
            chosen = cleaned.get("existing")
            new = any(cleaned.get(f) for f in ("first_name", "last_name", "national_number"))
            if chosen and new:
                self.add_error("national_number", _("Choose a known mentor or fill in a new "
                                                    "one, not both."))
            elif not chosen:
                for field, message in (("first_name", _("Enter the mentor's first name.")),
                                       ("last_name", _("Enter the mentor's last name.")),
                                       ("national_number", _("Enter the mentor's national "
                                                             "register number."))):
                    if not cleaned.get(field) and field not in self.errors:
                        self.add_error(field, message)
        if not cleaned.get("extract") and not self.has_extract and "extract" not in self.errors:
            self.add_error("extract", _("Upload the extract from the criminal record, model "
                                        "596.2, of the mentor."))
        if cleaned.get("derogation_requested") and not cleaned.get("proof") \
                and not self.has_proof and "proof" not in self.errors:
            self.add_error("proof", _("Upload the proof of prior education for the "
                                      "derogation."))
        return cleaned

    def extras(self) -> dict:
        return {code: self.cleaned_data.get(name) for code, name in self.extra_codes}


class DeclarationForm(forms.Form):
    declaration = DocumentField(label=_("The signed declaration on honour"))


class NewUnitForm(forms.Form):
    unit_number = EstablishmentUnitNumberFormField(
        label=_("Establishment unit number"),
        help_text=_("10 digits, starting with 2 to 8, for example 2.123.456.789. You find it "
                    "in the Crossroads Bank for Enterprises (KBO)."),
        error_messages={"required": _("Enter the establishment unit number.")},
    )
    name = forms.CharField(label=_("Name of the establishment unit"), max_length=200,
                           error_messages={"required": _("Enter the name of the unit.")})
    street = forms.CharField(label=_("Street and number"), max_length=200,
                             error_messages={"required": _("Enter the street and number.")})
    postal_code = forms.RegexField(
        label=_("Postal code"), regex=r"^\d{4}$", max_length=4,
        error_messages={"required": _("Enter the postal code."),
                        "invalid": _("A Belgian postal code has 4 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    joint_committee = forms.ModelChoiceField(
        queryset=None, label=_("Joint committee"),
        help_text=_("The paritair comité of the workers at this site."),
        error_messages={"required": _("Choose the joint committee.")},
    )

    def __init__(self, *args, **kwargs):
        from werkplek.catalog.models import JointCommittee

        super().__init__(*args, **kwargs)
        self.fields["joint_committee"].queryset = JointCommittee.objects.all()
        self.fields["joint_committee"].empty_label = _("Choose a joint committee")


class CompletionRequestForm(forms.Form):
    sections = forms.MultipleChoiceField(
        label=_("Which parts must the applicant complete?"), widget=forms.CheckboxSelectMultiple,
        choices=[("unit", _("Enterprise and establishment unit")),
                 ("programme", _("Programme and activities")),
                 ("workplace", _("Workplace conditions")),
                 ("mentors", _("Mentors")),
                 ("declaration", _("Declaration on honour"))],
        error_messages={"required": _("Choose at least one part to complete.")},
    )
    message = forms.CharField(
        label=_("What is missing"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The applicant sees this text and receives it by e-mail."),
        error_messages={"required": _("Say what is missing.")},
    )
