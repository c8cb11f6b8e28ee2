"""The handler's queue and the statistics in Chromium: tabs, filters, sorting, deadline flags,
and the statistics page with its charts, each page checked with axe."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from ..applications.queue_factory import make_application, new_unit
from .conftest import assert_accessible, login


def expect_references(page, expected: list[str]) -> None:
    """The references of the rows, in order (waits for the page that a click loads)."""
    expect(page.locator("table.govuk-table tbody tr td:first-child a")).to_have_text(expected)


def test_handler_filters_sorts_and_opens_the_statistics(page):
    from werkplek.accounts.models import User

    today = timezone.localdate()
    bart = User.objects.get(username="behandelaar-bouw")
    late = make_application(state="in_progress", reference="WP-2026-000903",
                            deadline=today - timedelta(days=1), assigned_to=bart,
                            unit=new_unit(name="Aannemer Arend"))
    # Came back after a completion request: three days paused, so the deadline moved.
    soon = make_application(state="in_progress", reference="WP-2026-000901",
                            deadline=today + timedelta(days=2), paused_days=3,
                            unit=new_unit(name="Bouw Bever", province_code="VAN",
                                          postal_code="2000", municipality="Antwerpen"))
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
    expect_references(page, ["WP-2026-000904"])
    assert "WP-2026-000999" not in page.content()  # another partnership's application

    tabs.nth(1).click()
    expect_references(page, [late.reference, soon.reference, calm.reference])
    rows = page.locator("table.govuk-table tbody tr")
    expect(rows.nth(0).locator(".govuk-tag--red")).to_be_visible()
    expect(rows.nth(1).locator(".govuk-tag--orange")).to_be_visible()
    expect(rows.nth(2).locator(".govuk-tag")).to_have_count(0)
    expect(rows.nth(0)).to_contain_text("Bart Behandelaar")
    # Days left beside the flags; the resubmitted one is marked, and its deadline moved.
    expect(rows.nth(0)).to_contain_text("1 dag over de termijn")
    expect(rows.nth(1)).to_contain_text("nog 2 dagen")
    expect(rows.nth(2)).to_contain_text("nog 10 dagen")
    expect(rows.nth(1).locator(".govuk-tag--blue")).to_have_count(1)
    expect(rows.nth(1)).to_contain_text("3 dagen opgeschoven door het wachten op aanvulling.")
    expect(rows.nth(0).locator(".govuk-tag--blue")).to_have_count(0)
    assert_accessible(page, "queue-in-progress")

    # Filter: overdue only; the choice stays selected and the tab stays.
    page.locator("select[name=termijn]").select_option("verlopen")
    page.locator("#main-content form[method=get] button[type=submit]").click()
    expect(page.locator("select[name=termijn]")).to_have_value("verlopen")
    expect(page.locator(".govuk-tabs__list a[aria-current=page]")).to_contain_text("(1)")
    expect_references(page, [late.reference])
    # Back to every deadline, only the province of Flemish Brabant.
    page.locator("select[name=termijn]").select_option("")
    page.locator("select[name=provincie]").select_option(label="Vlaams-Brabant")
    page.locator("#main-content form[method=get] button[type=submit]").click()
    expect_references(page, [calm.reference])
    page.locator("select[name=provincie]").select_option("")
    page.locator("#main-content form[method=get] button[type=submit]").click()

    # Sort by reference, then turn it around; aria-sort follows.
    def header(name):
        return page.locator("th[aria-sort]", has_text=re.compile(name))

    expect(page.locator("th[aria-sort]")).to_have_count(7)
    header("Referentie").locator("a").click()
    expect(header("Referentie")).to_have_attribute("aria-sort", "ascending")
    expect(header("Beslissing uiterlijk")).to_have_attribute("aria-sort", "none")
    expect_references(page, [soon.reference, calm.reference, late.reference])
    header("Referentie").locator("a").click()
    expect(header("Referentie")).to_have_attribute("aria-sort", "descending")
    expect_references(page, [late.reference, calm.reference, soon.reference])
    assert_accessible(page, "queue-sorted")
    # By programme: Dakwerker (nearest deadline first), then Ruwbouw.
    header("Opleiding").locator("a").click()
    expect(header("Opleiding")).to_have_attribute("aria-sort", "ascending")
    expect(header("Referentie")).to_have_attribute("aria-sort", "none")
    expect_references(page, [late.reference, soon.reference, calm.reference])
    # By province of the unit: Antwerpen, Oost-Vlaanderen, Vlaams-Brabant; then turned.
    # ("Province" until the Dutch of that new header is in the catalogue.)
    header("Provinc").locator("a").click()
    expect_references(page, [soon.reference, late.reference, calm.reference])
    expect(rows.nth(0).locator("td").nth(3)).to_have_text("Antwerpen")
    header("Provinc").locator("a").click()
    expect(header("Provinc")).to_have_attribute("aria-sort", "descending")
    expect_references(page, [calm.reference, late.reference, soon.reference])
    # By case handler: Bart first, the unassigned last (by deadline); turned: them first.
    header("Behandelaar").locator("a").click()
    expect(header("Behandelaar")).to_have_attribute("aria-sort", "ascending")
    expect_references(page, [late.reference, soon.reference, calm.reference])
    assert_accessible(page, "queue-sorted-by-handler")
    header("Behandelaar").locator("a").click()
    expect_references(page, [soon.reference, calm.reference, late.reference])

    # The decided tab.
    page.locator(".govuk-tabs__list a").nth(4).click()
    expect_references(page, ["WP-2026-000905"])
    expect(page.locator("table .govuk-tag--green")).to_be_visible()
    assert_accessible(page, "queue-decided")
    # Eight columns, and none of them sticks out of the tab panel.
    expect(page.locator("table thead th")).to_have_count(8)
    panel = page.locator(".govuk-tabs__panel").bounding_box()
    table = page.locator("table.govuk-table").bounding_box()
    assert table["x"] + table["width"] <= panel["x"] + panel["width"]

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


def test_the_queue_in_english_fits_the_page(page_en):
    """The widest tab (decided: eight columns) and a resubmitted application, in English."""
    page = page_en
    today = timezone.localdate()
    make_application(state="approved", reference="WP-2026-000911", paused_days=4,
                     submitted=today - timedelta(days=20), decided=today - timedelta(days=2),
                     programme="ijzervlechter-en-bekister-betonneerder-duaal",
                     unit=new_unit(name="Betonwerken Vlaams-Brabant", province_code="VBR",
                                   postal_code="3000", municipality="Leuven"))
    make_application(state="submitted", reference="WP-2026-000912", paused_days=4,
                     programme="ijzervlechter-en-bekister-betonneerder-duaal")
    login(page, "behandelaar-bouw")
    page.goto("/aanvragen/behandeling/?sorteer=provincie")
    row = page.locator("table.govuk-table tbody tr")
    expect(row.locator(".govuk-tag--blue")).to_have_text("Completed by the applicant")
    expect(row).to_contain_text("18 days left")  # 14 + the 4 days waited
    expect(row).to_contain_text("Moved by 4 days of waiting for completion.")
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Province")
    assert_accessible(page, "queue-new-en")
    page.locator(".govuk-tabs__list a").nth(4).click()
    expect_references(page, ["WP-2026-000911"])
    expect(page.locator("table thead th")).to_have_count(8)
    panel = page.locator(".govuk-tabs__panel").bounding_box()
    table = page.locator("table.govuk-table").bounding_box()
    assert table["x"] + table["width"] <= panel["x"] + panel["width"]
    assert_accessible(page, "queue-decided-en")
