"""Imports point down (docs/ARCHITECTURE.md): front ends -> core -> the core's records;
storage -> the core's records. Read from the source, every import counted (inside
functions and ``TYPE_CHECKING`` blocks too), so a new arrow the wrong way fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"

# Leaf helpers anyone may use: they import nothing from PeerPrep.
LEAVES = {"bot.clock", "bot.paths", "bot.text"}
# The core: no Discord, no SQL, no terminal, no settings from the environment.
CORE = {"bot.bank", "bot.coaching", "bot.interview", "bot.streaks", "bot.daily",
        "bot.progress", "bot.retention", "bot.core", "bot.people", "bot.timezones"}
# What each layer may import from PeerPrep (a module counts as in a package when its name
# is the package's or starts with it and a dot).
ALLOWED: dict[str, set[str]] = {
    "bot.core.records": set(),
    "bot.core.ports": {"bot.core.records"},
    **dict.fromkeys(CORE - {"bot.core"}, CORE | LEAVES),
    "bot.storage": {"bot.storage", "bot.core.records"} | LEAVES,
    **{leaf: set() for leaf in LEAVES},
}


def _module(path: Path, root: Path = BOT) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, module: str) -> list[tuple[int, str]]:
    """(line, module) of every ``bot`` module ``path`` (the module ``module``) imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            name = node.module or ""
            if node.level:  # relative: from the package, up ``level - 1`` steps
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join([*base, name] if name else base)
            if name == "bot":  # ``from bot import timezones`` imports bot.timezones
                found += [(node.lineno, f"bot.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, name))
    return [(line, name) for line, name in found if name == "bot" or name.startswith("bot.")]


def _within(name: str, packages: set[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def _rule(module: str) -> tuple[str, set[str]] | None:
    """The most specific rule for ``module``: (its layer, what it may import)."""
    matches = [layer for layer in ALLOWED if module == layer or module.startswith(layer + ".")]
    if not matches:
        return None
    layer = max(matches, key=len)
    return layer, ALLOWED[layer]


def violations(root: Path = BOT) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")):
        module = _module(path, root)
        rule = _rule(module)
        if rule is None:
            continue  # front ends (discord_app, cli, practice) and the entry points
        layer, allowed = rule
        for line, name in _imports(path, module):
            if not _within(name, allowed | {module}):
                out.append(f"{path.relative_to(root.parent)}:{line}: {layer} imports {name}")
    return out


def test_imports_point_down():
    assert violations() == []


@pytest.mark.parametrize(("where", "line"), [
    ("interview/engine.py", "from bot.storage import Store\n"),
    ("streaks/rules.py", "from bot.discord_app import client\n"),
    ("storage/answers.py", "from bot.interview import review\n"),
    ("core/records.py", "import bot.clock\n"),
    ("retention.py", "    from bot.storage import Store  # inside a function\n"),
])
def test_an_import_the_wrong_way_is_found(tmp_path: Path, where: str, line: str):
    """The check itself: a copy of the package with one wrong-way import added fails it."""
    copy = tmp_path / "bot"
    for path in BOT.rglob("*.py"):
        target = copy / path.relative_to(BOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    target = copy / where
    text = target.read_text(encoding="utf-8")
    if line.startswith("    "):
        text += "\n\ndef _added() -> None:\n" + line
    else:
        text = text.replace("from __future__ import annotations\n",
                            "from __future__ import annotations\n" + line, 1)
    target.write_text(text, encoding="utf-8")
    found = violations(copy)
    assert len(found) == 1 and where in found[0], found
