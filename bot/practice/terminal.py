"""An interview in the terminal. Input is read line by line, so it can be piped and scripted.

The loop is synchronous and calls the async engine through one ``asyncio.Runner``: reading
the keyboard outside the event loop keeps Ctrl-C an ordinary ``KeyboardInterrupt``.
"""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TextIO, TypeVar

from bot.bank import TOPICS
from bot.coaching import EmptyAnswer
from bot.coaching.render import as_text, feedback_sections
from bot.interview.engine import MAX_ANSWER_CHARS, InterviewError, InterviewService
from bot.interview.model import Interview, Summary
from bot.storage import StorageError
from bot.text import replace_unreadable

T = TypeVar("T")
WIDTH = 88


@dataclass(frozen=True, slots=True)
class PracticeOptions:
    user: str
    bank: str = "all"
    topic: str | None = None
    questions: int = 5
    resume: bool | None = None  # None: ask when an unfinished interview exists


class EndOfInput(Exception):
    """Standard input ended: save and stop."""


class CannotStart(Exception):
    """The interview asked for can't start (a bank and topic without questions...): the
    message says why. Nothing was changed."""


class TerminalPractice:
    def __init__(self, runner: asyncio.Runner, engine: InterviewService,
                 crisis_resources: tuple[str, ...], stdin: TextIO, stdout: TextIO) -> None:
        self.runner = runner
        self.engine = engine
        self.crisis_resources = crisis_resources
        self.stdin = stdin
        self.stdout = stdout
        self.input_ended = False  # seen once, the end of input is not read for again

    # -- plumbing ---------------------------------------------------------------------------

    def call(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.runner.run(coro)

    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def ask(self, prompt: str) -> str:
        if self.input_ended:  # a terminal would wait for more after Ctrl-D: don't ask again
            raise EndOfInput
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.input_ended = True
            raise EndOfInput
        return line.rstrip("\n")

    def wrap(self, text: str) -> str:
        return "\n".join(
            textwrap.fill(p, WIDTH) if p.strip() else "" for p in text.split("\n")
        )

    # -- the interview ----------------------------------------------------------------------

    def run(self, options: PracticeOptions) -> int:
        """Run one interview; returns the exit code."""
        try:
            person = self.call(self.engine.store.people.for_local(options.user))
            return self._loop(self._open(person.id, options))
        except EndOfInput:
            self.say("\n\nEnd of input: everything you answered is saved. "
                     "Run `python -m bot practice` again to resume.")
            return 0
        except StorageError as exc:
            self.say(f"\n{exc.user_message}")
            return 1
        except InterviewError as exc:  # e.g. the same interview moved on in another terminal
            self.say(f"\n{exc}")
            return 1

    def _open(self, person_id: int, options: PracticeOptions) -> Interview:
        unfinished = self.call(self.engine.active(person_id))
        if unfinished is not None and options.resume is not False:
            done = sum(o != "pending" for o in unfinished.outcomes)
            resume: bool | None = options.resume
            while resume is None:  # only an explicit "no" stops the unfinished interview
                reply = self.ask(f"You have an unfinished interview ({done} of "
                                 f"{unfinished.total} done). Resume it? [Y/n] ").strip().lower()
                if reply in ("", "y", "yes"):
                    resume = True
                elif reply in ("n", "no"):
                    resume = False
                else:
                    self.say("Type y to resume it, or n to stop it and start a new one.")
            if resume:
                self.say("Resuming where you left off.")
                return unfinished
        try:
            started = self.call(self.engine.start(
                person_id, bank=options.bank, topic=options.topic, count=options.questions,
                place="terminal",
            ))
        except InterviewError as exc:
            raise CannotStart(str(exc)) from None
        topic = f", topic: {TOPICS[options.topic]}" if options.topic else ""
        self.say(f"PeerPrep practice: {started.interview.total} question(s) "
                 f"(bank: {options.bank}{topic}).")
        self.say("Write each answer as you would say it, then press Enter on an empty line.\n"
                 "On a line of its own: /skip skips the question, /end stops (progress is saved).")
        return started.interview

    def _loop(self, interview: Interview) -> int:
        while interview.is_active:
            question = self.engine.question(interview)
            if question is None:
                self.say(f"\nQuestion {interview.current_question_id} is no longer in the "
                         f"question bank, so this interview ends here.")
                return self._finish(self.call(self.engine.end(interview.id)))
            if interview.current_answered:
                interview = self._after_answer(interview)
                continue
            self.say(f"\n━━ Question {interview.position + 1} of {interview.total} · "
                     f"{question.topic_label} · {question.kind}"
                     + (f" · attempt {interview.attempt}" if interview.attempt > 1 else ""))
            self.say(self.wrap(question.prompt))
            text, length = self._read_answer()
            text, unreadable = replace_unreadable(text)
            if unreadable:
                self.say(f"({unreadable} character(s) of your answer were not readable text "
                         f"and were replaced with \ufffd.)")
            if text == "/skip":
                interview = self.call(self.engine.skip(interview.id, interview.position))
                continue
            if text == "/end":
                return self._finish(self.call(self.engine.end(interview.id)))
            try:
                result = self.call(self.engine.answer(
                    interview.id, interview.position, interview.attempt, text,
                    question_id=question.id))
            except EmptyAnswer:
                self.say("Your answer is empty. Write a few sentences, or /skip.")
                continue
            except InterviewError as exc:
                self.say(str(exc))
                return 1
            if length > MAX_ANSWER_CHARS:
                self.say(f"(Your answer was {length} characters; the first "
                         f"{MAX_ANSWER_CHARS} were kept and coached.)")
            self.say()
            self.say(self.wrap(as_text(feedback_sections(
                question, result.feedback, self.crisis_resources))))
            if result.freeze_earned:
                self.say("\n❄ You earned a streak freeze: it covers one missed day.")
            if result.freeze_spent:
                self.say("\n❄ A streak freeze covered the day you missed.")
            self.say(f"\nStreak: {result.streak} day(s).")
            interview = result.interview or interview
            if result.feedback.crisis:
                self.say("\nIf you'd like to pause, type e to end: your progress is saved.")
        return self._finish(self.call(self.engine.summary(interview.id)))

    def _after_answer(self, interview: Interview) -> Interview:
        question = self.engine.question(interview)
        choice = self.ask("\n[n]ext · [r]etry · [x] example answer · [e]nd  > ").strip().lower()
        if choice in ("x", "example") and question is not None:
            self.say("\n── An example answer ──\n" + self.wrap(question.example_answer))
            return interview
        if choice in ("r", "retry"):
            return self.call(self.engine.retry(interview.id, interview.position))
        if choice in ("e", "end", "q", "quit", "/end"):
            self.call(self.engine.end(interview.id))
            return self.call(self.engine.get(interview.id)) or interview
        if choice in ("", "n", "next", "s", "skip"):
            return self.call(self.engine.next(interview.id, interview.position))
        self.say("Type n, r, x or e.")
        return interview

    def _read_answer(self) -> tuple[str, int]:
        """An answer up to its closing empty line (or the end of input), however long: its
        first ``MAX_ANSWER_CHARS`` characters, and how long it really was. A line left unread
        would otherwise be taken for a reply at the next prompt."""
        kept: list[str] = []
        length = -1  # the answer's length, counting the line breaks between its lines
        while True:
            try:
                line = self.ask("> " if length < 0 else "  ")
            except EndOfInput:
                if length < 0:
                    raise
                break  # the answer ended with the input: coach and save it all the same
            if length < 0 and line.strip() in ("/skip", "/end"):
                return line.strip(), len(line.strip())
            if not line.strip():
                if length >= 0:
                    break
                continue  # an empty line before any text: keep waiting
            if length < MAX_ANSWER_CHARS:
                kept.append(line)
            length += len(line) + 1
        return "\n".join(kept)[:MAX_ANSWER_CHARS], length

    def _finish(self, summary: Summary) -> int:
        self.say("\n━━ Summary ━━")
        for number, result in enumerate(summary.results, start=1):
            score = (f"{result.score:>3}/100" if result.score is not None
                     else {"skipped": "skipped", "answered": "no score"}.get(
                         result.outcome, "not reached"))
            self.say(f"{number:>2}. {result.question_id:<7} {TOPICS.get(result.topic, ''):<40} "
                     f"{score}")
        if summary.average is not None:
            self.say(f"\nAverage: {summary.average}/100.")
        if summary.strongest_topic:
            self.say(f"Strongest: {TOPICS[summary.strongest_topic]}.")
        if summary.weakest_topic:
            self.say(f"To work on: {TOPICS[summary.weakest_topic]}.")
        for step in summary.practise_next:
            self.say(f"• {step}")
        return 0
