"""Agreements with learners (overeenkomsten): an OAO or a stage agreement at a recognised
workplace, coached by one of the recognition's mentors.

This part holds what sanctions act on: a running agreement ends early when its recognition is
withdrawn or its mentor banned, or gets another mentor. Registration and the rules for new
agreements are the agreements issue's."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from werkplek.core import personal_data
from werkplek.core.identifiers import mask_national_number


class Learner(models.Model):
    """A learner (leerling, cursist): the national register number is stored encrypted, with a
    keyed hash for exact lookups, and shown masked."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    national_number_encrypted = models.TextField(_("national register number (encrypted)"))
    national_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    training_provider = models.ForeignKey("catalog.TrainingProvider", on_delete=models.PROTECT,
                                          related_name="learners",
                                          verbose_name=_("training provider"))
    programme = models.ForeignKey("catalog.Programme", on_delete=models.PROTECT,
                                  related_name="learners", verbose_name=_("programme"))

    class Meta:
        verbose_name = _("learner")
        verbose_name_plural = _("learners")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def set_national_number(self, compact: str, birth_date=None) -> None:
        self.national_number_encrypted = personal_data.encrypt(compact)
        self.national_number_hash = personal_data.lookup_hash(compact)
        self.birth_date = birth_date

    @property
    def masked_national_number(self) -> str:
        return mask_national_number(personal_data.decrypt(self.national_number_encrypted))


class Agreement(ConcurrentTransitionMixin, models.Model):
    """One agreement: one learner, one unit and programme, one mentor, a period."""

    class Kind(models.TextChoices):
        OAO = "oao", _("agreement for alternating training (OAO)")
        STAGE = "stage", _("stage agreement")

    class State(models.TextChoices):
        DRAFT = "draft", _("waiting for confirmation")
        ACTIVE = "active", _("running")
        ENDED = "ended", _("ended")
        ENDED_EARLY = "ended_early", _("ended early")

    class Side(models.TextChoices):
        ENTERPRISE = "enterprise", _("the enterprise")
        PROVIDER = "provider", _("the training provider")

    class EndReason(models.TextChoices):
        PARTY = "party", _("ended by one of the parties")
        WITHDRAWAL = "withdrawal", _("the recognition was withdrawn")
        EXCLUSION = "exclusion", _("the workplace was excluded")
        MENTOR_BAN = "mentor_ban", _("the mentor may no longer coach")
        RECOGNITION_END = "recognition_end", _("the recognition ended")

    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="agreements",
                                verbose_name=_("learner"))
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT,
                                   related_name="agreements", verbose_name=_("enterprise"))
    unit = models.ForeignKey("enterprises.EstablishmentUnit", on_delete=models.PROTECT,
                             related_name="agreements", verbose_name=_("establishment unit"))
    programme = models.ForeignKey("catalog.Programme", on_delete=models.PROTECT,
                                  related_name="agreements", verbose_name=_("programme"))
    recognition = models.ForeignKey("recognitions.Recognition", on_delete=models.PROTECT,
                                    related_name="agreements", verbose_name=_("recognition"))
    mentor = models.ForeignKey("enterprises.Mentor", on_delete=models.PROTECT,
                               related_name="agreements", verbose_name=_("mentor"))
    training_provider = models.ForeignKey("catalog.TrainingProvider", on_delete=models.PROTECT,
                                          related_name="agreements",
                                          verbose_name=_("training provider"))
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="coached_agreements",
                              verbose_name=_("learner coach"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    weekly_hours = models.DecimalField(_("hours a week at the workplace"), max_digits=4,
                                       decimal_places=1)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    state = FSMField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT,
                     protected=True, db_index=True)
    # Registered by one side, confirmed by the other: only then it runs.
    registered_side = models.CharField(_("registered by"), max_length=20, choices=Side.choices,
                                       default=Side.ENTERPRISE)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("confirmed by"))
    end_note = models.TextField(_("why it ended"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended early"), max_length=20,
                                  choices=EndReason.choices, blank=True)
    ended_by = models.ForeignKey("recognitions.Sanction", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="ended_agreements",
                                 verbose_name=_("ended by sanction"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("registered by"))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["recognition", "state"], name="agreement_recognition_idx"),
            models.Index(fields=["mentor", "state"], name="agreement_mentor_idx"),
            models.Index(fields=["enterprise", "state"], name="agreement_enterprise_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                   name="agreement_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} – {self.unit} ({self.start_date:%d/%m/%Y})"

    RUNNING_STATES = (State.DRAFT, State.ACTIVE)

    @property
    def last_day(self):
        """The last day it counts: its end date, or the day it ended early."""
        return self.ended_on if self.state == self.State.ENDED_EARLY and self.ended_on \
            else self.end_date

    @transition(field=state, source=State.DRAFT, target=State.ACTIVE)
    def activate(self) -> None:
        """Confirmed by both sides: it runs."""

    @transition(field=state, source=State.ACTIVE, target=State.ENDED)
    def finish(self) -> None:
        """Reached its end date."""

    @transition(field=state, source=[State.DRAFT, State.ACTIVE], target=State.ENDED_EARLY)
    def end_early(self) -> None:
        """Ended before its end date, with a reason."""

    @transition(field=state, source=State.ENDED_EARLY, target=State.ACTIVE)
    def restore(self) -> None:
        """Runs again: the sanction that ended it was overturned on appeal."""

    @transition(field=state, source=State.ENDED_EARLY, target=State.DRAFT)
    def restore_draft(self) -> None:
        """A draft that a sanction ended is a draft again once the sanction is overturned."""


class AgreementEvent(models.Model):
    """One line of an agreement's timeline."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("registered")
        ACTIVATED = "activated", _("confirmed: running")
        MENTOR_CHANGED = "mentor_changed", _("another mentor")
        ENDED_EARLY = "ended_early", _("ended early")
        ENDED = "ended", _("ended on its end date")
        RESTORED = "restored", _("running again")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="events",
                                  verbose_name=_("agreement"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("by"))
    message = models.TextField(_("message"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement event")
        verbose_name_plural = _("agreement events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.agreement} {self.kind}"
