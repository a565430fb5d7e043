"""Developer tool: regenerate the baseline migration from the models.

Until the first release the schema is one baseline revision, regenerated whenever a model
changes: `python -m connector.db.baseline`. After a release, add revisions instead.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from connector.db.migrate import MIGRATIONS_DIR, alembic_config

BASELINE_ID = "0001_baseline"


def regenerate() -> Path:
    """Delete and autogenerate the baseline against an empty SQLite database."""
    versions = MIGRATIONS_DIR / "versions"
    for old in versions.glob(f"{BASELINE_ID}*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite:///{scratch}/empty.db")
        with engine.begin() as connection:
            command.revision(
                alembic_config(connection),
                message="baseline schema",
                autogenerate=True,
                rev_id=BASELINE_ID,
            )
        engine.dispose()
    return next(versions.glob(f"{BASELINE_ID}*.py"))


if __name__ == "__main__":
    print(regenerate())
