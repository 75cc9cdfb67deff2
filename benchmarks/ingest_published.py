"""Ingest a full-size release in the published formats: the Police Force Area ODS (one sheet
per financial year, 2012/13 to 2025/26, about 320k rows) and the twelve outcomes XLSX
workbooks (2014/15 to 2025/26, about 710k rows each), in the layout of raw/OFFICIAL-LAYOUTS.md.
Reports wall seconds and peak RSS of `python -m bot ingest` on them, and each file's read.

    python benchmarks/ingest_published.py [--cache DIR] [--regenerate] [--no-ingest]
                                          [--per-file] [--floor]

The files are generated once (about a minute) and cached outside the repository, by
default in ~/.cache/crimebot-bench/ (or $CRIMEBOT_BENCH_CACHE). They are written as
streamed XML inside a zip, not through odfpy or openpyxl: both are valid ODS / XLSX
(mimetype first and stored in the ODS; shared strings in the XLSX, as Excel writes them).

What is real and what is not: forces, offence codes and descriptions and outcome types and
descriptions are the reference ones (bot/core/reference/*.csv); the figures are random (Poisson).
The layout follows OFFICIAL-LAYOUTS.md: sheet names (`Cover_sheet`, `Notes_`, `2012_13` ...;
`Cover_sheet`, `Notes`, `Pivot`, `Outcomes_open_data_2014-15` ... `Outcomes open data 2025_26`),
header in the first row, the published column order, the 2013/14 sheet's three stray
duplicate header columns, quarters and outcome types as numbers, `Offence code expired` `x`.
Each outcomes table is the dense cross product the real one is: 44 forces x 4 quarters x 22
outcome types (0-22 without 19) x 184 offence rows. The reference has 129 non-fraud codes, so
the other 55 offence rows per block repeat reference codes marked expired (`x`) with zero
counts and `N/A - Offence code expired` in the recorded column, where the real file has
retired codes; outcome type 0 has a bare `N/A` in the closed column, as published.

The published count headers "Outcomes for offences that were recorded in the quarter" and
"Outcomes for investigations closed in the quarter" are written when bot/ingest/layouts.py
accepts them; otherwise the benchmark says so and writes spellings it accepts (same sizes).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.ingest_full import ingest_measured  # noqa: E402
from bot.core.periods import financial_year_label  # noqa: E402
from bot.core.reference import forces, outcome_types, seed_offences  # noqa: E402
from bot.ingest.layouts import OUTCOMES  # noqa: E402
from bot.ingest.sheets import match_columns  # noqa: E402

SUFFIX = "230726"
PFA_YEARS = range(2012, 2026)  # 2012/13 to 2025/26
OUTCOME_YEARS = range(2014, 2026)  # 2014/15 to 2025/26
OFFENCE_ROWS = 184  # per force, quarter and outcome type in the real workbooks
PFA_HEADER = (
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
    "Number of Offences",
)
PUBLISHED_COUNTS = (
    "Outcomes for offences that were recorded in the quarter",
    "Outcomes for investigations closed in the quarter",
)
ACCEPTED_COUNTS = ("Outcomes for offences recorded in quarter", "Outcomes recorded in quarter")
OUTCOME_HEADER_START = (
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "Offence Code",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence code expired",
    "Outcome Type",
    "Outcome Description",
    "Outcome Group",
)


def published_counts_accepted() -> bool:
    columns = match_columns([*OUTCOME_HEADER_START, *PUBLISHED_COUNTS], OUTCOMES.aliases)
    return all(name in columns for name in OUTCOMES.required)


def outcome_sheet_name(year: int) -> str:
    """The data sheet's name as published: hyphen to 2018-19, underscore after, spaces in
    2021_22, 2024_25 and 2025_26."""
    label = financial_year_label(year).replace("/", "-" if year <= 2018 else "_")
    spaced = year in (2021, 2024, 2025)
    return ("Outcomes open data " if spaced else "Outcomes_open_data_") + label


# ---------------------------------------------------------------- reference rows


def _forces() -> tuple[list[str], list[str]]:
    """Forces of the outcomes tables (43 territorial + BTP, City of London as published) and
    the fraud bodies of the PFA tables."""
    published = {"City of London": "London, City of"}
    police = [published.get(f.force, f.force) for f in forces() if f.kind != "fraud"]
    fraud = [f.force for f in forces() if f.kind == "fraud"]
    return police, fraud


def _offences() -> tuple[list[dict], list[dict]]:
    rows = list(seed_offences())
    fraud = [r for r in rows if r["offence_group"] == "Fraud offences"]
    return [r for r in rows if r["offence_group"] != "Fraud offences"], fraud


FRAUD_BODY_CODE = {
    "Action Fraud": "AF",
    "CIFAS": "CIFAS",
    "UK Finance": "UK Finance",
    "Financial Fraud Action UK": "FFA UK",
}


# ---------------------------------------------------------------- ODS writer

ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
    'office:version="1.3"'
)
ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
ODS_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {ODS_NS}>'
    "</office:document-styles>"
)


def ods_text(value: str) -> str:
    text = escape(str(value))
    return (
        '<table:table-cell office:value-type="string" calcext:value-type="string">'
        f"<text:p>{text}</text:p></table:table-cell>"
    )


def ods_number(value: int) -> str:
    return (
        f'<table:table-cell office:value-type="float" office:value="{value}" '
        f'calcext:value-type="float"><text:p>{value}</text:p></table:table-cell>'
    )


def ods_row(cells: list[str]) -> str:
    return "<table:table-row>" + "".join(cells) + "</table:table-row>"


def write_pfa_ods(path: Path, rng: np.random.Generator) -> int:
    police, fraud_bodies = _forces()
    offences, fraud_offences = _offences()
    by_code = {r["offence_code"]: r for r in fraud_offences}
    rows = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )  # first, stored (ZipInfo defaults to ZIP_STORED)
        with archive.open("content.xml", "w", force_zip64=True) as raw:
            out = io.TextIOWrapper(raw, encoding="utf-8")
            out.write(
                f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ODS_NS}>'
                "<office:body><office:spreadsheet>"
            )
            out.write('<table:table table:name="Cover_sheet">')
            for line in (
                "Police recorded crime: Police Force Area open data tables",
                "Year ending March 2013 onwards",
                "Source: Home Office (generated benchmark copy, synthetic figures)",
            ):
                out.write(ods_row([ods_text(line)]))
            out.write("</table:table>")
            out.write('<table:table table:name="Notes_">')
            out.write(ods_row([ods_text("Note number"), ods_text("Note")]))
            for n in range(1, 21):
                out.write(ods_row([ods_number(n), ods_text(f"Note {n} on the data.")]))
            out.write("</table:table>")
            for year in PFA_YEARS:
                label = financial_year_label(year)
                out.write(f'<table:table table:name="{label.replace("/", "_")}">')
                header = [ods_text(h) for h in PFA_HEADER]
                if year == 2013:  # three stray duplicate header columns (rm's method note)
                    header += [ods_text(h) for h in PFA_HEADER[2:5]]
                out.write(ods_row(header))
                fy = ods_text(label)
                blocks = [(force, r) for force in police for r in offences] + [
                    (body, by_code[FRAUD_BODY_CODE[body]]) for body in fraud_bodies
                ]
                static = [
                    ods_text(force)
                    + ods_text(r["offence"])
                    + ods_text(r["offence_group"])
                    + ods_text(r["subgroup"])
                    + ods_text(r["offence_code"])
                    for force, r in blocks
                ]
                for q in (1, 2, 3, 4):
                    counts = rng.poisson(60, len(static))
                    start = fy + ods_number(q)
                    out.write(
                        "".join(
                            f"<table:table-row>{start}{cells}{ods_number(n)}</table:table-row>"
                            for cells, n in zip(static, counts.tolist(), strict=True)
                        )
                    )
                    rows += len(static)
                out.write("</table:table>")
            out.write("</office:spreadsheet></office:body></office:document-content>")
            out.flush()
            out.detach()
        archive.writestr("styles.xml", ODS_STYLES)
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
    return rows


# ---------------------------------------------------------------- XLSX writer

XLSX_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XLSX_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class SharedStrings:
    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.count = 0

    def __call__(self, text: str) -> int:
        self.count += 1
        return self.index.setdefault(text, len(self.index))

    def xml(self) -> str:
        items = "".join(f"<si><t>{escape(t)}</t></si>" for t in self.index)
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{XLSX_MAIN}" '
            f'count="{self.count}" uniqueCount="{len(self.index)}">{items}</sst>'
        )


def xlsx_small_sheet(rows: list[list], strings: SharedStrings) -> str:
    out = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{column_letter(c)}{r}"
            if isinstance(value, str):
                cells.append(f'<c r="{ref}" t="s"><v>{strings(value)}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{XLSX_MAIN}" '
        f'xmlns:r="{XLSX_REL}"><sheetData>{"".join(out)}</sheetData></worksheet>'
    )


def write_outcomes_xlsx(
    path: Path, year: int, rng: np.random.Generator, counts_header: tuple[str, str]
) -> int:
    police, _ = _forces()
    offences, _ = _offences()
    expired = offences[: OFFENCE_ROWS - len(offences)]
    offence_rows = [(r, "") for r in offences] + [(r, "x") for r in expired]
    types = [t for t in outcome_types() if t["outcome_type"].isdigit()]
    types.sort(key=lambda t: int(t["outcome_type"]))
    assert len(types) == 22 and len(offence_rows) == OFFENCE_ROWS
    strings = SharedStrings()
    header = [*OUTCOME_HEADER_START, *counts_header]
    sheets = {
        "Cover_sheet": xlsx_small_sheet(
            [
                [f"Crime outcomes open data, year ending March {year + 1}"],
                ["Source: Home Office (generated benchmark copy, synthetic figures)"],
            ],
            strings,
        ),
        "Notes": xlsx_small_sheet(
            [["Note number", "Note"]] + [[n, f"Note {n} on the data."] for n in range(1, 16)],
            strings,
        ),
        "Pivot": xlsx_small_sheet(
            [
                [int(t["outcome_type"]), int(n)]
                for t, n in zip(types, rng.poisson(5000, 22), strict=True)
            ],
            strings,
        ),
    }
    data_name = outcome_sheet_name(year)
    rows = 1
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        with archive.open("xl/worksheets/sheet4.xml", "w", force_zip64=True) as raw:
            out = io.TextIOWrapper(raw, encoding="utf-8")
            out.write(
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<worksheet xmlns="{XLSX_MAIN}" xmlns:r="{XLSX_REL}">'
                f'<dimension ref="A1:M{1 + 4 * len(police) * len(types) * OFFENCE_ROWS}"/>'
                "<sheetData>"
            )
            out.write(
                '<row r="1">'
                + "".join(
                    f'<c r="{column_letter(c)}1" t="s"><v>{strings(h)}</v></c>'
                    for c, h in enumerate(header)
                )
                + "</row>"
            )
            fy = strings(financial_year_label(year))
            # Per offence row: columns C-H; per type: I-K. Row numbers are filled in per row.
            type_cells = [
                f'<c r="I{{0}}"><v>{int(t["outcome_type"])}</v></c>'
                f'<c r="J{{0}}" t="s"><v>{strings(t["description"])}</v></c>'
                f'<c r="K{{0}}" t="s"><v>{strings(t["outcome_group"])}</v></c>'
                for t in types
            ]
            # Not-applicable markers as published: retired codes in the recorded column,
            # outcome type 0 in the closed column.
            expired_na = f'<c r="L{{0}}" t="s"><v>{strings("N/A - Offence code expired")}</v></c>'
            closed_na = f'<c r="M{{0}}" t="s"><v>{strings("N/A")}</v></c>'
            for q in (1, 2, 3, 4):
                for force in police:
                    force_cell = f'<c r="C{{0}}" t="s"><v>{strings(force)}</v></c>'
                    offence_cells = [
                        force_cell
                        + f'<c r="D{{0}}" t="s"><v>{strings(r["offence_code"])}</v></c>'
                        + f'<c r="E{{0}}" t="s"><v>{strings(r["offence"])}</v></c>'
                        + f'<c r="F{{0}}" t="s"><v>{strings(r["offence_group"])}</v></c>'
                        + f'<c r="G{{0}}" t="s"><v>{strings(r["subgroup"])}</v></c>'
                        + (f'<c r="H{{0}}" t="s"><v>{strings(flag)}</v></c>' if flag else "")
                        for r, flag in offence_rows
                    ]
                    block = len(types) * OFFENCE_ROWS
                    live = np.array([flag == "" for _, flag in offence_rows] * len(types))
                    recorded = (rng.poisson(4, block) * live).tolist()
                    closed = (rng.poisson(4, block) * live).tolist()
                    templates = [
                        f'<row r="{{0}}"><c r="A{{0}}" t="s"><v>{fy}</v></c>'
                        f'<c r="B{{0}}"><v>{q}</v></c>{cells}{kind}'
                        + (expired_na if flag else '<c r="L{0}"><v>{1}</v></c>')
                        + (closed_na if t["outcome_type"] == "0" else '<c r="M{0}"><v>{2}</v></c>')
                        + "</row>"
                        for kind, t in zip(type_cells, types, strict=True)
                        for cells, (_, flag) in zip(offence_cells, offence_rows, strict=True)
                    ]
                    out.write(
                        "".join(
                            template.format(rows + 1 + i, a, b)
                            for i, (template, a, b) in enumerate(
                                zip(templates, recorded, closed, strict=True)
                            )
                        )
                    )
                    rows += block
            out.write("</sheetData></worksheet>")
            out.flush()
            out.detach()
        names = [*sheets, data_name]
        for number, name in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{number}.xml", sheets[name])
        archive.writestr("xl/sharedStrings.xml", strings.xml())
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook '
            f'xmlns="{XLSX_MAIN}" xmlns:r="{XLSX_REL}"><sheets>'
            + "".join(
                f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>'
                for i, n in enumerate(names, start=1)
            )
            + "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PKG_REL}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{XLSX_REL}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(names) + 1)
            )
            + f'<Relationship Id="rId{len(names) + 1}" Type="{XLSX_REL}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
            + f'<Relationship Id="rId{len(names) + 2}" Type="{XLSX_REL}/styles" '
            'Target="styles.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/styles.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet '
            f'xmlns="{XLSX_MAIN}"><fonts count="1"><font/></fonts><fills count="1"><fill/>'
            '</fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/>'
            '</cellStyleXfs><cellXfs count="1"><xf/></cellXfs></styleSheet>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
            f'Type="{XLSX_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types '
            'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet_type}"/>'
                for i in range(1, len(names) + 1)
            )
            + '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        )
    return rows - 1


# ---------------------------------------------------------------- cache and measurement


def generate(cache: Path, published: bool, regenerate: bool) -> tuple[list[Path], dict]:
    """The release files, generated once into ``cache`` (a `complete` marker says they are)."""
    variant = "published-headers" if published else "accepted-headers"
    directory = cache / f"release-{SUFFIX}-{variant}-v2"
    marker = directory / "complete"
    if marker.exists() and not regenerate:
        files = [directory / line for line in marker.read_text().split()[2:]]
        recorded, outcomes = (int(x) for x in marker.read_text().split()[:2])
        return files, {"recorded_rows": recorded, "outcome_rows": outcomes, "generated": False}
    directory.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    rng = np.random.default_rng(20260723)
    counts = PUBLISHED_COUNTS if published else ACCEPTED_COUNTS
    start = time.perf_counter()
    ods = directory / f"prc-pfa-mar2013-onwards-tables-{SUFFIX}.ods"
    recorded = write_pfa_ods(ods, rng)
    print(f"  {ods.name}: {recorded:,} rows, {time.perf_counter() - start:.0f} s", flush=True)
    files, outcomes = [ods], 0
    for year in OUTCOME_YEARS:
        path = directory / f"prc-outcomes-open-data-mar{year + 1}-tables-{SUFFIX}.xlsx"
        outcomes += write_outcomes_xlsx(path, year, rng, counts)
        files.append(path)
        print(f"  {path.name}: {time.perf_counter() - start:.0f} s", flush=True)
    marker.write_text(f"{recorded} {outcomes} " + " ".join(f.name for f in files))
    return files, {"recorded_rows": recorded, "outcome_rows": outcomes, "generated": True}


def verify(files: list[Path]) -> None:
    """Every file opens with python-calamine and has the expected sheets."""
    from python_calamine import CalamineWorkbook

    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        names = book.sheet_names
        assert names[0] == "Cover_sheet", (path.name, names)
        head = book.get_sheet_by_name(names[-1]).to_python(nrows=2)
        assert head[0][0] == "Financial Year", (path.name, head[0])
        book.close()


PER_FILE = r"""
import sys, time, json
from pathlib import Path
from python_calamine import CalamineWorkbook
from bot.ingest.layouts import LAYOUTS, tidy
from bot.ingest.sheets import find_header, read_sheets, read_table
mode = sys.argv[1]
for name in sys.argv[2:]:
    path = Path(name)
    start = time.perf_counter()
    if mode == "floor":  # calamine's own parse into its cell grid, nothing converted
        book = CalamineWorkbook.from_path(name)
        opened = time.perf_counter() - start
        for sheet in book.sheet_names:
            book.get_sheet_by_name(sheet)
        book.close()
        parsed = time.perf_counter() - start
        figures = {"open_s": opened, "parse_s": parsed}
    else:  # the ingest's reader and conversion, file by file
        read = conv = 0.0
        rows = 0
        t = time.perf_counter()
        for sheet in read_sheets(path):
            found = [(find_header(sheet, lay.aliases, lay.required), lay) for lay in LAYOUTS]
            headers = [(h, lay) for h, lay in found if isinstance(h, tuple)]
            if headers:
                (position, columns), layout = headers[0]
                table = read_table(sheet, position, columns)
                read += time.perf_counter() - t
                t = time.perf_counter()
                tidied, _ = tidy(table, layout)
                rows += len(table.cells)
                del table
                conv += time.perf_counter() - t
            else:
                read += time.perf_counter() - t
            t = time.perf_counter()
        figures = {"read_s": read, "tidy_s": conv, "rows": rows}
    figures["total_s"] = time.perf_counter() - start
    status = Path("/proc/self/status").read_text().splitlines()
    figures["peak_rss_mb"] = next(int(x.split()[1]) for x in status if x.startswith("VmHWM")) / 1024
    print(json.dumps({"file": path.name, **figures}), flush=True)
"""


def per_file(files: list[Path], mode: str) -> list[dict]:
    """Each file in its own process (peak RSS is then that file's)."""
    import json

    results = []
    for path in files:
        out = subprocess.run(
            [sys.executable, "-c", PER_FILE, mode, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    default_cache = os.environ.get("CRIMEBOT_BENCH_CACHE", "~/.cache/crimebot-bench")
    parser.add_argument("--cache", default=default_cache, help="where the files are kept")
    parser.add_argument("--regenerate", action="store_true", help="write the files again")
    parser.add_argument("--no-ingest", action="store_true", help="only generate and verify")
    parser.add_argument(
        "--per-file", action="store_true", help="also time each file's read and tidy"
    )
    parser.add_argument(
        "--floor", action="store_true", help="also time calamine's bare parse of each file"
    )
    parser.add_argument(
        "--processes", type=int, help="passed to `ingest --processes` (default: its own)"
    )
    args = parser.parse_args()
    cache = Path(args.cache).expanduser()
    if ROOT in cache.resolve().parents or cache.resolve() == ROOT:
        raise SystemExit(f"{cache}: keep the generated files outside the repository")
    published = published_counts_accepted()
    if not published:
        print(
            "note: bot/ingest/layouts.py does not accept the published count headers "
            f"{PUBLISHED_COUNTS}; writing {ACCEPTED_COUNTS} instead (same sizes)",
            flush=True,
        )
    start = time.perf_counter()
    files, counts = generate(cache, published, args.regenerate)
    if counts["generated"]:
        print(f"generated {len(files)} files in {time.perf_counter() - start:.0f} s")
    verify(files)
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    print(f"{'file':<56}{'MB':>7}")
    for f in files:
        print(f"{f.name:<56}{f.stat().st_size / 1e6:>7.1f}")
    figures = {
        "files": len(files),
        "mb": round(size_mb),
        "recorded_rows": counts["recorded_rows"],
        "outcome_rows": counts["outcome_rows"],
        "published_headers": published,
    }
    if args.floor:
        print(f"\n{'calamine parse only':<56}{'open s':>8}{'parse s':>9}{'RSS MB':>8}")
        for r in per_file(files, "floor"):
            print(f"{r['file']:<56}{r['open_s']:>8.1f}{r['parse_s']:>9.1f}{r['peak_rss_mb']:>8.0f}")
    if args.per_file:
        print(
            f"\n{'reader + tidy, one process per file':<56}{'read s':>8}{'tidy s':>8}{'RSS MB':>8}"
        )
        for r in per_file(files, "ingest"):
            print(f"{r['file']:<56}{r['read_s']:>8.1f}{r['tidy_s']:>8.1f}{r['peak_rss_mb']:>8.0f}")
    if not args.no_ingest:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with tempfile.TemporaryDirectory() as scratch:
            seconds, peak_mb = ingest_measured(
                [
                    sys.executable,
                    "-m",
                    "bot",
                    "ingest",
                    "--data-dir",
                    scratch,
                    *([f"--processes={args.processes}"] if args.processes else []),
                    *map(str, files),
                ]
            )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        figures["ingest_s"] = round(seconds, 1)
        figures["ingest_cpu_s"] = round(cpu, 1)  # less moved by other work on the machine
        figures["peak_rss_mb"] = round(peak_mb)
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
