from django.contrib import admin

from werkplek.core.admin import ReadOnlyAdminMixin

from .models import Appeal, AppealDocument, AppealEvent, FinalDecision


class ReadOnly(ReadOnlyAdminMixin):
    """Appeals are filed and handled only through the services, so that every step has its
    reasons, its letter and its timeline event: the admin shows them."""


class AppealDocumentInline(ReadOnly, admin.TabularInline):
    model = AppealDocument
    extra = 0
    # Not the file itself: private files have no URL (they are downloaded from the appeal's
    # page, which checks who asks and logs it).
    fields = ["original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class AppealEventInline(ReadOnly, admin.TabularInline):
    model = AppealEvent
    extra = 0
    fields = ["created_at", "kind", "actor", "from_state", "to_state", "message"]
    readonly_fields = fields


@admin.register(Appeal)
class AppealAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["reference", "enterprise", "partnership", "state", "filed_at", "in_time",
                    "admissibility_due", "decided_at"]
    list_filter = ["state", "in_time", "partnership"]
    search_fields = ["reference", "enterprise__name", "enterprise__enterprise_number",
                     "application__reference", "sanction__reference"]
    list_select_related = ["enterprise", "partnership"]
    date_hierarchy = "filed_at"
    raw_id_fields = ["application", "sanction"]
    inlines = [AppealDocumentInline, AppealEventInline]


@admin.register(FinalDecision)
class FinalDecisionAdmin(ReadOnly, admin.ModelAdmin):
    """Recorded by the daily job `appeals_daily` only."""

    list_display = ["__str__", "notified_on", "appeal_until", "final_since"]
    date_hierarchy = "final_since"
    raw_id_fields = ["application", "sanction"]
    search_fields = ["application__reference", "sanction__reference"]
