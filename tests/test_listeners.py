"""Each listener called as Bolt would call it, bolt-python style: a mocked ack, respond and
client, a fake body, and the Crimebot in the context as the ProvideServices middleware puts
it. What is asserted is what the user would see. (test_slack.py sends the same requests
signed, over HTTP, to the real server.)"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from unittest.mock import MagicMock, Mock

import pytest
from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.render.replies import BUSY
from bot.slack.listeners import actions, commands, home, mentions, stories
from bot.slack.listeners.context import services
from bot.slack.replies import Crimebot
from bot.state.store import State
from tests.conftest import TODAY

QUESTION = "harassment Thames Valley year to September 2023"


@pytest.fixture
def bot(article_db, tmp_path):
    bot = Crimebot(
        article_db,
        State(f"sqlite:///{tmp_path / 'state.db'}"),
        today=lambda: TODAY,
        workers=ThreadPoolExecutor(max_workers=1),
    )
    yield bot
    bot.state.engine.dispose()


def settle(bot: Crimebot) -> None:
    """Wait for the queued answers, then for their posts."""
    bot.workers.shutdown(wait=True)
    bot.outbox.pool.shutdown(wait=True)


def slack() -> tuple[Mock, Mock, MagicMock]:
    """ack, respond (its response_url accepts) and a Web API client."""
    client = MagicMock(spec=WebClient)
    client.chat_postMessage.return_value = {"ok": True, "ts": "200.1"}
    client.conversations_open.return_value = {"channel": {"id": "D7"}}
    return Mock(spec=Ack), Mock(spec=Respond, return_value=None), client


def command(text: str) -> dict:
    return {"command": "/crimestats", "text": text, "channel_id": "C1", "user_id": "U1"}


def press(value: str, container: dict, channel: str | None = "C1") -> tuple[dict, dict]:
    body = {"type": "block_actions", "user": {"id": "U7"}, "container": container}
    if channel:
        body["channel"] = {"id": channel}
    return body, {"action_id": "x", "value": value}


def texts(blocks: list[dict]) -> str:
    return " ".join(
        part.get("text", "") if isinstance(part.get("text"), str) else part["text"]["text"]
        for block in blocks
        for part in [block, *block.get("elements", []), *block.get("fields", [])]
        if isinstance(part.get("text"), (str, dict))
    )


def test_a_command_is_acked_then_answered_privately_with_share_and_csv_buttons(bot):
    ack, respond, client = slack()
    commands.crimestats(ack, command(QUESTION), respond, client, services(bot))
    ack.assert_called_once_with()
    settle(bot)
    [reply] = [c.kwargs for c in respond.call_args_list]
    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith("Thames Valley Police recorded 9,632 harassment offences")
    share, csv = reply["blocks"][-1]["elements"]
    assert (share["text"]["text"], share["value"]) == ("Share in channel", QUESTION)
    assert csv["text"]["text"] == "Download CSV"
    client.chat_postMessage.assert_not_called()


@pytest.mark.parametrize("text", ["", "help"])
def test_help_comes_at_once_without_the_answer_queue(bot, text):
    ack, respond, client = slack()
    bot.max_pending = 0  # a full queue: help must not need it
    commands.crimestats(ack, command(text), respond, client, services(bot))
    [reply] = [c.kwargs for c in ack.call_args_list]  # in the ack: at once
    assert reply["response_type"] == "ephemeral"
    assert QUESTION in texts(reply["blocks"])
    respond.assert_not_called()


def test_a_full_answer_queue_says_busy_at_once(bot):
    ack, respond, client = slack()
    bot.max_pending = 0
    commands.crimestats(ack, command(QUESTION), respond, client, services(bot))
    respond.assert_not_called()
    assert [c.kwargs for c in ack.call_args_list] == [{"response_type": "ephemeral", "text": BUSY}]


def test_a_full_queue_tells_a_button_press_after_the_ack_without_holding_it_up(bot):
    """The listener runs in the request's thread and the ack goes when it returns: "try
    again" must not be posted first (a slow response_url would delay the ack)."""
    ack, respond, client = slack()
    posted_from = []
    respond.side_effect = lambda **_: posted_from.append(threading.current_thread())
    bot.max_pending = 0
    body, action = press(QUESTION, {"type": "message", "is_ephemeral": True})
    actions.share(ack, body, action, respond, client, services(bot))
    ack.assert_called_once_with()
    settle(bot)
    [busy] = [c.kwargs for c in respond.call_args_list]
    assert busy["text"] == BUSY
    assert posted_from != [threading.current_thread()]  # not in the request's thread


def test_a_failed_response_url_falls_back_to_an_ephemeral_message(bot):
    ack, respond, client = slack()
    respond.side_effect = ConnectionRefusedError("refused")
    commands.crimestats(ack, command(QUESTION), respond, client, services(bot))
    settle(bot)
    sent = client.chat_postEphemeral.call_args.kwargs
    assert (sent["channel"], sent["user"]) == ("C1", "U1")
    assert sent["text"].startswith("Thames Valley Police recorded 9,632")


def test_subscriptions_with_none_set_says_so(bot):
    ack, respond, client = slack()
    commands.crimestats(ack, command("subscriptions"), respond, client, services(bot))
    settle(bot)
    [reply] = [c.kwargs for c in respond.call_args_list]
    assert reply["response_type"] == "ephemeral"
    assert "subscribe" in reply["text"]


def test_a_mention_is_answered_in_its_thread_and_a_follow_up_reads_the_thread(bot):
    _, _, client = slack()
    event = {"type": "app_mention", "channel": "C2", "ts": "100.1", "text": f"<@UBOT> {QUESTION}"}
    mentions.on_mention(event, client, services(bot))
    settle(bot)
    first = client.chat_postMessage.call_args_list[0].kwargs
    assert (first["channel"], first["thread_ts"]) == ("C2", "100.1")
    assert first["text"].startswith("Thames Valley Police recorded 9,632 harassment")

    bot = Crimebot(bot.db, bot.state, today=lambda: TODAY)  # a fresh queue: the old one is shut
    _, _, client = slack()
    follow = {**event, "ts": "100.2", "thread_ts": "100.1", "text": "<@UBOT> and stalking?"}
    mentions.on_mention(follow, client, services(bot))
    settle(bot)
    reply = client.chat_postMessage.call_args_list[0].kwargs
    assert reply["thread_ts"] == "100.1"
    assert "stalking" in reply["text"] and "Thames Valley Police" in reply["text"]


def test_a_message_event_is_answered_only_when_it_names_the_bot(bot):
    _, _, client = slack()
    context = services(bot)
    context["bot_user_id"] = "UBOT"
    event = {"type": "message", "channel": "C3", "ts": "1.1", "text": QUESTION}
    mentions.on_message(event, client, context)
    mentions.on_message(
        {**event, "ts": "1.2", "text": "<@UBOT> hi", "bot_id": "B1"}, client, context
    )
    settle(bot)
    client.chat_postMessage.assert_not_called()


def test_share_posts_for_everyone_and_removes_the_private_copy(bot):
    ack, respond, client = slack()
    body, action = press(QUESTION, {"type": "message", "is_ephemeral": True})
    actions.share(ack, body, action, respond, client, services(bot))
    ack.assert_called_once_with()
    settle(bot)
    shared, deleted = [c.kwargs for c in respond.call_args_list]
    assert shared["response_type"] == "in_channel" and shared["replace_original"] is False
    assert "Shared by <@U7>" in texts(shared["blocks"])
    assert deleted == {"delete_original": True}


def test_a_suggestion_in_a_private_reply_replaces_it(bot):
    ack, respond, client = slack()
    body, action = press(QUESTION, {"type": "message", "is_ephemeral": True})
    actions.suggestion(ack, body, action, respond, client, services(bot))
    settle(bot)
    [reply] = [c.kwargs for c in respond.call_args_list]
    assert reply["replace_original"] is True
    assert reply["text"].startswith("Thames Valley Police recorded 9,632")
    client.chat_postMessage.assert_not_called()


def test_a_suggestion_in_a_thread_is_answered_there(bot):
    ack, respond, client = slack()
    body, action = press(QUESTION, {"type": "message", "message_ts": "5.2", "thread_ts": "5.1"})
    actions.suggestion(ack, body, action, respond, client, services(bot))
    settle(bot)
    reply = client.chat_postMessage.call_args_list[0].kwargs
    assert (reply["channel"], reply["thread_ts"]) == ("C1", "5.1")
    respond.assert_not_called()


def test_download_csv_of_a_private_answer_goes_by_direct_message(bot):
    ack, respond, client = slack()
    body, action = press(QUESTION, {"type": "message", "is_ephemeral": True})
    actions.download_csv(ack, body, action, respond, client, services(bot))
    settle(bot)
    client.conversations_open.assert_called_once_with(users="U7")
    upload = client.files_upload_v2.call_args.kwargs
    assert upload["channel"] == "D7" and upload["thread_ts"] is None
    assert "9632" in upload["content"] and upload["filename"] == "crimebot-figures.csv"


def test_write_it_up_posts_a_draft_in_the_digests_thread_signed_by_who_asked(bot):
    ack, respond, client = slack()
    body, action = press("story harassment Thames Valley", {"message_ts": "9.1"})
    stories.write_it_up(ack, body, action, respond, client, services(bot))
    settle(bot)
    draft = client.chat_postMessage.call_args.kwargs
    assert (draft["channel"], draft["thread_ts"]) == ("C1", "9.1")
    assert draft["blocks"][-1]["elements"][0]["text"] == "Draft requested by <@U7>"
    respond.assert_not_called()


def test_the_home_tab_is_published_for_whoever_opened_it(bot):
    _, _, client = slack()
    home.on_home_opened(
        {"type": "app_home_opened", "user": "U9", "tab": "home"}, client, services(bot)
    )
    settle(bot)
    view = client.views_publish.call_args.kwargs
    assert view["user_id"] == "U9" and view["view"]["type"] == "home"
    assert view["view"]["blocks"][0]["text"]["text"] == "crimebot"
    home.on_home_opened(
        {"type": "app_home_opened", "user": "U9", "tab": "messages"}, client, services(bot)
    )
    assert client.views_publish.call_count == 1


def test_the_context_carries_the_crimebot_put_there_by_the_middleware(bot):
    from bot.slack.listeners.context import ProvideServices, crimebot

    context = BoltContext()
    request = Mock(context=context)
    ProvideServices(bot).process(req=request, resp=Mock(), next=lambda: "next")
    assert crimebot(context) is bot
