"""Where the standards' schemas and examples are: `shared/` beside the repository (as CI lays it
out), read-only; tests use them, never edit them."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"
SPECS = SHARED / "specs"
