"""Find and fetch the latest release files on the gov.uk statistical data set page.

Files are chosen by their link title, the one thing that says what a file is: other
series sit under the same headings (the alternate-offences outcomes, which would double
count, sit under "Outcomes open data"), and titles vary in small ways ("Outcomes open
data year ending March 2015", "Outcomes open data, year ending March 2019"). The URL is
read from the page every time: its media id changes when a file is re-uploaded, even
under the same file name (raw/OFFICIAL-LAYOUTS.md, section 1).
"""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

from bot.ingest.errors import IngestError
from bot.ingest.load import release_date_from_name

RELEASE_PAGE = (
    "https://www.gov.uk/government/statistical-data-sets/"
    "police-recorded-crime-and-outcomes-open-data-tables"
)
TIMEOUT = 60
_SUFFIXES = (".ods", ".xlsx", ".csv")
_YEAR_ENDING = re.compile(r"\byear ending march (\d{4})\b")
# What `ingest` loads (CSP tables go to their own table, which answers do not read yet).
INGESTED = ("pfa", "outcomes", "csp")


class _Links(HTMLParser):
    """Each link's href and text; a href's title is the first non-empty text it has (an
    attachment's thumbnail links to the same file with no text)."""

    def __init__(self) -> None:
        super().__init__()
        self.titles: dict[str, str] = {}
        self._open: list[str] | None = None
        self._href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._open = []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            text = " ".join("".join(self._open).split())
            if self._href and not self.titles.get(self._href):
                self.titles[self._href] = text
            self._open = None


@dataclass(frozen=True)
class ReleaseFile:
    url: str
    name: str
    kind: str = ""  # "pfa", "outcomes" or "csp"
    title: str = ""


def series(title: str) -> str | None:
    """The key of the series a link title names, or None for a file we do not load.

    PFA tables: "... Police Force Area tables, year ending March 2013 onwards".
    Outcomes: "outcomes open data" and exactly one "year ending March YYYY" (a range
    such as the alternate-offences file's "... March 2017 to year ending March 2026",
    or an in-year file, is another series). CSP: "Community Safety Partnership", keyed
    by the first year so the two files of a release (2016-2020, 2021 on) are both kept.
    """
    text = re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()
    years = _YEAR_ENDING.findall(text)
    if "police force area" in text and ("onwards" in text or "2013" in years):
        return "pfa"
    if "outcomes open data" in text and len(years) == 1:
        return f"outcomes-{years[0]}"
    if "community safety partnership" in text:
        return f"csp-{years[0] if years else text}"
    return None


def release_files(page_html: str, page_url: str) -> list[ReleaseFile]:
    """The newest PFA tables file, the newest outcomes workbook for each financial year
    and the newest CSP files, as the page's link titles name them."""
    parser = _Links()
    parser.feed(page_html)
    parser.close()
    # (publication date or "", an ODS file): the newest file of each series, ODS over XLSX
    newest: dict[str, tuple[tuple[Any, bool], ReleaseFile]] = {}
    for href, title in parser.titles.items():
        url = urljoin(page_url, href)
        name = Path(urlparse(url).path).name
        key = series(title) if name.lower().endswith(_SUFFIXES) else None
        if key is None:
            continue
        stamp = (release_date_from_name(Path(name)) or "", name.lower().endswith(".ods"))
        if key not in newest or stamp > newest[key][0]:
            newest[key] = (stamp, ReleaseFile(url, name, key.split("-")[0], title))
    if "pfa" not in newest:
        raise IngestError(
            f"{page_url}: found no link titled as the Police Force Area tables "
            "('Police recorded crime open data Police Force Area tables, year ending March "
            "2013 onwards') on the page"
        )
    return [entry for _, entry in (newest[k] for k in sorted(newest))]


def _fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "crimebot (newsroom data bot)"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise IngestError(f"could not download {url}: {error}") from error


def latest_files(page_url: str | None) -> list[ReleaseFile]:
    """The files the page lists that ``ingest`` can load, each at the URL the page gives."""
    page_url = page_url or RELEASE_PAGE
    page = _fetch(page_url).decode("utf-8", errors="replace")
    return [release for release in release_files(page, page_url) if release.kind in INGESTED]


def fetch_file(release: ReleaseFile, directory: Path) -> Path:
    """Download one file into ``directory`` under its own name, whole or not at all (a
    failure leaves no file behind by that name)."""
    target = directory / release.name
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_bytes(_fetch(release.url))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def download_latest(page_url: str | None, directory: Path) -> list[Path]:
    """Download the files the page lists that ``ingest`` can load into ``directory``.

    A file already there is reused only if it came from the same URL (kept beside it in
    NAME.url): a re-upload under the same name has a new media id, so it is fetched again.
    """
    files = latest_files(page_url)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for release in files:
        target = directory / release.name
        source = target.with_name(target.name + ".url")
        fetched_from = source.read_text().strip() if source.exists() else None
        if not target.exists() or fetched_from != release.url:
            fetch_file(release, directory)
            source.write_text(release.url + "\n")
        paths.append(target)
    return paths
