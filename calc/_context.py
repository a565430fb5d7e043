"""The decimal context every calculation runs in (CALC.md section 16, "Numbers").

34 significant digits, half-even, traps on invalid operations, so the caller's own decimal
context never changes a figure.
"""

from __future__ import annotations

import decimal

CONTEXT = decimal.Context(
    prec=34,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
