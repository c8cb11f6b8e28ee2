"""Benchmark: the handlers' queue, the statistics and the daily deadline job at scale.

Generates its own data (by default 250,000 applications over four years for a dozen
partnerships, about 10 % of them open, the Dutch scale of DOMAIN.md) in a database of its own,
then times each page and job a few times and prints a table: the median time, the number of
queries; then the queue's page query alone for each sort, read with the deferred join the
view uses against one plain query (first and middle page of the decided tab), and the plan
of the page query (on PostgreSQL with EXPLAIN ANALYZE).

    # SQLite, in a temporary folder (removed afterwards):
    DEBUG=1 PYTHONPATH=src .venv/bin/python bench/queue_statistics.py
    # PostgreSQL: a database whose name contains "bench" (it is filled; --reuse keeps the data
    # of an earlier run):
    createdb -h 127.0.0.1 -U postgres werkplek_bench
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/werkplek_bench DEBUG=1 \\
        PYTHONPATH=src .venv/bin/python bench/queue_statistics.py --applications 250000

Never run as a timed test; run by hand.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkplek.settings")
    os.environ.setdefault("DEBUG", "1")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def generate(total: int, seed: int = 5) -> None:
    """Enterprises with one unit each, handlers per partnership, and `total` applications."""
    from django.db import transaction

    from werkplek.accounts.models import Membership, Role, User
    from werkplek.applications.models import Application
    from werkplek.catalog.models import Partnership, PostalCode, Programme
    from werkplek.core.deadlines import decision_deadline
    from werkplek.enterprises.models import Enterprise, EstablishmentUnit

    rng = random.Random(seed)
    partnerships = list(Partnership.objects.all())
    weights = [5 if p.kind == "flemish" else 3 if p.code in ("bouw", "horeca") else 1
               for p in partnerships]
    programmes = list(Programme.objects.values_list("pk", flat=True))
    places = list(PostalCode.objects.filter(municipality__province__isnull=False)
                  .values_list("code", "municipality__name_nl", "municipality__province_id")[:3000])
    handlers: dict[int, list[int]] = {}
    for partnership in partnerships:
        for i in range(5):
            user, _ = User.objects.get_or_create(
                username=f"bench-{partnership.code}-{i}",
                defaults={"first_name": f"Handler {i}", "last_name": partnership.code,
                          "email": f"bench-{partnership.code}-{i}@werkplek.example"})
            Membership.objects.get_or_create(user=user, role=Role.HANDLER,
                                             partnership=partnership)
            handlers.setdefault(partnership.pk, []).append(user.pk)
    employer = User.objects.get(username="werkgever")

    unit_count = max(total // 3, 1000)
    print(f"generating {unit_count:,} enterprises and units, {total:,} applications ...",
          flush=True)
    batch = 5000
    with transaction.atomic():
        for start in range(0, unit_count, batch):
            enterprises, units = [], []
            for n in range(start, min(start + batch, unit_count)):
                first8 = 10_000_000 + n
                enterprises.append(Enterprise(enterprise_number=f"{first8}{97 - first8 % 97:02d}",
                                              name=f"Bench onderneming {n:06d}"))
            created = Enterprise.objects.bulk_create(enterprises)
            for enterprise, n in zip(created, range(start, start + len(created)), strict=True):
                code, municipality, province = rng.choice(places)
                unit8 = 30_000_000 + n
                units.append(EstablishmentUnit(
                    enterprise=enterprise, unit_number=f"{unit8}{97 - unit8 % 97:02d}",
                    name=f"Vestiging {n:06d}", street="Benchstraat 1", postal_code=code,
                    municipality=municipality, province_id=province))
            EstablishmentUnit.objects.bulk_create(units)
    unit_rows = list(EstablishmentUnit.objects.filter(name__startswith="Vestiging ")
                     .values_list("pk", "enterprise_id"))

    now = datetime.now(BRUSSELS)
    # About 60,000 applications a year decided in about two weeks: some 1.5 % open at a time.
    states, state_weights = zip(*{
        "approved": 800, "refused": 110, "lapsed": 30, "withdrawn": 45, "submitted": 4,
        "in_progress": 6, "waiting": 3, "proposed": 2}.items(), strict=True)
    open_states = {"submitted", "in_progress", "waiting", "proposed"}
    open_unit = 0
    with transaction.atomic():
        for start in range(0, total, batch):
            rows = []
            for n in range(start, min(start + batch, total)):
                state = rng.choices(states, state_weights)[0]
                partnership = rng.choices(partnerships, weights)[0]
                if state in open_states:
                    # One open application per unit: each open one gets a unit of its own.
                    unit_id, enterprise_id = unit_rows[open_unit % len(unit_rows)]
                    open_unit += 1
                    submitted_at = now - timedelta(days=rng.randint(0, 16),
                                                   minutes=rng.randint(0, 600))
                else:
                    unit_id, enterprise_id = rng.choice(unit_rows)
                    submitted_at = now - timedelta(days=rng.randint(20, 4 * 365),
                                                   minutes=rng.randint(0, 600))
                paused = rng.choice([0] * 8 + [3, 9])
                deadline = decision_deadline(submitted_at, paused_days=paused)
                decided_at = None
                if state in ("approved", "refused"):
                    decided_at = submitted_at + timedelta(days=rng.randint(2, 17) + paused,
                                                          hours=rng.randint(0, 8))
                application = Application(
                    state=state, reference=f"WP-B-{n:08d}", enterprise_id=enterprise_id,
                    unit_id=unit_id, programme_id=rng.choice(programmes),
                    created_by=employer, submitted_at=submitted_at,
                    decision_deadline=deadline.day, deadline_rule=deadline.rule,
                    partnership=partnership, paused_days=paused, decided_at=decided_at,
                    decision={"approved": "approve", "refused": "refuse"}.get(state, ""),
                    assigned_to_id=rng.choice(handlers[partnership.pk])
                    if rng.random() < 0.7 else None,
                    completion_due=(submitted_at + timedelta(days=30)).date()
                    if state == "waiting" else None,
                )
                rows.append(application)
            Application.objects.bulk_create(rows)
            print(f"  {min(start + batch, total):,}", end="\r", flush=True)
    print()


def measure(label: str, run, repeat: int) -> tuple[str, float, int]:
    """The median time of `repeat` runs (after one to warm up) and the queries of one run."""
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    run()  # warm up
    times = []
    for _ in range(repeat):
        executed.clear()
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
    return label, statistics.median(times) * 1000, len(executed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=250_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the data of an earlier run (PostgreSQL)")
    args = parser.parse_args()

    folder = None
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        if "bench" not in url.rsplit("/", 1)[-1]:
            sys.exit("BENCH_DATABASE_URL must name a database with 'bench' in its name.")
    else:
        folder = tempfile.TemporaryDirectory(prefix="werkplek-bench-")
        url = f"sqlite:///{folder.name}/bench.sqlite3"
    setup(url)

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from werkplek.accounts.demo import load_demo_data
    from werkplek.accounts.models import User
    from werkplek.applications import selectors
    from werkplek.applications import statistics as stats
    from werkplek.applications.models import Application
    from werkplek.applications.reminders import remind_deadlines
    from werkplek.catalog.models import Province
    from werkplek.catalog.services import load_reference_data

    call_command("migrate", verbosity=0)
    existing = Application.objects.count()
    if not (args.reuse and existing >= args.applications):
        if existing:
            sys.exit(f"The database holds {existing:,} applications: use an empty one, or "
                     f"--reuse.")
        load_reference_data()
        load_demo_data()
        started = time.perf_counter()
        generate(args.applications)
        print(f"generated in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        # Fresh statistics for the planner, and on PostgreSQL the visibility map that lets it
        # read counts from an index alone (autovacuum keeps both up to date in production).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    handler = User.objects.get(username="bench-bouw-0")
    vpdl = User.objects.get(username="bench-vpdl-0")
    counts = selectors.queue_counts(handler)
    client = Client()
    client.force_login(handler)
    antwerp = Province.objects.get(code="VAN").pk

    def page(params: dict, **headers):
        def run():
            response = client.get("/aanvragen/behandeling/", params, headers=headers)
            assert response.status_code == 200, response.status_code
        return run

    def stats_page(user, params):
        viewer = Client()
        viewer.force_login(user)

        def run():
            response = viewer.get("/aanvragen/statistieken/", params)
            assert response.status_code == 200, response.status_code
        return run

    def reminders():
        with transaction.atomic():
            remind_deadlines()
            transaction.set_rollback(True)

    decided_pages = -(-counts["decided"] // 50)
    year = datetime.now(BRUSSELS).year - 1
    cases = [
        ("queue: new, by deadline", page({})),
        ("queue: being handled, by deadline", page({"tab": "in-behandeling"})),
        ("queue: decided, by deadline", page({"tab": "beslist"})),
        (f"queue: decided, page {decided_pages // 2}", page({"tab": "beslist",
                                                            "pagina": decided_pages // 2})),
        ("queue: decided, by enterprise", page({"tab": "beslist", "sorteer": "onderneming"})),
        ("queue: decided, by programme", page({"tab": "beslist", "sorteer": "opleiding"})),
        ("queue: decided, by programme, in English",
         page({"tab": "beslist", "sorteer": "opleiding"}, accept_language="en")),
        ("queue: decided, by province", page({"tab": "beslist", "sorteer": "provincie"})),
        ("queue: decided, by handler", page({"tab": "beslist", "sorteer": "behandelaar"})),
        (f"queue: decided, by handler, page {decided_pages // 2}",
         page({"tab": "beslist", "sorteer": "-behandelaar", "pagina": decided_pages // 2})),
        ("queue: being handled, by province",
         page({"tab": "in-behandeling", "sorteer": "provincie"})),
        ("queue: decided, province Antwerp", page({"tab": "beslist", "provincie": antwerp})),
        ("queue: overdue only", page({"tab": "in-behandeling", "termijn": "verlopen"})),
        ("queue: assigned to me", page({"tab": "beslist", "behandelaar": "ik"})),
        ("statistics: construction, 12 months", stats_page(handler, {})),
        ("statistics: all, 12 months", stats_page(vpdl, {})),
        (f"statistics: all, {year}", stats_page(vpdl, {"jaar": year})),
        (f"statistics: all, {year}, CSV", stats_page(vpdl, {"jaar": year, "formaat": "csv"})),
        ("daily job: remind_deadlines (rolled back)", reminders),
    ]
    results = [measure(label, run, args.repeat) for label, run in cases]

    print()
    print(f"{connection.vendor}, {Application.objects.count():,} applications "
          f"(construction: {sum(counts.values()):,}, of which decided {counts['decided']:,})")
    print(f"{'what':<46} {'median ms':>10} {'queries':>8}")
    for label, ms, queries in results:
        print(f"{label:<46} {ms:>10.1f} {queries:>8}")
    print(f"\nthe figures of {year}, all partnerships:")
    figures = stats.compute(stats.Scope(None), stats.period_for(year))
    t = figures.totals
    print(f"  received {t.received:,}, decided {t.decided:,}, in time "
          f"{t.share_within_deadline or 0:.1f} %, median {t.median_days} days "
          f"(raw {t.median_raw_days}), open {t.open:,}, overdue {t.overdue:,}")

    # The page query alone: the deferred join the view uses (the page's keys sorted on the
    # narrow rows, then 50 rows read in full) against one plain query that sorts the full rows.
    middle = (decided_pages // 2) * 50
    print(f"\nthe rows of one page alone, decided tab ({counts['decided']:,} rows), median ms:")
    print(f"{'sort':<12} {'page':>6} {'deferred join':>14} {'plain query':>12}")
    for sort in selectors.QUEUE_SORTS:
        rows = selectors.queue(handler, tab="decided", sort=sort)
        for start in (0, middle):
            deferred = measure("", lambda rows=rows, start=start: list(
                rows.page_queryset(start, start + 50)), args.repeat)[1]
            plain = measure("", lambda rows=rows, start=start: list(
                rows.queryset[start:start + 50]), args.repeat)[1]
            print(f"{sort:<12} {start // 50 + 1:>6} {deferred:>14.1f} {plain:>12.1f}")

    for sort in ("deadline", "programme"):
        queryset = selectors.queue(handler, tab="decided", sort=sort).page_queryset(0, 50)
        print(f"\nplan of the queue's page query (decided tab, by {sort}, first page):")
        print(queryset.explain(**({"analyze": True} if connection.vendor == "postgresql"
                                   else {})))
    if folder is not None:
        connection.close()
        folder.cleanup()


if __name__ == "__main__":
    main()
