"""A digest post whose connection drops: Slack may have taken it, so it is never sent again
blindly (slack_sdk's connection-error retry would); the channel's history decides."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.settings import Settings
from bot.slack.digest_poster import Poster
from bot.slack.web import web_client
from bot.state.ledger import Ledger
from bot.state.store import State
from tests.slack_stub import SlackStub
from tests.test_digest import DAY, MORNING, digest_posts, subscribed


class DroppingStub(SlackStub):
    """The stub, but the next ``drops`` chat.postMessage calls lose their connection before
    the answer: after Slack recorded the post (``taken``), or before."""

    def __init__(self, drops: int, taken: bool) -> None:
        super().__init__()
        self.drops = drops
        self.taken = taken
        self.server.handle_error = lambda request, address: None  # no traceback on stderr

    def answer(self, path: str, body: dict, headers: dict) -> tuple[int, dict, dict]:
        if path == "/api/chat.postMessage" and self.drops > 0:
            self.drops -= 1
            if self.taken:
                super().answer(path, body, headers)
            raise ConnectionAbortedError("the connection dropped before Slack's answer")
        return super().answer(path, body, headers)


@pytest.fixture
def state(state_url) -> State:
    return State(state_url)


def poster(state: State, stub: SlackStub, db, minutes: int = 0) -> Poster:
    # The bot's own client: it retries connection errors, which a digest post must not use.
    settings = Settings(SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=f"{stub.url}/api/")
    ledger = Ledger(state, clock=lambda: MORNING + dt.timedelta(minutes=minutes))
    return Poster(state, web_client(settings), lambda: db, ledger)


def test_a_post_slack_took_before_the_connection_dropped_is_not_sent_again(state, article_db):
    stub = DroppingStub(drops=1, taken=True)
    try:
        subscription = subscribed(state, "C1")
        delivery = poster(state, stub, article_db).deliver(subscription, DAY)
        [post] = digest_posts(stub, "C1")  # one post, not a retried second one
        assert (delivery.outcome, delivery.ts) == ("posted", post.ts)
        assert Ledger(state).status("C1", DAY.isoformat()) == "posted"
        later = poster(state, stub, article_db, minutes=11).deliver(subscription, DAY)
        assert later.outcome == "skipped"
        assert len(digest_posts(stub, "C1")) == 1
    finally:
        stub.close()


def test_a_post_lost_with_its_connection_is_sent_by_a_later_run_after_a_look(state, article_db):
    stub = DroppingStub(drops=1, taken=False)
    try:
        subscription = subscribed(state, "C1")
        delivery = poster(state, stub, article_db).deliver(subscription, DAY)
        assert delivery.outcome == "unknown"
        assert digest_posts(stub, "C1") == []
        assert Ledger(state).status("C1", DAY.isoformat()) == "posting"
        soon = poster(state, stub, article_db, minutes=5).deliver(subscription, DAY)
        assert soon.outcome == "skipped"
        later = poster(state, stub, article_db, minutes=11).deliver(subscription, DAY)
        [post] = digest_posts(stub, "C1")
        assert (later.outcome, later.ts) == ("posted", post.ts)
        assert len(stub.find("conversations.history", channel="C1")) == 2  # looked each time
    finally:
        stub.close()
