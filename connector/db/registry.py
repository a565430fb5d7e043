"""Finds every feature's `models.py` so that SQLModel's metadata is complete before migrations
run or are compared. Features never register themselves by hand: a new `models.py` under
`connector/` is picked up automatically."""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import MetaData
from sqlmodel import SQLModel

import connector


def load_all_models() -> MetaData:
    """Import `connector.<feature>.models` for every feature; return the complete metadata."""
    for module in pkgutil.walk_packages(connector.__path__, prefix="connector."):
        if module.name.endswith(".models"):
            importlib.import_module(module.name)
    return SQLModel.metadata
