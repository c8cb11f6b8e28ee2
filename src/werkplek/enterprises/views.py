from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkplek.accounts.services import is_representative

from . import selectors, services
from .forms import GrantMandateForm
from .models import Enterprise, Mandate

PAGE_SIZE = 50


def _add_service_errors(form, error: ValidationError) -> None:
    """Put the service's errors on the form fields they are about."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        field = key if key in form.fields else None
        if key == NON_FIELD_ERRORS:
            field = None
        form.add_error(field, errors)


@login_required
def mandates(request, enterprise_id: int):
    """The legal representative's page: the enterprise's mandates, and a form to grant one."""
    enterprise = get_object_or_404(Enterprise, pk=enterprise_id)
    if not is_representative(request.user, enterprise):
        raise PermissionDenied
    form = GrantMandateForm(request.POST if request.method == "POST" else None,
                            enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        try:
            mandate = services.grant_mandate(
                actor=request.user, enterprise=enterprise, **form.service_arguments()
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s now has a mandate until %(date)s.") % {
                "name": mandate.holder,
                "date": date_format(mandate.valid_until, "SHORT_DATE_FORMAT"),
            })
            return redirect("enterprises:mandates", enterprise_id=enterprise.pk)
    page = Paginator(selectors.mandates_of_enterprise(enterprise), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "enterprises/mandates.html", {
        "enterprise": enterprise, "page": page, "form": form,
        "active_state": Mandate.State.ACTIVE,
    })


@login_required
@require_POST
def revoke_mandate(request, enterprise_id: int, mandate_id: int):
    mandate = get_object_or_404(
        Mandate.objects.select_related("holder"), pk=mandate_id, enterprise_id=enterprise_id
    )
    try:
        services.revoke_mandate(actor=request.user, mandate=mandate,
                                reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The mandate of %(name)s has been revoked. It no longer "
                                    "counts from now on.") % {"name": mandate.holder})
    return redirect("enterprises:mandates", enterprise_id=enterprise_id)


@login_required
def my_mandates(request):
    """A learner coach's page: the enterprises that mandated them, while the mandate is valid."""
    page = Paginator(selectors.mandates_held(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "enterprises/my_mandates.html", {"page": page})
