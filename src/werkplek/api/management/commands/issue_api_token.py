"""Issue an API token from the command line (the secret is printed once), or revoke one by its
prefix. The same as the admin's "API tokens", for an administrator with shell access."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from werkplek.accounts.models import User
from werkplek.api import services
from werkplek.api.models import ApiToken
from werkplek.catalog.models import Partnership, TrainingProvider


class Command(BaseCommand):
    help = ("Issue an API token to a training provider (acting as one of its learner coaches) or "
            "to a partnership (acting as one of its case handlers), and print its secret once; "
            "or revoke a token with --revoke <prefix>.")

    def add_arguments(self, parser):
        parser.add_argument("--user", help="Username or e-mail address of the account the "
                                           "token acts as.")
        holder = parser.add_mutually_exclusive_group()
        holder.add_argument("--training-provider", metavar="CODE",
                            help="Code of the training provider the token is issued to.")
        holder.add_argument("--partnership", metavar="CODE",
                            help="Code of the partnership the token is issued to.")
        parser.add_argument("--name", help="What the token is for, e.g. the provider's system.")
        parser.add_argument("--valid-until", metavar="YYYY-MM-DD",
                            help="Last day the token may be used (default: no end date).")
        parser.add_argument("--revoke", metavar="PREFIX",
                            help="Revoke the token with this prefix (the 8 characters after "
                                 "wp_) instead of issuing one.")

    def handle(self, *args, **options):
        if options["revoke"]:
            return self._revoke(options["revoke"])
        return self._issue(options)

    def _issue(self, options):
        if not options["user"]:
            raise CommandError(_("Give the account the token acts as: --user."))
        if not (options["training_provider"] or options["partnership"]):
            raise CommandError(_("Give --training-provider or --partnership."))
        name = (options["name"] or "").strip()
        if not name:
            raise CommandError(_("Give the token a name: --name."))
        user = self._user(options["user"])
        training_provider = partnership = None
        if options["training_provider"]:
            training_provider = TrainingProvider.objects.filter(
                code=options["training_provider"]).first()
            if training_provider is None:
                raise CommandError(_("There is no training provider with code “%(code)s”.")
                                   % {"code": options["training_provider"]})
        else:
            partnership = Partnership.objects.filter(code=options["partnership"]).first()
            if partnership is None:
                raise CommandError(_("There is no partnership with code “%(code)s”.")
                                   % {"code": options["partnership"]})
        expires_on = self._date(options["valid_until"]) if options["valid_until"] else None
        try:
            token, secret = services.issue_token(
                actor=None, user=user, name=name, training_provider=training_provider,
                partnership=partnership, expires_on=expires_on)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(_("Issued API token “%(name)s” (prefix %(prefix)s) to %(holder)s, "
                            "acting as %(user)s.") % {"name": token.name, "prefix": token.prefix,
                                                      "holder": token.holder, "user": user})
        self.stdout.write(_("The secret is shown only this once; only a hash of it is stored:"))
        self.stdout.write(secret)

    def _user(self, identifier: str) -> User:
        users = list(User.objects.filter(Q(username=identifier) | Q(email__iexact=identifier))[:2])
        if not users:
            raise CommandError(_("There is no account with username or e-mail address "
                                 "“%(user)s”.") % {"user": identifier})
        if len(users) > 1:
            raise CommandError(_("More than one account has the e-mail address “%(user)s”: give "
                                 "the username.") % {"user": identifier})
        if not users[0].is_active:
            raise CommandError(_("The account “%(user)s” is not active.") % {"user": identifier})
        return users[0]

    def _date(self, value: str) -> date:
        try:
            day = date.fromisoformat(value)
        except ValueError as error:
            raise CommandError(_("Give the date as YYYY-MM-DD, e.g. 2030-12-31.")) from error
        if day < timezone.localdate():
            raise CommandError(_("Choose a date that is not in the past."))
        return day

    def _revoke(self, prefix: str):
        prefix = prefix.removeprefix(services.TOKEN_PREFIX).rstrip("…").strip()
        tokens = list(ApiToken.objects.filter(prefix=prefix)[:2])
        if not tokens:
            raise CommandError(_("There is no API token with prefix “%(prefix)s”.")
                               % {"prefix": prefix})
        if len(tokens) > 1:
            raise CommandError(_("More than one API token has prefix “%(prefix)s”: revoke it in "
                                 "the admin.") % {"prefix": prefix})
        if tokens[0].revoked_at is not None:
            self.stdout.write(_("The API token “%(token)s” was already revoked.")
                              % {"token": tokens[0]})
            return
        token = services.revoke_token(actor=None, token_id=tokens[0].pk)
        self.stdout.write(_("Revoked the API token “%(token)s”.") % {"token": token})
