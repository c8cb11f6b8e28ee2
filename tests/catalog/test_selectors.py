import pytest
from django.utils import translation

from werkplek.catalog.models import Partnership, RoutingRule
from werkplek.catalog.selectors import (
    NoCompetentPartnership,
    contact_point_for_province,
    programme_choices,
    route,
    search_programmes,
)

pytestmark = pytest.mark.django_db


def test_joint_committee_124_routes_to_construction():
    with translation.override("nl"):
        routing = route(joint_committee_number="124", programme_sector_code=None)
    assert routing.partnership.code == "bouw"
    assert routing.rule.name == "PC 124 → Bouw"
    assert routing.explanation == "Regel 'PC 124 → Bouw' (paritair comité 124)"
    assert not routing.is_fallback


def test_explanation_in_english():
    with translation.override("en"):
        routing = route(joint_committee_number="124", programme_sector_code="bouw")
    # No combined rule for 124 + construction: the joint committee rule wins over the sector.
    assert routing.explanation == "Rule 'PC 124 → Bouw' (joint committee 124)"


def test_joint_committee_302_routes_to_hospitality():
    routing = route(joint_committee_number=" 302 ", programme_sector_code="horeca")
    assert routing.partnership.code == "horeca"
    assert routing.rule.name == "PC 302 → Horeca"


def test_joint_committee_149_01_routes_to_metal_and_technology():
    routing = route(joint_committee_number="149.01", programme_sector_code=None)
    assert routing.partnership.code == "metaal-technologie"


def test_general_committee_200_with_a_construction_programme_goes_by_the_programme_sector():
    with translation.override("nl"):
        routing = route(joint_committee_number="200", programme_sector_code="bouw")
    assert routing.partnership.code == "bouw"
    assert routing.rule.name == "Sector Bouw → Bouw"
    assert routing.explanation == "Regel 'Sector Bouw → Bouw' (sector van de opleiding Bouw)"


def test_general_committee_200_with_a_green_programme_falls_back_to_vpdl():
    routing = route(joint_committee_number="200", programme_sector_code="groen")
    assert routing.partnership.code == "vpdl"
    assert routing.rule is None


def test_a_combined_rule_beats_the_joint_committee_rule():
    with translation.override("nl"):
        routing = route(joint_committee_number="201", programme_sector_code="voeding")
    assert routing.partnership.code == "voeding"
    assert routing.rule.name == "PC 201 + sector Voeding → Voeding"
    assert "paritair comité 201" in routing.explanation
    # Without the food programme, retail decides.
    assert route(joint_committee_number="201", programme_sector_code="handel").partnership.code == (
        "handel"
    )


def test_unknown_keys_fall_back_to_vpdl():
    with translation.override("nl"):
        routing = route(joint_committee_number="999", programme_sector_code="unknown")
    assert routing.partnership.code == "vpdl"
    assert routing.rule is None
    assert routing.is_fallback
    assert routing.explanation == (
        "Geen sectoraal partnerschap bevoegd: Vlaams Partnerschap Duaal Leren"
    )
    assert route(joint_committee_number=None, programme_sector_code=None).rule is None
    assert route(joint_committee_number="", programme_sector_code="").partnership.code == "vpdl"


def test_inactive_rules_are_ignored_and_priority_breaks_ties():
    RoutingRule.objects.filter(name="PC 124 → Bouw").update(is_active=False)
    routing = route(joint_committee_number="124", programme_sector_code=None)
    assert routing.partnership.code == "vpdl"

    RoutingRule.objects.filter(name="PC 124 → Bouw").update(is_active=True)
    RoutingRule.objects.create(
        name="PC 124 → Hout (test)", joint_committee_id=RoutingRule.objects.get(
            name="PC 124 → Bouw").joint_committee_id,
        partnership=Partnership.objects.get(code="hout"), priority=10,
    )
    assert route(joint_committee_number="124", programme_sector_code=None).partnership.code == (
        "hout"
    )


def test_routing_takes_few_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        route(joint_committee_number="124", programme_sector_code="bouw")
    with django_assert_max_num_queries(2):
        route(joint_committee_number="999", programme_sector_code="unknown")


def test_without_a_flemish_partnership_routing_says_so():
    RoutingRule.objects.all().delete()
    Partnership.objects.filter(kind=Partnership.Kind.FLEMISH).update(
        kind=Partnership.Kind.SECTORAL
    )
    with pytest.raises(NoCompetentPartnership):
        route(joint_committee_number="999", programme_sector_code=None)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("VAN", "Contactpunt duaal leren Antwerpen"),
        ("VLI", "Contactpunt duaal leren Limburg"),
        ("VOV", "Contactpunt duaal leren Oost-Vlaanderen"),
        ("VBR", "Contactpunt duaal leren Vlaams-Brabant"),
        ("VWV", "Contactpunt duaal leren West-Vlaanderen"),
        ("BRU", "Contactpunt duaal leren Brussel"),
    ],
)
def test_contact_point_per_province(code, name):
    contact_point = contact_point_for_province(code)
    assert contact_point.name_nl == name
    assert contact_point.phone.startswith("+32 ")
    assert contact_point.email.endswith(".example")
    assert contact_point.is_illustrative


def test_no_contact_point_for_a_walloon_province():
    assert contact_point_for_province("WLG") is None
    assert contact_point_for_province("nope") is None


def test_programme_choices_in_the_active_language():
    with translation.override("nl"):
        choices = programme_choices()
    assert ("dakwerker-duaal", "Dakwerker duaal") in choices
    assert [name for _, name in choices] == sorted(name for _, name in choices)
    with translation.override("en"):
        assert ("dakwerker-duaal", "Roofer (dual)") in programme_choices()


def test_search_programmes():
    assert [p.code for p in search_programmes("dakwerker")] == ["dakwerker-duaal"]
    assert [p.code for p in search_programmes("ROOFER")] == ["dakwerker-duaal"]
    found = [p.code for p in search_programmes("elektro", limit=3)]
    assert len(found) == 3
    assert all("elektro" in code for code in found)
    # Names that start with the query come first.
    with translation.override("nl"):
        assert search_programmes("groen")[0].name_nl.startswith("Groen")
    # Every word must match, in either language.
    assert [p.code for p in search_programmes("tegel duaal")] == [
        "dekvloerlegger-en-tegelzetter-duaal"
    ]
    assert search_programmes("  ") == []
    assert search_programmes("zzzz") == []
