"""Namespaces and the term tables of the JSON-LD contexts we read and write without a network.

Covers ODRL 2.2 (W3C ODRL Information Model / Common Vocabulary), the DSP 2025-1 ODRL profile
context (`https://w3id.org/dspace/2025/1/odrl-profile.jsonld`), the EDC management namespace and
the Catena-X 2025-09 policy profile (`https://w3id.org/catenax/2025/9/policy/context.jsonld`),
plus carbonspace's own left operands. A term not in these tables stays a full IRI (or the string
as given) and the engine denies on it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

ODRL_NS: Final = "http://www.w3.org/ns/odrl/2/"
EDC_NS: Final = "https://w3id.org/edc/v0.0.1/ns/"
DSPACE_NS: Final = "https://w3id.org/dspace/2025/1/"
CX_POLICY_NS: Final = "https://w3id.org/catenax/2025/9/policy/"
CX_POLICY_LEGACY_NS: Final = "https://w3id.org/catenax/policy/"
CS_POLICY_NS: Final = "https://w3id.org/carbonspace/policy/"
XSD_NS: Final = "http://www.w3.org/2001/XMLSchema#"
DCT_NS: Final = "http://purl.org/dc/terms/"

DSP_CONTEXT: Final = "https://w3id.org/dspace/2025/1/context.jsonld"
DSP_ODRL_PROFILE_CONTEXT: Final = "https://w3id.org/dspace/2025/1/odrl-profile.jsonld"
CATENAX_POLICY_CONTEXT: Final = "https://w3id.org/catenax/2025/9/policy/context.jsonld"
CATENAX_ODRL_CONTEXT: Final = "https://w3id.org/catenax/2025/9/policy/odrl.jsonld"
ODRL_CONTEXT: Final = "http://www.w3.org/ns/odrl.jsonld"

# Prefixes every reader understands, whatever the document's @context says (a document may add
# others; it may not redefine these: the Catena-X context maps `odrl` to a URL, not ODRL's IRI).
KNOWN_PREFIXES: Final[dict[str, str]] = {
    "odrl": ODRL_NS,
    "edc": EDC_NS,
    "dspace": DSPACE_NS,
    "cx-policy": CX_POLICY_NS,
    "cs-policy": CS_POLICY_NS,
    "xsd": XSD_NS,
    "dct": DCT_NS,
    "dcterms": DCT_NS,
}


class Operator(StrEnum):
    """ODRL operators (ODRL 2.2 Common Vocabulary §2.5); values are the full IRIs."""

    EQ = ODRL_NS + "eq"
    NEQ = ODRL_NS + "neq"
    GT = ODRL_NS + "gt"
    GTEQ = ODRL_NS + "gteq"
    LT = ODRL_NS + "lt"
    LTEQ = ODRL_NS + "lteq"
    IS_PART_OF = ODRL_NS + "isPartOf"
    IS_ANY_OF = ODRL_NS + "isAnyOf"
    IS_ALL_OF = ODRL_NS + "isAllOf"
    IS_NONE_OF = ODRL_NS + "isNoneOf"
    HAS_PART = ODRL_NS + "hasPart"


class LogicalOperator(StrEnum):
    """ODRL logical constraint operands (ODRL 2.2 Information Model §2.6)."""

    AND = ODRL_NS + "and"
    OR = ODRL_NS + "or"
    XONE = ODRL_NS + "xone"
    AND_SEQUENCE = ODRL_NS + "andSequence"


class PolicyType(StrEnum):
    """ODRL policy subclasses used by DSP and EDC."""

    SET = ODRL_NS + "Set"
    OFFER = ODRL_NS + "Offer"
    AGREEMENT = ODRL_NS + "Agreement"


class Action(StrEnum):
    """Actions with a meaning in the engine: `use` is what every scope asks for."""

    USE = ODRL_NS + "use"
    CX_ACCESS = CX_POLICY_NS + "access"


class LeftOperand(StrEnum):
    """Left operands the built-in constraint functions understand (docs/policies.md)."""

    DATE_TIME = ODRL_NS + "dateTime"
    ELAPSED_TIME = ODRL_NS + "elapsedTime"
    PURPOSE = ODRL_NS + "purpose"
    PARTICIPANT_ID = CS_POLICY_NS + "ParticipantId"
    MEMBERSHIP = CX_POLICY_NS + "Membership"
    FRAMEWORK_AGREEMENT = CX_POLICY_NS + "FrameworkAgreement"
    USAGE_PURPOSE = CX_POLICY_NS + "UsagePurpose"
    BUSINESS_PARTNER_NUMBER = CX_POLICY_NS + "BusinessPartnerNumber"
    BUSINESS_PARTNER_GROUP = CX_POLICY_NS + "BusinessPartnerGroup"
    DATA_USAGE_END_DATE = CX_POLICY_NS + "DataUsageEndDate"
    DATA_USAGE_END_DURATION_DAYS = CX_POLICY_NS + "DataUsageEndDurationDays"


# ODRL 2.2 Common Vocabulary actions (§2.1): known, so a duty or other-action rule parses and is
# reported instead of failing as "unknown". `use` and Catena-X `access` grant; the rest do not.
ODRL_ACTIONS: Final = frozenset(
    ODRL_NS + name
    for name in (
        "use",
        "transfer",
        "acceptTracking",
        "aggregate",
        "annotate",
        "anonymize",
        "archive",
        "attribute",
        "compensate",
        "concurrentUse",
        "delete",
        "derive",
        "digitize",
        "display",
        "distribute",
        "ensureExclusivity",
        "execute",
        "extract",
        "give",
        "grantUse",
        "include",
        "index",
        "inform",
        "install",
        "modify",
        "move",
        "nextPolicy",
        "obtainConsent",
        "play",
        "present",
        "print",
        "read",
        "reproduce",
        "reviewPolicy",
        "sell",
        "stream",
        "synchronize",
        "textToSpeech",
        "transform",
        "translate",
        "uninstall",
        "watermark",
    )
)
GRANTING_ACTIONS: Final = frozenset(
    {Action.USE.value, Action.CX_ACCESS.value, CX_POLICY_LEGACY_NS + "access"}
)
KNOWN_ACTIONS: Final = ODRL_ACTIONS | GRANTING_ACTIONS

# ODRL 2.2 left operands (Common Vocabulary §2.4): known vocabulary even where no function exists.
ODRL_LEFT_OPERANDS: Final = tuple(
    (
        "absolutePosition",
        "absoluteSpatialPosition",
        "absoluteTemporalPosition",
        "absoluteSize",
        "count",
        "dateTime",
        "delayPeriod",
        "deliveryChannel",
        "elapsedTime",
        "event",
        "fileFormat",
        "industry",
        "language",
        "media",
        "meteredTime",
        "payAmount",
        "percentage",
        "product",
        "purpose",
        "recipient",
        "relativePosition",
        "relativeSpatialPosition",
        "relativeTemporalPosition",
        "relativeSize",
        "resolution",
        "spatial",
        "spatialCoordinates",
        "systemDevice",
        "timeInterval",
        "unitOfCount",
        "version",
        "virtualLocation",
    )
)

# Catena-X 2025-09 policy profile left operands (policy-profile-2025-09/context/context.jsonld).
CX_LEFT_OPERANDS: Final = (
    "AffiliatesBpnl",
    "AffiliatesRegion",
    "BusinessPartnerGroup",
    "BusinessPartnerNumber",
    "ConfidentialInformationMeasures",
    "ConfidentialInformationSharing",
    "ContractReference",
    "ContractTermination",
    "DataFrequency",
    "DataProvisioningEndDate",
    "DataProvisioningEndDurationDays",
    "DataUsageEndDate",
    "DataUsageEndDurationDays",
    "DataUsageEndDefinition",
    "ExclusiveUsage",
    "FrameworkAgreement",
    "JurisdictionLocation",
    "JurisdictionLocationReference",
    "Liability",
    "ManagedLegalEntityBpnl",
    "ManagedLegalEntityRegion",
    "Membership",
    "Precedence",
    "UsagePurpose",
    "UsageRestriction",
    "VersionChanges",
    "Warranty",
    "WarrantyDefinition",
    "WarrantyDurationMonths",
)
CS_LEFT_OPERANDS: Final = ("ParticipantId",)

# Annotations that never change a rule's meaning; the engine ignores them.
ANNOTATION_PROPERTIES: Final = frozenset(
    {
        "http://www.w3.org/2000/01/rdf-schema#comment",
        "http://www.w3.org/2000/01/rdf-schema#label",
        DCT_NS + "title",
        DCT_NS + "description",
        EDC_NS + "comment",
    }
)
# A rule-level target (older EDC catalogs repeat the policy's target on each rule): policies are
# evaluated per asset, so it adds nothing the engine needs.
IGNORED_RULE_PROPERTIES: Final = ANNOTATION_PROPERTIES | {ODRL_NS + "target"}
EDC_IN_FORCE_DATE: Final = EDC_NS + "inForceDate"
# ODRL profiles whose vocabulary the engine speaks (Catena-X, e.g. cx-policy:profile2405).
KNOWN_PROFILE_NAMESPACES: Final = (CX_POLICY_NS, CX_POLICY_LEGACY_NS, CS_POLICY_NS)

# ODRL structural properties (policy, rule and constraint keys).
ODRL_PROPERTIES: Final = (
    "uid",
    "profile",
    "target",
    "assigner",
    "assignee",
    "permission",
    "prohibition",
    "obligation",
    "duty",
    "action",
    "constraint",
    "leftOperand",
    "operator",
    "rightOperand",
    "and",
    "or",
    "xone",
    "andSequence",
    "inheritFrom",
    "conflict",
    "remedy",
    "consequence",
    "failure",
    "refinement",
    "rightOperandReference",
    "dataType",
    "unit",
    "status",
)

_OPERATOR_NAMES: Final = (*tuple(op.value.removeprefix(ODRL_NS) for op in Operator), "isA")
_TYPE_NAMES: Final = (
    "Set",
    "Offer",
    "Agreement",
    "Policy",
    "Permission",
    "Prohibition",
    "Duty",
    "Constraint",
    "LogicalConstraint",
)


def _bare_terms() -> dict[str, str]:
    """Bare names a reader resolves when the document's context leaves them undefined."""
    terms: dict[str, str] = {}
    for name in (*ODRL_PROPERTIES, *_OPERATOR_NAMES, *_TYPE_NAMES, *ODRL_LEFT_OPERANDS):
        terms[name] = ODRL_NS + name
    for iri in ODRL_ACTIONS:
        terms[iri.removeprefix(ODRL_NS)] = iri
    for name in CX_LEFT_OPERANDS:
        terms[name] = CX_POLICY_NS + name
    terms["access"] = Action.CX_ACCESS.value
    for name in CS_LEFT_OPERANDS:
        terms[name] = CS_POLICY_NS + name
    terms["timestamp"] = DSPACE_NS + "timestamp"
    return terms


BARE_TERMS: Final[dict[str, str]] = _bare_terms()

# The ODRL names the DSP 2025-1 ODRL profile context defines (dsp/context/odrl.jsonld). The DSP
# form writes these bare; other ODRL terms (dateTime, purpose, display, ...) as `odrl:x`, since a
# JSON-LD processor would resolve an undefined bare name against the document base.
DSP_ODRL_NAMES: Final = frozenset(
    {
        "Policy",
        "Rule",
        "profile",
        "prohibit",
        "Agreement",
        "Assertion",
        "Offer",
        "Set",
        "Asset",
        "hasPolicy",
        "target",
        "assignee",
        "assigner",
        "Action",
        "action",
        "Permission",
        "permission",
        "Prohibition",
        "prohibition",
        "obligation",
        "use",
        "Duty",
        "duty",
        "Constraint",
        "constraint",
        "Operator",
        "operator",
        "RightOperand",
        "rightOperand",
        "LeftOperand",
        "leftOperand",
        "eq",
        "gt",
        "gteq",
        "lt",
        "lteq",
        "neq",
        "isA",
        "hasPart",
        "isPartOf",
        "isAllOf",
        "isAnyOf",
        "isNoneOf",
        "or",
        "xone",
        "and",
        "andSequence",
    }
)
ODRL_BARE: Final[dict[str, str]] = {
    iri: name
    for name, iri in BARE_TERMS.items()
    if iri.startswith(ODRL_NS) and name in DSP_ODRL_NAMES
}
CX_BARE: Final[dict[str, str]] = {
    iri: name for name, iri in BARE_TERMS.items() if iri.startswith(CX_POLICY_NS)
}


def compact_iri(iri: str) -> str:
    """`odrl:x` / `cx-policy:x` / `edc:x` ... for an IRI in a known namespace, else the IRI."""
    for prefix in ("odrl", "cx-policy", "cs-policy", "edc", "dspace", "xsd"):
        namespace = KNOWN_PREFIXES[prefix]
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def short_name(iri: str) -> str:
    """The readable short form used in reasons and docs (`eq`, `Membership`, `dateTime`)."""
    for namespace in (ODRL_NS, CX_POLICY_NS, CS_POLICY_NS, CX_POLICY_LEGACY_NS):
        if iri.startswith(namespace):
            return iri[len(namespace) :]
    return iri
