"""Persistence: async SQLAlchemy engine (SQLite by default, PostgreSQL via psycopg 3), sessions,
and Alembic migrations applied at start (DESIGN.md "Rules that make it reliable")."""

from connector.db.engine import Database, create_database
from connector.db.migrate import current_revision, head_revision, upgrade_to_head
from connector.db.registry import load_all_models

__all__ = [
    "Database",
    "create_database",
    "current_revision",
    "head_revision",
    "load_all_models",
    "upgrade_to_head",
]
