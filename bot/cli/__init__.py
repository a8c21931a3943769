"""``python -m bot``: one command with subcommands; ``run``, the Discord bot, is the default."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from bot.cli import content_cmd, db_cmd, feedback_cmd, practice_cmd, run_cmd
from bot.cli.common import CliError
from bot.storage import StorageError
from bot.storage.database import for_operator

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv) or ["run"])
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
