"""Settings from the environment (and a .env file), read and typed in this module only.

Every setting is listed in .env.example; a test keeps the two in step. A value that cannot be
read (``PORT=abc``, an unknown time zone) stops start-up with a message naming the setting.
"""

from __future__ import annotations

import os
import types
import typing
from dataclasses import dataclass, fields
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cryptography.fernet import Fernet, MultiFernet
from dotenv import load_dotenv

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent  # the repository, in a source checkout


def _installed(name: str) -> Path:
    """queries/ and data/: inside the package once installed (bot/queries, bot/data; see
    setup.py), beside it in a source checkout."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else ROOT / name


QUERIES_DIR = _installed("queries")
SHIPPED_DATA = _installed("data")  # read-only: ingest writes to CRIMEBOT_DATA_DIR
SLACK_API_DEFAULT = "https://slack.com/api/"
LONDON = ZoneInfo("Europe/London")


class PercentStyle(StrEnum):
    """How copy writes a percentage: the newsroom's house style (CRIMEBOT_PERCENT_STYLE)."""

    WORDS = "words"  # '7.5 per cent', as most British newspapers print it in copy
    SYMBOL = "symbol"  # '7.5%'


class MissingSetting(Exception):
    """A required environment variable is not set, or cannot be read; the message names it."""


def token_cipher(keys: str) -> MultiFernet:
    """CRIMEBOT_TOKEN_KEY as a cipher: several keys, comma-separated, newest first, so a key
    can be rotated without losing the tokens the old one sealed."""
    try:
        return MultiFernet([Fernet(key.strip()) for key in keys.split(",") if key.strip()])
    except (ValueError, TypeError) as error:
        raise MissingSetting(
            "CRIMEBOT_TOKEN_KEY is not a Fernet key (or a comma-separated list of them): make "
            'one with python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"'
        ) from error


@dataclass(frozen=True)
class Settings:
    CRIMEBOT_DATA_DIR: Path | None = None
    CRIMEBOT_STATE_URL: str = f"sqlite:///{ROOT / 'state.db'}"
    CRIMEBOT_RELEASE_PAGE_URL: str = ""
    CRIMEBOT_RELEASE_CHECK_HOURS: int = 1
    SLACK_BOT_TOKEN: str = ""
    SLACK_SIGNING_SECRET: str = ""
    SLACK_APP_TOKEN: str = ""
    SLACK_CLIENT_ID: str = ""
    SLACK_CLIENT_SECRET: str = ""
    SLACK_REDIRECT_URI: str = ""
    CRIMEBOT_TOKEN_KEY: str = ""
    SLACK_API_URL: str = SLACK_API_DEFAULT
    PORT: int = 3000
    CRIMEBOT_THREADS: int = 64
    CRIMEBOT_WORKERS: int = 2
    CRIMEBOT_TIMEZONE: ZoneInfo = LONDON
    CRIMEBOT_PERCENT_STYLE: PercentStyle = PercentStyle.WORDS

    @classmethod
    def from_env(cls) -> Settings:
        load_dotenv(ROOT / ".env")
        hints = typing.get_type_hints(cls)
        values: dict[str, Any] = {
            f.name: _typed(f.name, hints[f.name], os.environ[f.name])
            for f in fields(cls)
            if os.environ.get(f.name)
        }
        return cls(**values)

    @property
    def data_dir(self) -> Path:
        """Where answers come from: CRIMEBOT_DATA_DIR once set (ingest writes there), else the
        shipped data."""
        return self.CRIMEBOT_DATA_DIR or SHIPPED_DATA

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
            token_cipher(self.CRIMEBOT_TOKEN_KEY)  # a malformed key stops start-up, named
        else:
            self.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")

    def require_digest(self) -> None:
        """What posting digests needs: the bot token, or in OAuth mode the key that opens the
        stored workspace tokens."""
        if self.oauth_mode:
            self.require("CRIMEBOT_TOKEN_KEY")
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


def _typed(name: str, kind: type | types.UnionType, text: str) -> object:
    if kind is int:
        least = 0 if name == "PORT" else 1  # PORT=0: any free port
        if not text.strip().isdigit() or int(text) < least:
            raise MissingSetting(f"{name} must be a whole number from {least}, not {text!r}")
        return int(text)
    if kind in (Path, Path | None):
        return Path(text)
    if kind is ZoneInfo:
        try:
            return ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise MissingSetting(
                f"{name} must be a time zone such as Europe/London, not {text!r}"
            ) from error
    if kind is PercentStyle:
        try:
            return PercentStyle(text.strip().lower())
        except ValueError as error:
            choices = " or ".join(style.value for style in PercentStyle)
            raise MissingSetting(f"{name} must be {choices}, not {text!r}") from error
    return text
