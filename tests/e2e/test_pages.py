"""The public pages are accessible in both languages."""

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible

PAGES = [("/hulp/", "help"), ("/toegankelijkheid/", "accessibility"), ("/privacy/", "privacy"),
         ("/bestaat-niet/", "not-found")]


@pytest.mark.parametrize(("path", "name"), PAGES)
def test_public_page_in_dutch_and_english(page, path, name):
    page.goto(path)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, f"{name}-nl")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page, f"{name}-en")


def test_help_page_lists_the_six_contact_points(page):
    page.goto("/hulp/")
    for province in ["Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant",
                     "West-Vlaanderen", "Brussel"]:
        expect(page.get_by_role("heading", name=province, exact=False).first).to_be_visible()
    assert page.locator("a[href^='tel:']").count() >= 6
    assert page.locator("a[href^='mailto:']").count() >= 6
