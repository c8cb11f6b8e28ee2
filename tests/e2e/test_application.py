"""The application in Chromium: the employer drafts, leaves, comes back, completes and submits;
a coach does the same only under a mandate granted in the browser; bad input is explained and
the other answers are kept; every page axe-clean."""

import re

from playwright.sync_api import expect

from ..conftest import national_number_born, years_ago
from .conftest import assert_accessible, login

PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n"
       b"<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def pdf(name="uittreksel.pdf"):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def save(page):
    page.get_by_role("button", name="Bewaren en doorgaan").click()


def start_application(page, number="0412.345.614", check=False):
    page.goto("/aanvragen/nieuw/")
    if check:
        assert_accessible(page, "application-start")
    page.get_by_label("Ondernemingsnummer").fill(number)
    page.get_by_role("button", name="De aanvraag starten").click()


def fill_unit_and_programme(page, check=False):
    page.get_by_role("link", name="Onderneming en vestigingseenheid").click()
    page.get_by_label(re.compile("Werf en atelier Gent")).check()
    if check:
        assert_accessible(page, "application-unit")
    save(page)
    page.get_by_role("link", name="Opleiding en activiteiten").click()
    page.get_by_label("Opleiding", exact=True).fill("Dakwerker duaal")
    if check:
        assert_accessible(page, "application-programme")
    save(page)
    for box in page.locator("input[type=checkbox]").all():
        box.check()
    if check:
        assert_accessible(page, "application-activities")
    save(page)


def fill_the_rest(page, check=False):
    page.get_by_role("link", name="Voorwaarden voor de werkplek").click()
    page.locator("fieldset").nth(0).get_by_label("Ja", exact=True).check()
    page.locator("fieldset").nth(1).get_by_label("Nee", exact=True).check()
    page.locator("fieldset").nth(2).get_by_label("Ja", exact=True).check()
    if check:
        assert_accessible(page, "application-workplace")
    save(page)
    page.get_by_role("link", name="Mentoren", exact=True).click()
    page.get_by_role("button", name="Voeg een mentor toe").or_(
        page.get_by_role("link", name="Voeg een mentor toe")).click()
    page.get_by_label(re.compile("Jan Peeters")).check()
    page.get_by_label("Jaren beroepservaring in het beroep").fill("20")
    page.get_by_label("De mentor heeft de mentoropleiding gevolgd").check()
    page.get_by_label(re.compile("^Uittreksel uit het strafregister")).set_input_files(pdf())
    if check:
        assert_accessible(page, "application-mentor")
    save(page)
    expect(page.get_by_text("Voldoet aan de mentorvoorwaarden")).to_be_visible()
    if check:
        assert_accessible(page, "application-mentors")
    page.get_by_role("button", name="Terug naar de aanvraag").click()
    page.get_by_role("link", name="Verklaring op eer").click()
    page.get_by_label("De ondertekende verklaring op eer").set_input_files(pdf("verklaring.pdf"))
    if check:
        assert_accessible(page, "application-declaration")
    save(page)


def submit(page, check=False):
    page.get_by_role("button", name="Controleer je antwoorden").or_(
        page.get_by_role("link", name="Controleer je antwoorden")).click()
    if check:
        assert_accessible(page, "application-check")
    page.get_by_role("button", name="De aanvraag indienen").click()
    expect(page.get_by_role("heading", name="Aanvraag ingediend")).to_be_visible()


def submit_new_application(page, username: str = "werkgever") -> tuple[str, str]:
    """Log in, fill in and submit a complete application, log out: (status URL, reference)."""
    login(page, username)
    start_application(page)
    fill_unit_and_programme(page)
    fill_the_rest(page)
    submit(page)
    status_url = page.url
    reference = page.locator(".govuk-panel__body strong").inner_text()
    page.get_by_role("button", name="Afmelden").click()
    return status_url, reference


def test_employer_drafts_leaves_returns_and_submits(page, smtp_server, run_tasks):
    login(page, "werkgever")
    start_application(page, check=True)
    expect(page.get_by_role("heading", name="Aanvraag tot erkenning")).to_be_visible()
    assert_accessible(page, "application-task-list")
    fill_unit_and_programme(page, check=True)
    draft_url = page.url
    # Leave and come back: the draft is kept.
    page.get_by_role("button", name="Afmelden").click()
    login(page, "werkgever")
    page.goto("/aanvragen/")
    assert_accessible(page, "application-list")
    page.get_by_role("link", name=re.compile("^Ontwerp")).first.click()
    expect(page).to_have_url(draft_url)
    expect(page.locator("#task-unit-status")).to_have_text("Voltooid")
    expect(page.locator("#task-programme-status")).to_have_text("Voltooid")
    fill_the_rest(page, check=True)
    submit(page, check=True)
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert re.fullmatch(r"WP-\d{4}-\d{6}", reference)
    expect(page.get_by_text("Sectoraal partnerschap Bouw").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"beslist uiterlijk op \d{2}/\d{2}/\d{4}"))).to_be_visible()
    assert_accessible(page, "application-submitted")
    run_tasks()
    to = sorted(address for message in smtp_server.messages for address in message["to"])
    assert to == ["vertegenwoordiger@werkplek.example", "werkgever@werkplek.example"]
    assert reference in smtp_server.messages[0]["message"].get_body().get_content()


def test_bad_input_is_explained_and_the_rest_kept(page):
    login(page, "werkgever")
    start_application(page, number="0412.345.615")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Het controlegetal klopt niet.")
    assert_accessible(page, "application-start-error")
    start_application(page)
    fill_unit_and_programme(page)
    # A too-young mentor is flagged with the reason.
    page.get_by_role("link", name="Mentoren", exact=True).click()
    page.get_by_role("button", name="Voeg een mentor toe").click()
    # A mentor who turned 24 today: too young for construction (25).
    young = national_number_born(years_ago(24))
    page.get_by_label("Voornaam").fill("Jonas")
    page.get_by_label("Achternaam").fill("Jong")
    page.get_by_label("Rijksregisternummer").fill(young)
    page.get_by_label("Jaren beroepservaring in het beroep").fill("6")
    page.get_by_label("De mentor heeft de mentoropleiding gevolgd").check()
    # A missing upload: refused with its message, the other answers kept.
    save(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("uittreksel uit het strafregister")
    expect(page.get_by_label("Jaren beroepservaring in het beroep")).to_have_value("6")
    assert_accessible(page, "application-mentor-error")
    page.get_by_label(re.compile("^Uittreksel uit het strafregister")).set_input_files(pdf())
    save(page)
    expect(page.get_by_text("Voldoet niet aan elke voorwaarde")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Jonas Jong is 24 op .*minstens 25"))).to_be_visible()


def test_coach_files_only_under_a_mandate(page, browser, live_server):
    # Without a mandate the coach cannot apply for the enterprise.
    login(page, "trajectbegeleider")
    start_application(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "laad het machtigingsdocument op")
    page.get_by_role("button", name="Afmelden").click()
    # The representative grants a mandate in the browser.
    login(page, "vertegenwoordiger")
    page.get_by_role("link", name=re.compile("^Machtigingen")).click()
    assert_accessible(page, "mandates")
    page.get_by_label(re.compile("E-mailadres")).first.fill("trajectbegeleider@werkplek.example")
    page.get_by_label(re.compile("Alle vestigingseenheden")).check()
    page.get_by_label(re.compile("Erkenningsaanvragen indienen")).check()
    page.get_by_label("Geldig tot en met").fill("31/12/2030")
    page.locator("#main-content form button[type=submit]").last.click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    page.get_by_role("button", name="Afmelden").click()
    # Now the coach can.
    login(page, "trajectbegeleider")
    start_application(page)
    expect(page.get_by_role("heading", name="Aanvraag tot erkenning")).to_be_visible()
    expect(page.get_by_role("link", name="Machtiging")).to_be_visible()
    fill_unit_and_programme(page)
    fill_the_rest(page)
    submit(page)
    page.get_by_role("button", name="Afmelden").click()
    # The representative revokes it: the coach loses the ability.
    login(page, "vertegenwoordiger")
    page.get_by_role("link", name=re.compile("^Machtigingen")).click()
    page.get_by_role("button", name=re.compile("^Intrekken")).first.click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    page.get_by_role("button", name="Afmelden").click()
    login(page, "trajectbegeleider")
    start_application(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "laad het machtigingsdocument op")
