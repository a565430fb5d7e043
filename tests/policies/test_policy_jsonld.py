"""JSON-LD forms: DSP 2025-1 examples, Catena-X samples, EDC recordings and yaml, round trips."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from policies import (
    CATENAX_POLICY_CONTEXT,
    DSP_CONTEXT,
    Constraint,
    IriRef,
    LogicalConstraint,
    LogicalOperator,
    Operator,
    Permission,
    Policy,
    PolicyParseError,
    PolicyType,
    TypedLiteral,
    dsp_context_for,
    parse_policy,
    parse_policy_definition,
    parse_policy_document,
    to_dsp,
    to_edc,
    to_edc_policy_definition,
    to_expanded,
)
from tests.policies.conftest import SPECS

ODRL = "http://www.w3.org/ns/odrl/2/"
CX = "https://w3id.org/catenax/2025/9/policy/"
NEGOTIATION = SPECS / "dsp" / "examples" / "negotiation"
DSP_EXAMPLES = sorted((SPECS / "dsp" / "examples").glob("*/*.json"))
CX_DIR = SPECS / "catenax-pcf" / "policy-profile-2025-09" / "samples"
CX_SAMPLES = sorted(CX_DIR.glob("*policy*.json"))


def dsp_policies() -> list[tuple[str, dict[str, Any], Any]]:
    out = []
    for path in DSP_EXAMPLES:
        message = json.loads(path.read_text())
        nodes = [message[k] for k in ("offer", "agreement") if k in message]
        datasets = message["dataset"] if isinstance(message.get("dataset"), list) else []
        if message.get("@type") == "Dataset":
            datasets = [message]
        nodes += [offer for ds in datasets for offer in ds.get("hasPolicy", [])]
        out += [(f"{path.parent.name}/{path.name}", node, message["@context"]) for node in nodes]
    return out


@pytest.mark.parametrize(("name", "node", "ctx"), dsp_policies(), ids=lambda v: str(v)[:60])
def test_dsp_example_when_parsed_and_written_is_byte_equal(name: str, node: Any, ctx: Any) -> None:
    policy = parse_policy(node, context=ctx)
    # The DSP profile context defines neither `dateTime` nor `spatial`: we write compact IRIs.
    expected = re.sub(
        r'"leftOperand": "(dateTime|spatial)"', r'"leftOperand": "odrl:\1"', json.dumps(node)
    )
    assert to_dsp(policy) == json.loads(expected)


@pytest.mark.parametrize(("name", "node", "ctx"), dsp_policies(), ids=lambda v: str(v)[:60])
def test_dsp_example_when_written_in_every_form_round_trips(name: str, node: Any, ctx: Any) -> None:
    policy = parse_policy(node, context=ctx)
    assert parse_policy_document(to_edc_policy_definition(policy, "def-1")) == policy
    assert parse_policy_document(to_expanded(policy)) == policy
    assert parse_policy(to_edc(policy)) == policy


def test_dsp_agreement_when_parsed_reads_parties_and_timestamp() -> None:
    message = json.loads((NEGOTIATION / "contract-agreement-message.json").read_text())
    policy = parse_policy(message["agreement"], context=message["@context"])
    assert policy.type is PolicyType.AGREEMENT
    assert policy.uid == "urn:uuid:e8dc8655-44c2-46ef-b701-4cffdc2faa44"
    assert policy.target == "urn:uuid:3dd1add4-4d2d-569e-d634-8394a8836d23"
    assert (policy.assigner, policy.assignee) == (
        "http://example.com/Provider",
        "http://example.com/Consumer",
    )
    assert policy.timestamp == "2023-01-01T01:00:00Z"
    assert policy.permissions == (
        Permission("use", (Constraint("dateTime", "lteq", "2023-12-31T06:00Z"),)),
    )


def test_dsp_full_agreement_when_parsed_keeps_every_logical_constraint() -> None:
    message = json.loads((NEGOTIATION / "contract-agreement-message-full.json").read_text())
    policy = parse_policy(message["agreement"], context=message["@context"])
    kinds = [
        p.constraints[0].operator
        for p in policy.permissions
        if isinstance(p.constraints[0], LogicalConstraint)
    ]
    assert kinds == [
        LogicalOperator.AND,
        LogicalOperator.OR,
        LogicalOperator.AND_SEQUENCE,
        LogicalOperator.XONE,
        LogicalOperator.OR,
    ]
    assert policy.profiles == ("https://test.com/profile",)
    assert policy.permissions[0].constraints[0] == Constraint(
        ODRL + "dateTime", ODRL + "lteq", "2023-12-31T06:00Z"
    )


@pytest.mark.parametrize("path", CX_SAMPLES, ids=lambda p: p.name)
def test_catenax_sample_when_parsed_round_trips_in_every_form(path: Path) -> None:
    document = json.loads(path.read_text())
    policy = parse_policy_document(document)
    assert policy.permissions
    body = {k: v for k, v in document.items() if k != "@context"}
    assert to_dsp(policy) == body
    assert parse_policy_document(to_expanded(policy)) == policy
    assert parse_policy_document(to_edc_policy_definition(policy)) == policy


def test_catenax_usage_sample_when_parsed_resolves_profile_terms() -> None:
    document = json.loads((CX_DIR / "usage-policy-sample.json").read_text())
    policy = parse_policy_document(document)
    conjunction = policy.permissions[0].constraints[0]
    assert isinstance(conjunction, LogicalConstraint)
    assert conjunction.constraints[1] == Constraint(
        CX + "UsagePurpose", ODRL + "isAnyOf", ("cx.core.digitalTwinRegistry:1", "cx.pcf.base:1")
    )
    assert policy.prohibitions[0].action == ODRL + "use"
    assert dsp_context_for(policy) == [CATENAX_POLICY_CONTEXT, DSP_CONTEXT]


def sdk_wire_policies() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted((SPECS / "edc" / "sdk-wire").glob("*.jsonl")):
        for i, line in enumerate(path.read_text().splitlines()):
            body = json.loads(line)["request"].get("body")
            if isinstance(body, dict) and "policy" in body:
                out.append((f"{path.stem}:{i}", body))
    return out


@pytest.mark.parametrize(("name", "body"), sdk_wire_policies(), ids=lambda v: str(v)[:50])
def test_edc_client_request_when_parsed_round_trips(name: str, body: dict[str, Any]) -> None:
    policy = parse_policy(body["policy"], context=body["@context"])
    assert policy.permissions
    assert parse_policy(to_edc(policy)) == policy
    assert parse_policy_document(to_expanded(policy)) == policy


def test_edc_policy_definition_when_parsed_reads_id_and_catenax_terms() -> None:
    bodies = dict(sdk_wire_policies())
    body = bodies["saturn-provider-create:1"]
    definition = parse_policy_definition(body)
    assert definition.id == "usage-1"
    conjunction = definition.policy.permissions[0].constraints[0]
    assert isinstance(conjunction, LogicalConstraint)
    assert conjunction.constraints[0] == Constraint(
        CX + "FrameworkAgreement", ODRL + "eq", "DataExchangeGovernance:1.0"
    )


def test_edc_access_policy_when_parsed_reads_catenax_access_action() -> None:
    body = dict(sdk_wire_policies())["saturn-provider-create:0"]
    policy = parse_policy_definition(body).policy
    assert policy.permissions[0].action == CX + "access"
    assert policy.permissions[0].constraints == (
        Constraint(CX + "BusinessPartnerNumber", ODRL + "isAnyOf", ("BPNL000000000002",)),
    )


def test_jupiter_request_when_parsed_reads_plain_string_parties() -> None:
    body = dict(sdk_wire_policies())["jupiter-consumer-do_get:1"]
    policy = parse_policy(body["policy"], context=body["@context"])
    assert (policy.type, policy.assigner, policy.target) == (
        PolicyType.OFFER,
        "BPNL000000000001",
        "pcf-asset-jupiter",
    )


def edc_yaml_policies() -> list[dict[str, Any]]:
    loader = type("L", (yaml.SafeLoader,), {})
    loader.add_constructor("tag:yaml.org,2002:value", lambda ld, n: ld.construct_scalar(n))
    loader.yaml_implicit_resolvers = {  # keep timestamps as the strings the spec wrote
        key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    spec = yaml.load((SPECS / "edc/edc-management-api-3.1.3.yaml").read_text(), Loader=loader)
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            kind = node.get("@type")
            has_rules = "permission" in node or "odrl:permission" in node
            if has_rules and isinstance(kind, str) and kind.endswith(("Set", "Offer", "Agreement")):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


def test_edc_openapi_examples_when_parsed_round_trip() -> None:
    policies = edc_yaml_policies()
    assert len(policies) >= 4
    for node in policies:
        policy = parse_policy(node)
        assert parse_policy(to_edc(policy)) == policy
        assert parse_policy_document(to_expanded(policy)) == policy


def test_edc_legacy_action_type_when_parsed_reads_use() -> None:
    node = {"@type": "odrl:Set", "odrl:permission": {"odrl:action": {"odrl:type": "USE"}}}
    assert parse_policy(node).permissions == (Permission("use"),)


def test_edc_form_when_written_uses_odrl_prefix_and_ids() -> None:
    policy = Policy(
        type=PolicyType.SET,
        uid="p1",
        permissions=(Permission("use", (Constraint("Membership", "eq", "active"),)),),
    )
    assert to_edc_policy_definition(policy, "def-1")["policy"] == {
        "@id": "p1",
        "@type": "odrl:Set",
        "odrl:permission": [
            {
                "odrl:action": {"@id": "odrl:use"},
                "odrl:constraint": [
                    {
                        "odrl:leftOperand": {"@id": "cx-policy:Membership"},
                        "odrl:operator": {"@id": "odrl:eq"},
                        "odrl:rightOperand": "active",
                    }
                ],
            }
        ],
        "odrl:prohibition": [],
        "odrl:obligation": [],
    }


def test_expanded_form_when_written_wraps_every_value() -> None:
    policy = Policy(
        type=PolicyType.OFFER,
        uid="o1",
        target="asset-1",
        permissions=(Permission("use", (Constraint("ParticipantId", "isAnyOf", ("did:web:a",)),)),),
    )
    assert to_expanded(policy) == [
        {
            "@id": "o1",
            "@type": [ODRL + "Offer"],
            ODRL + "target": [{"@id": "asset-1"}],
            ODRL + "permission": [
                {
                    ODRL + "action": [{"@id": ODRL + "use"}],
                    ODRL + "constraint": [
                        {
                            ODRL + "leftOperand": [
                                {"@id": "https://w3id.org/carbonspace/policy/ParticipantId"}
                            ],
                            ODRL + "operator": [{"@id": ODRL + "isAnyOf"}],
                            ODRL + "rightOperand": [{"@list": [{"@value": "did:web:a"}]}],
                        }
                    ],
                }
            ],
        }
    ]


def test_typed_and_reference_operands_when_round_tripped_keep_their_kind() -> None:
    policy = Policy(
        permissions=(
            Permission(
                "use",
                (
                    Constraint(
                        "dateTime",
                        "lteq",
                        TypedLiteral(
                            "2026-12-31T00:00:00Z", "http://www.w3.org/2001/XMLSchema#dateTime"
                        ),
                    ),
                    Constraint("spatial", "eq", IriRef("http://example.org/EU")),
                    Constraint("DataUsageEndDurationDays", "eq", 30),
                ),
            ),
        )
    )
    for document in (to_dsp(policy), to_edc_policy_definition(policy), to_expanded(policy)):
        assert parse_policy_document(document) == policy


def test_unknown_terms_when_parsed_stay_full_iris() -> None:
    node = {
        "@context": {"ex": "https://example.org/terms/"},
        "permission": [
            {
                "action": "ex:peek",
                "constraint": [
                    {"leftOperand": "ex:color", "operator": "ex:like", "rightOperand": "red"}
                ],
            }
        ],
    }
    policy = parse_policy(node)
    assert policy.permissions[0].action == "https://example.org/terms/peek"
    assert policy.permissions[0].constraints[0] == Constraint(
        "https://example.org/terms/color", "https://example.org/terms/like", "red"
    )
    assert to_dsp(policy)["permission"][0]["action"] == "https://example.org/terms/peek"


def test_unmodelled_properties_when_round_tripped_are_kept() -> None:
    node = {
        "@type": "Set",
        "dct:title": "x",
        "permission": [
            {
                "action": "use",
                "constraint": [
                    {"leftOperand": "purpose", "operator": "eq", "rightOperand": "pcf", "unit": "m"}
                ],
            }
        ],
    }
    policy = parse_policy(node)
    assert policy.extras == (("http://purl.org/dc/terms/title", '"x"'),)
    assert parse_policy_document(to_expanded(policy)) == policy
    assert parse_policy(to_dsp(policy)) == policy


@pytest.mark.parametrize(
    ("node", "path"),
    [
        ({"permission": [{"constraint": []}]}, "permission[0].action"),
        (
            {
                "permission": [
                    {"action": "use", "constraint": [{"operator": "eq", "rightOperand": 1}]}
                ]
            },
            "permission[0].constraint[0].leftOperand",
        ),
        (
            {
                "permission": [
                    {"action": "use", "constraint": [{"leftOperand": "purpose", "operator": "eq"}]}
                ]
            },
            "permission[0].constraint[0].rightOperand",
        ),
        (
            {"permission": [{"action": "use", "constraint": [{"and": [], "or": []}]}]},
            "permission[0].constraint[0]",
        ),
        ({"@type": "dcat:Dataset", "permission": []}, "@type"),
        ({"permission": ["use"]}, "permission[0]"),
        (
            {
                "permission": [
                    {
                        "action": "use",
                        "constraint": [
                            {
                                "leftOperand": "purpose",
                                "operator": "eq",
                                "rightOperand": {"@value": {"a": 1}},
                            }
                        ],
                    }
                ]
            },
            "permission[0].constraint[0].rightOperand",
        ),
        (
            {
                "permission": [
                    {
                        "action": "use",
                        "constraint": [
                            {"leftOperand": "purpose", "operator": "eq", "rightOperand": {"x": 1}}
                        ],
                    }
                ]
            },
            "permission[0].constraint[0].rightOperand",
        ),
        ({"permission": [{"action": ["use", "read"]}]}, "permission[0].action"),
    ],
)
def test_malformed_policy_when_parsed_names_the_field(node: dict[str, Any], path: str) -> None:
    with pytest.raises(PolicyParseError) as error:
        parse_policy(node)
    assert error.value.path == path


def test_model_when_built_from_bare_names_equals_iri_form() -> None:
    assert Constraint("isAnyOf", "eq", "x").left_operand == ODRL + "isAnyOf"
    assert Constraint("Membership", "eq", "active") == Constraint(
        CX + "Membership", Operator.EQ, "active"
    )
    assert Constraint("odrl:purpose", "odrl:eq", ["a"]).right_operand == ("a",)
