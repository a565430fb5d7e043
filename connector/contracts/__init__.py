"""Policy definitions and contract definitions: which assets a node offers, to whom (access
policy) and on what terms (contract policy), EDC style; and the provider side of catalogs and
offers for the DSP endpoints (`provider_catalog`, `provider_dataset`, `resolve_offer`)."""

from connector.contracts.definitions import (
    ContractDefinitionInput,
    all_contract_definitions,
    all_policy_definitions,
    delete_contract_definition,
    delete_policy_definition,
    find_contract_definition,
    find_policy_definition,
    save_contract_definition,
    save_policy_definition,
)
from connector.contracts.service import (
    ResolvedOffer,
    data_service,
    dsp_endpoint,
    offer_definitions,
    provider_catalog,
    provider_dataset,
    read_policy,
    resolve_offer,
)

__all__ = [
    "ContractDefinitionInput",
    "ResolvedOffer",
    "all_contract_definitions",
    "all_policy_definitions",
    "data_service",
    "delete_contract_definition",
    "delete_policy_definition",
    "dsp_endpoint",
    "find_contract_definition",
    "find_policy_definition",
    "offer_definitions",
    "provider_catalog",
    "provider_dataset",
    "read_policy",
    "resolve_offer",
    "save_contract_definition",
    "save_policy_definition",
]
