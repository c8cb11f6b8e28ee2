"""Letters and deliveries are made by the decisions (on an application, a sanction, an appeal)
and the task queue: the admin only shows them (a case handler, or the appeal committee, sends a
failed delivery again, or has a failed letter prepared again, from the case page)."""

from django.contrib import admin

from .models import Delivery, DeliveryAttempt, Letter


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DeliveryInline(ReadOnlyMixin, admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ["email", "recipient", "state", "attempts", "last_error", "sent_at"]
    fk_name = "letter"
    readonly_fields = fields
    show_change_link = True


class DeliveryAttemptInline(ReadOnlyMixin, admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    fields = ["at", "outcome", "error", "requested_by"]
    readonly_fields = fields


@admin.register(Letter)
class LetterAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["reference", "subject", "kind", "language", "dated_on", "state",
                    "attempts", "rendered_at"]
    list_filter = ["state", "kind", "language"]
    search_fields = ["reference", "application__reference", "application__enterprise__name",
                     "sanction__reference", "sanction__enterprise__name", "appeal__reference",
                     "appeal__enterprise__name"]
    list_select_related = ["application", "sanction", "appeal"]
    date_hierarchy = "dated_on"
    exclude = ["file"]  # a private file has no URL; it is downloaded from the case page
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["application", "purpose", "letter", "email", "state", "attempts", "sent_at"]
    list_filter = ["state", "purpose"]
    search_fields = ["email", "letter__reference", "application__reference"]
    list_select_related = ["application", "letter"]
    exclude = ["sending_since"]
    inlines = [DeliveryAttemptInline]
