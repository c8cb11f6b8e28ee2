"""Enterprises, their establishment units and their mentors."""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from werkplek.core import personal_data
from werkplek.core.fields import EnterpriseNumberField, EstablishmentUnitNumberField
from werkplek.core.identifiers import (
    format_enterprise_number,
    format_establishment_unit_number,
    mask_national_number,
)


class Enterprise(models.Model):
    """An enterprise (onderneming), identified by its enterprise number (KBO)."""

    enterprise_number = EnterpriseNumberField(_("enterprise number"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=[("nl", "Nederlands"), ("en", "English")],
        default="nl",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.formatted_number})"

    @property
    def formatted_number(self) -> str:
        return format_enterprise_number(self.enterprise_number)


class EstablishmentUnit(models.Model):
    """One physical site of an enterprise (vestigingseenheid); recognition is per unit."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="units", verbose_name=_("enterprise")
    )
    unit_number = EstablishmentUnitNumberField(_("establishment unit number"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=4)
    municipality = models.CharField(_("municipality"), max_length=200)
    province = models.ForeignKey(
        "catalog.Province", on_delete=models.PROTECT, related_name="units",
        verbose_name=_("province"), null=True, blank=True,
    )
    joint_committee = models.ForeignKey(
        "catalog.JointCommittee", on_delete=models.PROTECT, related_name="units",
        verbose_name=_("joint committee"), null=True, blank=True,
    )

    class Meta:
        verbose_name = _("establishment unit")
        verbose_name_plural = _("establishment units")
        ordering = ["enterprise", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.formatted_number})"

    @property
    def formatted_number(self) -> str:
        return format_establishment_unit_number(self.unit_number)

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.municipality}"


class Mentor(models.Model):
    """A person at the workplace who coaches learners.

    The national register number is stored encrypted with a keyed hash for exact lookups;
    the birth date derived from it is kept for the age condition.
    """

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="mentors", verbose_name=_("enterprise")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    national_number_encrypted = models.TextField(_("national register number (encrypted)"))
    national_number_hash = models.CharField(max_length=64, db_index=True, editable=False)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    years_of_experience = models.PositiveSmallIntegerField(
        _("years of professional experience"), default=0
    )
    mentor_training_completed_on = models.DateField(
        _("mentor training completed on"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "national_number_hash"], name="unique_mentor_per_enterprise"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def set_national_number(self, compact: str, birth_date: date | None) -> None:
        self.national_number_encrypted = personal_data.encrypt(compact)
        self.national_number_hash = personal_data.lookup_hash(compact)
        self.birth_date = birth_date

    @property
    def national_number(self) -> str:
        """The number in clear: callers that show it must log the reveal."""
        return personal_data.decrypt(self.national_number_encrypted)

    @property
    def masked_national_number(self) -> str:
        return mask_national_number(self.national_number)
