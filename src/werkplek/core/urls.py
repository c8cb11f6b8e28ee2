from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("toegankelijkheid/", views.AccessibilityView.as_view(), name="accessibility"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("status/ok", views.alive, name="alive"),
    path("favicon.ico", views.favicon, name="favicon"),
]
