"""The search form of the public register (GET).

The field names are the query parameters of the page (Dutch, like the URLs), so a search can be
bookmarked and shared: `opleiding`, `plaats`, `straal`, `provincie`, `partnerschap`, `sector`.
A field with a wrong value shows why and keeps what the visitor typed in the other fields."""

from django import forms
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from werkplek.catalog.fields import CatalogueChoiceField
from werkplek.catalog.models import Partnership, Province, Sector

RADII = (5, 10, 25, 50)
DEFAULT_RADIUS = 10


class RegisterSearchForm(forms.Form):
    opleiding = forms.CharField(
        label=_("Programme"), required=False, max_length=200,
        help_text=_("Type (part of) the name of the programme, for example “dakwerker”."))
    plaats = forms.CharField(
        label=_("Postal code or municipality"), required=False, max_length=100,
        help_text=_("For example 9000 or Gent."))
    straal = forms.TypedChoiceField(
        label=_("Within"), required=False, coerce=int, empty_value=DEFAULT_RADIUS,
        choices=[(str(km), f"{km} km") for km in RADII],
        error_messages={"invalid_choice": _("Choose a distance from the list.")})
    provincie = CatalogueChoiceField(
        label=_("Province"), queryset=Province.objects.none(), required=False,
        to_field_name="code", empty_label=_("All provinces"),
        error_messages={"invalid_choice": _("Choose a province from the list.")})
    partnerschap = CatalogueChoiceField(
        label=_("Partnership"), queryset=Partnership.objects.none(), required=False,
        to_field_name="code", empty_label=_("All partnerships"),
        error_messages={"invalid_choice": _("Choose a partnership from the list.")})
    sector = CatalogueChoiceField(
        label=_("Sector"), queryset=Sector.objects.none(), required=False,
        to_field_name="code", empty_label=_("All sectors"),
        error_messages={"invalid_choice": _("Choose a sector from the list.")})

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = data.copy()
            # The radius shows 10 km until the visitor picks another one.
            if not data.get("straal"):
                data["straal"] = str(DEFAULT_RADIUS)
        super().__init__(data, **kwargs)
        order = "name_en" if (get_language() or "nl").startswith("en") else "name_nl"
        self.fields["provincie"].queryset = Province.objects.order_by(order)
        self.fields["partnerschap"].queryset = Partnership.objects.order_by(order)
        self.fields["sector"].queryset = Sector.objects.order_by(order)
        # The script of the page turns these into suggestions (a <datalist>) of programme names.
        self.fields["opleiding"].widget.attrs.update({
            "autocomplete": "off", "spellcheck": "false",
            "data-suggestions": reverse("register:programme_suggestions")})
        self.fields["plaats"].widget.attrs.update({"autocomplete": "postal-code",
                                                   "class": "govuk-input--width-20"})
        for field in self.fields.values():
            field.hide_optional = True  # every field is optional: saying so is noise
        self.place = None
        self.postal_codes: dict[str, float] | None = None

    def clean_plaats(self) -> str:
        from werkplek.catalog import places

        text = " ".join(self.cleaned_data.get("plaats", "").split())
        if text:
            self.place = places.find_place(text)
            if self.place is None:
                raise forms.ValidationError(
                    _("We do not know the place “%(place)s”: enter a Belgian postal code or "
                      "municipality."), code="unknown_place", params={"place": text})
        return text

    def clean(self):
        data = super().clean()
        if self.place is not None and not self.errors:
            from werkplek.catalog import places

            self.postal_codes = places.postal_codes_within(
                self.place, data.get("straal") or DEFAULT_RADIUS)
        return data

    def filters(self) -> dict:
        """The valid filters, as keyword arguments of `selectors.search`."""
        data = self.cleaned_data
        return {
            "programme": data.get("opleiding") or "",
            "province_code": data["provincie"].code if data.get("provincie") else None,
            "partnership_code": data["partnerschap"].code if data.get("partnerschap") else None,
            "sector_code": data["sector"].code if data.get("sector") else None,
            "postal_codes": self.postal_codes,
        }
