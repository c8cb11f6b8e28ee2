import pytest

from werkplek.accounts.demo import DEMO_ACCOUNTS, load_demo_data
from werkplek.accounts.models import Membership, Role, User
from werkplek.enterprises.models import Enterprise, EstablishmentUnit, Mentor


def _snapshot():
    return (
        sorted(User.objects.values_list("username", "password", "national_number_encrypted")),
        sorted(Membership.objects.values_list("user__username", "role", "enterprise_id",
                                              "training_provider_id", "partnership_id")),
        sorted(Mentor.objects.values_list("first_name", "national_number_encrypted",
                                          "birth_date")),
        EstablishmentUnit.objects.count(),
        Enterprise.objects.count(),
    )


def test_demo_data_is_idempotent(db):
    before = _snapshot()
    load_demo_data()
    assert _snapshot() == before


def test_every_demo_account_has_the_memberships_its_name_says(db):
    expected = {
        "vertegenwoordiger": (Role.REPRESENTATIVE, "enterprise"),
        "werkgever": (Role.EMPLOYER, "enterprise"),
        "trajectbegeleider": (Role.COACH, "training_provider"),
        "behandelaar-bouw": (Role.HANDLER, "partnership"),
        "behandelaar-vpdl": (Role.HANDLER, "partnership"),
        "stemgerechtigde": (Role.VOTER, "partnership"),
        "beroepscommissie": (Role.APPEAL_COMMITTEE, None),
        "beheer": (Role.ADMINISTRATOR, None),
    }
    assert {a.username for a in DEMO_ACCOUNTS} == set(expected)
    for username, (role, organisation) in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password("demo")
        membership = user.memberships.get()
        assert membership.role == role
        if organisation:
            assert getattr(membership, organisation) is not None
    for username, code in (("behandelaar-bouw", "bouw"), ("behandelaar-vpdl", "vpdl")):
        assert User.objects.get(username=username).memberships.get().partnership.code == code
    assert User.objects.get(username="beheer").is_superuser


def test_demo_enterprise_has_two_units_one_under_construction_and_two_mentors(demo_enterprise):
    units = list(demo_enterprise.units.select_related("joint_committee"))
    assert len(units) == 2
    assert "124" in {unit.joint_committee.number for unit in units}
    mentors = list(demo_enterprise.mentors.all())
    assert len(mentors) == 2
    assert all(m.birth_date for m in mentors)


@pytest.mark.django_db
def test_mentor_numbers_are_not_stored_in_clear():
    for mentor in Mentor.objects.all():
        assert mentor.national_number not in mentor.national_number_encrypted
        assert len(mentor.national_number) == 11
