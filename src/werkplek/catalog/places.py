"""Finding a place (postal code or municipality) and the postal codes within a radius of it.

A municipality's point is approximate (derived from the judicial cantons' boundaries when the
reference data is loaded, see `services._municipality_points`): good to a few km, so a radius
search is meant for "within 10 km" or more, and a page that offers it should say it is
approximate.

The municipalities' points and postal codes are read once per process and kept (a few hundred
rows): they only change when the reference data is reloaded, which clears this process's copy
(`clear_place_cache`); other processes see the change when they restart.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from .models import Municipality, PostalCode

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180  # along a meridian

_POSTAL_CODE = re.compile(r"(\d{4})(?:[\s,]+(.*))?")


@dataclass(frozen=True)
class Place:
    """A place someone searched for: its label for display, an approximate point, and the
    postal code when the search was by postal code."""

    label: str
    latitude: float
    longitude: float
    postal_code: str | None
    municipality_id: int


@dataclass(frozen=True)
class _MunicipalityPoint:
    id: int
    name: str
    names: tuple[tuple[str, str], ...]  # (name as written, normalised name), Dutch first
    latitude: float
    longitude: float
    postal_codes: tuple[str, ...]


@lru_cache(maxsize=1)
def _municipality_points() -> tuple[_MunicipalityPoint, ...]:
    """Every municipality that has a point, with its names and postal codes (two queries)."""
    codes: dict[int, set[str]] = defaultdict(set)
    for municipality_id, code in PostalCode.objects.filter(
        municipality__latitude__isnull=False, municipality__longitude__isnull=False
    ).values_list("municipality_id", "code"):
        codes[municipality_id].add(code)
    points = []
    rows = Municipality.objects.filter(
        latitude__isnull=False, longitude__isnull=False
    ).values_list("id", "name_nl", "name_fr", "name_de", "latitude", "longitude")
    for pk, name_nl, name_fr, name_de, latitude, longitude in rows.order_by("id"):
        names = tuple(
            (name, normalise(name)) for name in dict.fromkeys((name_nl, name_fr, name_de)) if name
        )
        points.append(_MunicipalityPoint(
            id=pk, name=name_nl or name_fr or name_de, names=names,
            latitude=latitude, longitude=longitude, postal_codes=tuple(sorted(codes[pk])),
        ))
    return tuple(points)


def clear_place_cache() -> None:
    """Forget the municipalities' points read so far (after loading reference data, in tests)."""
    _municipality_points.cache_clear()


def normalise(text: str) -> str:
    """A name for comparing: without accents, case-folded, with every run of other characters
    than letters and digits (hyphens, apostrophes, spaces) as one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


def find_place(query: str) -> Place | None:
    """The place a visitor typed: a 4-digit postal code ("9000", or "9000 Gent" as the label
    reads), or a municipality's Dutch, French or German name, whatever the case and accents.
    An exact name wins; otherwise a prefix that only one municipality's names start with.
    None when nothing, or more than one municipality, matches, or the place has no point."""
    query = (query or "").strip()
    if not query:
        return None
    match = _POSTAL_CODE.fullmatch(query)
    if match:
        return _place_for_postal_code(match.group(1), normalise(match.group(2) or ""))
    wanted = normalise(query)
    if not wanted:
        return None
    points = _municipality_points()
    for matches in (
        lambda key: key == wanted,
        lambda key: key.startswith(wanted),
    ):
        found = {}
        for point in points:
            for name, key in point.names:
                if matches(key):
                    found.setdefault(point.id, (point, name))
                    break
        if len(found) == 1:
            point, name = next(iter(found.values()))
            return Place(label=name, latitude=point.latitude, longitude=point.longitude,
                         postal_code=None, municipality_id=point.id)
        if found:
            return None  # ambiguous
    return None


def _place_for_postal_code(code: str, name: str) -> Place | None:
    """A postal code's place. A few codes span two municipalities (1040 Brussel and Etterbeek):
    the municipality the rest of the query names, else the one the code is most specific to
    (the one with the fewest postal codes, then by name)."""
    candidates = [point for point in _municipality_points() if code in point.postal_codes]
    if not candidates:
        return None
    named = [p for p in candidates if name and any(key == name for _, key in p.names)]
    point = (named or sorted(candidates, key=lambda p: (len(p.postal_codes), p.name)))[0]
    return Place(label=f"{code} {point.name}", latitude=point.latitude,
                 longitude=point.longitude, postal_code=code, municipality_id=point.id)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in km between two points in decimal degrees (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    h = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def postal_codes_within(place: Place, km: float) -> dict[str, float]:
    """Every postal code whose municipality's point lies within `km` of the place, with that
    distance in km (the nearest, for a code that spans two municipalities), nearest first.
    The place's own postal code is always in, at 0. Reads no database once the points are
    cached: a bounding box first, then the exact distance."""
    km = max(0.0, float(km))
    lat_margin = km / KM_PER_DEGREE
    widest = math.cos(math.radians(min(89.0, abs(place.latitude) + lat_margin)))
    lon_margin = lat_margin / widest
    found: dict[str, float] = {}
    for point in _municipality_points():
        if (abs(point.latitude - place.latitude) > lat_margin
                or abs(point.longitude - place.longitude) > lon_margin):
            continue
        distance = distance_km(place.latitude, place.longitude, point.latitude, point.longitude)
        if distance > km:
            continue
        for code in point.postal_codes:
            if code not in found or distance < found[code]:
                found[code] = distance
    if place.postal_code:
        found[place.postal_code] = 0.0
    return dict(sorted(found.items(), key=lambda item: (item[1], item[0])))
