"""Key-point cues: word-prefix phrases, matched with plain substring search.

A cue's first word is found with ``str.find`` (fast C code); only where it occurs are the
rest of the phrase's words checked. Regular expressions that start with ``\\b`` scan every
position and were ten times slower here. Before any search, a cue is skipped when one of its
words starts no word of the answer (``text.word_starts``: a set look-up each): most of a
question's cues are not in a given answer, and searching for each read the whole answer.

Two rules beyond plain matching (content/README.md, "Cues", says them for bank writers):
a ``*`` in a cue stands for any one word ("asked * directly" matches "asked her directly"
and "asked J. directly"), and a match right after a negating word ("not", "never",
"wouldn't"...) does not count, so "I wouldn't ask directly" covers no "ask directly" point.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.bank.model import KeyPoint, Question
from bot.text import words

WILDCARD = "*"
# A cue found right after one of these words is negated, not said. Spellings without the
# apostrophe are here because people type them that way.
NEGATORS = frozenset({
    "not", "never", "no", "nor", "without", "cannot",
    "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "won't", "wont",
    "wouldn't", "wouldnt", "can't", "cant", "couldn't", "couldnt", "shouldn't", "shouldnt",
    "isn't", "isnt", "wasn't", "wasnt", "aren't", "arent", "weren't", "werent",
})


def match_text(tokens: list[str]) -> str:
    """Words as one space-separated line, hyphens as spaces, ready for cue matching."""
    return " " + " ".join(tokens).replace("-", " ") + " "


def _negated(prepared: str, at: int) -> bool:
    """Whether the word before the space at ``at`` (where a match starts) negates it."""
    return prepared[prepared.rfind(" ", 0, at) + 1:at] in NEGATORS


@dataclass(frozen=True, slots=True)
class _Cue:
    head: str  # " firstword": the first word, as the start of a word in the prepared text
    # (" word", "word") for the phrase's other words, longest first: all needed.
    others: tuple[tuple[str, str], ...]
    phrase: re.Pattern[str] | None  # the whole phrase, for cues of several words
    starts: frozenset[str]  # the first three characters of its words (see text.word_starts)

    def find(self, prepared: str, words: Container[str] = ()) -> str | None:
        """The words of ``prepared`` that match, or None. ``words``: some of the answer's
        words (a set): one found there needs no search through ``prepared``."""
        if self.phrase is None:
            pos = prepared.find(self.head)
            while pos != -1 and _negated(prepared, pos):
                pos = prepared.find(self.head, pos + 1)
            return None if pos == -1 else prepared[pos + 1:prepared.find(" ", pos + 1)]
        for spaced, word in self.others:  # longest (rarest) first: a missing phrase fails fast
            if word not in words and spaced not in prepared:
                return None
        # The phrase can only start where its first word does: try it at each of those places
        # (a search would read on to the end of the answer from the first that fails).
        pos = prepared.find(self.head)
        while pos != -1:
            found = self.phrase.match(prepared, pos)
            if found is not None and not _negated(prepared, pos):
                return found.group(0).strip()
            pos = prepared.find(self.head, pos + 1)
        return None


def cue_words(cue: str) -> list[str]:
    """The words of ``cue`` as matching sees them: hyphens split words, ``*`` is kept."""
    parts: list[str] = []
    for piece in cue.split():
        if piece == WILDCARD:
            parts.append(WILDCARD)
        else:
            parts.extend(" ".join(words(piece)).replace("-", " ").split())
    return parts


@lru_cache(maxsize=8192)
def _compile(cue: str) -> _Cue | None:
    parts = cue_words(cue)
    if not parts or parts[0] == WILDCARD:
        return None  # the loader reports these; a cue must start with a word
    phrase = None
    if len(parts) > 1:
        # Each word of the phrase begins a word of the answer; the words follow each other.
        phrase = re.compile(" " + " ".join(
            "[^ ]+" if p == WILDCARD else re.escape(p) + "[^ ]*" for p in parts))
    others = tuple(sorted(((" " + p, p) for p in parts[1:] if p != WILDCARD),
                          key=lambda other: len(other[1]), reverse=True))
    return _Cue(" " + parts[0], others, phrase, frozenset(p[:3] for p in parts if len(p) >= 3))


@lru_cache(maxsize=4096)
def _compiled(cues: tuple[str, ...]) -> tuple[_Cue, ...]:
    return tuple(c for c in map(_compile, cues) if c is not None)


def _first_match(cues: tuple[_Cue, ...], prepared: str, starts: set[str] | None,
                 words: Container[str] = ()) -> str | None:
    for cue in cues:
        if starts is None or cue.starts <= starts:  # else a word of it starts no word here
            found = cue.find(prepared, words)
            if found is not None:
                return found
    return None


def matched_cue(point: KeyPoint, prepared: str, starts: set[str] | None = None) -> str | None:
    """The words of ``prepared`` (see ``match_text``) that matched a cue of ``point``, or None.

    ``starts``: the ``text.word_starts`` of the answer, if known.
    """
    return _first_match(_compiled(point.cues), prepared, starts)


# Each question's points with their compiled cues, looked up by the question's identity:
# hashing the cue tuples of every point (as ``_compiled`` needs) on every answer cost more
# than the matching of most cues. An entry keeps its question, so the id cannot be reused
# while the entry stands; a bank of a few hundred questions stays far below the limit.
_BY_QUESTION: dict[int, tuple[Question, tuple[tuple[KeyPoint, tuple[_Cue, ...]], ...]]] = {}
_MAX_QUESTIONS = 4096


def _points(question: Question) -> tuple[tuple[KeyPoint, tuple[_Cue, ...]], ...]:
    entry = _BY_QUESTION.get(id(question))
    if entry is None or entry[0] is not question:
        if len(_BY_QUESTION) >= _MAX_QUESTIONS:
            _BY_QUESTION.clear()
        entry = (question, tuple((p, _compiled(p.cues)) for p in question.key_points))
        _BY_QUESTION[id(question)] = entry
    return entry[1]


def prepare(questions: Iterable[Question]) -> None:
    """Compile every cue of ``questions`` now, so the first answers to each question (often
    many at once, when a cohort starts) do not pay for it."""
    for question in questions:
        _points(question)


def cover(question: Question, prepared: str, starts: set[str] | None = None,
          words: Container[str] = ()) -> list[tuple[KeyPoint, str | None]]:
    """Each key point of ``question`` with the words of ``prepared`` that showed it, or None.

    ``starts``: the answer's ``text.word_starts``; ``words``: the set of its words, if known.
    """
    return [(point, _first_match(cues, prepared, starts, words))
            for point, cues in _points(question)]
