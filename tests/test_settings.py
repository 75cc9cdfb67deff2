"""Settings: every one is documented in .env.example, and required ones are named when missing."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from bot.settings import ROOT, MissingSetting, Settings


def test_every_setting_is_in_env_example_and_nothing_else():
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert documented == {f.name for f in fields(Settings)}


def test_environment_wins_and_required_settings_are_named(monkeypatch):
    monkeypatch.setenv("CRIMEBOT_DATA_DIR", "/somewhere/data")
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    settings = Settings.from_env()
    assert str(settings.data_dir) == "/somewhere/data"
    with pytest.raises(MissingSetting, match="SLACK_SIGNING_SECRET"):
        settings.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    assert Settings(SLACK_API_URL="http://127.0.0.1:9/api").api_url == "http://127.0.0.1:9/api/"


def test_settings_are_typed_and_a_bad_value_is_named(monkeypatch):
    monkeypatch.setenv("PORT", "8080")
    monkeypatch.setenv("CRIMEBOT_TIMEZONE", "Europe/Dublin")
    settings = Settings.from_env()
    assert settings.PORT == 8080
    assert settings.CRIMEBOT_TIMEZONE.key == "Europe/Dublin"
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(MissingSetting, match="PORT must be a whole number from 0"):
        Settings.from_env()
    monkeypatch.setenv("PORT", "3000")
    monkeypatch.setenv("CRIMEBOT_TIMEZONE", "Mars/Olympus")
    with pytest.raises(MissingSetting, match="CRIMEBOT_TIMEZONE must be a time zone"):
        Settings.from_env()
