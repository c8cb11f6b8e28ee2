"""Two confirmations for the last place of a capped mentor at the same moment: exactly one
agreement runs, and the other side is told why. Real row locks need PostgreSQL; on SQLite
writers are serialised by the database itself."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from werkplek.agreements import services
from werkplek.agreements.models import Agreement, AgreementEvent

from .conftest import today


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_simultaneous_confirmations_for_a_capped_mentor_run_one(
        committed_data, register, sector_rules, employer, representative, peeters):
    # Two drafts for Peeters in overlapping periods (registered while bouw allowed two).
    sector_rules(max_learners_per_mentor=2)
    drafts = [register(start=today(), end=today() + timedelta(days=200)),
              register(start=today() + timedelta(days=100), end=today() + timedelta(days=300))]
    sector_rules(max_learners_per_mentor=1)
    start = threading.Barrier(2)
    outcomes: dict[int, object] = {}

    def confirm(actor, agreement):
        try:
            translation.activate("en")  # a new thread starts in the default language
            start.wait()
            services.confirm_agreement(actor=actor, agreement_id=agreement.pk)
            outcomes[agreement.pk] = "confirmed"
        except Exception as error:  # the test inspects what each thread got
            outcomes[agreement.pk] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(employer, drafts[0])),
               threading.Thread(target=confirm, args=(representative, drafts[1]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    results = list(outcomes.values())
    assert len(results) == 2 and results.count("confirmed") == 1, outcomes
    (lost,) = [r for r in results if r != "confirmed"]
    assert isinstance(lost, ValidationError), outcomes
    assert "Jan Peeters may coach 1 learner at a time" in lost.message_dict["mentor"][0]
    states = dict(Agreement.objects.filter(mentor=peeters).values_list("pk", "state"))
    assert sorted(states.values()) == [Agreement.State.ACTIVE, Agreement.State.DRAFT]
    (winner,) = [pk for pk, result in outcomes.items() if result == "confirmed"]
    assert states[winner] == Agreement.State.ACTIVE
    assert AgreementEvent.objects.filter(kind=AgreementEvent.Kind.ACTIVATED).count() == 1
