"""Edge module: the read side of the AAS API Part 2 (IDTA-01002-3 V3.0 SSP-002 profiles of the
AAS Repository and the Submodel Repository, plus `/serialization` and `/description`) as a
FastAPI router. It is handed a repository and a guard; the node mounts it at `/api/aas` (its own
tools) and the data plane at `/api/public` (behind an EDR).

`guard(request, kind, identifier)` returns None to allow, or an object with `status` and `detail`
(e.g. `connector.outcome.Failure`) to refuse; kinds: `shells`, `shell`, `submodels`, `submodel`,
`serialization`, `description`. List endpoints call it once for the list and once per item."""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from aas_models import _serialization as ser
from aas_models._api_params import (
    MODIFIERS,
    AasError,
    Query,
    b64url_decode,
    check_modifier,
    decode_json_param,
    page,
    parse_query,
    result_body,
)
from aas_models._api_submodel import element_response, submodel_response
from aas_models._repository import AasRepository, StoredIdentifiable

PROFILES: tuple[str, ...] = (
    "https://admin-shell.io/aas/API/3/0/AssetAdministrationShellRepositoryServiceSpecification/SSP-002",
    "https://admin-shell.io/aas/API/3/0/SubmodelRepositoryServiceSpecification/SSP-002",
    "https://admin-shell.io/aas/API/3/1/AssetAdministrationShellRepositoryServiceSpecification/SSP-002",
    "https://admin-shell.io/aas/API/3/1/SubmodelRepositoryServiceSpecification/SSP-002",
)


class Refusal(Protocol):
    @property
    def status(self) -> int: ...

    @property
    def detail(self) -> str: ...


Guard = Callable[[Request, str, str | None], "Refusal | Awaitable[Refusal | None] | None"]
RepositoryFor = Callable[[Request], AasRepository]


def json_response(data: Any) -> Response:
    return Response(json.dumps(data, separators=(",", ":")), media_type="application/json")


def build_router(
    prefix: str, repository_for: RepositoryFor, guard: Guard | None = None
) -> APIRouter:
    """The AAS read API under `prefix` (e.g. `/api/aas`); every answer is JSON or a Result."""
    router = APIRouter(prefix=prefix, tags=["AAS API (Part 2, read)"])

    async def handle(request: Request, kind: str, rest: str) -> Response:
        try:
            api = _Api(request, repository_for(request), guard)
            return await api.dispatch(kind, [s for s in rest.split("/") if s != ""], rest)
        except AasError as exc:
            return JSONResponse(result_body(exc.status, exc.text), status_code=exc.status)

    @router.get("/description", summary="GetDescription")
    async def description(request: Request) -> Response:
        return await handle(request, "description", "")

    @router.get("/serialization", summary="GenerateSerializationByIds")
    async def serialization(request: Request) -> Response:
        return await handle(request, "serialization", "")

    @router.get("/shells{rest:path}", summary="AAS Repository (read)")
    async def shells(request: Request, rest: str) -> Response:
        return await handle(request, "shells", rest)

    @router.get("/submodels{rest:path}", summary="Submodel Repository (read)")
    async def submodels(request: Request, rest: str) -> Response:
        return await handle(request, "submodels", rest)

    return router


class _Api:
    def __init__(self, request: Request, repository: AasRepository, guard: Guard | None) -> None:
        self.request = request
        self.repository = repository
        self.guard = guard
        self.query = parse_query(request.query_params)

    async def allow(self, kind: str, identifier: str | None) -> bool:
        if self.guard is None:
            return True
        refusal = self.guard(self.request, kind, identifier)
        if inspect.isawaitable(refusal):
            refusal = await refusal
        return refusal is None

    async def check(self, kind: str, identifier: str | None) -> None:
        if self.guard is None:
            return
        refusal = self.guard(self.request, kind, identifier)
        if inspect.isawaitable(refusal):
            refusal = await refusal
        if refusal is not None:
            raise AasError(refusal.status, refusal.detail)

    async def dispatch(self, kind: str, segments: list[str], rest: str) -> Response:
        if rest and not rest.startswith("/"):
            raise AasError(404, f"no such resource: {kind}{rest}")
        if kind == "description":
            await self.check("description", None)
            return json_response({"profiles": list(PROFILES)})
        if kind == "serialization":
            return await self.serialization()
        if kind == "shells":
            return await self.shells(segments)
        return await self.submodels(segments)

    # ---- shells ------------------------------------------------------------------------------

    async def shells(self, segments: list[str]) -> Response:
        if not segments or segments == ["$reference"]:
            return await self.all_shells(reference=bool(segments))
        shell = await self.one_shell(segments[0])
        tail = segments[1:]
        if not tail:
            return Response(shell.json_bytes, media_type="application/json")
        if tail == ["$reference"]:
            return json_response(_shell_reference(shell.id))
        if tail == ["asset-information"]:
            return json_response(shell.data["assetInformation"])
        if tail == ["asset-information", "thumbnail"]:
            raise AasError(404, "the shell has no thumbnail")
        if tail == ["submodel-refs"]:
            refs = shell.data.get("submodels", [])
            chunk, meta = page(sorted(refs, key=_ref_key), self.query, _ref_key)
            return json_response({"paging_metadata": meta, "result": chunk})
        if tail[0] == "submodels" and len(tail) >= 2:
            submodel_id = b64url_decode(tail[1], "submodelIdentifier")
            if submodel_id not in {_ref_key(r) for r in shell.data.get("submodels", [])}:
                raise AasError(404, f"shell {shell.id} has no submodel {submodel_id}")
            return await self.submodels(tail[1:])
        raise AasError(404, "no such resource under the shell")

    async def one_shell(self, encoded: str) -> StoredIdentifiable:
        identifier = b64url_decode(encoded, "aasIdentifier")
        await self.check("shell", identifier)
        shell = await self.repository.shell(identifier)
        if shell is None:
            raise AasError(404, f"no shell with id {identifier!r}")
        return shell

    async def all_shells(self, reference: bool) -> Response:
        await self.check("shells", None)
        items = [s for s in await self.repository.shells() if await self.allow("shell", s.id)]
        items = _filter_shells(items, self.request)
        chunk, meta = page(items, self.query, lambda item: item.id)
        result = [_shell_reference(s.id) if reference else s.data for s in chunk]
        return json_response({"paging_metadata": meta, "result": result})

    # ---- submodels ---------------------------------------------------------------------------

    async def submodels(self, segments: list[str]) -> Response:
        if not segments or (len(segments) == 1 and segments[0] in MODIFIERS):
            return await self.all_submodels(segments[0] if segments else None)
        identifier = b64url_decode(segments[0], "submodelIdentifier")
        await self.check("submodel", identifier)
        stored = await self.repository.submodel(identifier)
        if stored is None:
            raise AasError(404, f"no submodel with id {identifier!r}")
        tail = segments[1:]
        if not tail or (len(tail) == 1 and tail[0] in MODIFIERS):
            modifier = tail[0] if tail else None
            check_modifier(modifier, self.query)
            return submodel_response(stored, modifier, self.query)
        if tail[0] != "submodel-elements":
            raise AasError(404, f"no such resource: {'/'.join(tail)}")
        return element_response(stored, tail[1:], self.query)

    async def all_submodels(self, modifier: str | None) -> Response:
        check_modifier(modifier, self.query)
        await self.check("submodels", None)
        items = [s for s in await self.repository.submodels() if await self.allow("submodel", s.id)]
        items = _filter_submodels(items, self.request)
        if modifier == "$path":
            flat = [p for s in items for p in ser.paths(s.submodel(), deep=self.query.deep)]
            paths, meta = page(list(enumerate(flat)), self.query, lambda item: f"{item[0]:09d}")
            return json_response({"paging_metadata": meta, "result": [p for _, p in paths]})
        chunk, meta = page(items, self.query, lambda item: item.id)
        result: list[Any]
        if modifier == "$value":
            texts = [ser.value_only_text(s.submodel(), self.query.deep) for s in chunk]
            body = '{"paging_metadata":' + json.dumps(meta) + ',"result":[' + ",".join(texts) + "]}"
            return Response(body, media_type="application/json")
        else:
            result = [_submodel_list_item(s, modifier, self.query) for s in chunk]
        return json_response({"paging_metadata": meta, "result": result})

    # ---- serialization -----------------------------------------------------------------------

    async def serialization(self) -> Response:
        await self.check("serialization", None)
        params = self.request.query_params
        aas_ids = _id_list(params.getlist("aasIds"), "aasIds")
        submodel_ids = _id_list(params.getlist("submodelIds"), "submodelIds")
        include = params.get("includeConceptDescriptions", "true").lower()
        if include not in ("true", "false"):
            raise AasError(400, "includeConceptDescriptions: must be true or false")
        shells = [s for s in await self.repository.shells() if s.id in aas_ids or not aas_ids]
        submodels = [
            s for s in await self.repository.submodels() if s.id in submodel_ids or not submodel_ids
        ]
        shells = [s for s in shells if await self.allow("shell", s.id)]
        submodels = [s for s in submodels if await self.allow("submodel", s.id)]
        env = ser.environment(
            [s.data for s in shells], [s.data for s in submodels], include == "true"
        )
        return json_response(env)


def _id_list(values: Sequence[str], name: str) -> set[str]:
    out: set[str] = set()
    for value in values:
        out.update(b64url_decode(part, name) for part in value.split(",") if part)
    return out


def _ref_key(reference: dict[str, Any]) -> str:
    return str(reference["keys"][-1]["value"])


def _shell_reference(identifier: str) -> dict[str, Any]:
    key = {"type": "AssetAdministrationShell", "value": identifier}
    return {"type": "ModelReference", "keys": [key]}


def _submodel_list_item(stored: StoredIdentifiable, modifier: str | None, query: Query) -> Any:
    if modifier == "$metadata":
        return ser.metadata(stored.data)
    if modifier == "$reference":
        return {"type": "ModelReference", "keys": [{"type": "Submodel", "value": stored.id}]}
    return stored.data if query.deep else ser.core(stored.data)


def _filter_shells(items: list[StoredIdentifiable], request: Request) -> list[StoredIdentifiable]:
    id_short = request.query_params.get("idShort")
    asset_ids = [decode_json_param(v, "assetIds") for v in request.query_params.getlist("assetIds")]
    for asset in asset_ids:
        if not isinstance(asset, dict) or not isinstance(asset.get("name"), str):
            raise AasError(400, "assetIds: each must be a SpecificAssetId with name and value")
    return [
        s for s in items
        if (id_short is None or s.data.get("idShort") == id_short)
        and all(_has_asset_id(s.data, asset) for asset in asset_ids)
    ]  # fmt: skip


def _has_asset_id(shell: dict[str, Any], asset: dict[str, Any]) -> bool:
    info = shell.get("assetInformation", {})
    if asset["name"] == "globalAssetId":
        return bool(info.get("globalAssetId") == asset.get("value"))
    return any(
        s.get("name") == asset["name"] and s.get("value") == asset.get("value")
        for s in info.get("specificAssetIds", [])
    )


def _filter_submodels(
    items: list[StoredIdentifiable], request: Request
) -> list[StoredIdentifiable]:
    id_short = request.query_params.get("idShort")
    raw = request.query_params.get("semanticId")
    semantic = decode_json_param(raw, "semanticId") if raw is not None else None
    if semantic is not None and not (isinstance(semantic, dict) and "keys" in semantic):
        raise AasError(400, "semanticId: must be a base64url-encoded Reference")
    return [
        s for s in items
        if (id_short is None or s.data.get("idShort") == id_short)
        and (semantic is None or _same_keys(s.data.get("semanticId"), semantic))
    ]  # fmt: skip


def _same_keys(actual: Any, wanted: dict[str, Any]) -> bool:
    return isinstance(actual, dict) and actual.get("keys") == wanted.get("keys")
