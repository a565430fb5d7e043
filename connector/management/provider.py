"""Provider-side management use cases: assets, policy definitions, contract definitions (EDC
Management API v3), answering in EDC JSON."""

from __future__ import annotations

from typing import Any

from connector.assets import (
    AssetInput,
    all_assets,
    asset_record,
    create_asset,
    delete_asset,
    find_asset,
    update_asset,
)
from connector.context import NodeContext
from connector.contracts import (
    ContractDefinitionInput,
    all_contract_definitions,
    all_policy_definitions,
    delete_contract_definition,
    delete_policy_definition,
    find_contract_definition,
    find_policy_definition,
    save_contract_definition,
    save_policy_definition,
)
from connector.management._query import QuerySpec, apply_query
from connector.management.views import (
    asset_json,
    contract_definition_json,
    contract_definition_record,
    id_response,
    policy_definition_json,
    policy_definition_record,
)
from connector.negotiation import query_agreements
from connector.outcome import Failure, Ok, conflict
from policies import Policy

Json = dict[str, Any]


async def add_asset(context: NodeContext, asset: AssetInput) -> Ok[Json] | Failure:
    outcome = await create_asset(context, asset)
    return (
        outcome
        if isinstance(outcome, Failure)
        else Ok(id_response(outcome.value.id, outcome.value.created_at))
    )


async def replace_asset(context: NodeContext, asset: AssetInput) -> Ok[None] | Failure:
    outcome = await update_asset(context, asset)
    return outcome if isinstance(outcome, Failure) else Ok(None)


async def show_asset(context: NodeContext, asset_id: str) -> Ok[Json] | Failure:
    outcome = await find_asset(context, asset_id)
    return outcome if isinstance(outcome, Failure) else Ok(asset_json(outcome.value))


async def remove_asset(context: NodeContext, asset_id: str) -> Ok[None] | Failure:
    """Delete an asset; 409 while a contract agreement refers to it (as EDC)."""
    agreements = await query_agreements(context, {"asset_id": asset_id}, 0, 1)
    if isinstance(agreements, Ok) and agreements.value:
        return conflict(
            f"asset {asset_id!r} is referenced by contract agreement {agreements.value[0].id!r}"
        )
    return await delete_asset(context, asset_id)


async def query_assets(context: NodeContext, spec: QuerySpec) -> Ok[list[Json]]:
    rows = await all_assets(context)
    return Ok([asset_json(r) for r in apply_query(spec, [(asset_record(r), r) for r in rows])])


async def add_policy_definition(
    context: NodeContext, definition: tuple[str, Policy, dict[str, Any]], *, replace: bool = False
) -> Ok[Json | None] | Failure:
    definition_id, policy, private = definition
    outcome = await save_policy_definition(context, definition_id, policy, private, replace=replace)
    if isinstance(outcome, Failure):
        return outcome
    return Ok(None) if replace else Ok(id_response(definition_id, outcome.value.created_at))


async def show_policy_definition(context: NodeContext, definition_id: str) -> Ok[Json] | Failure:
    outcome = await find_policy_definition(context, definition_id)
    return outcome if isinstance(outcome, Failure) else Ok(policy_definition_json(outcome.value))


async def remove_policy_definition(context: NodeContext, definition_id: str) -> Ok[None] | Failure:
    return await delete_policy_definition(context, definition_id)


async def query_policy_definitions(context: NodeContext, spec: QuerySpec) -> Ok[list[Json]]:
    rows = await all_policy_definitions(context)
    pairs = [(policy_definition_record(r), r) for r in rows]
    return Ok([policy_definition_json(r) for r in apply_query(spec, pairs)])


async def add_contract_definition(
    context: NodeContext, definition: ContractDefinitionInput, *, replace: bool = False
) -> Ok[Json | None] | Failure:
    outcome = await save_contract_definition(context, definition, replace=replace)
    if isinstance(outcome, Failure):
        return outcome
    return Ok(None) if replace else Ok(id_response(definition.id, outcome.value.created_at))


async def show_contract_definition(context: NodeContext, definition_id: str) -> Ok[Json] | Failure:
    outcome = await find_contract_definition(context, definition_id)
    return outcome if isinstance(outcome, Failure) else Ok(contract_definition_json(outcome.value))


async def remove_contract_definition(
    context: NodeContext, definition_id: str
) -> Ok[None] | Failure:
    return await delete_contract_definition(context, definition_id)


async def query_contract_definitions(context: NodeContext, spec: QuerySpec) -> Ok[list[Json]]:
    rows = await all_contract_definitions(context)
    pairs = [(contract_definition_record(r), r) for r in rows]
    return Ok([contract_definition_json(r) for r in apply_query(spec, pairs)])
