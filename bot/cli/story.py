"""`python -m bot story OFFENCE PLACE [PERIOD]`: a story draft in the terminal."""

from __future__ import annotations

import argparse

from bot.cli.common import EXIT_CLARIFY, EXIT_ERROR, EXIT_OK, database, today


def run(args: argparse.Namespace) -> int:
    from bot.answers.story import ask_story
    from bot.render.answer import Answer

    db = database(args)
    if db is None:
        return EXIT_ERROR
    draft = ask_story(" ".join(args.question), db, today(args))
    print(draft.plain_text())
    return EXIT_CLARIFY if isinstance(draft, Answer) else EXIT_OK
