import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from werkplek.accounts import services
from werkplek.accounts.models import Membership, Role, User
from werkplek.core import personal_data

COLLEAGUE = "85.07.30-033.28"


def test_representative_grants_access_to_a_new_colleague(demo_enterprise, demo_user):
    representative = demo_user("vertegenwoordiger")
    membership = services.grant_enterprise_access(
        actor=representative, enterprise=demo_enterprise, national_number=COLLEAGUE,
        first_name="An", last_name="Nieuw", email="an@example.be",
    )
    assert membership.role == Role.EMPLOYER
    assert membership.granted_by == representative
    colleague = membership.user
    # Created without a password: the colleague logs in with eID on the same number.
    assert not colleague.has_usable_password()
    assert colleague.national_number_hash == personal_data.lookup_hash("85073003328")
    assert "85073003328" not in colleague.national_number_encrypted
    assert colleague.masked_national_number.endswith("28")
    assert "07.30" not in colleague.masked_national_number


def test_granting_to_an_existing_user_reuses_the_account(demo_enterprise, demo_user):
    employer = demo_user("werkgever")  # demo employer has number 88.09.23-154.97
    membership = services.grant_enterprise_access(
        actor=demo_user("vertegenwoordiger"), enterprise=demo_enterprise,
        national_number="88092315497", first_name="wim", last_name="WERKGEVER ",
        role=Role.REPRESENTATIVE,
    )
    assert membership.user == employer
    assert User.objects.filter(national_number_hash=employer.national_number_hash).count() == 1


def test_granting_the_same_access_twice_is_refused(demo_enterprise, demo_user):
    with pytest.raises(ValidationError, match="already has this access"):
        services.grant_enterprise_access(
            actor=demo_user("vertegenwoordiger"), enterprise=demo_enterprise,
            national_number="88092315497", first_name="Wim", last_name="Werkgever",
        )


@pytest.mark.parametrize("username", ["werkgever", "trajectbegeleider", "behandelaar-bouw"])
def test_only_a_representative_may_grant(demo_enterprise, demo_user, username):
    with pytest.raises(PermissionDenied):
        services.grant_enterprise_access(
            actor=demo_user(username), enterprise=demo_enterprise, national_number=COLLEAGUE,
            first_name="An", last_name="Nieuw",
        )


def test_a_wrong_national_number_is_refused(demo_enterprise, demo_user):
    with pytest.raises(ValidationError):
        services.grant_enterprise_access(
            actor=demo_user("vertegenwoordiger"), enterprise=demo_enterprise,
            national_number="85.07.30-033.29", first_name="An", last_name="Nieuw",
        )


def test_revoke_and_regrant(demo_enterprise, demo_user):
    representative = demo_user("vertegenwoordiger")
    membership = Membership.objects.get(user=demo_user("werkgever"), enterprise=demo_enterprise)
    services.revoke_enterprise_access(actor=representative, membership=membership)
    membership.refresh_from_db()
    assert not membership.is_active
    assert Role.EMPLOYER not in User.objects.get(pk=membership.user_id).roles()
    again = services.grant_enterprise_access(
        actor=representative, enterprise=demo_enterprise, national_number="88092315497",
        first_name="Wim", last_name="Werkgever",
    )
    assert again.pk == membership.pk and again.is_active


def test_a_representative_cannot_revoke_their_own_representation(demo_enterprise, demo_user):
    representative = demo_user("vertegenwoordiger")
    own = Membership.objects.get(user=representative, role=Role.REPRESENTATIVE)
    with pytest.raises(ValidationError):
        services.revoke_enterprise_access(actor=representative, membership=own)


def test_an_employer_cannot_revoke(demo_enterprise, demo_user):
    own = Membership.objects.get(user=demo_user("vertegenwoordiger"), role=Role.REPRESENTATIVE)
    with pytest.raises(PermissionDenied):
        services.revoke_enterprise_access(actor=demo_user("werkgever"), membership=own)


def test_a_membership_must_fit_its_role(demo_enterprise, demo_user):
    # A handler tied to an enterprise instead of a partnership breaks the check constraint.
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=demo_user("beheer"), role=Role.HANDLER,
                                  enterprise=demo_enterprise)


def test_a_known_number_with_another_name_is_refused_without_revealing_it(
        demo_enterprise, demo_user):
    with pytest.raises(ValidationError) as error:
        services.grant_enterprise_access(
            actor=demo_user("vertegenwoordiger"), enterprise=demo_enterprise,
            national_number="91061123629", first_name="X", last_name="Y",  # the demo coach
        )
    assert error.value.code == "name_mismatch"
    assert "Tine" not in " ".join(error.value.messages)


def test_staff_cannot_be_given_enterprise_access(demo_enterprise, demo_user):
    handler = demo_user("behandelaar-bouw")
    handler.set_national_number("85073003328")
    handler.save()
    with pytest.raises(ValidationError) as error:
        services.grant_enterprise_access(
            actor=demo_user("vertegenwoordiger"), enterprise=demo_enterprise,
            national_number="85073003328", first_name="Bart", last_name="Behandelaar",
        )
    assert error.value.code == "staff"
