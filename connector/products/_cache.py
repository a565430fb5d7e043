"""A short-lived in-process cache of published submodels for the AAS API hot path
(GetSubmodelById). Publications in this process clear it at once; another replica's
publication shows here within `TTL_S` (replicas share the database, not this cache)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from aas_models import StoredIdentifiable

TTL_S = 1.0
MAX_ENTRIES = 10_000


@dataclass
class SubmodelCache:
    ttl_s: float = TTL_S
    entries: dict[str, tuple[float, StoredIdentifiable | None]] = field(default_factory=dict)

    def get(self, identifier: str) -> tuple[bool, StoredIdentifiable | None]:
        """(hit, value); a miss when absent or older than the TTL."""
        entry = self.entries.get(identifier)
        if entry is None or time.monotonic() - entry[0] > self.ttl_s:
            return False, None
        return True, entry[1]

    def put(self, identifier: str, value: StoredIdentifiable | None) -> None:
        if len(self.entries) >= MAX_ENTRIES:
            self.entries.clear()
        self.entries[identifier] = (time.monotonic(), value)

    def clear(self) -> None:
        self.entries.clear()
