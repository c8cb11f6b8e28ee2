"""Demo casework: enterprises whose applications stand at every step of the procedure, so that
the queues, the case page, the vote and the statistics have something to show in `make run`.

Every case is built through the real services (submission, completeness check, investigation,
proposal, vote, decision, letter), at moments in the past: the clock is set back while each step
runs, so timelines, deadlines, recognitions, letters and statistics agree with each other.
Loaded by `manage.py load_demo_cases` after `load_demo_data`; idempotent (a case whose enterprise
exists is skipped). Never in production, and never in the tests' database."""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from werkplek.accounts.models import Membership, Role, User
from werkplek.catalog.models import JointCommittee, Programme, Province
from werkplek.enterprises.models import Enterprise, EstablishmentUnit, Mentor

from . import backoffice, services
from .models import Application, ApplicationMentor, Document

BRUSSELS = ZoneInfo("Europe/Brussels")
# A minimal PDF standing in for the scanned documents of the demo.
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@dataclass(frozen=True)
class Step:
    """One thing that happens to a case, `day` days before today."""

    day: int
    action: str
    args: dict = field(default_factory=dict)


@dataclass(frozen=True)
class DemoCase:
    enterprise_number: str  # first eight digits; the check digits are computed
    name: str
    unit_name: str
    street: str
    postal_code: str
    municipality: str
    province: str
    joint_committee: str
    programme: str
    mentor: tuple[str, str, str]  # first name, last name, birth date YYMMDD
    steps: tuple[Step, ...]


def _with_check(first_eight: str) -> str:
    return f"{first_eight}{97 - int(first_eight) % 97:02d}"


def _national_number(born: str, counter: int) -> str:
    nine = f"{born}{counter:03d}"
    return f"{nine}{97 - int(nine) % 97:02d}"


APPROVE_REASONS = ("De werkplek biedt alle activiteiten van het opleidingsprogramma aan, de "
                   "infrastructuur is geschikt en de mentor voldoet aan de voorwaarden.")
REFUSE_REASONS = ("De enige voorgedragen mentor kan niet worden bevestigd: de aangetoonde "
                  "ervaring betreft een ander beroep. Er is geen andere mentor voorgedragen.")

CASES = (
    DemoCase("09100001", "Dakwerken Vermeulen BV", "Atelier Gentbrugge", "Brusselsesteenweg 310",
             "9050", "Gent", "VOV", "124", "dakwerker-duaal", ("Koen", "Vermeulen", "790412"),
             (Step(1, "submit"),)),
    DemoCase("09100002", "Aannemer Claes NV", "Werfkantoor Brugge", "Kolvestraat 8", "8000",
             "Brugge", "VWV", "124", "ruwbouw-duaal", ("Els", "Claes", "830926"),
             (Step(12, "submit"), Step(11, "assign"), Step(11, "mark_complete"),
              Step(5, "visit", {"findings": "Werf bezocht: valbeveiliging en stelling in orde; "
                                            "de mentor toonde het opleidingsplan."}))),
    DemoCase("09100003", "Renovatie Wouters BV", "Magazijn Leuven", "Vaartkom 21", "3000",
             "Leuven", "VBR", "124", "afwerking-bouw-duaal", ("Pieter", "Wouters", "850117"),
             (Step(8, "submit"), Step(4, "request_completion",
                                      {"message": "Het uittreksel uit het strafregister van de "
                                                  "mentor is onleesbaar: voeg een nieuwe scan "
                                                  "toe."}))),
    DemoCase("09100004", "Bouwbedrijf Maes", "Werkplaats Hasselt", "Kempische Steenweg 90",
             "3500", "Hasselt", "VLI", "124", "dekvloerlegger-en-tegelzetter-duaal",
             ("Sofie", "Maes", "820603"),
             (Step(10, "submit"), Step(9, "assign"), Step(9, "mark_complete"),
              Step(6, "confirm"), Step(3, "propose", {"proposal": "approve"}))),
    DemoCase("09100005", "Schrijnwerk Jacobs", "Atelier Kortrijk", "Gentsesteenweg 55",
             "8500", "Kortrijk", "VWV", "124", "decoratie-en-schilderwerken-duaal",
             ("Tom", "Jacobs", "770228"),
             (Step(75, "submit"), Step(73, "request_completion",
                                       {"message": "Voeg de ondertekende verklaring op eer "
                                                   "opnieuw toe: de handtekening ontbreekt."}),
              Step(67, "complete"), Step(66, "assign"), Step(66, "mark_complete"),
              Step(64, "visit", {"findings": "Atelier en spuitcabine bezocht; in orde."}),
              Step(63, "confirm"), Step(62, "propose", {"proposal": "approve"}),
              Step(61, "vote"), Step(60, "decide"))),
    DemoCase("09100006", "Gevelwerken Peeters", "Loods Aalst", "Dendermondsesteenweg 140",
             "9300", "Aalst", "VOV", "124", "ijzervlechter-en-bekister-betonneerder-duaal",
             ("Ruben", "Peeters", "910802"),
             (Step(40, "submit"), Step(39, "assign"), Step(39, "mark_complete"),
              Step(30, "reject"), Step(28, "propose", {"proposal": "refuse"}),
              Step(27, "vote"), Step(24, "decide"))),
    DemoCase("09100007", "Bouw Janssens", "Depot Mechelen", "Liersesteenweg 77", "2800",
             "Mechelen", "VAN", "124", "bouwplaatsmachinist-duaal", ("Hilde", "Janssens",
                                                                     "800101"),
             (Step(17, "submit"), Step(16, "mark_complete"))),
    DemoCase("09100008", "Dakwerken Mertens", "Atelier Genk", "Europalaan 12", "3600", "Genk",
             "VLI", "124", "dakwerker-duaal", ("Jef", "Mertens", "760715"),
             (Step(50, "submit"), Step(48, "request_completion",
                                       {"message": "Voeg het attest van de mentoropleiding "
                                                   "toe."}), Step(17, "lapse"))),
    DemoCase("09100009", "Kapsalon Lena", "Salon Antwerpen", "Nationalestraat 30", "2000",
             "Antwerpen", "VAN", "200", "kapper-stylist-duaal", ("Lena", "Willems", "880321"),
             (Step(2, "submit"),)),
    DemoCase("09100010", "Podiumtechniek Vlaanderen vzw", "Zaal Gent", "Sint-Pietersnieuwstraat "
             "23", "9000", "Gent", "VOV", "200", "podiumtechnieken-duaal",
             ("Ward", "De Smet", "810509"),
             (Step(100, "submit"), Step(99, "assign"), Step(98, "mark_complete"),
              Step(96, "confirm"), Step(95, "propose", {"proposal": "approve"}),
              Step(93, "decide"))),
)


@contextmanager
def _on(day: int, hour: int):
    """Run what follows as if it were `day` days ago at `hour` o'clock in Brussels."""
    today = timezone.localdate()
    moment = datetime.combine(today - timedelta(days=day), time(hour), tzinfo=BRUSSELS)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def _handler(application: Application) -> User:
    return backoffice.handlers_of(application.partnership_id).first()


def _voters(application: Application):
    return list(backoffice.voters_of(application.partnership_id))


def _representative(case: DemoCase, enterprise: Enterprise) -> User:
    username = "demo-" + case.enterprise_number
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": case.mentor[0], "last_name": case.mentor[1],
                  "email": f"{username}@werkplek.example", "preferred_language": "nl"})
    if created:
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, role=Role.REPRESENTATIVE, enterprise=enterprise)
    return user


def _build(case: DemoCase) -> Application:
    enterprise = Enterprise.objects.create(
        enterprise_number=_with_check(case.enterprise_number), name=case.name, language="nl",
        email=f"info@{case.enterprise_number}.example")
    unit = EstablishmentUnit.objects.create(
        enterprise=enterprise, unit_number=_with_check("29" + case.enterprise_number[2:]),
        name=case.unit_name, street=case.street, postal_code=case.postal_code,
        municipality=case.municipality, province=Province.objects.get(code=case.province),
        joint_committee=JointCommittee.objects.get(number=case.joint_committee))
    first, last, born = case.mentor
    mentor = Mentor(enterprise=enterprise, first_name=first, last_name=last,
                    years_of_experience=15,
                    email=f"{first.lower()}@{case.enterprise_number}.example")
    from werkplek.core.identifiers import parse_national_number

    parsed = parse_national_number(_national_number(born, 100 + int(case.enterprise_number[-2:])))
    mentor.set_national_number(parsed.compact, parsed.birth_date)
    mentor.mentor_training_completed_on = timezone.localdate() - timedelta(days=400)
    mentor.save()
    applicant = _representative(case, enterprise)
    programme = Programme.objects.get(code=case.programme)
    application = None
    for step in case.steps:
        with _on(step.day, 10 + case.steps.index(step) % 6):
            application = _apply(step, case, applicant, unit, programme, mentor, application)
    return application


def _apply(step: Step, case: DemoCase, applicant, unit, programme, mentor, application):
    if step.action == "submit":
        draft = services.create_draft(actor=applicant, enterprise=unit.enterprise)
        services.save_unit(actor=applicant, application=draft, unit=unit)
        services.save_programme(actor=applicant, application=draft, programme=programme,
                                activities_offered=list(range(len(programme.activities or []))))
        services.save_workplace(actor=applicant, application=draft, financial_capacity=True,
                                has_convictions=False, infrastructure_fits=True)
        entry = ApplicationMentor.objects.create(
            application=draft, mentor=mentor, years_of_experience=mentor.years_of_experience,
            training=ApplicationMentor.Training.DONE)
        for kind, who in ((Document.Kind.CRIMINAL_RECORD_EXTRACT, entry),
                          (Document.Kind.DECLARATION_ON_HONOUR, None)):
            document = Document(application=draft, kind=kind, mentor=who,
                                original_name=f"{kind}.pdf", content_type="application/pdf",
                                size=len(DEMO_PDF), sha256="0" * 64, uploaded_by=applicant)
            document.file.save(f"{kind}.pdf", ContentFile(DEMO_PDF), save=False)
            document.save()
        return services.submit(actor=applicant, application_id=draft.pk)
    application.refresh_from_db()
    handler = _handler(application)
    pk = application.pk
    if step.action == "assign":
        return backoffice.assign(actor=handler, application_id=pk)
    if step.action == "mark_complete":
        return backoffice.mark_complete(actor=handler, application_id=pk)
    if step.action == "request_completion":
        return backoffice.request_completion(actor=handler, application_id=pk,
                                             message=step.args["message"],
                                             sections=["mentors", "declaration"])
    if step.action == "complete":
        return backoffice.complete(actor=applicant, application_id=pk)
    if step.action == "lapse":
        backoffice.lapse_overdue()
        return application
    if step.action == "visit":
        backoffice.record_investigation(
            actor=handler, application_id=pk, kind="site_visit", on=timezone.localdate(),
            participants=f"{mentor.full_name} (mentor), {handler.get_full_name()}",
            findings=step.args["findings"])
        return application
    if step.action in ("confirm", "reject"):
        entry = application.mentors.get()
        backoffice.check_mentor(
            actor=handler, application_id=pk, entry_id=entry.pk,
            result="confirmed" if step.action == "confirm" else "rejected",
            reason="" if step.action == "confirm" else
            "De aangetoonde ervaring betreft metselwerk, niet het ijzervlechten en bekisten.")
        return application
    if step.action == "propose":
        approve = step.args["proposal"] == "approve"
        return backoffice.propose(actor=handler, application_id=pk, version=application.version,
                                  proposal=step.args["proposal"],
                                  reasons=APPROVE_REASONS if approve else REFUSE_REASONS)
    if step.action == "vote":
        for voter in _voters(application):
            application.refresh_from_db()
            if application.vote_closed_at:
                break
            backoffice.cast_vote(actor=voter, application_id=pk, in_favour=True)
        return application
    if step.action == "decide":
        application = backoffice.decide(actor=handler, application_id=pk,
                                        version=application.version,
                                        reasons=application.proposal_reasons)
        _render_letters(application)
        return application
    raise ValueError(f"Unknown demo step {step.action!r}")


def _render_letters(application: Application) -> None:
    """Render the decision letter now, on the day of the decision (the worker would date it
    today); its e-mails are sent by the worker."""
    from werkplek.notices.models import Letter
    from werkplek.notices.tasks import prepare_letter

    for letter in Letter.objects.filter(application=application):
        prepare_letter.call(letter.pk)


def load_demo_cases() -> dict[str, int]:
    """Build the demo cases that do not exist yet."""
    if not User.objects.filter(username="behandelaar-bouw").exists():
        raise RuntimeError("Load the demo data first: manage.py load_demo_data")
    built = 0
    for case in CASES:
        if Enterprise.objects.filter(
                enterprise_number=_with_check(case.enterprise_number)).exists():
            continue
        _build(case)
        built += 1
    return {"built": built, "cases": len(CASES)}
