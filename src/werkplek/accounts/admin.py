from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["enterprise", "training_provider", "partnership"]
    readonly_fields = ["granted_by", "created_at"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
    readonly_fields = ["national_number_masked"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Werkplek"), {"fields": ["preferred_language", "national_number_masked"]}),
    ]

    @admin.display(description=_("national register number"))
    def national_number_masked(self, obj) -> str:
        return obj.masked_national_number if obj else ""


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "enterprise", "training_provider", "partnership", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__last_name", "enterprise__name"]
    autocomplete_fields = ["user", "enterprise", "training_provider", "partnership"]
    readonly_fields = ["granted_by", "created_at"]
