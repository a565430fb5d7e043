"""Our own IDTA 02023 conformance check: an instance submodel against the published template
(idShorts, semanticIds, model types, value types, list typing, required elements). The official
aas-test-engines checks the metamodel only, not templates (aas.md 5)."""

from __future__ import annotations

from typing import Any

from basyx.aas import model

from aas_models._elements import semantic_value

# Template elements whose content is open (drop-in / arbitrary content).
_OPEN = frozenset({"GoodsHandoverAddress", "PcfInformation"})
_REQUIRED = frozenset({"One", "OneToMany"})
# basyx gives list items a placeholder idShort that its serialisers never write.
_GENERATED = "generated_submodel_list_hack_"


def template_conformance(instance: model.Submodel, template: model.Submodel) -> list[str]:
    """Every deviation of `instance` from `template`, one line per path; empty = conformant."""
    problems: list[str] = []
    if semantic_value(instance) != semantic_value(template):
        problems.append(f"submodel semanticId {semantic_value(instance)!r}")
    if instance.kind is not model.ModellingKind.INSTANCE:
        problems.append("submodel kind must be Instance")
    _compare_children(instance.submodel_element, template.submodel_element, "", problems)
    return problems


def _cardinality(element: model.SubmodelElement) -> str | None:
    for qualifier in element.qualifier:
        if qualifier.type == "SMT/Cardinality":
            return str(qualifier.value)
    return None


def _compare_children(actual: Any, expected: Any, path: str, problems: list[str]) -> None:
    by_id = {str(e.id_short): e for e in actual}
    for template_element in expected:
        name = str(template_element.id_short)
        where = f"{path}.{name}" if path else name
        element = by_id.pop(name, None)
        if element is None:
            if _cardinality(template_element) in _REQUIRED:
                problems.append(f"{where}: required element missing")
            continue
        _compare(element, template_element, where, problems)
    if by_id and path.rsplit(".", 1)[-1] not in _OPEN:
        problems.extend(f"{path}.{name}: not in the template" for name in sorted(by_id))


def _compare(element: Any, template: Any, where: str, problems: list[str]) -> None:
    if type(element) is not type(template):
        problems.append(f"{where}: {type(element).__name__} instead of {type(template).__name__}")
        return
    if semantic_value(element) != semantic_value(template):
        problems.append(f"{where}: semanticId {semantic_value(element)!r}")
    if isinstance(element, model.Property) and element.value_type is not template.value_type:
        problems.append(f"{where}: valueType {element.value_type.__name__}")
    if isinstance(element, model.File) and element.content_type != template.content_type:
        problems.append(f"{where}: contentType {element.content_type}")
    if isinstance(element, model.SubmodelElementList):
        _compare_list(element, template, where, problems)
    elif isinstance(element, model.SubmodelElementCollection):
        _compare_children(element.value, template.value, where, problems)


def _compare_list(element: Any, template: Any, where: str, problems: list[str]) -> None:
    if element.type_value_list_element is not template.type_value_list_element:
        problems.append(f"{where}: typeValueListElement")
    if element.semantic_id_list_element != template.semantic_id_list_element:
        problems.append(f"{where}: semanticIdListElement")
    if element.value_type_list_element is not template.value_type_list_element:
        problems.append(f"{where}: valueTypeListElement")
    if len(element.value) == 0 and _cardinality(template) in _REQUIRED:
        problems.append(f"{where}: needs at least one item")
    item_template = next(iter(template.value), None)
    for index, item in enumerate(element.value):
        if item.id_short is not None and not item.id_short.startswith(_GENERATED):
            problems.append(f"{where}[{index}]: list items have no idShort (AASd-120)")
        if item_template is not None:
            _compare(item, item_template, f"{where}[{index}]", problems)
