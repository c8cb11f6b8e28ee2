"""Settings come from the environment; production settings pass Django's deploy checklist."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789abcdef",
    "PERSONAL_DATA_KEY": "a-production-key-for-the-national-register-numbers-0123456789",
    "ALLOWED_HOSTS": "werkplek.example",
    "SITE_URL": "https://werkplek.example",
    "DATABASE_URL": "sqlite:////tmp/werkplek-deploy-check.sqlite3",
    "EMAIL_HOST": "smtp.werkplek.example",
    "EMAIL_PORT": "587",
    "EMAIL_USE_TLS": "1",
}


def _run(args, env):
    # A clean environment: not the test run's DEBUG, database or the browser tests' switches.
    dropped = {"DEBUG", "DATABASE_URL", "SECRET_KEY", "EMAIL_HOST", "DJANGO_ALLOW_ASYNC_UNSAFE",
               "SITE_URL", "PERSONAL_DATA_KEY"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        env={**base, "PYTHONPATH": str(ROOT / "src"),
             "DJANGO_SETTINGS_MODULE": "werkplek.settings", **env},
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )


def test_check_deploy_reports_no_issue_with_production_settings():
    result = _run(["check", "--deploy", "--fail-level", "DEBUG"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_personal_data_key():
    env = {**PRODUCTION_ENV, "PERSONAL_DATA_KEY": ""}
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "PERSONAL_DATA_KEY must be set" in result.stderr


def test_mail_goes_over_smtp_when_configured(settings):
    from werkplek import settings as module

    assert settings.LANGUAGE_CODE == "nl"
    assert settings.TIME_ZONE == "Europe/Brussels"
    assert [code for code, _ in module.LANGUAGES] == ["nl", "en"]
    result = _run(["shell", "-c",
                   "from django.core.mail import mailers; m = mailers.default; "
                   "print(type(m).__name__, m.host, m.port, m.use_tls)"], PRODUCTION_ENV)
    assert result.stdout.strip().splitlines()[-1] == "EmailBackend smtp.werkplek.example 587 True"


PRODUCTION_HEADERS = """
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="werkplek.example")
plain = client.get("/status/ok")
print("redirect", plain.status_code, plain.get("Location"))
secure = client.get("/status/ok", secure=True)
print("hsts", secure.status_code, secure.get("Strict-Transport-Security"))
print("nosniff", secure.get("X-Content-Type-Options"))
from django.conf import settings
print("cookies", settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY,
      settings.SESSION_COOKIE_SAMESITE, settings.CSRF_COOKIE_SECURE,
      settings.LANGUAGE_COOKIE_SECURE)
"""


def test_production_sends_hsts_and_only_secure_cookies():
    """In production (DEBUG off) plain HTTP is sent to HTTPS, HTTPS answers carry HSTS for a
    year with subdomains and preload, and every cookie is Secure (the matrix checks the other
    headers on every page, in the test settings)."""
    result = _run(["shell", "-c", PRODUCTION_HEADERS], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines()
                 if line.startswith(("redirect ", "hsts ", "nosniff ", "cookies ")))
    assert lines["redirect"] == "301 https://werkplek.example/status/ok"
    assert lines["hsts"] == "200 max-age=31536000; includeSubDomains; preload"
    assert lines["nosniff"] == "nosniff"
    assert lines["cookies"] == "True True Lax True True"
