"""Download a letter; send a failed delivery again; try again to prepare a letter that could not
be prepared. Thin: permission, one call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkplek.core.personal_data import audit_log
from werkplek.core.uploads import file_response

from . import services
from .models import Delivery, Letter
from .selectors import back_url, may_view_delivery, may_view_letter

LETTER_RELATED = ("application", "sanction", "appeal")


@login_required
def letter_download(request, pk: int):
    """The letter's PDF, for those who may see what it is about (others get a 404)."""
    letter = get_object_or_404(Letter.objects.select_related(*LETTER_RELATED), pk=pk)
    if not may_view_letter(request.user, letter) or not letter.file:
        raise Http404
    audit_log.info("letter download user=%s application=%s sanction=%s appeal=%s letter=%s",
                   request.user.pk, letter.application_id, letter.sanction_id,
                   letter.appeal_id, letter.pk)
    return file_response(file_field=letter.file, download_name=letter.download_name(),
                         content_type="application/pdf", request=request,
                         subject=f"{letter.subject._meta.model_name}:{letter.subject.pk}",
                         purpose="letter")


def _back(request, fallback: str):
    """Back where the button was (a page of this site), else to the page of the case (the
    application, the sanctioned recognition, or the appeal). Only a path: `redirect` would take
    anything else for the name of a URL (and fail on one it does not know)."""
    target = request.POST.get("next", "")
    if not (target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure())):
        target = fallback
    return redirect(target)


@login_required
@require_POST
def resend(request, pk: int):
    delivery = get_object_or_404(
        Delivery.objects.select_related(*(f"letter__{name}" for name in LETTER_RELATED),
                                        "application", "recognition_event__recognition",
                                        "recognition_event__sanction"), pk=pk)
    if not may_view_delivery(request.user, delivery):
        raise Http404  # never reveal that someone else's delivery exists
    try:
        services.resend(actor=request.user, delivery_id=delivery.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The e-mail will be sent again to %(email)s.") % {
            "email": delivery.email})
    return _back(request, back_url(delivery=delivery))


@login_required
@require_POST
def retry_letter(request, pk: int):
    letter = get_object_or_404(Letter.objects.select_related(*LETTER_RELATED), pk=pk)
    if not may_view_letter(request.user, letter):
        raise Http404  # never reveal that someone else's letter exists
    try:
        services.retry_letter(actor=request.user, letter_id=letter.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if letter.application_id:
            text = _("The decision letter %(reference)s will be prepared again; once it is "
                     "ready, it is e-mailed to each recipient.")
        else:
            text = _("The letter %(reference)s will be prepared again; once it is ready, it is "
                     "e-mailed to each recipient.")
        messages.success(request, text % {"reference": letter.reference})
    return _back(request, back_url(letter=letter))
