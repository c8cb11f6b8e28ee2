from django.contrib import admin

from .models import Recognition, RecognitionMentor


class RecognitionMentorInline(admin.TabularInline):
    model = RecognitionMentor
    extra = 0
    raw_id_fields = ["mentor"]


@admin.register(Recognition)
class RecognitionAdmin(admin.ModelAdmin):
    list_display = ["unit", "programme", "enterprise", "partnership", "state", "valid_from",
                    "valid_until"]
    list_filter = ["state", "partnership"]
    search_fields = ["enterprise__name", "enterprise__enterprise_number", "unit__name",
                     "unit__unit_number", "programme__name_nl"]
    list_select_related = ["unit", "programme", "enterprise", "partnership"]
    raw_id_fields = ["enterprise", "unit", "application", "created_by"]
    date_hierarchy = "valid_from"
    inlines = [RecognitionMentorInline]
