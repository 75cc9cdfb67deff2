"""`ingest --download` against a local server serving a recorded gov.uk page and small files."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from bot.cli import main
from bot.ingest.download import release_files

PAGE = Path(__file__).parent / "fixtures" / "govuk_page.html"


@pytest.fixture
def govuk(article_files):
    """Serve the page at /page and the article's release files under /media/…/NAME."""
    files = {p.name: p for p in article_files}
    requested: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requested.append(self.path)
            name = self.path.rsplit("/", 1)[-1]
            if self.path == "/page":
                body = PAGE.read_bytes()
            elif name in files:
                body = files[name].read_bytes()
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requested
    server.shutdown()
    server.server_close()


def test_page_links_pick_the_newest_release_of_each_table():
    found = release_files(PAGE.read_text(), "https://www.gov.uk/government/statistical-data-sets/x")
    assert [f.name for f in found] == [
        "prc-outcomes-open-data-mar2023-tables-191023.xlsx",
        "prc-outcomes-open-data-mar2024-tables-191023.xlsx",
        "prc-pfa-mar2013-onwards-tables-191023.xlsx",
    ]
    assert found[2].url == (
        "https://www.gov.uk/media/aaa111/prc-pfa-mar2013-onwards-tables-191023.xlsx"
    )


def test_download_then_ingest_then_answer(govuk, tmp_path, capsys):
    base, requested = govuk
    data_dir, cache = tmp_path / "data", tmp_path / "cache"
    status = main(
        [
            "ingest",
            "--download",
            "--page-url",
            f"{base}/page",
            "--download-dir",
            str(cache),
            "--data-dir",
            str(data_dir),
        ]
    )
    assert status == 0, capsys.readouterr().err
    assert "/media/old000/prc-pfa-mar2013-onwards-tables-200723.xlsx" not in requested
    assert sorted(p.name for p in cache.iterdir()) == [
        "prc-outcomes-open-data-mar2023-tables-191023.xlsx",
        "prc-outcomes-open-data-mar2024-tables-191023.xlsx",
        "prc-pfa-mar2013-onwards-tables-191023.xlsx",
    ]
    capsys.readouterr()
    assert (
        main(
            [
                "ask",
                "--data-dir",
                str(data_dir),
                "charge rate harassment Thames Valley year to September 2023",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("301 (3.1%) of the 9,632 harassment offences")
    assert "19 October 2023 release" in out


def test_unreachable_page_fails_cleanly(tmp_path, capsys):
    status = main(
        [
            "ingest",
            "--download",
            "--page-url",
            "http://127.0.0.1:9/nothing",
            "--download-dir",
            str(tmp_path / "c"),
            "--data-dir",
            str(tmp_path / "d"),
        ]
    )
    assert status == 1
    assert "could not download http://127.0.0.1:9/nothing" in capsys.readouterr().err
    assert not (tmp_path / "d").exists() or not any((tmp_path / "d").iterdir())
