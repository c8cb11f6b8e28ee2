"""No personal data in the public register or the open data: a mentor and a learner with known
names, numbers and e-mail address are on a recognition in force, and never appear."""

import pytest
from django.urls import reverse

from werkplek.core.identifiers import format_national_number

from .conftest import (
    LEARNER_FIRST,
    LEARNER_LAST,
    LEARNER_NUMBER,
    MENTOR_EMAIL,
    MENTOR_FIRST,
    MENTOR_LAST,
    MENTOR_NUMBER,
)


@pytest.fixture
def recognition(make_recognition, secret_people):
    recognition = make_recognition(enterprise_name="Dakwerken Vandamme",
                                   email="info@vandamme.example")
    secret_people(recognition)
    return recognition


def forbidden() -> list[str]:
    numbers = [MENTOR_NUMBER, LEARNER_NUMBER]
    return [MENTOR_FIRST, MENTOR_LAST, MENTOR_EMAIL, LEARNER_FIRST, LEARNER_LAST, *numbers,
            *(format_national_number(number) for number in numbers)]


def content_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


@pytest.mark.parametrize(("name", "with_pk", "params"), [
    ("search", False, {}),
    ("search", False, {"opleiding": "dakwerker", "plaats": "9000", "straal": "10"}),
    ("workplace", True, {}),
    ("export_csv", False, {}),
    ("export_json", False, {}),
])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_mentor_or_learner_data_appears(client, recognition, name, with_pk, params,
                                           language):
    url = reverse(f"register:{name}", args=[recognition.pk] if with_pk else [])
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    content = content_of(response)
    assert "Dakwerken Vandamme" in content  # the page or file does show the workplace
    for text in forbidden():
        assert text not in content, f"{text!r} appears on {url}"
