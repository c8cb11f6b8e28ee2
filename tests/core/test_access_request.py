"""Access requests: everything held about one person, found by national register number (or
account), exported as JSON or as a ZIP with their documents, by the command and in the admin;
the export itself is recorded in the access register."""

import json
import stat
import zipfile
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from werkplek.applications.models import Application, ApplicationMentor, Document
from werkplek.core.models import PersonalDataAccess
from werkplek.core.personal_data import log_reveal

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NUMBER = "88092315497"  # the demo employer's
FORMATTED = "88.09.23-154.97"


@pytest.fixture
def employer(demo_user):
    return demo_user("werkgever")


@pytest.fixture
def administrator(demo_user):
    return demo_user("beheer")


@pytest.fixture
def person(demo_enterprise, employer, demo_user):
    """The demo employer, who is also a mentor of the enterprise and (once) a learner: an
    application they filed naming themselves as mentor, with their extract; a colleague's
    document about another mentor; a case handler who saw their number; a download of theirs."""
    from werkplek.agreements.models import Learner
    from werkplek.catalog.models import Programme, TrainingProvider
    from werkplek.enterprises.models import Mentor

    mentor = Mentor(enterprise=demo_enterprise, first_name="Wim", last_name="Werkgever",
                    years_of_experience=12)
    mentor.set_national_number(NUMBER, None)
    mentor.save()
    learner = Learner(first_name="Wim", last_name="Werkgever",
                      training_provider=TrainingProvider.objects.order_by("pk").first(),
                      programme=Programme.objects.get(code="dakwerker-duaal"))
    learner.set_national_number(NUMBER)
    learner.save()
    application = Application.objects.create(enterprise=demo_enterprise, created_by=employer,
                                             reference="WP-X-000001")
    entry = ApplicationMentor.objects.create(application=application, mentor=mentor,
                                             years_of_experience=12,
                                             training=ApplicationMentor.Training.DONE)
    peeters = ApplicationMentor.objects.create(
        application=application, mentor=demo_enterprise.mentors.get(last_name="Peeters"),
        years_of_experience=20, training=ApplicationMentor.Training.DONE)
    representative = demo_user("vertegenwoordiger")

    def document(kind, mentor_entry, by, content):
        return Document.objects.create(
            application=application, kind=kind, mentor=mentor_entry, original_name="doc.pdf",
            content_type="application/pdf", size=len(content), sha256="0" * 64, uploaded_by=by,
            file=SimpleUploadedFile("doc.pdf", content))

    extract = document(Document.Kind.CRIMINAL_RECORD_EXTRACT, entry, representative,
                       PDF + b"% wim\n")
    declaration = document(Document.Kind.DECLARATION_ON_HONOUR, None, employer, PDF)
    other = document(Document.Kind.CRIMINAL_RECORD_EXTRACT, peeters, representative, PDF)
    handler = demo_user("behandelaar-bouw")
    log_reveal(user=handler, subject=f"mentor:{mentor.pk}", purpose="mentor check")
    PersonalDataAccess.objects.create(user=employer, kind="download",
                                      subject=f"application:{application.pk}",
                                      purpose="application document",
                                      document=f"applications.document:{declaration.pk}")
    return {"mentor": mentor, "learner": learner, "application": application,
            "extract": extract, "declaration": declaration, "other": other}


def export_rows(administrator):
    return PersonalDataAccess.objects.filter(user=administrator, kind="export")


def read_zip(data: bytes) -> tuple[dict, dict[str, bytes]]:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop("personal-data.json")), files


# --- The command ------------------------------------------------------------------------------


def test_the_command_exports_everything_about_the_person_as_a_zip(
        tmp_path, person, employer, administrator):
    output = tmp_path / "request.zip"
    out = StringIO()
    with translation.override("en"):
        call_command("export_personal_data", "--national-number", FORMATTED, "--output",
                     str(output), "--by", "beheer", "--purpose", "request 2026/42", stdout=out)
    assert out.getvalue().strip() == (f"Wrote {output}: 1 account(s), 1 mentor record(s), "
                                      f"1 learner record(s), 2 document(s).")
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    data, files = read_zip(output.read_bytes())

    assert data["national_number"] == FORMATTED
    assert data["purpose"] == "request 2026/42"
    [account] = data["user_accounts"]
    assert account["username"] == "werkgever" and account["national_number"] == FORMATTED
    assert {m["role"] for m in account["memberships"]} == {"employer"}
    assert [a["reference"] for a in account["applications_filed"]] == ["WP-X-000001"]
    [mentor] = data["mentor_records"]
    assert mentor["national_number"] == FORMATTED and mentor["years_of_experience"] == 12
    assert mentor["in_applications"][0]["application"] == "WP-X-000001"
    [learner] = data["learner_records"]
    assert learner["national_number"] == FORMATTED

    # Their documents: the extract about them and the declaration they uploaded; not the
    # extract of another mentor.
    listed = {d["document"]: d["file"] for d in data["documents"]}
    assert set(listed) == {f"applications.document:{person['extract'].pk}",
                           f"applications.document:{person['declaration'].pk}"}
    assert files[listed[f"applications.document:{person['extract'].pk}"]] == PDF + b"% wim\n"
    assert set(files) == set(listed.values())

    about = data["personal_data_access"]["about_them"]
    assert any(row["kind"] == "reveal" and row["by"] == "Bart Behandelaar" for row in about)
    assert any(row["kind"] == "download" for row in about)  # the declaration's download
    assert [row["purpose"] for row in data["personal_data_access"]["by_them"]] == [
        "application document"]

    # The export showed the number in clear: recorded, per record and per document.
    rows = export_rows(administrator)
    assert set(rows.filter(document="").values_list("subject", flat=True)) == {
        f"user:{employer.pk}", f"mentor:{person['mentor'].pk}",
        f"learner:{person['learner'].pk}"}
    assert set(rows.exclude(document="").values_list("document", flat=True)) == set(listed)
    assert set(rows.values_list("purpose", flat=True)) == {"request 2026/42"}


def test_the_command_writes_json_alone_and_finds_the_person_by_account(
        tmp_path, person, employer, administrator):
    output = tmp_path / "request.json"
    call_command("export_personal_data", "--user", "werkgever", "--output", str(output),
                 "--by", "beheer")
    data = json.loads(output.read_text())
    assert data["national_number"] == FORMATTED
    assert len(data["mentor_records"]) == 1 and len(data["learner_records"]) == 1
    assert all(d["file"] is None for d in data["documents"])
    assert not export_rows(administrator).exclude(document="").exists()  # no files given
    assert export_rows(administrator).filter(subject=f"user:{employer.pk}").exists()


def test_a_person_known_only_as_mentor(tmp_path, demo_enterprise, administrator):
    peeters = demo_enterprise.mentors.get(last_name="Peeters")
    output = tmp_path / "peeters.json"
    call_command("export_personal_data", "--national-number", peeters.national_number,
                 "--output", str(output), "--by", "beheer")
    data = json.loads(output.read_text())
    assert data["user_accounts"] == [] and data["learner_records"] == []
    assert [m["id"] for m in data["mentor_records"]] == [peeters.pk]


@pytest.mark.parametrize(("args", "message"), [
    (["--national-number", "85.07.30-033.28"], "holds no personal data"),
    (["--national-number", "12345"], "11 digits"),
    (["--user", "nobody"], "no account"),
    (["--user", "werkgever", "--by", "nobody"], "--by"),
])
def test_the_command_explains_what_is_wrong(tmp_path, args, message):
    by = [] if "--by" in args else ["--by", "beheer"]
    with translation.override("en"), pytest.raises(CommandError, match=message):
        call_command("export_personal_data", *args, *by, "--output", str(tmp_path / "x.zip"))
    assert not PersonalDataAccess.objects.filter(kind="export").exists()


# --- The admin --------------------------------------------------------------------------------

EXPORT = reverse("admin:core_personaldataaccess_export")
CHANGELIST = reverse("admin:core_personaldataaccess_changelist")


@pytest.fixture
def admin_browser(client, administrator, settings):
    settings.STAFF_TWO_FACTOR = False
    client.force_login(administrator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_an_administrator_exports_a_person_in_the_admin(admin_browser, person, administrator):
    page = admin_browser.get(EXPORT)
    assert page.status_code == 200
    assert "Export a person&#x27;s data" in page.content.decode()
    response = admin_browser.post(EXPORT, {"national_number": NUMBER,
                                           "purpose": "request 7"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data, files = read_zip(b"".join(response.streaming_content))
    assert data["user_accounts"][0]["username"] == "werkgever"
    assert len(files) == 2
    assert export_rows(administrator).filter(purpose="request 7").count() == 5


@pytest.mark.parametrize(("post", "error"), [
    ({"national_number": NUMBER}, "This field is required."),
    ({"national_number": NUMBER, "username": "werkgever", "purpose": "x"}, "one of the two"),
    ({"purpose": "x"}, "one of the two"),
    ({"national_number": "85.07.30-033.28", "purpose": "x"}, "holds no personal data"),
    ({"username": "nobody", "purpose": "x"}, "no account"),
])
def test_the_admin_export_form_explains_what_is_wrong(admin_browser, person, administrator,
                                                      post, error):
    page = admin_browser.post(EXPORT, post)
    assert page.status_code == 200
    assert error in page.content.decode()
    assert not export_rows(administrator).exists()


def test_the_action_exports_the_person_an_entry_is_about(admin_browser, person,
                                                         administrator):
    reveal = PersonalDataAccess.objects.get(kind="reveal",
                                            subject=f"mentor:{person['mentor'].pk}")
    response = admin_browser.post(CHANGELIST, {"action": "export_person",
                                               "_selected_action": [reveal.pk]})
    assert response.status_code == 302
    assert response["Location"] == f"{EXPORT}?subject=mentor%3A{person['mentor'].pk}"
    form = admin_browser.get(response["Location"])
    assert f'value="mentor:{person["mentor"].pk}"' in form.content.decode()
    assert NUMBER not in form.content.decode()
    download = admin_browser.post(EXPORT, {"subject": f"mentor:{person['mentor'].pk}",
                                           "purpose": "request 8"})
    data, _files = read_zip(b"".join(download.streaming_content))
    assert data["national_number"] == FORMATTED
    assert len(data["user_accounts"]) == 1  # the same number: the same person

    other = PersonalDataAccess.objects.create(user=administrator, kind="reveal",
                                              subject="learner:1", purpose="x")
    page = admin_browser.post(CHANGELIST, {"action": "export_person",
                                           "_selected_action": [reveal.pk, other.pk]},
                              follow=True)
    assert "Select entries about one person" in page.content.decode()


def test_only_administrators_export(client, demo_user, settings, person):
    settings.STAFF_TWO_FACTOR = False
    handler = demo_user("behandelaar-bouw")
    handler.is_staff = True
    handler.save(update_fields=["is_staff"])
    client.force_login(handler)
    assert client.get(EXPORT).status_code == 403
    assert client.post(EXPORT, {"national_number": NUMBER, "purpose": "x"}).status_code == 403
    assert not PersonalDataAccess.objects.filter(kind="export").exists()
