"""Demo data: one account per role, a demo enterprise with two establishment units and two
mentors. Loaded by `manage.py load_demo_data` (idempotent); never in production."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction

from werkplek.catalog.models import JointCommittee, Partnership, Province, TrainingProvider
from werkplek.core.identifiers import parse_national_number
from werkplek.enterprises.models import Enterprise, EstablishmentUnit, Mentor

from .models import Membership, Role, User

DEMO_ENTERPRISE_NUMBER = "0412345614"
DEMO_UNITS = [
    # unit number, name, street, postal code, municipality, province, joint committee
    ("2123456791", "Werf en atelier Gent", "Industrieweg 12", "9000", "Gent", "VOV", "124"),
    ("2123456890", "Kantoor Antwerpen", "Meir 45", "2000", "Antwerpen", "VAN", "200"),
]
DEMO_TRAINING_DATE = date(2024, 3, 1)
DEMO_MENTORS = [
    # first name, last name, national number, years of experience, trained
    ("Jan", "Peeters", "80051412308", 20, True),
    ("Lotte", "Janssens", "02031004637", 4, False),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str
    organisation: str = ""  # partnership code, training provider code, or "" for the enterprise
    national_number: str = ""


DEMO_ACCOUNTS = [
    DemoAccount("vertegenwoordiger", "Veerle", "Vertegenwoordiger", Role.REPRESENTATIVE,
                national_number="75010200760"),
    DemoAccount("werkgever", "Wim", "Werkgever", Role.EMPLOYER, national_number="88092315497"),
    DemoAccount("trajectbegeleider", "Tine", "Trajectbegeleider", Role.COACH, "@first-provider",
                national_number="91061123629"),
    DemoAccount("behandelaar-bouw", "Bart", "Behandelaar", Role.HANDLER, "bouw"),
    DemoAccount("behandelaar-vpdl", "Vera", "Behandelaar", Role.HANDLER, "vpdl"),
    DemoAccount("stemgerechtigde", "Stijn", "Stemgerechtigde", Role.VOTER, "bouw"),
    DemoAccount("beroepscommissie", "Bea", "Beroepscommissie", Role.APPEAL_COMMITTEE),
    DemoAccount("beheer", "Bram", "Beheerder", Role.ADMINISTRATOR),
]


def _demo_training_provider() -> TrainingProvider:
    provider = (TrainingProvider.objects.filter(province__code="VOV").order_by("code").first()
                or TrainingProvider.objects.order_by("code").first())
    if provider is None:
        raise RuntimeError("Load the reference data first: manage.py load_reference_data")
    return provider


@transaction.atomic
def load_demo_data() -> dict[str, int]:
    """Create or update the demo records; running it twice changes nothing."""
    enterprise, _ = Enterprise.objects.update_or_create(
        enterprise_number=DEMO_ENTERPRISE_NUMBER,
        defaults={"name": "Bouwbedrijf De Zwaluw NV", "email": "info@dezwaluw.example",
                  "phone": "+32 9 123 45 67", "language": "nl"},
    )
    for number, name, street, postal, municipality, province, committee in DEMO_UNITS:
        EstablishmentUnit.objects.update_or_create(
            unit_number=number,
            defaults={
                "enterprise": enterprise, "name": name, "street": street, "postal_code": postal,
                "municipality": municipality,
                "province": Province.objects.get(code=province),
                "joint_committee": JointCommittee.objects.get(number=committee),
            },
        )
    for first, last, national_number, years, trained in DEMO_MENTORS:
        parsed = parse_national_number(national_number)
        mentor = Mentor(enterprise=enterprise)
        mentor.set_national_number(parsed.compact, parsed.birth_date)
        Mentor.objects.update_or_create(
            enterprise=enterprise, national_number_hash=mentor.national_number_hash,
            defaults={
                "first_name": first, "last_name": last,
                "birth_date": parsed.birth_date, "years_of_experience": years,
                "mentor_training_completed_on": DEMO_TRAINING_DATE if trained else None,
                "email": f"{first.lower()}.{last.lower()}@dezwaluw.example",
            },
            # The ciphertext differs on every encryption: only written when the mentor is new.
            create_defaults={
                "first_name": first, "last_name": last,
                "national_number_encrypted": mentor.national_number_encrypted,
                "birth_date": parsed.birth_date, "years_of_experience": years,
                "mentor_training_completed_on": DEMO_TRAINING_DATE if trained else None,
                "email": f"{first.lower()}.{last.lower()}@dezwaluw.example",
            },
        )

    provider = _demo_training_provider()
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User(username=account.username)
            user.set_password(settings.DEMO_PASSWORD)
        user.first_name, user.last_name = account.first_name, account.last_name
        user.email = f"{account.username}@werkplek.example"
        user.is_staff = user.is_superuser = account.role == Role.ADMINISTRATOR
        if account.national_number and not user.national_number_encrypted:
            user.set_national_number(parse_national_number(account.national_number).compact)
        user.save()
        organisation: dict = {}
        if account.role in (Role.REPRESENTATIVE, Role.EMPLOYER):
            organisation = {"enterprise": enterprise}
        elif account.role == Role.COACH:
            organisation = {"training_provider": provider}
        elif account.role in (Role.HANDLER, Role.VOTER):
            organisation = {"partnership": Partnership.objects.get(code=account.organisation)}
        Membership.objects.update_or_create(
            user=user, role=account.role, **organisation, defaults={"is_active": True}
        )
    return {
        "accounts": len(DEMO_ACCOUNTS),
        "units": len(DEMO_UNITS),
        "mentors": len(DEMO_MENTORS),
    }
