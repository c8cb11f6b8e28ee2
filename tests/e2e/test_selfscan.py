"""The self-scan in Chromium: a scan that passes, one that fails on the mentor's age, one that
fails on convictions; every page axe-clean, in Dutch and in English; a request for help
reaches the contact point over SMTP."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_accessible


def birth_date(years: int, days_later: int = 0) -> str:
    today = timezone.localdate()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, month=3, day=1)
    return (born + timedelta(days=days_later)).strftime("%d/%m/%Y")


NL = {
    "start": "Nu starten", "continue": "Doorgaan", "programme": "Opleiding",
    "committee": "Paritair comité van de vestigingseenheid",
    "province": "Provincie van de vestigingseenheid", "yes": "Ja", "no": "Nee",
    "birth": "Geboortedatum", "years": "Jaren beroepservaring in het beroep",
    "trained": "De mentor heeft de mentoropleiding gevolgd",
    "not_needed": "Niet nodig: de mentor heeft genoeg ervaring",
    "itself": "De onderneming zelf", "dont_know": "Weet ik nog niet",
}
EN = {
    "start": "Start now", "continue": "Continue", "programme": "Programme",
    "committee": "Joint committee of the establishment unit",
    "province": "Province of the establishment unit", "yes": "Yes", "no": "No",
    "birth": "Date of birth", "years": "Years of professional experience in the occupation",
    "trained": "The mentor has followed the mentor training",
    "not_needed": "Not needed: the mentor has enough experience",
    "itself": "The enterprise itself", "dont_know": "I don't know yet",
}


def fieldset(page, question: str):
    return page.get_by_role("group", name=re.compile(re.escape(question)))


def scan(page, t, *, birth: str, convictions: str, check=False, screenshots=""):
    """Walk the whole scan for Dakwerker duaal at a construction site in Oost-Vlaanderen."""
    def checked(name: str) -> None:
        if check:
            assert_accessible(page, f"{screenshots}-{name}" if screenshots else None)

    page.goto("/zelfscan/")
    checked("start")
    page.get_by_role("button", name=t["start"]).click()
    checked("programme")
    page.get_by_label(t["programme"]).select_option(value="dakwerker-duaal")
    page.get_by_role("button", name=t["continue"]).click()
    page.get_by_label(t["committee"]).select_option(value="124")
    page.get_by_label(t["province"]).select_option(value="VOV")
    checked("establishment")
    page.get_by_role("button", name=t["continue"]).click()
    radios = page.locator("fieldset")
    radios.nth(0).get_by_label(t["yes"], exact=True).check()
    radios.nth(1).get_by_label(t[convictions], exact=True).check()
    checked("workplace")
    page.get_by_role("button", name=t["continue"]).click()
    for box in page.locator("input[type=checkbox]").all():
        box.check()
    checked("activities")
    page.get_by_role("button", name=t["continue"]).click()
    page.get_by_label(t["birth"]).fill(birth)
    page.get_by_label(t["years"]).fill("12")
    page.locator("fieldset").nth(0).get_by_label(t["yes"], exact=True).check()
    page.get_by_label(t["not_needed"]).check()
    page.get_by_label(t["trained"]).check()
    checked("mentor")
    page.get_by_role("button", name=t["continue"]).click()
    page.get_by_label(t["no"], exact=True).check()
    checked("mentors")
    page.get_by_role("button", name=t["continue"]).click()
    page.get_by_label(t["itself"]).check()
    page.locator("fieldset").nth(1).get_by_label(t["dont_know"]).check()
    page.locator("fieldset").nth(2).get_by_label(t["yes"], exact=True).check()
    checked("application")
    page.get_by_role("button", name=t["continue"]).click()
    expect(page).to_have_url(re.compile(r"/zelfscan/resultaat/$"))


def test_a_scan_that_passes_in_dutch(page):
    scan(page, NL, birth=birth_date(40), convictions="no", check=True, screenshots="scan-nl")
    expect(page.get_by_role("heading", name="Je werkplek lijkt aan elke voorwaarde te voldoen"))\
        .to_be_visible()
    expect(page.get_by_text("Sectoraal partnerschap Bouw").first).to_be_visible()
    expect(page.get_by_role("heading", name="Hulp in je provincie")).to_be_visible()
    expect(page.get_by_role("button", name="Start je aanvraag")).to_be_visible()
    # The print button appears only with JavaScript, which runs here.
    expect(page.get_by_role("button", name="Deze pagina afdrukken")).to_be_visible()
    assert_accessible(page, "scan-nl-result-met")


def test_a_scan_that_fails_on_the_mentors_age_in_english(page_en):
    page = page_en
    scan(page, EN, birth=birth_date(25, days_later=1), convictions="no", check=True,
         screenshots="scan-en")
    expect(page.get_by_role("heading",
                            name="Your workplace does not seem to meet every condition yet"))\
        .to_be_visible()
    expect(page.get_by_text(re.compile(r"Mentor 1 is 24 on .*at least 25"))).to_be_visible()
    assert_accessible(page, "scan-en-result-age")


def test_a_scan_that_fails_on_convictions(page):
    scan(page, NL, birth=birth_date(40), convictions="yes")
    expect(page.get_by_role("heading",
                            name="Je werkplek lijkt nog niet aan elke voorwaarde te voldoen"))\
        .to_be_visible()
    condition = page.locator(".wp-condition").filter(has_text="veroordeling")
    expect(condition.locator(".govuk-tag")).to_have_text("Lijkt niet in orde")


def test_going_back_keeps_the_answers(page):
    scan(page, NL, birth=birth_date(40), convictions="no")
    page.get_by_role("link", name="Terug").click()
    expect(page.get_by_label("De onderneming zelf")).to_be_checked()
    page.goto("/zelfscan/onderneming/")
    expect(page.locator("fieldset").nth(0).get_by_label("Ja", exact=True)).to_be_checked()
    page.goto("/zelfscan/mentor/0/")
    expect(page.get_by_label("Jaren beroepservaring in het beroep")).to_have_value("12")


def test_bad_input_is_explained_and_kept(page):
    scan(page, NL, birth=birth_date(40), convictions="no")
    page.goto("/zelfscan/mentor/0/")
    page.get_by_label("Of: rijksregisternummer").fill("80.05.14-123.09")
    page.get_by_label("Jaren beroepservaring in het beroep").fill("veel")
    page.get_by_role("button", name="Doorgaan").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Het controlegetal klopt niet.")
    expect(summary).to_contain_text("Vul het aantal jaren in als een geheel getal")
    expect(page.get_by_label("Of: rijksregisternummer")).to_have_value("80.05.14-123.09")
    assert_accessible(page, "scan-nl-mentor-error")


def test_ask_for_help_reaches_the_contact_point(page, smtp_server, run_tasks):
    scan(page, NL, birth=birth_date(40), convictions="yes")
    page.get_by_label("Je naam").fill("An Peeters")
    page.get_by_label("Je e-mailadres").fill("an@example.be")
    page.get_by_role("button", name="Verstuur mijn hulpvraag").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Geef je toestemming")
    expect(page.get_by_label("Je naam")).to_have_value("An Peeters")
    page.get_by_label(re.compile("Ik ga ermee akkoord")).check()
    page.get_by_role("button", name="Verstuur mijn hulpvraag").click()
    expect(page.get_by_role("heading", name="Je hulpvraag is verstuurd")).to_be_visible()
    assert_accessible(page, "scan-nl-help-sent")
    run_tasks()
    assert len(smtp_server.messages) == 1
    body = smtp_server.messages[0]["message"].get_body().get_content()
    assert "Dakwerker duaal" in body and "an@example.be" in body


def test_start_your_application_carries_the_answers_through_login(page):
    scan(page, NL, birth=birth_date(40), convictions="no")
    page.get_by_role("button", name="Start je aanvraag").click()
    # Not logged in yet: the login page, then the new application with the scan offered.
    page.get_by_label("Gebruikersnaam").fill("werkgever")
    page.get_by_label("Wachtwoord").fill("demo")
    page.locator("#main-content form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/aanvragen/nieuw/$"))
    expect(page.get_by_label(re.compile("Vul de antwoorden van mijn zelfscan"))).to_be_checked()
    assert_accessible(page, "scan-carried-start")
    page.get_by_role("button", name="De aanvraag starten").click()
    expect(page.locator("#task-programme-status")).to_have_text("Voltooid")
    page.get_by_role("link", name="Opleiding en activiteiten").click()
    expect(page.get_by_label("Opleiding", exact=True)).to_have_value("Dakwerker duaal")
