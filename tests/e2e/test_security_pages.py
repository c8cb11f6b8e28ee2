"""The pages of the security measures, in Chromium: the page a visitor sees when they asked
too often (429), and what an administrator sees of the accesses to personal data (the
handler's reveal of a national register number and download of a document, in the access
register) and the export of a person's data for an access request. Every page axe-clean."""

import re

from django.core.cache import cache
from playwright.sync_api import expect

from .conftest import assert_accessible, login
from .test_application import submit_new_application
from .test_case import button, log_out


def test_too_many_searches_get_a_clear_page_that_says_when_to_try_again(page, settings):
    settings.WERKPLEK_RATE_LIMITS = True
    settings.WERKPLEK_RATE_LIMIT_RATES = {**settings.WERKPLEK_RATE_LIMIT_RATES,
                                          "register": "2/min"}
    cache.clear()
    for _ in range(2):
        assert page.goto("/erkende-werkplekken/").status == 200
    response = page.goto("/erkende-werkplekken/")
    assert response.status == 429
    assert int(response.headers["retry-after"]) > 0
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text(re.compile("minuut|seconden|opnieuw"))
    assert_accessible(page, "issue10-too-many-requests")
    cache.clear()


def test_an_administrator_sees_who_saw_personal_data_and_exports_a_persons_data(page):
    from werkplek.core.models import PersonalDataAccess

    status_url, _reference = submit_new_application(page)

    # The handler looks at the mentor's number and downloads a document of the case.
    login(page, "behandelaar-bouw")
    page.goto(status_url)
    button(page, "/rijksregisternummer/").click()
    expect(page.locator("#mentors")).to_contain_text("80.05.14-123.08")
    link = page.locator("a[href*='/documenten/']").first
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename
    log_out(page)
    kinds = set(PersonalDataAccess.objects.values_list("kind", flat=True))
    assert {"reveal", "download"} <= kinds

    # The administrator reads the access register (read-only) and exports a person's data.
    login(page, "beheer")
    page.goto("/beheer/core/personaldataaccess/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(PersonalDataAccess.objects.count())
    expect(page.locator("#result_list")).to_contain_text("Bart Behandelaar")
    expect(page.locator("#result_list")).to_contain_text("controle van de mentor")
    expect(page.locator(".breadcrumbs")).to_contain_text("Algemeen")
    expect(page.locator("#content-main .addlink")).to_have_count(0)  # read-only
    assert_accessible(page, "issue10-access-register")
    page.goto("/beheer/core/personaldataaccess/export/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, "issue10-access-request-export")
