"""Persistence: async SQLAlchemy engine (SQLite by default, PostgreSQL via psycopg 3), sessions,
and Alembic migrations applied at start (DESIGN.md "Rules that make it reliable")."""

from typing import TypeAlias

from sqlmodel.ext.asyncio.session import AsyncSession

from connector.db.engine import Database, create_database
from connector.db.migrate import current_revision, head_revision, upgrade_to_head
from connector.db.registry import load_all_models
from connector.db.unit import Unit

# What the work queue and the state machines write through: an ORM session or a Core `Unit`.
AnyTransaction: TypeAlias = AsyncSession | Unit

__all__ = [
    "AnyTransaction",
    "Database",
    "Unit",
    "create_database",
    "current_revision",
    "head_revision",
    "load_all_models",
    "upgrade_to_head",
]
