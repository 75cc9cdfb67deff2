"""The digest's Slack side over HTTP: subscribing a channel, story drafts, "Write it up"."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.state.store import State
from bot.state.subscriptions import Subscription, Subscriptions
from tests.slack_server import Server
from tests.test_slack import all_text, mention, responses


@pytest.fixture(scope="module")
def state_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('digest-state') / 'state.db'}"


@pytest.fixture(scope="module")
def server(stub, article_data, state_url):
    server = Server(f"{stub.url}/api/", article_data, state_url)
    yield server
    server.stop()


def test_subscribing_a_channel_is_confirmed_there_and_stored(server, stub, state_url):
    status, _, seconds = server.command(
        "subscribe Thames Valley, Cumbria at 7am", f"{stub.url}/response/sub1", channel="CSUB"
    )
    assert status == 200 and seconds < 3
    [post] = stub.wait_for(lambda: stub.find("chat.postMessage", channel="CSUB"))
    assert post.body["text"] == (
        "<@U1> set up this channel's digest. This channel gets crimebot's digest of story "
        "leads every day at 07:00 (Europe/London) for Thames Valley Police and Cumbria "
        "Constabulary. Change it with `/crimestats subscribe <forces> at <time>`; stop it with "
        "`/crimestats unsubscribe` (or `unsubscribe <force>`)."
    )
    assert Subscriptions(State(state_url)).get("CSUB") == Subscription(
        "CSUB", ("Thames Valley", "Cumbria"), dt.time(7), "U1"
    )

    server.command("subscriptions", f"{stub.url}/response/sub2", channel="CSUB")
    [listing] = stub.wait_for(lambda: responses(stub, "sub2"))
    assert listing["response_type"] == "ephemeral"
    assert (
        "every day at 07:00 (Europe/London) for Thames Valley Police and Cumbria"
        in (listing["text"])
    )

    server.command("unsubscribe cumbria", f"{stub.url}/response/sub3", channel="CSUB")
    stub.wait_for(lambda: len(stub.find("chat.postMessage", channel="CSUB")) == 2)
    assert Subscriptions(State(state_url)).get("CSUB").forces == ("Thames Valley",)


def test_a_channel_the_bot_cannot_post_in_is_not_subscribed(server, stub, state_url):
    server.command("subscribe Kent", f"{stub.url}/response/sub4", channel="CFAIL")
    [reply] = stub.wait_for(lambda: responses(stub, "sub4"))
    assert reply["text"].startswith("I can't post in this channel")
    assert Subscriptions(State(state_url)).get("CFAIL") is None


def test_a_misspelt_subscription_is_asked_about(server, stub, state_url):
    server.command("subscribe Thames Valley, Narnia", f"{stub.url}/response/sub5", channel="C5")
    [reply] = stub.wait_for(lambda: responses(stub, "sub5"))
    assert reply["text"].startswith("I don't know “narnia” as a police force")
    assert Subscriptions(State(state_url)).get("C5") is None


def test_story_command_replies_privately_with_a_draft(server, stub):
    server.command("story harassment Thames Valley", f"{stub.url}/response/story1")
    [reply] = stub.wait_for(lambda: responses(stub, "story1"))
    assert reply["response_type"] == "ephemeral"
    blocks = reply["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": "Harassment offences recorded by Thames Valley Police hit ten-year high",
        },
    }
    text = all_text(blocks)
    for figure in ("9,632", "7,892", "301 (3.1 per cent)", "[QUOTE NEEDED"):
        assert figure in text


def test_write_it_up_posts_the_draft_in_the_digests_thread(server, stub):
    click = server.click(
        {"action_id": "write_story_2", "value": "harassment Thames Valley year to September 2023"},
        "CDIGEST",
        {"type": "message", "message_ts": "1700000000.000100", "is_ephemeral": False},
        f"{stub.url}/response/write1",
    )
    assert click[0] == 200
    [post] = stub.wait_for(lambda: stub.find("chat.postMessage", channel="CDIGEST"))
    assert post.body["thread_ts"] == "1700000000.000100"
    text = all_text(post.body["blocks"])
    assert "Thames Valley Police recorded 9,632 harassment offences" in text
    assert "Draft requested by <@U7>" in text


def test_a_mention_asking_for_a_story_gets_the_draft_in_its_thread(server, stub):
    event = mention("<@UBOT> story harassment Thames Valley", "300.1", "CSTORY")
    assert server.event(event, "EvStory1")[0] == 200
    [post] = stub.wait_for(lambda: stub.find("chat.postMessage", channel="CSTORY"))
    assert post.body["thread_ts"] == "300.1"
    assert post.body["blocks"][0]["text"]["text"] == (
        "Harassment offences recorded by Thames Valley Police hit ten-year high"
    )


def test_subscriptions_says_when_a_quiet_day_posted_nothing(server, stub, state_url):
    from bot.state.ledger import Ledger

    server.command("subscribe Kent", f"{stub.url}/response/quiet1", channel="CQUIET")
    stub.wait_for(lambda: stub.find("chat.postMessage", channel="CQUIET"))
    ledger = Ledger(State(state_url))
    claim = ledger.claim("CQUIET", "2026-11-20")
    assert claim is not None
    ledger.quiet(claim, [])
    server.command("subscriptions", f"{stub.url}/response/quiet2", channel="CQUIET")
    [listing] = stub.wait_for(lambda: responses(stub, "quiet2"))
    assert "On Friday 20 November 2026 nothing was posted" in listing["text"]
