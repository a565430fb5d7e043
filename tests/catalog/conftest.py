"""The DSP 2025-1 JSON schemas of shared/specs/dsp (read only), as a validator for tests."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft201909Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT201909

from tests.support.paths import SHARED as SHARED_DIR

SHARED = SHARED_DIR
DSP_SCHEMAS = SHARED / "specs" / "dsp" / "schemas"
BASE = "https://w3id.org/dspace/2025/1/"


@cache
def _registry() -> Registry:
    resources = []
    for path in DSP_SCHEMAS.rglob("*.json"):
        text = path.read_text(encoding="utf-8").replace("#definitions/", "#/definitions/")
        document = json.loads(text)
        resources.append((document["$id"], Resource.from_contents(document, DRAFT201909)))
    return Registry().with_resources(resources)


def dsp_problems(document: Any, schema: str) -> list[str]:
    """Schema violations of `document` against e.g. `catalog/catalog-schema.json`."""
    registry = _registry()
    root = registry.contents(BASE + schema)
    validator = Draft201909Validator(root, registry=registry)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]
