"""Two-factor authentication for staff roles (handlers, voters, the appeal committee,
administrators). Switched off for the demo by WERKPLEK_STAFF_2FA=0."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

ALLOWED_PREFIXES = ("/static/", "/i18n/", "/account/two-factor/", "/account/logout/")


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.STAFF_TWO_FACTOR
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and user.needs_two_factor
            and not user.is_verified()
        ):
            from django_otp import devices_for_user

            has_device = any(True for _ in devices_for_user(user, confirmed=True))
            target = "accounts:two_factor_verify" if has_device else "accounts:two_factor_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
