"""The EDC-compatible Management API (v3 shapes) under `/api/management`, behind `X-Api-Key`."""

__all__: list[str] = []
