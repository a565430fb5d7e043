"""A data-space authority's tiny web server: it publishes the authority's did:web document
(`/.well-known/did.json`, `/did.json`) so verifiers can check the credentials it signed, and
answers `/health`. Issuing happens offline (`carbonspace authority issue`)."""

from __future__ import annotations

from typing import Any

import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from connector.identity.did import build_did_document
from connector.identity.keys import load_key
from connector.identity.provisioning import AuthoritySettings, key_location


def authority_document(settings: AuthoritySettings) -> dict[str, Any]:
    """The authority's DID document (its signing key as JsonWebKey2020, no services)."""
    key = load_key(key_location(settings.authority_dir, settings.keys))
    return build_did_document(settings.authority.did, key.public_jwk, key.key_id, [])


def create_authority_app(settings: AuthoritySettings) -> FastAPI:
    """The authority's ASGI app."""
    document = authority_document(settings)
    app = FastAPI(title="carbonspace authority", version="0.1.0")

    @app.get("/.well-known/did.json")
    @app.get("/did.json", include_in_schema=False)
    async def did_document() -> JSONResponse:
        return JSONResponse(document, media_type="application/did+json")

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "UP", "authority": settings.authority.did}

    return app


def serve_authority(settings: AuthoritySettings, port: int | None = None) -> None:
    """Blocking: serve the authority until SIGINT/SIGTERM."""
    app = create_authority_app(settings)
    config = uvicorn.Config(
        app,
        host=settings.authority.host,
        port=settings.authority.port if port is None else port,
        log_level="warning",
        access_log=False,
    )
    uvicorn.Server(config).run()
