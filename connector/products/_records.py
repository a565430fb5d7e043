"""`aas_models.Footprint` <-> the JSON `record` column (decimals and datetimes as text)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aas_models import (
    Address,
    CbamSplit,
    Footprint,
    FootprintStatus,
    datetime_text,
    decimal_text,
    parse_datetime,
)


def footprint_to_record(footprint: Footprint) -> dict[str, Any]:
    record: dict[str, Any] = {
        "footprintId": footprint.footprint_id,
        "version": footprint.version,
        "status": footprint.status.value,
        "pcfKgCo2e": decimal_text(footprint.pcf_kg_co2e),
        "declaredUnit": footprint.declared_unit,
        "declaredQuantity": decimal_text(footprint.declared_quantity),
        "methods": list(footprint.methods),
        "lifeCyclePhases": list(footprint.life_cycle_phases),
        "periodStart": datetime_text(footprint.period_start),
        "periodEnd": datetime_text(footprint.period_end),
        "publishedAt": datetime_text(footprint.published_at),
        "expiresAt": datetime_text(footprint.expires_at) if footprint.expires_at else None,
        "handoverAddress": footprint.handover_address.__dict__
        if footprint.handover_address
        else None,
        "cbam": {k: decimal_text(v) for k, v in footprint.cbam.__dict__.items()}
        if footprint.cbam
        else None,
        "quantities": [[n, decimal_text(v)] for n, v in footprint.quantities],
        "attributes": [list(pair) for pair in footprint.attributes],
        "structured": [list(pair) for pair in footprint.structured],
    }
    return record


def record_to_footprint(record: dict[str, Any]) -> Footprint:
    cbam = record.get("cbam")
    address = record.get("handoverAddress")
    expires = record.get("expiresAt")
    return Footprint(
        footprint_id=record["footprintId"],
        version=int(record["version"]),
        status=FootprintStatus(record["status"]),
        pcf_kg_co2e=Decimal(record["pcfKgCo2e"]),
        declared_unit=record["declaredUnit"],
        declared_quantity=Decimal(record["declaredQuantity"]),
        methods=tuple(record["methods"]),
        life_cycle_phases=tuple(record["lifeCyclePhases"]),
        period_start=parse_datetime(record["periodStart"], "periodStart"),
        period_end=parse_datetime(record["periodEnd"], "periodEnd"),
        published_at=parse_datetime(record["publishedAt"], "publishedAt"),
        expires_at=parse_datetime(expires, "expiresAt") if expires else None,
        handover_address=Address(**address) if address else None,
        cbam=CbamSplit(**{k: Decimal(v) for k, v in cbam.items()}) if cbam else None,
        quantities=tuple((n, Decimal(v)) for n, v in record["quantities"]),
        attributes=tuple((n, v) for n, v in record["attributes"]),
        structured=tuple((n, v) for n, v in record["structured"]),
    )
