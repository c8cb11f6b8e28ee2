"""One form per self-scan page. Answers are kept in the session as plain values; the mentor's
birth date or national register number is read once to work out the age and never kept."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from werkplek.catalog.models import JointCommittee, Programme, Province
from werkplek.conditions.rules import document_name
from werkplek.core.fields import NationalNumberFormField
from werkplek.core.identifiers import age_on, parse_national_number

YES, NO, UNKNOWN = "yes", "no", "unknown"
YES_NO_UNKNOWN = [(YES, _("Yes")), (NO, _("No")), (UNKNOWN, _("I don't know yet"))]


def _radios(label, help_text="", choices=YES_NO_UNKNOWN, required_message=None):
    return forms.ChoiceField(
        label=label, help_text=help_text, choices=choices, widget=forms.RadioSelect,
        error_messages={"required": required_message or _("Choose one of the answers.")},
    )


class ProgrammeForm(forms.Form):
    programme = forms.ChoiceField(
        label=_("Programme"),
        help_text=_("Pick the exact name of the dual programme the learner will follow."),
        error_messages={"required": _("Choose the programme."),
                        "invalid_choice": _("Choose a programme from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        for programme in Programme.objects.filter(is_active=True).select_related("sector"):
            groups.setdefault(programme.sector.name, []).append((programme.code, programme.name))
        self.fields["programme"].choices = [("", _("Choose a programme"))] + [
            (sector, sorted(items, key=lambda item: item[1])) for sector, items in
            sorted(groups.items())
        ]


class EstablishmentForm(forms.Form):
    joint_committee = forms.ChoiceField(
        label=_("Joint committee of the establishment unit"),
        help_text=_("The paritair comité of the workers at this site. You find it on the "
                    "payslips or with your social secretariat."),
        error_messages={"required": _("Choose the joint committee, or that you don't know it."),
                        "invalid_choice": _("Choose a joint committee from the list.")},
    )
    province = forms.ChoiceField(
        label=_("Province of the establishment unit"),
        error_messages={"required": _("Choose the province where the establishment unit is."),
                        "invalid_choice": _("Choose a province from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["joint_committee"].choices = [("", _("Choose a joint committee"))] + [
            (jc.number, f"PC {jc.number} – {jc.name}") for jc in JointCommittee.objects.all()
        ] + [(UNKNOWN, _("I don't know"))]
        provinces = Province.objects.filter(contact_point__isnull=False).order_by("name_nl")
        self.fields["province"].choices = [("", _("Choose a province"))] + [
            (p.code, p.name) for p in provinces
        ]


class WorkplaceForm(forms.Form):
    financial_capacity = _radios(
        _("Is the enterprise financially strong enough to let a learner finish the programme?"),
        _("Solvency and viability: the enterprise can keep the learner for the whole programme."),
    )
    has_convictions = _radios(
        _("Has the enterprise been convicted for labour law or social security (RSZ) offences?"),
        _("Convictions for breaking labour law or social-security law."),
    )


class ActivitiesForm(forms.Form):
    activities = forms.MultipleChoiceField(
        label=_("Which activities can your workplace offer the learner?"),
        help_text=_("Select every activity of the programme's list that the learner can carry "
                    "out at this establishment unit."),
        widget=forms.CheckboxSelectMultiple, required=False,
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].choices = [
            (str(index), text) for index, text in enumerate(programme.activity_texts())
        ]


class MentorForm(forms.Form):
    """A mentor: the age from a birth date or a national register number, never both kept."""

    birth_date = forms.DateField(
        label=_("Date of birth"), required=False,
        help_text=_("For example 14/05/1980. Or fill in the national register number below."),
        input_formats=["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"],
        error_messages={"invalid": _("Enter the date of birth as day/month/year, for "
                                     "example 14/05/1980.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    national_number = NationalNumberFormField(
        label=_("Or: national register number"), required=False,
        help_text=_("For example 85.07.30-033.28. We only use it to work out the age; it is "
                    "not kept."),
    )
    years_of_experience = forms.IntegerField(
        label=_("Years of professional experience in the occupation"), min_value=0,
        max_value=60, required=False,
        help_text=_("Leave empty if you don't know yet."),
        error_messages={"invalid": _("Enter the number of years as a whole number, like 6."),
                        "min_value": _("The number of years cannot be negative."),
                        "max_value": _("Enter at most 60 years.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    criminal_record_extract = _radios(
        _("Can the mentor show an extract from the criminal record, model 596.2?"),
        _("The extract for work with minors shows blameless conduct. It is asked for every "
          "mentor."),
    )
    prior_education_proof = _radios(
        _("If the mentor has fewer years of experience than required: is there a proof of prior "
          "education?"),
        _("A certificate from a regular education institution covering the competences of the "
          "training plan, or an EVC proof of competences acquired elsewhere."),
        choices=[(YES, _("Yes")), (NO, _("No")), (UNKNOWN, _("I don't know yet")),
                 ("na", _("Not needed: the mentor has enough experience"))],
    )
    training = forms.ChoiceField(
        label=_("Mentor training"),
        choices=[("done", _("The mentor has followed the mentor training")),
                 ("will_follow", _("The mentor will follow it within the sector's deadline")),
                 ("wont_follow", _("The mentor will not follow it")),
                 (UNKNOWN, _("I don't know yet"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the answers about the mentor training.")},
    )

    def __init__(self, *args, on_day: date, mentor_extras=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.on_day = on_day
        if mentor_extras:
            self.fields["extra_documents"] = forms.MultipleChoiceField(
                label=_("Documents the sector asks for each mentor"),
                help_text=_("Select the documents the mentor can already show."),
                choices=[(doc.code, document_name(doc)) for doc in mentor_extras],
                widget=forms.CheckboxSelectMultiple, required=False,
            )

    def clean(self):
        cleaned = super().clean()
        birth_date = cleaned.get("birth_date")
        number = cleaned.get("national_number")
        age = None
        if birth_date:
            if birth_date > self.on_day:
                self.add_error("birth_date", _("The date of birth cannot be in the future."))
                return cleaned
            age = age_on(birth_date, self.on_day)
        if number:
            parsed = parse_national_number(number)
            try:
                number_age = parsed.age_on(self.on_day)
            except ValueError:  # born after today: not a possible mentor
                self.add_error("national_number", _(
                    "The date of birth in this national register number lies in the future."))
                return cleaned
            if birth_date and parsed.birth_date and parsed.birth_date != birth_date:
                self.add_error("national_number", _(
                    "The date of birth in this national register number differs from the date "
                    "of birth above. Check both, or fill in only one."))
                return cleaned
            age = age if age is not None else number_age
        cleaned["age"] = age
        return cleaned

    def answers(self) -> dict:
        """What is kept: the age in years, never the birth date or the number."""
        data = self.cleaned_data
        return {
            "age": data.get("age"),
            "years": data.get("years_of_experience"),
            "extract": data["criminal_record_extract"],
            "proof": data["prior_education_proof"],
            "training": data["training"],
            "extras": list(data.get("extra_documents", [])),
            "extras_asked": [code for code, _label in
                             self.fields["extra_documents"].choices]
            if "extra_documents" in self.fields else [],
        }

    @classmethod
    def initial_from(cls, answers: dict) -> dict:
        return {
            "years_of_experience": answers.get("years"),
            "criminal_record_extract": answers.get("extract"),
            "prior_education_proof": answers.get("proof"),
            "training": answers.get("training"),
            "extra_documents": answers.get("extras", []),
        }


class AddAnotherMentorForm(forms.Form):
    add_another = forms.ChoiceField(
        label=_("Do you want to add another mentor?"),
        choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you want to add another mentor.")},
    )


class ApplicationForm(forms.Form):
    filed_by = forms.ChoiceField(
        label=_("Who will file the application?"),
        choices=[("enterprise", _("The enterprise itself")),
                 ("other", _("A learner coach of a school or a sector employee, on behalf of "
                             "the enterprise"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who will file the application.")},
    )
    mandate = forms.ChoiceField(
        label=_("If someone files on behalf of the enterprise: has the enterprise given them a "
                "mandate?"),
        help_text=_("The enterprise's signed permission to manage its data and file on its "
                    "behalf. Not needed when the enterprise files itself."),
        choices=YES_NO_UNKNOWN, widget=forms.RadioSelect, required=False,
    )
    declaration = forms.ChoiceField(
        label=_("Will the enterprise fill in and sign a declaration on honour for this "
                "application?"),
        help_text=_("It is required for every application."),
        choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the enterprise will sign the "
                                      "declaration on honour.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("filed_by") == "other" and not cleaned.get("mandate"):
            self.add_error("mandate", _("Choose whether the enterprise has given a mandate to "
                                        "the person who files."))
        if cleaned.get("filed_by") == "enterprise":
            cleaned["mandate"] = ""
        return cleaned

    def __init__(self, *args, application_extras=(), **kwargs):
        super().__init__(*args, **kwargs)
        if application_extras:
            self.fields["extra_documents"] = forms.MultipleChoiceField(
                label=_("Documents the sector asks for this application"),
                help_text=_("Select the documents the enterprise can already show."),
                choices=[(doc.code, document_name(doc)) for doc in application_extras],
                widget=forms.CheckboxSelectMultiple, required=False,
            )


class HelpRequestForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200,
                           error_messages={"required": _("Enter your name.")})
    enterprise_name = forms.CharField(label=_("Name of the enterprise"), max_length=200,
                                      required=False)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        error_messages={"required": _("Enter your e-mail address so the contact point can "
                                      "answer you."),
                        "invalid": _("Enter an e-mail address like name@example.be.")},
    )
    phone = forms.CharField(label=_("Your phone number"), max_length=40, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel",
                                                          "inputmode": "tel"}))
    message = forms.CharField(label=_("Your question"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    consent = forms.BooleanField(
        label=_("I agree that the summary of this scan and my contact details are sent to the "
                "provincial contact point, which will contact me."),
        error_messages={"required": _("Give your consent, or we cannot send your request.")},
    )
