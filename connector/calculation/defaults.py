"""Edge loader for the CBAM default values shipped with the node (I/O lives here, not in calc).

`data/cbam-default-values.csv` is a copy of the project's shared reference data (see
`data/README.md`): IR (EU) 2025/2621 Annex I rows for South Korea and "Other countries and
territories", plus transitional-period rows.
"""

from __future__ import annotations

import csv
import hashlib
from functools import lru_cache
from pathlib import Path

from calc import DefaultValuesTable, build_default_values, row_from_csv

DEFAULT_VALUES_CSV = Path(__file__).parent / "data" / "cbam-default-values.csv"
DEFAULT_VALUES_SOURCE = (
    "Annex I to Implementing Regulation (EU) 2025/2621 (Commission workbook "
    "'DVs as adopted_v20260204'); transitional rows: DG TAXUD default values of 22 Dec 2023"
)


def load_default_values(path: Path = DEFAULT_VALUES_CSV) -> DefaultValuesTable:
    """Read a default-values CSV (comment lines start with '#') into the engine's table.

    The table version is the file name plus the first 12 hex digits of its SHA-256, so a
    result names exactly which data it used."""
    text = path.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    lines = (line for line in text.splitlines() if line and not line.startswith("#"))
    rows = [row_from_csv(raw) for raw in csv.DictReader(lines)]
    return build_default_values(rows, version=f"{path.name}@{digest}", source=DEFAULT_VALUES_SOURCE)


@lru_cache(maxsize=1)
def shipped_default_values() -> DefaultValuesTable:
    """The default values shipped with the node (read once per process)."""
    return load_default_values()
