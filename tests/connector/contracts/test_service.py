"""Provider side of catalogs and offers (docs/dev/interfaces.md "MGMT -> DSP"):
`provider_catalog`, `provider_dataset`, `resolve_offer`, on SQLite and PostgreSQL."""

from __future__ import annotations

from catalog import Criterion
from connector.assets import AssetInput, create_asset
from connector.contracts import (
    ContractDefinitionInput,
    provider_catalog,
    provider_dataset,
    resolve_offer,
    save_contract_definition,
    save_policy_definition,
)
from connector.outcome import Failure, Ok, Reason
from policies import Constraint, LeftOperand, Permission, Policy
from tests.catalog.conftest import dsp_problems
from tests.support.service_context import Participant

EDC = "https://w3id.org/edc/v0.0.1/ns/"
BOLTS = Participant("did:web:bolts.example")
OTHER = Participant("did:web:other.example")


def only(*dids: str) -> Policy:
    return Policy(
        permissions=(Permission("use", (Constraint(LeftOperand.PARTICIPANT_ID, "isAnyOf", dids),)),)
    )


async def offer_setup(context, access: Policy, contract: Policy | None = None) -> None:
    contract = contract or Policy(permissions=(Permission("use"),))
    await create_asset(
        context,
        AssetInput(
            "pcf-1",
            {EDC + "name": "coil", "http://purl.org/dc/terms/type": {"@id": "urn:pcf"}},
            {"type": "AasSubmodel", "submodelId": "urn:sm:1"},
        ),
    )
    await save_policy_definition(context, "access", access, {}, replace=False)
    await save_policy_definition(context, "usage", contract, {}, replace=False)
    await save_contract_definition(
        context,
        ContractDefinitionInput("cd-1", "access", "usage", (Criterion(EDC + "id", "=", "pcf-1"),)),
        replace=False,
    )


async def test_catalog_shows_offer_when_access_policy_admits(context) -> None:
    await offer_setup(context, only(BOLTS.did))
    outcome = await provider_catalog(context, BOLTS, {"filter": []})
    assert isinstance(outcome, Ok)
    body = outcome.value
    assert dsp_problems(body, "catalog/catalog-schema.json") == []
    assert body["participantId"] == context.settings.node.did
    assert [d["@id"] for d in body["dataset"]] == ["pcf-1"]
    assert body["service"][0]["endpointURL"] == "http://127.0.0.1:8080/api/dsp"


async def test_catalog_hides_dataset_when_access_policy_denies(context) -> None:
    await offer_setup(context, only(BOLTS.did))
    outcome = await provider_catalog(context, OTHER, None)
    assert isinstance(outcome, Ok)
    assert "dataset" not in outcome.value
    dataset = await provider_dataset(context, OTHER, "pcf-1")
    assert isinstance(dataset, Failure)
    assert dataset.reason is Reason.NOT_FOUND


async def test_catalog_is_400_when_filter_unsupported(context) -> None:
    outcome = await provider_catalog(context, BOLTS, {"filter": [{"operandLeft": "id"}]})
    assert isinstance(outcome, Failure)
    assert outcome.reason is Reason.BAD_REQUEST


async def test_catalog_filter_selects_assets_when_given(context) -> None:
    await offer_setup(context, only(BOLTS.did))
    query = {"filter": [{"operandLeft": EDC + "id", "operator": "=", "operandRight": "nope"}]}
    outcome = await provider_catalog(context, BOLTS, query)
    assert isinstance(outcome, Ok)
    assert "dataset" not in outcome.value


async def test_dataset_validates_when_visible(context) -> None:
    await offer_setup(context, only(BOLTS.did))
    outcome = await provider_dataset(context, BOLTS, "pcf-1")
    assert isinstance(outcome, Ok)
    assert dsp_problems(outcome.value, "catalog/dataset-schema.json") == []


async def test_offer_resolves_to_asset_and_policy_when_issued(context) -> None:
    await offer_setup(context, only(BOLTS.did))
    catalog = await provider_catalog(context, BOLTS, None)
    offer = dict(catalog.value["dataset"][0]["hasPolicy"][0], target="pcf-1")
    outcome = await resolve_offer(context, BOLTS, offer)
    assert isinstance(outcome, Ok)
    resolved = outcome.value
    assert (resolved.asset_id, resolved.contract_definition_id) == ("pcf-1", "cd-1")
    assert resolved.policy.target == "pcf-1"
    assert resolved.policy.assigner == context.settings.node.did
    assert resolved.policy.uid == offer["@id"]


async def test_offer_is_refused_when_participant_not_admitted(context) -> None:
    await offer_setup(context, only(BOLTS.did))
    catalog = await provider_catalog(context, BOLTS, None)
    offer = catalog.value["dataset"][0]["hasPolicy"][0]
    outcome = await resolve_offer(context, OTHER, offer)
    assert isinstance(outcome, Failure)
    assert outcome.reason is Reason.BAD_REQUEST


async def test_offer_is_refused_when_unknown_or_retargeted(context) -> None:
    await offer_setup(context, only(BOLTS.did))
    unknown = await resolve_offer(context, BOLTS, {"@id": "urn:uuid:1", "@type": "Offer"})
    assert isinstance(unknown, Failure)
    catalog = await provider_catalog(context, BOLTS, None)
    offer = dict(catalog.value["dataset"][0]["hasPolicy"][0], target="other-asset")
    retargeted = await resolve_offer(context, BOLTS, offer)
    assert isinstance(retargeted, Failure)
    assert retargeted.detail.startswith("offer target 'other-asset' does not match")


async def test_offer_is_refused_when_contract_policy_changed_since(context) -> None:
    await offer_setup(context, only(BOLTS.did))
    catalog = await provider_catalog(context, BOLTS, None)
    offer = catalog.value["dataset"][0]["hasPolicy"][0]
    changed = Policy(
        permissions=(
            Permission("use", (Constraint("UsagePurpose", "isAnyOf", ("cx.pcf.base:1",)),)),
        )
    )
    await save_policy_definition(context, "usage", changed, {}, replace=True)
    outcome = await resolve_offer(context, BOLTS, offer)
    assert isinstance(outcome, Failure)
