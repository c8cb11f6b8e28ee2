import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from werkplek.applications import services
from werkplek.applications.models import Application, ApplicationEvent


def test_employer_creates_a_draft(draft, demo_user):
    assert draft.state == Application.State.DRAFT
    assert draft.filed_by == Application.FiledBy.ENTERPRISE
    assert draft.reference is None
    assert draft.events.get().kind == ApplicationEvent.Kind.CREATED


@pytest.mark.parametrize("username", ["trajectbegeleider", "behandelaar-bouw", "beheer"])
def test_others_cannot_create_a_draft(demo_user, demo_enterprise, username):
    with pytest.raises(PermissionDenied):
        services.create_draft(actor=demo_user(username), enterprise=demo_enterprise)


def test_a_unit_of_another_enterprise_is_refused(draft, demo_user):
    from werkplek.enterprises.models import Enterprise, EstablishmentUnit

    other = Enterprise.objects.create(enterprise_number="0765432146", name="Ander NV")
    unit = EstablishmentUnit.objects.create(enterprise=other, unit_number="3123456715",
                                            name="Elders", street="Straat 1",
                                            postal_code="3000", municipality="Leuven")
    with pytest.raises(ValidationError):
        services.save_unit(actor=demo_user("werkgever"), application=draft, unit=unit)


def test_submit_routes_numbers_and_sets_the_deadline(ready_draft, demo_user,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        application = services.submit(actor=demo_user("werkgever"),
                                      application_id=ready_draft.pk)
    assert application.state == Application.State.SUBMITTED
    year = timezone.localdate().year
    assert application.reference.startswith(f"WP-{year}-")
    assert len(application.reference) == len("WP-2026-000001")
    assert application.partnership.code == "bouw"
    assert application.routing_rule is not None
    assert (application.decision_deadline - timezone.localdate()).days == 14
    assert application.deadline_rule.startswith("decision:14")
    kinds = list(application.events.values_list("kind", flat=True))
    assert kinds == ["created", "submitted", "routed"]
    assert len(callbacks) == 1  # the receipt e-mail is queued once, on commit


def test_submitting_twice_changes_nothing(ready_draft, demo_user):
    first = services.submit(actor=demo_user("werkgever"), application_id=ready_draft.pk)
    second = services.submit(actor=demo_user("vertegenwoordiger"),
                             application_id=ready_draft.pk)
    assert second.reference == first.reference
    assert Application.objects.filter(reference__isnull=False).count() == 1
    assert first.events.filter(kind="submitted").count() == 1


def test_references_count_up(ready_draft, demo_user):
    first = services.next_reference(2031)
    second = services.next_reference(2031)
    assert (first, second) == ("WP-2031-000001", "WP-2031-000002")


def test_an_incomplete_draft_lists_what_blocks_it(draft, demo_user):
    with pytest.raises(services.SubmissionBlocked) as blocked:
        services.submit(actor=demo_user("werkgever"), application_id=draft.pk)
    assert {section for section, _ in blocked.value.problems} == {"unit", "programme"}


def test_a_too_young_mentor_blocks_submission(ready_draft, demo_user):
    from ..conftest import national_number_born, years_ago

    entry = ready_draft.mentors.get()
    young = entry.mentor
    young.set_national_number(national_number_born(years_ago(24)), years_ago(24))
    young.save()
    with pytest.raises(services.SubmissionBlocked) as blocked:
        services.submit(actor=demo_user("werkgever"), application_id=ready_draft.pk)
    assert any(section == "mentors" for section, _ in blocked.value.problems)


def test_a_second_open_application_for_the_same_unit_and_programme_is_refused(
        ready_draft, demo_user, demo_enterprise, construction_unit, dakwerker):
    services.submit(actor=demo_user("werkgever"), application_id=ready_draft.pk)
    employer = demo_user("werkgever")
    second = services.create_draft(actor=employer, enterprise=demo_enterprise)
    # Copy what makes the first one submittable.
    second.unit, second.programme = construction_unit, dakwerker
    second.activities_offered = ready_draft.activities_offered
    second.financial_capacity, second.has_convictions = True, False
    second.infrastructure_fits = True
    second.save()
    for entry in ready_draft.mentors.all():
        new = second.mentors.create(mentor=entry.mentor, years_of_experience=20,
                                    training=entry.training)
        for document in entry.documents.all():
            document.pk, document.application, document.mentor = None, second, new
            document.save()
    for document in ready_draft.documents.filter(mentor__isnull=True):
        document.pk, document.application = None, second
        document.save()
    with pytest.raises(services.SubmissionBlocked, match="already open"):
        services.submit(actor=employer, application_id=second.pk)


def test_a_submitted_application_cannot_be_changed(ready_draft, demo_user, dakwerker):
    services.submit(actor=demo_user("werkgever"), application_id=ready_draft.pk)
    ready_draft.refresh_from_db()
    with pytest.raises(ValidationError):
        services.save_workplace(actor=demo_user("werkgever"), application=ready_draft,
                                financial_capacity=False, has_convictions=False)


def test_the_state_cannot_be_set_directly(draft):
    with pytest.raises(AttributeError):
        draft.state = Application.State.SUBMITTED


def test_withdraw(ready_draft, demo_user):
    services.submit(actor=demo_user("werkgever"), application_id=ready_draft.pk)
    application = services.withdraw(actor=demo_user("vertegenwoordiger"),
                                    application_id=ready_draft.pk, reason="Toch niet")
    assert application.state == Application.State.WITHDRAWN
    assert application.events.last().message == "Toch niet"


def test_a_draft_starts_from_the_self_scan(demo_user, demo_enterprise, dakwerker):
    from werkplek.selfscan.models import SavedScan

    employer = demo_user("werkgever")
    scan = SavedScan.objects.create(user=employer, programme=dakwerker, answers={
        "programme": dakwerker.code, "activities": ["0", "2"], "financial_capacity": "yes",
        "has_convictions": "no"})
    application = services.create_draft(actor=employer, enterprise=demo_enterprise, scan=scan)
    assert application.programme == dakwerker
    assert application.activities_offered == [0, 2]
    assert application.financial_capacity is True and application.has_convictions is False
    scan.refresh_from_db()
    assert scan.used_at is not None


def test_infrastructure_that_does_not_fit_blocks_submission(ready_draft, demo_user):
    services.save_workplace(actor=demo_user("werkgever"), application=ready_draft,
                            financial_capacity=True, has_convictions=False,
                            infrastructure_fits=False)
    with pytest.raises(services.SubmissionBlocked) as blocked:
        services.submit(actor=demo_user("werkgever"), application_id=ready_draft.pk)
    assert [section for section, _ in blocked.value.problems] == ["programme"]
