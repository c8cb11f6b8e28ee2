from django.core.management.base import BaseCommand

from werkplek.accounts.demo import DEMO_ACCOUNTS, load_demo_data


class Command(BaseCommand):
    help = ("Load the demo accounts (password 'demo'), a demo enterprise with two establishment "
            "units and two mentors. Idempotent: running it again changes nothing.")

    def handle(self, *args, **options):
        counts = load_demo_data()
        self.stdout.write(self.style.SUCCESS(
            "Demo data ready: " + ", ".join(f"{v} {k}" for k, v in counts.items())
        ))
        self.stdout.write("Demo accounts (password 'demo'): "
                          + ", ".join(a.username for a in DEMO_ACCOUNTS))
