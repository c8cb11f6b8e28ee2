"""Appeals (beroep) against a refusal or a sanction, and the appeal committee's handling.

Only the enterprise (its legal representatives and employer staff, not a coach) may appeal,
within 10 calendar days of the decision's notification. The committee confirms receipt and
admissibility within 10 calendar days, records its hearing, and upholds or overturns."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from werkplek.core.models import StoredDocument


class Appeal(ConcurrentTransitionMixin, models.Model):
    """One appeal against one decision: the refusal of an application, or a sanction."""

    class State(models.TextChoices):
        FILED = "filed", _("filed, admissibility to be checked")
        ADMISSIBLE = "admissible", _("admissible, being handled")
        INADMISSIBLE = "inadmissible", _("inadmissible")
        UPHELD = "upheld", _("decision upheld")
        OVERTURNED = "overturned", _("decision overturned")

    OPEN_STATES = (State.FILED, State.ADMISSIBLE)
    CLOSED_STATES = (State.INADMISSIBLE, State.UPHELD, State.OVERTURNED)

    class Inadmissible(models.TextChoices):
        LATE = "late", _("filed after the appeal period")
        NOT_ENTERPRISE = "not_enterprise", _("not filed by the enterprise")
        OTHER = "other", _("another reason")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT,
                                   related_name="appeals", verbose_name=_("enterprise"))
    # What is appealed: exactly one of these.
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="appeals",
                                    verbose_name=_("refused application"))
    sanction = models.ForeignKey("recognitions.Sanction", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="appeals", verbose_name=_("sanction"))
    # The partnership whose decision is appealed (it is told of every step).
    partnership = models.ForeignKey("catalog.Partnership", on_delete=models.PROTECT,
                                    related_name="appeals", verbose_name=_("partnership"))
    state = FSMField(_("state"), max_length=20, choices=State.choices, default=State.FILED,
                     protected=True, db_index=True)
    grounds = models.TextField(_("grounds"))
    filed_at = models.DateTimeField(_("filed at"), db_index=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="appeals_filed", verbose_name=_("filed by"))
    # The appeal window: from the day the decision was notified, and its last day.
    notified_on = models.DateField(_("decision notified on"))
    appeal_until = models.DateField(_("appeal possible until"))
    in_time = models.BooleanField(_("filed in time"))
    # Receipt and admissibility are confirmed by this day.
    admissibility_due = models.DateField(_("admissibility to be confirmed by"), db_index=True)
    admissibility_rule = models.CharField(_("admissibility rule"), max_length=100)
    admissibility_reason = models.CharField(_("inadmissible because"), max_length=20,
                                            choices=Inadmissible.choices, blank=True)
    admissibility_reasons = models.TextField(_("reasons of the admissibility"), blank=True)
    admissibility_decided_at = models.DateTimeField(_("admissibility decided at"), null=True,
                                                    blank=True)
    admissibility_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                                 on_delete=models.PROTECT, null=True,
                                                 blank=True, related_name="+",
                                                 verbose_name=_("admissibility decided by"))
    hearing_notes = models.TextField(_("hearing notes"), blank=True)
    decision_reasons = models.TextField(_("reasons of the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "admissibility_due"], name="appeal_queue_idx"),
            models.Index(fields=["enterprise", "state"], name="appeal_enterprise_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=False, sanction__isnull=True)
                | models.Q(application__isnull=True, sanction__isnull=False),
                name="appeal_against_one_decision"),
            # One appeal per decision (an inadmissible one leaves room for another, which is
            # then judged on its own).
            models.UniqueConstraint(fields=["application"],
                                    condition=models.Q(application__isnull=False)
                                    & ~models.Q(state="inadmissible"),
                                    name="one_appeal_per_refusal"),
            models.UniqueConstraint(fields=["sanction"],
                                    condition=models.Q(sanction__isnull=False)
                                    & ~models.Q(state="inadmissible"),
                                    name="one_appeal_per_sanction"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def subject(self):
        """The decision appealed: the application or the sanction."""
        return self.application if self.application_id else self.sanction

    @transition(field=state, source=State.FILED, target=State.ADMISSIBLE)
    def admit(self) -> None:
        """Found admissible: the committee hears and decides."""

    @transition(field=state, source=State.FILED, target=State.INADMISSIBLE)
    def declare_inadmissible(self) -> None:
        """Late, or not by the enterprise: closed, with reasons."""

    @transition(field=state, source=State.ADMISSIBLE, target=State.UPHELD)
    def uphold(self) -> None:
        """The decision stands."""

    @transition(field=state, source=State.ADMISSIBLE, target=State.OVERTURNED)
    def overturn(self) -> None:
        """The decision is overturned: a refusal becomes a recognition, a sanction is lifted."""


class AppealDocument(StoredDocument):
    """A document the enterprise adds to its appeal: checked by content, stored privately."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="documents",
                               verbose_name=_("appeal"))

    class Meta:
        verbose_name = _("appeal document")
        verbose_name_plural = _("appeal documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class AppealEvent(models.Model):
    """One line of an appeal's timeline."""

    class Kind(models.TextChoices):
        FILED = "filed", _("appeal filed")
        ADMISSIBLE = "admissible", _("found admissible")
        INADMISSIBLE = "inadmissible", _("found inadmissible")
        HEARING = "hearing", _("hearing notes recorded")
        UPHELD = "upheld", _("decision upheld")
        OVERTURNED = "overturned", _("decision overturned")
        LETTER_SENT = "letter_sent", _("letter sent")

    INTERNAL_KINDS = frozenset({Kind.HEARING})

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events",
                               verbose_name=_("appeal"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("by"))
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, blank=True)
    message = models.TextField(_("message"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["appeal", "created_at"], name="appeal_event_idx")]

    def __str__(self) -> str:
        return f"{self.appeal} {self.kind}"


class FinalDecision(models.Model):
    """A refusal or a sanction whose appeal period passed without an appeal: the decision is
    final. Recorded by the daily job (`services.close_appeal_windows`) under the same row lock
    as filing an appeal, so an appeal and the closing of its window never both win: an appeal
    filed after this row exists is received as late (the committee declares it inadmissible)."""

    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="final_decision",
                                       verbose_name=_("refused application"))
    sanction = models.OneToOneField("recognitions.Sanction", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="final_decision",
                                    verbose_name=_("sanction"))
    notified_on = models.DateField(_("decision notified on"))
    appeal_until = models.DateField(_("appeal possible until"))
    appeal_rule = models.CharField(_("appeal rule"), max_length=100)
    final_since = models.DateTimeField(_("final since"))

    class Meta:
        verbose_name = _("final decision")
        verbose_name_plural = _("final decisions")
        ordering = ["-final_since", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=False, sanction__isnull=True)
                | models.Q(application__isnull=True, sanction__isnull=False),
                name="final_decision_of_one_decision"),
        ]

    def __str__(self) -> str:
        return str(self.application or self.sanction)
