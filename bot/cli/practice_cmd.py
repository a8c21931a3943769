"""``python -m bot practice`` and ``progress``: practise and look back, in a terminal."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import timedelta

from bot.bank import BANKS, TOPICS
from bot.cli import common
from bot.cli.textfile import DetectedStdin
from bot.interview.engine import MAX_QUESTIONS, InterviewService
from bot.people import People
from bot.practice.recovery import RecoveryBox
from bot.practice.terminal import CannotStart, PracticeOptions, TerminalPractice
from bot.progress.standings import Standings
from bot.storage import Person


def register(subparsers: argparse._SubParsersAction) -> None:
    practice = subparsers.add_parser(
        "practice", help="a mock interview in this terminal",
        description="A mock interview with coaching after every answer. End each answer with "
                    "an empty line. Works with piped input too.",
    )
    practice.add_argument("--bank", default="all", metavar="BANK",
                          help="one of: all (the default), " + ", ".join(BANKS))
    practice.add_argument("--topic", metavar="TOPIC", help="one of: " + ", ".join(TOPICS))
    practice.add_argument("--questions", type=int, default=5, metavar="N",
                          help=f"how many questions (1-{MAX_QUESTIONS}, default 5)")
    practice.add_argument("--user", default=None, metavar="NAME",
                          help="whose progress this is (default: your login name)")
    practice.add_argument("--timezone", default=None, metavar="ZONE",
                          help="your time zone, e.g. Europe/London, remembered for next time "
                               "(default: this computer's)")
    practice.add_argument("--no-follow-ups", dest="follow_ups", action="store_false",
                          help="don't ask follow-up questions after an answer that misses a "
                               "key point (for the interview this starts)")
    choice = practice.add_mutually_exclusive_group()
    choice.add_argument("--resume", action="store_true", default=None,
                        help="resume an unfinished interview without asking")
    choice.add_argument("--new", dest="resume", action="store_false",
                        help="start a new interview even if one is unfinished")
    practice.set_defaults(handler=run_practice)

    progress = subparsers.add_parser("progress", help="your streak and scores per topic")
    progress.add_argument("--user", default=None, metavar="NAME")
    progress.add_argument("--timezone", default=None, metavar="ZONE",
                          help="change the time zone your days are counted in")
    progress.set_defaults(handler=run_progress)


def checked_timezone(name: str | None) -> str | None:
    """``--timezone``: an IANA time zone name (any case), or a clear one-line refusal."""
    return None if name is None else common.timezone_named(name)


def practice_again(user: str | None) -> str:
    """The command that runs practice again as this person, quoted for a shell."""
    return common.command_line("python", "-m", "bot", "practice",
                               *(() if user is None else ("--user", user)))


def terminal_person(runner: asyncio.Runner, people: People, name: str, timezone: str | None,
                    *, create: bool) -> Person | None:
    """The terminal practiser ``name`` with ``timezone`` stored if given. A new one (made only
    if ``create``) gets this computer's time zone, when it can be told."""
    person = runner.run(people.find_local(name))
    if person is None:
        if not create:
            return None
        person = runner.run(people.for_local(name))
        timezone = timezone or common.machine_timezone()
    if timezone:
        person = runner.run(people.set_timezone(person, timezone))
    return person


def run_practice(args: argparse.Namespace) -> int:
    if not 1 <= args.questions <= MAX_QUESTIONS:
        raise common.CliError(f"--questions must be between 1 and {MAX_QUESTIONS}")
    timezone = checked_timezone(args.timezone)
    bank_name = common.match_name(args.bank, ["all", *BANKS], option="--bank", what="bank",
                                  examples="one of: all, " + ", ".join(BANKS))
    topic = None if args.topic is None else common.match_name(
        args.topic, TOPICS, option="--topic", what="topic", examples="one of: " + ", ".join(TOPICS))
    settings = common.settings()
    bank = common.bank(settings.content_dir)
    if not bank.select(bank_name, topic):
        raise common.CliError(f"no questions in bank {bank_name!r} on topic {topic!r}: "
                              f"try --bank all, or another --topic")
    options = PracticeOptions(user=args.user or common.default_user(), bank=bank_name,
                              topic=topic, questions=args.questions, resume=args.resume,
                              follow_ups=args.follow_ups, again=practice_again(args.user))
    stdin = DetectedStdin(common.tolerant_stdin())
    with asyncio.Runner() as runner, common.opened_store(runner, settings) as store:
        common.forget_expired(runner, store, settings)
        engine = InterviewService(store, bank, default_timezone=settings.default_timezone,
                                  follow_ups=settings.follow_ups)
        terminal_person(runner, engine.people, options.user, timezone, create=True)
        practice = TerminalPractice(runner, engine, settings.crisis_resources,
                                    stdin, sys.stdout, RecoveryBox(settings.data_dir))
        try:
            return practice.run(options)
        except CannotStart as exc:
            raise common.CliError(str(exc)) from None
        except KeyboardInterrupt:
            print(f"\n\nStopped: everything you answered is saved. "
                  f"Run `{options.again}` again to resume.")
            return 130


def run_progress(args: argparse.Namespace) -> int:
    timezone = checked_timezone(args.timezone)
    settings = common.settings()
    bank = common.bank(settings.content_dir)
    user = args.user or common.default_user()
    nothing_yet = f"No practice yet for {user}: start with `{practice_again(args.user)}`."
    if settings.database_url is None and not settings.database_path.exists():
        print(nothing_yet)  # and no database is made just to say so
        return 0
    with asyncio.Runner() as runner, common.opened_store(runner, settings) as store:
        common.forget_expired(runner, store, settings)
        engine = InterviewService(store, bank, default_timezone=settings.default_timezone)
        person = terminal_person(runner, engine.people, user, timezone, create=False)
        if person is None:
            print(nothing_yet)
            return 0
        zone, report = runner.run(Standings(engine, store).progress(person.id, weeks=2))
        today = report.today
    print(f"Progress for {user} (days in {zone}; change with --timezone)")
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
        print(f"\nNo answers yet: start with `{practice_again(args.user)}`.")
    return 0
