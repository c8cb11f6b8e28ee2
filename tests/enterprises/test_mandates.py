from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from werkplek.accounts.models import Role
from werkplek.enterprises import selectors, services
from werkplek.enterprises.models import Mandate

COACH_NUMBER = "91.06.11-236.29"  # the demo coach
FILE, MANAGE = Mandate.FILE_APPLICATIONS, Mandate.MANAGE_AGREEMENTS


def _messages(error: ValidationError, key: str) -> list[str]:
    return error.value.message_dict.get(key, [])


# --- Granting ----------------------------------------------------------------------------------


def test_grant_by_email_ignores_case(grant, coach, representative, today, in_a_year):
    mandate = grant(holder_email="  TrajectBegeleider@WERKPLEK.example ")
    assert mandate.holder == coach
    assert mandate.training_provider == coach.memberships.get(role=Role.COACH).training_provider
    assert mandate.granted_by == representative
    assert (mandate.valid_from, mandate.valid_until) == (today, in_a_year)
    assert mandate.kind == Mandate.Kind.DIGITAL and mandate.document_check is None
    assert mandate.state() == Mandate.State.ACTIVE


def test_grant_by_national_number(grant, coach, units):
    mandate = grant(holder_email=None, holder_national_number=COACH_NUMBER, all_units=False,
                    units=[units[0]], may_file_applications=False, may_manage_agreements=True)
    assert mandate.holder == coach
    assert list(mandate.units.all()) == [units[0]]
    assert not mandate.all_units
    assert (mandate.may_file_applications, mandate.may_manage_agreements) == (False, True)


def test_all_units_ignores_a_list_of_units(grant, units):
    mandate = grant(all_units=True, units=units)
    assert mandate.all_units and not mandate.units.exists()


@pytest.mark.parametrize("email", ["nobody@example.be", "werkgever@werkplek.example"])
def test_an_email_of_no_coach_is_refused(grant, email):
    with pytest.raises(ValidationError) as error:
        grant(holder_email=email)
    assert _messages(error, "holder_email") == [
        "No learner coach with this e-mail address uses Werkplek yet."]


def test_an_inactive_coach_role_is_not_found(grant, coach):
    coach.memberships.filter(role=Role.COACH).update(is_active=False)
    with pytest.raises(ValidationError, match="No learner coach with this e-mail address"):
        grant()


def test_a_shared_email_address_asks_for_the_number(grant, other_coach):
    other_coach.email = "trajectbegeleider@werkplek.example"
    other_coach.save()
    with pytest.raises(ValidationError, match="Use the national register number instead"):
        grant()


@pytest.mark.parametrize("number", ["85.07.30-033.28", "88.09.23-154.97"])  # nobody; employer
def test_a_national_number_of_no_coach_is_refused(grant, number):
    with pytest.raises(ValidationError) as error:
        grant(holder_email=None, holder_national_number=number)
    assert _messages(error, "holder_national_number") == [
        "No learner coach with this national register number uses Werkplek yet."]


def test_an_invalid_national_number_is_refused(grant):
    with pytest.raises(ValidationError) as error:
        grant(holder_email=None, holder_national_number="91.06.11-236.30")
    assert _messages(error, "holder_national_number")


def test_neither_email_nor_number_is_refused(grant):
    with pytest.raises(ValidationError) as error:
        grant(holder_email=None)
    assert _messages(error, NON_FIELD_ERRORS) == [
        "Enter the e-mail address or the national register number of the learner coach."]


def test_both_email_and_number_is_refused(grant):
    with pytest.raises(ValidationError, match="not both"):
        grant(holder_national_number=COACH_NUMBER)


def test_an_end_date_in_the_past_is_refused(grant, today):
    with pytest.raises(ValidationError) as error:
        grant(valid_until=today - timedelta(days=1))
    assert _messages(error, "valid_until") == ["The end date is in the past."]


def test_an_end_date_before_the_start_is_refused(grant, today):
    with pytest.raises(ValidationError) as error:
        grant(valid_from=today + timedelta(days=10), valid_until=today + timedelta(days=9))
    assert _messages(error, "valid_until") == [
        "The end date must be on or after the start date."]


def test_a_start_in_the_past_is_refused(grant, today):
    with pytest.raises(ValidationError) as error:
        grant(valid_from=today - timedelta(days=1))
    assert _messages(error, "valid_from") == ["A mandate cannot start in the past."]


def test_a_one_day_mandate_today_is_allowed(grant, today):
    assert grant(valid_until=today).state() == Mandate.State.ACTIVE


def test_no_unit_and_not_all_units_is_refused(grant):
    with pytest.raises(ValidationError) as error:
        grant(all_units=False, units=[])
    assert _messages(error, "units") == [
        "Choose at least one establishment unit, or all units."]


def test_a_unit_of_another_enterprise_is_refused(grant, units, other_enterprise):
    with pytest.raises(ValidationError) as error:
        grant(all_units=False, units=[units[0], other_enterprise.units.get()])
    assert _messages(error, "units") == [
        "An establishment unit you chose does not belong to this enterprise."]


def test_no_permission_is_refused(grant):
    with pytest.raises(ValidationError) as error:
        grant(may_file_applications=False, may_manage_agreements=False)
    assert _messages(error, "permissions") == [
        "Choose what the learner coach may do: file applications, manage agreements, or both."]


def test_every_problem_is_reported_at_once(grant, today):
    with pytest.raises(ValidationError) as error:
        grant(holder_email="nobody@example.be", all_units=False, units=[],
              may_file_applications=False, valid_until=today - timedelta(days=1))
    assert set(error.value.message_dict) == {"holder_email", "units", "permissions",
                                             "valid_until"}
    assert not Mandate.objects.exists()


def test_an_overlapping_mandate_is_refused_until_revoked(grant, representative, today):
    first = grant()
    with pytest.raises(ValidationError, match="already has a mandate for this enterprise"):
        grant(valid_until=today + timedelta(days=30))
    services.revoke_mandate(actor=representative, mandate=first)
    assert grant(valid_until=today + timedelta(days=30)).pk != first.pk


@pytest.mark.parametrize("username", ["werkgever", "trajectbegeleider", "behandelaar-bouw"])
def test_only_a_representative_may_grant(grant, demo_user, username):
    with pytest.raises(PermissionDenied):
        grant(actor=demo_user(username))
    assert not Mandate.objects.exists()


def test_an_anonymous_user_may_not_grant(grant):
    with pytest.raises(PermissionDenied):
        grant(actor=AnonymousUser())


def test_a_representative_of_another_enterprise_may_not_grant(grant, representative,
                                                               other_enterprise):
    with pytest.raises(PermissionDenied):
        grant(enterprise=other_enterprise)


def test_the_database_refuses_an_end_before_the_start(coach, demo_enterprise, today):
    with pytest.raises(IntegrityError), transaction.atomic():
        Mandate.objects.create(enterprise=demo_enterprise, holder=coach, all_units=True,
                               may_file_applications=True, valid_from=today,
                               valid_until=today - timedelta(days=1))


# --- Validity ----------------------------------------------------------------------------------


def test_validity_boundaries_are_inclusive(grant, coach, demo_enterprise, today):
    start, end = today + timedelta(days=5), today + timedelta(days=40)
    mandate = grant(valid_from=start, valid_until=end)

    def valid_on(day):
        return selectors.valid_mandate(user=coach, enterprise=demo_enterprise, on_day=day)

    assert valid_on(start - timedelta(days=1)) is None
    assert valid_on(start) == mandate
    assert valid_on(end) == mandate
    assert valid_on(end + timedelta(days=1)) is None
    assert valid_on(None) is None  # today: not yet valid
    assert mandate.state() == Mandate.State.NOT_YET_VALID
    assert mandate.state(end + timedelta(days=1)) == Mandate.State.EXPIRED


def test_all_units_covers_every_unit_of_the_enterprise(grant, coach, demo_enterprise, units,
                                                       other_enterprise):
    mandate = grant(all_units=True)
    for unit in units:
        assert selectors.valid_mandate(user=coach, enterprise=demo_enterprise,
                                       unit=unit) == mandate
        assert mandate.covers_unit(unit)
    foreign = other_enterprise.units.get()
    assert selectors.valid_mandate(user=coach, enterprise=demo_enterprise, unit=foreign) is None
    assert not mandate.covers_unit(foreign)


def test_chosen_units_cover_only_those(grant, coach, demo_enterprise, units):
    mandate = grant(all_units=False, units=[units[0]])
    assert selectors.valid_mandate(user=coach, enterprise=demo_enterprise,
                                   unit=units[0]) == mandate
    assert selectors.valid_mandate(user=coach, enterprise=demo_enterprise,
                                   unit=units[1]) is None
    # Without a unit: the coach may act for the enterprise in general (e.g. pick a unit).
    assert selectors.valid_mandate(user=coach, enterprise=demo_enterprise) == mandate


def test_the_permission_must_match_the_purpose(grant, coach, demo_enterprise):
    grant(may_file_applications=True, may_manage_agreements=False)
    assert selectors.valid_mandate(user=coach, enterprise=demo_enterprise, purpose=FILE)
    assert selectors.valid_mandate(user=coach, enterprise=demo_enterprise,
                                   purpose=MANAGE) is None
    with pytest.raises(ValueError, match="Unknown mandate purpose"):
        selectors.valid_mandate(user=coach, enterprise=demo_enterprise, purpose="anything")


def test_a_mandate_is_only_for_its_holder_and_enterprise(grant, coach, other_coach,
                                                         demo_enterprise, other_enterprise):
    grant()
    assert selectors.valid_mandate(user=other_coach, enterprise=demo_enterprise) is None
    assert selectors.valid_mandate(user=coach, enterprise=other_enterprise) is None
    assert selectors.valid_mandate(user=AnonymousUser(), enterprise=demo_enterprise) is None


@pytest.mark.parametrize(("check", "valid", "state"), [
    (Mandate.DocumentCheck.PENDING, False, Mandate.State.AWAITING_CHECK),
    (Mandate.DocumentCheck.REJECTED, False, Mandate.State.REJECTED),
    (Mandate.DocumentCheck.ACCEPTED, True, Mandate.State.ACTIVE),
])
def test_a_document_mandate_counts_only_once_accepted(coach, demo_enterprise, today,
                                                      in_a_year, check, valid, state):
    mandate = Mandate.objects.create(
        enterprise=demo_enterprise, holder=coach, all_units=True, may_file_applications=True,
        valid_from=today, valid_until=in_a_year, kind=Mandate.Kind.DOCUMENT,
        document_check=check, document_name="machtiging.pdf",
    )
    found = selectors.valid_mandate(user=coach, enterprise=demo_enterprise)
    assert (found == mandate) is valid and (found is None) is not valid
    assert mandate.state() == state


def test_a_document_mandate_needs_a_check_status(coach, demo_enterprise, today):
    with pytest.raises(IntegrityError), transaction.atomic():
        Mandate.objects.create(enterprise=demo_enterprise, holder=coach, all_units=True,
                               may_file_applications=True, valid_from=today, valid_until=today,
                               kind=Mandate.Kind.DOCUMENT)


# --- Revoking ----------------------------------------------------------------------------------


def test_revoke_ends_the_mandate_now(grant, coach, representative, demo_enterprise):
    mandate = grant()
    services.revoke_mandate(actor=representative, mandate=mandate, reason=" Coach left ")
    mandate.refresh_from_db()
    assert mandate.revoked_at is not None and mandate.revoked_by == representative
    assert mandate.revocation_reason == "Coach left"
    assert mandate.state() == Mandate.State.REVOKED
    assert selectors.valid_mandate(user=coach, enterprise=demo_enterprise) is None
    assert not selectors.mandated_enterprises(coach).exists()


def test_revoking_twice_is_refused_clearly(grant, representative):
    mandate = grant()
    services.revoke_mandate(actor=representative, mandate=mandate)
    with pytest.raises(ValidationError, match="already been revoked"):
        services.revoke_mandate(actor=representative, mandate=mandate)


@pytest.mark.parametrize("username", ["werkgever", "trajectbegeleider", "behandelaar-bouw"])
def test_only_a_representative_may_revoke(grant, demo_user, username):
    mandate = grant()
    with pytest.raises(PermissionDenied):
        services.revoke_mandate(actor=demo_user(username), mandate=mandate)
    with pytest.raises(PermissionDenied):
        services.revoke_mandate(actor=AnonymousUser(), mandate=mandate)
    mandate.refresh_from_db()
    assert mandate.revoked_at is None


# --- Lists -------------------------------------------------------------------------------------


def test_mandated_enterprises_lists_each_enterprise_once(grant, coach, demo_enterprise, units,
                                                         today, in_a_year):
    grant(all_units=False, units=[units[0]], valid_until=today + timedelta(days=10))
    grant(all_units=False, units=[units[1]], valid_from=today + timedelta(days=11),
          valid_until=in_a_year)
    assert list(selectors.mandated_enterprises(coach)) == [demo_enterprise]
    assert list(selectors.mandated_enterprises(coach, on_day=today + timedelta(days=11))) == [
        demo_enterprise]
    assert not selectors.mandated_enterprises(coach, on_day=in_a_year + timedelta(days=1))


def test_mandates_of_enterprise_include_ended_ones(grant, representative, demo_enterprise,
                                                  other_coach):
    revoked = grant()
    services.revoke_mandate(actor=representative, mandate=revoked)
    active = grant(holder_email="tweede.coach@school.example")
    assert set(selectors.mandates_of_enterprise(demo_enterprise)) == {revoked, active}
