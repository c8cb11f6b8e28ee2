"""The agreements pages through the Django test client: who may open which page, the
enterprise's list (per unit and mentor, with the capacity left) and the coach's list, the
partnership's list with its filters, registering at a recognised workplace (by a coach and by
the enterprise) and confirming by the other side, a refusal that keeps what was typed, ending
early, another mentor, and a logged reveal of the national register number. The lists are read
in a number of queries that does not grow with the rows."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from werkplek.accounts.models import Membership, Role, User
from werkplek.agreements.models import Agreement, AgreementEvent, Learner
from werkplek.catalog.models import Partnership, Programme, TrainingProvider
from werkplek.core.models import PersonalDataAccess
from werkplek.enterprises.models import Enterprise, EstablishmentUnit, Mentor
from werkplek.recognitions.models import Recognition, RecognitionMentor

LIST = reverse("agreements:list")
HANDLER_LIST = reverse("agreements:handler_list")
CHOOSE = reverse("agreements:choose_workplace")


# --- helpers -------------------------------------------------------------------------------------

def text(response) -> str:
    """The page's text without tags, with single spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def numbered(first8: int) -> str:
    """A valid enterprise or establishment unit number from its first eight digits."""
    return f"{first8:08d}{97 - first8 % 97:02d}"


def national_number(born: date, counter: int) -> str:
    body = f"{born:%y%m%d}{counter:03d}"
    check = 97 - int(("2" if born.year >= 2000 else "") + body) % 97
    return f"{body}{check:02d}"


def formatted(number: str) -> str:
    return f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"


def date_fields(name: str, day: date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def agreement_url(name: str, agreement) -> str:
    return reverse(f"agreements:{name}", args=[agreement.pk])


def rows(response) -> int:
    """How many agreements the page links to."""
    return len(set(re.findall(r'href="/overeenkomsten/(\d+)/"', response.content.decode())))


# --- fixtures ------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def login(client, demo_user):
    """The test client logged in as `user`, asking for English pages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def as_(user):
        client.force_login(demo_user(user) if isinstance(user, str) else user)
        return client

    return as_


@pytest.fixture
def employer(demo_user):
    return demo_user("werkgever")


@pytest.fixture
def coach(demo_user):
    return demo_user("trajectbegeleider")


@pytest.fixture
def provider(coach):
    return Membership.objects.get(user=coach, role=Role.COACH).training_provider


@pytest.fixture
def bouw(db):
    partnership = Partnership.objects.get(code="bouw")
    assert partnership.max_learners_per_mentor == 1  # the reference data's construction rule
    return partnership


@pytest.fixture
def construction_unit(demo_enterprise):
    return demo_enterprise.units.get(joint_committee__number="124")


@pytest.fixture
def dakwerker(db):
    return Programme.objects.get(code="dakwerker-duaal")


@pytest.fixture
def peeters(demo_enterprise):
    return demo_enterprise.mentors.get(last_name="Peeters")


@pytest.fixture
def make_mentor(demo_enterprise):
    counter = iter(range(1, 500))

    def make(last_name="Claes", *, trained=True, enterprise=None):
        mentor = Mentor(enterprise=enterprise or demo_enterprise, first_name="An",
                        last_name=last_name, years_of_experience=12,
                        mentor_training_completed_on=date(2024, 1, 1) if trained else None)
        mentor.set_national_number(national_number(date(1980, 1, 1), next(counter)),
                                   date(1980, 1, 1))
        mentor.save()
        return mentor

    return make


@pytest.fixture
def make_recognition(demo_enterprise, construction_unit, dakwerker, bouw, peeters):
    """A recognition in force (default: active, started a year ago) with `mentors`."""
    from werkplek.core.deadlines import recognition_validity

    def make(*, state="active", valid_from=None, valid_until=None, unit=None, programme=None,
             mentors=None, enterprise=None, partnership=None):
        start = valid_from or timezone.localdate() - timedelta(days=365)
        recognition = Recognition.objects.create(
            enterprise=enterprise or demo_enterprise, unit=unit or construction_unit,
            programme=programme or dakwerker, partnership=partnership or bouw, state=state,
            valid_from=start, valid_until=valid_until or recognition_validity(start).day,
            validity_rule="recognition:5-years")
        for mentor in (mentors if mentors is not None else [peeters]):
            RecognitionMentor.objects.create(recognition=recognition, mentor=mentor,
                                             since=start)
        return recognition

    return make


@pytest.fixture
def recognition(make_recognition):
    return make_recognition()


@pytest.fixture
def make_agreement(employer, provider):
    """An agreement on `recognition` with `mentor` (a new learner each time), built directly."""
    counter = iter(range(1, 900))

    def make(recognition, mentor, *, state=Agreement.State.ACTIVE, start_in_days=-30,
             end_in_days=300, registered_side=Agreement.Side.ENTERPRISE, training_provider=None,
             hours=24, created_by=None):
        number = next(counter)
        learner = Learner(first_name="Lotte", last_name=f"Leerling{number:03d}",
                          training_provider=training_provider or provider,
                          programme=recognition.programme)
        learner.set_national_number(national_number(date(2007, 5, 5), number), date(2007, 5, 5))
        learner.save()
        today = timezone.localdate()
        agreement = Agreement.objects.create(
            learner=learner, enterprise=recognition.enterprise, unit=recognition.unit,
            programme=recognition.programme, recognition=recognition, mentor=mentor,
            training_provider=learner.training_provider, kind="oao" if hours >= 20 else "stage",
            weekly_hours=hours, start_date=today + timedelta(days=start_in_days),
            end_date=today + timedelta(days=end_in_days), state=state,
            registered_side=registered_side, created_by=created_by or employer)
        AgreementEvent.objects.create(agreement=agreement, kind=AgreementEvent.Kind.REGISTERED,
                                      actor=created_by or employer,
                                      data={"side": registered_side})
        return agreement

    return make


@pytest.fixture
def outsider(db):
    """The employer staff of another enterprise."""
    enterprise = Enterprise.objects.create(enterprise_number=numbered(1_300_001),
                                           name="Andere Onderneming BV")
    user = User.objects.create_user(username="ander", password="x", first_name="Otto")
    Membership.objects.create(user=user, role=Role.EMPLOYER, enterprise=enterprise)
    return user


@pytest.fixture
def other_coach(provider):
    """A learner coach of another training provider."""
    other = TrainingProvider.objects.exclude(pk=provider.pk).order_by("pk").first()
    user = User.objects.create_user(username="andere-coach", password="x", first_name="Cas")
    Membership.objects.create(user=user, role=Role.COACH, training_provider=other)
    return user


@pytest.fixture
def other_handler(db):
    """A case handler of another partnership than construction."""
    partnership = Partnership.objects.exclude(code="bouw").order_by("pk").first()
    user = User.objects.create_user(username="andere-behandelaar", password="x")
    Membership.objects.create(user=user, role=Role.HANDLER, partnership=partnership)
    return user


@pytest.fixture
def nobody(db):
    return User.objects.create_user(username="niemand", password="x")


# --- who may open what ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["list", "handler_list", "choose_workplace"])
def test_anonymous_goes_to_login(client, name):
    response = client.get(reverse(f"agreements:{name}"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("name", ["detail", "confirm", "end", "change_mentor", "reveal"])
def test_anonymous_goes_to_login_for_an_agreement(client, recognition, peeters, make_agreement,
                                                  name):
    agreement = make_agreement(recognition, peeters)
    response = client.post(agreement_url(name, agreement))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_anonymous_goes_to_login_for_registration(client, recognition):
    response = client.get(reverse("agreements:register", args=[recognition.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("name", ["detail", "end", "change_mentor"])
@pytest.mark.parametrize("who", ["outsider", "other_coach", "other_handler", "nobody"])
def test_others_get_404_on_an_agreement(request, login, recognition, peeters, make_agreement,
                                        name, who):
    agreement = make_agreement(recognition, peeters)
    client = login(request.getfixturevalue(who))
    assert client.get(agreement_url(name, agreement)).status_code == 404


@pytest.mark.parametrize("name", ["confirm", "reveal"])
@pytest.mark.parametrize("who", ["outsider", "other_coach", "other_handler"])
def test_others_get_404_on_an_action(request, login, recognition, peeters, make_agreement, name,
                                     who):
    agreement = make_agreement(recognition, peeters, state=Agreement.State.DRAFT,
                               registered_side=Agreement.Side.PROVIDER)
    client = login(request.getfixturevalue(who))
    assert client.post(agreement_url(name, agreement)).status_code == 404
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.DRAFT
    assert not PersonalDataAccess.objects.filter(subject=f"learner:{agreement.learner_id}")


def test_the_lists_say_who_they_are_for(login, nobody):
    client = login(nobody)
    response = client.get(LIST)
    assert response.status_code == 403
    assert "learner coaches of a training provider" in text(response)
    response = client.get(HANDLER_LIST)
    assert response.status_code == 403
    assert "case handlers of a partnership" in text(response)
    response = client.get(CHOOSE)
    assert response.status_code == 403
    assert "Agreements are registered by" in text(response)


def test_a_handler_on_the_enterprise_list_is_pointed_to_the_handler_list(login):
    response = login("behandelaar-bouw").get(LIST)
    assert response.status_code == 403
    assert HANDLER_LIST in response.content.decode()


def test_an_enterprise_user_cannot_open_the_handler_list(login):
    assert login("werkgever").get(HANDLER_LIST).status_code == 403


def test_registration_at_another_enterprises_workplace_is_404(login, outsider, recognition):
    response = login(outsider).get(reverse("agreements:register", args=[recognition.pk]))
    assert response.status_code == 404


def test_registration_is_not_for_others(login, nobody, recognition):
    response = login(nobody).get(reverse("agreements:register", args=[recognition.pk]))
    assert response.status_code == 403


# --- the enterprise's list -----------------------------------------------------------------------

def test_enterprise_list_groups_per_unit_and_mentor_with_capacity(
        login, demo_enterprise, recognition, peeters, make_mentor, make_agreement):
    claes = make_mentor("Claes")
    RecognitionMentor.objects.create(recognition=recognition, mentor=claes,
                                     since=recognition.valid_from)
    running = make_agreement(recognition, peeters)
    waiting = make_agreement(recognition, claes, state=Agreement.State.DRAFT,
                             registered_side=Agreement.Side.PROVIDER, start_in_days=10)
    ended = make_agreement(recognition, peeters, state=Agreement.State.ENDED_EARLY,
                           start_in_days=-200, end_in_days=-100)

    response = login("werkgever").get(LIST)
    assert response.status_code == 200
    page = text(response)
    assert "Werf en atelier Gent" in page
    assert "Mentor Jan Peeters" in page and "Mentor An Claes" in page
    # Peeters coaches one learner today under a cap of 1: none left. Claes' learner starts
    # in 10 days: nothing taken today.
    assert "Capacity left today: 0 of 1 (coaches 1 now)." in page
    assert "Capacity left today: 1 of 1 (coaches 0 now)." in page
    assert running.learner.full_name in page and waiting.learner.full_name in page
    assert ended.learner.full_name not in page  # on the "ended" tab
    # The agreement registered by the training provider can be confirmed from the list.
    assert agreement_url("confirm", waiting) in response.content.decode()
    assert agreement_url("confirm", running) not in response.content.decode()
    assert CHOOSE in response.content.decode()

    ended_page = text(login("werkgever").get(LIST, {"staat": "afgelopen"}))
    assert ended.learner.full_name in ended_page and running.learner.full_name not in ended_page
    assert "Ended early" in ended_page


def test_enterprise_list_puts_what_waits_for_the_enterprise_first(
        login, recognition, peeters, make_mentor, make_agreement):
    later = make_agreement(recognition, peeters, start_in_days=-10)
    waiting = make_agreement(recognition, peeters, state=Agreement.State.DRAFT,
                             registered_side=Agreement.Side.PROVIDER, start_in_days=400,
                             end_in_days=600)
    page = text(login("werkgever").get(LIST))
    assert page.index(waiting.learner.full_name) < page.index(later.learner.full_name)


def test_the_enterprise_list_reads_a_fixed_number_of_queries(
        login, demo_enterprise, recognition, make_recognition, make_mentor, make_agreement,
        peeters, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_agreement(recognition, peeters)
    client = login("werkgever")
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    # Many rows over several units and mentors.
    for index in range(6):
        unit = EstablishmentUnit.objects.create(
            enterprise=demo_enterprise, unit_number=numbered(21_000_000 + index),
            name=f"Vestiging {index}", street="Straat 1", postal_code="9000",
            municipality="Gent")
        mentor = make_mentor(f"Mentor{index}")
        other = make_recognition(unit=unit, mentors=[mentor])
        for _ in range(3):
            make_agreement(other, mentor, state=Agreement.State.DRAFT,
                           registered_side=Agreement.Side.PROVIDER)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert response.status_code == 200
    assert text(response).count("Capacity left today") == 7
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]
    with django_assert_max_num_queries(12):
        client.get(LIST)


def test_the_enterprise_list_is_paginated_by_50(login, recognition, peeters, make_agreement):
    for _ in range(51):
        make_agreement(recognition, peeters, state=Agreement.State.ENDED)
    client = login("werkgever")
    first = client.get(LIST, {"staat": "afgelopen"})
    assert rows(first) == 50
    second = client.get(LIST, {"staat": "afgelopen", "pagina": 2})
    assert rows(second) == 1


# --- the coach's list ----------------------------------------------------------------------------

def test_coach_list_shows_their_providers_learners_waiting_for_them_first(
        login, recognition, peeters, make_agreement, make_mentor, provider):
    other_provider = TrainingProvider.objects.exclude(pk=provider.pk).order_by("pk").first()
    claes = make_mentor("Claes")
    RecognitionMentor.objects.create(recognition=recognition, mentor=claes,
                                     since=recognition.valid_from)
    running = make_agreement(recognition, peeters, start_in_days=-5)
    waiting = make_agreement(recognition, claes, state=Agreement.State.DRAFT,
                             registered_side=Agreement.Side.ENTERPRISE, start_in_days=-300,
                             end_in_days=-200)
    elsewhere = make_agreement(recognition, claes, training_provider=other_provider,
                               start_in_days=400, end_in_days=500)
    response = login("trajectbegeleider").get(LIST)
    assert response.status_code == 200
    page = text(response)
    assert elsewhere.learner.full_name not in page
    assert page.index(waiting.learner.full_name) < page.index(running.learner.full_name)
    assert agreement_url("confirm", waiting) in response.content.decode()
    assert agreement_url("confirm", running) not in response.content.decode()


def test_the_coach_list_reads_a_fixed_number_of_queries(
        login, recognition, peeters, make_agreement, make_mentor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_agreement(recognition, peeters)
    client = login("trajectbegeleider")
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for index in range(8):
        make_agreement(recognition, make_mentor(f"M{index}"), state=Agreement.State.DRAFT)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert rows(response) == 9
    assert len(many) == len(one)


# --- the partnership's list ----------------------------------------------------------------------

def test_handler_list_shows_agreements_under_the_partnership_with_filters(
        login, recognition, peeters, make_agreement, make_recognition, make_mentor, dakwerker):
    vpdl_programme = Programme.objects.exclude(pk=dakwerker.pk).order_by("pk").first()
    vpdl = Partnership.objects.get(code="vpdl")
    mentor = make_mentor("Elders")
    elsewhere = make_agreement(make_recognition(programme=vpdl_programme, partnership=vpdl,
                                                mentors=[mentor]), mentor)
    running = make_agreement(recognition, peeters)
    waiting = make_agreement(recognition, peeters, state=Agreement.State.DRAFT,
                             start_in_days=400, end_in_days=500)
    client = login("behandelaar-bouw")
    page = text(client.get(HANDLER_LIST))
    assert running.learner.full_name in page and waiting.learner.full_name in page
    assert elsewhere.learner.full_name not in page
    assert "Waiting for confirmation (1)" in page and "Running (1)" in page

    waiting_tab = text(client.get(HANDLER_LIST, {"staat": "wacht"}))
    assert waiting.learner.full_name in waiting_tab
    assert running.learner.full_name not in waiting_tab

    assert "Leerling" in text(client.get(HANDLER_LIST, {"zoek": "zwaluw"}))
    assert "Leerling" not in text(client.get(HANDLER_LIST, {"zoek": "niet-bestaand"}))
    assert "Leerling" in text(client.get(HANDLER_LIST, {"zoek": "0412.345"}))
    assert "Leerling" not in text(client.get(HANDLER_LIST, {"opleiding": vpdl_programme.pk}))
    assert "Leerling" in text(client.get(HANDLER_LIST, {"opleiding": dakwerker.pk}))


def test_the_handler_list_reads_a_fixed_number_of_queries(
        login, recognition, peeters, make_agreement, make_mentor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_agreement(recognition, peeters)
    client = login("behandelaar-bouw")
    client.get(HANDLER_LIST)  # the filter's reference records are read once per process
    with CaptureQueriesContext(connection) as one:
        assert client.get(HANDLER_LIST).status_code == 200
    for index in range(10):
        make_agreement(recognition, make_mentor(f"M{index}"), state=Agreement.State.ENDED)
    with CaptureQueriesContext(connection) as many:
        response = client.get(HANDLER_LIST)
    assert rows(response) == 11
    assert len(many) == len(one)


def test_a_handler_reads_an_agreement_without_actions(login, recognition, peeters,
                                                      make_agreement):
    agreement = make_agreement(recognition, peeters, state=Agreement.State.DRAFT,
                               registered_side=Agreement.Side.PROVIDER)
    client = login("behandelaar-bouw")
    response = client.get(agreement_url("detail", agreement))
    assert response.status_code == 200
    html = response.content.decode()
    assert agreement_url("confirm", agreement) not in html
    assert agreement_url("end", agreement) not in html
    assert agreement_url("change_mentor", agreement) not in html
    assert client.post(agreement_url("confirm", agreement)).status_code == 403
    assert client.get(agreement_url("end", agreement)).status_code == 403
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.DRAFT


# --- choosing the workplace ----------------------------------------------------------------------

def test_enterprise_chooses_among_its_recognitions_in_force(login, recognition,
                                                            make_recognition, dakwerker):
    expired = make_recognition(
        state="expired", programme=Programme.objects.exclude(pk=dakwerker.pk).first(),
        valid_from=timezone.localdate() - timedelta(days=3000),
        valid_until=timezone.localdate() - timedelta(days=1000))
    response = login("werkgever").get(CHOOSE)
    html = response.content.decode()
    assert reverse("agreements:register", args=[recognition.pk]) in html
    assert reverse("agreements:register", args=[expired.pk]) not in html


def test_coach_searches_recognised_workplaces_by_name_or_number(login, recognition, peeters):
    client = login("trajectbegeleider")
    page = client.get(CHOOSE)
    assert page.status_code == 200
    assert reverse("agreements:register", args=[recognition.pk]) not in page.content.decode()
    for query in ("zwaluw", "0412.345.614", "0412345"):
        response = client.get(CHOOSE, {"zoek": query})
        html = response.content.decode()
        assert reverse("agreements:register", args=[recognition.pk]) in html, query
        # No personal data: no mentor's name.
        assert peeters.last_name not in html
    assert reverse("agreements:register", args=[recognition.pk]) not in \
        client.get(CHOOSE, {"zoek": "bakkerij nergens"}).content.decode()
    short = client.get(CHOOSE, {"zoek": "z"})
    assert "Enter at least 2 characters." in text(short)


def test_a_recognition_no_longer_in_force_cannot_take_agreements(login, make_recognition):
    withdrawn = make_recognition(state="withdrawn")
    url = reverse("agreements:register", args=[withdrawn.pk])
    response = login("werkgever").get(url)
    assert response.status_code == 302 and response["Location"] == CHOOSE
    assert login("trajectbegeleider").get(url).status_code == 404


# --- registering and confirming ------------------------------------------------------------------

def _form(today, *, number, mentor, hours="22,5", first="Mila", last="Desmet", **extra):
    return {"first_name": first, "last_name": last, "national_number": formatted(number),
            "mentor": str(mentor.pk), "weekly_hours": hours,
            **date_fields("start_date", today + timedelta(days=7)),
            **date_fields("end_date", today + timedelta(days=200)), **extra}


def test_coach_registers_and_the_enterprise_confirms(login, recognition, peeters, coach,
                                                     provider, employer, today):
    url = reverse("agreements:register", args=[recognition.pk])
    client = login(coach)
    form_page = client.get(url)
    assert form_page.status_code == 200
    page = text(form_page)
    assert provider.name in page  # fixed: the coach's own provider
    assert "20 hours a week or more on average" in page
    assert "Jan Peeters – coaches 0 learners now (at most 1 at a time)" in page

    number = national_number(date(2008, 4, 14), 321)
    response = client.post(url, _form(today, number=number, mentor=peeters))
    agreement = Agreement.objects.get(learner__last_name="Desmet")
    assert response.status_code == 302
    assert response["Location"] == agreement_url("detail", agreement)
    assert agreement.state == Agreement.State.DRAFT
    assert agreement.registered_side == Agreement.Side.PROVIDER
    assert agreement.coach == coach and agreement.training_provider == provider
    assert agreement.weekly_hours == Decimal("22.5") and agreement.kind == Agreement.Kind.OAO
    assert agreement.learner.birth_date == date(2008, 4, 14)

    detail = client.get(agreement_url("detail", agreement))
    page = text(detail)
    assert "agreement for alternating training (OAO)" in page
    assert "22,5 hours a week at the workplace on average, at least 20" in page
    assert "waits for confirmation by the enterprise" in page
    assert agreement_url("confirm", agreement) not in detail.content.decode()
    # The coach cannot confirm their own registration.
    client.post(agreement_url("confirm", agreement))
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.DRAFT

    enterprise = login(employer)
    assert agreement_url("confirm", agreement) in enterprise.get(LIST).content.decode()
    response = enterprise.post(agreement_url("confirm", agreement), {"terug": "lijst"})
    assert response.status_code == 302 and response["Location"] == LIST
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.ACTIVE
    assert agreement.confirmed_by == employer
    assert list(agreement.events.values_list("kind", flat=True)) == [
        AgreementEvent.Kind.REGISTERED, AgreementEvent.Kind.ACTIVATED]
    assert "is confirmed" in text(enterprise.get(LIST))


def test_enterprise_registers_a_stage_agreement_and_the_coach_confirms(
        login, recognition, peeters, coach, provider, employer, today):
    provider.programmes.add(recognition.programme)  # the coach's provider offers it
    url = reverse("agreements:register", args=[recognition.pk])
    client = login(employer)
    page = client.get(url)
    # The enterprise chooses the training provider: those offering the programme, or all.
    assert 'name="training_provider"' in page.content.decode()
    number = national_number(date(2009, 6, 21), 305)
    response = client.post(url, _form(today, number=number, mentor=peeters, hours="16",
                                      first="Lars", last="Michiels",
                                      training_provider=str(provider.pk)))
    assert response.status_code == 302, text(response)
    agreement = Agreement.objects.get(learner__last_name="Michiels")
    assert agreement.registered_side == Agreement.Side.ENTERPRISE
    assert agreement.kind == Agreement.Kind.STAGE and agreement.coach is None
    assert "fewer than the 20 of an agreement for alternating training" in text(
        client.get(agreement_url("detail", agreement)))

    coach_client = login(coach)
    detail = coach_client.get(agreement_url("detail", agreement))
    assert "It waits for your confirmation as the training provider." in text(detail)
    response = coach_client.post(agreement_url("confirm", agreement))
    assert response["Location"] == agreement_url("detail", agreement)
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.ACTIVE and agreement.coach == coach


def test_a_second_learner_for_a_capped_mentor_is_refused_keeping_what_was_typed(
        login, recognition, peeters, make_agreement, coach, today):
    make_agreement(recognition, peeters, end_in_days=400)
    url = reverse("agreements:register", args=[recognition.pk])
    number = national_number(date(2008, 12, 5), 304)
    response = login(coach).post(url, _form(today, number=number, mentor=peeters,
                                            first="Yasmine", last="El Amrani"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "may coach 1 learner at a time" in " ".join(form.errors["mentor"])
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'value="Yasmine"' in html and 'value="El Amrani"' in html
    assert f'value="{formatted(number)}"' in html and 'value="22,5"' in html
    assert f'value="{peeters.pk}" checked' in html or \
        re.search(rf'value="{peeters.pk}"[^>]*checked', html)
    start = today + timedelta(days=7)
    assert f'value="{start.day}"' in html and f'value="{start.year}"' in html
    assert not Agreement.objects.filter(learner__last_name="El Amrani").exists()
    assert not Learner.objects.filter(last_name="El Amrani").exists()


def test_wrong_input_is_explained_on_the_fields(login, recognition, peeters, coach, today):
    url = reverse("agreements:register", args=[recognition.pk])
    data = _form(today, number="85073003399", mentor=peeters, hours="veel")
    data.update(date_fields("end_date", today))  # before the start
    response = login(coach).post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "national_number" in errors and "weekly_hours" in errors
    # Too many hours: the service's range, on the field.
    data = _form(today, number=national_number(date(2008, 1, 2), 11), mentor=peeters,
                 hours="60")
    errors = login(coach).post(url, data).context["form"].errors
    assert "Enter between 1 and 50 hours a week" in " ".join(errors["weekly_hours"])
    # The end before the start: the service's message on the end date.
    data = _form(today, number=national_number(date(2008, 1, 2), 11), mentor=peeters)
    data.update(date_fields("end_date", today))
    errors = login(coach).post(url, data).context["form"].errors
    assert "The end must be on or after the start." in errors["end_date"]


# --- the agreement's page and its actions --------------------------------------------------------

def test_detail_shows_the_masked_number_and_reveal_is_logged(login, recognition, peeters,
                                                              make_agreement, employer):
    from werkplek.core.personal_data import decrypt

    agreement = make_agreement(recognition, peeters)
    number = decrypt(agreement.learner.national_number_encrypted)
    client = login(employer)
    page = text(client.get(agreement_url("detail", agreement)))
    assert agreement.learner.masked_national_number in page
    assert formatted(number) not in page
    # Not on a GET.
    response = client.get(agreement_url("reveal", agreement))
    assert response.status_code == 302
    assert not PersonalDataAccess.objects.exists()

    response = client.post(agreement_url("reveal", agreement))
    assert response.status_code == 200
    assert formatted(number) in text(response)
    assert "no-store" in response["Cache-Control"]
    access = PersonalDataAccess.objects.get()
    assert access.user == employer
    assert access.subject == f"learner:{agreement.learner_id}"
    assert access.purpose == "agreement"


def test_a_handler_may_reveal_too_and_it_is_logged(login, recognition, peeters, make_agreement,
                                                   demo_user):
    agreement = make_agreement(recognition, peeters)
    response = login("behandelaar-bouw").post(agreement_url("reveal", agreement))
    assert response.status_code == 200
    assert PersonalDataAccess.objects.filter(user=demo_user("behandelaar-bouw"),
                                             subject=f"learner:{agreement.learner_id}").exists()


def test_end_early_with_the_reason(login, recognition, peeters, make_agreement, coach, today):
    agreement = make_agreement(recognition, peeters)
    client = login(coach)
    url = agreement_url("end", agreement)
    assert client.get(url).status_code == 200
    response = client.post(url, date_fields("on_day", today))
    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    response = client.post(url, {**date_fields("on_day", agreement.end_date + timedelta(days=1)),
                                 "note": "Verhuisd"})
    assert "before that day" in " ".join(response.context["form"].errors["on_day"])

    response = client.post(url, {**date_fields("on_day", today), "note": "Stopt met de opleiding"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.ENDED_EARLY
    assert agreement.ended_on == today and agreement.end_reason == Agreement.EndReason.PARTY
    page = text(client.get(agreement_url("detail", agreement)))
    assert "Ended early" in page and "Stopt met de opleiding" in page
    assert "ended by one of the parties" in page
    # Ended: the form is gone.
    assert client.get(url).status_code == 302


def test_change_mentor_by_the_enterprise(login, recognition, peeters, make_mentor,
                                         make_agreement, employer, coach):
    claes = make_mentor("Claes")
    RecognitionMentor.objects.create(recognition=recognition, mentor=claes,
                                     since=recognition.valid_from)
    agreement = make_agreement(recognition, peeters)
    url = agreement_url("change_mentor", agreement)
    assert login(coach).get(url).status_code == 403

    client = login(employer)
    assert url in client.get(agreement_url("detail", agreement)).content.decode()
    page = client.get(url)
    assert "An Claes" in text(page) and f'value="{peeters.pk}"' not in page.content.decode()
    response = client.post(url, {"mentor": str(claes.pk)})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.mentor == claes
    detail = text(client.get(agreement_url("detail", agreement)))
    assert "From Jan Peeters to An Claes" in detail


def test_change_mentor_to_a_full_mentor_is_refused_on_the_field(
        login, recognition, peeters, make_mentor, make_agreement, employer):
    claes = make_mentor("Claes")
    RecognitionMentor.objects.create(recognition=recognition, mentor=claes,
                                     since=recognition.valid_from)
    make_agreement(recognition, claes)
    agreement = make_agreement(recognition, peeters)
    response = login(employer).post(agreement_url("change_mentor", agreement),
                                    {"mentor": str(claes.pk)})
    assert response.status_code == 200
    assert "may coach 1 learner at a time" in " ".join(response.context["form"].errors["mentor"])
    agreement.refresh_from_db()
    assert agreement.mentor == peeters


def test_a_draft_that_the_rules_no_longer_allow_says_so(login, recognition, peeters,
                                                        make_agreement, employer):
    make_agreement(recognition, peeters)
    waiting = make_agreement(recognition, peeters, state=Agreement.State.DRAFT,
                             registered_side=Agreement.Side.PROVIDER)
    client = login(employer)
    page = text(client.get(agreement_url("detail", waiting)))
    assert "a confirmation would be refused" in page
    client.post(agreement_url("confirm", waiting))
    waiting.refresh_from_db()
    assert waiting.state == Agreement.State.DRAFT
    assert "is not confirmed" in text(client.get(agreement_url("detail", waiting)))


def test_the_agreement_ends_with_the_recognition_unless_renewed(login, make_recognition,
                                                                peeters, make_agreement,
                                                                employer, today):
    recognition = make_recognition(valid_until=today + timedelta(days=100))
    agreement = make_agreement(recognition, peeters, end_in_days=300)
    page = text(login(employer).get(agreement_url("detail", agreement)))
    expected = (today + timedelta(days=100)).strftime("%d/%m/%Y")
    assert f"The recognition of this workplace runs until {expected}" in page
    assert "the agreement ends when the recognition ends" in page

    short = make_agreement(recognition, peeters, start_in_days=-300, end_in_days=50,
                           state=Agreement.State.ENDED)
    assert "runs until" not in text(login(employer).get(agreement_url("detail", short)))
