"""``python -m bot content check [PATH]``: validate the question bank."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.bank import TOPICS, BankError, load_bank
from bot.cli import common
from bot.coaching.concepts import read_concepts


def register(subparsers: argparse._SubParsersAction) -> None:
    content = subparsers.add_parser("content", help="work with the question bank")
    actions = content.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check", help="validate the bank and list every problem, or count questions per topic",
    )
    check.add_argument("path", nargs="?", type=Path,
                       help="a bank directory or one YAML file (default: the configured bank)")
    check.set_defaults(handler=run_check)


def _concepts_beside(path: Path) -> Path | None:
    """The concept lexicon that goes with the bank at ``path``: content/concepts.yaml beside
    the questions directory, if there is one."""
    folder = path if path.is_dir() else path.parent
    candidate = folder.parent / "concepts.yaml"
    return candidate if candidate.exists() else None


def run_check(args: argparse.Namespace) -> int:
    path = args.path or common.settings().content_dir
    if not path.exists():
        raise common.CliError(f"{path} does not exist")
    concepts = _concepts_beside(path)
    problems = read_concepts(concepts)[1] if concepts is not None else []
    try:
        bank = load_bank(path)
    except BankError as exc:
        problems = exc.problems + problems
    if problems:
        print("\n".join(str(p) for p in problems))
        print(f"\n{len(problems)} problem(s) found.")
        return 1
    counts = bank.count_by_topic()
    width = max(len(label) for label in TOPICS.values())
    for topic, label in TOPICS.items():
        print(f"{label:<{width}}  {counts[topic]:>3}")
    banks: dict[str, int] = {}
    for q in bank:
        banks[q.bank] = banks.get(q.bank, 0) + 1
    print(f"\n{len(bank)} questions are valid ("
          + ", ".join(f"{n} {name}" for name, n in banks.items()) + ").")
    return 0
