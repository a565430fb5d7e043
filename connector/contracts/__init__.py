"""Policy definitions and contract definitions: which assets a node offers, to whom (access
policy) and on what terms (contract policy), EDC style."""

__all__: list[str] = []
