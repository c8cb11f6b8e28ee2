"""Issuing, using and revoking API tokens."""

import secrets
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkplek.accounts.models import Membership, Role

from .models import PREFIX_LENGTH, ApiToken, hash_secret

TOKEN_PREFIX = "wp_"
# last_used_at is written at most this often per token, so that a busy client does not turn
# every read into a write.
LAST_USED_PRECISION = timedelta(minutes=1)


def _may_issue(actor) -> bool:
    return getattr(actor, "is_superuser", False) or actor.has_role(Role.ADMINISTRATOR)


def _membership_fits(*, user, training_provider=None, partnership=None) -> bool:
    memberships = Membership.objects.filter(user=user, is_active=True)
    if training_provider is not None:
        return memberships.filter(role=Role.COACH, training_provider=training_provider).exists()
    return memberships.filter(role=Role.HANDLER, partnership=partnership).exists()


def check_holder(*, user, training_provider=None, partnership=None) -> None:
    """The account a token acts as must be a learner coach of the training provider, or a case
    handler of the partnership, the token is issued to."""
    if (training_provider is None) == (partnership is None):
        raise ValidationError(_("Choose either a training provider or a partnership."),
                              code="holder")
    if not _membership_fits(user=user, training_provider=training_provider,
                            partnership=partnership):
        if training_provider is not None:
            raise ValidationError({"user": _(
                "This account is not an active learner coach of the training provider.")},
                code="holder")
        raise ValidationError({"user": _(
            "This account is not an active case handler of the partnership.")}, code="holder")


@transaction.atomic
def issue_token(*, actor, user, name: str, training_provider=None, partnership=None,
                expires_on: date | None = None) -> tuple[ApiToken, str]:
    """A new token; returns it with its secret, which is never stored and cannot be shown
    again."""
    if actor is not None and not _may_issue(actor):
        raise PermissionDenied(_("Only an administrator issues API tokens."))
    check_holder(user=user, training_provider=training_provider, partnership=partnership)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name, user=user, training_provider=training_provider, partnership=partnership,
        prefix=secret[len(TOKEN_PREFIX):len(TOKEN_PREFIX) + PREFIX_LENGTH],
        key_hash=hash_secret(secret), expires_on=expires_on, created_by=actor)
    return token, secret


@transaction.atomic
def revoke_token(*, actor, token_id: int) -> ApiToken:
    """Revoke a token at once (idempotent)."""
    if actor is not None and not _may_issue(actor):
        raise PermissionDenied(_("Only an administrator revokes API tokens."))
    token = ApiToken.objects.select_for_update().get(pk=token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def authenticate(secret: str) -> ApiToken | None:
    """The usable token with this secret, whose account still holds the membership it was
    issued for; None otherwise. Records when it was last used."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (ApiToken.objects.select_related("user").filter(key_hash=hash_secret(secret))
             .first())
    if token is None or not token.is_usable() or not token.user.is_active:
        return None
    if not _membership_fits(user=token.user, training_provider=token.training_provider,
                            partnership=token.partnership):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
