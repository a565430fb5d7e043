"""Strict reading of the parsed input mapping: one `CalcError` per problem, naming its path.

Values may be JSON/YAML numbers or decimal strings; floats are read through their shortest
repr (`Decimal(str(x))`) so that 0.88 stays 0.88. A quantity is `{"value": v, "unit": u}` with
`u` from the field's unit table; a fraction may also be a bare number in [0, 1].
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from calc._model import Share
from calc._units import FRACTION


@dataclass(frozen=True)
class CalcError:
    """A problem in the input (or a value missing at compute time) at `path`."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def to_decimal(value: Any) -> Decimal | None:
    """A finite Decimal from an int, float, Decimal or numeric string, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, int | str | Decimal):
        try:
            result = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            return None
        return result if result.is_finite() else None
    return None


class Reader:
    """Collects errors while reading; every method returns None after reporting a problem."""

    def __init__(self) -> None:
        self.errors: list[CalcError] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(CalcError(path, message))

    def mapping(
        self, value: Any, path: str, allowed: Sequence[str], required: Sequence[str] = ()
    ) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.error(path, "must be an object")
            return None
        for key in value:
            if key not in allowed:
                self.error(join(path, str(key)), "unknown key")
        for key in required:
            if key not in value or value[key] is None:
                self.error(join(path, key), "required value is missing")
        return value

    def items(self, m: Mapping[str, Any], key: str, path: str) -> list[tuple[Any, str]]:
        value = m.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(join(path, key), "must be a list")
            return []
        base = join(path, key)
        return [(item, join(base, i)) for i, item in enumerate(value)]

    def text(
        self, m: Mapping[str, Any], key: str, path: str, pattern: str | None = None
    ) -> str | None:
        value = m.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(join(path, key), "must be a non-empty string")
            return None
        if pattern is not None and re.fullmatch(pattern, value) is None:
            self.error(join(path, key), f"'{value}' does not match the pattern {pattern}")
            return None
        return value

    def choice(
        self, m: Mapping[str, Any], key: str, path: str, choices: Sequence[str]
    ) -> str | None:
        value = m.get(key)
        if value is None:
            return None
        if value not in choices:
            self.error(join(path, key), f"must be one of {', '.join(choices)}")
            return None
        return str(value)

    def boolean(self, m: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
        value = m.get(key, default)
        if not isinstance(value, bool):
            self.error(join(path, key), "must be true or false")
            return default
        return value

    def integer(self, m: Mapping[str, Any], key: str, path: str, lo: int, hi: int) -> int | None:
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            self.error(join(path, key), f"must be an integer from {lo} to {hi}")
            return None
        return value

    def quantity(
        self,
        m: Mapping[str, Any],
        key: str,
        path: str,
        units: Mapping[str, Decimal],
        *,
        signed: bool = False,
    ) -> tuple[Decimal, str] | None:
        """(value in the canonical unit, unit as written) of `{"value", "unit"}` at `key`."""
        here = join(path, key)
        raw = m.get(key)
        if raw is None:
            return None
        q = self.mapping(raw, here, ("value", "unit"), ("value", "unit"))
        if q is None or q.get("value") is None or q.get("unit") is None:
            return None
        unit = q["unit"]
        if unit not in units:
            self.error(
                join(here, "unit"),
                f"unit '{unit}' not allowed here; use one of: " + ", ".join(units),
            )
            return None
        number = to_decimal(q["value"])
        if number is None:
            self.error(join(here, "value"), "must be a finite number")
            return None
        if number < 0 and not signed:
            self.error(join(here, "value"), "must not be negative")
            return None
        return number * units[unit], str(unit)

    def fraction(self, m: Mapping[str, Any], key: str, path: str) -> Decimal | None:
        """A dimensionless fraction in [0, 1]: bare number, or `{"value", "unit": "%"|"1"}`."""
        raw = m.get(key)
        if raw is None:
            return None
        value: Decimal | None
        if isinstance(raw, Mapping):
            found = self.quantity(m, key, path, FRACTION)
            if found is None:
                return None
            value = found[0]
        else:
            value = to_decimal(raw)
            if value is None:
                self.error(join(path, key), "must be a finite number")
                return None
        if not Decimal(0) <= value <= Decimal(1):
            self.error(join(path, key), "must be between 0 and 1 (0 % and 100 %)")
            return None
        return value

    def attribution(
        self, m: Mapping[str, Any], path: str, process_ids: Sequence[str]
    ) -> tuple[Share, ...]:
        """`process: id` or `attribution: [{process, share}]` summing to exactly 100 %."""
        if "process" in m and "attribution" in m:
            self.error(join(path, "attribution"), "give either process or attribution, not both")
            return ()
        if "attribution" not in m:
            pid = self.text(m, "process", path)
            if pid is None and "process" not in m and len(process_ids) == 1:
                pid = process_ids[0]
            if pid is None:
                if "process" not in m:
                    self.error(join(path, "process"), "required value is missing")
                return ()
            return self._known(pid, join(path, "process"), process_ids)
        shares = [
            self._share(item, p, process_ids) for item, p in self.items(m, "attribution", path)
        ]
        if not shares or any(s is None for s in shares):
            if not shares:
                self.error(join(path, "attribution"), "must list at least one process")
            return ()
        total = sum((s.fraction for s in shares if s is not None), Decimal(0))
        if total != 1:
            self.error(
                join(path, "attribution"), f"shares sum to {total * 100:f} %, expected 100 %"
            )
            return ()
        return tuple(s for s in shares if s is not None)

    def _known(self, pid: str, path: str, process_ids: Sequence[str]) -> tuple[Share, ...]:
        if pid not in process_ids:
            self.error(path, f"unknown process '{pid}'")
            return ()
        return (Share(pid, Decimal(1)),)

    def _share(self, item: Any, path: str, process_ids: Sequence[str]) -> Share | None:
        s = self.mapping(item, path, ("process", "share"), ("process", "share"))
        if s is None:
            return None
        pid = self.text(s, "process", path)
        fraction = self.fraction(s, "share", path)
        if pid is None or fraction is None:
            return None
        if not self._known(pid, join(path, "process"), process_ids):
            return None
        return Share(pid, fraction)
