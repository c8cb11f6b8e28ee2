"""The public search of recognised workplaces: anonymous, only recognitions in force, filters,
the place and radius, sorting, pagination, a query count that does not grow with the rows."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NL = {"HTTP_ACCEPT_LANGUAGE": "nl"}
SEARCH = reverse("register:search")


@pytest.fixture(autouse=True)
def pages_rendered(settings):
    """These tests read what the view renders (its context, its kept list of results): the
    whole page is not served from the cache here (that is tests/register/test_page_cache.py)."""
    settings.WERKPLEK_PAGE_CACHE = False


def found(response) -> list:
    page = response.context["page"]
    return list(page.object_list) if page is not None else []


def search(client, **params):
    return client.get(SEARCH, params, **EN)


# --- access and what is in force ------------------------------------------------------------


def test_an_anonymous_visitor_searches_without_logging_in(client, make_recognition):
    make_recognition(enterprise_name="Dakwerken Vandamme")
    response = search(client)
    assert response.status_code == 200
    assert b"Dakwerken Vandamme" in response.content
    assert response.context["page"].paginator.count == 1


def test_only_recognitions_in_force_today_are_listed(client, make_recognition, today):
    shown = [
        make_recognition(enterprise_name="Actief"),
        # Renewed, and still within its own period (its successor has not started).
        make_recognition(enterprise_name="Verlengd", state="renewed",
                         valid_until=today + timedelta(days=10)),
        # Starts today, ends today.
        make_recognition(enterprise_name="Vandaag", valid_from=today, valid_until=today),
    ]
    hidden = [
        make_recognition(enterprise_name="Opgeheven", state="withdrawn"),
        make_recognition(enterprise_name="Uitgesloten", state="excluded"),
        make_recognition(enterprise_name="Verlopen", state="expired",
                         valid_until=today - timedelta(days=1)),
        make_recognition(enterprise_name="Verlengd voorbij", state="renewed",
                         valid_until=today - timedelta(days=1)),
        # The renewal that continues a recognition: not yet started.
        make_recognition(enterprise_name="Toekomst", valid_from=today + timedelta(days=1)),
        # Past its last day, before the daily job marked it expired.
        make_recognition(enterprise_name="Nog niet verwerkt",
                         valid_from=today - timedelta(days=2000),
                         valid_until=today - timedelta(days=1)),
    ]
    response = search(client)
    assert set(found(response)) == set(shown)
    for recognition in hidden:
        assert recognition.enterprise.name.encode() not in response.content


def test_an_empty_register_says_so(client, db):
    response = search(client)
    assert found(response) == []
    assert b"There are no recognised workplaces yet." in response.content


# --- filters -------------------------------------------------------------------------------


def test_the_programme_text_matches_part_of_the_name_in_either_language(client,
                                                                       make_recognition):
    roofer = make_recognition(programme="dakwerker-duaal")
    chef = make_recognition(programme="grootkeukenkok-duaal", partnership="horeca")
    assert found(search(client, opleiding="DAKWERK")) == [roofer]  # Dutch name, any case
    assert found(search(client, opleiding="roofer")) == [roofer]  # English name
    assert found(search(client, opleiding="  kok ")) == [chef]
    assert set(found(search(client, opleiding="duaal"))) == {roofer, chef}
    response = search(client, opleiding="loodgieter")
    assert found(response) == []
    assert b"No recognised workplace matches your search." in response.content


def test_filters_by_province_partnership_and_sector(client, make_recognition):
    ghent = make_recognition(province="VOV")
    antwerp = make_recognition(province="VAN", postal_code="2000", municipality="Antwerpen")
    cook = make_recognition(programme="grootkeukenkok-duaal", partnership="horeca",
                            province="VAN", postal_code="2000", municipality="Antwerpen")
    assert found(search(client, provincie="VOV")) == [ghent]
    assert set(found(search(client, provincie="VAN"))) == {antwerp, cook}
    assert found(search(client, partnerschap="horeca")) == [cook]
    assert set(found(search(client, sector="bouw"))) == {ghent, antwerp}
    assert found(search(client, sector="bouw", provincie="VAN")) == [antwerp]
    assert found(search(client, sector="zorg")) == []


def test_a_wrong_choice_is_an_error_that_keeps_the_other_input(client, make_recognition):
    make_recognition()
    response = search(client, partnerschap="bestaat-niet", opleiding="dakwerker")
    assert response.context["page"] is None
    assert response.context["form"].errors["partnerschap"] == [
        "Choose a partnership from the list."]
    assert b'value="dakwerker"' in response.content
    assert b"govuk-error-summary" in response.content


def test_the_selects_offer_the_reference_data(client, db):
    content = search(client).content.decode()
    assert '<option value="VOV">East Flanders</option>' in content
    assert 'value="bouw"' in content
    assert '<option value="10" selected>10 km</option>' in content  # the default radius


# --- place and radius ------------------------------------------------------------------------


@pytest.fixture
def around_ghent(make_recognition):
    """Workplaces in Gent (0 km from 9000), Deinze (about 17 km), Brugge (about 39 km) and
    Antwerpen (about 53 km), by the approximate municipality points."""
    return {
        "gent": make_recognition(enterprise_name="Zeta Gent", postal_code="9000",
                                 municipality="Gent"),
        "deinze": make_recognition(enterprise_name="Alfa Deinze", postal_code="9800",
                                   municipality="Deinze"),
        "brugge": make_recognition(enterprise_name="Beta Brugge", postal_code="8000",
                                   municipality="Brugge", province="VWV"),
        "antwerpen": make_recognition(enterprise_name="Gamma Antwerpen", postal_code="2000",
                                      municipality="Antwerpen", province="VAN"),
    }


def test_a_postal_code_and_a_radius_find_the_workplaces_nearby_nearest_first(
        client, around_ghent):
    at = around_ghent
    assert found(search(client, plaats="9000", straal="5")) == [at["gent"]]
    assert found(search(client, plaats="9000")) == [at["gent"]]  # 10 km by default
    assert found(search(client, plaats="9000", straal="25")) == [at["gent"], at["deinze"]]
    response = search(client, plaats="9000", straal="50")
    assert found(response) == [at["gent"], at["deinze"], at["brugge"]]
    distances = [r.distance_km for r in found(response)]
    assert distances[0] == 0 and 10 < distances[1] < 25 < distances[2] < 50
    content = response.content.decode()
    assert "Within 50 km of 9000 Gent." in content
    assert "approximate" in content
    assert "about 0 km" in content


def test_a_municipality_name_is_a_place_too(client, around_ghent):
    assert found(search(client, plaats="deinze", straal="5")) == [around_ghent["deinze"]]
    assert found(search(client, plaats="Brugge", straal="5")) == [around_ghent["brugge"]]


def test_a_place_combines_with_the_other_filters(client, around_ghent, make_recognition):
    cook = make_recognition(programme="grootkeukenkok-duaal", partnership="horeca",
                            postal_code="9800", municipality="Deinze")
    assert found(search(client, plaats="9000", straal="25", opleiding="kok")) == [cook]
    assert found(search(client, plaats="9000", straal="25", partnerschap="bouw")) == [
        around_ghent["gent"], around_ghent["deinze"]]


def test_an_unknown_place_is_explained_and_the_other_input_kept(client, around_ghent):
    response = search(client, plaats="Atlantis", straal="25", opleiding="dakwerker",
                      sector="bouw")
    assert response.status_code == 200
    assert response.context["page"] is None
    message = ("We do not know the place “Atlantis”: enter a Belgian postal code or "
               "municipality.")
    assert response.context["form"].errors["plaats"] == [message]
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert 'value="Atlantis"' in content and 'value="dakwerker"' in content
    assert '<option value="25" selected>25 km</option>' in content
    assert '<option value="bouw" selected>' in content
    assert response.context["form"].errors.keys() == {"plaats"}


def test_an_unknown_radius_is_an_error(client, around_ghent):
    response = search(client, plaats="9000", straal="7")
    assert response.context["page"] is None
    assert "straal" in response.context["form"].errors


# --- sorting and pagination ------------------------------------------------------------------


def test_sorted_by_enterprise_by_default_and_by_municipality_or_programme(client,
                                                                         make_recognition):
    a = make_recognition(enterprise_name="bakkerij Aerts", postal_code="9800",
                         municipality="Deinze", programme="zorgkundige-duaal",
                         partnership="zorg")
    b = make_recognition(enterprise_name="Bouw Claes", postal_code="9000",
                         municipality="Gent", programme="chocolatier-duaal",
                         partnership="voeding")
    c = make_recognition(enterprise_name="Christiaens", postal_code="8000",
                         municipality="Brugge", programme="elektrotechnicus-duaal",
                         partnership="metaal-technologie")
    assert found(search(client)) == [a, b, c]  # whatever the case of the first letter
    assert found(search(client, sorteer="onderneming")) == [a, b, c]
    assert found(search(client, sorteer="gemeente")) == [c, a, b]
    # By the name in the language of the page. In English: Care assistant, Chocolatier,
    # Electrical technician; in Dutch: Chocolatier, Elektrotechnicus, Zorgkundige.
    assert found(search(client, sorteer="opleiding")) == [a, b, c]
    assert found(client.get(SEARCH, {"sorteer": "opleiding"}, **NL)) == [b, c, a]
    # Distance needs a place: without one the default order holds.
    assert found(search(client, sorteer="afstand")) == [a, b, c]
    assert found(search(client, sorteer="nonsense")) == [a, b, c]


def test_sorting_by_distance_and_by_name_with_a_place(client, around_ghent):
    at = around_ghent
    near = [at["gent"], at["deinze"], at["brugge"]]
    assert found(search(client, plaats="9000", straal="50", sorteer="afstand")) == near
    by_name = found(search(client, plaats="9000", straal="50", sorteer="onderneming"))
    assert by_name == [at["deinze"], at["brugge"], at["gent"]]
    # The sort links keep the search.
    response = search(client, plaats="9000", straal="50")
    links = {item["label"]: item["url"] for item in response.context["sorts"]}
    assert set(links) == {"enterprise", "municipality", "programme", "distance"}
    assert "plaats=9000" in links["enterprise"] and "straal=50" in links["enterprise"]
    assert "sorteer=onderneming" in links["enterprise"]
    without_place = {item["label"] for item in search(client).context["sorts"]}
    assert "distance" not in without_place


def test_25_per_page_and_the_links_keep_the_search(client, make_recognition):
    made = [make_recognition(enterprise_name=f"Onderneming {i:02d}") for i in range(30)]
    first = search(client, sector="bouw")
    assert found(first) == made[:25]
    content = first.content.decode()
    assert "30 recognised workplaces" in content
    assert first.context["next_url"] == "?sector=bouw&pagina=2"
    second = client.get(SEARCH + first.context["next_url"], **EN)
    assert found(second) == made[25:]
    assert second.context["previous_url"] == "?sector=bouw&pagina=1"
    assert found(search(client, sector="bouw", pagina="99")) == made[25:]  # the last page
    assert found(search(client, sector="bouw", pagina="x")) == made[:25]


def test_counts_are_written_the_belgian_way(client, make_recognition, monkeypatch):
    from django.core.paginator import Paginator

    make_recognition()
    monkeypatch.setattr(Paginator, "count", 12345)
    assert "12.345 recognised workplaces" in client.get(SEARCH, **EN).content.decode()


# --- queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("params", [
    {},
    {"opleiding": "dak", "sorteer": "gemeente"},
    {"plaats": "9000", "straal": "50", "provincie": "VOV", "partnerschap": "bouw",
     "sector": "bouw"},
    {"plaats": "Gent", "straal": "25", "sorteer": "onderneming"},
])
def test_a_page_runs_the_same_queries_for_one_and_thirty_results(
        client, make_recognition, django_assert_max_num_queries, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from werkplek.catalog.places import find_place

    find_place("9000")  # the places are read once per process, not per page
    make_recognition(email="info@een.example", phone="+32 9 000 00 00")
    search(client, **params)  # what a process reads once (the session engine, caches)
    cache.clear()  # measure a search that is not in the cache yet (the count, the page's ids)
    with CaptureQueriesContext(connection) as one:
        response = search(client, **params)
    assert len(found(response)) == 1
    for i in range(29):
        # Half of them without contact details: the partnership's are shown.
        make_recognition(email="" if i % 2 else f"info{i}@example.be",
                         postal_code="9000" if i % 2 else "9050")
    cache.clear()
    with django_assert_max_num_queries(10) as thirty:
        response = search(client, **params)
    assert len(found(response)) == 25
    assert len(thirty) == len(one)


def test_the_home_page_links_to_the_search_and_the_footer_to_the_open_data(client, db):
    content = client.get(reverse("core:home"), **EN).content.decode()
    assert f'href="{SEARCH}"' in content
    assert f'href="{reverse("register:open_data")}"' in content
    search_page = search(client).content.decode()
    assert f'<a class="govuk-footer__link" href="{reverse("register:open_data")}">' \
        in search_page


def test_a_search_is_counted_and_sorted_once_then_read_from_the_cache(
        client, make_recognition):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = make_recognition(email="info@een.example")
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert found(search(client)) == [first]
    with CaptureQueriesContext(connection) as warm:
        assert found(search(client)) == [first]
    # Neither the count nor the page's ids are read again, nor the reference records of the
    # form's three selects (kept per process); the rows are, in one query.
    assert len(cold) == 6
    assert len(warm) == 1
    assert not any("COUNT(" in query["sql"] for query in warm.captured_queries)


def test_a_cached_search_shows_a_change_of_the_register_at_once(client, make_recognition):
    first = make_recognition(email="info@een.example")
    cache.clear()
    response = search(client)
    assert found(response) == [first]
    # A new recognition forgets the cached searches (the count and the rows are right).
    second = make_recognition(email="info@twee.example")
    response = search(client)
    assert set(found(response)) == {first, second}
    assert response.context["page"].paginator.count == 2
    # A recognition no longer in force is never shown, even from a page kept in the cache (an
    # update that sends no signal: the cache is not told).
    from django.utils import timezone

    from werkplek.recognitions.models import Recognition

    yesterday = timezone.localdate() - timedelta(days=1)
    Recognition.objects.filter(pk=first.pk).update(valid_from=yesterday - timedelta(days=30),
                                                   valid_until=yesterday)
    assert found(search(client)) == [second]


def test_the_rendered_results_are_kept_and_used_only_for_the_same_rows(client, make_recognition):
    """The list of results is rendered once and kept; the rows are still read fresh, and the
    kept list is used only when they are the same rows: a result that left the register (an
    update that sends no signal) or a change of what a result shows is never hidden by it."""
    from unittest import mock

    from django.utils import timezone

    from werkplek.enterprises.models import Enterprise
    from werkplek.recognitions.models import Recognition

    first = make_recognition(enterprise_name="Eerste Dakwerken", email="a@een.example")
    second = make_recognition(enterprise_name="Tweede Dakwerken", email="b@twee.example")
    cache.clear()
    search(client)  # rendered and kept
    with mock.patch("werkplek.register.views.render_to_string",
                    side_effect=AssertionError("rendered again")):
        kept = search(client)
    assert b"Eerste Dakwerken" in kept.content and b"Tweede Dakwerken" in kept.content
    assert b'<section aria-labelledby="results-title">' in kept.content  # not escaped
    assert found(kept) == [first, second]

    # Out of force without a signal: the rows read differ, so the list is rendered anew.
    yesterday = timezone.localdate() - timedelta(days=1)
    Recognition.objects.filter(pk=first.pk).update(valid_from=yesterday - timedelta(days=30),
                                                   valid_until=yesterday)
    response = search(client)
    assert b"Eerste Dakwerken" not in response.content
    assert b"Tweede Dakwerken" in response.content

    # A new name (saved: the register's version moves): shown at once.
    enterprise = Enterprise.objects.get(pk=second.enterprise_id)
    enterprise.name = "Tweede Dakwerken en Zonen"
    enterprise.save()
    assert b"Tweede Dakwerken en Zonen" in search(client).content


def test_the_kept_results_are_per_language_and_per_page(client, make_recognition):
    make_recognition(enterprise_name="Dakwerken Peeters")
    cache.clear()
    english = client.get(SEARCH, **EN).content.decode()
    dutch = client.get(SEARCH, **NL).content.decode()
    assert "1 recognised workplace" in english
    assert "1 erkende werkplek" in dutch
    assert "recognised workplace" not in dutch
