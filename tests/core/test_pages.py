"""The general pages (home, accessibility, privacy) and the error pages, in Dutch and English."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from werkplek.core import views

pytestmark = pytest.mark.django_db

PAGES = {
    "core:home": {
        "nl": "Erkenning als werkplek duaal leren \N{EN DASH} Werkplek",
        "en": "Recognition as a workplace for dual learning \N{EN DASH} Werkplek",
    },
    "core:accessibility": {
        "nl": "Toegankelijkheidsverklaring \N{EN DASH} Werkplek",
        "en": "Accessibility statement \N{EN DASH} Werkplek",
    },
    "core:privacy": {"nl": "Privacy \N{EN DASH} Werkplek", "en": "Privacy \N{EN DASH} Werkplek"},
}


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_page_in_each_language(client, name, language):
    response = client.get(reverse(name), headers={"accept-language": language})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" class="govuk-template">' in html
    assert _title(html) == PAGES[name][language]
    assert 'id="main-content"' in html


def test_dutch_is_the_default(client):
    html = client.get(reverse("core:home")).content.decode()
    assert '<html lang="nl"' in html
    assert "Word erkend als werkplek voor duaal leren" in html


def test_home_links_to_self_scan_section_and_login(client):
    html = client.get(reverse("core:home")).content.decode()
    assert 'href="/zelfscan/"' in html
    assert 'id="zelfscan"' in html
    assert f'href="{reverse("accounts:login")}"' in html
    assert 'href="#"' not in html


def test_layout_has_skip_link_header_footer_and_language_switch(client):
    html = client.get(reverse("core:privacy")).content.decode()
    assert 'href="#main-content" class="govuk-skip-link"' in html
    assert "Erkenning als werkplek duaal leren" in html  # header subtitle
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="next" value="/privacy/"' in html
    assert 'lang="en">English</button>' in html
    for name in ("catalog:help", "core:accessibility", "core:privacy"):
        assert f'href="{reverse(name)}"' in html
    assert "CC BY 4.0" in html
    assert "crown" not in html.lower()


def test_language_switch_shows_dutch_when_in_english(client):
    html = client.get(reverse("core:home"), headers={"accept-language": "en"}).content.decode()
    assert 'lang="nl">Nederlands</button>' in html


def test_set_language_switches_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/privacy/"})
    assert response.status_code == 302
    assert response["Location"] == "/privacy/"
    html = client.get("/privacy/").content.decode()
    assert '<html lang="en"' in html


def test_anonymous_user_sees_login_link(client):
    html = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("accounts:login")}"' in html
    assert reverse("accounts:logout") not in html


def test_logged_in_user_sees_name_dashboard_and_logout_form(client, django_user_model):
    user = django_user_model.objects.create_user(
        username="an", password="a-long-test-password", first_name="An", last_name="Peeters"
    )
    client.force_login(user)
    html = client.get(reverse("core:home")).content.decode()
    assert "An Peeters" in html
    assert f'href="{reverse("accounts:dashboard")}"' in html
    assert re.search(
        rf'<form[^>]*method="post"[^>]*action="{reverse("accounts:logout")}"', html
    )


def test_messages_render_as_notification_banners(rf):
    from django.contrib import messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    messages.success(request, "Opgeslagen")
    messages.info(request, "Let op")
    html = render_to_string("core/privacy.html", request=request)
    assert "govuk-notification-banner govuk-notification-banner--success" in html
    assert 'role="alert"' in html
    assert "Opgeslagen" in html
    assert "Let op" in html


def test_404_uses_the_layout(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "govuk-template" in html
    assert 'class="wp-header"' in html
    assert _title(html) == "Pagina niet gevonden \N{EN DASH} Werkplek"


def test_403_uses_the_layout():
    request = RequestFactory().get("/geheim/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = views.permission_denied(request, exception=None)
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="wp-header"' in html
    assert f'href="{reverse("accounts:login")}"' in html


def test_500_renders_without_request_context():
    request = RequestFactory().get("/")
    response = views.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "govuk-template" in html
    assert "Sorry, er is een probleem met de dienst" in html
    assert "<script" not in html


def test_csp_header_and_nonce_on_scripts(client):
    response = client.get(reverse("core:home"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "style-src 'self'" in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    html = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)


@pytest.mark.parametrize("name", PAGES)
def test_no_inline_styles(client, name):
    html = client.get(reverse(name)).content.decode()
    assert "style=" not in html
    assert "<style" not in html


def test_csrf_failure_page_is_standalone_and_translated():
    from django.views.csrf import csrf_failure

    response = csrf_failure(RequestFactory().post("/"), reason="test")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Je sessie is verlopen" in html
    assert 'class="wp-header"' in html


def test_400_page_is_standalone():
    from django.views.defaults import bad_request

    response = bad_request(RequestFactory().get("/"), exception=None)
    assert response.status_code == 400
    assert "Sorry, we konden deze vraag niet verwerken" in response.content.decode()


def test_the_favicon_is_found_where_browsers_look_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")
    assert client.get(response["Location"]).status_code == 200


def test_the_privacy_page_states_the_retention_periods_in_force(client, settings):
    html = client.get(reverse("core:privacy")).content.decode()
    assert "niet gewijzigd zijn." in html and " 180 dagen " in html
    assert "Beveiligingslogs (aanmeldingen" in html and "365 dagen" in html
    settings.WERKPLEK_RETENTION_DRAFT_DAYS = 90
    settings.WERKPLEK_RETENTION_LOG_DAYS = 730
    html = client.get(reverse("core:privacy")).content.decode()
    assert " 90 dagen niet gewijzigd" in html
    assert "730 dagen" in html
