"""Who may open an application's case page (dossier), and in which role.

- A case handler of the partnership the application was routed to: the whole case, every
  action.
- A voting member of that partnership: the case read-only, plus the vote, while a proposal is
  put to the vote (where the partnership decides after a vote) or once they voted on the
  application (so they can look back at it).
- Anyone else: nothing; the page answers 404, as if the application did not exist.

A draft has no case: it was not submitted to any partnership yet."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from . import backoffice
from .models import Application

HANDLER = "handler"
VOTER = "voter"


def case_role(user, application: Application) -> str | None:
    """HANDLER, VOTER or None: the role in which `user` may open the case."""
    if not getattr(user, "is_authenticated", False) or \
            application.state == Application.State.DRAFT or application.partnership_id is None:
        return None
    if backoffice.is_handler(user, application):
        return HANDLER
    if backoffice.is_voter(user, application) and (
            (application.state == Application.State.PROPOSED
             and application.partnership.requires_vote)
            or application.votes.filter(voter=user).exists()):
        return VOTER
    return None


def case_application(request, pk: int) -> tuple[Application, str]:
    """The application and the user's role on its case; 404 for anyone without one."""
    application = get_object_or_404(
        Application.objects.select_related(
            "enterprise", "unit__joint_committee", "unit__province", "programme__sector",
            "partnership", "routing_rule", "assigned_to", "proposed_by", "decided_by",
            "submitted_by", "created_by"),
        pk=pk)
    role = case_role(request.user, application)
    if role is None:
        raise Http404  # never reveal that someone else's case exists
    return application, role
