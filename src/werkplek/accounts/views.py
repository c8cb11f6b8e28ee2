from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkplek.enterprises.models import Enterprise

from . import selectors, services
from .forms import GrantAccessForm, LoginForm, TokenForm
from .models import Membership


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        return context


class LogoutView(auth_views.LogoutView):
    pass


def _safe_next(request, default: str) -> str:
    """The `next` path of the request, if it is one of this site. Only a path: `redirect` would
    take anything else for the name of a URL (and fail on one it does not know)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
def dashboard(request):
    from werkplek.applications.backoffice import proposals_to_vote
    from werkplek.applications.statistics import statistics_scope

    memberships = list(selectors.active_memberships(request.user))
    roles = {m.role for m in memberships}
    return render(request, "accounts/dashboard.html", {
        "memberships": memberships,
        "show_applications": bool(roles & {"representative", "employer", "coach"}),
        "show_queue": "handler" in roles,
        "show_statistics": statistics_scope(request.user,
                                            memberships=memberships) is not None,
        "to_vote": list(proposals_to_vote(request.user)[:20]) if "voter" in roles else None,
        "recognition_tasks": _recognition_tasks(memberships),
        "appeals_to_handle": _appeals_to_handle() if "appeal_committee" in roles else None,
        "agreement_tasks": _agreement_tasks(memberships),
    })


def _agreement_tasks(memberships) -> dict | None:
    """The agreements that wait for this person's side to confirm them (the enterprise's, or
    the training provider's for a coach), and which list to open."""
    from django.db.models import Q

    from werkplek.agreements.models import Agreement

    enterprise_ids = [m.enterprise_id for m in memberships
                      if m.role in ("representative", "employer")]
    provider_ids = [m.training_provider_id for m in memberships if m.role == "coach"]
    handler = any(m.role == "handler" for m in memberships)
    if not enterprise_ids and not provider_ids and not handler:
        return None
    waiting = Agreement.objects.filter(
        Q(enterprise_id__in=enterprise_ids, registered_side=Agreement.Side.PROVIDER)
        | Q(training_provider_id__in=provider_ids, registered_side=Agreement.Side.ENTERPRISE),
        state=Agreement.State.DRAFT).count() if (enterprise_ids or provider_ids) else 0
    return {"own": bool(enterprise_ids or provider_ids), "handler": handler,
            "to_confirm": waiting}


def _recognition_tasks(memberships) -> dict | None:
    """What waits in the recognitions register: for the enterprise, support actions to answer
    and recognitions ending within 6 months; for a handler, support actions due for follow-up
    and recognitions in force without an active mentor."""
    from datetime import timedelta

    from django.db.models import Count, Exists, OuterRef, Q

    from werkplek.recognitions.models import Recognition, RecognitionMentor, SupportAction

    enterprise_ids = [m.enterprise_id for m in memberships
                      if m.role in ("representative", "employer")]
    partnership_ids = [m.partnership_id for m in memberships if m.role == "handler"]
    if not enterprise_ids and not partnership_ids:
        return None
    today = timezone.localdate()
    tasks: dict = {"enterprise": bool(enterprise_ids), "handler": bool(partnership_ids)}
    if enterprise_ids:
        tasks["to_answer"] = SupportAction.objects.filter(
            recognition__enterprise_id__in=enterprise_ids,
            state=SupportAction.State.OPEN).count()
        tasks["ending"] = Recognition.objects.filter(
            enterprise_id__in=enterprise_ids, state=Recognition.State.ACTIVE,
            valid_until__lte=today + timedelta(days=183)).count()
    if partnership_ids:
        tasks["to_follow_up"] = SupportAction.objects.filter(
            recognition__partnership_id__in=partnership_ids,
            state__in=SupportAction.OPEN_STATES, due_on__lte=today).count()
        counts = Recognition.objects.filter(
            partnership_id__in=partnership_ids, state__in=Recognition.IN_FORCE_STATES,
            valid_from__lte=today, valid_until__gte=today,
        ).annotate(has_mentor=Exists(RecognitionMentor.objects.filter(
            recognition=OuterRef("pk"), is_active=True))).aggregate(
            without_mentor=Count("pk", filter=Q(has_mentor=False)))
        tasks["without_mentor"] = counts["without_mentor"]
    return tasks


def _appeals_to_handle() -> dict:
    from django.db.models import Count, Q

    from werkplek.appeals.models import Appeal

    return Appeal.objects.aggregate(
        to_admit=Count("pk", filter=Q(state=Appeal.State.FILED)),
        to_decide=Count("pk", filter=Q(state=Appeal.State.ADMISSIBLE)))


@login_required
def two_factor_setup(request):
    # Someone who already has a device must first prove they hold it: otherwise a stolen
    # password would be enough to enrol a new device and skip the second step.
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    if has_device and not request.user.is_verified():
        return redirect(f"{reverse('accounts:two_factor_verify')}?"
                        f"{urlencode({'next': _safe_next(request, '')})}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Werkplek", confirmed=False)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-step verification is set up."))
            return redirect(_safe_next(request, settings.LOGIN_REDIRECT_URL))
        form.add_error("token", _("This code is not correct or has expired. Try the newest "
                                  "code from your app."))
    secret = b32encode(device.bin_key).decode("ascii")
    qr = segno.make(device.config_url, error="m")
    return render(request, "accounts/two_factor_setup.html", {
        "form": form,
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "qr_data_uri": qr.svg_data_uri(scale=4, border=2),
        "next": _safe_next(request, ""),
    })


@login_required
def two_factor_verify(request):
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        return redirect("accounts:two_factor_setup")
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_safe_next(request, settings.LOGIN_REDIRECT_URL))
        form.add_error("token", _("This code is not correct or has expired. Try the newest "
                                  "code from your app."))
    return render(request, "accounts/two_factor_verify.html", {
        "form": form, "next": _safe_next(request, ""),
    })


@login_required
def enterprise_access(request, enterprise_id: int):
    enterprise = get_object_or_404(Enterprise, pk=enterprise_id)
    if not services.is_representative(request.user, enterprise):
        raise PermissionDenied
    form = GrantAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.grant_enterprise_access(
                actor=request.user, enterprise=enterprise,
                national_number=form.cleaned_data["national_number"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            name = f"{form.cleaned_data['first_name']} {form.cleaned_data['last_name']}"
            messages.success(request, _("%(name)s now has access as %(role)s.") % {
                "name": name, "role": membership.get_role_display()})
            return redirect("accounts:enterprise_access", enterprise_id=enterprise.pk)
    return render(request, "accounts/enterprise_access.html", {
        "enterprise": enterprise,
        "members": selectors.enterprise_members(enterprise),
        "form": form,
    })


@login_required
@require_POST
def revoke_access(request, enterprise_id: int, membership_id: int):
    membership = get_object_or_404(Membership, pk=membership_id, enterprise_id=enterprise_id)
    try:
        services.revoke_enterprise_access(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The access of %(name)s has been withdrawn.") % {
            "name": membership.user})
    return redirect("accounts:enterprise_access", enterprise_id=enterprise_id)
