"""The daily job `appeals_daily`: a refusal or a sanction whose appeal period passed without an
appeal becomes final, once; never before the last day has passed, never while an appeal is
open, never before the decision was sent. An appeal filed afterwards is received as late, and
the enterprise is told the decision is final. (The race between the two: tests/security.)"""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from werkplek.appeals.models import Appeal, FinalDecision
from werkplek.appeals.services import close_appeal_windows
from werkplek.notices.models import Delivery, Letter

pytestmark = pytest.mark.django_db


def daily() -> str:
    output = StringIO()
    call_command("appeals_daily", stdout=output)
    return output.getvalue()


def test_a_refusal_past_its_window_becomes_final_once(make_refusal):
    refusal = make_refusal(days_ago=11)  # the last day to appeal was yesterday
    assert "1 decision(s) became final." in daily()
    final = FinalDecision.objects.get(application=refusal)
    assert final.appeal_until == timezone.localdate() - timedelta(days=1)
    assert final.notified_on == timezone.localdate() - timedelta(days=11)
    assert final.appeal_rule == "appeal:10-calendar-days"
    assert "0 decision(s) became final." in daily()  # safe to run again


def test_the_last_day_itself_is_still_open(make_refusal):
    make_refusal(days_ago=10)
    assert close_appeal_windows() == 0
    assert not FinalDecision.objects.exists()


def test_an_appealed_decision_is_left_to_the_committee(make_refusal, file_appeal):
    refusal = make_refusal(days_ago=15)
    appeal = file_appeal(application=refusal)  # late, but open
    assert close_appeal_windows() == 0
    Appeal.objects.filter(pk=appeal.pk).update(state=Appeal.State.INADMISSIBLE)
    assert close_appeal_windows() == 1  # declared inadmissible: now it is final


def test_a_decision_not_sent_yet_does_not_become_final(make_refusal, demo_user):
    refusal = make_refusal(days_ago=30)
    day = timezone.localdate() - timedelta(days=20)
    letter = Letter.objects.create(application=refusal, number=1, kind=Letter.Kind.REFUSAL,
                                   reference=f"{refusal.reference}-K1", language="nl",
                                   dated_on=day, appeal_until=day + timedelta(days=10),
                                   state=Letter.State.READY)
    delivery = Delivery.objects.create(letter=letter, recipient=demo_user("vertegenwoordiger"),
                                       email="vertegenwoordiger@werkplek.example",
                                       state=Delivery.State.FAILED)
    assert close_appeal_windows() == 0  # its e-mail never went out: the period did not run
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.SENT)
    assert close_appeal_windows() == 1


def test_a_sanction_past_its_window_becomes_final(make_sanction):
    sanction = make_sanction(days_ago=11)
    make_sanction(days_ago=3, programme="dakwerker-duaal")
    assert close_appeal_windows() == 1
    assert FinalDecision.objects.get().sanction == sanction


def test_the_job_never_closes_a_window_early():
    with pytest.raises(CommandError, match="before its last day"):
        call_command("appeals_daily", "--date",
                     (timezone.localdate() + timedelta(days=1)).isoformat())


def test_an_appeal_after_the_decision_became_final_is_received_as_late(client, demo_user,
                                                                       make_refusal):
    refusal = make_refusal(days_ago=12)
    close_appeal_windows()
    final = FinalDecision.objects.get(application=refusal)
    client.force_login(demo_user("vertegenwoordiger"))
    url = reverse("appeals:file_refusal", args=[refusal.pk])
    page = client.get(url).content.decode()
    assert 'id="late-warning"' in page
    assert f"The decision has been final since {timezone.localdate():%d/%m/%Y}." in page

    response = client.post(url, {"grounds": "We only received the letter last week."},
                           follow=True)
    appeal = Appeal.objects.get(application=refusal)
    assert appeal.in_time is False and appeal.state == Appeal.State.FILED
    text = " ".join(response.content.decode().split())
    assert (f"Your appeal {appeal.reference} is received, but late: the last day to appeal "
            f"was {final.appeal_until:%d/%m/%Y}, and the decision has been final since "
            f"{timezone.localtime(final.final_since):%d/%m/%Y %H:%M}.") in text


def test_a_late_appeal_before_the_job_ran_is_told_it_is_late(client, demo_user, make_refusal):
    refusal = make_refusal(days_ago=12)
    client.force_login(demo_user("vertegenwoordiger"))
    response = client.post(reverse("appeals:file_refusal", args=[refusal.pk]),
                           {"grounds": "We only received the letter last week."}, follow=True)
    appeal = Appeal.objects.get(application=refusal)
    text = " ".join(response.content.decode().split())
    assert f"Your appeal {appeal.reference} is received, but late" in text
    assert "final since" not in text


def test_the_messages_are_in_dutch_for_a_dutch_reader(client, demo_user, make_refusal):
    refusal = make_refusal(days_ago=12)
    close_appeal_windows()
    client.force_login(demo_user("vertegenwoordiger"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    url = reverse("appeals:file_refusal", args=[refusal.pk])
    assert "De beslissing is definitief sinds" in client.get(url).content.decode()
    response = client.post(url, {"grounds": "De brief kwam pas vorige week aan."}, follow=True)
    assert "is ontvangen, maar laattijdig" in response.content.decode()
