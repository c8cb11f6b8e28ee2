"""Read-only queries on the reference data: routing, contact points, programme look-ups."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import ContactPoint, Partnership, Programme, RoutingRule


class NoCompetentPartnership(LookupError):
    """No rule matched and there is no Flemish Partnership to fall back on (data not loaded?)."""


@dataclass(frozen=True)
class Routing:
    """The competent partnership for an application, the rule that decided it (None for the
    fallback to the Flemish Partnership) and a readable explanation in the active language.

    To store the explanation in the service's main language, call `route` inside
    `translation.override(settings.LANGUAGE_CODE)`.
    """

    partnership: Partnership
    rule: RoutingRule | None
    explanation: str

    @property
    def is_fallback(self) -> bool:
        return self.rule is None


def route(*, joint_committee_number: str | None, programme_sector_code: str | None) -> Routing:
    """The competent partnership for an establishment unit's joint committee and a programme's
    sector.

    Order: an active rule that matches both keys; then a rule on the joint committee only; then
    a rule on the programme sector only; ties go to the lowest priority number, then the name.
    Without a match the Flemish Partnership (kind `flemish`) is competent.
    """
    jc = (joint_committee_number or "").strip() or None
    sector = (programme_sector_code or "").strip() or None

    conditions = Q()
    if jc and sector:
        conditions |= Q(joint_committee__number=jc, programme_sector__code=sector)
    if jc:
        conditions |= Q(joint_committee__number=jc, programme_sector__isnull=True)
    if sector:
        conditions |= Q(joint_committee__isnull=True, programme_sector__code=sector)

    if conditions:
        rules = (
            RoutingRule.objects.filter(conditions, is_active=True)
            .select_related("partnership", "joint_committee", "programme_sector")
        )

        def specificity(rule: RoutingRule) -> int:
            if rule.joint_committee_id and rule.programme_sector_id:
                return 0
            return 1 if rule.joint_committee_id else 2

        best = min(rules, key=lambda r: (specificity(r), r.priority, r.name), default=None)
        if best is not None:
            return Routing(partnership=best.partnership, rule=best, explanation=_explain(best))

    flemish = Partnership.objects.filter(kind=Partnership.Kind.FLEMISH).order_by("pk").first()
    if flemish is None:
        raise NoCompetentPartnership(
            "No routing rule matched and there is no Flemish Partnership: load the reference data."
        )
    return Routing(
        partnership=flemish,
        rule=None,
        explanation=_("No sectoral partnership is competent: %(partnership)s")
        % {"partnership": flemish.name},
    )


def _explain(rule: RoutingRule) -> str:
    if rule.joint_committee_id and rule.programme_sector_id:
        return _("Rule '%(rule)s' (joint committee %(jc)s and programme sector %(sector)s)") % {
            "rule": rule.name,
            "jc": rule.joint_committee.number,
            "sector": rule.programme_sector.name,
        }
    if rule.joint_committee_id:
        return _("Rule '%(rule)s' (joint committee %(jc)s)") % {
            "rule": rule.name, "jc": rule.joint_committee.number,
        }
    return _("Rule '%(rule)s' (programme sector %(sector)s)") % {
        "rule": rule.name, "sector": rule.programme_sector.name,
    }


def contact_point_for_province(code: str) -> ContactPoint | None:
    """The contact point of a province (by our code, e.g. `VAN`, or `BRU` for Brussels)."""
    return ContactPoint.objects.select_related("province").filter(province__code=code).first()


def contact_points() -> QuerySet[ContactPoint]:
    """Every contact point, in province order."""
    return ContactPoint.objects.select_related("province").order_by("province__name_nl")


def _name_field() -> str:
    return "name_en" if (get_language() or "nl").startswith("en") else "name_nl"


def programme_choices() -> list[tuple[str, str]]:
    """(code, name) of every offered programme, sorted by name in the active language."""
    field = _name_field()
    return list(
        Programme.objects.filter(is_active=True).order_by(field).values_list("code", field)
    )


def search_programmes(query: str, limit: int = 10) -> list[Programme]:
    """Offered programmes whose Dutch or English name contains every word of `query`
    (case-insensitive), names that start with the query first. For type-ahead."""
    words = query.split()
    if not words or limit <= 0:
        return []
    conditions = Q(is_active=True)
    for word in words:
        conditions &= Q(name_nl__icontains=word) | Q(name_en__icontains=word)
    starts = Q(name_nl__istartswith=query.strip()) | Q(name_en__istartswith=query.strip())
    field = _name_field()
    programmes = Programme.objects.select_related("sector").order_by(field)
    found = list(programmes.filter(conditions & starts)[:limit])
    if len(found) < limit:
        found += programmes.filter(conditions).exclude(starts)[: limit - len(found)]
    return found
