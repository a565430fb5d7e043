"""JSON and rich-table renderings of a run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from rich.table import Table

from connector.interop.model import CheckResult, Outcome

_STYLE = {Outcome.PASS: "green", Outcome.FAIL: "red", Outcome.SKIP: "yellow"}


def summary(results: Sequence[CheckResult]) -> dict[str, int]:
    counts = Counter(str(r.outcome) for r in results)
    return {o.value: counts.get(o.value, 0) for o in Outcome}


def json_report(target: str, results: Sequence[CheckResult]) -> dict[str, Any]:
    return {
        "target": target,
        "protocol": "DSP 2025-1",
        "summary": summary(results),
        "checks": [r.as_json() for r in results],
    }


def table_report(target: str, results: Sequence[CheckResult]) -> Table:
    counts = summary(results)
    table = Table(
        title=f"DSP 2025-1 conformance of {target}",
        caption=f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped",
    )
    for column in ("check", "clause", "outcome", "reason / evidence"):
        table.add_column(column)
    for r in results:
        detail = r.reason
        if r.outcome is Outcome.FAIL and r.evidence:
            last = r.evidence[-1]
            detail += f"\n{last.request} -> {last.status}\n{last.body[:160]}"
        style = _STYLE[r.outcome]
        table.add_row(r.check_id, r.clause, f"[{style}]{r.outcome.upper()}[/]", detail)
    return table
