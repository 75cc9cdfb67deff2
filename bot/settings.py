"""Settings from the environment (and a .env file), read in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Settings:
    data_dir: Path

    @classmethod
    def from_env(cls) -> Settings:
        load_dotenv(ROOT / ".env")
        return cls(data_dir=Path(os.environ.get("CRIMEBOT_DATA_DIR") or ROOT / "data"))
