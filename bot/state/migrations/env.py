"""Alembic environment: ``State`` passes its connection (already holding the migration lock)
in ``config.attributes["connection"]``; the alembic command line uses CRIMEBOT_STATE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from bot.state.schema import metadata


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from bot.settings import Settings

    engine = create_engine(Settings.from_env().CRIMEBOT_STATE_URL)
    with engine.begin() as connection:
        _run(connection)
