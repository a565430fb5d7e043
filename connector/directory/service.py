"""Participant directory: DID -> DSP endpoint (DESIGN.md "a directory of participants").

Looked up, in order: `[directory] participants` in the node's config, the directory file named by
`[directory] file` (TOML `[[participants]]` or a JSON array of `{did, dsp_url, name}`), then the
`DataService` entry of the participant's DID document (did:web). A DID-document endpoint that
points at `/.well-known/dspace-version` is followed to the DSP 2025-1 base it advertises."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from connector.context import NodeContext
from connector.identity import DidResolver, service_endpoint
from connector.outcome import Failure, Ok, bad_request, not_found

DSP_VERSION = "2025-1"
WELL_KNOWN = "/.well-known/dspace-version"


@dataclass(frozen=True)
class Participant:
    did: str
    dsp_url: str
    name: str = ""


def _file_entries(context: NodeContext) -> list[dict[str, Any]]:
    name = context.settings.directory.file
    if not name:
        return []
    path = context.settings.path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return []
    try:
        data: Any = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError):
        return []
    entries = data.get("participants", []) if isinstance(data, dict) else data
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def configured_participants(context: NodeContext) -> list[Participant]:
    """The participants the node knows from its config and directory file."""
    known = [
        Participant(p.did, p.dsp_url.rstrip("/"), p.name)
        for p in context.settings.directory.participants
    ]
    for entry in _file_entries(context):
        did, url = entry.get("did"), entry.get("dsp_url")
        if isinstance(did, str) and isinstance(url, str):
            known.append(Participant(did, url.rstrip("/"), str(entry.get("name", ""))))
    return known


async def _did_document(context: NodeContext, did: str) -> Ok[dict[str, Any]] | Failure:
    identity = context.services.get("identity")
    if identity is not None and hasattr(identity, "resolver"):
        outcome: Ok[dict[str, Any]] | Failure = await identity.resolver.resolve(did)
        return outcome
    resolver = DidResolver(
        context.http, context.clock, 0, context.settings.trust.allow_insecure_did_web
    )
    return await resolver.resolve(did)


async def dsp_base_from_version_document(http: httpx.AsyncClient, url: str) -> Ok[str] | Failure:
    """The DSP 2025-1 base advertised at a `/.well-known/dspace-version` URL (DSP §3.1)."""
    if WELL_KNOWN in url:
        root = url.split(WELL_KNOWN)[0].rstrip("/")
    else:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
    try:
        response = await http.get(root + WELL_KNOWN, timeout=5.0)
        document = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        document = None
    versions = document.get("protocolVersions") if isinstance(document, dict) else None
    for version in versions if isinstance(versions, list) else []:
        if isinstance(version, dict) and version.get("version") == DSP_VERSION:
            return Ok(root + "/" + str(version.get("path", "")).strip("/"))
    return not_found(f"{root}{WELL_KNOWN} advertises no DSP {DSP_VERSION} endpoint")


async def resolve_participant(context: NodeContext, did: str) -> Ok[Participant] | Failure:
    """The DSP endpoint of `did`: config, directory file, then its DID document."""
    if not did.startswith("did:"):
        return bad_request(f"{did!r} is not a DID")
    for participant in configured_participants(context):
        if participant.did == did:
            return Ok(participant)
    document = await _did_document(context, did)
    if isinstance(document, Failure):
        return not_found(f"participant {did} is not in the directory and: {document.detail}")
    endpoint = service_endpoint(document.value, "DataService")
    if endpoint is None:
        return not_found(f"participant {did} has no DataService entry in its DID document")
    if WELL_KNOWN in endpoint:
        base = await dsp_base_from_version_document(context.http, endpoint)
        return base if isinstance(base, Failure) else Ok(Participant(did, base.value))
    return Ok(Participant(did, endpoint.rstrip("/")))
