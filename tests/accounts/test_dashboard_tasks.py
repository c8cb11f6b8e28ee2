"""The dashboard points each role to what waits for it in the recognitions register and the
appeal committee's queue."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def recognition(demo_enterprise):
    from werkplek.catalog.models import Partnership, Programme
    from werkplek.recognitions.models import Recognition

    start = timezone.localdate() - timedelta(days=5 * 365 - 30)  # ends within 6 months
    return Recognition.objects.create(
        enterprise=demo_enterprise, unit=demo_enterprise.units.get(joint_committee__number="124"),
        programme=Programme.objects.get(code="dakwerker-duaal"),
        partnership=Partnership.objects.get(code="bouw"), valid_from=start,
        valid_until=start + timedelta(days=5 * 365), validity_rule="recognition:5-years")


def _dashboard(client, user):
    client.force_login(user)
    return client.get(reverse("accounts:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_enterprise_sees_support_actions_to_answer_and_recognitions_ending(
        client, demo_user, recognition):
    from werkplek.recognitions.models import SupportAction

    SupportAction.objects.create(recognition=recognition, improvement="X",
                                 due_on=timezone.localdate() + timedelta(days=10),
                                 created_by=demo_user("behandelaar-bouw"))
    page = _dashboard(client, demo_user("werkgever"))
    assert reverse("recognitions:register") in page
    assert "1 support action waits for your answer" in page
    assert "1 recognition ends within 6 months" in page
    assert reverse("appeals:list") in page


def test_the_handler_sees_recognitions_without_a_mentor(client, demo_user, recognition):
    page = _dashboard(client, demo_user("behandelaar-bouw"))
    assert reverse("recognitions:handler_register") in page
    assert "1 recognition in force has no active mentor" in page
    # Another partnership's handler does not count it.
    assert "no active mentor" not in _dashboard(client, demo_user("behandelaar-vpdl"))


def test_the_committee_sees_its_queue(client, demo_user):
    page = _dashboard(client, demo_user("beroepscommissie"))
    assert reverse("appeals:queue") in page
    assert "0 appeals to decide" in page
    assert reverse("recognitions:register") not in page


def test_agreements_waiting_for_confirmation_are_counted_for_the_other_side(
        client, demo_user, recognition):
    from werkplek.agreements.models import Agreement, Learner
    from werkplek.enterprises.models import Mentor

    coach = demo_user("trajectbegeleider")
    provider = coach.memberships.get().training_provider
    learner = Learner(first_name="Lotte", last_name="Leerling", training_provider=provider,
                      programme=recognition.programme)
    learner.set_national_number("05050500118")
    learner.save()
    today = timezone.localdate()
    Agreement.objects.create(
        learner=learner, enterprise=recognition.enterprise, unit=recognition.unit,
        programme=recognition.programme, recognition=recognition,
        mentor=Mentor.objects.filter(enterprise=recognition.enterprise).first(),
        training_provider=provider, coach=coach, kind="oao", weekly_hours=24,
        start_date=today, end_date=today + timedelta(days=100), created_by=coach,
        registered_side=Agreement.Side.PROVIDER)
    assert "1 agreement waits for your confirmation" in _dashboard(client,
                                                                   demo_user("werkgever"))
    page = _dashboard(client, coach)
    assert reverse("agreements:list") in page
    assert "waits for your confirmation" not in page
    assert reverse("agreements:handler_list") in _dashboard(client,
                                                           demo_user("behandelaar-bouw"))
