"""Seed a provider node (before it starts) with one published CarbonFootprint submodel."""

from __future__ import annotations

import asyncio

from connector.app import create_node_apps
from connector.db import upgrade_to_head
from connector.settings import Settings


def publish_sample_footprint(settings: Settings) -> str:
    """Publish one CarbonFootprint submodel in the (stopped) provider node; its asset id."""
    from tests.aas_models.factories import footprint, product

    async def run() -> str:
        apps = create_node_apps(settings)
        context = apps.context
        await upgrade_to_head(context.database)
        from connector.products.service import publish_footprint

        outcome = await publish_footprint(context, "HRC-2mm", footprint(), product=product())
        await context.http.aclose()
        await context.database.dispose()
        return str(outcome.value.asset_id)

    return asyncio.run(run())
