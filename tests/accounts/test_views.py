import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkplek.accounts.models import Membership, Role


@pytest.mark.parametrize("username", [
    "vertegenwoordiger", "werkgever", "trajectbegeleider", "behandelaar-bouw",
    "behandelaar-vpdl", "stemgerechtigde", "beroepscommissie", "beheer",
])
def test_every_demo_account_logs_in_and_out(client, db, username):
    response = client.post(reverse("accounts:login"), {"username": username, "password": "demo"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    dashboard = client.get(reverse("accounts:dashboard"))
    assert dashboard.status_code == 200
    assert dashboard.wsgi_request.user.username == username
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert not client.get(reverse("accounts:dashboard")).wsgi_request.user.is_authenticated


def test_wrong_password_says_what_is_wrong_and_keeps_the_username(client, db):
    response = client.post(reverse("accounts:login"),
                           {"username": "werkgever", "password": "wrong"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert 'value="werkgever"' in content


def test_empty_login_names_each_missing_field(client, db):
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""},
                           HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert "Enter your username." in content
    assert "Enter your password." in content


def test_a_username_beyond_the_limit_is_explained(client, db):
    """Django puts the limit only on the input: a longer name reached `authenticate`, and
    django-axes failed to record the failure (PostgreSQL: a server error)."""
    from axes.models import AccessAttempt

    response = client.post(reverse("accounts:login"), {"username": "a" * 300, "password": "x"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "A username has at most 150 characters." in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_login_is_blocked_after_five_failures(client, db):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "werkgever", "password": "x"})
    response = client.post(reverse("accounts:login"),
                           {"username": "werkgever", "password": "demo"})
    assert response.status_code == 429
    assert not client.get(reverse("accounts:dashboard")).wsgi_request.user.is_authenticated


def test_behind_a_proxy_the_lockout_is_of_the_clients_address_not_the_proxys(client, db,
                                                                              settings):
    """Behind our reverse proxy every request comes from its address: the lockout must count
    the client's (X-Forwarded-For, as the rate limits read it), or five wrong passwords from
    anyone would lock the account for everyone; and the lockout lasts 15 minutes."""
    from datetime import timedelta

    from axes.models import AccessAttempt

    settings.WERKPLEK_TRUSTED_PROXY_COUNT = 1
    login = reverse("accounts:login")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(5):
        client.post(login, {"username": "werkgever", "password": "x"},
                    HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    blocked = client.post(login, {"username": "werkgever", "password": "demo"},
                          HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert blocked.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    other = client.post(login, {"username": "werkgever", "password": "demo"},
                        HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert other.status_code == 302  # the same account, from another client: signed in


def test_the_login_log_takes_ipv6_clients_and_forced_logins(client, db, settings):
    """The login log's address column is PostgreSQL's inet: an IPv6 client and a sign-in
    without an address (a test's forced login, a management command) are stored, not a crash."""
    from axes.models import AccessLog

    from werkplek.accounts.models import User

    settings.WERKPLEK_TRUSTED_PROXY_COUNT = 0
    response = client.post(reverse("accounts:login"), {"username": "werkgever", "password": "demo"},
                           REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    assert response.status_code == 302
    client.logout()
    client.force_login(User.objects.get(username="werkgever"))
    assert set(AccessLog.objects.values_list("ip_address", flat=True)) == {
        "2001:db8:1:2:aaaa::1", None}


def test_dashboard_requires_login(client, db):
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@override_settings(STAFF_TWO_FACTOR=True, OTP_TOTP_THROTTLE_FACTOR=0)
def test_staff_must_set_up_and_use_two_factor(client, demo_user):
    handler = demo_user("behandelaar-bouw")
    client.force_login(handler)
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"data:image/svg+xml" in page.content
    device = TOTPDevice.objects.get(user=handler, confirmed=False)
    wrong = client.post(reverse("accounts:two_factor_setup"), {"token": "000000"})
    assert "govuk-error-summary" in wrong.content.decode()
    token = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    response = client.post(reverse("accounts:two_factor_setup"), {"token": token})
    assert response.status_code == 302
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    # A new session asks for the code again, without a new setup.
    client.logout()
    client.force_login(handler)
    response = client.get(reverse("accounts:dashboard"))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))


@override_settings(STAFF_TWO_FACTOR=True)
def test_enterprise_users_do_not_need_two_factor(client, demo_user):
    client.force_login(demo_user("werkgever"))
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_representative_grants_access_through_the_page(client, demo_enterprise, demo_user):
    client.force_login(demo_user("vertegenwoordiger"))
    url = reverse("accounts:enterprise_access", args=[demo_enterprise.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"first_name": "An", "last_name": "Nieuw",
                                 "national_number": "85 07 30 033 28", "role": "employer"})
    assert response.status_code == 302
    assert Membership.objects.filter(enterprise=demo_enterprise, user__last_name="Nieuw",
                                     role=Role.EMPLOYER).exists()


def test_a_wrong_number_keeps_the_other_answers(client, demo_enterprise, demo_user):
    client.force_login(demo_user("vertegenwoordiger"))
    url = reverse("accounts:enterprise_access", args=[demo_enterprise.pk])
    response = client.post(url, {"first_name": "An", "last_name": "Nieuw",
                                 "national_number": "85.07.30-033.29", "role": "employer"},
                           HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in content
    assert 'value="Nieuw"' in content


@pytest.mark.parametrize("username", ["werkgever", "trajectbegeleider", "behandelaar-bouw"])
def test_only_representatives_see_the_access_page(client, demo_enterprise, demo_user, username):
    client.force_login(demo_user(username))
    url = reverse("accounts:enterprise_access", args=[demo_enterprise.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


@override_settings(STAFF_TWO_FACTOR=True, OTP_TOTP_THROTTLE_FACTOR=0)
def test_a_password_alone_cannot_enrol_a_second_device(client, demo_user):
    handler = demo_user("behandelaar-bouw")
    TOTPDevice.objects.create(user=handler, name="phone", confirmed=True)
    client.force_login(handler)
    response = client.get(reverse("accounts:two_factor_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    response = client.post(reverse("accounts:two_factor_setup"), {"token": "123456"})
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert not TOTPDevice.objects.filter(user=handler, confirmed=False).exists()
    assert client.get(reverse("accounts:dashboard")).status_code == 302


@override_settings(STAFF_TWO_FACTOR=True)
def test_the_next_address_survives_the_two_factor_detour(client, demo_user):
    client.force_login(demo_user("behandelaar-bouw"))
    response = client.get(reverse("accounts:dashboard") + "?a=1&b=2")
    assert "next=%2Faccount%2F%3Fa%3D1%26b%3D2" in response["Location"]


@override_settings(STAFF_TWO_FACTOR=True, OTP_TOTP_THROTTLE_FACTOR=0)
def test_a_next_that_is_not_a_path_leads_to_the_dashboard(client, demo_user):
    """`redirect` took a `next` without a slash for the name of a URL: one it did not know was
    a server error once the code was right."""
    handler = demo_user("behandelaar-bouw")
    client.force_login(handler)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=handler, confirmed=False)
    token = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    response = client.post(reverse("accounts:two_factor_setup") + '?next={"a"',
                           {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
