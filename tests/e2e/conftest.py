"""Fixtures for every e2e module: `authority` (one running authority per test session, shared)
and `nodes` (a factory of started, credentialed nodes, stopped at teardown)."""

from tests.support.nodes import authority, nodes

__all__ = ["authority", "nodes"]
