"""Template helpers of appeals. Load with ``{% load appeal_tags %}``."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def appeal_box(context, application):
    """What the status page of a refused `application` says about appealing it, for the user
    of the request: a `selectors.AppealBox`, or None when there is nothing to say."""
    request = context.get("request")
    if request is None:
        return None
    return selectors.appeal_box(request.user, application)
