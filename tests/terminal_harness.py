"""Running ``python -m bot ...`` in this process, as a person would type it, but without
starting Python again for every command: the same ``main`` with its standard streams and
environment given to it. A few tests still run the real process (signals, pipes, start-up).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest.mock import patch

from bot.bank import Bank
from bot.cli import common, main
from bot.paths import CONTENT_DIR

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Ran:
    """What a command printed and returned (the fields of ``subprocess.CompletedProcess``)."""

    returncode: int
    stdout: str
    stderr: str


_load_bank = common.bank
_shipped: list[Bank] = []


def _bank(path: Path) -> Bank:
    """``common.bank``, with the shipped bank read and prepared once for all the commands a
    test run makes (reading its YAML is most of a command's time); any other folder is read
    each time, as a command would."""
    if Path(path).resolve() != CONTENT_DIR.resolve():
        return _load_bank(path)
    if not _shipped:
        _shipped.append(_load_bank(path))
    return _shipped[0]


@contextmanager
def environment(data_dir: Path, env: dict[str, str]) -> Iterator[None]:
    """``os.environ`` as the command would see it: no Discord settings of the caller's,
    ``DATA_DIR`` and ``env`` set; put back after."""
    saved = dict(os.environ)
    for key in list(os.environ):
        if key.startswith(("DISCORD_", "DEV_")):
            del os.environ[key]
    os.environ["DATA_DIR"] = str(data_dir)
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


class Script(io.TextIOBase):
    """Standard input typed line by line, with actions between lines: a callable in
    ``lines`` runs when the reader gets that far (another window's turn, a fault)."""

    def __init__(self, *lines: str | Callable[[], object]) -> None:
        self.lines = list(lines)

    def readable(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> str:
        while self.lines:
            item = self.lines.pop(0)
            if callable(item):
                item()
                continue
            return item if item.endswith("\n") else item + "\n"
        return ""


def run(args: list[str], data_dir: Path, stdin: str | bytes | io.TextIOBase = "",
        **env: str) -> Ran:
    """``python -m bot *args`` in this process, with ``stdin`` as its standard input."""
    if isinstance(stdin, io.TextIOBase):
        source: Any = stdin
    else:
        raw = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        source = io.TextIOWrapper(io.BufferedReader(io.BytesIO(raw)), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with environment(data_dir, env), patch.object(common, "bank", _bank):
        code = main(args, stdin=source, stdout=out, stderr=err)
    return Ran(code, out.getvalue(), err.getvalue())


def run_process(args: list[str], data_dir: Path, stdin: str = "", **env: str
                ) -> subprocess.CompletedProcess[str]:
    """The real ``python -m bot *args`` process."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEV_"))}
    environ |= {"DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8", **env}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, env=environ, timeout=60, check=False,
    )
