"""Lexical forms of the XML Schema types the submodel uses (AAS Part 1 / XSD 1.1 Part 2).

basyx 2.2.0 writes `Decimal('1E+3')` as `1E+3`, which is not an xs:decimal (aas.md 1, pitfall):
every decimal goes through `decimal_text` first, every dateTime through `utc_datetime`."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from aas_models._footprint import MappingError

_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def decimal_text(value: Decimal) -> str:
    """The xs:decimal lexical form (no exponent), e.g. `Decimal('1E+3')` -> `1000`."""
    if not value.is_finite():
        raise MappingError(f"{value} is not a finite decimal")
    text = format(value, "f")
    return "0" if text in ("-0", "+0") else text


def parse_decimal(text: str, name: str) -> Decimal:
    """Parse an xs:decimal strictly (no exponent, no NaN); `name` goes into the error."""
    stripped = text.strip()
    if not _DECIMAL.match(stripped):
        raise MappingError(f"{name}: {text!r} is not an xs:decimal")
    try:
        return Decimal(stripped)
    except InvalidOperation:
        raise MappingError(f"{name}: {text!r} is not an xs:decimal") from None


def utc_datetime(value: datetime) -> datetime:
    """A timezone-aware UTC datetime (naive values would serialise without an offset)."""
    if value.tzinfo is None:
        raise MappingError(f"{value.isoformat()} has no timezone")
    return value.astimezone(UTC)


def datetime_text(value: datetime) -> str:
    """RFC 3339 / xs:dateTime in UTC with `Z`, e.g. `2026-03-01T00:00:00Z`."""
    return utc_datetime(value).isoformat().replace("+00:00", "Z")


def parse_datetime(text: str, name: str) -> datetime:
    """Parse an RFC 3339 date-time that carries an offset."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        raise MappingError(f"{name}: {text!r} is not an RFC 3339 date-time") from None
    if value.tzinfo is None:
        raise MappingError(f"{name}: {text!r} has no timezone offset")
    return value.astimezone(UTC)
