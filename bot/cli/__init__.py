"""``python -m bot``: one command with subcommands; ``run``, the Discord bot, is the default."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

from bot.cli import content_cmd, db_cmd, feedback_cmd, practice_cmd, run_cmd
from bot.cli.common import CliError
from bot.storage import StorageError
from bot.storage.errors import for_operator

# Each module adds its subcommand(s) to the parser and sets ``handler``.
COMMANDS = (run_cmd, practice_cmd, content_cmd, feedback_cmd, db_cmd)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="PeerPrep: practise peer support specialist interviews, "
                    "on Discord or in this terminal.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


@contextmanager
def _streams(stdin: TextIO | None, stdout: TextIO | None, stderr: TextIO | None
             ) -> Iterator[None]:
    """``sys.stdin``, ``stdout`` and ``stderr`` replaced by the given streams for one command
    (and put back after), so a command can be run in-process, as the tests do."""
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = stdin or saved[0], stdout or saved[1], stderr or saved[2]
    try:
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


def main(argv: Sequence[str] | None = None, *, stdin: TextIO | None = None,
         stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run one command; its exit code. The streams default to the process's own."""
    with _streams(stdin, stdout, stderr):
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv) or ["run"])
    except SystemExit as exc:  # --help, or a usage error argparse has printed
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return int(args.handler(args) or 0)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except StorageError as exc:  # a fault met while running: one line, never a traceback
        print(f"error: {for_operator(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``python -m bot practice ... | head``): stop quietly, and
        # point stdout at nothing so Python's final flush doesn't complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 141  # as a shell reports a process ended by SIGPIPE
