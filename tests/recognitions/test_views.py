"""The recognitions pages through the Django test client: who sees what, the enterprise's
register and its states, the partnership's register with filters and a query count that does
not grow with the rows, a recognition's page, and the enterprise's actions (renewal, mentors,
answers to support actions)."""

import logging
import re
from datetime import timedelta
from html.parser import HTMLParser
from itertools import pairwise

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from werkplek.accounts.models import Membership, Role, User
from werkplek.agreements.models import Agreement
from werkplek.applications.models import Application
from werkplek.enterprises.models import Enterprise, EstablishmentUnit, Mentor
from werkplek.recognitions.models import (
    MentorDocument,
    Recognition,
    RecognitionEvent,
    RecognitionMentor,
    Sanction,
    SupportAction,
)

from ..conftest import national_number_born, years_ago

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n"
       b"<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
REGISTER = reverse("recognitions:register")
HANDLER_REGISTER = reverse("recognitions:handler_register")


def pdf(name="uittreksel.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def url(name, recognition, *args):
    return reverse(f"recognitions:{name}", args=[recognition.pk, *args])


def numbered(first8: int) -> str:
    """A valid enterprise or establishment unit number from its first eight digits."""
    return f"{first8:08d}{97 - first8 % 97:02d}"


def text(response) -> str:
    """The page's text without tags, with single spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def login(client, demo_user):
    def as_(username):
        client.force_login(demo_user(username) if isinstance(username, str) else username)
        return client

    return as_


@pytest.fixture
def outsider(db):
    """The employer staff of another enterprise."""
    enterprise = Enterprise.objects.create(enterprise_number=numbered(1_200_001),
                                           name="Andere Onderneming BV")
    user = User.objects.create_user(username="ander", password="x", first_name="Otto")
    Membership.objects.create(user=user, role=Role.EMPLOYER, enterprise=enterprise)
    return user


def programme(code):
    from werkplek.catalog.models import Programme

    return Programme.objects.get(code=code)


def new_unit(enterprise, n: int, *, province="VOV") -> EstablishmentUnit:
    from werkplek.catalog.models import Province

    return EstablishmentUnit.objects.create(
        enterprise=enterprise, unit_number=numbered(32_000_000 + n), name=f"Vestiging {n:03d}",
        street="Straat 1", postal_code="9000", municipality="Gent",
        province=Province.objects.get(code=province))


# --- who sees what -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["register", "handler_register"])
def test_anonymous_users_are_sent_to_log_in(client, name):
    response = client.get(reverse(f"recognitions:{name}"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_anonymous_users_are_sent_to_log_in_for_a_recognition(client, recognition):
    for name in ("detail", "add_mentor"):
        response = client.get(url(name, recognition))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_the_register_is_for_enterprise_users(login):
    response = login("trajectbegeleider").get(REGISTER, **EN)
    assert response.status_code == 403
    assert "legal representatives and employer staff" in text(response)
    assert "As a learner coach" in text(response)
    response = login("behandelaar-bouw").get(REGISTER, **EN)
    assert response.status_code == 403
    assert HANDLER_REGISTER in response.content.decode()
    assert login("vertegenwoordiger").get(REGISTER).status_code == 200


def test_the_handlers_register_is_for_case_handlers(login):
    for username in ("werkgever", "trajectbegeleider", "stemgerechtigde"):
        response = login(username).get(HANDLER_REGISTER, **EN)
        assert response.status_code == 403
        assert "case handlers of a partnership" in text(response)
    assert login("behandelaar-bouw").get(HANDLER_REGISTER).status_code == 200


@pytest.mark.parametrize("username,status", [
    ("werkgever", 200), ("vertegenwoordiger", 200), ("behandelaar-bouw", 200),
    ("behandelaar-vpdl", 404), ("trajectbegeleider", 404), ("stemgerechtigde", 404),
    ("beroepscommissie", 404),
])
def test_who_sees_a_recognition(login, recognition, username, status):
    assert login(username).get(url("detail", recognition)).status_code == status


def test_an_employer_of_another_enterprise_sees_nothing(login, outsider, recognition, peeters):
    client = login(outsider)
    link = recognition.mentor_links.get()
    assert client.get(url("detail", recognition)).status_code == 404
    assert client.get(url("add_mentor", recognition)).status_code == 404
    assert client.get(url("replace_mentor", recognition, link.pk)).status_code == 404
    assert client.get(url("deactivate_mentor", recognition, link.pk)).status_code == 404
    assert client.post(url("renew", recognition)).status_code == 404
    assert client.get(REGISTER).context["groups"] == []
    assert client.get(reverse("recognitions:detail", args=[999999])).status_code == 404


def test_only_the_enterprise_acts_on_a_recognition(login, recognition, today):
    client = login("behandelaar-bouw")
    link = recognition.mentor_links.get()
    action = SupportAction.objects.create(recognition=recognition, improvement="x",
                                          due_on=today + timedelta(days=5),
                                          created_by=User.objects.get(username="behandelaar-bouw"))
    assert client.post(url("renew", recognition)).status_code == 403
    assert client.get(url("add_mentor", recognition)).status_code == 403
    assert client.get(url("deactivate_mentor", recognition, link.pk)).status_code == 403
    assert client.post(url("answer_support_action", recognition, action.pk),
                       {f"action-{action.pk}-answer": "x"}).status_code == 403
    coach = login("trajectbegeleider")
    assert coach.post(url("renew", recognition)).status_code == 404
    assert not Application.objects.filter(renews=recognition).exists()


def test_actions_on_a_get_go_back_to_the_page(login, recognition):
    response = login("werkgever").get(url("renew", recognition))
    assert response.status_code == 302 and response["Location"] == url("detail", recognition)


# --- the enterprise's register -------------------------------------------------------------------

def test_the_register_shows_every_state(login, make_recognition, demo_enterprise,
                                        construction_unit, today, employer):
    from werkplek.core.deadlines import recognition_validity

    other_unit = demo_enterprise.units.exclude(pk=construction_unit.pk).get()
    make_recognition(programme=programme("ruwbouw-duaal"))
    ends = today + timedelta(days=60)
    make_recognition(programme=programme("dakwerker-duaal"), valid_until=ends,
                     valid_from=ends - timedelta(days=1825))
    make_recognition(state="expired", programme=programme("ruwbouw-duaal"),
                     valid_from=today - timedelta(days=2500))
    old = make_recognition(state="renewed", unit=other_unit,
                           valid_from=today - timedelta(days=1700))
    new = make_recognition(unit=other_unit, valid_from=old.valid_until + timedelta(days=1))
    Recognition.objects.filter(pk=new.pk).update(previous=old)
    withdrawn = make_recognition(state="withdrawn",
                                 programme=programme("bouwplaatsmachinist-duaal"), mentors=[])
    Recognition.objects.filter(pk=withdrawn.pk).update(ended_on=today - timedelta(days=3))
    make_recognition(state="excluded", programme=programme("dakwerker-duaal"),
                     valid_from=today - timedelta(days=900))
    lonely = make_recognition(programme=programme("bouwplaatsmachinist-duaal"), mentors=[])
    for _ in range(2):
        SupportAction.objects.create(recognition=lonely, improvement="Mentor aanduiden",
                                     due_on=today + timedelta(days=20), created_by=employer)

    response = login("werkgever").get(REGISTER, **EN)
    assert response.status_code == 200
    page = text(response)
    assert "Werf en atelier Gent" in page and "Kantoor Antwerpen" in page
    assert f"Expiring valid until {ends:%d/%m/%Y}" in page
    assert "Expired ended on" in page
    assert (f"Renewed continued by the recognition from {new.valid_from:%d/%m/%Y} until "
            f"{new.valid_until:%d/%m/%Y}") in page
    assert f"Withdrawn on {today - timedelta(days=3):%d/%m/%Y}" in page
    assert "Excluded" in page
    assert page.count("Active") >= 2
    assert f"{recognition_validity(today - timedelta(days=365)).day:%d/%m/%Y}" in page
    assert "Jan Peeters" in page
    # The recognition in force without a mentor is flagged; the withdrawn one is not.
    assert page.count("No active mentor") == 1
    assert "has no active mentor: you cannot sign new agreements" in page
    assert "2 open" in page
    for recognition in Recognition.objects.all():
        assert url("detail", recognition) in response.content.decode()
    assert url("detail", new) in response.content.decode()


def test_the_register_of_an_enterprise_without_recognitions(login):
    response = login("werkgever").get(REGISTER, **EN)
    assert "Your enterprise has no recognitions yet." in text(response)


def test_the_register_pages_per_25_units(login, demo_enterprise, make_recognition):
    for n in range(27):
        make_recognition(unit=new_unit(demo_enterprise, n))
    client = login("werkgever")
    first = client.get(REGISTER, **EN)
    assert len(first.context["groups"]) == 25
    second = client.get(REGISTER, {"pagina": 2}, **EN)
    assert len(second.context["groups"]) == 2
    assert {g.unit for g in first.context["groups"]}.isdisjoint(
        {g.unit for g in second.context["groups"]})


def _register_rows(demo_enterprise, make_recognition, employer, today, count, offset=0):
    from werkplek.catalog.models import Programme

    codes = list(Programme.objects.order_by("code").values_list("code", flat=True))
    for n in range(offset, offset + count):
        unit = new_unit(demo_enterprise, n) if n % 3 else None
        recognition = make_recognition(unit=unit, programme=programme(codes[n % len(codes)]),
                                       state="active" if n % 3 else "expired",
                                       mentors=None if n % 4 else [])
        SupportAction.objects.create(recognition=recognition, improvement="x",
                                     due_on=today + timedelta(days=n - 5), created_by=employer)


def test_the_register_runs_the_same_queries_for_1_and_30_rows(
        login, demo_enterprise, make_recognition, employer, today, django_assert_max_num_queries):
    client = login("werkgever")
    _register_rows(demo_enterprise, make_recognition, employer, today, 1)
    with django_assert_max_num_queries(12) as few:
        assert client.get(REGISTER).status_code == 200
    _register_rows(demo_enterprise, make_recognition, employer, today, 30, offset=1)
    with django_assert_max_num_queries(12) as many:
        response = client.get(REGISTER)
    assert sum(len(g.recognitions) for g in response.context["groups"]) == 31
    assert len(many) == len(few)


# --- the partnership's register ------------------------------------------------------------------

@pytest.fixture
def several(make_recognition, demo_enterprise, construction_unit, employer, today):
    """Recognitions of the construction partnership in several states, and one of another
    partnership."""
    from werkplek.catalog.models import Partnership

    antwerp = demo_enterprise.units.exclude(pk=construction_unit.pk).get()
    made = {
        "active": make_recognition(),
        "lonely": make_recognition(unit=antwerp, mentors=[]),
        "expiring": make_recognition(programme=programme("ruwbouw-duaal"),
                                     valid_until=today + timedelta(days=30),
                                     valid_from=today - timedelta(days=1800)),
        "expired": make_recognition(state="expired", valid_from=today - timedelta(days=2000)),
        "withdrawn": make_recognition(state="withdrawn", unit=antwerp,
                                      programme=programme("ruwbouw-duaal")),
    }
    SupportAction.objects.create(recognition=made["expiring"], improvement="x", due_on=today,
                                 created_by=employer)
    vpdl = make_recognition(programme=programme("bouwplaatsmachinist-duaal"))
    Recognition.objects.filter(pk=vpdl.pk).update(
        partnership=Partnership.objects.get(code="vpdl"))
    made["vpdl"] = vpdl
    return made


def rows(response):
    return list(response.context["page"].object_list)


def test_the_handler_sees_the_own_partnerships_recognitions_by_state(login, several):
    client = login("behandelaar-bouw")
    response = client.get(HANDLER_REGISTER, **EN)
    assert set(rows(response)) == {several[k] for k in ("active", "lonely", "expiring",
                                                        "expired", "withdrawn")}
    tabs = {tab["key"]: tab["count"] for tab in response.context["tabs"]}
    assert tabs == {"all": 5, "active": 2, "expiring": 1, "expired": 1, "renewed": 0,
                    "withdrawn": 1, "excluded": 0}
    page = text(response)
    assert "Expiring within 6 months (1)" in page
    assert page.count("No active mentor") == 1
    assert "Follow-up due" in page
    assert rows(client.get(HANDLER_REGISTER, {"staat": "loopt-af"})) == [several["expiring"]]
    assert set(rows(client.get(HANDLER_REGISTER, {"staat": "actief"}))) == {
        several["active"], several["lonely"]}
    assert rows(client.get(HANDLER_REGISTER, {"staat": "opgeheven"})) == [several["withdrawn"]]
    vpdl = login("behandelaar-vpdl").get(HANDLER_REGISTER)
    assert rows(vpdl) == [several["vpdl"]]


def test_the_handlers_filters(login, several):
    from werkplek.catalog.models import Province

    client = login("behandelaar-bouw")
    assert rows(client.get(HANDLER_REGISTER, {"zonder_mentor": "on"})) == [several["lonely"]]
    assert rows(client.get(HANDLER_REGISTER, {"opvolging": "on"})) == [several["expiring"]]
    assert set(rows(client.get(HANDLER_REGISTER, {
        "opleiding": programme("ruwbouw-duaal").pk}))) == {several["expiring"],
                                                           several["withdrawn"]}
    antwerp = Province.objects.get(code="VAN")
    response = client.get(HANDLER_REGISTER, {"provincie": antwerp.pk, "staat": "actief"})
    assert rows(response) == [several["lonely"]]
    tabs = {tab["key"]: tab["count"] for tab in response.context["tabs"]}
    assert tabs["all"] == 2 and tabs["withdrawn"] == 1
    # The tab links keep the filters.
    assert all(f"provincie={antwerp.pk}" in tab["url"] for tab in response.context["tabs"])
    assert len(rows(client.get(HANDLER_REGISTER, {"zoek": "Zwaluw"}))) == 5
    assert len(rows(client.get(HANDLER_REGISTER, {"zoek": "0412 345 614"}))) == 5
    assert rows(client.get(HANDLER_REGISTER, {"zoek": "Bakkerij"})) == []


def test_a_wrong_filter_value_says_so(login, several):
    response = login("behandelaar-bouw").get(HANDLER_REGISTER, {"opleiding": "999999",
                                                                "zonder_mentor": "on"}, **EN)
    assert "Choose a programme from the list." in text(response)
    assert "There is a problem" in text(response)
    assert rows(response) == [several["lonely"]]


def test_the_handlers_register_sorts(login, several):
    client = login("behandelaar-bouw")
    ends = [r.valid_until for r in rows(client.get(HANDLER_REGISTER))]
    assert ends == sorted(ends)
    ends = [r.valid_until for r in rows(client.get(HANDLER_REGISTER, {"sorteer": "-einddatum"}))]
    assert ends == sorted(ends, reverse=True)
    response = client.get(HANDLER_REGISTER, {"sorteer": "onderneming"}, **EN)
    assert response.context["headers"]["enterprise"]["aria_sort"] == "ascending"
    assert "sorteer=-onderneming" in response.context["headers"]["enterprise"]["url"]


def test_fifty_per_page(login, demo_enterprise, make_recognition):
    for n in range(52):
        make_recognition(unit=new_unit(demo_enterprise, n))
    client = login("behandelaar-bouw")
    first = client.get(HANDLER_REGISTER, **EN)
    assert len(rows(first)) == 50
    assert "page 1 of 2" in text(first)
    second = client.get(HANDLER_REGISTER + first.context["next_url"])
    assert len(rows(second)) == 2


def _handler_rows(demo_enterprise, make_recognition, employer, today, count, offset=0):
    for n in range(offset, offset + count):
        recognition = make_recognition(unit=new_unit(demo_enterprise, n, province="VOV"),
                                       mentors=None if n % 2 else [])
        SupportAction.objects.create(recognition=recognition, improvement="x",
                                     due_on=today + timedelta(days=n % 3 - 1),
                                     created_by=employer)


@pytest.mark.parametrize("params", [{}, {"staat": "actief", "sorteer": "-onderneming"},
                                    {"opvolging": "on", "provincie": "", "zoek": "zwaluw"}])
def test_the_handlers_register_runs_the_same_queries_for_1_and_30_rows(
        login, demo_enterprise, make_recognition, employer, today,
        django_assert_max_num_queries, params):
    client = login("behandelaar-bouw")
    _handler_rows(demo_enterprise, make_recognition, employer, today, 1)
    with django_assert_max_num_queries(14) as few:
        assert client.get(HANDLER_REGISTER, params).status_code == 200
    _handler_rows(demo_enterprise, make_recognition, employer, today, 30, offset=1)
    with django_assert_max_num_queries(14) as many:
        response = client.get(HANDLER_REGISTER, params)
    assert len(rows(response)) >= 10
    assert len(many) == len(few)


# --- a recognition's page ------------------------------------------------------------------------

def test_the_page_shows_the_recognition(login, make_recognition, peeters, make_mentor,
                                        make_agreement, today, employer):
    old = make_recognition(state="renewed", valid_from=today - timedelta(days=1700))
    recognition = make_recognition(valid_from=old.valid_until + timedelta(days=1))
    Recognition.objects.filter(pk=recognition.pk).update(previous=old)
    claes = make_mentor("Claes")
    RecognitionMentor.objects.create(recognition=recognition, mentor=claes,
                                     since=recognition.valid_from, is_active=False,
                                     until=today - timedelta(days=2), end_reason="vertrokken")
    agreement = make_agreement(recognition, peeters)
    RecognitionEvent.objects.create(enterprise=recognition.enterprise, recognition=recognition,
                                    kind=RecognitionEvent.Kind.GRANTED, actor=employer)
    RecognitionEvent.objects.create(enterprise=recognition.enterprise, recognition=recognition,
                                    kind=RecognitionEvent.Kind.FINDING,
                                    message="Intern verslag van het bezoek")
    response = login("werkgever").get(url("detail", recognition), **EN)
    page = text(response)
    assert recognition.programme.name_en in page
    assert "Jan Peeters" in page and "An Claes" in page and "vertrokken" in page
    assert agreement.learner.full_name in page
    assert f"from {recognition.valid_from:%d/%m/%Y} until {recognition.valid_until:%d/%m/%Y}" \
        in page
    assert url("detail", old) in response.content.decode()
    assert "Recognition granted" in page
    assert "Intern verslag" not in page  # casework the enterprise does not see
    assert "Monitoring by the partnership" not in page
    # Names only: never a national register number, not even masked.
    assert peeters.national_number not in response.content.decode()
    assert peeters.masked_national_number not in response.content.decode()
    assert agreement.learner.masked_national_number not in response.content.decode()

    handler_page = login("behandelaar-bouw").get(url("detail", recognition), **EN)
    assert "Intern verslag" in text(handler_page)
    assert "Monitoring by the partnership" in text(handler_page)
    assert set(handler_page.context["monitoring"]) == {"findings", "support_actions",
                                                       "sanctions"}


def test_the_successor_and_the_application_are_linked(login, make_recognition, today,
                                                      demo_enterprise, construction_unit,
                                                      dakwerker, employer):
    application = Application(enterprise=demo_enterprise, unit=construction_unit,
                              programme=dakwerker, created_by=employer)
    application.save()
    old = make_recognition(state="renewed", valid_from=today - timedelta(days=1700))
    new = make_recognition(valid_from=old.valid_until + timedelta(days=1))
    Recognition.objects.filter(pk=new.pk).update(previous=old)
    Recognition.objects.filter(pk=old.pk).update(application=application)
    response = login("werkgever").get(url("detail", old), **EN)
    body = response.content.decode()
    assert url("detail", new) in body
    assert reverse("applications:detail", args=[application.pk]) in body
    assert "Continued by" in text(response)
    # A renewed recognition has nothing to renew: no renewal section.
    assert "Apply for renewal" not in text(response)
    assert 'id="renewal"' not in body


def test_the_handler_is_warned_when_no_mentor_is_active(login, make_recognition):
    recognition = make_recognition(mentors=[])
    response = login("behandelaar-bouw").get(url("detail", recognition), **EN)
    assert "This recognition has no active mentor." in text(response)
    assert response.context["lacks_mentor"] is True
    response = login("werkgever").get(url("detail", recognition), **EN)
    assert "You cannot sign new agreements until you add a mentor" in text(response)


def test_sanctions_with_their_letters_and_the_appeal_link(login, recognition, handler, bouw,
                                                          today, peeters):
    from werkplek.notices.models import Letter

    action = SupportAction.objects.create(recognition=recognition, improvement="x",
                                          due_on=today, state="failed", created_by=handler)
    sanction = Sanction.objects.create(
        reference="S-2026-000099", kind=Sanction.Kind.MENTOR_BAN,
        enterprise=recognition.enterprise, partnership=bouw, recognition=recognition,
        support_action=action, mentor=peeters, reasons="Herhaalde onveilige situaties",
        imposed_on=today, imposed_by=handler)
    sanction.programmes.set([recognition.programme])
    letter = Letter.objects.create(sanction=sanction, number=1, reference="S-2026-000099-1",
                                   kind=Letter.Kind.SANCTION, language="nl", dated_on=today,
                                   state=Letter.State.READY, file="letters/s.pdf", size=2048)
    response = login("werkgever").get(url("detail", recognition), **EN)
    body, page = response.content.decode(), text(response)
    assert "Herhaalde onveilige situaties" in page
    assert reverse("notices:letter", args=[letter.pk]) in body
    assert reverse("appeals:file_sanction", args=[sanction.pk]) in body
    handler_page = login("behandelaar-bouw").get(url("detail", recognition), **EN)
    assert reverse("notices:letter", args=[letter.pk]) in handler_page.content.decode()
    assert reverse("appeals:file_sanction", args=[sanction.pk]) not in \
        handler_page.content.decode()
    # Once the sanction is no longer in force, there is nothing to appeal.
    Sanction.objects.filter(pk=sanction.pk).update(state=Sanction.State.LIFTED)
    body = login("werkgever").get(url("detail", recognition)).content.decode()
    assert reverse("appeals:file_sanction", args=[sanction.pk]) not in body


# --- renewal -------------------------------------------------------------------------------------

@pytest.fixture
def ending(make_recognition, today):
    """An active recognition that ends in 100 days: renewal is open."""
    ends = today + timedelta(days=100)
    return make_recognition(valid_until=ends, valid_from=ends - timedelta(days=1825))


def test_the_renewal_button_starts_a_prefilled_draft(login, ending, peeters, construction_unit,
                                                     dakwerker):
    client = login("werkgever")
    page = client.get(url("detail", ending), **EN)
    assert "Apply for renewal" in text(page)
    assert url("renew", ending) in page.content.decode()
    response = client.post(url("renew", ending), **EN)
    draft = Application.objects.get(renews=ending)
    assert response["Location"] == reverse("applications:detail", args=[draft.pk])
    assert draft.state == Application.State.DRAFT
    assert (draft.unit, draft.programme, draft.enterprise) == (
        construction_unit, dakwerker, ending.enterprise)
    assert [entry.mentor for entry in draft.mentors.all()] == [peeters]
    # A second time: the page says a renewal was started, and no second draft is made.
    page = client.get(url("detail", ending), **EN)
    assert "A renewal has already been started" in text(page)
    assert url("renew", ending) not in page.content.decode()
    assert reverse("applications:detail", args=[draft.pk]) in page.content.decode()
    response = client.post(url("renew", ending), follow=True, **EN)
    assert "A renewal has already been started" in text(response)
    assert Application.objects.filter(renews=ending).count() == 1


def test_no_renewal_before_six_months_before_the_end(login, recognition):
    from werkplek.recognitions.services import renewal_opens_on

    client = login("werkgever")
    page = client.get(url("detail", recognition), **EN)
    opens = renewal_opens_on(recognition)
    assert f"A renewal can be asked from {opens:%d/%m/%Y}" in text(page)
    assert url("renew", recognition) not in page.content.decode()
    response = client.post(url("renew", recognition), follow=True, **EN)
    assert response.redirect_chain[-1][0] == url("detail", recognition)
    assert f"A renewal can be asked from {opens:%d/%m/%Y}" in text(response)
    assert not Application.objects.filter(renews=recognition).exists()


# --- mentors -------------------------------------------------------------------------------------

def new_mentor_data(recognition, *, born=None, years="10", training="done", **extra):
    data = {"version": recognition.version, "first_name": "Sofie", "last_name": "Maes",
            "national_number": national_number_born(born or years_ago(40), 7),
            "years_of_experience": years, "training": training}
    data.update(extra)
    return data


def test_add_a_new_mentor(login, recognition, caplog):
    client = login("werkgever")
    form = client.get(url("add_mentor", recognition), **EN)
    assert form.status_code == 200
    assert "Jan Peeters" not in text(form)  # already a mentor: not offered again
    response = client.post(url("add_mentor", recognition),
                           new_mentor_data(recognition, extract=pdf()), **EN)
    assert response.status_code == 302, text(response)[:2000]
    assert response["Location"] == url("detail", recognition)
    mentor = Mentor.objects.get(last_name="Maes")
    link = recognition.mentor_links.get(mentor=mentor)
    assert link.is_active and link.years_of_experience == 10 and link.training == "done"
    document = MentorDocument.objects.get(link=link)
    assert document.kind == MentorDocument.Kind.CRIMINAL_RECORD_EXTRACT
    assert RecognitionEvent.objects.filter(recognition=recognition,
                                           kind=RecognitionEvent.Kind.MENTOR_ADDED).exists()
    page = client.get(url("detail", recognition), **EN)
    assert "Sofie Maes has been added as mentor." in text(page)
    document_url = url("mentor_document", recognition, document.pk)
    assert document_url in page.content.decode()

    with caplog.at_level(logging.INFO, logger="werkplek.personal_data"):
        download = client.get(document_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert f"mentor document download user={User.objects.get(username='werkgever').pk}" \
        in caplog.text
    handler = login("behandelaar-bouw").get(document_url)
    assert handler.status_code == 200
    assert login("behandelaar-vpdl").get(document_url).status_code == 404
    assert login("trajectbegeleider").get(document_url).status_code == 404


def test_add_a_known_mentor(login, recognition, make_mentor):
    claes = make_mentor("Claes")
    response = login("werkgever").post(url("add_mentor", recognition), {
        "version": recognition.version, "existing": claes.pk, "years_of_experience": "12",
        "training": "will_follow", "extract": pdf()})
    assert response.status_code == 302
    assert recognition.mentor_links.get(mentor=claes).is_active


def test_a_refused_mentor_lists_every_unmet_condition(login, recognition):
    client = login("werkgever")
    data = new_mentor_data(recognition, born=years_ago(20), years="2",
                           proof=pdf("diploma.pdf"))
    data.pop("proof")
    response = client.post(url("add_mentor", recognition), data, **EN)
    assert response.status_code == 200
    summary = response.content.decode().split('class="govuk-error-summary"')[1].split(
        "</ul>")[0]
    items = re.findall(r"<li>(.*?)</li>", summary, re.S)
    assert len(items) >= 3, items  # too young, too little experience, no extract
    joined = " ".join(items)
    assert "25" in joined and "5 years" in joined and "596.2" in joined
    assert response.context["form"]["first_name"].value() == "Sofie"  # nothing typed is lost
    assert not Mentor.objects.filter(last_name="Maes").exists()  # nothing was created
    assert recognition.mentor_links.count() == 1
    assert text(response).startswith("Error:")


def test_a_refused_mentor_with_files_is_told_to_choose_them_again(login, recognition):
    response = login("werkgever").post(url("add_mentor", recognition), new_mentor_data(
        recognition, born=years_ago(19), extract=pdf()), **EN)
    assert response.status_code == 200
    assert "Choose the files again" in text(response)
    assert not MentorDocument.objects.exists()


def test_a_known_national_number_under_another_name(login, recognition, peeters):
    response = login("werkgever").post(url("add_mentor", recognition), new_mentor_data(
        recognition, national_number="80051412308", extract=pdf()), **EN)
    assert response.status_code == 200
    assert "already known for the enterprise under another name" in \
        " ".join(response.context["form"].errors["national_number"])


def test_the_form_checks_what_was_typed(login, recognition, make_mentor):
    claes = make_mentor("Claes")
    client = login("werkgever")
    response = client.post(url("add_mentor", recognition), {"version": recognition.version},
                           **EN)
    errors = response.context["form"].errors
    assert set(errors) >= {"first_name", "last_name", "national_number",
                           "years_of_experience", "training"}
    response = client.post(url("add_mentor", recognition), new_mentor_data(
        recognition, existing=claes.pk), **EN)
    assert "not both" in " ".join(response.context["form"].errors["national_number"])


def test_a_stale_page_keeps_what_was_entered(login, recognition):
    client = login("werkgever")
    data = new_mentor_data(recognition, extract=pdf())
    Recognition.objects.filter(pk=recognition.pk).update(version=recognition.version + 1)
    response = client.post(url("add_mentor", recognition), data, **EN)
    assert response.status_code == 200
    assert "Someone changed this recognition meanwhile" in text(response)
    form = response.context["form"]
    assert form["last_name"].value() == "Maes"
    assert str(form["version"].value()) == str(recognition.version + 1)
    assert not Mentor.objects.filter(last_name="Maes").exists()
    # Sent again, with the current version (and the file chosen again), it works.
    again = dict(data, version=recognition.version + 1, extract=pdf())
    assert client.post(url("add_mentor", recognition), again).status_code == 302


def test_replace_a_mentor_moves_the_running_agreements(login, recognition, peeters,
                                                       make_mentor, make_agreement):
    claes = make_mentor("Claes")
    agreement = make_agreement(recognition, peeters)
    old = recognition.mentor_links.get(mentor=peeters)
    client = login("werkgever")
    page = client.get(url("replace_mentor", recognition, old.pk), **EN)
    assert "Replace Jan Peeters" in text(page)
    response = client.post(url("replace_mentor", recognition, old.pk), {
        "version": recognition.version, "existing": claes.pk, "years_of_experience": "12",
        "training": "done", "extract": pdf()}, **EN)
    assert response.status_code == 302
    old.refresh_from_db()
    assert not old.is_active and "An Claes" in old.end_reason
    agreement.refresh_from_db()
    assert agreement.mentor == claes
    # A mentor no longer active cannot be replaced again.
    response = client.get(url("replace_mentor", recognition, old.pk), follow=True, **EN)
    assert "no longer a mentor of this recognition" in text(response)


def test_stopping_a_mentor_who_coaches_is_refused(login, recognition, peeters, make_agreement):
    make_agreement(recognition, peeters)
    link = recognition.mentor_links.get()
    client = login("werkgever")
    page = client.get(url("deactivate_mentor", recognition, link.pk), **EN)
    assert "Are you sure Jan Peeters stops as mentor" in text(page)
    response = client.post(url("deactivate_mentor", recognition, link.pk),
                           {"version": recognition.version, "reason": "Met pensioen"}, **EN)
    assert response.status_code == 200
    assert "coaches 1 running agreement:" in text(response)
    assert url("replace_mentor", recognition, link.pk) in response.content.decode()
    link.refresh_from_db()
    assert link.is_active


def test_stop_a_mentor_with_a_reason(login, make_recognition, peeters, make_mentor):
    claes = make_mentor("Claes")
    recognition = make_recognition(mentors=[peeters, claes])
    link = recognition.mentor_links.get(mentor=claes)
    response = login("werkgever").post(url("deactivate_mentor", recognition, link.pk),
                                       {"version": recognition.version,
                                        "reason": "Werkt niet meer hier"}, follow=True, **EN)
    assert response.redirect_chain[-1][0] == url("detail", recognition)
    link.refresh_from_db()
    assert not link.is_active and link.end_reason == "Werkt niet meer hier"
    assert "An Claes is no longer a mentor of this recognition." in text(response)
    assert "Former mentors" in text(response)


def test_mentors_cannot_change_once_the_recognition_ended(login, make_recognition):
    ended = make_recognition(state="withdrawn")
    response = login("werkgever").get(url("add_mentor", ended), follow=True, **EN)
    assert "Mentors can only be changed while the recognition is in force." in text(response)
    assert url("add_mentor", ended) not in response.content.decode()


# --- support actions -----------------------------------------------------------------------------

def test_the_enterprise_answers_a_support_action(login, recognition, handler, today):
    action = SupportAction.objects.create(recognition=recognition,
                                          improvement="Valbeveiliging plaatsen",
                                          due_on=today + timedelta(days=14), created_by=handler)
    client = login("werkgever")
    page = client.get(url("detail", recognition), **EN)
    assert "Valbeveiliging plaatsen" in text(page)
    field = f"action-{action.pk}-answer"
    assert f'name="{field}"' in page.content.decode()
    response = client.post(url("answer_support_action", recognition, action.pk), {field: "  "},
                           **EN)
    assert response.status_code == 200
    assert "There is a problem" in text(response)
    assert "Say what you did or will do." in text(response)
    assert f'href="#id_{field}"' in response.content.decode()
    response = client.post(url("answer_support_action", recognition, action.pk),
                           {field: "Leuningen geplaatst op 3/12"}, follow=True, **EN)
    assert "Your answer has been sent to the partnership." in text(response)
    action.refresh_from_db()
    assert action.state == SupportAction.State.ANSWERED
    assert action.answer == "Leuningen geplaatst op 3/12"


def test_a_followed_up_support_action_cannot_be_answered(login, recognition, handler, today):
    action = SupportAction.objects.create(recognition=recognition, improvement="x",
                                          due_on=today, state="met", created_by=handler)
    client = login("werkgever")
    field = f"action-{action.pk}-answer"
    assert f'name="{field}"' not in client.get(url("detail", recognition)).content.decode()
    response = client.post(url("answer_support_action", recognition, action.pk),
                           {field: "Toch nog iets"}, follow=True, **EN)
    assert "followed up already" in text(response)
    action.refresh_from_db()
    assert action.answer == ""


def test_a_support_action_of_another_recognition_is_not_found(login, make_recognition, handler,
                                                              today):
    first = make_recognition()
    second = make_recognition(programme=programme("ruwbouw-duaal"))
    action = SupportAction.objects.create(recognition=second, improvement="x",
                                          due_on=today + timedelta(days=3), created_by=handler)
    response = login("werkgever").post(url("answer_support_action", first, action.pk),
                                       {f"action-{action.pk}-answer": "x"})
    assert response.status_code == 404


def test_agreements_show_the_learner_by_name_only(login, recognition, peeters, make_agreement):
    agreement = make_agreement(recognition, peeters)
    assert agreement.state == Agreement.State.ACTIVE
    page = login("behandelaar-bouw").get(url("detail", recognition), **EN)
    assert agreement.learner.full_name in text(page)
    assert agreement.learner.masked_national_number not in page.content.decode()


# --- accessibility basics ------------------------------------------------------------------------

class _Outline(HTMLParser):
    """The ids and heading levels of a page, in order."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.levels: list[int] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if "id" in values:
            self.ids.append(values["id"])
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


def assert_well_formed(response) -> None:
    outline = _Outline()
    outline.feed(response.content.decode())
    assert len(outline.ids) == len(set(outline.ids)), "duplicate ids"
    assert outline.levels.count(1) == 1, outline.levels
    levels = outline.levels[outline.levels.index(1):]
    assert all(b <= a + 1 for a, b in pairwise(levels)), levels  # no level skipped


def test_pages_have_unique_ids_and_ordered_headings(login, recognition, handler, today,
                                                    make_agreement, peeters):
    make_agreement(recognition, peeters)
    action = SupportAction.objects.create(recognition=recognition, improvement="x",
                                          due_on=today + timedelta(days=4), created_by=handler)
    link = recognition.mentor_links.get()
    client = login("werkgever")
    for page in (REGISTER, url("detail", recognition), url("add_mentor", recognition),
                 url("replace_mentor", recognition, link.pk),
                 url("deactivate_mentor", recognition, link.pk)):
        assert_well_formed(client.get(page, **EN))
    assert_well_formed(client.post(url("add_mentor", recognition), {}, **EN))
    assert_well_formed(client.post(url("deactivate_mentor", recognition, link.pk), {}, **EN))
    assert_well_formed(client.post(url("answer_support_action", recognition, action.pk), {},
                                   **EN))
    client = login("behandelaar-bouw")
    for page in (HANDLER_REGISTER, url("detail", recognition)):
        assert_well_formed(client.get(page, **EN))
