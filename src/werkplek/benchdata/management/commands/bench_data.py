"""Fill the database with data at the Dutch scale for the load benchmarks (`make bench-data`)."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from werkplek.benchdata.generator import FULL, Generator


class Command(BaseCommand):
    help = ("Generate realistic, consistent data at the scale of the Dutch register (scale 1: "
            + ", ".join(f"{number:,} {name}" for name, number in FULL.items())
            + ") into a database that holds only the reference data. Deterministic for a seed.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0,
                            help="A fraction of the full scale (default 1).")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--today", type=date.fromisoformat, default=None,
                            help="The day the data is current on (default today, Brussels).")

    def handle(self, *args, scale, seed, today, **options):
        if not 0 < scale <= 4:
            raise CommandError("--scale must be above 0 and at most 4.")
        started = time.monotonic()

        def log(step: str) -> None:
            self.stdout.write(f"{time.monotonic() - started:7.1f} s  {step}")

        try:
            counts = Generator(scale=scale, seed=seed, today=today, log=log).run()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        for table, number in sorted(counts.items()):
            self.stdout.write(f"  {table:40} {number:>10,}")
        self.stdout.write(self.style.SUCCESS(
            f"Generated {sum(counts.values()):,} rows in {time.monotonic() - started:.0f} s."))
