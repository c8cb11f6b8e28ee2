"""Fixtures for the recognitions register: a recognition of the demo enterprise's construction
unit (partnership "bouw", handler `behandelaar-bouw`), its mentor, learners and agreements,
built directly so each test starts from the state it needs."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def handler(demo_user):
    return demo_user("behandelaar-bouw")


@pytest.fixture
def employer(demo_user):
    return demo_user("werkgever")


@pytest.fixture
def bouw(db):
    from werkplek.catalog.models import Partnership

    return Partnership.objects.get(code="bouw")


@pytest.fixture
def construction_unit(demo_enterprise):
    return demo_enterprise.units.get(joint_committee__number="124")


@pytest.fixture
def dakwerker(db):
    from werkplek.catalog.models import Programme

    return Programme.objects.get(code="dakwerker-duaal")


@pytest.fixture
def peeters(demo_enterprise):
    return demo_enterprise.mentors.get(last_name="Peeters")


@pytest.fixture
def make_recognition(demo_enterprise, construction_unit, dakwerker, bouw, peeters):
    """A recognition (default: active, started a year ago) with `mentors` (default: Peeters)."""
    from werkplek.core.deadlines import recognition_validity
    from werkplek.recognitions.models import Recognition, RecognitionMentor

    def make(*, state="active", valid_from=None, unit=None, programme=None, mentors=None,
             valid_until=None):
        start = valid_from or timezone.localdate() - timedelta(days=365)
        recognition = Recognition.objects.create(
            enterprise=demo_enterprise, unit=unit or construction_unit,
            programme=programme or dakwerker, partnership=bouw, state=state, valid_from=start,
            valid_until=valid_until or recognition_validity(start).day,
            validity_rule="recognition:5-years")
        for mentor in (mentors if mentors is not None else [peeters]):
            RecognitionMentor.objects.create(recognition=recognition, mentor=mentor,
                                             since=start)
        return recognition

    return make


@pytest.fixture
def recognition(make_recognition):
    return make_recognition()


@pytest.fixture
def make_mentor(demo_enterprise):
    from datetime import date

    from werkplek.enterprises.models import Mentor

    counter = iter(range(1, 500))

    def make(last_name="Claes", birth_date=date(1980, 1, 1)):
        number = next(counter)
        # Trained: the sector's mentor-training rule does not stand in the way.
        mentor = Mentor(enterprise=demo_enterprise, first_name="An", last_name=last_name,
                        years_of_experience=12, mentor_training_completed_on=date(2020, 1, 1))
        # A made-up but valid national register number: 800101 + serial + check digits.
        body = f"800101{number:03d}"
        mentor.set_national_number(f"{body}{97 - int(body) % 97:02d}", birth_date)
        mentor.save()
        return mentor

    return make


@pytest.fixture
def make_agreement(demo_enterprise, employer):
    """A running agreement on `recognition` with `mentor` (a new learner each time)."""
    from werkplek.agreements.models import Agreement, Learner
    from werkplek.catalog.models import TrainingProvider

    counter = iter(range(1, 500))

    def make(recognition, mentor, *, coach=None, end_in_days=300, state="active"):
        number = next(counter)
        body = f"050505{number:03d}"
        learner = Learner(first_name="Lotte", last_name=f"Leerling{number}",
                          training_provider=TrainingProvider.objects.order_by("pk").first(),
                          programme=recognition.programme)
        # Born in 2005: the check digits are computed with a leading 2.
        learner.set_national_number(f"{body}{97 - int('2' + body) % 97:02d}")
        learner.save()
        today = timezone.localdate()
        return Agreement.objects.create(
            learner=learner, enterprise=recognition.enterprise, unit=recognition.unit,
            programme=recognition.programme, recognition=recognition, mentor=mentor,
            training_provider=learner.training_provider, coach=coach,
            kind=Agreement.Kind.OAO, weekly_hours=24, start_date=today - timedelta(days=30),
            end_date=today + timedelta(days=end_in_days), state=state, created_by=employer)

    return make
