"""The services of a recognition's life: renewal, the end of the validity, mentors, monitoring
and every sanction's effects on recognitions and agreements."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from werkplek.agreements.models import Agreement, AgreementEvent
from werkplek.applications.models import Application, ApplicationMentor
from werkplek.recognitions import services
from werkplek.recognitions.models import (
    Recognition,
    RecognitionEvent,
    Sanction,
    SupportAction,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def today():
    return timezone.localdate()


def _upload():
    from werkplek.core.uploads import validate_upload

    upload = SimpleUploadedFile("uittreksel.pdf", PDF, content_type="application/pdf")
    upload.checked = validate_upload(upload)
    upload.seek(0)
    return upload


def _failed_action(recognition, handler):
    action = services.open_support_action(actor=handler, recognition_id=recognition.pk,
                                          improvement="Mentor opleiden.",
                                          due_on=today() + timedelta(days=30))
    SupportAction.objects.filter(pk=action.pk).update(due_on=today())
    return services.follow_up_support_action(actor=handler, action_id=action.pk, met=False,
                                             note="Niet gevolgd.")


def _approved_application(recognition, employer, **extra):
    return Application.objects.create(
        enterprise=recognition.enterprise, unit=recognition.unit,
        programme=recognition.programme, partnership=recognition.partnership,
        created_by=employer, state=Application.State.APPROVED, **extra)


# Renewal ----------------------------------------------------------------------------------------

def test_a_renewal_opens_six_months_before_the_end(make_recognition, employer):
    recognition = make_recognition(valid_from=today() - timedelta(days=100))
    problem = services.renewal_problem(recognition)
    assert problem.startswith("A renewal can be asked from")
    with pytest.raises(ValidationError):
        services.start_renewal(actor=employer, recognition_id=recognition.pk)


def test_a_renewal_draft_is_prefilled_from_the_recognition(make_recognition, employer, peeters):
    recognition = make_recognition(valid_from=date(2022, 3, 1))  # ends 28/02/2027
    draft = services.start_renewal(actor=employer, recognition_id=recognition.pk)
    assert draft.state == Application.State.DRAFT
    assert (draft.unit, draft.programme, draft.renews) == (recognition.unit,
                                                           recognition.programme, recognition)
    assert [entry.mentor for entry in draft.mentors.all()] == [peeters]
    assert "already been started" in services.renewal_problem(recognition)


def test_a_coach_without_mandate_may_not_renew(make_recognition, demo_user):
    recognition = make_recognition(valid_from=date(2022, 3, 1))
    with pytest.raises(PermissionDenied):
        services.start_renewal(actor=demo_user("trajectbegeleider"),
                               recognition_id=recognition.pk)


def test_an_approved_renewal_continues_without_a_gap(make_recognition, make_agreement, employer,
                                                     handler, peeters):
    recognition = make_recognition(valid_from=date(2022, 3, 1))  # ends 28/02/2027
    agreement = make_agreement(recognition, peeters)
    application = _approved_application(recognition, employer, renews=recognition)
    successor = services.grant(actor=handler, application=application, mentors=[peeters])
    recognition.refresh_from_db()
    assert recognition.state == Recognition.State.RENEWED
    assert recognition.in_force()  # still in force until its own last day
    assert successor.valid_from == date(2027, 3, 1)
    assert successor.valid_until == date(2032, 2, 29)
    assert successor.previous == recognition
    agreement.refresh_from_db()
    assert agreement.recognition == successor
    assert recognition.register_state() == "renewed"
    # Peeters continues as mentor: the day he became one is kept (the training deadline counts
    # from it).
    assert successor.mentor_links.get(mentor=peeters).since == date(2022, 3, 1)
    # A renewed recognition is no longer reminded nor expired.
    assert services.send_end_reminders(today=date(2027, 1, 15)) == 0


def test_a_second_recognition_for_the_same_unit_and_programme_is_refused(recognition, employer,
                                                                         handler, peeters):
    application = _approved_application(recognition, employer)
    with pytest.raises(ValidationError, match="already recognised"):
        services.grant(actor=handler, application=application, mentors=[peeters])


# The end of the validity -------------------------------------------------------------------------

def test_reminders_go_six_and_two_months_before_the_end_once_each(make_recognition):
    recognition = make_recognition(valid_from=date(2022, 6, 1))  # ends 31/05/2027
    # Six months before 31 May is 30 November (November has no 31st).
    assert services.send_end_reminders(today=date(2026, 11, 29)) == 0
    assert services.send_end_reminders(today=date(2026, 11, 30)) == 1
    assert services.send_end_reminders(today=date(2026, 11, 30)) == 0   # run again: nothing
    assert services.send_end_reminders(today=date(2027, 3, 30)) == 0
    assert services.send_end_reminders(today=date(2027, 3, 31)) == 1    # 2 months before
    assert services.send_end_reminders(today=date(2027, 4, 2)) == 0
    reminders = recognition.events.filter(kind=RecognitionEvent.Kind.REMINDER)
    assert [event.data["months"] for event in reminders] == [6, 2]


def test_a_late_start_sends_only_the_nearest_reminder(make_recognition):
    recognition = make_recognition(valid_from=date(2022, 6, 1))  # ends 31/05/2027
    assert services.send_end_reminders(today=date(2027, 4, 15)) == 1
    recognition.refresh_from_db()
    assert recognition.reminded_2m_on == recognition.reminded_6m_on == date(2027, 4, 15)
    assert services.send_end_reminders(today=date(2027, 4, 16)) == 0


def test_the_reminder_at_the_end_of_a_month_reaches_a_longer_month(make_recognition):
    # Ends 31/08/2027: six months before is 28/02/2027 (February is shorter).
    make_recognition(valid_from=date(2022, 9, 1))
    assert services.send_end_reminders(today=date(2027, 2, 27)) == 0
    assert services.send_end_reminders(today=date(2027, 2, 28)) == 1


def test_a_recognition_expires_the_day_after_its_last_day(make_recognition, make_agreement,
                                                          peeters):
    recognition = make_recognition(valid_from=date(2021, 12, 1))  # ends 30/11/2026
    running = make_agreement(recognition, peeters, end_in_days=200)
    assert services.expire_recognitions(today=date(2026, 11, 30)) == 0
    assert services.expire_recognitions(today=date(2026, 12, 1)) == 1
    assert services.expire_recognitions(today=date(2026, 12, 1)) == 0
    recognition.refresh_from_db()
    assert recognition.state == Recognition.State.EXPIRED
    assert recognition.ended_on == date(2026, 11, 30)
    running.refresh_from_db()
    assert running.state == Agreement.State.ENDED_EARLY
    assert running.end_reason == Agreement.EndReason.RECOGNITION_END
    assert running.ended_on == date(2026, 11, 30)
    assert recognition.events.filter(kind=RecognitionEvent.Kind.EXPIRED).count() == 1


# Mentors ----------------------------------------------------------------------------------------

def test_a_mentor_who_meets_the_conditions_is_added(recognition, employer, make_mentor):
    claes = make_mentor()
    link = services.add_mentor(actor=employer, recognition_id=recognition.pk, mentor=claes,
                               years_of_experience=12, training="done", extract=_upload())
    assert link.is_active and link.documents.count() == 1
    assert recognition.events.filter(kind=RecognitionEvent.Kind.MENTOR_ADDED).exists()


def test_a_mentor_who_does_not_meet_the_conditions_is_refused_with_reasons(recognition,
                                                                           employer, make_mentor):
    young = make_mentor(birth_date=today() - timedelta(days=20 * 365))
    with pytest.raises(ValidationError) as error:
        services.add_mentor(actor=employer, recognition_id=recognition.pk, mentor=young,
                            years_of_experience=2, training="done")
    text = " ".join(error.value.messages)
    assert "age" in text.lower() and "extract" in text.lower()
    assert not recognition.mentor_links.filter(mentor=young).exists()


def test_replacing_a_mentor_moves_the_running_agreements(recognition, employer, make_mentor,
                                                         make_agreement, peeters):
    agreement = make_agreement(recognition, peeters)
    claes = make_mentor()
    old = recognition.mentor_links.get(mentor=peeters)
    services.add_mentor(actor=employer, recognition_id=recognition.pk, mentor=claes,
                        years_of_experience=12, training="done", extract=_upload(),
                        replaces_link_id=old.pk)
    old.refresh_from_db()
    agreement.refresh_from_db()
    assert not old.is_active and agreement.mentor == claes
    assert agreement.events.filter(kind=AgreementEvent.Kind.MENTOR_CHANGED).exists()


def test_a_mentor_who_coaches_cannot_simply_be_deactivated(recognition, employer,
                                                          make_agreement, peeters):
    make_agreement(recognition, peeters)
    link = recognition.mentor_links.get(mentor=peeters)
    with pytest.raises(ValidationError, match="replace"):
        services.deactivate_mentor(actor=employer, recognition_id=recognition.pk,
                                   link_id=link.pk)


def test_only_the_enterprise_changes_mentors(recognition, handler, make_mentor):
    with pytest.raises(PermissionDenied):
        services.add_mentor(actor=handler, recognition_id=recognition.pk, mentor=make_mentor(),
                            years_of_experience=12, training="done", extract=_upload())


# Monitoring -------------------------------------------------------------------------------------

def test_a_finding_and_a_support_action_the_enterprise_answers(recognition, handler, employer):
    finding = services.record_finding(actor=handler, recognition_id=recognition.pk,
                                      kind="complaint", on=today(), outcome="not_met",
                                      condition="mentor", description="Geen begeleiding.")
    action = services.open_support_action(actor=handler, recognition_id=recognition.pk,
                                          improvement="Wekelijks overleg met de leerling.",
                                          due_on=today() + timedelta(days=30),
                                          finding_id=finding.pk)
    services.answer_support_action(actor=employer, action_id=action.pk,
                                   answer="Overleg staat elke maandag gepland.")
    action.refresh_from_db()
    assert action.state == SupportAction.State.ANSWERED and action.finding == finding
    with pytest.raises(ValidationError, match="until"):
        services.follow_up_support_action(actor=handler, action_id=action.pk, met=False,
                                          note="Niet verbeterd.")
    services.follow_up_support_action(actor=handler, action_id=action.pk, met=True,
                                      note="In orde.")
    action.refresh_from_db()
    assert action.state == SupportAction.State.MET


def test_findings_need_a_past_date_and_words(recognition, handler):
    with pytest.raises(ValidationError) as error:
        services.record_finding(actor=handler, recognition_id=recognition.pk, kind="check",
                                on=today() + timedelta(days=1), outcome="met", description=" ")
    assert set(error.value.message_dict) == {"on", "description"}


def test_support_actions_due_are_flagged_once(recognition, handler):
    action = services.open_support_action(actor=handler, recognition_id=recognition.pk,
                                          improvement="X", due_on=today() + timedelta(days=5))
    assert services.remind_support_follow_ups(today=today()) == 0
    assert services.remind_support_follow_ups(today=action.due_on) == 1
    assert services.remind_support_follow_ups(today=action.due_on) == 0


# Sanctions --------------------------------------------------------------------------------------

def test_a_sanction_needs_a_failed_support_action_first(recognition, handler):
    action = services.open_support_action(actor=handler, recognition_id=recognition.pk,
                                          improvement="X", due_on=today() + timedelta(days=5))
    with pytest.raises(ValidationError, match="support action"):
        services.impose_sanction(actor=handler, support_action_id=action.pk,
                                 kind="withdrawal", reasons="Ernstig.")


def test_only_a_handler_of_the_partnership_imposes_a_sanction(recognition, handler, demo_user):
    action = _failed_action(recognition, handler)
    for someone in (demo_user("werkgever"), demo_user("behandelaar-vpdl")):
        with pytest.raises(PermissionDenied):
            services.impose_sanction(actor=someone, support_action_id=action.pk,
                                     kind="withdrawal", reasons="Ernstig.")


def test_a_withdrawal_ends_the_recognition_and_its_agreements(recognition, handler,
                                                              make_agreement, peeters):
    running = make_agreement(recognition, peeters)
    action = _failed_action(recognition, handler)
    sanction = services.impose_sanction(actor=handler, support_action_id=action.pk,
                                        kind="withdrawal", reasons="Voorwaarden niet vervuld.")
    recognition.refresh_from_db()
    running.refresh_from_db()
    assert recognition.state == Recognition.State.WITHDRAWN
    assert recognition.ended_by == sanction and recognition.ended_on == today()
    assert running.state == Agreement.State.ENDED_EARLY
    assert running.end_reason == Agreement.EndReason.WITHDRAWAL and running.ended_by == sanction
    assert sanction.reference.startswith(f"S-{today().year}-")
    assert sanction.effects["agreements_ended"] == [running.pk]
    assert sanction.letters.get().kind == "sanction"


def test_a_mentor_ban_reassigns_or_ends_agreements(make_recognition, handler, make_agreement,
                                                   make_mentor, peeters, demo_enterprise):
    from werkplek.catalog.models import Programme

    claes = make_mentor()
    recognition = make_recognition(mentors=[peeters, claes])
    other_programme = Programme.objects.filter(sector=recognition.programme.sector).exclude(
        pk=recognition.programme_id).first()
    other = make_recognition(programme=other_programme, mentors=[peeters])
    here = make_agreement(recognition, peeters)
    there = make_agreement(other, peeters)
    action = _failed_action(recognition, handler)
    sanction = services.impose_sanction(
        actor=handler, support_action_id=action.pk, kind="mentor_ban", reasons="Ongepast.",
        mentor_id=peeters.pk, programme_ids=[recognition.programme_id, other_programme.pk],
        replacement_mentor_id=claes.pk)
    here.refresh_from_db()
    there.refresh_from_db()
    assert here.mentor == claes and here.state == Agreement.State.ACTIVE
    assert there.state == Agreement.State.ENDED_EARLY
    assert there.end_reason == Agreement.EndReason.MENTOR_BAN
    assert not other.mentor_links.get().is_active
    # The banned mentor cannot come back for these programmes.
    assert services.banned_programme_ids(peeters.pk) == {recognition.programme_id,
                                                         other_programme.pk}
    assert sanction.effects["agreements_reassigned"][0]["to_mentor"] == claes.pk


def test_an_exclusion_of_the_enterprise_ends_all_its_recognitions_and_blocks_applications(
        make_recognition, handler, make_agreement, peeters, demo_enterprise, employer):
    from werkplek.applications import checks
    from werkplek.catalog.models import Programme

    recognition = make_recognition()
    other_unit = demo_enterprise.units.exclude(pk=recognition.unit_id).first()
    elsewhere = make_recognition(unit=other_unit, programme=Programme.objects.exclude(
        pk=recognition.programme_id).first())
    agreement = make_agreement(elsewhere, peeters)
    action = _failed_action(recognition, handler)
    ends = today() + timedelta(days=90)
    services.impose_sanction(actor=handler, support_action_id=action.pk, kind="exclusion",
                             reasons="Herhaalde inbreuken.", whole_enterprise=True, ends_on=ends)
    for item in (recognition, elsewhere, agreement):
        item.refresh_from_db()
    assert recognition.state == elsewhere.state == Recognition.State.EXCLUDED
    assert agreement.end_reason == Agreement.EndReason.EXCLUSION
    draft = Application.objects.create(enterprise=demo_enterprise, unit=other_unit,
                                       programme=recognition.programme, created_by=employer)
    problems = [text for _section, text in checks.blocking_problems(draft)]
    assert any("excluded until" in text for text in problems)
    # After its end the exclusion ends; the recognitions stay ended.
    assert services.end_exclusions(today=ends) == 0
    assert services.end_exclusions(today=ends + timedelta(days=1)) == 1
    assert services.exclusion_in_force(enterprise_id=demo_enterprise.pk) is None


def test_an_exclusion_of_a_unit_leaves_other_units_alone(make_recognition, handler,
                                                         demo_enterprise):
    from werkplek.catalog.models import Programme

    recognition = make_recognition()
    other_unit = demo_enterprise.units.exclude(pk=recognition.unit_id).first()
    elsewhere = make_recognition(unit=other_unit, programme=Programme.objects.exclude(
        pk=recognition.programme_id).first())
    action = _failed_action(recognition, handler)
    sanction = services.impose_sanction(actor=handler, support_action_id=action.pk,
                                        kind="exclusion", reasons="Onveilig.")
    assert sanction.is_definitive and sanction.unit == recognition.unit
    elsewhere.refresh_from_db()
    assert elsewhere.state == Recognition.State.ACTIVE


def test_lifting_a_withdrawal_restores_the_recognition_and_its_agreements(
        recognition, handler, make_agreement, peeters, demo_user):
    running = make_agreement(recognition, peeters)
    action = _failed_action(recognition, handler)
    sanction = services.impose_sanction(actor=handler, support_action_id=action.pk,
                                        kind="withdrawal", reasons="Ernstig.")
    services.lift_sanction(actor=demo_user("beroepscommissie"), sanction_id=sanction.pk,
                           reasons="Beroep gegrond.")
    for item in (recognition, running, sanction):
        item.refresh_from_db()
    assert recognition.state == Recognition.State.ACTIVE and recognition.ended_on is None
    assert running.state == Agreement.State.ACTIVE
    assert sanction.state == Sanction.State.LIFTED
    assert sanction.effects["reversed"]["recognitions"] == [recognition.pk]


def test_a_lifted_withdrawal_stays_ended_when_another_recognition_took_its_place(
        recognition, handler, make_recognition, demo_user):
    action = _failed_action(recognition, handler)
    sanction = services.impose_sanction(actor=handler, support_action_id=action.pk,
                                        kind="withdrawal", reasons="Ernstig.")
    make_recognition()  # granted again meanwhile
    services.lift_sanction(actor=demo_user("beroepscommissie"), sanction_id=sanction.pk,
                           reasons="Beroep gegrond.")
    recognition.refresh_from_db()
    sanction.refresh_from_db()
    assert recognition.state == Recognition.State.WITHDRAWN
    assert sanction.effects["reversed"]["not_restored"] == [recognition.pk]


def test_a_renewal_is_blocked_for_a_banned_mentor(make_recognition, handler, make_mentor,
                                                  employer, peeters):
    from werkplek.applications import checks

    claes = make_mentor()
    recognition = make_recognition(mentors=[peeters, claes], valid_from=date(2022, 3, 1))
    action = _failed_action(recognition, handler)
    services.impose_sanction(actor=handler, support_action_id=action.pk, kind="mentor_ban",
                             reasons="Ongepast.", mentor_id=peeters.pk,
                             programme_ids=[recognition.programme_id])
    draft = services.start_renewal(actor=employer, recognition_id=recognition.pk)
    assert [e.mentor for e in draft.mentors.all()] == [claes]
    ApplicationMentor.objects.create(application=draft, mentor=peeters, years_of_experience=20,
                                     training="done")
    problems = [text for _section, text in checks.blocking_problems(draft)]
    assert any("mentor ban" in text for text in problems)


def test_a_renewal_keeps_its_unit_and_programme(make_recognition, employer, demo_enterprise):
    from werkplek.applications import services as applications
    from werkplek.catalog.models import Programme

    recognition = make_recognition(valid_from=date(2022, 3, 1))
    draft = services.start_renewal(actor=employer, recognition_id=recognition.pk)
    other_unit = demo_enterprise.units.exclude(pk=recognition.unit_id).first()
    with pytest.raises(ValidationError, match="renewal"):
        applications.save_unit(actor=employer, application=draft, unit=other_unit)
    with pytest.raises(ValidationError, match="renewal"):
        applications.save_programme(actor=employer, application=draft,
                                    programme=Programme.objects.exclude(
                                        pk=recognition.programme_id).first(),
                                    activities_offered=None)


def test_lifting_a_mentor_ban_gives_the_agreements_back(make_recognition, handler,
                                                        make_agreement, make_mentor, peeters,
                                                        demo_user):
    claes = make_mentor()
    recognition = make_recognition(mentors=[peeters, claes])
    agreement = make_agreement(recognition, peeters)
    action = _failed_action(recognition, handler)
    sanction = services.impose_sanction(
        actor=handler, support_action_id=action.pk, kind="mentor_ban", reasons="Ongepast.",
        mentor_id=peeters.pk, programme_ids=[recognition.programme_id],
        replacement_mentor_id=claes.pk)
    services.lift_sanction(actor=demo_user("beroepscommissie"), sanction_id=sanction.pk,
                           reasons="Beroep gegrond.")
    agreement.refresh_from_db()
    assert agreement.mentor == peeters
    assert recognition.mentor_links.get(mentor=peeters).is_active
    assert services.banned_programme_ids(peeters.pk) == set()


def test_a_draft_ended_by_a_sanction_is_a_draft_again_when_lifted(recognition, handler,
                                                                  make_agreement, peeters,
                                                                  demo_user):
    draft = make_agreement(recognition, peeters, state="draft")
    action = _failed_action(recognition, handler)
    sanction = services.impose_sanction(actor=handler, support_action_id=action.pk,
                                        kind="withdrawal", reasons="Ernstig.")
    draft.refresh_from_db()
    assert draft.state == Agreement.State.ENDED_EARLY
    services.lift_sanction(actor=demo_user("beroepscommissie"), sanction_id=sanction.pk,
                           reasons="Beroep gegrond.")
    draft.refresh_from_db()
    assert draft.state == Agreement.State.DRAFT


def test_no_recognition_is_granted_during_an_exclusion_nor_to_a_banned_mentor(
        make_recognition, handler, employer, make_mentor, peeters, demo_enterprise):
    from werkplek.catalog.models import Programme

    claes = make_mentor()
    recognition = make_recognition(mentors=[peeters, claes])
    action = _failed_action(recognition, handler)
    services.impose_sanction(actor=handler, support_action_id=action.pk, kind="mentor_ban",
                             reasons="Ongepast.", mentor_id=peeters.pk,
                             programme_ids=[recognition.programme_id])
    Recognition.objects.filter(pk=recognition.pk).update(state=Recognition.State.EXPIRED)
    application = _approved_application(recognition, employer)
    with pytest.raises(ValidationError, match="mentor ban"):
        services.grant(actor=handler, application=application, mentors=[peeters])
    granted = services.grant(actor=handler, application=application, mentors=[peeters, claes])
    assert [link.mentor for link in granted.mentor_links.all()] == [claes]
    # An exclusion of the unit: nothing more is granted there.
    action = _failed_action(granted, handler)
    services.impose_sanction(actor=handler, support_action_id=action.pk, kind="exclusion",
                             reasons="Onveilig.")
    other = _approved_application(granted, employer)
    Application.objects.filter(pk=other.pk).update(
        programme=Programme.objects.exclude(pk=recognition.programme_id).first())
    other.refresh_from_db()
    with pytest.raises(ValidationError, match="excluded"):
        services.grant(actor=handler, application=other, mentors=[claes])


def test_the_end_of_an_exclusion_is_told_to_the_enterprise(recognition, handler):
    from werkplek.notices.models import Delivery

    action = _failed_action(recognition, handler)
    sanction = services.impose_sanction(actor=handler, support_action_id=action.pk,
                                        kind="exclusion", reasons="Onveilig.",
                                        ends_on=today() + timedelta(days=30))
    assert services.exclusion_in_force(enterprise_id=recognition.enterprise_id,
                                       unit_id=recognition.unit_id) == sanction
    # Past its end it no longer counts, even before the daily job ran.
    assert services.exclusion_in_force(enterprise_id=recognition.enterprise_id,
                                       unit_id=recognition.unit_id,
                                       today=today() + timedelta(days=31)) is None
    assert services.end_exclusions(today=today() + timedelta(days=31)) == 1
    event = recognition.events.get(kind=RecognitionEvent.Kind.SANCTION_ENDED)
    assert event.data["reference"] == sanction.reference
    # The e-mail goes out through the task queue (one delivery per address, created there).
    assert Delivery.Purpose.EXCLUSION_ENDED in Delivery.RECOGNITION_PURPOSES


def test_a_recognition_is_expiring_from_the_day_of_its_6_month_reminder(make_recognition):
    recognition = make_recognition(valid_from=date(2022, 6, 1))  # ends 31/05/2027
    assert recognition.register_state(today=date(2026, 11, 29)) == "active"
    assert recognition.register_state(today=date(2026, 11, 30)) == "expiring"


def test_a_renewal_copies_the_documents_but_not_the_declaration(make_recognition, employer,
                                                                peeters):
    from werkplek.applications.models import Document

    recognition = make_recognition(valid_from=date(2022, 3, 1))
    source = _approved_application(recognition, employer)
    entry = ApplicationMentor.objects.create(application=source, mentor=peeters,
                                             years_of_experience=20, training="done")
    for kind, mentor in ((Document.Kind.CRIMINAL_RECORD_EXTRACT, entry),
                         (Document.Kind.DECLARATION_ON_HONOUR, None)):
        Document(application=source, kind=kind, mentor=mentor).store(_upload(), actor=employer)
    Recognition.objects.filter(pk=recognition.pk).update(application=source)
    draft = services.start_renewal(actor=employer, recognition_id=recognition.pk)
    copies = list(draft.documents.all())
    assert [d.kind for d in copies] == [Document.Kind.CRIMINAL_RECORD_EXTRACT]
    original = source.documents.get(kind=Document.Kind.CRIMINAL_RECORD_EXTRACT)
    assert copies[0].file.name != original.file.name
    assert copies[0].sha256 == original.sha256
    assert copies[0].mentor.mentor == peeters
    assert draft.mentors.get().years_of_experience == 20


def test_a_replacement_mentor_at_the_cap_is_refused(make_recognition, handler, make_agreement,
                                                    make_mentor, peeters):
    claes = make_mentor()
    recognition = make_recognition(mentors=[peeters, claes])  # construction: 1 learner at once
    moving = make_agreement(recognition, peeters)
    make_agreement(recognition, claes)
    action = _failed_action(recognition, handler)
    with pytest.raises(ValidationError) as error:
        services.impose_sanction(
            actor=handler, support_action_id=action.pk, kind="mentor_ban", reasons="Ongepast.",
            mentor_id=peeters.pk, programme_ids=[recognition.programme_id],
            replacement_mentor_id=claes.pk)
    assert "replacement_mentor" in error.value.message_dict
    assert "at a time" in " ".join(error.value.message_dict["replacement_mentor"])
    moving.refresh_from_db()
    assert moving.mentor == peeters and not Sanction.objects.exists()


def test_an_agreement_is_not_restored_when_its_mentor_has_no_room_left(
        make_recognition, handler, make_agreement, make_mentor, peeters, demo_user):
    from werkplek.catalog.models import Programme

    recognition = make_recognition()
    first = make_agreement(recognition, peeters)
    action = _failed_action(recognition, handler)
    sanction = services.impose_sanction(actor=handler, support_action_id=action.pk,
                                        kind="withdrawal", reasons="Ernstig.")
    # Meanwhile Peeters took another learner elsewhere (construction: 1 at a time).
    other = make_recognition(programme=Programme.objects.exclude(
        pk=recognition.programme_id).filter(sector=recognition.programme.sector).first())
    make_agreement(other, peeters)
    services.lift_sanction(actor=demo_user("beroepscommissie"), sanction_id=sanction.pk,
                           reasons="Beroep gegrond.")
    first.refresh_from_db()
    recognition.refresh_from_db()
    assert recognition.state == Recognition.State.ACTIVE
    assert first.state == Agreement.State.ENDED_EARLY


def test_a_mentor_who_comes_back_keeps_the_day_they_first_became_its_mentor(recognition,
                                                                           employer, peeters):
    link = recognition.mentor_links.get(mentor=peeters)
    first_day = link.since
    services.deactivate_mentor(actor=employer, recognition_id=recognition.pk, link_id=link.pk)
    services.add_mentor(actor=employer, recognition_id=recognition.pk, mentor=peeters,
                        years_of_experience=20, training="done", extract=_upload())
    link.refresh_from_db()
    assert link.is_active and link.since == first_day
