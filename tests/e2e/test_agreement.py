"""Issue 7's journey in Chromium, on the demo accounts: the learner coach finds the recognised
workplace and registers an agreement (24 hours a week: an OAO); the employer confirms it and it
runs; a second learner for the same mentor, whose partnership allows one learner at a time, is
refused with the reason, and what was typed stays."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_accessible, login
from .test_case import log_out


def _recognised_workplace():
    """The demo enterprise's construction unit, recognised for roofer, with Jan Peeters (trained)
    as its mentor."""
    from werkplek.accounts.demo import DEMO_ENTERPRISE_NUMBER
    from werkplek.catalog.models import Partnership, Programme
    from werkplek.core.deadlines import recognition_validity
    from werkplek.enterprises.models import Enterprise
    from werkplek.recognitions.models import Recognition, RecognitionMentor

    enterprise = Enterprise.objects.get(enterprise_number=DEMO_ENTERPRISE_NUMBER)
    start = timezone.localdate() - timedelta(days=100)
    recognition = Recognition.objects.create(
        enterprise=enterprise, unit=enterprise.units.get(joint_committee__number="124"),
        programme=Programme.objects.get(code="dakwerker-duaal"),
        partnership=Partnership.objects.get(code="bouw"), valid_from=start,
        valid_until=recognition_validity(start).day, validity_rule="recognition:5-years")
    peeters = enterprise.mentors.get(last_name="Peeters")
    RecognitionMentor.objects.create(recognition=recognition, mentor=peeters, since=start)
    return recognition, peeters


def _fill(page, *, first_name, last_name, number, mentor, start, end, hours):
    page.locator("input[name='first_name']").fill(first_name)
    page.locator("input[name='last_name']").fill(last_name)
    page.locator("input[name='national_number']").fill(number)
    page.locator(f"input[name='mentor'][value='{mentor.pk}']").check()
    for name, day in (("start_date", start), ("end_date", end)):
        page.locator(f"input[name='{name}_0']").fill(str(day.day))
        page.locator(f"input[name='{name}_1']").fill(str(day.month))
        page.locator(f"input[name='{name}_2']").fill(str(day.year))
    page.locator("input[name='weekly_hours']").fill(hours)


def test_the_coach_registers_the_employer_confirms_and_the_cap_holds(page):
    from werkplek.agreements.models import Agreement

    recognition, peeters = _recognised_workplace()
    start = timezone.localdate() + timedelta(days=7)
    end = start + timedelta(days=300)

    # The coach finds the workplace and registers the agreement.
    login(page, "trajectbegeleider")
    page.goto("/overeenkomsten/nieuw/")
    page.locator("input[name='zoek']").fill("0412.345.614")
    page.locator("#main-content form button[type=submit]").click()
    assert_accessible(page, "issue7-choose-workplace")
    page.locator(f"a[href$='/overeenkomsten/nieuw/{recognition.pk}/']").click()
    _fill(page, first_name="Lotte", last_name="Leerling", number="05.05.05-001.18",
          mentor=peeters, start=start, end=end, hours="24")
    assert_accessible(page, "issue7-register")
    page.get_by_role("button", name="Registreer de overeenkomst").or_(
        page.locator("#main-content form button[type=submit]").last).first.click()
    agreement = Agreement.objects.get()
    assert agreement.state == Agreement.State.DRAFT and agreement.kind == Agreement.Kind.OAO
    expect(page.locator("main")).to_contain_text("Lotte Leerling")
    # Why it is an OAO: the hours against the minimum.
    expect(page.locator("main")).to_contain_text("Een overeenkomst alternerende opleiding (OAO)")
    expect(page.locator("main")).to_contain_text("gemiddeld 24 uur per week")
    assert_accessible(page, "issue7-registered")
    log_out(page)

    # The employer confirms it from the list: it runs.
    login(page, "werkgever")
    page.goto("/overeenkomsten/")
    expect(page.locator("main")).to_contain_text("Lotte Leerling")
    assert_accessible(page, "issue7-enterprise-list")
    page.locator(f"form[action$='/overeenkomsten/{agreement.pk}/bevestigen/'] button").click()
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.ACTIVE
    log_out(page)

    # A second learner for Jan Peeters in the same period: refused, with the reason.
    login(page, "trajectbegeleider")
    page.goto(f"/overeenkomsten/nieuw/{recognition.pk}/")
    _fill(page, first_name="Tom", last_name="Tweede", number="05.05.05-002.17",
          mentor=peeters, start=start + timedelta(days=30), end=end, hours="16")
    page.locator("#main-content form button[type=submit]").last.click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Jan Peeters mag 1 leerling tegelijk begeleiden")
    expect(page.locator("input[name='last_name']")).to_have_value("Tweede")
    expect(page.locator("input[name='weekly_hours']")).to_have_value("16")
    assert_accessible(page, "issue7-refused")
    assert Agreement.objects.count() == 1
