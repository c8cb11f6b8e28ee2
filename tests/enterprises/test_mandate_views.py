from datetime import timedelta

import pytest
from django.urls import reverse

from werkplek.enterprises import services
from werkplek.enterprises.models import Mandate

pytestmark = pytest.mark.urls("tests.enterprises.urls")


def _page(demo_enterprise) -> str:
    return reverse("enterprises:mandates", args=[demo_enterprise.pk])


def _answers(in_a_year, **overrides) -> dict:
    answers = {
        "holder_email": "trajectbegeleider@werkplek.example", "holder_national_number": "",
        "scope": "all", "permissions": ["file_applications"],
        "valid_from": "", "valid_until": in_a_year.strftime("%d/%m/%Y"),
    }
    answers.update(overrides)
    return answers


def test_representative_grants_a_mandate_through_the_page(client, representative, coach,
                                                          demo_enterprise, in_a_year):
    client.force_login(representative)
    page = client.get(_page(demo_enterprise))
    assert page.status_code == 200
    content = page.content.decode()
    assert "has not granted any mandate yet" in content
    assert 'name="valid_until"' in content and "For example 31/08/2027" in content
    response = client.post(_page(demo_enterprise), _answers(in_a_year), follow=True)
    assert response.redirect_chain == [(_page(demo_enterprise), 302)]
    mandate = Mandate.objects.get(enterprise=demo_enterprise)
    assert mandate.holder == coach and mandate.all_units and mandate.valid_until == in_a_year
    content = response.content.decode()
    assert f"Tine Trajectbegeleider now has a mandate until {in_a_year:%d/%m/%Y}" in content
    assert "govuk-tag--green" in content and "Revoke" in content


def test_grant_for_chosen_units_by_national_number(client, representative, demo_enterprise,
                                                   units, in_a_year):
    client.force_login(representative)
    response = client.post(_page(demo_enterprise), _answers(
        in_a_year, holder_email="", holder_national_number="91061123629", scope="chosen",
        units=[units[1].pk], permissions=["file_applications", "manage_agreements"],
    ))
    assert response.status_code == 302
    mandate = Mandate.objects.get(enterprise=demo_enterprise)
    assert list(mandate.units.all()) == [units[1]]
    assert mandate.may_file_applications and mandate.may_manage_agreements


@pytest.mark.parametrize(("overrides", "message"), [
    ({"holder_email": ""},
     "Enter the e-mail address or the national register number of the learner coach."),
    ({"holder_national_number": "91061123629"}, "not both."),
    ({"holder_email": "nobody@example.be"},
     "No learner coach with this e-mail address uses Werkplek yet."),
    ({"valid_until": "01/01/2020"}, "The end date is in the past."),
    ({"valid_until": "31-31-2030"}, "Enter the date as day/month/year"),
    ({"valid_until": ""}, "Enter the end date of the mandate."),
    ({"scope": "chosen"}, "Choose at least one establishment unit, or all units."),
    # A unit number beyond any primary key (SQLite could not even look it up: a server error).
    ({"scope": "chosen", "units": ["1" + "0" * 30]},
     "Choose establishment units of this enterprise."),
    ({"permissions": []}, "Choose what the learner coach may do"),
    ({"scope": ""}, "Choose all establishment units or only some."),
])
def test_each_problem_is_shown_and_the_answers_kept(client, representative, demo_enterprise,
                                                    in_a_year, overrides, message):
    client.force_login(representative)
    response = client.post(_page(demo_enterprise), _answers(in_a_year, **overrides))
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert message in content
    assert "<title>Error:" in content
    if overrides.get("holder_email") != "":
        assert 'value="' + (overrides.get("holder_email")
                            or "trajectbegeleider@werkplek.example") + '"' in content
    assert not Mandate.objects.exists()


def test_a_unit_of_another_enterprise_cannot_be_posted(client, representative,
                                                       demo_enterprise, other_enterprise,
                                                       in_a_year):
    client.force_login(representative)
    response = client.post(_page(demo_enterprise), _answers(
        in_a_year, scope="chosen", units=[other_enterprise.units.get().pk]))
    assert response.status_code == 200
    assert "Choose establishment units of this enterprise." in response.content.decode()
    assert not Mandate.objects.exists()


def test_revoke_through_the_page(client, grant, representative, demo_enterprise, coach):
    mandate = grant()
    client.force_login(representative)
    url = reverse("enterprises:revoke_mandate", args=[demo_enterprise.pk, mandate.pk])
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(_page(demo_enterprise), 302)]
    assert "The mandate of Tine Trajectbegeleider has been revoked." in response.content.decode()
    mandate.refresh_from_db()
    assert mandate.revoked_at is not None
    again = client.post(url, follow=True)
    assert "This mandate has already been revoked." in again.content.decode()
    assert client.get(url).status_code == 405


def test_a_revocation_reason_with_a_null_character_is_explained(client, grant, representative,
                                                                demo_enterprise):
    """PostgreSQL cannot store a null character (it was a server error there): the
    representative is told, and the mandate stays."""
    mandate = grant()
    client.force_login(representative)
    url = reverse("enterprises:revoke_mandate", args=[demo_enterprise.pk, mandate.pk])
    response = client.post(url, {"reason": "Gestopt\x00"}, follow=True)
    assert "The reason cannot contain a null character" in response.content.decode()
    mandate.refresh_from_db()
    assert mandate.revoked_at is None


@pytest.mark.parametrize("username", ["werkgever", "trajectbegeleider", "behandelaar-bouw"])
def test_only_representatives_use_the_mandates_page(client, grant, demo_user, demo_enterprise,
                                                    in_a_year, username):
    mandate = grant()
    client.force_login(demo_user(username))
    assert client.get(_page(demo_enterprise)).status_code == 403
    assert client.post(_page(demo_enterprise), _answers(in_a_year)).status_code == 403
    revoke = reverse("enterprises:revoke_mandate", args=[demo_enterprise.pk, mandate.pk])
    assert client.post(revoke).status_code == 403
    mandate.refresh_from_db()
    assert mandate.revoked_at is None
    assert Mandate.objects.count() == 1


def test_a_representative_cannot_revoke_through_another_enterprise(client, grant,
                                                                   representative,
                                                                   other_enterprise):
    mandate = grant()
    client.force_login(representative)
    url = reverse("enterprises:revoke_mandate", args=[other_enterprise.pk, mandate.pk])
    assert client.post(url).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, grant, demo_enterprise):
    mandate = grant()
    for response in (
        client.get(_page(demo_enterprise)),
        client.post(reverse("enterprises:revoke_mandate", args=[demo_enterprise.pk,
                                                                mandate.pk])),
        client.get(reverse("enterprises:my_mandates")),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    mandate.refresh_from_db()
    assert mandate.revoked_at is None


def test_the_page_shows_every_state(client, grant, representative, demo_enterprise, coach,
                                    other_coach, today, django_assert_max_num_queries):
    revoked = grant()
    services.revoke_mandate(actor=representative, mandate=revoked)
    grant(valid_from=today + timedelta(days=3), valid_until=today + timedelta(days=9))
    grant(holder_email="tweede.coach@school.example")
    expired = grant(holder_email="tweede.coach@school.example",
                    valid_from=today + timedelta(days=400), valid_until=today + timedelta(400))
    Mandate.objects.filter(pk=expired.pk).update(valid_from=today - timedelta(days=30),
                                                 valid_until=today - timedelta(days=1))
    client.force_login(representative)
    with django_assert_max_num_queries(12):
        content = client.get(_page(demo_enterprise)).content.decode()
    for label in ("Revoked", "Not yet valid", "Active", "Expired"):
        assert f">{label}</strong>" in content
    assert content.count(">Revoke<") == 3


def test_the_coach_sees_only_their_own_valid_mandates(client, grant, representative, coach,
                                                      other_coach, other_enterprise, units,
                                                      today):
    grant(all_units=False, units=[units[0]], may_manage_agreements=True)
    ended = Mandate.objects.create(
        enterprise=other_enterprise, holder=coach, all_units=True, may_file_applications=True,
        valid_from=today - timedelta(days=30), valid_until=today - timedelta(days=1),
    )
    Mandate.objects.create(  # another coach's mandate from the other enterprise
        enterprise=other_enterprise, holder=other_coach, all_units=True,
        may_file_applications=True, valid_from=today, valid_until=today,
    )
    client.force_login(coach)
    content = client.get(reverse("enterprises:my_mandates")).content.decode()
    assert "Bouwbedrijf De Zwaluw NV" in content
    assert units[0].name in content and units[1].name not in content
    assert "File applications" in content and "Manage agreements" in content
    assert other_enterprise.name not in content
    assert ended.enterprise.name not in content


def test_the_coach_page_has_an_empty_state(client, other_coach):
    client.force_login(other_coach)
    response = client.get(reverse("enterprises:my_mandates"))
    assert response.status_code == 200
    assert "No enterprise has given you a valid mandate at the moment." in (
        response.content.decode())


def test_a_revoked_mandate_disappears_from_the_coach_page(client, grant, representative,
                                                          coach):
    mandate = grant()
    client.force_login(coach)
    assert "Bouwbedrijf De Zwaluw NV" in client.get(
        reverse("enterprises:my_mandates")).content.decode()
    services.revoke_mandate(actor=representative, mandate=mandate)
    assert "Bouwbedrijf De Zwaluw NV" not in client.get(
        reverse("enterprises:my_mandates")).content.decode()


def test_the_pages_speak_dutch_by_default(grant, representative, coach, demo_enterprise):
    from django.test import Client

    grant()
    dutch = Client(headers={"accept-language": "nl"})
    dutch.force_login(representative)
    content = dutch.get(_page(demo_enterprise)).content.decode()
    assert "Een trajectbegeleider machtigen" in content and ">Actief</strong>" in content
    dutch.force_login(coach)
    content = dutch.get(reverse("enterprises:my_mandates")).content.decode()
    assert "Je machtigingen" in content and "Aanvragen indienen" in content


def test_the_admin_lists_and_opens_mandates(client, grant, demo_user):
    mandate = grant()
    client.force_login(demo_user("beheer"))
    assert client.get(reverse("admin:enterprises_mandate_changelist")).status_code == 200
    assert client.get(reverse("admin:enterprises_mandate_change",
                              args=[mandate.pk])).status_code == 200
