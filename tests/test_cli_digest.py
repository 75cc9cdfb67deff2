"""`python -m bot digest`, in process: the command's choices (dry run, a patch, posting what
is due, one channel) against the article's data and a local Slack stub."""

from __future__ import annotations

import pytest

from bot.cli import digest
from bot.cli.common import EXIT_ERROR, EXIT_OK
from bot.cli.main import build_parser, main
from bot.state.store import State
from bot.state.subscriptions import Subscriptions
from tests.slack_stub import SlackStub
from tests.test_digest import digest_posts


@pytest.fixture
def stub():
    stub = SlackStub()
    yield stub
    stub.close()


@pytest.fixture
def environment(monkeypatch, state_url, article_data, stub) -> State:
    """The settings `python -m bot digest` reads, pointing at the stub: the state it uses."""
    for name, value in {
        "CRIMEBOT_STATE_URL": state_url,
        "CRIMEBOT_DATA_DIR": str(article_data),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_API_URL": f"{stub.url}/api/",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "CRIMEBOT_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    return State(state_url)


def test_a_dry_run_with_forces_prints_the_patchs_digest_and_posts_nothing(
    environment, stub, capsys
):
    assert main(["digest", "--dry-run", "--forces", "Thames Valley, Kent"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("Crime figures digest · ")
    assert "Thames Valley Police, the year to September 2023:" in out
    assert "Kent Police, the year to September 2023:" in out
    assert stub.find("chat.postMessage") == []


def test_a_dry_run_with_a_force_it_cannot_place_says_so(environment, capsys):
    assert main(["digest", "--dry-run", "--forces", "Narnia"]) == EXIT_ERROR
    assert capsys.readouterr().out.startswith("error: I don't know “narnia”")


def test_a_dry_run_with_no_subscriptions_says_how_to_subscribe(environment, capsys):
    assert main(["digest", "--dry-run"]) == EXIT_OK
    assert capsys.readouterr().out.strip() == digest.NO_SUBSCRIPTIONS


def test_a_dry_run_prints_each_subscribed_channels_digest(environment, stub, capsys):
    Subscriptions(environment).subscribe("C1", ("Thames Valley",), None, "U1")
    Subscriptions(environment).subscribe("C2", ("Kent",), None, "U1")
    assert main(["digest", "--dry-run", "--channel", "C2"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("── #C2 ──\nCrime figures digest · ")
    assert "#C1" not in out and "Thames Valley Police, the year" not in out
    assert stub.find("chat.postMessage") == []


def test_forces_without_a_dry_run_is_refused(environment, capsys):
    assert main(["digest", "--forces", "Kent"]) == EXIT_ERROR
    assert capsys.readouterr().err == "error: --forces previews a patch: use it with --dry-run\n"


def test_posting_reports_each_channel_and_fails_when_one_fails(environment, stub, capsys):
    Subscriptions(environment).subscribe("C1", ("Thames Valley",), None, "U1")
    Subscriptions(environment).subscribe("CFAIL", ("Kent",), None, "U1")
    assert main(["digest", "--now"]) == EXIT_ERROR
    [post] = digest_posts(stub, "C1")
    assert capsys.readouterr().out.splitlines() == [
        f"C1: posted ts {post.ts}",
        "CFAIL: failed (not_in_channel)",
    ]
    assert main(["digest", "--now", "--channel", "C1"]) == EXIT_OK
    assert capsys.readouterr().out == "C1: skipped (already posted today)\n"
    assert len(digest_posts(stub, "C1")) == 1


def test_a_channel_with_no_subscription_has_no_digest_due(environment, capsys):
    args = build_parser().parse_args(["digest", "--now", "--channel", "CNONE"])
    assert digest.run(args) == EXIT_OK
    assert capsys.readouterr().out == "No digest is due for CNONE.\n"
