"""Reading an import file (JSON document or one CSV table) into validated records, every
problem named by its place: `line 4, field cnCode: ...` (CSV) or `products[2].cnCode: ...`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from connector.products.schemas import BomLineIn, FootprintIn, ProductIn

MAX_ROWS = 100_000
_KINDS: dict[str, type[BaseModel]] = {
    "products": ProductIn,
    "bom": BomLineIn,
    "footprints": FootprintIn,
}
# A CSV table is recognised by the columns only its kind has.
_CSV_MARKERS = (("footprints", "pcfKgCo2e"), ("bom", "component"), ("products", "unit"))
_LIST_COLUMNS = frozenset({"methods", "lifeCyclePhases"})
_CBAM_COLUMNS = (
    "seeDirectTCo2ePerT", "seeIndirectTCo2ePerT", "precursorDirectTCo2ePerT",
    "precursorIndirectTCo2ePerT", "defaultValueShare",
)  # fmt: skip
_ADDRESS_COLUMNS = ("street", "houseNumber", "zipCode", "cityTown", "country")


@dataclass(frozen=True)
class Located:
    """A validated record and where it came from (`line 3` or `products[0]`)."""

    where: str
    record: Any


@dataclass(frozen=True)
class Parsed:
    products: tuple[Located, ...]
    bom: tuple[Located, ...]
    footprints: tuple[Located, ...]
    errors: tuple[str, ...]


def parse_import(content: bytes, filename: str) -> Parsed:
    """Parse and validate the whole file; errors are collected, never raised."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Parsed((), (), (), ("file: not UTF-8 text",))
    if filename.lower().endswith(".csv") or not text.lstrip().startswith("{"):
        return _parse_csv(text)
    return _parse_json(text)


def _parse_json(text: str) -> Parsed:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return Parsed((), (), (), (f"line {exc.lineno}: not valid JSON ({exc.msg})",))
    if not isinstance(document, dict):
        return Parsed((), (), (), ("file: must be a JSON object with products, bom, footprints",))
    unknown = sorted(set(document) - set(_KINDS))
    errors = [f"{key}: unknown section (allowed: products, bom, footprints)" for key in unknown]
    found: dict[str, list[Located]] = {kind: [] for kind in _KINDS}
    for kind, schema in _KINDS.items():
        rows = document.get(kind, [])
        if not isinstance(rows, list):
            errors.append(f"{kind}: must be a list")
            continue
        for index, raw in enumerate(rows):
            _validate(schema, raw, f"{kind}[{index}]", ".", found[kind], errors)
    return _result(found, errors)


def _parse_csv(text: str) -> Parsed:
    reader = csv.DictReader(io.StringIO(text))
    columns = set(reader.fieldnames or ())
    kind = next((k for k, marker in _CSV_MARKERS if marker in columns), None)
    if kind is None:
        return Parsed((), (), (), ("line 1: header names no known table (see docs/data-model.md)",))
    found: dict[str, list[Located]] = {k: [] for k in _KINDS}
    errors: list[str] = []
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS:
            errors.append(f"line {number}: more than {MAX_ROWS} rows")
            break
        if None in row:
            errors.append(f"line {number}: more cells than header columns")
            continue
        raw = _csv_record(kind, row)
        _validate(_KINDS[kind], raw, f"line {number}", ", field ", found[kind], errors)
    return _result(found, errors)


def _csv_record(kind: str, row: dict[str, str]) -> dict[str, Any]:
    raw: dict[str, Any] = {k: v.strip() for k, v in row.items() if v is not None and v.strip()}
    if kind != "footprints":
        return raw
    for column in _LIST_COLUMNS & raw.keys():
        raw[column] = [part.strip() for part in raw[column].split(";") if part.strip()]
    cbam = {c: raw.pop(c) for c in _CBAM_COLUMNS if c in raw}
    if cbam:
        raw["cbam"] = cbam
    address = {c: raw.pop(c) for c in _ADDRESS_COLUMNS if c in raw}
    if address:
        raw["handoverAddress"] = address
    if "publish" in raw:
        raw["publish"] = raw["publish"].lower() in ("true", "1", "yes")
    return raw


def _validate(
    schema: type[BaseModel],
    raw: Any,
    where: str,
    joiner: str,
    found: list[Located],
    errors: list[str],
) -> None:
    try:
        found.append(Located(where, schema.model_validate(raw)))
    except ValidationError as exc:
        errors.extend(_describe(where, joiner, exc.errors()))


def _describe(where: str, joiner: str, problems: Iterable[Any]) -> list[str]:
    lines = []
    for problem in problems:
        field = ".".join(str(part) for part in problem["loc"])
        message = str(problem["msg"]).removeprefix("Value error, ")
        lines.append(f"{where}{joiner}{field}: {message}" if field else f"{where}: {message}")
    return lines


def _result(found: dict[str, list[Located]], errors: list[str]) -> Parsed:
    return Parsed(
        tuple(found["products"]), tuple(found["bom"]), tuple(found["footprints"]), tuple(errors)
    )
