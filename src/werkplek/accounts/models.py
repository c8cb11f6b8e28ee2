"""Users, their roles, and the memberships that tie a user to an organisation."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from werkplek.core import personal_data
from werkplek.core.identifiers import mask_national_number


class Role(models.TextChoices):
    REPRESENTATIVE = "representative", _("legal representative")
    EMPLOYER = "employer", _("employer staff")
    COACH = "coach", _("learner coach")
    HANDLER = "handler", _("case handler")
    VOTER = "voter", _("voting member")
    APPEAL_COMMITTEE = "appeal_committee", _("appeal committee member")
    ADMINISTRATOR = "administrator", _("administrator")


ENTERPRISE_ROLES = frozenset({Role.REPRESENTATIVE, Role.EMPLOYER})
PARTNERSHIP_ROLES = frozenset({Role.HANDLER, Role.VOTER})
PROVIDER_ROLES = frozenset({Role.COACH})
# Roles that see other people's cases: they must use two-factor authentication.
STAFF_ROLES = frozenset({Role.HANDLER, Role.VOTER, Role.APPEAL_COMMITTEE, Role.ADMINISTRATOR})


class User(AbstractUser):
    """A person who logs in. Identified by the government login by national register number."""

    national_number_encrypted = models.TextField(
        _("national register number (encrypted)"), blank=True
    )
    national_number_hash = models.CharField(max_length=64, blank=True, db_index=True,
                                            editable=False)
    preferred_language = models.CharField(
        _("language"), max_length=2, choices=[("nl", "Nederlands"), ("en", "English")],
        default="nl",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["national_number_hash"], condition=~Q(national_number_hash=""),
                name="unique_user_national_number",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def set_national_number(self, compact: str) -> None:
        self.national_number_encrypted = personal_data.encrypt(compact)
        self.national_number_hash = personal_data.lookup_hash(compact)

    @property
    def masked_national_number(self) -> str:
        if not self.national_number_encrypted:
            return ""
        return mask_national_number(personal_data.decrypt(self.national_number_encrypted))

    def roles(self) -> set[str]:
        """The roles of this user's active memberships (cached per instance)."""
        if not hasattr(self, "_roles_cache"):
            roles = set(self.memberships.filter(is_active=True).values_list("role", flat=True))
            if self.is_superuser:
                roles.add(Role.ADMINISTRATOR)
            self._roles_cache = roles
        return self._roles_cache

    def has_role(self, role: str) -> bool:
        return role in self.roles()

    @property
    def needs_two_factor(self) -> bool:
        return bool(self.roles() & STAFF_ROLES) or self.is_staff


class Membership(models.Model):
    """Ties a user in a role to the organisation that role acts for."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, null=True, blank=True,
        related_name="memberships", verbose_name=_("enterprise"),
    )
    training_provider = models.ForeignKey(
        "catalog.TrainingProvider", on_delete=models.CASCADE, null=True, blank=True,
        related_name="memberships", verbose_name=_("training provider"),
    )
    partnership = models.ForeignKey(
        "catalog.Partnership", on_delete=models.CASCADE, null=True, blank=True,
        related_name="memberships", verbose_name=_("partnership"),
    )
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("granted by"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["role", "created_at"]
        constraints = [
            models.CheckConstraint(
                name="membership_organisation_fits_role",
                condition=(
                    Q(role__in=sorted(r.value for r in ENTERPRISE_ROLES), enterprise__isnull=False,
                      training_provider__isnull=True, partnership__isnull=True)
                    | Q(role__in=sorted(r.value for r in PROVIDER_ROLES), enterprise__isnull=True,
                        training_provider__isnull=False, partnership__isnull=True)
                    | Q(role__in=sorted(r.value for r in PARTNERSHIP_ROLES),
                        enterprise__isnull=True, training_provider__isnull=True,
                        partnership__isnull=False)
                    | Q(role__in=[Role.APPEAL_COMMITTEE.value, Role.ADMINISTRATOR.value],
                        enterprise__isnull=True, training_provider__isnull=True,
                        partnership__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "enterprise"], condition=Q(enterprise__isnull=False),
                name="unique_enterprise_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "training_provider"],
                condition=Q(training_provider__isnull=False),
                name="unique_provider_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "partnership"], condition=Q(partnership__isnull=False),
                name="unique_partnership_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(enterprise__isnull=True, training_provider__isnull=True,
                            partnership__isnull=True),
                name="unique_role_without_organisation",
            ),
        ]

    def __str__(self) -> str:
        organisation = self.enterprise or self.training_provider or self.partnership
        label = self.get_role_display()
        return f"{self.user} – {label}" + (f" – {organisation}" if organisation else "")

    @property
    def organisation(self):
        return self.enterprise or self.training_provider or self.partnership
