"""API tokens: issued with a secret that is shown once and stored only as a hash; used as a
Bearer token; refused once revoked, expired or when its account lost the membership it acts for;
issued and revoked in the admin and by the management command."""

import hashlib
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from werkplek.accounts.models import Membership, Role
from werkplek.api import services
from werkplek.api.models import ApiToken

pytestmark = pytest.mark.django_db

ENTERPRISES = "/api/v1/enterprises/"
SECRET = re.compile(r"wp_[A-Za-z0-9_-]{43}")


def _token(secret: str) -> ApiToken:
    return ApiToken.objects.get(key_hash=hashlib.sha256(secret.encode()).hexdigest())


def _get(api, secret: str, path: str = ENTERPRISES):
    return api.get(path, HTTP_AUTHORIZATION=f"Bearer {secret}")


def _assert_refused(response, code: str = "authentication_failed"):
    assert response.status_code == 401
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert response["WWW-Authenticate"] == 'Bearer realm="werkplek"'


# --- Issuing and storing ------------------------------------------------------------------------


def test_only_the_sha256_of_the_secret_is_stored(coach_token):
    assert SECRET.fullmatch(coach_token)
    token = _token(coach_token)
    assert token.key_hash == hashlib.sha256(coach_token.encode()).hexdigest()
    assert token.prefix == coach_token[3:11]
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(coach_token in str(value) for value in row.values())
    assert coach_token[11:] not in str(row)  # not even the part after the prefix


def test_every_token_gets_its_own_secret(coach, provider):
    secrets = {services.issue_token(actor=None, user=coach, name=f"t{i}",
                                    training_provider=provider)[1] for i in range(3)}
    assert len(secrets) == 3


def test_the_account_must_hold_the_membership(coach, provider, handler, bouw, demo_user):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError) as error:
        services.issue_token(actor=None, user=handler, name="x", training_provider=provider)
    assert "user" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.issue_token(actor=None, user=coach, name="x", partnership=bouw)
    with pytest.raises(ValidationError):
        services.issue_token(actor=None, user=coach, name="x", training_provider=provider,
                             partnership=bouw)
    with pytest.raises(PermissionDenied):  # only an administrator issues tokens
        services.issue_token(actor=coach, user=coach, name="x", training_provider=provider)
    assert not ApiToken.objects.filter(name="x").exists()
    token, _secret = services.issue_token(actor=demo_user("beheer"), user=handler, name="y",
                                          partnership=bouw)
    assert token.created_by == demo_user("beheer")


# --- Using ------------------------------------------------------------------------------------


def test_the_token_authenticates_as_its_account_and_records_its_use(api, coach, coach_token):
    assert _token(coach_token).last_used_at is None
    response = _get(api, coach_token)
    assert response.status_code == 200, response.json()
    first = _token(coach_token).last_used_at
    assert first is not None
    assert timezone.now() - first < timedelta(seconds=10)
    assert services.authenticate(coach_token).user == coach


def test_last_used_is_written_at_most_once_a_minute(api, coach_token):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert _get(api, coach_token).status_code == 200
    first = _token(coach_token).last_used_at
    # Within the minute: reads only, no write.
    with CaptureQueriesContext(connection) as queries:
        assert services.authenticate(coach_token) is not None
    assert queries.captured_queries
    assert not [q for q in queries.captured_queries if not q["sql"].startswith("SELECT")]
    assert _get(api, coach_token).status_code == 200
    assert _token(coach_token).last_used_at == first
    # After a minute it is written again.
    earlier = first - timedelta(minutes=2)
    ApiToken.objects.filter(key_hash=_token(coach_token).key_hash).update(last_used_at=earlier)
    assert _get(api, coach_token).status_code == 200
    assert _token(coach_token).last_used_at > first


def test_a_revoked_token_is_refused(api, coach_token, demo_user):
    token = _token(coach_token)
    services.revoke_token(actor=demo_user("beheer"), token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_by == demo_user("beheer")
    _assert_refused(_get(api, coach_token))


def test_an_expired_token_is_refused_the_day_after_its_end(api, coach_token):
    today = timezone.localdate()
    ApiToken.objects.filter(pk=_token(coach_token).pk).update(expires_on=today)
    assert _get(api, coach_token).status_code == 200  # "valid until" is inclusive
    ApiToken.objects.filter(pk=_token(coach_token).pk).update(
        expires_on=today - timedelta(days=1))
    _assert_refused(_get(api, coach_token))


def test_a_token_whose_account_lost_the_membership_is_refused(api, coach, coach_token):
    assert _get(api, coach_token).status_code == 200
    Membership.objects.filter(user=coach, role=Role.COACH).update(is_active=False)
    _assert_refused(_get(api, coach_token))


def test_a_token_of_an_inactive_account_is_refused(api, coach, coach_token):
    coach.is_active = False
    coach.save(update_fields=["is_active"])
    _assert_refused(_get(api, coach_token))


def test_a_handler_token_is_refused_when_the_handler_leaves_the_partnership(
        api, handler, handler_token):
    assert _get(api, handler_token, "/api/v1/applications/").status_code == 200
    Membership.objects.filter(user=handler, role=Role.HANDLER).update(is_active=False)
    _assert_refused(_get(api, handler_token, "/api/v1/applications/"))


@pytest.mark.parametrize("header", [
    "Bearer wp_garbage",
    "Bearer not-even-our-prefix",
    "Bearer " + "wp_" + "x" * 200,
    "Bearer",
    "Bearer two parts",
], ids=["unknown", "foreign", "too-long", "no-token", "spaces"])
def test_garbage_tokens_are_refused(api, coach_token, header):
    _assert_refused(api.get(ENTERPRISES, HTTP_AUTHORIZATION=header))


@pytest.mark.parametrize("header", [None, "Basic dXNlcjpwYXNz", "Token abc"],
                         ids=["none", "basic", "other-scheme"])
def test_without_a_bearer_token_the_api_asks_for_one(api, coach_token, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = api.get(ENTERPRISES, **extra)
    _assert_refused(response, "not_authenticated")
    assert "Bearer" in response.json()["message"]


def test_the_refusal_speaks_dutch_by_default(coach_token):
    from rest_framework.test import APIClient

    response = APIClient().get(ENTERPRISES, HTTP_AUTHORIZATION="Bearer wp_garbage")
    assert response.status_code == 401
    assert response["Content-Language"] == "nl"


# --- Admin --------------------------------------------------------------------------------------


@pytest.fixture
def administrator(demo_user):
    return demo_user("beheer")


@pytest.fixture
def admin_browser(client, administrator, settings):
    settings.STAFF_TWO_FACTOR = False  # as in the other admin tests: no one-time code here
    client.force_login(administrator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


ADD = reverse("admin:api_apitoken_add")
CHANGELIST = reverse("admin:api_apitoken_changelist")


def test_the_admin_issues_a_token_and_shows_the_secret_once(
        admin_browser, administrator, coach, provider, api):
    assert admin_browser.get(ADD).status_code == 200
    response = admin_browser.post(ADD, {
        "name": "Leerlingvolgsysteem", "user": coach.pk, "training_provider": provider.pk,
        "partnership": "", "expires_on": "",
    })
    assert response.status_code == 200
    content = response.content.decode()
    found = set(SECRET.findall(content))
    assert len(found) == 1
    secret = found.pop()
    assert "no-store" in response["Cache-Control"]
    assert "only once" in content

    token = ApiToken.objects.get(name="Leerlingvolgsysteem")
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.created_by == administrator
    assert (token.user, token.training_provider, token.partnership) == (coach, provider, None)
    assert _get(api, secret).status_code == 200

    # Never again: not on the list, not on the token's page, not in the session or messages.
    change = reverse("admin:api_apitoken_change", args=[token.pk])
    for page in (admin_browser.get(CHANGELIST), admin_browser.get(change)):
        assert page.status_code == 200
        assert secret not in page.content.decode()
        assert token.key_hash not in page.content.decode()
    assert token.prefix in admin_browser.get(CHANGELIST).content.decode()
    assert secret not in str(dict(admin_browser.session))
    assert secret not in str(admin_browser.cookies)


def test_the_admin_refuses_an_account_that_does_not_hold_the_membership(
        admin_browser, handler, coach, provider, bouw):
    response = admin_browser.post(ADD, {"name": "Fout", "user": handler.pk,
                                        "training_provider": provider.pk})
    assert response.status_code == 200
    assert "not an active learner coach of the training provider" in response.content.decode()
    response = admin_browser.post(ADD, {"name": "Fout", "user": coach.pk, "partnership": bouw.pk})
    assert "not an active case handler of the partnership" in response.content.decode()
    response = admin_browser.post(ADD, {"name": "Fout", "user": coach.pk})
    assert "Choose either a training provider or a partnership" in response.content.decode()
    assert not SECRET.search(response.content.decode())
    assert not ApiToken.objects.filter(name="Fout").exists()


def test_the_admin_change_form_cannot_change_the_key_or_the_holder(
        admin_browser, coach_token, handler, bouw):
    token = _token(coach_token)
    change = reverse("admin:api_apitoken_change", args=[token.pk])
    page = admin_browser.get(change).content.decode()
    assert 'name="name"' in page and 'name="expires_on"' in page
    for field in ("user", "training_provider", "partnership", "prefix", "key_hash"):
        assert f'name="{field}"' not in page
    response = admin_browser.post(change, {
        "name": "Hernoemd", "expires_on": "", "user": handler.pk, "partnership": bouw.pk,
        "key_hash": "0" * 64, "prefix": "aaaaaaaa",
    })
    assert response.status_code == 302
    after = _token(coach_token)  # still found by the same secret
    assert (after.pk, after.name, after.prefix) == (token.pk, "Hernoemd", token.prefix)
    assert (after.user, after.training_provider, after.partnership) == (
        token.user, token.training_provider, None)


def test_the_admin_list_filters_and_search(admin_browser, coach_token, handler_token):
    token = _token(coach_token)
    for query in ({}, {"q": token.prefix}, {"q": "trajectbegeleider"}, {"status": "usable"},
                  {"status": "expired"}, {"status": "revoked"}):
        assert admin_browser.get(CHANGELIST, query).status_code == 200
    assert token.name in admin_browser.get(CHANGELIST, {"q": token.prefix}).content.decode()
    revoked = admin_browser.get(CHANGELIST, {"status": "revoked"}).content.decode()
    assert token.prefix not in revoked


def test_the_admin_revokes_selected_tokens(admin_browser, administrator, api, coach_token,
                                           handler_token):
    coach_pk, handler_pk = _token(coach_token).pk, _token(handler_token).pk
    response = admin_browser.post(CHANGELIST, {"action": "revoke",
                                               "_selected_action": [coach_pk]}, follow=True)
    assert response.status_code == 200
    assert "1 token revoked." in response.content.decode()
    revoked = ApiToken.objects.get(pk=coach_pk)
    assert revoked.revoked_at is not None and revoked.revoked_by == administrator
    assert ApiToken.objects.get(pk=handler_pk).revoked_at is None
    _assert_refused(_get(api, coach_token))
    assert _get(api, handler_token, "/api/v1/applications/").status_code == 200


def test_tokens_are_revoked_not_deleted(admin_browser, coach_token):
    token = _token(coach_token)
    assert admin_browser.get(
        reverse("admin:api_apitoken_delete", args=[token.pk])).status_code == 403
    assert "delete_selected" not in admin_browser.get(CHANGELIST).content.decode()


def test_only_an_administrator_issues_tokens_in_the_admin(client, handler, settings):
    from django.contrib.auth.models import Permission

    settings.STAFF_TWO_FACTOR = False
    handler.is_staff = True
    handler.save(update_fields=["is_staff"])
    handler.user_permissions.add(*Permission.objects.filter(content_type__app_label="api"))
    client.force_login(handler)
    assert client.get(ADD).status_code == 403


# --- Management command -------------------------------------------------------------------------


def _command(*args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("issue_api_token", *args, stdout=out)
    return out.getvalue()


def test_the_command_issues_a_token_and_prints_the_secret_once(api, coach, provider):
    valid_until = timezone.localdate() + timedelta(days=365)
    output = _command("--user", coach.email.upper(), "--training-provider", provider.code,
                      "--name", "LVS", "--valid-until", valid_until.isoformat())
    secrets = SECRET.findall(output)
    assert len(secrets) == 1
    token = _token(secrets[0])
    assert (token.name, token.user, token.training_provider) == ("LVS", coach, provider)
    assert token.expires_on == valid_until
    assert token.prefix in output
    assert _get(api, secrets[0]).status_code == 200


def test_the_command_issues_a_token_for_a_partnership(handler, bouw):
    output = _command("--user", handler.username, "--partnership", "bouw", "--name", "Sector")
    token = _token(SECRET.search(output).group())
    assert (token.user, token.partnership, token.expires_on) == (handler, bouw, None)


def test_the_command_revokes_by_prefix(api, coach_token):
    token = _token(coach_token)
    assert "Revoked" in _command("--revoke", token.prefix)
    token.refresh_from_db()
    assert token.revoked_at is not None
    _assert_refused(_get(api, coach_token))
    assert "already revoked" in _command("--revoke", f"wp_{token.prefix}")


@pytest.mark.parametrize("args, message", [
    (["--user", "nobody", "--training-provider", "PROVIDER", "--name", "x"], "no account"),
    (["--user", "trajectbegeleider", "--training-provider", "nope", "--name", "x"],
     "no training provider with code “nope”"),
    (["--user", "trajectbegeleider", "--partnership", "nope", "--name", "x"],
     "no partnership with code “nope”"),
    (["--user", "behandelaar-bouw", "--training-provider", "PROVIDER", "--name", "x"],
     "not an active learner coach"),
    (["--user", "trajectbegeleider", "--partnership", "bouw", "--name", "x"],
     "not an active case handler"),
    (["--user", "trajectbegeleider", "--training-provider", "PROVIDER"], "--name"),
    (["--user", "trajectbegeleider", "--name", "x"], "--training-provider or --partnership"),
    (["--training-provider", "PROVIDER", "--name", "x"], "--user"),
    (["--user", "trajectbegeleider", "--training-provider", "PROVIDER", "--name", "x",
      "--valid-until", "31-12-2030"], "YYYY-MM-DD"),
    (["--user", "trajectbegeleider", "--training-provider", "PROVIDER", "--name", "x",
      "--valid-until", "2001-01-01"], "in the past"),
    (["--revoke", "zzzzzzzz"], "no API token with prefix"),
], ids=["user", "provider", "partnership", "not-coach", "not-handler", "name", "holder",
        "no-user", "date-format", "date-past", "prefix"])
def test_the_command_explains_what_is_wrong(provider, args, message):
    args = [provider.code if arg == "PROVIDER" else arg for arg in args]
    with pytest.raises(CommandError, match=re.escape(message)):
        _command(*args)
    assert not ApiToken.objects.filter(name="x").exists()
