"""Signed submodels with provenance (issue 7, item 3)."""

from __future__ import annotations

import copy

import pytest

from connector.outcome import Failure, Ok
from connector.upstream._canonical import (
    PROVENANCE_EXTENSION,
    SIGNATURE_EXTENSION,
    CanonicalError,
    canonical_bytes,
    extension_value,
)
from connector.upstream._provenance import (
    PrecursorSource,
    Provenance,
    ProvenanceError,
    lineage_hash,
    parse_provenance,
)
from connector.upstream.signing import sign_submodel, verify_submodel
from tests.connector.upstream._signer import KeyRing

MILL = "did:web:127.0.0.1%3A9001"
ORE = "did:web:127.0.0.1%3A9000"


def _submodel() -> dict:
    return {
        "modelType": "Submodel",
        "id": "urn:cs:coil:cf:3",
        "idShort": "CarbonFootprint",
        "submodelElements": [
            {
                "modelType": "Property",
                "idShort": "PcfCO2eq",
                "valueType": "xs:decimal",
                "value": "2.12",
            }
        ],
    }


def _provenance() -> Provenance:
    source = PrecursorSource(ORE, "pellets", "4", "sha256:" + "a" * 64)
    return Provenance(MILL, "coil", (source,), frozenset({lineage_hash(MILL, "coil")}))


def test_canonical_bytes_when_keys_unordered_sorts_them_without_spaces() -> None:
    assert canonical_bytes({"b": [1, "é"], "a": None}) == '{"a":null,"b":[1,"é"]}'.encode()


def test_canonical_bytes_when_float_present_names_the_path() -> None:
    with pytest.raises(CanonicalError, match=r"\$\.x\[0\]"):
        canonical_bytes({"x": [0.5]})


async def test_verify_submodel_when_signed_by_publisher_returns_provenance() -> None:
    ring = KeyRing()
    signed = sign_submodel(ring.signer(MILL), _submodel(), _provenance())
    verified = await verify_submodel(ring.signer(ORE), signed, MILL)
    assert isinstance(verified, Ok)
    assert verified.value.provenance == _provenance()
    assert verified.value.signature == extension_value(signed, SIGNATURE_EXTENSION)
    assert verified.value.submodel_hash.startswith("sha256:")


async def test_verify_submodel_when_value_tampered_fails_closed() -> None:
    ring = KeyRing()
    signed = sign_submodel(ring.signer(MILL), _submodel(), _provenance())
    tampered = copy.deepcopy(signed)
    tampered["submodelElements"][0]["value"] = "1.00"
    verified = await verify_submodel(ring.signer(ORE), tampered, MILL)
    assert isinstance(verified, Failure)
    assert verified.detail == f"invalid signature: payload is not signed by {MILL}"


async def test_verify_submodel_when_signed_by_another_did_fails() -> None:
    ring = KeyRing()
    ring.signer(MILL)
    signed = sign_submodel(ring.signer(ORE), _submodel(), _provenance())
    verified = await verify_submodel(ring.signer(ORE), signed, MILL)
    assert isinstance(verified, Failure)
    assert verified.status == 401


async def test_verify_submodel_when_signature_missing_fails() -> None:
    verified = await verify_submodel(KeyRing().signer(ORE), _submodel(), MILL)
    assert isinstance(verified, Failure)
    assert verified.detail == f"submodel carries no {SIGNATURE_EXTENSION} extension"


async def test_verify_submodel_when_provenance_names_other_publisher_fails() -> None:
    ring = KeyRing()
    other = Provenance(ORE, "coil", (), frozenset())
    signed = sign_submodel(ring.signer(MILL), _submodel(), other)
    verified = await verify_submodel(ring.signer(ORE), signed, MILL)
    assert isinstance(verified, Failure)
    assert verified.detail == f"provenance.publisher {ORE} is not the signer {MILL}"


def test_provenance_when_serialised_holds_no_raw_data_and_round_trips() -> None:
    text = _provenance().to_json()
    assert parse_provenance(text) == _provenance()
    assert "coil" in text and "activity" not in text


def test_parse_provenance_when_precursor_lacks_version_names_field() -> None:
    text = (
        '{"publisher":"d","productId":"p","lineage":[],'
        '"precursors":[{"supplier":"s","productId":"x","submodelHash":"h"}]}'
    )
    with pytest.raises(ProvenanceError, match=r"provenance\.precursors\[0\]\.version"):
        parse_provenance(text)


def test_signed_submodel_when_built_keeps_both_extensions() -> None:
    signed = sign_submodel(KeyRing().signer(MILL), _submodel(), _provenance())
    names = [e["name"] for e in signed["extensions"]]
    assert names == [PROVENANCE_EXTENSION, SIGNATURE_EXTENSION]
