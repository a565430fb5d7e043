"""Run the official aas-test-engines 1.0.3 read-profile suites against a node's `/api/aas` with
its management key (the engine's own `--header` option is ignored in 1.0.3):

    python -m tests.connector.products.aas_check http://127.0.0.1:8080/api/aas API_KEY

Exit code 0 when every suite passes; the failing suite's report is printed otherwise."""

from __future__ import annotations

import json
import sys
from typing import Any

from aas_test_engines import api as engine
from aas_test_engines import config as engine_config
from aas_test_engines import http as engine_http

SUITES = (
    "https://admin-shell.io/aas/API/3/0/SubmodelRepositoryServiceSpecification/SSP-002",
    "https://admin-shell.io/aas/API/3/0/AssetAdministrationShellRepositoryServiceSpecification/SSP-002",
)


class KeyClient(engine_http.HttpClient):
    """aas-test-engines' HTTP client with the management key on every request."""

    def descend(self, prefix: str) -> KeyClient:
        client = KeyClient(self.host, self.verify, self.remove_path_prefix, self.additional_headers)
        client.prefixes.append(prefix)
        return client

    def send(self, request: Any) -> Any:
        request.headers.update(self.additional_headers)
        return super().send(request)


def run_suite(base: str, api_key: str, suite: str) -> tuple[bool, dict[str, Any]]:
    client = KeyClient(base, False, "", {"X-Api-Key": api_key})
    result, _ = engine.execute_tests(client, engine_config.CheckApiConfig(suite=suite))
    return bool(result.ok()), result.to_dict()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    failed = 0
    for suite in SUITES:
        ok, report = run_suite(argv[0], argv[1], suite)
        print(f"{'PASS' if ok else 'FAIL'} {suite}")
        if not ok:
            failed += 1
            print(json.dumps(report, indent=1)[:20000])
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
