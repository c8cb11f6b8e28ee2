"""The benchmark data generator: consistent with the rules the services keep, numbered after
the rows already there, and deterministic for a seed."""

from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from werkplek.agreements.models import Agreement
from werkplek.applications.models import Application
from werkplek.benchdata.generator import Generator
from werkplek.catalog.selectors import route
from werkplek.core import personal_data
from werkplek.core.deadlines import expiry_reminder_day
from werkplek.core.identifiers import (
    parse_enterprise_number,
    parse_establishment_unit_number,
    parse_national_number,
)
from werkplek.enterprises.models import Enterprise, EstablishmentUnit, Mentor
from werkplek.recognitions.models import Recognition

TODAY = date(2026, 11, 30)
SCALE = 0.002  # 500 enterprises, 2,000 recognitions, 600 applications, 300 agreements


@pytest.fixture
def generated(db):
    before = set(Enterprise.objects.values_list("pk", flat=True))
    counts = Generator(scale=SCALE, seed=7, today=TODAY, log=lambda step: None).run()
    return counts, before


def test_sizes_follow_the_scale(generated):
    counts, _before = generated
    assert counts["enterprises_enterprise"] == 500
    assert counts["enterprises_establishmentunit"] == 800
    assert counts["enterprises_mentor"] == 1200
    assert counts["recognitions_recognition"] == 2000
    assert counts["applications_application"] == 600
    assert counts["agreements_agreement"] >= 270
    states = Counter(Recognition.objects.values_list("state", flat=True))
    assert 0.25 < states["active"] / 2000 < 0.4
    assert {"expired", "renewed", "withdrawn"} <= set(states)
    assert set(Application.objects.values_list("state", flat=True)) == set(Application.State)


def test_generated_rows_come_after_the_existing_ones(generated):
    _counts, before = generated
    assert before  # the demo data
    generated_ids = set(Enterprise.objects.values_list("pk", flat=True)) - before
    assert min(generated_ids) > max(before)


def test_identifiers_are_valid_and_numbers_encrypted(generated):
    for number in Enterprise.objects.values_list("enterprise_number", flat=True)[:200]:
        assert parse_enterprise_number(number) == number
    for number in EstablishmentUnit.objects.values_list("unit_number", flat=True)[:200]:
        assert parse_establishment_unit_number(number) == number
    for mentor in Mentor.objects.filter(email__endswith=".bench")[:50]:
        clear = mentor.national_number
        assert parse_national_number(clear).birth_date == mentor.birth_date
        assert mentor.national_number_hash == personal_data.lookup_hash(clear)
        assert clear not in mentor.national_number_encrypted


def test_recognitions_follow_the_rules(generated):
    recognitions = Recognition.objects.filter(enterprise__email__endswith=".bench")
    for recognition in recognitions.filter(state="active"):
        assert recognition.valid_from <= TODAY <= recognition.valid_until
        for months, field in ((6, "reminded_6m_on"), (2, "reminded_2m_on")):
            due = expiry_reminder_day(recognition.valid_until, months) < TODAY
            assert (getattr(recognition, field) is not None) == due or field == "reminded_6m_on"
        unit = recognition.unit
        expected = route(joint_committee_number=unit.joint_committee.number,
                         programme_sector_code=recognition.programme.sector.code)
        assert recognition.partnership_id == expected.partnership.pk
    for recognition in recognitions.filter(previous__isnull=False).select_related("previous"):
        assert recognition.previous.state == "renewed"
        assert recognition.previous.valid_until == recognition.valid_from - timedelta(days=1)
        assert recognition.previous.unit_id == recognition.unit_id
    for recognition in recognitions.filter(state__in=["withdrawn", "excluded"]):
        assert recognition.ended_by is not None
        assert recognition.ended_by.support_action.state == "failed"
        assert recognition.ended_on <= min(recognition.valid_until, TODAY)


def test_applications_follow_the_rules(generated):
    applications = Application.objects.filter(enterprise__email__endswith=".bench")
    for application in applications.filter(state="approved").select_related("recognition"):
        recognition = application.recognition
        assert (recognition.unit_id, recognition.programme_id) == (application.unit_id,
                                                                   application.programme_id)
        assert application.decided_at.date() <= recognition.valid_from + timedelta(days=1)
        assert application.submitted_at < application.decided_at
    for application in applications.exclude(state="draft"):
        year = timezone.localtime(application.submitted_at).year
        assert application.reference.startswith(f"WP-{year}-")
        assert application.events.filter(kind="submitted").exists()
    open_pairs = Counter(applications.filter(state__in=Application.OPEN_STATES)
                         .values_list("unit_id", "programme_id"))
    assert max(open_pairs.values()) == 1


def test_agreements_fit_their_recognition_and_the_mentor_cap(generated):
    agreements = Agreement.objects.filter(enterprise__email__endswith=".bench") \
        .select_related("recognition__partnership")
    running = Counter()
    for agreement in agreements:
        recognition = agreement.recognition
        assert recognition.valid_from <= agreement.start_date
        assert agreement.mentor_id in set(recognition.mentor_links.values_list("mentor_id",
                                                                               flat=True))
        if agreement.state in ("active", "draft"):
            assert agreement.end_date <= recognition.valid_until
            running[(agreement.mentor_id, recognition.partnership.max_learners_per_mentor)] += 1
    assert running
    assert all(number <= cap for (_mentor, cap), number in running.items())


def _digest() -> list:
    return list(Recognition.objects.filter(enterprise__email__endswith=".bench")
                .order_by("pk").values_list("unit__unit_number", "programme__code", "state",
                                            "valid_from"))


@pytest.mark.django_db
def test_deterministic_for_a_seed():
    runs = []
    for _ in range(2):
        with transaction.atomic():
            Generator(scale=0.0005, seed=11, today=TODAY, log=lambda step: None).run()
            runs.append(_digest())
            transaction.set_rollback(True)
    assert runs[0] and runs[0] == runs[1]


def test_command_refuses_a_database_with_generated_data(generated):
    with pytest.raises(CommandError, match="already holds generated data"):
        call_command("bench_data", scale=0.001, stdout=StringIO())


@pytest.mark.django_db
def test_command_reports_the_rows():
    out = StringIO()
    call_command("bench_data", scale=0.0005, today=TODAY, stdout=out)
    assert "enterprises_enterprise" in out.getvalue()
    assert "Generated" in out.getvalue()
