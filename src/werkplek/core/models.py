"""Records that the core keeps for every part: who saw personal data in clear."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .uploads import private_storage, private_upload_to


class PersonalDataAccess(models.Model):
    """One reveal of a national register number in clear: who, whose, why, when. Kept as a
    record (not only a log line) so that a data subject's access request can be answered."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("user"))
    subject = models.CharField(_("whose data"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=200)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at"]
        indexes = [models.Index(fields=["subject", "at"], name="pd_access_subject_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.subject} {self.at:%d/%m/%Y %H:%M}"


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
