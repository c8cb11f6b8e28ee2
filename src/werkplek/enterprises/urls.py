from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("onderneming/<int:enterprise_id>/machtigingen/", views.mandates, name="mandates"),
    path("onderneming/<int:enterprise_id>/machtigingen/<int:mandate_id>/intrekken/",
         views.revoke_mandate, name="revoke_mandate"),
    path("machtigingen/", views.my_mandates, name="my_mandates"),
]
