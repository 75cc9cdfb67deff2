"""What a listener needs beyond Slack's own arguments, put in Bolt's ``context`` by one
middleware: the Crimebot (database, state, answer queue, outbox) and, in OAuth mode, the
installation store. One app, one Crimebot, whether requests come over HTTP or Socket Mode;
a listener's unit test passes a context it made itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk.oauth.installation_store import InstallationStore

from bot.slack.replies import Crimebot

CRIMEBOT = "crimebot"
INSTALLATIONS = "installations"


class ProvideServices(Middleware):
    """Puts the Crimebot (and the installation store, if any) in every request's context."""

    def __init__(self, bot: Crimebot, installations: InstallationStore | None = None) -> None:
        self.bot = bot
        self.installations = installations

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,
        next: Callable[[], BoltResponse],  # Bolt passes it by this name
    ) -> BoltResponse | None:
        req.context[CRIMEBOT] = self.bot
        if self.installations is not None:
            req.context[INSTALLATIONS] = self.installations
        return next()


def services(bot: Crimebot, installations: InstallationStore | None = None) -> BoltContext:
    """A context holding what ProvideServices puts there (for calling a listener directly)."""
    context = BoltContext({CRIMEBOT: bot})
    if installations is not None:
        context[INSTALLATIONS] = installations
    return context


def crimebot(context: BoltContext) -> Crimebot:
    return cast(Crimebot, context[CRIMEBOT])


def installations(context: BoltContext) -> InstallationStore:
    return cast(InstallationStore, context[INSTALLATIONS])
