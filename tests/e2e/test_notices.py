"""In Chromium, axe-clean: the case page shows a letter that could not be prepared with its
"Try again" button, and the e-mails of the case with the failed one's "Send again"; the banner
of undelivered letters at the top of the handler's queue."""

import pytest
from playwright.sync_api import expect

from tests.notices.conftest import decide, issue, submitted_application

from .conftest import assert_accessible, login


@pytest.fixture
def failures(e2e_data):
    from werkplek.notices.models import Delivery, Letter
    from werkplek.notices.tasks import prepare_letter

    application = decide(submitted_application(), "approve")
    sent = issue(application)
    prepare_letter.call(sent.pk)
    Delivery.objects.filter(letter=sent, recipient__username="vertegenwoordiger").update(
        state=Delivery.State.FAILED, attempts=5, round_attempts=5,
        last_error="SMTPDataError: (451, b'4.3.0 Mail server busy, try again later')")
    broken = issue(application)
    Letter.objects.filter(pk=broken.pk).update(
        state=Letter.State.FAILED, attempts=5, round_attempts=5,
        last_error="OSError: [Errno 28] No space left on device")
    return {"application": application, "sent": sent, "broken": broken}


def test_the_case_page_shows_what_failed_and_tries_again(page, failures):
    from werkplek.notices.models import Letter

    application, broken = failures["application"], failures["broken"]
    login(page, "behandelaar-bouw")
    page.goto(f"/aanvragen/{application.pk}/")

    status = page.locator(f"#letter-{broken.pk}-status")
    expect(status).to_contain_text(broken.reference)
    expect(page.locator("#notifications")).to_contain_text("No space left on device")
    expect(page.locator("#notifications .govuk-tag--red")).to_have_count(1)
    assert_accessible(page, "notices-case-failed-letter")

    page.locator(f"form[action$='/brieven/{broken.pk}/opnieuw/'] button").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        broken.reference)
    broken.refresh_from_db()
    assert broken.state == Letter.State.PENDING
    expect(page.locator(f"form[action$='/brieven/{broken.pk}/opnieuw/']")).to_have_count(0)


def test_the_banner_on_top_of_the_queue(page, failures):
    login(page, "behandelaar-bouw")
    page.goto("/aanvragen/behandeling/")
    region = page.get_by_role("region", name=page.locator("#undelivered-title").inner_text())
    expect(region).to_contain_text(failures["application"].reference)
    expect(region.locator("a")).to_have_count(2)
    assert_accessible(page, "notices-queue-undelivered-banner")
