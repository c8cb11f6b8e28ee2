"""Shared fixtures. Reference and demo data are loaded once into the test database; tests
that use transactions (the browser tests) reload them, since their flush empties the tables."""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from werkplek.accounts.demo import load_demo_data
    from werkplek.catalog.services import load_reference_data

    with django_db_blocker.unblock():
        load_reference_data()
        load_demo_data()


@pytest.fixture(autouse=True)
def default_language(settings):
    """Each test starts in the default language (Dutch), whatever an earlier test left active in
    this thread (a request through LocaleMiddleware, a management command)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_catalogue_choices():
    """The reference records of the forms' selects are kept per process: a test that changes
    them in bulk (no signal) must not see an earlier test's list."""
    from werkplek.catalog.fields import clear_catalogue_choices

    clear_catalogue_choices()
    yield
    clear_catalogue_choices()


@pytest.fixture
def committed_data(transactional_db):
    """Reference and demo data for a test that commits (browser tests, the task worker):
    such a test's flush empties the tables, so it loads them itself."""
    from werkplek.accounts.demo import load_demo_data
    from werkplek.catalog.services import load_reference_data

    load_reference_data()
    load_demo_data()


@pytest.fixture
def demo_enterprise(db):
    from werkplek.accounts.demo import DEMO_ENTERPRISE_NUMBER
    from werkplek.enterprises.models import Enterprise

    return Enterprise.objects.get(enterprise_number=DEMO_ENTERPRISE_NUMBER)


@pytest.fixture
def demo_user(db):
    from werkplek.accounts.models import User

    def get(username: str) -> User:
        return User.objects.get(username=username)

    return get


class _Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                              "message": message})
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1; the project's mailer points at it for the test."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
    }}
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def run_tasks():
    """Run the queued background tasks the way the worker does, until none is left."""
    from django.core.management import call_command

    def run() -> None:
        # The worker closes database connections between tasks, as in production: use this
        # in tests that commit (`committed_data`), not inside a test transaction.
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    return run


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def national_number_born(born, counter: int = 1) -> str:
    """A valid national register number (compact) for someone born on `born`."""
    body = f"{born:%y%m%d}{counter:03d}"
    check = 97 - int(("2" if born.year >= 2000 else "") + body) % 97
    return f"{body}{check:02d}"


def years_ago(years: int):
    """The birth date of someone who turned `years` today (1 March for 29 February)."""
    from datetime import date

    from django.utils import timezone

    today = timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return date(today.year - years, 3, 1)


@pytest.fixture(autouse=True)
def rate_limits_off_and_cache_cleared(settings):
    """The suite sends many requests from one address: rate limits are off unless a test turns
    them on (`settings.WERKPLEK_RATE_LIMITS = True`, as tests/core/test_ratelimit.py does), and
    each test starts and ends with an empty cache, so no count or cached page carries over.
    Only in-process caches are cleared: clearing a Redis cache empties its whole database."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    def clear() -> None:
        for cache in caches.all():
            if isinstance(cache, LocMemCache):
                cache.clear()

    settings.WERKPLEK_RATE_LIMITS = False
    clear()
    yield
    clear()
