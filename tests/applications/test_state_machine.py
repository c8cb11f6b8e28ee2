"""The application's state machine: every allowed transition works, every other one is
refused, from any door (the state field is protected)."""

import pytest
from django_fsm import TransitionNotAllowed, can_proceed

from werkplek.applications.models import Application

S = Application.State
ALLOWED = {
    "submit": {S.DRAFT: S.SUBMITTED},
    "mark_complete": {S.SUBMITTED: S.IN_PROGRESS},
    "request_completion": {S.SUBMITTED: S.WAITING, S.IN_PROGRESS: S.WAITING},
    "complete": {S.WAITING: S.SUBMITTED},
    "lapse": {S.WAITING: S.LAPSED},
    "propose": {S.IN_PROGRESS: S.PROPOSED},
    "reopen": {S.PROPOSED: S.IN_PROGRESS},
    "approve": {S.PROPOSED: S.APPROVED},
    "refuse": {S.PROPOSED: S.REFUSED},
    "withdraw": {S.DRAFT: S.WITHDRAWN, S.SUBMITTED: S.WITHDRAWN, S.IN_PROGRESS: S.WITHDRAWN,
                 S.WAITING: S.WITHDRAWN, S.PROPOSED: S.WITHDRAWN},
}
CASES = [(name, state) for name in ALLOWED for state in S]


def _in(state: str) -> Application:
    application = Application()
    application.__dict__["state"] = state  # bypass the protected field for an in-memory case
    return application


@pytest.mark.parametrize(("name", "state"), CASES)
def test_each_transition_from_each_state(name, state):
    application = _in(state)
    method = getattr(application, name)
    if state in ALLOWED[name]:
        assert can_proceed(method)
        method()
        assert application.state == ALLOWED[name][state]
    else:
        assert not can_proceed(method)
        with pytest.raises(TransitionNotAllowed):
            method()
        assert application.state == state


def test_decided_and_closed_states_are_final():
    for state in (S.APPROVED, S.REFUSED, S.LAPSED, S.WITHDRAWN):
        application = _in(state)
        assert not any(can_proceed(getattr(application, name)) for name in ALLOWED)


def test_the_state_cannot_be_set_directly():
    application = Application()
    with pytest.raises(AttributeError):
        application.state = S.APPROVED
