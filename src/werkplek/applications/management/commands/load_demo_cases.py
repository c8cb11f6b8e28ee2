from django.core.management.base import BaseCommand

from werkplek.applications.demo import load_demo_cases


class Command(BaseCommand):
    help = ("Demo casework: applications at every step of the procedure (after load_demo_data; "
            "idempotent; never in production).")

    def handle(self, *args, **options):
        result = load_demo_cases()
        self.stdout.write(f"Demo cases ready: {result['built']} built, "
                          f"{result['cases'] - result['built']} already there")
