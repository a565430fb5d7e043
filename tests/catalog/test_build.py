"""Building the provider's catalog: offers per contract definition, access policy at catalog
time (fail-closed), query criteria, paging; DSP 2025-1 output valid against the spec schemas."""

from __future__ import annotations

from catalog import (
    CatalogQuery,
    Criterion,
    build_catalog,
    catalog_to_dsp,
    dataset_to_dsp,
    make_dataset,
    parse_offer_id,
    policy_digest,
)
from tests.catalog.conftest import dsp_problems
from tests.catalog.factories import (
    CONSUMER,
    EDC,
    PROVIDER,
    SERVICE,
    context,
    customer_policy,
    definition,
    pcf_asset,
    usage_policy,
)


def build(assets, definitions, participant=CONSUMER, query=CatalogQuery()):
    return build_catalog(
        catalog_id="urn:catalog:1",
        participant_id=PROVIDER,
        service=SERVICE,
        assets=assets,
        definitions=definitions,
        context=context(participant),
        query=query,
    )


def test_catalog_lists_dataset_with_offer_when_definition_selects_asset() -> None:
    catalog = build([pcf_asset()], [definition(contract=usage_policy())])
    body = catalog_to_dsp(catalog)
    assert dsp_problems(body, "catalog/catalog-schema.json") == []
    dataset = body["dataset"][0]
    assert dataset["@id"] == "pcf-1"
    assert dataset["dct:type"] == {"@id": "https://w3id.org/catenax/taxonomy#PcfExchange"}
    assert dataset["distribution"] == [
        {"@type": "Distribution", "format": "HttpData-PULL", "accessService": SERVICE.id}
    ]
    offer = dataset["hasPolicy"][0]
    assert offer["@type"] == "Offer"
    assert "target" not in offer
    assert "prohibition" not in offer
    assert offer["permission"][0]["action"] == "use"
    assert body["service"] == [
        {"@id": SERVICE.id, "@type": "DataService", "endpointURL": "https://mill.example/api/dsp"}
    ]
    assert body["@context"] == [
        "https://w3id.org/catenax/2025/9/policy/context.jsonld",
        "https://w3id.org/dspace/2025/1/context.jsonld",
    ]


def test_catalog_with_catenax_terms_expands_when_read_by_jsonld_processor() -> None:
    from pyld import jsonld

    from connector.dsp import local_loader

    body = catalog_to_dsp(build([pcf_asset()], [definition(contract=usage_policy())]))
    assert "https://w3id.org/catenax/2025/9/policy/context.jsonld" in body["@context"]
    expanded = jsonld.expand(body, {"documentLoader": local_loader, "base": None})
    assert expanded[0]["@type"] == ["http://www.w3.org/ns/dcat#Catalog"]


def test_catalog_omits_dataset_when_access_policy_denies_participant() -> None:
    definitions = [definition(access=customer_policy("did:web:someone-else"))]
    body = catalog_to_dsp(build([pcf_asset()], definitions))
    assert "dataset" not in body
    assert dsp_problems(body, "catalog/catalog-schema.json") == []


def test_catalog_lists_dataset_when_access_policy_names_participant() -> None:
    definitions = [definition(access=customer_policy(CONSUMER))]
    assert [d.id for d in build([pcf_asset()], definitions).datasets] == ["pcf-1"]


def test_offer_id_names_definition_asset_and_policy_when_minted() -> None:
    catalog = build([pcf_asset()], [definition("cd:with:colons", contract=usage_policy())])
    offer = catalog.datasets[0].offers[0]
    parts = parse_offer_id(offer.id)
    assert parts is not None
    assert (parts.definition_id, parts.asset_id) == ("cd:with:colons", "pcf-1")
    assert parts.digest == policy_digest(usage_policy())


def test_offer_ids_are_stable_when_catalog_requested_twice() -> None:
    first = catalog_to_dsp(build([pcf_asset()], [definition()]))
    second = catalog_to_dsp(build([pcf_asset()], [definition()]))
    assert first == second


def test_selector_and_query_filter_assets_when_given() -> None:
    assets = [pcf_asset("pcf-1", "3.0"), pcf_asset("pcf-2", "1.2.0"), pcf_asset("other")]
    selector = (Criterion(EDC + "id", "like", "pcf-%"),)
    catalog = build(assets, [definition(selector=selector)])
    assert [d.id for d in catalog.datasets] == ["pcf-1", "pcf-2"]
    query = CatalogQuery(
        (Criterion("'https://w3id.org/catenax/ontology/common#version'", "=", "1.2.0"),)
    )
    assert [d.id for d in build(assets, [definition()], query=query).datasets] == ["pcf-2"]


def test_catalog_pages_datasets_when_offset_and_limit_given() -> None:
    assets = [pcf_asset(f"pcf-{i}") for i in range(5)]
    catalog = build(assets, [definition()], query=CatalogQuery(offset=1, limit=2))
    assert [d.id for d in catalog.datasets] == ["pcf-1", "pcf-2"]


def test_dataset_response_validates_when_written_as_root() -> None:
    dataset = make_dataset(pcf_asset(), [definition(contract=usage_policy())], SERVICE)
    assert dataset is not None
    body = dataset_to_dsp(dataset, root=True)
    assert dsp_problems(body, "catalog/dataset-schema.json") == []
    assert body["https://w3id.org/edc/v0.0.1/ns/name"] == "footprint pcf-1"


def test_dataset_has_one_offer_per_definition_when_two_select_it() -> None:
    dataset = make_dataset(pcf_asset(), [definition("a"), definition("b")], SERVICE)
    assert dataset is not None
    assert [parse_offer_id(o.id).definition_id for o in dataset.offers] == ["a", "b"]
