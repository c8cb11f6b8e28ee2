"""The base of the daily jobs (``appeals_daily``, ``agreements_daily``, ``recognitions_daily``):
each runs as of today, or as of an earlier ``--date`` to catch up on a day it missed."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError


class DailyCommand(BaseCommand):
    """A daily job: ``run(today)`` does the work and returns what to print. ``today`` is None
    for today, or the day given with ``--date`` (YYYY-MM-DD); a day that is no date ends the
    command with a clear error instead of a traceback."""

    date_help = "Run as of this day (YYYY-MM-DD), for catching up."

    def add_arguments(self, parser):
        parser.add_argument("--date", help=self.date_help)

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
        self.stdout.write(self.run(today))

    def run(self, today: date | None) -> str:  # pragma: no cover - every job defines it
        raise NotImplementedError
