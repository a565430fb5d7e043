"""The node's policy feature: the `carbonspace policy` commands over the pure `policies` package.

Enforcement itself lives where the flows are (catalog, negotiation, transfer, data plane); they
call `policies.evaluate` / `policies.match_offer` directly (docs/policies.md "Enforcement").
"""

__all__: list[str] = []
