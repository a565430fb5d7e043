"""Submodel and submodel-element answers of the AAS API Part 2 (GetSubmodelById*,
GetAllSubmodelElements*, GetSubmodelElementByPath*) with their serialisation modifiers."""

from __future__ import annotations

import json
from typing import Any

from basyx.aas import model
from starlette.responses import Response

from aas_models import _serialization as ser
from aas_models._api_params import (
    MODIFIERS,
    AasError,
    Query,
    check_id_short_path,
    check_modifier,
    page,
)
from aas_models._repository import StoredIdentifiable

_CONTAINERS = (model.SubmodelElementCollection, model.SubmodelElementList)


def _json(data: Any) -> Response:
    return Response(json.dumps(data, separators=(",", ":")), media_type="application/json")


def _text(text: str) -> Response:
    return Response(text, media_type="application/json")


def submodel_response(stored: StoredIdentifiable, modifier: str | None, query: Query) -> Response:
    """GetSubmodelById with no modifier (cached bytes when deep) or one of the four modifiers."""
    if modifier is None:
        if query.deep:
            return Response(stored.json_bytes, media_type="application/json")
        return _json(ser.core(stored.data))
    if modifier == "$metadata":
        return _json(ser.metadata(stored.data))
    if modifier == "$reference":
        return _json({"type": "ModelReference", "keys": [{"type": "Submodel", "value": stored.id}]})
    if modifier == "$path":
        return _json(ser.paths(stored.submodel(), deep=query.deep))
    return _text(ser.value_only_text(stored.submodel(), query.deep))


def element_response(stored: StoredIdentifiable, tail: list[str], query: Query) -> Response:
    """`/submodel-elements[/{idShortPath}][/$modifier | /attachment]`."""
    submodel = stored.submodel()
    if not tail or (len(tail) == 1 and tail[0] in MODIFIERS):
        modifier = tail[0] if tail else None
        check_modifier(modifier, query)
        return _all_elements(submodel, modifier, query)
    if len(tail) > 2:
        raise AasError(404, f"no such resource: {'/'.join(tail)}")
    element = _find(submodel, check_id_short_path(tail[0]))
    suffix = tail[1] if len(tail) == 2 else None
    if suffix == "attachment":
        if not isinstance(element, model.File | model.Blob):
            raise AasError(405, f"{tail[0]} is not a File or Blob; it has no attachment")
        raise AasError(404, f"{tail[0]} has no attachment stored")
    if suffix is not None and suffix not in MODIFIERS:
        raise AasError(404, f"no such resource: {suffix}")
    check_modifier(suffix, query)
    return _element(element, suffix, query)


def _find(submodel: model.Submodel, path: str) -> Any:
    try:
        return submodel.get_referable(path)
    except KeyError:
        raise AasError(404, f"idShortPath {path!r} not found in submodel {submodel.id}") from None
    except (ValueError, TypeError, IndexError):
        raise AasError(400, f"idShortPath {path!r} does not address an element") from None


def _element(element: Any, modifier: str | None, query: Query) -> Response:
    is_container = isinstance(element, _CONTAINERS)
    if modifier is None:
        data = ser.to_json_dict(element)
        return _json(data if query.deep or not is_container else ser.core(data))
    if modifier == "$metadata":
        return _json(ser.metadata(ser.to_json_dict(element)))
    if modifier == "$reference":
        return _json(ser.reference(element))
    if modifier == "$path":
        if not is_container:
            raise AasError(400, "$path is only defined for collections and lists")
        prefix = element.get_id_short_path()
        return _json([prefix, *ser.paths(element, prefix, query.deep)])
    if isinstance(element, model.Property | model.Range | model.MultiLanguageProperty) or (
        is_container
    ):
        return _text(ser.value_only_text(element, query.deep))
    if isinstance(element, model.File | model.ReferenceElement):
        return _text(ser.value_only_text(element, query.deep))
    raise AasError(400, f"$value is not defined for {type(element).__name__}")


def _all_elements(submodel: model.Submodel, modifier: str | None, query: Query) -> Response:
    if modifier == "$path":
        all_paths = list(enumerate(ser.paths(submodel, deep=query.deep)))
        chunk_paths, meta = page(all_paths, query, lambda item: f"{item[0]:09d}")
        return _json({"paging_metadata": meta, "result": [path for _, path in chunk_paths]})
    indexed = list(enumerate(submodel.submodel_element))
    chunk, meta = page(indexed, query, lambda item: f"{item[0]:09d}")
    items = [element for _, element in chunk]
    if modifier == "$value":
        texts = [
            "{" + json.dumps(str(e.id_short)) + ":" + ser.value_only_text(e, query.deep) + "}"
            for e in items
        ]
        body = '{"paging_metadata":' + json.dumps(meta) + ',"result":[' + ",".join(texts) + "]}"
        return _text(body)
    result: list[Any]
    if modifier == "$reference":
        result = [ser.reference(e) for e in items]
    elif modifier == "$metadata":
        result = [ser.metadata(ser.to_json_dict(e)) for e in items]
    else:
        data = [ser.to_json_dict(e) for e in items]
        result = data if query.deep else [ser.core(d) for d in data]
    return _json({"paging_metadata": meta, "result": result})
