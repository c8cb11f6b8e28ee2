import pytest
from django.urls import reverse

from werkplek.catalog.models import ContactPoint

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "illustrative"),
    [
        ("nl", "Hulp en contact", "illustratieve voorbeelden"),
        ("en", "Help and contact", "illustrative examples"),
    ],
)
def test_help_page_shows_the_six_contact_points(client, language, heading, illustrative):
    client.cookies["werkplek_language"] = language
    response = client.get(reverse("catalog:help"), headers={"accept-language": language})
    assert response.status_code == 200
    content = response.content.decode()
    assert heading in content
    assert illustrative in content
    contact_points = list(ContactPoint.objects.all())
    assert len(contact_points) == 6
    for contact_point in contact_points:
        assert contact_point.email in content
        assert f'href="mailto:{contact_point.email}"' in content
        assert f'href="tel:{contact_point.phone.replace(" ", "")}"' in content
        expected = contact_point.name_en if language == "en" else contact_point.name_nl
        assert expected in content


def test_help_page_url():
    assert reverse("catalog:help") == "/hulp/"


def test_help_page_without_contact_points(client):
    ContactPoint.objects.all().delete()
    response = client.get(reverse("catalog:help"))
    assert response.status_code == 200
    assert "contactpunten zijn nog niet geladen" in response.content.decode().lower()
