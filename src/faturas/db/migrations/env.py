"""Alembic environment: the engine comes from the caller (faturas db upgrade, the app, tests)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from faturas.config import get_settings
from faturas.db.engine import engine_from_settings
from faturas.db.models import Base
from faturas.db.models_auth import User  # noqa: F401  (registers the access control tables)
from faturas.db.models_webhooks import OutboxEvent  # noqa: F401  (registers the webhook tables)

config = context.config
engine: Engine = config.attributes.get("engine") or engine_from_settings(get_settings())

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
