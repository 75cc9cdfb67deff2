"""`ingest --download` against a local server serving a recorded gov.uk page and small files."""

from __future__ import annotations

import http.server
import re
import threading
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.ingest import IngestError
from bot.ingest.download import download_latest, release_files

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
    assert sorted(p.name for p in cache.iterdir() if p.suffix != ".url") == [
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
    assert out.startswith(
        "Thames Valley Police charged or summonsed 301 (3.1 per cent) of the 9,632 harassment "
        "offences"
    )
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


# The page of 23 July 2026 rebuilt from the real file list (see the comment in the file).
REAL_PAGE = Path(__file__).parent / "fixtures" / "govuk_page_2026-07-23.html"
PFA_TITLE = (
    "Police recorded crime open data Police Force Area tables, year ending March 2013 onwards"
)
CSP_TITLE = "Police recorded crime open data Community Safety Partnership tables, year ending {}"
ASSETS = "https://assets.publishing.service.gov.uk"
PAGE_URL = "https://www.gov.uk/government/statistical-data-sets/x"
EXPECTED_2026 = [
    *(
        f"{ASSETS}/media/{media}/prc-outcomes-open-data-mar{year}-tables-{suffix}.xlsx"
        for year, media, suffix in [
            (2015, "6807a0704dd7e0f8897a6195", "241024"),
            (2016, "6807a0c13bdfd1243078e6d8", "240724"),
            (2017, "6807a0f90324470d6a394e70", "240724"),
            (2018, "6807a12b4dd7e0f8897a6196", "240724"),
            (2019, "6807a1618c1316be7978e6d7", "240724"),
            (2020, "6807a1914dd7e0f8897a6197", "240724"),
            (2021, "6880899d77a3acd9f4d0e26c", "240425"),
            (2022, "6890c52123e00ee4ad463ebf", "240725"),
            (2023, "6a5e57d624d44672cf1b4648", "230726"),
            (2024, "6a5e57ef30f5842e1f5a5ecf", "230726"),
            (2025, "6a5e580ec7c34404041b4648", "230726"),
            (2026, "6a5e586e4763c49e9be693fb", "230726"),
        ]
    ),
    f"{ASSETS}/media/6a5e588624d44672cf1b4649/prc-pfa-mar2013-onwards-tables-230726.ods",
]


@pytest.fixture
def site():
    """A local server for whatever ``routes`` (path -> body) holds; ``requested`` logs paths."""
    routes: dict[str, bytes] = {}
    requested: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requested.append(self.path)
            body = routes.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", routes, requested
    server.shutdown()
    server.server_close()


def test_real_page_gives_the_pfa_file_and_all_twelve_outcomes_workbooks_at_their_media_urls():
    """Alternate-offence, firearms, knives and supplementary outcomes files sit under the
    same "Outcomes open data" heading and are not taken; URLs are the page's, media id and all."""
    found = release_files(REAL_PAGE.read_text(), PAGE_URL)
    assert [f.url for f in found] == EXPECTED_2026
    assert {f.kind for f in found} == {"outcomes", "pfa"}
    assert found[-1].title == PFA_TITLE


def test_headings_do_not_matter():
    """No headings, or each file under the other series' heading: the same files."""
    page = REAL_PAGE.read_text()
    headless = re.sub(r"<h2[^>]*>.*?</h2>", "", page)
    swapped = (
        page.replace(">Outcomes open data</h2>", ">@@</h2>")
        .replace(
            ">Police recorded crime open data, Police force area tables</h2>",
            ">Outcomes open data</h2>",
        )
        .replace(">@@</h2>", ">Police recorded crime open data, Police force area tables</h2>")
    )
    for variant in (headless, swapped):
        assert [f.url for f in release_files(variant, PAGE_URL)] == EXPECTED_2026


def _page(*links: tuple[str, str]) -> str:
    return "".join(f'<p><a href="{href}">{title}</a></p>' for href, title in links)


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Outcomes open data year ending March 2015", "outcomes"),
        ("Outcomes open data, year ending March 2019", "outcomes"),
        ("Crime outcomes open data: year ending March 2027 (revised)", "outcomes"),
        ("\n  Outcomes <span>open data</span>,\n  year ending <b>March</b> 2027\n", "outcomes"),
        (
            "Police recorded crime open data Police Force Area tables "
            "from year ending March 2013 onwards",
            "pfa",
        ),
        (
            "Police recorded crime open data: police force area tables, "
            "year ending March 2013 to year ending March 2027",
            "pfa",
        ),
        (
            "Outcomes for alternate offences open data, "
            "year ending March 2017 to year ending March 2026",
            None,
        ),
        ("Supplementary crime outcomes metrics", None),
        (
            "Police recorded crime subcodes for selected VAWG offences, "
            "from year ending March 2021 to year ending March 2026",
            None,
        ),
    ],
)
def test_files_are_chosen_by_link_title_whatever_the_file_is_called(title, kind):
    """A title says what a file is; the file name may change (the CSP files went from
    'mar16' to 'mar2016' in July 2026) and only gives the release date."""
    pfa = (
        f"{ASSETS}/media/1/prc-pfa-mar2013-onwards-tables-230726.ods",
        "Police Force Area tables, 2013 onwards",
    )
    page = _page(pfa, (f"{ASSETS}/media/2/renamed-file-231026.xlsx", title))
    found = {f.name: f.kind for f in release_files(page, PAGE_URL)}
    if kind == "pfa":
        assert found == {"renamed-file-231026.xlsx": "pfa"}  # the newer of the two
    else:
        assert found.get("renamed-file-231026.xlsx") == kind


def test_a_page_without_the_pfa_tables_says_what_it_looked_for():
    page = _page(
        (f"{ASSETS}/media/1/prc-pfa-mar2013-onwards-tables-230726.ods", "Previous release")
    )
    with pytest.raises(IngestError, match="Police Force Area tables"):
        release_files(page, PAGE_URL)


def test_download_takes_the_files_from_the_real_page(site, tmp_path):
    """Every asset URL on the page is fetched as the page gives it, and only those 13."""
    base, routes, requested = site
    routes["/page"] = REAL_PAGE.read_text().replace(ASSETS, base).encode()
    for url in EXPECTED_2026:
        routes[url.removeprefix(ASSETS)] = url.rsplit("/", 1)[-1].encode()
    paths = download_latest(f"{base}/page", tmp_path)
    assert requested == ["/page", *(url.removeprefix(ASSETS) for url in EXPECTED_2026)]
    assert [p.read_bytes().decode() for p in paths] == [u.rsplit("/", 1)[-1] for u in EXPECTED_2026]


def test_a_reupload_under_the_same_name_is_fetched_again(site, tmp_path):
    """The Home Office re-uploads corrected files under the same name with a new media id:
    the corrected file must replace the cached one; an unchanged page fetches nothing."""
    base, routes, requested = site
    name = "prc-pfa-mar2013-onwards-tables-230726.ods"
    title = (
        "Police recorded crime open data Police Force Area tables, year ending March 2013 onwards"
    )
    routes["/page"] = _page((f"{base}/media/6a5e588624d44672cf1b4649/{name}", title)).encode()
    routes[f"/media/6a5e588624d44672cf1b4649/{name}"] = b"first upload"
    routes[f"/media/6a7f00aa24d44672cf1b4650/{name}"] = b"corrected"
    assert download_latest(f"{base}/page", tmp_path)[0].read_bytes() == b"first upload"
    requested.clear()
    download_latest(f"{base}/page", tmp_path)
    assert requested == ["/page"]
    routes["/page"] = _page((f"{base}/media/6a7f00aa24d44672cf1b4650/{name}", title)).encode()
    assert download_latest(f"{base}/page", tmp_path)[0].read_bytes() == b"corrected"
    assert requested[-1] == f"/media/6a7f00aa24d44672cf1b4650/{name}"


def test_csp_files_are_found_by_title_and_downloaded(site, tmp_path):
    """Both CSP files of a release (2016-2020 and 2021 on) are recognised, the newest of
    each range, and downloaded for ``ingest`` to store as their own table."""
    base, routes, requested = site
    links = [
        (
            f"{base}/media/6a5e588624d44672cf1b4649/prc-pfa-mar2013-onwards-tables-230726.ods",
            PFA_TITLE,
        ),
        (
            f"{base}/media/6a5e570dc7c34404041b4645/prc-csp-mar2016-mar2020-tables-230726.ods",
            CSP_TITLE.format("March 2016 to year ending March 2020"),
        ),
        (
            f"{base}/media/6a5f8ab4f869f6a53d0c898e/prc-csp-mar2021-mar2026-tables-230726.ods",
            CSP_TITLE.format("March 2021 to year ending March 2026"),
        ),
        (
            f"{base}/media/69e0e956b5e95ca5017ed9b7/prc-csp-mar21-dec25-tables-230426.ods",
            CSP_TITLE.format("March 2021 to year ending December 2025"),
        ),
    ]
    routes["/page"] = _page(*links).encode()
    for link, _ in links:
        routes[link.removeprefix(base)] = b"file"
    found = release_files(routes["/page"].decode(), f"{base}/page")
    assert [(f.kind, f.name) for f in found if f.kind == "csp"] == [
        ("csp", "prc-csp-mar2016-mar2020-tables-230726.ods"),
        ("csp", "prc-csp-mar2021-mar2026-tables-230726.ods"),
    ]
    assert sorted(p.name for p in download_latest(f"{base}/page", tmp_path)) == [
        "prc-csp-mar2016-mar2020-tables-230726.ods",
        "prc-csp-mar2021-mar2026-tables-230726.ods",
        "prc-pfa-mar2013-onwards-tables-230726.ods",
    ]
    assert not any("prc-csp-mar21-dec25" in path for path in requested)  # superseded
