"""The register's API: what it shows, and its fast serialisation equal to the declared fields'."""

import pytest
from rest_framework import serializers
from rest_framework.test import APIClient

from werkplek.api.views.register import WorkplaceSerializer
from werkplek.register import selectors

from .conftest import LEARNER_LAST, MENTOR_LAST, MENTOR_NUMBER

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def declared_fields_output(recognition, context):
    """What DRF's declared fields give (the slow path the fast one replaces)."""
    return serializers.Serializer.to_representation(
        WorkplaceSerializer(context=context), recognition)


@pytest.mark.parametrize("near", [None, {"9000": 0.0, "9050": 4.26}])
def test_the_fast_serialisation_gives_what_the_declared_fields_give(
        make_recognition, today, near):
    with_contact = make_recognition(email="info@bakkerij.example", phone="09 123 45 67")
    without_contact = make_recognition(postal_code="9050", municipality="Gentbrugge")
    no_province = make_recognition(province=None, postal_code="1000", municipality="Brussel")
    for recognition in (with_contact, without_contact, no_province):
        shown = selectors.workplace(recognition.pk, today=today)
        context = {"near": near}
        assert WorkplaceSerializer(context=context).to_representation(shown) == (
            declared_fields_output(shown, context))


def test_the_list_shows_workplaces_in_force_without_personal_data(
        api, make_recognition, secret_people):
    shown = make_recognition(email="info@bakkerij.example")
    secret_people(shown)
    make_recognition(state="withdrawn")
    response = api.get("/api/v1/register/")
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["results"]] == [shown.pk]
    row = body["results"][0]
    assert row["contact"] == {"name": shown.enterprise.name, "email": "info@bakkerij.example",
                              "phone": "", "via_partnership": False}
    assert row["unit"]["province"]["code"] == "VOV"
    assert row["valid_until"] == shown.valid_until.isoformat()
    text = response.content.decode()
    for secret in (MENTOR_LAST, LEARNER_LAST, MENTOR_NUMBER):
        assert secret not in text


def test_a_place_gives_distances(api, make_recognition):
    make_recognition(postal_code="9000", municipality="Gent")
    response = api.get("/api/v1/register/?place=9000&radius_km=10")
    assert response.status_code == 200
    assert response.json()["results"][0]["distance_km"] == 0.0


def test_a_bad_filter_gets_a_clear_message(api):
    response = api.get("/api/v1/register/?radius_km=7")
    assert response.status_code == 400
    assert "radius_km" in response.content.decode()
