"""Several workspaces: "Add to Slack" end to end against the real server and the Slack stub, the
installation and state stores on SQLite and Postgres, encrypted tokens, and the settings."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from email.message import Message
from urllib.parse import urlencode

import pytest
from cryptography.fernet import Fernet
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from bot.settings import LONDON, ROOT, MissingSetting, Settings
from bot.slack import oauth
from bot.state.store import State
from tests.slack_server import Server

KEY = Fernet.generate_key().decode()


# --- the browser and Slack, as the server sees them ---------------------------------------


def get(url: str, cookie: str | None = None) -> tuple[int, str, Message]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode(), error.headers


def open_install_page(server: Server) -> tuple[str, str, str]:
    """GET /slack/install: the "Add to Slack" link's state, its scopes, and the cookie."""
    status, page, headers = get(f"{server.url}/slack/install")
    assert status == 200, page
    link = html.unescape(re.search(r'href="(https://slack.com/oauth/v2/authorize[^"]+)"', page)[1])
    state = re.search(r"[?&]state=([^&]+)", link)[1]
    scopes = re.search(r"[?&]scope=([^&]+)", link)[1].replace("%3A", ":").replace("%2C", ",")
    cookie = headers["Set-Cookie"].split(";")[0]
    assert cookie == f"slack-app-oauth-state={state}"
    return state, scopes, cookie


def install(server: Server, stub, team: str) -> str:
    """A newsroom clicks "Add to Slack", then "Allow": the bot token Slack gave it."""
    state, _, cookie = open_install_page(server)
    code = stub.add_workspace(team)
    status, page, _ = get(f"{server.url}/slack/oauth_redirect?code={code}&state={state}", cookie)
    assert status == 200, page
    return stub.token_of(team)[-1]


def event(server: Server, team: str, body_event: dict, event_id: str) -> int:
    body = json.dumps(
        {
            "token": "legacy",
            "team_id": team,
            "api_app_id": "A1",
            "event": body_event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": f"UBOT{team}", "is_bot": True}],
        }
    ).encode()
    return server.post(body, "application/json")[0]


def mention(server: Server, team: str, channel: str, ts: str, text: str) -> int:
    return event(
        server,
        team,
        {
            "type": "app_mention",
            "user": "U1",
            "text": f"<@UBOT{team}> {text}",
            "ts": ts,
            "channel": channel,
            "event_ts": ts,
            "channel_type": "channel",
        },
        f"Ev{team}{ts}",
    )


def subscribe(server: Server, stub, team: str, channel: str, text: str) -> int:
    body = urlencode(
        {
            "team_id": team,
            "channel_id": channel,
            "user_id": "U1",
            "command": "/crimestats",
            "text": text,
            "api_app_id": "A1",
            "response_url": f"{stub.url}/response/sub{channel}",
            "trigger_id": "1.2.3",
        }
    ).encode()
    return server.post(body, "application/x-www-form-urlencoded")[0]


def posts_with(stub, channel: str) -> list[str]:
    """The tokens each chat.postMessage to the channel was sent with."""
    return [
        c.headers.get("Authorization", "").removeprefix("Bearer ")
        for c in stub.find("chat.postMessage", channel=channel)
    ]


@pytest.fixture(scope="module")
def oauth_server(stub, article_data, tmp_path_factory):
    state_file = tmp_path_factory.mktemp("oauth-state") / "state.db"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SLACK_CLIENT_ID", "1111.2222")
        env.setenv("SLACK_CLIENT_SECRET", "client-secret")
        env.setenv("CRIMEBOT_TOKEN_KEY", KEY)
        env.setenv("CRIMEBOT_WORKERS", "1")  # an uninstall is then seen by the worker asked next
        server = Server(f"{stub.url}/api/", article_data, f"sqlite:///{state_file}", token="")
    server.state_file = state_file
    yield server
    server.stop()


def rows(server: Server, sql: str) -> list[tuple]:
    engine = create_engine(f"sqlite:///{server.state_file}", poolclass=NullPool)
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql))]


# --- end to end ---------------------------------------------------------------------------


def test_two_workspaces_install_answer_with_their_own_tokens_and_leave(oauth_server, stub):
    server = oauth_server
    token_a = install(server, stub, "TA")
    token_b = install(server, stub, "TB")
    assert token_a != token_b

    # Each workspace's question is answered in its channel with its own token.
    assert mention(server, "TA", "CA1", "500.1", "stalking Kent 2023") == 200
    assert mention(server, "TB", "CB1", "500.2", "stalking Kent 2023") == 200
    assert stub.wait_for(lambda: posts_with(stub, "CA1")) == [token_a]
    assert stub.wait_for(lambda: posts_with(stub, "CB1")) == [token_b]
    assert "stalking offences" in stub.find("chat.postMessage", channel="CA1")[0].body["text"]

    # Workspace A subscribes a channel to the digest, which is posted with A's token.
    assert subscribe(server, stub, "TA", "CADIGEST", "subscribe Kent") == 200
    assert stub.wait_for(lambda: posts_with(stub, "CADIGEST")) == [token_a]
    state = State(f"sqlite:///{server.state_file}")
    settings = Settings(
        SLACK_CLIENT_ID="1111.2222", CRIMEBOT_TOKEN_KEY=KEY, SLACK_API_URL=f"{stub.url}/api/"
    )
    assert oauth.WorkspaceTokens(settings, state).bot_token("CADIGEST") == token_a

    # Tokens are stored encrypted and never logged.
    stored = rows(server, "SELECT bot_token FROM slack_bots") + rows(
        server, "SELECT bot_token FROM slack_installations"
    )
    assert len(stored) == 4
    assert all(token_a not in r[0] and token_b not in r[0] for r in stored)

    # A uninstalls: its installation is gone, its digest stopped; B still answers.
    stub.revoke("TA")
    assert event(server, "TA", {"type": "app_uninstalled"}, "EvUninstallA") == 200
    assert stub.wait_for(  # the last thing the uninstall does
        lambda: rows(server, "SELECT 1 FROM parked_subscriptions WHERE team_id = 'TA'"), timeout=10
    )
    assert rows(server, "SELECT 1 FROM slack_bots WHERE team_id = 'TA'") == []
    assert rows(server, "SELECT 1 FROM slack_installations WHERE team_id = 'TA'") == []
    assert rows(server, "SELECT 1 FROM subscriptions WHERE channel = 'CADIGEST'") == []
    assert oauth.WorkspaceTokens(settings, state).bot_token("CADIGEST") is None
    mention(server, "TA", "CA2", "501.1", "stalking Kent 2023")
    mention(server, "TB", "CB2", "501.2", "stalking Kent 2023")
    assert stub.wait_for(lambda: posts_with(stub, "CB2")) == [token_b]
    time.sleep(0.5)
    assert posts_with(stub, "CA2") == []

    # A reinstalls: a new token, answers again, and its digest is back.
    token_a2 = install(server, stub, "TA")
    assert token_a2 != token_a
    mention(server, "TA", "CA3", "502.1", "stalking Kent 2023")
    assert stub.wait_for(lambda: posts_with(stub, "CA3")) == [token_a2]
    assert rows(server, "SELECT channel FROM subscriptions WHERE channel = 'CADIGEST'") == [
        ("CADIGEST",)
    ]
    assert oauth.WorkspaceTokens(settings, state).bot_token("CADIGEST") == token_a2

    # B's bot token is revoked: B is forgotten; A still answers.
    stub.revoke("TB")
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOTTB"]}}
    assert event(server, "TB", revoked, "EvRevokeB") == 200
    assert stub.wait_for(
        lambda: not rows(server, "SELECT 1 FROM slack_bots WHERE team_id = 'TB'"), timeout=10
    )
    mention(server, "TA", "CA4", "503.1", "stalking Kent 2023")
    assert stub.wait_for(lambda: posts_with(stub, "CA4")) == [token_a2]

    log = (server.state_file.with_suffix(".log")).read_text()
    for token in stub.token_of("TA") + stub.token_of("TB"):
        assert token not in log
        assert token.split("-")[-1] not in log


def test_forged_replayed_and_cookieless_states_are_refused(oauth_server, stub):
    server = oauth_server
    exchanged_before = len(stub.find("oauth.v2.access"))

    forged = "0" * 8 + "-0000-4000-8000-" + "0" * 12
    code = stub.add_workspace("TFORGED")
    status, page, _ = get(
        f"{server.url}/slack/oauth_redirect?code={code}&state={forged}",
        f"slack-app-oauth-state={forged}",
    )
    assert status == 401 and "invalid_state" in page

    state, _, cookie = open_install_page(server)
    status, _, _ = get(f"{server.url}/slack/oauth_redirect?code={code}&state={state}")
    assert status == 400  # no cookie: another browser's state

    first = stub.add_workspace("TREPLAY")
    ok, _, _ = get(f"{server.url}/slack/oauth_redirect?code={first}&state={state}", cookie)
    assert ok == 200
    again = stub.add_workspace("TREPLAY2")
    status, page, _ = get(f"{server.url}/slack/oauth_redirect?code={again}&state={state}", cookie)
    assert status == 401 and "invalid_state" in page

    # Only the one good callback reached Slack; nothing was installed for the others.
    assert len(stub.find("oauth.v2.access")) == exchanged_before + 1
    teams = {r[0] for r in rows(server, "SELECT team_id FROM slack_bots")}
    assert "TREPLAY" in teams and not teams & {"TFORGED", "TREPLAY2"}


def test_oauth_paths_take_get_only_and_events_stay_signed(oauth_server):
    request = urllib.request.Request(f"{oauth_server.url}/slack/install", data=b"x", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 405
    refused.value.close()
    status, _, _ = oauth_server.post(b"{}", "application/json", signature="v0=" + "0" * 64)
    assert status == 401


def test_install_asks_for_the_scopes_the_manifests_list(oauth_server):
    _, scopes, _ = open_install_page(oauth_server)
    assert scopes.split(",") == list(oauth.BOT_SCOPES)
    for name in ("manifest.yml", "manifest-distribution.yml"):
        manifest = (ROOT / name).read_text()
        block = re.search(r"^    bot:\n((?:      - .+\n)+)", manifest, re.M)[1]
        assert re.findall(r"- (\S+)", block) == list(oauth.BOT_SCOPES), name


def test_distribution_manifest_has_the_redirect_the_events_and_public_distribution():
    manifest = (ROOT / "manifest-distribution.yml").read_text()
    assert "https://crimebot.example.org/slack/oauth_redirect" in manifest
    for name in ("app_uninstalled", "tokens_revoked", "app_mention"):
        assert f"      - {name}\n" in manifest
    assert re.search(r"^\s+is_public: true$", manifest, re.M)  # Slack Marketplace not needed


# --- the stores, on SQLite and Postgres ---------------------------------------------------


def installation(team: str, token: str) -> Installation:
    return Installation(
        app_id="A1",
        team_id=team,
        team_name=f"Newsroom {team}",
        bot_token=token,
        bot_id=f"B{team}",
        bot_user_id=f"UBOT{team}",
        bot_scopes=list(oauth.BOT_SCOPES),
        user_id=f"U{team}",
        installed_at=time.time(),
    )


def store_for(state: State, key: str = KEY, ttl: float = oauth.CACHE_TTL):
    settings = Settings(SLACK_CLIENT_ID="1111.2222", CRIMEBOT_TOKEN_KEY=key)
    store = oauth.installation_store(settings, state.engine)
    store.ttl = ttl
    return store


def test_installation_store_encrypts_finds_rotates_and_deletes(state_url):
    state = State(state_url)
    store = store_for(state)
    store.save(installation("T1", "xoxb-one-" + "x" * 150))  # longer than slack_sdk's 200
    store.save(installation("T2", "xoxb-two"))
    with state.engine.connect() as connection:
        raw = [r[0] for r in connection.execute(text("SELECT bot_token FROM slack_bots"))]
    assert len(raw) == 2 and not any("xoxb" in value for value in raw)
    assert store.find_bot(enterprise_id=None, team_id="T1").bot_token.startswith("xoxb-one-")
    assert store.find_installation(enterprise_id=None, team_id="T2").bot_token == "xoxb-two"

    # Rotation: a new key first, the old after; rotate; then the old key alone cannot read.
    new = Fernet.generate_key().decode()
    rotated = store_for(state, f"{new},{KEY}")
    assert rotated.find_bot(enterprise_id=None, team_id="T2").bot_token == "xoxb-two"
    assert rotated.rotate() == 4
    assert store_for(state, new).find_bot(enterprise_id=None, team_id="T2").bot_token == "xoxb-two"
    assert store_for(state, KEY).find_bot(enterprise_id=None, team_id="T2") is None

    rotated.delete_all(enterprise_id=None, team_id="T1")
    assert rotated.find_bot(enterprise_id=None, team_id="T1") is None
    assert rotated.find_installation(enterprise_id=None, team_id="T1") is None
    assert rotated.find_bot(enterprise_id=None, team_id="T2") is not None
    state.engine.dispose()


def test_oauth_state_is_good_once_and_only_until_it_expires(state_url):
    state = State(state_url)
    states = oauth.OneTimeStateStore(expiration_seconds=600, engine=state.engine)
    issued = states.issue()
    assert states.consume(issued) is True
    assert states.consume(issued) is False  # replayed
    assert states.consume("forged") is False
    expired = oauth.OneTimeStateStore(expiration_seconds=-1, engine=state.engine).issue()
    assert states.consume(expired) is False
    state.engine.dispose()


def test_uninstall_parks_subscriptions_and_reinstall_resumes_them(state_url):
    from bot.state.subscriptions import Subscriptions

    state = State(state_url)
    store = store_for(state)
    store.save(installation("TP", "xoxb-tp"))
    subscriptions = Subscriptions(state)
    subscriptions.subscribe("CP1", ("Kent Police",), dt.time(7, 0), "U1")
    subscriptions.subscribe("COTHER", ("Kent Police",), None, "U1")
    oauth.remember_channel(state, "CP1", "TP")
    oauth.remember_channel(state, "COTHER", "TOTHER")
    assert oauth.forget_workspace(state, store, None, "TP") == 1
    assert [s.channel for s in subscriptions.all()] == ["COTHER"]
    assert store.find_bot(enterprise_id=None, team_id="TP") is None
    assert oauth.resume_workspace(state, None, "TP") == 1
    assert subscriptions.get("CP1").at == dt.time(7, 0)
    assert oauth.resume_workspace(state, None, "TP") == 0
    state.engine.dispose()


def test_cached_lookup_costs_no_query(tmp_path):
    """The per-request look-up: measured uncached (a query) and cached (memory)."""
    state = State(f"sqlite:///{tmp_path / 'state.db'}")
    uncached = store_for(state, ttl=0)
    cached = store_for(state)
    uncached.save(installation("TC", "xoxb-tc"))

    def per_call(store, n=200) -> float:
        start = time.perf_counter()
        for _ in range(n):
            assert store.find_bot(enterprise_id=None, team_id="TC").bot_token == "xoxb-tc"
        return (time.perf_counter() - start) / n

    slow, fast = per_call(uncached), per_call(cached)
    print(f"\ninstallation look-up: {slow * 1e6:.0f} µs from SQLite, {fast * 1e6:.1f} µs cached")
    assert fast * 5 < slow


# --- settings -----------------------------------------------------------------------------


def test_oauth_mode_names_each_missing_setting():
    base = {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s", "SLACK_SIGNING_SECRET": "x"}
    Settings(**base, CRIMEBOT_TOKEN_KEY=KEY).require_slack()
    assert Settings(**base, CRIMEBOT_TOKEN_KEY=KEY).oauth_mode
    for name in ("SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET", "CRIMEBOT_TOKEN_KEY"):
        values = {**base, "CRIMEBOT_TOKEN_KEY": KEY, name: ""}
        with pytest.raises(MissingSetting, match=name):
            Settings(**values).require_slack()
    with pytest.raises(MissingSetting, match="CRIMEBOT_TOKEN_KEY is not a Fernet key"):
        Settings(**base, CRIMEBOT_TOKEN_KEY="not-a-key").require_slack()
    # A bot token means one workspace, as before, whatever else is set.
    single = Settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_CLIENT_ID="1.2", SLACK_SIGNING_SECRET="x")
    assert not single.oauth_mode
    single.require_slack()
    with pytest.raises(MissingSetting, match="SLACK_BOT_TOKEN"):
        Settings(SLACK_SIGNING_SECRET="x").require_slack()


def test_serve_in_oauth_mode_without_the_key_stops_naming_it(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "SLACK_CLIENT_ID": "1.2",
        "SLACK_CLIENT_SECRET": "s",
        "SLACK_SIGNING_SECRET": "x",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "missing required setting(s): CRIMEBOT_TOKEN_KEY" in result.stderr


def test_digests_go_with_each_workspace_token_and_stop_when_it_leaves(stub, article_db, tmp_path):
    """bot.slack.digest_poster's Poster, unchanged, given digest_client: each channel's digest is
    posted with its own workspace's token; an uninstalled workspace's channel gets none."""
    from bot.slack.digest_poster import Poster, run
    from bot.state.subscriptions import Subscriptions

    state = State(f"sqlite:///{tmp_path / 'state.db'}")
    settings = Settings(
        SLACK_CLIENT_ID="1111.2222", CRIMEBOT_TOKEN_KEY=KEY, SLACK_API_URL=f"{stub.url}/api/"
    )
    store = store_for(state)
    tokens = {}
    assert oauth.digest_client(settings, state).token is None  # no token of its own
    for team in ("TD1", "TD2", "TD3"):
        exchanged = WebClient(base_url=f"{stub.url}/api/").oauth_v2_access(
            client_id="1111.2222", client_secret="s", code=stub.add_workspace(team)
        )
        tokens[team] = exchanged["access_token"]
        store.save(installation(team, tokens[team]))
        Subscriptions(state).subscribe(f"CDIG{team}", ("Kent",), None, "U1")
        oauth.remember_channel(state, f"CDIG{team}", team)
    oauth.forget_workspace(state, store, None, "TD3")

    poster = Poster(state, oauth.digest_client(settings, state), lambda: article_db)
    now = dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC)
    delivered = {d.channel: d.outcome for d in run(poster, LONDON, now)}
    assert delivered == {"CDIGTD1": "posted", "CDIGTD2": "posted"}
    for team in ("TD1", "TD2"):
        assert posts_with(stub, f"CDIG{team}") == [tokens[team]]
    assert posts_with(stub, "CDIGTD3") == []
    state.engine.dispose()


def test_digest_client_needs_the_key_in_oauth_mode_and_the_token_otherwise(tmp_path):
    state = State(f"sqlite:///{tmp_path / 'state.db'}")
    with pytest.raises(MissingSetting, match="CRIMEBOT_TOKEN_KEY"):
        oauth.digest_client(Settings(SLACK_CLIENT_ID="1.2"), state)
    with pytest.raises(MissingSetting, match="SLACK_BOT_TOKEN"):
        oauth.digest_client(Settings(), state)
    assert oauth.digest_client(Settings(SLACK_BOT_TOKEN="xoxb-1"), state).token == "xoxb-1"


def test_single_workspace_mode_is_unchanged_by_empty_oauth_settings(
    stub, article_db, tmp_path, monkeypatch
):
    """A .env copied from .env.example leaves SLACK_CLIENT_ID= and SLACK_CLIENT_SECRET= empty,
    which Bolt alone takes as "OAuth, installations in files": the bot token must still serve."""
    from bot.slack.app import build_app
    from bot.slack.replies import Crimebot

    monkeypatch.setenv("SLACK_CLIENT_ID", "")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "")
    monkeypatch.setenv("HOME", str(tmp_path))
    settings = Settings(
        SLACK_BOT_TOKEN="xoxb-single",
        SLACK_SIGNING_SECRET="s",
        SLACK_API_URL=f"{stub.url}/api/",
        CRIMEBOT_THREADS=2,
    )
    state = State(f"sqlite:///{tmp_path / 'state.db'}")
    app = build_app(settings, Crimebot(article_db, state))
    assert app.oauth_flow is None
    assert app.client.token == "xoxb-single"
    assert app.installation_store is None
    state.engine.dispose()


def test_oauth_mode_acks_a_burst_from_two_workspaces_in_time(oauth_server, stub):
    """The per-request installation look-up must not slow the acks: 40 commands at once from
    two workspaces are all acked within Slack's 3 s and each answered."""
    server = oauth_server
    install(server, stub, "TBURST1")
    install(server, stub, "TBURST2")

    def send(i: int) -> tuple[int, bytes, float]:
        body = urlencode(
            {
                "team_id": f"TBURST{i % 2 + 1}",
                "channel_id": f"CBURST{i % 2}",
                "user_id": "U1",
                "command": "/crimestats",
                "text": "stalking Kent 2023",
                "api_app_id": "A1",
                "response_url": f"{stub.url}/response/oburst{i}",
                "trigger_id": "1.2.3",
            }
        ).encode()
        return server.post(body, "application/x-www-form-urlencoded")

    with ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(send, range(40)))
    assert all(status == 200 for status, _, _ in results)
    acks = sorted(seconds for _, _, seconds in results)
    assert acks[-1] < 3, f"slowest ack {acks[-1]:.2f}s"
    assert stub.wait_for(
        lambda: all(stub.find(path_prefix=f"/response/oburst{i}") for i in range(40)), timeout=30
    )
    print(
        f"\nOAuth mode, 40 concurrent commands from two workspaces: ack p50 "
        f"{statistics.median(acks) * 1000:.0f} ms, max {acks[-1] * 1000:.0f} ms"
    )


def test_a_message_in_a_channel_shared_by_two_workspaces_is_answered_once(oauth_server, stub):
    """Slack Connect: one channel id and one message ts, whichever workspace's delivery it
    comes with. The dedupe key is the channel and ts, so it is one answer, not two."""
    server = oauth_server
    install(server, stub, "TSHARE1")
    install(server, stub, "TSHARE2")
    mention(server, "TSHARE1", "CSHARED", "600.1", "stalking Kent 2023")
    mention(server, "TSHARE2", "CSHARED", "600.1", "stalking Kent 2023")
    assert stub.wait_for(lambda: posts_with(stub, "CSHARED"))
    time.sleep(1.0)
    assert len(posts_with(stub, "CSHARED")) == 1
