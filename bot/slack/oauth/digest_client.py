"""The digest's tokens in OAuth mode: the clock posts with no request to say whose channel it
is, so each channel's digest goes with its own workspace's bot token, found through
``channel_workspaces`` (recorded when the channel subscribed)."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.web import SlackResponse

from bot.settings import Settings
from bot.slack.oauth.installations import installation_store
from bot.slack.web import web_client
from bot.state.store import State
from bot.state.workspaces import workspace_of


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

    def api_call(
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
    settings.require_digest()
    if not settings.oauth_mode:
        return web_client(settings)
    model = web_client(settings)
    return WorkspaceClient(
        WorkspaceTokens(settings, state),
        base_url=model.base_url,
        retry_handlers=model.retry_handlers,
    )
