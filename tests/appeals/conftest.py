"""Decisions to appeal (a refused application, a sanction in force), built directly with the
ORM, and the people around them."""

from datetime import datetime, time, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

_numbers = count(1)
BRUSSELS = ZoneInfo("Europe/Brussels")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def construction_unit(demo_enterprise):
    return demo_enterprise.units.get(joint_committee__number="124")


@pytest.fixture
def make_refusal(demo_user, construction_unit):
    """A refused application of `unit` (the demo enterprise's construction unit), decided at
    noon in Brussels `days_ago` days ago (without a letter: that day is the notification), with
    the demo mentor Jan Peeters named."""
    from werkplek.applications.models import Application, ApplicationMentor
    from werkplek.catalog.models import Partnership, Programme

    def make(*, days_ago: int = 1, unit=None, partnership: str = "bouw",
             created_by=None) -> Application:
        unit = unit or construction_unit
        decided = datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(12),
                                   tzinfo=BRUSSELS)
        application = Application.objects.create(
            enterprise=unit.enterprise, unit=unit,
            programme=Programme.objects.get(code="dakwerker-duaal"),
            created_by=created_by or demo_user("werkgever"),
            partnership=Partnership.objects.get(code=partnership),
            reference=f"WP-T-{next(_numbers):06d}", state="refused", decision="refuse",
            decision_reasons="No mentor meets the conditions.", decided_at=decided,
            submitted_at=decided - timedelta(days=10))
        mentor = unit.enterprise.mentors.filter(last_name="Peeters").first()
        if mentor is not None:
            ApplicationMentor.objects.create(application=application, mentor=mentor,
                                             years_of_experience=20,
                                             training=ApplicationMentor.Training.DONE)
        return application

    return make


@pytest.fixture
def make_sanction(demo_user, construction_unit):
    """A withdrawal in force, imposed `days_ago` days ago on a recognition of the demo
    enterprise's construction unit (which it ended)."""
    from werkplek.catalog.models import Partnership, Programme
    from werkplek.recognitions.models import Recognition, Sanction, SupportAction

    def make(*, days_ago: int = 1, programme: str = "ruwbouw-duaal") -> Sanction:
        today = timezone.localdate()
        handler = demo_user("behandelaar-bouw")
        partnership = Partnership.objects.get(code="bouw")
        recognition = Recognition.objects.create(
            enterprise=construction_unit.enterprise, unit=construction_unit,
            programme=Programme.objects.get(code=programme), partnership=partnership,
            valid_from=today - timedelta(days=400), valid_until=today + timedelta(days=1400),
            validity_rule="recognition:5-years")
        Recognition.objects.filter(pk=recognition.pk).update(state="withdrawn",
                                                             ended_on=today)
        action = SupportAction.objects.create(
            recognition=recognition, improvement="Name a mentor who meets the conditions.",
            due_on=today - timedelta(days=days_ago + 5), created_by=handler)
        SupportAction.objects.filter(pk=action.pk).update(state="failed")
        return Sanction.objects.create(
            reference=f"S-T-{next(_numbers):06d}", kind=Sanction.Kind.WITHDRAWAL,
            enterprise=construction_unit.enterprise, partnership=partnership,
            recognition=recognition, support_action=action,
            reasons="The support action was not met.",
            effects={"recognitions": [{"id": recognition.pk, "from": "active"}]},
            imposed_on=today - timedelta(days=days_ago), imposed_by=handler)

    return make


@pytest.fixture
def mandated_coach(demo_user, demo_enterprise):
    """The demo learner coach, with a digital mandate of the demo enterprise to file."""
    from werkplek.enterprises.models import Mandate

    coach = demo_user("trajectbegeleider")
    today = timezone.localdate()
    Mandate.objects.create(enterprise=demo_enterprise, holder=coach, all_units=True,
                           may_file_applications=True, valid_from=today - timedelta(days=30),
                           valid_until=today + timedelta(days=300),
                           granted_by=demo_user("vertegenwoordiger"))
    return coach


@pytest.fixture
def outsider(db):
    """The legal representative of another enterprise."""
    from werkplek.accounts.models import Membership, Role, User
    from werkplek.enterprises.models import Enterprise

    n = 2_000_000 + next(_numbers)
    enterprise = Enterprise.objects.create(enterprise_number=f"{n:08d}{97 - n % 97:02d}",
                                           name="Andere Onderneming BV")
    user = User.objects.create(username=f"andere-{n}", email=f"andere-{n}@example.com")
    Membership.objects.create(user=user, role=Role.REPRESENTATIVE, enterprise=enterprise)
    return user


@pytest.fixture
def file_appeal(demo_user):
    """File an appeal through the service, as the demo representative."""
    from werkplek.appeals import services

    def file(*, application=None, sanction=None, grounds: str = "The mentor has 20 years "
             "of experience.", actor=None):
        return services.file_appeal(
            actor=actor or demo_user("vertegenwoordiger"), grounds=grounds,
            application_id=application.pk if application else None,
            sanction_id=sanction.pk if sanction else None)

    return file


def set_state(appeal, state: str, **fields):
    """Put an appeal in `state` (and set `fields`) without its services: for lists."""
    from werkplek.appeals.models import Appeal

    Appeal.objects.filter(pk=appeal.pk).update(state=state, **fields)
    appeal.refresh_from_db()
    return appeal
