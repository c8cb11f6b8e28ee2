"""The personal-data access register in the admin: read-only and for administrators only
(superusers and the *administrator* role; as everywhere in the admin, the account must also be
staff). Who saw a national register number, downloaded a document or exported someone's data,
whose (shown masked), why, through which route and when.

From the register, an administrator also answers an access request: *Export a person's data*
(by national register number or user name), or the action on selected entries about one
person. Both ask for the purpose and return a ZIP (`core.access_request`), recorded in the
register."""

import tempfile
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponseRedirect
from django.template import engines
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkplek.accounts.models import Role

from . import access_request
from .models import PersonalDataAccess
from .personal_data import describe_purpose, describe_subjects


class ReadOnlyAdminMixin:
    """For a ModelAdmin or an inline of records that only services write (every step with its
    reasons, letter and timeline event) or that are evidence (the access register): the admin
    shows them, nobody adds, changes or deletes them there."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def is_administrator(user) -> bool:
    """A superuser, or an account with the administrator role."""
    if not getattr(user, "is_active", False):
        return False
    return bool(user.is_superuser or (hasattr(user, "has_role")
                                      and user.has_role(Role.ADMINISTRATOR)))


CHANGE_LIST_TEMPLATE = """{% extends "admin/change_list.html" %}
{% block object-tools-items %}
<li><a href="{{ export_url }}">{{ export_label }}</a></li>
{{ block.super }}
{% endblock %}
"""

EXPORT_TEMPLATE = """{% extends "admin/base_site.html" %}
{% load admin_urls %}
{% block breadcrumbs %}<ol class="breadcrumbs">
<li><a href="{% url 'admin:index' %}">{{ home_label }}</a></li>
<li><a href="{% url 'admin:app_list' app_label=opts.app_label %}">
{{ opts.app_config.verbose_name }}</a></li>
<li><a href="{% url opts|admin_urlname:'changelist' %}">
{{ opts.verbose_name_plural|capfirst }}</a></li>
<li aria-current="page">{{ title }}</li>
</ol>{% endblock %}
{% block content %}<div id="content-main">
<p>{{ intro }}</p>
<form method="post" novalidate>{% csrf_token %}
{% if form.non_field_errors %}{{ form.non_field_errors }}{% endif %}
<fieldset class="module aligned">
{% for field in form.visible_fields %}
<div class="form-row{% if field.errors %} errors{% endif %}">
{{ field.errors }}
<div class="flex-container">{{ field.label_tag }} {{ field }}</div>
{% if field.help_text %}<div class="help">{{ field.help_text }}</div>{% endif %}
</div>
{% endfor %}
{% for field in form.hidden_fields %}{{ field }}{% endfor %}
</fieldset>
<div class="submit-row"><input type="submit" class="default" value="{{ submit_label }}"></div>
</form>
</div>{% endblock %}
"""


class ExportForm(forms.Form):
    national_number = forms.CharField(
        label=gettext_lazy("National register number"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    username = forms.CharField(label=gettext_lazy("or user name"), required=False,
                               max_length=150)
    subject = forms.CharField(required=False, widget=forms.HiddenInput, max_length=100)
    purpose = forms.CharField(
        label=gettext_lazy("Purpose"), max_length=150,
        help_text=gettext_lazy("Why: for example the reference of the access request. It is "
                               "recorded with the export."))

    def clean(self):
        cleaned = super().clean()
        given = [name for name in ("national_number", "username", "subject")
                 if cleaned.get(name, "").strip()]
        if len(given) != 1:
            raise ValidationError(_("Give a national register number or a user name (one of "
                                    "the two)."))
        try:
            cleaned["person"] = access_request.find_person(
                **{given[0]: cleaned[given[0]].strip()})
        except ValidationError as error:
            self.add_error(given[0] if given[0] != "subject" else None, error)
            return cleaned
        if not cleaned["person"].found:
            self.add_error(None, _("Werkplek holds no personal data under this national "
                                   "register number or account."))
        return cleaned


class PurposeFilter(admin.SimpleListFilter):
    """The purposes of the last 90 days (a distinct over the whole register would read all of
    it); an older purpose can still be filtered on by its value."""

    title = gettext_lazy("purpose")
    parameter_name = "purpose"

    def lookups(self, request, model_admin):
        since = timezone.now() - timedelta(days=90)
        purposes = (PersonalDataAccess.objects.filter(at__gte=since).order_by("purpose")
                    .values_list("purpose", flat=True).distinct()[:50])
        return [(purpose, describe_purpose(purpose)) for purpose in purposes]

    def queryset(self, request, queryset):
        return queryset.filter(purpose=self.value()) if self.value() else queryset


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "kind", "user", "whose_data", "purpose_label", "document", "route"]
    list_filter = ["kind", PurposeFilter, ("at", admin.DateFieldListFilter)]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    list_select_related = ["user"]
    fields = ["at", "kind", "user", "whose_data", "purpose_label", "document", "route"]
    readonly_fields = fields
    show_full_result_count = False  # no COUNT over the whole register on every page
    actions = ["export_person"]

    # Read-only, for administrators: the register is evidence, nobody edits it.
    def has_module_permission(self, request) -> bool:
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_administrator(request.user)

    def has_export_permission(self, request) -> bool:
        return is_administrator(request.user)

    @admin.display(description=gettext_lazy("purpose"), ordering="purpose")
    def purpose_label(self, obj) -> str:
        return describe_purpose(obj.purpose)

    @admin.display(description=gettext_lazy("whose data"))
    def whose_data(self, obj) -> str:
        label = getattr(obj, "_subject_label", None)
        return label if label is not None else describe_subjects([obj.subject])[obj.subject]

    def get_changelist_instance(self, request):
        """Label the subjects of the page in one query per kind, not one per row."""
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)
        labels = describe_subjects(row.subject for row in rows)
        for row in rows:
            row._subject_label = labels.get(row.subject, row.subject)
        return changelist

    def get_urls(self):
        return [
            path("export/", self.admin_site.admin_view(self.export_view),
                 name="core_personaldataaccess_export"),
            *super().get_urls(),
        ]

    @property
    def change_list_template(self):
        return engines["django"].from_string(CHANGE_LIST_TEMPLATE)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "export_url": reverse("admin:core_personaldataaccess_export"),
                         "export_label": _("Export a person's data")}
        return super().changelist_view(request, extra_context)

    @admin.action(description=gettext_lazy("Export the data of the person concerned"),
                  permissions=["export"])
    def export_person(self, request, queryset):
        subjects = {row.subject for row in queryset
                    if row.subject.partition(":")[0] in ("user", "mentor", "learner")}
        if len(subjects) != 1:
            self.message_user(request, _("Select entries about one person (a user, a mentor or "
                                         "a learner)."), messages.ERROR)
            return None
        url = reverse("admin:core_personaldataaccess_export")
        return HttpResponseRedirect(f"{url}?{urlencode({'subject': subjects.pop()})}")

    def export_view(self, request):
        if not is_administrator(request.user):
            raise PermissionDenied
        if request.method == "POST":
            form = ExportForm(request.POST)
            if form.is_valid():
                return self._export_response(request, form)
        else:
            form = ExportForm(initial={"subject": request.GET.get("subject", "")})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": _("Export a person's data"),
            "home_label": _("Home"),
            "intro": _("Everything Werkplek holds about one person, for an access request: a "
                       "ZIP with the data (JSON) and their documents. The national register "
                       "number appears in clear in it: the export is recorded in this "
                       "register."),
            "submit_label": _("Export"),
        }
        response = TemplateResponse(request, engines["django"].from_string(EXPORT_TEMPLATE),
                                    context)
        add_never_cache_headers(response)
        return response

    def _export_response(self, request, form):
        output = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
        access_request.export(actor=request.user, person=form.cleaned_data["person"],
                              purpose=form.cleaned_data["purpose"], output=output)
        output.seek(0)
        name = f"personal-data-{timezone.localdate():%Y%m%d}.zip"
        response = FileResponse(output, as_attachment=True, filename=name,
                                content_type="application/zip")
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
