"""The node's own installation data (issue 7, item 2): installation files in the calc input
format (`carbonspace-calc/1`, docs/calc.md), each good / BOM product linked to a product of the
node. A bad file is refused whole, one problem per line with its path; nothing is stored then.
Importing a file recomputes the products it feeds (`recompute.recompute_installation`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import select

from calc import CalcError, CalcInput, parse_input
from connector.calculation.files import InputFileError, load_input_file
from connector.calculation.models import InstallationFileRow
from connector.context import NodeContext
from connector.outcome import Failure, Ok, bad_request


@dataclass(frozen=True)
class ImportedInstallation:
    installation_id: str
    links: dict[str, str]
    replaced: bool
    sha256: str


def read_document(path: Path) -> Ok[dict[str, Any]] | Failure:
    """Read a JSON or YAML installation file (CALC's loader); numbers become decimal strings,
    which the calc engine reads exactly and a JSON column stores without loss."""
    try:
        data = load_input_file(path)
    except InputFileError as exc:
        return bad_request(str(exc))
    if not isinstance(data, dict):
        return bad_request(f"{path}: must hold one object (the installation file)")
    return Ok(jsonable(data))


def jsonable(value: Any) -> Any:
    """Decimals and floats as exact decimal strings, recursively."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def parse_document(document: Mapping[str, Any]) -> Ok[CalcInput] | Failure:
    """Validate with the calc engine; one detail line per problem, each naming its path."""
    parsed = parse_input(document)
    if isinstance(parsed, list):
        return _refused(parsed)
    return Ok(parsed)


def _refused(errors: list[CalcError]) -> Failure:
    return bad_request(
        f"installation file refused: {len(errors)} problem(s)", *(str(error) for error in errors)
    )


def default_links(model: CalcInput) -> dict[str, str]:
    """Every good and every BOM product is linked to the product of the same id."""
    links = {good.id: good.id for process in model.processes for good in process.goods}
    links.update({product.id: product.id for product in model.products})
    return links


def check_links(model: CalcInput, links: Mapping[str, str]) -> Failure | None:
    """Links may only name goods / BOM products of the file, and link each to one product."""
    known = set(default_links(model))
    problems = [
        f"links.{item}: no good or BOM product with this id in the file"
        for item in sorted(links)
        if item not in known
    ]
    problems += [
        f"links.{item}: product id must be a non-empty string"
        for item, product in sorted(links.items())
        if not isinstance(product, str) or not product.strip()
    ]
    if problems:
        return bad_request(f"installation file refused: {len(problems)} problem(s)", *problems)
    return None


async def import_installation(
    context: NodeContext, document: dict[str, Any], links: Mapping[str, str] | None = None
) -> Ok[ImportedInstallation] | Failure:
    """Validate and store (replace) one installation file; does not recompute."""
    document = jsonable(document)
    parsed = parse_document(document)
    if isinstance(parsed, Failure):
        return parsed
    model = parsed.value
    merged = {**default_links(model), **(links or {})}
    problem = check_links(model, links or {})
    if problem is not None:
        return problem
    digest = hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
    installation_id = model.installation.id
    async with context.database.session() as session:
        row = await session.get(InstallationFileRow, installation_id)
        replaced = row is not None
        if row is None:
            row = InstallationFileRow(
                installation_id=installation_id,
                document=document,
                links=merged,
                sha256=digest,
                imported_at=context.clock.now(),
            )
        row.document, row.links, row.sha256 = document, merged, digest
        row.imported_at = context.clock.now()
        session.add(row)
        await session.commit()
    return Ok(ImportedInstallation(installation_id, merged, replaced, digest))


async def list_installations(context: NodeContext) -> list[InstallationFileRow]:
    async with context.database.session() as session:
        rows = await session.exec(select(InstallationFileRow))
        return sorted(rows.all(), key=lambda row: row.installation_id)


async def installation_of_product(
    context: NodeContext, product_id: str
) -> InstallationFileRow | None:
    """The installation file one of whose goods / BOM products is linked to `product_id`."""
    for row in await list_installations(context):
        if product_id in row.links.values():
            return row
    return None
