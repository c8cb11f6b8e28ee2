"""The whole path of issue 5 in Chromium, on the demo accounts: the employer submits; the
construction partnership's handler asks to complete; the employer completes; the handler finds
it complete, confirms the mentor and proposes approval; the voting member votes in favour (the
only voting member: that settles the vote); the handler approves. The letter reaches every
recipient by real SMTP with the PDF attached; the employer sees the recognition and downloads
the letter; the queue and the statistics count the decision."""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import assert_accessible, login
from .test_application import submit_new_application
from .test_case import button, log_out, success


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_from_submission_through_completion_and_vote_to_the_letter(page, smtp_server,
                                                                     run_tasks):
    from werkplek.applications.models import Application

    status_url, reference = submit_new_application(page)

    # The handler asks to complete the mentors.
    login(page, "behandelaar-bouw")
    page.goto(status_url)
    page.get_by_role("button", name="Aanvulling vragen").click()
    page.get_by_label("Mentoren").check()
    page.get_by_label("Wat ontbreekt").fill("Voeg het diploma van Jan Peeters toe.")
    page.get_by_role("button", name="Bewaren en doorgaan").click()
    log_out(page)

    # The employer sees exactly what to add, and sends the completed application.
    login(page, "werkgever")
    page.goto(status_url)
    expect(page.get_by_text("Voeg het diploma van Jan Peeters toe.", exact=True)).to_be_visible()
    page.get_by_role("button", name="Verstuur de aangevulde aanvraag").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text(
        "naar het partnerschap verstuurd")
    log_out(page)

    # The handler: complete, mentor confirmed, approval proposed.
    login(page, "behandelaar-bouw")
    page.goto(status_url)
    button(page, "/dossier/toewijzen/").first.click()
    button(page, "/volledig/").click()
    expect(success(page)).to_be_visible()
    page.locator("#mentors input[value='confirmed']").check()
    button(page, "/controle/").click()
    expect(success(page)).to_be_visible()
    page.locator("input[name='proposal-proposal'][value='approve']").check()
    page.locator("#id_proposal-reasons").fill("De werkplek biedt alle activiteiten aan en de "
                                              "mentor is bevestigd.")
    button(page, "/dossier/voorstel/").click()
    expect(success(page)).to_be_visible()
    log_out(page)

    # The voting member finds the proposal on the dashboard and votes in favour.
    login(page, "stemgerechtigde")
    page.get_by_role("link", name=reference).click()
    page.locator("input[name='vote-choice'][value='for']").check()
    button(page, "/dossier/stem/").click()
    expect(success(page)).to_be_visible()
    log_out(page)

    # The handler records the decision.
    login(page, "behandelaar-bouw")
    page.goto(status_url)
    button(page, "/dossier/beslissing/").click()
    expect(success(page)).to_be_visible()
    application = Application.objects.get(reference=reference)
    assert application.state == Application.State.APPROVED
    assert application.paused_days == 0  # asked and completed on the same day
    run_tasks()  # receipt, notices, the letter and its e-mails

    # Every recipient got the letter attached, and the PDF says what was decided.
    letters = [m for m in smtp_server.messages
               if any(part.get_content_type() == "application/pdf"
                      for part in m["message"].iter_attachments())]
    recipients = sorted(address for m in letters for address in m["to"])
    assert len(recipients) == len(set(recipients)) >= 2  # applicant and representative
    message = letters[0]["message"]
    assert "spam" in message.get_body(("plain",)).get_content()
    attachment = next(message.iter_attachments())
    text = _pdf_text(attachment.get_content())
    assert reference in text and "goedgekeurd" in text.lower()

    # The queue's "decided" tab and the statistics count it.
    page.goto("/aanvragen/behandeling/?tab=beslist")
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    page.goto("/aanvragen/statistieken/")
    expect(page.locator("main")).to_contain_text(re.compile(r"100\s?%|100,0\s?%"))
    log_out(page)

    # The employer sees the recognition and downloads the letter.
    login(page, "werkgever")
    page.goto(status_url)
    recognition = application.recognition
    expect(page.locator("main")).to_contain_text(recognition.valid_until.strftime("%d/%m/%Y"))
    assert_accessible(page, "journey-employer-recognised")
    link = page.locator("a[href*='/kennisgevingen/brieven/']").first
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert reference in _pdf_text(response.body())
