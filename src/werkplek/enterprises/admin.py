from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Enterprise, EstablishmentUnit, Mandate, Mentor


class EstablishmentUnitInline(admin.TabularInline):
    model = EstablishmentUnit
    extra = 0
    autocomplete_fields = ["joint_committee", "province"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "formatted_number", "email"]
    search_fields = ["name", "enterprise_number"]
    inlines = [EstablishmentUnitInline]


@admin.register(EstablishmentUnit)
class EstablishmentUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "formatted_number", "enterprise", "municipality", "joint_committee"]
    search_fields = ["name", "unit_number", "enterprise__name"]
    list_select_related = ["enterprise", "joint_committee"]
    autocomplete_fields = ["enterprise", "joint_committee", "province"]


@admin.register(Mentor)
class MentorAdmin(admin.ModelAdmin):
    list_display = ["full_name", "enterprise", "national_number_masked", "is_active"]
    search_fields = ["last_name", "first_name", "enterprise__name"]
    list_select_related = ["enterprise"]
    exclude = ["national_number_encrypted"]
    readonly_fields = ["national_number_masked", "birth_date"]

    @admin.display(description=_("national register number"))
    def national_number_masked(self, obj) -> str:
        return obj.masked_national_number if obj and obj.pk else ""


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    """Mandates are granted and revoked by representatives in Werkplek; here they are looked
    up and, for a signed mandate document, the partnership's check is recorded."""

    list_display = ["enterprise", "holder", "training_provider", "kind", "document_check",
                    "valid_from", "valid_until", "revoked_at"]
    list_filter = ["kind", "document_check", "may_file_applications", "may_manage_agreements"]
    search_fields = ["enterprise__name", "enterprise__enterprise_number", "holder__last_name",
                     "holder__email", "holder__username"]
    list_select_related = ["enterprise", "holder", "training_provider"]
    autocomplete_fields = ["enterprise", "training_provider", "units"]
    raw_id_fields = ["holder", "granted_by", "revoked_by"]
    readonly_fields = ["granted_at", "granted_by", "revoked_at", "revoked_by"]
    date_hierarchy = "valid_until"
