"""The retention job: what it deletes (rows and files), what it keeps, and that running it
again changes nothing."""

from datetime import timedelta
from itertools import count
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from werkplek.appeals.models import Appeal, AppealDocument, FinalDecision
from werkplek.applications.models import Application, ApplicationEvent, Document
from werkplek.core.models import RetentionCheckpoint
from werkplek.core.retention import apply_retention, years_before

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXTRACT = Document.Kind.CRIMINAL_RECORD_EXTRACT
DECLARATION = Document.Kind.DECLARATION_ON_HONOUR
_numbers = count(1)


@pytest.fixture
def employer(demo_user):
    return demo_user("werkgever")


@pytest.fixture
def bouw(db):
    from werkplek.catalog.models import Partnership

    return Partnership.objects.get(code="bouw")


def ago(**delta):
    return timezone.now() - timedelta(**delta)


@pytest.fixture
def make_application(demo_enterprise, employer, bouw):
    """An application in `state`, decided (approved, refused) at `decided`, last changed at
    `updated`, with an end event (withdrawn, lapsed, approved) at `ended`."""

    def make(state: str, *, decided=None, updated=None, ended=None) -> Application:
        application = Application.objects.create(
            enterprise=demo_enterprise, created_by=employer, state=state, partnership=bouw,
            reference=None if state == "draft" else f"WP-R-{next(_numbers):06d}",
            decided_at=decided, decision={"approved": "approve", "refused": "refuse"}.get(
                state, ""))
        if ended is not None:
            event = ApplicationEvent.objects.create(
                application=application, kind={"approved": "approved", "withdrawn": "withdrawn",
                                                "lapsed": "lapsed"}[state])
            ApplicationEvent.objects.filter(pk=event.pk).update(created_at=ended)
        Application.objects.filter(pk=application.pk).update(
            updated_at=updated or decided or ended or timezone.now())
        application.refresh_from_db()
        return application

    return make


@pytest.fixture
def add_document(employer):
    def add(application, kind=DECLARATION, *, extra_code="", uploaded=None) -> Document:
        document = Document.objects.create(
            application=application, kind=kind, extra_code=extra_code, original_name="d.pdf",
            content_type="application/pdf", size=len(PDF), sha256="0" * 64,
            uploaded_by=employer, file=SimpleUploadedFile("d.pdf", PDF))
        if uploaded is not None:
            Document.objects.filter(pk=document.pk).update(uploaded_at=uploaded)
        assert Path(document.file.path).exists()
        return document

    return add


@pytest.fixture
def make_appeal(demo_user, bouw):
    def make(application, state: str, *, closed=None) -> Appeal:
        filed = (application.decided_at or timezone.now()) + timedelta(days=5)
        appeal = Appeal.objects.create(
            reference=f"B-R-{next(_numbers):06d}", enterprise=application.enterprise,
            application=application, partnership=bouw, state=state, grounds="Not fair.",
            filed_at=filed, filed_by=demo_user("vertegenwoordiger"), notified_on=filed.date(),
            appeal_until=filed.date(), in_time=True, admissibility_due=filed.date(),
            admissibility_rule="test", admissibility_decided_at=closed if closed else None,
            decided_at=closed if state in ("upheld", "overturned") else None)
        return appeal

    return make


def final(application, when) -> FinalDecision:
    return FinalDecision.objects.create(application=application, notified_on=when.date(),
                                        appeal_until=when.date(), appeal_rule="test",
                                        final_since=when)


def gone(document) -> bool:
    model = type(document)
    return not model.objects.filter(pk=document.pk).exists() and \
        not Path(document.file.path).exists()


def kept(document) -> bool:
    model = type(document)
    return model.objects.filter(pk=document.pk).exists() and Path(document.file.path).exists()


def run(**kwargs):
    from django.test.testcases import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return apply_retention(**kwargs)


# --- Drafts -----------------------------------------------------------------------------------


def test_drafts_untouched_for_180_days_are_deleted_with_their_files(make_application,
                                                                    add_document):
    stale = make_application("draft", updated=ago(days=181))
    stale_document = add_document(stale, EXTRACT, uploaded=ago(days=190))
    recent = make_application("draft", updated=ago(days=179))
    recent_document = add_document(recent)
    old_but_uploaded = make_application("draft", updated=ago(days=200))
    add_document(old_but_uploaded, uploaded=ago(days=3))  # a recent upload counts as a touch
    submitted = make_application("submitted", updated=ago(days=400))

    report = run()

    assert report.drafts == 1
    assert not Application.objects.filter(pk=stale.pk).exists()
    assert gone(stale_document)
    assert kept(recent_document)
    assert Application.objects.filter(
        pk__in=[recent.pk, old_but_uploaded.pk, submitted.pk]).count() == 3


def test_the_draft_period_comes_from_the_settings(settings, make_application):
    settings.WERKPLEK_RETENTION_DRAFT_DAYS = 10
    draft = make_application("draft", updated=ago(days=11))
    assert run().drafts == 1
    assert not Application.objects.filter(pk=draft.pk).exists()


# --- Extracts from the criminal record --------------------------------------------------------


def test_extracts_are_deleted_30_days_after_the_decision_became_final(
        make_application, add_document, make_appeal):
    approved = make_application("approved", decided=ago(days=31), ended=ago(days=31))
    approved_extract = add_document(approved, EXTRACT)
    approved_declaration = add_document(approved, DECLARATION)
    sector_extract = add_document(approved, Document.Kind.SECTOR_EXTRA,
                                  extra_code="uittreksel-strafregister-model-2")
    other_extra = add_document(approved, Document.Kind.SECTOR_EXTRA, extra_code="rsz-attest")
    recently_approved = make_application("approved", decided=ago(days=29), ended=ago(days=29))
    recent_extract = add_document(recently_approved, EXTRACT)

    refused_final = make_application("refused", decided=ago(days=60))
    final(refused_final, ago(days=45))
    refused_final_extract = add_document(refused_final, EXTRACT)
    refused_open = make_application("refused", decided=ago(days=60))  # window not closed yet
    refused_open_extract = add_document(refused_open, EXTRACT)
    appealed = make_application("refused", decided=ago(days=90))
    make_appeal(appealed, "admissible", closed=ago(days=80))
    appealed_extract = add_document(appealed, EXTRACT)
    upheld = make_application("refused", decided=ago(days=90))
    make_appeal(upheld, "upheld", closed=ago(days=40))
    upheld_extract = add_document(upheld, EXTRACT)
    upheld_lately = make_application("refused", decided=ago(days=90))
    make_appeal(upheld_lately, "upheld", closed=ago(days=5))
    upheld_lately_extract = add_document(upheld_lately, EXTRACT)
    withdrawn = make_application("withdrawn", ended=ago(days=35))
    withdrawn_extract = add_document(withdrawn, EXTRACT)
    in_progress = make_application("in_progress", updated=ago(days=400))
    in_progress_extract = add_document(in_progress, EXTRACT)

    report = run()

    for document in (approved_extract, sector_extract, refused_final_extract, upheld_extract,
                     withdrawn_extract):
        assert gone(document), document.application
    for document in (approved_declaration, other_extra, recent_extract, refused_open_extract,
                     appealed_extract, upheld_lately_extract, in_progress_extract):
        assert kept(document), document.application
    assert report.extracts == 5
    assert report.closed_documents == 0


def test_a_late_appeal_keeps_the_extract_until_it_is_closed(make_application, add_document,
                                                            make_appeal):
    start = timezone.now()
    refused = make_application("refused", decided=start - timedelta(days=90))
    final(refused, start - timedelta(days=75))
    late = make_appeal(refused, "filed")
    extract = add_document(refused, EXTRACT)
    assert run(now=start).extracts == 0
    assert kept(extract)

    # The committee finds it inadmissible the next day; 30 days later the extract goes.
    Appeal.objects.filter(pk=late.pk).update(state="inadmissible",
                                             admissibility_decided_at=start + timedelta(days=1))
    assert run(now=start + timedelta(days=30)).extracts == 0
    assert run(now=start + timedelta(days=31, minutes=1)).extracts == 1
    assert gone(extract)


def test_extracts_of_mentors_added_to_a_recognition(demo_enterprise, employer, bouw):
    from werkplek.catalog.models import Programme
    from werkplek.recognitions.models import MentorDocument, Recognition, RecognitionMentor

    unit = demo_enterprise.units.get(joint_committee__number="124")
    today = timezone.localdate()
    recognition = Recognition.objects.create(
        enterprise=demo_enterprise, unit=unit, programme=Programme.objects.get(
            code="dakwerker-duaal"), partnership=bouw, valid_from=today - timedelta(days=400),
        valid_until=today + timedelta(days=1400), validity_rule="recognition:5-years")
    link = RecognitionMentor.objects.create(
        recognition=recognition, mentor=demo_enterprise.mentors.get(last_name="Peeters"),
        since=today)

    def add(kind, days):
        document = MentorDocument.objects.create(
            link=link, kind=kind, original_name="d.pdf", content_type="application/pdf",
            size=len(PDF), sha256="0" * 64, uploaded_by=employer,
            file=SimpleUploadedFile("d.pdf", PDF))
        MentorDocument.objects.filter(pk=document.pk).update(uploaded_at=ago(days=days))
        return document

    old_extract = add(MentorDocument.Kind.CRIMINAL_RECORD_EXTRACT, 31)
    new_extract = add(MentorDocument.Kind.CRIMINAL_RECORD_EXTRACT, 29)
    proof = add(MentorDocument.Kind.PRIOR_EDUCATION_PROOF, 400)

    assert run().mentor_extracts == 1
    assert gone(old_extract)
    assert kept(new_extract) and kept(proof)


# --- Closed applications ----------------------------------------------------------------------


def test_documents_of_refused_withdrawn_and_lapsed_applications_go_after_5_years(
        demo_enterprise, make_application, add_document, make_appeal, employer):
    from werkplek.catalog.models import Programme
    from werkplek.recognitions.models import Recognition

    six_years = years_before(timezone.now(), 6)
    refused = make_application("refused", decided=six_years)
    final(refused, six_years + timedelta(days=15))
    refused_document = add_document(refused)
    appealed = make_application("refused", decided=six_years)
    appeal = make_appeal(appealed, "upheld", closed=six_years + timedelta(days=60))
    appeal_document = AppealDocument.objects.create(
        appeal=appeal, original_name="grounds.pdf", content_type="application/pdf",
        size=len(PDF), sha256="0" * 64, uploaded_by=employer,
        file=SimpleUploadedFile("g.pdf", PDF))
    appealed_document = add_document(appealed)
    lapsed = make_application("lapsed", ended=six_years)
    lapsed_document = add_document(lapsed)

    overturned = make_application("refused", decided=six_years)
    make_appeal(overturned, "overturned", closed=six_years + timedelta(days=60))
    Recognition.objects.create(
        enterprise=demo_enterprise, unit=demo_enterprise.units.first(),
        programme=Programme.objects.get(code="dakwerker-duaal"),
        partnership=overturned.partnership, application=overturned, state="expired",
        valid_from=six_years.date(), valid_until=six_years.date() + timedelta(days=365),
        validity_rule="recognition:5-years")
    overturned_document = add_document(overturned)
    approved = make_application("approved", decided=six_years, ended=six_years)
    approved_document = add_document(approved)
    four_years = years_before(timezone.now(), 4)
    recent = make_application("withdrawn", ended=four_years)
    recent_document = add_document(recent)

    report = run()

    for document in (refused_document, appeal_document, appealed_document, lapsed_document):
        assert gone(document)
    for document in (overturned_document, approved_document, recent_document):
        assert kept(document)
    assert report.closed_documents == 4


# --- Running again ----------------------------------------------------------------------------


def test_running_again_changes_nothing(make_application, add_document):
    draft = make_application("draft", updated=ago(days=200))
    add_document(draft, uploaded=ago(days=200))
    approved = make_application("approved", decided=ago(days=40), ended=ago(days=40))
    add_document(approved, EXTRACT)
    withdrawn = make_application("withdrawn", ended=years_before(timezone.now(), 6))
    add_document(withdrawn)

    first = run()
    assert (first.drafts, first.extracts, first.closed_documents, first.files) == (1, 1, 1, 3)
    again = run()
    assert (again.drafts, again.extracts, again.mentor_extracts, again.closed_documents,
            again.files) == (0, 0, 0, 0, 0)
    assert set(RetentionCheckpoint.objects.values_list("rule", flat=True)) == {
        "extracts", "closed_applications"}


def test_a_later_run_reads_only_what_became_due_since(make_application, add_document,
                                                      django_assert_max_num_queries):
    start = timezone.now()
    run(now=start)  # the first run looks at everything and sets the checkpoints
    for _ in range(5):  # closed long ago and cleaned already: not read again
        make_application("withdrawn", ended=years_before(start, 7))
    approved = make_application("approved", decided=start - timedelta(days=10),
                                ended=start - timedelta(days=10))
    extract = add_document(approved, EXTRACT)
    # Approved before the checkpoint (loaded afterwards with an old date): only --full sees it.
    backdated = make_application("approved", decided=start - timedelta(days=300),
                                 ended=start - timedelta(days=300))
    backdated_extract = add_document(backdated, EXTRACT)

    # A fixed number, whatever the history holds (four of them delete the old security logs).
    with django_assert_max_num_queries(26):
        report = run(now=start + timedelta(days=25))
    assert report.extracts == 1
    assert gone(extract)
    assert kept(backdated_extract)

    assert run(now=start + timedelta(days=25), full=True).extracts == 1
    assert gone(backdated_extract)


def test_the_command_reports_counts_and_a_dry_run_deletes_nothing(make_application,
                                                                  add_document):
    from io import StringIO

    draft = make_application("draft", updated=ago(days=200))
    document = add_document(draft, uploaded=ago(days=200))

    out = StringIO()
    call_command("retention_daily", "--dry-run", stdout=out)
    assert "Would delete 1 draft(s) (untouched for 180 days)" in out.getvalue()
    assert kept(document)
    assert not RetentionCheckpoint.objects.exists()

    from django.test.testcases import TestCase

    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("retention_daily", stdout=out)
    assert "Deleted 1 draft(s)" in out.getvalue()
    assert "1 file(s)" in out.getvalue()
    assert gone(document)


# --- Orphan files ---------------------------------------------------------------------------


def _age(path: Path, *, days: float) -> None:
    import os

    moment = (timezone.now() - timedelta(days=days)).timestamp()
    os.utime(path, (moment, moment))


def test_a_file_left_by_a_rolled_back_upload_is_removed_after_a_day(make_application,
                                                                    add_document):
    from django.db import transaction

    application = make_application("submitted")
    named = add_document(application)
    with pytest.raises(RuntimeError), transaction.atomic():
        left = add_document(application, EXTRACT)
        raise RuntimeError("the request fails after the upload was stored")
    orphan = Path(left.file.path)
    assert orphan.exists() and not Document.objects.filter(pk=left.pk).exists()

    report = run()  # a file of this morning may still belong to a transaction under way
    assert report.orphan_files == 0 and orphan.exists()

    _age(orphan, days=2)
    _age(Path(named.file.path), days=2)
    report = run(dry_run=True)
    assert report.orphan_files == 1 and orphan.exists()

    report = run()
    assert report.orphan_files == 1
    assert not orphan.exists()
    assert kept(named)  # old, but named by its row
    assert run().orphan_files == 0


def test_files_named_by_any_model_are_kept(make_application, make_appeal, employer):
    """Every model with a file in the private storage counts: an appeal's document and a
    letter are no orphans."""
    from werkplek.core.uploads import private_file_fields

    fields = {f"{model._meta.label}.{name}" for model, name in private_file_fields()}
    assert {"applications.Document.file", "appeals.AppealDocument.file",
            "notices.Letter.file", "enterprises.Mandate.document"} <= fields

    application = make_application("refused", decided=ago(days=3))
    appeal = make_appeal(application, "filed")
    document = AppealDocument.objects.create(
        appeal=appeal, original_name="grounds.pdf", content_type="application/pdf",
        size=len(PDF), sha256="0" * 64, uploaded_by=employer,
        file=SimpleUploadedFile("g.pdf", PDF))
    _age(Path(document.file.path), days=30)
    assert run().orphan_files == 0
    assert kept(document)


# --- Security logs --------------------------------------------------------------------------


def test_security_logs_older_than_a_year_are_deleted(employer):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from werkplek.core.models import PersonalDataAccess

    def log(model, field, when):
        row = model.objects.create(**({"user": employer, "subject": "mentor:1",
                                        "purpose": "case document"}
                                       if model is PersonalDataAccess else
                                       {"username": "werkgever", "ip_address": "203.0.113.5",
                                        "user_agent": f"test {when:%j}",
                                        **({"failures_since_start": 1}
                                           if model is AccessAttempt else {})}))
        model.objects.filter(pk=row.pk).update(**{field: when})
        return row

    models = [(AccessAttempt, "attempt_time"), (AccessFailureLog, "attempt_time"),
              (AccessLog, "attempt_time"), (PersonalDataAccess, "at")]
    old = [log(model, field, ago(days=366)) for model, field in models]
    recent = [log(model, field, ago(days=364)) for model, field in models]
    assert run(dry_run=True).log_entries == 4
    assert run().log_entries == 4
    assert not any(type(row).objects.filter(pk=row.pk).exists() for row in old)
    assert all(type(row).objects.filter(pk=row.pk).exists() for row in recent)
