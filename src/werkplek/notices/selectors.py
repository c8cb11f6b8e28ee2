"""Reads about letters and their deliveries that several pages need."""

from django.db.models import QuerySet

from werkplek.applications.models import Application

from .models import Delivery, Letter


def letters_for(application: Application) -> QuerySet[Letter]:
    """The application's decision letters, the latest first (one query)."""
    return Letter.objects.filter(application=application).order_by("-created_at", "-pk")


def deliveries_for(application: Application) -> QuerySet[Delivery]:
    """Every delivery of every letter of the application, with its letter and recipient
    (one query)."""
    return (Delivery.objects.filter(letter__application=application)
            .select_related("letter", "recipient")
            .order_by("-letter__created_at", "-letter_id", "pk"))
