"""Alembic environment: runs on the connection the node hands over (see connector.db.migrate)."""

from alembic import context

from connector.db.registry import load_all_models

target_metadata = load_all_models()
connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("carbonspace runs migrations through connector.db.migrate only")
context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
