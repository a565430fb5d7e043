"""The upstream feature's calls into the contract layer (DSP + management streams): fetching
one supplier product under contract, finding the consumers of an asset, and a peer's URL.

Everything protocol-specific lives in the features that own it (catalog request, negotiation,
transfer, EDR, data-plane fetch with agreement / EDR reuse); this module only chooses what to
ask for and maps their outcomes onto the resolver's line outcomes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from catalog import (
    CatalogParseError,
    Criterion,
    Dataset,
    NoOffer,
    choose_offer,
    parse_catalog,
    request_offer,
)
from connector.context import NodeContext
from connector.directory import resolve_participant
from connector.identity import did_document_url
from connector.management.consumer import counterparty_catalog
from connector.management.fetch import FetchResult, fetch_asset, valid_agreements
from connector.negotiation import query_agreements, request_contract, wait_for_negotiation
from connector.outcome import Failure, Ok, Reason
from connector.upstream._lines import UpstreamLine
from connector.upstream._outcomes import FailureCode, Fetched, FetchProblem
from connector.upstream.resolver import FetchLine
from policies import CredentialClaim

DSP_SUFFIX = "/api/dsp"
PRODUCT_ID_KEYS = ("productId", "product_id", "manufacturerPartId")
PRODUCT_ID_PROPERTY = "urn:carbonspace:asset:productId"
WELL_KNOWN = "/.well-known/did.json"
NEGOTIATION_TIMEOUT_S = 30.0
Claims = tuple[CredentialClaim, ...] | None
Credentials = Callable[[], Awaitable[Claims]]


async def consumers_of_asset(context: NodeContext, asset_id: str) -> set[str]:
    """DIDs of the participants holding a valid (not revoked) agreement we provide."""
    found = await query_agreements(
        context, {"asset_id": asset_id, "provider_id": context.settings.node.did}, 0, 10_000
    )
    if isinstance(found, Failure):
        return set()
    return {row.consumer_id for row in found.value if row.revoked_at is None}


async def peer_base_url(context: NodeContext, did: str) -> str | None:
    """A participant's base URL: its DSP endpoint (directory) without the DSP path, else the
    origin of its did:web identifier."""
    participant = await resolve_participant(context, did)
    if isinstance(participant, Ok):
        url = participant.value.dsp_url.rstrip("/")
        return url.split(DSP_SUFFIX, 1)[0] if DSP_SUFFIX in url else url
    try:
        url = did_document_url(did, context.settings.trust.allow_insecure_did_web)
    except ValueError:
        return None
    return url.removesuffix(WELL_KNOWN).removesuffix("/did.json")


def product_datasets(document: dict[str, Any], product_id: str) -> list[Dataset]:
    """Datasets of a parsed catalog whose product-id property equals `product_id`."""
    catalog = parse_catalog(document)
    return [
        dataset
        for dataset in catalog.datasets
        if any(
            key.rsplit("/", 1)[-1].rsplit("#", 1)[-1].rsplit(":", 1)[-1] in PRODUCT_ID_KEYS
            and _text(value) == product_id
            for key, value in dataset.properties.items()
        )
    ]


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("@value")
    return value if isinstance(value, str) else None


def _code(failure: Failure) -> FailureCode:
    """Map the contract layer's failure onto why the line fell back."""
    text = failure.detail.lower()
    if "terminated" in text or failure.reason is Reason.FORBIDDEN or "polic" in text:
        return FailureCode.POLICY_DENIED
    if failure.reason is Reason.NOT_FOUND:
        return FailureCode.NOT_OFFERED
    if failure.reason in (Reason.BAD_GATEWAY, Reason.UNAVAILABLE):
        return FailureCode.UNREACHABLE
    return FailureCode.ERROR


async def fetch_line(
    context: NodeContext, line: UpstreamLine, credentials: Credentials | None = None
) -> Fetched | FetchProblem:
    """Directory -> catalog (cached) -> the product's dataset -> a held agreement, else the
    offer whose policy we satisfy, negotiated -> transfer / EDR (reused when valid) -> the
    CarbonFootprint submodel, as JSON."""
    participant = await resolve_participant(context, line.supplier_did)
    if isinstance(participant, Failure):
        unreachable = "cannot resolve" in participant.detail and "HTTP 4" not in participant.detail
        code = FailureCode.UNREACHABLE if unreachable else FailureCode.UNKNOWN_PARTICIPANT
        return FetchProblem(code, participant.detail)
    dsp_url = participant.value.dsp_url
    document = await _product_catalog(context, dsp_url, line)
    if isinstance(document, Failure):
        return FetchProblem(_code(document), document.detail)
    try:
        datasets = product_datasets(document.value, line.supplier_product_id)
    except CatalogParseError as exc:
        return FetchProblem(FailureCode.INVALID_DATA, f"supplier catalog is malformed: {exc}")
    if not datasets:
        return FetchProblem(
            FailureCode.POLICY_DENIED,
            (
                f"{line.supplier_did} shows us no dataset for product {line.supplier_product_id} "
                "(its access policy does not admit us, or it publishes none)"
            ),
        )
    asset_id = await _held_asset(context, line.supplier_did, datasets)
    negotiated = asset_id is None
    if asset_id is None:
        agreed = await _negotiate(context, dsp_url, line, document.value, datasets, credentials)
        if isinstance(agreed, FetchProblem):
            return agreed
        asset_id = agreed
    fetched = await fetch_asset(context, line.supplier_did, asset_id, dsp_url=dsp_url)
    if isinstance(fetched, Failure):
        return FetchProblem(_code(fetched), fetched.detail, negotiated, negotiated)
    return _fetched(fetched.value, negotiated)


def _fetched(result: FetchResult, negotiated: bool) -> Fetched | FetchProblem:
    transferred = negotiated or not result.reused
    try:
        submodel = json.loads(result.body)
    except ValueError:
        return FetchProblem(
            FailureCode.INVALID_DATA, "supplier data plane sent no JSON", negotiated, transferred
        )
    return Fetched(
        submodel if isinstance(submodel, dict) else {},
        result.agreement_id,
        result.asset_id,
        negotiated=negotiated,
        transferred=transferred,
    )


async def _held_asset(
    context: NodeContext, provider_id: str, datasets: list[Dataset]
) -> str | None:
    """The product's dataset we already hold a valid (not revoked) agreement for, if any."""
    for dataset in datasets:
        if await valid_agreements(context, provider_id, dataset.id):
            return dataset.id
    return None


async def _negotiate(
    context: NodeContext,
    dsp_url: str,
    line: UpstreamLine,
    document: dict[str, Any],
    datasets: list[Dataset],
    credentials: Credentials | None,
) -> str | FetchProblem:
    """Negotiate the offer whose policy we satisfy; the agreed dataset id, or why not."""
    claims = await credentials() if credentials is not None else await _own_credentials(context)
    choice = choose_offer(datasets, context.settings.node.did, context.clock.now(), claims)
    if isinstance(choice, NoOffer):
        detail = choice.detail(line.supplier_did, line.supplier_product_id)
        return FetchProblem(FailureCode.POLICY_DENIED, detail)
    offer = request_offer(document, choice, line.supplier_did)
    started = await request_contract(context, dsp_url, line.supplier_did, offer)
    if isinstance(started, Failure):
        return FetchProblem(_code(started), started.detail, True, False)
    agreed = await wait_for_negotiation(context, started.value.id, timeout_s=NEGOTIATION_TIMEOUT_S)
    if isinstance(agreed, Failure):
        return FetchProblem(_code(agreed), agreed.detail, True, False)
    return choice.dataset.id


async def _product_catalog(
    context: NodeContext, dsp_url: str, line: UpstreamLine
) -> Ok[dict[str, Any]] | Failure:
    """The supplier's catalog filtered to the product (DSP `filter` with an EDC criterion on
    the product-id property); unfiltered when the supplier refuses the filter (DSP 2025-1:
    an unsupported filter is a 400)."""
    criterion = Criterion(PRODUCT_ID_PROPERTY, "=", line.supplier_product_id)
    filtered = await counterparty_catalog(context, dsp_url, line.supplier_did, (criterion,))
    if isinstance(filtered, Failure) and filtered.reason is Reason.BAD_REQUEST:
        return await counterparty_catalog(context, dsp_url, line.supplier_did)
    return filtered


async def _own_credentials(context: NodeContext) -> tuple[CredentialClaim, ...] | None:
    identity: Any = context.service("identity")
    claims: tuple[CredentialClaim, ...] | None = await identity.own_credentials()
    return claims


def exchange_fetch(context: NodeContext) -> FetchLine:
    """The production fetch used by the resolver; our own credentials are looked up once per
    resolution, and only when an offer has to be chosen."""
    credentials = _once(lambda: _own_credentials(context))

    async def fetch(line: UpstreamLine) -> Fetched | FetchProblem:
        return await fetch_line(context, line, credentials)

    return fetch


def _once(load: Callable[[], Awaitable[Claims]]) -> Credentials:
    """`load`, run at most once (concurrent callers share the one call)."""
    task: asyncio.Task[Claims] | None = None

    async def get() -> Claims:
        nonlocal task
        if task is None:
            task = asyncio.ensure_future(load())
        return await asyncio.shield(task)

    return get
