"""Wrong JSON types on every management endpoint that takes a body: 400 with the EDC error
array, never a 500, nothing stored."""

from __future__ import annotations

POSTS = [
    "/v3/assets",
    "/v3/policydefinitions",
    "/v3/contractdefinitions",
    "/v3/catalog/request",
    "/v3/catalog/dataset/request",
    "/v3/contractnegotiations",
    "/v3/transferprocesses",
    "/v3/edrs",
    "/fetch",
    "/v4alpha/connectordiscovery/dspversionparams",
]
QUERIES = [
    "/v3/assets/request",
    "/v3/policydefinitions/request",
    "/v3/contractdefinitions/request",
    "/v3/contractnegotiations/request",
    "/v3/contractagreements/request",
    "/v3/transferprocesses/request",
    "/v3/edrs/request",
]
BAD_BODIES = [
    [],
    "text",
    5,
    {"@id": 5},
    {"@id": "x", "properties": "p", "policy": 7, "assetsSelector": "s", "dataAddress": []},
]


MALFORMED_QUERIES = [
    [],
    "text",
    {"filterExpression": 5},
    {"offset": -1},
    {"filterExpression": [{"operandLeft": "id"}]},
    {"sortField": 3},
]


async def test_post_is_400_when_body_has_wrong_types(node) -> None:
    client, _ = node
    answers = {}
    for path in POSTS:
        for body in BAD_BODIES:
            response = await client.post(path, json=body)
            answers[(path, repr(body))] = (response.status_code, response.json()[0]["type"])
    assert set(answers.values()) == {(400, "ValidationFailure")}


async def test_query_is_400_when_query_spec_malformed(node) -> None:
    client, _ = node
    statuses = {
        (path, repr(body)): (await client.post(path, json=body)).status_code
        for path in QUERIES
        for body in MALFORMED_QUERIES
    }
    assert set(statuses.values()) == {400}
    for path in QUERIES[:3]:
        assert (await client.post(path)).json() == []
