"""The open data: the whole public register as CSV and JSON, streamed row by row.

`COLUMNS` is the one definition of the files: their columns in order, where each value comes
from, and what it means (the open-data page shows the same list). The files hold public data
only: no mentors, no learners, no national register numbers, no e-mail addresses or phone
numbers.

The rows are read with `values_list(...).iterator(chunk_size=...)` and written out a chunk at a
time, so a download never holds the whole register in memory."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from werkplek.core.identifiers import (
    format_enterprise_number,
    format_establishment_unit_number,
)

from . import selectors

# Rows read from the database at a time, and rows written per chunk of the response.
CHUNK_SIZE = 2000
ROWS_PER_WRITE = 500
# The name of the licence of the open data and where to read it.
LICENCE_NAME = "Modellicentie Gratis Hergebruik – Vlaanderen v1.0"
LICENCE_URL = ("https://www.vlaanderen.be/digitaal-vlaanderen/onze-oplossingen/open-data/"
               "modellicentie-gratis-hergebruik")
CSV_DELIMITER = ","
FILE_STEM = "erkende-werkplekken"


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _enterprise_number(value: str | None) -> str | None:
    return format_enterprise_number(value) if value else None


def _unit_number(value: str | None) -> str | None:
    return format_establishment_unit_number(value) if value else None


@dataclass(frozen=True)
class Column:
    """One column of the files: its `name` (the CSV header and the JSON key), the field it is
    read from (`source`, a `values_list` path), how the value is written (`convert`), what it
    means and an example (for the open-data page)."""

    name: str
    source: str
    description: Promise
    example: str
    convert: Callable[[Any], Any] = _text


COLUMNS: tuple[Column, ...] = (
    Column("erkenning_id", "pk", _("The number of the recognition in Werkplek. It stays the "
                                   "same as long as the recognition exists."), "1234",
           convert=lambda value: value),
    Column("ondernemingsnummer", "enterprise__enterprise_number",
           _("The enterprise number (KBO) of the enterprise, written 0123.456.749."),
           "0412.345.614", convert=_enterprise_number),
    Column("onderneming_naam", "enterprise__name", _("The name of the enterprise."),
           "Bouwbedrijf De Zwaluw NV"),
    Column("vestigingseenheidsnummer", "unit__unit_number",
           _("The number of the establishment unit (KBO), written 2.123.456.789."),
           "2.123.456.791", convert=_unit_number),
    Column("vestigingseenheid_naam", "unit__name", _("The name of the establishment unit."),
           "Werf en atelier Gent"),
    Column("straat", "unit__street",
           _("The street and number of the establishment unit."), "Industrieweg 12"),
    Column("postcode", "unit__postal_code",
           _("The postal code of the establishment unit."), "9000"),
    Column("gemeente", "unit__municipality",
           _("The municipality of the establishment unit."), "Gent"),
    Column("provincie_code", "unit__province__code",
           _("The code of the province of the establishment unit (BRU for the "
             "Brussels-Capital Region); empty when unknown."), "VOV"),
    Column("provincie_naam", "unit__province__name_nl",
           _("The Dutch name of that province; empty when unknown."), "Oost-Vlaanderen"),
    Column("opleiding_code", "programme__code",
           _("The code of the programme in the catalogue of Werkplek."), "dakwerker-duaal"),
    Column("opleiding_naam", "programme__name_nl",
           _("The Dutch name of the programme."), "Dakwerker duaal"),
    Column("sector_code", "programme__sector__code",
           _("The code of the sector of the programme."), "bouw"),
    Column("sector_naam", "programme__sector__name_nl",
           _("The Dutch name of the sector of the programme."), "Bouw"),
    Column("partnerschap_code", "partnership__code",
           _("The code of the partnership that granted the recognition."), "bouw"),
    Column("partnerschap_naam", "partnership__name_nl",
           _("The Dutch name of that partnership."), "Sectoraal partnerschap Bouw"),
    Column("geldig_van", "valid_from",
           _("The first day of the recognition (ISO 8601: year-month-day)."), "2026-03-01",
           convert=_iso),
    Column("geldig_tot", "valid_until",
           _("The last day of the recognition, included (ISO 8601: year-month-day)."),
           "2031-02-28", convert=_iso),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)


def file_name(extension: str, *, today: date) -> str:
    """The name of a download: the register and its date (erkende-werkplekken-2026-05-01.csv)."""
    return f"{FILE_STEM}-{today.isoformat()}.{extension}"


def rows(*, today: date) -> Iterator[list]:
    """The recognitions in force on `today`, one list of values per recognition (in the order
    of `COLUMNS`), by id; read `CHUNK_SIZE` rows at a time."""
    values = (selectors.in_force(today=today).order_by("pk")
              .values_list(*(column.source for column in COLUMNS)))
    converters = [column.convert for column in COLUMNS]
    for row in values.iterator(chunk_size=CHUNK_SIZE):
        yield [convert(value) for convert, value in zip(converters, row, strict=True)]


def csv_chunks(*, today: date) -> Iterator[str]:
    """The CSV file in pieces: a header row with the column names, then one row per
    recognition; comma-separated, fields quoted where needed, lines ending in CRLF (RFC 4180).
    An empty value is an empty field."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    for number, row in enumerate(rows(today=today), start=1):
        writer.writerow(row)
        if number % ROWS_PER_WRITE == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)
    if buffer.tell():
        yield buffer.getvalue()


def json_chunks(*, today: date) -> Iterator[str]:
    """The JSON file in pieces: an array with one object per recognition, its keys the column
    names; an empty value is null. Written by hand, so the array is never held whole."""
    yield "["
    separator = "\n"
    pending: list[str] = []
    for row in rows(today=today):
        pending.append(separator + json.dumps(dict(zip(COLUMN_NAMES, row, strict=True)),
                                              ensure_ascii=False))
        separator = ",\n"
        if len(pending) >= ROWS_PER_WRITE:
            yield "".join(pending)
            pending = []
    yield "".join(pending) + "\n]\n"
