"""Issue 6's journey in Chromium, on the demo accounts: after a support action that was not met,
the construction partnership's handler withdraws the recognition (with a confirmation step that
states the effects); the running agreement ends early; the letter reaches the enterprise and the
learner's coach by real SMTP; the employer appeals; the appeal committee confirms admissibility
and overturns; the recognition is active again and the agreement runs again."""

import io
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import assert_accessible, login
from .test_case import log_out, success


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _recognition_with_failed_support_action():
    """The demo enterprise's construction unit, recognised for roofer, with a running agreement
    coached by Jan Peeters for a learner of the demo coach; a support action opened a month ago
    and found not met on its deadline."""
    from werkplek.accounts.demo import DEMO_ENTERPRISE_NUMBER
    from werkplek.accounts.models import User
    from werkplek.agreements.models import Agreement, Learner
    from werkplek.catalog.models import Partnership, Programme, TrainingProvider
    from werkplek.core.deadlines import recognition_validity
    from werkplek.enterprises.models import Enterprise
    from werkplek.recognitions import services
    from werkplek.recognitions.models import Recognition, RecognitionMentor, SupportAction

    enterprise = Enterprise.objects.get(enterprise_number=DEMO_ENTERPRISE_NUMBER)
    handler = User.objects.get(username="behandelaar-bouw")
    peeters = enterprise.mentors.get(last_name="Peeters")
    start = timezone.localdate() - timedelta(days=400)
    recognition = Recognition.objects.create(
        enterprise=enterprise, unit=enterprise.units.get(joint_committee__number="124"),
        programme=Programme.objects.get(code="dakwerker-duaal"),
        partnership=Partnership.objects.get(code="bouw"), valid_from=start,
        valid_until=recognition_validity(start).day, validity_rule="recognition:5-years")
    RecognitionMentor.objects.create(recognition=recognition, mentor=peeters, since=start)
    coach = User.objects.get(username="trajectbegeleider")
    provider = coach.memberships.get().training_provider or TrainingProvider.objects.first()
    learner = Learner(first_name="Lotte", last_name="Leerling", training_provider=provider,
                      programme=recognition.programme)
    learner.set_national_number("05050500118")
    learner.save()
    today = timezone.localdate()
    agreement = Agreement.objects.create(
        learner=learner, enterprise=enterprise, unit=recognition.unit,
        programme=recognition.programme, recognition=recognition, mentor=peeters,
        training_provider=provider, coach=coach, kind=Agreement.Kind.OAO, weekly_hours=24,
        start_date=today - timedelta(days=60), end_date=today + timedelta(days=300),
        state=Agreement.State.ACTIVE, created_by=handler)
    action = services.open_support_action(actor=handler, recognition_id=recognition.pk,
                                          improvement="Plan elke week een overleg tussen "
                                                      "mentor en leerling.",
                                          due_on=today + timedelta(days=30))
    SupportAction.objects.filter(pk=action.pk).update(due_on=today)
    services.follow_up_support_action(actor=handler, action_id=action.pk, met=False,
                                      note="Geen overleg gepland bij het bezoek.")
    return recognition, agreement


def test_a_withdrawal_appealed_and_overturned(page, smtp_server, run_tasks):
    from werkplek.agreements.models import Agreement
    from werkplek.appeals.models import Appeal
    from werkplek.recognitions.models import Recognition, Sanction

    recognition, agreement = _recognition_with_failed_support_action()
    run_tasks()  # the e-mail of the support action
    smtp_server.messages.clear()
    detail = f"/erkenningen/{recognition.pk}/"

    # The handler sees the failed support action, and withdraws the recognition.
    login(page, "behandelaar-bouw")
    page.goto("/erkenningen/beheer/")
    expect(page.locator("main")).to_contain_text("De Zwaluw")
    assert_accessible(page, "issue6-handler-register")
    page.goto(detail)
    assert_accessible(page, "issue6-handler-recognition")
    page.locator(f"a[href*='/erkenningen/{recognition.pk}/sanctie/']").first.click()
    page.locator("input[name='sanction-kind'][value='withdrawal']").check()
    page.locator("textarea[name='sanction-reasons']").fill(
        "De begeleidingsactie werd niet uitgevoerd: er is geen overleg tussen mentor en "
        "leerling.")
    assert_accessible(page, "issue6-sanction-form")
    page.locator("#main-content form button[type=submit]").first.click()
    # The confirmation states the effects before anything happens.
    expect(page.locator("main")).to_contain_text("1 erkenning eindigt vandaag")
    expect(page.locator("main")).to_contain_text("1 overeenkomst")
    assert_accessible(page, "issue6-sanction-confirm")
    assert Sanction.objects.count() == 0
    page.locator("button[name='confirm']").click()
    expect(success(page)).to_be_visible()
    sanction = Sanction.objects.get()
    recognition.refresh_from_db()
    agreement.refresh_from_db()
    assert recognition.state == Recognition.State.WITHDRAWN
    assert agreement.state == Agreement.State.ENDED_EARLY
    log_out(page)

    # The letter reaches the enterprise and the learner's coach, with the appeal route.
    run_tasks()
    recipients = sorted(address for message in smtp_server.messages for address in message["to"])
    assert recipients == ["trajectbegeleider@werkplek.example",
                          "vertegenwoordiger@werkplek.example", "werkgever@werkplek.example"]
    attachment = next(smtp_server.messages[0]["message"].iter_attachments())
    text = _pdf_text(attachment.get_content())
    assert sanction.reference in text
    appeal_until = (timezone.localdate() + timedelta(days=10)).strftime("%d/%m/%Y")
    assert appeal_until in text

    # The employer appeals from the recognition's page.
    login(page, "werkgever")
    page.goto(detail)
    expect(page.locator("main")).to_contain_text(sanction.reference)
    assert_accessible(page, "issue6-enterprise-recognition")
    page.locator(f"a[href$='/beroepen/indienen/sanctie/{sanction.pk}/']").click()
    assert_accessible(page, "issue6-appeal-form")
    page.locator("textarea[name='grounds']").fill(
        "Het overleg vindt wel plaats, elke maandag: zie de agenda van de mentor.")
    page.locator("#main-content form button[type=submit]").click()
    expect(success(page)).to_be_visible()
    appeal = Appeal.objects.get()
    assert appeal.in_time and appeal.state == Appeal.State.FILED
    assert_accessible(page, "issue6-appeal-filed")
    log_out(page)

    # The committee confirms admissibility and overturns the withdrawal.
    login(page, "beroepscommissie")
    page.goto("/beroepen/commissie/")
    expect(page.locator("main")).to_contain_text(appeal.reference)
    assert_accessible(page, "issue6-committee-queue")
    page.get_by_role("link", name=appeal.reference).click()
    page.locator("input[name='admissibility-admissible'][value='yes']").check()
    page.locator("form[action$='/ontvankelijkheid/'] button[type=submit]").click()
    expect(success(page)).to_be_visible()
    page.locator("input[name='decision-overturn'][value='overturn']").check()
    page.locator("textarea[name='decision-reasons']").fill(
        "De agenda toont een wekelijks overleg: de begeleidingsactie werd uitgevoerd.")
    assert_accessible(page, "issue6-committee-appeal")
    page.locator("form[action$='/beslissing/'] button[type=submit]").click()
    expect(success(page)).to_be_visible()
    log_out(page)

    # The recognition is active again, the agreement runs again, the sanction is lifted.
    for item in (recognition, agreement, sanction, appeal):
        item.refresh_from_db()
    assert appeal.state == Appeal.State.OVERTURNED
    assert sanction.state == Sanction.State.LIFTED
    assert recognition.state == Recognition.State.ACTIVE
    assert agreement.state == Agreement.State.ACTIVE
    login(page, "werkgever")
    page.goto("/erkenningen/")
    row = page.locator("main tr", has_text=recognition.programme.name_nl)
    expect(row).to_contain_text("Actief")
    assert_accessible(page, "issue6-enterprise-register")
    run_tasks()
    kinds = sorted(letter.kind for letter in appeal.letters.all())
    assert kinds == ["appeal_admissibility", "appeal_decision", "appeal_receipt"]
    assert all(letter.state == "ready" for letter in appeal.letters.all())
