"""Every download of a private document is recorded in the personal-data access register
(who, whose, which document, why, through which route, when), from every door; and the
register is in the admin, read-only, for administrators, with whose data masked."""

import re
from datetime import timedelta
from itertools import count
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from werkplek.applications.models import Application, ApplicationMentor, Document
from werkplek.core.models import PersonalDataAccess
from werkplek.core.personal_data import describe_subjects, log_reveal
from werkplek.core.uploads import file_response

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SRC = Path(__file__).resolve().parents[2] / "src" / "werkplek"
_numbers = count(1)


@pytest.fixture
def employer(demo_user):
    return demo_user("werkgever")


@pytest.fixture
def peeters(demo_enterprise):
    return demo_enterprise.mentors.get(last_name="Peeters")


@pytest.fixture
def application(demo_enterprise, employer, peeters):
    """A submitted application of the demo enterprise, handled by the construction
    partnership, with Jan Peeters' extract and a declaration on honour."""
    from werkplek.catalog.models import Partnership

    application = Application.objects.create(
        enterprise=demo_enterprise, unit=demo_enterprise.units.get(joint_committee__number="124"),
        created_by=employer, state="submitted", reference=f"WP-A-{next(_numbers):06d}",
        partnership=Partnership.objects.get(code="bouw"), submitted_at=timezone.now())
    entry = ApplicationMentor.objects.create(application=application, mentor=peeters,
                                             years_of_experience=20,
                                             training=ApplicationMentor.Training.DONE)
    for kind, mentor in ((Document.Kind.CRIMINAL_RECORD_EXTRACT, entry),
                         (Document.Kind.DECLARATION_ON_HONOUR, None)):
        Document.objects.create(
            application=application, kind=kind, mentor=mentor, original_name="doc.pdf",
            content_type="application/pdf", size=len(PDF), sha256="0" * 64,
            uploaded_by=employer, file=SimpleUploadedFile("doc.pdf", PDF))
    return application


def extract_of(application):
    return application.documents.get(kind=Document.Kind.CRIMINAL_RECORD_EXTRACT)


def declaration_of(application):
    return application.documents.get(kind=Document.Kind.DECLARATION_ON_HONOUR)


def downloaded(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def last_access() -> PersonalDataAccess:
    return PersonalDataAccess.objects.order_by("-pk").first()


# --- file_response records the download -------------------------------------------------------


def test_file_response_records_who_whose_which_why_and_the_route(application, employer):
    document = extract_of(application)
    request = RequestFactory().get("/some/path/")
    request.user = employer
    before = PersonalDataAccess.objects.count()
    response = file_response(file_field=document.file, download_name="x.pdf",
                             content_type="application/pdf", request=request,
                             subject="mentor:1", purpose="application document")
    assert b"".join(response.streaming_content) == PDF
    assert PersonalDataAccess.objects.count() == before + 1
    row = last_access()
    assert (row.user, row.kind, row.subject, row.purpose, row.document, row.route) == (
        employer, "download", "mentor:1", "application document",
        f"applications.document:{document.pk}", "/some/path/")


def test_without_a_request_nothing_is_recorded(application):
    before = PersonalDataAccess.objects.count()
    response = file_response(file_field=extract_of(application).file, download_name="x.pdf",
                             content_type="application/pdf")
    response.file_to_stream.close()  # not response.close(): that closes the test's connection
    assert PersonalDataAccess.objects.count() == before


def test_a_missing_file_is_not_recorded_as_downloaded(application, employer):
    document = extract_of(application)
    Path(document.file.path).unlink()
    request = RequestFactory().get("/")
    request.user = employer
    before = PersonalDataAccess.objects.count()
    from django.http import Http404

    with pytest.raises(Http404):
        file_response(file_field=document.file, download_name="x.pdf",
                      content_type="application/pdf", request=request, subject="mentor:1",
                      purpose="application document")
    assert PersonalDataAccess.objects.count() == before


def test_every_view_that_sends_a_document_passes_the_request_whose_and_why():
    """The download views call file_response with what the register needs (a new call site
    without it fails here)."""
    calls = []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"(?<!def )file_response\(", text):
            depth, end = 0, match.end() - 1
            for end in range(match.end() - 1, len(text)):
                depth += {"(": 1, ")": -1}.get(text[end], 0)
                if depth == 0:
                    break
            calls.append((path.relative_to(SRC), text[match.start():end + 1]))
    assert len(calls) >= 8
    for where, call in calls:
        for argument in ("request=request", "subject=", "purpose="):
            assert argument in call, f"{where}: {call}"


# --- From every door --------------------------------------------------------------------------


def test_the_applicant_download_is_recorded(client, employer, application, peeters):
    client.force_login(employer)
    extract = extract_of(application)
    assert downloaded(client.get(reverse("applications:document",
                                         args=[application.pk, extract.pk]))) == PDF
    row = last_access()
    assert (row.user, row.kind, row.subject, row.purpose, row.document, row.route) == (
        employer, "download", f"mentor:{peeters.pk}", "application document",
        f"applications.document:{extract.pk}", "applications:document")

    declaration = declaration_of(application)
    downloaded(client.get(reverse("applications:document",
                                  args=[application.pk, declaration.pk])))
    assert last_access().subject == f"application:{application.pk}"


def test_the_case_handler_download_is_recorded(client, demo_user, application, peeters):
    handler = demo_user("behandelaar-bouw")
    client.force_login(handler)
    extract = extract_of(application)
    downloaded(client.get(reverse("applications:case_document",
                                  args=[application.pk, extract.pk])))
    row = last_access()
    assert (row.user, row.subject, row.purpose, row.route) == (
        handler, f"mentor:{peeters.pk}", "case document", "applications:case_document")


def test_the_api_download_is_recorded(employer, application):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(employer)
    declaration = declaration_of(application)
    response = api.get(f"/api/v1/applications/{application.pk}/documents/{declaration.pk}"
                       f"/file/")
    assert downloaded(response) == PDF
    row = last_access()
    assert (row.user, row.kind, row.subject, row.document) == (
        employer, "download", f"application:{application.pk}",
        f"applications.document:{declaration.pk}")
    assert row.route.startswith("api:")


@pytest.fixture
def letter(application, employer):
    from werkplek.notices.models import Letter

    letter = Letter.objects.create(application=application, number=1,
                                   reference=f"{application.reference}-B1", kind="refusal",
                                   language="nl", dated_on=timezone.localdate(),
                                   state=Letter.State.READY)
    letter.file.save("letter.pdf", ContentFile(PDF))
    return letter


def test_letter_downloads_are_recorded_on_the_site_and_in_the_api(client, employer,
                                                                  application, letter):
    from rest_framework.test import APIClient

    client.force_login(employer)
    downloaded(client.get(reverse("notices:letter", args=[letter.pk])))
    row = last_access()
    assert (row.subject, row.purpose, row.document, row.route) == (
        f"application:{application.pk}", "letter", f"notices.letter:{letter.pk}",
        "notices:letter")

    api = APIClient()
    api.force_authenticate(employer)
    downloaded(api.get(f"/api/v1/letters/{letter.pk}/pdf/"))
    row = last_access()
    assert (row.subject, row.purpose, row.route) == (
        f"application:{application.pk}", "letter", "api:letter-pdf")


def test_appeal_document_downloads_are_recorded(client, demo_user, application):
    from werkplek.appeals.models import Appeal, AppealDocument

    Application.objects.filter(pk=application.pk).update(state="refused", decision="refuse",
                                                         decided_at=timezone.now())
    representative = demo_user("vertegenwoordiger")
    today = timezone.localdate()
    appeal = Appeal.objects.create(
        reference=f"B-A-{next(_numbers):06d}", enterprise=application.enterprise,
        application=application, partnership=application.partnership, grounds="Not fair.",
        filed_at=timezone.now(), filed_by=representative, notified_on=today,
        appeal_until=today + timedelta(days=10), in_time=True,
        admissibility_due=today + timedelta(days=10), admissibility_rule="test")
    item = AppealDocument.objects.create(
        appeal=appeal, original_name="grounds.pdf", content_type="application/pdf",
        size=len(PDF), sha256="0" * 64, uploaded_by=representative,
        file=SimpleUploadedFile("g.pdf", PDF))
    client.force_login(representative)
    downloaded(client.get(reverse("appeals:document", args=[appeal.pk, item.pk])))
    row = last_access()
    assert (row.user, row.subject, row.purpose, row.document, row.route) == (
        representative, f"appeal:{appeal.pk}", "appeal document",
        f"appeals.appealdocument:{item.pk}", "appeals:document")


def test_reveals_stay_reveals(employer, peeters):
    log_reveal(user=employer, subject=f"mentor:{peeters.pk}", purpose="mentor check")
    row = last_access()
    assert (row.kind, row.subject, row.document, row.route) == (
        "reveal", f"mentor:{peeters.pk}", "", "")


# --- Whose data, masked -----------------------------------------------------------------------


def test_subjects_are_described_with_the_number_masked(employer, peeters, application):
    labels = describe_subjects([f"mentor:{peeters.pk}", f"user:{employer.pk}",
                                f"application:{application.pk}", "mentor:999999",
                                "85073003328", "something"])
    assert labels[f"mentor:{peeters.pk}"].endswith(
        f"{peeters.full_name} ({peeters.masked_national_number})")
    assert "xx.xx.xx-xxx." in labels[f"user:{employer.pk}"]
    assert "Wim Werkgever" in labels[f"user:{employer.pk}"]
    assert application.reference in labels[f"application:{application.pk}"]
    assert labels["mentor:999999"] == "mentor:999999"
    assert labels["85073003328"] == "xx.xx.xx-xxx.28"
    assert labels["something"] == "something"


# --- The admin --------------------------------------------------------------------------------

CHANGELIST = reverse("admin:core_personaldataaccess_changelist")


@pytest.fixture
def admin_browser(client, demo_user, settings):
    settings.STAFF_TWO_FACTOR = False
    client.force_login(demo_user("beheer"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def accesses(employer, demo_user, peeters, application):
    handler = demo_user("behandelaar-bouw")
    log_reveal(user=handler, subject=f"mentor:{peeters.pk}", purpose="mentor check")
    PersonalDataAccess.objects.create(user=employer, kind="download",
                                      subject=f"application:{application.pk}",
                                      purpose="application document",
                                      document="applications.document:1",
                                      route="applications:document")
    return handler


def test_administrators_see_the_register_with_whose_data_masked(admin_browser, accesses,
                                                                peeters):
    page = admin_browser.get(CHANGELIST)
    assert page.status_code == 200
    text = page.content.decode()
    assert peeters.masked_national_number in text
    assert "Jan Peeters" in text
    assert peeters.national_number not in text  # never in clear
    assert "mentor check" in text and "application document" in text
    assert reverse("admin:core_personaldataaccess_export") in text


def test_the_register_filters_by_kind_purpose_and_date_and_searches_by_user(
        admin_browser, accesses):
    def shown(**params) -> set[str]:
        page = admin_browser.get(CHANGELIST, params)
        assert page.status_code == 200
        text = page.content.decode()
        if 'id="result_list"' not in text:
            return set()
        results = text.split('id="result_list"')[1].split("</table>")[0]
        return {kind for kind in ("mentor check", "application document") if kind in results}

    assert shown(kind="download") == {"application document"}
    assert shown(kind="reveal") == {"mentor check"}
    assert shown(purpose="mentor check") == {"mentor check"}
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    assert shown(at__gte=str(today), at__lt=str(today + timedelta(days=1))) == {
        "mentor check", "application document"}
    assert shown(at__gte=str(today - timedelta(days=7)), at__lt=str(today)) == set()
    assert shown(q="Behandelaar") == {"mentor check"}
    assert shown(q="werkgever") == {"application document"}


def test_the_register_is_read_only(admin_browser, accesses):
    row = PersonalDataAccess.objects.order_by("pk").first()
    assert admin_browser.get(reverse("admin:core_personaldataaccess_add")).status_code == 403
    change = reverse("admin:core_personaldataaccess_change", args=[row.pk])
    page = admin_browser.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    admin_browser.post(change, {"purpose": "changed"})
    row.refresh_from_db()
    assert row.purpose != "changed"
    delete = reverse("admin:core_personaldataaccess_delete", args=[row.pk])
    assert admin_browser.get(delete).status_code == 403
    assert "delete_selected" not in admin_browser.get(CHANGELIST).content.decode()


def test_the_administrator_role_reaches_the_register(client, settings, accesses):
    from werkplek.accounts.models import Membership, Role, User

    settings.STAFF_TWO_FACTOR = False
    administrator = User.objects.create(username="beheerder-2", is_staff=True)
    Membership.objects.create(user=administrator, role=Role.ADMINISTRATOR)
    client.force_login(administrator)
    assert client.get(CHANGELIST).status_code == 200
    assert "core/personaldataaccess/" in client.get(reverse("admin:index")).content.decode()


def test_other_staff_do_not_see_the_register(client, settings, accesses):
    from django.contrib.auth.models import Permission

    settings.STAFF_TWO_FACTOR = False
    handler = accesses
    handler.is_staff = True
    handler.save(update_fields=["is_staff"])
    handler.user_permissions.add(*Permission.objects.filter(content_type__app_label="core"))
    client.force_login(handler)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(reverse("admin:core_personaldataaccess_export")).status_code == 403


def test_a_recorded_purpose_is_shown_in_the_readers_language():
    from django.utils import translation

    from werkplek.core.personal_data import PURPOSES, describe_purpose

    with translation.override("nl"):
        assert describe_purpose("application document") == "document van een aanvraag"
        assert describe_purpose("case WP-2026-000001: mentor check") == \
            "dossier WP-2026-000001: controle van de mentor"
        assert describe_purpose("Inzageverzoek 2026/17") == "Inzageverzoek 2026/17"
        assert all(describe_purpose(code) != code for code in PURPOSES)
    with translation.override("en"):
        assert describe_purpose("application document") == "application document"


def test_a_download_whose_file_is_gone_is_a_not_found_page(client, application, employer):
    document = extract_of(application)
    Path(document.file.path).unlink()
    client.force_login(employer)
    response = client.get(reverse("applications:document", args=[application.pk, document.pk]))
    assert response.status_code == 404
    assert b'class="wp-header"' in response.content  # the site's own page, not a crash
