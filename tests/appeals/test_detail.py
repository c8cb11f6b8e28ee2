"""One appeal's page and documents: who sees it (the enterprise, the committee, the handlers of
the partnership whose decision is appealed) and what (never the hearing to the enterprise and
the handlers); the enterprise's list of appeals; the appeal on a refused application's status
page; the admin."""

import logging
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from werkplek.appeals.models import Appeal

from .conftest import PDF, set_state


def detail_url(appeal) -> str:
    return reverse("appeals:detail", args=[appeal.pk])


@pytest.fixture
def with_document(demo_user, make_refusal):
    """An appeal filed with one PDF, through the filing page's form field."""
    from werkplek.appeals import services
    from werkplek.appeals.forms import AppealForm

    form = AppealForm({"grounds": "See the CV."},
                      {"documents": [SimpleUploadedFile("cv.pdf", PDF)]})
    assert form.is_valid(), form.errors
    return services.file_appeal(actor=demo_user("werkgever"),
                                application_id=make_refusal().pk, grounds="See the CV.",
                                documents=form.cleaned_data["documents"])


def test_who_opens_an_appeal(client, demo_user, outsider, with_document):
    appeal = with_document
    for username in ("vertegenwoordiger", "werkgever", "beroepscommissie", "behandelaar-bouw"):
        client.force_login(demo_user(username))
        assert client.get(detail_url(appeal)).status_code == 200, username
    for user in (outsider, demo_user("trajectbegeleider"), demo_user("behandelaar-vpdl"),
                 demo_user("stemgerechtigde")):
        client.force_login(user)
        assert client.get(detail_url(appeal)).status_code == 404
    client.force_login(demo_user("vertegenwoordiger"))
    assert client.get(reverse("appeals:detail", args=[999999])).status_code == 404


def test_the_page_shows_the_decision_the_window_and_the_letters(client, demo_user,
                                                               make_refusal, file_appeal):
    refusal = make_refusal(days_ago=12)
    appeal = file_appeal(application=refusal)
    client.force_login(demo_user("vertegenwoordiger"))
    text = client.get(detail_url(appeal)).content.decode()
    today = timezone.localdate()
    assert refusal.reference in text
    assert reverse("applications:detail", args=[refusal.pk]) in text
    assert "Late" in text
    assert f"after the last day to appeal ({(today - timedelta(days=2)):%d/%m/%Y})" in text
    assert f"{(today + timedelta(days=10)):%d/%m/%Y}" in text  # admissibility due
    assert f"{appeal.reference}-K1" in text  # the receipt letter
    assert "Confirm the admissibility" not in text


def test_a_sanctions_appeal_links_to_the_recognition(client, demo_user, make_sanction,
                                                     file_appeal):
    sanction = make_sanction()
    appeal = file_appeal(sanction=sanction)
    client.force_login(demo_user("behandelaar-bouw"))
    text = client.get(detail_url(appeal)).content.decode()
    assert reverse("recognitions:detail", args=[sanction.recognition_id]) in text
    assert sanction.reference in text


def test_documents_are_downloaded_by_those_who_see_the_appeal_and_logged(
        client, demo_user, outsider, with_document, caplog):
    appeal = with_document
    item = appeal.documents.get()
    url = reverse("appeals:document", args=[appeal.pk, item.pk])
    client.force_login(demo_user("behandelaar-bouw"))
    with caplog.at_level(logging.INFO, logger="werkplek.personal_data"):
        response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert f"appeal={appeal.pk} document={item.pk}" in caplog.text
    assert url in client.get(detail_url(appeal)).content.decode()
    for user in (outsider, demo_user("trajectbegeleider")):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(demo_user("vertegenwoordiger"))
    other = reverse("appeals:document", args=[appeal.pk, item.pk + 1000])
    assert client.get(other).status_code == 404


def test_the_timeline_hides_the_hearing_from_the_enterprise_and_handlers(
        client, demo_user, make_refusal, file_appeal):
    from werkplek.appeals import services

    appeal = file_appeal(application=make_refusal())
    committee = demo_user("beroepscommissie")
    appeal = services.decide_admissibility(actor=committee, appeal_id=appeal.pk,
                                           version=appeal.version, admissible=True,
                                           reasons="Filed in time by the enterprise.")
    services.record_hearing(actor=committee, appeal_id=appeal.pk, notes="Internal remark.")
    client.force_login(committee)
    text = client.get(detail_url(appeal)).content.decode()
    assert "Hearing notes recorded" in text and "Internal remark." in text
    for username in ("werkgever", "behandelaar-bouw"):
        client.force_login(demo_user(username))
        text = client.get(detail_url(appeal)).content.decode()
        assert "Found admissible" in text and "Filed in time by the enterprise." in text
        assert "Hearing notes recorded" not in text and "Internal remark." not in text


def test_the_enterprise_lists_its_appeals(client, demo_user, outsider, make_refusal,
                                          make_sanction, file_appeal):
    ours = [file_appeal(application=make_refusal()), file_appeal(sanction=make_sanction())]
    set_state(ours[1], "overturned", decided_at=timezone.now())
    client.force_login(demo_user("werkgever"))
    response = client.get(reverse("appeals:list"))
    assert response.status_code == 200
    assert set(response.context["page"].object_list) == set(ours)
    text = response.content.decode()
    assert "Decision overturned" in text and "Filed, admissibility to be checked" in text
    client.force_login(outsider)
    assert list(client.get(reverse("appeals:list")).context["page"].object_list) == []
    client.force_login(demo_user("trajectbegeleider"))
    assert client.get(reverse("appeals:list")).status_code == 403
    client.force_login(demo_user("beroepscommissie"))
    assert client.get(reverse("appeals:list"))["Location"] == reverse("appeals:queue")


# --- the status page of a refused application ----------------------------------------------------

def status(client, application) -> str:
    response = client.get(reverse("applications:detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_status_page_offers_to_appeal_then_shows_the_appeal(client, demo_user,
                                                                make_refusal):
    refusal = make_refusal(days_ago=3)
    client.force_login(demo_user("vertegenwoordiger"))
    text = status(client, refusal)
    assert reverse("appeals:file_refusal", args=[refusal.pk]) in text
    assert "Appeal against this refusal" in text
    last = (timezone.localdate() + timedelta(days=7)).strftime("%d/%m/%Y")
    assert f"Last day to appeal: <strong>{last}</strong>" in text

    client.post(reverse("appeals:file_refusal", args=[refusal.pk]), {"grounds": "Wrong."})
    appeal = Appeal.objects.get(application=refusal)
    text = status(client, refusal)
    assert reverse("appeals:file_refusal", args=[refusal.pk]) not in text
    assert detail_url(appeal) in text and "Filed, admissibility to be checked" in text


def test_the_status_page_warns_when_the_window_has_passed(client, demo_user, make_refusal):
    refusal = make_refusal(days_ago=20)
    client.force_login(demo_user("werkgever"))
    text = status(client, refusal)
    assert "A late appeal will most likely be declared inadmissible." in text
    assert reverse("appeals:file_refusal", args=[refusal.pk]) in text


def test_a_coach_reads_on_the_status_page_that_only_the_enterprise_may_appeal(
        client, mandated_coach, make_refusal):
    refusal = make_refusal(created_by=mandated_coach)
    client.force_login(mandated_coach)
    text = status(client, refusal)
    assert "As a learner coach you cannot appeal on its behalf" in text
    assert reverse("appeals:file_refusal", args=[refusal.pk]) not in text


def test_the_admin_shows_appeals_read_only(client, demo_user, with_document):
    client.force_login(demo_user("beheer"))
    assert client.get(reverse("admin:appeals_appeal_changelist")).status_code == 200
    response = client.get(reverse("admin:appeals_appeal_change", args=[with_document.pk]))
    assert response.status_code == 200 and "cv.pdf" in response.content.decode()
    assert client.get(reverse("admin:appeals_appeal_add")).status_code == 403
