"""The migration that lets deliveries carry any e-mail keeps the letters and deliveries made
before it: each delivery names its letter's application, a rendered letter is ready."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from .conftest import decided_application

BEFORE = [("notices", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_letters_and_deliveries_are_carried_over(committed_data):
    from werkplek.accounts.models import User

    application = decided_application("approve")
    user = User.objects.get(username="werkgever")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("notices")
    try:
        old = _migrate(BEFORE)
        Letter = old.get_model("notices", "Letter")
        Delivery = old.get_model("notices", "Delivery")
        fields = {"application_id": application.pk, "kind": "approval", "language": "nl",
                  "dated_on": "2026-11-30"}
        rendered = Letter.objects.create(number=1, reference="R-K1", file="letters/x.pdf",
                                         size=10, **fields)
        waiting = Letter.objects.create(number=2, reference="R-K2", **fields)
        delivery = Delivery.objects.create(letter=rendered, recipient_id=user.pk,
                                           email=user.email, state="sent", attempts=1)
    finally:
        new = _migrate(latest)
    Letter = new.get_model("notices", "Letter")
    Delivery = new.get_model("notices", "Delivery")
    delivery = Delivery.objects.get(pk=delivery.pk)
    assert (delivery.application_id, delivery.purpose, delivery.letter_id) == (
        application.pk, "letter", rendered.pk)
    assert delivery.event_id is None
    assert Letter.objects.get(pk=rendered.pk).state == "ready"
    assert Letter.objects.get(pk=waiting.pk).state == "pending"
