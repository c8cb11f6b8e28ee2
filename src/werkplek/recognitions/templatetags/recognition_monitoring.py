"""The handler's monitoring panel on a recognition's page (`recognitions/_monitoring.html`):
the empty forms it posts (with the recognition's version), and what each support action and
sanction shows. Reads only what the page already loaded: no query."""

from django import template
from django.utils import timezone

from werkplek.recognitions.forms_monitoring import (
    FindingForm,
    FollowUpForm,
    SupportActionForm,
    condition_label,
)
from werkplek.recognitions.models import SupportAction

register = template.Library()


@register.simple_tag
def monitoring_panel(recognition, monitoring) -> dict:
    """The forms and rows of the panel. `monitoring`: {"findings", "support_actions",
    "sanctions"}, lists already loaded."""
    monitoring = monitoring or {}
    today = timezone.localdate()
    version = {"version": recognition.version}
    findings = list(monitoring.get("findings") or [])
    actions = []
    for action in monitoring.get("support_actions") or []:
        is_open = action.state in SupportAction.OPEN_STATES
        actions.append({
            "action": action, "is_open": is_open, "due": is_open and action.due_on <= today,
            "can_sanction": action.state == SupportAction.State.FAILED,
            "form": FollowUpForm(prefix=f"follow-up-{action.pk}", initial=version)
            if is_open else None,
        })
    sanctions = [{"sanction": s, "effects": effect_counts(s)}
                 for s in monitoring.get("sanctions") or []]
    in_force = recognition.in_force()
    return {
        "findings": findings, "actions": actions, "sanctions": sanctions,
        "finding_form": FindingForm(prefix="finding", initial=version),
        "can_open_support": in_force,
        "support_form": SupportActionForm(prefix="support", initial=version,
                                          findings=findings) if in_force else None,
    }


def effect_counts(sanction) -> dict:
    """How many recognitions, agreements and mentor roles the sanction changed (from the
    effects the service recorded)."""
    effects = sanction.effects or {}
    return {
        "recognitions": len(effects.get("recognitions") or []),
        "agreements_ended": len(effects.get("agreements_ended") or []),
        "agreements_reassigned": len(effects.get("agreements_reassigned") or []),
        "mentor_links": len(effects.get("mentor_links") or []),
    }


@register.filter
def condition_name(code: str) -> str:
    """The name of the condition or duty a finding concerns."""
    return condition_label(code) if code else ""
