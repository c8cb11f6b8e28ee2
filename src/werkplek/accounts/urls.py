from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("enterprise/<int:enterprise_id>/access/", views.enterprise_access,
         name="enterprise_access"),
    path("enterprise/<int:enterprise_id>/access/<int:membership_id>/revoke/",
         views.revoke_access, name="revoke_access"),
]
