"""Appeals: who may appeal, the 10-day window, admissibility, and what upholding or overturning
does to a refusal and to a sanction."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from werkplek.appeals import services
from werkplek.appeals.models import Appeal, AppealEvent
from werkplek.applications.models import Application, ApplicationMentor
from werkplek.recognitions import services as recognitions
from werkplek.recognitions.models import Recognition, Sanction, SupportAction


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def committee(demo_user):
    return demo_user("beroepscommissie")


@pytest.fixture
def employer(demo_user):
    return demo_user("werkgever")


@pytest.fixture
def refused(demo_enterprise, employer):
    from werkplek.catalog.models import Partnership, Programme

    unit = demo_enterprise.units.get(joint_committee__number="124")
    application = Application.objects.create(
        reference="WP-2026-990001", enterprise=demo_enterprise, unit=unit,
        programme=Programme.objects.get(code="dakwerker-duaal"),
        partnership=Partnership.objects.get(code="bouw"), created_by=employer,
        submitted_by=employer, state=Application.State.REFUSED, decision="refuse",
        decision_reasons="Geen geschikte mentor.", decided_at=timezone.now())
    ApplicationMentor.objects.create(application=application,
                                     mentor=demo_enterprise.mentors.get(last_name="Peeters"),
                                     years_of_experience=20, training="done",
                                     check_result="rejected", check_reason="Te weinig ervaring")
    return application


def _file(application, actor, grounds="De mentor heeft wel voldoende ervaring."):
    return services.file_appeal(actor=actor, application_id=application.pk, grounds=grounds)


def test_the_enterprise_appeals_against_a_refusal(refused, employer):
    appeal = _file(refused, employer)
    assert appeal.state == Appeal.State.FILED and appeal.in_time
    assert appeal.reference.startswith(f"B-{timezone.localdate().year}-")
    assert appeal.appeal_until == timezone.localdate() + timedelta(days=10)
    assert appeal.admissibility_due == timezone.localdate() + timedelta(days=10)
    assert appeal.events.filter(kind=AppealEvent.Kind.FILED).exists()
    assert appeal.letters.get().kind == "appeal_receipt"


def test_a_coach_may_not_appeal_even_under_a_mandate(refused, demo_user):
    with pytest.raises(PermissionDenied, match="Only the enterprise"):
        _file(refused, demo_user("trajectbegeleider"))


def test_grounds_are_required_and_one_appeal_per_decision(refused, employer):
    with pytest.raises(ValidationError) as error:
        _file(refused, employer, grounds="  ")
    assert "grounds" in error.value.message_dict
    appeal = _file(refused, employer)
    with pytest.raises(ValidationError, match=appeal.reference):
        _file(refused, employer)


def test_only_a_refusal_or_a_sanction_can_be_appealed(refused, employer):
    Application.objects.filter(pk=refused.pk).update(state=Application.State.APPROVED)
    with pytest.raises(ValidationError, match="Only a refusal"):
        _file(refused, employer)


def test_a_late_appeal_is_received_but_inadmissible(refused, employer, committee):
    Application.objects.filter(pk=refused.pk).update(
        decided_at=timezone.now() - timedelta(days=11))
    appeal = _file(refused, employer)
    assert not appeal.in_time
    with pytest.raises(ValidationError, match="after the last day"):
        services.decide_admissibility(actor=committee, appeal_id=appeal.pk,
                                      version=appeal.version, admissible=True)
    appeal = services.decide_admissibility(actor=committee, appeal_id=appeal.pk,
                                           version=appeal.version, admissible=False,
                                           reason="late", reasons="Ingediend na 10 dagen.")
    assert appeal.state == Appeal.State.INADMISSIBLE
    assert appeal.letters.filter(kind="appeal_admissibility").exists()


def test_only_the_committee_decides(refused, employer, demo_user):
    appeal = _file(refused, employer)
    for someone in (employer, demo_user("behandelaar-bouw")):
        with pytest.raises(PermissionDenied):
            services.decide_admissibility(actor=someone, appeal_id=appeal.pk,
                                          version=appeal.version, admissible=True)


def test_an_out_of_date_page_changes_nothing(refused, employer, committee):
    appeal = _file(refused, employer)
    services.decide_admissibility(actor=committee, appeal_id=appeal.pk, version=appeal.version,
                                  admissible=True)
    with pytest.raises(services.StaleAppeal):
        services.decide_admissibility(actor=committee, appeal_id=appeal.pk,
                                      version=appeal.version, admissible=True)


def test_an_overturned_refusal_becomes_a_recognition(refused, employer, committee):
    appeal = _file(refused, employer)
    appeal = services.decide_admissibility(actor=committee, appeal_id=appeal.pk,
                                           version=appeal.version, admissible=True)
    appeal = services.record_hearing(actor=committee, appeal_id=appeal.pk,
                                     notes="Zaakvoerder gehoord.")
    appeal = services.decide_appeal(actor=committee, appeal_id=appeal.pk,
                                    version=appeal.version, overturn=True,
                                    reasons="De mentor voldoet wel.")
    assert appeal.state == Appeal.State.OVERTURNED
    recognition = Recognition.objects.get(application=refused)
    assert recognition.state == Recognition.State.ACTIVE
    assert recognition.valid_from == timezone.localdate()
    # No mentor was confirmed: the mentors named join the recognition.
    assert [link.mentor.last_name for link in recognition.mentor_links.all()] == ["Peeters"]
    assert appeal.letters.filter(kind="appeal_decision").exists()


def test_an_upheld_refusal_stays_refused(refused, employer, committee):
    appeal = _file(refused, employer)
    appeal = services.decide_admissibility(actor=committee, appeal_id=appeal.pk,
                                           version=appeal.version, admissible=True)
    with pytest.raises(ValidationError):
        services.decide_appeal(actor=committee, appeal_id=appeal.pk, version=appeal.version,
                               overturn=False, reasons="")
    appeal = services.decide_appeal(actor=committee, appeal_id=appeal.pk,
                                    version=appeal.version, overturn=False,
                                    reasons="De weigering was terecht.")
    assert appeal.state == Appeal.State.UPHELD
    assert not Recognition.objects.filter(application=refused).exists()


def test_an_overturned_withdrawal_is_lifted_and_the_recognition_active_again(
        demo_enterprise, employer, committee, demo_user):
    from werkplek.catalog.models import Partnership, Programme
    from werkplek.core.deadlines import recognition_validity

    handler = demo_user("behandelaar-bouw")
    start = timezone.localdate() - timedelta(days=200)
    recognition = Recognition.objects.create(
        enterprise=demo_enterprise, unit=demo_enterprise.units.get(joint_committee__number="124"),
        programme=Programme.objects.get(code="dakwerker-duaal"),
        partnership=Partnership.objects.get(code="bouw"), valid_from=start,
        valid_until=recognition_validity(start).day, validity_rule="recognition:5-years")
    action = recognitions.open_support_action(actor=handler, recognition_id=recognition.pk,
                                              improvement="X",
                                              due_on=timezone.localdate() + timedelta(days=3))
    SupportAction.objects.filter(pk=action.pk).update(due_on=timezone.localdate())
    recognitions.follow_up_support_action(actor=handler, action_id=action.pk, met=False,
                                          note="Niet gebeurd.")
    sanction = recognitions.impose_sanction(actor=handler, support_action_id=action.pk,
                                            kind="withdrawal", reasons="Ernstig.")
    appeal = services.file_appeal(actor=employer, sanction_id=sanction.pk,
                                  grounds="De verbetering was wel gebeurd.")
    appeal = services.decide_admissibility(actor=committee, appeal_id=appeal.pk,
                                           version=appeal.version, admissible=True)
    services.decide_appeal(actor=committee, appeal_id=appeal.pk, version=appeal.version,
                           overturn=True, reasons="Bewijs van verbetering voorgelegd.")
    recognition.refresh_from_db()
    sanction.refresh_from_db()
    assert sanction.state == Sanction.State.LIFTED
    assert recognition.state == Recognition.State.ACTIVE


def test_an_overturned_refusal_while_the_unit_is_recognised_again_says_why_nothing_changed(
        refused, employer, committee):
    from werkplek.core.deadlines import recognition_validity

    appeal = _file(refused, employer)
    appeal = services.decide_admissibility(actor=committee, appeal_id=appeal.pk,
                                           version=appeal.version, admissible=True)
    start = timezone.localdate()
    Recognition.objects.create(enterprise=refused.enterprise, unit=refused.unit,
                               programme=refused.programme, partnership=refused.partnership,
                               valid_from=start, valid_until=recognition_validity(start).day,
                               validity_rule="recognition:5-years")
    appeal = services.decide_appeal(actor=committee, appeal_id=appeal.pk,
                                    version=appeal.version, overturn=True,
                                    reasons="De weigering was onterecht.")
    assert appeal.state == Appeal.State.OVERTURNED
    event = appeal.events.get(kind=AppealEvent.Kind.OVERTURNED)
    assert "already recognised" in " ".join(event.data["not_applied"])
    assert refused.events.filter(kind="overturned").exists()
    assert not Recognition.objects.filter(application=refused).exists()


def test_an_unknown_decision_is_a_clear_refusal_not_a_crash(employer):
    with pytest.raises(ValidationError, match="does not exist"):
        services.file_appeal(actor=employer, sanction_id=999999, grounds="X")
