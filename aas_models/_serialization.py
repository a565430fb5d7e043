"""JSON serialisations of AAS Part 2 (IDTA-01002-3, "Serialization modifiers"): Normal (basyx's
encoder), `$metadata`, `$value` (ValueOnly), `$reference`, `$path`, `level=core`, and the
Environment used by `/serialization` and `carbonspace aas export`.

ValueOnly is written as JSON text by hand so that xs:decimal values keep their exact lexical form
as JSON numbers (a float round-trip would turn `0.1` into `0.1000000000000000055...`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from basyx.aas import model
from basyx.aas.adapter.json import AASToJsonEncoder

from aas_models._xsd import datetime_text, decimal_text

_NUMERIC = (int, float, Decimal)
_CONTAINERS = (model.SubmodelElementCollection, model.SubmodelElementList)


def to_json_dict(obj: Any) -> Any:
    """Normal serialisation of any AAS object as plain JSON data."""
    return json.loads(json.dumps(obj, cls=AASToJsonEncoder))


def to_json_text(obj: Any) -> str:
    return json.dumps(obj, cls=AASToJsonEncoder, separators=(",", ":"))


def core(data: dict[str, Any]) -> dict[str, Any]:
    """`level=core`: the element and its direct children, without grandchildren."""
    out = dict(data)
    for key in ("submodelElements", "value"):
        children = out.get(key)
        if isinstance(children, list) and children and isinstance(children[0], dict):
            out[key] = [_strip_children(child) for child in children]
    return out


def _strip_children(child: dict[str, Any]) -> dict[str, Any]:
    if child.get("modelType") in ("SubmodelElementCollection", "SubmodelElementList"):
        return {key: value for key, value in child.items() if key != "value"}
    return child


def metadata(data: dict[str, Any]) -> dict[str, Any]:
    """`$metadata`: the element without its value / children."""
    dropped = ("submodelElements", "value", "valueId", "min", "max")
    return {key: value for key, value in data.items() if key not in dropped}


def reference(element: model.Referable) -> dict[str, Any]:
    """`$reference`: the ModelReference of a submodel or element."""
    data: dict[str, Any] = to_json_dict(model.ModelReference.from_referable(element))
    return data


def paths(container: Any, prefix: str = "", deep: bool = True) -> list[str]:
    """`$path`: idShortPaths of the children of a submodel / SMC / SML, depth first."""
    found: list[str] = []
    is_submodel = isinstance(container, model.Submodel)
    children = container.submodel_element if is_submodel else container.value
    for index, child in enumerate(children):
        if isinstance(container, model.SubmodelElementList):
            path = f"{prefix}[{index}]"
        else:
            path = f"{prefix}.{child.id_short}" if prefix else str(child.id_short)
        found.append(path)
        if deep and isinstance(child, _CONTAINERS):
            found.extend(paths(child, path, deep))
    return found


def value_only_text(element: Any, deep: bool = True) -> str:
    """`$value` of a submodel or element as JSON text."""
    if isinstance(element, model.Submodel):
        return _object(element.submodel_element, deep)
    return _value(element, deep, top=True)


def _object(children: Iterable[Any], deep: bool) -> str:
    items = (f"{json.dumps(str(c.id_short))}:{_value(c, deep)}" for c in children)
    return "{" + ",".join(items) + "}"


def _value(element: Any, deep: bool, top: bool = False) -> str:
    if isinstance(element, model.SubmodelElementCollection):
        return _object(element.value, deep) if (deep or top) else "{}"
    if isinstance(element, model.SubmodelElementList):
        if not (deep or top):
            return "[]"
        return "[" + ",".join(_value(item, deep) for item in element.value) + "]"
    if isinstance(element, model.Property):
        return _scalar(element.value)
    if isinstance(element, model.File):
        return json.dumps({"contentType": element.content_type, "value": element.value})
    if isinstance(element, model.MultiLanguageProperty):
        return json.dumps([{k: v} for k, v in (element.value or {}).items()])
    if isinstance(element, model.Range):
        return "{" + f'"min":{_scalar(element.min)},"max":{_scalar(element.max)}' + "}"
    if isinstance(element, model.ReferenceElement):
        return to_json_text(element.value) if element.value is not None else "null"
    return "null"


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, _NUMERIC):
        return json.dumps(value)
    if isinstance(value, datetime):
        return json.dumps(datetime_text(value))
    return json.dumps(str(value))


@cache
def template_concept_descriptions() -> tuple[dict[str, Any], ...]:
    """The IDTA 02023-1-0-1 ConceptDescriptions (CC BY 4.0, see aas_models/data/README.md)."""
    source = resources.files("aas_models") / "data" / "idta-02023-1-0-1-concept-descriptions.json"
    data = json.loads(source.read_text(encoding="utf-8"))
    return tuple(data["conceptDescriptions"])


def environment(
    shells: Iterable[dict[str, Any]],
    submodels: Iterable[dict[str, Any]],
    include_concept_descriptions: bool = False,
) -> dict[str, Any]:
    """An AAS JSON Environment; empty arrays are left out (the schema wants minItems 1)."""
    out: dict[str, Any] = {}
    shell_list, submodel_list = list(shells), list(submodels)
    if shell_list:
        out["assetAdministrationShells"] = shell_list
    if submodel_list:
        out["submodels"] = submodel_list
    if include_concept_descriptions:
        out["conceptDescriptions"] = list(template_concept_descriptions())
    return out
