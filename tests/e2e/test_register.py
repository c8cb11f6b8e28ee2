"""The public register in Chromium: an anonymous visitor searches a programme near a postal code
(with the programme suggestions the script adds), opens a result, reads about the open data and
downloads the CSV; every page axe-clean."""

import csv
import io
import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_accessible


def make_workplace(*, name: str, postal_code: str, municipality: str, province: str,
                   programme: str = "dakwerker-duaal", partnership: str = "bouw",
                   email: str = "", number: int, state: str = "active"):
    """A recognition in force at a new enterprise's establishment unit."""
    from werkplek.catalog.models import Partnership, Programme, Province
    from werkplek.enterprises.models import Enterprise, EstablishmentUnit
    from werkplek.recognitions.models import Recognition

    first8 = 1_700_000 + number
    enterprise = Enterprise.objects.create(
        enterprise_number=f"{first8:08d}{97 - first8 % 97:02d}", name=name, email=email)
    unit_first8 = 27_000_000 + number
    unit = EstablishmentUnit.objects.create(
        enterprise=enterprise, unit_number=f"{unit_first8}{97 - unit_first8 % 97:02d}",
        name=f"Werkplaats {municipality}", street="Stationsstraat 1", postal_code=postal_code,
        municipality=municipality, province=Province.objects.get(code=province))
    start = timezone.localdate() - timedelta(days=100)
    return Recognition.objects.create(
        enterprise=enterprise, unit=unit, programme=Programme.objects.get(code=programme),
        partnership=Partnership.objects.get(code=partnership), state=state, valid_from=start,
        valid_until=start + timedelta(days=5 * 365), validity_rule="recognition:5-years")


def test_a_visitor_finds_a_workplace_nearby_opens_it_and_downloads_the_register(page):
    near = make_workplace(name="Dakwerken Vandamme", postal_code="9800",
                          municipality="Deinze", province="VOV",
                          email="info@vandamme.example", number=1)
    far = make_workplace(name="Daken Antwerpen", postal_code="2000", municipality="Antwerpen",
                         province="VAN", number=2)
    make_workplace(name="Bakkerij Gent", postal_code="9000", municipality="Gent",
                   province="VOV", programme="brood-en-banketbakkerij-duaal",
                   partnership="voeding", number=3)
    make_workplace(name="Opgeheven Daken", postal_code="9000", municipality="Gent",
                   province="VOV", state="withdrawn", number=4)

    # From the home page to the search.
    page.goto("/")
    page.locator("#main-content a[href='/erkende-werkplekken/']").click()
    expect(page).to_have_url(re.compile(r"/erkende-werkplekken/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # The script adds the programme names as suggestions (in Dutch, the page's language).
    programme = page.locator("#id_opleiding")
    expect(programme).to_have_attribute("list", "id_opleiding-suggestions")
    expect(page.locator("#id_opleiding-suggestions option[value='Dakwerker duaal']")
           ).to_have_count(1)
    expect(page.locator("#main-content .govuk-summary-card")).to_have_count(3)
    assert_accessible(page, "register-search")

    # Roofers within 25 km of Gent: Deinze, not Antwerpen, not the bakery, not the withdrawn.
    programme.fill("dakwerker")
    page.locator("#id_plaats").fill("9000")
    page.locator("#id_straal").select_option("25")
    page.locator("#main-content form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"opleiding=dakwerker.*plaats=9000.*straal=25"))
    results = page.locator("#main-content .govuk-summary-card")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Dakwerken Vandamme")
    expect(results.first).to_contain_text("9800 Deinze")
    expect(results.first).to_contain_text(re.compile(r"\d+,\d km"))  # the distance, Belgian
    expect(page.locator("#main-content")).not_to_contain_text(far.enterprise.name)
    expect(page.locator("#main-content")).to_contain_text("9000 Gent")
    assert_accessible(page, "register-results")

    # An unknown place: explained, the rest of the search kept.
    page.locator("#id_plaats").fill("Atlantis")
    page.locator("#main-content form button[type=submit]").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Atlantis")
    expect(page.locator("#id_opleiding")).to_have_value("dakwerker")
    expect(page.locator("#id_straal")).to_have_value("25")
    assert_accessible(page, "register-unknown-place")
    page.go_back()

    # The result's own page.
    page.get_by_role("link", name=re.compile("Dakwerken Vandamme")).click()
    expect(page).to_have_url(re.compile(rf"/erkende-werkplekken/{near.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dakwerken Vandamme")
    main = page.locator("#main-content")
    expect(main).to_contain_text("Dakwerker duaal")
    expect(main).to_contain_text(near.unit.formatted_number)
    expect(main.locator("a[href='mailto:info@vandamme.example']")).to_be_visible()
    assert_accessible(page, "register-workplace")

    # The open data, from the footer, and the CSV.
    page.locator("footer a[href='/open-data/']").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("#main-content table code").first).to_have_text("erkenning_id")
    assert_accessible(page, "register-open-data")
    today = timezone.localdate()
    with page.expect_download() as download:
        page.locator("a[href='/open-data/erkende-werkplekken.csv']").click()
    assert download.value.suggested_filename == f"erkende-werkplekken-{today.isoformat()}.csv"
    with open(download.value.path(), encoding="utf-8", newline="") as downloaded:
        rows = list(csv.reader(io.StringIO(downloaded.read())))
    assert rows[0][:3] == ["erkenning_id", "ondernemingsnummer", "onderneming_naam"]
    assert sorted(row[2] for row in rows[1:]) == [
        "Bakkerij Gent", "Daken Antwerpen", "Dakwerken Vandamme"]


def test_a_page_kept_in_the_cache_works_as_the_rendered_one(page):
    """The second visitor of a search gets the page kept whole in the cache
    (werkplek.core.pagecache): its scripts run under the response's own nonce (no CSP
    violation: the fixture fails on any), and the language switch works with the visitor's
    own CSRF token."""
    from django.test import Client

    make_workplace(name="Dakwerken Vandamme", postal_code="9800", municipality="Deinze",
                   province="VOV", number=11)
    search = "/erkende-werkplekken/?opleiding=dakwerker&provincie=VOV"
    first = Client().get(search, HTTP_ACCEPT_LANGUAGE="nl")  # rendered, and kept
    # Proof that the next page is the kept one: a change that bypasses the models' signals
    # (so bumps no version) would show on a page rendered now.
    from werkplek.enterprises.models import Enterprise

    Enterprise.objects.filter(name="Dakwerken Vandamme").update(name="Hernoemd")
    served = page.goto(search).text()  # the kept page, with its own nonce and token
    assert "Hernoemd" not in served
    rendered = first.content.decode()

    def bare(html: str) -> str:
        html = re.sub(r'nonce="[^"]+"', 'nonce=""', html)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)
    assert bare(served) == bare(rendered)  # the very page the first visitor got…
    nonces = set(re.findall(r'nonce="([^"]+)"', served))
    assert len(nonces) == 1 and not nonces & set(re.findall(r'nonce="([^"]+)"', rendered))
    expect(page.locator("body")).to_have_class(re.compile("js-enabled"))
    expect(page.locator("#id_opleiding-suggestions option[value='Dakwerker duaal']")
           ).to_have_count(1)
    expect(page.locator("#main-content .govuk-summary-card")).to_have_count(1)
    assert_accessible(page, "register-search-kept")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#main-content .govuk-summary-card")).to_have_count(1)
    expect(page.locator("#id_opleiding")).to_have_value("dakwerker")
    assert_accessible(page, "register-search-kept-en")
