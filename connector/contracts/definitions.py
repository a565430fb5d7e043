"""Management use cases for policy definitions and contract definitions (EDC Management API v3
`/v3/policydefinitions`, `/v3/contractdefinitions`). Each owns its transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from catalog import Criterion, criterion_to_json
from connector.context import NodeContext
from connector.contracts.models import ContractDefinitionRow, PolicyDefinitionRow
from connector.outcome import Failure, Ok, conflict, not_found
from policies import Policy, to_expanded


@dataclass(frozen=True)
class ContractDefinitionInput:
    """A validated contract definition from the management API."""

    id: str
    access_policy_id: str
    contract_policy_id: str
    assets_selector: tuple[Criterion, ...] = ()
    private_properties: dict[str, Any] = field(default_factory=dict)


def _stored(policy: Policy) -> dict[str, Any]:
    node: dict[str, Any] = to_expanded(policy)[0]
    return node


async def save_policy_definition(
    context: NodeContext,
    definition_id: str,
    policy: Policy,
    private_properties: dict[str, Any],
    *,
    replace: bool,
) -> Ok[PolicyDefinitionRow] | Failure:
    """Create (409 if the id exists) or replace (404 if unknown) a policy definition."""
    async with context.database.session() as session:
        row = await session.get(PolicyDefinitionRow, definition_id)
        if row is not None and not replace:
            return conflict(f"policy definition {definition_id!r} already exists")
        if row is None and replace:
            return not_found(f"policy definition {definition_id!r} not found")
        if row is None:
            row = PolicyDefinitionRow(id=definition_id, policy={}, created_at=context.clock.now())
        row.policy = _stored(policy)
        row.private_properties = private_properties
        session.add(row)
        try:
            await session.commit()
        except IntegrityError:
            return conflict(f"policy definition {definition_id!r} already exists")
    return Ok(row)


async def find_policy_definition(
    context: NodeContext, definition_id: str
) -> Ok[PolicyDefinitionRow] | Failure:
    async with context.database.session() as session:
        row = await session.get(PolicyDefinitionRow, definition_id)
    return Ok(row) if row else not_found(f"policy definition {definition_id!r} not found")


async def delete_policy_definition(context: NodeContext, definition_id: str) -> Ok[None] | Failure:
    """Remove a policy definition; 409 while a contract definition uses it (as EDC)."""
    async with context.database.session() as session:
        row = await session.get(PolicyDefinitionRow, definition_id)
        if row is None:
            return not_found(f"policy definition {definition_id!r} not found")
        users = await session.exec(
            select(ContractDefinitionRow.id).where(
                (col(ContractDefinitionRow.access_policy_id) == definition_id)
                | (col(ContractDefinitionRow.contract_policy_id) == definition_id)
            )
        )
        in_use = list(users.all())
        if in_use:
            return conflict(
                f"policy definition {definition_id!r} is used by contract definitions {in_use}"
            )
        await session.delete(row)
        await session.commit()
    return Ok(None)


async def all_policy_definitions(context: NodeContext) -> Sequence[PolicyDefinitionRow]:
    async with context.database.session() as session:
        return list((await session.exec(select(PolicyDefinitionRow))).all())


async def save_contract_definition(
    context: NodeContext, definition: ContractDefinitionInput, *, replace: bool
) -> Ok[ContractDefinitionRow] | Failure:
    """Create (409 if the id exists) or replace (404 if unknown) a contract definition."""
    async with context.database.session() as session:
        row = await session.get(ContractDefinitionRow, definition.id)
        if row is not None and not replace:
            return conflict(f"contract definition {definition.id!r} already exists")
        if row is None and replace:
            return not_found(f"contract definition {definition.id!r} not found")
        if row is None:
            row = ContractDefinitionRow(
                id=definition.id,
                access_policy_id=definition.access_policy_id,
                contract_policy_id=definition.contract_policy_id,
                created_at=context.clock.now(),
            )
        row.access_policy_id = definition.access_policy_id
        row.contract_policy_id = definition.contract_policy_id
        row.assets_selector = [criterion_to_json(c) for c in definition.assets_selector]
        row.private_properties = definition.private_properties
        session.add(row)
        try:
            await session.commit()
        except IntegrityError:
            return conflict(f"contract definition {definition.id!r} already exists")
    return Ok(row)


async def find_contract_definition(
    context: NodeContext, definition_id: str
) -> Ok[ContractDefinitionRow] | Failure:
    async with context.database.session() as session:
        row = await session.get(ContractDefinitionRow, definition_id)
    return Ok(row) if row else not_found(f"contract definition {definition_id!r} not found")


async def delete_contract_definition(
    context: NodeContext, definition_id: str
) -> Ok[None] | Failure:
    async with context.database.session() as session:
        row = await session.get(ContractDefinitionRow, definition_id)
        if row is None:
            return not_found(f"contract definition {definition_id!r} not found")
        await session.delete(row)
        await session.commit()
    return Ok(None)


async def all_contract_definitions(context: NodeContext) -> Sequence[ContractDefinitionRow]:
    async with context.database.session() as session:
        return list((await session.exec(select(ContractDefinitionRow))).all())
