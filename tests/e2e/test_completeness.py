"""The completeness check in Chromium: the handler asks to complete, the employer completes."""

import re

from playwright.sync_api import expect

from .conftest import assert_accessible, login
from .test_application import fill_the_rest, fill_unit_and_programme, start_application, submit


def test_handler_asks_to_complete_and_the_employer_completes(page):
    login(page, "werkgever")
    start_application(page)
    fill_unit_and_programme(page)
    fill_the_rest(page)
    submit(page)
    status_url = page.url
    page.get_by_role("button", name="Afmelden").click()

    login(page, "behandelaar-bouw")
    page.get_by_role("link", name="De wachtrij van je partnerschap").click()
    assert_accessible(page, "handler-queue")
    page.get_by_role("link", name=re.compile(r"^WP-\d{4}-\d{6}$")).first.click()
    assert_accessible(page, "handler-case")
    page.get_by_role("button", name="Aanvulling vragen").click()
    page.get_by_role("button", name="Bewaren en doorgaan").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Kies minstens één onderdeel")
    page.get_by_label("Mentoren").check()
    page.get_by_label("Wat ontbreekt").fill("Het uittreksel van Jan Peeters is onleesbaar.")
    assert_accessible(page, "handler-request-completion")
    page.get_by_role("button", name="Bewaren en doorgaan").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("werd gevraagd")
    page.get_by_role("button", name="Afmelden").click()

    login(page, "werkgever")
    page.goto(status_url)
    request = page.get_by_text("Het uittreksel van Jan Peeters is onleesbaar.", exact=True)
    expect(request).to_be_visible()
    assert_accessible(page, "applicant-completion-requested")
    page.get_by_role("link", name="Mentoren").click()
    expect(page.get_by_role("heading", name="Mentoren")).to_be_visible()
    page.goto(status_url)
    page.get_by_role("button", name="Verstuur de aangevulde aanvraag").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text(
        "naar het partnerschap verstuurd")
    assert_accessible(page, "applicant-completed")
