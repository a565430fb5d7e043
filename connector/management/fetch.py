"""Consumer conveniences that chain the DSP steps (issue 6 items 3 and 5):

- `negotiate_edr`: the Tractus-X `POST /v3/edrs`: negotiate, then start an HttpData-PULL transfer
  for the agreement, so the EDR is cached. The DSP round trips finish before the answer, so the
  client's first state poll already sees FINALIZED (edc-mgmt-api.md §7.5).
- `fetch_asset`: catalog -> negotiate -> transfer -> GET the data, reusing a valid agreement and
  EDR when the node has them (`POST /api/management/fetch`, `carbonspace fetch`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalog import (
    CatalogParseError,
    Criterion,
    NoOffer,
    choose_offer,
    parse_catalog,
    request_offer,
)
from connector.context import NodeContext
from connector.directory import resolve_participant
from connector.management._edr_chain import schedule
from connector.management.consumer import counterparty_catalog
from connector.management.processes import transfer_module, unavailable
from connector.management.schemas import ContractRequest
from connector.management.views import id_response
from connector.negotiation import query_agreements, request_contract, wait_for_negotiation
from connector.outcome import Failure, Ok, Reason, bad_request, not_found
from connector.work import signals

PULL = "HttpData-PULL"
READY = ("STARTED", "COMPLETED")
DEFAULT_TIMEOUT_S = 30.0
EDR_FAST_PATH_S = 10.0  # below the work lease, after which the durable chain item takes over


async def _wait_transfer(context: NodeContext, transfer_id: str, timeout_s: float) -> Any:
    module = transfer_module()
    assert module is not None
    waiter = getattr(module, "wait_for_transfer", None)
    if waiter is not None:
        return await waiter(context, transfer_id, READY, timeout_s)

    async def check() -> Any:
        outcome = await module.get_transfer(context, transfer_id)
        if isinstance(outcome, Failure) or str(outcome.value.state) in (*READY, "TERMINATED"):
            return outcome
        return None

    outcome = await signals(context).wait_until(transfer_id, check, timeout_s)
    if outcome is None:
        return not_found(f"transfer {transfer_id} did not start within {timeout_s}s")
    if isinstance(outcome, Ok) and str(outcome.value.state) == "TERMINATED":
        return bad_request(f"transfer {transfer_id} ended TERMINATED: {outcome.value.error_detail}")
    return outcome


async def pull_transfer(
    context: NodeContext, address: str, provider_id: str, agreement_id: str, timeout_s: float
) -> Ok[Any] | Failure:
    """Start an HttpData-PULL transfer for the agreement and wait until it is STARTED."""
    module = transfer_module()
    if module is None:
        return unavailable()
    started = await module.request_transfer(context, address, provider_id, agreement_id, PULL)
    if isinstance(started, Failure):
        return started
    waited: Ok[Any] | Failure = await _wait_transfer(context, started.value.id, timeout_s)
    return waited


async def negotiate_edr(
    context: NodeContext, request: ContractRequest, timeout_s: float = EDR_FAST_PATH_S
) -> Ok[dict[str, Any]] | Failure:
    """`POST /v3/edrs`: answers the negotiation id (IdResponse) once the chain has run (or
    `timeout_s` passed: then the scheduled work item finishes the chain later); a failed
    negotiation or transfer shows in the negotiation's / transfer's state, as in EDC."""
    call = request.counterparty
    started = await request_contract(context, call.address, call.counterparty_id, request.offer)
    if isinstance(started, Failure):
        return started
    negotiation = started.value
    await schedule(context, negotiation.id, call.address, call.counterparty_id)
    finished = await wait_for_negotiation(context, negotiation.id, timeout_s=timeout_s)
    if isinstance(finished, Ok) and finished.value.agreement_id:
        await pull_transfer(
            context, call.address, call.counterparty_id, finished.value.agreement_id, timeout_s
        )
    return Ok(id_response(negotiation.id, negotiation.created_at))


@dataclass(frozen=True)
class FetchResult:
    """What `fetch_asset` got: the data and the contract it was fetched under."""

    provider_id: str
    asset_id: str
    agreement_id: str
    transfer_id: str
    status: int
    content_type: str
    body: bytes
    reused: bool


async def _get_data(
    context: NodeContext, transfer_id: str, path: str
) -> Ok[tuple[int, str, bytes]] | Failure:
    module = transfer_module()
    if module is None:
        return unavailable()
    address = await module.get_edr_data_address(context, transfer_id)
    if isinstance(address, Failure):
        return address
    edr = address.value
    endpoint = edr["endpoint"] if isinstance(edr, dict) else edr.endpoint
    token = edr["authorization"] if isinstance(edr, dict) else edr.token
    url = endpoint.rstrip("/") + ("/" + path.lstrip("/") if path else "")
    try:
        response = await context.http.get(url, headers={"Authorization": token})
    except Exception as exc:  # httpx errors: the provider's data plane is unreachable
        return Failure(Reason.BAD_GATEWAY, f"data plane {url} unreachable: {exc}")
    if response.status_code != 200:
        return Failure(
            Reason.BAD_GATEWAY, f"data plane answered {response.status_code}: {response.text[:300]}"
        )
    content_type = response.headers.get("content-type", "application/octet-stream")
    return Ok((response.status_code, content_type, response.content))


async def valid_agreements(context: NodeContext, provider_id: str, asset_id: str) -> list[Any]:
    """The agreements we hold from `provider_id` for `asset_id`, not revoked, newest first."""
    rows = await query_agreements(
        context, {"asset_id": asset_id, "provider_id": provider_id}, 0, 50
    )
    if isinstance(rows, Failure):
        return []
    mine = [
        r for r in rows.value if r.consumer_id == context.settings.node.did and r.revoked_at is None
    ]
    return sorted(mine, key=lambda r: r.signed_at, reverse=True)


async def _reuse(
    context: NodeContext,
    dsp_url: str,
    provider_id: str,
    asset_id: str,
    path: str,
    timeout_s: float,
) -> FetchResult | None:
    """Data through an agreement we hold: its cached EDR, else a new transfer under it."""
    module = transfer_module()
    if module is None:
        return None
    for agreement in await valid_agreements(context, provider_id, asset_id):
        edrs = await module.query_edrs(context, {"agreement_id": agreement.id}, 0, 10)
        transfer_ids = [e.transfer_id for e in edrs.value] if isinstance(edrs, Ok) else []
        if not transfer_ids:
            started = await pull_transfer(context, dsp_url, provider_id, agreement.id, timeout_s)
            transfer_ids = [started.value.id] if isinstance(started, Ok) else []
        for transfer_id in transfer_ids:
            data = await _get_data(context, transfer_id, path)
            if isinstance(data, Ok):
                status, content_type, body = data.value
                return FetchResult(
                    provider_id,
                    asset_id,
                    agreement.id,
                    transfer_id,
                    status,
                    content_type,
                    body,
                    reused=True,
                )
    return None


async def _offer(
    context: NodeContext, dsp_url: str, provider_id: str, asset_id: str
) -> Ok[dict[str, Any]] | Failure:
    """The offer for `asset_id` in the provider's (fresh) catalog that we can satisfy, ready
    to request: with several offers, each contract policy is evaluated against our own
    verified credentials (catalog.choose_offer); 403 with every offer's reasons when none can
    hold, so no negotiation is started only to be terminated."""
    document = await counterparty_catalog(
        context, dsp_url, provider_id, (Criterion("id", "=", asset_id),), fresh=True
    )
    if isinstance(document, Failure):
        return document
    try:
        dataset = parse_catalog(document.value).dataset(asset_id)
    except CatalogParseError as exc:
        return Failure(Reason.BAD_GATEWAY, f"provider catalog is malformed: {exc}")
    if dataset is None or not dataset.offers:
        return not_found(f"{provider_id} offers no dataset {asset_id!r} to this node")
    # One offer: nothing to choose, the provider judges it (spares the self-presentation).
    several = len(dataset.offers) > 1
    claims = await context.service("identity").own_credentials() if several else None
    choice = choose_offer([dataset], context.settings.node.did, context.clock.now(), claims)
    if isinstance(choice, NoOffer):
        return Failure(Reason.FORBIDDEN, choice.detail(provider_id, asset_id))
    return Ok(request_offer(document.value, choice, provider_id))


async def fetch_asset(
    context: NodeContext,
    provider_id: str,
    asset_id: str,
    *,
    dsp_url: str | None = None,
    path: str = "",
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> Ok[FetchResult] | Failure:
    """Get the data of `asset_id` from `provider_id`: reuse an agreement/EDR, else catalog ->
    negotiate -> transfer -> GET. `dsp_url` defaults to the directory's entry."""
    if dsp_url is None:
        participant = await resolve_participant(context, provider_id)
        if isinstance(participant, Failure):
            return participant
        dsp_url = participant.value.dsp_url
    reused = await _reuse(context, dsp_url, provider_id, asset_id, path, timeout_s)
    if reused is not None:
        return Ok(reused)
    offer = await _offer(context, dsp_url, provider_id, asset_id)
    if isinstance(offer, Failure):
        return offer
    started = await request_contract(context, dsp_url, provider_id, offer.value)
    if isinstance(started, Failure):
        return started
    agreed = await wait_for_negotiation(context, started.value.id, timeout_s=timeout_s)
    if isinstance(agreed, Failure):
        return agreed
    agreement_id = agreed.value.agreement_id or ""
    transfer = await pull_transfer(context, dsp_url, provider_id, agreement_id, timeout_s)
    if isinstance(transfer, Failure):
        return transfer
    data = await _get_data(context, transfer.value.id, path)
    if isinstance(data, Failure):
        return data
    status, content_type, body = data.value
    return Ok(
        FetchResult(
            provider_id,
            asset_id,
            agreement_id,
            transfer.value.id,
            status,
            content_type,
            body,
            reused=False,
        )
    )
