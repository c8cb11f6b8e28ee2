from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "werkplek.accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from werkplek.core.middleware import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="werkplek-session-activity-at-login")
