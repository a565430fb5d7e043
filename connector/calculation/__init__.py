"""The `calc` engine at the node's edge: input files, shipped default values, `carbonspace calc`."""

from connector.calculation.defaults import (
    DEFAULT_VALUES_CSV,
    load_default_values,
    shipped_default_values,
)
from connector.calculation.files import InputFileError, load_input_file

__all__ = [
    "DEFAULT_VALUES_CSV",
    "InputFileError",
    "load_default_values",
    "load_input_file",
    "shipped_default_values",
]
