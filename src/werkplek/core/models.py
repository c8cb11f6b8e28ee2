"""Records that the core keeps for every part: who saw personal data in clear."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
