"""Service tests run against a bare node context (tests/support/service_context.py)."""

from tests.support.service_context import context  # noqa: F401
