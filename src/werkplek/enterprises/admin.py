from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Enterprise, EstablishmentUnit, Mentor


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
