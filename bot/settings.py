"""Settings from the environment (and a .env file), read in one place.

Every setting is listed in .env.example; a test keeps the two in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parents[1]
SLACK_API_DEFAULT = "https://slack.com/api/"


class MissingSetting(Exception):
    """A required environment variable is not set; the message names it."""


@dataclass(frozen=True)
class Settings:
    CRIMEBOT_DATA_DIR: str = str(ROOT / "data")
    CRIMEBOT_STATE_URL: str = f"sqlite:///{ROOT / 'state.db'}"
    CRIMEBOT_RELEASE_PAGE_URL: str = ""
    SLACK_BOT_TOKEN: str = ""
    SLACK_SIGNING_SECRET: str = ""
    SLACK_APP_TOKEN: str = ""
    SLACK_CLIENT_ID: str = ""
    SLACK_CLIENT_SECRET: str = ""
    SLACK_REDIRECT_URI: str = ""
    CRIMEBOT_TOKEN_KEY: str = ""
    SLACK_API_URL: str = SLACK_API_DEFAULT
    PORT: str = "3000"
    CRIMEBOT_THREADS: str = "64"
    CRIMEBOT_WORKERS: str = "2"
    CRIMEBOT_TIMEZONE: str = "Europe/London"

    @classmethod
    def from_env(cls) -> Settings:
        load_dotenv(ROOT / ".env")
        values = {f.name: os.environ[f.name] for f in fields(cls) if os.environ.get(f.name)}
        return cls(**values)

    @property
    def data_dir(self) -> Path:
        return Path(self.CRIMEBOT_DATA_DIR)

    @property
    def api_url(self) -> str:
        return self.SLACK_API_URL.rstrip("/") + "/"

    @property
    def oauth_mode(self) -> bool:
        """Several workspaces, each installed with "Add to Slack": a client id and no bot
        token. With SLACK_BOT_TOKEN set the bot serves that one workspace, as before."""
        return bool(self.SLACK_CLIENT_ID) and not self.SLACK_BOT_TOKEN

    def require_slack(self) -> None:
        """What serving Slack over HTTP needs, in the mode the settings choose."""
        if self.oauth_mode:
            self.require("SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET", "CRIMEBOT_TOKEN_KEY")
            from bot.slack.oauth import token_cipher

            token_cipher(self.CRIMEBOT_TOKEN_KEY)  # a malformed key stops start-up, named
        else:
            self.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")

    def require_digest(self) -> None:
        """What posting digests needs: the bot token, or in OAuth mode the key that opens the
        stored workspace tokens."""
        if self.oauth_mode:
            self.require("CRIMEBOT_TOKEN_KEY")
            from bot.slack.oauth import token_cipher

            token_cipher(self.CRIMEBOT_TOKEN_KEY)
        else:
            self.require("SLACK_BOT_TOKEN")

    def require(self, *names: str) -> None:
        missing = [name for name in names if not getattr(self, name)]
        if missing:
            raise MissingSetting(
                "missing required setting(s): "
                + ", ".join(missing)
                + " (set them in the environment or in .env; see .env.example)"
            )
