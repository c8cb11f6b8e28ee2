"""Fixtures for agreements: recognitions of the demo enterprise's construction unit (partnership
"bouw", programme "dakwerker-duaal", mentor Peeters), the learner coach `trajectbegeleider` of
the demo training provider and the enterprise's `werkgever` and `vertegenwoordiger`, and a
helper that registers an agreement through the service. The sector rules a test relies on are
set explicitly."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.utils import timezone, translation

from ..conftest import national_number_born


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def coach(demo_user):
    return demo_user("trajectbegeleider")


@pytest.fixture
def provider(coach):
    from werkplek.accounts.models import Membership, Role

    return Membership.objects.get(user=coach, role=Role.COACH).training_provider


@pytest.fixture
def employer(demo_user):
    return demo_user("werkgever")


@pytest.fixture
def representative(demo_user):
    return demo_user("vertegenwoordiger")


@pytest.fixture
def handler(demo_user):
    return demo_user("behandelaar-bouw")


@pytest.fixture
def bouw(db):
    from werkplek.catalog.models import Partnership

    return Partnership.objects.get(code="bouw")


@pytest.fixture
def sector_rules(bouw):
    """Set bouw's rules for agreements (construction: 1 learner per mentor, mentor training
    within 6 months); call it again to change one."""
    from werkplek.catalog.models import Partnership

    def set_rules(**values):
        Partnership.objects.filter(pk=bouw.pk).update(**values)

    set_rules(max_learners_per_mentor=1, mentor_training_required=True,
              mentor_training_deadline_months=6)
    return set_rules


@pytest.fixture
def construction_unit(demo_enterprise):
    return demo_enterprise.units.get(joint_committee__number="124")


@pytest.fixture
def dakwerker(db):
    from werkplek.catalog.models import Programme

    return Programme.objects.get(code="dakwerker-duaal")


@pytest.fixture
def peeters(demo_enterprise):
    """The demo mentor who followed the mentor training."""
    mentor = demo_enterprise.mentors.get(last_name="Peeters")
    assert mentor.mentor_training_completed_on is not None
    return mentor


@pytest.fixture
def make_recognition(demo_enterprise, construction_unit, dakwerker, bouw, sector_rules,
                     peeters):
    """A recognition (default: active, started a year ago, valid 5 years) with `mentors`
    (default: Peeters) linked since `since` (default: its first day)."""
    from werkplek.core.deadlines import recognition_validity
    from werkplek.recognitions.models import Recognition, RecognitionMentor

    def make(*, state="active", valid_from=None, valid_until=None, mentors=None,
             since=None, previous=None, programme=None):
        start = valid_from or today() - timedelta(days=365)
        recognition = Recognition.objects.create(
            enterprise=demo_enterprise, unit=construction_unit,
            programme=programme or dakwerker, partnership=bouw, state=state,
            valid_from=start, valid_until=valid_until or recognition_validity(start).day,
            validity_rule="recognition:5-years", previous=previous)
        for mentor in (mentors if mentors is not None else [peeters]):
            RecognitionMentor.objects.create(recognition=recognition, mentor=mentor,
                                             since=since or start)
        return recognition

    return make


@pytest.fixture
def recognition(make_recognition):
    return make_recognition()


@pytest.fixture
def make_mentor(demo_enterprise):
    """A new mentor of the demo enterprise, without the mentor training unless `trained`."""
    from werkplek.enterprises.models import Mentor

    counter = iter(range(1, 500))

    def make(last_name="Claes", *, trained=False):
        number = next(counter)
        mentor = Mentor(enterprise=demo_enterprise, first_name="An", last_name=last_name,
                        years_of_experience=12,
                        mentor_training_completed_on=date(2024, 1, 15) if trained else None)
        mentor.set_national_number(national_number_born(date(1980, 1, 1), number),
                                   date(1980, 1, 1))
        mentor.save()
        return mentor

    return make


@pytest.fixture
def learner_number():
    """A new valid national register number of a learner born on 05/05/2008 each call."""
    counter = iter(range(1, 999))

    def make() -> str:
        return national_number_born(date(2008, 5, 5), next(counter))

    return make


@pytest.fixture
def register(request, coach, provider, peeters, learner_number):
    """Register an agreement through the service (default: by the coach, for a new learner,
    at the `recognition` fixture's with Peeters, 24 hours a week)."""
    from werkplek.agreements import services

    def reg(*, start, end, actor=None, recognition=None, mentor=None, hours="24",
            first_name="Lotte", last_name="Leerling", national_number=None,
            training_provider=None):
        # The default recognition only when asked for: a test may build its own instead (one
        # active recognition per unit and programme).
        recognition = recognition or request.getfixturevalue("recognition")
        return services.register_agreement(
            actor=actor or coach, recognition_id=recognition.pk, first_name=first_name,
            last_name=last_name, national_number=national_number or learner_number(),
            training_provider_id=(training_provider or provider).pk,
            mentor_id=(mentor or peeters).pk, start_date=start, end_date=end,
            weekly_hours=hours)

    return reg


@pytest.fixture
def on_day():
    """Run as if today were `day`: `timezone.localdate()` without arguments gives it."""
    real = timezone.localdate

    def as_of(day: date):
        def localdate(value=None, timezone=None):
            if value is None and timezone is None:
                return day
            return real(value, timezone)

        return mock.patch("django.utils.timezone.localdate", side_effect=localdate)

    return as_of


@pytest.fixture
def other_enterprise_employer(db):
    """An employer of another enterprise."""
    from werkplek.accounts.models import Membership, Role, User
    from werkplek.enterprises.models import Enterprise

    body = "04987654"
    number = f"{body}{97 - int(body) % 97:02d}"
    enterprise = Enterprise.objects.create(enterprise_number=number, name="Dakwerken Elders BV")
    user = User.objects.create_user(username="werkgever-elders", password="x")
    Membership.objects.create(user=user, role=Role.EMPLOYER, enterprise=enterprise)
    return user


@pytest.fixture
def other_provider_coach(provider):
    """A learner coach of another training provider (created for the test)."""
    from werkplek.accounts.models import Membership, Role, User
    from werkplek.catalog.models import TrainingProvider

    other = TrainingProvider.objects.create(
        code="andere-campus-test", kind=TrainingProvider.Kind.SYNTRA,
        province=provider.province, name_nl="Andere campus", name_en="Other campus")
    user = User.objects.create_user(username="andere-begeleider", password="x")
    Membership.objects.create(user=user, role=Role.COACH, training_provider=other)
    return user
