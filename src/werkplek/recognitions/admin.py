from django.contrib import admin

from .models import (
    Finding,
    Recognition,
    RecognitionEvent,
    RecognitionMentor,
    Sanction,
    SupportAction,
)


class ReadOnly:
    """Recognitions are created and changed only by the services that decide, so that every
    change has its reasons, its letter and its timeline event: the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecognitionMentorInline(ReadOnly, admin.TabularInline):
    model = RecognitionMentor
    extra = 0


@admin.register(Recognition)
class RecognitionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["unit", "programme", "enterprise", "partnership", "state", "valid_from",
                    "valid_until"]
    list_filter = ["state", "partnership"]
    search_fields = ["enterprise__name", "enterprise__enterprise_number", "unit__name",
                     "unit__unit_number", "programme__name_nl"]
    list_select_related = ["unit", "programme", "enterprise", "partnership"]
    date_hierarchy = "valid_from"
    inlines = [RecognitionMentorInline]


class RecognitionEventInline(ReadOnly, admin.TabularInline):
    model = RecognitionEvent
    fk_name = "recognition"
    extra = 0
    fields = ["created_at", "kind", "actor", "from_state", "to_state", "message"]


RecognitionAdmin.inlines = [RecognitionMentorInline, RecognitionEventInline]


@admin.register(SupportAction)
class SupportActionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["recognition", "due_on", "state", "created_by", "created_at"]
    list_filter = ["state"]
    list_select_related = ["recognition__unit", "recognition__programme", "created_by"]
    search_fields = ["recognition__enterprise__name", "improvement"]


@admin.register(Sanction)
class SanctionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["reference", "kind", "enterprise", "partnership", "state", "imposed_on",
                    "ends_on"]
    list_filter = ["kind", "state", "partnership"]
    list_select_related = ["enterprise", "partnership"]
    search_fields = ["reference", "enterprise__name", "enterprise__enterprise_number"]


@admin.register(Finding)
class FindingAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["recognition", "kind", "on", "outcome", "recorded_by"]
    list_filter = ["kind", "outcome"]
    list_select_related = ["recognition__unit", "recognition__programme", "recorded_by"]
