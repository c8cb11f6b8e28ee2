"""Filing an appeal: only the enterprise's legal representatives and employer staff; a coach is
told clearly that only the enterprise may appeal; anyone else gets "not found". The page states
the decision and its window, warns when the appeal is late, and refuses a second appeal."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from werkplek.appeals.models import Appeal
from werkplek.notices.models import Letter

from .conftest import PDF

GROUNDS = "Jan Peeters has 20 years of experience as a roofer; the refusal overlooked it."


def refusal_url(application) -> str:
    return reverse("appeals:file_refusal", args=[application.pk])


def sanction_url(sanction) -> str:
    return reverse("appeals:file_sanction", args=[sanction.pk])


def day(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).strftime("%d/%m/%Y")


def test_the_representative_files_an_appeal_against_a_refusal(client, demo_user, make_refusal):
    refusal = make_refusal(days_ago=2)
    client.force_login(demo_user("vertegenwoordiger"))
    page = client.get(refusal_url(refusal))
    assert page.status_code == 200
    text = page.content.decode()
    assert refusal.reference in text
    assert day(-2) in text  # notified on
    assert day(8) in text  # the last day to appeal
    assert 'id="late-warning"' not in text

    response = client.post(refusal_url(refusal), {
        "grounds": GROUNDS,
        "documents": [SimpleUploadedFile("cv Jan.pdf", PDF),
                      SimpleUploadedFile("diploma.pdf", PDF)],
    })
    appeal = Appeal.objects.get(application=refusal)
    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:detail", args=[appeal.pk])
    assert appeal.state == Appeal.State.FILED and appeal.in_time
    assert appeal.grounds == GROUNDS
    assert appeal.filed_by == demo_user("vertegenwoordiger")
    assert appeal.notified_on == timezone.localdate() - timedelta(days=2)
    assert appeal.admissibility_due == timezone.localdate() + timedelta(days=10)
    assert sorted(d.original_name for d in appeal.documents.all()) == ["cv Jan.pdf",
                                                                      "diploma.pdf"]
    assert Letter.objects.filter(appeal=appeal, kind=Letter.Kind.APPEAL_RECEIPT).count() == 1

    detail = client.get(response["Location"]).content.decode()
    assert "The receipt letter follows by e-mail" in detail
    assert appeal.reference in detail and GROUNDS in detail


def test_employer_staff_may_appeal_too(client, demo_user, make_refusal):
    refusal = make_refusal()
    client.force_login(demo_user("werkgever"))
    response = client.post(refusal_url(refusal), {"grounds": GROUNDS})
    assert response.status_code == 302
    assert Appeal.objects.get(application=refusal).filed_by == demo_user("werkgever")


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_coach_with_a_mandate_is_told_that_only_the_enterprise_may_appeal(
        client, mandated_coach, make_refusal, make_sanction, method):
    client.force_login(mandated_coach)
    for url in (refusal_url(make_refusal()), sanction_url(make_sanction())):
        response = getattr(client, method)(url, {"grounds": GROUNDS})
        assert response.status_code == 403
        text = response.content.decode()
        assert "Only the enterprise can appeal" in text
        assert "As a learner coach you cannot appeal on its behalf, not even with a mandate." \
            in text
    assert not Appeal.objects.exists()


def test_a_coach_who_filed_the_application_is_told_so_too(client, demo_user, make_refusal):
    coach = demo_user("trajectbegeleider")
    refusal = make_refusal(created_by=coach)  # no mandate in force any more
    client.force_login(coach)
    assert client.post(refusal_url(refusal), {"grounds": GROUNDS}).status_code == 403
    assert not Appeal.objects.exists()


def test_anyone_else_gets_not_found(client, demo_user, outsider, make_refusal, make_sanction):
    refusal, sanction = make_refusal(), make_sanction()
    for user in (outsider, demo_user("trajectbegeleider"), demo_user("beroepscommissie"),
                 demo_user("behandelaar-bouw")):
        client.force_login(user)
        assert client.get(refusal_url(refusal)).status_code == 404
        assert client.post(refusal_url(refusal), {"grounds": GROUNDS}).status_code == 404
        assert client.post(sanction_url(sanction), {"grounds": GROUNDS}).status_code == 404
    client.force_login(demo_user("vertegenwoordiger"))
    assert client.get(reverse("appeals:file_refusal", args=[999999])).status_code == 404
    assert not Appeal.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client, make_refusal):
    response = client.get(refusal_url(make_refusal()))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_late_appeal_is_warned_about_but_received_and_stored_as_late(
        client, demo_user, make_refusal):
    refusal = make_refusal(days_ago=13)
    client.force_login(demo_user("vertegenwoordiger"))
    text = client.get(refusal_url(refusal)).content.decode()
    assert 'id="late-warning"' in text
    assert f"the last day to appeal was {day(-3)}" in text
    assert "most likely declare it inadmissible" in text
    assert "Submit the appeal" in text  # it may still be filed

    response = client.post(refusal_url(refusal), {"grounds": GROUNDS})
    assert response.status_code == 302
    appeal = Appeal.objects.get(application=refusal)
    assert appeal.in_time is False
    assert appeal.appeal_until == timezone.localdate() - timedelta(days=3)
    assert appeal.state == Appeal.State.FILED


def test_the_last_day_itself_is_in_time(client, demo_user, make_refusal):
    refusal = make_refusal(days_ago=10)
    client.force_login(demo_user("vertegenwoordiger"))
    assert 'id="late-warning"' not in client.get(refusal_url(refusal)).content.decode()
    client.post(refusal_url(refusal), {"grounds": GROUNDS})
    assert Appeal.objects.get(application=refusal).in_time is True


def test_a_second_appeal_is_refused_with_the_services_message(
        client, demo_user, make_refusal, file_appeal):
    refusal = make_refusal()
    first = file_appeal(application=refusal)
    client.force_login(demo_user("werkgever"))
    page = client.get(refusal_url(refusal)).content.decode()
    assert f"An appeal against this decision has already been filed: {first.reference}." in page
    assert reverse("appeals:detail", args=[first.pk]) in page
    assert "Submit the appeal" not in page

    response = client.post(refusal_url(refusal), {"grounds": "Again."})
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert f"An appeal against this decision has already been filed: {first.reference}." in text
    assert Appeal.objects.filter(application=refusal).count() == 1


def test_grounds_are_required_and_bad_files_are_named(client, demo_user, make_refusal):
    refusal = make_refusal()
    client.force_login(demo_user("vertegenwoordiger"))
    response = client.post(refusal_url(refusal), {"grounds": "  "})
    assert response.status_code == 200
    assert "Give the grounds of your appeal" in response.content.decode()
    response = client.post(refusal_url(refusal), {
        "grounds": GROUNDS, "documents": [SimpleUploadedFile("notes.txt", b"just text")]})
    assert response.status_code == 200
    assert "notes.txt: This file is not a PDF, JPEG or PNG." in response.content.decode()
    assert not Appeal.objects.exists()


def test_only_a_refusal_can_be_appealed(client, demo_user, make_refusal):
    from werkplek.applications.models import Application

    application = make_refusal()
    Application.objects.filter(pk=application.pk).update(state="approved", decision="approve")
    client.force_login(demo_user("vertegenwoordiger"))
    response = client.get(refusal_url(application))
    assert "Only a refusal or a sanction can be appealed." in response.content.decode()
    assert "Submit the appeal" not in response.content.decode()
    client.post(refusal_url(application), {"grounds": GROUNDS})
    assert not Appeal.objects.exists()


def test_the_representative_appeals_against_a_sanction(client, demo_user, make_sanction):
    sanction = make_sanction(days_ago=3)
    client.force_login(demo_user("vertegenwoordiger"))
    text = client.get(sanction_url(sanction)).content.decode()
    assert sanction.reference in text and "withdrawal of the recognition" in text
    assert day(7) in text
    response = client.post(sanction_url(sanction), {"grounds": GROUNDS})
    assert response.status_code == 302
    appeal = Appeal.objects.get(sanction=sanction)
    assert appeal.application is None and appeal.in_time
    assert appeal.partnership == sanction.partnership


def test_a_lifted_sanction_cannot_be_appealed(client, demo_user, make_sanction):
    from werkplek.recognitions.models import Sanction

    sanction = make_sanction()
    Sanction.objects.filter(pk=sanction.pk).update(state="lifted")
    client.force_login(demo_user("vertegenwoordiger"))
    text = client.get(sanction_url(sanction)).content.decode()
    assert "This sanction is no longer in force." in text
    assert "Submit the appeal" not in text
