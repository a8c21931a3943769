"""Key points judged by what the answer says, and pitfalls that take their credit away.

A key point is made when a sentence of the answer says it: one of its cues, or one of its
exemplars (bot/coaching/meaning.py says how each is read, with the concept lexicon, lemmas
and negation over the whole clause).

A pitfall is committed when one of its signals is said, not negated ("I'd figure out who was
in the wrong" commits it; "I wouldn't decide who was right" does not). A committed pitfall
takes away the credit of the key point it contradicts, whatever words of the answer seemed to
make it: "I'd listen to both sides, figure out who was in the wrong" is not hearing each side
without taking one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.bank.model import KeyPoint, PitfallSignal, Question
from bot.coaching.concepts import load_lexicon
from bot.coaching.meaning import (
    Cue,
    Exemplar,
    Lexicon,
    PhraseTable,
    Reading,
    compile_cue,
    compile_exemplar,
    phrases_for,
    read,
)
from bot.text import normalize


@dataclass(frozen=True, slots=True)
class _Point:
    point: KeyPoint
    cues: tuple[Cue, ...]
    exemplars: tuple[Exemplar, ...]

    def find(self, reading: Reading) -> str | None:
        for cue in self.cues:
            found = cue.find(reading)
            if found is not None:
                return found
        for exemplar in self.exemplars:
            found = exemplar.find(reading)
            if found is not None:
                return found
        return None


@dataclass(frozen=True, slots=True)
class _Pitfall:
    signal: PitfallSignal
    signals: tuple[Exemplar, ...]

    def find(self, reading: Reading) -> str | None:
        for signal in self.signals:
            found = signal.find(reading)
            if found is not None:
                return found
        return None


@dataclass(frozen=True, slots=True)
class _Compiled:
    question: Question  # kept so that its id is not reused while the entry stands
    points: tuple[_Point, ...]
    pitfalls: tuple[_Pitfall, ...]
    phrases: PhraseTable  # the lexicon's phrases its exemplars and signals can use


def lexicon() -> Lexicon:
    return load_lexicon()


def _compile_point(point: KeyPoint, lex: Lexicon) -> _Point:
    cues = tuple(c for c in (compile_cue(text, lex) for text in point.cues) if c is not None)
    return _Point(point, cues, tuple(compile_exemplar(e, lex) for e in point.exemplars))


_BY_QUESTION: dict[int, _Compiled] = {}
_MAX_QUESTIONS = 4096


def _compiled(question: Question) -> _Compiled:
    entry = _BY_QUESTION.get(id(question))
    if entry is None or entry.question is not question:
        if len(_BY_QUESTION) >= _MAX_QUESTIONS:
            _BY_QUESTION.clear()
        lex = lexicon()
        points = tuple(_compile_point(p, lex) for p in question.key_points)
        pitfalls = tuple(_Pitfall(s, tuple(compile_exemplar(t, lex) for t in s.signals))
                         for s in question.pitfall_signals)
        said = [e for p in points for e in p.exemplars] + [e for p in pitfalls for e in p.signals]
        cues = [c for p in points for c in p.cues]
        entry = _Compiled(question, points, pitfalls, phrases_for(said, cues, lex))
        _BY_QUESTION[id(question)] = entry
    return entry


def prepare(questions: Iterable[Question]) -> None:
    """Compile every question's cues, exemplars and signals now rather than on first use."""
    for question in questions:
        _compiled(question)


def reading_of(lowered: str, question: Question) -> Reading:
    """``lowered`` (a normalized answer) read with the content's concept lexicon, looking for
    the lexicon's phrases that the exemplars and signals of ``question`` can use."""
    return read(lowered, lexicon(), _compiled(question).phrases)


def committed(question: Question, reading: Reading) -> list[tuple[PitfallSignal, str]]:
    """The question's pitfalls the answer commits, each with the words that showed it."""
    out = []
    for pitfall in _compiled(question).pitfalls:
        found = pitfall.find(reading)
        if found is not None:
            out.append((pitfall.signal, found))
    return out


def cover(question: Question, reading: Reading,
          pitfalls: Iterable[PitfallSignal] = ()) -> list[tuple[KeyPoint, str | None]]:
    """Each key point of ``question`` with the words that made it, or None; a point that a
    committed pitfall (``pitfalls``) contradicts is not made."""
    undone = {point for p in pitfalls for point in p.undoes}
    return [(p.point, None if p.point.id in undone else p.find(reading))
            for p in _compiled(question).points]


def matched_cue(point: KeyPoint, text: str) -> str | None:
    """The words of ``text`` that make ``point`` by one of its cues or exemplars, or None."""
    return _compile_point(point, lexicon()).find(read(normalize(text), lexicon()))
