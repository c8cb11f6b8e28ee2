from django.contrib import admin

from .models import Recognition, RecognitionMentor


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
