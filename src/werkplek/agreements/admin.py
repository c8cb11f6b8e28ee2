from django.contrib import admin

from .models import Agreement, AgreementEvent


class AgreementEventInline(admin.TabularInline):
    model = AgreementEvent
    extra = 0
    fields = ["created_at", "kind", "actor", "message"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """Read-only: agreements change through their services (the sanctions' effects among
    them), each with a timeline event. Learners are listed by name only."""

    list_display = ["learner", "unit", "programme", "mentor", "kind", "start_date", "end_date",
                    "state"]
    list_filter = ["state", "kind"]
    list_select_related = ["learner", "unit", "programme", "mentor"]
    search_fields = ["learner__last_name", "enterprise__name"]
    exclude = ["learner"]
    readonly_fields = ["enterprise", "unit", "programme", "recognition", "mentor",
                       "training_provider", "coach", "kind", "weekly_hours", "start_date",
                       "end_date", "state", "ended_on", "end_reason", "ended_by", "created_by"]
    inlines = [AgreementEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
