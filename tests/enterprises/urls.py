"""The root URLs plus the enterprises app, until the root urls.py includes it."""

from django.urls import include, path

from werkplek.urls import urlpatterns as base

_included = any(getattr(pattern, "namespace", None) == "enterprises" for pattern in base)
urlpatterns = base if _included else [*base, path("", include("werkplek.enterprises.urls"))]
