"""An interview in the terminal. Input is read line by line, so it can be piped and scripted.

The loop is synchronous and calls the async engine through one ``asyncio.Runner``: reading
the keyboard outside the event loop keeps Ctrl-C an ordinary ``KeyboardInterrupt``.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import textwrap
from collections.abc import Coroutine
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TextIO, TypeVar

from bot.bank import TOPICS, Question
from bot.clock import utcnow
from bot.coaching import EmptyAnswer
from bot.coaching.render import as_text, feedback_sections
from bot.interview.engine import (
    MAX_ANSWER_CHARS,
    AnswerMovedOn,
    InterviewError,
    InterviewService,
    TakenOver,
)
from bot.interview.model import AnswerResult, Interview, Summary
from bot.interview.place import Place
from bot.interview.render import (
    FOLLOW_UP_TITLE,
    answer_notes,
    follow_up_notes,
    question_details,
    question_title,
    summary_text,
)
from bot.practice.recovery import KeptAnswer, RecoveryBox
from bot.storage import StorageBusy, StorageError
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
    follow_ups: bool = True  # the interview it starts asks follow-ups
    # How to run practice again as this person, ready to paste into a shell.
    again: str = "python -m bot practice"


class Lines(Protocol):
    """Where answers are read from: standard input, or a script."""

    def readline(self) -> str: ...


class EndOfInput(Exception):
    """Standard input ended: save and stop."""


class CannotStart(Exception):
    """The interview asked for can't start (a bank and topic without questions...): the
    message says why. Nothing was changed."""


class Stop(Exception):
    """The interview can't go on in this window; the message has been said."""


def window_token() -> str:
    """A new window's lease token: this computer, this process and a random part, so the
    next window can tell a window whose process has gone (closed without letting go)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(6)}"


def still_open(lease: str) -> bool:
    """Whether the window holding ``lease`` may still be open: False only when it ran on
    this computer and its process is gone."""
    host, _, rest = lease.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: it exists
        return True
    return True


def _ago(moment: datetime | None) -> str:
    if moment is None:
        return ""
    minutes = max(0, int((utcnow() - moment).total_seconds() // 60))
    if minutes < 1:
        return ", last used less than a minute ago"
    if minutes < 120:
        return f", last used {minutes} minute(s) ago"
    return f", last used {minutes // 60} hour(s) ago"


class TerminalPractice:
    def __init__(self, runner: asyncio.Runner, engine: InterviewService,
                 crisis_resources: tuple[str, ...], stdin: Lines, stdout: TextIO,
                 recovery: RecoveryBox | None = None) -> None:
        self.runner = runner
        self.engine = engine
        self.crisis_resources = crisis_resources
        self.stdin = stdin
        self.stdout = stdout
        self.recovery = recovery
        self.input_ended = False  # seen once, the end of input is not read for again
        # This window's claim on the interview it runs: another window that takes the
        # interview over makes every later answer and step of this one fail, in the same
        # transaction that would store it.
        self.lease = window_token()
        self.held: int | None = None  # the interview this window holds
        self.options = PracticeOptions(user="")
        self.person_id = 0
        # The lines of an answer being typed, its question and interview (kept on Ctrl-C).
        self.typing: tuple[list[str], Question, Interview] | None = None
        self.declined: set[str] = set()  # kept answers not to offer again in this window
        self.follow_up_shown: tuple[int, int] | None = None  # (interview, position) last shown

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
        self.options = options
        try:
            person = self.call(self.engine.people.for_local(options.user))
            self.person_id = person.id
            interview = self._open(person.id, options)
            self._offer_kept(interview)
            return self._loop(interview)
        except EndOfInput:
            self.say(f"\n\nEnd of input: everything you answered is saved. "
                     f"Run `{options.again}` again to resume.")
            return 0
        except Stop:
            return 1
        except KeyboardInterrupt:
            self._keep_typed()
            raise
        except StorageError as exc:
            self.say(f"\n{exc.user_message}")
            return 1
        except InterviewError as exc:
            self._moved_elsewhere(exc)
            return 1
        finally:
            if self.held is not None:  # let the next window resume it without a question
                with suppress(Exception):
                    self.call(self.engine.release(self.held, self.lease))

    def _moved_elsewhere(self, exc: InterviewError) -> None:
        """Say, in this front end's words, why a step was not done here."""
        if isinstance(exc, TakenOver):
            self.say("\nThis interview was taken over in another window, and goes on there: "
                     "nothing more happens in this one.")
            return
        interview = self.call(self.engine.get(self.held)) if self.held is not None else None
        if interview is not None and not interview.is_active:
            self.say("\nThis interview was ended in another window (or a new one started "
                     "there), so nothing more happens in this one.")
        else:
            self.say(f"\nThis interview has moved on in another window. Run "
                     f"`{self.options.again}` to continue where it is now.")

    def _open(self, person_id: int, options: PracticeOptions) -> Interview:
        unfinished = self.call(self.engine.active(person_id))
        if unfinished is not None and options.resume is not False:
            done = sum(o != "pending" for o in unfinished.outcomes)
            elsewhere = (unfinished.lease is not None and unfinished.lease != self.lease
                         and still_open(unfinished.lease))
            resume: bool | None = options.resume
            while resume is None:  # only an explicit "no" stops the unfinished interview
                if elsewhere:
                    question = (f"You have an unfinished interview ({done} of {unfinished.total}"
                                f" done) that is open in another window"
                                f"{_ago(unfinished.lease_at)}. Take it over here? (The other "
                                f"window then stops at its next step.) [Y/n] ")
                else:
                    question = (f"You have an unfinished interview ({done} of "
                                f"{unfinished.total} done). Resume it? [Y/n] ")
                reply = self.ask(question).strip().lower()
                if reply in ("", "y", "yes"):
                    resume = True
                elif reply in ("n", "no"):
                    resume = False
                else:
                    self.say(f"Type y to {'take it over' if elsewhere else 'resume it'}, "
                             f"or n to stop it and start a new one.")
            if resume:
                taken = self.call(self.engine.take(unfinished.id, self.lease))
                if taken is not None:
                    self.held = taken.id
                    self.say("Taken over from the other window: resuming where you left off."
                             if elsewhere else "Resuming where you left off.")
                    return taken
                self.say("That interview has just ended (in another window); "
                         "starting a new one.")
        try:
            started = self.call(self.engine.start(
                person_id, bank=options.bank, topic=options.topic, count=options.questions,
                place=Place.TERMINAL, follow_ups=options.follow_ups, lease=self.lease,
            ))
        except InterviewError as exc:
            raise CannotStart(str(exc)) from None
        self.held = started.interview.id
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
                return self._finish(self.call(self.engine.end(interview.id, lease=self.lease)))
            if interview.current_answered:
                interview = self._after_answer(interview)
                continue
            self.say(f"\n━━ {question_title(interview.position + 1, interview.total)} · "
                     f"{question_details(question, interview.attempt, with_id=False)}")
            self.say(self.wrap(question.prompt))
            kept = self._kept_for(interview, question)
            if kept is not None:
                text, length = kept.text, len(kept.text)
            else:
                # Kept until the answer is stored: a Ctrl-C while it waits for a busy
                # database keeps it too (``_keep_typed``).
                self.typing = ([], question, interview)
                text, length = self._read_answer()
            text, unreadable = replace_unreadable(text)
            if unreadable:
                self.say(f"({unreadable} character(s) of your answer were not readable text "
                         f"and were replaced with \ufffd.)")
            if text in ("/skip", "/end"):
                self.typing = None
            if text == "/skip":
                interview = self.call(self.engine.skip(interview.id, interview.position,
                                                       lease=self.lease))
                continue
            if text == "/end":
                return self._finish(self.call(self.engine.end(interview.id, lease=self.lease)))
            try:
                result = self.call(self.engine.answer(
                    interview.id, interview.position, interview.attempt, text,
                    question_id=question.id, lease=self.lease))
                self.typing = None
            except EmptyAnswer:
                self.typing = None
                self.say("Your answer is empty. Write a few sentences, or /skip.")
                if kept is not None and self.recovery is not None:
                    self.recovery.discard(kept)  # nothing in it to keep
                continue
            except (StorageError, InterviewError) as exc:
                self.typing = None  # kept here, once
                if kept is None:
                    self._keep(question, text, interview, exc)
                else:
                    self._not_submitted(kept, exc)
                raise Stop from None
            if kept is not None and self.recovery is not None:
                self.recovery.discard(kept)
            self._show(question, result, length)
            interview = result.interview or interview
        return self._finish(self.call(self.engine.summary(interview.id)))

    def _show(self, question: Question, result: AnswerResult, length: int | None = None
              ) -> None:
        """The guidance, then its notes (``length``: how long the typed answer really was)."""
        self.say()
        self.say(self.wrap(as_text(feedback_sections(
            question, result.feedback, self.crisis_resources))))
        for note in answer_notes(result, Place.TERMINAL, length=length):
            self.say("\n" + self.wrap(note))

    def _after_answer(self, interview: Interview) -> Interview:
        question = self.engine.question(interview)
        follow_up = (self.engine.follow_up_question(interview)
                     if interview.awaiting_follow_up else None)
        if follow_up is not None and self.follow_up_shown != (interview.id, interview.position):
            self.follow_up_shown = (interview.id, interview.position)
            self.say(f"\n── {FOLLOW_UP_TITLE} ──")
            self.say(self.wrap(follow_up.prompt))
        offer = "[a]nswer the follow-up · " if follow_up is not None else ""
        choice = self.ask(f"\n{offer}[n]ext · [r]etry · [x] example answer · [e]nd  > "
                          ).strip().lower()
        if follow_up is not None and choice in ("a", "answer"):
            return self._follow_up(interview, follow_up)
        if choice in ("x", "example") and question is not None:
            self.say("\n── An example answer ──\n" + self.wrap(question.example_answer))
            return interview
        if choice in ("r", "retry"):
            return self.call(self.engine.retry(interview.id, interview.position,
                                               lease=self.lease))
        if choice in ("e", "end", "q", "quit", "/end"):
            self.call(self.engine.end(interview.id, lease=self.lease))
            return self.call(self.engine.get(interview.id)) or interview
        if choice in ("", "n", "next", "s", "skip"):
            return self.call(self.engine.skip(interview.id, interview.position,
                                              lease=self.lease))
        self.say("Type a, n, r, x or e." if follow_up is not None else "Type n, r, x or e.")
        return interview

    def _follow_up(self, interview: Interview, view: Question) -> Interview:
        """An answer to the interviewer's follow-up (``view``: the question as it asks it);
        /skip leaves it unanswered, and the answer to the question stands either way."""
        self.say(self.wrap(view.prompt))
        typed: list[str] = []
        try:
            text, length = self._read_answer(typed)
        except KeyboardInterrupt:
            # A follow-up answer belongs to the follow-up only, so it is handed back here
            # rather than kept as an answer to the question.
            if "".join(typed).strip():
                self.say("\n\nThe follow-up answer you were typing, to copy:\n\n"
                         + "\n".join(typed) + "\n")
            raise
        text, _ = replace_unreadable(text)
        if text == "/skip":
            return self.call(self.engine.skip_follow_up(interview.id, interview.position,
                                                        lease=self.lease))
        if text == "/end":
            self.call(self.engine.end(interview.id, lease=self.lease))
            return self.call(self.engine.get(interview.id)) or interview
        try:
            reply = self.call(self.engine.answer_follow_up(interview.id, interview.position,
                                                           text, lease=self.lease))
        except EmptyAnswer:
            self.say("Your answer is empty. Write a few sentences, or /skip.")
            return interview
        except (StorageError, InterviewError) as exc:
            # A follow-up answer belongs to its question's follow-up only, so it is handed
            # back here rather than kept for the question itself.
            self.say(f"\n{self._why(exc)}")
            self.say(f"Here is your follow-up answer, to copy before you go on:\n\n{text}\n")
            raise Stop from None
        self.say()
        self.say(self.wrap(as_text(feedback_sections(
            reply.question, reply.feedback, self.crisis_resources))))
        for note in follow_up_notes(reply, Place.TERMINAL, length=length):
            self.say("\n" + self.wrap(note))
        return reply.interview

    # -- answers that could not be saved --------------------------------------------------

    def _why(self, exc: Exception) -> str:
        """What went wrong, and whether trying again can help, in this front end's words."""
        if isinstance(exc, TakenOver):
            return ("This interview was taken over in another window, so your answer was not "
                    "saved here (and no other answer's guidance is shown for it).")
        if isinstance(exc, AnswerMovedOn):
            now = self.call(self.engine.get(self.held)) if self.held is not None else None
            if now is None or not now.is_active:
                return ("This interview was ended in another window (or a new one started "
                        "there), so your answer was not saved here.")
            return ("This interview moved on in another window, so your answer was not saved "
                    "here (and no other answer's guidance is shown for it).")
        if isinstance(exc, StorageBusy):
            return (f"Your answer could not be saved: {exc.user_message} "
                    f"Trying again can help.")
        if isinstance(exc, StorageError):
            if type(exc) is StorageError:  # nothing more is known: it may pass
                return f"Your answer could not be saved: {exc.user_message}"
            return (f"Your answer could not be saved: {exc.user_message} "
                    f"Trying again won't help until that is fixed.")
        return f"Your answer could not be saved: {exc}"

    def _keep(self, question: Question, text: str, interview: Interview, exc: Exception
              ) -> None:
        """Put an answer that could not be stored in a recovery file, and say where."""
        self.say(f"\n{self._why(exc)}")
        path: Path | None = None
        problem = "no folder for it"
        if self.recovery is not None:
            try:
                path = self.recovery.keep(self.options.user, question.id, text,
                                          interview_id=interview.id,
                                          position=interview.position)
            except OSError as error:
                problem = error.strerror or type(error).__name__
        if path is not None:
            self.say(f"Your answer is kept in {path} (readable only by you). "
                     f"The next `{self.options.again}` offers to submit it.")
        else:
            self.say(f"It could not be kept in a file either ({problem}), so here it is to "
                     f"copy before you close this window:\n\n{text}\n")

    def _keep_typed(self) -> None:
        """Ctrl-C while an answer was being typed: keep what was typed of it."""
        if self.typing is None or not "".join(self.typing[0]).strip():
            return
        lines, question, interview = self.typing
        self.typing = None
        text = "\n".join(lines)
        if self.recovery is not None:
            with suppress(OSError):
                path = self.recovery.keep(self.options.user, question.id, text,
                                          interview_id=interview.id, position=interview.position)
                self.say(f"\n\nThe answer you were typing is kept in {path}; the next "
                         f"`{self.options.again}` offers to submit it.")

    def _not_submitted(self, kept: KeptAnswer, exc: Exception) -> None:
        self.say(f"\n{self._why(exc)}")
        self.say(f"It is still kept in {kept.path}; the next `{self.options.again}` offers it "
                 f"again.")

    def _pending(self) -> list[KeptAnswer]:
        return self.recovery.pending(self.options.user) if self.recovery is not None else []

    def _offer(self, kept: KeptAnswer, intro: str) -> str:
        """Ask what to do with a kept answer: "y" submit it, "n" keep it for later, "d" discard."""
        self.say(f"\n{intro} (written {kept.written_at:%Y-%m-%d %H:%M} UTC, kept in "
                 f"{kept.path}):")
        self.say(textwrap.indent(self.wrap(textwrap.shorten(kept.text, 300,
                                                            placeholder=" …")), "  │ "))
        while True:
            reply = self.ask("Submit it now? [Y]es · [n]o, keep it for later · "
                             "[d]iscard it  > ").strip().lower()
            if reply in ("", "y", "yes"):
                return "y"
            if reply in ("n", "no"):
                return "n"
            if reply in ("d", "discard"):
                if self.recovery is not None:
                    self.recovery.discard(kept)
                self.say("Discarded.")
                return "d"
            self.say("Type y, n or d.")

    def _kept_for(self, interview: Interview, question: Question) -> KeptAnswer | None:
        """A kept answer written for this very question of this interview, if its writer
        wants it submitted as the answer now."""
        for kept in self._pending():
            if (kept.interview_id == interview.id and kept.position == interview.position
                    and kept.question_id == question.id and kept.token not in self.declined):
                if self._offer(kept, "You wrote an answer to this question that could not "
                                     "be saved") == "y":
                    return kept
                self.declined.add(kept.token)  # asked once per window is enough
                return None
        return None

    def _offer_kept(self, interview: Interview) -> None:
        """Offer the kept answers that don't belong to the question this interview stands
        at: each is stored as a practice answer of its own (coached, counted for the
        streak), once however often it is submitted."""
        current = (interview.id, interview.position, interview.current_question_id)
        for kept in self._pending():
            if ((kept.interview_id, kept.position, kept.question_id) == current
                    and not interview.current_answered):
                continue  # offered when that question comes up, next
            question = self.engine.bank.get(kept.question_id)
            if question is None:
                continue
            if self._offer(kept, f"An answer you wrote to {question.id} ({question.topic_label})"
                                 f" could not be saved then") != "y":
                continue
            try:
                result = self.call(self.engine.answer_daily(
                    self.person_id, question, kept.text, kept.key))
            except StorageError as exc:
                self._not_submitted(kept, exc)
                raise Stop from None
            except EmptyAnswer:
                self.say("That answer is empty, so there is nothing to submit.")
                if self.recovery is not None:
                    self.recovery.discard(kept)
                continue
            if self.recovery is not None:
                self.recovery.discard(kept)
            self.say(f"\n━━ {question.id} · {question.topic_label}")
            self.say(self.wrap(question.prompt))
            self._show(question, result)

    def _read_answer(self, into: list[str] | None = None) -> tuple[str, int]:
        """An answer up to its closing empty line (or the end of input), however long: its
        first ``MAX_ANSWER_CHARS`` characters, and how long it really was. A line left unread
        would otherwise be taken for a reply at the next prompt. Its lines are gathered in
        ``into`` (else the answer being typed), so a Ctrl-C finds what was typed."""
        kept: list[str] = into if into is not None else (
            self.typing[0] if self.typing is not None else [])
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
        text = summary_text(summary)
        self.say("\n━━ Summary ━━")
        for row in text.rows:
            result = f"{row.score:>3}/100" if row.score is not None else row.outcome
            self.say(f"{row.number:>2}. {row.question_id:<7} {row.topic:<40} {result}")
            if row.follow_up is not None:
                self.say(f"    {row.follow_up}")
        if text.average is not None:
            self.say(f"\nAverage: {text.average}.")
        if text.strongest:
            self.say(f"Strongest: {text.strongest}.")
        if text.to_work_on:
            self.say(f"To work on: {text.to_work_on}.")
        for step in text.practise_next:
            self.say(f"• {step}")
        return 0
