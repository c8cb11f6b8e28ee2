"""Decided applications built directly (submit, then the state machine's own transitions), so
these tests do not depend on the back office's decision service."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from werkplek.accounts.demo import DEMO_ENTERPRISE_NUMBER
from werkplek.accounts.models import User

JAN_COMPACT = "80051412308"
JAN_FORMATTED = "80.05.14-123.08"
REASONS = {
    "approve": "Alle voorwaarden zijn vervuld; de mentor Jan Peeters is bevestigd.",
    "refuse": "De werkplek kan de activiteiten van het opleidingsplan niet aanbieden.",
}


def submitted_application(*, programme_code: str = "dakwerker-duaal"):
    """A submitted application of the demo enterprise for its construction unit."""
    from werkplek.applications import services
    from werkplek.applications.models import ApplicationMentor, Document
    from werkplek.catalog.models import Programme
    from werkplek.enterprises.models import Enterprise

    employer = User.objects.get(username="werkgever")
    enterprise = Enterprise.objects.get(enterprise_number=DEMO_ENTERPRISE_NUMBER)
    unit = enterprise.units.get(joint_committee__number="124")
    programme = Programme.objects.get(code=programme_code)
    draft = services.create_draft(actor=employer, enterprise=enterprise)
    services.save_unit(actor=employer, application=draft, unit=unit)
    services.save_programme(actor=employer, application=draft, programme=programme,
                            activities_offered=list(range(len(programme.activities))))
    services.save_workplace(actor=employer, application=draft, financial_capacity=True,
                            has_convictions=False, infrastructure_fits=True)
    jan = enterprise.mentors.get(last_name="Peeters")
    entry = ApplicationMentor.objects.create(application=draft, mentor=jan,
                                             years_of_experience=20,
                                             training=ApplicationMentor.Training.DONE)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    for kind, mentor in ((Document.Kind.CRIMINAL_RECORD_EXTRACT, entry),
                         (Document.Kind.DECLARATION_ON_HONOUR, None)):
        Document.objects.create(
            application=draft, kind=kind, mentor=mentor, original_name="doc.pdf",
            content_type="application/pdf", size=len(pdf), sha256="0" * 64,
            uploaded_by=employer, file=SimpleUploadedFile("doc.pdf", pdf),
        )
    return services.submit(actor=employer, application_id=draft.pk)


def decide(application, decision: str, *, handler_name: str = "behandelaar-bouw"):
    """Take a submitted application through mark_complete → propose → approve/refuse, record
    the decision, and for an approval create the recognition with the confirmed mentor."""
    from werkplek.applications.models import Application, ApplicationMentor
    from werkplek.core.deadlines import recognition_validity
    from werkplek.recognitions.models import Recognition, RecognitionMentor

    handler = User.objects.get(username=handler_name)
    now = timezone.now()
    application.mark_complete()
    application.propose()
    application.proposal = decision
    application.proposal_reasons = REASONS[decision]
    application.proposed_at, application.proposed_by = now, handler
    if decision == Application.Outcome.APPROVE:
        application.approve()
    else:
        application.refuse()
    application.decision = decision
    application.decision_reasons = REASONS[decision]
    application.decided_at, application.decided_by = now, handler
    application.save()
    if decision == Application.Outcome.APPROVE:
        application.mentors.update(check_result=ApplicationMentor.Check.CONFIRMED,
                                   checked_by=handler, checked_at=now)
        today = timezone.localdate(now)
        validity = recognition_validity(today)
        recognition = Recognition.objects.create(
            enterprise=application.enterprise, unit=application.unit,
            programme=application.programme, partnership=application.partnership,
            application=application, valid_from=today, valid_until=validity.day,
            validity_rule=validity.rule, created_by=handler)
        for entry in application.mentors.select_related("mentor"):
            RecognitionMentor.objects.create(recognition=recognition, mentor=entry.mentor,
                                             since=today)
    return application


def decided_application(decision: str = "approve"):
    return decide(submitted_application(), decision)


def issue(application):
    """Issue the letter the way the decision does: inside one transaction."""
    from django.db import transaction

    from werkplek.notices.services import issue_decision_letter

    with transaction.atomic():
        return issue_decision_letter(application=application,
                                     actor=User.objects.get(username="behandelaar-bouw"))


@pytest.fixture
def approved(db):
    return decided_application("approve")


@pytest.fixture
def refused(db):
    return decided_application("refuse")


@pytest.fixture
def user(db):
    return lambda username: User.objects.get(username=username)


@pytest.fixture
def prepared(django_capture_on_commit_callbacks):
    """Issue the letter of an application and run the task that renders it and creates the
    deliveries (the send tasks it enqueues stay in the queue)."""
    from werkplek.notices.tasks import prepare_letter

    def run(application):
        letter = issue(application)
        with django_capture_on_commit_callbacks(execute=True):
            prepare_letter.call(letter.pk)
        letter.refresh_from_db()
        return letter

    return run


def make_flaky(inbox) -> dict:
    """Let the `smtp_server` refuse every message with a temporary error ("451") until
    `switch["refuse"]` is set to False; then it accepts them again. Returns the switch."""
    accept = inbox.handle_DATA
    switch = {"refuse": True, "refused": 0}

    async def handle_DATA(server, session, envelope):
        if switch["refuse"]:
            switch["refused"] += 1
            return "451 4.3.0 Mail server busy, try again later"
        return await accept(server, session, envelope)

    inbox.handle_DATA = handle_DATA  # read by each new connection
    return switch


def make_retries_due() -> int:
    """Bring the retries waiting in the task queue forward to now (instead of waiting)."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


@pytest.fixture(autouse=True)
def english():
    """The tests read the English texts; those that check a Dutch letter say so themselves."""
    from django.utils import translation

    with translation.override("en"):
        yield
