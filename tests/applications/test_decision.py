"""The casework after the completeness check: assignment, investigation, mentor checks, notes,
the proposal, the vote, and the decision with its recognition."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from werkplek.accounts.models import Membership, Role, User
from werkplek.applications import backoffice, services
from werkplek.applications.models import Application, ApplicationEvent, CaseNote
from werkplek.catalog.models import VoteRule
from werkplek.core.models import PersonalDataAccess
from werkplek.recognitions.models import Recognition


@pytest.fixture
def handler(demo_user):
    return demo_user("behandelaar-bouw")


@pytest.fixture
def in_progress(ready_draft, demo_user, handler):
    submitted = services.submit(actor=demo_user("werkgever"), application_id=ready_draft.pk)
    return backoffice.mark_complete(actor=handler, application_id=submitted.pk)


@pytest.fixture
def checked(in_progress, handler):
    entry = in_progress.mentors.get()
    backoffice.check_mentor(actor=handler, application_id=in_progress.pk, entry_id=entry.pk,
                            result="confirmed")
    in_progress.refresh_from_db()
    return in_progress


def _propose(application, handler, proposal="approve"):
    return backoffice.propose(actor=handler, application_id=application.pk,
                              version=application.version, proposal=proposal,
                              reasons="Alle voorwaarden zijn vervuld.")


def _member(partnership, role, username):
    user = User.objects.create_user(username=username, password="x", email=f"{username}@x.be",
                                    first_name=username.title())
    Membership.objects.create(user=user, role=role, partnership=partnership)
    return user


# Assignment -------------------------------------------------------------------------------------

def test_a_handler_takes_a_case_and_reassigns_it(in_progress, handler):
    colleague = _member(in_progress.partnership, Role.HANDLER, "collega")
    application = backoffice.assign(actor=handler, application_id=in_progress.pk)
    assert application.assigned_to == handler
    application = backoffice.assign(actor=handler, application_id=in_progress.pk,
                                    handler=colleague)
    assert application.assigned_to == colleague
    assert application.events.filter(kind=ApplicationEvent.Kind.ASSIGNED).count() == 2


def test_only_handlers_of_the_partnership_are_assigned(in_progress, handler, demo_user):
    with pytest.raises(ValidationError) as error:
        backoffice.assign(actor=handler, application_id=in_progress.pk,
                          handler=demo_user("behandelaar-vpdl"))
    assert "handler" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        backoffice.assign(actor=demo_user("behandelaar-vpdl"), application_id=in_progress.pk)


# Investigation ----------------------------------------------------------------------------------

def test_a_site_visit_is_recorded(in_progress, handler):
    step = backoffice.record_investigation(
        actor=handler, application_id=in_progress.pk, kind="site_visit",
        on=timezone.localdate(), participants="Zaakvoerder en mentor",
        findings="Werkplaats en veiligheidsuitrusting in orde.")
    assert step.recorded_by == handler
    assert in_progress.events.filter(kind=ApplicationEvent.Kind.INVESTIGATION).exists()


def test_an_investigation_step_needs_a_real_date_and_words(in_progress, handler):
    with pytest.raises(ValidationError) as error:
        backoffice.record_investigation(
            actor=handler, application_id=in_progress.pk, kind="visit",
            on=timezone.localdate() + timedelta(days=1), participants=" ", findings="")
    assert set(error.value.message_dict) == {"kind", "on", "participants", "findings"}
    with pytest.raises(ValidationError) as error:
        backoffice.record_investigation(
            actor=handler, application_id=in_progress.pk, kind="contact",
            on=date(2000, 1, 1), participants="x", findings="y")
    assert "before the application was submitted" in error.value.message_dict["on"][0]


def test_a_rejected_mentor_needs_a_reason(in_progress, handler):
    entry = in_progress.mentors.get()
    with pytest.raises(ValidationError) as error:
        backoffice.check_mentor(actor=handler, application_id=in_progress.pk,
                                entry_id=entry.pk, result="rejected", reason=" ")
    assert "reason" in error.value.message_dict
    entry = backoffice.check_mentor(actor=handler, application_id=in_progress.pk,
                                    entry_id=entry.pk, result="rejected",
                                    reason="Geen vijf jaar ervaring aangetoond.")
    assert entry.check_result == "rejected" and entry.checked_by == handler


def test_mentors_are_checked_only_during_the_investigation(ready_draft, demo_user, handler):
    submitted = services.submit(actor=demo_user("werkgever"), application_id=ready_draft.pk)
    with pytest.raises(ValidationError):
        backoffice.check_mentor(actor=handler, application_id=submitted.pk,
                                entry_id=submitted.mentors.get().pk, result="confirmed")


def test_revealing_a_national_number_is_recorded(in_progress, handler, demo_user):
    entry = in_progress.mentors.select_related("mentor").get()
    number = backoffice.reveal_national_number(actor=handler, application_id=in_progress.pk,
                                               entry_id=entry.pk)
    assert number.replace(".", "").replace("-", "") == entry.mentor.national_number
    access = PersonalDataAccess.objects.get()
    assert access.user == handler and access.subject == f"mentor:{entry.mentor_id}"
    with pytest.raises(PermissionDenied):
        backoffice.reveal_national_number(actor=demo_user("stemgerechtigde"),
                                          application_id=in_progress.pk, entry_id=entry.pk)
    assert PersonalDataAccess.objects.count() == 1


# Notes and messages -----------------------------------------------------------------------------

def test_an_internal_note_is_not_sent_and_a_message_is(in_progress, handler,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        backoffice.add_note(actor=handler, application_id=in_progress.pk, kind="note",
                            body="Bellen na het bezoek.")
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        backoffice.add_note(actor=handler, application_id=in_progress.pk, kind="message",
                            body="We komen op 3/12 langs.")
    assert len(callbacks) == 1
    assert in_progress.notes.filter(kind=CaseNote.Kind.MESSAGE).count() == 1
    with pytest.raises(ValidationError):
        backoffice.add_note(actor=handler, application_id=in_progress.pk, kind="note", body=" ")


def test_a_message_reaches_the_applicant_by_mail(in_progress, handler, mailoutbox):
    from werkplek.applications.tasks import send_notice

    backoffice.add_note(actor=handler, application_id=in_progress.pk, kind="message",
                        body="We komen op 3/12 langs.")
    event = in_progress.events.get(kind=ApplicationEvent.Kind.MESSAGE)
    send_notice.call(event.pk)
    send_notice.call(event.pk)  # a retry sends nothing twice
    assert len(mailoutbox) == len({m.to[0] for m in mailoutbox}) >= 1
    assert mailoutbox and all("We komen op 3/12 langs." in m.body for m in mailoutbox)
    assert any("spam" in m.body for m in mailoutbox)


# Proposal ---------------------------------------------------------------------------------------

def test_a_proposal_needs_every_mentor_checked_and_reasons(in_progress, handler):
    with pytest.raises(ValidationError) as error:
        backoffice.propose(actor=handler, application_id=in_progress.pk,
                           version=in_progress.version, proposal="approve", reasons="")
    assert "reasons" in error.value.message_dict
    assert "Jan Peeters" in error.value.message_dict["__all__"][0]


def test_an_approval_needs_a_confirmed_mentor(in_progress, handler):
    entry = in_progress.mentors.get()
    backoffice.check_mentor(actor=handler, application_id=in_progress.pk, entry_id=entry.pk,
                            result="rejected", reason="Te weinig ervaring.")
    in_progress.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        _propose(in_progress, handler)
    assert "proposal" in error.value.message_dict
    application = _propose(in_progress, handler, "refuse")
    assert application.state == Application.State.PROPOSED and application.proposal_round == 1


def test_a_page_out_of_date_changes_nothing(checked, handler):
    with pytest.raises(backoffice.StaleApplication):
        backoffice.propose(actor=handler, application_id=checked.pk,
                           version=checked.version - 1, proposal="approve", reasons="x")
    checked.refresh_from_db()
    assert checked.state == Application.State.IN_PROGRESS


# Vote -------------------------------------------------------------------------------------------

def test_the_only_voting_member_carries_the_proposal(checked, handler, demo_user):
    assert checked.partnership.requires_vote
    application = _propose(checked, handler)
    with pytest.raises(ValidationError):  # construction decides after a vote
        backoffice.decide(actor=handler, application_id=application.pk,
                          version=application.version, reasons="x")
    backoffice.cast_vote(actor=demo_user("stemgerechtigde"), application_id=application.pk,
                         in_favour=True, remark="Akkoord.")
    application.refresh_from_db()
    assert application.vote_outcome == "adopted" and application.vote_closed_at
    assert application.state == Application.State.PROPOSED


def test_a_tie_rejects_the_proposal_under_simple_majority(checked, handler, demo_user):
    second = _member(checked.partnership, Role.VOTER, "tweede")
    third = _member(checked.partnership, Role.VOTER, "derde")
    application = _propose(checked, handler)
    backoffice.cast_vote(actor=demo_user("stemgerechtigde"), application_id=application.pk,
                         in_favour=True)
    backoffice.cast_vote(actor=second, application_id=application.pk, in_favour=False)
    application.refresh_from_db()
    result = backoffice.tally(application)
    assert (result.in_favour, result.against, result.members, result.outcome) == (1, 1, 3, None)
    assert [u.username for u in result.voters_pending] == [third.username]
    with pytest.raises(ValidationError):
        backoffice.cast_vote(actor=second, application_id=application.pk, in_favour=True)
    application = backoffice.close_vote(actor=handler, application_id=application.pk,
                                        version=application.version)
    assert application.vote_outcome == "rejected"
    assert application.state == Application.State.IN_PROGRESS  # back to the investigation
    # A new proposal opens a new round in which everyone votes again.
    application = _propose(application, handler)
    assert application.proposal_round == 2 and backoffice.tally(application).cast == 0


@pytest.mark.parametrize(("rule", "votes", "outcome"), [
    (VoteRule.SIMPLE_MAJORITY, [True, True, False], "adopted"),
    (VoteRule.ABSOLUTE_MAJORITY, [True, True], "adopted"),      # 2 of 3 members
    (VoteRule.ABSOLUTE_MAJORITY, [True, False], None),          # not settled yet
    (VoteRule.UNANIMITY, [True, True, True], "adopted"),
    (VoteRule.UNANIMITY, [True, False], "rejected"),            # one against settles it
])
def test_the_partnerships_rule_decides_the_vote(checked, handler, demo_user, rule, votes,
                                                outcome):
    partnership = checked.partnership
    partnership.vote_rule = rule
    partnership.save()
    voters = [demo_user("stemgerechtigde"), _member(partnership, Role.VOTER, "tweede"),
              _member(partnership, Role.VOTER, "derde")]
    application = _propose(checked, handler)
    for voter, in_favour in zip(voters, votes, strict=False):
        application.refresh_from_db()
        if application.vote_closed_at:
            break
        backoffice.cast_vote(actor=voter, application_id=application.pk, in_favour=in_favour)
    application.refresh_from_db()
    assert (application.vote_outcome or None) == outcome


def test_only_voting_members_vote(checked, handler, demo_user):
    application = _propose(checked, handler)
    for username in ("behandelaar-bouw", "werkgever"):
        with pytest.raises(PermissionDenied):
            backoffice.cast_vote(actor=demo_user(username), application_id=application.pk,
                                 in_favour=True)


def test_closing_a_vote_needs_a_vote(checked, handler):
    application = _propose(checked, handler)
    with pytest.raises(ValidationError):
        backoffice.close_vote(actor=handler, application_id=application.pk,
                              version=application.version)


# Decision ---------------------------------------------------------------------------------------

def _adopted(application, handler, demo_user, proposal="approve"):
    application = _propose(application, handler, proposal)
    backoffice.cast_vote(actor=demo_user("stemgerechtigde"), application_id=application.pk,
                         in_favour=True)
    application.refresh_from_db()
    return application


def test_an_approval_creates_the_recognition_for_five_years(checked, handler, demo_user,
                                                            django_capture_on_commit_callbacks):
    application = _adopted(checked, handler, demo_user)
    with django_capture_on_commit_callbacks() as callbacks:
        application = backoffice.decide(actor=handler, application_id=application.pk,
                                        version=application.version,
                                        reasons="Alle voorwaarden zijn vervuld.")
    assert callbacks  # the letter and its e-mails follow through the task queue
    assert application.state == Application.State.APPROVED
    assert application.decision == "approve" and application.decided_by == handler
    recognition = Recognition.objects.get(application=application)
    today = timezone.localdate()
    assert recognition.valid_from == today
    assert recognition.valid_until == date(today.year + 5, today.month, today.day) - \
        timedelta(days=1)
    assert [m.last_name for m in recognition.mentors.all()] == ["Peeters"]
    assert (recognition.unit_id, recognition.programme_id) == (application.unit_id,
                                                               application.programme_id)


def test_only_confirmed_mentors_join_the_recognition(ready_draft, demo_user, handler):
    from werkplek.applications.models import ApplicationMentor

    lotte = ready_draft.enterprise.mentors.get(last_name="Janssens")
    second = ApplicationMentor.objects.create(application=ready_draft, mentor=lotte,
                                              years_of_experience=9,
                                              training=ApplicationMentor.Training.DONE)
    # Lotte lacks her extract; the partnership's check is what counts here, not submission.
    Application.objects.filter(pk=ready_draft.pk).update(state="in_progress",
                                                         partnership=_bouw(),
                                                         reference="WP-2026-999999")
    for entry, result in ((ready_draft.mentors.get(mentor__last_name="Peeters"), "confirmed"),
                          (second, "rejected")):
        backoffice.check_mentor(actor=handler, application_id=ready_draft.pk,
                                entry_id=entry.pk, result=result, reason="Geen uittreksel.")
    ready_draft.refresh_from_db()
    application = _adopted(ready_draft, handler, demo_user)
    backoffice.decide(actor=handler, application_id=application.pk,
                      version=application.version, reasons="x")
    assert [m.last_name for m in Recognition.objects.get().mentors.all()] == ["Peeters"]


def _bouw():
    from werkplek.catalog.models import Partnership

    return Partnership.objects.get(requires_vote=True)


def test_a_refusal_creates_no_recognition(checked, handler, demo_user):
    application = _adopted(checked, handler, demo_user, "refuse")
    application = backoffice.decide(actor=handler, application_id=application.pk,
                                    version=application.version,
                                    reasons="De werkplek biedt de activiteiten niet aan.")
    assert application.state == Application.State.REFUSED
    assert application.decision_reasons == "De werkplek biedt de activiteiten niet aan."
    assert not Recognition.objects.exists()


def test_a_decision_needs_reasons_and_is_final(checked, handler, demo_user):
    application = _adopted(checked, handler, demo_user)
    with pytest.raises(ValidationError) as error:
        backoffice.decide(actor=handler, application_id=application.pk,
                          version=application.version, reasons=" ")
    assert "reasons" in error.value.message_dict
    version = application.version
    backoffice.decide(actor=handler, application_id=application.pk, version=version,
                      reasons="In orde.")
    # A second handler who opened the page before the decision is told, and nothing changes.
    with pytest.raises(backoffice.StaleApplication) as error:
        backoffice.decide(actor=handler, application_id=application.pk, version=version,
                          reasons="In orde.")
    assert "Bart Behandelaar approved this application meanwhile" in error.value.messages[0]
    with pytest.raises(backoffice.StaleApplication):
        backoffice.decide(actor=handler, application_id=application.pk, version=None,
                          reasons="In orde.")
    assert Recognition.objects.count() == 1


def test_an_active_recognition_blocks_a_new_application(checked, handler, demo_user,
                                                         construction_unit, dakwerker):
    application = _adopted(checked, handler, demo_user)
    backoffice.decide(actor=handler, application_id=application.pk,
                      version=application.version, reasons="In orde.")
    from werkplek.applications import checks

    draft = services.create_draft(actor=demo_user("werkgever"),
                                  enterprise=application.enterprise)
    services.save_unit(actor=demo_user("werkgever"), application=draft, unit=construction_unit)
    services.save_programme(actor=demo_user("werkgever"), application=draft,
                            programme=dakwerker, activities_offered=[0])
    problems = checks.blocking_problems(draft)
    assert any("already recognised" in text for _section, text in problems)


# Mandate documents ------------------------------------------------------------------------------

@pytest.fixture
def filed_under_document(ready_draft, demo_user, demo_enterprise):
    from werkplek.enterprises.models import Mandate

    coach = demo_user("trajectbegeleider")
    mandate = Mandate.objects.create(
        enterprise=demo_enterprise, holder=coach, all_units=True, may_file_applications=True,
        valid_from=timezone.localdate(), valid_until=timezone.localdate() + timedelta(days=300),
        kind=Mandate.Kind.DOCUMENT, document_check=Mandate.DocumentCheck.PENDING,
        document_name="machtiging.pdf", content_type="application/pdf")
    Application.objects.filter(pk=ready_draft.pk).update(
        state="in_progress", partnership=_bouw(), reference="WP-2026-999998",
        created_by=coach, submitted_by=coach, filed_by="coach", submitted_at=timezone.now())
    ready_draft.refresh_from_db()
    return ready_draft, mandate


def test_the_partnership_accepts_or_rejects_the_mandate_document(filed_under_document,
                                                                  handler):
    application, mandate = filed_under_document
    assert backoffice.mandate_for(application).pk == mandate.pk
    with pytest.raises(ValidationError) as error:
        backoffice.check_mandate_document(actor=handler, application_id=application.pk,
                                          accepted=False, reason="")
    assert "reason" in error.value.message_dict
    backoffice.check_mandate_document(actor=handler, application_id=application.pk,
                                      accepted=True)
    mandate.refresh_from_db()
    assert mandate.document_check == "accepted" and mandate.document_checked_by == handler
    assert application.events.filter(kind=ApplicationEvent.Kind.MANDATE_CHECKED).exists()


def test_an_application_filed_by_the_enterprise_has_no_mandate_to_check(in_progress, handler):
    assert backoffice.mandate_for(in_progress) is None
    with pytest.raises(ValidationError):
        backoffice.check_mandate_document(actor=handler, application_id=in_progress.pk,
                                          accepted=True)


def test_no_proposal_where_a_vote_is_needed_but_nobody_can_vote(checked, handler):
    Membership.objects.filter(role=Role.VOTER, partnership=checked.partnership).update(
        is_active=False)
    with pytest.raises(ValidationError) as error:
        _propose(checked, handler)
    assert "has no voting members" in error.value.message_dict["__all__"][0]


def test_completion_is_not_asked_of_a_decided_case(checked, handler, demo_user, client):
    from django.urls import reverse

    application = _adopted(checked, handler, demo_user)
    backoffice.decide(actor=handler, application_id=application.pk,
                      version=application.version, reasons="In orde.")
    client.force_login(handler)
    response = client.get(reverse("applications:request_completion", args=[application.pk]))
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
