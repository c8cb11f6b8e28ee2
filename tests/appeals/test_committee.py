"""The appeal committee: its queue (who, tabs, counts, filters, deadline flags, pagination, a
query count that does not grow with the rows) and its steps on an appeal (admissibility,
hearing, decision), each refused when the page is out of date (HTTP 409)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from werkplek.appeals.models import Appeal, AppealEvent
from werkplek.notices.models import Letter

from .conftest import set_state

QUEUE = reverse("appeals:queue")


def rows(response) -> list[Appeal]:
    return list(response.context["page"].object_list)


@pytest.fixture
def committee(client, demo_user):
    client.force_login(demo_user("beroepscommissie"))
    return client


# --- the queue -----------------------------------------------------------------------------------

def test_only_the_committee_opens_the_queue(client, demo_user, outsider):
    for user in (demo_user("vertegenwoordiger"), demo_user("werkgever"),
                 demo_user("trajectbegeleider"), demo_user("behandelaar-bouw"), outsider):
        client.force_login(user)
        assert client.get(QUEUE).status_code == 403
    client.logout()
    assert client.get(QUEUE)["Location"].startswith(reverse("accounts:login"))
    client.force_login(demo_user("beroepscommissie"))
    assert client.get(QUEUE).status_code == 200


def test_tabs_counts_order_and_deadline_flags(committee, make_refusal, make_sanction,
                                              file_appeal):
    today = timezone.localdate()
    later = file_appeal(application=make_refusal())
    overdue = set_state(file_appeal(sanction=make_sanction()), "filed",
                        admissibility_due=today - timedelta(days=1))
    soon = set_state(file_appeal(application=make_refusal()), "filed",
                     admissibility_due=today + timedelta(days=3))
    admissible = set_state(file_appeal(application=make_refusal()), "admissible")
    closed = [set_state(file_appeal(application=make_refusal()), state)
              for state in ("inadmissible", "upheld", "overturned")]

    response = committee.get(QUEUE)
    assert rows(response) == [overdue, soon, later]  # the nearest deadline first
    assert [t["count"] for t in response.context["tabs"]] == [3, 1, 3]
    text = response.content.decode()
    assert "Admissibility to confirm (3)" in text
    assert "Overdue" in text and "Due within 3 days" in text
    flags = {a.pk: a.due_flag for a in rows(response)}
    assert flags == {overdue.pk: "overdue", soon.pk: "soon", later.pk: ""}

    assert rows(committee.get(QUEUE, {"tab": "te-beslissen"})) == [admissible]
    assert set(rows(committee.get(QUEUE, {"tab": "afgesloten"}))) == set(closed)
    # Sorted by reference, descending, on demand.
    by_reference = rows(committee.get(QUEUE, {"sorteer": "-referentie"}))
    assert [a.reference for a in by_reference] == sorted(
        (a.reference for a in (overdue, soon, later)), reverse=True)


def test_filters_by_kind_and_partnership(committee, make_refusal, make_sanction, file_appeal):
    from werkplek.catalog.models import Partnership

    refusal = file_appeal(application=make_refusal())
    sanction = file_appeal(sanction=make_sanction())
    elsewhere = file_appeal(application=make_refusal(partnership="vpdl"))
    assert set(rows(committee.get(QUEUE, {"soort": "weigering"}))) == {refusal, elsewhere}
    assert rows(committee.get(QUEUE, {"soort": "sanctie"})) == [sanction]
    vpdl = Partnership.objects.get(code="vpdl")
    response = committee.get(QUEUE, {"partnerschap": vpdl.pk})
    assert rows(response) == [elsewhere]
    assert response.context["tabs"][0]["count"] == 1
    assert f"partnerschap={vpdl.pk}" in response.context["tabs"][1]["url"]
    # A wrong value is shown as an error and left out.
    response = committee.get(QUEUE, {"soort": "x"})
    assert len(rows(response)) == 3
    assert "Choose a kind of decision from the list." in response.content.decode()


def _many(make_refusal, file_appeal, n: int) -> None:
    from werkplek.enterprises.models import EstablishmentUnit

    unit = EstablishmentUnit.objects.get(joint_committee__number="124",
                                         enterprise__enterprise_number="0412345614")
    for i in range(n):
        appeal = file_appeal(application=make_refusal(unit=unit))
        set_state(appeal, "filed",
                  admissibility_due=timezone.localdate() + timedelta(days=i % 12 - 2))


def test_fifty_per_page(committee, make_refusal, file_appeal):
    _many(make_refusal, file_appeal, 51)
    first = committee.get(QUEUE, {"soort": "weigering"})
    assert len(rows(first)) == 50
    assert first.context["tabs"][0]["count"] == 51
    assert "soort=weigering" in first.context["next_url"]
    second = committee.get(QUEUE + first.context["next_url"])
    assert len(rows(second)) == 1
    assert set(rows(second)).isdisjoint(rows(first))


def test_the_queue_runs_the_same_queries_for_few_and_many_rows(
        committee, make_refusal, file_appeal, django_assert_max_num_queries):
    # The session, the user, the user's roles, the tab counts, the rows (with their
    # enterprise, partnership and decision), the partnerships of the filter (read once per
    # process, in the first request).
    _many(make_refusal, file_appeal, 1)
    committee.get(QUEUE, {"sorteer": "onderneming"})
    with django_assert_max_num_queries(9) as few:
        committee.get(QUEUE, {"sorteer": "onderneming"})
    _many(make_refusal, file_appeal, 60)
    with django_assert_max_num_queries(9) as many:
        response = committee.get(QUEUE, {"sorteer": "onderneming"})
    assert len(rows(response)) == 50
    assert len(many) == len(few)


# --- the steps -----------------------------------------------------------------------------------

def detail_url(appeal) -> str:
    return reverse("appeals:detail", args=[appeal.pk])


def step_url(appeal, name: str) -> str:
    return reverse(f"appeals:{name}", args=[appeal.pk])


def test_the_committee_finds_an_appeal_admissible(committee, make_refusal, file_appeal):
    appeal = file_appeal(application=make_refusal())
    page = committee.get(detail_url(appeal)).content.decode()
    assert "Confirm the admissibility" in page
    response = committee.post(step_url(appeal, "admissibility"), {
        "admissibility-version": appeal.version, "admissibility-admissible": "yes"})
    assert response.status_code == 302 and response["Location"] == detail_url(appeal)
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.ADMISSIBLE
    assert Letter.objects.filter(appeal=appeal,
                                 kind=Letter.Kind.APPEAL_ADMISSIBILITY).count() == 1
    assert "The appeal is admissible." in committee.get(detail_url(appeal)).content.decode()


def test_the_committee_declares_an_appeal_inadmissible_with_reasons(
        committee, make_refusal, file_appeal):
    appeal = file_appeal(application=make_refusal())
    response = committee.post(step_url(appeal, "admissibility"), {
        "admissibility-version": appeal.version, "admissibility-admissible": "no",
        "admissibility-reason": "not_enterprise"})
    assert response.status_code == 200
    assert "Explain why the appeal is inadmissible" in response.content.decode()
    response = committee.post(step_url(appeal, "admissibility"), {
        "admissibility-version": appeal.version, "admissibility-admissible": "no",
        "admissibility-reason": "other", "admissibility-reasons": "Not signed."})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.INADMISSIBLE
    assert appeal.admissibility_reason == "other" and appeal.admissibility_reasons == "Not signed."


def test_a_late_appeal_cannot_be_found_admissible(committee, make_refusal, file_appeal):
    appeal = file_appeal(application=make_refusal(days_ago=15))
    page = committee.get(detail_url(appeal)).content.decode()
    assert "it can only be declared inadmissible" in page
    response = committee.post(step_url(appeal, "admissibility"), {
        "admissibility-version": appeal.version, "admissibility-admissible": "yes"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "after the last day to appeal" in text and "it is inadmissible." in text
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.FILED


def test_hearing_notes_are_recorded_and_stay_internal(client, demo_user, make_refusal,
                                                      file_appeal):
    appeal = set_state(file_appeal(application=make_refusal()), "admissible")
    client.force_login(demo_user("beroepscommissie"))
    response = client.post(step_url(appeal, "hearing"), {
        "hearing-version": appeal.version, "hearing-notes": "Heard Veerle; she showed the CV."})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.hearing_notes == "Heard Veerle; she showed the CV."
    assert appeal.events.filter(kind=AppealEvent.Kind.HEARING).exists()
    assert "she showed the CV" in client.get(detail_url(appeal)).content.decode()
    for username in ("vertegenwoordiger", "behandelaar-bouw"):
        client.force_login(demo_user(username))
        text = client.get(detail_url(appeal)).content.decode()
        assert "she showed the CV" not in text
        assert "Hearing notes recorded" not in text


def test_the_committee_overturns_a_refusal_and_the_workplace_is_recognised(
        committee, make_refusal, file_appeal):
    from werkplek.recognitions.models import Recognition

    refusal = make_refusal()
    appeal = set_state(file_appeal(application=refusal), "admissible")
    response = committee.post(step_url(appeal, "decide"), {
        "decision-version": appeal.version, "decision-overturn": "overturn",
        "decision-reasons": "The mentor meets the conditions."})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.OVERTURNED
    recognition = Recognition.objects.get(application=refusal)
    assert recognition.state == Recognition.State.ACTIVE
    assert Letter.objects.filter(appeal=appeal, kind=Letter.Kind.APPEAL_DECISION).exists()
    assert "the workplace is now recognised" in committee.get(detail_url(appeal)).content.decode()


def test_the_committee_upholds_or_overturns_a_sanction(committee, make_sanction, file_appeal):
    from werkplek.recognitions.models import Recognition, Sanction

    upheld = set_state(file_appeal(sanction=make_sanction()), "admissible")
    response = committee.post(step_url(upheld, "decide"), {
        "decision-version": upheld.version, "decision-overturn": "uphold"})
    assert response.status_code == 200
    assert "Give the reasons of the decision" in response.content.decode()
    committee.post(step_url(upheld, "decide"), {
        "decision-version": upheld.version, "decision-overturn": "uphold",
        "decision-reasons": "The support action was clear."})
    upheld.refresh_from_db()
    assert upheld.state == Appeal.State.UPHELD
    assert upheld.sanction.state == Sanction.State.IN_FORCE

    sanction = make_sanction(programme="dakwerker-duaal")
    overturned = set_state(file_appeal(sanction=sanction), "admissible")
    committee.post(step_url(overturned, "decide"), {
        "decision-version": overturned.version, "decision-overturn": "overturn",
        "decision-reasons": "The enterprise had met the action."})
    sanction.refresh_from_db()
    assert sanction.state == Sanction.State.LIFTED
    assert Recognition.objects.get(pk=sanction.recognition_id).state == "active"


def test_a_step_on_an_out_of_date_page_is_refused_with_409(committee, make_refusal,
                                                            file_appeal):
    appeal = file_appeal(application=make_refusal())
    old = appeal.version
    committee.post(step_url(appeal, "admissibility"), {
        "admissibility-version": old, "admissibility-admissible": "yes"})
    # A second tab, still showing the appeal as filed, then the decision with the old version.
    response = committee.post(step_url(appeal, "admissibility"), {
        "admissibility-version": old, "admissibility-admissible": "no",
        "admissibility-reason": "other", "admissibility-reasons": "x"})
    assert response.status_code == 409
    text = response.content.decode()
    assert "Someone changed this appeal meanwhile" in text and "Nothing was changed." in text
    response = committee.post(step_url(appeal, "decide"), {
        "decision-version": old, "decision-overturn": "uphold", "decision-reasons": "x"})
    assert response.status_code == 409
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.ADMISSIBLE
    response = committee.post(step_url(appeal, "hearing"), {
        "hearing-version": old, "hearing-notes": "x"})
    assert response.status_code == 409
    appeal.refresh_from_db()
    assert appeal.hearing_notes == ""


def test_only_the_committee_takes_the_steps(client, demo_user, outsider, make_refusal,
                                            file_appeal):
    appeal = file_appeal(application=make_refusal())
    data = {"admissibility-version": appeal.version, "admissibility-admissible": "yes"}
    for username in ("vertegenwoordiger", "behandelaar-bouw"):
        client.force_login(demo_user(username))
        assert client.post(step_url(appeal, "admissibility"), data).status_code == 403
        assert "Confirm the admissibility" not in client.get(detail_url(appeal)).content.decode()
    for user in (outsider, demo_user("trajectbegeleider"), demo_user("behandelaar-vpdl")):
        client.force_login(user)
        assert client.post(step_url(appeal, "admissibility"), data).status_code == 404
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.FILED
    # A GET on a step goes to the appeal's page.
    client.force_login(demo_user("beroepscommissie"))
    assert client.get(step_url(appeal, "decide"))["Location"] == detail_url(appeal)


def test_a_step_that_does_not_fit_the_state_says_why(committee, make_refusal, file_appeal):
    appeal = file_appeal(application=make_refusal())
    response = committee.post(step_url(appeal, "decide"), {
        "decision-version": appeal.version, "decision-overturn": "overturn",
        "decision-reasons": "x"})
    assert response.status_code == 200
    assert "Only an admissible appeal that has not been decided can be decided." in \
        response.content.decode()
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.FILED
