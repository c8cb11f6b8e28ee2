"""A dump of the database shows no national register number in clear.

The demo data (users, mentors of applications and recognitions, learners of agreements) is
loaded; then every row of every table is read with plain SQL, as a dump or a stolen backup
would, and searched for each person's number, in its compact (11 digits) and its written form
(85.07.30-033.28). The numbers to look for are the decrypted ones: a test that looked for
numbers it made up could not fail."""

import re

import pytest
from django.db import connection

from werkplek.core.identifiers import format_national_number
from werkplek.core.personal_data import decrypt

pytestmark = pytest.mark.django_db


def _numbers() -> set[str]:
    """Every national register number the database holds, decrypted."""
    from werkplek.accounts.models import User
    from werkplek.agreements.models import Learner
    from werkplek.enterprises.models import Mentor

    numbers = set()
    for model in (User, Mentor, Learner):
        for token in model.objects.exclude(national_number_encrypted="").values_list(
                "national_number_encrypted", flat=True):
            numbers.add(decrypt(token))
    return numbers


def _dump():
    """Every value of every table, as text, table by table."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                yield table, " ".join(str(value) for value in row if value is not None)


def test_a_dump_of_the_database_shows_no_national_register_number():
    from werkplek.applications.demo import load_demo_cases
    from werkplek.recognitions.demo import load_demo_recognitions

    load_demo_cases()
    load_demo_recognitions()
    numbers = _numbers()
    assert len(numbers) >= 10  # users, mentors and learners of the demo data
    written = {number: format_national_number(number) for number in numbers}
    pattern = re.compile("|".join(re.escape(text) for number in numbers
                                  for text in (number, written[number])))
    found = {}
    rows = 0
    for table, text in _dump():
        rows += 1
        match = pattern.search(text)
        if match:
            found.setdefault(table, match.group(0))
    assert rows > 1000
    assert not found, f"National register numbers in clear, by table: {found}"


def test_the_dump_search_finds_a_number_stored_in_clear():
    """The search above can fail: a number put in clear into a text column is found."""
    from werkplek.accounts.models import User

    number = sorted(_numbers())[0]
    written = format_national_number(number)
    assert not any(written in text for _table, text in _dump())
    User.objects.filter(pk=User.objects.order_by("pk").values("pk")[:1]).update(
        last_name=f"nummer {written}")
    assert any(written in text for _table, text in _dump())
