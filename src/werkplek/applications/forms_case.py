"""Forms of the case page (dossier): one per back-office action. They only parse what was
typed and say clearly what is wrong with it; the rules live in `backoffice`."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Application, ApplicationMentor, InvestigationStep


class VersionForm(forms.Form):
    """A form whose action changes the case's state: it carries the version of the case it
    was shown with, so that a page that is out of date is refused (`StaleApplication`)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1,
                                 error_messages={"required": _("The page is out of date: "
                                                               "reload it and try again."),
                                                 "invalid": _("The page is out of date: "
                                                              "reload it and try again.")})


# A GOV.UK date input: three boxes (day, month, year) in a fieldset --------------------------

class DateInputWidget(forms.MultiWidget):
    template_name = "applications/case/widgets/date_input.html"

    def __init__(self, attrs=None):
        day = {"class": "govuk-date-input__input govuk-input--width-2", "inputmode": "numeric"}
        year = {"class": "govuk-date-input__input govuk-input--width-4", "inputmode": "numeric"}
        super().__init__([forms.TextInput(attrs=day), forms.TextInput(attrs=dict(day)),
                          forms.TextInput(attrs=year)], attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class DateInputField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK's messages for each way it goes
    wrong; `past_only` refuses a day after today."""

    widget = DateInputWidget

    MISSING = {
        ("day",): _("The date must include a day."),
        ("month",): _("The date must include a month."),
        ("year",): _("The date must include a year."),
        ("day", "month"): _("The date must include a day and a month."),
        ("day", "year"): _("The date must include a day and a year."),
        ("month", "year"): _("The date must include a month and a year."),
    }

    def __init__(self, *, past_only: bool = False, **kwargs):
        self.past_only = past_only
        parts = [forms.CharField(required=False) for _part in range(3)]
        super().__init__(fields=parts, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = tuple(name for name, part in (("day", day), ("month", month), ("year", year))
                        if not part)
        if len(missing) == 3:
            return None
        if missing:
            raise forms.ValidationError(self.MISSING[missing], code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(_("The date must be a real date, in numbers, for "
                                          "example 27 3 2026."), code="invalid")
        if len(year) != 4:
            raise forms.ValidationError(_("The year must have 4 digits, for example 2026."),
                                        code="year")
        try:
            value = date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # OverflowError: a day or month beyond a C int
            raise forms.ValidationError(_("The date must be a real date, in numbers, for "
                                          "example 27 3 2026."), code="invalid") from None
        if self.past_only and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        return value


# Assignment ---------------------------------------------------------------------------------

class AssignForm(forms.Form):
    """Assign to me (`me`), or to another handler of the partnership (`handler`)."""

    handler = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Assign to another case handler"),
        error_messages={"invalid_choice": _("Choose one of the case handlers in the list.")})
    me = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers
        self.fields["handler"].empty_label = _("Choose a case handler")
        self.fields["handler"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["handler"].hide_optional = True

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("me") and not cleaned.get("handler") and "handler" not in self.errors:
            self.add_error("handler", _("Choose the case handler to assign the application "
                                        "to."))
        return cleaned


# Investigation ------------------------------------------------------------------------------

class InvestigationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What was it?"), widget=forms.RadioSelect,
        choices=[(InvestigationStep.Kind.CONTACT, _("A contact with the enterprise")),
                 (InvestigationStep.Kind.SITE_VISIT, _("A site visit"))],
        error_messages={"required": _("Choose a contact or a site visit."),
                        "invalid_choice": _("Choose a contact or a site visit.")})
    on = DateInputField(
        past_only=True, label=_("Date"), help_text=_("For example 27 3 2026."),
        error_messages={"required": _("Enter the date of the contact or visit.")})
    participants = forms.CharField(
        label=_("Who took part"), max_length=300,
        help_text=_("Names and roles, for example “Jan Peeters (mentor), B. Behandelaar”."),
        error_messages={"required": _("Say who took part."),
                        "max_length": _("Keep the names to at most 300 characters.")})
    findings = forms.CharField(
        label=_("Findings"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write down what was found.")})


# Mentor check -------------------------------------------------------------------------------

class MentorCheckForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Does the mentor meet the mentor conditions?"), widget=forms.RadioSelect,
        choices=[(ApplicationMentor.Check.CONFIRMED, _("Confirm the mentor")),
                 (ApplicationMentor.Check.REJECTED, _("Reject the mentor"))],
        error_messages={"required": _("Choose whether you confirm or reject the mentor."),
                        "invalid_choice": _("Choose whether you confirm or reject the mentor.")})
    reason = forms.CharField(
        label=_("Reason"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you reject the mentor; it goes into the decision letter."))

    def __init__(self, *args, mentor_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].hide_optional = True
        if mentor_name:
            self.fields["result"].label = _("Does %(name)s meet the mentor conditions?") % {
                "name": mentor_name}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("result") == ApplicationMentor.Check.REJECTED and \
                not cleaned.get("reason", "").strip() and "reason" not in self.errors:
            self.add_error("reason", _("Give the reason why the mentor is rejected."))
        return cleaned


# Mandate document ---------------------------------------------------------------------------

class MandateCheckForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Does the signed mandate document allow the learner coach to file this "
                "application?"), widget=forms.RadioSelect,
        choices=[("accept", _("Accept the mandate document")),
                 ("reject", _("Reject the mandate document"))],
        error_messages={"required": _("Choose whether you accept the mandate document."),
                        "invalid_choice": _("Choose whether you accept the mandate document.")})
    reason = forms.CharField(
        label=_("Reason"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you reject the document."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].hide_optional = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip() \
                and "reason" not in self.errors:
            self.add_error("reason", _("Give the reason why the mandate document is rejected."))
        return cleaned

    @property
    def accepted(self) -> bool:
        return self.cleaned_data["decision"] == "accept"


# Notes and messages -------------------------------------------------------------------------

class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the partnership sees internal notes. The applicant never sees them."),
        error_messages={"required": _("Write the text of the note.")})


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to the applicant"), max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The applicant sees this message on the status page of the application "
                    "and receives it by e-mail."),
        error_messages={"required": _("Write the text of the message.")})


# Proposal, vote, decision -------------------------------------------------------------------

class ProposalForm(VersionForm):
    proposal = forms.ChoiceField(
        label=_("What do you propose?"), widget=forms.RadioSelect,
        choices=[(Application.Outcome.APPROVE, _("Approve: recognise the workplace")),
                 (Application.Outcome.REFUSE, _("Refuse"))],
        error_messages={"required": _("Choose whether you propose to approve or to refuse."),
                        "invalid_choice": _("Choose whether you propose to approve or to "
                                            "refuse.")})
    reasons = forms.CharField(
        label=_("Reasons"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The reasons go into the decision letter."),
        error_messages={"required": _("Give the reasons of the proposal: they go into the "
                                      "decision letter.")})


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote on the proposal"), widget=forms.RadioSelect,
        choices=[("for", _("For the proposal")), ("against", _("Against the proposal"))],
        error_messages={"required": _("Choose for or against the proposal."),
                        "invalid_choice": _("Choose for or against the proposal.")})
    remark = forms.CharField(
        label=_("Remark"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The case handlers and the other voting members see it."))

    @property
    def in_favour(self) -> bool:
        return self.cleaned_data["choice"] == "for"


class DecisionForm(VersionForm):
    reasons = forms.CharField(
        label=_("Reasons of the decision"), max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Taken from the proposal; change them if needed. They go into the decision "
                    "letter."),
        error_messages={"required": _("Give the reasons of the decision: they go into the "
                                      "decision letter.")})
