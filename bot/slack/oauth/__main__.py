"""`python -m bot.slack.oauth rotate`: re-encrypt stored tokens with the first key."""

from __future__ import annotations

import sys

from bot.settings import MissingSetting, Settings
from bot.slack.oauth.installations import installation_store
from bot.state.store import State


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.slack.oauth rotate`: re-encrypt stored tokens with the first key."""
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
