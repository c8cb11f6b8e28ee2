import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from werkplek.accounts.models import User
from werkplek.core.access_request import export, find_person


class Command(BaseCommand):
    help = ("Answer an access request: write everything Werkplek holds about one person, found "
            "by national register number (exact match) or by user name, to a JSON file, or to a "
            "ZIP with the JSON and their documents when --output ends in .zip. The export is "
            "recorded in the personal-data access register in the name of --by.")

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--national-number", help="The person's national register number.")
        who.add_argument("--user", help="The user name of the person's account.")
        parser.add_argument("--output", required=True,
                            help="The file to write (.zip: with the documents; else JSON).")
        parser.add_argument("--by", required=True,
                            help="The user name of the administrator handling the request "
                                 "(recorded in the access register).")
        parser.add_argument("--purpose", default="access request",
                            help="Why, e.g. the reference of the request.")

    def handle(self, *args, **options):
        actor = User.objects.filter(username=options["by"], is_active=True).first()
        if actor is None:
            raise CommandError(_("--by: there is no active account “%(username)s”.")
                               % {"username": options["by"]})
        try:
            person = find_person(national_number=options["national_number"] or "",
                                 username=options["user"] or "")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if not person.found:
            raise CommandError(_("Werkplek holds no personal data under this national "
                                 "register number or account."))
        path = options["output"]
        with_documents = path.lower().endswith(".zip")
        # Personal data: readable by the owner only.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as output:
            data = export(actor=actor, person=person, purpose=options["purpose"],
                          output=output, with_documents=with_documents)
        self.stdout.write(_("Wrote %(path)s: %(accounts)d account(s), %(mentors)d mentor "
                            "record(s), %(learners)d learner record(s), %(documents)d "
                            "document(s).") % {
            "path": path, "accounts": len(data["user_accounts"]),
            "mentors": len(data["mentor_records"]), "learners": len(data["learner_records"]),
            "documents": len(data["documents"])})
