"""Personal data at rest: national register numbers are stored encrypted, with a keyed hash
beside the ciphertext so that an exact match can still be searched.

The key comes from PERSONAL_DATA_KEY in the environment (any string; it is stretched with
HKDF); without it, a key is derived from SECRET_KEY. Changing the key makes stored numbers
unreadable, so production must set PERSONAL_DATA_KEY once and keep it.
"""

import base64
import hashlib
import hmac
import logging
import os
import re
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

audit_log = logging.getLogger("werkplek.personal_data")


def _master_key() -> bytes:
    return (os.environ.get("PERSONAL_DATA_KEY") or settings.SECRET_KEY).encode()


def _derive(info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(_master_key())


@cache
def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"werkplek personal data encryption")))


@cache
def _hash_key() -> bytes:
    return _derive(b"werkplek personal data lookup")


def encrypt(value: str) -> str:
    """Encrypt a (compact) identifier for storage."""
    return _fernet().encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """Decrypt a stored identifier; an empty token gives an empty string."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken as error:  # wrong key: never guess, say so
        raise ValueError("The stored personal data cannot be decrypted with this key.") from error


def lookup_hash(value: str) -> str:
    """A keyed hash of a compact identifier: equal numbers give equal hashes."""
    return hmac.new(_hash_key(), value.encode(), hashlib.sha256).hexdigest()


def _record(*, kind: str, user, subject: str, purpose: str, document: str = "",
            route: str = "") -> None:
    """A row in the access register (when there is a user to hold to account) and a line in
    the audit log (always)."""
    from .models import PersonalDataAccess

    if getattr(user, "pk", None) is not None:
        PersonalDataAccess.objects.create(
            user=user, kind=kind, subject=subject[:100], purpose=purpose[:200],
            document=document[:100], route=route[:200])
    audit_log.info(
        "%s user=%s subject=%s document=%s purpose=%s route=%s", kind, getattr(user, "pk", None),
        subject, document or "-", purpose, route or "-",
    )


# The purposes the code records, in the reader's language (the register keeps the code's words,
# so that a filter on a purpose finds its entries whatever the language of the person who
# caused them). A purpose typed by an administrator (an export) is shown as typed.
PURPOSES = {
    "agreement": _("agreement"),
    "application document": _("application document"),
    "case document": _("case document"),
    "mandate document": _("mandate document"),
    "appeal document": _("appeal document"),
    "mentor document": _("mentor document"),
    "letter": _("letter"),
}
_MENTOR_CHECK = re.compile(r"^case (?P<reference>\S+): mentor check$")


def describe_purpose(purpose: str) -> str:
    """A recorded purpose in the active language."""
    if purpose in PURPOSES:
        return str(PURPOSES[purpose])
    match = _MENTOR_CHECK.match(purpose)
    if match:
        return gettext("case %(reference)s: mentor check") % match.groupdict()
    return purpose


def log_reveal(*, user, subject: str, purpose: str) -> None:
    """Record that a user saw a national register number in clear: a row in the access
    register (for access requests and audits) and a line in the audit log."""
    from .models import PersonalDataAccess

    _record(kind=PersonalDataAccess.Kind.REVEAL, user=user, subject=subject, purpose=purpose)


def document_label(instance) -> str:
    """``<app_label>.<model>:<pk>`` of a stored document's row (``applications.document:81``),
    as the access register names it; empty without a saved row."""
    if instance is None or getattr(instance, "pk", None) is None:
        return ""
    return f"{instance._meta.label_lower}:{instance.pk}"


def request_route(request) -> str:
    """The URL name of the view that served ``request`` (``api:application-document``), else
    its path."""
    match = getattr(request, "resolver_match", None)
    return (match.view_name if match is not None and match.view_name else request.path)[:200]


def log_download(*, user, subject: str, purpose: str, document: str = "",
                 route: str = "") -> None:
    """Record that a user downloaded a private document (who, whose, which, why, how)."""
    from .models import PersonalDataAccess

    _record(kind=PersonalDataAccess.Kind.DOWNLOAD, user=user, subject=subject, purpose=purpose,
            document=document, route=route)


def log_export(*, user, subject: str, purpose: str, document: str = "") -> None:
    """Record that a user exported a person's data (an access request), or a document in it."""
    from .models import PersonalDataAccess

    _record(kind=PersonalDataAccess.Kind.EXPORT, user=user, subject=subject, purpose=purpose,
            document=document)


# --- Showing whose data ---------------------------------------------------------------------

_SUBJECT_MODELS = {
    "user": "accounts.User",
    "mentor": "enterprises.Mentor",
    "learner": "agreements.Learner",
    "application": "applications.Application",
    "appeal": "appeals.Appeal",
    "sanction": "recognitions.Sanction",
}


def _masked(token: str) -> str:
    from .identifiers import mask_national_number

    try:
        return mask_national_number(decrypt(token)) if token else ""
    except ValueError:
        return mask_national_number("?")


def describe_subjects(subjects) -> dict[str, str]:
    """A readable label for each access-register subject, with any national register number
    masked: ``mentor:12`` -> ``mentor Jan Peeters (xx.xx.xx-xxx.28)``. One query per kind of
    subject; a subject that is not ``<kind>:<id>`` (or no longer exists) is shown as it is,
    masked when it looks like a number."""
    from django.apps import apps

    from .identifiers import mask_national_number

    labels: dict[str, str] = {}
    wanted: dict[str, dict[int, str]] = {}
    for subject in set(subjects):
        kind, _sep, key = subject.partition(":")
        if kind in _SUBJECT_MODELS and key.isdigit():
            wanted.setdefault(kind, {})[int(key)] = subject
        elif sum(c.isdigit() for c in subject) >= 9:  # a number slipped in: never show it
            labels[subject] = mask_national_number(subject)
        else:
            labels[subject] = subject
    for kind, keys in wanted.items():
        model = apps.get_model(_SUBJECT_MODELS[kind])
        found = {obj.pk: obj for obj in model._default_manager.filter(pk__in=keys)}
        label = str(model._meta.verbose_name)
        for pk, subject in keys.items():
            obj = found.get(pk)
            if obj is None:
                labels[subject] = subject
            elif hasattr(obj, "national_number_encrypted"):
                masked = _masked(obj.national_number_encrypted)
                name = obj.get_full_name() if hasattr(obj, "get_full_name") else str(obj)
                name = name or str(obj)
                labels[subject] = f"{label} {name}" + (f" ({masked})" if masked else "")
            else:
                labels[subject] = f"{label} {obj}"
    return labels
