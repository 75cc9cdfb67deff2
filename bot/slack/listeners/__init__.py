"""Every listener, wired onto the App in this one place. Listeners are module-level
functions, one module per kind (commands, mentions, actions, stories, home, workspaces);
what they need beyond Slack's arguments comes in Bolt's ``context`` (see .context)."""

from __future__ import annotations

import re

from slack_bolt import App
from slack_sdk.oauth.installation_store import InstallationStore

from bot.render.blocks import CSV_ACTION, SHARE_ACTION, SUGGESTION_ACTION
from bot.render.digest import STORY_ACTION
from bot.slack.listeners import actions, commands, home, mentions, stories, workspaces
from bot.slack.listeners.context import ProvideServices
from bot.slack.replies import Crimebot


def numbered(action: str) -> re.Pattern[str]:
    """The action ids of a row of buttons: ``ask_suggestion_0``, ``ask_suggestion_1``, …"""
    return re.compile(f"^{action}_\\d+$")


def register(app: App, bot: Crimebot, installations: InstallationStore | None = None) -> None:
    """``installations``: OAuth mode's store, whose workspaces leave by uninstalling."""
    app.use(ProvideServices(bot, installations))
    app.command(commands.COMMAND)(commands.crimestats)
    app.event("app_mention")(mentions.on_mention)
    app.event("message")(mentions.on_message)
    app.action(SHARE_ACTION)(actions.share)
    app.action(CSV_ACTION)(actions.download_csv)
    app.action(numbered(SUGGESTION_ACTION))(actions.suggestion)
    app.action(numbered(STORY_ACTION))(stories.write_it_up)
    app.event("app_home_opened")(home.on_home_opened)
    if installations is not None:
        app.event("app_uninstalled")(workspaces.on_uninstalled)
        app.event("tokens_revoked")(workspaces.on_tokens_revoked)
