"""Forms of the partnership's monitoring of a recognition: a finding, a support action, its
follow-up, and a sanction (with a read-only preview of what the sanction will change).

The forms only parse what was typed and say clearly what is wrong with it; the rules live in
`services` (which refuses with its own messages, put on the form by the view). Each form
carries the recognition's `version`, so that a page that is out of date is refused."""

from dataclasses import dataclass, field

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from werkplek.agreements.models import Agreement
from werkplek.applications.forms_case import DateInputField, VersionForm
from werkplek.conditions import rules

from .models import Finding, Recognition, RecognitionMentor, Sanction

# The conditions and duties a finding can concern: the workplace conditions of the conditions
# module, the mentor conditions, and the commitments checked during monitoring.
COMMITMENTS = "commitments"
CONDITION_CHOICES = [
    (rules.FINANCIAL_CAPACITY, _("Financial capacity")),
    (rules.NO_CONVICTIONS, _("No convictions (labour law or social security)")),
    (rules.INFRASTRUCTURE, _("Infrastructure and organisation fit the training plan")),
    (rules.MENTOR, _("Mentor conditions")),
    (COMMITMENTS, _("Commitments tied to the recognition and the agreements")),
]


def condition_label(code: str) -> str:
    """The name of a condition or duty by its stored code (the code itself when unknown)."""
    return str(dict(CONDITION_CHOICES).get(code, code))


def _hide_optional(form: forms.Form, *names: str) -> None:
    for name in names:
        form.fields[name].hide_optional = True


# A finding ----------------------------------------------------------------------------------

class FindingForm(VersionForm):
    kind = forms.ChoiceField(
        label=_("What was it?"), widget=forms.RadioSelect,
        choices=[(Finding.Kind.SITE_VISIT, _("A site visit")),
                 (Finding.Kind.COMPLAINT, _("A complaint")),
                 (Finding.Kind.CHECK, _("A check"))],
        error_messages={"required": _("Choose a site visit, a complaint or a check."),
                        "invalid_choice": _("Choose a site visit, a complaint or a check.")})
    on = DateInputField(
        past_only=True, label=_("Date"), help_text=_("For example 27 3 2026."),
        error_messages={"required": _("Enter the date of the site visit, complaint or "
                                      "check.")})
    outcome = forms.ChoiceField(
        label=_("Outcome"), widget=forms.RadioSelect,
        choices=[(Finding.Outcome.MET, _("The conditions and duties are met")),
                 (Finding.Outcome.NOT_MET, _("A condition or duty is no longer met"))],
        error_messages={"required": _("Choose whether the conditions and duties are met."),
                        "invalid_choice": _("Choose whether the conditions and duties are "
                                            "met.")})
    condition = forms.ChoiceField(
        label=_("Condition or duty concerned"), required=False,
        choices=[("", _("Choose the condition or duty")), *CONDITION_CHOICES],
        help_text=_("Required when a condition or duty is no longer met."),
        error_messages={"invalid_choice": _("Choose a condition or duty from the list.")})
    description = forms.CharField(
        label=_("What was found"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Describe what was found."),
                        "max_length": _("Keep the description to at most 10,000 "
                                        "characters.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _hide_optional(self, "condition")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Finding.Outcome.NOT_MET and not cleaned.get("condition") \
                and "condition" not in self.errors:
            self.add_error("condition", _("Choose the condition or duty that is no longer "
                                          "met."))
        return cleaned


# A support action ---------------------------------------------------------------------------

class SupportActionForm(VersionForm):
    improvement = forms.CharField(
        label=_("What must improve"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The enterprise sees this text and answers it on its recognition's page."),
        error_messages={"required": _("Say what must improve."),
                        "max_length": _("Keep the text to at most 10,000 characters.")})
    due_on = DateInputField(
        label=_("Deadline"),
        help_text=_("The last day for the enterprise to improve, after today. For example "
                    "27 3 2026."),
        error_messages={"required": _("Enter the deadline of the support action.")})
    finding = forms.ChoiceField(
        label=_("Finding it follows"), required=False,
        error_messages={"invalid_choice": _("Choose one of the findings of this recognition, "
                                            "or none.")})

    def __init__(self, *args, findings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].choices = [("", _("No finding"))] + [
            (str(f.pk), f"{capfirst(f.get_kind_display())} {f.on:%d/%m/%Y}: "
                        f"{_shorten(f.description)}") for f in findings]

    def clean_due_on(self):
        due_on = self.cleaned_data.get("due_on")
        if due_on is not None and due_on <= timezone.localdate():
            raise forms.ValidationError(_("The deadline must be after today."), code="past")
        return due_on

    def clean_finding(self):
        value = self.cleaned_data.get("finding")
        return int(value) if value else None


def _shorten(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


# The follow-up of a support action ----------------------------------------------------------

class FollowUpForm(VersionForm):
    met = forms.ChoiceField(
        label=_("Was the improvement made?"), widget=forms.RadioSelect,
        choices=[("met", _("Met: the improvement was made")),
                 ("not_met", _("Not met: the improvement was not made"))],
        help_text=_("“Not met” can only be chosen from the deadline on; a sanction may then "
                    "follow."),
        error_messages={"required": _("Choose whether the improvement was made."),
                        "invalid_choice": _("Choose whether the improvement was made.")})
    note = forms.CharField(
        label=_("What you found"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what you found."),
                        "max_length": _("Keep the text to at most 10,000 characters.")})

    @property
    def is_met(self) -> bool:
        return self.cleaned_data["met"] == "met"


# A sanction ---------------------------------------------------------------------------------

UNIT, ENTERPRISE = "unit", "enterprise"
TEMPORARY, DEFINITIVE = "temporary", "definitive"


class SanctionForm(VersionForm):
    """The sanction and its details. Posted twice: first to see what it will change (the
    confirmation page), then with `confirm` to impose it."""

    support_action = forms.ChoiceField(
        label=_("Which support action was not met?"), widget=forms.RadioSelect,
        error_messages={"required": _("Choose the support action that was not met."),
                        "invalid_choice": _("A sanction follows only a support action that "
                                            "was followed up and not met.")})
    kind = forms.ChoiceField(
        label=_("Which sanction?"), widget=forms.RadioSelect,
        choices=[(Sanction.Kind.MENTOR_BAN, _("Mentor ban")),
                 (Sanction.Kind.WITHDRAWAL, _("Withdrawal of the recognition")),
                 (Sanction.Kind.EXCLUSION, _("Exclusion"))],
        error_messages={"required": _("Choose the sanction."),
                        "invalid_choice": _("Choose the sanction.")})
    mentor = forms.ChoiceField(
        label=_("Which mentor may no longer coach?"), widget=forms.RadioSelect, required=False,
        error_messages={"invalid_choice": _("Choose a mentor of this recognition.")})
    programmes = forms.MultipleChoiceField(
        label=_("For which programmes?"), widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("The programmes of the enterprise's recognitions in force."),
        error_messages={"invalid_choice": _("Choose programmes from the list.")})
    replacement_mentor = forms.ChoiceField(
        label=_("Mentor who takes over"), required=False,
        help_text=_("Another active mentor of this recognition takes over the banned mentor's "
                    "running agreements here. Without one, those agreements end early. "
                    "Agreements under the enterprise's other recognitions always end early."),
        error_messages={"invalid_choice": _("Choose another active mentor of this "
                                            "recognition.")})
    scope = forms.ChoiceField(
        label=_("Who is excluded?"), widget=forms.RadioSelect, required=False,
        error_messages={"invalid_choice": _("Choose this establishment unit or the whole "
                                            "enterprise.")})
    duration = forms.ChoiceField(
        label=_("For how long?"), widget=forms.RadioSelect, required=False,
        choices=[(TEMPORARY, _("Temporary, up to and including a date")),
                 (DEFINITIVE, _("Definitive"))],
        error_messages={"invalid_choice": _("Choose temporary or definitive.")})
    ends_on = DateInputField(
        label=_("Last day of the exclusion"), required=False,
        help_text=_("Only for a temporary exclusion. For example 27 3 2027."))
    reasons = forms.CharField(
        label=_("Reasons"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The reasons go into the letter to the enterprise."),
        error_messages={"required": _("Give the reasons of the sanction: they go into the "
                                      "letter."),
                        "max_length": _("Keep the reasons to at most 10,000 characters.")})

    def __init__(self, *args, recognition: Recognition, failed_actions=(), mentor_links=(),
                 programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.recognition = recognition
        self.fields["support_action"].choices = [
            (str(a.pk), _("%(improvement)s (deadline %(date)s)") % {
                "improvement": _shorten(a.improvement, 90), "date": f"{a.due_on:%d/%m/%Y}"})
            for a in failed_actions]
        self.fields["mentor"].choices = [
            (str(link.mentor_id), link.mentor.full_name if link.is_active else
             _("%(name)s (no longer a mentor of this recognition)") % {
                 "name": link.mentor.full_name})
            for link in mentor_links]
        self.fields["replacement_mentor"].choices = [("", _("No mentor: the agreements end "
                                                            "early"))] + [
            (str(link.mentor_id), link.mentor.full_name) for link in mentor_links
            if link.is_active]
        self.fields["programmes"].choices = [(str(p.pk), p.name) for p in programmes]
        unit = recognition.unit
        self.fields["scope"].choices = [
            (UNIT, _("This establishment unit: %(unit)s (%(number)s)") % {
                "unit": unit.name, "number": unit.formatted_number}),
            (ENTERPRISE, _("The whole enterprise: %(name)s, all its establishment units") % {
                "name": recognition.enterprise.name})]
        _hide_optional(self, "mentor", "programmes", "scope", "duration", "ends_on")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Sanction.Kind.MENTOR_BAN:
            self._require("mentor", _("Choose the mentor who may no longer coach."))
            self._require("programmes", _("Choose at least one programme."))
            if cleaned.get("mentor") and cleaned.get("replacement_mentor") == \
                    cleaned.get("mentor"):
                self.add_error("replacement_mentor", _("Choose another mentor than the one "
                                                       "who may no longer coach."))
        elif kind == Sanction.Kind.WITHDRAWAL:
            recognition = self.recognition
            # As the service: a recognition that is no longer in force cannot be withdrawn.
            if not recognition.in_force() and recognition.state != Recognition.State.ACTIVE:
                self.add_error("kind", _("This recognition is no longer in force."))
        elif kind == Sanction.Kind.EXCLUSION:
            self._require("scope", _("Choose whether the exclusion is for this establishment "
                                     "unit or the whole enterprise."))
            self._require("duration", _("Choose whether the exclusion is temporary or "
                                        "definitive."))
            if cleaned.get("duration") == TEMPORARY and "ends_on" not in self.errors:
                ends_on = cleaned.get("ends_on")
                if ends_on is None:
                    self.add_error("ends_on", _("Enter the last day of the temporary "
                                                "exclusion."))
                elif ends_on <= timezone.localdate():
                    self.add_error("ends_on", _("A temporary exclusion ends after today."))
        return cleaned

    def _require(self, name: str, message) -> None:
        if not self.cleaned_data.get(name) and name not in self.errors:
            self.add_error(name, message)

    # What the service is called with.
    def service_arguments(self) -> dict:
        data = self.cleaned_data
        kind = data["kind"]
        ban = kind == Sanction.Kind.MENTOR_BAN
        exclusion = kind == Sanction.Kind.EXCLUSION
        return {
            "support_action_id": int(data["support_action"]), "kind": kind,
            "reasons": data["reasons"], "version": data["version"],
            "mentor_id": int(data["mentor"]) if ban else None,
            "programme_ids": [int(p) for p in data["programmes"]] if ban else [],
            "replacement_mentor_id": (int(data["replacement_mentor"])
                                      if ban and data.get("replacement_mentor") else None),
            "whole_enterprise": exclusion and data["scope"] == ENTERPRISE,
            "ends_on": data["ends_on"] if exclusion and data["duration"] == TEMPORARY else None,
        }


# What a sanction will change: the preview on the confirmation page ---------------------------

RUNNING = (Agreement.State.ACTIVE, Agreement.State.DRAFT)


@dataclass
class SanctionPreview:
    """What `services.impose_sanction` will change, computed beforehand with read-only queries
    that follow the same rules."""

    kind: str
    # Withdrawal and exclusion: the recognitions that end.
    ending: list = field(default_factory=list)
    # Mentor ban: the recognitions the mentor stops being a mentor of, and those of them left
    # without any active mentor.
    mentor_recognitions: list = field(default_factory=list)
    left_without_mentor: list = field(default_factory=list)
    agreements_ended: int = 0
    agreements_reassigned: int = 0
    coaches: int = 0


def preview_sanction(*, recognition: Recognition, kind: str, mentor_id: int | None = None,
                     programme_ids=(), whole_enterprise: bool = False,
                     replacement_mentor_id: int | None = None, **_ignored) -> SanctionPreview:
    """The effects `impose_sanction` would apply now, without changing anything:

    - mentor ban: the mentor's active links to the enterprise's recognitions in force for the
      programmes end; their running (or draft) agreements there get the replacement when they
      are under this recognition, else end early;
    - withdrawal: this recognition, the one it continues and the one continuing it, while in
      force, end with their running agreements;
    - exclusion: every recognition in force of the unit (or the whole enterprise) ends with
      its running agreements.
    Accepts the keyword arguments of `SanctionForm.service_arguments()`."""
    preview = SanctionPreview(kind=kind)
    related = ("unit", "programme")
    if kind == Sanction.Kind.MENTOR_BAN:
        links = list(RecognitionMentor.objects.filter(
            mentor_id=mentor_id, is_active=True,
            recognition__enterprise_id=recognition.enterprise_id,
            recognition__partnership_id=recognition.partnership_id,
            recognition__programme_id__in=list(programme_ids),
            recognition__in=Recognition.objects.filter(Recognition.in_force_q()))
            .select_related(*(f"recognition__{name}" for name in related))
            .order_by("recognition_id"))
        targets = [link.recognition for link in links]
        preview.mentor_recognitions = targets
        ids = [t.pk for t in targets]
        agreements = list(Agreement.objects.filter(recognition_id__in=ids, mentor_id=mentor_id,
                                                   state__in=RUNNING)
                          .values_list("recognition_id", "coach_id"))
        for recognition_id, _coach in agreements:
            if replacement_mentor_id and recognition_id == recognition.pk:
                preview.agreements_reassigned += 1
            else:
                preview.agreements_ended += 1
        still_mentored = set(RecognitionMentor.objects.filter(
            recognition_id__in=ids, is_active=True).exclude(mentor_id=mentor_id)
            .values_list("recognition_id", flat=True))
        preview.left_without_mentor = [t for t in targets if t.pk not in still_mentored]
    else:
        if kind == Sanction.Kind.WITHDRAWAL:
            scope = {"pk__in": [recognition.pk]
                     + ([recognition.previous_id] if recognition.previous_id else [])}
            in_force = Recognition.objects.filter(Recognition.in_force_q())
            targets = list(in_force.filter(**scope).select_related(*related)) + list(
                in_force.filter(previous_id=recognition.pk).select_related(*related))
        else:
            scope = {"enterprise_id": recognition.enterprise_id}
            if not whole_enterprise:
                scope["unit_id"] = recognition.unit_id
            targets = list(Recognition.objects.filter(
                Recognition.in_force_q(), **scope).select_related(*related))
        preview.ending = sorted(targets, key=lambda t: (t.unit.name, t.programme.name, t.pk))
        agreements = list(Agreement.objects.filter(recognition_id__in=[t.pk for t in targets],
                                                   state__in=RUNNING)
                          .values_list("recognition_id", "coach_id"))
        preview.agreements_ended = len(agreements)
    preview.coaches = len({coach for _rec, coach in agreements if coach is not None})
    return preview
