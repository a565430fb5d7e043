"""carbonspace calculation engine: EU CBAM embedded emissions and PCF aggregation (pure).

Immutable data in, result with provenance or errors out; no I/O, clock, environment or
imports of other carbonspace packages. Method: /docs/calc.md (IR 2023/1773, 2025/2547).

    model = parse_input(mapping)                # CalcInput | list[CalcError]
    result = compute(model, default_values, supplier_values, import_mass_t)
    data = result_to_json(result)               # decimals as strings
"""

from calc._defaults import (
    OTHER_COUNTRIES,
    DefaultValue,
    DefaultValueRow,
    DefaultValuesTable,
    build_default_values,
    row_from_csv,
)
from calc._engine import compute, supplier_keys
from calc._model import (
    CalcInput,
    Options,
    Regime,
    SupplierKey,
    SupplierValue,
    WasteGasElectricity,
)
from calc._parse import FORMAT, parse_input
from calc._parse_base import CalcError
from calc._provenance import Provenance, Source, SourceKind, provenance_to_json
from calc._result import (
    CalcResult,
    ComponentResult,
    GoodResult,
    ImportResult,
    PcfResult,
    PrecursorResult,
    ProcessResult,
    StreamResult,
)
from calc._schema import input_json_schema
from calc._serialise import RESULT_FORMAT, result_to_json

__all__ = [
    "FORMAT",
    "OTHER_COUNTRIES",
    "RESULT_FORMAT",
    "CalcError",
    "CalcInput",
    "CalcResult",
    "ComponentResult",
    "DefaultValue",
    "DefaultValueRow",
    "DefaultValuesTable",
    "GoodResult",
    "ImportResult",
    "Options",
    "PcfResult",
    "PrecursorResult",
    "ProcessResult",
    "Provenance",
    "Regime",
    "Source",
    "SourceKind",
    "StreamResult",
    "SupplierKey",
    "SupplierValue",
    "WasteGasElectricity",
    "build_default_values",
    "compute",
    "input_json_schema",
    "parse_input",
    "provenance_to_json",
    "result_to_json",
    "row_from_csv",
    "supplier_keys",
]
