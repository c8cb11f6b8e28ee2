"""Reads of the public register: the recognitions in force today, searched, sorted and one by one.

Only public data of an enterprise is read here: its name and number, its establishment unit's
address, the programme, the partnership and how to contact them. Never mentors, learners or
national register numbers: the querysets below select no relation that leads to them.

Every page reads its rows in a fixed number of queries, whatever the number of rows: the
related records by joins (`select_related`), the distance (when a place is given) from the
postal codes found once per request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils.translation import get_language

from werkplek.catalog.models import Programme
from werkplek.recognitions.models import Recognition

# The sort orders of the search, by key. "distance" needs a place.
SORTS = ("enterprise", "municipality", "programme", "distance")
# The relations a result (or a workplace page) shows, read in the same query.
RELATED = ("enterprise", "unit", "unit__province", "programme", "programme__sector",
           "partnership")


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


def in_force(*, today: date) -> QuerySet[Recognition]:
    """The recognitions in force on `today`: active or renewed (`Recognition.in_force_q`), and
    `today` within their period (a renewal that has not started yet is not in force, nor an
    active one whose last day has passed before the daily job marked it expired)."""
    return Recognition.objects.filter(Recognition.in_force_q(today), valid_from__lte=today,
                                      valid_until__gte=today)


def search(*, today: date, programme: str = "", province_code: str | None = None,
           partnership_code: str | None = None, sector_code: str | None = None,
           postal_codes: dict[str, float] | None = None,
           sort: str = "enterprise") -> QuerySet[Recognition]:
    """The recognitions in force on `today` that match every filter given, sorted by `sort`.

    - `programme`: part of the programme's name, in Dutch or English, whatever the case;
    - `province_code`, `partnership_code`, `sector_code`: the code of the province of the
      establishment unit, of the partnership, of the programme's sector;
    - `postal_codes`: the postal codes within the radius of a place, each with its distance in
      km (from `catalog.places.postal_codes_within`); an empty dict finds nothing. With it,
      `sort="distance"` puts the nearest first.

    Ties are broken by the enterprise, the municipality, the programme and the id, so pages
    never overlap."""
    recognitions = in_force(today=today).select_related(*RELATED).defer(
        "programme__activities")
    programme = (programme or "").strip()
    if programme:
        recognitions = recognitions.filter(Q(programme__name_nl__icontains=programme)
                                           | Q(programme__name_en__icontains=programme))
    if province_code:
        recognitions = recognitions.filter(unit__province__code=province_code)
    if partnership_code:
        recognitions = recognitions.filter(partnership__code=partnership_code)
    if sector_code:
        recognitions = recognitions.filter(programme__sector__code=sector_code)
    if postal_codes is not None:
        if not postal_codes:
            return recognitions.none()
        recognitions = recognitions.filter(unit__postal_code__in=list(postal_codes))

    programme_name = Lower("programme__name_en" if _english() else "programme__name_nl")
    enterprise, municipality = Lower("enterprise__name"), Lower("unit__municipality")
    if sort == "distance" and postal_codes:
        recognitions = recognitions.annotate(distance=Case(
            *(When(unit__postal_code=code, then=Value(float(km)))
              for code, km in postal_codes.items()),
            default=Value(None), output_field=FloatField()))
        order = [F("distance").asc(nulls_last=True), enterprise, programme_name]
    elif sort == "municipality":
        order = [municipality, enterprise, programme_name]
    elif sort == "programme":
        order = [programme_name, enterprise, municipality]
    else:
        order = [enterprise, municipality, programme_name]
    return recognitions.order_by(*order, "pk")


def workplace(pk: int, *, today: date) -> Recognition | None:
    """One recognition in force on `today`, with what its public page shows; None otherwise."""
    return in_force(today=today).select_related(*RELATED).defer(
        "programme__activities").filter(pk=pk).first()


def other_programmes(recognition: Recognition, *, today: date) -> list[Recognition]:
    """The other recognitions in force at the same establishment unit (other programmes)."""
    english = _english()
    return list(
        in_force(today=today).filter(unit_id=recognition.unit_id)
        .exclude(pk=recognition.pk).select_related("programme")
        .defer("programme__activities")
        .order_by("programme__name_en" if english else "programme__name_nl", "pk"))


def programme_names() -> list[str]:
    """The names of the programmes on offer, in the active language, alphabetically."""
    field = "name_en" if _english() else "name_nl"
    return list(Programme.objects.filter(is_active=True).order_by(field)
                .values_list(field, flat=True).distinct())


@dataclass(frozen=True)
class Contact:
    """How to contact a workplace: the enterprise's own e-mail and phone when it has any, else
    the partnership that recognised it (`via_partnership`)."""

    name: str
    email: str
    phone: str
    via_partnership: bool


def contact_for(recognition: Recognition) -> Contact:
    enterprise = recognition.enterprise
    if enterprise.email or enterprise.phone:
        return Contact(name=enterprise.name, email=enterprise.email, phone=enterprise.phone,
                       via_partnership=False)
    partnership = recognition.partnership
    return Contact(name=partnership.name, email=partnership.email, phone=partnership.phone,
                   via_partnership=True)


def count_in_force(*, today: date) -> int:
    """How many recognitions are in force on `today` (the size of the open data)."""
    return in_force(today=today).count()
