"""Assets: what a node offers in its catalog (EDC `Asset`: id, properties, private properties,
data address). Footprint publication registers its submodels here; the management API edits it."""

__all__: list[str] = []
