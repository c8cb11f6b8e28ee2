"""Demo recognitions over their life: the register of the demo enterprise, monitoring, support
actions, sanctions and appeals in every state, so that `make run` has something to show and the
journeys can be walked in the browser with the demo accounts.

For the demo enterprise (`werkgever`, `vertegenwoordiger`), at its construction unit (partnership
"bouw", handler `behandelaar-bouw`): an active recognition with two mentors and a support action
that was met, one that expires within 6 months (its 6-month reminder sent; its support action
answered and due for follow-up), an expired one, a renewed one with its successor, one with a
support action open (the employer can answer it), and one whose support action was followed up
as not met: the handler can withdraw it, the enterprise appeal, the committee overturn.
Running agreements with learners, one coached by `trajectbegeleider`.

For other enterprises: a withdrawal (appeal upheld), a temporary exclusion of the enterprise
(appeal admissible, to decide), a definitive exclusion of a unit (appeal inadmissible: late), a
mentor ban with a replacement mentor, a mentor ban that ended agreements, a withdrawal overturned
on appeal (lifted: the recognition and its agreement run again), a refusal under appeal (filed,
admissibility due soon) and a refusal overturned on appeal (the recognition follows).

Everything is built through the real services at moments in the past (the clock is set back
while each step runs, as in `applications.demo`), the daily jobs run on the days they would
have, and the letters are rendered on their day. Each scenario is built in one transaction and
skipped when it exists, so loading twice builds nothing the second time. Loaded by
`manage.py load_demo_recognitions` after `load_demo_cases`. Never in production, and never in
the tests' database."""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from werkplek.accounts.demo import DEMO_ENTERPRISE_NUMBER, DEMO_UNITS
from werkplek.accounts.models import Membership, Role, User
from werkplek.agreements.models import Agreement, AgreementEvent, Learner
from werkplek.applications import backoffice
from werkplek.applications.demo import (
    BRUSSELS,
    DEMO_PDF,
    DemoCase,
    Step,
    _apply,
    _build,
    _on,
    _with_check,
)
from werkplek.applications.models import Application, Document
from werkplek.catalog.models import Programme, TrainingProvider
from werkplek.conditions import rules
from werkplek.core import personal_data
from werkplek.core.deadlines import expiry_reminder_day
from werkplek.core.identifiers import parse_national_number
from werkplek.enterprises.models import Enterprise, EstablishmentUnit, Mentor

from . import services
from .models import Finding, Recognition, Sanction, SupportAction

# The condition or duty a finding concerns (as in the monitoring form).
COMMITMENTS = "commitments"


# --- time ----------------------------------------------------------------------------------------

def _today() -> date:
    """The real today, also while the clock is set back (`timezone.now` is patched then)."""
    return datetime.now(BRUSSELS).date()


def _ago(day: date) -> int:
    """How many days before today `day` is."""
    return (_today() - day).days


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _decided_for_end(last_day: date) -> date:
    """The day of the decision whose 5-year recognition ends on `last_day`."""
    return _years_before(last_day + timedelta(days=1), 5)


class _Clock:
    """Steps `day` days ago, each later than the one before on the same day (so timelines keep
    their order)."""

    def __init__(self):
        self.day: int | None = None
        self.hour = 9

    @contextmanager
    def on(self, day: int):
        if day < 0:
            raise ValueError("A demo step cannot be in the future.")
        self.hour = min(self.hour + 1, 17) if day == self.day else 9
        self.day = day
        with _on(day, self.hour) as moment:
            yield moment


# --- people and things ---------------------------------------------------------------------------

def _user(username: str) -> User:
    return User.objects.get(username=username)


def _compact(born: date, counter: int) -> str:
    """A made-up but valid national register number: born on `born`, day counter `counter`."""
    body = f"{born:%y%m%d}{counter:03d}"
    check = 97 - int(("2" if born.year >= 2000 else "") + body) % 97
    return parse_national_number(f"{body}{check:02d}").compact


def _mentor(enterprise: Enterprise, first: str, last: str, born: date, counter: int,
            years: int, trained_on: date | None) -> Mentor:
    compact = _compact(born, counter)
    existing = Mentor.objects.filter(enterprise=enterprise,
                                     national_number_hash=personal_data.lookup_hash(compact)
                                     ).first()
    if existing is not None:
        return existing
    mentor = Mentor(enterprise=enterprise, first_name=first, last_name=last,
                    years_of_experience=years, mentor_training_completed_on=trained_on,
                    email=f"{first.lower()}.{last.lower().replace(' ', '')}@"
                          f"{enterprise.enterprise_number}.example")
    mentor.set_national_number(compact, born)
    mentor.save()
    return mentor


def _extract(name: str = "uittreksel-strafregister.pdf"):
    """An uploaded PDF, checked the way the forms check it (a criminal-record extract, an
    appeal's document)."""
    from werkplek.core.uploads import validate_upload

    upload = SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")
    upload.checked = validate_upload(upload)
    upload.seek(0)
    return upload


def _provider(province: str, *, coach: User | None = None) -> TrainingProvider:
    if coach is not None:
        membership = Membership.objects.filter(user=coach, role=Role.COACH,
                                               training_provider__isnull=False).first()
        if membership is not None:
            return membership.training_provider
    return (TrainingProvider.objects.filter(province__code=province).order_by("code").first()
            or TrainingProvider.objects.order_by("code").first())


@dataclass(frozen=True)
class DemoLearner:
    first_name: str
    last_name: str
    born: date
    counter: int  # the day counter of the national register number (unique per birth date)


def _learner(spec: DemoLearner, *, provider: TrainingProvider, programme: Programme) -> Learner:
    compact = _compact(spec.born, spec.counter)
    existing = Learner.objects.filter(
        national_number_hash=personal_data.lookup_hash(compact)).first()
    if existing is not None:
        return existing
    learner = Learner(first_name=spec.first_name, last_name=spec.last_name,
                      training_provider=provider, programme=programme)
    learner.set_national_number(compact, spec.born)
    learner.save()
    return learner


def _agreement(clock: _Clock, *, recognition: Recognition, mentor: Mentor, learner: DemoLearner,
               started: int, ends_in: int, created_by: User, coach: User | None = None,
               kind: str = Agreement.Kind.OAO, hours: str = "28",
               state: str = Agreement.State.ACTIVE) -> Agreement:
    """A running agreement registered `started` days ago (or, with state ENDED, one that ran
    its course and ended `-ends_in` days ago). Agreements have no service yet (the agreements
    issue): the row and its timeline are written here, as registering would."""
    provider = _provider(recognition.unit.province.code, coach=coach)
    with clock.on(started):
        person = _learner(learner, provider=provider, programme=recognition.programme)
        today = timezone.localdate()
        # Registered by the enterprise, confirmed by the coach (when there is one) at once.
        agreement = Agreement.objects.create(
            learner=person, enterprise=recognition.enterprise, unit=recognition.unit,
            programme=recognition.programme, recognition=recognition, mentor=mentor,
            training_provider=provider, coach=coach, kind=kind, weekly_hours=Decimal(hours),
            start_date=today, end_date=_today() + timedelta(days=ends_in), state=state,
            created_by=created_by, registered_side=Agreement.Side.ENTERPRISE,
            confirmed_at=timezone.now(), confirmed_by=coach)
        AgreementEvent.objects.create(agreement=agreement, kind=AgreementEvent.Kind.REGISTERED,
                                      actor=created_by)
        AgreementEvent.objects.create(agreement=agreement, kind=AgreementEvent.Kind.ACTIVATED,
                                      actor=created_by)
    return agreement


# --- applications through the back office --------------------------------------------------------

def _handler_of(application: Application) -> User:
    return backoffice.handlers_of(application.partnership_id).first()


def _submit(clock: _Clock, day: int, *, applicant: User, unit: EstablishmentUnit,
            programme: Programme, mentor: Mentor) -> Application:
    with clock.on(day):
        return _apply(Step(day, "submit"), None, applicant, unit, programme, mentor, None)


def _decide_application(clock: _Clock, application: Application, *, submitted: int,
                        decided: int, proposal: str = "approve", reasons: str = "") -> Application:
    """Handle a submitted application to its decision: assign, complete, confirm every mentor,
    propose, vote where the partnership asks, decide (and render the letter on that day)."""
    from werkplek.applications.demo import APPROVE_REASONS

    handler = _handler_of(application)
    pk = application.pk
    with clock.on(submitted - 1):
        backoffice.assign(actor=handler, application_id=pk)
        backoffice.mark_complete(actor=handler, application_id=pk)
    with clock.on(submitted - 3):
        for entry in application.mentors.all():
            backoffice.check_mentor(actor=handler, application_id=pk, entry_id=entry.pk,
                                    result="confirmed")
    with clock.on(decided + 2):
        application.refresh_from_db()
        backoffice.propose(actor=handler, application_id=pk, version=application.version,
                           proposal=proposal, reasons=reasons or APPROVE_REASONS)
    if application.partnership.requires_vote:
        with clock.on(decided + 1):
            _apply(Step(decided + 1, "vote"), None, None, None, None, None, application)
    with clock.on(decided):
        application.refresh_from_db()
        return _apply(Step(decided, "decide"), None, None, None, None, None, application)


def _approve_steps(decided: int, *, vote: bool) -> tuple[Step, ...]:
    """The steps of `applications.demo` that lead to an approval `decided` days ago."""
    steps = [Step(decided + 12, "submit"), Step(decided + 11, "assign"),
             Step(decided + 11, "mark_complete"), Step(decided + 8, "confirm"),
             Step(decided + 3, "propose", {"proposal": "approve"})]
    if vote:
        steps.append(Step(decided + 2, "vote"))
    steps.append(Step(decided, "decide"))
    return tuple(steps)


# --- monitoring, sanctions, appeals ---------------------------------------------------------------

def _render(**subject) -> None:
    """Render the letters of a sanction or an appeal now, on the day of the step (the worker
    would date them today); their e-mails are sent by the worker."""
    from werkplek.notices.models import Letter
    from werkplek.notices.tasks import prepare_letter

    for letter in Letter.objects.filter(**subject).order_by("number"):
        if not letter.file:
            prepare_letter.call(letter.pk)


@dataclass(frozen=True)
class Monitoring:
    """A finding and the support action that follows it; days are days ago (`due` may be
    negative: the deadline is still ahead)."""

    found: int
    kind: str
    condition: str
    finding: str
    improvement: str
    due: int
    answered: int | None = None
    answer: str = ""
    followed_up: int | None = None
    met: bool = False
    note: str = ""


def _monitor(clock: _Clock, recognition: Recognition, plan: Monitoring, *, handler: User,
             enterprise_user: User) -> SupportAction:
    """Record the finding, open the support action, let the enterprise answer, flag it on its
    deadline (the daily job) and follow it up, as far as `plan` goes."""
    with clock.on(plan.found):
        finding = services.record_finding(
            actor=handler, recognition_id=recognition.pk, kind=plan.kind,
            on=timezone.localdate(), outcome=Finding.Outcome.NOT_MET, condition=plan.condition,
            description=plan.finding)
        action = services.open_support_action(
            actor=handler, recognition_id=recognition.pk, improvement=plan.improvement,
            due_on=_today() - timedelta(days=plan.due), finding_id=finding.pk)
    if plan.answered is not None:
        with clock.on(plan.answered):
            services.answer_support_action(actor=enterprise_user, action_id=action.pk,
                                           answer=plan.answer)
    if plan.due >= 0:
        with clock.on(plan.due):
            services.remind_support_follow_ups(today=timezone.localdate())
    if plan.followed_up is not None:
        with clock.on(plan.followed_up):
            action = services.follow_up_support_action(actor=handler, action_id=action.pk,
                                                       met=plan.met, note=plan.note)
    action.refresh_from_db()
    return action


def _sanction(clock: _Clock, day: int, action: SupportAction, *, handler: User, kind: str,
              reasons: str, **options) -> Sanction:
    with clock.on(day):
        sanction = services.impose_sanction(actor=handler, support_action_id=action.pk,
                                            kind=kind, reasons=reasons, **options)
        _render(sanction=sanction)
    return sanction


@dataclass(frozen=True)
class AppealPlan:
    """The steps of an appeal, in days ago (None: not reached)."""

    filed: int
    grounds: str
    admissibility: int | None = None
    admissible: bool = True
    admissibility_reasons: str = ""
    hearing: int | None = None
    notes: str = ""
    decided: int | None = None
    overturn: bool = False
    reasons: str = ""


def _appeal(clock: _Clock, plan: AppealPlan, *, by: User, application: Application | None = None,
            sanction: Sanction | None = None):
    from werkplek.appeals import services as appeals

    committee = _user("beroepscommissie")
    subject = ({"application_id": application.pk} if application is not None
               else {"sanction_id": sanction.pk})
    with clock.on(plan.filed):
        appeal = appeals.file_appeal(actor=by, grounds=plan.grounds,
                                     documents=[_extract("stukken-beroep.pdf")], **subject)
        _render(appeal=appeal)
    if plan.admissibility is not None:
        with clock.on(plan.admissibility):
            appeal = appeals.decide_admissibility(
                actor=committee, appeal_id=appeal.pk, version=appeal.version,
                admissible=plan.admissible, reasons=plan.admissibility_reasons,
                reason="" if plan.admissible else "late")
            _render(appeal=appeal)
    if plan.hearing is not None:
        with clock.on(plan.hearing):
            appeal = appeals.record_hearing(actor=committee, appeal_id=appeal.pk,
                                            notes=plan.notes, version=appeal.version)
    if plan.decided is not None:
        with clock.on(plan.decided):
            appeal = appeals.decide_appeal(actor=committee, appeal_id=appeal.pk,
                                           version=appeal.version, overturn=plan.overturn,
                                           reasons=plan.reasons)
            _render(appeal=appeal)
    return appeal


# --- the demo enterprise -------------------------------------------------------------------------

# Its construction unit (joint committee 124: partnership "bouw").
DEMO_UNIT_NUMBER = DEMO_UNITS[0][0]
# Extra mentors of the demo enterprise: first name, last name, birth date, day counter, years.
DEMO_EXTRA_MENTORS = {
    "martens": ("Koen", "Martens", date(1979, 11, 3), 211, 22),
    "vandamme": ("Ilse", "Van Damme", date(1987, 2, 20), 212, 11),
    "claes": ("Dirk", "Claes", date(1975, 8, 8), 213, 25),
    "wuyts": ("Tom", "Wuyts", date(1983, 5, 17), 214, 16),
    "dewilde": ("Sara", "De Wilde", date(1984, 6, 12), 215, 14),
}


def _demo() -> tuple[Enterprise, EstablishmentUnit]:
    enterprise = Enterprise.objects.get(enterprise_number=DEMO_ENTERPRISE_NUMBER)
    return enterprise, EstablishmentUnit.objects.get(unit_number=DEMO_UNIT_NUMBER)


def _demo_mentor(key: str) -> Mentor:
    enterprise, _unit = _demo()
    if key == "peeters":
        return enterprise.mentors.get(last_name="Peeters")
    first, last, born, counter, years = DEMO_EXTRA_MENTORS[key]
    return _mentor(enterprise, first, last, born, counter, years,
                   trained_on=_years_before(_today(), 7))


def _demo_recognition(clock: _Clock, programme_code: str, mentor_key: str,
                      decided: int) -> Recognition:
    _enterprise, unit = _demo()
    application = _submit(clock, decided + 12, applicant=_user("werkgever"), unit=unit,
                          programme=Programme.objects.get(code=programme_code),
                          mentor=_demo_mentor(mentor_key))
    application = _decide_application(clock, application, submitted=decided + 12,
                                      decided=decided)
    return application.recognition


def _demo_active() -> None:
    """Active for 14 months: two mentors (the second added after a support action that was
    met), a running agreement coached by `trajectbegeleider`."""
    clock = _Clock()
    recognition = _demo_recognition(clock, "dakwerker-duaal", "peeters", decided=420)
    employer, handler = _user("werkgever"), _user("behandelaar-bouw")
    _agreement(clock, recognition=recognition, mentor=_demo_mentor("peeters"),
               learner=DemoLearner("Mila", "Desmet", date(2008, 4, 14), 301), started=390,
               ends_in=330, created_by=employer, coach=_user("trajectbegeleider"))
    action = _monitor(clock, recognition, Monitoring(
        found=160, kind=Finding.Kind.COMPLAINT, condition=rules.MENTOR,
        finding="Klacht van de trajectbegeleider: de leerling werkte twee weken zonder mentor "
                "op de werf, omdat de enige mentor met verlof was.",
        improvement="Duid een tweede mentor aan die de leerling begeleidt wanneer de mentor "
                    "afwezig is.",
        due=125, answered=137,
        answer="Sara De Wilde is als tweede mentor toegevoegd; zij neemt over bij verlof of "
               "ziekte van Jan Peeters.",
        followed_up=124, met=True,
        note="Tweede mentor bevestigd; de leerling had tijdens het laatste verlof begeleiding."),
        handler=handler, enterprise_user=employer)
    with clock.on(138):
        services.add_mentor(actor=employer, recognition_id=recognition.pk,
                            mentor=_demo_mentor("dewilde"), years_of_experience=14,
                            training="done", extract=_extract())
    assert action.state == SupportAction.State.MET
    # The coach registered a second learner with Sara De Wilde: it waits for the employer.
    from werkplek.agreements.services import register_agreement

    coach = _user("trajectbegeleider")
    with clock.on(3):
        start = timezone.localdate() + timedelta(days=14)
        register_agreement(
            actor=coach, recognition_id=recognition.pk, first_name="Noor",
            last_name="Van den Bossche", national_number=_compact(date(2009, 2, 3), 304),
            training_provider_id=coach.memberships.get(role="coach").training_provider_id,
            mentor_id=_demo_mentor("dewilde").pk, start_date=start,
            end_date=start + timedelta(days=300), weekly_hours="22,5")


def _demo_expiring() -> None:
    """Ends about 4 months from now: the 6-month reminder was sent; a support action answered
    by the employer waits for the handler's follow-up."""
    clock = _Clock()
    decided_on = _decided_for_end(_today() + timedelta(days=120))
    recognition = _demo_recognition(clock, "ruwbouw-duaal", "martens", decided=_ago(decided_on))
    employer, handler = _user("werkgever"), _user("behandelaar-bouw")
    _agreement(clock, recognition=recognition, mentor=_demo_mentor("martens"),
               learner=DemoLearner("Jonas", "Verbeke", date(2007, 9, 2), 302), started=300,
               ends_in=100, created_by=employer)
    reminder = expiry_reminder_day(recognition.valid_until, 6)
    with clock.on(_ago(reminder)):
        services.send_end_reminders(today=timezone.localdate())
    _monitor(clock, recognition, Monitoring(
        found=40, kind=Finding.Kind.CHECK, condition=COMMITMENTS,
        finding="Bij de controle van de opleidingsovereenkomsten ontbrak het evaluatieverslag "
                "van het eerste semester.",
        improvement="Bezorg het evaluatieverslag van het eerste semester aan de "
                    "trajectbegeleider en bewaar het in het leerlingendossier.",
        due=6, answered=20,
        answer="Het verslag is op 3 punten aangevuld en aan de trajectbegeleider bezorgd; een "
               "kopie zit in het dossier."),
        handler=handler, enterprise_user=employer)


def _demo_expired() -> None:
    """Ended about 6 weeks ago without a renewal (both reminders sent, then the expiry)."""
    clock = _Clock()
    decided_on = _decided_for_end(_today() - timedelta(days=45))
    recognition = _demo_recognition(clock, "bouwplaatsmachinist-duaal", "peeters",
                                    decided=_ago(decided_on))
    _agreement(clock, recognition=recognition, mentor=_demo_mentor("peeters"),
               learner=DemoLearner("Arne", "Coppens", date(2003, 1, 27), 303),
               started=_ago(decided_on) - 60, ends_in=-430, created_by=_user("werkgever"),
               state=Agreement.State.ENDED)
    for months in (6, 2):
        with clock.on(_ago(expiry_reminder_day(recognition.valid_until, months))):
            services.send_end_reminders(today=timezone.localdate())
    with clock.on(_ago(recognition.valid_until + timedelta(days=1))):
        services.expire_recognitions(today=timezone.localdate())


def _demo_renewed() -> None:
    """Renewed in time: the renewal, prefilled from it, was approved half a year ago and
    continues it without a gap from the day after it ended; its running agreement moved
    along."""
    clock = _Clock()
    decided_on = _decided_for_end(_today() - timedelta(days=30))
    recognition = _demo_recognition(clock, "afwerking-bouw-duaal", "vandamme",
                                    decided=_ago(decided_on))
    employer = _user("werkgever")
    _agreement(clock, recognition=recognition, mentor=_demo_mentor("vandamme"),
               learner=DemoLearner("Yasmine", "El Amrani", date(2008, 12, 5), 304),
               started=280, ends_in=250, created_by=employer)
    with clock.on(_ago(expiry_reminder_day(recognition.valid_until, 6))):
        services.send_end_reminders(today=timezone.localdate())
    with clock.on(200):
        draft = services.start_renewal(actor=employer, recognition_id=recognition.pk)
        declaration = Document(application=draft, kind=Document.Kind.DECLARATION_ON_HONOUR,
                               original_name="verklaring-op-eer.pdf",
                               content_type="application/pdf", size=len(DEMO_PDF),
                               sha256="0" * 64, uploaded_by=employer)
        declaration.file.save("verklaring-op-eer.pdf", ContentFile(DEMO_PDF), save=False)
        declaration.save()
        from werkplek.applications import services as applications

        renewal = applications.submit(actor=employer, application_id=draft.pk)
    _decide_application(clock, renewal, submitted=200, decided=188)


def _demo_support_open() -> None:
    """A site visit found a problem two weeks ago: the support action is open, the employer
    can answer it."""
    clock = _Clock()
    recognition = _demo_recognition(clock, "dekvloerlegger-en-tegelzetter-duaal", "claes",
                                    decided=700)
    employer = _user("werkgever")
    _agreement(clock, recognition=recognition, mentor=_demo_mentor("claes"),
               learner=DemoLearner("Lars", "Michiels", date(2009, 6, 21), 305), started=100,
               ends_in=150, created_by=employer, kind=Agreement.Kind.STAGE, hours="16")
    _monitor(clock, recognition, Monitoring(
        found=12, kind=Finding.Kind.SITE_VISIT, condition=rules.INFRASTRUCTURE,
        finding="Werfbezoek: de tegelsnijder in het atelier heeft geen beschermkap en de "
                "leerling draagt geen gehoorbescherming.",
        improvement="Plaats een beschermkap op de tegelsnijder en geef de leerling "
                    "gehoorbescherming; stuur een foto van beide.",
        due=-30), handler=_user("behandelaar-bouw"), enterprise_user=employer)


def _demo_support_failed() -> None:
    """The support action was followed up as not met: ready for the handler to impose a
    sanction (the browser journey: withdraw, appeal, overturn). Its running agreement is
    coached by `trajectbegeleider`."""
    clock = _Clock()
    recognition = _demo_recognition(clock, "ijzervlechter-en-bekister-betonneerder-duaal",
                                    "wuyts", decided=900)
    employer = _user("werkgever")
    _agreement(clock, recognition=recognition, mentor=_demo_mentor("wuyts"),
               learner=DemoLearner("Noah", "Peeters", date(2007, 3, 30), 306), started=200,
               ends_in=280, created_by=employer, coach=_user("trajectbegeleider"))
    _monitor(clock, recognition, Monitoring(
        found=75, kind=Finding.Kind.COMPLAINT, condition=COMMITMENTS,
        finding="Melding van de trajectbegeleider: de leerling werkte alleen op een stelling "
                "op 6 meter hoogte, zonder mentor in de buurt.",
        improvement="De leerling werkt op hoogte alleen onder rechtstreeks toezicht van de "
                    "mentor; leg schriftelijk vast hoe de werfleider dat opvolgt.",
        due=20, answered=45,
        answer="De werfleider is gebriefd; we bezorgen de werkinstructie later.",
        followed_up=16, met=False,
        note="Bij het werfbezoek stond de leerling opnieuw alleen op de stelling; de "
             "werkinstructie is niet bezorgd."),
        handler=_user("behandelaar-bouw"), enterprise_user=employer)


# --- other enterprises ---------------------------------------------------------------------------

def _case(number: str, name: str, unit: str, street: str, postal_code: str, municipality: str,
          province: str, committee: str, programme: str, mentor: tuple[str, str, str],
          steps: tuple[Step, ...]) -> DemoCase:
    return DemoCase(number, name, unit, street, postal_code, municipality, province, committee,
                    programme, mentor, steps)


def _recognised(case: DemoCase) -> tuple[Recognition, User]:
    """Build the enterprise of `case` through `applications.demo` up to its recognition; the
    enterprise's representative acts for it."""
    application = _build(case)
    application.refresh_from_db()
    representative = User.objects.get(username="demo-" + case.enterprise_number)
    return application.recognition, representative


def _withdrawn_upheld() -> None:
    clock = _Clock()
    recognition, representative = _recognised(_case(
        "09200001", "Betonbouw Hermans NV", "Werf Sint-Niklaas", "Industriepark-West 14",
        "9100", "Sint-Niklaas", "VOV", "124", "ruwbouw-duaal", ("Marc", "Hermans", "760312"),
        _approve_steps(800, vote=True)))
    handler = _user("behandelaar-bouw")
    mentor = recognition.mentors.get()
    _agreement(clock, recognition=recognition, mentor=mentor,
               learner=DemoLearner("Robbe", "De Clercq", date(2007, 10, 11), 311), started=240,
               ends_in=200, created_by=representative)
    action = _monitor(clock, recognition, Monitoring(
        found=130, kind=Finding.Kind.COMPLAINT, condition=COMMITMENTS,
        finding="De leerling kreeg drie maanden geen loon voor de werkplekuren en werd "
                "ingezet voor opruimwerk buiten het opleidingsplan.",
        improvement="Betaal de achterstallige vergoeding en laat de leerling de activiteiten "
                    "van het opleidingsplan uitvoeren.",
        due=70, followed_up=66, met=False,
        note="Geen antwoord van de onderneming; de leerling bevestigt dat er niets "
             "veranderde."), handler=handler, enterprise_user=representative)
    sanction = _sanction(
        clock, 50, action, handler=handler, kind=Sanction.Kind.WITHDRAWAL,
        reasons="De onderneming komt haar verplichtingen tegenover de leerling niet na en heeft "
                "de begeleidingsactie niet uitgevoerd. De erkenning voor Ruwbouw duaal wordt "
                "opgeheven.")
    _appeal(clock, AppealPlan(
        filed=46, grounds="De vergoeding werd intussen betaald; de achterstand kwam door een "
                          "fout van het sociaal secretariaat.",
        admissibility=42, admissibility_reasons="Tijdig ingediend door de onderneming.",
        hearing=32, notes="Zaakvoerder gehoord. Betaling pas na de sanctie uitgevoerd; over "
                          "het opleidingsplan geen nieuwe elementen.",
        decided=28, overturn=False,
        reasons="De betaling gebeurde pas na de sanctie en de leerling voerde geen "
                "activiteiten van het opleidingsplan uit. De opheffing blijft behouden."),
        by=representative, sanction=sanction)


def _excluded_admissible() -> None:
    clock = _Clock()
    recognition, representative = _recognised(_case(
        "09200002", "Bouwonderneming Lambrecht BV", "Depot Roeselare", "Meensesteenweg 201",
        "8800", "Roeselare", "VWV", "124", "bouwplaatsmachinist-duaal",
        ("Greet", "Lambrecht", "810725"), _approve_steps(600, vote=True)))
    handler = _user("behandelaar-bouw")
    _agreement(clock, recognition=recognition, mentor=recognition.mentors.get(),
               learner=DemoLearner("Ines", "Vandenberghe", date(2008, 2, 8), 312), started=180,
               ends_in=260, created_by=representative)
    action = _monitor(clock, recognition, Monitoring(
        found=95, kind=Finding.Kind.CHECK, condition=rules.NO_CONVICTIONS,
        finding="De RSZ meldt een veroordeling van de onderneming voor zwartwerk op een werf "
                "in Kortrijk.",
        improvement="Bezorg het vonnis en toon aan welke maatregelen je nam om herhaling te "
                    "voorkomen.",
        due=40, answered=60, answer="We gaan in beroep tegen het vonnis.",
        followed_up=38, met=False,
        note="Het vonnis is uitvoerbaar; er zijn geen maatregelen aangetoond."),
        handler=handler, enterprise_user=representative)
    sanction = _sanction(
        clock, 20, action, handler=handler, kind=Sanction.Kind.EXCLUSION, whole_enterprise=True,
        ends_on=_today() + timedelta(days=160),
        reasons="Veroordeling voor inbreuken op de sociale wetgeving. De onderneming wordt "
                "tijdelijk uitgesloten: al haar erkenningen vervallen en er kan geen nieuwe "
                "aanvraag worden ingediend tot de einddatum.")
    _appeal(clock, AppealPlan(
        filed=17, grounds="Het vonnis is niet definitief: we tekenden hoger beroep aan. Een "
                          "uitsluiting van de hele onderneming is onevenredig.",
        admissibility=12, admissibility_reasons="Tijdig ingediend door de wettelijk "
                                                "vertegenwoordiger.",
        hearing=6, notes="Hoorzitting met de zaakvoerder en de beheerder van Bouw. Het hoger "
                         "beroep tegen het vonnis loopt; uitspraak verwacht binnen 3 maanden."),
        by=representative, sanction=sanction)


def _unit_excluded_late_appeal() -> None:
    clock = _Clock()
    recognition, representative = _recognised(_case(
        "09200003", "Dakwerken Segers", "Atelier Turnhout", "Steenweg op Gierle 88", "2300",
        "Turnhout", "VAN", "124", "dakwerker-duaal", ("Luc", "Segers", "740218"),
        _approve_steps(1100, vote=True)))
    handler = _user("behandelaar-bouw")
    action = _monitor(clock, recognition, Monitoring(
        found=160, kind=Finding.Kind.SITE_VISIT, condition=rules.INFRASTRUCTURE,
        finding="Het atelier is gesloten; de activiteiten van het opleidingsplan worden nergens "
                "meer aangeboden.",
        improvement="Toon aan waar en hoe de leerling de activiteiten van het opleidingsplan "
                    "kan uitvoeren.",
        due=100, followed_up=98, met=False, note="Geen antwoord; het atelier is te koop."),
        handler=handler, enterprise_user=representative)
    sanction = _sanction(
        clock, 75, action, handler=handler, kind=Sanction.Kind.EXCLUSION,
        reasons="De vestigingseenheid biedt geen werkplek meer aan. Ze wordt definitief "
                "uitgesloten.")
    _appeal(clock, AppealPlan(
        filed=52, grounds="We willen het atelier heropenen op een nieuwe locatie.",
        admissibility=47, admissible=False,
        admissibility_reasons="Het beroep werd ingediend na de termijn van 10 dagen na de "
                              "kennisgeving van de beslissing."),
        by=representative, sanction=sanction)


def _mentor_ban_replaced() -> None:
    clock = _Clock()
    recognition, representative = _recognised(_case(
        "09200004", "Tegelwerken Aerts BV", "Toonzaal Herentals", "Lierseweg 150", "2200",
        "Herentals", "VAN", "124", "dekvloerlegger-en-tegelzetter-duaal",
        ("Nele", "Aerts", "860904"), _approve_steps(500, vote=True)))
    handler = _user("behandelaar-bouw")
    banned = recognition.mentors.get()
    replacement = _mentor(recognition.enterprise, "Pieter", "Aerts", date(1972, 4, 9), 321, 28,
                          trained_on=_years_before(_today(), 3))
    with clock.on(300):
        services.add_mentor(actor=representative, recognition_id=recognition.pk,
                            mentor=replacement, years_of_experience=28, training="done",
                            extract=_extract())
    _agreement(clock, recognition=recognition, mentor=banned,
               learner=DemoLearner("Emma", "Wouters", date(2008, 7, 19), 313), started=210,
               ends_in=240, created_by=representative)
    action = _monitor(clock, recognition, Monitoring(
        found=110, kind=Finding.Kind.COMPLAINT, condition=rules.MENTOR,
        finding="De mentor liet de leerling herhaaldelijk alleen op verplaatsing werken en "
                "ging niet in op afspraken met de trajectbegeleider.",
        improvement="De mentor volgt de leerling dagelijks op en neemt deel aan het "
                    "evaluatiegesprek.",
        due=60, answered=80, answer="De mentor belooft beterschap.",
        followed_up=58, met=False, note="Het evaluatiegesprek werd opnieuw afgezegd."),
        handler=handler, enterprise_user=representative)
    _sanction(clock, 40, action, handler=handler, kind=Sanction.Kind.MENTOR_BAN,
              mentor_id=banned.pk, programme_ids=[recognition.programme_id],
              replacement_mentor_id=replacement.pk,
              reasons="De mentor begeleidt de leerling niet zoals het opleidingsplan vraagt. Zij "
                      "mag geen leerlingen meer begeleiden voor dit programma; Pieter Aerts "
                      "neemt de lopende overeenkomst over.")


def _mentor_ban_ended() -> None:
    clock = _Clock()
    recognition, representative = _recognised(_case(
        "09200005", "Schilderwerken Goossens", "Atelier Lokeren", "Zelebaan 40", "9160",
        "Lokeren", "VOV", "124", "decoratie-en-schilderwerken-duaal",
        ("Bert", "Goossens", "780530"), _approve_steps(420, vote=True)))
    handler = _user("behandelaar-bouw")
    mentor = recognition.mentors.get()
    _agreement(clock, recognition=recognition, mentor=mentor,
               learner=DemoLearner("Finn", "Maes", date(2007, 11, 23), 314), started=190,
               ends_in=170, created_by=representative)
    action = _monitor(clock, recognition, Monitoring(
        found=100, kind=Finding.Kind.CHECK, condition=rules.MENTOR,
        finding="Het nieuwe uittreksel uit het strafregister van de mentor vermeldt een "
                "veroordeling die het werken met minderjarigen uitsluit.",
        improvement="Duid een andere mentor aan die aan de voorwaarden voldoet.",
        due=55, followed_up=52, met=False, note="Er is geen andere mentor aangeduid."),
        handler=handler, enterprise_user=representative)
    _sanction(clock, 35, action, handler=handler, kind=Sanction.Kind.MENTOR_BAN,
              mentor_id=mentor.pk, programme_ids=[recognition.programme_id],
              reasons="De mentor voldoet niet langer aan de voorwaarde van onberispelijk gedrag. "
                      "Er is geen andere mentor: de lopende overeenkomst eindigt vervroegd.")


def _withdrawn_overturned() -> None:
    clock = _Clock()
    recognition, representative = _recognised(_case(
        "09200006", "Kapsalon Marie", "Salon Brugge", "Steenstraat 12", "8000", "Brugge",
        "VWV", "200", "kapper-stylist-duaal", ("Marie", "Dubois", "850611"),
        _approve_steps(700, vote=False)))
    handler = _user("behandelaar-vpdl")
    _agreement(clock, recognition=recognition, mentor=recognition.mentors.get(),
               learner=DemoLearner("Lina", "Janssens", date(2008, 5, 3), 315), started=150,
               ends_in=220, created_by=representative, hours="24")
    action = _monitor(clock, recognition, Monitoring(
        found=120, kind=Finding.Kind.SITE_VISIT, condition=rules.INFRASTRUCTURE,
        finding="Bij het bezoek waren er geen kleurbehandelingen: de leerling kan dat deel van "
                "het opleidingsplan niet oefenen.",
        improvement="Bied de leerling kleurbehandelingen aan, desnoods op oefenhoofden.",
        due=70, answered=90, answer="We werken nu met oefenhoofden op dinsdag.",
        followed_up=66, met=False, note="Op dinsdag geen oefenmoment vastgesteld."),
        handler=handler, enterprise_user=representative)
    sanction = _sanction(
        clock, 45, action, handler=handler, kind=Sanction.Kind.WITHDRAWAL,
        reasons="De werkplek biedt de kleurbehandelingen van het opleidingsplan niet aan en de "
                "begeleidingsactie werd niet uitgevoerd. De erkenning wordt opgeheven.")
    _appeal(clock, AppealPlan(
        filed=41, grounds="Het oefenmoment verschoof naar woensdag; we voegen de planning en "
                          "foto's toe.",
        admissibility=37, admissibility_reasons="Tijdig ingediend door de onderneming.",
        hearing=28, notes="De planning en de verklaring van de leerling bevestigen wekelijkse "
                          "kleurbehandelingen op woensdag.",
        decided=24, overturn=True,
        reasons="De onderneming toont aan dat de leerling wekelijks kleurbehandelingen oefent. "
                "De opheffing wordt vernietigd: de erkenning en de overeenkomst lopen verder."),
        by=representative, sanction=sanction)


def _refusal_filed() -> None:
    """A refusal (the mentor could not be confirmed) appealed 5 days ago: the committee must
    confirm admissibility within days."""
    clock = _Clock()
    application = _build(_case(
        "09200007", "IJzerwerken Van Acker", "Werkplaats Ieper", "Zonnebeekseweg 300", "8900",
        "Ieper", "VWV", "124", "ijzervlechter-en-bekister-betonneerder-duaal",
        ("Wout", "Van Acker", "890114"),
        (Step(22, "submit"), Step(21, "assign"), Step(21, "mark_complete"), Step(16, "reject"),
         Step(12, "propose", {"proposal": "refuse"}), Step(11, "vote"), Step(9, "decide"))))
    _appeal(clock, AppealPlan(
        filed=5, grounds="De mentor heeft 8 jaar ervaring als ijzervlechter bij een vorige "
                         "werkgever; we voegen de attesten toe."),
        by=User.objects.get(username="demo-09200007"), application=application)


def _refusal_overturned() -> None:
    """A refusal (the hall was being renovated) overturned on appeal: the recognition runs
    from the committee's decision."""
    clock = _Clock()
    application = _build(_case(
        "09200008", "Podiumbouw Verhoeven", "Zaal Leuven", "Vaartstraat 61", "3000", "Leuven",
        "VBR", "200", "podiumtechnieken-duaal", ("Kris", "Verhoeven", "800909"),
        (Step(92, "submit"), Step(91, "assign"), Step(91, "mark_complete"),
         Step(89, "confirm"),
         Step(87, "visit", {"findings": "De zaal is in verbouwing: er is geen podium en geen "
                                        "lichtbrug om mee te werken."}))))
    with clock.on(84):
        application.refresh_from_db()
        backoffice.propose(
            actor=_handler_of(application), application_id=application.pk,
            version=application.version, proposal="refuse",
            reasons="De infrastructuur past niet bij het opleidingsplan: door de verbouwing is "
                    "er geen podium en geen lichtbrug waarop de leerling kan werken.")
    with clock.on(80):
        application.refresh_from_db()
        application = _apply(Step(80, "decide"), None, None, None, None, None, application)
    _appeal(clock, AppealPlan(
        filed=74, grounds="De verbouwing is klaar sinds vorige week; we voegen foto's van het "
                          "podium en de lichtbrug toe.",
        admissibility=70, admissibility_reasons="Tijdig ingediend door de onderneming.",
        hearing=60, notes="De foto's en het proces-verbaal van oplevering tonen een volledig "
                          "uitgeruste zaal.",
        decided=56, overturn=True,
        reasons="De infrastructuur past nu bij het opleidingsplan. De weigering wordt "
                "vernietigd: de werkplek wordt erkend."),
        by=User.objects.get(username="demo-09200008"), application=application)


# --- the scenarios -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scenario:
    title: str
    build: Callable[[], None]
    exists: Callable[[], bool]


def _demo_has(programme_code: str) -> Callable[[], bool]:
    def exists() -> bool:
        return Recognition.objects.filter(enterprise__enterprise_number=DEMO_ENTERPRISE_NUMBER,
                                          unit__unit_number=DEMO_UNIT_NUMBER,
                                          programme__code=programme_code).exists()
    return exists


def _enterprise_exists(first_eight: str) -> Callable[[], bool]:
    def exists() -> bool:
        return Enterprise.objects.filter(enterprise_number=_with_check(first_eight)).exists()
    return exists


SCENARIOS = (
    Scenario("demo enterprise: active, two mentors, support action met", _demo_active,
             _demo_has("dakwerker-duaal")),
    Scenario("demo enterprise: expired", _demo_expired, _demo_has("bouwplaatsmachinist-duaal")),
    Scenario("demo enterprise: renewed, with its successor", _demo_renewed,
             _demo_has("afwerking-bouw-duaal")),
    Scenario("demo enterprise: expiring, reminded, support action answered", _demo_expiring,
             _demo_has("ruwbouw-duaal")),
    Scenario("demo enterprise: support action open", _demo_support_open,
             _demo_has("dekvloerlegger-en-tegelzetter-duaal")),
    Scenario("demo enterprise: support action not met, ready for a sanction",
             _demo_support_failed, _demo_has("ijzervlechter-en-bekister-betonneerder-duaal")),
    Scenario("withdrawal, appeal upheld", _withdrawn_upheld, _enterprise_exists("09200001")),
    Scenario("temporary exclusion of the enterprise, appeal admissible",
             _excluded_admissible, _enterprise_exists("09200002")),
    Scenario("definitive exclusion of a unit, late appeal inadmissible",
             _unit_excluded_late_appeal, _enterprise_exists("09200003")),
    Scenario("mentor ban with a replacement mentor", _mentor_ban_replaced,
             _enterprise_exists("09200004")),
    Scenario("mentor ban that ended an agreement", _mentor_ban_ended,
             _enterprise_exists("09200005")),
    Scenario("withdrawal overturned on appeal", _withdrawn_overturned,
             _enterprise_exists("09200006")),
    Scenario("refusal under appeal", _refusal_filed, _enterprise_exists("09200007")),
    Scenario("refusal overturned on appeal", _refusal_overturned,
             _enterprise_exists("09200008")),
)


def _counts(queryset, field: str) -> dict[str, int]:
    return {row[field]: row["n"] for row in
            queryset.values(field).annotate(n=Count("pk")).order_by(field)}


def summary() -> dict[str, dict[str, int]]:
    """How many recognitions, support actions, sanctions, appeals and agreements there are per
    state (sanctions also per kind), and how many letters of sanctions and appeals are
    rendered."""
    from werkplek.appeals.models import Appeal
    from werkplek.notices.models import Letter

    letters = Letter.objects.filter(application__isnull=True)
    return {
        "recognitions": _counts(Recognition.objects.all(), "state"),
        "support_actions": _counts(SupportAction.objects.all(), "state"),
        "sanctions": _counts(Sanction.objects.all(), "kind"),
        "sanction_states": _counts(Sanction.objects.all(), "state"),
        "appeals": _counts(Appeal.objects.all(), "state"),
        "agreements": _counts(Agreement.objects.all(), "state"),
        "letters": {"rendered": letters.exclude(file="").count(),
                    "not rendered": letters.filter(file="").count()},
    }


def load_demo_recognitions() -> dict:
    """Build the demo scenarios that do not exist yet, each in one transaction. Returns how many
    were built, how many there are, the problems of those that could not be built (for example
    an application of the demo enterprise already open for the same programme), and the
    summary per state."""
    if not User.objects.filter(username="behandelaar-bouw").exists():
        raise RuntimeError("Load the demo data first: manage.py load_demo_data")
    built, problems = 0, []
    for scenario in SCENARIOS:
        if scenario.exists():
            continue
        try:
            with transaction.atomic():
                scenario.build()
        except ValidationError as error:
            problems.append(f"{scenario.title}: {'; '.join(error.messages)}")
            continue
        built += 1
    return {"built": built, "scenarios": len(SCENARIOS), "problems": problems, **summary()}
