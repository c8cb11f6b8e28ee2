"""One recognised workplace's public page, and the programme names the search suggests."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NL = {"HTTP_ACCEPT_LANGUAGE": "nl"}


def page_of(client, recognition, **headers):
    return client.get(reverse("register:workplace", args=[recognition.pk]), **(headers or EN))


def test_the_page_shows_the_workplace_and_how_to_contact_it(client, make_recognition):
    recognition = make_recognition(
        enterprise_name="Dakwerken Vandamme BV", email="info@vandamme.example",
        phone="+32 9 111 22 33", street="Kortrijksesteenweg 5", postal_code="9000",
        municipality="Gent", valid_from=date(2025, 3, 1),
        valid_until=date(2030, 2, 28))
    response = page_of(client, recognition)
    assert response.status_code == 200
    content = response.content.decode()
    for text in ("Dakwerken Vandamme BV", recognition.enterprise.formatted_number,
                 recognition.unit.formatted_number, "Kortrijksesteenweg 5", "9000 Gent",
                 "East Flanders", "Roofer (dual)", "Construction",
                 "Sectoral partnership Construction", "from 01/03/2025 until 28/02/2030",
                 'href="mailto:info@vandamme.example"', 'href="tel:+3291112233"',
                 "How to contact"):
        assert text in content, text
    # The partnership that recognised it, with its contact details.
    assert recognition.partnership.email in content


def test_without_contact_details_the_partnership_is_the_way_in(client, make_recognition):
    recognition = make_recognition(email="", phone="")
    content = page_of(client, recognition).content.decode()
    assert "The enterprise has not given public contact details." in content
    assert f'href="mailto:{recognition.partnership.email}"' in content
    assert "E-mail of the enterprise" not in content


def test_the_page_is_in_dutch_with_the_dutch_names(client, make_recognition):
    recognition = make_recognition()
    content = page_of(client, recognition, **NL).content.decode()
    assert '<html lang="nl"' in content
    assert "Dakwerker duaal" in content and "Roofer (dual)" not in content


def test_the_other_programmes_of_the_unit_are_linked(client, make_recognition, make_unit):
    unit = make_unit()
    roofer = make_recognition(unit=unit, programme="dakwerker-duaal")
    tiler = make_recognition(unit=unit, programme="dekvloerlegger-en-tegelzetter-duaal")
    make_recognition(unit=unit, programme="ruwbouw-duaal", state="withdrawn")
    response = page_of(client, roofer)
    assert [other.pk for other in response.context["others"]] == [tiler.pk]
    assert "Structural work" not in response.content.decode()


@pytest.mark.parametrize("kind", ["withdrawn", "excluded", "expired", "future", "past end"])
def test_a_recognition_not_in_force_has_no_page(client, make_recognition, today, kind):
    recognition = {
        "withdrawn": lambda: make_recognition(state="withdrawn"),
        "excluded": lambda: make_recognition(state="excluded"),
        "expired": lambda: make_recognition(state="expired",
                                            valid_until=today - timedelta(days=1)),
        "future": lambda: make_recognition(valid_from=today + timedelta(days=1)),
        "past end": lambda: make_recognition(valid_from=today - timedelta(days=2000),
                                             valid_until=today - timedelta(days=1)),
    }[kind]()
    assert page_of(client, recognition).status_code == 404


def test_an_unknown_recognition_has_no_page(client, db):
    assert client.get(reverse("register:workplace", args=[999999])).status_code == 404


def test_a_result_links_to_its_page(client, make_recognition):
    recognition = make_recognition()
    response = client.get(reverse("register:search"), **EN)
    assert reverse("register:workplace", args=[recognition.pk]) in response.content.decode()


def test_the_page_reads_a_fixed_number_of_queries(client, make_recognition, make_unit,
                                                  django_assert_max_num_queries):
    unit = make_unit()
    recognition = make_recognition(unit=unit)
    for code in ("ruwbouw-duaal", "afwerking-bouw-duaal"):
        make_recognition(unit=unit, programme=code)
    with django_assert_max_num_queries(2):  # the recognition, the other programmes
        page_of(client, recognition)


# --- the programme suggestions -----------------------------------------------------------------


def test_the_suggestions_are_the_programmes_on_offer_in_the_active_language(client, db):
    from werkplek.catalog.models import Programme

    Programme.objects.filter(code="koetswerk-duaal").update(is_active=False)
    url = reverse("register:programme_suggestions")
    dutch = client.get(url, **NL)
    assert dutch.status_code == 200
    assert dutch["Content-Type"] == "application/json"
    names = json.loads(dutch.content)
    assert "Dakwerker duaal" in names and "Koetswerk duaal" not in names
    assert names == sorted(names)
    assert len(names) == Programme.objects.filter(is_active=True).count()
    english = json.loads(client.get(url, **EN).content)
    assert "Roofer (dual)" in english and "Dakwerker duaal" not in english
    assert "Car body repair (dual)" not in english
    assert "max-age=3600" in dutch["Cache-Control"]
    assert "Accept-Language" in dutch["Vary"]


def test_the_search_page_loads_the_suggestions_script_with_the_nonce(client, db):
    content = client.get(reverse("register:search"), **EN).content.decode()
    assert f'data-suggestions="{reverse("register:programme_suggestions")}"' in content
    assert '<script type="module" src="/static/register/search.js" nonce="' in content
