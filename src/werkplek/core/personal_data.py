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
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

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


def log_reveal(*, user, subject: str, purpose: str) -> None:
    """Record that a user saw a national register number in clear: a row in the access
    register (for access requests and audits) and a line in the audit log."""
    from .models import PersonalDataAccess

    if getattr(user, "pk", None) is not None:
        PersonalDataAccess.objects.create(user=user, subject=subject[:100], purpose=purpose[:200])
    audit_log.info(
        "reveal user=%s subject=%s purpose=%s", getattr(user, "pk", None), subject, purpose
    )
