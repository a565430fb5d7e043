"""Identity and trust: keys, did:web, W3C VC-JWT credentials and the Decentralized Claims
Protocol v1.0 (self-issued ID tokens, credential service, presentation verification).

Other features use `context.services["identity"]` (a `NodeIdentity`) and the provisioning
functions below; see docs/dev/interfaces.md "IDENTITY" and docs/operations.md.
"""

from connector.identity.credentials import (
    CREDENTIAL_TYPES,
    MEMBERSHIP_CREDENTIAL,
    PCF_CONTRACT_TEMPLATE,
    PCF_CONTRACT_VERSION,
    PCF_FRAMEWORK_CREDENTIAL,
    VerifiedCredential,
)
from connector.identity.did import DidResolver, did_document_url, did_from_url, service_endpoint
from connector.identity.provisioning import (
    ProvisioningError,
    add_credential,
    check_node_key,
    init_authority,
    init_node,
    issue_credential,
    load_authority,
)
from connector.identity.service import NodeIdentity, VerifiedParticipant

__all__ = [
    "CREDENTIAL_TYPES",
    "MEMBERSHIP_CREDENTIAL",
    "PCF_CONTRACT_TEMPLATE",
    "PCF_CONTRACT_VERSION",
    "PCF_FRAMEWORK_CREDENTIAL",
    "DidResolver",
    "NodeIdentity",
    "ProvisioningError",
    "VerifiedCredential",
    "VerifiedParticipant",
    "add_credential",
    "check_node_key",
    "did_document_url",
    "did_from_url",
    "init_authority",
    "init_node",
    "issue_credential",
    "load_authority",
    "service_endpoint",
]
