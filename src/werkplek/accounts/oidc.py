"""OpenID Connect login with the government identity provider.

The provider sends the national register number in a claim (OIDC_NATIONAL_NUMBER_CLAIM);
users are matched on it by keyed hash, never by e-mail.
"""

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from werkplek.core import personal_data
from werkplek.core.identifiers import IdentifierError, parse_national_number

from .models import User


class NationalNumberOIDCBackend(OIDCAuthenticationBackend):
    def _national_number(self, claims) -> str | None:
        raw = claims.get(settings.OIDC_NATIONAL_NUMBER_CLAIM)
        if not raw:
            return None
        try:
            return parse_national_number(str(raw)).compact
        except IdentifierError:
            return None

    def verify_claims(self, claims) -> bool:
        return self._national_number(claims) is not None

    def filter_users_by_claims(self, claims):
        number = self._national_number(claims)
        if number is None:
            return User.objects.none()
        return User.objects.filter(
            national_number_hash=personal_data.lookup_hash(number), is_active=True
        )

    def create_user(self, claims):
        number = self._national_number(claims)
        user = User(
            username=f"rrn-{personal_data.lookup_hash(number)[:16]}",
            first_name=claims.get("given_name", ""),
            last_name=claims.get("family_name", ""),
            email=claims.get("email", ""),
        )
        user.set_unusable_password()
        user.set_national_number(number)
        user.save()
        return user

    def update_user(self, user, claims):
        changed = False
        for field, claim in (("first_name", "given_name"), ("last_name", "family_name"),
                             ("email", "email")):
            value = claims.get(claim)
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed = True
        if changed:
            user.save(update_fields=["first_name", "last_name", "email"])
        return user
