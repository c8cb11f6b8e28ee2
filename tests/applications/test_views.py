"""The application journey through the Django test client, permissions, and the receipt."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from werkplek.applications.models import Application, Document

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n"
       b"<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def pdf(name="extract.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def url(name, application, *args):
    return reverse(f"applications:{name}", args=[application.pk, *args])


def fill_in(client, application, unit, programme, jan):
    """Every section through the pages, as the employer does in the browser."""
    assert client.post(url("unit", application), {"unit": unit.pk})["Location"] == url(
        "detail", application)
    assert client.post(url("programme", application),
                       {"programme": programme.name_nl})["Location"] == url("activities",
                                                                            application)
    all_activities = [str(i) for i in range(len(programme.activities))]
    client.post(url("activities", application), {"activities": all_activities})
    client.post(url("workplace", application), {"financial_capacity": "yes",
                                                "has_convictions": "no",
                                                "infrastructure_fits": "yes"})
    response = client.post(url("add_mentor", application), {
        "existing": jan.pk, "years_of_experience": "20", "training": "done",
        "extract": pdf()})
    assert response["Location"] == url("mentors", application), response.content.decode()[:3000]
    response = client.post(url("declaration", application), {"declaration": pdf("signed.pdf")})
    assert response["Location"] == url("detail", application)


@pytest.fixture
def employer_client(client, demo_user):
    client.force_login(demo_user("werkgever"))
    return client


def start(client, enterprise):
    response = client.post(reverse("applications:start"),
                           {"enterprise_number": enterprise.enterprise_number})
    return Application.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_the_whole_journey_by_the_employer(employer_client, demo_enterprise, construction_unit,
                                           dakwerker, django_capture_on_commit_callbacks):
    client = employer_client
    application = start(client, demo_enterprise)
    page = client.get(url("detail", application), **EN)
    assert page.context["states"]["unit"] == "not_started"
    jan = demo_enterprise.mentors.get(last_name="Peeters")
    fill_in(client, application, construction_unit, dakwerker, jan)
    page = client.get(url("detail", application), **EN)
    assert set(page.context["states"].values()) == {"completed"}
    check = client.get(url("check", application), **EN)
    assert check.context["problems"] == []
    with django_capture_on_commit_callbacks():
        response = client.post(url("submit", application), **EN)
    assert response["Location"] == url("detail", application)
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED
    status = client.get(url("detail", application), **EN).content.decode()
    assert application.reference in status
    assert "Sectoral partnership Construction" in status
    assert application.decision_deadline.strftime("%d/%m/%Y") in status
    # Submitted: the sections cannot be changed any more; old links lead to the status page.
    response = client.post(url("workplace", application), {"financial_capacity": "no"})
    assert response["Location"] == url("detail", application)
    application.refresh_from_db()
    assert application.financial_capacity is True


def test_a_draft_survives_logout(employer_client, demo_enterprise, construction_unit, demo_user):
    application = start(employer_client, demo_enterprise)
    employer_client.post(url("unit", application), {"unit": construction_unit.pk})
    employer_client.logout()
    employer_client.force_login(demo_user("werkgever"))
    page = employer_client.get(reverse("applications:list"), **EN)
    assert application in list(page.context["applications"])
    assert employer_client.get(url("detail", application)).context["states"]["unit"] == (
        "completed")


def test_missing_parts_are_listed_with_links_and_nothing_is_submitted(employer_client,
                                                                       demo_enterprise):
    application = start(employer_client, demo_enterprise)
    response = employer_client.post(url("submit", application), **EN)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Before you can submit" in content
    assert url("unit", application) in content
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT


def test_a_wrong_file_is_refused_and_the_other_answers_kept(employer_client, demo_enterprise):
    application = start(employer_client, demo_enterprise)
    fake = SimpleUploadedFile("extract.pdf", b"PK\x03\x04 not a pdf",
                              content_type="application/pdf")
    response = employer_client.post(url("add_mentor", application), {
        "first_name": "Piet", "last_name": "Pauwels", "national_number": "75.01.02-007.60",
        "years_of_experience": "9", "training": "done", "extract": fake}, **EN)
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert 'value="Pauwels"' in content and 'value="9"' in content
    assert not application.mentors.exists()


def test_a_too_young_mentor_is_flagged_with_the_reason(employer_client, demo_enterprise,
                                                           construction_unit, dakwerker):
    application = start(employer_client, demo_enterprise)
    employer_client.post(url("unit", application), {"unit": construction_unit.pk})
    employer_client.post(url("programme", application), {"programme": "Dakwerker duaal"})
    from ..conftest import national_number_born, years_ago

    response = employer_client.post(url("add_mentor", application), {
        "first_name": "Jonas", "last_name": "Jong",
        "national_number": national_number_born(years_ago(24)),
        "years_of_experience": "4", "training": "done", "extract": pdf()}, **EN)
    assert response.status_code == 302
    page = employer_client.get(url("mentors", application), **EN).content.decode()
    assert "Does not meet every condition" in page
    assert "at least 25" in page


def test_a_document_is_only_for_those_who_may_see_the_application(
        employer_client, client, demo_enterprise, demo_user):
    application = start(employer_client, demo_enterprise)
    employer_client.post(url("declaration", application), {"declaration": pdf("signed.pdf")})
    document = application.documents.get(kind=Document.Kind.DECLARATION_ON_HONOUR)
    response = employer_client.get(url("document", application, document.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    for username in ("trajectbegeleider", "behandelaar-vpdl"):
        client.force_login(demo_user(username))
        assert client.get(url("document", application, document.pk)).status_code == 404
        assert client.get(url("detail", application)).status_code == 404


@pytest.mark.parametrize("username", ["trajectbegeleider", "behandelaar-bouw", "beroepscommissie"])
def test_others_cannot_start_for_the_enterprise(client, demo_user, demo_enterprise, username):
    client.force_login(demo_user(username))
    response = client.post(reverse("applications:start"),
                           {"enterprise_number": "0412.345.614"}, **EN)
    assert response.status_code == 200
    expected = ("upload the mandate document it signed" if username == "trajectbegeleider"
                else "You cannot apply for the enterprise with this number")
    assert expected in response.content.decode()
    assert not Application.objects.exists()


def test_anonymous_users_are_sent_to_login(client, db):
    response = client.get(reverse("applications:list"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_receipt_reaches_applicant_and_representative_over_smtp(
        client, committed_data, smtp_server, run_tasks):
    from werkplek.accounts.models import User
    from werkplek.catalog.models import Programme
    from werkplek.enterprises.models import Enterprise

    enterprise = Enterprise.objects.get(enterprise_number="0412345614")
    client.force_login(User.objects.get(username="werkgever"))
    application = start(client, enterprise)
    fill_in(client, application, enterprise.units.get(joint_committee__number="124"),
            Programme.objects.get(code="dakwerker-duaal"),
            enterprise.mentors.get(last_name="Peeters"))
    client.post(url("submit", application))
    run_tasks()
    application.refresh_from_db()
    recipients = sorted(to for m in smtp_server.messages for to in m["to"])
    assert recipients == ["vertegenwoordiger@werkplek.example", "werkgever@werkplek.example"]
    body = smtp_server.messages[0]["message"].get_body().get_content()
    assert application.reference in body
    assert "Sectoraal partnerschap Bouw" in body
    assert application.decision_deadline.strftime("%d/%m/%Y") in body
    assert "spam" in body
    run_tasks()
    assert len(smtp_server.messages) == 2  # a second worker run sends nothing again


def test_a_coach_files_only_under_a_valid_mandate(client, demo_user, demo_enterprise,
                                                  construction_unit, dakwerker):
    from datetime import timedelta

    from django.utils import timezone

    from werkplek.enterprises.services import grant_mandate, revoke_mandate

    coach = demo_user("trajectbegeleider")
    client.force_login(coach)
    # No mandate yet: the enterprise is not offered and cannot be chosen.
    page = client.get(reverse("applications:start"), **EN)
    assert demo_enterprise not in list(page.context["form"].enterprises)
    mandate = grant_mandate(
        actor=demo_user("vertegenwoordiger"), enterprise=demo_enterprise,
        holder_email=coach.email, all_units=True, units=[], may_file_applications=True,
        may_manage_agreements=False, valid_until=timezone.localdate() + timedelta(days=90))
    application = start(client, demo_enterprise)
    assert application.filed_by == Application.FiledBy.COACH
    fill_in(client, application, construction_unit, dakwerker,
            demo_enterprise.mentors.get(last_name="Peeters"))
    states = client.get(url("detail", application), **EN).context["states"]
    assert states["mandate"] == "completed"
    # The enterprise follows what the coach drafts.
    client.force_login(demo_user("werkgever"))
    assert client.get(url("detail", application)).status_code == 200
    # Revoked: the coach can no longer see, change or submit it.
    revoke_mandate(actor=demo_user("vertegenwoordiger"), mandate=mandate)
    client.force_login(coach)
    assert client.get(url("detail", application)).status_code == 404
    assert client.post(url("submit", application)).status_code == 404
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT


def test_a_new_unit_is_added_from_the_application(employer_client, demo_enterprise):
    application = start(employer_client, demo_enterprise)
    response = employer_client.post(url("new_unit", application), {
        "unit_number": "2123456791", "name": "Dubbel", "street": "Straat 1",
        "postal_code": "9000", "joint_committee": ""}, **EN)
    assert "Choose the joint committee." in response.content.decode()
    from werkplek.catalog.models import JointCommittee

    response = employer_client.post(url("new_unit", application), {
        "unit_number": "2123456791", "name": "Dubbel", "street": "Straat 1",
        "postal_code": "9000", "joint_committee": JointCommittee.objects.get(number="124").pk},
        **EN)
    assert "already registered" in response.content.decode()

    response = employer_client.post(url("new_unit", application), {
        "unit_number": "3.123.456.715", "name": "Atelier Leuven", "street": "Vaartstraat 3",
        "postal_code": "3000", "joint_committee": JointCommittee.objects.get(number="124").pk})
    assert response["Location"] == url("detail", application)
    application.refresh_from_db()
    assert application.unit.unit_number == "3123456715"
    assert application.unit.province.code == "VBR"


def test_a_wrong_enterprise_number_says_what_is_wrong(employer_client, db):
    response = employer_client.post(reverse("applications:start"),
                                    {"enterprise_number": "0412.345.615"}, **EN)
    assert "The check digits are not correct." in response.content.decode()
    response = employer_client.post(reverse("applications:start"),
                                    {"enterprise_number": "2.123.456.791"}, **EN)
    assert "This is an establishment unit number" in response.content.decode()


def test_the_competent_partnership_sees_it_in_its_queue_and_no_other(
        employer_client, demo_user, demo_enterprise, construction_unit, dakwerker):
    from django.test import Client

    client = Client()  # the handler, beside the employer
    application = start(employer_client, demo_enterprise)
    fill_in(employer_client, application, construction_unit, dakwerker,
            demo_enterprise.mentors.get(last_name="Peeters"))
    client.force_login(demo_user("behandelaar-bouw"))
    # A draft is not in any queue.
    assert application not in list(client.get(reverse("applications:queue")).context["page"])
    employer_client.post(url("submit", application))
    application.refresh_from_db()
    queue = client.get(reverse("applications:queue"), **EN)
    assert application in list(queue.context["page"])
    assert client.get(url("detail", application)).status_code == 200
    client.force_login(demo_user("behandelaar-vpdl"))
    assert application not in list(client.get(reverse("applications:queue")).context["page"])
    assert client.get(url("detail", application)).status_code == 404
    assert employer_client.get(reverse("applications:queue")).status_code == 403


def test_the_queue_runs_a_fixed_number_of_queries(client, demo_user, django_assert_max_num_queries):
    client.force_login(demo_user("behandelaar-bouw"))
    with django_assert_max_num_queries(12):
        client.get(reverse("applications:queue"))


def test_a_coach_files_with_a_signed_mandate_document(client, demo_user, demo_enterprise):
    from werkplek.enterprises.models import Mandate

    coach = demo_user("trajectbegeleider")
    client.force_login(coach)
    response = client.post(reverse("applications:start"),
                           {"enterprise_number": "0412.345.614"}, **EN)
    assert "upload the mandate document it signed" in response.content.decode()
    assert 'value="0412.345.614"' in response.content.decode()
    response = client.post(reverse("applications:start"), {
        "enterprise_number": "0412.345.614", "mandate_document": pdf("machtiging.pdf"),
        "mandate_valid_until": "31/12/2030"})
    application = Application.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert application.filed_by == Application.FiledBy.COACH
    mandate = Mandate.objects.get(holder=coach, enterprise=demo_enterprise)
    assert mandate.kind == Mandate.Kind.DOCUMENT
    assert mandate.document_check == Mandate.DocumentCheck.PENDING
    assert mandate.document.read().startswith(b"%PDF")
    states = client.get(url("detail", application)).context["states"]
    assert states["mandate"] == "completed"
    # Rejected by the partnership: the coach can no longer act.
    mandate.document_check = Mandate.DocumentCheck.REJECTED
    mandate.save()
    assert client.get(url("detail", application)).status_code == 404


def test_an_enterprise_unknown_to_werkplek_is_explained(client, demo_user):
    client.force_login(demo_user("trajectbegeleider"))
    response = client.post(reverse("applications:start"), {"enterprise_number": "0203.201.340"},
                           **EN)
    assert "does not use Werkplek yet" in response.content.decode()


def test_withdrawing_asks_first(employer_client, ready_draft, demo_user):
    from werkplek.applications import services

    services.submit(actor=demo_user("werkgever"), application_id=ready_draft.pk)
    page = employer_client.get(url("withdraw", ready_draft), **EN)
    assert "Are you sure" in page.content.decode()
    employer_client.post(url("withdraw", ready_draft), {"reason": "x"})
    ready_draft.refresh_from_db()
    assert ready_draft.state == Application.State.SUBMITTED  # not confirmed
    employer_client.post(url("withdraw", ready_draft), {"confirm": "yes", "reason": "Te vroeg"})
    ready_draft.refresh_from_db()
    assert ready_draft.state == Application.State.WITHDRAWN


def test_a_withdrawal_reason_with_a_null_character_is_explained(employer_client, ready_draft,
                                                                demo_user):
    """PostgreSQL cannot store a null character (it was a server error there): the applicant is
    told, and nothing is withdrawn."""
    from werkplek.applications import services

    services.submit(actor=demo_user("werkgever"), application_id=ready_draft.pk)
    response = employer_client.post(url("withdraw", ready_draft),
                                    {"confirm": "yes", "reason": "Te\x00 vroeg"}, follow=True, **EN)
    assert "The reason cannot contain a null character" in response.content.decode()
    ready_draft.refresh_from_db()
    assert ready_draft.state == Application.State.SUBMITTED


def test_a_known_number_under_another_name_is_refused(employer_client, demo_enterprise):
    application = start(employer_client, demo_enterprise)
    response = employer_client.post(url("add_mentor", application), {
        "first_name": "A", "last_name": "B", "national_number": "80.05.14-123.08",
        "years_of_experience": "20", "training": "done", "extract": pdf()}, **EN)
    assert "already known for the enterprise under another name" in response.content.decode()
    assert not application.mentors.exists()


def test_the_database_allows_one_open_application_per_unit_and_programme(ready_draft,
                                                                          demo_user):
    from django.db import IntegrityError, transaction

    from werkplek.applications import services

    services.submit(actor=demo_user("werkgever"), application_id=ready_draft.pk)
    twin = Application.objects.get(pk=ready_draft.pk)
    twin.pk = None
    twin.reference = "WP-2000-000001"
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_the_declaration_pdf_is_downloaded_by_those_who_may_see_the_application(
        employer_client, client, demo_user, demo_enterprise):
    application = start(employer_client, demo_enterprise)
    response = employer_client.get(url("declaration_pdf", application))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(demo_user("behandelaar-vpdl"))
    assert client.get(url("declaration_pdf", application)).status_code == 404
