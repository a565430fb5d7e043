"""Reading calculation input files (JSON or YAML) into the mapping `calc.parse_input` takes.

JSON numbers are read as `Decimal` (never through a binary float); YAML floats are converted
through their shortest repr by the engine. Errors name the file and the problem.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml


class InputFileError(ValueError):
    """The file cannot be read or is not well-formed JSON / YAML."""


def load_input_file(path: Path) -> Any:
    """The parsed content of a `.json`, `.yaml` or `.yml` input file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            raise InputFileError(f"{path}: not valid YAML{where}") from None
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise InputFileError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
