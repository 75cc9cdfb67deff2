"""The layout is the architecture: every import points down a layer, never up or sideways
into a sibling of the same rank, so a question's path visits each room once, top to bottom."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

BOT = Path(__file__).resolve().parents[1] / "bot"

# Lower numbers are lower layers. A module may import its own package and lower layers only.
LAYERS = {
    "core": 0,
    "settings": 0,
    "datastore": 1,
    "parse": 2,
    "query": 3,
    "ingest": 3,
    "state": 3,
    "render": 4,
    "answers": 5,
    "slack": 6,
    "cli": 7,
    "__main__": 8,
}


def room(module: str) -> str:
    """'bot.query.findings' -> 'query'; 'bot.settings' -> 'settings'."""
    return module.split(".")[1]


def imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "bot":
                found += [(node.lineno, f"bot.{alias.name}") for alias in node.names]
            elif node.module.startswith("bot."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("bot.")]
    return found


def upward_imports() -> list[str]:
    wrong = []
    for path in sorted(BOT.rglob("*.py")):
        parts = path.relative_to(BOT).with_suffix("").parts
        if parts == ("__init__",):
            continue
        here = parts[0]
        for line, module in imports(path):
            there = room(module)
            if there != here and LAYERS[there] >= LAYERS[here]:
                wrong.append(f"bot/{path.relative_to(BOT)}:{line} ({here}) imports {module}")
    return wrong


def test_every_room_has_a_layer():
    rooms = {p.relative_to(BOT).with_suffix("").parts[0] for p in BOT.rglob("*.py")}
    assert rooms - {"__init__"} <= set(LAYERS), rooms - set(LAYERS)


def test_no_import_climbs_up_or_sideways():
    assert upward_imports() == []


def test_the_check_catches_an_upward_import(tmp_path, monkeypatch):
    """The check itself can fail: a query module importing render is caught."""
    fake = tmp_path / "bot"
    (fake / "query").mkdir(parents=True)
    (fake / "query" / "oops.py").write_text("from bot.render.sentence import headline\n")
    monkeypatch.setattr(sys.modules[__name__], "BOT", fake)
    assert upward_imports() == ["bot/query/oops.py:1 (query) imports bot.render.sentence"]


def third_party_imports(package: str) -> set[str]:
    """The bot/ files importing ``package`` (a top-level name) or any part of it."""
    found = set()
    for path in BOT.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            if any(n == package or n.startswith(package + ".") for n in names):
                found.add(str(path.relative_to(BOT)))
    return found


def test_duckdb_only_in_query_and_the_slack_client_only_in_slack():
    assert {p.split("/")[0] for p in third_party_imports("duckdb")} == {"query"}
    assert {p.split("/")[0] for p in third_party_imports("slack_bolt")} == {"slack"}
    assert {p.split("/")[0] for p in third_party_imports("slack_sdk")} == {"slack"}


def test_small_modules_and_short_functions():
    """One job each: no module over 300 lines, no function over 60."""
    long_modules, long_functions = [], []
    for path in sorted(BOT.rglob("*.py")):
        text = path.read_text()
        name = str(path.relative_to(BOT))
        if text.count("\n") > 300:
            long_modules.append(name)
        for node in ast.walk(ast.parse(text)):
            function = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            if function and (node.end_lineno or 0) - node.lineno + 1 > 60:
                long_functions.append(f"{name}:{node.name}")
    assert (long_modules, long_functions) == ([], [])
