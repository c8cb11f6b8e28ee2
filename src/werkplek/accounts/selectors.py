"""Reads about users and their organisations that more than one view needs."""

from .models import Membership, Role


def active_memberships(user):
    return (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("enterprise", "training_provider", "partnership")
        .order_by("role", "pk")
    )


def enterprises_represented(user):
    from werkplek.enterprises.models import Enterprise

    return Enterprise.objects.filter(
        memberships__user=user, memberships__role=Role.REPRESENTATIVE,
        memberships__is_active=True,
    ).distinct()


def enterprise_members(enterprise):
    return (
        Membership.objects.filter(enterprise=enterprise, is_active=True)
        .select_related("user", "granted_by")
        .order_by("user__last_name", "user__first_name", "role")
    )
