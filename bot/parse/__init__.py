"""Question text -> query plan (or a clarification)."""

from bot.parse.parser import EXAMPLES, Clarification, parse, places_in

__all__ = ["EXAMPLES", "Clarification", "parse", "places_in"]
