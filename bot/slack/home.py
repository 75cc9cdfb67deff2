"""App Home: what the bot knows, which release it answers from, and example questions."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answers.ask import pinned
from bot.core.periods import Period, Quarter
from bot.parse import EXAMPLES
from bot.query.database import Database
from bot.render.answer import SAMPLE_WARNING
from bot.render.blocks import DIGEST_HELP, context, section
from bot.render.releases import release_lines
from bot.slack.replies import Crimebot

log = logging.getLogger(__name__)


def home_blocks(db: Database) -> list[dict]:
    coverage = {r["kind"]: r for r in db.query("coverage")}
    forces = db.table("forces")
    offences = db.table("offences")
    groups = sorted({o["offence_group"] for o in offences})
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "crimebot"}},
        section(
            "Exact police recorded crime figures for England and Wales, with the period "
            "and the source, in a sentence you can paste into copy."
        ),
    ]
    if db.is_sample:
        blocks.append(context(f"⚠️ {SAMPLE_WARNING}"))
    lines = []
    for kind, label in (("recorded", "Offences recorded"), ("outcomes", "Outcomes")):
        row = coverage.get(kind) or {}
        if row.get("first_quarter") is not None:
            first = Period(Quarter.from_index(row["first_quarter"] + 3)).label()
            last = Period(Quarter.from_index(row["last_quarter"])).label()
            lines.append(f"*{label}:* rolling years from {first} to {last}")
    territorial = sum(1 for f in forces if f["kind"] == "territorial")
    lines.append(
        f"*Places:* {territorial} territorial forces, British Transport Police, "
        "the regions, England, Wales, England and Wales"
    )
    lines.append(
        f"*Offences:* {len(offences)} offence codes in {len(groups)} groups: " + ", ".join(groups)
    )
    blocks.append(section("\n".join(lines)))
    blocks.append(
        section(
            "*Data loaded:*\n"
            + "\n".join(f"• {line}" for line in release_lines(db.manifest["releases"]))
        )
    )
    blocks.append(section("*Try:*\n" + "\n".join(f"• `/crimestats {e}`" for e in EXAMPLES)))
    blocks.append(section(f"*Daily digest.* {DIGEST_HELP}"))
    blocks.append(
        context(
            "Mention @crimebot in a channel to ask in a thread. Source: Home "
            "Office police recorded crime and outcomes open data tables, Open "
            "Government Licence v3.0."
        )
    )
    return blocks


def register(app: App, bot: Crimebot) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict, client: WebClient) -> None:
        if event.get("tab") not in (None, "home"):
            return
        try:
            client.views_publish(
                user_id=event["user"], view={"type": "home", "blocks": home_blocks(pinned(bot.db))}
            )
        except SlackApiError as error:
            log.error("views.publish failed: %s", error.response.data)
