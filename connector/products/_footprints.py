"""An imported footprint record -> `aas_models.Footprint` (checked by building its submodel)."""

from __future__ import annotations

from datetime import datetime

from aas_models import (
    Address,
    CbamSplit,
    Footprint,
    FootprintStatus,
    MappingError,
    build_submodel,
    sorted_extras,
)
from connector.products.schemas import FootprintIn


def footprint_from_input(
    record: FootprintIn, unit: str, did: str, now: datetime
) -> Footprint | str:
    """The footprint (version 0, placeholder id) or a message naming the field."""
    if record.period_start >= record.period_end:
        return "periodEnd: must be after periodStart"
    if record.expires_at is not None and record.expires_at <= now:
        return "expiresAt: must be in the future"
    cbam = None
    if record.cbam is not None:
        cbam = CbamSplit(
            see_direct_t_co2e_per_t=record.cbam.see_direct,
            see_indirect_t_co2e_per_t=record.cbam.see_indirect,
            precursor_direct_t_co2e_per_t=record.cbam.precursor_direct,
            precursor_indirect_t_co2e_per_t=record.cbam.precursor_indirect,
            default_value_share=record.cbam.default_value_share,
        )
    address = None
    if record.handover_address is not None:
        address = Address(**record.handover_address.model_dump())
    footprint = sorted_extras(
        Footprint(
            footprint_id=did,
            version=1,
            status=FootprintStatus(record.status),
            pcf_kg_co2e=record.pcf_kg_co2e,
            declared_unit=unit,
            declared_quantity=record.declared_quantity,
            methods=record.methods,
            life_cycle_phases=record.life_cycle_phases,
            period_start=record.period_start,
            period_end=record.period_end,
            published_at=now,
            expires_at=record.expires_at,
            handover_address=address,
            cbam=cbam,
            quantities=tuple(record.quantities.items()),
            attributes=tuple(record.attributes.items()),
        )
    )
    try:
        build_submodel("urn:carbonspace:check", footprint)
    except (MappingError, TypeError, ValueError) as exc:
        return str(exc)
    return footprint
