"""``python -m bot feedback``: coaching for one answer, for people or as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.cli import common
from bot.cli.textfile import NotText, decode_text
from bot.coaching import EmptyAnswer, give_feedback
from bot.coaching.render import as_text, feedback_sections
from bot.text import replace_unreadable

MAX_ANSWER = 4000  # Discord's longest text input; the same limit everywhere


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "feedback", help="coach one answer to one question",
        description="Print the guidance for an answer. Give the answer as text, a file, or - "
                    "to read standard input.",
    )
    parser.add_argument("--question", required=True, metavar="ID", help="question id, e.g. pss-03")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--answer", metavar="TEXT", help="the answer text")
    source.add_argument("--answer-file", type=Path, metavar="F", help="read the answer from F")
    source.add_argument("stdin", nargs="?", choices=["-"], help="read the answer from stdin")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--example", action="store_true", help="include the example answer")
    parser.set_defaults(handler=run)


def _read_answer(args: argparse.Namespace) -> str:
    if args.answer is not None:
        return str(args.answer)
    if args.answer_file is not None:
        try:
            data = Path(args.answer_file).read_bytes()
        except OSError as exc:
            raise common.CliError(f"cannot read {args.answer_file}: {exc}") from None
        where = f"--answer-file: {args.answer_file}"
    else:
        buffer = getattr(sys.stdin, "buffer", None)
        if buffer is None:  # a text stream given in place of the real one (tests)
            return sys.stdin.read()
        data = buffer.read()
        where = "the standard input"
    try:
        return decode_text(data)
    except NotText:
        raise common.CliError(f"{where} is not text (it looks like a program or an image): "
                              f"give the answer as plain text") from None


def run(args: argparse.Namespace) -> int:
    settings = common.settings()
    bank = common.bank(settings.content_dir)
    question = bank[common.match_name(
        args.question, [q.id for q in bank.questions], option="--question", what="question id",
        examples="ids look like cps-01, pss-12, pp-03")]
    answer, unreadable = replace_unreadable(_read_answer(args))
    if unreadable:
        print(f"note: {unreadable} character(s) of the answer were not readable text and were "
              f"replaced with \ufffd.", file=sys.stderr)
    truncated = len(answer) > MAX_ANSWER
    try:
        feedback = give_feedback(question, answer[:MAX_ANSWER])
    except EmptyAnswer as exc:
        raise common.CliError(str(exc)) from None
    if args.json:
        data = feedback.to_dict()
        data["truncated"] = truncated
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"{question.id} · {question.topic_label}\n{question.prompt}\n")
    if truncated:
        print(f"(Your answer was {len(answer)} characters; the first {MAX_ANSWER} were coached.)\n")
    print(as_text(feedback_sections(question, feedback, settings.crisis_resources,
                                    with_example=args.example)))
    return 0
