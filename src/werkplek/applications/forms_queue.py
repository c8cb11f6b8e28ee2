"""The filter form of the handlers' queue and the period form of the statistics (both GET).

The field names are the query parameters of the pages (Dutch, like the URLs), so a filtered
queue or a year of statistics can be bookmarked and shared."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from werkplek.catalog.fields import CatalogueChoiceField
from werkplek.catalog.models import Programme, Province


class QueueFilterForm(forms.Form):
    opleiding = CatalogueChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False,
        empty_label=_("All programmes"),
        error_messages={"invalid_choice": _("Choose a programme from the list.")})
    provincie = CatalogueChoiceField(
        label=_("Province of the unit"), queryset=Province.objects.none(), required=False,
        empty_label=_("All provinces"),
        error_messages={"invalid_choice": _("Choose a province from the list.")})
    behandelaar = forms.ChoiceField(
        label=_("Case handler"), required=False,
        error_messages={"invalid_choice": _("Choose a case handler from the list.")})
    termijn = forms.ChoiceField(
        label=_("Decision deadline"), required=False,
        choices=[("", _("Any deadline")), ("verlopen", _("Overdue")),
                 ("binnenkort", _("Due within 3 days"))],
        help_text=_("While the 14 days run: not when waiting."),
        error_messages={"invalid_choice": _("Choose a deadline from the list.")})

    def __init__(self, data=None, *, handlers, **kwargs):
        super().__init__(data, **kwargs)
        english = (get_language() or "nl").startswith("en")
        self.fields["opleiding"].queryset = Programme.objects.order_by(
            "name_en" if english else "name_nl")
        self.fields["provincie"].queryset = Province.objects.order_by(
            "name_en" if english else "name_nl")
        self.fields["behandelaar"].choices = [
            ("", _("Anyone")), ("ik", _("Assigned to me")), ("niemand", _("Not assigned")),
            *((str(user.pk), user.get_full_name() or user.username) for user in handlers),
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "govuk-!-width-full"
            field.hide_optional = True  # every filter is optional: saying so is noise

    def filters(self) -> dict:
        """The valid filters as keyword arguments of `selectors.queue`; a field with a wrong
        value is left out (the form shows why)."""
        data = self.cleaned_data if self.is_bound else {}
        handler = data.get("behandelaar") or ""
        return {
            "programme_id": data["opleiding"].pk if data.get("opleiding") else None,
            "province_id": data["provincie"].pk if data.get("provincie") else None,
            "handler": {"ik": "me", "niemand": "none"}.get(handler, handler),
            "deadline": {"verlopen": "overdue", "binnenkort": "soon"}.get(
                data.get("termijn") or "", ""),
        }


class StatisticsPeriodForm(forms.Form):
    jaar = forms.TypedChoiceField(label=_("Period"), required=False, coerce=int,
                                  empty_value=None)

    def __init__(self, data=None, *, years: list[int], **kwargs):
        super().__init__(data, **kwargs)
        self.years = years
        self.fields["jaar"].choices = [("", _("The last 12 months")),
                                       *((str(year), str(year)) for year in years)]
        self.fields["jaar"].hide_optional = True
        self.fields["jaar"].error_messages["invalid_choice"] = _(
            "Choose a year from %(first)s to %(last)s, or the last 12 months.") % {
            "first": min(years), "last": max(years)}

    def year(self) -> int | None:
        return self.cleaned_data.get("jaar") if self.is_bound and self.is_valid() else None
