"""Guard tests for the rules that are otherwise silent (STYLE.md "Guard tests"):
the import direction between packages, purity of `calc` and `policies`, and the pinned public
API (`__all__`) of every package."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUR_PACKAGES = ("connector", "catalog", "policies", "aas_models", "calc")

# Which of our packages each package may import (DESIGN.md "Dependencies point one way").
ALLOWED: dict[str, set[str]] = {
    "calc": set(),
    "policies": set(),
    "catalog": {"policies", "calc"},
    "aas_models": {"policies", "calc"},
    "connector": {"catalog", "policies", "aas_models", "calc"},
}

# Modules that mean I/O; the pure core must not import them.
IO_MODULES = {
    "os",
    "io",
    "socket",
    "subprocess",
    "pathlib",
    "shutil",
    "tempfile",
    "sqlite3",
    "urllib",
    "http",
    "httpx",
    "requests",
    "sqlmodel",
    "sqlalchemy",
    "fastapi",
    "uvicorn",
    "asyncio",
    "time",
    "random",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", OUR_PACKAGES)
def test_package_imports_only_allowed_packages_when_scanned(package: str) -> None:
    forbidden = set(OUR_PACKAGES) - ALLOWED[package] - {package}
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & forbidden)
        for path in _modules(package)
        if _imports(path) & forbidden
    }
    assert offenders == {}


@pytest.mark.parametrize("package", ["calc", "policies"])
def test_pure_package_does_no_io_when_scanned(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & IO_MODULES)
        for path in _modules(package)
        if _imports(path) & IO_MODULES
    }
    assert offenders == {}


@pytest.mark.parametrize("package", OUR_PACKAGES)
def test_package_declares_all_when_imported(package: str) -> None:
    module = importlib.import_module(package)
    exported = getattr(module, "__all__", None)
    assert isinstance(exported, list)
    missing = [name for name in exported if not hasattr(module, name)]
    assert missing == []
