"""A local stand-in for Slack's Web API and response_url endpoints that records every call.

Scenarios are chosen the way slack-sdk's own tests do: by token ("xoxb-ratelimited" gets
a 429 first) or by channel ("CFAIL" gets not_in_channel, for chat.postEphemeral too; a
channel starting "CSLOW" gets a 429 with Retry-After: 1.5 and is rate-limited for those
1.5 s), or by response_url ("/response/fail404…", "/response/fail500…" fail with that
status). apps.connections.open answers with `socket_url` once a test sets it.

A channel's next reply in a thread can be refused once (``refuse_next_reply``); the
history leaves out thread replies, which conversations.replies gives (as Slack does).

Workspaces (OAuth tests): ``add_workspace(team_id)`` returns a code that oauth.v2.access
exchanges, once, for a bot token of that workspace's own (a new one each install); auth.test
answers for that workspace; ``revoke(team_id)`` makes its tokens fail with token_revoked.
"""

from __future__ import annotations

import http.server
import json
import math
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

BOT_USER = "UBOT"


@dataclass
class Call:
    path: str
    body: dict
    headers: dict
    at: float = field(default_factory=time.monotonic)
    ts: str = ""  # the ts a chat.postMessage was answered with

    @property
    def method(self) -> str:
        return self.path.removeprefix("/api/")


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # Python's default listen backlog is 5: a burst of connections beyond it is dropped and
    # retried a second later (or reset), which a benchmark would count as the bot's latency.
    request_queue_size = 128


class SlackStub:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.lock = threading.Lock()
        self.rate_limited_once: set[str] = set()
        self.slow_prefix = "CSLOW"
        self.slow_retry_after = 1.5
        self.limited_until: dict[str, float] = {}  # channel -> end of its rate-limit window
        self.socket_url = ""  # what apps.connections.open returns (Socket Mode tests)
        self._ts = 1_700_000_000
        self.codes: dict[str, str] = {}  # OAuth code -> team id, until exchanged
        self.tokens: dict[str, str] = {}  # bot token -> team id
        self.revoked: set[str] = set()  # team ids whose tokens Slack refuses
        self.refused_replies: dict[str, str] = {}  # channel -> error for its next thread reply
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                kind = self.headers.get("Content-Type", "")
                path, _, query = self.path.partition("?")
                if query:  # GET methods (conversations.history) send their arguments here
                    body = {k: v[0] for k, v in parse_qs(query).items()}
                elif self.path.startswith("/upload/"):
                    body = {"bytes": len(raw), "head": raw[:4000].decode("utf-8", "replace")}
                elif "json" in kind:
                    body = json.loads(raw or b"{}")
                elif "form" in kind:
                    body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                else:
                    body = {"bytes": len(raw)}
                status, answer, extra = stub.answer(path, body, dict(self.headers))
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in extra.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add_workspace(self, team_id: str) -> str:
        """A workspace that can install the app: the code its "Allow" click would give."""
        with self.lock:
            code = f"code-{team_id}-{len(self.codes) + len(self.tokens)}"
            self.codes[code] = team_id
            self.revoked.discard(team_id)
        return code

    def refuse_next_reply(self, channel: str, error: str = "internal_error") -> None:
        """The channel's next chat.postMessage in a thread is refused once (not posted)."""
        with self.lock:
            self.refused_replies[channel] = error

    def revoke(self, team_id: str) -> None:
        with self.lock:
            self.revoked.add(team_id)

    def token_of(self, team_id: str) -> list[str]:
        """The bot tokens issued to a workspace, oldest first."""
        with self.lock:
            return [token for token, team in self.tokens.items() if team == team_id]

    def _workspace_answer(self, method: str, body: dict, token: str) -> dict | None:
        if method == "oauth.v2.access":
            with self.lock:
                team = self.codes.pop(str(body.get("code")), None)
                if team is None:
                    return {"ok": False, "error": "invalid_code"}
                token = f"xoxb-{team}-{len(self.tokens) + 1}-secretpart{self._ts}"
                self.tokens[token] = team
            return {
                "ok": True,
                "app_id": "A1",
                "access_token": token,
                "token_type": "bot",
                "scope": "app_mentions:read,chat:write,commands",
                "bot_user_id": f"UBOT{team}",
                "team": {"id": team, "name": f"Newsroom {team}"},
                "enterprise": None,
                "is_enterprise_install": False,
                "authed_user": {"id": f"UADMIN{team}"},
            }
        team = self.tokens.get(token)
        if team is None:
            return None
        if team in self.revoked:
            return {"ok": False, "error": "token_revoked"}
        if method == "auth.test":
            return {
                "ok": True,
                "user_id": f"UBOT{team}",
                "bot_id": f"B{team}",
                "team_id": team,
                "user": "crimebot",
                "team": f"Newsroom {team}",
                "url": f"https://{team.lower()}.slack.com/",
            }
        return None

    def answer(self, path: str, body: dict, headers: dict) -> tuple[int, dict, dict]:
        with self.lock:
            self._ts += 1
            ts = f"{self._ts}.000100"
            self.calls.append(Call(path, body, headers, ts=ts))
        token = headers.get("Authorization", "").removeprefix("Bearer ")
        method = path.removeprefix("/api/")
        limited = token == "xoxb-ratelimited" and method == "chat.postMessage"
        if limited and token not in self.rate_limited_once:
            self.rate_limited_once.add(token)
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"}
        if path.startswith(("/response/fail404", "/response/fail500")):
            status = int(path.removeprefix("/response/fail")[:3])
            return status, {"ok": False, "error": "failed"}, {}
        channel = str(body.get("channel") or body.get("channel_id") or "")
        if channel.startswith(self.slow_prefix) and method.startswith(("chat.", "files.")):
            now = time.monotonic()
            with self.lock:
                until = self.limited_until.get(channel)
                if until is None:  # the first call opens a window of slow_retry_after seconds
                    until = self.limited_until[channel] = now + self.slow_retry_after
            if now < until:
                left = until - now  # whole seconds, as Slack sends, when set as an int
                wait = math.ceil(left) if isinstance(self.slow_retry_after, int) else left
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": f"{wait:.3g}"}
        workspace = self._workspace_answer(method, body, token)
        if workspace is not None:
            return 200, workspace, {}
        if method == "apps.connections.open" and self.socket_url:
            return 200, {"ok": True, "url": self.socket_url}, {}
        if method == "conversations.open":
            return 200, {"ok": True, "channel": {"id": f"D{body.get('users', 'U')}"}}, {}
        if method == "chat.postEphemeral" and body.get("channel") == "CFAIL":
            return 200, {"ok": False, "error": "not_in_channel"}, {}
        if method == "auth.test":
            return (
                200,
                {
                    "ok": True,
                    "user_id": BOT_USER,
                    "bot_id": "BBOT",
                    "team_id": "T1",
                    "user": "crimebot",
                    "team": "Newsroom",
                    "url": "https://x.slack.com/",
                },
                {},
            )
        if method == "chat.postMessage":
            if body.get("channel") == "CFAIL":
                return 200, {"ok": False, "error": "not_in_channel"}, {}
            if body.get("thread_ts"):
                with self.lock:
                    refused = self.refused_replies.pop(channel, None)
                if refused:
                    self._forget_last("chat.postMessage")
                    return 200, {"ok": False, "error": refused}, {}
            return 200, {"ok": True, "channel": body.get("channel"), "ts": ts}, {}
        if method == "conversations.history":
            if body.get("channel") == "CNOHISTORY":
                return 200, {"ok": False, "error": "missing_scope"}, {}
            return 200, {"ok": True, "messages": self.history(body.get("channel", ""))}, {}
        if method == "conversations.replies":
            thread = self.thread(body.get("channel", ""), str(body.get("ts", "")))
            return 200, {"ok": True, "messages": thread}, {}
        if method == "files.getUploadURLExternal":
            return (
                200,
                {"ok": True, "upload_url": f"{self.url}/upload/F{ts}", "file_id": f"F{ts}"},
                {},
            )
        if method == "files.completeUploadExternal":
            files = (
                json.loads(body.get("files", "[]"))
                if isinstance(body.get("files"), str)
                else body.get("files", [])
            )
            return 200, {"ok": True, "files": [{"id": f["id"]} for f in files]}, {}
        return 200, {"ok": True}, {}

    def _forget_last(self, method: str) -> None:
        """A refused call posted nothing: it stays out of the history (and of ``find``)."""
        with self.lock:
            for index in range(len(self.calls) - 1, -1, -1):
                if self.calls[index].method == method:
                    del self.calls[index]
                    return

    def _messages(self, channel: str) -> list[dict]:
        """Everything posted in the channel, oldest first, as Slack's message objects."""
        messages = []
        with self.lock:
            calls = list(self.calls)
        for call in calls:
            if call.method == "chat.postMessage" and call.body.get("channel") == channel:
                message = {"type": "message", "text": call.body.get("text", ""), "ts": call.ts}
                if call.body.get("thread_ts"):
                    message["thread_ts"] = str(call.body["thread_ts"])
                if call.body.get("metadata"):
                    message["metadata"] = call.body["metadata"]
                messages.append(message)
        return messages

    def history(self, channel: str) -> list[dict]:
        """The channel's messages as conversations.history gives them, newest first: not the
        replies in threads (as Slack does)."""
        return [m for m in self._messages(channel) if "thread_ts" not in m][::-1]

    def thread(self, channel: str, ts: str) -> list[dict]:
        """A thread as conversations.replies gives it: its parent, then its replies."""
        return [m for m in self._messages(channel) if m["ts"] == ts or m.get("thread_ts") == ts]

    def find(
        self, method: str | None = None, path_prefix: str | None = None, **match: str
    ) -> list[Call]:
        with self.lock:
            calls = list(self.calls)
        found = []
        for call in calls:
            if method and call.method != method:
                continue
            if path_prefix and not call.path.startswith(path_prefix):
                continue
            if all(str(call.body.get(k)) == v for k, v in match.items()):
                found.append(call)
        return found

    def wait_for(self, predicate, timeout: float = 15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = predicate()
            if result:
                return result
            time.sleep(0.02)
        return predicate()


def main() -> None:
    """Run the stub as its own process (benchmarks: keeps it off the load generator's GIL).
    Prints its URL; GET /_calls returns the paths called so far."""
    stub = SlackStub()
    original = stub.answer

    def answer(path: str, body: dict, headers: dict):
        if path == "/_calls":
            with stub.lock:
                return 200, {"paths": [c.path for c in stub.calls]}, {}
        return original(path, body, headers)

    stub.answer = answer
    print(stub.url, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
