"""API tokens in the admin: an administrator issues a token to a training provider (acting as one
of its learner coaches) or to a partnership (acting as one of its case handlers), and revokes it.

Issuing goes through `services.issue_token`: the secret is shown once, on the page that answers
the form, and is never stored (not in the database, not in the session or a message). A token's
key, and the account and organisation it acts for, cannot be changed afterwards: issue a new
token and revoke the old one."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.template import engines
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from werkplek.core.admin import is_administrator

from . import services
from .models import ApiToken

HOLDER_FIELDS = ["user", "training_provider", "partnership"]
AUDIT_FIELDS = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at",
                "revoked_by"]

ISSUED_TEMPLATE = """{% extends "admin/base_site.html" %}
{% load admin_urls %}
{% block breadcrumbs %}<div class="breadcrumbs">
<a href="{% url 'admin:index' %}">{{ home_label }}</a>
&rsaquo; <a href="{% url 'admin:app_list' app_label=opts.app_label %}">
{{ opts.app_config.verbose_name }}</a>
&rsaquo; <a href="{% url opts|admin_urlname:'changelist' %}">
{{ opts.verbose_name_plural|capfirst }}</a>
&rsaquo; {{ token }}
</div>{% endblock %}
{% block content %}<div id="content-main">
<p>{{ intro }}</p>
<p><label for="api-token-secret">{{ secret_label }}</label></p>
<p><input id="api-token-secret" class="vTextField" type="text" readonly value="{{ secret }}"
  size="60" autocomplete="off" spellcheck="false"></p>
<p class="help">{{ warning }}</p>
<p>{{ usage }} <code>Authorization: Bearer {{ secret }}</code></p>
<ul class="object-tools-list">
<li><a href="{% url opts|admin_urlname:'change' token.pk %}">{{ view_label }}</a></li>
<li><a href="{% url opts|admin_urlname:'changelist' %}">{{ list_label }}</a></li>
</ul>
</div>{% endblock %}
"""


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", *HOLDER_FIELDS, "expires_on"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and "user" in cleaned and not self.has_error("user"):
            try:
                services.check_holder(user=cleaned["user"],
                                      training_provider=cleaned.get("training_provider"),
                                      partnership=cleaned.get("partnership"))
            except ValidationError as error:
                self.add_error(None, error)
                # The database's check of "one holder" says the same, less clearly.
                self._validate_constraints = False
        expires_on = cleaned.get("expires_on")
        if (self.instance.pk is None and expires_on is not None
                and expires_on < timezone.localdate()):
            self.add_error("expires_on", _("Choose a date that is not in the past."))
        return cleaned


class StatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("usable", _("usable")), ("expired", _("expired")), ("revoked", _("revoked"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "usable":
            return queryset.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today),
                                   revoked_at__isnull=True)
        if self.value() == "expired":
            return queryset.filter(expires_on__lt=today, revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ["name", "holder", "user", "prefix", "created_at", "last_used_at",
                    "expires_on", "revoked_at"]
    list_filter = [StatusFilter, ("training_provider", admin.RelatedOnlyFieldListFilter),
                   ("partnership", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username", "user__email", "user__last_name",
                     "training_provider__code", "training_provider__name_nl",
                     "partnership__code", "partnership__name_nl"]
    list_select_related = ["user", "training_provider", "partnership"]
    autocomplete_fields = HOLDER_FIELDS
    date_hierarchy = "created_at"
    actions = ["revoke"]

    @admin.display(description=gettext_lazy("holder"))
    def holder(self, obj) -> str:
        return str(obj.holder or "")

    def get_fields(self, request, obj=None):
        fields = ["name", *HOLDER_FIELDS, "expires_on"]
        return fields if obj is None else [*fields, *AUDIT_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        # The key is never a form field; once issued, the account and organisation it acts for
        # stay as they are (issue a new token instead). Name and end date may change.
        return [] if obj is None else [*HOLDER_FIELDS, *AUDIT_FIELDS]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and is_administrator(request.user)

    def has_revoke_permission(self, request) -> bool:
        return self.has_change_permission(request) and is_administrator(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead: the token stays on record with who issued and revoked it

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        token, secret = services.issue_token(
            actor=request.user, user=data["user"], name=data["name"],
            training_provider=data.get("training_provider"), partnership=data.get("partnership"),
            expires_on=data.get("expires_on"))
        for field in ApiToken._meta.concrete_fields:
            setattr(obj, field.attname, getattr(token, field.attname))
        obj._state.adding = False
        obj._state.db = token._state.db
        obj._issued_secret = secret  # in memory only, for the page that answers this request

    def response_add(self, request, obj, post_url_continue=None):
        secret = getattr(obj, "_issued_secret", None)
        if secret is None:  # pragma: no cover - every add goes through save_model
            return super().response_add(request, obj, post_url_continue)
        opts = self.opts
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "token": obj,
            "secret": secret,
            "title": _("API token issued"),
            "home_label": _("Home"),
            "intro": _("The API token “%(name)s” has been issued to %(holder)s, acting as "
                       "%(user)s.") % {"name": obj.name, "holder": obj.holder, "user": obj.user},
            "secret_label": _("Secret"),
            "warning": _("Copy the secret now and hand it over securely: it is shown only "
                         "once. Werkplek stores only a hash of it and cannot show it again."),
            "usage": _("The client sends it with every request:"),
            "view_label": _("View the token"),
            "list_label": _("Back to the API tokens"),
        }
        template = engines["django"].from_string(ISSUED_TEMPLATE)
        response = TemplateResponse(request, template, context)
        add_never_cache_headers(response)
        return response

    @admin.action(description=gettext_lazy("Revoke selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                services.revoke_token(actor=request.user, token_id=token.pk)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return
            count += 1
        self.message_user(request, ngettext(
            "%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count},
            messages.SUCCESS)
