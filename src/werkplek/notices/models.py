"""Official notification (officiële kennisgeving): the decision letter (a PDF, stored privately
with the application), and every e-mail of an application to its applicants (the letter, the
receipt, a completion request, a lapse notice, a message) as a delivery per recipient, with every
attempt recorded."""

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkplek.core.uploads import private_storage


def letter_upload_to(instance, filename: str) -> str:
    """``letters/<yyyy>/<mm>/<random hex>.pdf``: never a name that says whose letter it is."""
    today = timezone.localdate()
    return f"letters/{today:%Y}/{today:%m}/{uuid4().hex}.pdf"


class Letter(models.Model):
    """The decision letter of an application, in the enterprise's language.

    Created in the decision's transaction; the PDF is rendered by a task after the commit
    (`file` stays empty until then). An application may get more than one letter over its life
    (for example a new decision after an appeal), each with its own reference.

    Pending until it is rendered and handed to its deliveries (ready). A rendering that fails is
    tried again with a backoff; when every attempt failed the letter is failed, and a case
    handler can have it tried again.
    """

    class Kind(models.TextChoices):
        APPROVAL = "approval", _("approval")
        REFUSAL = "refusal", _("refusal")
        SANCTION = "sanction", _("sanction")
        APPEAL_RECEIPT = "appeal_receipt", _("receipt of an appeal")
        APPEAL_ADMISSIBILITY = "appeal_admissibility", _("admissibility of an appeal")
        APPEAL_DECISION = "appeal_decision", _("decision on an appeal")

    # Letters against which the enterprise may appeal (they state the last day).
    APPEALABLE_KINDS = (Kind.REFUSAL, Kind.SANCTION)

    class State(models.TextChoices):
        PENDING = "pending", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    # What the letter is about: an application, a sanction or an appeal (exactly one).
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="letters",
                                    verbose_name=_("application"))
    sanction = models.ForeignKey("recognitions.Sanction", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="letters", verbose_name=_("sanction"))
    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="letters", verbose_name=_("appeal"))
    number = models.PositiveSmallIntegerField(_("number"))
    reference = models.CharField(_("letter reference"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=2,
                                choices=[("nl", "Nederlands"), ("en", "English")])
    dated_on = models.DateField(_("date of the letter"))
    # For a refusal: the last day to appeal, stated in the letter, and the rule that made it.
    appeal_until = models.DateField(_("appeal possible until"), null=True, blank=True)
    appeal_rule = models.CharField(_("appeal rule"), max_length=100, blank=True)
    file = models.FileField(_("file"), storage=private_storage, upload_to=letter_upload_to,
                            max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.PENDING)
    # Attempts to prepare the letter; the retry limit counts those since the last restart.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    round_attempts = models.PositiveSmallIntegerField(_("attempts in this round"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    retry_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                           null=True, blank=True, related_name="+",
                                           verbose_name=_("new attempt asked by"))
    retry_requested_at = models.DateTimeField(_("new attempt asked at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("issued by"))
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="letter_state_idx")]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"],
                                    condition=models.Q(application__isnull=False),
                                    name="unique_letter_number_per_application"),
            models.UniqueConstraint(fields=["sanction", "number"],
                                    condition=models.Q(sanction__isnull=False),
                                    name="unique_letter_number_per_sanction"),
            models.UniqueConstraint(fields=["appeal", "number"],
                                    condition=models.Q(appeal__isnull=False),
                                    name="unique_letter_number_per_appeal"),
            models.CheckConstraint(
                condition=models.Q(application__isnull=False, sanction__isnull=True,
                                   appeal__isnull=True)
                | models.Q(application__isnull=True, sanction__isnull=False,
                           appeal__isnull=True)
                | models.Q(application__isnull=True, sanction__isnull=True,
                           appeal__isnull=False),
                name="letter_about_one_subject"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_rendered(self) -> bool:
        return bool(self.file)

    def download_name(self) -> str:
        stem = "beslissing" if self.language == "nl" else "decision"
        if self.kind == self.Kind.APPEAL_RECEIPT:
            stem = "ontvangstbevestiging" if self.language == "nl" else "receipt"
        elif self.kind == self.Kind.APPEAL_ADMISSIBILITY:
            stem = "ontvankelijkheid" if self.language == "nl" else "admissibility"
        return f"{stem}-{self.reference}.pdf"

    @property
    def subject(self):
        """The application, sanction or appeal the letter is about."""
        return self.application or self.sanction or self.appeal

    @property
    def enterprise(self):
        return self.subject.enterprise


class Delivery(models.Model):
    """One e-mail of an application to one recipient: the decision letter, the receipt, or the
    notice of an event (a completion request, a lapse, a message). Pending until sent, failed
    when every attempt failed (a case handler can then send it again)."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    class Purpose(models.TextChoices):
        LETTER = "letter", _("decision letter")
        RECEIPT = "receipt", _("receipt")
        COMPLETION_REQUEST = "completion_request", _("completion request")
        LAPSE = "lapse", _("lapse notice")
        MESSAGE = "message", _("message")
        EXPIRY_REMINDER = "expiry_reminder", _("reminder of the end of a recognition")
        EXPIRY = "expiry", _("notice of the end of a recognition")
        SUPPORT_ACTION = "support_action", _("support action")
        EXCLUSION_ENDED = "exclusion_ended", _("end of an exclusion")

    # E-mails that tell about a line of the recognitions' timeline.
    RECOGNITION_PURPOSES = (Purpose.EXPIRY_REMINDER, Purpose.EXPIRY, Purpose.SUPPORT_ACTION,
                            Purpose.EXCLUSION_ENDED)

    # The application the e-mail is about (empty for the letters of a sanction or an appeal,
    # and for the notices of a recognition).
    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    null=True, blank=True, related_name="deliveries",
                                    verbose_name=_("application"))
    purpose = models.CharField(_("e-mail"), max_length=20, choices=Purpose.choices,
                               default=Purpose.LETTER)
    # The letter it carries (purpose letter), or the event it tells about (the notices).
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="deliveries", verbose_name=_("letter"))
    event = models.ForeignKey("applications.ApplicationEvent", on_delete=models.CASCADE,
                              null=True, blank=True, related_name="deliveries",
                              verbose_name=_("event"))
    recognition_event = models.ForeignKey("recognitions.RecognitionEvent",
                                          on_delete=models.CASCADE, null=True, blank=True,
                                          related_name="deliveries",
                                          verbose_name=_("recognition event"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, related_name="letter_deliveries",
                                  verbose_name=_("recipient"))
    email = models.EmailField(_("e-mail address"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Attempts since the delivery was (re)started: the retry limit counts these.
    round_attempts = models.PositiveSmallIntegerField(_("attempts in this round"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Set while a worker talks to the mail server, so a second task for the same delivery
    # does not send it as well; an old value means that worker died and may be taken over.
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True)
    resend_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                            null=True, blank=True, related_name="+",
                                            verbose_name=_("resend asked by"))
    resend_requested_at = models.DateTimeField(_("resend asked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="delivery_state_idx")]
        constraints = [
            models.UniqueConstraint(fields=["letter", "recipient"],
                                    name="one_delivery_per_letter_recipient"),
            # The receipt and the notices reach each address once, as they always did.
            models.UniqueConstraint(fields=["application", "email"],
                                    condition=models.Q(purpose="receipt"),
                                    name="one_receipt_per_address"),
            models.UniqueConstraint(fields=["event", "email"],
                                    condition=models.Q(event__isnull=False),
                                    name="one_notice_per_address"),
            models.UniqueConstraint(fields=["recognition_event", "email"],
                                    condition=models.Q(recognition_event__isnull=False),
                                    name="one_recognition_notice_per_address"),
            models.CheckConstraint(
                condition=models.Q(purpose="letter", letter__isnull=False, event__isnull=True,
                                   recognition_event__isnull=True)
                | models.Q(purpose="receipt", letter__isnull=True, event__isnull=True,
                           recognition_event__isnull=True, application__isnull=False)
                | models.Q(purpose__in=["completion_request", "lapse", "message"],
                           letter__isnull=True, event__isnull=False,
                           recognition_event__isnull=True, application__isnull=False)
                | models.Q(purpose__in=["expiry_reminder", "expiry", "support_action",
                                        "exclusion_ended"],
                           letter__isnull=True, event__isnull=True,
                           recognition_event__isnull=False, application__isnull=True),
                name="delivery_purpose_matches_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.email}"

    @property
    def subject(self) -> str:
        """What was sent: the letter's reference, or the kind of e-mail."""
        return self.letter.reference if self.letter_id else str(self.get_purpose_display())


class DeliveryAttempt(models.Model):
    """One attempt to send a delivery, and what came of it."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log",
                                 verbose_name=_("delivery"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    error = models.TextField(_("error"), blank=True)
    # Who asked for the round this attempt belongs to (empty: the automatic first send).
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("asked by"))

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.delivery} {self.get_outcome_display()}"
