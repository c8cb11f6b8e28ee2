"""The demo casework of `make run`: every step of the procedure, consistent, loaded once."""

from werkplek.applications.demo import CASES, load_demo_cases
from werkplek.applications.models import Application
from werkplek.notices.models import Letter
from werkplek.recognitions.models import Recognition


def test_the_demo_cases_cover_every_step_and_load_once(db):
    assert load_demo_cases() == {"built": len(CASES), "cases": len(CASES)}
    states = set(Application.objects.values_list("state", flat=True))
    assert states == {"submitted", "in_progress", "waiting", "proposed", "approved", "refused",
                      "lapsed"}
    for recognition in Recognition.objects.select_related("application"):
        assert recognition.valid_from == recognition.application.decided_at.date()
    for letter in Letter.objects.select_related("application"):
        assert letter.file and letter.dated_on == letter.application.decided_at.date()
    waited = Application.objects.get(enterprise__name="Schrijnwerk Jacobs")
    assert waited.paused_days == 6
    assert load_demo_cases()["built"] == 0
