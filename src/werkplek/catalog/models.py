"""Reference data: places, sectors, partnerships and their rules, routing, programmes,
training providers and contact points.

Loaded from the files in `catalog/data/` by `manage.py load_reference_data` (idempotent) and
editable by administrators in the admin. Where the data is illustrative rather than official,
the field `is_illustrative` says so and the admin shows it.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    """A record with a Dutch and an English name; `name` gives the one for the active language."""

    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl


class Province(BilingualName):
    """A Belgian province, or the Brussels-Capital Region (which has no province)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    region_code = models.CharField(_("region"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name_nl"]


class Municipality(models.Model):
    nis_code = models.CharField(_("NIS code"), max_length=5, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_de = models.CharField(_("name (German)"), max_length=200, blank=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="municipalities",
        verbose_name=_("province"), null=True, blank=True,
    )
    # An approximate point (WGS 84), derived from the judicial cantons' boundaries when the
    # reference data is loaded: good to a few km, for "within N km" searches.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_nl", "name_fr"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_nl or self.name_fr or self.name_de


class PostalCode(models.Model):
    """One postal code and the municipality it lies in (a code can span municipalities)."""

    code = models.CharField(_("postal code"), max_length=4, db_index=True)
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="postal_codes",
        verbose_name=_("municipality"),
    )

    class Meta:
        verbose_name = _("postal code")
        verbose_name_plural = _("postal codes")
        ordering = ["code", "place_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "municipality", "place_name"], name="unique_postal_code_place"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.place_name or self.municipality.name}"


class Sector(BilingualName):
    """A sector of the economy, used to group programmes and route applications."""

    code = models.SlugField(_("code"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name_nl"]


class JointCommittee(BilingualName):
    """A joint committee (paritair comité), e.g. 124 construction, 149.01 electricians."""

    number = models.CharField(_("number"), max_length=10, unique=True)
    sector = models.ForeignKey(
        Sector, on_delete=models.SET_NULL, null=True, blank=True, related_name="joint_committees",
        verbose_name=_("sector"),
    )

    class Meta:
        verbose_name = _("joint committee")
        verbose_name_plural = _("joint committees")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"PC {self.number} {self.name}"


class VoteRule(models.TextChoices):
    """How a vote on a proposed decision is carried."""

    SIMPLE_MAJORITY = "simple_majority", _("simple majority of the votes cast")
    ABSOLUTE_MAJORITY = "absolute_majority", _("majority of all voting members")
    UNANIMITY = "unanimity", _("unanimity of the votes cast")


class Partnership(BilingualName):
    """A partnership that decides on applications: the Flemish one (VPDL) or a sectoral one.

    The sector rules live on the partnership as data, so they can be changed in the admin.
    """

    class Kind(models.TextChoices):
        FLEMISH = "flemish", _("Flemish Partnership")
        SECTORAL = "sectoral", _("sectoral partnership")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="partnerships", verbose_name=_("sectors")
    )
    # Sector rules.
    min_mentor_age = models.PositiveSmallIntegerField(
        _("minimum mentor age"), default=25,
        help_text=_("25 by law; a partnership may lower it to 23 for its sector."),
    )
    min_experience_years = models.PositiveSmallIntegerField(
        _("minimum years of professional experience"), default=5
    )
    experience_derogation_allowed = models.BooleanField(
        _("experience derogation with proof of prior education"), default=True,
        help_text=_("Fewer years of experience are accepted with a proof of prior education."),
    )
    mentor_training_required = models.BooleanField(_("mentor training compulsory"), default=False)
    mentor_training_deadline_months = models.PositiveSmallIntegerField(
        _("mentor training deadline (months after recognition)"), null=True, blank=True
    )
    max_learners_per_mentor = models.PositiveSmallIntegerField(
        _("maximum learners per mentor at the same time"), default=2
    )
    requires_vote = models.BooleanField(_("decisions need a vote"), default=False)
    vote_rule = models.CharField(_("vote rule"), max_length=30, choices=VoteRule.choices,
                                 default=VoteRule.SIMPLE_MAJORITY)
    completion_period_days = models.PositiveSmallIntegerField(
        _("days to complete an incomplete application"), default=30
    )
    is_illustrative = models.BooleanField(
        _("illustrative data"), default=True,
        help_text=_("The rules shown are examples chosen for this service, not official figures."),
    )

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["kind", "name_nl"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_mentor_age__gte=23) & models.Q(min_mentor_age__lte=25),
                name="partnership_min_mentor_age_23_to_25",
            ),
            models.CheckConstraint(
                condition=models.Q(max_learners_per_mentor__gte=1),
                name="partnership_at_least_one_learner_per_mentor",
            ),
        ]


class ExtraDocumentRequirement(BilingualName):
    """A document a partnership asks for on top of the general ones."""

    class Scope(models.TextChoices):
        APPLICATION = "application", _("once per application")
        MENTOR = "mentor", _("per mentor")

    class Condition(models.TextChoices):
        FINANCIAL_CAPACITY = "financial_capacity", _("financial capacity")
        NO_CONVICTIONS = "no_convictions", _("no convictions")
        INFRASTRUCTURE = "infrastructure", _("infrastructure and organisation")
        MENTOR = "mentor", _("mentor")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="extra_documents",
        verbose_name=_("partnership"),
    )
    code = models.SlugField(_("code"), max_length=50)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    condition = models.CharField(_("under condition"), max_length=30, choices=Condition.choices)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        verbose_name = _("extra document")
        verbose_name_plural = _("extra documents")
        ordering = ["partnership", "code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="unique_extra_document")
        ]


class Programme(BilingualName):
    """A dual-learning programme from the catalogue; applicants pick its exact name."""

    class Level(models.TextChoices):
        SECONDARY = "secondary", _("secondary education")
        ADULT = "adult", _("adult education")

    code = models.SlugField(_("code"), max_length=100, unique=True)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("sector")
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices,
                             default=Level.SECONDARY)
    standard_trajectory = models.CharField(_("standard trajectory"), max_length=200, blank=True)
    activities = models.JSONField(
        _("activity list"), default=list, blank=True,
        help_text=_("What the workplace must be able to offer: a list of {nl, en} texts."),
    )
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name_nl"]
        indexes = [models.Index(fields=["name_nl"], name="programme_name_nl_idx")]

    def activity_texts(self) -> list[str]:
        lang = "en" if (get_language() or "nl").startswith("en") else "nl"
        return [a.get(lang) or a.get("nl", "") for a in self.activities]


class TrainingProvider(BilingualName):
    """A school or adult-education centre (for example a Syntra campus) that runs programmes."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("secondary school")
        ADULT_EDUCATION = "adult_education", _("adult-education centre")
        SYNTRA = "syntra", _("Syntra campus")

    code = models.SlugField(_("code"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="training_providers",
        verbose_name=_("province"),
    )
    municipality = models.CharField(_("municipality"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    programmes = models.ManyToManyField(
        Programme, blank=True, related_name="training_providers", verbose_name=_("programmes")
    )
    is_illustrative = models.BooleanField(_("illustrative data"), default=True)

    class Meta:
        verbose_name = _("training provider")
        verbose_name_plural = _("training providers")
        ordering = ["name_nl"]


class RoutingRule(models.Model):
    """Which partnership is competent for a joint committee and/or a programme sector.

    The most specific active rule wins (both keys, then the joint committee, then the
    programme sector), then the lowest priority number; the Flemish Partnership is the
    fallback when no rule matches. Every routing records the rule that matched.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    joint_committee = models.ForeignKey(
        JointCommittee, on_delete=models.CASCADE, null=True, blank=True,
        related_name="routing_rules", verbose_name=_("joint committee"),
    )
    programme_sector = models.ForeignKey(
        Sector, on_delete=models.CASCADE, null=True, blank=True, related_name="routing_rules",
        verbose_name=_("programme sector"),
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="routing_rules",
        verbose_name=_("partnership"),
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["priority", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(joint_committee__isnull=False)
                | models.Q(programme_sector__isnull=False),
                name="routing_rule_has_a_key",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ContactPoint(models.Model):
    """The provincial contact point that helps enterprises with their application."""

    province = models.OneToOneField(
        Province, on_delete=models.CASCADE, related_name="contact_point",
        verbose_name=_("province"),
    )
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("e-mail"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_illustrative = models.BooleanField(_("illustrative data"), default=True)

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        ordering = ["province__name_nl"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl
