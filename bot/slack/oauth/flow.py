"""Bolt's OAuth flow: "Add to Slack" at /slack/install, Slack's redirect back, and OAuth states
that can be used once."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.sqlalchemy_utils import normalize_datetime_for_db
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy.exc import DBAPIError

from bot.settings import Settings
from bot.slack.oauth.installations import EncryptedInstallationStore, installation_store
from bot.state.store import State
from bot.state.workspaces import resume_workspace

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
    if isinstance(oauth.authorize, InstallationStoreAuthorize):
        oauth.authorize.cache_enabled = True
    return oauth
