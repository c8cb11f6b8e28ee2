"""Fixtures for the public register: recognitions built directly with the ORM, each on a new
enterprise with one establishment unit where the test says (postal code, province…), and a
mentor and a learner with known names and numbers that must never be shown."""

from datetime import date, timedelta
from itertools import count

import pytest
from django.utils import timezone

_numbers = count(1)

# A mentor and a learner whose data must never appear in the register or the open data.
MENTOR_FIRST, MENTOR_LAST = "Zebedeus", "Geheimhouder"
MENTOR_NUMBER = "80051500103"  # born 15/05/1980: check digits 97 - 800515001 % 97
MENTOR_EMAIL = "zebedeus.geheimhouder@prive.example"
LEARNER_FIRST, LEARNER_LAST = "Quirina", "Verborgenhout"
LEARNER_NUMBER = "06060612388"  # born 06/06/2006: check digits 97 - 2060606123 % 97


@pytest.fixture(autouse=True)
def fresh_places():
    """Places are cached per process: start and end each test with a fresh copy."""
    from werkplek.catalog.places import clear_place_cache

    clear_place_cache()
    yield
    clear_place_cache()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def make_unit(db):
    """A new enterprise with one establishment unit at `postal_code` `municipality`."""
    from werkplek.catalog.models import Province
    from werkplek.enterprises.models import Enterprise, EstablishmentUnit

    def make(*, enterprise_name: str | None = None, postal_code: str = "9000",
             municipality: str = "Gent", province: str | None = "VOV", email: str = "",
             phone: str = "", street: str = "Kouter 1"):
        n = next(_numbers)
        first8 = 1_500_000 + n
        enterprise = Enterprise.objects.create(
            enterprise_number=f"{first8:08d}{97 - first8 % 97:02d}",
            name=enterprise_name or f"Onderneming {n:04d}", email=email, phone=phone)
        unit_first8 = 25_000_000 + n
        return EstablishmentUnit.objects.create(
            enterprise=enterprise, unit_number=f"{unit_first8}{97 - unit_first8 % 97:02d}",
            name=f"Vestiging {n:04d}", street=street, postal_code=postal_code,
            municipality=municipality,
            province=Province.objects.get(code=province) if province else None)

    return make


@pytest.fixture
def make_recognition(make_unit, today):
    """A recognition of `programme` (a code) by `partnership` (a code) at `unit` (default: a
    new one, built from the other keyword arguments), in `state`, started a year ago."""
    from werkplek.catalog.models import Partnership, Programme
    from werkplek.recognitions.models import Recognition

    def make(*, unit=None, programme: str = "dakwerker-duaal", partnership: str = "bouw",
             state: str = "active", valid_from: date | None = None,
             valid_until: date | None = None, **unit_fields):
        unit = unit or make_unit(**unit_fields)
        start = valid_from or today - timedelta(days=365)
        return Recognition.objects.create(
            enterprise=unit.enterprise, unit=unit,
            programme=Programme.objects.get(code=programme),
            partnership=Partnership.objects.get(code=partnership), state=state,
            valid_from=start, valid_until=valid_until or start + timedelta(days=5 * 365),
            validity_rule="recognition:5-years")

    return make


@pytest.fixture
def secret_people(today):
    """Put a mentor and a learner with known names and numbers on `recognition`."""
    from werkplek.agreements.models import Agreement, Learner
    from werkplek.catalog.models import TrainingProvider
    from werkplek.enterprises.models import Mentor
    from werkplek.recognitions.models import RecognitionMentor

    def attach(recognition):
        mentor = Mentor(enterprise=recognition.enterprise, first_name=MENTOR_FIRST,
                        last_name=MENTOR_LAST, email=MENTOR_EMAIL, years_of_experience=12,
                        mentor_training_completed_on=date(2020, 1, 1))
        mentor.set_national_number(MENTOR_NUMBER, date(1980, 5, 15))
        mentor.save()
        RecognitionMentor.objects.create(recognition=recognition, mentor=mentor,
                                         since=recognition.valid_from)
        learner = Learner(first_name=LEARNER_FIRST, last_name=LEARNER_LAST,
                          training_provider=TrainingProvider.objects.order_by("pk").first(),
                          programme=recognition.programme)
        learner.set_national_number(LEARNER_NUMBER)
        learner.save()
        from werkplek.accounts.models import User

        Agreement.objects.create(
            learner=learner, enterprise=recognition.enterprise, unit=recognition.unit,
            programme=recognition.programme, recognition=recognition, mentor=mentor,
            training_provider=learner.training_provider, kind=Agreement.Kind.OAO,
            weekly_hours=24, start_date=today - timedelta(days=30),
            end_date=today + timedelta(days=300), state="active",
            created_by=User.objects.get(username="werkgever"))
        return mentor, learner

    return attach
