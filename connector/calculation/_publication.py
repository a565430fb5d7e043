"""Publishing a recomputed product (issue 7, item 3): the figures become an `aas_models.
Footprint`, the AAS stream builds and stores the CarbonFootprint submodel version and registers
the asset, the submodel is signed by the node (provenance inside) in the same transaction, so no
reader ever sees an unsigned current version, and the consumers holding an agreement for the
asset are told."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from aas_models import CbamSplit, Footprint, FootprintStatus, ProductIdentity
from calc import CalcInput
from connector.calculation._breakdown import ProductFigures
from connector.context import NodeContext
from connector.outcome import Failure, Ok, bad_request
from connector.products import publish_footprint
from connector.upstream import Provenance, lineage_hash, sign_submodel
from connector.upstream.propagation import notify_consumers

Submodel = dict[str, Any]
PCF_METHOD = "ISO 14067"
LIFE_CYCLE = "A1-A3"


def build_footprint(
    model: CalcInput, product_id: str, version: int, figures: ProductFigures, now: datetime
) -> Footprint | Failure:
    """The footprint record of one product version (PCF per declared unit, CBAM split)."""
    cbam = None
    if figures.good is not None:
        g = figures.good
        indirect = g.see_indirect_reported if g.indirect_counted else Decimal(0)
        cbam = CbamSplit(
            see_direct_t_co2e_per_t=g.see_direct_reported,
            see_indirect_t_co2e_per_t=indirect,
            precursor_direct_t_co2e_per_t=g.precursors_direct_t_co2e_per_t,
            precursor_indirect_t_co2e_per_t=g.precursors_indirect_t_co2e_per_t,
            default_value_share=g.default_share_of_total,
        )
    if figures.pcf is None:
        return bad_request(
            f"product {product_id}: no BOM product with a PCF is linked to it "
            "(a CBAM SEE alone is not a PCF, CALC.md section 14)"
        )
    return Footprint(
        footprint_id=f"urn:carbonspace:footprint:{product_id}:{version}",
        version=version,
        status=FootprintStatus.ACTIVE,
        pcf_kg_co2e=figures.pcf.pcf_kg_co2e,
        declared_unit=figures.pcf.declared_unit,
        declared_quantity=Decimal(1),
        methods=(PCF_METHOD,),
        life_cycle_phases=(LIFE_CYCLE,),
        period_start=_day(model.period_start),
        period_end=_day(model.period_end),
        published_at=now,
        cbam=cbam,
        quantities=(("primaryDataShare", figures.pcf.primary_data_share * 100),),
    )


def _day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def publish_product(
    context: NodeContext,
    model: CalcInput,
    product_id: str,
    figures: ProductFigures,
    provenance: Provenance,
) -> Ok[tuple[str, int]] | Failure:
    """Publish the product's next footprint version, signed; (submodel id, version)."""
    footprint = build_footprint(model, product_id, 0, figures, context.clock.now())
    if isinstance(footprint, Failure):
        return footprint
    identity = context.service("identity")
    published = await publish_footprint(
        context,
        product_id,
        footprint,
        provenance=json.loads(provenance.to_json()),
        product=_identity(context.settings.node.did, product_id, figures),
        finish=lambda submodel: sign_submodel(identity, submodel, provenance),
    )
    if isinstance(published, Failure):
        return published
    publication = published.value
    await notify_consumers(context, publication.asset_id, product_id, str(publication.version))
    return Ok((publication.submodel_id, publication.version))


def import_signer(context: NodeContext) -> Callable[[str], Callable[[Submodel], Submodel]]:
    """For a footprint imported into the product store: sign its submodel as published
    (provenance: the node, the product, no precursors, lineage itself, no tier profile), in
    the import's transaction."""
    identity = context.service("identity")
    did = context.settings.node.did

    def for_product(product_id: str) -> Callable[[Submodel], Submodel]:
        provenance = Provenance(did, product_id, (), frozenset({lineage_hash(did, product_id)}))
        return lambda submodel: sign_submodel(identity, submodel, provenance)

    return for_product


def _identity(did: str, product_id: str, figures: ProductFigures) -> ProductIdentity:
    name = figures.pcf.name if figures.pcf is not None else product_id
    node = did.removeprefix("did:web:")
    return ProductIdentity(
        product_id=product_id,
        name=name,
        global_asset_id=f"urn:carbonspace:{node}:product:{quote(product_id, safe='')}",
        cn_code=figures.good.cn_code if figures.good is not None else None,
    )
