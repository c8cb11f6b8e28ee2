"""The open data: the page that describes it, and the CSV and JSON files of the whole register,
streamed, with a row per recognition in force."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from werkplek.register import exports

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def body(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(client) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(client.get(reverse("register:export_csv"))),
                                       newline="")))


def json_items(client) -> list[dict]:
    return json.loads(body(client.get(reverse("register:export_json"))))


@pytest.fixture
def register(make_recognition, today):
    """Two recognitions in force (one on a unit without province) and three that are not."""
    shown = [
        make_recognition(enterprise_name="Dakwerken Vandamme", street="Kouter 1",
                         valid_from=date(2025, 3, 1), valid_until=date(2030, 2, 28)),
        make_recognition(enterprise_name='Bakkerij "Het Korenaar", Zonen', province=None,
                         programme="brood-en-banketbakkerij-duaal", partnership="voeding",
                         postal_code="2000", municipality="Antwerpen"),
    ]
    make_recognition(state="withdrawn")
    make_recognition(state="expired", valid_until=today - timedelta(days=1))
    make_recognition(valid_from=today + timedelta(days=1))
    return shown


# --- the files -------------------------------------------------------------------------------


def test_the_csv_has_a_header_and_a_row_per_recognition_in_force(client, register):
    rows = csv_rows(client)
    assert rows[0] == list(exports.COLUMN_NAMES)
    assert len(rows) == 1 + len(register)
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_id) == {str(r.pk) for r in register}
    roofer = by_id[str(register[0].pk)]
    assert roofer == {
        "erkenning_id": str(register[0].pk),
        "ondernemingsnummer": register[0].enterprise.formatted_number,
        "onderneming_naam": "Dakwerken Vandamme",
        "vestigingseenheidsnummer": register[0].unit.formatted_number,
        "vestigingseenheid_naam": register[0].unit.name,
        "straat": "Kouter 1", "postcode": "9000", "gemeente": "Gent",
        "provincie_code": "VOV", "provincie_naam": "Oost-Vlaanderen",
        "opleiding_code": "dakwerker-duaal", "opleiding_naam": "Dakwerker duaal",
        "sector_code": "bouw", "sector_naam": "Bouw",
        "partnerschap_code": "bouw", "partnerschap_naam": "Sectoraal partnerschap Bouw",
        "geldig_van": "2025-03-01", "geldig_tot": "2030-02-28",
    }
    # A comma and quotes in a name are quoted; no province is an empty field.
    baker = by_id[str(register[1].pk)]
    assert baker["onderneming_naam"] == 'Bakkerij "Het Korenaar", Zonen'
    assert baker["provincie_code"] == baker["provincie_naam"] == ""


def test_the_csv_is_a_dated_utf8_attachment_read_in_chunks(client, register, today,
                                                          monkeypatch):
    monkeypatch.setattr(exports, "ROWS_PER_WRITE", 1)
    response = client.get(reverse("register:export_csv"))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="erkende-werkplekken-{today.isoformat()}.csv"')
    chunks = list(response.streaming_content)
    assert len(chunks) == 2  # the header with the first row, then the second row
    assert b"".join(chunks).decode("utf-8").startswith("erkenning_id,ondernemingsnummer,")


def test_the_rows_are_read_with_an_iterator(register, today, monkeypatch):
    """The export never evaluates the whole queryset: it iterates in chunks."""
    from django.db.models.query import QuerySet

    sizes = []
    original = QuerySet.iterator

    def spy(self, chunk_size=None):
        sizes.append(chunk_size)
        return original(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    assert len(list(exports.rows(today=today))) == 2
    assert sizes == [exports.CHUNK_SIZE]


def test_the_json_is_an_array_of_objects_with_the_same_columns(client, register, today):
    response = client.get(reverse("register:export_json"))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="erkende-werkplekken-{today.isoformat()}.json"')
    items = json.loads(body(response))
    assert [item["erkenning_id"] for item in items] == sorted(r.pk for r in register)
    assert all(list(item) == list(exports.COLUMN_NAMES) for item in items)
    roofer, baker = items
    assert roofer["ondernemingsnummer"] == register[0].enterprise.formatted_number
    assert roofer["geldig_van"] == "2025-03-01" and roofer["geldig_tot"] == "2030-02-28"
    assert baker["provincie_code"] is None
    assert baker["onderneming_naam"] == 'Bakkerij "Het Korenaar", Zonen'


def test_an_empty_register_gives_a_header_and_an_empty_array(client, db):
    assert csv_rows(client) == [list(exports.COLUMN_NAMES)]
    assert json_items(client) == []


def test_a_large_register_streams_in_several_pieces(client, make_recognition, make_unit,
                                                    monkeypatch):
    monkeypatch.setattr(exports, "ROWS_PER_WRITE", 4)
    unit = make_unit()
    for code in ("dakwerker-duaal", "ruwbouw-duaal", "afwerking-bouw-duaal",
                 "bouwplaatsmachinist-duaal", "decoratie-en-schilderwerken-duaal"):
        make_recognition(unit=unit, programme=code)
    for _ in range(5):
        make_recognition()
    response = client.get(reverse("register:export_json"))
    chunks = list(response.streaming_content)
    assert len(chunks) == 1 + 3  # "[", three pieces of at most 4 objects (the last closes)
    assert len(json.loads(b"".join(chunks))) == 10
    assert len(csv_rows(client)) == 11


# --- the page --------------------------------------------------------------------------------


def test_the_open_data_page_describes_every_column_the_licence_and_the_date(client, register,
                                                                            today):
    response = client.get(reverse("register:open_data"), **EN)
    assert response.status_code == 200
    content = response.content.decode()
    for column in exports.COLUMNS:
        assert f"<code>{column.name}</code>" in content
        assert str(column.description) in content
        assert f"<code>{column.example}</code>" in content
    assert "Modellicentie Gratis Hergebruik – Vlaanderen v1.0" in content
    assert f'href="{exports.LICENCE_URL}"' in content
    assert today.strftime("%d/%m/%Y") in content
    assert reverse("register:export_csv") in content
    assert reverse("register:export_json") in content
    assert "separated by a comma" in content
    assert response.context["count"] == 2


def test_the_columns_are_the_ones_the_files_are_read_from(register, today):
    """One definition: the page's columns are the files' columns, in the same order."""
    row = next(exports.rows(today=today))
    assert len(row) == len(exports.COLUMNS) == len(set(exports.COLUMN_NAMES))


# --- who may download ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["open_data", "export_csv", "export_json", "search",
                                  "programme_suggestions"])
def test_anonymous_visitors_may_read_and_only_read(client, db, name):
    url = reverse(f"register:{name}")
    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
