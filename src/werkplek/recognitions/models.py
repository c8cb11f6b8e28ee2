"""Recognitions (erkenningen): one establishment unit, one programme, valid 5 years; their
mentors, their timeline, and monitoring: findings, support actions (begeleidingsacties) and
sanctions (a mentor ban, a withdrawal, an exclusion).

Every change of state goes through `services.py`, which writes a `RecognitionEvent`."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from werkplek.core.models import StoredDocument

# Months before the end of a recognition at which the enterprise is reminded.
REMINDER_MONTHS = (6, 2)
# A recognition counts as expiring within this many months of its last day.
EXPIRING_MONTHS = 6


class Recognition(ConcurrentTransitionMixin, models.Model):
    """The recognition of an establishment unit as a workplace for one programme.

    Created by the decision service when an application is approved (or an appeal overturns a
    refusal); valid from the day of the decision for 5 years
    (`core.deadlines.recognition_validity`).
    A renewal creates the next recognition, starting the day after this one ends; this one is
    then *renewed* and stays in force until its own last day.
    """

    class State(models.TextChoices):
        # A context of their own: "withdrawn" is "opgeheven" for a recognition, where an
        # application is "ingetrokken".
        ACTIVE = "active", pgettext_lazy("recognition state", "active")
        EXPIRED = "expired", pgettext_lazy("recognition state", "expired")
        RENEWED = "renewed", pgettext_lazy("recognition state", "renewed")
        WITHDRAWN = "withdrawn", pgettext_lazy("recognition state", "withdrawn")
        EXCLUDED = "excluded", pgettext_lazy("recognition state", "excluded")

    # States in which a recognition is in force between its first and last day.
    IN_FORCE_STATES = (State.ACTIVE, State.RENEWED)

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT,
                                   related_name="recognitions", verbose_name=_("enterprise"))
    unit = models.ForeignKey("enterprises.EstablishmentUnit", on_delete=models.PROTECT,
                             related_name="recognitions", verbose_name=_("establishment unit"))
    programme = models.ForeignKey("catalog.Programme", on_delete=models.PROTECT,
                                  related_name="recognitions", verbose_name=_("programme"))
    partnership = models.ForeignKey("catalog.Partnership", on_delete=models.PROTECT,
                                    related_name="recognitions", verbose_name=_("partnership"))
    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="recognition",
                                       verbose_name=_("application"))
    # The recognition this one continues (a renewal).
    previous = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="successor",
                                    verbose_name=_("continues recognition"))
    state = FSMField(_("state"), max_length=20, choices=State.choices, default=State.ACTIVE,
                     protected=True, db_index=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), db_index=True)
    validity_rule = models.CharField(_("validity rule"), max_length=100)
    # The day it stopped being in force before its end (withdrawal, exclusion), and why.
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    ended_by = models.ForeignKey("Sanction", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="ended_recognitions",
                                 verbose_name=_("ended by sanction"))
    # The reminders of the end already sent (the daily job sends each once).
    reminded_6m_on = models.DateField(_("reminded 6 months before the end on"), null=True,
                                      blank=True)
    reminded_2m_on = models.DateField(_("reminded 2 months before the end on"), null=True,
                                      blank=True)
    mentors = models.ManyToManyField("enterprises.Mentor", through="RecognitionMentor",
                                     related_name="recognitions", verbose_name=_("mentors"))
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["unit", "programme", "-valid_from"]
        indexes = [
            models.Index(fields=["enterprise", "state"], name="recognition_enterprise_idx"),
            models.Index(fields=["partnership", "state", "valid_until"],
                         name="recognition_partnership_idx"),
            models.Index(fields=["programme", "state"], name="recognition_programme_idx"),
            models.Index(fields=["state", "valid_until"], name="recognition_due_idx"),
            # The public register (`register.selectors`): the recognitions that can be in force
            # (a partial index: a third of the table), by programme or by establishment unit,
            # with what the search filters and joins on (index-only scans).
            models.Index(fields=["programme", "valid_until", "valid_from", "unit", "enterprise"],
                         condition=models.Q(state__in=["active", "renewed"]),
                         name="recognition_inforce_prog_idx"),
            models.Index(fields=["unit", "valid_until", "valid_from", "programme", "enterprise"],
                         condition=models.Q(state__in=["active", "renewed"]),
                         name="recognition_inforce_unit_idx"),
            # The daily end reminders (`services.send_end_reminders`): only the active
            # recognitions not yet reminded, by end date, so the job reads just the due rows.
            models.Index(fields=["valid_until"],
                         condition=models.Q(state="active", reminded_6m_on__isnull=True),
                         name="recognition_remind_6m_idx"),
            models.Index(fields=["valid_until"],
                         condition=models.Q(state="active", reminded_2m_on__isnull=True),
                         name="recognition_remind_2m_idx"),
        ]
        constraints = [
            # At most one active recognition per unit and programme, whatever races.
            models.UniqueConstraint(fields=["unit", "programme"],
                                    condition=models.Q(state="active"),
                                    name="one_active_recognition_per_unit_programme"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.programme}"

    # Transitions (the services write the event and apply the effects).
    @transition(field=state, source=State.ACTIVE, target=State.EXPIRED)
    def expire(self) -> None:
        """Its last day has passed without a renewal."""

    @transition(field=state, source=State.ACTIVE, target=State.RENEWED)
    def renew(self) -> None:
        """A renewal was granted: the next recognition continues this one."""

    @transition(field=state, source=[State.ACTIVE, State.RENEWED], target=State.WITHDRAWN)
    def withdraw(self) -> None:
        """Withdrawn (opheffing) by a sanction."""

    @transition(field=state, source=[State.ACTIVE, State.RENEWED], target=State.EXCLUDED)
    def exclude(self) -> None:
        """Ended by the exclusion (uitsluiting) of its unit or enterprise."""

    @transition(field=state, source=[State.WITHDRAWN, State.EXCLUDED], target=State.ACTIVE)
    def reinstate(self) -> None:
        """The sanction that ended it was lifted on appeal, within its validity."""

    @transition(field=state, source=[State.WITHDRAWN, State.EXCLUDED], target=State.RENEWED)
    def reinstate_renewed(self) -> None:
        """As `reinstate`, for one already continued by a renewal."""

    # Reading.
    @classmethod
    def in_force_q(cls, day=None) -> models.Q:
        """Recognitions that still count (in a query): active (also one whose renewal has not
        started yet), or renewed and not past its own last day."""
        day = day or timezone.localdate()
        return models.Q(state=cls.State.ACTIVE) | models.Q(state=cls.State.RENEWED,
                                                           valid_until__gte=day)

    def in_force(self, day=None) -> bool:
        """In force on `day` (today): the state allows it and the day is in its period."""
        day = day or timezone.localdate()
        return self.state in self.IN_FORCE_STATES and self.valid_from <= day <= self.valid_until

    @property
    def is_current(self) -> bool:
        return self.in_force()

    def register_state(self, today=None) -> str:
        """The state the register shows: the stored one, with *expiring* for an active
        recognition in its last 6 months (not once a renewal continues it)."""
        from werkplek.core.deadlines import months_before

        today = today or timezone.localdate()
        # From the day of the 6-month reminder (when renewal opens) on.
        if self.state == self.State.ACTIVE and \
                months_before(self.valid_until, EXPIRING_MONTHS) <= today:
            return "expiring"
        return self.state


class RecognitionMentor(models.Model):
    """A mentor of a recognition: confirmed in the decision, or added later (checked against
    the conditions). Deactivated rather than deleted, so the history stays."""

    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE,
                                    related_name="mentor_links", verbose_name=_("recognition"))
    mentor = models.ForeignKey("enterprises.Mentor", on_delete=models.PROTECT,
                               related_name="recognition_links", verbose_name=_("mentor"))
    since = models.DateField(_("mentor since"))
    is_active = models.BooleanField(_("active"), default=True)
    until = models.DateField(_("mentor until"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=200, blank=True)
    # For a mentor added during the validity: what the enterprise declared and the documents
    # the conditions ask for (a mentor from the decision has them in the application).
    years_of_experience = models.PositiveSmallIntegerField(_("years of professional experience"),
                                                           null=True, blank=True)
    training = models.CharField(_("mentor training"), max_length=20, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("added by"))

    class Meta:
        verbose_name = _("mentor of a recognition")
        verbose_name_plural = _("mentors of a recognition")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["recognition", "mentor"],
                                    name="unique_mentor_per_recognition"),
        ]

    def __str__(self) -> str:
        return str(self.mentor)


class MentorDocument(StoredDocument):
    """A document of a mentor added during the validity: checked by content, stored privately
    under a random name."""

    class Kind(models.TextChoices):
        CRIMINAL_RECORD_EXTRACT = "criminal_record_extract", _(
            "extract from the criminal record, model 596.2")
        PRIOR_EDUCATION_PROOF = "prior_education_proof", _("proof of prior education")

    link = models.ForeignKey(RecognitionMentor, on_delete=models.CASCADE,
                             related_name="documents", verbose_name=_("mentor"))
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)

    class Meta:
        verbose_name = _("mentor document")
        verbose_name_plural = _("mentor documents")
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class Finding(models.Model):
    """A monitoring finding on a recognition: a site visit, a complaint, a check."""

    class Kind(models.TextChoices):
        SITE_VISIT = "site_visit", _("site visit")
        COMPLAINT = "complaint", _("complaint")
        CHECK = "check", _("check")

    class Outcome(models.TextChoices):
        MET = "met", _("the conditions and duties are met")
        NOT_MET = "not_met", _("a condition or duty is no longer met")

    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE,
                                    related_name="findings", verbose_name=_("recognition"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("date"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    condition = models.CharField(_("condition or duty concerned"), max_length=40, blank=True)
    description = models.TextField(_("what was found"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("monitoring finding")
        verbose_name_plural = _("monitoring findings")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["recognition", "on"], name="finding_recognition_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"


class SupportAction(ConcurrentTransitionMixin, models.Model):
    """A support action (begeleidingsactie): what the enterprise must improve, by when. The
    enterprise sees and answers it; on its deadline the handler follows up: met, or failed (only
    then may a sanction follow)."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("answered by the enterprise")
        MET = "met", _("met")
        FAILED = "failed", _("not met")

    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE,
                                    related_name="support_actions", verbose_name=_("recognition"))
    finding = models.ForeignKey(Finding, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="support_actions", verbose_name=_("finding"))
    improvement = models.TextField(_("what must improve"))
    due_on = models.DateField(_("to be improved by"), db_index=True)
    state = FSMField(_("state"), max_length=10, choices=State.choices, default=State.OPEN,
                     protected=True, db_index=True)
    answer = models.TextField(_("answer of the enterprise"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("answered by"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    followed_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="+",
                                       verbose_name=_("followed up by"))
    # The day the handlers were told that its deadline has come (the daily job does it once).
    follow_up_reminded_on = models.DateField(_("follow-up reminder sent on"), null=True,
                                             blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("opened by"))
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support action")
        verbose_name_plural = _("support actions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "due_on"], name="support_action_due_idx")]

    def __str__(self) -> str:
        return f"{self.recognition} {self.due_on:%d/%m/%Y}"

    OPEN_STATES = (State.OPEN, State.ANSWERED)

    @transition(field=state, source=[State.OPEN, State.ANSWERED], target=State.ANSWERED)
    def record_answer(self) -> None:
        """The enterprise answers (again) what it did."""

    @transition(field=state, source=[State.OPEN, State.ANSWERED], target=State.MET)
    def mark_met(self) -> None:
        """Follow-up: the improvement was made."""

    @transition(field=state, source=[State.OPEN, State.ANSWERED], target=State.FAILED)
    def mark_failed(self) -> None:
        """Follow-up: the improvement was not made; a sanction may follow."""


class Sanction(ConcurrentTransitionMixin, models.Model):
    """A sanction after failed support actions, with reasons and an official letter.

    - a mentor ban: the mentor may no longer coach for the programmes named;
    - a withdrawal (opheffing) of one recognition;
    - an exclusion (uitsluiting) of one establishment unit or the whole enterprise, temporary
      (until `ends_on`) or definitive: its recognitions end, and no new application is accepted
      while it lasts.

    `effects` records what the sanction changed (recognitions ended, agreements ended or given
    another mentor), so an appeal that overturns it can reverse what can be reversed.
    """

    class Kind(models.TextChoices):
        MENTOR_BAN = "mentor_ban", _("mentor ban")
        WITHDRAWAL = "withdrawal", _("withdrawal of the recognition")
        EXCLUSION = "exclusion", _("exclusion")

    class State(models.TextChoices):
        IN_FORCE = "in_force", _("in force")
        ENDED = "ended", _("ended")
        LIFTED = "lifted", _("lifted on appeal")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT,
                                   related_name="sanctions", verbose_name=_("enterprise"))
    partnership = models.ForeignKey("catalog.Partnership", on_delete=models.PROTECT,
                                    related_name="sanctions", verbose_name=_("partnership"))
    # The recognition the sanction was imposed on (the failed support action's).
    recognition = models.ForeignKey(Recognition, on_delete=models.PROTECT,
                                    related_name="sanctions", verbose_name=_("recognition"))
    support_action = models.ForeignKey(SupportAction, on_delete=models.PROTECT,
                                       related_name="sanctions",
                                       verbose_name=_("failed support action"))
    # A mentor ban: the mentor and the programmes.
    mentor = models.ForeignKey("enterprises.Mentor", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="sanctions", verbose_name=_("mentor"))
    programmes = models.ManyToManyField("catalog.Programme", blank=True, related_name="+",
                                        verbose_name=_("programmes"))
    # An exclusion: of one unit, or of the whole enterprise (no unit); until a day or for good.
    unit = models.ForeignKey("enterprises.EstablishmentUnit", on_delete=models.PROTECT,
                             null=True, blank=True, related_name="sanctions",
                             verbose_name=_("establishment unit"))
    ends_on = models.DateField(_("until"), null=True, blank=True, db_index=True)
    reasons = models.TextField(_("reasons"))
    state = FSMField(_("state"), max_length=10, choices=State.choices, default=State.IN_FORCE,
                     protected=True, db_index=True)
    effects = models.JSONField(_("effects"), default=dict, blank=True)
    imposed_on = models.DateField(_("imposed on"))
    imposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("imposed by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        ordering = ["-imposed_on", "-pk"]
        indexes = [
            models.Index(fields=["enterprise", "kind", "state"], name="sanction_enterprise_idx"),
            models.Index(fields=["partnership", "state"], name="sanction_partnership_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()}"

    @property
    def is_definitive(self) -> bool:
        return self.kind == self.Kind.EXCLUSION and self.ends_on is None

    @transition(field=state, source=State.IN_FORCE, target=State.ENDED)
    def end(self) -> None:
        """A temporary exclusion reached its end."""

    @transition(field=state, source=[State.IN_FORCE, State.ENDED], target=State.LIFTED)
    def lift(self) -> None:
        """Overturned on appeal (also a temporary exclusion that ended meanwhile: the decision
        is still overturned, with nothing left to reverse)."""


class RecognitionEvent(models.Model):
    """One line of the timeline of an enterprise's recognitions: who did what, when."""

    class Kind(models.TextChoices):
        GRANTED = "granted", _("recognition granted")
        RENEWED = "renewed", _("recognition renewed")
        REMINDER = "reminder", _("reminder of the end sent")
        EXPIRED = "expired", _("recognition expired")
        MENTOR_ADDED = "mentor_added", _("mentor added")
        MENTOR_DEACTIVATED = "mentor_deactivated", _("mentor no longer active")
        FINDING = "finding", _("monitoring finding recorded")
        SUPPORT_OPENED = "support_opened", _("support action opened")
        SUPPORT_ANSWERED = "support_answered", _("support action answered")
        SUPPORT_FOLLOWED_UP = "support_followed_up", _("support action followed up")
        SUPPORT_DUE = "support_due", _("support action due for follow-up")
        SANCTION = "sanction", _("sanction imposed")
        SANCTION_ENDED = "sanction_ended", _("sanction ended")
        SANCTION_LIFTED = "sanction_lifted", _("sanction lifted on appeal")
        WITHDRAWN = "withdrawn", _("recognition withdrawn")
        EXCLUDED = "excluded", _("recognition ended by an exclusion")
        REINSTATED = "reinstated", _("recognition restored")
        LETTER_SENT = "letter_sent", _("letter sent")
        NOTICE_SENT = "notice_sent", _("e-mail sent")

    # Casework the enterprise does not see.
    INTERNAL_KINDS = frozenset({Kind.FINDING, Kind.SUPPORT_DUE})

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE,
                                   related_name="recognition_events",
                                   verbose_name=_("enterprise"))
    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE, null=True,
                                    blank=True, related_name="events",
                                    verbose_name=_("recognition"))
    sanction = models.ForeignKey(Sanction, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="events", verbose_name=_("sanction"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("by"))
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, blank=True)
    message = models.TextField(_("message"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("recognition event")
        verbose_name_plural = _("recognition events")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["recognition", "created_at"], name="recognition_event_idx"),
            models.Index(fields=["enterprise", "created_at"], name="recognition_event_ent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recognition or self.enterprise} {self.kind}"


class Counter(models.Model):
    """The last number handed out per reference series ("S-2026": sanctions of 2026)."""

    key = models.CharField(max_length=20, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"
