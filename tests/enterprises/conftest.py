from datetime import timedelta

import pytest
from django.utils import timezone, translation


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the Dutch catalogue is checked separately."""
    with translation.override("en"):
        yield


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def in_a_year(today):
    return today + timedelta(days=365)


@pytest.fixture
def coach(demo_user):
    return demo_user("trajectbegeleider")


@pytest.fixture
def representative(demo_user):
    return demo_user("vertegenwoordiger")


@pytest.fixture
def units(demo_enterprise):
    """The demo enterprise's units: Gent (construction) first, then Antwerpen."""
    return list(demo_enterprise.units.order_by("unit_number"))


@pytest.fixture
def other_enterprise(db):
    from werkplek.enterprises.models import Enterprise, EstablishmentUnit

    enterprise = Enterprise.objects.create(enterprise_number="0123456749",
                                           name="Andere Onderneming BV")
    EstablishmentUnit.objects.create(
        enterprise=enterprise, unit_number="2999999073", name="Andere vestiging",
        street="Kerkstraat 1", postal_code="3000", municipality="Leuven",
    )
    return enterprise


@pytest.fixture
def other_coach(db, coach):
    """A second learner coach, at the same training provider as the demo coach."""
    from werkplek.accounts.models import Membership, Role, User

    user = User.objects.create_user("tweede-coach", email="tweede.coach@school.example",
                                    first_name="Tom", last_name="Tweede")
    provider = coach.memberships.get(role=Role.COACH).training_provider
    Membership.objects.create(user=user, role=Role.COACH, training_provider=provider)
    return user


@pytest.fixture
def grant(representative, demo_enterprise, in_a_year):
    """Grant a mandate to the demo coach; keyword arguments override the defaults."""
    from werkplek.enterprises import services

    def do(**overrides):
        arguments = {
            "actor": representative, "enterprise": demo_enterprise,
            "holder_email": "trajectbegeleider@werkplek.example", "all_units": True,
            "units": [], "may_file_applications": True, "may_manage_agreements": False,
            "valid_until": in_a_year,
        }
        arguments.update(overrides)
        return services.grant_mandate(**arguments)

    return do


@pytest.fixture
def client():
    """A test client that asks for English pages, to match the asserted messages."""
    from django.test import Client

    return Client(headers={"accept-language": "en"})
