"""Data retention: personal data is deleted once it is no longer needed (GDPR, storage
limitation), by the daily command ``retention_daily``. The periods come from the settings
(``WERKPLEK_RETENTION_*``, from the environment) and are stated on the privacy page:

* **Drafts** not changed for ``WERKPLEK_RETENTION_DRAFT_DAYS`` days (180) are deleted with
  their documents: the application was never filed.
* **Extracts from the criminal record** (the mentor's extract, and a sector's extract
  "model II") are deleted ``WERKPLEK_RETENTION_EXTRACT_DAYS`` days (30) after the decision on
  the application became final: an approval at once; a refusal when its appeal period passed
  without an appeal (`appeals.FinalDecision`) or the appeal committee decided; an application
  that was withdrawn or lapsed when it ended. Never while an appeal is open. The extract of a
  mentor added to a recognition later is deleted the same number of days after its upload.
* **Documents of refused, withdrawn and lapsed applications** (and of the appeals against
  the refusal) are deleted ``WERKPLEK_RETENTION_CLOSED_YEARS`` years (5) after the refusal
  became final or the application ended; not when the refusal was overturned (the documents
  then belong to a recognition).

Files are removed from the storage once the deletion of their rows has committed; a stored
file that no row names (its row's transaction rolled back) is removed after a day. Security
logs (logins, failed logins, the register of accesses to personal data) are deleted after
``WERKPLEK_RETENTION_LOG_DAYS`` days (365). Every run
is safe to repeat: what was deleted is gone, and a run only reads what became due since the
previous one (`RetentionCheckpoint`), through indexed columns (the timeline's ``created_at``,
a draft's state). The first run, and ``--full``, look at every closed application once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    ProtectedError,
    Q,
    RestrictedError,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from werkplek.core.uploads import (
    delete_stored_files,
    delete_stored_files_on_commit,
    private_file_fields,
    stored_file_names,
)

logger = logging.getLogger("werkplek.retention")

DEFAULT_DRAFT_DAYS = 180
DEFAULT_EXTRACT_DAYS = 30
DEFAULT_CLOSED_YEARS = 5
DEFAULT_LOG_DAYS = 365
# A sector's extra document that is an extract from the criminal record (its code starts so).
EXTRACT_EXTRA_CODE_PREFIX = "uittreksel-strafregister"
CHUNK = 500
# A stored file that no row names is removed once it is this old (see delete_orphan_files).
ORPHAN_DAYS = 1

RULE_EXTRACTS = "extracts"
RULE_CLOSED = "closed_applications"


@dataclass(frozen=True)
class Periods:
    draft_days: int
    extract_days: int
    closed_years: int
    log_days: int


def periods() -> Periods:
    """The retention periods from the settings (defaults above)."""
    return Periods(
        draft_days=int(getattr(settings, "WERKPLEK_RETENTION_DRAFT_DAYS", DEFAULT_DRAFT_DAYS)),
        extract_days=int(getattr(settings, "WERKPLEK_RETENTION_EXTRACT_DAYS",
                                 DEFAULT_EXTRACT_DAYS)),
        closed_years=int(getattr(settings, "WERKPLEK_RETENTION_CLOSED_YEARS",
                                 DEFAULT_CLOSED_YEARS)),
        log_days=int(getattr(settings, "WERKPLEK_RETENTION_LOG_DAYS", DEFAULT_LOG_DAYS)),
    )


@dataclass
class Report:
    """What a run deleted (or, dry, would delete)."""

    drafts: int = 0
    extracts: int = 0
    mentor_extracts: int = 0
    closed_documents: int = 0
    files: int = 0
    orphan_files: int = 0
    log_entries: int = 0

    def __str__(self) -> str:
        return ", ".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self))


def years_before(moment: datetime, years: int) -> datetime:
    """The same moment ``years`` years earlier (28 February for 29 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


# --- Deleting rows and their files ------------------------------------------------------------


def _delete_with_files(queryset, report: Report, *, dry_run: bool) -> int:
    """Delete the document rows of ``queryset`` now and their files once the transaction has
    committed; return how many rows."""
    model = queryset.model
    rows = list(queryset.values_list("pk", "file"))
    if not rows:
        return 0
    names = [name for _pk, name in rows if name]
    report.files += len(names)
    if dry_run:
        return len(rows)
    model._default_manager.filter(pk__in=[pk for pk, _name in rows]).delete()
    delete_stored_files_on_commit(names)
    return len(rows)


def _chunks(ids):
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


# --- Drafts -----------------------------------------------------------------------------------


def delete_stale_drafts(*, cutoff: datetime, report: Report, dry_run: bool = False) -> None:
    """Drafts not changed since ``cutoff`` (no edit, no upload, no timeline event), with their
    documents. Reads the drafts by the state index: drafts are few, as old ones are deleted."""
    from werkplek.applications.models import Application, ApplicationEvent, Document

    def stale():
        return (Application.objects
                .filter(state=Application.State.DRAFT, updated_at__lt=cutoff)
                .exclude(Exists(Document.objects.filter(application=OuterRef("pk"),
                                                        uploaded_at__gte=cutoff)))
                .exclude(Exists(ApplicationEvent.objects.filter(application=OuterRef("pk"),
                                                                created_at__gte=cutoff))))

    for application_id in list(stale().values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                # Lock it and look again: someone may be editing it right now.
                locked = stale().filter(pk=application_id).select_for_update(of=("self",))
                if not list(locked.values_list("pk", flat=True)):
                    continue
                _delete_with_files(Document.objects.filter(application_id=application_id),
                                   report, dry_run=dry_run)
                if not dry_run:
                    Application.objects.filter(pk=application_id).delete()
                report.drafts += 1
        except (ProtectedError, RestrictedError):
            logger.warning("Retention: draft %s is referred to and was kept", application_id)


# --- Closed applications: extracts, and everything after some years ----------------------------


def _final_at():
    """When the outcome of an application became final: an approval when it was decided; a
    refusal when its appeal period closed without appeal, or when the appeal committee upheld
    or overturned it; a withdrawn or lapsed application when it ended. Never before an appeal
    against it was closed. NULL while not final."""
    from werkplek.appeals.models import Appeal, FinalDecision
    from werkplek.applications.models import Application, ApplicationEvent

    ended = Subquery(ApplicationEvent.objects
                     .filter(application=OuterRef("pk"),
                             kind__in=[ApplicationEvent.Kind.WITHDRAWN,
                                       ApplicationEvent.Kind.LAPSED])
                     .order_by("-created_at").values("created_at")[:1])
    window_closed = Subquery(FinalDecision.objects.filter(application=OuterRef("pk"))
                             .values("final_since")[:1])
    appeal_decided = Subquery(Appeal.objects
                              .filter(application=OuterRef("pk"),
                                      state__in=[Appeal.State.UPHELD, Appeal.State.OVERTURNED])
                              .order_by("-decided_at").values("decided_at")[:1])

    def base():
        return Case(
            When(state=Application.State.APPROVED, then=F("decided_at")),
            When(state=Application.State.REFUSED, then=Coalesce(window_closed, appeal_decided)),
            default=Coalesce(ended, F("updated_at")),
        )

    last_appeal_closed = Subquery(
        Appeal.objects.filter(application=OuterRef("pk"), state__in=Appeal.CLOSED_STATES)
        .annotate(closed=Coalesce("decided_at", "admissibility_decided_at"))
        .filter(closed__isnull=False).order_by("-closed").values("closed")[:1])
    return Greatest(base(), Coalesce(last_appeal_closed, base()))


def _open_appeal():
    from werkplek.appeals.models import Appeal

    return Exists(Appeal.objects.filter(application=OuterRef("pk"),
                                        state__in=Appeal.OPEN_STATES))


def _became_final_between(since: datetime | None, until: datetime, *, event_kinds) -> set[int]:
    """The applications whose outcome may have become final in (since, until]: read by index
    from the timeline (``created_at``), and from the final decisions and closed appeals (small
    tables)."""
    from werkplek.appeals.models import Appeal, FinalDecision
    from werkplek.applications.models import ApplicationEvent

    def window(field):
        return Q(**{f"{field}__lte": until}) & (Q(**{f"{field}__gt": since}) if since else Q())

    ids = set(ApplicationEvent.objects.filter(window("created_at"), kind__in=event_kinds)
              .values_list("application_id", flat=True))
    ids |= set(FinalDecision.objects.filter(window("final_since"), application__isnull=False)
               .values_list("application_id", flat=True))
    ids |= set(Appeal.objects.filter(application__isnull=False, state__in=Appeal.CLOSED_STATES)
               .filter(window("decided_at") | (Q(decided_at__isnull=True)
                                               & window("admissibility_decided_at")))
               .values_list("application_id", flat=True))
    return ids


def _checkpoint(rule: str):
    from .models import RetentionCheckpoint

    return RetentionCheckpoint.objects.filter(rule=rule).values_list("done_until",
                                                                      flat=True).first()


def _save_checkpoint(rule: str, until: datetime) -> None:
    from .models import RetentionCheckpoint

    moved = RetentionCheckpoint.objects.filter(rule=rule, done_until__lt=until).update(
        done_until=until, updated_at=timezone.now())
    if not moved:  # the first run, or a run as of an earlier moment (never moves it back)
        RetentionCheckpoint.objects.get_or_create(rule=rule, defaults={"done_until": until})


def _extracts():
    from werkplek.applications.models import Document

    return Q(kind=Document.Kind.CRIMINAL_RECORD_EXTRACT) | Q(
        kind=Document.Kind.SECTOR_EXTRA, extra_code__startswith=EXTRACT_EXTRA_CODE_PREFIX)


def delete_final_extracts(*, cutoff: datetime, report: Report, full: bool = False,
                          dry_run: bool = False) -> None:
    """Extracts from the criminal record of applications final since before ``cutoff``."""
    from werkplek.applications.models import Application, ApplicationEvent, Document

    states = [Application.State.APPROVED, Application.State.REFUSED,
              Application.State.WITHDRAWN, Application.State.LAPSED]
    since = None if full else _checkpoint(RULE_EXTRACTS)
    if since is None:
        candidates = (Application.objects.filter(state__in=states)
                      .filter(Exists(Document.objects.filter(_extracts(),
                                                             application=OuterRef("pk"))))
                      .values_list("pk", flat=True))
    elif since >= cutoff:
        candidates = []
    else:
        kinds = [ApplicationEvent.Kind.APPROVED, ApplicationEvent.Kind.WITHDRAWN,
                 ApplicationEvent.Kind.LAPSED]
        candidates = sorted(_became_final_between(since, cutoff, event_kinds=kinds))
    for chunk in _chunks(candidates):
        with transaction.atomic():
            due = (Application.objects.filter(pk__in=chunk, state__in=states)
                   .annotate(final_at=_final_at()).filter(final_at__lte=cutoff)
                   .exclude(_open_appeal()).values_list("pk", flat=True))
            report.extracts += _delete_with_files(
                Document.objects.filter(_extracts(), application_id__in=list(due)), report,
                dry_run=dry_run)
    if not dry_run:
        _save_checkpoint(RULE_EXTRACTS, cutoff)


def delete_mentor_extracts(*, cutoff: datetime, report: Report, dry_run: bool = False) -> None:
    """Extracts of mentors added to a recognition, uploaded before ``cutoff`` (the check was
    made when the mentor was added; the table holds only mentors added later, so it is
    small)."""
    from werkplek.recognitions.models import MentorDocument

    report.mentor_extracts += _delete_with_files(
        MentorDocument.objects.filter(kind=MentorDocument.Kind.CRIMINAL_RECORD_EXTRACT,
                                      uploaded_at__lt=cutoff), report, dry_run=dry_run)


def delete_closed_documents(*, cutoff: datetime, report: Report, full: bool = False,
                            dry_run: bool = False) -> None:
    """Every document of refused (not overturned), withdrawn and lapsed applications final
    since before ``cutoff``, and of the appeals against them."""
    from werkplek.appeals.models import AppealDocument
    from werkplek.applications.models import Application, ApplicationEvent, Document
    from werkplek.recognitions.models import Recognition

    states = [Application.State.REFUSED, Application.State.WITHDRAWN, Application.State.LAPSED]
    since = None if full else _checkpoint(RULE_CLOSED)
    if since is None:
        has_documents = (Exists(Document.objects.filter(application=OuterRef("pk")))
                         | Exists(AppealDocument.objects.filter(
                             appeal__application=OuterRef("pk"))))
        candidates = (Application.objects.filter(state__in=states).filter(has_documents)
                      .values_list("pk", flat=True))
    elif since >= cutoff:
        candidates = []
    else:
        kinds = [ApplicationEvent.Kind.WITHDRAWN, ApplicationEvent.Kind.LAPSED]
        candidates = sorted(_became_final_between(since, cutoff, event_kinds=kinds))
    for chunk in _chunks(candidates):
        with transaction.atomic():
            due = list(Application.objects.filter(pk__in=chunk, state__in=states)
                       .annotate(final_at=_final_at()).filter(final_at__lte=cutoff)
                       .exclude(_open_appeal())
                       .exclude(Exists(Recognition.objects.filter(application=OuterRef("pk"))))
                       .values_list("pk", flat=True))
            report.closed_documents += _delete_with_files(
                Document.objects.filter(application_id__in=due), report, dry_run=dry_run)
            report.closed_documents += _delete_with_files(
                AppealDocument.objects.filter(appeal__application_id__in=due), report,
                dry_run=dry_run)
    if not dry_run:
        _save_checkpoint(RULE_CLOSED, cutoff)


# --- Security logs ------------------------------------------------------------------------


def delete_old_logs(*, cutoff: datetime, report: Report, dry_run: bool = False) -> None:
    """Delete the security logs older than ``cutoff``: the logins and failed logins (django-axes)
    and the register of accesses to personal data. Each is read by its indexed time column."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from werkplek.core.models import PersonalDataAccess

    logs = [AccessAttempt.objects.filter(attempt_time__lt=cutoff),
            AccessFailureLog.objects.filter(attempt_time__lt=cutoff),
            AccessLog.objects.filter(attempt_time__lt=cutoff),
            PersonalDataAccess.objects.filter(at__lt=cutoff)]
    for queryset in logs:
        if dry_run:
            report.log_entries += queryset.count()
        else:
            report.log_entries += queryset.delete()[0]


# --- Orphan files --------------------------------------------------------------------------


def delete_orphan_files(*, older_than: datetime, report: Report, dry_run: bool = False) -> None:
    """Remove the stored files that no row names and that were last changed before
    ``older_than``.

    A file is written before its row, in the same transaction: when that transaction rolls
    back after the file was written (a failure half-way, a lost race, a killed process), the
    file stays behind, named by nothing, unreachable, yet personal data. Only files older than
    a day are looked at, so an upload still in its transaction is never taken."""
    candidates = stored_file_names(older_than=older_than.timestamp())
    referenced = set()
    for start in range(0, len(candidates), CHUNK):
        chunk = candidates[start:start + CHUNK]
        for model, name in private_file_fields():
            referenced.update(model._default_manager.filter(**{f"{name}__in": chunk})
                              .values_list(name, flat=True))
    orphans = [name for name in candidates if name not in referenced]
    if dry_run:
        report.orphan_files += len(orphans)
        return
    report.orphan_files += delete_stored_files(orphans)
    if orphans:
        logger.warning("Retention: removed %d stored file(s) that no row named", len(orphans))


def apply_retention(*, now: datetime | None = None, full: bool = False,
                    dry_run: bool = False) -> Report:
    """Apply every retention rule as of ``now``; return the counts (also logged)."""
    now = now or timezone.now()
    chosen = periods()
    report = Report()
    delete_stale_drafts(cutoff=now - timedelta(days=chosen.draft_days), report=report,
                        dry_run=dry_run)
    extract_cutoff = now - timedelta(days=chosen.extract_days)
    delete_final_extracts(cutoff=extract_cutoff, report=report, full=full, dry_run=dry_run)
    delete_mentor_extracts(cutoff=extract_cutoff, report=report, dry_run=dry_run)
    delete_closed_documents(cutoff=years_before(now, chosen.closed_years), report=report,
                            full=full, dry_run=dry_run)
    delete_orphan_files(older_than=now - timedelta(days=ORPHAN_DAYS), report=report,
                        dry_run=dry_run)
    delete_old_logs(cutoff=now - timedelta(days=chosen.log_days), report=report,
                    dry_run=dry_run)
    logger.info("Retention%s: %s", " (dry run)" if dry_run else "", report)
    return report
