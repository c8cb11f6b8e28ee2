from datetime import date

from django.core.management.base import BaseCommand, CommandError

from werkplek.recognitions.services import (
    end_exclusions,
    expire_recognitions,
    remind_support_follow_ups,
    send_end_reminders,
)


class Command(BaseCommand):
    help = ("The daily jobs of the recognitions register: remind enterprises 6 and 2 months "
            "before a recognition ends, expire recognitions past their last day (with notice; "
            "their agreements end), end temporary exclusions, and flag support actions due for "
            "follow-up. Safe to run again: nothing is sent or changed twice.")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as of this day (YYYY-MM-DD), for catching up.")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
        reminded = send_end_reminders(today=today)
        expired = expire_recognitions(today=today)
        ended = end_exclusions(today=today)
        due = remind_support_follow_ups(today=today)
        self.stdout.write(f"{reminded} reminder(s) sent, {expired} recognition(s) expired, "
                          f"{ended} exclusion(s) ended, {due} support action(s) due for "
                          f"follow-up.")
