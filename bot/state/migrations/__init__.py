"""Alembic migrations of the state database (``bot.state.store``). ``State`` upgrades to the newest
revision when it opens a database, under a lock, so any number of processes can start at once.

A new revision: ``alembic -c bot/state/migrations/alembic.ini revision -m "what changes"`` (with
``CRIMEBOT_STATE_URL`` set for ``--autogenerate``)."""
