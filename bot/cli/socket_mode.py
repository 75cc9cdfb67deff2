"""`python -m bot socket`: the Slack app over Socket Mode, for local development."""

from __future__ import annotations

import argparse
import logging

from bot.cli.common import service


def run(args: argparse.Namespace) -> int:
    from bot.slack.server import socket_mode

    logging.basicConfig(level=logging.INFO)
    return service(socket_mode)
