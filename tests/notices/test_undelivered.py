"""What the case handlers could not deliver, for the banner on their queue: the letters that
could not be prepared and the e-mails that failed for good, of their own partnerships only, in
a bounded number of queries."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from werkplek.notices.models import Delivery, Letter
from werkplek.notices.selectors import UNDELIVERED_LIMIT, undelivered_for

from .conftest import decide, issue, submitted_application

pytestmark = pytest.mark.django_db


def _fail_delivery(letter, username: str, error: str = "SMTPDataError: 451 try later"):
    delivery = letter.deliveries.get(recipient__username=username)
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.FAILED, attempts=5,
                                                   round_attempts=5, last_error=error)
    return delivery


def _fail_letter(letter, error: str = "OSError: No space left on device"):
    Letter.objects.filter(pk=letter.pk).update(state=Letter.State.FAILED, attempts=5,
                                               round_attempts=5, last_error=error)
    return letter


def _failed_receipt(application, email: str, user=None):
    return Delivery.objects.create(
        application=application, purpose=Delivery.Purpose.RECEIPT, recipient=user,
        email=email, state=Delivery.State.FAILED, attempts=5, round_attempts=5,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused")


@pytest.fixture
def failures(approved, prepared, user):
    """One letter delivery that failed, one letter that could not be prepared (of a refused
    application) and one receipt that failed: all of the construction partnership."""
    letter = prepared(approved)
    delivery = _fail_delivery(letter, "vertegenwoordiger")
    refused = decide(submitted_application(programme_code="ruwbouw-duaal"), "refuse")
    not_prepared = _fail_letter(issue(refused))
    receipt = _failed_receipt(refused, "werkgever@werkplek.example", user("werkgever"))
    return {"delivery": delivery, "letter": not_prepared, "receipt": receipt,
            "approved": approved, "refused": refused}


def test_a_handler_sees_what_failed_in_their_partnership(failures, user):
    undelivered = undelivered_for(user("behandelaar-bouw"))

    assert undelivered
    assert (undelivered.letters, undelivered.mails, undelivered.total) == (2, 1, 3)
    assert undelivered.more == 0
    first, *others = undelivered.items
    assert not first.prepared  # the letter nobody received comes first
    assert (first.application_id, first.subject, first.error) == (
        failures["refused"].pk, failures["letter"].reference, "OSError: No space left on device")
    by_email = {item.email: item for item in others}
    letter_item = by_email["vertegenwoordiger@werkplek.example"]
    assert letter_item.purpose == Delivery.Purpose.LETTER
    assert letter_item.reference == failures["approved"].reference
    assert letter_item.error == "SMTPDataError: 451 try later"
    receipt_item = by_email["werkgever@werkplek.example"]
    assert receipt_item.purpose == Delivery.Purpose.RECEIPT
    assert receipt_item.application_id == failures["refused"].pk


@pytest.mark.parametrize("username", ["behandelaar-vpdl", "werkgever", "stemgerechtigde",
                                      "beroepscommissie"])
def test_others_see_none(failures, user, username, django_assert_max_num_queries):
    someone = user(username)
    # Their partnerships, the two probes (others' failures exist), the two lists.
    with django_assert_max_num_queries(5):
        undelivered = undelivered_for(someone)

    assert not undelivered and undelivered.items == []
    assert render_to_string("notices/_undelivered_banner.html",
                            {"undelivered": undelivered}).strip() == ""


def test_what_was_sent_again_and_reached_is_gone(failures, user):
    Delivery.objects.filter(pk=failures["delivery"].pk).update(state=Delivery.State.SENT)
    Letter.objects.filter(pk=failures["letter"].pk).update(state=Letter.State.PENDING)

    undelivered = undelivered_for(user("behandelaar-bouw"))

    assert (undelivered.letters, undelivered.mails) == (0, 1)


def test_the_banner_names_each_case_recipient_and_error(failures, user):
    html = render_to_string("notices/_undelivered_banner.html",
                            {"undelivered": undelivered_for(user("behandelaar-bouw"))})

    assert "govuk-notification-banner" in html
    assert "govuk-notification-banner--success" not in html
    assert 'role="region"' in html
    assert "2 decision letters could not be delivered" in html
    assert "1 other e-mail to applicants could not be delivered" in html
    for application in (failures["approved"], failures["refused"]):
        link = reverse("applications:detail", args=[application.pk]) + "#notifications"
        assert f'href="{link}"' in html
        assert f">{application.reference}</a>" in html
    letter = failures["letter"]
    assert f"decision letter {letter.reference} for " \
           f"{failures['refused'].enterprise.name} could not be prepared" in html
    delivery = failures["delivery"]
    assert f"decision letter {delivery.letter.reference} to" in html
    assert "(vertegenwoordiger@werkplek.example)" in html
    assert "receipt to" in html and "(werkgever@werkplek.example)" in html
    assert "Last error: SMTPDataError: 451 try later" in html
    assert "Last error: OSError: No space left on device" in html
    assert "more." not in html


def test_the_heading_counts_in_the_singular(approved, prepared, user):
    _fail_delivery(prepared(approved), "werkgever")

    html = render_to_string("notices/_undelivered_banner.html",
                            {"undelivered": undelivered_for(user("behandelaar-bouw"))})

    assert "1 decision letter could not be delivered" in html
    assert "other e-mail" not in html


def test_many_failures_in_a_bounded_number_of_queries(approved, prepared, user,
                                                      django_assert_max_num_queries,
                                                      django_assert_num_queries):
    handler = user("behandelaar-bouw")
    letter = prepared(approved)
    _fail_delivery(letter, "werkgever")
    _fail_delivery(letter, "vertegenwoordiger")
    with django_assert_max_num_queries(6):  # the two probes, then the lists
        few = undelivered_for(handler)
    assert few.total == 2

    for n in range(UNDELIVERED_LIMIT + 5):
        _fail_letter(issue(approved))
        _failed_receipt(approved, f"persoon{n}@werkplek.example")

    with django_assert_max_num_queries(7):
        many = undelivered_for(handler)
    with django_assert_num_queries(0):
        html = render_to_string("notices/_undelivered_banner.html", {"undelivered": many})

    assert many.letters == 2 + UNDELIVERED_LIMIT + 5
    assert many.mails == UNDELIVERED_LIMIT + 5
    assert len(many.items) == UNDELIVERED_LIMIT
    assert many.more == many.total - UNDELIVERED_LIMIT
    assert f"And {many.more} more." in html
    assert html.count("<li>") == UNDELIVERED_LIMIT
    # Passing the partnerships the page already knows saves a query.
    from werkplek.applications.selectors import handled_partnership_ids

    ids = handled_partnership_ids(handler)
    with django_assert_max_num_queries(6):
        assert undelivered_for(handler, partnership_ids=ids).total == many.total


def test_the_queue_shows_the_banner_to_its_handlers_only(failures, user, client):
    from django.utils import translation

    with translation.override("en"):
        client.force_login(user("behandelaar-bouw"))
        page = client.get(reverse("applications:queue"), HTTP_ACCEPT_LANGUAGE="en")
        assert "2 decision letters could not be delivered" in page.content.decode()
        client.force_login(user("behandelaar-vpdl"))
        page = client.get(reverse("applications:queue"), HTTP_ACCEPT_LANGUAGE="en")
        assert "could not be delivered" not in page.content.decode()
