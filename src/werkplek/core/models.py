"""Records that the core keeps for every part: who saw personal data in clear."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .uploads import private_storage, private_upload_to


class PersonalDataAccess(models.Model):
    """One access to personal data: a national register number seen in clear, a private
    document downloaded, or a person's data exported for an access request. Who, whose, what,
    why and when; kept as a record (not only a log line) so that a data subject's access request
    can be answered and administrators can audit it (read-only, in the admin).

    ``subject`` says whose data it is as ``<kind>:<id>`` (``mentor:12``, ``learner:3``,
    ``user:7``, ``application:40``, ``appeal:2``…); ``document`` names the stored document
    (``applications.document:81``) for a download."""

    class Kind(models.TextChoices):
        REVEAL = "reveal", _("national register number shown")
        DOWNLOAD = "download", _("document downloaded")
        EXPORT = "export", _("access request export")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REVEAL)
    subject = models.CharField(_("whose data"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=200)
    document = models.CharField(_("document"), max_length=100, blank=True)
    route = models.CharField(_("route"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["subject", "at"], name="pd_access_subject_idx"),
            models.Index(fields=["kind", "at"], name="pd_access_kind_idx"),
            models.Index(fields=["document"], condition=~models.Q(document=""),
                         name="pd_access_document_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.subject} {self.at:%d/%m/%Y %H:%M}"


class RetentionCheckpoint(models.Model):
    """How far a retention rule has been applied (`core.retention`): the next run only reads
    the rows that became due since, by index, instead of everything ever closed."""

    rule = models.CharField(_("rule"), max_length=40, primary_key=True)
    done_until = models.DateTimeField(_("applied up to"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("retention checkpoint")
        verbose_name_plural = _("retention checkpoints")

    def __str__(self) -> str:
        return f"{self.rule}: {self.done_until:%d/%m/%Y %H:%M}"


class StoredDocument(models.Model):
    """An uploaded document, checked by content (`core.uploads.validate_upload`) and stored
    privately under a random name: the fields every kind of document shares. Concrete models
    add what the document belongs to."""

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
        abstract = True

    def store(self, upload, *, actor) -> None:
        """Take the checked upload (`upload.checked`, set by DocumentField or validate_upload)
        and save the row with its file."""
        checked = upload.checked
        self.original_name = checked.original_name
        self.content_type = checked.content_type
        self.size = checked.size
        self.sha256 = checked.sha256
        self.uploaded_by = actor
        self.file.save(checked.original_name, upload, save=False)
        self.save()
