"""The partnership's back office through the API: a case handler takes a submitted application
from the completeness check to the decision, voting members vote, and whoever may not handle
the case cannot act on it."""

import pytest
from django.utils import timezone

from werkplek.accounts.models import Membership, Role, User
from werkplek.applications.models import Application, ApplicationEvent, CaseNote

from .conftest import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(coach, mandate, demo_enterprise):
    """An application the coach filed under the mandate, with every section filled in,
    submitted to the construction partnership."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from werkplek.applications import services
    from werkplek.applications.models import ApplicationMentor, Document
    from werkplek.catalog.models import Programme

    programme = Programme.objects.get(code="dakwerker-duaal")
    draft = services.create_draft(actor=coach, enterprise=demo_enterprise)
    services.save_unit(actor=coach, application=draft,
                       unit=demo_enterprise.units.get(joint_committee__number="124"))
    services.save_programme(actor=coach, application=draft, programme=programme,
                            activities_offered=list(range(len(programme.activities))))
    services.save_workplace(actor=coach, application=draft, financial_capacity=True,
                            has_convictions=False, infrastructure_fits=True)
    entry = ApplicationMentor.objects.create(
        application=draft, mentor=demo_enterprise.mentors.get(last_name="Peeters"),
        years_of_experience=20, training=ApplicationMentor.Training.DONE)
    for kind, mentor in ((Document.Kind.CRIMINAL_RECORD_EXTRACT, entry),
                         (Document.Kind.DECLARATION_ON_HONOUR, None)):
        Document.objects.create(
            application=draft, kind=kind, mentor=mentor, original_name="doc.pdf",
            content_type="application/pdf", size=len(PDF), sha256="0" * 64, uploaded_by=coach,
            file=SimpleUploadedFile("doc.pdf", PDF))
    return services.submit(actor=coach, application_id=draft.pk)


def _member(partnership, role, username):
    user = User.objects.create_user(username=username, password="x", email=f"{username}@x.be",
                                    first_name=username.title())
    Membership.objects.create(user=user, role=role, partnership=partnership)
    return user


def _session(user):
    """A client logged in on the web (voting members use the API with their session)."""
    from rest_framework.test import APIClient

    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _post(client, pk, action, data=None, status=200):
    response = client.post(f"/api/v1/applications/{pk}/{action}/", data or {}, format="json")
    assert response.status_code == status, response.json()
    return response.json()


def _in_progress(as_handler, submitted):
    """Found complete, its one mentor confirmed."""
    pk = submitted.pk
    body = _post(as_handler, pk, "mark-complete")
    entry = body["mentors"][0]["id"]
    return _post(as_handler, pk, f"mentors/{entry}/check", {"result": "confirmed"})


def test_a_case_goes_from_submission_to_decision_with_a_vote(as_handler, submitted, bouw,
                                                              demo_user, handler):
    assert bouw.requires_vote
    second = _member(bouw, Role.VOTER, "tweede")
    voter = _session(demo_user("stemgerechtigde"))
    pk = submitted.pk

    case = as_handler.get(f"/api/v1/applications/{pk}/case/").json()
    assert case["role"] == "handler" and case["state"] == "submitted"
    assert case["assigned_to"] is None
    assert handler.pk in [h["id"] for h in case["handlers"]]
    assert case["mentors"][0]["mentor"]["national_number"].startswith("xx.xx.xx-xxx.")

    body = _post(as_handler, pk, "assign", {})
    body = _post(as_handler, pk, "mark-complete")
    assert body["state"] == "in_progress"
    today = timezone.localdate().isoformat()
    body = _post(as_handler, pk, "investigations", {
        "kind": "site_visit", "on": today, "participants": "Jan Peeters (mentor)",
        "findings": "The workshop is fit for the training."}, status=201)
    body = _post(as_handler, pk, "notes", {"kind": "note", "body": "Looks good."}, status=201)
    entry = body["mentors"][0]["id"]
    body = _post(as_handler, pk, f"mentors/{entry}/check", {"result": "confirmed"})
    assert body["mentors"][0]["check_result"] == "confirmed"

    # Before a proposal the voting member has no case to see.
    assert voter.get(f"/api/v1/applications/{pk}/case/").status_code == 404
    body = _post(as_handler, pk, "propose", {"version": body["version"], "proposal": "approve",
                                             "reasons": "All conditions are met."})
    assert body["state"] == "proposed"
    # Not before the vote adopted the proposal: the case's state does not allow it.
    response = as_handler.post(f"/api/v1/applications/{pk}/decide/",
                               {"version": body["version"], "reasons": "Met."}, format="json")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "state"
    # The handler does not vote.
    response = as_handler.post(f"/api/v1/applications/{pk}/votes/", {"in_favour": True},
                               format="json")
    assert response.status_code == 403

    case = voter.get(f"/api/v1/applications/{pk}/case/").json()
    assert case["role"] == "voter" and case["handlers"] == []
    assert case["vote"]["members"] == 2 and case["vote"]["outcome"] is None
    body = _post(voter, pk, "votes", {"in_favour": True, "remark": "Agreed."})
    assert body["state"] == "proposed"
    # Once is enough.
    response = voter.post(f"/api/v1/applications/{pk}/votes/", {"in_favour": False},
                          format="json")
    assert response.status_code == 409
    # A voting member takes no handler's action.
    assert voter.post(f"/api/v1/applications/{pk}/close-vote/", {"version": body["version"]},
                      format="json").status_code in (403, 404)

    case = as_handler.get(f"/api/v1/applications/{pk}/case/").json()
    assert case["assigned_to"]["id"] == handler.pk
    assert [s["kind"] for s in case["investigation"]] == ["site_visit"]
    assert [(n["kind"], n["body"]) for n in case["notes"]] == [("note", "Looks good.")]
    vote = case["vote"]
    assert (vote["in_favour"], vote["against"], vote["closed"]) == (1, 0, False)
    assert vote["voters_pending"] == [second.get_full_name()]
    assert [(v["in_favour"], v["remark"]) for v in vote["votes"]] == [(True, "Agreed.")]
    assert case["proposal"]["proposal"] == "approve"

    body = _post(as_handler, pk, "close-vote", {"version": case["version"]})
    assert body["state"] == "proposed"
    assert as_handler.get(f"/api/v1/applications/{pk}/case/").json()["vote_outcome"] == \
        "adopted"
    body = _post(as_handler, pk, "decide", {"version": body["version"],
                                            "reasons": "All conditions are met."})
    assert body["state"] == "approved" and body["decision"] == "approve"
    kinds = set(ApplicationEvent.objects.filter(application_id=pk)
                .values_list("kind", flat=True))
    assert {"assigned", "marked_complete", "investigation", "mentor_checked", "proposed",
            "vote_cast", "vote_closed", "approved"} <= kinds


def test_a_proposal_is_withdrawn_and_a_message_reaches_the_applicant(as_handler, as_coach,
                                                                     submitted, bouw):
    bouw.requires_vote = False
    bouw.save()
    pk = submitted.pk
    body = _in_progress(as_handler, submitted)
    body = _post(as_handler, pk, "propose", {"version": body["version"], "proposal": "refuse",
                                             "reasons": "No workshop."})
    body = _post(as_handler, pk, "withdraw-proposal", {"version": body["version"]})
    assert body["state"] == "in_progress"
    _post(as_handler, pk, "notes", {"kind": "message", "body": "We visit you on Monday."},
          status=201)
    assert CaseNote.objects.get(application_id=pk).kind == "message"


def test_asking_to_complete_pauses_until_the_coach_completes(as_handler, as_coach, submitted):
    pk = submitted.pk
    response = as_handler.post(f"/api/v1/applications/{pk}/request-completion/",
                               {"sections": ["declaration"], "message": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["message"][0]["message"] == "Say what is missing."
    body = _post(as_handler, pk, "request-completion", {
        "sections": ["declaration"], "message": "The declaration is not signed."})
    assert body["state"] == "waiting"
    assert body["completion_sections"] == ["declaration"]
    assert body["completion_due"]

    body = _post(as_coach, pk, "complete")
    assert body["state"] == "submitted" and body["completion_sections"] == []
    assert _post(as_handler, pk, "mark-complete")["state"] == "in_progress"


def test_a_stale_version_changes_nothing(as_handler, submitted):
    pk = submitted.pk
    body = _in_progress(as_handler, submitted)
    response = as_handler.post(f"/api/v1/applications/{pk}/propose/", {
        "version": body["version"] - 1, "proposal": "approve", "reasons": "Met."},
        format="json")
    assert response.status_code == 409
    error = response.json()
    assert error["code"] == "conflict"
    assert error["errors"][0]["code"] == "stale"
    assert "Someone else changed this application" in error["message"]
    application = Application.objects.get(pk=pk)
    assert application.state == "in_progress" and application.version == body["version"]


def test_a_decided_case_says_who_decided(as_handler, submitted, bouw):
    bouw.requires_vote = False
    bouw.save()
    pk = submitted.pk
    body = _in_progress(as_handler, submitted)
    body = _post(as_handler, pk, "propose", {"version": body["version"], "proposal": "refuse",
                                             "reasons": "No workshop."})
    old = body["version"]
    body = _post(as_handler, pk, "decide", {"version": old, "reasons": "No workshop."})
    assert body["state"] == "refused"
    response = as_handler.post(f"/api/v1/applications/{pk}/decide/",
                               {"version": old, "reasons": "Again."}, format="json")
    assert response.status_code == 409
    assert "refused this application meanwhile" in response.json()["message"]


def test_errors_are_keyed_by_field(as_handler, submitted):
    pk = submitted.pk
    body = _in_progress(as_handler, submitted)
    version = body["version"]

    def error(action, data):
        response = as_handler.post(f"/api/v1/applications/{pk}/{action}/", data,
                                   format="json")
        assert response.status_code == 400, response.json()
        assert response.json()["code"] == "invalid"
        return response.json()["fields"]

    assert "version" in error("propose", {"proposal": "approve", "reasons": "Met."})
    assert error("propose", {"version": version, "proposal": "approve", "reasons": ""})[
        "reasons"][0]["message"].startswith("Give the reasons of the proposal")
    assert "proposal" in error("propose", {"version": version, "proposal": "maybe",
                                           "reasons": "Met."})
    assert "reasons" in error("decide", {"version": version})
    assert "kind" in error("investigations", {"kind": "phone", "on": "2026-01-01",
                                              "participants": "x", "findings": "y"})
    fields = error("investigations", {"kind": "contact", "on": "2999-01-01",
                                      "participants": "", "findings": "y"})
    assert set(fields) == {"on", "participants"}
    entry = body["mentors"][0]["id"]
    assert "reason" in error(f"mentors/{entry}/check", {"result": "rejected"})
    assert "handler" in error("assign", {"handler": User.objects.get(username="werkgever").pk})
    assert "body" in error("notes", {"kind": "note", "body": " "})
    # Nothing changed.
    assert Application.objects.get(pk=pk).version == version
    # An unknown mentor entry is not found.
    assert as_handler.post(f"/api/v1/applications/{pk}/mentors/999999/check/",
                           {"result": "confirmed"}, format="json").status_code == 404


def test_the_applicant_takes_no_back_office_action(as_coach, submitted):
    pk = submitted.pk
    assert as_coach.get(f"/api/v1/applications/{pk}/").status_code == 200  # their own
    assert as_coach.get(f"/api/v1/applications/{pk}/case/").status_code == 404
    for action, data in (("mark-complete", {}), ("notes", {"body": "x"}),
                         ("decide", {"version": 1, "reasons": "x"}),
                         ("votes", {"in_favour": True})):
        response = as_coach.post(f"/api/v1/applications/{pk}/{action}/", data, format="json")
        assert response.status_code in (403, 404), (action, response.json())
    assert Application.objects.get(pk=pk).state == "submitted"


def test_a_handler_of_another_partnership_does_not_find_the_case(demo_user, submitted):
    from rest_framework.test import APIClient

    from werkplek.api.services import issue_token

    other = demo_user("behandelaar-vpdl")
    partnership = Membership.objects.get(user=other, role=Role.HANDLER).partnership
    _token, secret = issue_token(actor=None, user=other, name="Sectorsysteem",
                                 partnership=partnership)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    pk = submitted.pk
    assert client.get(f"/api/v1/applications/{pk}/case/").status_code == 404
    for action, data in (("mark-complete", {}), ("assign", {}),
                         ("request-completion", {"sections": ["unit"], "message": "x"}),
                         ("votes", {"in_favour": True})):
        response = client.post(f"/api/v1/applications/{pk}/{action}/", data, format="json")
        assert response.status_code == 404, action
        assert response.json()["code"] == "not_found"
    assert Application.objects.get(pk=pk).state == "submitted"


def test_a_mandate_document_is_checked(as_handler, submitted, mandate):
    from werkplek.enterprises.models import Mandate

    pk = submitted.pk
    # A digital mandate has no document to check.
    response = as_handler.post(f"/api/v1/applications/{pk}/mandate-check/",
                               {"accepted": True}, format="json")
    assert response.status_code == 409
    Mandate.objects.filter(pk=mandate.pk).update(
        kind=Mandate.Kind.DOCUMENT, document_check=Mandate.DocumentCheck.PENDING,
        document_name="machtiging.pdf", content_type="application/pdf")
    response = as_handler.post(f"/api/v1/applications/{pk}/mandate-check/",
                               {"accepted": False}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    _post(as_handler, pk, "mandate-check", {"accepted": False, "reason": "Not signed."})
    case = as_handler.get(f"/api/v1/applications/{pk}/case/").json()
    assert case["mandate"] == {"kind": "document", "document_check": "rejected",
                               "document_check_reason": "Not signed."}


def test_actions_take_json_only(as_handler, submitted):
    response = as_handler.post(f"/api/v1/applications/{submitted.pk}/notes/",
                               {"kind": "note", "body": "x"}, format="multipart")
    assert response.status_code == 415
