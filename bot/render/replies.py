"""The short replies Slack gets when there is no answer to give: busy, a post that failed, a
channel the bot cannot post in, who changed a channel's digest."""

from __future__ import annotations

BUSY = "I'm busy right now: try again in a minute."
NOT_POSTED = "Sorry, I couldn't post that answer in Slack. The error has been logged."
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong answering that. It has been logged; try asking another way."
)
CSV_FAILED = "Sorry, I couldn't upload the figures. The error has been logged."
CSV_NEEDS_THREAD = (
    "That answer needs its thread to be understood: ask the whole question to download its figures."
)
CANNOT_POST = (
    "I can't post in this channel, so I can't send it a digest. Invite me first "
    "(`/invite @crimebot`), then subscribe again."
)


def patch_refused(forces: int, most: int) -> str:
    """A subscription that would leave a channel with no force, or more than ``most``."""
    if not forces:
        return "Name at least one force."
    return (
        f"A channel's digest covers at most {most} forces (this would be {forces}): use "
        "another channel for the rest."
    )


def digest_set_up(user: str, subscription: str) -> str:
    return f"<@{user}> set up this channel's digest. {subscription}"


def digest_changed(user: str, subscription: str) -> str:
    return f"<@{user}> changed this channel's digest. {subscription}"


def digest_stopped(user: str) -> str:
    return f"<@{user}> stopped this channel's crimebot digest."


def draft_requested(user: str) -> str:
    return f"Draft requested by <@{user}>"
