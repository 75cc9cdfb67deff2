"""Question text -> query plan (or a clarification)."""

from bot.parse.clarification import EXAMPLES, Ask, Clarification, Facts
from bot.parse.parser import parse, places_in

__all__ = ["EXAMPLES", "Ask", "Clarification", "Facts", "parse", "places_in"]
