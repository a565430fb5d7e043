"""Reading counterparties' catalogs: DSP 2025-1 compact, the EDC-compacted forms, objects where
arrays are expected; defects raise naming the path."""

from __future__ import annotations

import json

import pytest

from catalog import CatalogParseError, build_catalog, catalog_to_dsp, parse_catalog
from tests.catalog.conftest import SHARED
from tests.catalog.factories import CONSUMER, PROVIDER, SERVICE, context, definition, pcf_asset


def test_spec_example_catalog_parses_when_read() -> None:
    document = json.loads((SHARED / "specs/dsp/examples/catalog/catalog.json").read_text())
    catalog = parse_catalog(document)
    assert catalog.participant_id == "urn:example:DataProviderA"
    dataset = catalog.datasets[0]
    assert dataset.id == "urn:uuid:3dd1add8-4d2d-569e-d634-8394a8836a88"
    assert dataset.distributions[0].format == "HttpData-PULL"
    assert dataset.offers[0].raw["@type"] == "Offer"


def test_own_catalog_round_trips_when_parsed() -> None:
    catalog = build_catalog(
        catalog_id="urn:c",
        participant_id=PROVIDER,
        service=SERVICE,
        assets=[pcf_asset()],
        definitions=[definition()],
        context=context(CONSUMER),
    )
    parsed = parse_catalog(catalog_to_dsp(catalog))
    assert parsed.datasets[0].id == "pcf-1"
    assert parsed.datasets[0].offers[0].id == catalog.datasets[0].offers[0].id
    assert parsed.datasets[0].properties["http://purl.org/dc/terms/type"] == {
        "@id": "https://w3id.org/catenax/taxonomy#PcfExchange"
    }
    assert parsed.services == (SERVICE,)


def test_edc_prefixed_catalog_parses_when_read() -> None:
    use = {"odrl:action": {"@id": "odrl:use"}}
    document = {
        "@context": {
            "@vocab": "https://w3id.org/edc/v0.0.1/ns/",
            "dcat": "http://www.w3.org/ns/dcat#",
            "odrl": "http://www.w3.org/ns/odrl/2/",
            "dspace": "https://w3id.org/dspace/v0.8/",
            "dct": "http://purl.org/dc/terms/",
        },
        "@id": "cat",
        "@type": "dcat:Catalog",
        "dspace:participantId": "BPNL1",
        "dcat:dataset": {
            "@id": "asset-1",
            "@type": "dcat:Dataset",
            "odrl:hasPolicy": {"@id": "offer-1", "@type": "odrl:Offer", "odrl:permission": use},
            "dcat:distribution": [
                {
                    "@type": "dcat:Distribution",
                    "dct:format": {"@id": "HttpData-PULL"},
                    "dcat:accessService": {"@id": "svc"},
                }
            ],
        },
        "dcat:service": {
            "@id": "svc",
            "@type": "dcat:DataService",
            "dcat:endpointURL": "http://peer/api/dsp",
        },
    }
    catalog = parse_catalog(document)
    assert catalog.participant_id == "BPNL1"
    assert catalog.datasets[0].offers[0].id == "offer-1"
    assert catalog.datasets[0].distributions[0].format == "HttpData-PULL"
    assert catalog.services[0].endpoint_url == "http://peer/api/dsp"


def test_catalog_without_id_is_refused_when_parsed() -> None:
    with pytest.raises(CatalogParseError) as error:
        parse_catalog({"@type": "Catalog", "dataset": []})
    assert error.value.path == "@id"


def test_offer_without_id_is_refused_naming_path_when_parsed() -> None:
    document = {"@id": "c", "dataset": [{"@id": "d", "hasPolicy": [{"permission": []}]}]}
    with pytest.raises(CatalogParseError) as error:
        parse_catalog(document)
    assert error.value.path == "dataset[0].hasPolicy[0].@id"
