from django.core.management.base import BaseCommand

from werkplek.notices.tasks import resume_deliveries


class Command(BaseCommand):
    help = ("Resume the official e-mails a dead task worker left behind: a delivery whose "
            "sending was interrupted (its claim is older than NOTICES_STALE_CLAIM, 10 minutes "
            "by default) and a delivery or a letter whose first task was lost. Run it every few "
            "minutes beside the workers; safe to run again: nothing is sent twice.")

    def handle(self, *args, **options):
        resumed = resume_deliveries()
        self.stdout.write(f"{resumed['stale']} interrupted delivery(ies), {resumed['untried']} "
                          f"never tried and {resumed['letters']} letter(s) resumed.")
