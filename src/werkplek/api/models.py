"""API tokens: issued by an administrator to a training provider's learner coach or to a
partnership's case handler. The API then acts as that account, with exactly the rights it has in
the web counter (its memberships and mandates), so every action is checked by the same service
and written to the same timeline under a real person's name.

Only a hash of the secret is stored; the secret is shown once, when the token is issued."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX_LENGTH = 8


def hash_secret(secret: str) -> str:
    """The stored form of a token. The secret is 256 random bits, so a plain SHA-256 is enough
    (there is nothing to guess); a slow password hash would only slow every request."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    class Holder(models.TextChoices):
        TRAINING_PROVIDER = "training_provider", _("training provider")
        PARTNERSHIP = "partnership", _("partnership")

    name = models.CharField(_("name"), max_length=100,
                            help_text=_("What the token is for, e.g. the provider's system."))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="api_tokens", verbose_name=_("acts as"))
    training_provider = models.ForeignKey("catalog.TrainingProvider", on_delete=models.PROTECT,
                                          null=True, blank=True, related_name="api_tokens",
                                          verbose_name=_("training provider"))
    partnership = models.ForeignKey("catalog.Partnership", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="api_tokens",
                                    verbose_name=_("partnership"))
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, db_index=True,
                              editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_on = models.DateField(_("valid until"), null=True, blank=True,
                                  help_text=_("Inclusive. Leave empty for no end date."))
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("issued by"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("revoked by"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="api_token_one_holder",
                condition=(Q(training_provider__isnull=False, partnership__isnull=True)
                           | Q(training_provider__isnull=True, partnership__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def holder(self):
        return self.training_provider or self.partnership

    def is_usable(self, *, now=None) -> bool:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_on is None or timezone.localdate(now) <= self.expires_on
