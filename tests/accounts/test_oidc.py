from werkplek.accounts.models import User
from werkplek.accounts.oidc import NationalNumberOIDCBackend
from werkplek.core import personal_data


def test_claims_map_to_the_user_with_that_national_number(db, demo_user, settings):
    settings.OIDC_NATIONAL_NUMBER_CLAIM = "rrn"
    backend = NationalNumberOIDCBackend.__new__(NationalNumberOIDCBackend)
    claims = {"rrn": "88.09.23-154.97", "given_name": "Wim"}
    assert backend.verify_claims(claims)
    assert list(backend.filter_users_by_claims(claims)) == [demo_user("werkgever")]


def test_unknown_number_creates_a_user_without_password(db, settings):
    settings.OIDC_NATIONAL_NUMBER_CLAIM = "rrn"
    backend = NationalNumberOIDCBackend.__new__(NationalNumberOIDCBackend)
    claims = {"rrn": "85073003328", "given_name": "An", "family_name": "Nieuw"}
    assert not backend.filter_users_by_claims(claims).exists()
    user = backend.create_user(claims)
    assert not user.has_usable_password()
    assert User.objects.get(national_number_hash=personal_data.lookup_hash("85073003328")) == user


def test_invalid_or_missing_number_is_refused(db, settings):
    settings.OIDC_NATIONAL_NUMBER_CLAIM = "rrn"
    backend = NationalNumberOIDCBackend.__new__(NationalNumberOIDCBackend)
    assert not backend.verify_claims({"rrn": "85073003329"})
    assert not backend.verify_claims({"email": "x@example.be"})
