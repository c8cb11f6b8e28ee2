import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def construction_unit(demo_enterprise):
    return demo_enterprise.units.get(joint_committee__number="124")


@pytest.fixture
def dakwerker(db):
    from werkplek.catalog.models import Programme

    return Programme.objects.get(code="dakwerker-duaal")


@pytest.fixture
def draft(demo_user, demo_enterprise):
    from werkplek.applications import services

    return services.create_draft(actor=demo_user("werkgever"), enterprise=demo_enterprise)


@pytest.fixture
def ready_draft(draft, demo_user, construction_unit, dakwerker):
    """A draft with every section filled in, ready to submit."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from werkplek.applications import services
    from werkplek.applications.models import ApplicationMentor, Document

    employer = demo_user("werkgever")
    services.save_unit(actor=employer, application=draft, unit=construction_unit)
    services.save_programme(actor=employer, application=draft, programme=dakwerker,
                            activities_offered=list(range(len(dakwerker.activities))))
    services.save_workplace(actor=employer, application=draft, financial_capacity=True,
                            has_convictions=False, infrastructure_fits=True)
    jan = draft.enterprise.mentors.get(last_name="Peeters")
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
    draft.refresh_from_db()
    return draft
