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
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from cryptography.fernet import InvalidToken, MultiFernet
from slack_bolt import App, BoltContext
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.sqlalchemy_utils import normalize_datetime_for_db
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.web import SlackResponse
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, delete, insert
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from bot.settings import MissingSetting, Settings, token_cipher
from bot.state.store import State, subscriptions

log = logging.getLogger(__name__)

# The bot's scopes, asked for by /slack/install; manifest.yml and manifest-distribution.yml
# list the same (a test keeps them in step).
BOT_SCOPES = (
    "app_mentions:read",
    "chat:write",
    "commands",
    "files:write",
    "channels:history",
    "groups:history",
)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
OAUTH_PATHS = (INSTALL_PATH, REDIRECT_PATH)
STATE_TTL = 600  # seconds an "Add to Slack" link stays valid
# Seconds a found installation is reused without asking the database. Only this process's
# own deletions clear it at once: after an uninstall handled by another worker, this one may
# try the revoked token for up to this long (Slack refuses it; nothing else is affected).
CACHE_TTL = 30.0
TOKEN_FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")

# The tables, as slack_sdk queries them; created (tokens as TEXT: a Fernet token is about
# twice as long as the token it hides) by bot/state/migrations/versions/0003_workspaces.py.
metadata = MetaData()
channel_workspaces = Table(
    "channel_workspaces",
    metadata,
    Column("channel", String(40), primary_key=True),
    Column("team_id", String(32)),
    Column("enterprise_id", String(32)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
# A workspace's subscriptions while it is uninstalled: a reinstall puts them back.
parked_subscriptions = Table(
    "parked_subscriptions",
    metadata,
    Column("channel", String(40), primary_key=True),
    Column("team_id", String(32)),
    Column("enterprise_id", String(32)),
    Column("forces", Text, nullable=False),
    Column("hour", Integer, nullable=False),
    Column("minute", Integer, nullable=False),
    Column("subscribed_by", String(40), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


class EncryptedInstallationStore(InstallationStore):
    """slack_sdk's SQLAlchemy installation store, with tokens encrypted at rest and finds
    cached in memory for ``ttl`` seconds."""

    def __init__(
        self,
        store: SQLAlchemyInstallationStore,
        cipher: MultiFernet,
        ttl: float = CACHE_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.cipher = cipher
        self.ttl = ttl
        self.clock = clock
        self._cache: dict[tuple, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    @property
    def logger(self) -> logging.Logger:
        return log

    # -- encryption -----------------------------------------------------------------------

    def _sealed(self, item: Any) -> Any:
        sealed = copy.copy(item)
        for name in TOKEN_FIELDS:
            value = getattr(sealed, name, None)
            if value:
                setattr(sealed, name, self.cipher.encrypt(value.encode()).decode())
        return sealed

    def _opened(self, item: Any) -> Any:
        if item is None:
            return None
        for name in TOKEN_FIELDS:
            value = getattr(item, name, None)
            if value:
                try:
                    setattr(item, name, self.cipher.decrypt(value.encode()).decode())
                except InvalidToken:
                    log.error(
                        "the stored tokens of workspace %s cannot be decrypted with "
                        "CRIMEBOT_TOKEN_KEY (was the key replaced rather than rotated?): "
                        "treating it as not installed",
                        item.team_id,
                    )
                    return None
        return item

    # -- the cache ------------------------------------------------------------------------

    def _cached(self, key: tuple, find: Callable[[], Any]) -> Any:
        now = self.clock()
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None and now - hit[0] < self.ttl:
            return copy.copy(hit[1])
        found = self._opened(find())
        with self._lock:
            if found is None:  # a miss is not kept: a fresh install is seen at once
                self._cache.pop(key, None)
            else:
                self._cache[key] = (now, found)
        return copy.copy(found)

    def forget(self, enterprise_id: str | None, team_id: str | None) -> None:
        with self._lock:
            for key in [k for k in self._cache if k[1:3] == (enterprise_id, team_id)]:
                del self._cache[key]

    # -- InstallationStore ----------------------------------------------------------------

    def save(self, installation: Installation) -> None:
        self.store.save(self._sealed(installation))  # saves its bot too
        self.forget(installation.enterprise_id, installation.team_id)

    def save_bot(self, bot: Bot) -> None:
        self.store.save_bot(self._sealed(bot))
        self.forget(bot.enterprise_id, bot.team_id)

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        return self._cached(
            ("bot", enterprise_id, team_id, bool(is_enterprise_install)),
            lambda: self.store.find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            ),
        )

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        return self._cached(
            ("installation", enterprise_id, team_id, user_id, bool(is_enterprise_install)),
            lambda: self.store.find_installation(
                enterprise_id=enterprise_id,
                team_id=team_id,
                user_id=user_id,
                is_enterprise_install=is_enterprise_install,
            ),
        )

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.store.delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        self.forget(enterprise_id, team_id)

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        self.store.delete_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )
        self.forget(enterprise_id, team_id)

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.store.delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        self.store.delete_installation(enterprise_id=enterprise_id, team_id=team_id)
        self.forget(enterprise_id, team_id)

    def rotate(self) -> int:
        """Re-encrypt every stored token with the first key (after a new key was put first):
        the old keys can then be dropped. Returns how many rows were rewritten."""
        rewritten = 0
        with self.store.engine.begin() as connection:
            for table in (self.store.installations, self.store.bots):
                columns = [c for c in TOKEN_FIELDS if c in table.c]
                rows = connection.execute(
                    sa_select(table.c.id, *(table.c[c] for c in columns))
                ).mappings()
                for row in list(rows):
                    values = {
                        c: self.cipher.rotate(row[c].encode()).decode() for c in columns if row[c]
                    }
                    if values:
                        connection.execute(
                            table.update().where(table.c.id == row["id"]).values(**values)
                        )
                        rewritten += 1
        return rewritten


class OneTimeStateStore(SQLAlchemyOAuthStateStore):
    """slack_sdk's SQLAlchemy OAuth state store, but a state is consumed by one DELETE: two
    callbacks with the same state (a replay, or a double click) cannot both succeed, as they
    could when the row was read and then deleted. Expired states are cleared as new ones are
    issued."""

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state = super().issue(*args, **kwargs)
        now = normalize_datetime_for_db(dt.datetime.now(dt.UTC))
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    self.oauth_states.delete().where(self.oauth_states.c.expire_at < now)
                )
        except DBAPIError:
            log.warning("could not clear expired OAuth states", exc_info=True)
        return state

    def consume(self, state: str) -> bool:
        now = normalize_datetime_for_db(dt.datetime.now(dt.UTC))
        c = self.oauth_states.c
        try:
            with self.engine.begin() as connection:
                result = connection.execute(
                    self.oauth_states.delete().where(c.state == state, c.expire_at > now)
                )
        except DBAPIError as error:
            log.warning("OAuth state not checked: the state database failed (%s)", error.orig)
            return False
        return result.rowcount == 1


def installation_store(settings: Settings, engine: Engine) -> EncryptedInstallationStore:
    return EncryptedInstallationStore(
        SQLAlchemyInstallationStore(client_id=settings.SLACK_CLIENT_ID, engine=engine, logger=log),
        token_cipher(settings.CRIMEBOT_TOKEN_KEY),
    )


def oauth_settings(
    settings: Settings, state: State, store: EncryptedInstallationStore | None = None
) -> OAuthSettings:
    """Bolt's OAuth settings: /slack/install (an "Add to Slack" page that sets the state
    cookie) and /slack/oauth_redirect, states and installations in the state database."""
    store = store or installation_store(settings, state.engine)

    def success(args: SuccessArgs) -> BoltResponse:
        installation = args.installation
        resumed = resume_workspace(state, installation.enterprise_id, installation.team_id)
        log.info(
            "installed in workspace %s (%s)%s",
            installation.team_id,
            installation.team_name,
            f"; {resumed} digest(s) resumed" if resumed else "",
        )
        return args.default.success(args)

    def failure(args: FailureArgs) -> BoltResponse:
        log.warning("an installation failed: %s", args.reason)
        return args.default.failure(args)

    oauth = OAuthSettings(
        client_id=settings.SLACK_CLIENT_ID,
        client_secret=settings.SLACK_CLIENT_SECRET,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        redirect_uri=settings.SLACK_REDIRECT_URI or None,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        callback_options=CallbackOptions(success=success, failure=failure),
        installation_store=store,
        # The bot's token is all crimebot uses: one query (none, cached) per request.
        installation_store_bot_only=True,
        state_store=OneTimeStateStore(
            expiration_seconds=STATE_TTL, engine=state.engine, logger=log
        ),
        state_expiration_seconds=STATE_TTL,
        logger=log,
    )
    # Bolt checks each token with auth.test before every request unless told to remember the
    # answer (per token: a reinstall's new token is checked once, a deleted one is never found).
    oauth.authorize.cache_enabled = True
    return oauth


# --- which workspace a channel belongs to, and the digest's tokens ------------------------


def remember_channel(
    state: State, channel: str, team_id: str | None, enterprise_id: str | None = None
) -> None:
    """Record the workspace of a channel that subscribed (the digest needs its token)."""
    if not channel or not team_id:
        return
    with state.engine.begin() as connection:
        connection.execute(
            delete(channel_workspaces).where(channel_workspaces.c.channel == channel)
        )
        connection.execute(
            insert(channel_workspaces).values(
                channel=channel,
                team_id=team_id,
                enterprise_id=enterprise_id,
                updated_at=dt.datetime.now(dt.UTC),
            )
        )


def workspace_of(state: State, channel: str) -> tuple[str | None, str] | None:
    """(enterprise id, team id) of a channel that subscribed, or None if not known."""
    with state.engine.connect() as connection:
        row = connection.execute(
            sa_select(channel_workspaces.c.enterprise_id, channel_workspaces.c.team_id).where(
                channel_workspaces.c.channel == channel
            )
        ).first()
    return (row.enterprise_id, row.team_id) if row else None


class WorkspaceTokens:
    """The digest poster's tokens in OAuth mode: each channel's digest goes with its own
    workspace's bot token (None: the workspace is not installed, post nothing)."""

    def __init__(self, settings: Settings, state: State) -> None:
        self.settings = settings
        self.state = state
        self.store = installation_store(settings, state.engine)

    def bot_token(self, channel: str) -> str | None:
        workspace = workspace_of(self.state, channel)
        if workspace is None:
            return None
        bot = self.store.find_bot(enterprise_id=workspace[0], team_id=workspace[1])
        return bot.bot_token if bot is not None else None

    def client(self, channel: str) -> WebClient | None:
        """A WebClient for the channel's workspace (the same retries as web_client), or None."""
        token = self.bot_token(channel)
        if token is None:
            return None
        from bot.slack.app import web_client

        client = web_client(self.settings)
        client.token = token
        return client


class WorkspaceClient(WebClient):
    """A WebClient that sends each call with the bot token of the workspace of the channel it
    names: the digest poster (bot.answers.digest.Poster) takes it in place of the one-token
    client and posts every channel's digest with its own workspace's token, unchanged. A call
    for a channel whose workspace is not installed is refused (SlackApiError
    ``not_installed``) without reaching Slack."""

    def __init__(self, tokens: WorkspaceTokens, **options: Any) -> None:
        super().__init__(**options)
        self.tokens = tokens

    def api_call(  # type: ignore[override]
        self,
        api_method: str,
        *,
        http_verb: str = "POST",
        files: dict | None = None,
        data: dict | None = None,
        params: dict | None = None,
        json: dict | None = None,
        headers: dict | None = None,
        auth: dict | None = None,
    ) -> SlackResponse:
        channel = next(
            (part.get("channel") for part in (json, data, params) if part and part.get("channel")),
            None,
        )
        token = self.tokens.bot_token(channel) if channel else None
        if token is None:
            return SlackResponse(
                client=self,
                http_verb=http_verb,
                api_url=api_method,
                req_args={},
                data={"ok": False, "error": "not_installed"},
                headers={},
                status_code=200,
            ).validate()
        return super().api_call(
            api_method,
            http_verb=http_verb,
            files=files,
            data=data,
            params=params,
            json=json,
            headers={**(headers or {}), "Authorization": f"Bearer {token}"},
            auth=auth,
        )


def digest_client(settings: Settings, state: State) -> WebClient:
    """The client the digest poster should use: the bot token's in single-workspace mode; in
    OAuth mode a WorkspaceClient (each channel's workspace's token)."""
    from bot.slack.app import web_client

    settings.require_digest()
    if not settings.oauth_mode:
        return web_client(settings)
    model = web_client(settings)
    return WorkspaceClient(
        WorkspaceTokens(settings, state),
        base_url=model.base_url,
        retry_handlers=model.retry_handlers,
    )


# --- a workspace leaves, and comes back ---------------------------------------------------


def forget_workspace(
    state: State, store: InstallationStore, enterprise_id: str | None, team_id: str | None
) -> int:
    """Delete a workspace's installation and park its channels' digest subscriptions (the
    clock posts nothing to them); returns how many subscriptions were parked."""
    store.delete_all(enterprise_id=enterprise_id, team_id=team_id)
    if not team_id:
        return 0
    parked = 0
    with state.engine.begin() as connection:
        channels = [
            row.channel
            for row in connection.execute(
                sa_select(channel_workspaces.c.channel).where(
                    channel_workspaces.c.team_id == team_id
                )
            )
        ]
        for channel in channels:
            row = (
                connection.execute(
                    sa_select(subscriptions).where(subscriptions.c.channel == channel)
                )
                .mappings()
                .first()
            )
            if row is None:
                continue
            connection.execute(
                delete(parked_subscriptions).where(parked_subscriptions.c.channel == channel)
            )
            connection.execute(
                insert(parked_subscriptions).values(
                    **dict(row), team_id=team_id, enterprise_id=enterprise_id
                )
            )
            connection.execute(delete(subscriptions).where(subscriptions.c.channel == channel))
            parked += 1
    return parked


def resume_workspace(state: State, enterprise_id: str | None, team_id: str | None) -> int:
    """Put back the subscriptions parked when the workspace left (not over one made since)."""
    if not team_id:
        return 0
    resumed = 0
    with state.engine.begin() as connection:
        rows = list(
            connection.execute(
                sa_select(parked_subscriptions).where(parked_subscriptions.c.team_id == team_id)
            ).mappings()
        )
        for row in rows:
            values = {c.name: row[c.name] for c in subscriptions.c}
            exists = connection.execute(
                sa_select(subscriptions.c.channel).where(subscriptions.c.channel == row["channel"])
            ).first()
            if exists is None:
                connection.execute(insert(subscriptions).values(**values))
                resumed += 1
            connection.execute(
                delete(parked_subscriptions).where(parked_subscriptions.c.channel == row["channel"])
            )
    return resumed


def register(app: App, state: State, store: InstallationStore) -> None:
    """app_uninstalled and tokens_revoked: forget the workspace and stop its digests."""

    @app.event("app_uninstalled")
    def on_uninstalled(context: BoltContext) -> None:
        parked = forget_workspace(state, store, context.enterprise_id, context.team_id)
        log.info("uninstalled from workspace %s; %d digest(s) stopped", context.team_id, parked)

    @app.event("tokens_revoked")
    def on_tokens_revoked(event: dict, context: BoltContext) -> None:
        tokens = event.get("tokens") or {}
        for user_id in tokens.get("oauth") or []:
            store.delete_installation(
                enterprise_id=context.enterprise_id, team_id=context.team_id, user_id=user_id
            )
        if tokens.get("bot"):  # without its bot token crimebot can do nothing there
            parked = forget_workspace(state, store, context.enterprise_id, context.team_id)
            log.info(
                "bot token revoked in workspace %s; %d digest(s) stopped", context.team_id, parked
            )


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.slack.oauth rotate`: re-encrypt stored tokens with the first key."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if args != ["rotate"]:
        print("usage: python -m bot.slack.oauth rotate", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    try:
        settings.require("SLACK_CLIENT_ID", "CRIMEBOT_TOKEN_KEY")
        store = installation_store(settings, State(settings.CRIMEBOT_STATE_URL).engine)
    except MissingSetting as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"re-encrypted the tokens of {store.rotate()} row(s) with the first key")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
