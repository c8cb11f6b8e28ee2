from django.core.management.base import BaseCommand

from werkplek.applications.backoffice import lapse_overdue


class Command(BaseCommand):
    help = ("Let applications lapse whose completion period has passed (run daily; running it "
            "again changes nothing).")

    def handle(self, *args, **options):
        count = lapse_overdue()
        self.stdout.write(f"{count} application(s) lapsed.")
