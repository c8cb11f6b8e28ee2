"""The case page (dossier) in Chromium on the demo data: the construction partnership's handler
assigns a submitted application, finds it complete, records a site visit, looks at the mentor's
national register number, confirms the mentor and proposes approval; the voting member votes in
favour; the handler closes the vote and approves; the employer sees the approval and the
recognition. Every page axe-clean.

The buttons are found by the form they post to, so that the journey does not depend on the
wording of the Dutch translation."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_accessible, login
from .test_application import submit_new_application


def button(page, action: str):
    """The submit button of the form on the page whose action ends with `action`."""
    return page.locator(f"form[action$='{action}'] button[type=submit]")


def log_out(page):
    page.get_by_role("button", name="Afmelden").click()


def success(page):
    return page.locator(".govuk-notification-banner--success")


def test_the_case_from_submission_to_recognition(page, smtp_server, run_tasks):
    from werkplek.accounts.models import Membership, Role, User
    from werkplek.applications.models import Application
    from werkplek.catalog.models import Partnership

    # A second voting member of the construction partnership: one vote alone does not settle
    # the vote, so the handler closes it.
    second = User.objects.create_user("stemgerechtigde-2", first_name="Sara", last_name="Stem")
    Membership.objects.create(user=second, role=Role.VOTER,
                              partnership=Partnership.objects.get(code="bouw"))

    status_url, reference = submit_new_application(page)

    # The handler opens the application: the case page.
    login(page, "behandelaar-bouw")
    page.goto(status_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(page.get_by_role("navigation", name=re.compile("Contents|Inhoud"))).to_be_visible()
    assert_accessible(page, "case-submitted")
    button(page, "/dossier/toewijzen/").first.click()
    expect(success(page)).to_be_visible()
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Bart Behandelaar")
    button(page, "/volledig/").click()
    expect(success(page)).to_be_visible()

    # A site visit: first without findings, which is explained, then complete.
    today = timezone.localdate()
    page.locator("input[name='investigation-kind'][value='site_visit']").check()
    page.locator("#id_investigation-on_0").fill(str(today.day))
    page.locator("#id_investigation-on_1").fill(str(today.month))
    page.locator("#id_investigation-on_2").fill(str(today.year))
    page.locator("#id_investigation-participants").fill("Jan Peeters (mentor), Bart Behandelaar")
    button(page, "/dossier/onderzoek/").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_investigation-findings")
    expect(page.locator("#id_investigation-participants")).to_have_value(
        "Jan Peeters (mentor), Bart Behandelaar")
    assert_accessible(page, "case-investigation-error")
    page.locator("#id_investigation-findings").fill("Werf bezocht: valbeveiliging in orde.")
    button(page, "/dossier/onderzoek/").click()
    expect(success(page)).to_be_visible()
    expect(page.locator("#investigation")).to_contain_text("Werf bezocht: valbeveiliging in orde.")

    # The mentor's national register number, in full on request; then the mentor check.
    expect(page.locator("#mentors")).to_contain_text("xx.xx.xx-xxx.08")
    button(page, "/rijksregisternummer/").click()
    expect(page.locator("#mentors")).to_contain_text("80.05.14-123.08")
    assert "80.05.14-123.08" not in page.url
    page.locator("#mentors input[value='confirmed']").check()
    button(page, "/controle/").click()
    expect(success(page)).to_be_visible()
    expect(page.locator("#mentors")).not_to_contain_text("80.05.14-123.08")

    # The proposal.
    page.locator("input[name='proposal-proposal'][value='approve']").check()
    page.locator("#id_proposal-reasons").fill("De werkplek en de mentor voldoen aan de "
                                              "voorwaarden.")
    button(page, "/dossier/voorstel/").click()
    expect(success(page)).to_be_visible()
    assert_accessible(page, "case-proposed")
    log_out(page)

    # The voting member votes in favour.
    login(page, "stemgerechtigde")
    page.goto(status_url)
    expect(page.locator("#vote")).to_be_visible()
    assert_accessible(page, "case-voter")
    page.locator("input[name='vote-choice'][value='for']").check()
    page.locator("#id_vote-remark").fill("Goed onderbouwd.")
    button(page, "/dossier/stem/").click()
    expect(success(page)).to_be_visible()
    expect(page.locator("#vote")).to_contain_text("Goed onderbouwd.")
    log_out(page)

    # The handler closes the vote and approves, with the proposal's reasons.
    login(page, "behandelaar-bouw")
    page.goto(status_url)
    button(page, "/dossier/stemming-sluiten/").click()
    expect(success(page)).to_be_visible()
    expect(page.locator("#id_decision-reasons")).to_have_value(
        "De werkplek en de mentor voldoen aan de voorwaarden.")
    button(page, "/dossier/beslissing/").click()
    expect(success(page)).to_be_visible()
    application = Application.objects.get(reference=reference)
    assert application.state == Application.State.APPROVED
    recognition = application.recognition
    until = recognition.valid_until.strftime("%d/%m/%Y")
    expect(page.locator("#decision")).to_contain_text(until)
    run_tasks()  # the decision letter: rendered and e-mailed
    page.reload()
    expect(page.locator("#notifications .govuk-tag--green").first).to_be_visible()
    assert_accessible(page, "case-decided")
    log_out(page)

    # The employer sees the approval, the recognition and the letter.
    login(page, "werkgever")
    page.goto(status_url)
    expect(page.locator(".govuk-panel")).to_contain_text(until)
    expect(page.locator("main")).to_contain_text("Werf en atelier Gent")
    expect(page.locator("main")).to_contain_text("Jan Peeters")
    expect(page.locator("main")).to_contain_text(
        f"{recognition.valid_from:%d/%m/%Y}")
    expect(page.locator("a[href*='/kennisgevingen/brieven/']")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Goed onderbouwd.")
    assert_accessible(page, "applicant-approved")
