"""Applications for recognition (erkenningsaanvragen), their mentors, documents and timeline."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from werkplek.core.uploads import private_storage, private_upload_to


class Application(ConcurrentTransitionMixin, models.Model):
    """One application: one establishment unit, one programme.

    The state can only change through the transitions below (the field is protected), and each
    service that calls one writes an `ApplicationEvent` for the timeline.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        IN_PROGRESS = "in_progress", _("complete, being handled")
        WAITING = "waiting", _("waiting for completion by the applicant")
        LAPSED = "lapsed", _("lapsed: not completed in time")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class FiledBy(models.TextChoices):
        ENTERPRISE = "enterprise", _("the enterprise")
        COACH = "coach", _("a learner coach under mandate")

    # States in which a second application for the same unit and programme is refused.
    OPEN_STATES = (State.SUBMITTED, State.IN_PROGRESS, State.WAITING)

    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True,
                                 blank=True)
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT,
                                   related_name="applications", verbose_name=_("enterprise"))
    unit = models.ForeignKey("enterprises.EstablishmentUnit", on_delete=models.PROTECT,
                             related_name="applications", null=True, blank=True,
                             verbose_name=_("establishment unit"))
    programme = models.ForeignKey("catalog.Programme", on_delete=models.PROTECT,
                                  related_name="applications", null=True, blank=True,
                                  verbose_name=_("programme"))
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True,
                     db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="applications_created",
                                   verbose_name=_("created by"))
    filed_by = models.CharField(_("filed by"), max_length=20, choices=FiledBy.choices,
                                default=FiledBy.ENTERPRISE)
    scan = models.ForeignKey("selfscan.SavedScan", on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="applications",
                             verbose_name=_("self-scan"))
    # Workplace conditions.
    activities_offered = models.JSONField(_("activities offered"), null=True, blank=True)
    financial_capacity = models.BooleanField(_("financial capacity"), null=True, blank=True)
    has_convictions = models.BooleanField(_("convictions"), null=True, blank=True)
    infrastructure_fits = models.BooleanField(_("infrastructure and organisation fit"),
                                              null=True, blank=True)
    # Submission and routing.
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="applications_submitted", null=True,
                                     blank=True, verbose_name=_("submitted by"))
    decision_deadline = models.DateField(_("decision deadline"), null=True, blank=True)
    deadline_rule = models.CharField(_("deadline rule"), max_length=100, blank=True)
    partnership = models.ForeignKey("catalog.Partnership", on_delete=models.PROTECT,
                                    related_name="applications", null=True, blank=True,
                                    verbose_name=_("partnership"))
    routing_rule = models.ForeignKey("catalog.RoutingRule", on_delete=models.SET_NULL,
                                     related_name="+", null=True, blank=True,
                                     verbose_name=_("routing rule"))
    routing_explanation = models.CharField(_("routing"), max_length=300, blank=True)
    # Completeness: while the application waits for the applicant, the decision clock pauses.
    paused_at = models.DateTimeField(_("waiting since"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("days paused"), default=0)
    completion_due = models.DateField(_("to be completed by"), null=True, blank=True,
                                      db_index=True)
    completion_sections = models.JSONField(_("sections to complete"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["enterprise", "state"], name="application_enterprise_idx"),
            models.Index(fields=["partnership", "state", "decision_deadline"],
                         name="application_queue_idx"),
            models.Index(fields=["unit", "programme", "state"], name="application_unit_prog_idx"),
        ]
        constraints = [
            # One open application per unit and programme, whatever races between two tabs.
            models.UniqueConstraint(fields=["unit", "programme"],
                                    condition=models.Q(state__in=["submitted", "in_progress",
                                                                  "waiting"]),
                                    name="one_open_application_per_unit_programme"),
        ]

    def __str__(self) -> str:
        return self.reference or f"{_('draft')} #{self.pk}"

    @transition(field=state, source=State.DRAFT, target=State.SUBMITTED)
    def submit(self) -> None:
        """Draft → submitted (the service sets reference, deadline and routing)."""

    @transition(field=state, source=State.SUBMITTED, target=State.IN_PROGRESS)
    def mark_complete(self) -> None:
        """The partnership found the application complete and investigates it."""

    @transition(field=state, source=[State.SUBMITTED, State.IN_PROGRESS], target=State.WAITING)
    def request_completion(self) -> None:
        """The partnership asks the applicant to complete parts; the decision clock pauses."""

    @transition(field=state, source=State.WAITING, target=State.SUBMITTED)
    def complete(self) -> None:
        """The applicant completed what was asked; the clock runs again."""

    @transition(field=state, source=State.WAITING, target=State.LAPSED)
    def lapse(self) -> None:
        """Not completed within the completion period."""

    @transition(field=state, source=[State.DRAFT, State.SUBMITTED, State.IN_PROGRESS,
                                     State.WAITING], target=State.WITHDRAWN)
    def withdraw(self) -> None:
        """Withdrawn by the applicant before a decision."""


class ApplicationMentor(models.Model):
    """A mentor named in an application, with what the application says about them."""

    class Training(models.TextChoices):
        DONE = "done", _("followed the mentor training")
        WILL_FOLLOW = "will_follow", _("will follow it within the sector's deadline")
        WONT_FOLLOW = "wont_follow", _("will not follow it")

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="mentors", verbose_name=_("application"))
    mentor = models.ForeignKey("enterprises.Mentor", on_delete=models.PROTECT,
                               related_name="applications", verbose_name=_("mentor"))
    years_of_experience = models.PositiveSmallIntegerField(_("years of professional experience"))
    derogation_requested = models.BooleanField(_("derogation requested"), default=False)
    training = models.CharField(_("mentor training"), max_length=20, choices=Training.choices)

    class Meta:
        verbose_name = _("mentor in an application")
        verbose_name_plural = _("mentors in an application")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "mentor"],
                                    name="unique_mentor_per_application"),
        ]

    def __str__(self) -> str:
        return str(self.mentor)


class ApplicationEvent(models.Model):
    """One line of the application's timeline: who did what, when, from which state to which."""

    class Kind(models.TextChoices):
        CREATED = "created", _("draft created")
        SUBMITTED = "submitted", _("submitted")
        ROUTED = "routed", _("routed to a partnership")
        WITHDRAWN = "withdrawn", _("withdrawn")
        RECEIPT_SENT = "receipt_sent", _("receipt sent")
        MARKED_COMPLETE = "marked_complete", _("found complete")
        COMPLETION_REQUESTED = "completion_requested", _("completion requested")
        COMPLETED = "completed", _("completed by the applicant")
        LAPSED = "lapsed", _("lapsed")
        NOTICE_SENT = "notice_sent", _("notice sent")

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="events", verbose_name=_("application"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("by"))
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, blank=True)
    message = models.TextField(_("message"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "created_at"], name="event_timeline_idx")]

    def __str__(self) -> str:
        return f"{self.application} {self.kind}"


class ReferenceSequence(models.Model):
    """The last reference number handed out per year (WP-2026-000123)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference sequence")
        verbose_name_plural = _("reference sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Document(models.Model):
    """An uploaded document of an application: checked by content, stored under a random name
    outside the web root, downloadable only by those who may see the application."""

    class Kind(models.TextChoices):
        CRIMINAL_RECORD_EXTRACT = "criminal_record_extract", _(
            "extract from the criminal record, model 596.2")
        PRIOR_EDUCATION_PROOF = "prior_education_proof", _("proof of prior education")
        DECLARATION_ON_HONOUR = "declaration_on_honour", _("declaration on honour, signed")
        MANDATE = "mandate", _("mandate")
        SECTOR_EXTRA = "sector_extra", _("document asked by the sector")

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="documents", verbose_name=_("application"))
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    mentor = models.ForeignKey(ApplicationMentor, on_delete=models.CASCADE, null=True,
                               blank=True, related_name="documents", verbose_name=_("mentor"))
    extra_code = models.CharField(_("sector document"), max_length=50, blank=True)
    file = models.FileField(_("file"), storage=private_storage, upload_to=private_upload_to,
                            max_length=200)
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "uploaded_at"]
        indexes = [models.Index(fields=["application", "kind"], name="document_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"
