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
    mandated = mandated_enterprises(user, include_pending=True, purpose="file_applications")
    return Enterprise.objects.filter(Q(pk__in=own.values("pk")) | Q(pk__in=mandated.values("pk")))\
        .order_by("name")


def applications_for(user) -> QuerySet[Application]:
    """Applications the user may follow: of their enterprises, or the ones they filed."""
    from werkplek.enterprises.selectors import mandated_enterprises

    enterprise_ids = Membership.objects.filter(
        user=user, is_active=True, role__in=[Role.REPRESENTATIVE, Role.EMPLOYER],
    ).values("enterprise_id")
    # A coach follows what they filed only while a mandate of that enterprise is valid.
    mandated_ids = mandated_enterprises(user, include_pending=True,
                                        purpose="file_applications").values("pk")
    partnership_ids = handled_partnerships(user)
    return (Application.objects.filter(Q(enterprise_id__in=enterprise_ids)
                                       | Q(created_by=user, enterprise_id__in=mandated_ids)
                                       | (Q(partnership_id__in=partnership_ids)
                                          & ~Q(state=Application.State.DRAFT)))
            .select_related("enterprise", "unit", "programme", "partnership")
            .order_by("-updated_at"))


def handled_partnerships(user):
    """The partnerships whose cases the user handles (case handler)."""
    return Membership.objects.filter(user=user, role=Role.HANDLER, is_active=True).values(
        "partnership_id")


def queue(user) -> QuerySet[Application]:
    """Submitted applications of the handler's partnerships, the nearest deadline first."""
    return (Application.objects.filter(partnership_id__in=handled_partnerships(user))
            .exclude(state=Application.State.DRAFT)
            .select_related("enterprise", "unit", "programme", "partnership")
            .order_by("decision_deadline", "submitted_at", "pk"))


def can_view(user, application: Application) -> bool:
    return applications_for(user).filter(pk=application.pk).exists()
