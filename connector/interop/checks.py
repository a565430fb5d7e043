"""The conformance checks. Each is an async function of the session, registered with the DSP
2025-1 clause it tests; it raises CheckFailed / CheckSkipped, or returns a note on success."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from connector.dsp import DSP_CONTEXT, schema_problems
from connector.interop.model import CheckFailed, CheckSkipped
from connector.interop.session import PeerSession, expect_schema, expect_status

CheckFn = Callable[[PeerSession], Awaitable[str]]


@dataclass(frozen=True)
class Check:
    check_id: str
    clause: str
    title: str
    run: CheckFn


CHECKS: list[Check] = []


def check(check_id: str, clause: str, title: str) -> Callable[[CheckFn], CheckFn]:
    def add(fn: CheckFn) -> CheckFn:
        CHECKS.append(Check(check_id, clause, title, fn))
        return fn

    return add


def _context() -> list[str]:
    return [DSP_CONTEXT]


def _pid() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


@check(
    "metadata.version",
    "DSP 2025-1 Common: Exposure of Versions",
    "/.well-known/dspace-version is a schema-valid VersionResponse listing 2025-1",
)
async def version_metadata(s: PeerSession) -> str:
    root = s.shared.get("root_url")
    if not root:
        raise CheckSkipped(
            "the peer root URL is unknown (TARGET was given as a DSP base URL "
            "with no /.well-known/dspace-version at its origin)"
        )
    reply = await s.call("GET", f"{root}/.well-known/dspace-version", auth=False)
    expect_status(reply, 200)
    problems = schema_problems(reply.body, "VersionResponse")
    if problems:
        raise CheckFailed(f"VersionResponse not schema-valid: {problems[0]}")
    versions = [v for v in reply.body["protocolVersions"] if v.get("version") == "2025-1"]
    if not versions:
        raise CheckFailed("no protocolVersions entry with version 2025-1")
    return f"2025-1 at {versions[0]['path']}"


@check(
    "metadata.path",
    "DSP 2025-1 Common: Exposure of Versions (path)",
    "the advertised 2025-1 path serves the catalog",
)
async def version_path(s: PeerSession) -> str:
    root = s.shared.get("root_url")
    path = s.shared.get("advertised_path")
    if not root or not path:
        raise CheckSkipped("no advertised 2025-1 path (metadata.version did not pass)")
    body = {"@context": _context(), "@type": "CatalogRequestMessage"}
    reply = await s.call("POST", f"{root}{path}/catalog/request", body)
    expect_status(reply, 200)
    return "catalog answered at the advertised path"


@check(
    "catalog.request",
    "DSP 2025-1 Catalog HTTPS binding: POST /catalog/request; Catalog schema",
    "POST /catalog/request returns 200 and a schema-valid Catalog",
)
async def catalog_request(s: PeerSession) -> str:
    body = {"@context": _context(), "@type": "CatalogRequestMessage"}
    reply = await s.call("POST", s.url("catalog/request"), body)
    expect_status(reply, 200)
    catalog = expect_schema(reply, "Catalog")
    datasets = _as_list(catalog.get("dataset"))
    s.shared["catalog"] = catalog
    if not s.offer_id:
        for dataset in datasets:
            offers = _as_list(dataset.get("hasPolicy"))
            if offers:
                s.shared["offer"] = offers[0]
                s.shared["dataset_id"] = dataset.get("@id")
                break
    else:
        for dataset in datasets:
            for offer in _as_list(dataset.get("hasPolicy")):
                if offer.get("@id") == s.offer_id:
                    s.shared["offer"] = offer
                    s.shared["dataset_id"] = dataset.get("@id")
    return f"{len(datasets)} dataset(s)"


@check(
    "catalog.unauthenticated",
    "DSP 2025-1 Common: Authorization; Catalog HTTPS binding",
    "a catalog request without Authorization is refused or shows no datasets",
)
async def catalog_unauthenticated(s: PeerSession) -> str:
    body = {"@context": _context(), "@type": "CatalogRequestMessage"}
    reply = await s.call("POST", s.url("catalog/request"), body, auth=False)
    if 400 <= reply.status < 500:
        return f"refused with {reply.status}"
    if reply.status == 200 and isinstance(reply.body, dict):
        if not _as_list(reply.body.get("dataset")):
            return "answered with an empty catalog"
        raise CheckFailed("an unauthenticated request received datasets")
    raise CheckFailed(f"expected 401/403 (or an empty catalog), got {reply.status}")


@check(
    "catalog.dataset.unknown",
    "DSP 2025-1 Catalog HTTPS binding: GET /catalog/datasets/:id; Catalog Error",
    "GET /catalog/datasets/<unknown> returns 404 with a CatalogError",
)
async def dataset_unknown(s: PeerSession) -> str:
    reply = await s.call("GET", s.url(f"catalog/datasets/{_pid()}"))
    expect_status(reply, 404)
    expect_schema(reply, "CatalogError")
    return "404 CatalogError"


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
