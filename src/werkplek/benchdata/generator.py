"""Data at the scale of the Netherlands' register (DOMAIN.md) for the load benchmarks.

At `scale=1`: 250,000 enterprises with 400,000 establishment units and 600,000 mentors;
1,000,000 recognitions over twenty years (about 300,000 active today, the rest renewed, expired,
withdrawn or ended by an exclusion, each withdrawal or exclusion with the finding, the failed
support action and the sanction behind it); 300,000 applications of the last five years in every
state with their timelines, mentors and votes (every approved one is the application of a
recognition); 150,000 agreements with their learners and timelines; the users who did all that
(a representative per enterprise, case handlers and voting members per partnership, learner
coaches per training provider) and the coaches' mandates.

The data is internally consistent: routing by the real rules, one active recognition and one
open application per unit and programme, renewals continuing their predecessor without a gap,
reminders already sent where their day has passed (only today's are due), agreements within
their recognition's period and within the mentors' cap. Documents are not generated (no files):
the pages measured read their rows, not their files.

Deterministic: the same seed, scale and day give the same rows. Rows are written with `COPY` on
PostgreSQL (`writer.Writer`)."""

from __future__ import annotations

import logging
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from werkplek.accounts.models import Membership, Role, User
from werkplek.agreements.models import Agreement, AgreementEvent, Learner
from werkplek.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationMentor,
    ReferenceSequence,
    Vote,
)
from werkplek.catalog.models import (
    JointCommittee,
    Partnership,
    PostalCode,
    Programme,
    TrainingProvider,
)
from werkplek.catalog.selectors import route
from werkplek.core import personal_data
from werkplek.core.deadlines import (
    DECISION_DAYS,
    expiry_reminder_day,
    months_before,
    recognition_validity,
)
from werkplek.enterprises.models import Enterprise, EstablishmentUnit, Mandate, Mentor
from werkplek.recognitions.models import (
    Counter,
    Finding,
    Recognition,
    RecognitionEvent,
    RecognitionMentor,
    Sanction,
    SupportAction,
)

from .writer import Writer, next_id

logger = logging.getLogger(__name__)
BRUSSELS = ZoneInfo("Europe/Brussels")

# The full scale (scale=1).
FULL = {"enterprises": 250_000, "units": 400_000, "mentors": 600_000,
        "recognitions": 1_000_000, "applications": 300_000, "agreements": 150_000}

# Where the units are: the Flemish provinces and Brussels by population, a few elsewhere.
PROVINCE_WEIGHTS = {"VAN": 19, "VOV": 16, "VWV": 12, "VBR": 12, "VLI": 9, "BRU": 3,
                    "WHT": 0.3, "WBR": 0.2, "WLG": 0.2, "WNA": 0.1, "WLX": 0.1}
# The end state of a line of recognitions (a unit and a programme over the years).
LINE_ENDS = (("active", 0.52), ("expired", 0.40), ("withdrawn", 0.06), ("excluded", 0.02))
# The state of an application of the last five years.
APPLICATION_STATES = (
    ("approved", 0.56), ("refused", 0.08), ("withdrawn", 0.08), ("lapsed", 0.04),
    ("draft", 0.20), ("submitted", 0.012), ("in_progress", 0.012), ("waiting", 0.005),
    ("proposed", 0.006),
)
AGREEMENT_STATES = (("active", 0.55), ("ended", 0.30), ("ended_early", 0.10), ("draft", 0.05))

FAMILY = (
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
    "DeSmet", "Dubois", "Lambert", "Dupont", "Martens", "Vermeulen", "Pauwels", "Hermans", "Aerts",
    "Cools", "Verstraete", "Michiels", "Smets", "Coppens", "Lemmens", "Desmet", "Wuyts",
    "DeClercq", "Stevens", "Leclercq", "Declercq", "Segers", "Bogaert", "Verhoeven", "VanDamme",
    "Vandenberghe", "Engels", "Mahieu", "Hendrickx", "Dewulf", "Lenaerts", "Thys", "Baert",
    "Verbeke", "Claeys", "VanDeVelde", "Geerts", "Nys", "Bosmans", "Moens", "Dierckx"
)
FIRST = (
    "Jan", "Marie", "Tom", "An", "Pieter", "Els", "Koen", "Sofie", "Bart", "Lies", "Wim",
    "Katrien", "Dirk", "Ann", "Stijn", "Sarah", "Geert", "Nele", "Kris", "Eva", "Joris", "Lotte",
    "Bram", "Hanne", "Wout", "Lien", "Jonas", "Fien", "Thomas", "Emma", "Lucas", "Noor", "Arne",
    "Julie", "Ruben", "Lore", "Senne", "Amber", "Mohamed", "Yasmine", "Kevin", "Charlotte", "Jens",
    "Femke"
)
TRADES = (
    "Bouwbedrijf", "Bakkerij", "Garage", "Kapsalon", "Restaurant", "Schrijnwerkerij", "Elektro",
    "Transport", "Zorgcentrum", "Drukkerij", "Slagerij", "Brasserie", "Dakwerken", "Loodgieterij",
    "Schilderwerken", "Installatietechniek", "Metaalbouw", "Houtbewerking", "Logistiek",
    "Carrosserie", "Tuinaanleg", "Wasserij", "Hotel", "Apotheek", "Supermarkt", "Keukens",
    "Verwarming", "Sanitair", "Interieur"
)
FORMS = ("NV", "BV", "BV", "BV", "VOF", "CommV", "")
STREETS = (
    "Kerkstraat", "Stationsstraat", "Dorpsstraat", "Molenstraat", "Nieuwstraat", "Schoolstraat",
    "Industrieweg", "Kouter", "Markt", "Steenweg", "Ambachtenlaan", "Lindelaan", "Kapelstraat",
    "Veldstraat", "Hoogstraat", "Bosstraat", "Beekstraat", "Zuidlaan", "Noordlaan", "Havenlaan",
    "Bedrijvenlaan"
)


def _weighted(rng: random.Random, choices: tuple[tuple[str, float], ...]) -> str:
    names = [name for name, _weight in choices]
    weights = [weight for _name, weight in choices]
    return rng.choices(names, weights)[0]


def _mod97(base: int, width: int, prefix: str = "") -> str:
    check = 97 - int(prefix + f"{base:0{width}d}") % 97
    return f"{base:0{width}d}{check:02d}"


def enterprise_number(index: int) -> str:
    """A valid enterprise number (starting 0 or 1) for the `index`-th generated enterprise,
    in a range the demo data does not use."""
    return _mod97(15_000_000 + index, 8)


def unit_number(index: int) -> str:
    return _mod97(70_000_000 + index, 8)


def national_number(birth: date, serial: int) -> str:
    first = f"{birth:%y%m%d}{serial:03d}"
    return first + f"{97 - int(('2' if birth.year >= 2000 else '') + first) % 97:02d}"


def _years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _moment(day: date, rng: random.Random, start: int = 8, end: int = 17) -> datetime:
    return datetime.combine(day, time(rng.randrange(start, end), rng.randrange(60),
                                      rng.randrange(60)), tzinfo=BRUSSELS)


@dataclass
class Line:
    """A unit and programme with the recognitions granted to it over the years."""

    unit: int
    programme: int
    partnership: int
    enterprise: int
    end: str
    records: list = field(default_factory=list)  # [valid_from, valid_until, state, ended_on]


@dataclass
class Plan:
    seed: int
    scale: float
    today: date
    counts: dict = field(default_factory=dict)


class Generator:
    def __init__(self, *, scale: float = 1.0, seed: int = 2026, today: date | None = None,
                 log=print) -> None:
        from django.utils import timezone

        self.scale = scale
        self.seed = seed
        self.today = today or timezone.localdate()
        self.rng = random.Random(seed)  # noqa: S311 (test data)
        self.log = log
        self.writer = Writer()
        self.sizes = {key: max(1, round(value * scale)) for key, value in FULL.items()}

    # --- the whole run -------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        if Enterprise.objects.filter(enterprise_number=enterprise_number(0)).exists():
            raise RuntimeError("This database already holds generated data: use a new one.")
        with transaction.atomic():
            if connection.vendor == "postgresql":
                self._fast_copy()
            self._reference()
            self._staff()
            self._enterprises()
            self._mentors()
            self._recognitions()
            self._applications()
            self._write_recognitions()
            self._write_applications()
            self._mandates()
            self._agreements()
            self.writer.reset_sequences()
        self.log("analyze")
        self.writer.analyze()
        return self.writer.counts

    @staticmethod
    def _fast_copy() -> None:
        """The rows are consistent by construction and the whole load is one transaction: as a
        superuser, skip the foreign-key triggers while copying, and don't wait for the disk."""
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL session_replication_role = replica")

    # --- reference data ------------------------------------------------------------------------

    def _reference(self) -> None:
        self.partnerships = {p.pk: p for p in Partnership.objects.order_by("pk")}
        if not self.partnerships:
            raise RuntimeError("Load the reference data first (load_reference_data).")
        self.programmes = list(Programme.objects.filter(is_active=True).select_related("sector")
                               .order_by("pk"))
        self.committees = list(JointCommittee.objects.select_related("sector").order_by("pk"))
        self.committee_sector = {c.pk: c.sector_id for c in self.committees}
        by_province = defaultdict(list)
        for code, place, municipality, province_id, province_code in (
                PostalCode.objects.filter(municipality__province__isnull=False)
                .order_by("pk").values_list("code", "place_name", "municipality__name_nl",
                                            "municipality__province_id",
                                            "municipality__province__code")):
            by_province[province_code].append((code, place or municipality, province_id))
        self.places = by_province
        self.province_codes = [code for code in PROVINCE_WEIGHTS if by_province.get(code)]
        self.province_weights = [PROVINCE_WEIGHTS[code] for code in self.province_codes]
        # The competent partnership per joint committee and programme sector, by the rules.
        self.routing: dict[tuple[int | None, int], int] = {}
        for committee in [None, *self.committees]:
            for sector_code, sector_id in {(p.sector.code, p.sector_id) for p in self.programmes}:
                routing = route(joint_committee_number=committee.number if committee else None,
                                programme_sector_code=sector_code)
                self.routing[(committee.pk if committee else None, sector_id)] = \
                    routing.partnership.pk
        self.programmes_of_sector = defaultdict(list)
        for programme in self.programmes:
            self.programmes_of_sector[programme.sector_id].append(programme)
        providers = list(TrainingProvider.objects.prefetch_related("programmes").order_by("pk"))
        self.providers = [p.pk for p in providers]
        self.providers_of_programme = defaultdict(list)
        for provider in providers:
            for programme in provider.programmes.all():
                self.providers_of_programme[programme.pk].append(provider.pk)

    # --- users ---------------------------------------------------------------------------------

    def _user_rows(self, start: int, specs: list[tuple[str, str, str, str]]):
        joined = _moment(self.today - timedelta(days=2000), self.rng)
        for offset, (username, first, last, email) in enumerate(specs):
            yield (start + offset, "!bench", None, False, username, first, last, email, False,
                   True, joined, "", "", "nl")

    USER_FIELDS = ("id", "password", "last_login", "is_superuser", "username", "first_name",
                   "last_name", "email", "is_staff", "is_active", "date_joined",
                   "national_number_encrypted", "national_number_hash", "preferred_language")
    MEMBERSHIP_FIELDS = ("id", "user", "role", "enterprise", "training_provider", "partnership",
                         "granted_by", "is_active", "created_at")

    def _staff(self) -> None:
        """Case handlers and voting members per partnership, coaches per training provider."""
        self.log("staff")
        rng = self.rng
        user_id, membership_id = next_id(User), next_id(Membership)
        specs, memberships = [], []
        self.handlers: dict[int, list[int]] = defaultdict(list)
        self.voters: dict[int, list[int]] = defaultdict(list)
        self.coaches: dict[int, list[int]] = defaultdict(list)
        created = _moment(self.today - timedelta(days=1900), rng)
        for partnership in self.partnerships.values():
            many = 12 if partnership.kind == Partnership.Kind.FLEMISH else 5
            for number in range(1, max(2, round(many * max(self.scale, 0.2))) + 1):
                uid = user_id + len(specs)
                specs.append((f"bench-handler-{partnership.code}-{number}", rng.choice(FIRST),
                              rng.choice(FAMILY), f"handler{number}@{partnership.code}.bench"))
                memberships.append((membership_id + len(memberships), uid, Role.HANDLER, None,
                                    None, partnership.pk, None, True, created))
                self.handlers[partnership.pk].append(uid)
            if partnership.requires_vote:
                for number in range(1, 4):
                    uid = user_id + len(specs)
                    specs.append((f"bench-voter-{partnership.code}-{number}", rng.choice(FIRST),
                                  rng.choice(FAMILY), f"voter{number}@{partnership.code}.bench"))
                    memberships.append((membership_id + len(memberships), uid, Role.VOTER, None,
                                        None, partnership.pk, None, True, created))
                    self.voters[partnership.pk].append(uid)
        for provider in self.providers:
            for number in range(1, 4):
                uid = user_id + len(specs)
                specs.append((f"bench-coach-{provider}-{number}", rng.choice(FIRST),
                              rng.choice(FAMILY), f"coach{number}@provider{provider}.bench"))
                memberships.append((membership_id + len(memberships), uid, Role.COACH, None,
                                    provider, None, None, True, created))
                self.coaches[provider].append(uid)
        self.writer.insert(User, self.USER_FIELDS, self._user_rows(user_id, specs))
        self.writer.insert(Membership, self.MEMBERSHIP_FIELDS, memberships)
        self.next_user = user_id + len(specs)
        self.next_membership = membership_id + len(memberships)

    # --- enterprises, units, representatives, mentors ------------------------------------------

    def _enterprises(self) -> None:
        self.log("enterprises and units")
        rng = self.rng
        count, units = self.sizes["enterprises"], self.sizes["units"]
        first = next_id(Enterprise)
        self.enterprise_ids = list(range(first, first + count))
        self.enterprise_committee: dict[int, int] = {}
        self.representative: dict[int, int] = {}
        created_first = self.today - timedelta(days=3650)

        def enterprise_rows():
            for index, eid in enumerate(self.enterprise_ids):
                name = f"{rng.choice(TRADES)} {rng.choice(FAMILY)} {rng.choice(FORMS)}".strip()
                self.enterprise_committee[eid] = rng.choice(self.committees).pk
                yield (eid, enterprise_number(index), name, f"info{index}@onderneming.bench",
                       f"+32 9 {index % 1000:03d} {index % 100:02d} {index % 97:02d}",
                       "en" if rng.random() < 0.03 else "nl",
                       _moment(created_first + timedelta(days=rng.randrange(3600)), rng))

        self.writer.insert(Enterprise, ("id", "enterprise_number", "name", "email", "phone",
                                        "language", "created_at"), enterprise_rows())

        # One unit each, the rest to the larger enterprises (a few chains with many units).
        owners = list(self.enterprise_ids)
        for _ in range(units - count):
            owners.append(self.enterprise_ids[int(count * rng.random() ** 3)])
        owners.sort()
        first_unit = next_id(EstablishmentUnit)
        self.units: list[tuple[int, int, int]] = []  # (unit id, enterprise id, committee id)
        self.units_of: dict[int, list[int]] = defaultdict(list)
        self.unit_province: dict[int, int] = {}

        def unit_rows():
            for index, eid in enumerate(owners):
                uid = first_unit + index
                province = rng.choices(self.province_codes, self.province_weights)[0]
                postal_code, place, province_id = rng.choice(self.places[province])
                committee = self.enterprise_committee[eid]
                self.units.append((uid, eid, committee))
                self.units_of[eid].append(uid)
                self.unit_province[uid] = province_id
                yield (uid, eid, unit_number(index), f"Vestiging {place}",
                       f"{rng.choice(STREETS)} {rng.randrange(1, 250)}", postal_code, place,
                       province_id, committee)

        self.writer.insert(EstablishmentUnit, ("id", "enterprise", "unit_number", "name",
                                               "street", "postal_code", "municipality",
                                               "province", "joint_committee"), unit_rows())

        # A legal representative per enterprise.
        user_id, membership_id = self.next_user, self.next_membership
        specs = []
        for index, eid in enumerate(self.enterprise_ids):
            self.representative[eid] = user_id + index
            specs.append((f"bench-rep-{index}", rng.choice(FIRST), rng.choice(FAMILY),
                          f"rep{index}@onderneming.bench"))
        self.writer.insert(User, self.USER_FIELDS, self._user_rows(user_id, specs))
        created = _moment(created_first, rng)
        self.writer.insert(Membership, self.MEMBERSHIP_FIELDS, (
            (membership_id + index, user_id + index, Role.REPRESENTATIVE, eid, None, None, None,
             True, created) for index, eid in enumerate(self.enterprise_ids)))
        self.next_user = user_id + len(specs)
        self.next_membership = membership_id + len(specs)

    def _mentors(self) -> None:
        self.log("mentors")
        rng = self.rng
        count = self.sizes["mentors"]
        owners = list(self.enterprise_ids)
        unit_counts = [len(self.units_of[eid]) for eid in self.enterprise_ids]
        owners += rng.choices(self.enterprise_ids, unit_counts, k=max(0, count - len(owners)))
        owners.sort()
        first = next_id(Mentor)
        self.mentors_of: dict[int, list[int]] = defaultdict(list)
        self.mentor_trained: set[int] = set()
        first_of: dict[int, int] = {}
        serials: dict[date, int] = defaultdict(int)

        def rows():
            for index, eid in enumerate(owners):
                mid = first + index
                birth = date(1958, 1, 1) + timedelta(days=rng.randrange(365 * 42))
                serials[birth] += 1
                number = national_number(birth, serials[birth])
                first_of.setdefault(eid, mid)
                active = rng.random() < 0.95
                trained = None
                if rng.random() < 0.4:
                    trained = self.today - timedelta(days=rng.randrange(30, 3000))
                    self.mentor_trained.add(mid)
                if active:
                    self.mentors_of[eid].append(mid)
                yield (mid, eid, rng.choice(FIRST), rng.choice(FAMILY),
                       personal_data.encrypt(number), personal_data.lookup_hash(number), birth,
                       f"mentor{index}@onderneming.bench", rng.randrange(3, 30), trained, active)

        self.writer.insert(Mentor, ("id", "enterprise", "first_name", "last_name",
                                    "national_number_encrypted", "national_number_hash",
                                    "birth_date", "email", "years_of_experience",
                                    "mentor_training_completed_on", "is_active"), rows())
        for eid in self.enterprise_ids:  # every enterprise keeps at least one active mentor
            if not self.mentors_of[eid]:
                self.mentors_of[eid].append(first_of[eid])

    # --- recognitions --------------------------------------------------------------------------

    def _programme_for(self, committee: int) -> Programme:
        """Mostly a programme of the joint committee's sector, sometimes another."""
        sector = self.committee_sector.get(committee)
        if sector in self.programmes_of_sector and self.rng.random() < 0.8:
            return self.rng.choice(self.programmes_of_sector[sector])
        return self.rng.choice(self.programmes)

    def _recognitions(self) -> None:
        """Lines of recognitions per unit and programme, until the number asked is reached."""
        self.log("recognitions (planning)")
        rng, today = self.rng, self.today
        target = self.sizes["recognitions"]
        used: set[tuple[int, int]] = set()
        lines: list[Line] = []
        total = 0
        units = self.units
        while total < target:
            uid, eid, committee = units[rng.randrange(len(units))]
            programme = self._programme_for(committee)
            if (uid, programme.pk) in used:
                continue
            used.add((uid, programme.pk))
            partnership = self.routing.get((committee, programme.sector_id)) or \
                self.routing[(None, programme.sector_id)]
            line = Line(uid, programme.pk, partnership, eid, _weighted(rng, LINE_ENDS))
            length = 1
            while length < 4 and rng.random() < 0.4:
                length += 1
            length = min(length, target - total)
            # The last recognition of the line first, then back in time.
            if line.end == "active":
                start = today - timedelta(days=rng.randrange(0, 1826))
            else:
                start = today - timedelta(days=rng.randrange(400, 365 * 12))
            until = recognition_validity(start).day
            if line.end == "expired" and until >= today:
                # Its end has passed: move the line back so that it ended before today.
                start -= timedelta(days=(until - today).days + rng.randrange(1, 1800))
                until = recognition_validity(start).day
            records = []
            for position in range(length):
                state, ended = ("renewed", None) if position else (line.end, None)
                if position == 0 and line.end == "expired":
                    ended = until
                elif position == 0 and line.end in ("withdrawn", "excluded"):
                    last = min(until, today - timedelta(days=1))
                    ended = min(last, start + timedelta(
                        days=rng.randrange(30, max(31, (last - start).days))))
                records.append([start, until, state, ended])
                # The recognition it renewed ended the day before this one started.
                until = start - timedelta(days=1)
                start = _years_back(start, 5)
            records.reverse()  # oldest first
            line.records = records
            lines.append(line)
            total += length
        self.lines = lines
        self.pairs_used = used

    def _write_recognitions(self) -> None:
        self.log("recognitions")
        rng, today = self.rng, self.today
        first = next_id(Recognition)
        # Numbered in the order they were granted, as in real life.
        flat = []
        for line_index, line in enumerate(self.lines):
            for position, record in enumerate(line.records):
                flat.append((record[0], line_index, position))
        flat.sort()
        ids: dict[tuple[int, int], int] = {}
        for offset, (_start, line_index, position) in enumerate(flat):
            ids[(line_index, position)] = first + offset
        self.recognition_ids = ids
        # The approved applications planned for these recognitions.
        for key, app_id in self._approved_plans.items():
            self.application_of_recognition[ids[key]] = app_id
        sanction_plan = []
        rec_rows, mentor_rows, event_rows = [], [], []
        link_id, event_id = next_id(RecognitionMentor), next_id(RecognitionEvent)
        self.recognition_mentors: dict[int, list[int]] = {}
        first_sanction = next_id(Sanction)
        self.in_force: list[tuple] = []  # (rid, unit, programme, partnership, enterprise,
        #                                   valid_from, valid_until)
        self.ended: list[tuple] = []
        for _start, line_index, position in flat:
            line = self.lines[line_index]
            valid_from, valid_until, state, ended_on = line.records[position]
            rid = ids[(line_index, position)]
            previous = ids.get((line_index, position - 1)) if position else None
            handler = rng.choice(self.handlers[line.partnership])
            reminded_6m = reminded_2m = None
            if state == "active":
                for months in (6, 2):
                    day = expiry_reminder_day(valid_until, months)
                    if day < today:  # already sent; today's are left for the daily job
                        if months == 6:
                            reminded_6m = day
                        else:
                            reminded_2m = day
                if reminded_2m and not reminded_6m:
                    reminded_6m = reminded_2m
            elif state in ("renewed", "expired"):
                reminded_6m = months_before(valid_until, 6)
                reminded_2m = months_before(valid_until, 2)
            ended_by = None
            if state in ("withdrawn", "excluded"):
                ended_by = first_sanction + len(sanction_plan)
                sanction_plan.append((ended_by, rid, line, state, valid_from, ended_on, handler))
            granted = _moment(valid_from, rng)
            rec_rows.append((rid, line.enterprise, line.unit, line.programme, line.partnership,
                             self.application_of_recognition.get(rid), previous, state,
                             valid_from, valid_until, "recognition:5-years", ended_on, ended_by,
                             reminded_6m, reminded_2m, 1, granted, handler))
            pool = self.mentors_of[line.enterprise]
            chosen = rng.sample(pool, min(len(pool), 1 if rng.random() < 0.6 else 2))
            self.recognition_mentors[rid] = chosen
            for mid in chosen:
                mentor_rows.append((link_id, rid, mid, valid_from, True, None, "", None, "",
                                    None))
                link_id += 1
            event_rows.append((event_id, line.enterprise, rid, None, RecognitionEvent.Kind
                               .GRANTED if previous is None else RecognitionEvent.Kind.RENEWED,
                               handler, "", "active", "", {}, granted))
            event_id += 1
            for reminded, months in ((reminded_6m, 6), (reminded_2m, 2)):
                if reminded:
                    event_rows.append((event_id, line.enterprise, rid, None,
                                       RecognitionEvent.Kind.REMINDER, None, "", "", "",
                                       {"months": months, "valid_until": valid_until.isoformat()},
                                       _moment(reminded, rng, 6, 7)))
                    event_id += 1
            if state == "expired":
                event_rows.append((event_id, line.enterprise, rid, None,
                                   RecognitionEvent.Kind.EXPIRED, None, "active", "expired", "",
                                   {"valid_until": valid_until.isoformat(),
                                    "agreements_ended": 0},
                                   _moment(valid_until + timedelta(days=1), rng, 6, 7)))
                event_id += 1
            if state in ("active", "renewed") and valid_from <= today <= valid_until:
                self.in_force.append((rid, line.unit, line.programme, line.partnership,
                                      line.enterprise, valid_from, valid_until))
            elif valid_until < today or ended_on:
                self.ended.append((rid, line.unit, line.programme, line.partnership,
                                   line.enterprise, valid_from, ended_on or valid_until))
        self.writer.insert(Recognition, (
            "id", "enterprise", "unit", "programme", "partnership", "application", "previous",
            "state", "valid_from", "valid_until", "validity_rule", "ended_on", "ended_by",
            "reminded_6m_on", "reminded_2m_on", "version", "created_at", "created_by"),
            rec_rows)
        del rec_rows
        self.writer.insert(RecognitionMentor, (
            "id", "recognition", "mentor", "since", "is_active", "until", "end_reason",
            "years_of_experience", "training", "added_by"), mentor_rows)
        del mentor_rows
        self._sanctions(sanction_plan, event_rows, event_id)
        self.writer.insert(RecognitionEvent, (
            "id", "enterprise", "recognition", "sanction", "kind", "actor", "from_state",
            "to_state", "message", "data", "created_at"), event_rows)

    def _sanctions(self, plan, event_rows, event_id) -> None:
        """The finding, failed support action and sanction behind each withdrawal and
        exclusion."""
        rng = self.rng
        finding_id, action_id = next_id(Finding), next_id(SupportAction)
        findings, actions, sanctions = [], [], []
        per_year: dict[int, int] = defaultdict(int)
        for sid, rid, line, state, valid_from, ended_on, handler in sorted(
                plan, key=lambda item: item[5]):
            found_on = max(valid_from, ended_on - timedelta(days=rng.randrange(60, 120)))
            due_on = found_on + timedelta(days=30)
            findings.append((finding_id, rid, Finding.Kind.SITE_VISIT, found_on,
                             Finding.Outcome.NOT_MET, "infrastructure",
                             "De werkplek biedt de activiteiten niet meer aan.", handler,
                             _moment(found_on, rng)))
            actions.append((action_id, rid, finding_id,
                            "Zorg dat de leerling de activiteiten van de opleiding kan leren.",
                            due_on, SupportAction.State.FAILED, "", None, None,
                            "Niet verbeterd.", _moment(due_on + timedelta(days=3), rng), handler,
                            due_on, handler, _moment(found_on, rng)))
            per_year[ended_on.year] += 1
            kind = Sanction.Kind.WITHDRAWAL if state == "withdrawn" else Sanction.Kind.EXCLUSION
            sanctions.append((sid, f"S-{ended_on.year}-{per_year[ended_on.year]:06d}", kind,
                              line.enterprise, line.partnership, rid, action_id, None,
                              line.unit if kind == Sanction.Kind.EXCLUSION else None, None,
                              "De steunmaatregel leverde geen verbetering op.",
                              Sanction.State.IN_FORCE, {"recognitions": [rid]}, ended_on,
                              handler, _moment(ended_on, rng), None))
            event_rows.append((event_id, line.enterprise, rid, sid,
                               RecognitionEvent.Kind.WITHDRAWN if state == "withdrawn"
                               else RecognitionEvent.Kind.EXCLUDED, handler, "active", state,
                               "", {}, _moment(ended_on, rng)))
            event_id += 1
            finding_id += 1
            action_id += 1
        self.writer.insert(Finding, ("id", "recognition", "kind", "on", "outcome", "condition",
                                     "description", "recorded_by", "created_at"), findings)
        self.writer.insert(SupportAction, (
            "id", "recognition", "finding", "improvement", "due_on", "state", "answer",
            "answered_at", "answered_by", "follow_up", "followed_up_at", "followed_up_by",
            "follow_up_reminded_on", "created_by", "created_at"), actions)
        self.writer.insert(Sanction, (
            "id", "reference", "kind", "enterprise", "partnership", "recognition",
            "support_action", "mentor", "unit", "ends_on", "reasons", "state", "effects",
            "imposed_on", "imposed_by", "created_at", "lifted_at"), sanctions)
        Counter.objects.bulk_create(
            [Counter(key=f"S-{year}", last=last) for year, last in per_year.items()],
            update_conflicts=True, unique_fields=["key"], update_fields=["last"])

    # --- applications --------------------------------------------------------------------------

    def _applications(self) -> None:
        """Plan the applications of the last five years: the approved ones are those of the
        recognitions granted in that time; the others on other units and programmes."""
        self.log("applications (planning)")
        rng, today = self.rng, self.today
        target = self.sizes["applications"]
        since = today - timedelta(days=1826)
        states = [(name, weight) for name, weight in APPLICATION_STATES]
        wanted = {name: round(target * weight) for name, weight in states}
        wanted["approved"] = target - sum(v for k, v in wanted.items() if k != "approved")
        recent = [(line_index, position) for line_index, line in enumerate(self.lines)
                  for position, record in enumerate(line.records) if record[0] >= since]
        rng.shuffle(recent)
        plans = []  # (created day, state, line_index, position, unit, programme, enterprise)
        for line_index, position in recent[:wanted["approved"]]:
            line = self.lines[line_index]
            granted = line.records[position][0]
            plans.append((granted - timedelta(days=rng.randrange(3, 14 + 20)), "approved",
                          line_index, position, line.unit, line.programme, line.enterprise))
        wanted["draft"] += max(0, wanted["approved"] - len(plans))
        open_pairs: set[tuple[int, int]] = set()
        for state, number in wanted.items():
            if state == "approved":
                continue
            for _ in range(number):
                uid, eid, committee = self.units[rng.randrange(len(self.units))]
                programme = self._programme_for(committee).pk
                if state in ("submitted", "in_progress", "waiting", "proposed"):
                    while (uid, programme) in open_pairs:
                        uid, eid, committee = self.units[rng.randrange(len(self.units))]
                        programme = self._programme_for(committee).pk
                    open_pairs.add((uid, programme))
                    created = today - timedelta(days=rng.randrange(1, 13 if state != "waiting"
                                                                   else 40))
                elif state == "draft":
                    created = today - timedelta(days=int(365 * rng.random() ** 2))
                else:
                    created = since + timedelta(days=rng.randrange(1800))
                plans.append((created, state, None, None, uid, programme, eid))
        plans.sort(key=lambda plan: plan[0])
        first = next_id(Application)
        self.application_plans = [(first + offset, *plan) for offset, plan in enumerate(plans)]
        self.application_of_recognition: dict[int, int] = {}
        self._approved_plans = {}
        for app_id, _created, state, line_index, position, *_rest in self.application_plans:
            if state == "approved":
                self._approved_plans[(line_index, position)] = app_id

    def _write_applications(self) -> None:
        self.log("applications")
        rng = self.rng
        app_rows, mentor_rows, event_rows, vote_rows = [], [], [], []
        mentor_id, event_id, vote_id = (next_id(ApplicationMentor), next_id(ApplicationEvent),
                                        next_id(Vote))
        sequences: dict[int, int] = defaultdict(int)
        programmes = {p.pk: p for p in self.programmes}
        unit_committee = {uid: committee for uid, _eid, committee in self.units}
        mandated = self._mandated_enterprises()
        for app_id, created_day, state, line_index, position, uid, programme_id, eid in \
                self.application_plans:
            programme = programmes[programme_id]
            if line_index is not None:
                line = self.lines[line_index]
                partnership = line.partnership
                renews = self.recognition_ids.get((line_index, position - 1)) if position \
                    else None
                decided_day = line.records[position][0]
            else:
                partnership = self.routing.get((unit_committee[uid], programme.sector_id)) or \
                    self.routing[(None, programme.sector_id)]
                renews = None
                decided_day = None
            coach = None
            if eid in mandated and rng.random() < 0.5:
                coach = mandated[eid]
            author = coach or self.representative[eid]
            created = _moment(created_day, rng)
            events = [(ApplicationEvent.Kind.CREATED, author, "", "draft", created, {})]
            row = {
                "reference": None, "submitted_at": None, "submitted_by": None,
                "decision_deadline": None, "deadline_rule": "", "partnership": None,
                "routing_explanation": "", "paused_at": None, "paused_days": 0,
                "completion_due": None, "completion_sections": [], "assigned_to": None,
                "version": 1, "proposal": "", "proposal_reasons": "", "proposed_at": None,
                "proposed_by": None, "proposal_round": 0, "vote_outcome": "",
                "vote_closed_at": None, "decision": "", "decision_reasons": "",
                "decided_at": None, "decided_by": None,
            }
            activities = list(range(len(programme.activities or [])))
            filled = state != "draft" or rng.random() < 0.5
            moment = created
            if state != "draft":
                submitted = created + timedelta(hours=rng.randrange(1, 72))
                if decided_day is not None:
                    submitted = min(submitted, _moment(decided_day - timedelta(days=2), rng))
                    submitted = max(submitted, created)
                sequences[submitted.year] += 1
                deadline = submitted.astimezone(BRUSSELS).date() + timedelta(days=DECISION_DAYS)
                handler = rng.choice(self.handlers[partnership])
                row.update(reference=f"WP-{submitted.year}-{sequences[submitted.year]:06d}",
                           submitted_at=submitted, submitted_by=author,
                           decision_deadline=deadline,
                           deadline_rule=f"decision:{DECISION_DAYS}-calendar-days",
                           partnership=partnership,
                           routing_explanation="Bevoegd volgens de routeringsregels.")
                events += [(ApplicationEvent.Kind.SUBMITTED, author, "draft", "submitted",
                            submitted, {}),
                           (ApplicationEvent.Kind.ROUTED, None, "", "", submitted,
                            {"partnership": partnership}),
                           (ApplicationEvent.Kind.RECEIPT_SENT, None, "", "",
                            submitted + timedelta(minutes=1), {})]
                moment = submitted + timedelta(minutes=1)
                stage = {"submitted": 0, "waiting": 1, "lapsed": 1, "withdrawn": 0,
                         "in_progress": 2, "proposed": 3, "approved": 4, "refused": 4}[state]
                if state == "withdrawn":
                    stage = rng.choice((0, 2))
                if stage == 1:
                    asked = moment + timedelta(days=rng.randrange(1, 5))
                    due = asked.astimezone(BRUSSELS).date() + timedelta(days=30)
                    row.update(paused_at=asked, completion_due=due,
                               completion_sections=["mentors"], version=2)
                    events.append((ApplicationEvent.Kind.COMPLETION_REQUESTED, handler,
                                   "submitted", "waiting", asked, {"sections": ["mentors"]}))
                    moment = asked
                    if state == "lapsed":
                        lapsed = _moment(due + timedelta(days=1), rng, 6, 7)
                        events.append((ApplicationEvent.Kind.LAPSED, None, "waiting", "lapsed",
                                       lapsed, {}))
                        moment = lapsed
                if stage >= 2:
                    complete = moment + timedelta(days=rng.randrange(1, 4))
                    row.update(assigned_to=handler, version=3)
                    events += [(ApplicationEvent.Kind.MARKED_COMPLETE, handler, "submitted",
                                "in_progress", complete, {}),
                               (ApplicationEvent.Kind.ASSIGNED, handler, "", "", complete,
                                {"to": handler})]
                    moment = complete
                if stage >= 3:
                    proposed = moment + timedelta(days=rng.randrange(1, 4))
                    if decided_day is not None:
                        proposed = min(proposed, _moment(decided_day, rng, 8, 9))
                    outcome = "refuse" if state == "refused" else "approve"
                    row.update(proposal=outcome, proposal_reasons="Voldoet aan de voorwaarden."
                               if outcome == "approve" else "Geen geschikte mentor.",
                               proposed_at=proposed, proposed_by=handler, proposal_round=1,
                               version=4)
                    events.append((ApplicationEvent.Kind.PROPOSED, handler, "in_progress",
                                   "proposed", proposed, {"proposal": outcome}))
                    moment = proposed
                    for voter in self.voters.get(partnership, []):
                        vote_rows.append((vote_id, app_id, 1, voter, True, "", proposed
                                          + timedelta(hours=2)))
                        vote_id += 1
                    if self.voters.get(partnership) and stage == 4:
                        row.update(vote_outcome="adopted",
                                   vote_closed_at=proposed + timedelta(hours=3))
                if stage == 4:
                    decided = _moment(decided_day, rng, 10, 16) if decided_day else \
                        moment + timedelta(days=rng.randrange(1, 5))
                    decided = max(decided, moment + timedelta(hours=4))
                    outcome = "approve" if state == "approved" else "refuse"
                    row.update(decision=outcome, decision_reasons=row["proposal_reasons"],
                               decided_at=decided, decided_by=handler, version=5)
                    events += [(ApplicationEvent.Kind.APPROVED if state == "approved"
                                else ApplicationEvent.Kind.REFUSED, handler, "proposed", state,
                                decided, {}),
                               (ApplicationEvent.Kind.LETTER_SENT, None, "", "",
                                decided + timedelta(minutes=2), {})]
                    moment = decided + timedelta(minutes=2)
                if state == "withdrawn":
                    withdrawn = moment + timedelta(days=rng.randrange(1, 10))
                    events.append((ApplicationEvent.Kind.WITHDRAWN, author,
                                   "in_progress" if stage == 2 else "submitted", "withdrawn",
                                   withdrawn, {}))
                    moment = withdrawn
                pool = self.mentors_of[eid]
                for mid in rng.sample(pool, min(len(pool), 1 if rng.random() < 0.7 else 2)):
                    checked = stage >= 3
                    mentor_rows.append((mentor_id, app_id, mid, rng.randrange(5, 25), False,
                                        "done" if mid in self.mentor_trained else "will_follow",
                                        "confirmed" if checked else "", "",
                                        handler if checked else None,
                                        moment if checked else None))
                    mentor_id += 1
            for kind, actor, from_state, to_state, at, data in events:
                event_rows.append((event_id, app_id, kind, actor, from_state, to_state, "", data,
                                   at))
                event_id += 1
            app_rows.append((
                app_id, row["reference"], eid, uid, programme_id, state, author,
                "coach" if coach else "enterprise", renews, None,
                activities if filled else None, True if filled else None,
                False if filled else None, True if filled else None, row["submitted_at"],
                row["submitted_by"], row["decision_deadline"], row["deadline_rule"],
                row["partnership"], None, row["routing_explanation"], row["paused_at"],
                row["paused_days"], row["completion_due"], row["completion_sections"],
                row["assigned_to"], row["version"], row["proposal"], row["proposal_reasons"],
                row["proposed_at"], row["proposed_by"], row["proposal_round"],
                row["vote_outcome"], row["vote_closed_at"], row["decision"],
                row["decision_reasons"], row["decided_at"], row["decided_by"], created, moment))
        self.writer.insert(Application, (
            "id", "reference", "enterprise", "unit", "programme", "state", "created_by",
            "filed_by", "renews", "scan", "activities_offered", "financial_capacity",
            "has_convictions", "infrastructure_fits", "submitted_at", "submitted_by",
            "decision_deadline", "deadline_rule", "partnership", "routing_rule",
            "routing_explanation", "paused_at", "paused_days", "completion_due",
            "completion_sections", "assigned_to", "version", "proposal", "proposal_reasons",
            "proposed_at", "proposed_by", "proposal_round", "vote_outcome", "vote_closed_at",
            "decision", "decision_reasons", "decided_at", "decided_by", "created_at",
            "updated_at"), app_rows)
        del app_rows
        self.writer.insert(ApplicationMentor, (
            "id", "application", "mentor", "years_of_experience", "derogation_requested",
            "training", "check_result", "check_reason", "checked_by", "checked_at"),
            mentor_rows)
        self.writer.insert(ApplicationEvent, (
            "id", "application", "kind", "actor", "from_state", "to_state", "message", "data",
            "created_at"), event_rows)
        self.writer.insert(Vote, ("id", "application", "round", "voter", "in_favour", "remark",
                                  "cast_at"), vote_rows)
        ReferenceSequence.objects.bulk_create(
            [ReferenceSequence(year=year, last=last) for year, last in sequences.items()],
            update_conflicts=True, unique_fields=["year"], update_fields=["last"])

    # --- mandates ------------------------------------------------------------------------------

    def _mandated_enterprises(self) -> dict[int, int]:
        """The enterprises that mandate a coach (about one in twelve), and the coach."""
        if not hasattr(self, "_mandates_plan"):
            rng = random.Random(self.seed + 1)  # noqa: S311
            plan = {}
            coaches = [(provider, coach) for provider in self.providers
                       for coach in self.coaches[provider]]
            for eid in self.enterprise_ids:
                if rng.random() < 0.08:
                    plan[eid] = coaches[rng.randrange(len(coaches))]
            self._mandates_plan = plan
        return {eid: coach for eid, (_provider, coach) in self._mandates_plan.items()}

    def _mandates(self) -> None:
        self.log("mandates")
        rng, today = self.rng, self.today
        first = next_id(Mandate)
        rows = []
        for offset, (eid, (provider, coach)) in enumerate(sorted(self._mandates_plan.items())):
            valid_from = today - timedelta(days=rng.randrange(10, 700))
            rows.append((first + offset, eid, coach, provider, True, True,
                         rng.random() < 0.5, valid_from, valid_from + timedelta(days=1095),
                         Mandate.Kind.DIGITAL, None, None, None, "", "", "", "",
                         self.representative[eid], _moment(valid_from, rng), None, None, ""))
        self.writer.insert(Mandate, (
            "id", "enterprise", "holder", "training_provider", "all_units",
            "may_file_applications", "may_manage_agreements", "valid_from", "valid_until",
            "kind", "document_check", "document_checked_by", "document_checked_at",
            "document_check_reason", "document_name", "document", "content_type", "granted_by",
            "granted_at", "revoked_at", "revoked_by", "revocation_reason"), rows)

    # --- agreements ----------------------------------------------------------------------------

    def _agreements(self) -> None:
        """Agreements at recognised workplaces: running ones within their recognition's period
        and the mentors' cap, ended ones on recognitions in force or ended."""
        self.log("agreements")
        rng, today = self.rng, self.today
        target = self.sizes["agreements"]
        running: dict[int, int] = defaultdict(int)
        caps = {pk: p.max_learners_per_mentor for pk, p in self.partnerships.items()}
        learner_id, agreement_id, event_id = (next_id(Learner), next_id(Agreement),
                                              next_id(AgreementEvent))
        learners, agreements, events = [], [], []
        attempts = 0
        serials: dict[date, int] = defaultdict(int)
        while len(agreements) < target and attempts < target * 5:
            attempts += 1
            state = _weighted(rng, AGREEMENT_STATES)
            if state in ("active", "draft") or rng.random() < 0.6:
                source = self.in_force
            else:
                source = self.ended or self.in_force
            if not source:
                break
            rid, uid, programme, partnership, eid, valid_from, last = \
                source[rng.randrange(len(source))]
            mentors = self.recognition_mentors.get(rid) or []
            if not mentors:
                continue
            mentor = rng.choice(mentors)
            if state in ("active", "draft"):
                if running[mentor] >= caps[partnership] or last < today:
                    continue
                start = max(valid_from, today - timedelta(days=rng.randrange(0, 300)))
                if state == "draft":
                    start = today + timedelta(days=rng.randrange(1, 40))
                end = min(last, start + timedelta(days=rng.randrange(120, 700)))
                if end < today or end < start:
                    continue
                running[mentor] += 1
            else:
                latest = min(last, today - timedelta(days=1))
                if (latest - valid_from).days < 60:
                    continue
                end = valid_from + timedelta(days=rng.randrange(60, (latest - valid_from).days
                                                                + 1))
                start = max(valid_from, end - timedelta(days=rng.randrange(60, 700)))
            providers = self.providers_of_programme.get(programme) or self.providers
            provider = rng.choice(providers)
            coach = rng.choice(self.coaches[provider])
            birth = date(2004, 1, 1) + timedelta(days=rng.randrange(365 * 6))
            serials[birth] += 1
            number = national_number(birth, serials[birth])
            learners.append((learner_id, rng.choice(FIRST), rng.choice(FAMILY),
                             personal_data.encrypt(number),
                             personal_data.lookup_hash(number), birth,
                             provider, programme))
            registered = _moment(start - timedelta(days=rng.randrange(5, 30)), rng)
            author = self.representative[eid]
            confirmed = registered + timedelta(days=rng.randrange(1, 5))
            ended_on = end_reason = None
            note = ""
            if state == "ended_early":
                ended_on = start + timedelta(days=max(1, (end - start).days // 2))
                end_reason, note = Agreement.EndReason.PARTY, "Stopgezet in onderling overleg."
            agreements.append((
                agreement_id, learner_id, eid, uid, programme, rid, mentor, provider, coach,
                Agreement.Kind.OAO if rng.random() < 0.8 else Agreement.Kind.STAGE,
                Decimal(rng.choice(("16.0", "19.0", "24.0", "28.5", "32.0"))), start, end,
                state, Agreement.Side.ENTERPRISE, None if state == "draft" else confirmed,
                None if state == "draft" else coach, note, ended_on, end_reason or "", None,
                author, registered))
            events.append((event_id, agreement_id, AgreementEvent.Kind.REGISTERED, author, "",
                           {}, registered))
            event_id += 1
            if state != "draft":
                events.append((event_id, agreement_id, AgreementEvent.Kind.ACTIVATED, coach, "",
                               {}, confirmed))
                event_id += 1
            if state in ("ended", "ended_early"):
                day = ended_on or end
                events.append((event_id, agreement_id, AgreementEvent.Kind.ENDED_EARLY
                               if state == "ended_early" else AgreementEvent.Kind.ENDED,
                               author if state == "ended_early" else None, note, {},
                               _moment(day + timedelta(days=1), rng, 6, 7)))
                event_id += 1
            learner_id += 1
            agreement_id += 1
        self.writer.insert(Learner, ("id", "first_name", "last_name", "national_number_encrypted",
                                     "national_number_hash", "birth_date", "training_provider",
                                     "programme"), learners)
        self.writer.insert(Agreement, (
            "id", "learner", "enterprise", "unit", "programme", "recognition", "mentor",
            "training_provider", "coach", "kind", "weekly_hours", "start_date", "end_date",
            "state", "registered_side", "confirmed_at", "confirmed_by", "end_note", "ended_on",
            "end_reason", "ended_by", "created_by", "created_at"), agreements)
        self.writer.insert(AgreementEvent, ("id", "agreement", "kind", "actor", "message", "data",
                                            "created_at"), events)
