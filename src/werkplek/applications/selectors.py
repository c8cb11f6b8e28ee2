"""Reads about applications that several views need."""

from django.db.models import Q, QuerySet

from werkplek.accounts.models import Membership, Role

from .models import Application


def enterprises_for(user):
    """Enterprises the user may apply for: as their representative or employer staff, or as
    a learner coach with a valid mandate to file."""
    from werkplek.enterprises.models import Enterprise
    from werkplek.enterprises.selectors import mandated_enterprises

    own = Enterprise.objects.filter(
        memberships__user=user, memberships__is_active=True,
        memberships__role__in=[Role.REPRESENTATIVE, Role.EMPLOYER],
    )
    mandated = mandated_enterprises(user)
    return Enterprise.objects.filter(Q(pk__in=own.values("pk")) | Q(pk__in=mandated.values("pk")))\
        .order_by("name")


def applications_for(user) -> QuerySet[Application]:
    """Applications the user may follow: of their enterprises, or the ones they filed."""
    from werkplek.enterprises.selectors import mandated_enterprises

    enterprise_ids = Membership.objects.filter(
        user=user, is_active=True, role__in=[Role.REPRESENTATIVE, Role.EMPLOYER],
    ).values("enterprise_id")
    # A coach follows what they filed only while a mandate of that enterprise is valid.
    mandated_ids = mandated_enterprises(user).values("pk")
    return (Application.objects.filter(Q(enterprise_id__in=enterprise_ids)
                                       | Q(created_by=user, enterprise_id__in=mandated_ids))
            .select_related("enterprise", "unit", "programme", "partnership")
            .order_by("-updated_at"))


def can_view(user, application: Application) -> bool:
    return applications_for(user).filter(pk=application.pk).exists()
