"""Several workspaces: "Add to Slack" (Bolt's OAuth flow), each workspace's installation kept in
the state database with its tokens encrypted, and what happens when a workspace leaves.

Installations and OAuth states are slack_sdk's own SQLAlchemy stores, on the state database's
engine (SQLite or Postgres), in tables created by the Alembic migration 0003:

- ``EncryptedInstallationStore`` wraps ``SQLAlchemyInstallationStore``: tokens are encrypted
  with ``CRIMEBOT_TOKEN_KEY`` (Fernet; several keys, comma-separated, newest first, for
  rotation) before they are saved and decrypted after they are found, and what is found is
  kept in memory for ``CACHE_TTL`` seconds, so a request costs no database query.
- ``OneTimeStateStore`` is ``SQLAlchemyOAuthStateStore`` with a consume that deletes the state
  in one statement: of two requests with the same state (a replay) only one can succeed.

Which keys need the team id. Slack's channel ids are unique across workspaces (a Slack Connect
channel shared by two newsrooms has one id, and its messages one ts each), so the mention
dedupe key (``message:{channel}:{ts}``), thread memory (channel, thread ts), subscriptions and
the digest ledger (channel, day) already name one message, thread or channel wherever it lives;
adding the team id would make a shared channel's message count as two and be answered twice.
The WSGI guard's replay key is the request's timestamp and signature, an HMAC of the body,
and the body carries the team id: two workspaces' requests cannot share it. What is per
workspace is the token: each request is answered with a client holding its own workspace's
token, and the outbox queues (and holds back on a 429) per channel, so one workspace's rate
limit or revoked token does not touch another's posts. The digest, posted by the clock with
no request to say whose channel it is, finds the token through ``channel_workspaces``
(recorded when a channel subscribes) and ``WorkspaceTokens``.

Modules: ``installations`` (the encrypted, cached store), ``flow`` (Bolt's OAuth settings and
the one-time state store), ``workspaces`` (a channel's workspace; parking and resuming a
workspace's digests), ``digest_client`` (the clock's per-workspace tokens) and ``__main__``
(``python -m bot.slack.oauth rotate``). The app_uninstalled and tokens_revoked listeners are in
bot.slack.listeners.workspaces.
"""

from bot.slack.oauth.digest_client import WorkspaceClient, WorkspaceTokens, digest_client
from bot.slack.oauth.flow import (
    BOT_SCOPES,
    INSTALL_PATH,
    OAUTH_PATHS,
    REDIRECT_PATH,
    STATE_TTL,
    OneTimeStateStore,
    oauth_settings,
)
from bot.slack.oauth.installations import (
    CACHE_TTL,
    TOKEN_FIELDS,
    EncryptedInstallationStore,
    installation_store,
)
from bot.slack.oauth.workspaces import forget_workspace
from bot.state.workspaces import (
    channel_workspaces,
    parked_subscriptions,
    remember_channel,
    resume_workspace,
    workspace_of,
)

__all__ = [
    "BOT_SCOPES",
    "CACHE_TTL",
    "INSTALL_PATH",
    "OAUTH_PATHS",
    "REDIRECT_PATH",
    "STATE_TTL",
    "TOKEN_FIELDS",
    "EncryptedInstallationStore",
    "OneTimeStateStore",
    "WorkspaceClient",
    "WorkspaceTokens",
    "channel_workspaces",
    "digest_client",
    "forget_workspace",
    "installation_store",
    "oauth_settings",
    "parked_subscriptions",
    "remember_channel",
    "resume_workspace",
    "workspace_of",
]
