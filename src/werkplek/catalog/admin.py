"""Admin for the reference data. Data marked illustrative is shown as such: it is not official."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    ContactPoint,
    ExtraDocumentRequirement,
    JointCommittee,
    Municipality,
    Partnership,
    PostalCode,
    Programme,
    Province,
    RoutingRule,
    Sector,
    TrainingProvider,
)

ILLUSTRATIVE_NOTE = _(
    "Records marked illustrative are examples chosen for this service, not official figures or "
    "real contact details. Check them against the partnership's own rules before relying on them."
)


class IllustrativeNoteMixin:
    """Shows the illustrative-data note above the list and a status line on the edit form."""

    readonly_fields = ["data_status"]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "subtitle": ILLUSTRATIVE_NOTE}
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("status of the data"))
    def data_status(self, obj) -> str:
        if obj is None or obj.pk is None or obj.is_illustrative:
            return _("Illustrative: an example, not official.")
        return _("Checked against the official source.")


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nl", "name_en", "region_code"]
    list_filter = ["region_code"]
    search_fields = ["code", "name_nl", "name_en"]


class PostalCodeInline(admin.TabularInline):
    model = PostalCode
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["nis_code", "name_nl", "name_fr", "province"]
    list_filter = ["province"]
    list_select_related = ["province"]
    search_fields = ["nis_code", "name_nl", "name_fr", "name_de", "postal_codes__code"]
    inlines = [PostalCodeInline]


@admin.register(PostalCode)
class PostalCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "place_name", "municipality"]
    list_filter = ["municipality__province"]
    list_select_related = ["municipality"]
    search_fields = ["code", "place_name", "municipality__name_nl", "municipality__name_fr"]
    autocomplete_fields = ["municipality"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nl", "name_en"]
    search_fields = ["code", "name_nl", "name_en"]


@admin.register(JointCommittee)
class JointCommitteeAdmin(admin.ModelAdmin):
    list_display = ["number", "name_nl", "name_en", "sector"]
    list_filter = ["sector"]
    list_select_related = ["sector"]
    search_fields = ["number", "name_nl", "name_en"]


class ExtraDocumentRequirementInline(admin.StackedInline):
    model = ExtraDocumentRequirement
    extra = 0
    fields = [("code", "scope", "condition"), ("name_nl", "name_en"),
              ("description_nl", "description_en")]


@admin.register(Partnership)
class PartnershipAdmin(IllustrativeNoteMixin, admin.ModelAdmin):
    list_display = [
        "code", "name_nl", "kind", "min_mentor_age", "max_learners_per_mentor",
        "mentor_training_required", "mentor_training_deadline_months", "requires_vote",
        "is_illustrative",
    ]
    list_filter = ["kind", "is_illustrative", "requires_vote", "mentor_training_required"]
    search_fields = ["code", "name_nl", "name_en", "short_name"]
    filter_horizontal = ["sectors"]
    inlines = [ExtraDocumentRequirementInline]
    fieldsets = [
        (None, {"fields": [
            "data_status", "code", "kind", "name_nl", "name_en", "short_name", "sectors",
        ]}),
        (_("Contact"), {"fields": ["email", "phone", "address"]}),
        (_("Sector rules"), {
            "description": ILLUSTRATIVE_NOTE,
            "fields": [
                "min_mentor_age", "min_experience_years", "experience_derogation_allowed",
                "mentor_training_required", "mentor_training_deadline_months",
                "max_learners_per_mentor", "requires_vote", "completion_period_days",
                "is_illustrative",
            ],
        }),
    ]


@admin.register(ExtraDocumentRequirement)
class ExtraDocumentRequirementAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "code", "partnership", "scope", "condition"]
    list_filter = ["partnership", "scope", "condition"]
    list_select_related = ["partnership"]
    search_fields = ["code", "name_nl", "name_en"]
    autocomplete_fields = ["partnership"]


class ListNoteMixin:
    """Shows a note about the data above the list."""

    list_note = ILLUSTRATIVE_NOTE

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "subtitle": self.list_note}
        return super().changelist_view(request, extra_context)


@admin.register(Programme)
class ProgrammeAdmin(ListNoteMixin, admin.ModelAdmin):
    list_note = _(
        "The Dutch programme names come from official announcements; the English names, the "
        "sector assignment and the activity lists are illustrative, not official."
    )
    list_display = ["name_nl", "name_en", "code", "sector", "level", "activity_count", "is_active"]
    list_filter = ["sector", "level", "is_active"]
    list_select_related = ["sector"]
    search_fields = ["code", "name_nl", "name_en"]
    prepopulated_fields = {"code": ["name_nl"]}

    @admin.display(description=_("activities"))
    def activity_count(self, obj: Programme) -> int:
        return len(obj.activities or [])


@admin.register(TrainingProvider)
class TrainingProviderAdmin(IllustrativeNoteMixin, admin.ModelAdmin):
    list_display = ["name_nl", "code", "kind", "province", "municipality", "is_illustrative"]
    list_filter = ["kind", "province", "is_illustrative"]
    list_select_related = ["province"]
    search_fields = ["code", "name_nl", "name_en", "municipality"]
    filter_horizontal = ["programmes"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(ListNoteMixin, admin.ModelAdmin):
    list_note = _(
        "The routing rules are illustrative: a choice of this service, not an official table. "
        "The most specific active rule wins; without a match the Flemish Partnership decides."
    )
    list_display = [
        "name", "joint_committee", "programme_sector", "partnership", "priority", "is_active",
    ]
    list_editable = ["priority", "is_active"]
    list_filter = ["is_active", "partnership", "programme_sector"]
    list_select_related = ["joint_committee", "programme_sector", "partnership"]
    search_fields = ["name", "joint_committee__number", "programme_sector__code",
                     "partnership__code"]
    autocomplete_fields = ["joint_committee", "programme_sector", "partnership"]


@admin.register(ContactPoint)
class ContactPointAdmin(IllustrativeNoteMixin, admin.ModelAdmin):
    list_display = ["name_nl", "province", "phone", "email", "is_illustrative"]
    list_filter = ["is_illustrative"]
    list_select_related = ["province"]
    search_fields = ["name_nl", "name_en", "email", "province__code", "province__name_nl"]
