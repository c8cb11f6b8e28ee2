"""Bulk loading of generated rows: PostgreSQL `COPY`, or batched inserts elsewhere (SQLite).

Rows carry their own primary keys (the generator numbers them), so related rows can be written
without reading anything back; `reset_sequences` then moves each table's id sequence past the
highest id, so the application's own inserts go on from there."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Model

BATCH = 5000


def _column(model: type[Model], name: str) -> str:
    return model._meta.get_field(name).column


def _sqlite_value(value):
    """What Django's SQLite backend stores: ISO dates, naive UTC datetimes, JSON text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return value


def _pg_value(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return value


class Writer:
    """Writes rows of a model's table, counting them per table."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.counts: dict[str, int] = {}
        self.tables: list[type[Model]] = []

    def insert(self, model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
        table = model._meta.db_table
        columns = [_column(model, name) for name in fields]
        quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
        written = 0
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                raw = cursor.cursor  # psycopg's own cursor: COPY
                with raw.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) "
                              "FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([_pg_value(value) for value in row])
                        written += 1
            else:
                sql = (f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES "  # noqa: S608
                       f"({', '.join(['%s'] * len(columns))})")
                batch: list[list] = []
                for row in rows:
                    batch.append([_sqlite_value(value) for value in row])
                    if len(batch) >= BATCH:
                        cursor.executemany(sql, batch)
                        written += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    written += len(batch)
        self.counts[table] = self.counts.get(table, 0) + written
        if model not in self.tables:
            self.tables.append(model)
        return written

    def reset_sequences(self) -> None:
        """Move the id sequences past the ids written (PostgreSQL; SQLite follows by itself)."""
        if self.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model in self.tables:
                pk = model._meta.pk
                if not pk.get_internal_type().endswith("AutoField"):
                    continue
                table = model._meta.db_table
                sql = (f"SELECT setval(pg_get_serial_sequence(%s, %s), "  # noqa: S608
                       f"COALESCE((SELECT MAX({connection.ops.quote_name(pk.column)}) FROM "
                       f"{connection.ops.quote_name(table)}), 1))")
                cursor.execute(sql, [table, pk.column])

    def analyze(self) -> None:
        """Statistics for the planner; on PostgreSQL outside a transaction also VACUUM, which
        marks the pages all-visible so that counts can be index-only scans (as autovacuum
        would do in time)."""
        vacuum = self.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")


def next_id(model: type[Model]) -> int:
    """The first free id of a table (the generator numbers its rows from there)."""
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
