from datetime import date

from django.core.management.base import BaseCommand, CommandError

from werkplek.appeals.services import close_appeal_windows


class Command(BaseCommand):
    help = ("The daily job of the appeals: a refusal or a sanction whose appeal period (10 "
            "calendar days from its notification) has passed without an appeal becomes final. "
            "Safe to run again, at any hour: a decision is closed once, and only after the last "
            "day to appeal.")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as of this day (YYYY-MM-DD), for catching up; "
                                           "never a day in the future.")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
        try:
            closed = close_appeal_windows(today=today)
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        self.stdout.write(f"{closed} decision(s) became final.")
