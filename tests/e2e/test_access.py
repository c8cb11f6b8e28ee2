"""A legal representative gives a colleague access by national register number."""

from playwright.sync_api import expect

from .conftest import assert_accessible, login


def test_representative_grants_access_with_a_wrong_then_a_right_number(page):
    login(page, "vertegenwoordiger")
    page.get_by_role("link", name="Toegang beheren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wie heeft toegang")
    assert_accessible(page, "access-nl")

    page.get_by_label("Voornaam").fill("An")
    page.get_by_label("Achternaam").fill("Nieuw")
    page.get_by_label("Rijksregisternummer").fill("85.07.30-033.29")
    page.get_by_role("button", name="Toegang geven").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Het controlegetal klopt niet.")
    expect(page.get_by_label("Voornaam")).to_have_value("An")
    expect(page.get_by_label("Achternaam")).to_have_value("Nieuw")
    assert_accessible(page, "access-error-nl")

    page.get_by_label("Rijksregisternummer").fill("85 07 30 033 28")
    page.get_by_role("button", name="Toegang geven").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("An Nieuw")
    expect(page.get_by_role("cell", name="An Nieuw", exact=True)).to_be_visible()
