"""Small constructors for basyx elements with ExternalReference/GlobalReference semanticIds."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from basyx.aas import model

from aas_models._xsd import decimal_text, utc_datetime


def ref(value: str) -> model.ExternalReference:
    """ExternalReference with one GlobalReference key (how the template writes semanticIds)."""
    return model.ExternalReference((model.Key(model.KeyTypes.GLOBAL_REFERENCE, value),))


def prop(id_short: str | None, value_type: Any, value: Any, semantic_id: str) -> model.Property:
    return model.Property(id_short, value_type, value, semantic_id=ref(semantic_id))


def decimal_prop(id_short: str, value: Decimal, semantic_id: str) -> model.Property:
    """xs:decimal Property whose value is normalised to a lexical decimal (no exponent)."""
    return prop(id_short, model.datatypes.Decimal, Decimal(decimal_text(value)), semantic_id)


def string_prop(id_short: str | None, value: str, semantic_id: str) -> model.Property:
    return prop(id_short, model.datatypes.String, value, semantic_id)


def datetime_prop(id_short: str, value: datetime, semantic_id: str) -> model.Property:
    return prop(id_short, model.datatypes.DateTime, utc_datetime(value), semantic_id)


def string_list(
    id_short: str, values: tuple[str, ...], semantic_id: str, item_semantic_id: str
) -> model.SubmodelElementList[model.Property]:
    """A SubmodelElementList of xs:string Properties without idShorts (AASd-107/108/109/120)."""
    return model.SubmodelElementList(
        id_short,
        model.Property,
        [string_prop(None, value, item_semantic_id) for value in values],
        semantic_id_list_element=ref(item_semantic_id),
        value_type_list_element=model.datatypes.String,
        semantic_id=ref(semantic_id),
    )


def collection(
    id_short: str | None, elements: list[model.SubmodelElement], semantic_id: str
) -> model.SubmodelElementCollection:
    return model.SubmodelElementCollection(id_short, elements, semantic_id=ref(semantic_id))


def collection_list(
    id_short: str, items: list[model.SubmodelElementCollection], semantic_id: str, item_id: str
) -> model.SubmodelElementList[model.SubmodelElementCollection]:
    return model.SubmodelElementList(
        id_short,
        model.SubmodelElementCollection,
        items,
        semantic_id_list_element=ref(item_id),
        semantic_id=ref(semantic_id),
    )


def semantic_value(element: model.HasSemantics) -> str | None:
    """The first key value of an element's semanticId."""
    if element.semantic_id is None or not element.semantic_id.key:
        return None
    return str(element.semantic_id.key[0].value)
