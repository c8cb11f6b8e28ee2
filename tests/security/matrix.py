"""The authorization matrix: for every URL of the application (by URL name) and every operation
of the API (by method and OpenAPI path), who may use it, on which objects; and the world of
objects and people it is checked in (`build_world`, at the end of this module).

The actors (`ACTORS`): anonymous; each role on its own objects (the demo enterprise's
representative and employer staff, the learner coach it gave a mandate, the case handler and
voting member of partnership "bouw", the appeal committee, the administrator); outsiders (the
representative and employer staff of another enterprise, a coach of another training provider,
the handler and a voting member of another partnership); and the demo coach once his mandate of
the demo enterprise expired, and once it was revoked.

An entry names the objects its URL arguments point at (by their name in `World.objects`) and
the actors it is for:

- `public(...)`: everyone, anonymous visitors too;
- `page(..., allow=...)`: a page that needs a login; `allow` are the actors who may use it,
  `readonly` those who may open it (or the object it is about) but whose POST must change
  nothing; anyone else signed in is refused (403 or 404), an anonymous visitor is sent to the
  login page;
- `api(...)`: the same for an API operation; an anonymous client gets 401 or 403.

`post_only=True` marks an action URL (a form posts to it): its GET only redirects (or answers
405); the POST is what is checked. A URL may have several entries (`label`) for objects in
different states, and "crossed" entries name a parent of the demo enterprise with a child of
someone else's. `post` gives the POST valid data where an empty one would prove nothing;
`shows` names texts a page may show only to some. `xfail` marks an actor for whom the URL does
what it must not (a bug found by the matrix, reported, not yet fixed): the check is then
expected to fail, strictly.

What each outcome means is in the docstring of `test_authorization_matrix.py`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from unittest import mock

# --- the actors -------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
ACTORS = (
    ANONYMOUS,
    # Each role, on its own objects (the demo enterprise, its coach, partnership "bouw").
    "representative", "employer", "coach", "handler", "voter", "appeal_committee",
    "administrator",
    # Outsiders: another enterprise, another training provider, another partnership.
    "other_representative", "other_employer", "other_coach", "other_handler", "other_voter",
    # The demo coach whose mandate of the demo enterprise expired, or was revoked.
    "coach_expired", "coach_revoked",
)
SIGNED_IN = frozenset(ACTORS) - {ANONYMOUS}
ENTERPRISE = frozenset({"representative", "employer"})
OTHER_ENTERPRISE = frozenset({"other_representative", "other_employer"})
ANY_ENTERPRISE = ENTERPRISE | OTHER_ENTERPRISE
# The demo coach: the coaches of the demo training provider, whatever their mandate.
PROVIDER_COACHES = frozenset({"coach", "coach_expired", "coach_revoked"})
COACHES = PROVIDER_COACHES | {"other_coach"}
HANDLERS = frozenset({"handler", "other_handler"})
# The applicants of the applications filed under the coach's mandate.
APPLICANTS = ENTERPRISE | {"coach"}


@dataclass(frozen=True)
class Entry:
    key: str  # the URL name, or "METHOD /api/v1/path/{id}/"
    allow: frozenset = frozenset()
    readonly: frozenset = frozenset()
    public: bool = False
    post_only: bool = False
    label: str = ""
    kwargs: dict = field(default_factory=dict)  # URL argument -> object name (World.objects)
    query: str = ""  # a query string to add to the URL
    # The data of the POST (or of the API write): empty by default. "@name" is the object
    # (or value) of that name in the world.
    post: dict = field(default_factory=dict)
    # ((text, actors), ...): the text (by its name in the world) is on the page (GET) for
    # these actors, and for nobody else who may open the page: a list shows only what is
    # theirs; a national register number is on no page (actors: none).
    shows: tuple = ()
    # The answers that count as a refusal (for deny): 403 or 404; a few API operations refuse
    # with a validation error (400) on the field that names what may not be used.
    refused: frozenset = frozenset({403, 404})
    xfail: dict = field(default_factory=dict)  # actor -> what goes wrong

    @property
    def is_api(self) -> bool:
        return " " in self.key

    @property
    def method(self) -> str:
        return self.key.split(" ")[0] if self.is_api else "GET"

    @property
    def id(self) -> str:
        return f"{self.key}[{self.label}]" if self.label else self.key

    def expectation(self, actor: str) -> str:
        """public, anonymous, allow, readonly or deny."""
        if self.public:
            return "public"
        if actor == ANONYMOUS:
            return "anonymous"
        if actor in self.allow:
            return "allow"
        if actor in self.readonly:
            return "readonly"
        return "deny"


def _check(allow, readonly) -> tuple[frozenset, frozenset]:
    allow, readonly = frozenset(allow), frozenset(readonly)
    unknown = (allow | readonly) - SIGNED_IN
    assert not unknown, f"Unknown actors in the matrix: {sorted(unknown)}"
    return allow, readonly - allow


def public(key: str, *, label: str = "", post_only: bool = False, query: str = "",
           **kwargs: str) -> Entry:
    return Entry(key, public=True, label=label, post_only=post_only, query=query,
                 kwargs=kwargs)


def _shows(shows) -> tuple:
    """One (text, actors) or a list of them."""
    if not shows:
        return ()
    if isinstance(shows[0], str):
        shows = [shows]
    for _text, actors in shows:
        _check(actors, ())
    return tuple((text, frozenset(actors)) for text, actors in shows)


def page(key: str, allow=(), *, readonly=(), post_only: bool = False, label: str = "",
         query: str = "", post: dict | None = None, shows=(), xfail: dict | None = None,
         **kwargs: str) -> Entry:
    allow, readonly = _check(allow, readonly)
    return Entry(key, allow, readonly, post_only=post_only, label=label, kwargs=kwargs,
                 query=query, post=post or {}, shows=_shows(shows), xfail=xfail or {})


def api(key: str, allow=(), *, readonly=(), label: str = "", post: dict | None = None,
        shows=(), refused=(403, 404), xfail: dict | None = None, **kwargs: str) -> Entry:
    assert " " in key, key
    allow, readonly = _check(allow, readonly)
    return Entry(key, allow, readonly, label=label, kwargs=kwargs, post=post or {},
                 shows=_shows(shows), refused=frozenset(refused), xfail=xfail or {})


def api_public(key: str, **kwargs: str) -> Entry:
    return Entry(key, public=True, kwargs=kwargs)


# --- the pages --------------------------------------------------------------------------------

# Short names of the objects (see `build_world`).
DRAFT = "app.coach_draft"  # a draft the coach filed under his mandate
SUBMITTED = "app.coach_submitted"  # submitted by the coach, handled by "bouw"
PROPOSED = "app.proposed"  # another enterprise's case, put to the vote of "bouw"
# Texts a list shows only to those who may see them: the demo enterprise's name (in the lists
# of others than the enterprise), its unit's name, a learner of its agreements (coached by the
# coach), the reference of its appeal.
NAME = "text.enterprise"
UNIT = "text.unit"
LEARNER = "text.learner"
# Never shown on a page (only on the answer to a POST that reveals it): the national register
# numbers of the mentor of the submitted application and of the coached learner. The
# partnership's internal note on the submitted application: only for its handler.
NOBODY = frozenset()
MENTOR_NUMBER = ("text.mentor_number", NOBODY)
LEARNER_NUMBER = ("text.learner_number", NOBODY)
NOTE = "text.internal_note"
VERSION = "@app.proposed.version"

PAGES: list[Entry] = [
    # Infrastructure: switching the language, the JavaScript catalogue.
    public("set_language"),
    public("javascript-catalog"),
    # General pages, help, the public register and open data, the self-scan.
    public("core:home"),
    public("core:accessibility"),
    public("core:privacy"),
    public("core:alive"),
    public("core:favicon"),
    public("catalog:help"),
    public("register:search"),
    public("register:workplace", pk="recognition.in_force"),
    public("register:programme_suggestions", query="q=dak"),
    public("register:open_data"),
    public("register:export_csv"),
    public("register:export_json"),
    public("selfscan:start"),
    public("selfscan:restart", post_only=True),
    public("selfscan:programme"),
    public("selfscan:establishment"),
    public("selfscan:workplace"),
    public("selfscan:activities"),
    public("selfscan:mentor", index="index"),
    public("selfscan:remove_mentor", post_only=True, index="index"),
    public("selfscan:mentors"),
    public("selfscan:application"),
    public("selfscan:result"),
    public("selfscan:help", post_only=True),
    public("selfscan:help_sent"),
    public("selfscan:start_application", post_only=True),
    page("selfscan:carry", SIGNED_IN),
    # Accounts.
    public("accounts:login"),
    public("accounts:logout", post_only=True),
    page("accounts:dashboard", SIGNED_IN, shows=(NAME, ENTERPRISE)),
    page("accounts:two_factor_setup", SIGNED_IN),
    page("accounts:two_factor_verify", SIGNED_IN),
    page("accounts:enterprise_access", {"representative"}, enterprise_id="enterprise"),
    page("accounts:revoke_access", {"representative"}, post_only=True,
         enterprise_id="enterprise", membership_id="membership.employer"),
    # Mandates.
    page("enterprises:mandates", {"representative"}, enterprise_id="enterprise"),
    page("enterprises:revoke_mandate", {"representative"}, post_only=True,
         enterprise_id="enterprise", mandate_id="mandate.coach"),
    page("enterprises:my_mandates", SIGNED_IN, shows=(NAME, {"coach"})),
    # Applications: the applicant's side.
    page("applications:list", SIGNED_IN, shows=(NAME, APPLICANTS | {"handler"})),
    page("applications:start", SIGNED_IN, shows=(NAME, APPLICANTS)),
    page("applications:detail", ENTERPRISE, label="employer's draft", pk="app.draft"),
    page("applications:detail", APPLICANTS, label="coach's draft", pk=DRAFT),
    page("applications:detail", APPLICANTS | {"handler"}, label="submitted", pk=SUBMITTED,
         shows=[MENTOR_NUMBER, (NOTE, {"handler"})]),
    page("applications:detail", {"handler", "voter"}, label="to vote on", pk=PROPOSED),
    page("applications:unit", APPLICANTS, pk=DRAFT),
    page("applications:new_unit", APPLICANTS, pk=DRAFT),
    page("applications:programme", APPLICANTS, pk=DRAFT),
    page("applications:activities", APPLICANTS, pk=DRAFT),
    page("applications:workplace", APPLICANTS, pk=DRAFT),
    page("applications:mentors", APPLICANTS, pk=DRAFT, shows=MENTOR_NUMBER),
    page("applications:add_mentor", APPLICANTS, pk=DRAFT),
    page("applications:mentor", APPLICANTS, pk=DRAFT, entry_id=f"{DRAFT}.entry"),
    page("applications:remove_mentor", APPLICANTS, post_only=True, pk=DRAFT,
         entry_id=f"{DRAFT}.entry"),
    page("applications:declaration", APPLICANTS, pk=DRAFT),
    page("applications:mandate", APPLICANTS, pk=DRAFT),
    page("applications:declaration_pdf", APPLICANTS, pk=DRAFT),
    page("applications:document", APPLICANTS, label="draft", pk=DRAFT,
         document_id=f"{DRAFT}.document"),
    page("applications:document", APPLICANTS | {"handler"}, label="submitted", pk=SUBMITTED,
         document_id=f"{SUBMITTED}.document"),
    page("applications:check", APPLICANTS, pk=DRAFT),
    page("applications:submit", APPLICANTS, post_only=True, pk=DRAFT),
    # The handler sees the withdrawal page (as the case's status page) but cannot withdraw.
    page("applications:withdraw", APPLICANTS, readonly={"handler"}, pk=SUBMITTED,
         post={"confirm": "1", "reason": "Toch niet."}),
    page("applications:complete", APPLICANTS, post_only=True, pk=SUBMITTED),
    page("applications:mark_complete", {"handler"}, post_only=True, pk=SUBMITTED),
    page("applications:request_completion", {"handler"}, pk=SUBMITTED),
    # Applications: the partnership's side.
    page("applications:queue", HANDLERS, shows=(NAME, {"handler"})),
    page("applications:statistics", HANDLERS | {"other_voter", "administrator"}),
    page("applications:case", {"handler"}, label="submitted", pk=SUBMITTED,
         shows=[MENTOR_NUMBER, (NOTE, {"handler"})]),
    page("applications:case", {"handler", "voter"}, label="to vote on", pk=PROPOSED),
    page("applications:case_document", {"handler"}, pk=SUBMITTED,
         document_id=f"{SUBMITTED}.document"),
    page("applications:case_mandate_document", {"handler"}, pk=SUBMITTED),
    page("applications:case_assign", {"handler"}, post_only=True, pk=SUBMITTED),
    page("applications:case_investigation", {"handler"}, post_only=True, pk=SUBMITTED),
    page("applications:case_check_mentor", {"handler"}, post_only=True, pk=SUBMITTED,
         entry_id=f"{SUBMITTED}.entry"),
    page("applications:case_reveal", {"handler"}, post_only=True, pk=SUBMITTED,
         entry_id=f"{SUBMITTED}.entry"),
    page("applications:case_note", {"handler"}, post_only=True, pk=SUBMITTED),
    page("applications:case_message", {"handler"}, post_only=True, pk=SUBMITTED),
    page("applications:case_propose", {"handler"}, post_only=True, pk=SUBMITTED),
    # A voting member opens the case it votes on (read-only): its POSTs carry valid data, so
    # that only its role stops them.
    page("applications:case_withdraw_proposal", {"handler"}, readonly={"voter"},
         post_only=True, pk=PROPOSED, post={"withdraw-version": VERSION}),
    page("applications:case_vote", {"voter"}, readonly={"handler"}, post_only=True,
         pk=PROPOSED, post={"vote-choice": "for", "vote-remark": "Akkoord."}),
    page("applications:case_close_vote", {"handler"}, readonly={"voter"}, post_only=True,
         pk=PROPOSED, post={"close-version": VERSION}),
    page("applications:case_decide", {"handler"}, readonly={"voter"}, post_only=True,
         pk=PROPOSED, post={"decision-version": VERSION, "decision-reasons": "Erkend."}),
    page("applications:case_check_mandate", {"handler"}, post_only=True, pk=SUBMITTED),
    # Recognitions: the registers, a recognition, the enterprise's actions.
    page("recognitions:register", ANY_ENTERPRISE, shows=(UNIT, ENTERPRISE)),
    page("recognitions:handler_register", HANDLERS, shows=(NAME, {"handler"})),
    page("recognitions:detail", ENTERPRISE | {"handler"}, pk="recognition",
         shows=[MENTOR_NUMBER, LEARNER_NUMBER]),
    page("recognitions:renew", ENTERPRISE, post_only=True, pk="recognition"),
    page("recognitions:add_mentor", ENTERPRISE, pk="recognition"),
    page("recognitions:replace_mentor", ENTERPRISE, pk="recognition",
         link_id="recognition.mentor_link"),
    page("recognitions:deactivate_mentor", ENTERPRISE, pk="recognition",
         link_id="recognition.mentor_link"),
    page("recognitions:mentor_document", ENTERPRISE | {"handler"}, pk="recognition",
         document_id="recognition.mentor_document"),
    page("recognitions:answer_support_action", ENTERPRISE, post_only=True,
         pk="recognition.with_open_action", action_id="support_action.open"),
    # Recognitions: the partnership's monitoring.
    page("recognitions:record_finding", {"handler"}, post_only=True, pk="recognition"),
    page("recognitions:open_support_action", {"handler"}, post_only=True, pk="recognition"),
    page("recognitions:follow_up_support_action", {"handler"}, post_only=True,
         pk="recognition.with_open_action", action_id="support_action.open"),
    page("recognitions:impose_sanction", {"handler"}, pk="recognition"),
    # Appeals.
    page("appeals:list", ANY_ENTERPRISE | {"appeal_committee"},
         shows=("text.appeal", ENTERPRISE)),
    page("appeals:file_refusal", ENTERPRISE, application_id="app.refused"),
    page("appeals:file_sanction", ENTERPRISE, sanction_id="sanction"),
    page("appeals:queue", {"appeal_committee"}, shows=("text.appeal", {"appeal_committee"})),
    page("appeals:detail", ENTERPRISE | {"handler", "appeal_committee"}, pk="appeal"),
    page("appeals:document", ENTERPRISE | {"handler", "appeal_committee"}, pk="appeal",
         document_id="appeal.document"),
    page("appeals:admissibility", {"appeal_committee"}, post_only=True, pk="appeal"),
    page("appeals:hearing", {"appeal_committee"}, post_only=True, pk="appeal"),
    page("appeals:decide", {"appeal_committee"}, post_only=True, pk="appeal"),
    # Agreements.
    page("agreements:list", ANY_ENTERPRISE | COACHES,
         shows=[(LEARNER, ENTERPRISE | PROVIDER_COACHES), LEARNER_NUMBER]),
    page("agreements:handler_list", HANDLERS, shows=(LEARNER, {"handler"})),
    page("agreements:choose_workplace", ANY_ENTERPRISE | COACHES, shows=(UNIT, ENTERPRISE)),
    page("agreements:register", ENTERPRISE | COACHES, recognition_id="recognition"),
    page("agreements:detail", ENTERPRISE | PROVIDER_COACHES | {"handler"}, pk="agreement",
         shows=[MENTOR_NUMBER, LEARNER_NUMBER]),
    page("agreements:confirm", ENTERPRISE | PROVIDER_COACHES, post_only=True,
         pk="agreement.waiting"),
    page("agreements:end", ENTERPRISE | PROVIDER_COACHES, pk="agreement"),
    page("agreements:change_mentor", ENTERPRISE, pk="agreement"),
    page("agreements:reveal", ENTERPRISE | PROVIDER_COACHES | {"handler"}, post_only=True,
         pk="agreement"),
    # Letters and e-mails.
    page("notices:letter", ENTERPRISE | {"handler"}, label="decision", pk="letter"),
    page("notices:letter", ENTERPRISE | {"handler", "appeal_committee", "administrator"},
         label="sanction", pk="letter.sanction"),
    page("notices:retry_letter", {"handler"}, post_only=True, pk="letter"),
    page("notices:resend", {"handler"}, post_only=True, pk="delivery"),
    # The API's OpenAPI schema and its documentation are public (docs/api.md); the operations
    # are below.
    public("api:schema"),
    public("api:docs"),
]

# Crossed URLs: a parent of the demo enterprise (that its people and its handler may open)
# with a child of someone else's (another enterprise's mentor entry, document, support action,
# membership, mandate). Nobody may reach the child that way: 404 (or 403) for everyone.
CROSSED = "crossed"
PAGES += [
    page("applications:mentor", label=CROSSED, pk=DRAFT, entry_id="app.foreign.entry"),
    page("applications:remove_mentor", label=CROSSED, post_only=True, pk=DRAFT,
         entry_id="app.foreign.entry"),
    page("applications:document", label=CROSSED, pk=SUBMITTED,
         document_id="app.foreign.document"),
    page("applications:case_document", label=CROSSED, pk=SUBMITTED,
         document_id="app.foreign.document"),
    page("applications:case_check_mentor", label=CROSSED, post_only=True, pk=SUBMITTED,
         entry_id="app.foreign.entry", post={"mentor-@app.foreign.entry-result": "confirmed"}),
    page("applications:case_reveal", label=CROSSED, post_only=True, pk=SUBMITTED,
         entry_id="app.foreign.entry"),
    page("recognitions:replace_mentor", label=CROSSED, pk="recognition",
         link_id="recognition.foreign.mentor_link"),
    page("recognitions:deactivate_mentor", label=CROSSED, pk="recognition",
         link_id="recognition.foreign.mentor_link", post={"reason": "Vertrokken."}),
    page("recognitions:mentor_document", label=CROSSED, pk="recognition",
         document_id="recognition.foreign.mentor_document"),
    page("recognitions:answer_support_action", label=CROSSED, post_only=True,
         pk="recognition.with_open_action", action_id="support_action.foreign",
         post={"action-@support_action.foreign-answer": "Opgelost."}),
    page("recognitions:follow_up_support_action", label=CROSSED, post_only=True,
         pk="recognition.with_open_action", action_id="support_action.foreign"),
    page("appeals:document", label=CROSSED, pk="appeal", document_id="appeal.foreign.document"),
    page("accounts:revoke_access", label=CROSSED, post_only=True, enterprise_id="enterprise",
         membership_id="membership.foreign"),
    page("enterprises:revoke_mandate", label=CROSSED, post_only=True,
         enterprise_id="enterprise", mandate_id="mandate.foreign"),
]

# --- the API ----------------------------------------------------------------------------------

V1 = "/api/v1"
APP = f"{V1}/applications/{{id}}"
REC = f"{V1}/recognitions/{{id}}"
AGR = f"{V1}/agreements/{{id}}"

API: list[Entry] = [
    # The catalogue and the public register.
    api_public(f"GET {V1}/programmes/"),
    api_public(f"GET {V1}/programmes/{{code}}/", code="programme.code"),
    api_public(f"GET {V1}/partnerships/"),
    api_public(f"GET {V1}/partnerships/{{code}}/", code="partnership.code"),
    api_public(f"GET {V1}/register/"),
    api_public(f"GET {V1}/register/{{id}}/", id="recognition.in_force"),
    # Enterprises the user may file for.
    api(f"GET {V1}/enterprises/", SIGNED_IN, shows=(NAME, APPLICANTS)),
    api(f"GET {V1}/enterprises/{{id}}/", APPLICANTS, id="enterprise"),
    api(f"GET {V1}/enterprises/{{id}}/mentors/", APPLICANTS, id="enterprise",
        shows=MENTOR_NUMBER),
    # Applications.
    api(f"GET {V1}/applications/", SIGNED_IN, shows=(NAME, APPLICANTS | {"handler"})),
    # Starting a draft for the demo enterprise: its people and the coach under his mandate;
    # anyone else gets 400 on `enterprise` ("You may not apply for this enterprise").
    api(f"POST {V1}/applications/", APPLICANTS, post={"enterprise": "@enterprise"},
        refused=(400, 403, 404)),
    api(f"GET {APP}/", APPLICANTS | {"handler"}, id=SUBMITTED,
        shows=[MENTOR_NUMBER, (NOTE, NOBODY)]),
    api(f"PATCH {APP}/", APPLICANTS, id=DRAFT),
    api(f"POST {APP}/mentors/", APPLICANTS, id=DRAFT),
    api(f"PATCH {APP}/mentors/{{entry_id}}/", APPLICANTS, id=DRAFT,
        entry_id=f"{DRAFT}.entry"),
    api(f"DELETE {APP}/mentors/{{entry_id}}/", APPLICANTS, id=DRAFT,
        entry_id=f"{DRAFT}.entry"),
    api(f"POST {APP}/documents/", APPLICANTS, id=DRAFT),
    api(f"GET {APP}/documents/{{document_id}}/file/", APPLICANTS | {"handler"}, id=SUBMITTED,
        document_id=f"{SUBMITTED}.document"),
    api(f"GET {APP}/declaration/", APPLICANTS, id=DRAFT),
    api(f"POST {APP}/submit/", APPLICANTS, id=DRAFT),
    api(f"POST {APP}/complete/", APPLICANTS, id=SUBMITTED),
    api(f"POST {APP}/withdraw/", APPLICANTS, id=SUBMITTED),
    api(f"GET {APP}/events/", APPLICANTS | {"handler"}, id=SUBMITTED,
        shows=[MENTOR_NUMBER, (NOTE, NOBODY)]),
    api(f"GET {V1}/letters/{{id}}/pdf/", ENTERPRISE | {"handler"}, id="letter"),
    # Applications: the partnership's actions (the applicants read the application, and are
    # refused all the same).
    api(f"GET {APP}/case/", {"handler"}, id=SUBMITTED, shows=[MENTOR_NUMBER, (NOTE, {"handler"})]),
    api(f"POST {APP}/mark-complete/", {"handler"}, id=SUBMITTED),
    api(f"POST {APP}/request-completion/", {"handler"}, id=SUBMITTED),
    api(f"POST {APP}/assign/", {"handler"}, id=SUBMITTED),
    api(f"POST {APP}/investigations/", {"handler"}, id=SUBMITTED),
    api(f"POST {APP}/mentors/{{entry_id}}/check/", {"handler"}, id=SUBMITTED,
        entry_id=f"{SUBMITTED}.entry"),
    api(f"POST {APP}/notes/", {"handler"}, id=SUBMITTED),
    api(f"POST {APP}/propose/", {"handler"}, id=SUBMITTED),
    api(f"POST {APP}/mandate-check/", {"handler"}, id=SUBMITTED),
    api(f"POST {APP}/withdraw-proposal/", {"handler"}, id=PROPOSED),
    api(f"POST {APP}/votes/", {"voter"}, id=PROPOSED, post={"in_favour": True}),
    api(f"POST {APP}/close-vote/", {"handler"}, id=PROPOSED),
    api(f"POST {APP}/decide/", {"handler"}, id=PROPOSED),
    # Recognitions. The API also lets a coach read the recognitions his mandate covers (the
    # web counter does not).
    api(f"GET {V1}/recognitions/", SIGNED_IN, shows=(NAME, ENTERPRISE | {"handler", "coach"})),
    api(f"GET {REC}/", ENTERPRISE | {"handler", "coach"}, id="recognition",
        shows=[MENTOR_NUMBER, LEARNER_NUMBER]),
    api(f"GET {REC}/events/", ENTERPRISE | {"handler", "coach"}, id="recognition"),
    api(f"POST {REC}/findings/", {"handler"}, id="recognition"),
    api(f"POST {REC}/support-actions/", {"handler"}, id="recognition"),
    api(f"POST {REC}/support-actions/{{action_id}}/follow-up/", {"handler"},
        id="recognition.with_open_action", action_id="support_action.open"),
    api(f"POST {REC}/support-actions/{{action_id}}/answer/", ENTERPRISE,
        id="recognition.with_open_action", action_id="support_action.open"),
    api(f"POST {REC}/sanctions/", {"handler"}, id="recognition"),
    api(f"POST {REC}/mentors/{{link_id}}/deactivate/", ENTERPRISE, id="recognition",
        link_id="recognition.mentor_link"),
    # Agreements. The writes carry valid data, so that only the role stops the others.
    api(f"GET {V1}/agreements/", SIGNED_IN,
        shows=[("text.learner_last_name", ENTERPRISE | PROVIDER_COACHES | {"handler"}),
               LEARNER_NUMBER]),
    # Registering a learner of the demo coach's training provider at the demo enterprise's
    # recognition: the enterprise or a coach of that provider; anyone else is refused.
    api(f"POST {V1}/agreements/", ENTERPRISE | PROVIDER_COACHES,
        post={"recognition": "@recognition", "first_name": "Lien", "last_name": "Nieuw",
              "national_number": "@learner.national_number", "training_provider": "@provider",
              "mentor": "@agreement.mentor", "start_date": "@date.start",
              "end_date": "@date.end", "weekly_hours": "24"}),
    api(f"GET {AGR}/", ENTERPRISE | PROVIDER_COACHES | {"handler"}, id="agreement",
        shows=[MENTOR_NUMBER, LEARNER_NUMBER]),
    api(f"GET {AGR}/events/", ENTERPRISE | PROVIDER_COACHES | {"handler"}, id="agreement"),
    api(f"POST {AGR}/confirm/", ENTERPRISE | PROVIDER_COACHES, id="agreement.waiting"),
    api(f"POST {AGR}/end/", ENTERPRISE | PROVIDER_COACHES, id="agreement",
        post={"on_day": "@today", "note": "De leerling stopt."}),
    api(f"POST {AGR}/change-mentor/", ENTERPRISE, id="agreement",
        post={"mentor": "@agreement.other_mentor"}),
]

# Crossed API operations (as the crossed pages above).
API += [
    api(f"PATCH {APP}/mentors/{{entry_id}}/", label=CROSSED, id=DRAFT,
        entry_id="app.foreign.entry", post={"years_of_experience": 30}),
    api(f"DELETE {APP}/mentors/{{entry_id}}/", label=CROSSED, id=DRAFT,
        entry_id="app.foreign.entry"),
    api(f"GET {APP}/documents/{{document_id}}/file/", label=CROSSED, id=SUBMITTED,
        document_id="app.foreign.document"),
    api(f"POST {APP}/mentors/{{entry_id}}/check/", label=CROSSED, id=SUBMITTED,
        entry_id="app.foreign.entry", post={"result": "confirmed"}),
    api(f"POST {REC}/support-actions/{{action_id}}/follow-up/", label=CROSSED,
        id="recognition.with_open_action", action_id="support_action.foreign",
        post={"met": True, "note": "In orde."}),
    api(f"POST {REC}/support-actions/{{action_id}}/answer/", label=CROSSED,
        id="recognition.with_open_action", action_id="support_action.foreign",
        post={"answer": "Opgelost."}),
    api(f"POST {REC}/mentors/{{link_id}}/deactivate/", label=CROSSED, id="recognition",
        link_id="recognition.foreign.mentor_link", post={"reason": "Vertrokken."}),
]

ENTRIES: list[Entry] = PAGES + API


# =================================================================================================
# The world the authorization matrix requests its URLs in: the demo casework and the demo
# recognitions (built through the real services by `applications.demo` and `recognitions.demo`),
# plus what the matrix needs on top of them for the demo enterprise, and the outsiders.
#
# `build_world()` runs once per test module, inside a transaction that the module rolls back at
# its end (see `test_authorization_matrix.world`). It returns `World`: the objects by a short name
# (the matrix refers to them by that name) and the user of each actor.
#
# The demo enterprise (`vertegenwoordiger`, `werkgever`; units Gent, construction, partnership
# "bouw", and Antwerpen, partnership "vpdl") gets, beside its demo recognitions:
#
# - a draft of the employer (`app.draft`) and a draft the learner coach `trajectbegeleider` filed
#   under his mandate (`app.coach_draft`), with a mentor and a document each;
# - an application the coach filed and submitted (`app.coach_submitted`, at "bouw");
# - a refused application (`app.refused`), which the enterprise can appeal;
# - a withdrawal of the recognition whose support action failed (`sanction`), appealed by the
#   representative (`appeal`);
# - a mentor who coaches nobody yet on its active recognition (to register a learner with), and
#   the handler's internal note on the submitted application.
#
# The "crossed" entries use children of other enterprises' objects from the demo data (a mentor
# entry and a document of "Kapsalon Lena", a mentor document, a support action, an appeal
# document) and a membership and a mandate of the other enterprise.
#
# The coach holds a signed mandate document of the demo enterprise (accepted by the partnership)
# to file applications and manage agreements for all its units (`mandate.coach`).
#
# Outsiders: another enterprise with its representative and employer staff, a learner coach of
# another training provider, and a voting member of the Flemish Partnership (the handler of that
# partnership is the demo `behandelaar-vpdl`). The coach whose mandate expired and the one whose
# mandate was revoked are the demo coach himself, with his mandates of the demo enterprise made
# expired or revoked in that request's test transaction (see `make_expired`, `make_revoked`): so
# the matrix shows that what he filed under the mandate closes to him once it ends.

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

# The users of the actors (None: not logged in). The coach with an expired or a revoked mandate
# is the demo coach, with his mandates changed for the request (see above).
DEMO_USERNAMES = {
    "representative": "vertegenwoordiger",
    "employer": "werkgever",
    "coach": "trajectbegeleider",
    "handler": "behandelaar-bouw",
    "voter": "stemgerechtigde",
    "appeal_committee": "beroepscommissie",
    "administrator": "beheer",
    "other_handler": "behandelaar-vpdl",
    "coach_expired": "trajectbegeleider",
    "coach_revoked": "trajectbegeleider",
}


@dataclass
class World:
    objects: dict[str, int | str] = field(default_factory=dict)
    users: dict[str, int | None] = field(default_factory=dict)
    coach_id: int = 0
    demo_enterprise_id: int = 0

    def pk(self, name: str):
        try:
            return self.objects[name]
        except KeyError:
            raise KeyError(f"The matrix names an object the world does not have: {name!r} "
                           "(see build_world)") from None


class FakeHTML:
    """WeasyPrint stand-in (while the world is built, and in the checks): a small PDF at once
    instead of a rendered one, which takes a second or more for each letter or declaration."""

    def __init__(self, *args, **kwargs):
        pass

    def write_pdf(self, *args, **kwargs) -> bytes:
        return PDF


def _upload(name: str = "document.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from werkplek.core.uploads import validate_upload

    upload = SimpleUploadedFile(name, PDF, content_type="application/pdf")
    upload.checked = validate_upload(upload)
    upload.seek(0)
    return upload


def _document(application, kind, *, user, mentor=None):
    from django.core.files.base import ContentFile

    from werkplek.applications.models import Document

    document = Document(application=application, kind=kind, mentor=mentor,
                        original_name=f"{kind}.pdf", content_type="application/pdf",
                        size=len(PDF), sha256="0" * 64, uploaded_by=user)
    document.file.save(f"{kind}.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def _outsiders(world: World) -> None:
    from werkplek.accounts.models import Membership, Role, User
    from werkplek.catalog.models import JointCommittee, Partnership, Province, TrainingProvider
    from werkplek.enterprises.models import Enterprise, EstablishmentUnit

    other = Enterprise.objects.create(enterprise_number="0123456749",
                                      name="Andere Onderneming BV", email="info@andere.example")
    EstablishmentUnit.objects.create(
        enterprise=other, unit_number="2999999073", name="Andere vestiging",
        street="Kerkstraat 1", postal_code="3000", municipality="Leuven",
        province=Province.objects.get(code="VBR"),
        joint_committee=JointCommittee.objects.get(number="124"))
    world.objects["enterprise.other"] = other.pk

    def user(username: str, role: str, **organisation) -> User:
        person = User.objects.create_user(username, email=f"{username}@elders.example",
                                          first_name=username.split("-")[0].title(),
                                          last_name="Buitenstaander")
        Membership.objects.create(user=person, role=role, **organisation)
        return person

    coach = User.objects.get(username="trajectbegeleider")
    provider = coach.memberships.get(role=Role.COACH).training_provider
    other_provider = TrainingProvider.objects.exclude(pk=provider.pk).order_by("code").first()
    world.users["other_representative"] = user(
        "andere-vertegenwoordiger", Role.REPRESENTATIVE, enterprise=other).pk
    world.users["other_employer"] = user("andere-werkgever", Role.EMPLOYER, enterprise=other).pk
    world.users["other_coach"] = user("andere-trajectbegeleider", Role.COACH,
                                      training_provider=other_provider).pk
    world.users["other_voter"] = user("andere-stemgerechtigde", Role.VOTER,
                                      partnership=Partnership.objects.get(code="vpdl")).pk


def _coach_mandate(world: World, *, enterprise, coach, representative) -> None:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from werkplek.accounts.models import Role
    from werkplek.enterprises.models import Mandate

    today = timezone.localdate()
    mandate = Mandate(
        enterprise=enterprise, holder=coach, all_units=True, may_file_applications=True,
        may_manage_agreements=True, valid_from=today - timedelta(days=400),
        valid_until=today + timedelta(days=300), kind=Mandate.Kind.DOCUMENT,
        document_check=Mandate.DocumentCheck.ACCEPTED, document_name="machtiging.pdf",
        content_type="application/pdf", granted_by=representative,
        training_provider=coach.memberships.get(role=Role.COACH).training_provider)
    mandate.document.save("machtiging.pdf", ContentFile(PDF), save=False)
    mandate.save()
    world.objects["mandate.coach"] = mandate.pk


def _drafts(world: World, *, enterprise, unit, employer, coach) -> None:
    from werkplek.applications import services
    from werkplek.applications.models import ApplicationMentor, Document
    from werkplek.catalog.models import Programme

    programme = Programme.objects.get(code="dakwerker-duaal")
    mentor = enterprise.mentors.get(last_name="Peeters")
    for name, user in (("app.draft", employer), ("app.coach_draft", coach)):
        draft = services.create_draft(actor=user, enterprise=enterprise)
        services.save_unit(actor=user, application=draft, unit=unit)
        services.save_programme(actor=user, application=draft, programme=programme,
                                activities_offered=[0])
        entry = ApplicationMentor.objects.create(
            application=draft, mentor=mentor, years_of_experience=mentor.years_of_experience,
            training=ApplicationMentor.Training.DONE)
        document = _document(draft, Document.Kind.CRIMINAL_RECORD_EXTRACT, user=user,
                             mentor=entry)
        world.objects[name] = draft.pk
        world.objects[f"{name}.entry"] = entry.pk
        world.objects[f"{name}.document"] = document.pk


def _coach_submitted(world: World, *, unit, coach) -> None:
    from werkplek.applications.demo import Step, _apply
    from werkplek.applications.models import Document
    from werkplek.catalog.models import Programme

    # The programme of the demo enterprise's recognition that expired: it may apply again.
    programme = Programme.objects.get(code="bouwplaatsmachinist-duaal")
    mentor = unit.enterprise.mentors.get(last_name="Peeters")
    application = _apply(Step(0, "submit"), None, coach, unit, programme, mentor, None)
    world.objects["app.coach_submitted"] = application.pk
    world.objects["app.coach_submitted.entry"] = application.mentors.get().pk
    world.objects["app.coach_submitted.document"] = application.documents.filter(
        kind=Document.Kind.DECLARATION_ON_HONOUR).get().pk


def _refused(world: World, *, unit, employer) -> None:
    from werkplek.applications.demo import Step, _apply
    from werkplek.catalog.models import Programme
    from werkplek.recognitions.demo import _Clock, _decide_application

    programme = Programme.objects.get(code="decoratie-en-schilderwerken-duaal")
    mentor = unit.enterprise.mentors.get(last_name="Peeters")
    clock = _Clock()
    with clock.on(20):
        application = _apply(Step(20, "submit"), None, employer, unit, programme, mentor, None)
    application = _decide_application(
        clock, application, submitted=20, decided=3, proposal="refuse",
        reasons="De werkplek biedt de activiteiten van het opleidingsplan niet aan.")
    world.objects["app.refused"] = application.pk


def _sanction_and_appeal(world: World, *, enterprise, handler, representative) -> None:
    from django.db.models import Q

    from werkplek.appeals import services as appeals
    from werkplek.notices.models import Letter
    from werkplek.notices.tasks import prepare_letter
    from werkplek.recognitions import services
    from werkplek.recognitions.models import Sanction, SupportAction

    failed = SupportAction.objects.get(recognition__enterprise=enterprise,
                                       state=SupportAction.State.FAILED)
    sanction = services.impose_sanction(
        actor=handler, support_action_id=failed.pk, kind=Sanction.Kind.WITHDRAWAL,
        reasons="De begeleidingsactie werd niet uitgevoerd: de erkenning wordt opgeheven.")
    world.objects["sanction"] = sanction.pk
    appeal = appeals.file_appeal(actor=representative, sanction_id=sanction.pk,
                                 grounds="De werkinstructie is intussen bezorgd.",
                                 documents=[_upload("stukken-beroep.pdf")])
    world.objects["appeal"] = appeal.pk
    world.objects["appeal.document"] = appeal.documents.get().pk
    # Their letters are prepared by the task worker after the commit: prepare them now.
    for letter in Letter.objects.filter(Q(sanction=sanction) | Q(appeal=appeal)):
        prepare_letter.call(letter.pk)


def _recognitions(world: World, *, enterprise) -> None:
    from werkplek.recognitions.models import (
        MentorDocument,
        Recognition,
        RecognitionMentor,
        SupportAction,
    )

    active = Recognition.objects.get(enterprise=enterprise, programme__code="dakwerker-duaal")
    world.objects["recognition"] = active.pk
    world.objects["recognition.in_force"] = active.pk  # in the public register
    links = RecognitionMentor.objects.filter(recognition=active).order_by("pk")
    world.objects["recognition.mentor_link"] = links.first().pk
    document = MentorDocument.objects.filter(link__recognition=active).first()
    world.objects["recognition.mentor_document"] = document.pk
    open_action = SupportAction.objects.get(recognition__enterprise=enterprise,
                                            state=SupportAction.State.OPEN)
    world.objects["recognition.with_open_action"] = open_action.recognition_id
    world.objects["support_action.open"] = open_action.pk


def _agreements(world: World, *, enterprise, coach) -> None:
    from werkplek.agreements.models import Agreement
    from werkplek.recognitions import services
    from werkplek.recognitions.demo import _mentor

    coached = Agreement.objects.filter(enterprise=enterprise, coach=coach,
                                       state=Agreement.State.ACTIVE).order_by("pk").first()
    world.objects["agreement"] = coached.pk
    waiting = Agreement.objects.filter(enterprise=enterprise, state=Agreement.State.DRAFT).get()
    world.objects["agreement.waiting"] = waiting.pk
    # A mentor of the recognition who coaches nobody yet (a learner may be registered with).
    employer = enterprise.memberships.get(role="employer").user
    free = _mentor(enterprise, "Eva", "Vrij", date(1980, 1, 15), 216, 12,
                   trained_on=date(2024, 3, 1))
    services.add_mentor(actor=employer, recognition_id=coached.recognition_id, mentor=free,
                        years_of_experience=12, training="done", extract=_upload())
    world.objects["agreement.mentor"] = free.pk
    world.objects["provider"] = coached.training_provider_id
    # Another active mentor of its recognition, to name instead.
    world.objects["agreement.other_mentor"] = coached.recognition.mentor_links.filter(
        is_active=True).exclude(mentor_id=coached.mentor_id).values_list(
        "mentor_id", flat=True).first()


def _letters(world: World) -> None:
    from werkplek.notices.models import Delivery, Letter

    application = world.objects["app.refused"]
    letter = Letter.objects.filter(application_id=application).order_by("pk").first()
    world.objects["letter"] = letter.pk
    sanction_letter = Letter.objects.filter(sanction_id=world.objects["sanction"]).first()
    world.objects["letter.sanction"] = sanction_letter.pk
    delivery = Delivery.objects.filter(letter=letter).order_by("pk").first()
    world.objects["delivery"] = delivery.pk


def _foreign(world: World, *, enterprise) -> None:
    """Children of other enterprises' objects, for URLs that name a parent of the demo
    enterprise and a child of someone else's (the child must not be found through the
    parent)."""
    from django.utils import timezone

    from werkplek.accounts.models import Membership, Role
    from werkplek.appeals.models import AppealDocument
    from werkplek.applications.models import Application
    from werkplek.enterprises.models import Enterprise, Mandate
    from werkplek.recognitions.models import MentorDocument, SupportAction

    application = Application.objects.get(enterprise__name="Kapsalon Lena")  # at "vpdl"
    world.objects["app.foreign.entry"] = application.mentors.first().pk
    world.objects["app.foreign.document"] = application.documents.first().pk
    document = MentorDocument.objects.exclude(link__recognition__enterprise=enterprise).first()
    world.objects["recognition.foreign.mentor_document"] = document.pk
    world.objects["recognition.foreign.mentor_link"] = document.link_id
    world.objects["support_action.foreign"] = SupportAction.objects.exclude(
        recognition__enterprise=enterprise).first().pk
    world.objects["appeal.foreign.document"] = AppealDocument.objects.exclude(
        appeal__enterprise=enterprise).first().pk
    other = Enterprise.objects.get(pk=world.objects["enterprise.other"])
    world.objects["membership.foreign"] = Membership.objects.get(
        enterprise=other, role=Role.EMPLOYER).pk
    today = timezone.localdate()
    world.objects["mandate.foreign"] = Mandate.objects.create(
        enterprise=other, holder_id=world.users["other_coach"], all_units=True,
        may_file_applications=True, valid_from=today - timedelta(days=10),
        valid_until=today + timedelta(days=100),
        granted_by=Membership.objects.get(enterprise=other, role=Role.REPRESENTATIVE).user).pk


def _secrets(world: World, *, users) -> None:
    """What no page may show (national register numbers in clear), or only to some (the
    partnership's internal note on a case)."""
    from werkplek.agreements.models import Agreement
    from werkplek.applications import backoffice
    from werkplek.applications.models import Application, CaseNote
    from werkplek.core import personal_data
    from werkplek.core.identifiers import format_national_number

    submitted = Application.objects.get(pk=world.objects["app.coach_submitted"])
    mentor = submitted.mentors.get().mentor
    learner = Agreement.objects.get(pk=world.objects["agreement"]).learner
    for name, person in (("mentor", mentor), ("learner", learner)):
        compact = personal_data.decrypt(person.national_number_encrypted)
        world.objects[f"text.{name}_number"] = (compact, format_national_number(compact))
    note = "Interne notitie: de zaakvoerder heeft een lopend dossier bij de inspectie."
    backoffice.add_note(actor=users["handler"], application_id=submitted.pk,
                        kind=CaseNote.Kind.NOTE, body=note)
    world.objects["text.internal_note"] = note


def _texts(world: World, *, enterprise, unit) -> None:
    """Texts that lists show only to those who may see them, and the case the voting members
    of "bouw" vote on now (the demo case "Bouwbedrijf Maes")."""
    from werkplek.agreements.models import Agreement
    from werkplek.appeals.models import Appeal
    from werkplek.applications.models import Application

    proposed = Application.objects.get(enterprise__name="Bouwbedrijf Maes")
    world.objects["app.proposed"] = proposed.pk
    world.objects["app.proposed.version"] = proposed.version
    world.objects["text.enterprise"] = enterprise.name
    world.objects["text.unit"] = unit.name
    learner = Agreement.objects.get(pk=world.objects["agreement"]).learner
    world.objects["text.learner"] = learner.full_name
    world.objects["text.learner_last_name"] = learner.last_name  # the API: a field of its own
    world.objects["text.appeal"] = Appeal.objects.get(pk=world.objects["appeal"]).reference


def _public(world: World) -> None:
    from django.utils import timezone

    from werkplek.catalog.models import Partnership, Programme

    today = timezone.localdate()
    world.objects["today"] = today.isoformat()
    world.objects["date.start"] = (today + timedelta(days=7)).isoformat()
    world.objects["date.end"] = (today + timedelta(days=200)).isoformat()
    # A learner nobody registered yet: born 5 May 2009, day counter 123.
    body = "090505123"
    world.objects["learner.national_number"] = f"{body}{97 - int('2' + body) % 97:02d}"

    world.objects["programme.code"] = Programme.objects.filter(is_active=True).order_by(
        "code").values_list("code", flat=True).first()
    world.objects["partnership.code"] = Partnership.objects.get(code="bouw").code
    world.objects["index"] = 0


def build_world() -> World:
    """Build everything; returns the names of the objects and the actors' users."""
    from werkplek.accounts.demo import DEMO_ENTERPRISE_NUMBER, DEMO_UNITS
    from werkplek.accounts.models import User
    from werkplek.applications.demo import load_demo_cases
    from werkplek.enterprises.models import Enterprise, EstablishmentUnit
    from werkplek.recognitions.demo import load_demo_recognitions

    world = World()
    with mock.patch("werkplek.notices.letters.HTML", FakeHTML):
        load_demo_cases()
        result = load_demo_recognitions()
        assert not result["problems"], result["problems"]
        users = {name: User.objects.get(username=username)
                 for name, username in DEMO_USERNAMES.items()}
        world.users.update({name: user.pk for name, user in users.items()})
        world.users["anonymous"] = None
        enterprise = Enterprise.objects.get(enterprise_number=DEMO_ENTERPRISE_NUMBER)
        unit = EstablishmentUnit.objects.get(unit_number=DEMO_UNITS[0][0])
        world.demo_enterprise_id = enterprise.pk
        world.coach_id = users["coach"].pk
        world.objects["enterprise"] = enterprise.pk
        world.objects["membership.employer"] = users["employer"].memberships.get(
            enterprise=enterprise).pk
        _outsiders(world)
        _coach_mandate(world, enterprise=enterprise, coach=users["coach"],
                       representative=users["representative"])
        _drafts(world, enterprise=enterprise, unit=unit, employer=users["employer"],
                coach=users["coach"])
        _coach_submitted(world, unit=unit, coach=users["coach"])
        _refused(world, unit=unit, employer=users["employer"])
        _sanction_and_appeal(world, enterprise=enterprise, handler=users["handler"],
                             representative=users["representative"])
        _recognitions(world, enterprise=enterprise)
        _agreements(world, enterprise=enterprise, coach=users["coach"])
        _letters(world)
        _foreign(world, enterprise=enterprise)
        _public(world)
        _texts(world, enterprise=enterprise, unit=unit)
        _secrets(world, users=users)
    return world


def make_expired(world: World) -> None:
    """The demo coach's mandates of the demo enterprise ended yesterday."""
    from django.utils import timezone

    from werkplek.enterprises.models import Mandate

    yesterday = timezone.localdate() - timedelta(days=1)
    Mandate.objects.filter(holder_id=world.coach_id,
                           enterprise_id=world.demo_enterprise_id).update(
        valid_from=yesterday - timedelta(days=400), valid_until=yesterday)


def make_revoked(world: World) -> None:
    """The demo enterprise revoked the demo coach's mandates an hour ago."""
    from django.utils import timezone

    from werkplek.accounts.models import User
    from werkplek.enterprises.models import Mandate

    Mandate.objects.filter(holder_id=world.coach_id,
                           enterprise_id=world.demo_enterprise_id).update(
        revoked_at=timezone.now() - timedelta(hours=1),
        revoked_by=User.objects.get(username="vertegenwoordiger"),
        revocation_reason="Samenwerking stopgezet.")
