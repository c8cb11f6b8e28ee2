"""Two handlers deciding the same application at the same moment: exactly one decision is
recorded, and the other handler is told. Real row locks need PostgreSQL; on SQLite writers are
serialised by the database itself, and the version check gives the same outcome."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from werkplek.applications import backoffice, services
from werkplek.recognitions.models import Recognition


@pytest.fixture
def adopted(committed_data, ready_draft, demo_user):
    handler = demo_user("behandelaar-bouw")
    application = services.submit(actor=demo_user("werkgever"), application_id=ready_draft.pk)
    application = backoffice.mark_complete(actor=handler, application_id=application.pk)
    entry = application.mentors.get()
    backoffice.check_mentor(actor=handler, application_id=application.pk, entry_id=entry.pk,
                            result="confirmed")
    application.refresh_from_db()
    application = backoffice.propose(actor=handler, application_id=application.pk,
                                     version=application.version, proposal="approve",
                                     reasons="In orde.")
    backoffice.cast_vote(actor=demo_user("stemgerechtigde"), application_id=application.pk,
                         in_favour=True)
    application.refresh_from_db()
    return application


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_simultaneous_decisions_record_one(adopted, demo_user):
    from werkplek.accounts.models import Membership, Role, User

    first = demo_user("behandelaar-bouw")
    second = User.objects.create_user(username="tweede-behandelaar", password="x")
    Membership.objects.create(user=second, role=Role.HANDLER, partnership=adopted.partnership)
    version = adopted.version
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def decide(actor, reasons):
        try:
            translation.activate("en")  # a new thread starts in the default language
            start.wait()
            backoffice.decide(actor=actor, application_id=adopted.pk, version=version,
                              reasons=reasons)
            outcomes[actor.username] = "decided"
        except Exception as error:  # the test inspects what each thread got
            outcomes[actor.username] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(first, "Eerste.")),
               threading.Thread(target=decide, args=(second, "Tweede."))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    results = list(outcomes.values())
    assert results.count("decided") == 1, outcomes
    (lost,) = [r for r in results if r != "decided"]
    assert isinstance(lost, backoffice.StaleApplication)
    assert "approved this application meanwhile" in lost.messages[0]
    adopted.refresh_from_db()
    assert adopted.state == "approved"
    assert Recognition.objects.filter(application=adopted).count() == 1
    assert adopted.events.filter(kind__in=["approved", "refused"]).count() == 1
