"""The public data plane (HTTP pull): EDR issuance at transfer start, the EDR-guarded AAS API at
`/api/public` with a per-call re-check of transfer and agreement, token refresh, and the
append-only audit log of every data-plane call (owner listing and export)."""

from connector.dataplane._audit import export_audit, list_audit
from connector.dataplane._tokens import (
    ACCESS_TTL_S,
    PUBLIC_PATH,
    IssuedEdr,
    b64url,
    endpoint_for,
    issue_edr,
)
from connector.dataplane.models import AuditRow

__all__ = [
    "ACCESS_TTL_S",
    "PUBLIC_PATH",
    "AuditRow",
    "IssuedEdr",
    "b64url",
    "endpoint_for",
    "export_audit",
    "issue_edr",
    "list_audit",
]
