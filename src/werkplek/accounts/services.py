"""Actions on accounts and memberships. Each checks its own permission."""

import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from werkplek.core import personal_data
from werkplek.core.identifiers import parse_national_number

from .models import STAFF_ROLES, Membership, Role, User


def _user_by_national_number(compact: str) -> User | None:
    return User.objects.filter(national_number_hash=personal_data.lookup_hash(compact)).first()


def _same_name(stored: str, typed: str) -> bool:
    def fold(value: str) -> str:
        decomposed = unicodedata.normalize("NFKD", value.casefold())
        return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())

    return fold(stored) == fold(typed)


def is_representative(user: User, enterprise) -> bool:
    return Membership.objects.filter(
        user=user, role=Role.REPRESENTATIVE, enterprise=enterprise, is_active=True
    ).exists()


@transaction.atomic
def grant_enterprise_access(
    *,
    actor: User,
    enterprise,
    national_number: str,
    first_name: str,
    last_name: str,
    email: str = "",
    role: str = Role.EMPLOYER,
) -> Membership:
    """A legal representative gives a colleague access to the enterprise.

    The colleague is found by national register number; when they have no account yet, one is
    made without a password: they log in with the government login (eID), which matches on
    the same number.
    """
    if not is_representative(actor, enterprise):
        raise PermissionDenied(
            _("Only a legal representative of this enterprise can grant access.")
        )
    if role not in (Role.EMPLOYER, Role.REPRESENTATIVE):
        raise ValidationError(_("Choose employer staff or legal representative."))
    number = parse_national_number(national_number)
    user = _user_by_national_number(number.compact)
    if user is not None:
        # Never reveal who holds a number: the representative must know the person's name.
        if not (_same_name(user.first_name, first_name) and _same_name(user.last_name, last_name)):
            raise ValidationError(
                _("The name does not match the national register number. Check both."),
                code="name_mismatch",
            )
        if user.is_staff or user.roles() & STAFF_ROLES:
            raise ValidationError(
                _("This person cannot be given access to an enterprise. Contact the helpdesk."),
                code="staff",
            )
    if user is None:
        user = User(
            username=f"rrn-{personal_data.lookup_hash(number.compact)[:16]}",
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=email.strip(),
        )
        user.set_unusable_password()
        user.set_national_number(number.compact)
        user.save()
    existing = Membership.objects.filter(user=user, role=role, enterprise=enterprise).first()
    if existing and existing.is_active:
        raise ValidationError(_("This person already has this access to the enterprise."))
    if existing:
        existing.is_active = True
        existing.granted_by = actor
        existing.save(update_fields=["is_active", "granted_by"])
        return existing
    try:
        with transaction.atomic():
            return Membership.objects.create(
                user=user, role=role, enterprise=enterprise, granted_by=actor
            )
    except IntegrityError as error:  # a second request granted the same access meanwhile
        raise ValidationError(
            _("This person already has this access to the enterprise.")
        ) from error


@transaction.atomic
def revoke_enterprise_access(*, actor: User, membership: Membership) -> None:
    """A legal representative withdraws a colleague's access; never their own last one."""
    if membership.enterprise is None or not is_representative(actor, membership.enterprise):
        raise PermissionDenied(
            _("Only a legal representative of this enterprise can revoke access.")
        )
    if membership.user_id == actor.pk and membership.role == Role.REPRESENTATIVE:
        raise ValidationError(_("You cannot revoke your own access as legal representative."))
    membership.is_active = False
    membership.save(update_fields=["is_active"])
