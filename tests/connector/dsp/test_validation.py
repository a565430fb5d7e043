"""The node validates DSP messages with jsonschema-rs; the reference implementation of JSON
Schema (python-jsonschema, on the spec's schemas in shared/specs) must reach the same verdict,
on the spec's examples and on broken variants of them."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from connector.dsp import SCHEMA_BY_TYPE, schema_problems
from tests.catalog.conftest import dsp_problems
from tests.connector.dsp.test_messages import MESSAGE_EXAMPLES

EXAMPLES = [json.loads(path.read_text()) for path in MESSAGE_EXAMPLES]

_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["", "x", "REQUESTED"])
)
_REPLACEMENTS = st.one_of(
    _SCALARS, st.lists(_SCALARS, max_size=2), st.dictionaries(st.just("@id"), _SCALARS)
)


def _containers(document: Any) -> list[Any]:
    """Every object and array in `document`, itself included."""
    found = [document] if isinstance(document, dict | list) else []
    children = document.values() if isinstance(document, dict) else document
    if isinstance(document, dict | list):
        for child in children:
            found += _containers(child)
    return found


@st.composite
def broken_messages(draw: st.DrawFn) -> dict[str, Any]:
    """A spec example with one to three random edits: a member removed, a value replaced by a
    value of another shape, or an unknown member added."""
    message = copy.deepcopy(draw(st.sampled_from(EXAMPLES)))
    for _ in range(draw(st.integers(1, 3))):
        container = draw(st.sampled_from(_containers(message)))
        if isinstance(container, dict):
            keys = sorted(container)
            edit = draw(st.sampled_from(["remove", "replace", "add"] if keys else ["add"]))
            if edit == "add":
                container[draw(st.sampled_from(["extra", "state", "offer"]))] = draw(_REPLACEMENTS)
                continue
            key = draw(st.sampled_from(keys))
            if key == "@type" and container is message:
                continue  # the type picks the schema; a wrong type is refused before it
            if edit == "remove":
                del container[key]
            else:
                container[key] = draw(_REPLACEMENTS)
        elif container:
            index = draw(st.integers(0, len(container) - 1))
            if draw(st.booleans()):
                del container[index]
            else:
                container[index] = draw(_REPLACEMENTS)
    return message


def _reference_problems(message: dict[str, Any]) -> list[str]:
    return dsp_problems(message, SCHEMA_BY_TYPE[message["@type"]])


def test_spec_examples_are_valid_for_both_implementations() -> None:
    for message in EXAMPLES:
        assert schema_problems(message, message["@type"]) == []
        assert _reference_problems(message) == []


@settings(max_examples=300, deadline=None)
@given(broken_messages())
def test_verdict_matches_reference_implementation_when_message_is_broken(
    message: dict[str, Any],
) -> None:
    ours = schema_problems(message, message["@type"])
    reference = _reference_problems(message)
    assert bool(ours) == bool(reference), (ours, reference)


def test_problem_names_the_member_and_the_rule_when_message_is_broken() -> None:
    message = copy.deepcopy(next(m for m in EXAMPLES if m["@type"] == "ContractRequestMessage"))
    message["consumerPid"] = 7
    del message["offer"]
    problems = schema_problems(message, "ContractRequestMessage")
    assert 'consumerPid: 7 is not of type "string"' in problems
    assert '(root): "offer" is a required property' in problems
