"""Access requests (GDPR article 15): everything Werkplek holds about one person, as JSON, or
as a ZIP with the JSON and their documents.

A person is found by national register number (an exact match on the keyed lookup hash, so
the number is never searched in clear) or by user account (whose number, when it has one,
finds the rest): their user accounts with memberships, mandates, two-factor devices, API
tokens, saved self-scans, the applications they filed, their logins and help requests; their
mentor records with the applications, recognitions and agreements they are named in; their
learner records with their agreements; the documents they uploaded or that are about them;
and the access register: who saw or downloaded their data, and what they accessed themselves.

The export shows the national register number in clear, so it is recorded in the access
register (kind *export*, one row per record of the person, and one per document put in the
ZIP) before anything is written. Used by the command ``export_personal_data`` and by the
admin (administrators only).
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import personal_data
from .identifiers import format_national_number, parse_national_number
from .uploads import safe_display_name

JSON_NAME = "personal-data.json"


@dataclass
class Person:
    """The records of one person (by national register number, or by account)."""

    national_number: str = ""  # compact; empty for an account without a number
    users: list = field(default_factory=list)
    mentors: list = field(default_factory=list)
    learners: list = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.users or self.mentors or self.learners)

    @property
    def subjects(self) -> list[str]:
        """The person's records as the access register names them."""
        return ([f"user:{u.pk}" for u in self.users]
                + [f"mentor:{m.pk}" for m in self.mentors]
                + [f"learner:{learner.pk}" for learner in self.learners])


@dataclass(frozen=True)
class ExportDocument:
    label: str  # as the access register names it: "applications.document:81"
    subject: str
    file: object  # a FieldFile
    original_name: str
    content_type: str

    @property
    def arcname(self) -> str:
        stem = self.label.replace(":", "-").replace(".", "-")
        return f"documents/{stem}-{safe_display_name(self.original_name)}"


def find_person(*, national_number: str = "", username: str = "",
                subject: str = "") -> Person:
    """The person with this national register number (validated; raises ValidationError),
    this account (raises ValidationError when there is none), or whose record an access
    register ``subject`` names (``user:7``, ``mentor:12``, ``learner:3``)."""
    from werkplek.accounts.models import User
    from werkplek.agreements.models import Learner
    from werkplek.enterprises.models import Mentor

    if subject:
        kind, _sep, key = subject.partition(":")
        model = {"user": User, "mentor": Mentor, "learner": Learner}.get(kind)
        record = model.objects.filter(pk=int(key)).first() \
            if model is not None and key.isdigit() else None
        if record is None:
            raise ValidationError(_("This entry is not about a person Werkplek still holds "
                                    "data of."), code="subject")
        if kind == "user":
            return find_person(username=record.username)
        national_number = personal_data.decrypt(record.national_number_encrypted)

    person = Person()
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise ValidationError(_("There is no account with this user name."), code="user")
        person.users = [user]
        if user.national_number_encrypted:
            person.national_number = personal_data.decrypt(user.national_number_encrypted)
    if national_number:
        compact = parse_national_number(national_number).compact
        if person.national_number and compact != person.national_number:
            raise ValidationError(_("The national register number is not that of this "
                                    "account."), code="mismatch")
        person.national_number = compact
    if person.national_number:
        digest = personal_data.lookup_hash(person.national_number)
        if not person.users:
            person.users = list(User.objects.filter(national_number_hash=digest))
        person.mentors = list(Mentor.objects.filter(national_number_hash=digest)
                              .select_related("enterprise"))
        person.learners = list(Learner.objects.filter(national_number_hash=digest)
                               .select_related("training_provider", "programme"))
    return person


def _number(token: str) -> str:
    return format_national_number(personal_data.decrypt(token)) if token else ""


def _full_name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _user_data(user) -> dict:
    from axes.models import AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from werkplek.agreements.models import Agreement
    from werkplek.applications.models import Application
    from werkplek.selfscan.models import HelpRequest

    applications = (Application.objects.filter(Q(created_by=user) | Q(submitted_by=user))
                    .select_related("enterprise").order_by("created_at", "pk"))
    help_requests = HelpRequest.objects.filter(email__iexact=user.email) if user.email else []
    return {
        "id": user.pk,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "national_number": _number(user.national_number_encrypted),
        "preferred_language": user.preferred_language,
        "is_active": user.is_active,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "memberships": [
            {"role": m.role, "organisation": str(m.organisation or ""), "is_active": m.is_active,
             "created_at": m.created_at, "granted_by": _full_name(m.granted_by)}
            for m in user.memberships.select_related(
                "enterprise", "training_provider", "partnership", "granted_by")
        ],
        "mandates_held": [
            {"id": m.pk, "enterprise": m.enterprise.name, "kind": m.kind,
             "valid_from": m.valid_from, "valid_until": m.valid_until,
             "may_file_applications": m.may_file_applications,
             "may_manage_agreements": m.may_manage_agreements, "all_units": m.all_units,
             "units": [str(u) for u in m.units.all()], "granted_at": m.granted_at,
             "revoked_at": m.revoked_at, "document": m.document_name if m.document else ""}
            for m in user.mandates_held.select_related("enterprise").prefetch_related("units")
        ],
        "two_factor_devices": [
            {"name": d.name, "confirmed": d.confirmed, "created_at": d.created_at,
             "last_used_at": d.last_used_at}
            for d in TOTPDevice.objects.filter(user=user)
        ],
        "api_tokens": [
            {"name": t.name, "prefix": t.prefix, "created_at": t.created_at,
             "expires_on": t.expires_on, "last_used_at": t.last_used_at,
             "revoked_at": t.revoked_at}
            for t in user.api_tokens.all()
        ],
        "saved_self_scans": [
            {"created_at": s.created_at, "programme": str(s.programme or ""),
             "answers": s.answers, "used_at": s.used_at}
            for s in user.saved_scans.select_related("programme")
        ],
        "applications_filed": [
            {"reference": a.reference or "", "enterprise": a.enterprise.name, "state": a.state,
             "created_at": a.created_at, "submitted_at": a.submitted_at,
             "decided_at": a.decided_at, "decision": a.decision}
            for a in applications
        ],
        "agreements_as_coach": [
            {"id": a.pk, "programme": str(a.programme), "start_date": a.start_date,
             "end_date": a.end_date, "state": a.state}
            for a in Agreement.objects.filter(coach=user).select_related("programme")
        ],
        "logins": [
            {"at": log.attempt_time, "logout_at": log.logout_time,
             "ip_address": log.ip_address, "user_agent": log.user_agent}
            for log in AccessLog.objects.filter(username=user.username).order_by("attempt_time")
        ],
        "failed_logins": [
            {"at": log.attempt_time, "ip_address": log.ip_address,
             "locked_out": log.locked_out}
            for log in AccessFailureLog.objects.filter(username=user.username)
            .order_by("attempt_time")
        ],
        "help_requests": [
            {"created_at": h.created_at, "name": h.name, "email": h.email, "phone": h.phone,
             "enterprise": h.enterprise_name, "question": h.message}
            for h in help_requests
        ],
    }


def _mentor_data(mentor) -> dict:
    return {
        "id": mentor.pk,
        "enterprise": mentor.enterprise.name,
        "first_name": mentor.first_name,
        "last_name": mentor.last_name,
        "national_number": _number(mentor.national_number_encrypted),
        "birth_date": mentor.birth_date,
        "email": mentor.email,
        "years_of_experience": mentor.years_of_experience,
        "mentor_training_completed_on": mentor.mentor_training_completed_on,
        "is_active": mentor.is_active,
        "in_applications": [
            {"application": e.application.reference or "", "state": e.application.state,
             "years_of_experience": e.years_of_experience,
             "derogation_requested": e.derogation_requested, "training": e.training,
             "check": e.check_result, "check_reason": e.check_reason,
             "checked_at": e.checked_at}
            for e in mentor.applications.select_related("application")
        ],
        "in_recognitions": [
            {"recognition": link.recognition_id, "programme": str(link.recognition.programme),
             "since": link.since, "until": link.until, "is_active": link.is_active,
             "end_reason": link.end_reason}
            for link in mentor.recognition_links.select_related("recognition__programme")
        ],
        "agreements_as_mentor": [
            {"id": a.pk, "programme": str(a.programme), "start_date": a.start_date,
             "end_date": a.end_date, "state": a.state}
            for a in mentor.agreements.select_related("programme")
        ],
    }


def _learner_data(learner) -> dict:
    return {
        "id": learner.pk,
        "first_name": learner.first_name,
        "last_name": learner.last_name,
        "national_number": _number(learner.national_number_encrypted),
        "birth_date": learner.birth_date,
        "training_provider": str(learner.training_provider),
        "programme": str(learner.programme),
        "agreements": [
            {"id": a.pk, "kind": a.kind, "state": a.state, "enterprise": a.enterprise.name,
             "establishment_unit": str(a.unit), "programme": str(a.programme),
             "training_provider": str(a.training_provider), "start_date": a.start_date,
             "end_date": a.end_date, "ended_on": a.ended_on, "end_reason": a.end_reason,
             "weekly_hours": a.weekly_hours, "confirmed_at": a.confirmed_at}
            for a in learner.agreements.select_related("enterprise", "unit", "programme",
                                                       "training_provider")
        ],
    }


def _documents(person: Person) -> list[ExportDocument]:
    """The documents the person uploaded, or that are about one of their mentor records, and
    the mandate documents of the mandates they hold."""
    from werkplek.appeals.models import AppealDocument
    from werkplek.applications.models import Document
    from werkplek.enterprises.models import Mandate
    from werkplek.recognitions.models import MentorDocument

    mentor_ids = {m.pk for m in person.mentors}
    documents: list[ExportDocument] = []

    def add(row, subject):
        documents.append(ExportDocument(
            label=personal_data.document_label(row), subject=subject, file=row.file,
            original_name=row.original_name, content_type=row.content_type))

    for row in (Document.objects.filter(Q(uploaded_by__in=person.users)
                                        | Q(mentor__mentor__in=mentor_ids))
                .select_related("mentor").order_by("pk")):
        mentor_id = row.mentor.mentor_id if row.mentor_id else None
        add(row, f"mentor:{mentor_id}" if mentor_id in mentor_ids
            else f"user:{row.uploaded_by_id}")
    for row in (MentorDocument.objects.filter(Q(uploaded_by__in=person.users)
                                              | Q(link__mentor__in=mentor_ids))
                .select_related("link").order_by("pk")):
        add(row, f"mentor:{row.link.mentor_id}" if row.link.mentor_id in mentor_ids
            else f"user:{row.uploaded_by_id}")
    for row in AppealDocument.objects.filter(uploaded_by__in=person.users).order_by("pk"):
        add(row, f"user:{row.uploaded_by_id}")
    for mandate in Mandate.objects.filter(holder__in=person.users).exclude(document="") \
            .order_by("pk"):
        documents.append(ExportDocument(
            label=personal_data.document_label(mandate), subject=f"user:{mandate.holder_id}",
            file=mandate.document, original_name=mandate.document_name or "mandate.pdf",
            content_type=mandate.content_type or "application/pdf"))
    return documents


def _access_log(person: Person, documents: list[ExportDocument]) -> dict:
    from .models import PersonalDataAccess

    labels = [d.label for d in documents]
    about = (PersonalDataAccess.objects
             .filter(Q(subject__in=person.subjects) | Q(document__in=labels))
             .select_related("user").order_by("at", "pk"))
    by = PersonalDataAccess.objects.filter(user__in=person.users).order_by("at", "pk")
    return {
        "about_them": [
            {"at": row.at, "kind": row.kind, "by": _full_name(row.user),
             "purpose": row.purpose, "document": row.document, "route": row.route}
            for row in about
        ],
        "by_them": [
            {"at": row.at, "kind": row.kind, "subject": row.subject, "purpose": row.purpose,
             "document": row.document, "route": row.route}
            for row in by
        ],
    }


def collect(person: Person, *, actor, purpose: str) -> tuple[dict, list[ExportDocument]]:
    """The data held about ``person`` (a JSON-ready dict) and their documents."""
    documents = _documents(person)
    data = {
        "generated_at": timezone.now(),
        "generated_by": _full_name(actor),
        "purpose": purpose,
        "national_number": format_national_number(person.national_number)
        if person.national_number else "",
        "user_accounts": [_user_data(u) for u in person.users],
        "mentor_records": [_mentor_data(m) for m in person.mentors],
        "learner_records": [_learner_data(learner) for learner in person.learners],
        "documents": [
            {"document": d.label, "name": d.original_name, "content_type": d.content_type,
             "file": None}
            for d in documents
        ],
        "personal_data_access": _access_log(person, documents),
    }
    return data, documents


def export(*, actor, person: Person, purpose: str, output: BinaryIO,
           with_documents: bool = True) -> dict:
    """Write the export of ``person`` to ``output``: a ZIP with ``personal-data.json`` and the
    documents, or (``with_documents=False``) the JSON alone. Recorded in the access register
    first; returns the data."""
    if not person.found:
        raise ValidationError(_("Werkplek holds no personal data under this national register "
                                "number or account."), code="not_found")
    purpose = purpose.strip() or "access request"
    data, documents = collect(person, actor=actor, purpose=purpose)
    with transaction.atomic():
        for subject in person.subjects:
            personal_data.log_export(user=actor, subject=subject, purpose=purpose)
        if with_documents:
            for document in documents:
                personal_data.log_export(user=actor, subject=document.subject, purpose=purpose,
                                         document=document.label)
    if not with_documents:
        output.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False,
                                indent=2).encode())
        return data
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry, document in zip(data["documents"], documents, strict=True):
            try:
                with document.file.storage.open(document.file.name, "rb") as handle:
                    archive.writestr(document.arcname, handle.read())
            except FileNotFoundError:
                entry["file"] = None
                entry["missing"] = True
                continue
            entry["file"] = document.arcname
        archive.writestr(JSON_NAME, json.dumps(data, cls=DjangoJSONEncoder,
                                               ensure_ascii=False, indent=2))
    return data
