"""A service that fails half-way leaves nothing half-written.

Each test makes a later step of one action fail (a fault injected where the last rows are
written), sends the action as an HTTP request, and checks that nothing of it remains: no state
change, no timeline event, no reference used up, no recognition, no letter, no job queued, no
row and no file. The requests commit for real (`committed_data`: transactions, not a test's
savepoints), on SQLite and on PostgreSQL.

The last test reads the services' source: every public function of a `services.py` (and of the
back office's) that writes the database runs in one transaction."""

import ast
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ..conftest import national_number_born

SRC = Path(__file__).resolve().parent.parent.parent / "src" / "werkplek"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Fault(Exception):
    """The failure injected into a service's later step."""


def _fail(*_args, **_kwargs):
    raise Fault("injected: the service fails half-way")


def _user(username: str):
    from werkplek.accounts.models import User

    return User.objects.get(username=username)


def browser(username: str) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(_user(username))
    return client


def _construction_unit():
    from werkplek.accounts.demo import DEMO_ENTERPRISE_NUMBER
    from werkplek.enterprises.models import Enterprise

    return Enterprise.objects.get(enterprise_number=DEMO_ENTERPRISE_NUMBER).units.get(
        joint_committee__number="124")


def _ready_draft():
    from werkplek.applications import services
    from werkplek.applications.models import ApplicationMentor, Document
    from werkplek.catalog.models import Programme

    employer = _user("werkgever")
    unit = _construction_unit()
    programme = Programme.objects.get(code="dakwerker-duaal")
    draft = services.create_draft(actor=employer, enterprise=unit.enterprise)
    services.save_unit(actor=employer, application=draft, unit=unit)
    services.save_programme(actor=employer, application=draft, programme=programme,
                            activities_offered=list(range(len(programme.activities))))
    services.save_workplace(actor=employer, application=draft, financial_capacity=True,
                            has_convictions=False, infrastructure_fits=True)
    entry = ApplicationMentor.objects.create(
        application=draft, mentor=unit.enterprise.mentors.get(last_name="Peeters"),
        years_of_experience=20, training=ApplicationMentor.Training.DONE)
    for kind, mentor in ((Document.Kind.CRIMINAL_RECORD_EXTRACT, entry),
                         (Document.Kind.DECLARATION_ON_HONOUR, None)):
        Document.objects.create(
            application=draft, kind=kind, mentor=mentor, original_name="doc.pdf",
            content_type="application/pdf", size=len(PDF), sha256="0" * 64,
            uploaded_by=employer, file=SimpleUploadedFile("doc.pdf", PDF))
    return draft


def _snapshot(application) -> dict:
    from werkplek.applications.models import Application

    row = Application.objects.filter(pk=application.pk).values(
        "state", "version", "reference", "submitted_at", "decided_at", "decision",
        "partnership_id").get()
    return {**row, "events": list(application.events.values_list("kind", flat=True))}


def _tasks() -> int:
    return DBTaskResult.objects.count()


def test_a_submission_failing_half_way_leaves_the_draft_as_it_was(committed_data, monkeypatch):
    """The failure comes after the state changed, the reference was taken and the
    "submitted" event was written: the routing event."""
    from werkplek.applications import services
    from werkplek.applications.models import ApplicationEvent, ReferenceSequence

    draft = _ready_draft()
    before = _snapshot(draft)
    sequences = list(ReferenceSequence.objects.values_list("year", "last"))
    tasks = _tasks()
    event = services._event

    def routed_fails(application, kind, **kwargs):
        if kind == ApplicationEvent.Kind.ROUTED:
            _fail()
        return event(application, kind, **kwargs)

    monkeypatch.setattr(services, "_event", routed_fails)
    with pytest.raises(Fault):
        browser("werkgever").post(reverse("applications:submit", args=[draft.pk]))

    assert _snapshot(draft) == before and before["state"] == "draft"
    assert list(ReferenceSequence.objects.values_list("year", "last")) == sequences
    assert _tasks() == tasks  # no receipt queued


def _adopted():
    """A submitted application with an approval proposed and adopted by the vote."""
    from werkplek.applications import backoffice, services

    handler = _user("behandelaar-bouw")
    application = services.submit(actor=_user("werkgever"), application_id=_ready_draft().pk)
    backoffice.mark_complete(actor=handler, application_id=application.pk)
    backoffice.check_mentor(actor=handler, application_id=application.pk,
                            entry_id=application.mentors.get().pk, result="confirmed")
    application.refresh_from_db()
    backoffice.propose(actor=handler, application_id=application.pk,
                       version=application.version, proposal="approve", reasons="In orde.")
    backoffice.cast_vote(actor=_user("stemgerechtigde"), application_id=application.pk,
                         in_favour=True)
    application.refresh_from_db()
    return application


def test_a_decision_failing_half_way_grants_nothing(committed_data, monkeypatch):
    """The failure comes after the approval was saved, the recognition created (with its
    mentors and its timeline) and the "approved" event written: the decision letter."""
    from werkplek.notices import services as notices
    from werkplek.notices.models import Delivery, Letter
    from werkplek.recognitions.models import Recognition, RecognitionEvent, RecognitionMentor

    application = _adopted()
    before = _snapshot(application)
    counts = (Recognition.objects.count(), RecognitionMentor.objects.count(),
              RecognitionEvent.objects.count(), Letter.objects.count(),
              Delivery.objects.count())
    tasks = _tasks()
    monkeypatch.setattr(notices, "issue_decision_letter", _fail)
    with pytest.raises(Fault):
        browser("behandelaar-bouw").post(
            reverse("applications:case_decide", args=[application.pk]),
            {"decision-version": application.version, "decision-reasons": "In orde."})

    assert _snapshot(application) == before and before["state"] == "proposed"
    assert (Recognition.objects.count(), RecognitionMentor.objects.count(),
            RecognitionEvent.objects.count(), Letter.objects.count(),
            Delivery.objects.count()) == counts
    assert _tasks() == tasks


def _refusal(*, days_ago: int = 2):
    from werkplek.applications.models import Application
    from werkplek.catalog.models import Partnership, Programme

    unit = _construction_unit()
    decided = timezone.make_aware(datetime.combine(
        timezone.localdate() - timedelta(days=days_ago), time(12)))
    return Application.objects.create(
        enterprise=unit.enterprise, unit=unit,
        programme=Programme.objects.get(code="dakwerker-duaal"), created_by=_user("werkgever"),
        partnership=Partnership.objects.get(code="bouw"), reference="WP-ATOM-000001",
        state="refused", decision="refuse", decision_reasons="No mentor meets the conditions.",
        decided_at=decided, submitted_at=decided - timedelta(days=10))


def _files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_an_appeal_failing_half_way_leaves_no_appeal_no_documents_and_no_files(
        committed_data, monkeypatch, settings):
    """The failure comes after the appeal, its two documents (rows and files) and its
    "filed" event were written: the receipt letter."""
    from werkplek.appeals import services
    from werkplek.appeals.models import Appeal, AppealDocument, AppealEvent
    from werkplek.notices.models import Letter
    from werkplek.recognitions.models import Counter

    refusal = _refusal()
    counters = list(Counter.objects.values_list("pk", "last"))
    files = _files(Path(settings.MEDIA_ROOT))
    tasks = _tasks()
    monkeypatch.setattr(services, "_letter", _fail)
    with pytest.raises(Fault):
        browser("vertegenwoordiger").post(
            reverse("appeals:file_refusal", args=[refusal.pk]),
            {"grounds": "Jan Peeters has 20 years of experience.",
             "documents": [SimpleUploadedFile("cv.pdf", PDF),
                           SimpleUploadedFile("diploma.pdf", PDF)]})

    assert not Appeal.objects.exists()
    assert not AppealDocument.objects.exists() and not AppealEvent.objects.exists()
    assert not Letter.objects.filter(appeal__isnull=False).exists()
    assert list(Counter.objects.values_list("pk", "last")) == counters  # no reference used
    assert _files(Path(settings.MEDIA_ROOT)) == files  # the two PDFs were removed again
    assert _tasks() == tasks
    # And it works once the fault is gone: the enterprise can simply try again.
    monkeypatch.undo()
    response = browser("vertegenwoordiger").post(
        reverse("appeals:file_refusal", args=[refusal.pk]),
        {"grounds": "Jan Peeters has 20 years of experience.",
         "documents": [SimpleUploadedFile("cv.pdf", PDF)]})
    assert response.status_code == 302
    assert Appeal.objects.get().documents.count() == 1


def test_an_overturned_refusal_failing_half_way_recognises_nothing(committed_data,
                                                                   monkeypatch):
    """The failure comes after the appeal was overturned, the recognition granted, the
    application's "overturned" event and the appeal's own event written: the letter."""
    from werkplek.appeals import services
    from werkplek.appeals.models import Appeal
    from werkplek.recognitions.models import Recognition

    refusal = _refusal()
    appeal = services.file_appeal(actor=_user("vertegenwoordiger"), application_id=refusal.pk,
                                  grounds="Jan Peeters has 20 years of experience.")
    appeal = services.decide_admissibility(actor=_user("beroepscommissie"),
                                           appeal_id=appeal.pk, admissible=True)
    events = list(appeal.events.values_list("kind", flat=True))
    tasks = _tasks()
    monkeypatch.setattr(services, "_letter", _fail)
    with pytest.raises(Fault):
        browser("beroepscommissie").post(
            reverse("appeals:decide", args=[appeal.pk]),
            {"decision-version": appeal.version, "decision-overturn": "overturn",
             "decision-reasons": "The mentor meets the conditions."})

    fresh = Appeal.objects.get(pk=appeal.pk)
    assert (fresh.state, fresh.version, fresh.decided_at) == ("admissible", appeal.version,
                                                              None)
    assert list(fresh.events.values_list("kind", flat=True)) == events
    assert not Recognition.objects.filter(application=refusal).exists()
    assert not refusal.events.filter(kind="overturned").exists()
    assert _tasks() == tasks


def test_a_confirmation_failing_half_way_leaves_the_agreement_waiting(committed_data,
                                                                      monkeypatch):
    """The failure comes after the agreement was activated and saved: its timeline event."""
    from werkplek.accounts.models import Membership, Role
    from werkplek.agreements import services
    from werkplek.agreements.models import Agreement
    from werkplek.catalog.models import Partnership, Programme
    from werkplek.core.deadlines import recognition_validity
    from werkplek.recognitions.models import Recognition, RecognitionMentor

    unit = _construction_unit()
    start = timezone.localdate() - timedelta(days=365)
    bouw = Partnership.objects.get(code="bouw")
    recognition = Recognition.objects.create(
        enterprise=unit.enterprise, unit=unit, partnership=bouw,
        programme=Programme.objects.get(code="dakwerker-duaal"), valid_from=start,
        valid_until=recognition_validity(start).day, validity_rule="recognition:5-years")
    mentor = unit.enterprise.mentors.get(last_name="Peeters")
    RecognitionMentor.objects.create(recognition=recognition, mentor=mentor, since=start)
    coach = _user("trajectbegeleider")
    agreement = services.register_agreement(
        actor=coach, recognition_id=recognition.pk, first_name="Lotte", last_name="Leerling",
        national_number=national_number_born(date(2008, 5, 5), 1),
        training_provider_id=Membership.objects.get(user=coach,
                                                    role=Role.COACH).training_provider_id,
        mentor_id=mentor.pk, start_date=timezone.localdate(),
        end_date=timezone.localdate() + timedelta(days=200), weekly_hours="24")
    monkeypatch.setattr(services, "_event", _fail)
    with pytest.raises(Fault):
        browser("werkgever").post(reverse("agreements:confirm", args=[agreement.pk]))

    fresh = Agreement.objects.get(pk=agreement.pk)
    assert (fresh.state, fresh.confirmed_at, fresh.confirmed_by) == ("draft", None, None)
    assert list(fresh.events.values_list("kind", flat=True)) == ["registered"]


# --- every write service is one transaction ----------------------------------------------------

WRITES = (".save(", ".create(", ".update(", ".delete(", "bulk_create(", "get_or_create(",
          "update_or_create(", ".store(")
# Public functions that write one row only, on purpose outside a transaction.
SINGLE_ROW = {("api", "authenticate")}  # the token's last use, best effort


def _write_services():
    for path in sorted([*SRC.glob("*/services.py"), SRC / "applications" / "backoffice.py"]):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                source = ast.unparse(node)
                if any(write in source for write in WRITES):
                    yield path.parent.name, node


def test_every_public_write_service_runs_in_one_transaction():
    """Each public function of a services module that writes is `@transaction.atomic`, or
    (a daily job) opens one transaction per item it changes."""
    not_atomic = []
    for app, node in _write_services():
        decorated = any("atomic" in ast.unparse(d) for d in node.decorator_list)
        per_item = "transaction.atomic()" in ast.unparse(node)
        if not (decorated or per_item) and (app, node.name) not in SINGLE_ROW:
            not_atomic.append(f"{app}.{node.name}")
    assert not not_atomic, f"write services outside a transaction: {not_atomic}"
