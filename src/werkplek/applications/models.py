"""Applications for recognition (erkenningsaanvragen), their mentors, documents and timeline."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from werkplek.core.models import StoredDocument


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
        PROPOSED = "proposed", _("decision proposed")
        APPROVED = "approved", _("approved: recognised")
        REFUSED = "refused", _("refused")
        LAPSED = "lapsed", _("lapsed: not completed in time")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("approve")
        REFUSE = "refuse", _("refuse")

    class VoteOutcome(models.TextChoices):
        ADOPTED = "adopted", _("proposal adopted")
        REJECTED = "rejected", _("proposal rejected")

    class FiledBy(models.TextChoices):
        ENTERPRISE = "enterprise", _("the enterprise")
        COACH = "coach", _("a learner coach under mandate")

    # States in which a second application for the same unit and programme is refused.
    OPEN_STATES = (State.SUBMITTED, State.IN_PROGRESS, State.WAITING, State.PROPOSED)
    DECIDED_STATES = (State.APPROVED, State.REFUSED)
    # States in which the decision clock runs (waiting pauses it).
    RUNNING_STATES = (State.SUBMITTED, State.IN_PROGRESS, State.PROPOSED)

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
    # A renewal: the recognition it continues when approved (prefilled from it).
    renews = models.ForeignKey("recognitions.Recognition", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="renewal_applications",
                               verbose_name=_("renews recognition"))
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
    # Back office: who handles it, and a version that every back-office change raises, so that
    # a form posted from a page that is out of date is refused (optimistic locking).
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="assigned_applications",
                                    verbose_name=_("case handler"))
    version = models.PositiveIntegerField(_("version"), default=1)
    # The proposed decision, and the vote on it where the partnership asks for one.
    proposal = models.CharField(_("proposed decision"), max_length=10, choices=Outcome.choices,
                                blank=True)
    proposal_reasons = models.TextField(_("reasons of the proposal"), blank=True)
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("proposed by"))
    proposal_round = models.PositiveSmallIntegerField(_("proposal round"), default=0)
    vote_outcome = models.CharField(_("outcome of the vote"), max_length=10,
                                    choices=VoteOutcome.choices, blank=True)
    vote_closed_at = models.DateTimeField(_("vote closed at"), null=True, blank=True)
    # The decision: final once recorded.
    decision = models.CharField(_("decision"), max_length=10, choices=Outcome.choices,
                                blank=True)
    decision_reasons = models.TextField(_("reasons"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
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
            models.Index(fields=["partnership", "submitted_at"], name="application_stats_idx"),
            models.Index(fields=["assigned_to", "state"], name="application_assigned_idx"),
            models.Index(fields=["partnership", "decision_deadline"],
                         name="application_deadline_idx"),
        ]
        constraints = [
            # One open application per unit and programme, whatever races between two tabs.
            models.UniqueConstraint(fields=["unit", "programme"],
                                    condition=models.Q(state__in=["submitted", "in_progress",
                                                                  "waiting", "proposed"]),
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

    @transition(field=state, source=State.IN_PROGRESS, target=State.PROPOSED)
    def propose(self) -> None:
        """The handler proposes a decision after the investigation (voting opens if asked)."""

    @transition(field=state, source=State.PROPOSED, target=State.IN_PROGRESS)
    def reopen(self) -> None:
        """The proposal is withdrawn or was rejected in the vote: back to the investigation."""

    @transition(field=state, source=State.PROPOSED, target=State.APPROVED)
    def approve(self) -> None:
        """Approved: the service creates the recognition. Final."""

    @transition(field=state, source=State.PROPOSED, target=State.REFUSED)
    def refuse(self) -> None:
        """Refused, with reasons. Final (the enterprise may appeal)."""

    @transition(field=state, source=[State.DRAFT, State.SUBMITTED, State.IN_PROGRESS,
                                     State.WAITING, State.PROPOSED], target=State.WITHDRAWN)
    def withdraw(self) -> None:
        """Withdrawn by the applicant before a decision."""


class ApplicationMentor(models.Model):
    """A mentor named in an application, with what the application says about them."""

    class Training(models.TextChoices):
        DONE = "done", _("followed the mentor training")
        WILL_FOLLOW = "will_follow", _("will follow it within the sector's deadline")
        WONT_FOLLOW = "wont_follow", _("will not follow it")

    class Check(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="mentors", verbose_name=_("application"))
    mentor = models.ForeignKey("enterprises.Mentor", on_delete=models.PROTECT,
                               related_name="applications", verbose_name=_("mentor"))
    years_of_experience = models.PositiveSmallIntegerField(_("years of professional experience"))
    derogation_requested = models.BooleanField(_("derogation requested"), default=False)
    training = models.CharField(_("mentor training"), max_length=20, choices=Training.choices)
    # The partnership's check of this mentor during the investigation.
    check_result = models.CharField(_("check"), max_length=10, choices=Check.choices,
                                    blank=True)
    check_reason = models.TextField(_("reason"), blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("checked by"))
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

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
        ASSIGNED = "assigned", _("assigned to a case handler")
        INVESTIGATION = "investigation", _("investigation recorded")
        MENTOR_CHECKED = "mentor_checked", _("mentor checked")
        MESSAGE = "message", _("message to the applicant")
        PROPOSED = "proposed", _("decision proposed")
        PROPOSAL_WITHDRAWN = "proposal_withdrawn", _("proposal withdrawn")
        VOTE_CAST = "vote_cast", _("vote cast")
        VOTE_CLOSED = "vote_closed", _("vote closed")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        LETTER_SENT = "letter_sent", _("decision letter sent")
        DEADLINE_REMINDER = "deadline_reminder", _("deadline reminder sent")
        OVERDUE = "overdue", _("decision overdue")
        MANDATE_CHECKED = "mandate_checked", _("mandate document checked")
        OVERTURNED = "overturned", _("refusal overturned on appeal")

    # Kinds that belong to the partnership's casework: never shown to the applicant.
    INTERNAL_KINDS = frozenset({
        Kind.ASSIGNED, Kind.INVESTIGATION, Kind.MENTOR_CHECKED, Kind.PROPOSED,
        Kind.PROPOSAL_WITHDRAWN, Kind.VOTE_CAST, Kind.VOTE_CLOSED, Kind.DEADLINE_REMINDER,
        Kind.OVERDUE,
    })

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

    @property
    def moved_deadline(self):
        """For a completion: the new decision deadline, when the days waited moved it."""
        from datetime import date

        if self.kind != self.Kind.COMPLETED or not self.data.get("paused_days"):
            return None
        return date.fromisoformat(self.data["deadline"])


class ReferenceSequence(models.Model):
    """The last reference number handed out per year (WP-2026-000123)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference sequence")
        verbose_name_plural = _("reference sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Document(StoredDocument):
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

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "uploaded_at"]
        indexes = [models.Index(fields=["application", "kind"], name="document_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class InvestigationStep(models.Model):
    """A contact with the enterprise or a site visit during the investigation."""

    class Kind(models.TextChoices):
        CONTACT = "contact", _("contact")
        SITE_VISIT = "site_visit", _("site visit")

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="investigation", verbose_name=_("application"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("date"))
    participants = models.CharField(_("who"), max_length=300)
    findings = models.TextField(_("findings"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("investigation step")
        verbose_name_plural = _("investigation steps")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"


class CaseNote(models.Model):
    """An internal note of the partnership (never shown to the applicant) or a message to the
    applicant (shown on their status page and sent by e-mail)."""

    class Kind(models.TextChoices):
        NOTE = "note", _("internal note")
        MESSAGE = "message", _("message to the applicant")

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="notes", verbose_name=_("application"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    body = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "kind", "created_at"],
                                name="casenote_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%d/%m/%Y}"


class Vote(models.Model):
    """A voting member's vote on the proposal of one round."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="votes", verbose_name=_("application"))
    round = models.PositiveSmallIntegerField(_("proposal round"))
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="votes", verbose_name=_("voting member"))
    in_favour = models.BooleanField(_("in favour"))
    remark = models.TextField(_("remark"), blank=True)
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["cast_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "round", "voter"],
                                    name="one_vote_per_member_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.round} {self.voter}"
