"""Enterprises, their establishment units and their mentors."""

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkplek.core import personal_data
from werkplek.core.fields import EnterpriseNumberField, EstablishmentUnitNumberField
from werkplek.core.identifiers import (
    format_enterprise_number,
    format_establishment_unit_number,
    mask_national_number,
)
from werkplek.core.uploads import private_storage, private_upload_to


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
        indexes = [
            # The register's search by place: the units at the postal codes within a radius.
            models.Index(fields=["postal_code"], name="unit_postal_code_idx"),
        ]

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


class Mandate(models.Model):
    """A mandate (machtiging): the enterprise lets a learner coach (or a sector employee) act
    on its behalf, for some or all of its establishment units, for a limited period.

    Digital mandates are granted in Werkplek by a legal representative. A document mandate is a
    signed mandate document uploaded by the holder; it counts only once the partnership has
    accepted it (``document_check``).
    """

    FILE_APPLICATIONS = "file_applications"
    MANAGE_AGREEMENTS = "manage_agreements"
    PURPOSES = (FILE_APPLICATIONS, MANAGE_AGREEMENTS)

    class Kind(models.TextChoices):
        DIGITAL = "digital", _("granted in Werkplek")
        DOCUMENT = "document", _("signed mandate document")

    class DocumentCheck(models.TextChoices):
        PENDING = "pending", _("to be checked")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    class State(models.TextChoices):
        ACTIVE = "active", _("active")
        NOT_YET_VALID = "not_yet_valid", _("not yet valid")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("revoked")
        AWAITING_CHECK = "awaiting_check", _("awaiting check")
        REJECTED = "rejected", _("document rejected")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="mandates",
        verbose_name=_("enterprise"),
    )
    holder = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="mandates_held",
        verbose_name=_("holder"),
    )
    training_provider = models.ForeignKey(
        "catalog.TrainingProvider", on_delete=models.PROTECT, null=True, blank=True,
        related_name="mandates", verbose_name=_("training provider"),
        help_text=_("The holder's training provider when the mandate was granted."),
    )
    all_units = models.BooleanField(
        _("all establishment units"), default=False,
        help_text=_("Also units the enterprise adds later."),
    )
    units = models.ManyToManyField(
        EstablishmentUnit, blank=True, related_name="mandates",
        verbose_name=_("establishment units"),
    )
    may_file_applications = models.BooleanField(_("may file applications"), default=False)
    may_manage_agreements = models.BooleanField(_("may manage agreements"), default=False)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), help_text=_("Inclusive."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices,
                            default=Kind.DIGITAL)
    # NULL (not "") for a digital mandate: no check applies, which the constraint below enforces.
    document_check = models.CharField(  # noqa: DJ001
        _("document check"), max_length=10, choices=DocumentCheck.choices, null=True,
        blank=True,
    )
    document_checked_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("document checked by"),
    )
    document_checked_at = models.DateTimeField(_("document checked at"), null=True, blank=True)
    document_check_reason = models.TextField(_("reason of the document check"), blank=True)
    document_name = models.CharField(_("document name"), max_length=255, blank=True)
    document = models.FileField(_("signed mandate document"), storage=private_storage,
                                upload_to=private_upload_to, max_length=200, blank=True)
    content_type = models.CharField(_("type"), max_length=50, blank=True)
    granted_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["-valid_until", "-pk"]
        indexes = [
            models.Index(fields=["holder", "valid_until"], name="mandate_holder_until"),
            models.Index(fields=["enterprise", "valid_until"], name="mandate_enterprise_until"),
        ]
        constraints = [
            models.CheckConstraint(
                name="mandate_period_in_order", condition=Q(valid_until__gte=F("valid_from")),
            ),
            models.CheckConstraint(
                name="mandate_grants_something",
                condition=Q(may_file_applications=True) | Q(may_manage_agreements=True),
            ),
            models.CheckConstraint(
                name="mandate_document_check_fits_kind",
                condition=Q(kind="digital", document_check__isnull=True)
                | Q(kind="document", document_check__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} → {self.holder} ({self.valid_from} – {self.valid_until})"

    def state(self, on_day: date | None = None) -> "Mandate.State":
        """The state on ``on_day`` (today in Brussels by default)."""
        day = on_day or timezone.localdate()
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.kind == self.Kind.DOCUMENT and self.document_check == self.DocumentCheck.REJECTED:
            return self.State.REJECTED
        if day > self.valid_until:
            return self.State.EXPIRED
        if self.kind == self.Kind.DOCUMENT and self.document_check != self.DocumentCheck.ACCEPTED:
            return self.State.AWAITING_CHECK
        if day < self.valid_from:
            return self.State.NOT_YET_VALID
        return self.State.ACTIVE

    @property
    def current_state(self) -> "Mandate.State":
        return self.state()

    @property
    def is_valid_today(self) -> bool:
        return self.current_state == self.State.ACTIVE

    def covers_unit(self, unit: EstablishmentUnit) -> bool:
        if unit.enterprise_id != self.enterprise_id:
            return False
        return self.all_units or any(u.pk == unit.pk for u in self.units.all())

    def allows(self, purpose: str) -> bool:
        if purpose == self.FILE_APPLICATIONS:
            return self.may_file_applications
        if purpose == self.MANAGE_AGREEMENTS:
            return self.may_manage_agreements
        raise ValueError(f"Unknown mandate purpose: {purpose!r}")
