from werkplek.agreements.services import finish_agreements
from werkplek.core.daily import DailyCommand


class Command(DailyCommand):
    help = ("The daily job of the agreements: running agreements past their end date end "
            "normally; registrations never confirmed before their end date lapse. Safe to run "
            "again.")

    def run(self, today):
        return f"{finish_agreements(today=today)} agreement(s) ended."
