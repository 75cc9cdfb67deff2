"""`python -m bot clock`: post the digests that are due every few minutes (the Procfile's
`clock:` process)."""

from __future__ import annotations

import argparse
import logging

from bot.cli.common import service


def run(args: argparse.Namespace) -> int:
    from bot.slack.clock import start

    logging.basicConfig(level=logging.INFO)
    return service(start)
