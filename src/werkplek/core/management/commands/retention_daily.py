from django.core.management.base import BaseCommand

from werkplek.core.retention import apply_retention, periods


class Command(BaseCommand):
    help = ("The daily retention job: delete drafts not changed for "
            "WERKPLEK_RETENTION_DRAFT_DAYS days, extracts from the criminal record "
            "WERKPLEK_RETENTION_EXTRACT_DAYS days after the decision became final, and the "
            "documents of refused, withdrawn or lapsed applications "
            "WERKPLEK_RETENTION_CLOSED_YEARS years after they ended; files are removed from "
            "the storage too, and so are stored files that no row names (left by a transaction "
            "that rolled back). Safe to run again: it reads only what became due since the "
            "previous run.")

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true",
                            help="Look at every closed application, not only those that "
                                 "became due since the previous run.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Count what is due without deleting anything.")

    def handle(self, *args, **options):
        chosen = periods()
        report = apply_retention(full=options["full"], dry_run=options["dry_run"])
        prefix = "Would delete" if options["dry_run"] else "Deleted"
        self.stdout.write(
            f"{prefix} {report.drafts} draft(s) (untouched for {chosen.draft_days} days), "
            f"{report.extracts + report.mentor_extracts} extract(s) from the criminal record "
            f"({chosen.extract_days} days after the final decision), "
            f"{report.closed_documents} document(s) of closed applications (after "
            f"{chosen.closed_years} years); {report.files} file(s); "
            f"{report.orphan_files} stored file(s) that no row named; "
            f"{report.log_entries} security log entries (after {chosen.log_days} days).")
