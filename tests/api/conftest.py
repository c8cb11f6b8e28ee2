"""Fixtures for the API: a client, the demo learner coach with a mandate of the demo enterprise
(to file and to manage agreements) and a token for them, and a token for the construction
partnership's case handler."""

from datetime import timedelta

import pytest
from django.utils import timezone

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def coach(demo_user):
    return demo_user("trajectbegeleider")


@pytest.fixture
def provider(coach):
    from werkplek.accounts.models import Membership, Role

    return Membership.objects.get(user=coach, role=Role.COACH).training_provider


@pytest.fixture
def mandate(coach, demo_user, demo_enterprise):
    """A digital mandate of the demo enterprise for the coach: all units, to file applications
    and to manage agreements."""
    from werkplek.enterprises.models import Mandate

    today = timezone.localdate()
    return Mandate.objects.create(
        enterprise=demo_enterprise, holder=coach, all_units=True, may_file_applications=True,
        may_manage_agreements=True, valid_from=today - timedelta(days=30),
        valid_until=today + timedelta(days=300), granted_by=demo_user("vertegenwoordiger"))


@pytest.fixture
def coach_token(coach, provider):
    """The secret of a token issued to the training provider, acting as the coach."""
    from werkplek.api.services import issue_token

    _token, secret = issue_token(actor=None, user=coach, name="Leerlingvolgsysteem",
                                 training_provider=provider)
    return secret


@pytest.fixture
def handler(demo_user):
    return demo_user("behandelaar-bouw")


@pytest.fixture
def bouw(db):
    from werkplek.catalog.models import Partnership

    return Partnership.objects.get(code="bouw")


@pytest.fixture
def handler_token(handler, bouw):
    from werkplek.api.services import issue_token

    _token, secret = issue_token(actor=None, user=handler, name="Sectorsysteem bouw",
                                 partnership=bouw)
    return secret


@pytest.fixture
def as_coach(api, coach_token, mandate):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {coach_token}")
    return api


@pytest.fixture
def as_handler(handler_token):
    from rest_framework.test import APIClient

    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {handler_token}")
    return client


def pdf_upload(name: str = "document.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")
