"""The daily jobs share how they read the day they run as of (werkplek.core.daily)."""

import pytest
from django.core.management import CommandError, call_command

JOBS = ["appeals_daily", "agreements_daily", "recognitions_daily"]


@pytest.mark.parametrize("job", JOBS)
def test_a_day_that_is_no_date_is_refused_clearly(job):
    with pytest.raises(CommandError, match=r"^--date: "):
        call_command(job, "--date", "2026-02-30")


@pytest.mark.django_db
@pytest.mark.parametrize("job", JOBS)
def test_a_job_runs_as_of_an_earlier_day(job):
    from io import StringIO

    out = StringIO()
    call_command(job, "--date", "2026-11-01", stdout=out)
    assert out.getvalue().startswith("0 ")


@pytest.mark.django_db
def test_the_appeals_job_refuses_a_day_in_the_future():
    with pytest.raises(CommandError, match=r"^--date: "):
        call_command("appeals_daily", "--date", "2999-01-01")
