"""The demo's sovereignty check (DESIGN.md "Rules that make it sovereign"): no node's database
holds another node's raw data. Every text cell of every table of each node's SQLite database is
searched for the other companies' installation identifiers and file descriptions (which exist
only in their installation files), and for each node's own installation id as a control."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from connector.demo._companies import COMPANIES, load_document


@dataclass(frozen=True)
class Finding:
    node: str
    holds_own_data: bool
    foreign_markers: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.holds_own_data and not self.foreign_markers


def _markers(key: str) -> tuple[str, ...]:
    document = load_document(next(c for c in COMPANIES if c.key == key))
    return (document["installation"]["id"], document["description"][:60])


def _all_text(db_path: Path) -> str:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as connection:
        tables = [
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        chunks: list[str] = []
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                chunks.extend(str(cell) for cell in row if cell is not None)
    return "\n".join(chunks)


def sovereignty(node_dbs: dict[str, Path]) -> list[Finding]:
    """One finding per node: does it hold its own raw data and nobody else's?"""
    findings = []
    for key, path in node_dbs.items():
        text = _all_text(path)
        foreign = tuple(
            marker
            for other in node_dbs
            if other != key
            for marker in _markers(other)
            if marker in text
        )
        own = _markers(key)[0] in text
        findings.append(Finding(key, own, foreign))
    return findings
