"""What the self-scan keeps: a help request the visitor chose to send, and the answers a
logged-in user carries into an application. Neither holds a birth date or a national
register number: the scan keeps only the mentor's age in years."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HelpRequest(models.Model):
    """A visitor asked their provincial contact point for help, with consent to share."""

    class Delivery(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    contact_point = models.ForeignKey(
        "catalog.ContactPoint", on_delete=models.PROTECT, related_name="help_requests",
        verbose_name=_("contact point"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    enterprise_name = models.CharField(_("enterprise"), max_length=200, blank=True)
    message = models.TextField(_("question"), blank=True)
    language = models.CharField(_("language"), max_length=2, default="nl")
    summary = models.TextField(_("scan summary"))
    consent_at = models.DateTimeField(_("consent given at"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices,
                                default=Delivery.PENDING)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["delivery", "created_at"], name="helprequest_delivery_idx")]

    def __str__(self) -> str:
        return f"{self.name} → {self.contact_point}"


class SavedScan(models.Model):
    """Self-scan answers kept for a user, to start an application with them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="saved_scans", verbose_name=_("user"))
    answers = models.JSONField(_("answers"))
    programme = models.ForeignKey("catalog.Programme", on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+", verbose_name=_("programme"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    used_at = models.DateTimeField(_("used for an application at"), null=True, blank=True)

    class Meta:
        verbose_name = _("saved self-scan")
        verbose_name_plural = _("saved self-scans")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="savedscan_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%d/%m/%Y}"
