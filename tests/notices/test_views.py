"""The letter download (only for those who may see the application), the resend button, and
the two include templates other pages show."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from werkplek.notices.models import Delivery
from werkplek.notices.selectors import deliveries_for, letters_for

from .conftest import issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(approved, prepared):
    return prepared(approved)


@pytest.mark.parametrize("username", ["werkgever", "vertegenwoordiger", "behandelaar-bouw"])
def test_those_who_may_see_the_application_download_the_letter(client, letter, user, username):
    client.force_login(user(username))

    response = client.get(reverse("notices:letter", args=[letter.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"beslissing-{letter.reference}.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF") and len(body) == letter.size


@pytest.mark.parametrize("username", ["behandelaar-vpdl", "trajectbegeleider", "beroepscommissie"])
def test_others_get_a_404(client, letter, user, username):
    client.force_login(user(username))

    assert client.get(reverse("notices:letter", args=[letter.pk])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, letter):
    response = client.get(reverse("notices:letter", args=[letter.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_letter_not_rendered_yet_is_not_found(client, approved, user):
    pending = issue(approved)
    client.force_login(user("werkgever"))

    assert client.get(reverse("notices:letter", args=[pending.pk])).status_code == 404


def _fail(letter) -> Delivery:
    delivery = letter.deliveries.get(recipient__username="vertegenwoordiger")
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.FAILED, attempts=5,
                                                   round_attempts=5, last_error="boom")
    return delivery


def test_a_handler_sends_a_failed_delivery_again_and_returns_to_the_case(client, letter, user):
    delivery = _fail(letter)
    client.force_login(user("behandelaar-bouw"))
    case = reverse("applications:detail", args=[letter.application_id]) + "?tab=letters"

    response = client.post(reverse("notices:resend", args=[delivery.pk]), {"next": case})

    assert response.status_code == 302 and response["Location"] == case
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.PENDING
    assert delivery.resend_requested_by.username == "behandelaar-bouw"


def test_an_outside_next_falls_back_to_the_case_page(client, letter, user):
    delivery = _fail(letter)
    client.force_login(user("behandelaar-bouw"))

    response = client.post(reverse("notices:resend", args=[delivery.pk]),
                           {"next": "https://evil.example/"})

    assert response["Location"] == reverse("applications:detail",
                                           args=[letter.application_id])


@pytest.mark.parametrize("target", ['{"a": 1}', "nergens", "core:home", ""])
def test_a_next_that_is_not_a_path_falls_back_to_the_case_page(client, letter, user, target):
    """`redirect` took a `next` without a slash for the name of a URL: one it did not know was
    a server error."""
    delivery = _fail(letter)
    client.force_login(user("behandelaar-bouw"))

    response = client.post(reverse("notices:resend", args=[delivery.pk]), {"next": target})

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail",
                                           args=[letter.application_id])


def test_a_delivery_that_did_not_fail_is_not_resent(client, letter, user):
    delivery = letter.deliveries.first()
    client.force_login(user("behandelaar-bouw"))

    response = client.post(reverse("notices:resend", args=[delivery.pk]), follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")

    assert "Only a delivery that failed can be sent again." in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.PENDING and delivery.resend_requested_by is None


@pytest.mark.parametrize(("username", "status"), [("werkgever", 403),
                                                  ("behandelaar-vpdl", 404)])
def test_others_cannot_resend(client, letter, user, username, status):
    delivery = _fail(letter)
    client.force_login(user(username))

    assert client.post(reverse("notices:resend", args=[delivery.pk])).status_code == status
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED


def test_resend_needs_a_post(client, letter, user):
    client.force_login(user("behandelaar-bouw"))

    assert client.get(reverse("notices:resend", args=[_fail(letter).pk])).status_code == 405


def test_the_deliveries_table_in_one_query(letter, user, django_assert_num_queries):
    failed = _fail(letter)
    request = RequestFactory().get("/aanvragen/1/?tab=x")
    request.user = user("behandelaar-bouw")
    application = letter.application

    with django_assert_num_queries(1):
        html = render_to_string("notices/_deliveries.html", {
            "deliveries": deliveries_for(application), "application": application},
            request=request)

    assert "vertegenwoordiger@werkplek.example" in html
    assert "werkgever@werkplek.example" in html
    assert "govuk-tag--red" in html and "govuk-tag--yellow" in html
    assert "boom" in html
    assert html.count('name="csrfmiddlewaretoken"') == 1  # one button: the failed delivery
    assert reverse("notices:resend", args=[failed.pk]) in html
    assert 'name="next" value="/aanvragen/1/?tab=x"' in html
    hidden = render_to_string("notices/_deliveries.html", {
        "deliveries": deliveries_for(application), "application": application,
        "can_resend": False}, request=request)
    assert reverse("notices:resend", args=[failed.pk]) not in hidden


def test_the_letters_list_in_one_query(approved, prepared, django_assert_num_queries):
    rendered = prepared(approved)
    pending = issue(approved)

    with django_assert_num_queries(1):
        html = render_to_string("notices/_letters.html",
                                {"letters": letters_for(approved)})

    assert reverse("notices:letter", args=[rendered.pk]) in html
    assert reverse("notices:letter", args=[pending.pk]) not in html
    assert pending.reference in html and rendered.reference in html
    assert html.index(pending.reference) < html.index(rendered.reference)  # latest first


def test_no_letters_no_section(approved):
    assert render_to_string("notices/_letters.html", {"letters": letters_for(approved)}) \
        .strip() == ""


def test_the_table_lists_every_e_mail_of_the_case(letter, user, mailoutbox,
                                                  django_assert_num_queries):
    from werkplek.applications.tasks import send_receipt

    application = letter.application
    send_receipt.call(application.pk)
    request = RequestFactory().get("/")
    request.user = user("behandelaar-bouw")

    with django_assert_num_queries(1):
        html = render_to_string("notices/_deliveries.html", {
            "deliveries": deliveries_for(application), "application": application},
            request=request)

    assert html.count('id="delivery-') == 4  # the letter and the receipt, to two people each
    assert html.count("Receipt") == 2
    assert html.count(letter.reference) == 2
    assert "govuk-tag--green" in html and "1 attempt<" in html


def test_a_case_with_no_e_mail_yet_says_so(approved):
    html = render_to_string("notices/_deliveries.html",
                            {"deliveries": deliveries_for(approved), "application": approved})

    assert "No e-mail has been sent about this application yet." in html


def test_a_handler_sends_a_failed_receipt_again(client, approved, user):
    delivery = Delivery.objects.create(
        application=approved, purpose=Delivery.Purpose.RECEIPT, recipient=user("werkgever"),
        email="werkgever@werkplek.example", state=Delivery.State.FAILED, attempts=5,
        round_attempts=5, last_error="boom")
    client.force_login(user("behandelaar-bouw"))

    response = client.post(reverse("notices:resend", args=[delivery.pk]), follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")

    assert "The e-mail will be sent again to werkgever@werkplek.example." in \
        response.content.decode()
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.PENDING
