"""`python -m bot ask QUESTION [--json | --csv]`: a question answered from the data."""

from __future__ import annotations

import argparse
import json
import sys

from bot.cli.common import EXIT_CLARIFY, EXIT_ERROR, EXIT_OK, database, today

HELP_QUESTIONS = ("help", "--help-data", "what data")


def run(args: argparse.Namespace) -> int:
    from bot.answers.ask import ask

    db = database(args)
    if db is None:
        return EXIT_ERROR
    question = " ".join(args.question)
    if question.strip().lower() in HELP_QUESTIONS:
        from bot.render.releases import release_list

        print("Loaded releases, newest first:")
        print(release_list(db.manifest["releases"], bullet="  • "))
    answer, _ = ask(question, db, today(args))
    if args.csv:
        from bot.render.csv_export import answer_csv

        if not answer.is_answer:  # no figures: the clarification, where a person reads it
            print(answer.plain_text(), file=sys.stderr)
            return EXIT_CLARIFY
        print(answer_csv(answer, db.manifest["releases"]), end="")
        return EXIT_OK
    if args.json:
        print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(answer.plain_text())
    return EXIT_OK if answer.is_answer else EXIT_CLARIFY
