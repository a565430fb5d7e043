"""Participant directory: config, directory file, DID document (with the version document)."""

from __future__ import annotations

import json

import httpx

from connector.directory import resolve_participant
from connector.outcome import Failure, Ok, Reason
from tests.conftest import make_settings

MILL = "did:web:mill.example"


async def test_configured_participant_is_found_when_listed(context, tmp_path) -> None:
    context.settings = make_settings(
        tmp_path,
        context.settings.database.url,
        directory={"participants": [{"did": MILL, "dsp_url": "https://mill.example/api/dsp/"}]},
    )
    outcome = await resolve_participant(context, MILL)
    assert isinstance(outcome, Ok)
    assert outcome.value.dsp_url == "https://mill.example/api/dsp"


async def test_directory_file_participant_is_found_when_listed(context, tmp_path) -> None:
    (tmp_path / "participants.json").write_text(
        json.dumps([{"did": MILL, "dsp_url": "https://mill.example/dsp", "name": "Mill"}])
    )
    context.settings = make_settings(
        tmp_path, context.settings.database.url, directory={"file": "participants.json"}
    )
    outcome = await resolve_participant(context, MILL)
    assert isinstance(outcome, Ok)
    assert (outcome.value.dsp_url, outcome.value.name) == ("https://mill.example/dsp", "Mill")


def did_web_transport(service_endpoint: str) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/.well-known/did.json":
            return httpx.Response(
                200,
                json={
                    "id": "did:web:mill.test",
                    "service": [
                        {
                            "id": "did:web:mill.test#dsp",
                            "type": "DataService",
                            "serviceEndpoint": service_endpoint,
                        }
                    ],
                },
            )
        if request.url.path == "/.well-known/dspace-version":
            return httpx.Response(
                200,
                json={
                    "protocolVersions": [
                        {"version": "2025-1", "path": "/api/v1/dsp/2025-1", "binding": "HTTPS"}
                    ]
                },
            )
        return httpx.Response(404)

    return httpx.MockTransport(handler)


async def test_did_document_service_is_used_when_not_configured(context) -> None:
    async with httpx.AsyncClient(transport=did_web_transport("https://mill.test/api/dsp")) as h:
        context.http = h
        outcome = await resolve_participant(context, "did:web:mill.test")
    assert isinstance(outcome, Ok)
    assert outcome.value.dsp_url == "https://mill.test/api/dsp"


async def test_version_document_is_followed_when_did_points_at_it(context) -> None:
    endpoint = "https://mill.test/.well-known/dspace-version"
    async with httpx.AsyncClient(transport=did_web_transport(endpoint)) as http:
        context.http = http
        outcome = await resolve_participant(context, "did:web:mill.test")
    assert isinstance(outcome, Ok)
    assert outcome.value.dsp_url == "https://mill.test/api/v1/dsp/2025-1"


async def test_unknown_participant_is_404_when_did_unresolvable(context) -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(404))
    async with httpx.AsyncClient(transport=transport) as http:
        context.http = http
        outcome = await resolve_participant(context, "did:web:nowhere.test")
    assert isinstance(outcome, Failure)
    assert outcome.reason is Reason.NOT_FOUND


async def test_non_did_is_400_when_resolved(context) -> None:
    outcome = await resolve_participant(context, "https://mill.example")
    assert isinstance(outcome, Failure)
    assert outcome.reason is Reason.BAD_REQUEST
