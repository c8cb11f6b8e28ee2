"""Belgian identifiers: enterprise number, establishment unit number and national register number.

All three end in two check digits computed modulo 97. The parsers accept every common notation
(dots, spaces, dashes, slashes; for the enterprise number also a ``BE`` prefix and the old
9-digit form) and return the compact digits, or raise :class:`IdentifierError` with a specific,
translatable message and a stable ``code``:

``invalid_characters``, ``invalid_length``, ``invalid_first_digit``, ``invalid_checksum``,
``invalid_month``, ``invalid_day``, and, when the value is a valid number of another kind,
``is_enterprise_number``, ``is_establishment_unit_number`` or ``is_national_number``.

An empty value is not the parsers' business: form fields handle it with their ``required`` logic
(a parser given no digits at all reports ``invalid_length`` with 0 found).

This module is pure Python: no models, no settings.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = [
    "IdentifierError",
    "NationalNumber",
    "age_on",
    "format_enterprise_number",
    "format_establishment_unit_number",
    "format_national_number",
    "mask_national_number",
    "parse_enterprise_number",
    "parse_establishment_unit_number",
    "parse_national_number",
]


class IdentifierError(ValidationError):
    """A value that is not a valid identifier; ``code`` says why, the message says it to people."""

    def __init__(self, message, code: str, params: dict | None = None):
        super().__init__(message, code=code, params=params)


MESSAGES = {
    "invalid_characters": _("Only digits, spaces, dots, dashes and slashes are allowed."),
    "length_10": _("Expected 10 digits, found %(found)s."),
    "length_11": _("Expected 11 digits, found %(found)s."),
    "checksum": _("The check digits are not correct."),
    "enterprise_first_digit": _("An enterprise number starts with 0 or 1."),
    "unit_first_digit": _("An establishment unit number starts with a digit from 2 to 8."),
    "unit_not_enterprise": _("This is an establishment unit number, not an enterprise number."),
    "enterprise_not_unit": _("This is an enterprise number, not an establishment unit number."),
    "national_not_enterprise": _("This is a national register number, not an enterprise number."),
    "national_not_unit": _("This is a national register number, not an establishment unit number."),
    "enterprise_not_national": _("This is an enterprise number, not a national register number."),
    "unit_not_national": _("This is an establishment unit number, not a national register number."),
    "month": _("The month of birth in this number does not exist."),
    "day": _("The day of birth in this number does not exist in that month."),
}

# Separators people type or paste: whitespace (also non-breaking), dots, slashes and dashes
# (including the Unicode hyphens and dashes that word processors put in).
_SEPARATORS = frozenset(".-/\u2010\u2011\u2012\u2013\u2014\u2212")
_DIGITS = frozenset("0123456789")  # ASCII only: str.isdigit() would also let '٣' or '²' in


def _digits(value: str) -> tuple[str, bool]:
    """The ASCII digits of ``value`` and whether it started with a ``BE`` prefix.

    Raises ``invalid_characters`` for anything that is not a digit or a separator.
    """
    text = str(value).strip()
    has_prefix = text[:2].upper() == "BE"
    if has_prefix:
        text = text[2:]
    digits = []
    for char in text:
        if char in _DIGITS:
            digits.append(char)
        elif not (char in _SEPARATORS or char.isspace()):
            raise IdentifierError(MESSAGES["invalid_characters"], code="invalid_characters")
    return "".join(digits), has_prefix


def _mod97_ok(digits: str, prefix: str = "") -> bool:
    """True when the last two digits equal 97 minus (the other digits modulo 97)."""
    return 97 - int(prefix + digits[:-2]) % 97 == int(digits[-2:])


def _is_enterprise_number(digits: str) -> bool:
    return len(digits) == 10 and digits[0] in "01" and _mod97_ok(digits)


def _is_establishment_unit_number(digits: str) -> bool:
    return len(digits) == 10 and digits[0] in "2345678" and _mod97_ok(digits)


def _is_national_number(digits: str) -> bool:
    try:
        _parse_national_digits(digits)
    except IdentifierError:
        return False
    return True


def _length_error(expected: int, found: int) -> IdentifierError:
    return IdentifierError(
        MESSAGES[f"length_{expected}"], code="invalid_length", params={"found": found}
    )


# --- Enterprise number -------------------------------------------------------------------------


def parse_enterprise_number(value: str) -> str:
    """The compact 10-digit enterprise number in ``value``, or raise :class:`IdentifierError`.

    Accepts ``0123.456.749``, ``0123 456 749``, ``BE0123456749``, ``be 0123-456-749``,
    ``0123/456/749`` and the old 9-digit form ``123.456.749`` (a leading 0 is added).
    The check is the one in ``stdnum.be.vat``; the messages are ours.
    """
    digits, _has_prefix = _digits(value)
    if len(digits) == 9:
        digits = "0" + digits  # the old 9-digit notation
    if len(digits) == 11 and _is_national_number(digits):
        raise IdentifierError(MESSAGES["national_not_enterprise"], code="is_national_number")
    if len(digits) != 10:
        raise _length_error(10, len(digits))
    if _is_establishment_unit_number(digits):
        raise IdentifierError(MESSAGES["unit_not_enterprise"], code="is_establishment_unit_number")
    if digits[0] not in "01":
        raise IdentifierError(MESSAGES["enterprise_first_digit"], code="invalid_first_digit")
    if not _mod97_ok(digits):
        raise IdentifierError(MESSAGES["checksum"], code="invalid_checksum")
    return digits


def format_enterprise_number(compact: str) -> str:
    """``0123456749`` -> ``0123.456.749``. Expects the compact form (as stored)."""
    _require_digits(compact, 10)
    return f"{compact[:4]}.{compact[4:7]}.{compact[7:]}"


# --- Establishment unit number -----------------------------------------------------------------


def parse_establishment_unit_number(value: str) -> str:
    """The compact 10-digit establishment unit number in ``value``, or raise IdentifierError.

    Accepts ``2.123.456.789`` and the same separators as the enterprise number. A ``BE`` prefix
    only belongs to enterprise numbers: with it, the value is refused.
    """
    digits, has_prefix = _digits(value)
    enterprise_digits = "0" + digits if len(digits) == 9 else digits
    if _is_enterprise_number(enterprise_digits):
        raise IdentifierError(MESSAGES["enterprise_not_unit"], code="is_enterprise_number")
    if has_prefix:
        raise IdentifierError(MESSAGES["invalid_characters"], code="invalid_characters")
    if len(digits) == 11 and _is_national_number(digits):
        raise IdentifierError(MESSAGES["national_not_unit"], code="is_national_number")
    if len(digits) != 10:
        raise _length_error(10, len(digits))
    if digits[0] not in "2345678":
        raise IdentifierError(MESSAGES["unit_first_digit"], code="invalid_first_digit")
    if not _mod97_ok(digits):
        raise IdentifierError(MESSAGES["checksum"], code="invalid_checksum")
    return digits


def format_establishment_unit_number(compact: str) -> str:
    """``2123456789`` -> ``2.123.456.789``. Expects the compact form (as stored)."""
    _require_digits(compact, 10)
    return f"{compact[0]}.{compact[1:4]}.{compact[4:7]}.{compact[7:]}"


# --- National register number ------------------------------------------------------------------

# Month offsets: +20 is a BIS number given while the sex was unknown, +40 one with the sex known.
_BIS_SEX_UNKNOWN = range(20, 33)
_BIS_SEX_KNOWN = range(40, 53)
_REGULAR = range(0, 13)
# Fictitious dates 1900-00-01 / 2000-00-01 (also in BIS form) mean that not even the year was
# known when the number was issued (as in stdnum.be.nn).
_YEAR_UNKNOWN = frozenset({"000001", "002001", "004001"})


@dataclass(frozen=True)
class NationalNumber:
    """A valid national register number (or BIS number) and what it tells.

    ``birth_date`` is None when the month or the day is unknown (encoded as 00);
    ``birth_year`` is None only for the fictitious dates that mean "year unknown".
    ``sex`` is ``'M'`` (odd counter) or ``'F'`` (even counter), None for a BIS number issued
    while the sex was unknown (month + 20).
    """

    compact: str
    birth_date: date | None
    birth_year: int | None
    is_bis: bool
    sex: str | None

    def formatted(self) -> str:
        return format_national_number(self.compact)

    def masked(self) -> str:
        return mask_national_number(self.compact)

    def age_on(self, day: date) -> int | None:
        """Age in full years on ``day``; None when it cannot be known for certain.

        With the full birth date known this is :func:`age_on`. With only the year (or year and
        month) known, the age is given when every possible birth date in that year (or month)
        gives the same age, and None otherwise. Raises ValueError when ``day`` lies before every
        possible birth date.
        """
        if self.birth_date is not None:
            return age_on(self.birth_date, day)
        if self.birth_year is None:
            return None
        year = self.birth_year
        month = int(self.compact[2:4]) % 20
        if month:
            earliest = date(year, month, 1)
            latest = date(year, month, calendar.monthrange(year, month)[1])
        else:
            earliest, latest = date(year, 1, 1), date(year, 12, 31)
        oldest = age_on(earliest, day)  # raises when day < earliest
        if day < latest:
            return None  # perhaps not born yet
        youngest = age_on(latest, day)
        return oldest if oldest == youngest else None


def _parse_national_digits(digits: str) -> NationalNumber:
    if len(digits) != 11:
        raise _length_error(11, len(digits))
    raw_month = int(digits[2:4])
    if not (raw_month in _REGULAR or raw_month in _BIS_SEX_UNKNOWN or raw_month in _BIS_SEX_KNOWN):
        raise IdentifierError(MESSAGES["month"], code="invalid_month")

    # Century: the 19xx check first, then the 20xx one (a '2' before the nine digits). Both
    # cannot match, as 2_000_000_000 % 97 == 68 != 0. A 20xx year still in the future is not a
    # birth year, so it does not count (as in stdnum.be.nn).
    yy = int(digits[:2])
    if _mod97_ok(digits):
        year = 1900 + yy
    elif _mod97_ok(digits, prefix="2") and 2000 + yy <= date.today().year:
        year = 2000 + yy
    else:
        raise IdentifierError(MESSAGES["checksum"], code="invalid_checksum")

    month = raw_month % 20
    day = int(digits[4:6])
    birth_year: int | None = year
    birth_date = None
    if digits[:6] in _YEAR_UNKNOWN:
        birth_year = None
    elif month and day:
        if day > calendar.monthrange(year, month)[1]:
            raise IdentifierError(MESSAGES["day"], code="invalid_day")
        birth_date = date(year, month, day)
    # Month 00 (unknown): the day digits carry no date, so any value is accepted (stdnum agrees).

    counter_is_odd = int(digits[6:9]) % 2 == 1
    sex = None if raw_month in _BIS_SEX_UNKNOWN else ("M" if counter_is_odd else "F")
    return NationalNumber(
        compact=digits,
        birth_date=birth_date,
        birth_year=birth_year,
        is_bis=raw_month >= 20,
        sex=sex,
    )


def parse_national_number(value: str) -> NationalNumber:
    """The national register number (or BIS number) in ``value``, or raise IdentifierError.

    Accepts ``85.07.30-033.28``, ``85073003328``, ``850730 033 28`` and the like.
    """
    digits, has_prefix = _digits(value)
    if len(digits) in (9, 10):
        enterprise_digits = "0" + digits if len(digits) == 9 else digits
        if _is_enterprise_number(enterprise_digits):
            raise IdentifierError(MESSAGES["enterprise_not_national"], code="is_enterprise_number")
        if _is_establishment_unit_number(digits):
            raise IdentifierError(
                MESSAGES["unit_not_national"], code="is_establishment_unit_number"
            )
    if has_prefix:
        raise IdentifierError(MESSAGES["invalid_characters"], code="invalid_characters")
    return _parse_national_digits(digits)


def format_national_number(compact: str) -> str:
    """``85073003328`` -> ``85.07.30-033.28``. Expects the compact form (as stored)."""
    _require_digits(compact, 11)
    return f"{compact[:2]}.{compact[2:4]}.{compact[4:6]}-{compact[6:9]}.{compact[9:]}"


def mask_national_number(compact_or_formatted: str) -> str:
    """Hide all but the two check digits: ``85.07.30-033.28`` -> ``xx.xx.xx-xxx.28``.

    The birth date and the counter (which gives the sex) stay hidden. An empty value gives ``''``;
    anything that is not 11 digits is masked completely, so nothing ever leaks.
    """
    if not compact_or_formatted:
        return ""
    digits = "".join(c for c in str(compact_or_formatted) if c in _DIGITS)
    last = digits[-2:] if len(digits) == 11 else "xx"
    return f"xx.xx.xx-xxx.{last}"


# --- Helpers -----------------------------------------------------------------------------------


def _require_digits(compact: str, length: int) -> None:
    if len(compact) != length or not set(compact) <= _DIGITS:
        raise ValueError(f"expected the compact form ({length} digits), got {len(compact)} chars")


def age_on(birth_date: date, day: date) -> int:
    """Age in full years on ``day`` of someone born on ``birth_date``.

    Someone born on 29 February becomes a year older on 1 March in years without 29 February
    (Belgian civil practice: the anniversary is not reached before the birthday's date, and in
    such a year the first day that is not before 29 February is 1 March). Comparing
    (month, day) tuples gives exactly that.
    Raises ValueError when ``day`` is before ``birth_date``.
    """
    if day < birth_date:
        raise ValueError("day lies before the birth date")
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
