from datetime import date

from django.core.management.base import BaseCommand, CommandError

from werkplek.agreements.services import finish_agreements


class Command(BaseCommand):
    help = ("The daily job of the agreements: running agreements past their end date end "
            "normally; registrations never confirmed before their end date lapse. Safe to run "
            "again.")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as of this day (YYYY-MM-DD), for catching up.")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
        self.stdout.write(f"{finish_agreements(today=today)} agreement(s) ended.")
