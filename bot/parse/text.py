"""Normalising what reporters type (and what Slack wraps around it)."""

from __future__ import annotations

import re
import unicodedata

MAX_QUESTION_CHARS = 300

_SLACK_LINK = re.compile(r"<(?:https?|mailto):[^>|]*\|([^>]*)>|<(?:https?|mailto):[^>]*>")
_SLACK_MENTION = re.compile(r"<[@#!][^>]*>")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|&")


def strip_markup(text: str) -> str:
    """User text without Slack markup: no broadcast, mention or link survives being echoed.

    A link keeps its label as plain words; `<!channel>`, `<!subteam^…>`, `<@U…>` go entirely.
    """
    text = _SLACK_LINK.sub(lambda m: m.group(1) or " ", text)
    text = _SLACK_MENTION.sub(" ", text)
    return " ".join(text.replace("<", " ").replace(">", " ").split())


def clean(text: str) -> str:
    """Slack markup out, punctuation folded, lower case; keeps '/' and '-' for '2022/23'."""
    text = _SLACK_LINK.sub(lambda m: m.group(1) or " ", text)
    text = _SLACK_MENTION.sub(" ", text)
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("’", "'").replace("–", "-").replace("—", "-")
    return " ".join(text.lower().split())


def tokens(text: str) -> list[str]:
    """Words of a cleaned text: '&' is 'and', possessive 's dropped."""
    words = []
    for word in _WORD.findall(clean(text)):
        word = "and" if word == "&" else re.sub(r"['’]s$", "", word).replace("'", "")
        words.append(word)
    return words
