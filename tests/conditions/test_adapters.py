"""Sector rules built from the partnerships in the reference data."""

from datetime import date

import pytest
from django.utils import translation

from werkplek.catalog.models import Partnership
from werkplek.conditions.adapters import sector_rules_from_partnership
from werkplek.conditions.rules import assess, check_mentor_age
from werkplek.conditions.types import ExtraDocument, SectorRules, Status

from .facts import DAY, good_application, good_mentor, good_workplace

pytestmark = pytest.mark.django_db


def rules_for(code: str) -> SectorRules:
    return sector_rules_from_partnership(Partnership.objects.get(code=code))


def test_construction():
    rules = rules_for("bouw")
    assert rules == SectorRules(
        partnership_name="Sectoral partnership Construction",
        min_mentor_age=25,
        min_experience_years=5,
        experience_derogation_allowed=True,
        mentor_training_required=True,
        mentor_training_deadline_months=6,
        extra_documents=(),
    )


def test_hospitality():
    rules = rules_for("horeca")
    assert rules.min_mentor_age == 23
    assert rules.mentor_training_required is True
    assert rules.mentor_training_deadline_months == 12
    assert rules.extra_documents == (
        ExtraDocument(
            code="rsz-attest", name_nl="RSZ-attest", name_en="NSSO certificate",
            scope="application", condition="financial_capacity",
        ),
        ExtraDocument(
            code="uittreksel-strafregister-model-2",
            name_nl="Uittreksel uit het strafregister, model II",
            name_en="Extract from the criminal record, model II",
            scope="mentor", condition="mentor",
        ),
    )


def test_partnership_name_in_active_language():
    with translation.override("nl"):
        assert rules_for("horeca").partnership_name == "Sectoraal partnerschap Horeca"
    assert rules_for("horeca").partnership_name == "Sectoral partnership Hospitality"


def test_no_partnership_gives_general_rules():
    assert sector_rules_from_partnership(None) == SectorRules()


def test_rules_follow_edits_in_the_admin():
    partnership = Partnership.objects.get(code="bouw")
    partnership.min_mentor_age = 23
    partnership.experience_derogation_allowed = False
    partnership.save()
    rules = sector_rules_from_partnership(partnership)
    assert (rules.min_mentor_age, rules.experience_derogation_allowed) == (23, False)


def test_every_partnership_converts():
    for partnership in Partnership.objects.all():
        rules = sector_rules_from_partnership(partnership)
        assert 23 <= rules.min_mentor_age <= 25
        assert all(d.scope in {"application", "mentor"} for d in rules.extra_documents)
        assert all(
            d.condition in {"financial_capacity", "no_convictions", "infrastructure", "mentor"}
            for d in rules.extra_documents
        )


def test_hospitality_scan_end_to_end():
    rules = rules_for("horeca")
    mentor = good_mentor(
        birth_date=date(2003, 11, 30),
        extra_documents=frozenset({"uittreksel-strafregister-model-2"}),
    )
    result = assess(
        workplace=good_workplace(), mentors=[mentor],
        application=good_application(extra_documents=frozenset({"rsz-attest"})), rules=rules,
    )
    assert result.status == Status.MET
    assert "NSSO certificate" in result.documents_to_prepare
    assert result.workplace[0].documents == ("NSSO certificate",)
    assert (
        "Extract from the criminal record, model II, for Jan Peeters"
        in result.documents_to_prepare
    )


def test_construction_age_23_is_too_young():
    result = check_mentor_age(good_mentor(birth_date=date(2003, 11, 30)), rules_for("bouw"), DAY)
    assert result.status == Status.NOT_MET
