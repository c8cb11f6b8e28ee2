from django.core.management.base import CommandError

from werkplek.appeals.services import close_appeal_windows
from werkplek.core.daily import DailyCommand


class Command(DailyCommand):
    help = ("The daily job of the appeals: a refusal or a sanction whose appeal period (10 "
            "calendar days from its notification) has passed without an appeal becomes final. "
            "Safe to run again, at any hour: a decision is closed once, and only after the last "
            "day to appeal.")
    date_help = "Run as of this day (YYYY-MM-DD), for catching up; never a day in the future."

    def run(self, today):
        try:
            closed = close_appeal_windows(today=today)
        except ValueError as error:  # a day in the future
            raise CommandError(f"--date: {error}") from error
        return f"{closed} decision(s) became final."
