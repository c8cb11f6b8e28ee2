from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("hulp/", views.help_page, name="help"),
]
