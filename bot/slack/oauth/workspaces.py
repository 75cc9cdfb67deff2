"""What happens to a workspace's installation and digests when it leaves."""

from __future__ import annotations

from slack_sdk.oauth.installation_store import InstallationStore

from bot.state.store import State
from bot.state.workspaces import park_workspace


def forget_workspace(
    state: State, store: InstallationStore, enterprise_id: str | None, team_id: str | None
) -> int:
    """Delete a workspace's installation and park its channels' digest subscriptions;
    returns how many subscriptions were parked."""
    store.delete_all(enterprise_id=enterprise_id, team_id=team_id)
    return park_workspace(state, enterprise_id, team_id)
