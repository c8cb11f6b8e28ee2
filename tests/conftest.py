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
