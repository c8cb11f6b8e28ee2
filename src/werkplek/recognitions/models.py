"""Recognitions (erkenningen): one establishment unit, one programme, valid 5 years."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Recognition(models.Model):
    """The recognition of an establishment unit as a workplace for one programme.

    Created by the decision service when an application is approved; valid from the day of the
    decision for 5 years (`core.deadlines.recognition_validity`)."""

    class State(models.TextChoices):
        ACTIVE = "active", _("active")
        EXPIRED = "expired", _("expired")
        WITHDRAWN = "withdrawn", _("withdrawn")
        EXCLUDED = "excluded", _("excluded")

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT,
                                   related_name="recognitions", verbose_name=_("enterprise"))
    unit = models.ForeignKey("enterprises.EstablishmentUnit", on_delete=models.PROTECT,
                             related_name="recognitions", verbose_name=_("establishment unit"))
    programme = models.ForeignKey("catalog.Programme", on_delete=models.PROTECT,
                                  related_name="recognitions", verbose_name=_("programme"))
    partnership = models.ForeignKey("catalog.Partnership", on_delete=models.PROTECT,
                                    related_name="recognitions", verbose_name=_("partnership"))
    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="recognition",
                                       verbose_name=_("application"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices,
                             default=State.ACTIVE, db_index=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), db_index=True)
    validity_rule = models.CharField(_("validity rule"), max_length=100)
    mentors = models.ManyToManyField("enterprises.Mentor", through="RecognitionMentor",
                                     related_name="recognitions", verbose_name=_("mentors"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["unit", "programme", "-valid_from"]
        indexes = [
            models.Index(fields=["enterprise", "state"], name="recognition_enterprise_idx"),
            models.Index(fields=["partnership", "state", "valid_until"],
                         name="recognition_partnership_idx"),
            models.Index(fields=["programme", "state"], name="recognition_programme_idx"),
        ]
        constraints = [
            # At most one active recognition per unit and programme, whatever races.
            models.UniqueConstraint(fields=["unit", "programme"],
                                    condition=models.Q(state="active"),
                                    name="one_active_recognition_per_unit_programme"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.programme}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.state == self.State.ACTIVE and self.valid_from <= today <= self.valid_until


class RecognitionMentor(models.Model):
    """A mentor confirmed for a recognition."""

    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE,
                                    related_name="mentor_links", verbose_name=_("recognition"))
    mentor = models.ForeignKey("enterprises.Mentor", on_delete=models.PROTECT,
                               related_name="recognition_links", verbose_name=_("mentor"))
    since = models.DateField(_("mentor since"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("mentor of a recognition")
        verbose_name_plural = _("mentors of a recognition")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["recognition", "mentor"],
                                    name="unique_mentor_per_recognition"),
        ]

    def __str__(self) -> str:
        return str(self.mentor)
