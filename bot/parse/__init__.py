"""Question text -> query plan (or a clarification)."""

from bot.parse.clarification import EXAMPLES, Clarification
from bot.parse.parser import parse, places_in

__all__ = ["EXAMPLES", "Clarification", "parse", "places_in"]
