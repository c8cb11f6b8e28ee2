from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from werkplek.accounts.demo import DEMO_ACCOUNTS, load_demo_data


class Command(BaseCommand):
    help = ("Load the demo accounts (password 'demo'), a demo enterprise with two establishment "
            "units and two mentors. Idempotent: running it again changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--not-production", action="store_true",
            help="Load even though DEBUG is off (a staging or test environment, never production).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["not_production"]:
            raise CommandError(
                "Refusing to load demo accounts with password 'demo' while DEBUG is off. "
                "Pass --not-production for a staging or test environment."
            )
        counts = load_demo_data()
        self.stdout.write(self.style.SUCCESS(
            "Demo data ready: " + ", ".join(f"{v} {k}" for k, v in counts.items())
        ))
        self.stdout.write("Demo accounts (password 'demo'): "
                          + ", ".join(a.username for a in DEMO_ACCOUNTS))
