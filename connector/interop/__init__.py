"""`carbonspace interop TARGET`: a DSP 2025-1 conformance harness run against a peer connector."""

from connector.interop.checks import CHECKS, Check
from connector.interop.model import CheckFailed, CheckResult, CheckSkipped, Evidence, Outcome
from connector.interop.report import json_report, summary, table_report
from connector.interop.runner import RunOptions, exit_code, run_checks, selected

__all__ = [
    "CHECKS",
    "Check",
    "CheckFailed",
    "CheckResult",
    "CheckSkipped",
    "Evidence",
    "Outcome",
    "RunOptions",
    "exit_code",
    "json_report",
    "run_checks",
    "selected",
    "summary",
    "table_report",
]
