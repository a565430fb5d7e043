"""Routes: `/v3/assets`, `/v3/policydefinitions`, `/v3/contractdefinitions` (CRUD + `/request`),
`/v3/policytemplates` (the POLICY stream's templates, read-only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from connector.context import NodeContext, get_context
from connector.management import provider
from connector.management._jsonld import read_json
from connector.management._query import read_query_spec
from connector.management._routing import respond, route
from connector.management.schemas import (
    parse_asset,
    parse_contract_definition,
    parse_policy_definition_document,
)
from connector.outcome import Failure, Ok, bad_request
from policies import TemplateError, list_templates, policy_template, to_edc_policy_definition

router = APIRouter()
Ctx = Depends(get_context)


async def _body(request: Request, parser: Any, *args: Any) -> Any:
    document = await read_json(request)
    return document if isinstance(document, Failure) else parser(document.value, *args)


@route(router, "POST", "/v3/assets")
async def create_asset(request: Request, context: NodeContext = Ctx) -> Response:
    parsed = await _body(request, parse_asset)
    if isinstance(parsed, Failure):
        return respond(request, parsed)
    return respond(request, await provider.add_asset(context, parsed.value))


@route(router, "PUT", "/v3/assets")
async def update_asset(request: Request, context: NodeContext = Ctx) -> Response:
    parsed = await _body(request, parse_asset)
    if isinstance(parsed, Failure):
        return respond(request, parsed)
    return respond(request, await provider.replace_asset(context, parsed.value))


@route(router, "POST", "/v3/assets/request")
async def query_assets(request: Request, context: NodeContext = Ctx) -> Response:
    spec = await read_query_spec(request)
    return respond(
        request,
        spec if isinstance(spec, Failure) else await provider.query_assets(context, spec.value),
    )


@route(router, "GET", "/v3/assets/{asset_id:path}")
async def get_asset(asset_id: str, request: Request, context: NodeContext = Ctx) -> Response:
    return respond(request, await provider.show_asset(context, asset_id))


@route(router, "DELETE", "/v3/assets/{asset_id:path}")
async def delete_asset(asset_id: str, request: Request, context: NodeContext = Ctx) -> Response:
    return respond(request, await provider.remove_asset(context, asset_id))


@route(router, "POST", "/v3/policydefinitions")
async def create_policy(request: Request, context: NodeContext = Ctx) -> Response:
    parsed = await _body(request, parse_policy_definition_document)
    if isinstance(parsed, Failure):
        return respond(request, parsed)
    return respond(request, await provider.add_policy_definition(context, parsed.value))


@route(router, "PUT", "/v3/policydefinitions")
async def update_policy_without_id(request: Request, context: NodeContext = Ctx) -> Response:
    """tractusx-sdk's `update()` PUTs here without the id (edc-mgmt-api.md §3 row 18)."""
    parsed = await _body(request, parse_policy_definition_document)
    if isinstance(parsed, Failure):
        return respond(request, parsed)
    return respond(
        request, await provider.add_policy_definition(context, parsed.value, replace=True)
    )


@route(router, "POST", "/v3/policydefinitions/request")
async def query_policies(request: Request, context: NodeContext = Ctx) -> Response:
    spec = await read_query_spec(request)
    return respond(
        request,
        spec
        if isinstance(spec, Failure)
        else await provider.query_policy_definitions(context, spec.value),
    )


@route(router, "GET", "/v3/policydefinitions/{definition_id:path}")
async def get_policy(definition_id: str, request: Request, context: NodeContext = Ctx) -> Response:
    return respond(request, await provider.show_policy_definition(context, definition_id))


@route(router, "PUT", "/v3/policydefinitions/{definition_id:path}")
async def update_policy(
    definition_id: str, request: Request, context: NodeContext = Ctx
) -> Response:
    parsed = await _body(request, parse_policy_definition_document, definition_id)
    if isinstance(parsed, Failure):
        return respond(request, parsed)
    return respond(
        request, await provider.add_policy_definition(context, parsed.value, replace=True)
    )


@route(router, "DELETE", "/v3/policydefinitions/{definition_id:path}")
async def delete_policy(
    definition_id: str, request: Request, context: NodeContext = Ctx
) -> Response:
    return respond(request, await provider.remove_policy_definition(context, definition_id))


@route(router, "POST", "/v3/contractdefinitions")
async def create_contract_definition(request: Request, context: NodeContext = Ctx) -> Response:
    parsed = await _body(request, parse_contract_definition)
    if isinstance(parsed, Failure):
        return respond(request, parsed)
    return respond(request, await provider.add_contract_definition(context, parsed.value))


@route(router, "PUT", "/v3/contractdefinitions")
async def update_contract_definition(request: Request, context: NodeContext = Ctx) -> Response:
    parsed = await _body(request, parse_contract_definition)
    if isinstance(parsed, Failure):
        return respond(request, parsed)
    return respond(
        request, await provider.add_contract_definition(context, parsed.value, replace=True)
    )


@route(router, "POST", "/v3/contractdefinitions/request")
async def query_contract_definitions(request: Request, context: NodeContext = Ctx) -> Response:
    spec = await read_query_spec(request)
    return respond(
        request,
        spec
        if isinstance(spec, Failure)
        else await provider.query_contract_definitions(context, spec.value),
    )


@route(router, "GET", "/v3/contractdefinitions/{definition_id:path}")
async def get_contract_definition(
    definition_id: str, request: Request, context: NodeContext = Ctx
) -> Response:
    return respond(request, await provider.show_contract_definition(context, definition_id))


@route(router, "DELETE", "/v3/contractdefinitions/{definition_id:path}")
async def delete_contract_definition(
    definition_id: str, request: Request, context: NodeContext = Ctx
) -> Response:
    return respond(request, await provider.remove_contract_definition(context, definition_id))


def _template_json(template: Any) -> dict[str, Any]:
    return {
        "name": template.name,
        "description": template.description,
        "options": [
            {
                "name": o.name,
                "kind": o.kind,
                "default": list(o.default) if isinstance(o.default, tuple) else o.default,
                "description": o.description,
                "required": o.required,
            }
            for o in template.options
        ],
    }


@route(router, "GET", "/v3/policytemplates")
async def policy_templates(request: Request) -> Response:
    """carbonspace addition: the policy templates an operator can instantiate."""
    return respond(request, Ok([_template_json(t) for t in list_templates()]))


@route(router, "POST", "/v3/policytemplates/{name}")
async def instantiate_template(name: str, request: Request) -> Response:
    """carbonspace addition: a `PolicyDefinition` body built from a template and its options
    (the JSON body); POST it to `/v3/policydefinitions` (with an `@id`) to store it."""
    document = await read_json(request, required=False)
    if isinstance(document, Failure):
        return respond(request, document)
    if not isinstance(document.value, dict):
        return respond(request, bad_request("request body: options must be a JSON object"))
    options = {k: v for k, v in document.value.items() if not k.startswith("@")}
    try:
        policy = policy_template(name, **options)
    except TemplateError as exc:
        return respond(request, bad_request(str(exc)))
    except (TypeError, ValueError) as exc:
        return respond(request, bad_request(f"template options: {exc}"))
    return respond(request, Ok(to_edc_policy_definition(policy)))
