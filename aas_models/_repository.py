"""What the AAS API reads from: stored identifiables (their Normal JSON text, parsed lazily)
behind an async repository the node (database) or a test (memory) provides."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from basyx.aas import model
from basyx.aas.adapter.json import StrictAASFromJsonDecoder


@dataclass(frozen=True)
class StoredIdentifiable:
    """One shell or submodel as served: `json_text` is its AAS JSON (Normal serialisation)."""

    id: str
    json_text: str

    @cached_property
    def json_bytes(self) -> bytes:
        return self.json_text.encode()

    @cached_property
    def data(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.json_text)
        return loaded

    @cached_property
    def obj(self) -> Any:
        """The basyx object (Submodel / AssetAdministrationShell), parsed strictly once."""
        return json.loads(self.json_text, cls=StrictAASFromJsonDecoder)

    def submodel(self) -> model.Submodel:
        parsed = self.obj
        if not isinstance(parsed, model.Submodel):
            raise TypeError(f"{self.id} is not a submodel")
        return parsed


class AasRepository(Protocol):
    """Read access to shells and submodels; lists are sorted by id."""

    async def shells(self) -> Sequence[StoredIdentifiable]: ...

    async def shell(self, identifier: str) -> StoredIdentifiable | None: ...

    async def submodels(self) -> Sequence[StoredIdentifiable]: ...

    async def submodel(self, identifier: str) -> StoredIdentifiable | None: ...


@dataclass(frozen=True)
class MemoryRepository:
    """An in-memory repository (tests, `carbonspace aas export`, the conformance app)."""

    shell_items: tuple[StoredIdentifiable, ...]
    submodel_items: tuple[StoredIdentifiable, ...]

    async def shells(self) -> Sequence[StoredIdentifiable]:
        return sorted(self.shell_items, key=lambda item: item.id)

    async def shell(self, identifier: str) -> StoredIdentifiable | None:
        return next((s for s in self.shell_items if s.id == identifier), None)

    async def submodels(self) -> Sequence[StoredIdentifiable]:
        return sorted(self.submodel_items, key=lambda item: item.id)

    async def submodel(self, identifier: str) -> StoredIdentifiable | None:
        return next((s for s in self.submodel_items if s.id == identifier), None)
