"""The server against damaged data, the way it happens: a file truncated under a running server,
workers killed, a start on a broken directory. It must stay up and say why, never halt."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bot.datastore.versions import current
from tests.slack_server import ROOT, SECRET, Server


def workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def healthz(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def test_a_damaged_table_under_a_running_server_never_takes_it_down(stub, article_data, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(article_data, data, symlinks=True)
    server = Server(f"{stub.url}/api/", data, f"sqlite:///{tmp_path / 'state.db'}")
    try:
        truncate(current(data) / "recorded.parquet")
        for _ in range(2):  # every worker replaced, each failing to load the damaged file
            for pid in workers(server.process.pid):
                os.kill(pid, signal.SIGKILL)
            time.sleep(3)
        assert server.process.poll() is None, "gunicorn halted"
        status, text = healthz(server.url)
        assert status == 503
        assert "recorded.parquet" in text
    finally:
        server.stop()
    log = Path(server.log.name).read_text()
    assert "worker cannot load the data" in log
    assert "Shutting down: Master" not in log.split("Handling signal: term")[0]


def test_start_on_a_damaged_directory_is_one_clear_message(article_data, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(article_data, data, symlinks=True)
    truncate(current(data) / "recorded.parquet")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1"],
        cwd=ROOT,
        env={
            **os.environ,
            "PORT": "0",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_BOT_TOKEN": "xoxb-test",
            "CRIMEBOT_DATA_DIR": str(data),
            "CRIMEBOT_STATE_URL": f"sqlite:///{tmp_path / 'state.db'}",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "recorded.parquet cannot be read" in line
    assert "python -m bot ingest" in line
