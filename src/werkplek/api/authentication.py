"""Bearer-token authentication (`Authorization: Bearer wp_…`)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import services


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Give the token after the word Bearer, separated by one space."))
        try:
            secret = header[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from error
        token = services.authenticate(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("This token is not valid, has expired or has been revoked."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="werkplek"'
