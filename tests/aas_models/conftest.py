"""Paths of the shared specs the AAS tests check against (read only)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from basyx.aas import model
from basyx.aas.adapter.json import read_aas_json_file

from tests.support.paths import SPECS as SPECS_DIR

SPECS = SPECS_DIR
TEMPLATE = SPECS / "aas/carbon-footprint/IDTA_02023-1-0-1_Template_CarbonFootprint.json"
TEMPLATE_ID = "https://admin-shell.io/idta/SubmodelTemplate/CarbonFootprint/1/0"


def load_json(relative: str) -> Any:
    return json.loads((SPECS / relative).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def template() -> model.Submodel:
    with TEMPLATE.open(encoding="utf-8") as handle:
        store = read_aas_json_file(handle, failsafe=False)
    submodel = store.get_item(TEMPLATE_ID)
    assert isinstance(submodel, model.Submodel)
    return submodel
