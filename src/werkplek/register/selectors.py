"""Reads of the public register: the recognitions in force today, searched, sorted and one by one.

Only public data of an enterprise is read here: its name and number, its establishment unit's
address, the programme, the partnership and how to contact them. Never mentors, learners or
national register numbers: the querysets below select no relation that leads to them.

Every page reads its rows in a fixed number of queries, whatever the number of rows: the
related records by joins (`select_related`), the distance (when a place is given) from the
postal codes found once per request."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils import timezone
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
    active one whose last day has passed before the daily job marked it expired).

    Written as "an in-force state and `today` within the period", which is the same set (the
    condition of a renewed one, not past its last day, is implied by the period) and is the
    condition of the partial indexes the register reads (`recognition_inforce_*_idx`)."""
    return Recognition.objects.filter(state__in=Recognition.IN_FORCE_STATES,
                                      valid_from__lte=today, valid_until__gte=today)


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
    if programme or sector_code:
        # The programmes are a short list: read the ones that match first, so the recognitions
        # are found by the programme index (not by joining every recognition to its programme).
        programmes = Programme.objects.all()
        if programme:
            programmes = programmes.filter(Q(name_nl__icontains=programme)
                                           | Q(name_en__icontains=programme))
        if sector_code:
            programmes = programmes.filter(sector__code=sector_code)
        programme_ids = list(programmes.values_list("pk", flat=True))
        if not programme_ids:
            return recognitions.none()
        recognitions = recognitions.filter(programme_id__in=programme_ids)
    if province_code:
        recognitions = recognitions.filter(unit__province__code=province_code)
    if partnership_code:
        recognitions = recognitions.filter(partnership__code=partnership_code)
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


# --- the pages of a search, kept in the cache -----------------------------------------------------

# How long a count or a page of results is kept. Changes to the register bump the version (see
# `bump_cache_version`), which makes every kept entry unreachable at once; the lifetime bounds
# how long another process whose cache was not told (a per-process cache) can lag behind.
CACHE_TIMEOUT = 60
VERSION_KEY = "register:version"


def cache_version() -> str:
    """The current version of the register's cached searches."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or ""
    return version


def bump_cache_version(**kwargs) -> None:
    """Forget every cached search (a signal receiver: a recognition, an enterprise, a unit or a
    reference record the register shows was saved or deleted)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    # Once more when the change is committed: a search made meanwhile (which still read the
    # rows as they were) may have been kept under the version set just now.
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


class SearchResults:
    """A search as Django's `Paginator` reads it: its `count()` and slices of it.

    Counting and sorting every match is the expensive part of a search (the sort keys are on the
    enterprise, the unit and the programme: every match is joined). So the count and, per slice,
    the ids of the rows in it are kept in the cache for `CACHE_TIMEOUT` seconds, under a key made
    of the search's arguments (filters and sort), today's date, the active language and the
    register's version (`cache_version`). The rows themselves are always read fresh by their
    ids, still limited to those in force: a recognition withdrawn meanwhile is never shown."""

    def __init__(self, recognitions: QuerySet[Recognition], *, today: date, search: dict):
        self.recognitions = recognitions
        self.today = today
        # What makes the search: the arguments of `search`, the day and the language (the
        # programme's name sorts in it). Cheaper than compiling the query to SQL.
        described = repr((sorted(search.items()), today.isoformat(), _english()))
        self._key = hashlib.sha256(described.encode()).hexdigest()[:32]

    def cache_key(self, *parts) -> str:
        """A key of the cache for something of this search (``parts``), at the register's
        current version."""
        return ":".join(("register", cache_version(), self._key, *map(str, parts)))

    def count(self) -> int:
        if self.recognitions.query.is_empty():
            return 0
        key = self.cache_key("count")
        number = cache.get(key)
        if number is None:
            number = self.recognitions.count()
            cache.set(key, number, CACHE_TIMEOUT)
        return number

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step is not None:
            raise TypeError("SearchResults can only be sliced.")
        if self.recognitions.query.is_empty():
            return []
        key = self.cache_key("ids", item.start, item.stop)
        ids = cache.get(key)
        if ids is None:
            ids = list(self.recognitions.values_list("pk", flat=True)[item])
            cache.set(key, ids, CACHE_TIMEOUT)
        if not ids:
            return []
        rows = in_force(today=self.today).select_related(*RELATED).defer(
            "programme__activities").in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]


def all_in_force(ids: list[int], *, today: date | None = None) -> bool:
    """Whether every one of these recognitions is in force on `today` (default: today):
    `in_force`'s condition on their primary keys, in one query.

    Asked on every visit to a page kept whole in the cache (werkplek.core.pagecache), where the
    ORM's building of the query cost more than the query itself: so written in SQL, with the
    columns and states taken from the model (tests/register/test_page_cache.py compares it
    with `in_force` over every state and period)."""
    wanted = sorted({int(pk) for pk in ids})
    if not wanted:
        return True
    today = today or timezone.localdate()
    meta, quote = Recognition._meta, connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    state, start, end = (quote(meta.get_field(name).column)
                         for name in ("state", "valid_from", "valid_until"))
    states = [str(value) for value in Recognition.IN_FORCE_STATES]

    def slots(values) -> str:
        return ", ".join(["%s"] * len(values))

    # Only the model's own names are written into the text; every value is a parameter.
    sql = (f"SELECT COUNT(*) FROM {table} WHERE {pk} IN ({slots(wanted)}) "  # noqa: S608
           f"AND {state} IN ({slots(states)}) AND {start} <= %s AND {end} >= %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*wanted, *states, today, today])
        (count,) = cursor.fetchone()
    return count == len(wanted)


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
