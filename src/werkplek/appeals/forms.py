"""Forms of appeals: filing one (the enterprise), the committee's steps, and the filters of the
committee's queue. They only parse what was typed and say clearly what is wrong with it; the
rules live in `services`."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from werkplek.catalog.fields import CatalogueChoiceField
from werkplek.catalog.models import Partnership
from werkplek.core.uploads import DocumentField, help_text_lazy, safe_display_name

from .models import Appeal

# At most this many documents with one appeal.
MAX_DOCUMENTS = 10
OUT_OF_DATE = _("The page is out of date: reload it and try again.")


class MultipleFileInput(forms.FileInput):
    """A file input that lets the user choose several files at once."""

    allow_multiple_selected = True


class DocumentsField(DocumentField):
    """Several documents at once (optional by default), each checked like a `DocumentField`
    (type by content, size, virus scan). Cleans to a list of uploads, each with `.checked`;
    a refused file is named in its error."""

    widget = MultipleFileInput

    def __init__(self, *, max_files: int = MAX_DOCUMENTS, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", format_lazy(
            "{} {}", _("You can choose several files at once."), help_text_lazy()))
        self.max_files = max_files
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            files = [item for item in data if item]
        else:
            files = [data] if data else []
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise ValidationError(_("Choose at most %(limit)s files."), code="too_many",
                                  params={"limit": self.max_files})
        cleaned, errors = [], []
        for file in files:
            try:
                cleaned.append(super().clean(file, initial))
            except ValidationError as error:
                name = safe_display_name(getattr(file, "name", None))
                errors.extend(
                    ValidationError(_("%(name)s: %(problem)s"), code="file",
                                    params={"name": name, "problem": message})
                    for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class AppealForm(forms.Form):
    """The enterprise's appeal: its grounds and documents."""

    grounds = forms.CharField(
        label=_("Your grounds"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Explain why the decision should be overturned: what is wrong with it, and "
                    "what the appeal committee should know."),
        error_messages={
            "required": _("Give the grounds of your appeal: why the decision should be "
                          "overturned."),
            "max_length": _("The grounds can be at most %(limit_value)d characters long."),
        })
    documents = DocumentsField(label=_("Documents that support your appeal"))


# The committee's steps ---------------------------------------------------------------------------

class VersionForm(forms.Form):
    """A step that changes the appeal carries the version it was shown with, so that a page
    that is out of date is refused (`StaleAppeal`)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1,
                                 error_messages={"required": OUT_OF_DATE,
                                                 "invalid": OUT_OF_DATE,
                                                 "min_value": OUT_OF_DATE})


class AdmissibilityForm(VersionForm):
    admissible = forms.TypedChoiceField(
        label=_("Is the appeal admissible?"), widget=forms.RadioSelect,
        choices=[("yes", _("Yes, it is admissible")), ("no", _("No, it is inadmissible"))],
        coerce=lambda value: value == "yes",
        error_messages={"required": _("Choose whether the appeal is admissible.")})
    reason = forms.ChoiceField(
        label=_("Why is it inadmissible?"), widget=forms.RadioSelect, required=False,
        choices=Appeal.Inadmissible.choices, help_text=_("Only when it is inadmissible."),
        error_messages={"invalid_choice": _("Choose why the appeal is inadmissible.")})
    reasons = forms.CharField(
        label=_("Reasons"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("They go into the letter to the enterprise. Required when the appeal is "
                    "inadmissible."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("reason", "reasons"):
            self.fields[name].hide_optional = True  # required or not depends on the answer


class HearingForm(VersionForm):
    notes = forms.CharField(
        label=_("Notes of the hearing"), max_length=50000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Internal: the enterprise and the partnership do not see them. Saving "
                    "replaces the notes saved before."),
        error_messages={"required": _("Write the notes of the hearing.")})


class DecisionForm(VersionForm):
    overturn = forms.TypedChoiceField(
        label=_("Decision on the appeal"), widget=forms.RadioSelect,
        choices=[("uphold", _("Uphold the decision: it stands")),
                 ("overturn", _("Overturn the decision"))],
        coerce=lambda value: value == "overturn",
        help_text=_("An overturned refusal becomes a recognition; an overturned sanction is "
                    "lifted and its effects are reversed where possible."),
        error_messages={"required": _("Choose whether you uphold or overturn the decision.")})
    reasons = forms.CharField(
        label=_("Reasons of the decision"), max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("They go into the letter to the enterprise and the partnership."),
        error_messages={"required": _("Give the reasons of the decision: they go into the "
                                      "letter.")})


# The committee's queue ---------------------------------------------------------------------------

class CommitteeQueueFilterForm(forms.Form):
    """The filters of the committee's queue (GET; the field names are the query parameters)."""

    partnerschap = CatalogueChoiceField(
        label=_("Partnership"), queryset=Partnership.objects.none(), required=False,
        empty_label=_("All partnerships"),
        error_messages={"invalid_choice": _("Choose a partnership from the list.")})
    soort = forms.ChoiceField(
        label=_("Decision appealed"), required=False,
        choices=[("", _("Refusals and sanctions")), ("weigering", _("Refusals")),
                 ("sanctie", _("Sanctions"))],
        error_messages={"invalid_choice": _("Choose a kind of decision from the list.")})

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        english = (get_language() or "nl").startswith("en")
        self.fields["partnerschap"].queryset = Partnership.objects.order_by(
            "name_en" if english else "name_nl")
        for field in self.fields.values():
            field.widget.attrs["class"] = "govuk-!-width-full"
            field.hide_optional = True

    def filters(self) -> dict:
        """The valid filters as keyword arguments of `selectors.queue`; a field with a wrong
        value is left out (the form shows why)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return {
            "partnership_id": data["partnerschap"].pk if data.get("partnerschap") else None,
            "kind": {"weigering": "refusal", "sanctie": "sanction"}.get(data.get("soort") or "",
                                                                       ""),
        }
