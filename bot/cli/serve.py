"""`python -m bot serve`: the Slack HTTP app (gunicorn), the Procfile's `web:` process."""

from __future__ import annotations

import argparse

from bot.cli.common import service


def run(args: argparse.Namespace) -> int:
    from bot.slack.server import serve

    return service(lambda settings: serve(settings, host=args.host))
