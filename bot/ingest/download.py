"""Find and fetch the latest release files on the gov.uk statistical data set page."""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

from bot.ingest.errors import IngestError
from bot.ingest.load import release_date_from_name

RELEASE_PAGE = (
    "https://www.gov.uk/government/statistical-data-sets/"
    "police-recorded-crime-and-outcomes-open-data-tables"
)
TIMEOUT = 60
_PFA = re.compile(r"^prc-pfa-mar2013-onwards-tables", re.I)
_OUTCOMES = re.compile(r"^prc-outcomes-open-data-mar(\d{4})", re.I)
_SUFFIXES = (".ods", ".xlsx", ".csv")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


@dataclass(frozen=True)
class ReleaseFile:
    url: str
    name: str


def release_files(page_html: str, page_url: str) -> list[ReleaseFile]:
    """The newest PFA tables file and the newest outcomes file for each financial year."""
    parser = _Links()
    parser.feed(page_html)
    newest: dict[str, tuple[object, ReleaseFile]] = {}
    for href in parser.hrefs:
        url = urljoin(page_url, href)
        name = Path(urlparse(url).path).name
        if not name.lower().endswith(_SUFFIXES):
            continue
        if _PFA.match(name):
            key = "pfa"
        elif match := _OUTCOMES.match(name):
            key = f"outcomes-{match.group(1)}"
        else:
            continue
        stamp = (release_date_from_name(Path(name)) or "", name.lower().endswith(".ods"))
        if key not in newest or stamp > newest[key][0]:
            newest[key] = (stamp, ReleaseFile(url, name))
    if "pfa" not in newest:
        raise IngestError(
            f"{page_url}: found no Police Force Area tables file "
            "(prc-pfa-mar2013-onwards-tables-*.ods) on the page"
        )
    return [entry for _, entry in (newest[k] for k in sorted(newest))]


def _fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "crimebot (newsroom data bot)"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise IngestError(f"could not download {url}: {error}") from error


def download_latest(page_url: str | None, directory: Path) -> list[Path]:
    """Download the files the page lists into ``directory``; a file already there is reused."""
    page_url = page_url or os.environ.get("CRIMEBOT_RELEASE_PAGE_URL") or RELEASE_PAGE
    page = _fetch(page_url).decode("utf-8", errors="replace")
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for release in release_files(page, page_url):
        target = directory / release.name
        if not target.exists():
            partial = target.with_name(target.name + ".part")
            partial.write_bytes(_fetch(release.url))
            os.replace(partial, target)
        paths.append(target)
    return paths
