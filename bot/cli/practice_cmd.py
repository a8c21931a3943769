"""``python -m bot practice`` and ``progress``: practise and look back, in a terminal."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import timedelta

from bot.bank import BANKS, TOPICS
from bot.cli import common
from bot.interview.engine import MAX_QUESTIONS, InterviewService
from bot.practice.terminal import PracticeOptions, TerminalPractice
from bot.progress import build_report
from bot.streaks.rules import today_in


def register(subparsers: argparse._SubParsersAction) -> None:
    practice = subparsers.add_parser(
        "practice", help="a mock interview in this terminal",
        description="A mock interview with coaching after every answer. End each answer with "
                    "an empty line. Works with piped input too.",
    )
    practice.add_argument("--bank", choices=["all", *BANKS], default="all")
    practice.add_argument("--topic", choices=list(TOPICS), metavar="TOPIC",
                          help="one of: " + ", ".join(TOPICS))
    practice.add_argument("--questions", type=int, default=5, metavar="N",
                          help=f"how many questions (1-{MAX_QUESTIONS}, default 5)")
    practice.add_argument("--user", default=None, metavar="NAME",
                          help="whose progress this is (default: your login name)")
    choice = practice.add_mutually_exclusive_group()
    choice.add_argument("--resume", action="store_true", default=None,
                        help="resume an unfinished interview without asking")
    choice.add_argument("--new", dest="resume", action="store_false",
                        help="start a new interview even if one is unfinished")
    practice.set_defaults(handler=run_practice)

    progress = subparsers.add_parser("progress", help="your streak and scores per topic")
    progress.add_argument("--user", default=None, metavar="NAME")
    progress.set_defaults(handler=run_progress)


def run_practice(args: argparse.Namespace) -> int:
    if not 1 <= args.questions <= MAX_QUESTIONS:
        raise common.CliError(f"--questions must be between 1 and {MAX_QUESTIONS}")
    settings = common.settings()
    bank = common.bank(settings.content_dir)
    options = PracticeOptions(user=args.user or common.default_user(), bank=args.bank,
                              topic=args.topic, questions=args.questions, resume=args.resume)
    common.tolerant_stdin()
    with asyncio.Runner() as runner, common.opened_store(runner, settings) as store:
        engine = InterviewService(store, bank, default_timezone=settings.default_timezone)
        practice = TerminalPractice(runner, engine, settings.crisis_resources,
                                    sys.stdin, sys.stdout)
        try:
            return practice.run(options)
        except KeyboardInterrupt:
            print("\n\nStopped: everything you answered is saved. "
                  "Run `python -m bot practice` again to resume.")
            return 130


def run_progress(args: argparse.Namespace) -> int:
    settings = common.settings()
    bank = common.bank(settings.content_dir)
    user = args.user or common.default_user()
    with asyncio.Runner() as runner, common.opened_store(runner, settings) as store:
        person = runner.run(store.people.for_local(user))
        engine = InterviewService(store, bank, default_timezone=settings.default_timezone)
        today = today_in(runner.run(engine.timezone_for(person.id)))
        report = runner.run(build_report(store, bank, person.id, today, weeks=2))
    print(f"Progress for {user}")
    print(f"Streak: {report.current_streak} day(s) (best {report.best_streak}); "
          f"freezes held: {report.freezes}")
    days = "".join(
        "❄" if report.days.get(d, (0, False))[1] else ("■" if d in report.days else "·")
        for d in (today - timedelta(days=13 - i) for i in range(14))
    )
    print(f"Last 14 days: {days}  (■ practised, ❄ freeze, · none)")
    average = f", average score {report.average}/100" if report.average is not None else ""
    print(f"Answers: {report.answers}{average}\n")
    width = max(len(t.label) for t in report.topics)
    for line in report.topics:
        avg = f"{line.average:>3}/100" if line.average is not None else "      -"
        print(f"  {line.label:<{width}}  {line.answers:>4} answer(s)  {avg}")
    if report.answers == 0:
        print("\nNo answers yet: start with `python -m bot practice`.")
    return 0
