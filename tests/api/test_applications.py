"""Applications through the API: a training provider's coach drafts, fills, uploads and
submits for a mandating enterprise, and follows the application to the decision."""

import pytest

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


def _ids(demo_enterprise):
    unit = demo_enterprise.units.get(joint_committee__number="124")
    return unit


def test_a_coach_lists_the_enterprises_that_mandated_them(as_coach, demo_enterprise):
    response = as_coach.get("/api/v1/enterprises/")
    assert response.status_code == 200
    body = response.json()
    assert [e["id"] for e in body["results"]] == [demo_enterprise.pk]
    mandate = body["results"][0]["mandates"][0]
    assert mandate["may_file_applications"] is True
    assert mandate["units"] == []


def test_without_a_mandate_the_coach_sees_no_enterprise_and_cannot_apply(
        api, coach_token, demo_enterprise):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {coach_token}")
    assert api.get("/api/v1/enterprises/").json()["results"] == []
    response = api.post("/api/v1/applications/", {"enterprise": demo_enterprise.pk},
                        format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["enterprise"][0]["code"] == "not_allowed"


def test_the_whole_application_through_the_api(as_coach, as_handler, demo_enterprise):
    unit = _ids(demo_enterprise)
    response = as_coach.post("/api/v1/applications/", {
        "enterprise": demo_enterprise.pk, "unit": unit.pk, "programme": "dakwerker-duaal",
    }, format="json")
    assert response.status_code == 201, response.json()
    application = response.json()
    pk = application["id"]
    assert application["state"] == "draft"
    assert application["filed_by"] == "coach"
    assert application["sections"]["unit"] == "completed"
    assert {p["section"] for p in application["problems"]} >= {"mentors", "declaration"}

    programme = as_coach.get("/api/v1/programmes/dakwerker-duaal/").json()
    response = as_coach.patch(f"/api/v1/applications/{pk}/", {
        "activities_offered": list(range(len(programme["activities"]))),
        "financial_capacity": True, "has_convictions": False, "infrastructure_fits": True,
    }, format="json")
    assert response.status_code == 200, response.json()

    mentors = as_coach.get(f"/api/v1/enterprises/{demo_enterprise.pk}/mentors/").json()
    peeters = next(m for m in mentors if m["last_name"] == "Peeters")
    assert peeters["national_number"].startswith("xx.xx.xx-xxx.")  # masked
    response = as_coach.post(f"/api/v1/applications/{pk}/mentors/", {
        "mentor": peeters["id"], "years_of_experience": 20, "training": "done",
        "derogation_requested": False, "extract": pdf_upload("uittreksel.pdf"),
    }, format="multipart")
    assert response.status_code == 201, response.json()

    declaration = as_coach.get(f"/api/v1/applications/{pk}/declaration/")
    assert declaration.status_code == 200
    assert declaration["Content-Type"] == "application/pdf"
    response = as_coach.post(f"/api/v1/applications/{pk}/documents/", {
        "kind": "declaration_on_honour", "file": pdf_upload("verklaring.pdf"),
    }, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["problems"] == []

    response = as_coach.post(f"/api/v1/applications/{pk}/submit/")
    assert response.status_code == 200, response.json()
    submitted = response.json()
    assert submitted["state"] == "submitted"
    assert submitted["reference"].startswith("WP-")
    assert submitted["partnership"]["code"] == "bouw"
    # Again: nothing happens twice.
    assert as_coach.post(f"/api/v1/applications/{pk}/submit/").json()["reference"] == \
        submitted["reference"]

    # The partnership decides, through its back-office endpoints (the vote: test_backoffice).
    from werkplek.catalog.models import Partnership

    Partnership.objects.filter(code="bouw").update(requires_vote=False)

    def act(action, data=None):
        response = as_handler.post(f"/api/v1/applications/{pk}/{action}/", data or {},
                                   format="json")
        assert response.status_code == 200, response.json()
        return response.json()

    handled = act("mark-complete")
    assert handled["state"] == "in_progress"
    handled = act(f"mentors/{handled['mentors'][0]['id']}/check", {"result": "confirmed"})
    handled = act("propose", {"version": handled["version"], "proposal": "approve",
                              "reasons": "All conditions are met."})
    handled = act("decide", {"version": handled["version"],
                             "reasons": "All conditions are met."})
    assert handled["state"] == "approved"

    followed = as_coach.get(f"/api/v1/applications/{pk}/").json()
    assert followed["state"] == "approved"
    events = as_coach.get(f"/api/v1/applications/{pk}/events/").json()
    kinds = [e["kind"] for e in events]
    assert "submitted" in kinds and "approved" in kinds
    assert "proposed" not in kinds  # the partnership's internal steps stay internal


def test_a_blocked_submission_says_what_is_missing_per_section(as_coach, demo_enterprise):
    pk = as_coach.post("/api/v1/applications/", {"enterprise": demo_enterprise.pk},
                       format="json").json()["id"]
    response = as_coach.post(f"/api/v1/applications/{pk}/submit/")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "blocked"
    assert {e["section"] for e in body["errors"]} >= {"unit", "programme"}


def test_errors_are_in_the_language_asked_for(as_coach, demo_enterprise):
    pk = as_coach.post("/api/v1/applications/", {"enterprise": demo_enterprise.pk},
                       format="json").json()["id"]
    english = as_coach.patch(f"/api/v1/applications/{pk}/", {"programme": "nope"},
                             format="json")
    dutch = as_coach.patch(f"/api/v1/applications/{pk}/", {"programme": "nope"},
                           format="json", HTTP_ACCEPT_LANGUAGE="nl")
    assert english.status_code == dutch.status_code == 400
    assert english.json()["fields"]["programme"][0]["code"] == "unknown"
    assert english.json()["fields"]["programme"][0]["message"] != \
        dutch.json()["fields"]["programme"][0]["message"]


def test_another_coach_cannot_see_the_application(as_coach, demo_enterprise, api, db):
    pk = as_coach.post("/api/v1/applications/", {"enterprise": demo_enterprise.pk},
                       format="json").json()["id"]
    from rest_framework.test import APIClient

    anonymous = APIClient()
    assert anonymous.get(f"/api/v1/applications/{pk}/").status_code == 401
