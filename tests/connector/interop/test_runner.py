"""The runner and report against in-process ASGI peers that misbehave in one specific way each
(fakes stand in for misbehaving peers only): every check can fail, and the report says why."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from connector.interop import CheckResult, Outcome, RunOptions, exit_code, json_report, run_checks
from tests.support.paths import SPECS

CTX = ["https://w3id.org/dspace/2025/1/context.jsonld"]
BASE = "http://peer.test/api/dsp"
CATALOG_EXAMPLE = SPECS / "dsp" / "examples" / "catalog" / "catalog.json"


def _fake_peer(broken: set[str]) -> FastAPI:
    app = FastAPI()

    def error(kind: str, status: int, consumer_pid: str = "c") -> JSONResponse:
        body = {
            "@context": CTX,
            "@type": kind,
            "providerPid": "p",
            "consumerPid": consumer_pid,
            "code": str(status),
            "reason": ["no"],
        }
        return JSONResponse(body, status_code=status)

    @app.get("/.well-known/dspace-version")
    async def version() -> Any:
        if "version" in broken:
            return {"protocolVersions": []}
        return {"protocolVersions": [{"version": "2025-1", "path": "/api/dsp", "binding": "HTTPS"}]}

    @app.post("/api/dsp/catalog/request")
    async def catalog(request: Request) -> Any:
        authed = "authorization" in request.headers
        if not authed and "unauth" not in broken:
            return error("CatalogError", 401)
        if "catalog" in broken:
            return {"@context": CTX, "@type": "Catalog", "dataset": "oops"}
        return json.loads(CATALOG_EXAMPLE.read_text(encoding="utf-8"))

    @app.get("/api/dsp/catalog/datasets/{dataset_id}")
    async def dataset(dataset_id: str) -> Any:
        if "dataset" in broken:
            return Response("nope", status_code=404)
        return error("CatalogError", 404)

    @app.post("/api/dsp/negotiations/request")
    async def negotiate(request: Request) -> Any:
        if "errors" in broken:
            return Response(status_code=500)
        try:
            body = json.loads(await request.body())
        except ValueError:
            return error("ContractNegotiationError", 400, "")
        return error("ContractNegotiationError", 400, body.get("consumerPid", ""))

    @app.post("/api/dsp/transfers/request")
    async def transfer(request: Request) -> Any:
        body = json.loads(await request.body())
        return error("TransferError", 400, body.get("consumerPid", ""))

    @app.get("/api/dsp/negotiations/{pid}")
    async def get_negotiation(pid: str) -> Any:
        if "unknown" in broken:
            await asyncio.sleep(5)
        return error("ContractNegotiationError", 404)

    @app.get("/api/dsp/transfers/{pid}")
    async def get_transfer(pid: str) -> Any:
        return Response(status_code=200 if "unknown" in broken else 404)

    return app


async def _authorize() -> dict[str, str]:
    return {"Authorization": "Bearer t"}


def _run(broken: set[str], only: str = "") -> dict[str, CheckResult]:
    options = RunOptions(BASE, _authorize, "did:web:peer.test", "", "", only, timeout_s=0.5)
    transport = httpx.ASGITransport(app=_fake_peer(broken))
    results = asyncio.run(run_checks(options, transport))
    return {r.check_id: r for r in results}


STATELESS = "metadata.*,catalog.*,negotiation.malformed_json,negotiation.wrong_type,"
STATELESS += "negotiation.missing_fields,transfer.*"


def test_stateless_checks_pass_when_peer_behaves() -> None:
    results = _run(set(), STATELESS)
    assert {k: str(r.outcome) for k, r in results.items() if r.outcome is not Outcome.PASS} == {}
    assert exit_code(list(results.values())) == 0


@pytest.mark.parametrize(
    ("broken", "check_id", "reason"),
    [
        (
            "version",
            "metadata.version",
            "VersionResponse not schema-valid: protocolVersions: [] has less than 1 item",
        ),
        (
            "catalog",
            "catalog.request",
            'Catalog not schema-valid: (root): "participantId" is a required property',
        ),
        ("unauth", "catalog.unauthenticated", "an unauthenticated request received datasets"),
        ("dataset", "catalog.dataset.unknown", "expected a JSON object (CatalogError), got 'nope'"),
        ("errors", "negotiation.malformed_json", "expected HTTP 400, got 500"),
        ("errors", "negotiation.wrong_type", "expected HTTP 400, got 500"),
        ("unknown", "negotiation.unknown", "no result within 0.5 s"),
        ("unknown", "transfer.unknown", "expected HTTP 404, got 200"),
    ],
)
def test_check_fails_with_reason_when_peer_misbehaves(
    broken: str, check_id: str, reason: str
) -> None:
    results = _run({broken}, check_id)
    assert (results[check_id].outcome, results[check_id].reason) == (Outcome.FAIL, reason)
    assert exit_code(list(results.values())) == 1


def test_report_carries_evidence_when_check_fails() -> None:
    results = list(_run({"errors"}, "negotiation.malformed_json").values())
    report = json_report(BASE, results)
    assert report["summary"] == {"pass": 0, "fail": 1, "skip": 0}
    assert report["checks"][0]["evidence"] == [
        {"request": f"POST {BASE}/negotiations/request", "status": 500, "body": ""}
    ]


def test_progress_is_skipped_when_no_callback() -> None:
    results = _run(set(), "negotiation.progress")
    assert results["negotiation.progress"].outcome is Outcome.SKIP
    assert results["negotiation.progress"].reason == "negotiation.request did not pass"
