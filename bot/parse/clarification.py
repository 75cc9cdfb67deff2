"""What the parser gives back instead of a plan: a question for the reporter."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.parse.text import strip_markup

# Example questions: the first three follow every clarification; help and App Home list all.
EXAMPLES = (
    "harassment Thames Valley year to September 2023",
    "charge rate Thames Valley 2023/24",
    "which force has the highest burglary rate per head?",
    "is knife crime in Kent at a record high?",
    "compare burglary in the Met and GMP",
)


@dataclass(frozen=True)
class Clarification:
    message: str
    suggestions: tuple[str, ...] = EXAMPLES[:3]
    understood: str = ""
    replace: str = ""  # the words each suggestion stands in for ("" = whole questions)

    def questions(self, original: str) -> list[str]:
        """The suggestions as questions to ask instead: the original, corrected, with any
        Slack markup in it stripped (a suggestion is echoed back into the channel)."""
        original = strip_markup(original)
        if not self.replace:
            return list(self.suggestions)
        pattern = r"\b" + r"\W+".join(map(re.escape, self.replace.split())) + r"\b"
        found = re.search(pattern, original, flags=re.IGNORECASE)
        if not found:
            return [f"{original} {s}" for s in self.suggestions]
        return [original[: found.start()] + s + original[found.end() :] for s in self.suggestions]
