"""The handler's queue and the statistics in Chromium: tabs, filters, sorting, deadline flags,
and the statistics page with its charts, each page checked with axe."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from ..applications.queue_factory import make_application, new_unit
from .conftest import assert_accessible, login


def references(page) -> list[str]:
    return page.locator("table.govuk-table tbody tr td:first-child a").all_inner_texts()


def test_handler_filters_sorts_and_opens_the_statistics(page):
    from werkplek.accounts.models import User

    today = timezone.localdate()
    bart = User.objects.get(username="behandelaar-bouw")
    late = make_application(state="in_progress", reference="WP-2026-000903",
                            deadline=today - timedelta(days=1), assigned_to=bart,
                            unit=new_unit(name="Aannemer Arend"))
    soon = make_application(state="in_progress", reference="WP-2026-000901",
                            deadline=today + timedelta(days=2),
                            unit=new_unit(name="Bouw Bever"))
    calm = make_application(state="in_progress", reference="WP-2026-000902",
                            deadline=today + timedelta(days=10), programme="ruwbouw-duaal",
                            unit=new_unit(name="Cementwerken Das", province_code="VBR",
                                          postal_code="3000", municipality="Leuven"))
    make_application(state="submitted", reference="WP-2026-000904")
    make_application(state="approved", reference="WP-2026-000905",
                     submitted=today - timedelta(days=20), decided=today - timedelta(days=8))
    make_application(state="submitted", partnership="vpdl", reference="WP-2026-000999",
                     programme="kapper-stylist-duaal")

    login(page, "behandelaar-bouw")
    page.get_by_role("link", name="De wachtrij van je partnerschap").click()
    # The first tab holds the new application; the counts are on the tabs.
    tabs = page.locator(".govuk-tabs__list a")
    expect(tabs).to_have_count(6)
    expect(tabs.nth(0)).to_have_attribute("aria-current", "page")
    expect(tabs.nth(0)).to_contain_text("(1)")
    expect(tabs.nth(1)).to_contain_text("(3)")
    expect(tabs.nth(4)).to_contain_text("(1)")
    assert references(page) == ["WP-2026-000904"]
    assert "WP-2026-000999" not in page.content()  # another partnership's application

    tabs.nth(1).click()
    assert references(page) == [late.reference, soon.reference, calm.reference]
    rows = page.locator("table.govuk-table tbody tr")
    expect(rows.nth(0).locator(".govuk-tag--red")).to_be_visible()
    expect(rows.nth(1).locator(".govuk-tag--orange")).to_be_visible()
    expect(rows.nth(2).locator(".govuk-tag")).to_have_count(0)
    expect(rows.nth(0)).to_contain_text("Bart Behandelaar")
    assert_accessible(page, "queue-in-progress")

    # Filter: overdue only; the choice stays selected and the tab stays.
    page.locator("select[name=termijn]").select_option("verlopen")
    page.locator("#main-content form[method=get] button[type=submit]").click()
    expect(page.locator("select[name=termijn]")).to_have_value("verlopen")
    expect(page.locator(".govuk-tabs__list a[aria-current=page]")).to_contain_text("(1)")
    assert references(page) == [late.reference]
    # Back to every deadline, only the province of Flemish Brabant.
    page.locator("select[name=termijn]").select_option("")
    page.locator("select[name=provincie]").select_option(label="Vlaams-Brabant")
    page.locator("#main-content form[method=get] button[type=submit]").click()
    assert references(page) == [calm.reference]
    page.locator("select[name=provincie]").select_option("")
    page.locator("#main-content form[method=get] button[type=submit]").click()

    # Sort by reference, then turn it around; aria-sort follows.
    reference_header = page.locator("th[aria-sort]").nth(0)
    reference_header.locator("a").click()
    expect(page.locator("th[aria-sort]").nth(0)).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("th[aria-sort]").nth(3)).to_have_attribute("aria-sort", "none")
    assert references(page) == [soon.reference, calm.reference, late.reference]
    page.locator("th[aria-sort]").nth(0).locator("a").click()
    expect(page.locator("th[aria-sort]").nth(0)).to_have_attribute("aria-sort", "descending")
    assert references(page) == [late.reference, calm.reference, soon.reference]
    assert_accessible(page, "queue-sorted")

    # The decided tab.
    page.locator(".govuk-tabs__list a").nth(4).click()
    assert references(page) == ["WP-2026-000905"]
    expect(page.locator("table .govuk-tag--green")).to_be_visible()

    # A reference opens the case.
    page.locator(".govuk-tabs__list a").nth(1).click()
    page.get_by_role("link", name=late.reference, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/aanvragen/{late.pk}/"))

    # The statistics of the partnership.
    page.go_back()
    page.locator("#main-content a[href='/aanvragen/statistieken/']").click()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("svg[role=img]")).to_have_count(2)
    expect(page.locator("svg[role=img] title").first).not_to_be_empty()
    expect(page.locator(".govuk-caption-l")).to_contain_text("Bouw")
    assert_accessible(page, "statistics-bouw")
    year = str(today.year)
    page.locator("select[name=jaar]").select_option(year)
    page.locator("#main-content form[method=get] button[type=submit]").click()
    expect(page.locator("select[name=jaar]")).to_have_value(year)
    with page.expect_download() as download:
        page.locator(f"a[href='?jaar={year}&formaat=csv']").click()
    assert download.value.suggested_filename == f"werkplek-statistieken-maanden-{year}.csv"
    with open(download.value.path(), encoding="utf-8-sig") as downloaded:
        content = downloaded.read()
    assert content.count("\n") == 13 and ";" in content
