"""The Slack app end to end over HTTP: the real server, signed requests, a stub Web API."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest

from bot.settings import Settings
from bot.slack.web import web_client
from tests.slack_server import ROOT, SECRET, Server, sign


@pytest.fixture(scope="module")
def server(stub, article_data, tmp_path_factory):
    state = tmp_path_factory.mktemp("state") / "state.db"
    server = Server(f"{stub.url}/api/", article_data, f"sqlite:///{state}")
    yield server
    server.stop()


def responses(stub, name):
    return [c.body for c in stub.find(path_prefix=f"/response/{name}")]


def all_text(blocks):
    return json.dumps(blocks, ensure_ascii=False)


def test_slash_command_acks_at_once_then_answers_privately_with_share_button(server, stub):
    status, _, seconds = server.command(
        "harassment Thames Valley year to September 2023", f"{stub.url}/response/cmd1"
    )
    assert status == 200
    assert seconds < 3
    [reply] = stub.wait_for(lambda: responses(stub, "cmd1"))
    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith("Thames Valley Police recorded 9,632 harassment offences")
    blocks = reply["blocks"]
    assert blocks[0]["text"]["text"].startswith("Thames Valley Police recorded 9,632")
    fields = next(b["fields"] for b in blocks if "fields" in b)
    assert "*Thames Valley Police: harassment offences, the year to September 2023*\n9,632" in [
        f["text"] for f in fields
    ]
    assert "I read this as: count · harassment · Thames Valley Police" in all_text(blocks)
    assert "Period: the year to September 2023" in all_text(blocks)
    button, download = blocks[-1]["elements"]
    assert button["text"]["text"] == "Share in channel"
    assert button["value"] == "harassment Thames Valley year to September 2023"
    assert download["text"]["text"] == "Download CSV"
    assert all(
        len(b["text"]["text"]) <= 3000 for b in blocks if b.get("type") == "section" and "text" in b
    )


@pytest.mark.parametrize("text", ["help", ""])
def test_help_and_empty_command_list_examples(server, stub, text):
    name = f"help{len(text)}"
    status, body, _ = server.command(text, f"{stub.url}/response/{name}")
    assert status == 200
    reply = json.loads(body)  # in the ack: no second request
    assert reply["response_type"] == "ephemeral"
    assert "crimebot" in reply["text"]
    buttons = [
        e["text"]["text"] for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert "harassment Thames Valley year to September 2023" in buttons


def test_share_posts_for_everyone_with_the_chart(server, stub):
    status, _, seconds = server.click(
        {"action_id": "share_answer", "value": "harassment trend Thames Valley"},
        "CSHARE",
        {"type": "message", "is_ephemeral": True},
        f"{stub.url}/response/share1",
    )
    assert status == 200 and seconds < 3
    posted = stub.wait_for(
        lambda: [r for r in responses(stub, "share1") if r.get("response_type") == "in_channel"]
    )
    assert posted[0]["text"].startswith("Thames Valley Police recorded 9,632")
    assert "Shared by <@U7>" in all_text(posted[0]["blocks"])
    assert stub.wait_for(lambda: [r for r in responses(stub, "share1") if r.get("delete_original")])
    completed = stub.wait_for(
        lambda: stub.find("files.completeUploadExternal", channel_id="CSHARE")
    )
    assert completed
    uploads = stub.find(path_prefix="/upload/")
    assert uploads and uploads[-1].body["bytes"] > 10_000  # a real PNG


def mention(text, ts, channel="C9", thread_ts=None, kind="app_mention"):
    event = {
        "type": kind,
        "user": "U1",
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        "channel_type": "channel",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def posts(stub, channel):
    return stub.find("chat.postMessage", channel=channel)


def test_mention_answers_in_the_thread_and_follow_up_uses_its_question(server, stub):
    status, _, _ = server.event(
        mention("<@UBOT> harassment Thames Valley year to September 2023", "100.1", "CM"), "Ev1"
    )
    assert status == 200
    [first] = stub.wait_for(lambda: posts(stub, "CM"))
    assert first.body["thread_ts"] == "100.1"
    assert "recorded 9,632 harassment offences" in first.body["text"]
    server.event(mention("<@UBOT> and stalking?", "100.2", "CM", thread_ts="100.1"), "Ev2")
    second = stub.wait_for(lambda: posts(stub, "CM")[1:])[0]
    assert second.body["thread_ts"] == "100.1"
    assert "recorded 3,991 stalking offences in the year to September 2023" in second.body["text"]
    server.event(
        mention("<@UBOT> what about the year before?", "100.3", "CM", thread_ts="100.1"), "Ev3"
    )
    third = stub.wait_for(lambda: posts(stub, "CM")[2:])[0]
    assert "recorded 2,998 stalking offences in the year to September 2022" in third.body["text"]


def test_trend_mention_uploads_a_chart_into_the_thread(server, stub):
    server.event(
        mention("<@UBOT> harassment in Thames Valley over ten years", "200.1", "CT"), "EvT"
    )
    [post] = stub.wait_for(lambda: posts(stub, "CT"))
    assert "ten years" in post.body["text"]
    [done] = stub.wait_for(lambda: stub.find("files.completeUploadExternal", channel_id="CT"))
    assert done.body["thread_ts"] == "200.1"
    asked = [c.body for c in stub.find("files.getUploadURLExternal") if c.body.get("alt_txt")]
    assert any("9,632" in body["alt_txt"] for body in asked), asked  # alt text states numbers


def test_retries_and_duplicate_deliveries_are_answered_once(server, stub):
    event = mention("<@UBOT> stalking Cumbria 2023", "300.1", "CR")
    server.event(event, "EvR")
    stub.wait_for(lambda: posts(stub, "CR"))
    for retry in ("1", "2"):
        status, _, _ = server.event(
            event,
            "EvR",
            headers={"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"},
        )
        assert status == 200
    server.event(
        mention("<@UBOT> stalking Cumbria 2023", "300.1", "CR", kind="message"), "EvR-message"
    )
    time.sleep(1.0)
    assert len(posts(stub, "CR")) == 1


def test_first_delivery_as_a_retry_is_still_answered(server, stub):
    server.event(
        mention("<@UBOT> stalking Kent 2023", "310.1", "CRR"),
        "EvRR",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"},
    )
    assert stub.wait_for(lambda: posts(stub, "CRR"))


@pytest.mark.parametrize(
    ("name", "headers"),
    [
        ("forged signature", {"signature": "v0=" + "0" * 64}),
        ("five minutes old", {"timestamp": int(time.time()) - 301}),
        ("signed with another secret", {"signature_secret": "not-the-secret"}),
        ("timestamp not a number", {"raw_timestamp": "yesterday"}),
        ("huge timestamp", {"raw_timestamp": "9" * 40}),
        ("non-ascii signature", {"signature": "v0=é" + "0" * 63}),
    ],
)
def test_bad_signatures_get_401_and_no_post(server, stub, name, headers):
    before = len(stub.calls)
    text = f"harassment Kent {name}"
    body = urlencode(
        {
            "command": "/crimestats",
            "text": text,
            "channel_id": "CX",
            "user_id": "U1",
            "team_id": "T1",
            "response_url": f"{stub.url}/response/bad",
        }
    ).encode()
    timestamp = headers.get("timestamp", int(time.time()))
    signature = headers.get("signature") or sign(
        body,
        timestamp,
        headers.get("signature_secret", SECRET),
    )
    extra = (
        {"X-Slack-Request-Timestamp": headers["raw_timestamp"]}
        if "raw_timestamp" in headers
        else None
    )
    status, _, _ = server.post(
        body,
        "application/x-www-form-urlencoded",
        headers=extra,
        timestamp=timestamp,
        signature=signature,
    )
    assert status == 401
    time.sleep(0.3)
    assert len(stub.calls) == before


def test_clarification_offers_buttons_that_answer_the_corrected_question(server, stub):
    server.command(
        "harassment in cumbira and nortumbria and sussx and kentt and essx",
        f"{stub.url}/response/clar0",
    )
    server.command("stalking yorkshire 2023", f"{stub.url}/response/clar1")
    [reply] = stub.wait_for(lambda: responses(stub, "clar1"))
    assert reply["text"].startswith("Which do you mean by “yorkshire”?")
    buttons = [e for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons[0]["value"] == "stalking North Yorkshire 2023"
    click = server.click(
        buttons[2],
        "C1",
        {"type": "message", "is_ephemeral": True},
        f"{stub.url}/response/clar2",
        user="U1",
    )
    assert click[0] == 200
    [answer] = stub.wait_for(lambda: responses(stub, "clar2"))
    assert answer["replace_original"] is True
    assert answer["text"].startswith("West Yorkshire Police recorded")


def test_app_home_shows_what_the_bot_knows(server, stub):
    server.event(
        {
            "type": "app_home_opened",
            "user": "UH",
            "channel": "DH",
            "tab": "home",
            "event_ts": "1.1",
        },
        "EvH",
    )
    [publish] = stub.wait_for(lambda: stub.find("views.publish", user_id="UH"))
    view = (
        json.loads(publish.body["view"])
        if isinstance(publish.body["view"], str)
        else publish.body["view"]
    )
    text = all_text(view["blocks"])
    assert "43 territorial forces" in text
    assert "rolling years from the year to March 2013 to the year to September 2023" in text
    assert (
        "(published 19 October 2023): recorded crime by offence and quarter, quarters from "
        "April 2012 to September 2023"
    ) in text


def test_web_api_error_gets_an_apology_and_the_server_keeps_serving(server, stub):
    server.event(mention("<@UBOT> stalking Kent", "400.1", "CFAIL"), "EvF")
    stub.wait_for(lambda: len(posts(stub, "CFAIL")) >= 2)
    assert "Sorry, I couldn't post that answer" in posts(stub, "CFAIL")[-1].body["text"]
    assert server.command("stalking Kent", f"{stub.url}/response/after")[0] == 200
    assert stub.wait_for(lambda: responses(stub, "after"))


def test_rate_limited_post_is_retried_after_retry_after(stub):
    settings = Settings(SLACK_BOT_TOKEN="xoxb-ratelimited", SLACK_API_URL=f"{stub.url}/api")
    start = time.monotonic()
    response = web_client(settings).chat_postMessage(channel="C429", text="hello")
    assert response["ok"]
    assert time.monotonic() - start >= 1.0
    assert len(stub.find("chat.postMessage", channel="C429")) == 2


def test_fifty_concurrent_commands_are_all_acked_in_time_and_answered(server, stub):
    questions = [
        "harassment Thames Valley",
        "charge rate harassment Thames Valley 2023",
        "which force has the lowest charge rate for stalking",
        "compare stalking in Kent and Essex",
        "harassment in Thames Valley over time",
    ]

    def send(i):
        return server.command(questions[i % len(questions)], f"{stub.url}/response/burst{i}")

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(send, range(50)))
    assert all(status == 200 for status, _, _ in results)
    acks = sorted(seconds for _, _, seconds in results)
    assert acks[-1] < 3, f"slowest ack {acks[-1]:.2f}s"
    answered = stub.wait_for(
        lambda: all(responses(stub, f"burst{i}") for i in range(50)), timeout=30
    )
    assert answered
    print(
        f"\n50 concurrent commands: ack p50 {statistics.median(acks) * 1000:.0f} ms, "
        f"max {acks[-1] * 1000:.0f} ms"
    )


def test_missing_setting_stops_start_up_naming_it(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "SLACK_BOT_TOKEN": "xoxb-x", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "missing required setting(s): SLACK_SIGNING_SECRET" in result.stderr


HOSTILE = "<!channel> <!subteam^S0123|@editors> <https://evil.example|Official figures>"
RAW_MARKUP = ("<!channel>", "<!subteam", "<https://", "<!here>")


def rendered_fields(message: dict) -> list[str]:
    """Every string Slack renders as mrkdwn in a message: its text and each mrkdwn element."""
    texts = [message.get("text", "")]

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                texts.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(message.get("blocks", []))
    return texts


@pytest.mark.parametrize(
    "question",
    [
        f"stalking yorkshire {HOSTILE} 2023",
        f"harasment in Thames Vally {HOSTILE}",
        f"{HOSTILE} burglary kentt",
    ],
)
def test_user_markup_never_reaches_the_channel(server, stub, question):
    """A misspelt mention's 'Try: …' suggestions used to echo <!channel> into the reply."""
    name = f"markup{abs(hash(question))}"
    server.event(mention(f"<@UBOT> {question}", f"{len(question)}.9", name), f"Ev{name}")
    server.command(question, f"{stub.url}/response/{name}")
    [post] = stub.wait_for(lambda: posts(stub, name))
    [reply] = stub.wait_for(lambda: responses(stub, name))
    for message in (post.body, reply):
        fields = rendered_fields(message)
        assert len(fields) > 1
        for text in fields:
            assert not any(raw in text for raw in RAW_MARKUP), text
        buttons = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
        for button in buttons:
            assert "<" not in button["value"] and "<" not in button["text"]["text"]


def test_subscription_clarification_does_not_echo_markup(server, stub):
    server.command(f"subscribe {HOSTILE} kentt", f"{stub.url}/response/submarkup")
    [reply] = stub.wait_for(lambda: responses(stub, "submarkup"))
    assert not any(raw in reply["text"] for raw in RAW_MARKUP), reply["text"]


def test_download_csv_uploads_the_rows_behind_the_answer(server, stub):
    question = "harassment Thames Valley year to September 2023"
    server.click(
        {"action_id": "download_csv", "value": question},
        "CCSV",
        {"type": "message", "message_ts": "500.1", "thread_ts": "500.1"},
        f"{stub.url}/response/csv1",
    )
    [complete] = stub.wait_for(
        lambda: [
            c
            for c in stub.find("files.completeUploadExternal")
            if c.body.get("channel_id") == "CCSV"
        ]
    )
    assert complete.body.get("thread_ts") == "500.1"
    uploads = [c.body["head"] for c in stub.find(path_prefix="/upload/") if "head" in c.body]
    assert any(
        "Thames Valley Police" in text
        and "9,632" not in text
        and "9632" in text
        and "prc-pfa-mar2013-onwards-tables-191023.xlsx" in text
        for text in uploads
    )


def test_download_csv_of_a_private_answer_goes_to_a_direct_message(server, stub):
    server.click(
        {"action_id": "download_csv", "value": "stalking Cumbria 2022/23"},
        "CPRIV",
        {"type": "message", "is_ephemeral": True},
        f"{stub.url}/response/csv2",
        user="U5",
    )
    stub.wait_for(lambda: stub.find("conversations.open"))
    uploaded = stub.wait_for(
        lambda: [
            c
            for c in stub.find("files.completeUploadExternal")
            if c.body.get("channel_id") == "DU5"
        ]
    )
    assert not stub.find("files.completeUploadExternal", channel_id="CPRIV")
    assert uploaded, [(c.path, c.body) for c in stub.calls[-6:]]
