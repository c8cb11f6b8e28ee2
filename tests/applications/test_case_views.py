"""The case page (dossier) and its actions through the Django test client: who may open it and
do what, bad input explained with what was typed kept, the out-of-date page, the reveal of a
national register number, and what the applicant sees of the casework."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from werkplek.applications import backoffice, services
from werkplek.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationMentor,
    CaseNote,
    InvestigationStep,
)
from werkplek.core.models import PersonalDataAccess

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
JAN_CLEAR = "80.05.14-123.08"  # the demo mentor Jan Peeters, formatted


def url(name, application, *args):
    return reverse(f"applications:{name}", args=[application.pk, *args])


def client_for(demo_user, username) -> Client:
    client = Client(**EN)
    client.force_login(demo_user(username))
    return client


def page_text(response) -> str:
    return response.content.decode()


@pytest.fixture
def submitted(ready_draft, demo_user):
    return services.submit(actor=demo_user("werkgever"), application_id=ready_draft.pk)


@pytest.fixture
def in_progress(submitted, demo_user):
    return backoffice.mark_complete(actor=demo_user("behandelaar-bouw"),
                                    application_id=submitted.pk)


@pytest.fixture
def entry(in_progress):
    return in_progress.mentors.get()


@pytest.fixture
def proposed(in_progress, entry, demo_user):
    handler = demo_user("behandelaar-bouw")
    backoffice.check_mentor(actor=handler, application_id=in_progress.pk, entry_id=entry.pk,
                            result="confirmed", reason="")
    application = Application.objects.get(pk=in_progress.pk)
    return backoffice.propose(actor=handler, application_id=application.pk,
                              version=application.version, proposal="approve",
                              reasons="Alle voorwaarden zijn vervuld.")


@pytest.fixture
def handler(demo_user):
    return client_for(demo_user, "behandelaar-bouw")


# Who may open the case ------------------------------------------------------------------------

def test_the_handler_gets_the_case_page_also_from_the_application_link(handler, submitted):
    for name in ("case", "detail"):
        response = handler.get(url(name, submitted))
        assert response.status_code == 200
        assert "applications/case/page.html" in [t.name for t in response.templates]
        assert f"Case {submitted.reference}" in page_text(response)


@pytest.mark.parametrize("username", ["werkgever", "vertegenwoordiger", "behandelaar-vpdl",
                                      "stemgerechtigde", "beroepscommissie", "trajectbegeleider"])
def test_no_one_else_sees_that_the_case_exists(demo_user, submitted, username):
    assert client_for(demo_user, username).get(url("case", submitted)).status_code == 404


def test_the_applicant_keeps_the_status_page(demo_user, submitted):
    response = client_for(demo_user, "werkgever").get(url("detail", submitted))
    assert "applications/status.html" in [t.name for t in response.templates]


def test_a_draft_has_no_case(handler, ready_draft):
    assert handler.get(url("case", ready_draft)).status_code == 404


def test_anonymous_is_sent_to_log_in(submitted):
    response = Client().get(url("case", submitted))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_voter_reads_while_proposed_and_after_voting(demo_user, proposed):
    voter = client_for(demo_user, "stemgerechtigde")
    page = page_text(voter.get(url("case", proposed)))
    assert "You are a voting member" in page
    assert "Cast your vote" in page
    # Read-only: no handler actions, no reveal of national register numbers.
    for action in ("case_assign", "case_investigation", "case_note", "case_message",
                   "case_withdraw_proposal", "case_decide"):
        assert url(action, proposed) not in page
    assert "Show in full" not in page
    # A voting member opens the documents through the case.
    document = proposed.documents.first()
    assert url("case_document", proposed, document.pk) in page
    assert voter.get(url("case_document", proposed, document.pk)).status_code == 200
    # The application link also leads a voter to the case.
    assert "applications/case/page.html" in [
        t.name for t in voter.get(url("detail", proposed)).templates]
    # The only voting member votes against: the vote closes and the case goes back to the
    # investigation; the voter can still look back at it, read-only.
    voter.post(url("case_vote", proposed), {"vote-choice": "against", "vote-remark": ""})
    assert Application.objects.get(pk=proposed.pk).state == Application.State.IN_PROGRESS
    page = page_text(voter.get(url("case", proposed)))
    assert "You voted against the proposal on" in page
    assert url("case_propose", proposed) not in page


def test_the_voter_cannot_open_a_case_not_put_to_the_vote(demo_user, in_progress):
    assert client_for(demo_user, "stemgerechtigde").get(
        url("case", in_progress)).status_code == 404


# What each may do -----------------------------------------------------------------------------

HANDLER_ACTIONS = [
    ("case_assign", {"assign-me": "1"}),
    ("case_investigation", {"investigation-kind": "contact", "investigation-on_0": "1",
                            "investigation-on_1": "1", "investigation-on_2": "2020",
                            "investigation-participants": "x", "investigation-findings": "y"}),
    ("case_note", {"note-body": "x"}),
    ("case_message", {"message-body": "x"}),
    ("case_withdraw_proposal", {"withdraw-version": "1"}),
    ("case_close_vote", {"close-version": "1"}),
    ("case_decide", {"decision-version": "1", "decision-reasons": "x"}),
    ("case_propose", {"proposal-version": "1", "proposal-proposal": "approve",
                      "proposal-reasons": "x"}),
]


@pytest.mark.parametrize(("action", "data"), HANDLER_ACTIONS)
def test_a_voter_may_not_act_as_a_handler(demo_user, proposed, action, data):
    before = Application.objects.get(pk=proposed.pk).version
    response = client_for(demo_user, "stemgerechtigde").post(url(action, proposed), data)
    assert response.status_code == 403
    assert Application.objects.get(pk=proposed.pk).version == before


@pytest.mark.parametrize("username", ["werkgever", "behandelaar-vpdl", "beroepscommissie"])
@pytest.mark.parametrize(("action", "data"), [*HANDLER_ACTIONS,
                                              ("case_vote", {"vote-choice": "for"})])
def test_others_get_404_for_every_action(demo_user, proposed, username, action, data):
    response = client_for(demo_user, username).post(url(action, proposed), data)
    assert response.status_code == 404


def test_a_handler_may_not_vote(handler, proposed):
    response = handler.post(url("case_vote", proposed), {"vote-choice": "for"})
    assert response.status_code == 403
    assert not proposed.votes.exists()


def test_a_voter_may_not_check_a_mentor_or_reveal(demo_user, proposed, entry):
    voter = client_for(demo_user, "stemgerechtigde")
    assert voter.post(url("case_check_mentor", proposed, entry.pk),
                      {f"mentor-{entry.pk}-result": "confirmed"}).status_code == 403
    assert voter.post(url("case_reveal", proposed, entry.pk)).status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_actions_are_posts_only(handler, submitted, entry):
    # A GET (a reload, a login's `next`) changes nothing and lands on the case.
    for response in (handler.get(url("case_assign", submitted)),
                     handler.get(url("case_reveal", submitted, entry.pk))):
        assert response.status_code == 302
        assert response["Location"] == url("detail", submitted)
    assert not PersonalDataAccess.objects.exists()
    assert Application.objects.get(pk=submitted.pk).assigned_to is None


# The handler's journey ------------------------------------------------------------------------

def test_assign_to_me_and_reassign(handler, submitted, demo_user):
    response = handler.post(url("case_assign", submitted), {"assign-me": "1"}, follow=True)
    assert "The application is assigned to you." in page_text(response)
    submitted.refresh_from_db()
    assert submitted.assigned_to == demo_user("behandelaar-bouw")
    assert submitted.events.filter(kind=ApplicationEvent.Kind.ASSIGNED).count() == 1
    # A user who is no handler of the partnership is not in the list.
    voter = demo_user("stemgerechtigde")
    response = handler.post(url("case_assign", submitted), {"assign-handler": voter.pk})
    page = page_text(response)
    assert "Choose one of the case handlers in the list." in page
    assert "govuk-error-summary" in page and "<title>Error:" in page
    response = handler.post(url("case_assign", submitted), {"assign-handler": ""})
    assert "Choose the case handler to assign the application to." in page_text(response)


def test_the_completeness_check_is_on_the_case_page(handler, submitted):
    page = page_text(handler.get(url("case", submitted)))
    assert url("mark_complete", submitted) in page
    assert url("request_completion", submitted) in page
    response = handler.post(url("mark_complete", submitted), follow=True)
    assert response.redirect_chain[-1][0] == url("detail", submitted)
    assert "The application is complete and being handled." in page_text(response)
    assert url("mark_complete", submitted) not in page_text(response)


def test_investigation_bad_input_is_explained_and_kept(handler, in_progress):
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {"investigation-kind": "site_visit", "investigation-on_0": str(tomorrow.day),
            "investigation-on_1": str(tomorrow.month), "investigation-on_2": str(tomorrow.year),
            "investigation-participants": "Jan Peeters (mentor)",
            "investigation-findings": "Ladders en valbeveiliging in orde."}
    page = page_text(handler.post(url("case_investigation", in_progress), data))
    assert "The date cannot be in the future." in page
    assert 'href="#id_investigation-on_0"' in page  # the error summary links to the day box
    assert "Ladders en valbeveiliging in orde." in page and "Jan Peeters (mentor)" in page
    assert f'value="{tomorrow.year}"' in page
    page = page_text(handler.post(url("case_investigation", in_progress), {
        **data, "investigation-on_1": "", "investigation-on_2": ""}))
    assert "The date must include a month and a year." in page
    page = page_text(handler.post(url("case_investigation", in_progress), {
        **data, "investigation-on_0": "31", "investigation-on_1": "2",
        "investigation-on_2": "2026"}))
    assert "The date must be a real date" in page
    # A day beyond a C integer (it overflowed in `date()`: a server error).
    page = page_text(handler.post(url("case_investigation", in_progress), {
        **data, "investigation-on_0": "10000000000", "investigation-on_1": "2",
        "investigation-on_2": "2026"}))
    assert "The date must be a real date" in page
    page = page_text(handler.post(url("case_investigation", in_progress), {
        "investigation-participants": "", "investigation-findings": ""}))
    for message in ("Choose a contact or a site visit.", "Enter the date of the contact or visit.",
                    "Say who took part.", "Write down what was found."):
        assert message in page
    # Before the submission: the service's message lands on the date field.
    page = page_text(handler.post(url("case_investigation", in_progress), {
        **data, "investigation-on_0": "1", "investigation-on_1": "1",
        "investigation-on_2": "2020"}))
    assert "The date cannot be before the application was submitted" in page
    assert not InvestigationStep.objects.exists()
    today = timezone.localdate()
    response = handler.post(url("case_investigation", in_progress), {
        **data, "investigation-on_0": str(today.day), "investigation-on_1": str(today.month),
        "investigation-on_2": str(today.year)}, follow=True)
    assert f"The site visit of {today:%d/%m/%Y} is recorded." in page_text(response)
    step = InvestigationStep.objects.get()
    assert (step.kind, step.on, step.participants) == ("site_visit", today,
                                                        "Jan Peeters (mentor)")


def test_mentor_check_needs_a_reason_to_reject(handler, in_progress, entry):
    prefix = f"mentor-{entry.pk}"
    page = page_text(handler.post(url("case_check_mentor", in_progress, entry.pk),
                                  {f"{prefix}-result": "rejected", f"{prefix}-reason": " "}))
    assert "Give the reason why the mentor is rejected." in page
    assert "Does Jan Peeters meet the mentor conditions?" in page
    page = page_text(handler.post(url("case_check_mentor", in_progress, entry.pk), {}))
    assert "Choose whether you confirm or reject the mentor." in page
    response = handler.post(url("case_check_mentor", in_progress, entry.pk),
                            {f"{prefix}-result": "confirmed"}, follow=True)
    assert "Jan Peeters is confirmed as mentor." in page_text(response)
    entry.refresh_from_db()
    assert entry.check_result == ApplicationMentor.Check.CONFIRMED
    # A mentor of another application is not found here.
    assert handler.post(url("case_check_mentor", in_progress, 999999),
                        {"mentor-999999-result": "confirmed"}).status_code == 404


def test_the_mentor_check_waits_for_the_completeness_check(handler, submitted):
    entry = submitted.mentors.get()
    page = page_text(handler.get(url("case", submitted)))
    assert url("case_check_mentor", submitted, entry.pk) not in page
    page = page_text(handler.post(url("case_check_mentor", submitted, entry.pk),
                                  {f"mentor-{entry.pk}-result": "confirmed"}))
    assert "Mentors are checked during the investigation" in page


def test_propose_needs_checked_mentors_and_reasons(handler, in_progress, entry):
    version = Application.objects.get(pk=in_progress.pk).version
    page = page_text(handler.post(url("case_propose", in_progress), {
        "proposal-version": version, "proposal-proposal": "approve",
        "proposal-reasons": "Mijn motivering"}))
    assert "Check every mentor first. Not checked yet: Jan Peeters." in page
    assert "Mijn motivering" in page
    page = page_text(handler.post(url("case_propose", in_progress), {
        "proposal-version": version, "proposal-reasons": ""}))
    assert "Choose whether you propose to approve or to refuse." in page
    assert "Give the reasons of the proposal" in page
    assert Application.objects.get(pk=in_progress.pk).state == Application.State.IN_PROGRESS


def test_a_page_that_is_out_of_date_is_refused_with_the_current_data(handler, in_progress,
                                                                      entry, demo_user):
    version = Application.objects.get(pk=in_progress.pk).version
    # Meanwhile another handler confirms the mentor (the version goes up).
    backoffice.check_mentor(actor=demo_user("behandelaar-bouw"), application_id=in_progress.pk,
                            entry_id=entry.pk, result="confirmed")
    response = handler.post(url("case_propose", in_progress), {
        "proposal-version": version, "proposal-proposal": "approve",
        "proposal-reasons": "Mijn lange motivering"})
    assert response.status_code == 409
    page = page_text(response)
    assert "Someone else changed this application after you opened it." in page
    assert "Mijn lange motivering" in page  # what was typed is kept
    current = Application.objects.get(pk=in_progress.pk)
    assert f'name="proposal-version" value="{current.version}"' in page
    assert current.state == Application.State.IN_PROGRESS
    assert "Confirmed" in page  # the current data: the mentor is confirmed now


def test_propose_vote_close_and_decide(handler, demo_user, in_progress, entry):
    from werkplek.accounts.models import Membership, Role, User

    # A second voting member, so that one vote does not settle the vote by itself.
    second = User.objects.create_user("stemgerechtigde-2", first_name="Sara", last_name="Stem")
    Membership.objects.create(user=second, role=Role.VOTER, partnership=in_progress.partnership)
    handler.post(url("case_check_mentor", in_progress, entry.pk),
                 {f"mentor-{entry.pk}-result": "confirmed"})
    version = Application.objects.get(pk=in_progress.pk).version
    response = handler.post(url("case_propose", in_progress), {
        "proposal-version": version, "proposal-proposal": "approve",
        "proposal-reasons": "De werkplek voldoet."}, follow=True)
    page = page_text(response)
    assert "You proposed to approve the application." in page
    assert "The voting members can now vote on it." in page
    assert url("case_decide", in_progress) not in page  # a vote is needed first
    assert url("case_close_vote", in_progress) not in page  # nobody voted yet
    voter = client_for(demo_user, "stemgerechtigde")
    page = page_text(voter.post(url("case_vote", in_progress), {"vote-remark": "Goed"}))
    assert "Choose for or against the proposal." in page and "Goed" in page
    response = voter.post(url("case_vote", in_progress),
                          {"vote-choice": "for", "vote-remark": "Goed dossier"}, follow=True)
    page = page_text(response)
    assert "Your vote for the proposal is recorded." in page
    assert "You voted for the proposal on" in page and "Cast your vote" not in page
    assert "Goed dossier" in page
    page = page_text(handler.get(url("case", in_progress)))
    assert "1 of 2 voting members" in page and "Sara Stem" in page  # who did not vote yet
    version = Application.objects.get(pk=in_progress.pk).version
    response = handler.post(url("case_close_vote", in_progress), {"close-version": version},
                            follow=True)
    page = page_text(response)
    assert "The vote is closed: the proposal is adopted." in page
    assert url("case_decide", in_progress) in page
    assert "De werkplek voldoet." in page  # the reasons are prefilled
    version = Application.objects.get(pk=in_progress.pk).version
    page = page_text(handler.post(url("case_decide", in_progress), {
        "decision-version": version, "decision-reasons": ""}))
    assert "Give the reasons of the decision" in page
    response = handler.post(url("case_decide", in_progress), {
        "decision-version": version, "decision-reasons": "De werkplek voldoet."}, follow=True)
    page = page_text(response)
    application = Application.objects.get(pk=in_progress.pk)
    assert application.state == Application.State.APPROVED
    until = application.recognition.valid_until
    assert f"recognised until {until:%d/%m/%Y}" in page
    assert 'id="notifications"' in page  # the deliveries of the letter
    assert "Jan Peeters" in page
    # Deciding twice: the second sees that it was decided meanwhile.
    response = handler.post(url("case_decide", in_progress), {
        "decision-version": version, "decision-reasons": "Nog eens"})
    assert response.status_code == 409
    assert "approved this application meanwhile" in page_text(response)


def test_a_rejected_vote_sends_the_case_back(handler, demo_user, proposed):
    voter = client_for(demo_user, "stemgerechtigde")
    response = voter.post(url("case_vote", proposed), {"vote-choice": "against"}, follow=True)
    page = page_text(response)
    assert "Your vote against the proposal is recorded." in page
    assert "the proposal is rejected" in page
    page = page_text(handler.get(url("case", proposed)))
    assert "The voting members rejected the previous proposal." in page
    assert url("case_propose", proposed) in page


def test_withdraw_the_proposal(handler, proposed):
    response = handler.post(url("case_withdraw_proposal", proposed),
                            {"withdraw-version": proposed.version}, follow=True)
    assert "The proposal is withdrawn" in page_text(response)
    assert Application.objects.get(pk=proposed.pk).state == Application.State.IN_PROGRESS


def test_refusal_without_a_vote(handler, demo_user, in_progress, entry):
    in_progress.partnership.requires_vote = False
    in_progress.partnership.save()
    handler.post(url("case_check_mentor", in_progress, entry.pk),
                 {f"mentor-{entry.pk}-result": "rejected",
                  f"mentor-{entry.pk}-reason": "Geen uittreksel"})
    version = Application.objects.get(pk=in_progress.pk).version
    page = page_text(handler.post(url("case_propose", in_progress), {
        "proposal-version": version, "proposal-proposal": "approve",
        "proposal-reasons": "x"}))
    assert "An approval needs at least one confirmed mentor." in page
    handler.post(url("case_propose", in_progress), {
        "proposal-version": version, "proposal-proposal": "refuse",
        "proposal-reasons": "De mentor voldoet niet."})
    page = page_text(handler.get(url("case", in_progress)))
    assert 'id="vote"' not in page
    version = Application.objects.get(pk=in_progress.pk).version
    response = handler.post(url("case_decide", in_progress), {
        "decision-version": version, "decision-reasons": "De mentor voldoet niet."}, follow=True)
    assert "The application is refused." in page_text(response)
    # The applicant sees the decision, its reasons and the appeal route.
    page = page_text(client_for(demo_user, "werkgever").get(url("detail", in_progress)))
    assert "Your application is refused" in page
    assert "De mentor voldoet niet." in page
    until = timezone.localdate() + timedelta(days=10)
    assert f"at the latest on <strong>{until:%d/%m/%Y}</strong>" in page
    assert "Decision letter" in page


# Personal data --------------------------------------------------------------------------------

def test_the_national_number_is_revealed_once_on_a_post_and_logged(handler, submitted, demo_user):
    entry = submitted.mentors.get()
    page = page_text(handler.get(url("case", submitted)))
    assert "xx.xx.xx-xxx.08" in page
    assert JAN_CLEAR not in page and "80051412308" not in page
    response = handler.post(url("case_reveal", submitted, entry.pk))
    assert response.status_code == 200
    assert JAN_CLEAR in page_text(response)
    assert "no-store" in response["Cache-Control"]
    access = PersonalDataAccess.objects.get()
    assert access.user == demo_user("behandelaar-bouw")
    assert access.subject == f"mentor:{entry.mentor_id}"
    # Only that response: the page shows the masked number again.
    page = page_text(handler.get(url("case", submitted)))
    assert JAN_CLEAR not in page
    assert JAN_CLEAR not in response.request["PATH_INFO"]
    assert handler.post(url("case_reveal", submitted, 999999)).status_code == 404
    assert PersonalDataAccess.objects.count() == 1


# The applicant's side -------------------------------------------------------------------------

def test_the_applicant_sees_messages_but_never_internal_notes(handler, demo_user, in_progress,
                                                              entry):
    handler.post(url("case_note", in_progress), {"note-body": "Geheime inschatting"})
    response = handler.post(url("case_message", in_progress),
                            {"message-body": "Wanneer kunnen we langskomen?"}, follow=True)
    assert "Your message is sent to the applicant" in page_text(response)
    page = page_text(handler.post(url("case_note", in_progress), {"note-body": " "}))
    assert "Write the text of the note." in page
    page = page_text(handler.post(url("case_message", in_progress), {"message-body": ""}))
    assert "Write the text of the message." in page
    assert CaseNote.objects.filter(application=in_progress).count() == 2
    handler.post(url("case_assign", in_progress), {"assign-me": "1"})
    handler.post(url("case_check_mentor", in_progress, entry.pk),
                 {f"mentor-{entry.pk}-result": "confirmed"})
    case_page = page_text(handler.get(url("case", in_progress)))
    assert "Geheime inschatting" in case_page and "Wanneer kunnen we langskomen?" in case_page
    for username in ("werkgever", "vertegenwoordiger"):
        page = page_text(client_for(demo_user, username).get(url("detail", in_progress)))
        assert "Wanneer kunnen we langskomen?" in page
        assert "Geheime inschatting" not in page
        for kind in ApplicationEvent.INTERNAL_KINDS:
            assert str(ApplicationEvent.Kind(kind).label).capitalize() not in page, kind
        assert "Found complete" in page  # the public events are there


def test_the_applicant_sees_the_approval_and_the_recognition(handler, demo_user, proposed):
    voter = client_for(demo_user, "stemgerechtigde")
    voter.post(url("case_vote", proposed), {"vote-choice": "for"})
    application = Application.objects.get(pk=proposed.pk)
    handler.post(url("case_decide", proposed), {"decision-version": application.version,
                                                "decision-reasons": "In orde."})
    application.refresh_from_db()
    assert application.state == Application.State.APPROVED
    page = page_text(client_for(demo_user, "werkgever").get(url("detail", proposed)))
    recognition = application.recognition
    assert "Approved: your workplace is recognised" in page
    assert (f"from {recognition.valid_from:%d/%m/%Y} until {recognition.valid_until:%d/%m/%Y}"
            in page)
    assert "Werf en atelier Gent" in page and "Jan Peeters" in page and "In orde." in page
    assert "Decision letter" in page
    assert "can appeal" not in page


# Queries --------------------------------------------------------------------------------------

def test_the_case_page_runs_a_bounded_number_of_queries(handler, demo_user, proposed,
                                                        django_assert_max_num_queries):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert handler.get(url("case", proposed)).status_code == 200
        return len(queries)

    small = count()
    author = demo_user("behandelaar-bouw")
    ApplicationMentor.objects.create(
        application=proposed, mentor=proposed.enterprise.mentors.get(last_name="Janssens"),
        years_of_experience=4, training=ApplicationMentor.Training.WILL_FOLLOW)
    for i in range(15):
        CaseNote.objects.create(application=proposed, kind="note", body=f"n{i}", author=author)
        CaseNote.objects.create(application=proposed, kind="message", body=f"m{i}",
                                author=author)
        InvestigationStep.objects.create(application=proposed, kind="contact",
                                         on=timezone.localdate(), participants="p",
                                         findings="f", recorded_by=author)
        ApplicationEvent.objects.create(application=proposed, kind="investigation",
                                        actor=author)
    assert count() == small, small
    with django_assert_max_num_queries(25):
        handler.get(url("case", proposed))


# A coach's application under a signed mandate document ---------------------------------------

def test_the_handler_checks_the_mandate_document(handler, demo_user, demo_enterprise,
                                                 construction_unit, dakwerker):
    from werkplek.enterprises.models import Mandate

    from .test_views import fill_in, pdf

    coach = client_for(demo_user, "trajectbegeleider")
    response = coach.post(reverse("applications:start"), {
        "enterprise_number": "0412.345.614", "mandate_document": pdf("machtiging.pdf"),
        "mandate_valid_until": "31/12/2030"})
    application = Application.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    fill_in(coach, application, construction_unit, dakwerker,
            demo_enterprise.mentors.get(last_name="Peeters"))
    coach.post(url("submit", application))
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED
    page = page_text(handler.get(url("case", application)))
    assert 'id="mandate"' in page and "a learner coach, filed this application" in page
    assert "To be checked" in page
    download = handler.get(url("case_mandate_document", application))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert client_for(demo_user, "werkgever").get(
        url("case_mandate_document", application)).status_code == 404
    page = page_text(handler.post(url("case_check_mandate", application),
                                  {"mandate-decision": "reject", "mandate-reason": ""}))
    assert "Give the reason why the mandate document is rejected." in page
    response = handler.post(url("case_check_mandate", application), {
        "mandate-decision": "reject", "mandate-reason": "Niet ondertekend"}, follow=True)
    assert "The mandate document is rejected." in page_text(response)
    mandate = Mandate.objects.get(holder=demo_user("trajectbegeleider"))
    assert mandate.document_check == Mandate.DocumentCheck.REJECTED
    assert mandate.document_check_reason == "Niet ondertekend"
    # The rejected document no longer counts as a mandate: the case says so.
    assert "No valid mandate of the enterprise" in page_text(handler.get(url("case", application)))


def test_no_mandate_section_when_the_enterprise_files(handler, submitted):
    page = page_text(handler.get(url("case", submitted)))
    assert 'id="mandate"' not in page
    assert handler.get(url("case_mandate_document", submitted)).status_code == 404
    response = handler.post(url("case_check_mandate", submitted), {"mandate-decision": "accept"})
    assert "This application was not filed under a mandate document." in page_text(response)


def test_no_voter_access_where_the_partnership_decides_without_a_vote(demo_user, proposed):
    proposed.partnership.requires_vote = False
    proposed.partnership.save()
    assert client_for(demo_user, "stemgerechtigde").get(url("case", proposed)).status_code == 404
