"""The self-scan journey through the Django test client: pages, answers kept, results."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from werkplek.core.identifiers import age_on
from werkplek.selfscan.models import HelpRequest, SavedScan
from werkplek.selfscan.services import SESSION_KEY

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
BORN = date(1980, 5, 14)  # the national register number 80.05.14-123.08


def years_ago(years: int, *, days_later: int = 0) -> str:
    """A birth date for someone who is `years` old today (plus days_later: not quite)."""
    today = timezone.localdate()
    born = today.replace(year=today.year - years) if not (today.month == 2 and today.day == 29) \
        else date(today.year - years, 3, 1)
    from datetime import timedelta

    return (born + timedelta(days=days_later)).strftime("%d/%m/%Y")


def expected_age() -> int:
    return age_on(BORN, timezone.localdate())


def post(client, name, data, *args):
    return client.post(reverse(f"selfscan:{name}", args=args), data, **EN)


def walk(client, *, programme="dakwerker-duaal", committee="124", province="VOV",
         financial="yes", convictions="no", activities="all", mentor=None, filed_by="enterprise",
         mandate="unknown", declaration="yes"):
    """Answer every page; returns the response of the last POST."""
    assert post(client, "programme", {"programme": programme}).status_code == 302
    assert post(client, "establishment", {"joint_committee": committee,
                                          "province": province}).status_code == 302
    assert post(client, "workplace", {"financial_capacity": financial,
                                      "has_convictions": convictions}).status_code == 302
    page = client.get(reverse("selfscan:activities"), **EN)
    choices = page.context["form"].fields["activities"].choices
    chosen = [value for value, _ in choices] if activities == "all" else activities
    assert post(client, "activities", {"activities": chosen}).status_code == 302
    mentor = mentor or {"birth_date": "14/05/1980", "years_of_experience": "20",
                        "criminal_record_extract": "yes", "prior_education_proof": "na",
                        "training": "done"}
    assert post(client, "mentor", mentor, 0).status_code == 302
    assert post(client, "mentors", {"add_another": "no"}).status_code == 302
    return post(client, "application", {"filed_by": filed_by, "mandate": mandate,
                                        "declaration": declaration})


def programme_code(name_nl):
    from werkplek.catalog.models import Programme

    return Programme.objects.get(name_nl=name_nl).code


@pytest.fixture
def dakwerker(db):
    return programme_code("Dakwerker duaal")


def test_start_page_is_public(client, db):
    response = client.get(reverse("selfscan:start"), **EN)
    assert response.status_code == 200
    assert b"Start now" in response.content


def test_a_scan_that_passes(client, dakwerker):
    response = walk(client, programme=dakwerker)
    assert response["Location"] == reverse("selfscan:result")
    result = client.get(response["Location"], **EN)
    content = result.content.decode()
    assert result.context["assessment"].status == "met"
    assert "Your workplace seems to meet every condition" in content
    # PC 124 with a construction programme: the construction partnership decides.
    assert result.context["scan"].routing.partnership.code == "bouw"
    assert result.context["scan"].contact_point.province.code == "VOV"
    assert "Start your application" in content


def test_a_scan_that_fails_on_the_mentors_age(client, dakwerker):
    young = {"birth_date": years_ago(25, days_later=1), "years_of_experience": "6",
             "criminal_record_extract": "yes", "prior_education_proof": "na", "training": "done"}
    walk(client, programme=dakwerker, mentor=young)
    result = client.get(reverse("selfscan:result"), **EN)
    assessment = result.context["assessment"]
    assert assessment.status == "not_met"
    age = next(c for c in assessment.mentors[0].conditions if c.code == "mentor_age")
    assert age.status == "not_met"
    assert "is 24 on" in age.reason and "25" in age.reason


def test_a_scan_that_fails_on_convictions(client, dakwerker):
    walk(client, programme=dakwerker, convictions="yes")
    assessment = client.get(reverse("selfscan:result"), **EN).context["assessment"]
    assert assessment.status == "not_met"
    assert {c.code: c.status for c in assessment.workplace}["no_convictions"] == "not_met"


def test_unknown_answers_give_cannot_tell_yet(client, dakwerker):
    walk(client, programme=dakwerker, financial="unknown")
    assessment = client.get(reverse("selfscan:result"), **EN).context["assessment"]
    assert assessment.status == "unknown"


def test_the_birth_date_and_number_are_never_kept(client, dakwerker):
    mentor = {"national_number": "80.05.14-123.08", "years_of_experience": "20",
              "criminal_record_extract": "yes", "prior_education_proof": "na",
              "training": "done"}
    walk(client, programme=dakwerker, mentor=mentor)
    kept = client.session[SESSION_KEY]
    assert kept["mentors"][0]["age"] == expected_age()
    flat = repr(kept)
    assert "80051412308" not in flat and "1980" not in flat and "14/05" not in flat


def test_a_wrong_national_number_keeps_the_other_answers(client, dakwerker):
    walk(client, programme=dakwerker)
    response = post(client, "mentor", {"national_number": "80.05.14-123.09",
                                       "years_of_experience": "17",
                                       "criminal_record_extract": "no",
                                       "prior_education_proof": "na", "training": "done"}, 0)
    assert response.status_code == 200
    content = response.content.decode()
    assert "The check digits are not correct." in content
    assert 'value="17"' in content
    assert "govuk-error-summary" in content


def test_going_back_shows_the_answers_given(client, dakwerker):
    walk(client, programme=dakwerker)
    page = client.get(reverse("selfscan:workplace"), **EN)
    assert page.context["form"].initial["financial_capacity"] == "yes"
    page = client.get(reverse("selfscan:mentor", args=[0]), **EN)
    assert page.context["form"].initial["years_of_experience"] == 20
    assert page.context["known_age"] == expected_age()


def test_a_page_out_of_order_sends_you_to_the_first_missing_one(client, db):
    response = client.get(reverse("selfscan:result"), **EN)
    assert response["Location"] == reverse("selfscan:programme")


def test_a_missing_answer_names_the_question(client, db):
    response = post(client, "programme", {})
    assert response.status_code == 200
    assert "Choose the programme." in response.content.decode()


def test_hospitality_asks_for_its_extra_documents(client, db):
    code = programme_code("Hotelreceptionist duaal")
    post(client, "programme", {"programme": code})
    post(client, "establishment", {"joint_committee": "302", "province": "VAN"})
    page = client.get(reverse("selfscan:mentor", args=[0]), **EN)
    assert "extra_documents" in page.context["form"].fields
    page = client.get(reverse("selfscan:application"), **EN)
    assert "extra_documents" in page.context["form"].fields


def test_add_and_remove_a_second_mentor(client, dakwerker):
    walk(client, programme=dakwerker)
    assert post(client, "mentors", {"add_another": "yes"})["Location"] == reverse(
        "selfscan:mentor", args=[1])
    post(client, "mentor", {"birth_date": "01/01/1990", "years_of_experience": "10",
                            "criminal_record_extract": "yes", "prior_education_proof": "na",
                            "training": "will_follow"}, 1)
    assert len(client.session[SESSION_KEY]["mentors"]) == 2
    post(client, "remove_mentor", {}, 1)
    assert len(client.session[SESSION_KEY]["mentors"]) == 1


def test_start_application_carries_the_answers_through_login(client, dakwerker, demo_user):
    walk(client, programme=dakwerker)
    response = post(client, "start_application", {})
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "bewaren" in response["Location"]
    client.post(reverse("accounts:login"), {"username": "werkgever", "password": "demo"})
    response = client.get(reverse("selfscan:carry"))
    assert response["Location"] == reverse("applications:start")
    saved = SavedScan.objects.get(user=demo_user("werkgever"))
    assert saved.programme.code == dakwerker
    assert saved.answers["mentors"][0]["age"] == expected_age()
    # Twice the same answers: kept once.
    client.post(reverse("selfscan:start_application"))
    assert SavedScan.objects.filter(user=demo_user("werkgever")).count() == 1
    dashboard = client.get(reverse("accounts:dashboard"), **EN)
    assert saved.programme.name_en in dashboard.content.decode()


def test_help_request_needs_consent_and_keeps_the_answers(client, dakwerker):
    walk(client, programme=dakwerker)
    response = post(client, "help", {"name": "An", "email": "an@example.be"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Give your consent" in content
    assert 'value="an@example.be"' in content
    assert not HelpRequest.objects.exists()


def test_help_request_is_emailed_to_the_contact_point_over_smtp(
        client, committed_data, smtp_server, run_tasks):
    dakwerker = programme_code("Dakwerker duaal")
    walk(client, programme=dakwerker)
    response = post(client, "help", {"name": "An Peeters", "email": "an@example.be",
                                     "enterprise_name": "Dak & Co", "consent": "on",
                                     "message": "Kunnen jullie helpen?"})
    assert response["Location"] == reverse("selfscan:help_sent")
    request = HelpRequest.objects.get()
    assert request.delivery == HelpRequest.Delivery.PENDING
    run_tasks()
    request.refresh_from_db()
    assert request.delivery == HelpRequest.Delivery.SENT
    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received["to"] == [request.contact_point.email]
    body = received["message"].get_body().get_content()
    assert "Dakwerker duaal" in body
    assert "an@example.be" in body
    assert "Kunnen jullie helpen?" in body
    assert received["message"]["Reply-To"] == "an@example.be"
    # The worker again: nothing is sent twice.
    run_tasks()
    assert len(smtp_server.messages) == 1


def test_a_national_number_born_after_today_is_refused_not_a_crash(client, dakwerker,
                                                                   monkeypatch):
    from werkplek.selfscan import views

    walk(client, programme=dakwerker)
    # The scan's day is 1 January 2026; the number says born 15 June 2026.
    monkeypatch.setattr(views, "_today", lambda: date(2026, 1, 1))
    body = "260615001"
    number = f"{body}{97 - int('2' + body) % 97:02d}"
    response = post(client, "mentor", {"national_number": number,
                                       "criminal_record_extract": "yes",
                                       "prior_education_proof": "na", "training": "done"}, 0)
    assert response.status_code == 200
    assert "lies in the future" in response.content.decode()


def test_a_programme_that_disappeared_is_asked_again(client, dakwerker):
    from werkplek.catalog.models import Programme

    walk(client, programme=dakwerker)
    Programme.objects.filter(code=dakwerker).update(is_active=False)
    assert client.get(reverse("selfscan:result"))["Location"] == reverse("selfscan:programme")
    response = post(client, "help", {"name": "An", "email": "an@example.be", "consent": "on"})
    assert response["Location"] == reverse("selfscan:programme")


def test_a_tampered_session_is_asked_again_not_a_crash(client, dakwerker):
    walk(client, programme=dakwerker)
    session = client.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "mentors": "x", "activities": 3}
    session.save()
    response = client.get(reverse("selfscan:result"))
    assert response["Location"] == reverse("selfscan:activities")


def test_sector_documents_never_asked_are_unknown_not_missing(client, dakwerker):
    walk(client, programme=dakwerker)  # construction asks no extra documents
    post(client, "establishment", {"joint_committee": "302", "province": "VAN"})
    assessment = client.get(reverse("selfscan:result"), **EN).context["assessment"]
    statuses = {c.code: c.status for c in assessment.mentors[0].conditions}
    assert statuses.get("mentor_extra_documents") == "unknown"
    assert {c.code: c.status for c in assessment.application}["extra_documents"] == "unknown"


def test_no_mandate_answer_is_needed_when_the_enterprise_files(client, dakwerker):
    walk(client, programme=dakwerker)
    response = post(client, "application", {"filed_by": "enterprise", "declaration": "yes"})
    assert response["Location"] == reverse("selfscan:result")
    response = post(client, "application", {"filed_by": "other", "declaration": "yes"})
    assert response.status_code == 200
    assert "has given a mandate" in response.content.decode()


def test_the_same_help_request_twice_is_sent_once_and_floods_are_refused(
        client, dakwerker, django_capture_on_commit_callbacks):
    walk(client, programme=dakwerker)
    data = {"name": "An", "email": "an@example.be", "consent": "on"}
    with django_capture_on_commit_callbacks(execute=False):
        post(client, "help", data)
        post(client, "help", data)
        assert HelpRequest.objects.count() == 1
        for n in range(2):
            post(client, "help", {**data, "message": f"vraag {n}"})
        response = post(client, "help", {**data, "message": "nog een"})
    assert HelpRequest.objects.count() == 3
    assert "several requests for help" in response.content.decode()
