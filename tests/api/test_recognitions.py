"""Recognitions through the API: who reads which, the partnership's monitoring (finding,
support action, follow-up, sanction), the enterprise's answer and mentor change, optimistic
locking, errors keyed by field, and a list whose number of queries does not grow with its rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from werkplek.recognitions.models import (
    Recognition,
    RecognitionEvent,
    RecognitionMentor,
    Sanction,
    SupportAction,
)

pytestmark = pytest.mark.django_db

PEETERS_NATIONAL_NUMBER = "80051412308"


def today():
    return timezone.localdate()


@pytest.fixture
def unit(demo_enterprise):
    return demo_enterprise.units.get(joint_committee__number="124")


@pytest.fixture
def peeters(demo_enterprise):
    return demo_enterprise.mentors.get(last_name="Peeters")


@pytest.fixture
def janssens(demo_enterprise):
    return demo_enterprise.mentors.get(last_name="Janssens")


@pytest.fixture
def make_recognition(demo_enterprise, unit, bouw, peeters):
    """A recognition of the construction unit (partnership "bouw"), started a year ago."""
    from werkplek.catalog.models import Programme
    from werkplek.core.deadlines import recognition_validity

    def make(*, state="active", mentors=None, programme="dakwerker-duaal", on_unit=None):
        start = today() - timedelta(days=365)
        recognition = Recognition.objects.create(
            enterprise=demo_enterprise, unit=on_unit or unit,
            programme=Programme.objects.get(code=programme), partnership=bouw, state=state,
            valid_from=start, valid_until=recognition_validity(start).day,
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
def as_vpdl(demo_user):
    """A case handler of another partnership (vpdl), by token."""
    from rest_framework.test import APIClient

    from werkplek.api.services import issue_token
    from werkplek.catalog.models import Partnership

    _token, secret = issue_token(actor=None, user=demo_user("behandelaar-vpdl"), name="x",
                                 partnership=Partnership.objects.get(code="vpdl"))
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def as_employer(demo_user):
    """The enterprise's employer staff, logged in (tokens are for coaches and handlers)."""
    from rest_framework.test import APIClient

    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(demo_user("werkgever"))
    return client


def url(recognition, tail: str = "") -> str:
    return f"/api/v1/recognitions/{recognition.pk}/{tail}"


def _version(recognition) -> int:
    recognition.refresh_from_db()
    return recognition.version


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


# --- reading ---------------------------------------------------------------------------------

def test_a_handler_lists_and_reads_the_recognitions_of_their_partnership(as_handler,
                                                                         recognition, peeters):
    response = as_handler.get("/api/v1/recognitions/")
    assert recognition.pk in _ids(response)
    row = next(r for r in response.json()["results"] if r["id"] == recognition.pk)
    assert row["state"] == "active" and row["register_state"] == "active"
    assert row["programme"]["code"] == "dakwerker-duaal" and row["partnership"] == "bouw"

    response = as_handler.get(url(recognition))
    assert response.status_code == 200
    body = response.json()
    assert body["role"] == "handler"
    assert body["version"] == recognition.version
    assert body["partnership"]["code"] == "bouw"
    assert body["unit"]["id"] == recognition.unit_id
    mentor = body["mentors"][0]
    assert mentor["mentor"] == peeters.pk and mentor["name"] == "Jan Peeters"
    assert mentor["is_active"] is True and mentor["until"] is None
    # National register numbers never leave the server, not even masked.
    assert PEETERS_NATIONAL_NUMBER not in response.content.decode()
    assert "national" not in response.content.decode()


def test_a_handler_of_another_partnership_sees_nothing(as_vpdl, recognition):
    assert recognition.pk not in _ids(as_vpdl.get("/api/v1/recognitions/"))
    for tail in ("", "events/"):
        response = as_vpdl.get(url(recognition, tail))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    response = as_vpdl.post(url(recognition, "findings/"), {
        "version": recognition.version, "kind": "check", "on": today().isoformat(),
        "outcome": "met", "description": "Alles in orde."}, format="json")
    assert response.status_code == 404
    assert not recognition.findings.exists()


def test_a_coach_reads_under_a_mandate_but_does_not_act(as_coach, recognition):
    assert recognition.pk in _ids(as_coach.get("/api/v1/recognitions/"))
    body = as_coach.get(url(recognition)).json()
    assert body["role"] == "coach" and body["findings"] == []
    response = as_coach.post(url(recognition, "findings/"), {
        "version": recognition.version, "kind": "check", "on": today().isoformat(),
        "outcome": "met", "description": "Alles in orde."}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_without_a_mandate_a_coach_sees_nothing(api, coach_token, recognition):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {coach_token}")
    assert recognition.pk not in _ids(api.get("/api/v1/recognitions/"))
    assert api.get(url(recognition)).status_code == 404


def test_a_mandate_for_other_units_shows_nothing(as_coach, mandate, recognition,
                                                 demo_enterprise):
    other = demo_enterprise.units.exclude(pk=recognition.unit_id).first()
    mandate.all_units = False
    mandate.save()
    mandate.units.set([other])
    assert recognition.pk not in _ids(as_coach.get("/api/v1/recognitions/"))
    assert as_coach.get(url(recognition)).status_code == 404


def test_the_list_filters(as_handler, make_recognition, demo_enterprise):
    active = make_recognition()
    expired = make_recognition(state="expired")
    both = {active.pk, expired.pk}
    assert _ids(as_handler.get("/api/v1/recognitions/", {"state": "expired"})) & both \
        == {expired.pk}
    assert _ids(as_handler.get("/api/v1/recognitions/", {"programme": "dakwerker-duaal"})) \
        >= both
    assert not _ids(as_handler.get("/api/v1/recognitions/", {"programme": "nothing"}))
    assert _ids(as_handler.get("/api/v1/recognitions/",
                               {"enterprise": demo_enterprise.pk})) >= both
    assert not _ids(as_handler.get("/api/v1/recognitions/", {"unit": active.unit_id + 1000}))
    assert _ids(as_handler.get("/api/v1/recognitions/", {"unit": active.unit_id})) >= both

    response = as_handler.get("/api/v1/recognitions/", {"state": "gone", "unit": "x"})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"state"}
    response = as_handler.get("/api/v1/recognitions/", {"unit": "x"})
    assert response.json()["fields"]["unit"][0]["code"] == "invalid"


def test_the_list_reads_in_a_fixed_number_of_queries(as_handler, make_recognition):
    make_recognition()

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = as_handler.get("/api/v1/recognitions/")
        assert response.status_code == 200
        return len(queries), len(response.json()["results"])

    count()  # the first use of the token records when it was used: not a per-row query
    few, rows = count()
    for _ in range(4):
        make_recognition(state="expired")
    many, more_rows = count()
    assert more_rows == rows + 4
    assert many == few


# --- the partnership's monitoring ------------------------------------------------------------

def test_finding_support_action_follow_up_and_sanction(as_handler, as_employer, recognition):
    on = (today() - timedelta(days=2)).isoformat()
    response = as_handler.post(url(recognition, "findings/"), {
        "version": recognition.version, "kind": "site_visit", "on": on,
        "outcome": "not_met", "condition": "infrastructure",
        "description": "Geen veiligheidsschoenen voor de leerlingen."}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["version"] == _version(recognition)
    finding = body["findings"][0]
    assert finding["kind"] == "site_visit" and finding["condition"] == "infrastructure"

    response = as_handler.post(url(recognition, "support-actions/"), {
        "version": body["version"], "improvement": "Veiligheidsschoenen voorzien.",
        "due_on": (today() + timedelta(days=14)).isoformat(), "finding": finding["id"]},
        format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    action = body["support_actions"][0]
    assert action["state"] == "open" and action["finding"] == finding["id"]

    # The enterprise sees the action, not the finding, and answers it.
    seen = as_employer.get(url(recognition)).json()
    assert seen["role"] == "enterprise" and seen["findings"] == []
    assert seen["support_actions"][0]["finding"] is None
    kinds = {event["kind"] for event in as_employer.get(url(recognition, "events/")).json()}
    assert "support_opened" in kinds and "finding" not in kinds
    handler_kinds = {event["kind"] for event in as_handler.get(url(recognition, "events/"))
                     .json()}
    assert "finding" in handler_kinds
    response = as_employer.post(url(recognition, f"support-actions/{action['id']}/answer/"),
                                {"answer": "Schoenen besteld."}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["support_actions"][0]["state"] == "answered"

    # Not met only from the deadline on.
    follow_up = url(recognition, f"support-actions/{action['id']}/follow-up/")
    version = _version(recognition)
    response = as_handler.post(follow_up, {"version": version, "met": False,
                                           "note": "Nog steeds geen schoenen."}, format="json")
    assert response.status_code == 400
    SupportAction.objects.filter(pk=action["id"]).update(due_on=today())
    response = as_handler.post(follow_up, {"version": version, "met": False,
                                           "note": "Nog steeds geen schoenen."}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["support_actions"][0]["state"] == "failed"
    # Followed up already: a conflict, for both sides.
    response = as_handler.post(follow_up, {"version": body["version"], "met": True,
                                           "note": "Toch."}, format="json")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "not_open"
    response = as_employer.post(url(recognition, f"support-actions/{action['id']}/answer/"),
                                {"answer": "Nog iets."}, format="json")
    assert response.status_code == 409

    response = as_handler.post(url(recognition, "sanctions/"), {
        "version": body["version"], "support_action": action["id"], "kind": "withdrawal",
        "reasons": "De begeleidingsactie werd niet uitgevoerd."}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "withdrawn" and body["ended_on"] == today().isoformat()
    sanction = body["sanctions"][0]
    assert sanction["kind"] == "withdrawal" and sanction["state"] == "in_force"
    assert sanction["reference"] == Sanction.objects.get().reference
    assert sanction["support_action"] == action["id"]
    recognition.refresh_from_db()
    assert recognition.state == Recognition.State.WITHDRAWN
    assert RecognitionEvent.objects.filter(recognition=recognition,
                                           kind=RecognitionEvent.Kind.SANCTION).exists()


def test_a_mentor_ban_with_a_replacement(as_handler, make_recognition, handler, peeters,
                                         janssens):
    recognition = make_recognition(mentors=[peeters, janssens])
    action = SupportAction.objects.create(
        recognition=recognition, improvement="Begeleiding verbeteren.", due_on=today(),
        state=SupportAction.State.FAILED, created_by=handler)
    data = {"version": recognition.version, "support_action": action.pk,
            "kind": "mentor_ban", "reasons": "De mentor begeleidt niet."}
    response = as_handler.post(url(recognition, "sanctions/"), data, format="json")
    assert response.status_code == 400
    assert {"mentor", "programmes"} <= set(response.json()["fields"])

    response = as_handler.post(url(recognition, "sanctions/"), {
        **data, "mentor": peeters.pk, "programmes": ["dakwerker-duaal"],
        "replacement_mentor": peeters.pk}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"replacement_mentor"}

    response = as_handler.post(url(recognition, "sanctions/"), {
        **data, "mentor": peeters.pk, "programmes": ["no-such-programme"]}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["programmes"][0]["code"] == "unknown"
    assert not Sanction.objects.exists()

    response = as_handler.post(url(recognition, "sanctions/"), {
        **data, "mentor": peeters.pk, "programmes": ["dakwerker-duaal"],
        "replacement_mentor": janssens.pk}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    sanction = body["sanctions"][0]
    assert sanction["kind"] == "mentor_ban" and sanction["mentor"] == peeters.pk
    assert sanction["programmes"] == ["dakwerker-duaal"]
    assert body["state"] == "active"
    mentors = {m["mentor"]: m for m in body["mentors"]}
    assert mentors[peeters.pk]["is_active"] is False
    assert mentors[peeters.pk]["until"] == today().isoformat()
    assert mentors[janssens.pk]["is_active"] is True


def test_a_sanction_needs_a_failed_support_action_of_this_recognition(
        as_handler, make_recognition, recognition, handler):
    other = make_recognition(programme="dakwerker-duaal", state="expired")
    elsewhere = SupportAction.objects.create(
        recognition=other, improvement="x", due_on=today(), state=SupportAction.State.FAILED,
        created_by=handler)
    response = as_handler.post(url(recognition, "sanctions/"), {
        "version": recognition.version, "support_action": elsewhere.pk, "kind": "withdrawal",
        "reasons": "Niet uitgevoerd."}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["support_action"][0]["code"] == "unknown"

    open_action = SupportAction.objects.create(
        recognition=recognition, improvement="x", due_on=today() + timedelta(days=3),
        created_by=handler)
    response = as_handler.post(url(recognition, "sanctions/"), {
        "version": recognition.version, "support_action": open_action.pk,
        "kind": "withdrawal", "reasons": "Niet uitgevoerd."}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "support_first"
    assert not Sanction.objects.exists()
    # A follow-up of another recognition's action is not found.
    response = as_handler.post(url(recognition, f"support-actions/{elsewhere.pk}/follow-up/"),
                               {"version": recognition.version, "met": True, "note": "x"},
                               format="json")
    assert response.status_code == 404


def test_a_stale_version_is_a_conflict_and_changes_nothing(as_handler, recognition):
    response = as_handler.post(url(recognition, "findings/"), {
        "version": recognition.version + 1, "kind": "check",
        "on": today().isoformat(), "outcome": "met", "description": "Alles in orde."},
        format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert body["errors"][0]["code"] == "stale"
    assert "Someone changed this recognition meanwhile" in body["message"]
    assert not recognition.findings.exists()
    assert _version(recognition) == 1


def test_errors_are_keyed_by_field(as_handler, recognition):
    response = as_handler.post(url(recognition, "findings/"), {
        "version": recognition.version, "kind": "inspection",
        "on": (today() + timedelta(days=1)).isoformat(), "outcome": "not_met"},
        format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"kind", "description"}
    assert body["fields"]["kind"][0]["code"] == "invalid_choice"

    # What the serializer lets through, the service refuses by field.
    response = as_handler.post(url(recognition, "findings/"), {
        "version": recognition.version, "kind": "check",
        "on": (today() + timedelta(days=1)).isoformat(), "outcome": "not_met",
        "condition": "infrastructure", "description": "Iets."}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"on"}

    response = as_handler.post(url(recognition, "findings/"), {
        "version": recognition.version, "kind": "check", "on": today().isoformat(),
        "outcome": "not_met", "description": "Iets."}, format="json")
    assert set(response.json()["fields"]) == {"condition"}

    response = as_handler.post(url(recognition, "support-actions/"), {
        "version": recognition.version, "improvement": "Beter doen.",
        "due_on": today().isoformat(), "finding": 999999}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"finding"}
    response = as_handler.post(url(recognition, "support-actions/"), {
        "version": recognition.version, "improvement": "Beter doen.",
        "due_on": today().isoformat()}, format="json")
    assert set(response.json()["fields"]) == {"due_on"}
    assert not recognition.support_actions.exists()


# --- the enterprise --------------------------------------------------------------------------

def test_the_enterprise_stops_a_mentor_and_the_handler_may_not(as_employer, as_handler,
                                                               make_recognition, peeters,
                                                               janssens):
    recognition = make_recognition(mentors=[peeters, janssens])
    link = RecognitionMentor.objects.get(recognition=recognition, mentor=janssens)
    path = url(recognition, f"mentors/{link.pk}/deactivate/")
    response = as_handler.post(path, {"version": recognition.version}, format="json")
    assert response.status_code == 403

    response = as_employer.post(path, {"version": recognition.version + 5}, format="json")
    assert response.status_code == 409
    response = as_employer.post(path, {"version": recognition.version,
                                       "reason": "Met pensioen."}, format="json")
    assert response.status_code == 200, response.json()
    mentors = {m["id"]: m for m in response.json()["mentors"]}
    assert mentors[link.pk]["is_active"] is False
    assert mentors[link.pk]["end_reason"] == "Met pensioen."

    response = as_employer.post(url(recognition, "mentors/999999/deactivate/"),
                                {"version": _version(recognition)}, format="json")
    assert response.status_code == 404


def test_the_handler_may_not_answer_a_support_action(as_handler, recognition, handler):
    action = SupportAction.objects.create(
        recognition=recognition, improvement="x", due_on=today() + timedelta(days=3),
        created_by=handler)
    response = as_handler.post(url(recognition, f"support-actions/{action.pk}/answer/"),
                               {"answer": "Gedaan."}, format="json")
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.state == SupportAction.State.OPEN
