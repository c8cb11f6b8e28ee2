"""The letters of a sanction and of an appeal (rendered as PDF, e-mailed to each recipient once,
written on the right timeline), the e-mail notices of a recognition's timeline, and who may
download, send again or have tried again what. Sanctions, appeals, agreements and support
actions are built directly, so these tests do not depend on the services that make them."""

import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from werkplek.accounts.models import Membership, Role, User
from werkplek.core.deadlines import admissibility_deadline, appeal_deadline
from werkplek.notices import services
from werkplek.notices.letters import render_letter_pdf
from werkplek.notices.models import Delivery, Letter
from werkplek.notices.selectors import (
    deliveries_for,
    letter_recipients,
    letters_for,
    undelivered_for,
)
from werkplek.notices.tasks import prepare_letter, send_delivery, send_recognition_notice

from .conftest import JAN_COMPACT, JAN_FORMATTED

pytestmark = pytest.mark.django_db

SANCTION_REASONS = "De werkplek biedt de activiteiten van het opleidingsplan niet meer aan."
LEARNER_COMPACT = "05050500132"  # born 5 May 2005: check digits with a leading 2


def short(day) -> str:
    return day.strftime("%d/%m/%Y")


def pdf_text(letter: Letter) -> str:
    with letter.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def rendered_text(letter: Letter) -> str:
    reader = PdfReader(io.BytesIO(render_letter_pdf(letter)))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


# --- building the cases ------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def readers_of_english(db):
    """The demo users read their e-mail in English here (the enterprises write in English)."""
    User.objects.filter(username__in=["werkgever", "vertegenwoordiger", "trajectbegeleider"]) \
        .update(preferred_language="en")


@pytest.fixture
def handler(user):
    return user("behandelaar-bouw")


@pytest.fixture
def coach(user):
    return user("trajectbegeleider")


@pytest.fixture
def recognition(approved):
    """The recognition of the approved application (construction unit, partnership "bouw"),
    with the enterprise writing in English so the letters can be read here."""
    approved.enterprise.language = "en"
    approved.enterprise.save()
    return approved.recognition


@pytest.fixture
def agreement(recognition, coach, user):
    """A running agreement on the recognition, coached by the demo learner coach."""
    from werkplek.agreements.models import Agreement, Learner

    provider = coach.memberships.get(role=Role.COACH).training_provider
    learner = Learner(first_name="Lotte", last_name="Leerling", training_provider=provider,
                      programme=recognition.programme)
    learner.set_national_number(LEARNER_COMPACT)
    learner.save()
    today = timezone.localdate()
    return Agreement.objects.create(
        learner=learner, enterprise=recognition.enterprise, unit=recognition.unit,
        programme=recognition.programme, recognition=recognition,
        mentor=recognition.enterprise.mentors.get(last_name="Peeters"),
        training_provider=provider, coach=coach, kind=Agreement.Kind.OAO, weekly_hours=24,
        start_date=today - timedelta(days=30), end_date=today + timedelta(days=300),
        created_by=user("werkgever"))


@pytest.fixture
def support_action(recognition, handler):
    from werkplek.recognitions.models import SupportAction

    return SupportAction.objects.create(
        recognition=recognition, improvement="Bied alle activiteiten van het opleidingsplan aan.",
        due_on=timezone.localdate() - timedelta(days=3), created_by=handler)


@pytest.fixture
def make_sanction(recognition, support_action, handler):
    from werkplek.recognitions.models import Sanction

    counter = iter(range(1, 100))

    def make(kind=Sanction.Kind.WITHDRAWAL, **extra):
        return Sanction.objects.create(
            reference=f"S-2026-{next(counter):06d}", kind=kind,
            enterprise=recognition.enterprise, partnership=recognition.partnership,
            recognition=recognition, support_action=support_action, reasons=SANCTION_REASONS,
            imposed_on=timezone.localdate(), imposed_by=handler, **extra)

    return make


@pytest.fixture
def sanction(make_sanction, recognition, agreement):
    """A withdrawal that ended the recognition and the coach's agreement early; the same
    agreement is listed as given another mentor as well, so the coach appears twice."""
    return make_sanction(effects={
        "recognitions": [{"id": recognition.pk, "from": "active"}],
        "agreements_ended": [agreement.pk],
        "agreements_reassigned": [{"id": agreement.pk, "from_mentor": 1, "to_mentor": 2}],
    })


@pytest.fixture
def make_appeal(user):
    from werkplek.appeals.models import Appeal

    counter = iter(range(1, 100))

    def make(*, application=None, sanction=None, state=None):
        subject = application or sanction
        now = timezone.now()
        notified = timezone.localdate() - timedelta(days=2)
        due = admissibility_deadline(now)
        appeal = Appeal.objects.create(
            reference=f"B-2026-{next(counter):06d}", enterprise=subject.enterprise,
            application=application, sanction=sanction, partnership=subject.partnership,
            grounds="De werkplek biedt alle activiteiten aan.", filed_at=now,
            filed_by=user("werkgever"), notified_on=notified,
            appeal_until=appeal_deadline(notified).day, in_time=True,
            admissibility_due=due.day, admissibility_rule=due.rule)
        if state in ("admissible", "upheld", "overturned"):
            appeal.admit()
            appeal.admissibility_decided_at = now
            appeal.admissibility_decided_by = user("beroepscommissie")
        if state == "inadmissible":
            appeal.declare_inadmissible()
            appeal.admissibility_reason = Appeal.Inadmissible.LATE
            appeal.admissibility_reasons = "Het beroep kwam na de laatste dag binnen."
            appeal.admissibility_decided_at = now
            appeal.admissibility_decided_by = user("beroepscommissie")
        if state in ("upheld", "overturned"):
            appeal.uphold() if state == "upheld" else appeal.overturn()
            appeal.decision_reasons = "De commissie volgt de onderneming."
            appeal.decided_at, appeal.decided_by = now, user("beroepscommissie")
        appeal.save()
        return appeal

    return make


@pytest.fixture
def refused_appeal(refused, make_appeal):
    refused.enterprise.language = "en"
    refused.enterprise.save()
    return lambda state=None: make_appeal(application=refused, state=state)


def issue(kind, actor, **subject) -> Letter:
    with transaction.atomic():
        return services.issue_letter(kind=kind, actor=actor, **subject)


@pytest.fixture
def prepare(django_capture_on_commit_callbacks):
    """Run the task that renders the letter and creates its deliveries."""
    def run(letter: Letter) -> Letter:
        with django_capture_on_commit_callbacks(execute=True):
            prepare_letter.call(letter.pk)
        letter.refresh_from_db()
        return letter

    return run


def send_all(letter: Letter) -> None:
    for delivery in letter.deliveries.order_by("pk"):
        send_delivery.call(delivery.pk)


@pytest.fixture
def other_employer(db):
    """The employer staff of another enterprise."""
    from werkplek.enterprises.models import Enterprise

    other = Enterprise.objects.create(enterprise_number="0403170008", name="Andere Firma BV",
                                      language="nl")
    someone = User.objects.create(username="andere-werkgever", email="andere@firma.example")
    Membership.objects.create(user=someone, role=Role.EMPLOYER, enterprise=other)
    return someone


# --- issuing -----------------------------------------------------------------------------------

def test_a_sanction_letter_is_numbered_per_sanction_and_states_the_last_day_to_appeal(
        sanction, handler, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = issue(Letter.Kind.SANCTION, handler, sanction=sanction)
    second = issue(Letter.Kind.SANCTION, handler, sanction=sanction)

    assert len(callbacks) == 1  # the rendering is enqueued after the commit
    assert (first.reference, second.reference) == (f"{sanction.reference}-K1",
                                                   f"{sanction.reference}-K2")
    assert (first.language, first.application_id, first.sanction_id) == ("en", None,
                                                                         sanction.pk)
    assert first.dated_on == timezone.localdate()
    assert first.appeal_until == appeal_deadline(timezone.localdate()).day
    assert first.appeal_rule == "appeal:10-calendar-days"
    assert first.enterprise == sanction.enterprise


def test_an_appeal_letter_states_no_appeal_window(refused_appeal, user):
    appeal = refused_appeal()

    letter = issue(Letter.Kind.APPEAL_RECEIPT, user("werkgever"), appeal=appeal)

    assert letter.reference == f"{appeal.reference}-K1"
    assert letter.appeal_until is None and letter.appeal_rule == ""


def test_a_letter_must_fit_what_it_is_about(sanction, make_appeal, handler):
    appeal = make_appeal(sanction=sanction)
    wrong = [
        {"kind": Letter.Kind.SANCTION},
        {"kind": Letter.Kind.SANCTION, "sanction": sanction, "appeal": appeal},
        {"kind": Letter.Kind.APPEAL_RECEIPT, "sanction": sanction},
        {"kind": Letter.Kind.SANCTION, "appeal": appeal},
        {"kind": Letter.Kind.APPROVAL, "sanction": sanction},
        # Nothing decided yet on the appeal that was just filed.
        {"kind": Letter.Kind.APPEAL_ADMISSIBILITY, "appeal": appeal},
        {"kind": Letter.Kind.APPEAL_DECISION, "appeal": appeal},
    ]
    for arguments in wrong:
        with pytest.raises(ValidationError):
            issue(actor=handler, **arguments)
    assert not Letter.objects.exists()


# --- the sanction letter -----------------------------------------------------------------------

def test_the_sanction_letter_says_what_was_decided_and_how_to_appeal(
        sanction, handler, prepare, recognition):
    letter = prepare(issue(Letter.Kind.SANCTION, handler, sanction=sanction))

    assert letter.state == Letter.State.READY and letter.file
    text = pdf_text(letter)
    for value in (letter.reference, sanction.reference, short(letter.dated_on),
                  "Withdrawal of the recognition", "The recognition is withdrawn.",
                  sanction.enterprise.name, sanction.enterprise.formatted_number,
                  recognition.unit.name, recognition.unit.formatted_number,
                  recognition.programme.name_en, recognition.partnership.name_en,
                  SANCTION_REASONS, "1 recognition ended.", "1 running agreement ended early.",
                  "1 running agreement got another mentor.",
                  f"at the latest on {short(letter.appeal_until)}",
                  "appeal committee (beroepscommissie) of the Flemish Partnership",
                  "erkenning@vpdl.partnerschap.example", "Bart Behandelaar"):
        assert value in text, value
    for number in (JAN_COMPACT, LEARNER_COMPACT):
        assert number not in re.sub(r"\D", "", text)
    assert JAN_FORMATTED not in text


def test_a_mentor_ban_names_the_mentor_and_the_programmes(make_sanction, handler, recognition):
    from werkplek.recognitions.models import Sanction

    ban = make_sanction(kind=Sanction.Kind.MENTOR_BAN,
                        mentor=recognition.enterprise.mentors.get(last_name="Peeters"))
    ban.programmes.set([recognition.programme])

    text = rendered_text(issue(Letter.Kind.SANCTION, handler, sanction=ban))

    assert "Jan Peeters may no longer act as mentor for the programmes below." in text
    assert recognition.programme.name_en in text
    assert "No recognition or agreement was changed." in text
    assert JAN_COMPACT not in re.sub(r"\D", "", text) and JAN_FORMATTED not in text


def test_an_exclusion_names_its_scope_and_its_end(make_sanction, handler, recognition):
    from werkplek.recognitions.models import Sanction

    until = timezone.localdate() + timedelta(days=365)
    unit = make_sanction(kind=Sanction.Kind.EXCLUSION, unit=recognition.unit, ends_on=until)
    whole = make_sanction(kind=Sanction.Kind.EXCLUSION)

    text = rendered_text(issue(Letter.Kind.SANCTION, handler, sanction=unit))
    assert f"The establishment unit {recognition.unit.name} " \
           f"({recognition.unit.formatted_number}) is excluded." in text
    assert f"The exclusion lasts up to and including {short(until)}." in text

    text = rendered_text(issue(Letter.Kind.SANCTION, handler, sanction=whole))
    assert f"The whole enterprise {recognition.enterprise.name} is excluded." in text
    assert "The exclusion is definitive." in text


def test_the_sanction_letter_reaches_the_enterprise_and_the_coach_once_each(
        sanction, handler, prepare, coach, mailoutbox):
    from werkplek.recognitions.models import RecognitionEvent

    letter = prepare(issue(Letter.Kind.SANCTION, handler, sanction=sanction))
    prepare_letter.call(letter.pk)  # a second run creates nothing more

    emails = sorted(letter.deliveries.values_list("email", flat=True))
    assert emails == ["trajectbegeleider@werkplek.example", "vertegenwoordiger@werkplek.example",
                      "werkgever@werkplek.example"]
    assert not letter.deliveries.filter(application__isnull=False).exists()

    send_all(letter)
    send_all(letter)  # sent once

    assert sorted(m.to[0] for m in mailoutbox) == emails
    events = RecognitionEvent.objects.filter(kind=RecognitionEvent.Kind.LETTER_SENT)
    assert sorted(e.data["to"][0] for e in events) == emails
    assert {(e.recognition_id, e.sanction_id, e.enterprise_id, e.data["letter"])
            for e in events} == {(sanction.recognition_id, sanction.pk,
                                  sanction.enterprise_id, letter.pk)}
    to_coach = next(m for m in mailoutbox if m.to == [coach.email])
    assert "as the learner coach of an agreement" in to_coach.body
    to_employer = next(m for m in mailoutbox if m.to == ["werkgever@werkplek.example"])
    assert "learner coach" not in to_employer.body


def test_the_sanction_mail_links_the_recognition_and_carries_the_letter(
        sanction, handler, prepare, mailoutbox, user):
    english = user("werkgever")
    letter = prepare(issue(Letter.Kind.SANCTION, handler, sanction=sanction))

    send_delivery.call(letter.deliveries.get(recipient=english).pk)

    message = mailoutbox[0]
    assert message.subject == (f"Sanction for {sanction.enterprise.name}: withdrawal of the "
                               f"recognition ({sanction.reference})")
    assert message.reply_to == [sanction.partnership.email]
    link = settings.SITE_URL + reverse("recognitions:detail", args=[sanction.recognition_id])
    assert link in message.body
    assert f"at the latest on {short(letter.appeal_until)}" in message.body
    assert letter.reference in message.body
    assert "check your spam folder" in message.body
    (name, content, mimetype), = message.attachments
    assert (name, mimetype) == (f"decision-{letter.reference}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")


# --- the letters of an appeal ------------------------------------------------------------------

def test_the_receipt_goes_to_the_enterprise_and_who_filed_not_to_the_partnership(
        refused_appeal, prepare, user, mailoutbox):
    appeal = refused_appeal()
    letter = prepare(issue(Letter.Kind.APPEAL_RECEIPT, user("werkgever"), appeal=appeal))

    assert sorted(letter.deliveries.values_list("email", flat=True)) == [
        "vertegenwoordiger@werkplek.example", "werkgever@werkplek.example"]
    text = pdf_text(letter)
    for value in (letter.reference, appeal.reference, short(timezone.localdate()),
                  f"the refusal of application {appeal.application.reference}",
                  short(appeal.admissibility_due), "Flemish Partnership"):
        assert value in text, value

    send_all(letter)

    message = mailoutbox[0]
    link = settings.SITE_URL + reverse("appeals:detail", args=[appeal.pk])
    assert link in message.body and "check your spam folder" in message.body
    assert message.reply_to == ["erkenning@vpdl.partnerschap.example"]
    assert name_of(message) == f"receipt-{letter.reference}.pdf"  # the letter's language


def name_of(message) -> str:
    (name, _content, _mimetype), = message.attachments
    return name


def test_the_admissibility_goes_to_the_partnership_too_and_is_on_the_appeal_timeline(
        refused_appeal, prepare, user, mailoutbox):
    from werkplek.appeals.models import AppealEvent

    appeal = refused_appeal("admissible")
    committee = user("beroepscommissie")
    letter = prepare(issue(Letter.Kind.APPEAL_ADMISSIBILITY, committee, appeal=appeal))

    partnership_email = appeal.partnership.email
    deliveries = {d.email: d for d in letter.deliveries.all()}
    assert sorted(deliveries) == sorted([partnership_email, "vertegenwoordiger@werkplek.example",
                                         "werkgever@werkplek.example"])
    assert deliveries[partnership_email].recipient is None
    assert "The appeal is admissible." in pdf_text(letter)
    prepare_letter.call(letter.pk)
    assert letter.deliveries.count() == 3  # the address without a user is not added again

    send_all(letter)

    assert sorted(m.to[0] for m in mailoutbox) == sorted(deliveries)
    to_partnership = next(m for m in mailoutbox if m.to == [partnership_email])
    assert to_partnership.body.startswith(f"Dear {partnership_email},")
    events = AppealEvent.objects.filter(appeal=appeal, kind=AppealEvent.Kind.LETTER_SENT)
    assert sorted(e.data["to"][0] for e in events) == sorted(deliveries)
    assert {e.data["letter"] for e in events} == {letter.pk}


def test_an_inadmissible_appeal_says_why(refused_appeal, user):
    appeal = refused_appeal("inadmissible")

    text = rendered_text(issue(Letter.Kind.APPEAL_ADMISSIBILITY, user("beroepscommissie"),
                               appeal=appeal))

    assert "The appeal is inadmissible." in text
    assert "Reason: filed after the appeal period." in text
    assert appeal.admissibility_reasons in text


def test_an_overturned_refusal_names_the_recognition(refused_appeal, user):
    from werkplek.recognitions.models import Recognition

    appeal = refused_appeal("overturned")
    application = appeal.application
    today = timezone.localdate()
    Recognition.objects.create(
        enterprise=application.enterprise, unit=application.unit,
        programme=application.programme, partnership=application.partnership,
        application=application, valid_from=today, valid_until=today + timedelta(days=1825),
        validity_rule="recognition:5-years")

    text = rendered_text(issue(Letter.Kind.APPEAL_DECISION, user("beroepscommissie"),
                               appeal=appeal))

    assert f"The appeal committee overturns the refusal of application " \
           f"{application.reference}." in text
    assert f"valid from {short(today)} up to and including " \
           f"{short(today + timedelta(days=1825))}" in text
    assert appeal.decision_reasons in text
    assert "Bea Beroepscommissie" in text


def test_an_overturned_sanction_is_lifted_and_an_upheld_one_stands(make_appeal, sanction, user):
    committee = user("beroepscommissie")
    overturned = make_appeal(sanction=sanction, state="overturned")

    text = rendered_text(issue(Letter.Kind.APPEAL_DECISION, committee, appeal=overturned))
    assert f"The sanction {sanction.reference} is lifted" in text

    upheld = make_appeal(sanction=type(sanction).objects.create(
        reference="S-2026-000099", kind=sanction.kind, enterprise=sanction.enterprise,
        partnership=sanction.partnership, recognition=sanction.recognition,
        support_action=sanction.support_action, reasons="x", imposed_on=sanction.imposed_on,
        imposed_by=sanction.imposed_by), state="upheld")
    text = rendered_text(issue(Letter.Kind.APPEAL_DECISION, committee, appeal=upheld))
    assert "The appeal committee upholds sanction S-2026-000099 (withdrawal of the " \
           "recognition): the decision stands." in text


def test_recipients_are_unique_even_when_the_filer_is_a_representative(refused_appeal, user):
    appeal = refused_appeal("admissible")
    appeal.filed_by = user("vertegenwoordiger")
    appeal.save()
    letter = issue(Letter.Kind.APPEAL_ADMISSIBILITY, user("beroepscommissie"), appeal=appeal)

    emails = [r.email for r in letter_recipients(letter)]

    assert len(emails) == len(set(emails)) == 3


# --- the notices of a recognition --------------------------------------------------------------

@pytest.fixture
def make_event(recognition):
    from werkplek.recognitions.models import RecognitionEvent

    def make(kind, data):
        return RecognitionEvent.objects.create(enterprise=recognition.enterprise,
                                               recognition=recognition, kind=kind, data=data)

    return make


def test_a_reminder_is_sent_once_per_address_however_often_it_runs(
        make_event, recognition, mailoutbox, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from werkplek.recognitions.models import RecognitionEvent

    event = make_event(RecognitionEvent.Kind.REMINDER,
                       {"months": 6, "valid_until": recognition.valid_until.isoformat()})
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.notify_recognition_event(event=event,
                                          purpose=Delivery.Purpose.EXPIRY_REMINDER)
    queued = DBTaskResult.objects.get(task_path="werkplek.notices.tasks.send_recognition_notice")
    assert queued.args_kwargs["args"] == [event.pk, "expiry_reminder"]

    send_recognition_notice.call(event.pk, "expiry_reminder")
    send_recognition_notice.call(event.pk, "expiry_reminder")

    assert sorted(m.to[0] for m in mailoutbox) == ["vertegenwoordiger@werkplek.example",
                                                   "werkgever@werkplek.example"]
    assert Delivery.objects.filter(recognition_event=event).count() == 2
    message = mailoutbox[0]
    assert short(recognition.valid_until) in message.subject
    assert f"ends on {short(recognition.valid_until)}" in message.body
    assert "renewal" in message.body and "check your spam folder" in message.body
    assert settings.SITE_URL + reverse("recognitions:detail", args=[recognition.pk]) \
        in message.body
    sent = RecognitionEvent.objects.filter(kind=RecognitionEvent.Kind.NOTICE_SENT)
    assert sorted(e.data["to"][0] for e in sent) == sorted(m.to[0] for m in mailoutbox)
    assert {(e.recognition_id, e.data["event"]) for e in sent} == {(recognition.pk, event.pk)}


def test_the_end_and_a_support_action_are_told_in_plain_words(
        make_event, recognition, support_action, mailoutbox):
    from werkplek.recognitions.models import RecognitionEvent

    ended = make_event(RecognitionEvent.Kind.EXPIRED,
                       {"valid_until": recognition.valid_until.isoformat(),
                        "agreements_ended": [1, 2]})
    opened = make_event(RecognitionEvent.Kind.SUPPORT_OPENED,
                        {"support_action": support_action.pk})

    send_recognition_notice.call(ended.pk, "expiry")
    send_recognition_notice.call(opened.pk, "support_action")

    expiry, support = mailoutbox[0].body, mailoutbox[2].body
    assert f"ended on {short(recognition.valid_until)}" in expiry
    assert "may not conclude new agreements" in expiry and "new application" in expiry
    assert "2 running agreements ended with it." in expiry
    assert support_action.improvement in support
    assert f"at the latest on {short(support_action.due_on)}" in support
    assert recognition.partnership.name_en in support


def test_a_notice_of_a_recognition_needs_its_purpose(make_event):
    from werkplek.recognitions.models import RecognitionEvent

    event = make_event(RecognitionEvent.Kind.REMINDER, {})
    with pytest.raises(ValidationError):
        services.notify_recognition_event(event=event, purpose=Delivery.Purpose.LAPSE)


# --- who may see and handle --------------------------------------------------------------------

@pytest.fixture
def sanction_letter(sanction, handler, prepare):
    return prepare(issue(Letter.Kind.SANCTION, handler, sanction=sanction))


@pytest.fixture
def appeal_letter(make_appeal, sanction, prepare, user):
    appeal = make_appeal(sanction=sanction, state="admissible")
    return prepare(issue(Letter.Kind.APPEAL_ADMISSIBILITY, user("beroepscommissie"),
                         appeal=appeal))


def _fail(delivery: Delivery) -> Delivery:
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.FAILED, attempts=5,
                                                   round_attempts=5, last_error="boom")
    return delivery


@pytest.mark.parametrize(("username", "status"), [
    ("werkgever", 200), ("vertegenwoordiger", 200), ("behandelaar-bouw", 200),
    ("beroepscommissie", 200), ("beheer", 200),
    ("behandelaar-vpdl", 404), ("trajectbegeleider", 404), ("stemgerechtigde", 404),
    ("andere-werkgever", 404)])
def test_who_may_download_a_sanction_letter(client, sanction_letter, user, other_employer,
                                            username, status):
    client.force_login(user(username))

    response = client.get(reverse("notices:letter", args=[sanction_letter.pk]))

    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(("username", "status"), [
    ("beroepscommissie", 200), ("werkgever", 200), ("behandelaar-bouw", 200),
    ("behandelaar-vpdl", 404), ("andere-werkgever", 404)])
def test_who_may_download_an_appeal_letter(client, appeal_letter, user, other_employer,
                                           username, status):
    client.force_login(user(username))

    assert client.get(reverse("notices:letter", args=[appeal_letter.pk])).status_code == status


@pytest.mark.parametrize(("username", "status"), [
    ("behandelaar-bouw", 302), ("werkgever", 403), ("beroepscommissie", 403),
    ("behandelaar-vpdl", 404), ("andere-werkgever", 404)])
def test_a_handler_of_the_partnership_sends_a_sanction_letter_again(
        client, sanction_letter, user, other_employer, username, status):
    delivery = _fail(sanction_letter.deliveries.get(recipient__username="werkgever"))
    client.force_login(user(username))

    response = client.post(reverse("notices:resend", args=[delivery.pk]))

    assert response.status_code == status
    delivery.refresh_from_db()
    if status == 302:
        assert response["Location"] == reverse("recognitions:detail",
                                               args=[sanction_letter.sanction.recognition_id])
        assert delivery.state == Delivery.State.PENDING
        assert delivery.resend_requested_by.username == username
    else:
        assert delivery.state == Delivery.State.FAILED


@pytest.mark.parametrize(("username", "status"), [
    ("beroepscommissie", 302), ("behandelaar-bouw", 403), ("werkgever", 403),
    ("andere-werkgever", 404)])
def test_the_appeal_committee_sends_an_appeal_letter_again(
        client, appeal_letter, user, other_employer, username, status):
    delivery = _fail(appeal_letter.deliveries.get(recipient__isnull=True))
    client.force_login(user(username))

    response = client.post(reverse("notices:resend", args=[delivery.pk]))

    assert response.status_code == status
    delivery.refresh_from_db()
    assert delivery.state == (Delivery.State.PENDING if status == 302 else Delivery.State.FAILED)
    if status == 302:
        assert response["Location"] == reverse("appeals:detail", args=[appeal_letter.appeal_id])


def test_the_appeal_committee_has_an_appeal_letter_prepared_again(appeal_letter, user):
    Letter.objects.filter(pk=appeal_letter.pk).update(state=Letter.State.FAILED)

    with pytest.raises(PermissionDenied):
        services.retry_letter(actor=user("behandelaar-bouw"), letter_id=appeal_letter.pk)
    services.retry_letter(actor=user("beroepscommissie"), letter_id=appeal_letter.pk)

    appeal_letter.refresh_from_db()
    assert appeal_letter.state == Letter.State.PENDING
    assert appeal_letter.retry_requested_by.username == "beroepscommissie"


def test_a_handler_has_a_sanction_letter_prepared_again_from_the_recognition(
        client, sanction_letter, user):
    Letter.objects.filter(pk=sanction_letter.pk).update(state=Letter.State.FAILED)
    client.force_login(user("behandelaar-bouw"))

    response = client.post(reverse("notices:retry_letter", args=[sanction_letter.pk]))

    assert response["Location"] == reverse("recognitions:detail",
                                           args=[sanction_letter.sanction.recognition_id])
    sanction_letter.refresh_from_db()
    assert sanction_letter.state == Letter.State.PENDING
    client.force_login(user("beroepscommissie"))
    Letter.objects.filter(pk=sanction_letter.pk).update(state=Letter.State.FAILED)
    assert client.post(reverse("notices:retry_letter",
                               args=[sanction_letter.pk])).status_code == 403


def test_a_handler_sends_a_failed_notice_of_a_recognition_again(make_event, recognition, user):
    from werkplek.recognitions.models import RecognitionEvent

    event = make_event(RecognitionEvent.Kind.REMINDER,
                       {"months": 2, "valid_until": recognition.valid_until.isoformat()})
    send_recognition_notice.call(event.pk, "expiry_reminder")
    delivery = _fail(Delivery.objects.filter(recognition_event=event).first())

    with pytest.raises(PermissionDenied):
        services.resend(actor=user("werkgever"), delivery_id=delivery.pk)
    services.resend(actor=user("behandelaar-bouw"), delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.PENDING


# --- on the pages ------------------------------------------------------------------------------

def test_what_failed_about_a_sanction_shows_in_the_handlers_banner(sanction_letter, user):
    from django.template.loader import render_to_string

    _fail(sanction_letter.deliveries.get(recipient__username="werkgever"))

    undelivered = undelivered_for(user("behandelaar-bouw"))

    assert (undelivered.letters, undelivered.mails) == (1, 0)
    item, = undelivered.items
    assert (item.application_id, item.reference) == (None, sanction_letter.sanction.reference)
    html = render_to_string("notices/_undelivered_banner.html", {"undelivered": undelivered})
    link = reverse("recognitions:detail", args=[sanction_letter.sanction.recognition_id])
    assert f'href="{link}#notifications"' in html
    assert not undelivered_for(user("behandelaar-vpdl"))


def test_the_letters_and_e_mails_of_a_recognition(sanction_letter, recognition, make_event):
    from werkplek.recognitions.models import RecognitionEvent

    event = make_event(RecognitionEvent.Kind.REMINDER,
                       {"months": 6, "valid_until": recognition.valid_until.isoformat()})
    send_recognition_notice.call(event.pk, "expiry_reminder")

    assert list(letters_for(recognition)) == [sanction_letter]
    assert list(letters_for(sanction_letter.sanction)) == [sanction_letter]
    mails = list(deliveries_for(recognition))
    assert len(mails) == 3 + 2  # the letter to three people, the reminder to two
    assert set(deliveries_for(sanction_letter.sanction)) == set(sanction_letter.deliveries.all())


def test_each_recipient_reads_a_notice_in_their_own_language(make_event, recognition, user,
                                                            mailoutbox):
    from django.utils import translation
    from django.utils.translation import gettext

    from werkplek.recognitions.models import RecognitionEvent

    dutch = user("werkgever")
    dutch.preferred_language = "nl"
    dutch.save()
    event = make_event(RecognitionEvent.Kind.REMINDER,
                       {"months": 2, "valid_until": recognition.valid_until.isoformat()})

    send_recognition_notice.call(event.pk, "expiry_reminder")

    bodies = {m.to[0]: m.body for m in mailoutbox}
    with translation.override("nl"):
        greeting = gettext("Dear %(name)s,") % {"name": "Wim Werkgever"}
    assert greeting.startswith("Beste")
    assert bodies["werkgever@werkplek.example"].startswith(greeting)
    assert bodies["vertegenwoordiger@werkplek.example"].startswith(
        "Dear Veerle Vertegenwoordiger,")
