"""The daily job of the register through the task worker and a real SMTP server: each reminder
and each expiry notice reaches each address once, however often the job runs."""

from datetime import date

from django.core.management import call_command

from werkplek.recognitions.models import Recognition, RecognitionEvent


def _recognition(valid_from: date, valid_until: date) -> Recognition:
    from werkplek.accounts.demo import DEMO_ENTERPRISE_NUMBER
    from werkplek.catalog.models import Partnership, Programme
    from werkplek.enterprises.models import Enterprise

    enterprise = Enterprise.objects.get(enterprise_number=DEMO_ENTERPRISE_NUMBER)
    unit = enterprise.units.get(joint_committee__number="124")
    programmes = Programme.objects.filter(sector__code=Partnership.objects.get(
        code="bouw").sectors.first().code).order_by("pk")
    taken = Recognition.objects.filter(unit=unit).values_list("programme_id", flat=True)
    return Recognition.objects.create(
        enterprise=enterprise, unit=unit, programme=programmes.exclude(pk__in=taken).first(),
        partnership=Partnership.objects.get(code="bouw"), valid_from=valid_from,
        valid_until=valid_until, validity_rule="recognition:5-years")


def test_running_the_daily_job_twice_sends_each_e_mail_once(committed_data, smtp_server,
                                                           run_tasks):
    ending = _recognition(date(2026, 6, 1), date(2031, 5, 31))   # 6 months before: 30/11/2030
    ended = _recognition(date(2025, 12, 1), date(2030, 11, 29))  # last day: 29/11/2030
    for _run in range(2):
        call_command("recognitions_daily", "--date", "2030-11-30", verbosity=0)
        run_tasks()
    subjects = sorted(str(m["message"]["Subject"]) for m in smtp_server.messages)
    recipients = sorted(address for m in smtp_server.messages for address in m["to"])
    # The representative and the employer of the enterprise: one reminder and one notice each.
    assert len(smtp_server.messages) == 4, subjects
    assert recipients == sorted(["vertegenwoordiger@werkplek.example",
                                 "werkgever@werkplek.example"] * 2)
    assert sum("31/05/2031" in subject for subject in subjects) == 2
    assert sum(ended.programme.name_nl in subject and "31/05/2031" not in subject
               for subject in subjects) == 2
    ended.refresh_from_db()
    assert ended.state == Recognition.State.EXPIRED
    assert ending.events.filter(kind=RecognitionEvent.Kind.REMINDER).count() == 1
    assert ending.events.filter(kind=RecognitionEvent.Kind.NOTICE_SENT).count() == 2
