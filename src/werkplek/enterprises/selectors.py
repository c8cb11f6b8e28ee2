"""Reads about enterprises and mandates that more than one view (or part) needs."""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import Enterprise, EstablishmentUnit, Mandate

_PERMISSION_FIELDS = {
    Mandate.FILE_APPLICATIONS: "may_file_applications",
    Mandate.MANAGE_AGREEMENTS: "may_manage_agreements",
}


def _valid_on(day: date, *, include_pending: bool = False) -> Q:
    """Mandates in force on ``day``: not revoked, within the period, and for a document
    mandate only once the partnership accepted the document (or, with ``include_pending``,
    while it waits for that check: a coach may file with it, the partnership checks it)."""
    checks = [Mandate.DocumentCheck.ACCEPTED]
    if include_pending:
        checks.append(Mandate.DocumentCheck.PENDING)
    return (
        Q(revoked_at__isnull=True, valid_from__lte=day, valid_until__gte=day)
        & (Q(kind=Mandate.Kind.DIGITAL)
           | Q(kind=Mandate.Kind.DOCUMENT, document_check__in=checks))
    )


def valid_mandate(
    *,
    user,
    enterprise: Enterprise,
    unit: EstablishmentUnit | None = None,
    purpose: str = Mandate.FILE_APPLICATIONS,
    on_day: date | None = None,
    include_pending: bool = False,
) -> Mandate | None:
    """The mandate that lets ``user`` act for ``enterprise`` for ``purpose`` on ``on_day``
    (today in Brussels by default), covering ``unit`` when given; ``None`` when there is none.

    ``purpose`` is ``Mandate.FILE_APPLICATIONS`` or ``Mandate.MANAGE_AGREEMENTS``.
    """
    try:
        permission = _PERMISSION_FIELDS[purpose]
    except KeyError:
        raise ValueError(f"Unknown mandate purpose: {purpose!r}") from None
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if unit is not None and unit.enterprise_id != enterprise.pk:
        return None
    day = on_day or timezone.localdate()
    mandates = Mandate.objects.filter(
        _valid_on(day, include_pending=include_pending), holder=user, enterprise=enterprise,
        **{permission: True}
    )
    if unit is not None:
        in_scope = Mandate.units.through.objects.filter(
            mandate_id=OuterRef("pk"), establishmentunit_id=unit.pk
        )
        mandates = mandates.filter(Q(all_units=True) | Q(Exists(in_scope)))
    return mandates.order_by("-valid_until", "-pk").first()


def mandates_held(user, on_day: date | None = None) -> QuerySet[Mandate]:
    """The mandates in force for ``user`` today (or ``on_day``), for the coach's overview."""
    day = on_day or timezone.localdate()
    return (
        Mandate.objects.filter(_valid_on(day), holder=user)
        .select_related("enterprise", "training_provider")
        .prefetch_related("units")
        .order_by("enterprise__name", "valid_until", "pk")
    )


def mandated_enterprises(user, on_day: date | None = None, *,
                         include_pending: bool = False,
                         purpose: str | None = None) -> QuerySet[Enterprise]:
    """The enterprises for which ``user`` holds a mandate in force today (or ``on_day``),
    for ``purpose`` when given."""
    day = on_day or timezone.localdate()
    extra = {_PERMISSION_FIELDS[purpose]: True} if purpose else {}
    return Enterprise.objects.filter(
        Exists(Mandate.objects.filter(_valid_on(day, include_pending=include_pending),
                                      holder=user, enterprise=OuterRef("pk"), **extra))
    ).order_by("name")


def mandates_of_enterprise(enterprise: Enterprise) -> QuerySet[Mandate]:
    """Every mandate of the enterprise, revoked and expired ones too, newest end date first."""
    return (
        Mandate.objects.filter(enterprise=enterprise)
        .select_related("holder", "training_provider", "granted_by", "revoked_by")
        .prefetch_related("units")
        .order_by("-valid_until", "-pk")
    )
