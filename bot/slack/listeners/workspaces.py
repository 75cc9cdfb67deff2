"""OAuth mode: app_uninstalled and tokens_revoked forget the workspace and stop its digests
(until a reinstall puts them back).

Unlike the other listeners these do their work before the ack (a few state-database writes):
if it fails, Slack gets a 500 and sends the event again, which is what an uninstall needs."""

from __future__ import annotations

import logging

from slack_bolt import BoltContext

from bot.slack.listeners.context import crimebot, installations
from bot.slack.oauth.workspaces import forget_workspace

log = logging.getLogger(__name__)


def on_uninstalled(context: BoltContext) -> None:
    state, store = crimebot(context).state, installations(context)
    parked = forget_workspace(state, store, context.enterprise_id, context.team_id)
    log.info("uninstalled from workspace %s; %d digest(s) stopped", context.team_id, parked)


def on_tokens_revoked(event: dict, context: BoltContext) -> None:
    store = installations(context)
    tokens = event.get("tokens") or {}
    for user_id in tokens.get("oauth") or []:
        store.delete_installation(
            enterprise_id=context.enterprise_id, team_id=context.team_id, user_id=user_id
        )
    if tokens.get("bot"):  # without its bot token crimebot can do nothing there
        parked = forget_workspace(
            crimebot(context).state, store, context.enterprise_id, context.team_id
        )
        log.info("bot token revoked in workspace %s; %d digest(s) stopped", context.team_id, parked)
