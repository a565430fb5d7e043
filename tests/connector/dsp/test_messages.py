"""JSON-LD reading and schema validation of DSP 2025-1 messages (shared/reference/dsp.md §10,
§11), on the spec's own examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyld import jsonld

from connector.dsp import DSP_CONTEXT, SCHEMA_BY_TYPE, local_loader, normalise, validate_message
from connector.outcome import Failure, Ok
from tests.support.paths import SPECS as SPECS_DIR

EXAMPLES = SPECS_DIR / "dsp" / "examples"
MESSAGE_EXAMPLES = sorted(
    path
    for path in EXAMPLES.glob("*/*.json")
    if json.loads(path.read_text()).get("@type") in SCHEMA_BY_TYPE
)


@pytest.mark.parametrize("path", MESSAGE_EXAMPLES, ids=lambda p: p.name)
def test_spec_example_is_valid_when_validated(path: Path) -> None:
    message = json.loads(path.read_text())
    assert validate_message(message, (message["@type"],)) is None


@pytest.mark.parametrize("path", MESSAGE_EXAMPLES, ids=lambda p: p.name)
def test_expanded_form_normalises_to_compact_when_read(path: Path) -> None:
    message = json.loads(path.read_text())
    expanded = jsonld.expand(message, {"documentLoader": local_loader, "base": None})
    normalised = normalise(expanded)
    assert isinstance(normalised, Ok)
    assert normalised.value == message


def test_compact_message_is_taken_as_is_when_context_is_dsp() -> None:
    message = json.loads((EXAMPLES / "negotiation/contract-negotiation.json").read_text())
    assert normalise(message).value is message


def test_unknown_context_is_refused_when_not_held_locally() -> None:
    message = {"@context": ["https://example.org/ctx.jsonld"], "@type": "ContractNegotiation"}
    outcome = normalise(message)
    assert isinstance(outcome, Failure)
    assert outcome.detail == "the message is not JSON-LD this node can read"


def test_wrong_type_is_named_when_validated() -> None:
    message = json.loads((EXAMPLES / "negotiation/contract-negotiation.json").read_text())
    message["state"] = "WAITING"
    failure = validate_message(message, ("ContractNegotiation",))
    assert failure is not None
    assert failure.detail == "ContractNegotiation does not match the DSP 2025-1 schema"
    assert failure.details[0].startswith('state: "WAITING" is not one of')


def test_message_of_other_type_is_refused_when_validated() -> None:
    failure = validate_message({"@type": "Catalog"}, ("ContractRequestMessage",))
    assert failure is not None
    assert failure.detail == "@type: expected ContractRequestMessage, got 'Catalog'"


def test_agreement_keeps_its_terms_when_expanded_after_a_dataset() -> None:
    """Regression: pyld reused the ODRL-profile import processed for a Dataset when expanding
    a ContractAgreementMessage, which lost `agreement` (the local contexts inline `@import`)."""
    contexts = ["https://w3id.org/catenax/2025/9/policy/context.jsonld", DSP_CONTEXT]
    dataset = {
        "@context": contexts,
        "@id": "urn:dataset:1",
        "@type": "Dataset",
        "hasPolicy": [{"@id": "urn:offer:1", "@type": "Offer", "permission": [{"action": "use"}]}],
        "distribution": [{"@type": "Distribution", "format": "HttpData-PULL"}],
    }
    jsonld.expand(dataset, {"documentLoader": local_loader, "base": None})
    message = {
        "@context": contexts,
        "@type": "ContractAgreementMessage",
        "providerPid": "urn:uuid:p",
        "consumerPid": "urn:uuid:c",
        "agreement": {
            "@id": "urn:agreement:1",
            "@type": "Agreement",
            "target": "urn:asset:1",
            "assigner": "did:web:p",
            "assignee": "did:web:c",
            "permission": [{"action": "use"}],
        },
    }
    expanded = jsonld.expand(message, {"documentLoader": local_loader, "base": None})
    normalised = normalise(expanded)
    assert isinstance(normalised, Ok)
    assert normalised.value["agreement"]["@id"] == "urn:agreement:1"
    assert normalised.value["agreement"]["assigner"] == "did:web:p"
