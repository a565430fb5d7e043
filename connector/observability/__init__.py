"""Health, metrics and structured logs of a node."""

from connector.observability.logging import configure_logging
from connector.observability.metrics import Metrics

__all__ = ["Metrics", "configure_logging"]
