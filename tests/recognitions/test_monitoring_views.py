"""The partnership's monitoring pages of a recognition: findings, support actions and their
follow-up, sanctions with their confirmation step; who may use them, what bad input says, and
that the preview of a sanction's effects agrees with what the service then does."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from werkplek.agreements.models import Agreement
from werkplek.recognitions.forms_monitoring import preview_sanction
from werkplek.recognitions.models import (
    Finding,
    Recognition,
    RecognitionEvent,
    RecognitionMentor,
    Sanction,
    SupportAction,
)


def today():
    return timezone.localdate()


def _date(prefix: str, name: str, day) -> dict:
    return {f"{prefix}-{name}_0": str(day.day), f"{prefix}-{name}_1": str(day.month),
            f"{prefix}-{name}_2": str(day.year)}


def _text(response) -> str:
    return " ".join(unescape(response.content.decode()).split())


def _checked(content: str, name: str, value: str) -> bool:
    """Whether the radio or checkbox `name` with `value` is checked on the page."""
    return any(f'value="{value}"' in tag and "checked" in tag
               for tag in re.findall(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', content))


@pytest.fixture
def en_client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def as_handler(en_client, handler):
    en_client.force_login(handler)
    return en_client


@pytest.fixture
def coach(demo_user):
    return demo_user("trajectbegeleider")


def _url(name: str, recognition, **kwargs) -> str:
    return reverse(f"recognitions:{name}", kwargs={"pk": recognition.pk, **kwargs})


def _detail(recognition, anchor: str) -> str:
    return f"{reverse('recognitions:detail', kwargs={'pk': recognition.pk})}#{anchor}"


def _action(recognition, handler, *, state="open", due_on=None, **extra):
    return SupportAction.objects.create(
        recognition=recognition, improvement="De mentor moet het opleidingsplan volgen.",
        due_on=due_on or today() + timedelta(days=30), state=state, created_by=handler,
        **extra)


def _failed(recognition, handler):
    return _action(recognition, handler, state=SupportAction.State.FAILED,
                   due_on=today() - timedelta(days=1))


def _finding_data(recognition, **overrides) -> dict:
    data = {"finding-version": str(recognition.version), "finding-kind": "site_visit",
            "finding-outcome": "not_met", "finding-condition": "infrastructure",
            "finding-description": "Geen veiligheidsschoenen voor de leerlingen.",
            **_date("finding", "on", today() - timedelta(days=2))}
    data.update(overrides)
    return data


def _sanction_data(recognition, action, **overrides) -> dict:
    data = {"sanction-version": str(recognition.version),
            "sanction-support_action": str(action.pk), "sanction-kind": "withdrawal",
            "sanction-reasons": "De werkplek heeft de begeleidingsactie niet uitgevoerd."}
    data.update(overrides)
    return data


# Who may use the pages ----------------------------------------------------------------------

def _all_posts(recognition, action):
    return [
        (_url("record_finding", recognition), _finding_data(recognition)),
        (_url("open_support_action", recognition), {"support-version": "1"}),
        (_url("follow_up_support_action", recognition, action_id=action.pk),
         {f"follow-up-{action.pk}-met": "met"}),
        (_url("impose_sanction", recognition), _sanction_data(recognition, action)),
    ]


def test_anonymous_people_are_sent_to_log_in(en_client, recognition, handler):
    action = _action(recognition, handler)
    for url, data in _all_posts(recognition, action):
        response = en_client.post(url, data)
        assert response.status_code == 302 and "next=" in response["Location"], url
    assert not Finding.objects.exists()


@pytest.mark.parametrize("username", ["werkgever", "vertegenwoordiger", "behandelaar-vpdl",
                                      "trajectbegeleider"])
def test_only_handlers_of_the_partnership_see_the_pages(en_client, demo_user, username,
                                                        recognition, handler):
    action = _action(recognition, handler)
    en_client.force_login(demo_user(username))
    for url, data in _all_posts(recognition, action):
        assert en_client.post(url, data).status_code == 404, url
    assert en_client.get(_url("impose_sanction", recognition)).status_code == 404
    assert not Finding.objects.exists()
    assert SupportAction.objects.get(pk=action.pk).state == SupportAction.State.OPEN


def test_a_support_action_of_another_recognition_is_not_found(as_handler, make_recognition,
                                                              handler, dakwerker):
    from werkplek.catalog.models import Programme

    first = make_recognition()
    other = make_recognition(programme=Programme.objects.exclude(pk=dakwerker.pk).first())
    action = _action(other, handler)
    response = as_handler.post(_url("follow_up_support_action", first, action_id=action.pk),
                               {f"follow-up-{action.pk}-met": "met"})
    assert response.status_code == 404


def test_a_get_on_a_form_address_goes_to_the_recognition(as_handler, recognition):
    response = as_handler.get(_url("record_finding", recognition))
    assert response.status_code == 302
    assert response["Location"] == reverse("recognitions:detail", kwargs={"pk": recognition.pk})


# Findings -----------------------------------------------------------------------------------

def test_a_handler_records_a_finding(as_handler, recognition, handler):
    response = as_handler.post(_url("record_finding", recognition), _finding_data(recognition))
    assert response.status_code == 302
    assert response["Location"] == _detail(recognition, "findings")
    finding = Finding.objects.get(recognition=recognition)
    assert (finding.kind, finding.outcome, finding.condition) == (
        "site_visit", "not_met", "infrastructure")
    assert finding.on == today() - timedelta(days=2) and finding.recorded_by == handler
    assert RecognitionEvent.objects.filter(recognition=recognition, kind="finding").exists()


def test_a_finding_in_the_future_is_refused_and_nothing_typed_is_lost(as_handler, recognition):
    data = _finding_data(recognition, **_date("finding", "on", today() + timedelta(days=1)))
    response = as_handler.post(_url("record_finding", recognition), data)
    assert response.status_code == 200
    text = _text(response)
    assert "There is a problem" in text and "The date cannot be in the future." in text
    assert "Geen veiligheidsschoenen voor de leerlingen." in text
    assert f'value="{(today() + timedelta(days=1)).year}"' in response.content.decode()
    assert _checked(response.content.decode(), "finding-kind", "site_visit")
    assert "<title>Error:" in response.content.decode()
    assert not Finding.objects.exists()


def test_a_finding_needs_a_description_and_the_condition_not_met(as_handler, recognition):
    data = _finding_data(recognition, **{"finding-description": "   ",
                                         "finding-condition": ""})
    text = _text(as_handler.post(_url("record_finding", recognition), data))
    assert "Describe what was found." in text
    assert "Choose the condition or duty that is no longer met." in text
    assert not Finding.objects.exists()


def test_a_finding_without_any_problem_needs_no_condition(as_handler, recognition):
    data = _finding_data(recognition, **{"finding-outcome": "met", "finding-condition": ""})
    assert as_handler.post(_url("record_finding", recognition), data).status_code == 302
    assert Finding.objects.get().condition == ""


# Support actions ----------------------------------------------------------------------------

def test_a_handler_opens_a_support_action_after_a_finding(as_handler, recognition, handler):
    finding = Finding.objects.create(recognition=recognition, kind="complaint", on=today(),
                                     outcome="not_met", description="Klacht van een leerling.",
                                     recorded_by=handler)
    due = today() + timedelta(days=21)
    data = {"support-version": str(recognition.version),
            "support-improvement": "Zorg voor veiligheidsschoenen.",
            "support-finding": str(finding.pk), **_date("support", "due_on", due)}
    response = as_handler.post(_url("open_support_action", recognition), data)
    assert response.status_code == 302
    assert response["Location"] == _detail(recognition, "support-actions")
    action = SupportAction.objects.get(recognition=recognition)
    assert (action.due_on, action.finding, action.state) == (due, finding, "open")
    recognition.refresh_from_db()
    assert recognition.version == 2


def test_a_deadline_in_the_past_is_refused(as_handler, recognition):
    data = {"support-version": str(recognition.version),
            "support-improvement": "Zorg voor veiligheidsschoenen.",
            **_date("support", "due_on", today())}
    response = as_handler.post(_url("open_support_action", recognition), data)
    assert response.status_code == 200
    text = _text(response)
    assert "The deadline must be after today." in text
    assert "Zorg voor veiligheidsschoenen." in text
    assert not SupportAction.objects.exists()


def test_a_support_action_needs_what_must_improve(as_handler, recognition):
    data = {"support-version": str(recognition.version), "support-improvement": "",
            **_date("support", "due_on", today() + timedelta(days=5))}
    text = _text(as_handler.post(_url("open_support_action", recognition), data))
    assert "Say what must improve." in text
    assert not SupportAction.objects.exists()


def test_a_support_action_met_is_followed_up(as_handler, recognition, handler):
    action = _action(recognition, handler)
    prefix = f"follow-up-{action.pk}"
    response = as_handler.post(
        _url("follow_up_support_action", recognition, action_id=action.pk),
        {f"{prefix}-version": str(recognition.version), f"{prefix}-met": "met",
         f"{prefix}-note": "Schoenen aangekocht en gezien."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.state == SupportAction.State.MET
    assert action.follow_up == "Schoenen aangekocht en gezien." and action.followed_up_by == handler


def test_not_met_before_the_deadline_is_refused_with_the_date(as_handler, recognition, handler):
    action = _action(recognition, handler, due_on=today() + timedelta(days=3))
    prefix = f"follow-up-{action.pk}"
    response = as_handler.post(
        _url("follow_up_support_action", recognition, action_id=action.pk),
        {f"{prefix}-version": str(recognition.version), f"{prefix}-met": "not_met",
         f"{prefix}-note": "Nog steeds geen schoenen."})
    assert response.status_code == 200
    text = _text(response)
    due = (today() + timedelta(days=3)).strftime("%d/%m/%Y")
    assert f"The enterprise has until {due} to improve" in text
    assert "Nog steeds geen schoenen." in text
    action.refresh_from_db()
    assert action.state == SupportAction.State.OPEN


def test_not_met_from_the_deadline_fails_the_support_action(as_handler, recognition, handler):
    action = _action(recognition, handler, due_on=today())
    prefix = f"follow-up-{action.pk}"
    response = as_handler.post(
        _url("follow_up_support_action", recognition, action_id=action.pk),
        {f"{prefix}-version": str(recognition.version), f"{prefix}-met": "not_met",
         f"{prefix}-note": "Nog steeds geen schoenen."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.state == SupportAction.State.FAILED


def test_a_follow_up_needs_a_choice_and_a_note(as_handler, recognition, handler):
    action = _action(recognition, handler)
    prefix = f"follow-up-{action.pk}"
    text = _text(as_handler.post(
        _url("follow_up_support_action", recognition, action_id=action.pk),
        {f"{prefix}-version": str(recognition.version)}))
    assert "Choose whether the improvement was made." in text and "Say what you found." in text


# Sanctions ----------------------------------------------------------------------------------

def test_the_sanction_page_needs_a_failed_support_action(as_handler, recognition, handler):
    _action(recognition, handler)
    text = _text(as_handler.get(_url("impose_sanction", recognition)))
    assert "A sanction follows only a support action that was followed up and not met." in text
    assert 'name="sanction-kind"' not in text


def test_a_sanction_without_a_failed_support_action_is_refused(as_handler, recognition,
                                                               handler, make_agreement,
                                                               peeters):
    action = _action(recognition, handler, due_on=today())
    agreement = make_agreement(recognition, peeters)
    data = _sanction_data(recognition, action)
    for extra in ({}, {"confirm": "1"}):
        response = as_handler.post(_url("impose_sanction", recognition), {**data, **extra})
        assert response.status_code == 200
        assert ("A sanction follows only a support action that was followed up and not met."
                in _text(response))
    assert not Sanction.objects.exists()
    recognition.refresh_from_db()
    agreement.refresh_from_db()
    assert recognition.state == "active" and agreement.state == "active"


def test_the_failed_support_action_is_chosen_on_the_sanction_page(as_handler, recognition,
                                                                 handler):
    action = _failed(recognition, handler)
    content = as_handler.get(_url("impose_sanction", recognition),
                             {"support_action": action.pk}).content.decode()
    assert _checked(content, "sanction-support_action", str(action.pk))
    assert 'name="sanction-version" value="1"' in content


def test_a_withdrawal_shows_its_effects_then_ends_the_agreements(as_handler, recognition,
                                                                 handler, make_agreement,
                                                                 peeters, coach):
    action = _failed(recognition, handler)
    first = make_agreement(recognition, peeters, coach=coach)
    second = make_agreement(recognition, peeters, coach=coach)
    finished = make_agreement(recognition, peeters, state="ended")
    url = _url("impose_sanction", recognition)
    data = _sanction_data(recognition, action)

    preview = as_handler.post(url, data)
    assert preview.status_code == 200
    text = _text(preview)
    assert "Check the sanction before you impose it" in text
    assert "1 recognition ends today:" in text
    assert "2 agreements (running or still a draft) end early today." in text
    assert "It also goes to 1 learner coach of the agreements concerned." in text
    assert "Impose the sanction" in text
    assert not Sanction.objects.exists()  # nothing happens before the confirmation

    response = as_handler.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == _detail(recognition, "sanctions")
    sanction = Sanction.objects.get()
    assert sanction.kind == Sanction.Kind.WITHDRAWAL and sanction.support_action == action
    recognition.refresh_from_db()
    assert recognition.state == Recognition.State.WITHDRAWN
    for agreement in (first, second):
        agreement.refresh_from_db()
        assert agreement.state == Agreement.State.ENDED_EARLY
        assert agreement.end_reason == Agreement.EndReason.WITHDRAWAL
    finished.refresh_from_db()
    assert finished.state == "ended"


def test_the_confirmation_page_posts_back_everything_chosen(as_handler, recognition, handler):
    action = _failed(recognition, handler)
    data = _sanction_data(recognition, action, **{
        "sanction-kind": "exclusion", "sanction-scope": "unit",
        "sanction-duration": "temporary",
        **_date("sanction", "ends_on", today() + timedelta(days=365))})
    content = as_handler.post(_url("impose_sanction", recognition), data).content.decode()
    for name, value in data.items():
        assert f'name="{name}" value="{value}"' in content, name
    # "Change" shows the form again with the choices kept, without errors.
    again = as_handler.post(_url("impose_sanction", recognition), {**data, "change": "1"})
    content = again.content.decode()
    assert "There is a problem" not in content
    assert _checked(content, "sanction-kind", "exclusion")
    assert _checked(content, "sanction-duration", "temporary")
    assert not Sanction.objects.exists()


def test_a_mentor_ban_with_a_replacement_moves_the_agreements(as_handler, make_recognition,
                                                              handler, make_mentor, peeters,
                                                              make_agreement, coach):
    claes = make_mentor()
    recognition = make_recognition(mentors=[peeters, claes])
    action = _failed(recognition, handler)
    agreement = make_agreement(recognition, peeters, coach=coach)
    data = _sanction_data(recognition, action, **{
        "sanction-kind": "mentor_ban", "sanction-mentor": str(peeters.pk),
        "sanction-programmes": [str(recognition.programme_id)],
        "sanction-replacement_mentor": str(claes.pk)})
    url = _url("impose_sanction", recognition)

    text = _text(as_handler.post(url, data))
    assert "Jan Peeters stops being a mentor of 1 recognition of the enterprise:" in text
    assert "1 agreement (running or still a draft) gets An Claes as mentor." in text
    assert "0 agreements (running or still a draft) end early today." in text
    assert "left without an active mentor" not in text

    assert as_handler.post(url, {**data, "confirm": "1"}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.ACTIVE and agreement.mentor == claes
    link = RecognitionMentor.objects.get(recognition=recognition, mentor=peeters)
    assert not link.is_active
    assert Sanction.objects.get().effects["agreements_reassigned"][0]["to_mentor"] == claes.pk


def test_a_mentor_ban_needs_a_mentor_and_another_replacement(as_handler, make_recognition,
                                                             handler, make_mentor, peeters):
    claes = make_mentor()
    recognition = make_recognition(mentors=[peeters, claes])
    action = _failed(recognition, handler)
    url = _url("impose_sanction", recognition)
    text = _text(as_handler.post(url, _sanction_data(recognition, action, **{
        "sanction-kind": "mentor_ban"})))
    assert "Choose the mentor who may no longer coach." in text
    assert "Choose at least one programme." in text
    text = _text(as_handler.post(url, _sanction_data(recognition, action, **{
        "sanction-kind": "mentor_ban", "sanction-mentor": str(peeters.pk),
        "sanction-programmes": [str(recognition.programme_id)],
        "sanction-replacement_mentor": str(peeters.pk)})))
    assert "Choose another mentor than the one who may no longer coach." in text
    assert not Sanction.objects.exists()


def test_an_exclusion_needs_its_scope_and_a_future_end(as_handler, recognition, handler):
    action = _failed(recognition, handler)
    url = _url("impose_sanction", recognition)
    text = _text(as_handler.post(url, _sanction_data(recognition, action, **{
        "sanction-kind": "exclusion", "sanction-reasons": ""})))
    assert "Choose whether the exclusion is for this establishment unit or the whole " \
           "enterprise." in text
    assert "Choose whether the exclusion is temporary or definitive." in text
    assert "Give the reasons of the sanction: they go into the letter." in text
    text = _text(as_handler.post(url, _sanction_data(recognition, action, **{
        "sanction-kind": "exclusion", "sanction-scope": "unit",
        "sanction-duration": "temporary"})))
    assert "Enter the last day of the temporary exclusion." in text
    text = _text(as_handler.post(url, _sanction_data(recognition, action, **{
        "sanction-kind": "exclusion", "sanction-scope": "unit", "sanction-duration": "temporary",
        **_date("sanction", "ends_on", today())})))
    assert "A temporary exclusion ends after today." in text
    assert not Sanction.objects.exists()


def test_a_definitive_exclusion_of_the_enterprise_ends_every_recognition(
        as_handler, make_recognition, handler, demo_enterprise, construction_unit, dakwerker,
        make_agreement, peeters):
    other_unit = demo_enterprise.units.exclude(pk=construction_unit.pk).get()
    recognition = make_recognition()
    elsewhere = make_recognition(unit=other_unit)
    action = _failed(recognition, handler)
    make_agreement(elsewhere, peeters)
    data = _sanction_data(recognition, action, **{
        "sanction-kind": "exclusion", "sanction-scope": "enterprise",
        "sanction-duration": "definitive"})
    url = _url("impose_sanction", recognition)
    text = _text(as_handler.post(url, data))
    assert "2 recognitions end today:" in text
    assert "1 agreement (running or still a draft) ends early today." in text
    assert "No new application of the enterprise is accepted any more" in text
    assert as_handler.post(url, {**data, "confirm": "1"}).status_code == 302
    sanction = Sanction.objects.get()
    assert sanction.unit is None and sanction.ends_on is None
    assert set(Recognition.objects.filter(enterprise=demo_enterprise)
               .values_list("state", flat=True)) == {"excluded"}


@pytest.mark.parametrize("kind", ["mentor_ban", "withdrawal", "exclusion-unit",
                                  "exclusion-enterprise"])
def test_the_preview_agrees_with_what_the_service_does(as_handler, make_recognition, handler,
                                                       demo_enterprise, construction_unit,
                                                       dakwerker, make_mentor, peeters,
                                                       make_agreement, coach, kind):
    from werkplek.catalog.models import Partnership, Programme

    # Room for the moved agreements: the replacement's cap is tested elsewhere.
    Partnership.objects.filter(code="bouw").update(max_learners_per_mentor=5)
    claes = make_mentor()
    other_programme = Programme.objects.exclude(pk=dakwerker.pk).order_by("pk").first()
    other_unit = demo_enterprise.units.exclude(pk=construction_unit.pk).get()
    recognition = make_recognition(mentors=[peeters, claes])
    same_unit = make_recognition(programme=other_programme)
    elsewhere = make_recognition(unit=other_unit, programme=other_programme)
    make_recognition(unit=other_unit, state="expired", valid_from=today() - timedelta(days=2000),
                     valid_until=today() - timedelta(days=100))
    for target, mentor in ((recognition, peeters), (recognition, peeters),
                           (recognition, claes), (same_unit, peeters), (elsewhere, peeters)):
        make_agreement(target, mentor, coach=coach)
    make_agreement(same_unit, peeters, state="draft")
    action = _failed(recognition, handler)
    fields = {"mentor_ban": {"sanction-kind": "mentor_ban", "sanction-mentor": str(peeters.pk),
                             "sanction-programmes": [str(dakwerker.pk),
                                                     str(other_programme.pk)],
                             "sanction-replacement_mentor": str(claes.pk)},
              "withdrawal": {"sanction-kind": "withdrawal"},
              "exclusion-unit": {"sanction-kind": "exclusion", "sanction-scope": "unit",
                                 "sanction-duration": "definitive"},
              "exclusion-enterprise": {"sanction-kind": "exclusion",
                                       "sanction-scope": "enterprise",
                                       "sanction-duration": "definitive"}}[kind]
    data = _sanction_data(recognition, action, **fields)
    url = _url("impose_sanction", recognition)
    preview_page = as_handler.post(url, data)
    preview = preview_page.context["preview"]
    assert as_handler.post(url, {**data, "confirm": "1"}).status_code == 302
    effects = Sanction.objects.get().effects
    assert preview.agreements_ended == len(effects["agreements_ended"])
    assert preview.agreements_reassigned == len(effects["agreements_reassigned"])
    assert sorted(r.pk for r in preview.ending) == sorted(r["id"] for r in
                                                           effects["recognitions"])
    assert len(preview.mentor_recognitions) == len(effects["mentor_links"])
    expected = {"mentor_ban": (3, 2, 0, 1), "withdrawal": (3, 0, 1, 1),
                "exclusion-unit": (5, 0, 2, 1), "exclusion-enterprise": (6, 0, 3, 1)}[kind]
    assert (preview.agreements_ended, preview.agreements_reassigned, len(preview.ending),
            preview.coaches) == expected


def test_the_preview_changes_nothing(recognition, make_agreement, peeters):
    agreement = make_agreement(recognition, peeters)
    preview = preview_sanction(recognition=recognition, kind="withdrawal")
    assert preview.agreements_ended == 1 and preview.ending == [recognition]
    recognition.refresh_from_db()
    agreement.refresh_from_db()
    assert recognition.state == "active" and agreement.state == "active"


# Out-of-date pages --------------------------------------------------------------------------

def test_a_finding_from_an_out_of_date_page_gets_409(as_handler, recognition):
    Recognition.objects.filter(pk=recognition.pk).update(version=5)
    response = as_handler.post(_url("record_finding", recognition),
                               _finding_data(recognition, **{"finding-version": "4"}))
    assert response.status_code == 409
    text = _text(response)
    assert "Someone changed this recognition meanwhile." in text
    assert "Geen veiligheidsschoenen voor de leerlingen." in text
    assert 'name="finding-version" value="5"' in response.content.decode()
    assert not Finding.objects.exists()


def test_a_sanction_from_an_out_of_date_page_gets_409(as_handler, recognition, handler,
                                                      make_agreement, peeters):
    action = _failed(recognition, handler)
    make_agreement(recognition, peeters)
    data = _sanction_data(recognition, action)
    url = _url("impose_sanction", recognition)
    assert as_handler.post(url, data).status_code == 200  # the confirmation page
    Recognition.objects.filter(pk=recognition.pk).update(version=recognition.version + 1)
    response = as_handler.post(url, {**data, "confirm": "1"})
    assert response.status_code == 409
    text = _text(response)
    assert "Someone changed this recognition meanwhile." in text
    assert "1 agreement (running or still a draft) ends early today." in text
    assert f'name="sanction-version" value="{recognition.version + 1}"' in \
        response.content.decode()
    assert not Sanction.objects.exists()
    # Confirmed again from the fresh page, it goes through.
    data["sanction-version"] = str(recognition.version + 1)
    assert as_handler.post(url, {**data, "confirm": "1"}).status_code == 302
    assert Sanction.objects.count() == 1


def test_a_support_action_from_an_out_of_date_page_gets_409(as_handler, recognition):
    data = {"support-version": str(recognition.version + 3),
            "support-improvement": "Zorg voor veiligheidsschoenen.",
            **_date("support", "due_on", today() + timedelta(days=5))}
    response = as_handler.post(_url("open_support_action", recognition), data)
    assert response.status_code == 409
    assert not SupportAction.objects.exists()


# The panel on the recognition's page --------------------------------------------------------

def _panel(recognition, handler) -> str:
    request = RequestFactory().get("/")
    request.user = handler
    sanctions = list(Sanction.objects.filter(recognition=recognition))
    return " ".join(unescape(render_to_string("recognitions/_monitoring.html", {
        "recognition": recognition, "is_handler": True,
        "monitoring": {"findings": list(recognition.findings.all()),
                       "support_actions": list(recognition.support_actions.all()),
                       "sanctions": sanctions}}, request=request)).split())


def test_the_panel_lists_findings_support_actions_and_sanctions(recognition, handler, peeters):
    finding = Finding.objects.create(recognition=recognition, kind="site_visit",
                                     on=today() - timedelta(days=40), outcome="not_met",
                                     condition="commitments",
                                     description="Geen opleidingsplan aanwezig.",
                                     recorded_by=handler)
    due = _action(recognition, handler, due_on=today(), finding=finding,
                  answer="We maken het plan op.")
    later = _action(recognition, handler, due_on=today() + timedelta(days=10))
    failed = _failed(recognition, handler)
    sanction = Sanction.objects.create(
        reference="S-2026-000001", kind="mentor_ban", enterprise=recognition.enterprise,
        partnership=recognition.partnership, recognition=recognition, support_action=failed,
        mentor=peeters, reasons="Mentor volgt de leerling niet op.", imposed_on=today(),
        imposed_by=handler,
        effects={"recognitions": [], "agreements_ended": [4, 5],
                 "agreements_reassigned": [{"id": 6, "from_mentor": 1, "to_mentor": 2}],
                 "mentor_links": [1]})
    sanction.programmes.set([recognition.programme])
    text = _panel(recognition, handler)
    assert "Site visit, " + finding.on.strftime("%d/%m/%Y") in text
    assert "Commitments tied to the recognition and the agreements" in text
    assert "Geen opleidingsplan aanwezig." in text and "Bart Behandelaar" in text
    assert text.count("Due for follow-up") == 1
    assert "We maken het plan op." in text
    assert f"to be improved by {due.due_on:%d/%m/%Y}" in text
    assert f"to be improved by {later.due_on:%d/%m/%Y}" in text
    assert f'name="follow-up-{due.pk}-met"' in text and f'name="follow-up-{later.pk}-met"' in text
    assert f"?support_action={failed.pk}" in text and "Impose a sanction" in text
    assert "S-2026-000001: mentor ban" in text and "Jan Peeters may no longer coach for:" in text
    assert "2 agreements ended early" in text and "1 agreement got another mentor" in text
    assert f'name="finding-version" value="{recognition.version}"' in text
    assert 'name="support-version"' in text


def test_the_panel_offers_no_support_action_for_a_recognition_not_in_force(make_recognition,
                                                                          handler):
    ended = make_recognition(state="withdrawn")
    text = _panel(ended, handler)
    assert 'name="support-version"' not in text
    assert "Support actions are for a recognition in force." in text
