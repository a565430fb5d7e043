"""The active JSON-LD context of a document, built from the known contexts only (no network).

Known context URLs map to term tables; inline context objects contribute prefixes, terms and
`@vocab`. Unknown context URLs are treated as empty (DSP reference §Pitfalls 3). Names the
context leaves undefined still resolve through the ODRL / Catena-X / carbonspace bare-name
table, which is what lets an EDC `{"@vocab": edc}` document or a context-less policy file read the
same as a DSP message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from policies._vocab import (
    BARE_TERMS,
    CATENAX_ODRL_CONTEXT,
    CATENAX_POLICY_CONTEXT,
    CX_LEFT_OPERANDS,
    CX_POLICY_LEGACY_NS,
    DSP_CONTEXT,
    DSP_ODRL_PROFILE_CONTEXT,
    KNOWN_PREFIXES,
    ODRL_CONTEXT,
)

_TRACTUSX_LEGACY_CONTEXT: Final = "https://w3id.org/tractusx/policy/v1.0.0"
_ODRL_URLS: Final = frozenset(
    {DSP_CONTEXT, DSP_ODRL_PROFILE_CONTEXT, ODRL_CONTEXT, CATENAX_ODRL_CONTEXT}
)
# URLs whose terms are already covered by BARE_TERMS (or that define nothing a policy uses).
_NEUTRAL_URLS: Final = _ODRL_URLS | {
    CATENAX_POLICY_CONTEXT,
    "https://w3id.org/edc/connector/management/v0.0.1",
    "https://w3id.org/edc/connector/management/v2",
    "https://w3id.org/edc/dspace/v0.0.1",
}


@dataclass(frozen=True)
class ActiveContext:
    """Term -> IRI, prefix -> namespace and `@vocab` in force for a node."""

    terms: Mapping[str, str] = field(default_factory=dict)
    prefixes: Mapping[str, str] = field(default_factory=dict)
    vocab: str | None = None
    unknown_urls: tuple[str, ...] = ()

    def extend(self, context: object) -> ActiveContext:
        """The context after applying a node's `@context` value."""
        if context is None:
            return self
        items = context if isinstance(context, list) else [context]
        terms, prefixes = dict(self.terms), dict(self.prefixes)
        vocab, unknown = self.vocab, list(self.unknown_urls)
        for item in items:
            if isinstance(item, str):
                if item == _TRACTUSX_LEGACY_CONTEXT:
                    terms.update({n: CX_POLICY_LEGACY_NS + n for n in CX_LEFT_OPERANDS})
                elif item not in _NEUTRAL_URLS:
                    unknown.append(item)
            elif isinstance(item, Mapping):
                vocab = _apply_inline(item, terms, prefixes, vocab)
        return ActiveContext(terms, prefixes, vocab, tuple(unknown))

    def expand(self, name: str, *, use_vocab: bool) -> str:
        """The IRI of a key (`use_vocab=True`) or of a vocabulary-typed value."""
        if name.startswith("@"):
            return name
        if name in self.terms:
            return self.terms[name]
        prefix, sep, suffix = name.partition(":")
        if sep:
            if suffix.startswith("//"):
                return name
            namespace = KNOWN_PREFIXES.get(prefix) or self.prefixes.get(prefix)
            return namespace + suffix if namespace is not None else name
        if name in BARE_TERMS:
            return BARE_TERMS[name]
        if use_vocab and self.vocab is not None:
            return self.vocab + name
        return name


def _apply_inline(
    item: Mapping[str, object], terms: dict[str, str], prefixes: dict[str, str], vocab: str | None
) -> str | None:
    for key, value in item.items():
        if key == "@vocab" and isinstance(value, str):
            vocab = value
        elif key == "@import" and value == _TRACTUSX_LEGACY_CONTEXT:
            terms.update({n: CX_POLICY_LEGACY_NS + n for n in CX_LEFT_OPERANDS})
        elif key.startswith("@"):
            continue
        elif isinstance(value, str):
            if value.endswith(("/", "#")) and key not in KNOWN_PREFIXES:
                prefixes[key] = value
            elif key not in KNOWN_PREFIXES:
                terms[key] = value
        elif isinstance(value, Mapping) and isinstance(value.get("@id"), str):
            terms[key] = str(value["@id"])
    for key, iri in list(terms.items()):
        prefix, sep, suffix = iri.partition(":")
        namespace = KNOWN_PREFIXES.get(prefix) or prefixes.get(prefix)
        if sep and namespace is not None and not suffix.startswith("//"):
            terms[key] = namespace + suffix
    return vocab


EMPTY_CONTEXT: Final = ActiveContext()
