"""An answer as the coaching reads it, prepared once and handed to every pass."""

from __future__ import annotations

from dataclasses import dataclass

from bot.text import clean, find_words, word_starts


@dataclass(frozen=True, slots=True)
class Answer:
    """What the person wrote, in the forms the coaching passes read.

    - ``text``: as written, tidied (``text.clean``): what notes quote back to the person.
    - ``lowered``: ``text`` in lower case (``text.normalize``): what most rules read.
    - ``words``: its words in order, ``vocabulary`` the same as a set, and ``starts`` the
      first letters of each word (``text.word_starts``).
    - ``spaced``: the words joined by single spaces, hyphens as spaces, with a space at each
      end: where spoken phrases ("you know", "kind of") are counted.
    """

    text: str
    lowered: str
    words: list[str]
    vocabulary: set[str]
    starts: set[str]
    spaced: str

    @classmethod
    def of(cls, written: str) -> Answer:
        text = clean(written)
        lowered = text.lower()
        words = find_words(lowered)
        vocabulary = set(words)
        return cls(text, lowered, words, vocabulary, word_starts(vocabulary, lowered),
                   " " + " ".join(words).replace("-", " ") + " ")
