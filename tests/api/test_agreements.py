"""Agreements with learners through the API: the learner coach registers one at a recognised
workplace, the enterprise confirms it, either side ends it; the rules refuse what they refuse,
each sees only their own, and the learner's national register number never shows in clear."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from werkplek.agreements.models import Agreement

from ..conftest import national_number_born

pytestmark = pytest.mark.django_db


def today() -> date:
    return timezone.localdate()


def client(user=None):
    from rest_framework.test import APIClient

    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        api.force_login(user)
    return api


@pytest.fixture
def bouw(db):
    """The construction partnership, with its rules for agreements set explicitly: one learner
    per mentor, the mentor training within 6 months."""
    from werkplek.catalog.models import Partnership

    Partnership.objects.filter(code="bouw").update(
        max_learners_per_mentor=1, mentor_training_required=True,
        mentor_training_deadline_months=6)
    return Partnership.objects.get(code="bouw")


@pytest.fixture
def peeters(demo_enterprise):
    mentor = demo_enterprise.mentors.get(last_name="Peeters")
    assert mentor.mentor_training_completed_on is not None
    return mentor


@pytest.fixture
def claes(demo_enterprise):
    """A second, trained mentor of the demo enterprise."""
    from werkplek.enterprises.models import Mentor

    mentor = Mentor(enterprise=demo_enterprise, first_name="An", last_name="Claes",
                    years_of_experience=12, mentor_training_completed_on=date(2024, 1, 15))
    mentor.set_national_number(national_number_born(date(1980, 1, 1), 7), date(1980, 1, 1))
    mentor.save()
    return mentor


@pytest.fixture
def recognition(demo_enterprise, bouw, peeters, claes):
    """An active recognition of the demo enterprise's construction unit for roofer (dual),
    since a year, with Peeters and Claes as its mentors."""
    from werkplek.catalog.models import Programme
    from werkplek.core.deadlines import recognition_validity
    from werkplek.recognitions.models import Recognition, RecognitionMentor

    start = today() - timedelta(days=365)
    recognition = Recognition.objects.create(
        enterprise=demo_enterprise, unit=demo_enterprise.units.get(joint_committee__number="124"),
        programme=Programme.objects.get(code="dakwerker-duaal"), partnership=bouw,
        state="active", valid_from=start, valid_until=recognition_validity(start).day,
        validity_rule="recognition:5-years")
    for mentor in (peeters, claes):
        RecognitionMentor.objects.create(recognition=recognition, mentor=mentor, since=start)
    return recognition


@pytest.fixture
def number():
    """A new valid national register number of a learner born on 05/05/2008 each call."""
    counter = iter(range(1, 999))
    return lambda: national_number_born(date(2008, 5, 5), next(counter))


@pytest.fixture
def employer(demo_user):
    return demo_user("werkgever")


@pytest.fixture
def as_employer(employer):
    return client(employer)


def payload(recognition, mentor, national_number, **changes):
    data = {
        "recognition": recognition.pk, "first_name": "Lotte", "last_name": "Leerling",
        "national_number": national_number, "mentor": mentor.pk,
        "start_date": (today() + timedelta(days=7)).isoformat(),
        "end_date": (today() + timedelta(days=300)).isoformat(), "weekly_hours": 24,
    }
    data.update(changes)
    return data


def in_clear(compact: str) -> list[str]:
    """The ways a national register number could show in clear."""
    return [compact, f"{compact[:2]}.{compact[2:4]}.{compact[4:6]}-{compact[6:9]}.{compact[9:]}",
            f"{compact[:6]}-{compact[6:9]}.{compact[9:]}"]


def assert_not_in_clear(response, compact: str) -> None:
    text = response.content.decode()
    for form in in_clear(compact):
        assert form not in text, response.content


def test_coach_registers_the_enterprise_confirms_and_the_coach_ends(
        as_coach, as_employer, recognition, peeters, provider, number):
    compact = number()
    response = as_coach.post("/api/v1/agreements/", payload(recognition, peeters, compact),
                             format="json")
    assert response.status_code == 201, response.json()
    assert_not_in_clear(response, compact)
    agreement = response.json()
    pk = agreement["id"]
    assert agreement["state"] == "draft"
    assert agreement["registered_side"] == "provider"
    assert agreement["waiting_for"] == "enterprise"
    assert agreement["kind"] == "oao"
    assert agreement["weekly_hours"] == 24
    assert agreement["learner"]["national_number"] == f"xx.xx.xx-xxx.{compact[-2:]}"
    assert agreement["mentor"] == {"id": peeters.pk, "first_name": peeters.first_name,
                                   "last_name": peeters.last_name}
    assert agreement["training_provider"]["id"] == provider.pk  # the coach's own, by default
    assert agreement["recognition"] == recognition.pk
    assert agreement["unit"]["id"] == recognition.unit_id
    assert agreement["programme"]["code"] == "dakwerker-duaal"
    assert agreement["confirmed_at"] is None

    # The side that registered it does not confirm it.
    response = as_coach.post(f"/api/v1/agreements/{pk}/confirm/")
    assert response.status_code == 400
    assert "The other side confirms" in response.json()["message"]

    response = as_employer.post(f"/api/v1/agreements/{pk}/confirm/")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "active"
    assert response.json()["state_label"] == "running"
    assert response.json()["confirmed_at"] is not None
    assert response.json()["waiting_for"] is None
    assert_not_in_clear(response, compact)

    # Confirming again: the case is no longer in that state.
    response = as_employer.post(f"/api/v1/agreements/{pk}/confirm/")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"

    on_day = today() + timedelta(days=30)
    response = as_coach.post(f"/api/v1/agreements/{pk}/end/",
                             {"on_day": on_day.isoformat(), "note": "Moved abroad."},
                             format="json")
    assert response.status_code == 200, response.json()
    ended = response.json()
    assert ended["state"] == "ended_early"
    assert ended["ended_on"] == on_day.isoformat()
    assert ended["end_reason"] == "party"
    assert ended["end_note"] == "Moved abroad."

    response = as_employer.post(f"/api/v1/agreements/{pk}/end/",
                                {"on_day": on_day.isoformat(), "note": "Again."}, format="json")
    assert response.status_code == 409

    response = as_employer.get(f"/api/v1/agreements/{pk}/events/")
    assert response.status_code == 200
    events = response.json()
    assert [e["kind"] for e in events] == ["registered", "activated", "ended_early"]
    assert [e["side"] for e in events[:2]] == ["provider", "enterprise"]
    assert events[2]["ended_on"] == on_day.isoformat()
    assert events[2]["message"] == "Moved abroad."
    assert_not_in_clear(response, compact)

    for api in (as_coach, as_employer):
        for url in ("/api/v1/agreements/", f"/api/v1/agreements/{pk}/"):
            response = api.get(url)
            assert response.status_code == 200
            assert_not_in_clear(response, compact)


def test_the_mentor_cap_refuses_a_second_learner_on_the_mentor_field(
        as_coach, recognition, peeters, number):
    first = as_coach.post("/api/v1/agreements/", payload(recognition, peeters, number()),
                          format="json")
    assert first.status_code == 201, first.json()
    response = as_coach.post("/api/v1/agreements/", payload(
        recognition, peeters, number(), first_name="Bram", last_name="Tweede",
        start_date=(today() + timedelta(days=60)).isoformat()), format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == ["mentor"]
    assert "may coach 1 learner at a time" in body["fields"]["mentor"][0]["message"]
    assert Agreement.objects.count() == 1


def test_errors_of_the_registration_land_on_their_fields(
        as_coach, as_employer, recognition, peeters, number):
    response = as_coach.post("/api/v1/agreements/", payload(
        recognition, peeters, "12345678901"), format="json")
    assert response.status_code == 400
    assert "national_number" in response.json()["fields"]
    assert "12345678901" not in response.content.decode()

    response = as_coach.post("/api/v1/agreements/", payload(
        recognition, peeters, number(), weekly_hours=60), format="json")
    assert response.status_code == 400
    assert "weekly_hours" in response.json()["fields"]

    response = as_coach.post("/api/v1/agreements/", payload(
        recognition, peeters, number(), end_date=today().isoformat()), format="json")
    assert response.status_code == 400
    assert "end_date" in response.json()["fields"]

    data = {**payload(recognition, peeters, number()), "recognition": recognition.pk + 1000}
    response = as_coach.post("/api/v1/agreements/", data, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["recognition"][0]["code"] == "not_in_force"

    # The enterprise names the training provider.
    response = as_employer.post("/api/v1/agreements/", payload(recognition, peeters, number()),
                                format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["training_provider"][0]["code"] == "required"

    response = as_coach.post("/api/v1/agreements/", "recognition=1",
                             content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert Agreement.objects.count() == 0


def test_who_may_not_see_or_act_gets_404_or_403(
        as_coach, as_handler, recognition, peeters, claes, provider, number):
    from werkplek.accounts.models import Membership, Role, User
    from werkplek.catalog.models import TrainingProvider
    from werkplek.enterprises.models import Enterprise

    response = as_coach.post("/api/v1/agreements/", payload(recognition, peeters, number()),
                             format="json")
    pk = response.json()["id"]

    body = "04987654"
    elsewhere = Enterprise.objects.create(enterprise_number=f"{body}{97 - int(body) % 97:02d}",
                                          name="Dakwerken Elders BV")
    stranger = User.objects.create_user(username="werkgever-elders", password="x")
    Membership.objects.create(user=stranger, role=Role.EMPLOYER, enterprise=elsewhere)
    other = TrainingProvider.objects.create(
        code="andere-campus-test", kind=TrainingProvider.Kind.SYNTRA,
        province=provider.province, name_nl="Andere campus", name_en="Other campus")
    other_coach = User.objects.create_user(username="andere-begeleider", password="x")
    Membership.objects.create(user=other_coach, role=Role.COACH, training_provider=other)

    for user in (stranger, other_coach):
        api = client(user)
        assert api.get("/api/v1/agreements/").json()["results"] == []
        for url in (f"/api/v1/agreements/{pk}/", f"/api/v1/agreements/{pk}/events/"):
            response = api.get(url)
            assert response.status_code == 404
            assert response.json()["code"] == "not_found"
        assert api.post(f"/api/v1/agreements/{pk}/confirm/").status_code == 404
        assert api.post(f"/api/v1/agreements/{pk}/end/", {
            "on_day": today().isoformat(), "note": "x"}, format="json").status_code == 404

    # Someone of neither side cannot register at the workplace.
    response = client(stranger).post("/api/v1/agreements/", payload(
        recognition, peeters, number(), training_provider=provider.pk), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"

    # The partnership's case handler reads, but does not act.
    assert [a["id"] for a in as_handler.get("/api/v1/agreements/").json()["results"]] == [pk]
    assert as_handler.get(f"/api/v1/agreements/{pk}/").status_code == 200
    response = as_handler.post(f"/api/v1/agreements/{pk}/confirm/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"

    # Only the enterprise names another mentor.
    response = as_coach.post(f"/api/v1/agreements/{pk}/change-mentor/", {"mentor": claes.pk},
                             format="json")
    assert response.status_code == 403

    assert client().get("/api/v1/agreements/").status_code == 401
    assert Agreement.objects.get(pk=pk).state == Agreement.State.DRAFT


def test_the_enterprise_changes_the_mentor(as_coach, as_employer, recognition, peeters, claes,
                                           number):
    pk = as_coach.post("/api/v1/agreements/", payload(recognition, peeters, number()),
                       format="json").json()["id"]
    response = as_employer.post(f"/api/v1/agreements/{pk}/change-mentor/",
                                {"mentor": peeters.pk}, format="json")
    assert response.status_code == 400
    assert "mentor" in response.json()["fields"]

    response = as_employer.post(f"/api/v1/agreements/{pk}/change-mentor/",
                                {"mentor": claes.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["mentor"]["id"] == claes.pk
    event = as_coach.get(f"/api/v1/agreements/{pk}/events/").json()[-1]
    assert event["kind"] == "mentor_changed"
    assert (event["from_mentor"], event["to_mentor"]) == (peeters.full_name, claes.full_name)

    as_employer.post(f"/api/v1/agreements/{pk}/end/", {
        "on_day": today().isoformat(), "note": "Withdrawn."}, format="json")
    response = as_employer.post(f"/api/v1/agreements/{pk}/change-mentor/",
                                {"mentor": peeters.pk}, format="json")
    assert response.status_code == 409


def test_a_coach_reads_the_agreements_of_the_enterprise_that_mandated_them(
        api, coach_token, as_employer, recognition, peeters, provider, mandate, number):
    from werkplek.catalog.models import TrainingProvider

    other = TrainingProvider.objects.create(
        code="andere-campus-test", kind=TrainingProvider.Kind.SYNTRA,
        province=provider.province, name_nl="Andere campus", name_en="Other campus")
    response = as_employer.post("/api/v1/agreements/", payload(
        recognition, peeters, number(), training_provider=other.pk), format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["registered_side"] == "enterprise"

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {coach_token}")
    assert [a["id"] for a in api.get("/api/v1/agreements/").json()["results"]] == [pk]
    assert api.get(f"/api/v1/agreements/{pk}/").status_code == 200
    # Reading is all: the learner is not of the coach's training provider.
    assert api.post(f"/api/v1/agreements/{pk}/confirm/").status_code == 403

    mandate.revoked_at = timezone.now()
    mandate.save()
    assert api.get("/api/v1/agreements/").json()["results"] == []
    assert api.get(f"/api/v1/agreements/{pk}/").status_code == 404


def test_the_list_filters(as_coach, as_employer, recognition, peeters, claes, number,
                          demo_enterprise):
    first = as_coach.post("/api/v1/agreements/", payload(recognition, peeters, number()),
                          format="json").json()["id"]
    second = as_coach.post("/api/v1/agreements/", payload(
        recognition, claes, number(), first_name="Bram", last_name="Tweede"),
        format="json").json()["id"]
    as_employer.post(f"/api/v1/agreements/{second}/confirm/")

    def ids(query):
        response = as_coach.get(f"/api/v1/agreements/{query}")
        assert response.status_code == 200, response.json()
        return [a["id"] for a in response.json()["results"]]

    assert ids("") == [second, first]
    assert ids("?state=active") == [second]
    assert ids("?state=draft") == [first]
    assert ids(f"?recognition={recognition.pk}") == [second, first]
    assert ids(f"?recognition={recognition.pk + 1}") == []
    assert ids(f"?enterprise={demo_enterprise.pk}") == [second, first]
    assert ids(f"?enterprise={demo_enterprise.pk + 1}") == []
    assert ids("?page_size=1") == [second]

    response = as_coach.get("/api/v1/agreements/?state=lopend")
    assert response.status_code == 400
    assert response.json()["fields"]["state"][0]["code"] == "invalid_choice"
    assert as_coach.get("/api/v1/agreements/?recognition=x").status_code == 400


@pytest.mark.parametrize("who", ["coach", "employer", "handler"])
def test_the_list_reads_in_a_fixed_number_of_queries(
        who, as_coach, as_employer, as_handler, recognition, peeters, coach, provider, bouw,
        number):
    from werkplek.agreements import services
    from werkplek.catalog.models import Partnership

    Partnership.objects.filter(pk=bouw.pk).update(max_learners_per_mentor=20)
    api = {"coach": as_coach, "employer": as_employer, "handler": as_handler}[who]

    def register(n):
        for i in range(n):
            services.register_agreement(
                actor=coach, recognition_id=recognition.pk, first_name="Lotte",
                last_name=f"Leerling {i}", national_number=number(),
                training_provider_id=provider.pk, mentor_id=peeters.pk,
                start_date=today() + timedelta(days=7 + i),
                end_date=today() + timedelta(days=300), weekly_hours="12")

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/agreements/")
        assert response.status_code == 200
        return len(queries), len(response.json()["results"])

    register(1)
    count()  # once to warm what is read once per process or per day (token use, caches)
    few, rows = count()
    assert rows == 1
    register(5)
    many, rows = count()
    assert rows == 6
    assert many == few
