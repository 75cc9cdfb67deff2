"""The bot's own state (SQLAlchemy, migrated by Alembic): deliveries, threads, subscriptions,
the digest ledger, workspaces."""
