"""Request parameters of the AAS API Part 2 read profiles (IDTA-01002-3 V3.0/3.1): base64url
identifiers, idShortPaths, `level` / `extent`, cursor pagination, and the `Result` error body."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

T = TypeVar("T")

MODIFIERS = frozenset({"$metadata", "$value", "$reference", "$path"})
_B64URL = re.compile(r"^[A-Za-z0-9_-]*={0,2}$")
_PATH = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*(\[[0-9]+\])*(\.[A-Za-z][A-Za-z0-9_-]*(\[[0-9]+\])*)*$")
_LEVELS = frozenset({"deep", "core"})
_EXTENTS = frozenset({"withoutBlobValue", "withBlobValue"})


class AasError(Exception):
    """A request the API refuses; `status` is the HTTP status of the Result body."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


def result_body(status: int, text: str) -> dict[str, Any]:
    """The Part 2 `Result` (only `messages`; aas.md 4, "Errors")."""
    timestamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    message = {"messageType": "Error", "text": text, "code": str(status), "timestamp": timestamp}
    return {"messages": [message]}


def b64url_encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def b64url_decode(encoded: str, name: str) -> str:
    """Decode a base64url (RFC 4648 section 5) UTF-8 identifier; padding optional."""
    if not encoded or not _B64URL.match(encoded) or len(encoded.rstrip("=")) % 4 == 1:
        raise AasError(400, f"{name}: not a valid base64url-encoded identifier")
    try:
        raw = base64.urlsafe_b64decode(encoded.rstrip("=") + "=" * (-len(encoded.rstrip("=")) % 4))
        return raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise AasError(400, f"{name}: not a valid base64url-encoded identifier") from None


def check_id_short_path(path: str) -> str:
    if not _PATH.match(path):
        raise AasError(400, f"idShortPath: {path!r} is not a valid idShortPath")
    return path


@dataclass(frozen=True)
class Query:
    """The validated query of one request."""

    level: str | None
    extent: str | None
    limit: int | None
    cursor: str | None

    @property
    def deep(self) -> bool:
        return self.level != "core"


def parse_query(params: Mapping[str, str]) -> Query:
    level = params.get("level")
    if level is not None and level not in _LEVELS:
        raise AasError(400, f"level: {level!r} must be deep or core")
    extent = params.get("extent")
    if extent is not None and extent not in _EXTENTS:
        raise AasError(400, f"extent: {extent!r} must be withoutBlobValue or withBlobValue")
    return Query(level, extent, _limit(params.get("limit")), _cursor(params.get("cursor")))


def _limit(raw: str | None) -> int | None:
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) < 1 or len(raw) > 9:
        raise AasError(400, f"limit: {raw!r} must be a positive integer")
    return int(raw)


def _cursor(raw: str | None) -> str | None:
    if raw is None:
        return None
    if raw == "":
        raise AasError(400, "cursor: must not be empty (AASa-001)")
    return b64url_decode(raw, "cursor")


def check_modifier(modifier: str | None, query: Query) -> None:
    """Combinations the spec forbids (IDTA-01002-3, "Serialization modifiers")."""
    if modifier == "$metadata" and (query.level is not None or query.extent == "withBlobValue"):
        raise AasError(400, "$metadata: level and extent=withBlobValue are not allowed")
    if modifier == "$reference" and query.level == "deep":
        raise AasError(400, "$reference: level=deep is not allowed")
    if modifier in ("$reference", "$path") and query.extent is not None:
        raise AasError(400, f"{modifier}: extent is not allowed")


def page(items: Sequence[T], query: Query, key: Any) -> tuple[list[T], dict[str, str]]:
    """Cursor pagination over items sorted by `key`; the cursor is base64url of the last key."""
    start = 0
    if query.cursor is not None:
        start = next((i for i, item in enumerate(items) if key(item) > query.cursor), len(items))
    limit = query.limit or 100
    chunk = list(items[start : start + limit])
    metadata: dict[str, str] = {}
    if start + limit < len(items) and chunk:
        metadata["cursor"] = b64url_encode(key(chunk[-1]))
    return chunk, metadata


def decode_json_param(encoded: str, name: str) -> Any:
    """A base64url-encoded JSON query parameter (`semanticId`, `assetIds`)."""
    try:
        return json.loads(b64url_decode(encoded, name))
    except json.JSONDecodeError:
        raise AasError(400, f"{name}: not base64url-encoded JSON") from None
