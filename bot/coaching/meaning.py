"""Reading an answer for what it says, clause by clause.

An answer is read as sentences, and each sentence as clauses. Every word is matched in its
dictionary form ("listened" and "listening" are "listen"), and words that say the same thing
in peer work share a concept from the lexicon in content/concepts.yaml ("listen" and "hear
out"; "promise" and "guarantee"). A point can be shown three ways:

- a **cue**: a short phrase, its words in order in one sentence ("ask * directly": ``*`` is
  any one word). A cue word in its dictionary form matches every form of it and the other
  words of its concept; in another form ("listened") only that form, so a cue can ask for a
  story told in the past. A cue word of five letters or more also matches the words it
  begins ("advoca": "advocate", "advocacy"); a shorter one does not, so "bus" is not "busy".
- an **exemplar**: a way a candidate might say the point. It counts when one sentence of the
  answer holds all of its meaningful words or their concepts (a phrase of the lexicon, such
  as "take sides", counts as its concept), in any order.
- a pitfall's **signal** is read like an exemplar.

None counts when it is **negated**: a "not", "never", "without", "instead of", "rather
than"... anywhere earlier in the same clause turns around what follows ("I haven't done the
training"; "rather than take sides, I'd listen"), unless the cue or exemplar says the
negation itself ("I can't promise that"). A clause ends at a comma or colon, at the end of a
sentence, and at a joining word ("and", "but", "because", "when"...); after "or" a negation
carries on ("I don't judge or lecture"). "Not only" and "never hesitate" negate nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import simplemma

from bot.text import find_words

NOT = "@not"


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


WILDCARD = "*"

# Words that turn around what follows them in their clause.
_NEGATORS = frozenset({
    "not", "never", "no", "nor", "without", "cannot", "neither", "nobody", "nothing", "none",
    "avoid", "refuse", "instead", "n't",
    "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "won't", "wont", "wouldn't",
    "wouldnt", "can't", "cant", "couldn't", "couldnt", "shouldn't", "shouldnt", "isn't", "isnt",
    "wasn't", "wasnt", "aren't", "arent", "weren't", "werent", "haven't", "havent", "hasn't",
    "hasnt", "hadn't", "hadnt", "ain't", "mustn't", "needn't",
})
# A negator right before one of these says something positive: "not only", "never hesitate".
_NOT_NEGATING = frozenset({"only", "hesitate", "matter", "doubt", "until"})
# Words that end one clause and start the next. After "or" and "nor" a negation carries on
# ("I don't judge or lecture").
_CLAUSE_WORDS = frozenset({"but", "and", "so", "because", "while", "although", "though",
                           "then", "unless", "whereas", "which", "once", "if", "when"})
_SENTENCE = re.compile(r"[^.!?;\n]+")
_CLAUSE = re.compile(r"[^,:()\"\u2014\u2013]+")
# Words an exemplar needs no match for: who says it, and the grammar around the meaning.
STOP = _set("""
i me my we us our ourselves you your yourself yourselves they them their themselves
he him his himself she her herself it its itself one someone somebody person people be have
do will would could should can may might must shall 'd 's 'm 're 've 'll i'd i'm i'll i've
we'd we're we'll we've you'd you're you'll they'd they're they'll he'd she'd he's she's it's
that's there's what's let's a an the to of in on at for with about from by as into onto over
than and or but if that this these those so then just really very quite also too even still
what which who whom whose how when where why there here some any all each every more most
much many lot little bit kind sort like well whether
""")
# Words matched as written: the tense and person of "who I am" or "been there" matter.
_AS_WRITTEN = _set("""
i me my we us our you your they them their he him his she her it its am is are was were be
been being has have had having do does did done doing will would could should can may might
must shall a an the to of in on at for with about from by as what which who whom whose where
when why how wherever whatever whichever whoever however
""")
# Lemmas simplemma gives that lose what matching needs.
_LEMMA_FIXES = {"ending": "end", "siding": "side", "grounding": "ground", "feelings": "feeling",
                "calmly": "calm", "gently": "gentle", "honestly": "honest", "directly": "direct",
                "plainly": "plain", "privately": "private", "separately": "separate"}


_UNINDEXED = STOP | {NOT}


def base(word: str) -> str:
    """What a word of the answer is matched as: its lemma, or itself when its form matters
    (pronouns, auxiliaries, negations, question words)."""
    if word in _AS_WRITTEN or word in _NEGATORS or word in _CLAUSE_WORDS:
        return word
    return lemma(word)


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The dictionary form of ``word`` (lower case), or the word itself."""
    fixed = _LEMMA_FIXES.get(word)
    if fixed is not None:
        return fixed
    if not word.isalpha():
        return word
    return str(simplemma.lemmatize(word, lang="en")).lower()


def split_words(text: str) -> list[str]:
    """The words of lower-case ``text``, hyphenated words split ("self-care": "self", "care")."""
    out: list[str] = []
    for word in find_words(text):
        if "-" in word:
            out.extend(w for w in word.split("-") if w)
        else:
            out.append(word)
    return out


_WORD, _CLAUSE_START, _NEGATOR = 0, 1, 2
_KEEP = 100_000  # words whose reading is remembered


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Concepts: each word or phrase (as lemmas) with the concept it stands for."""

    words: Mapping[str, str]  # a lemma -> its concept
    # Each phrase under its longest meaningful lemma (its anchor): (the anchor's place in the
    # phrase, the phrase's lemmas, its concept), longest first.
    phrases: Mapping[str, tuple[tuple[int, tuple[str, ...], str], ...]]
    # What each word seen so far is: its kind (_WORD, _CLAUSE_START or _NEGATOR), its key,
    # its lemma, and whether it is a negation. Filled as answers are read (see ``learn``).
    seen: dict[str, tuple[int, str, str, bool]] = field(default_factory=dict, compare=False)
    key_of: dict[str, str] = field(default_factory=dict, compare=False)  # token -> its key
    special: set[str] = field(default_factory=set, compare=False)  # negations
    anchors: set[str] = field(default_factory=set, compare=False)  # words anchoring phrases

    def about(self, token: str) -> tuple[int, str, str, bool]:
        known = self.seen.get(token)
        if known is None:
            if token in _CLAUSE_WORDS:
                known = (_CLAUSE_START, token, token, False)
            elif token in _NEGATORS:
                known = (_NEGATOR, NOT, token, True)
            elif token == "rather":
                known = (_WORD, token, token, True)
            elif token in _AS_WRITTEN:
                known = (_WORD, token, token, False)
            else:
                base = lemma(token)
                known = (_WORD, self.words.get(base, base), base, False)
            self.seen[token] = known
            self._note(token, known)
        return known

    def _note(self, token: str, known: tuple[int, str, str, bool]) -> None:
        self.key_of[token] = known[1]
        if known[3]:
            self.special.add(token)
        if known[2] in self.phrases:
            self.anchors.add(token)

    def learn(self, tokens: set[str]) -> None:
        """Make sure every one of ``tokens`` is known. The words seen are kept up to
        ``_KEEP``; past that the memory starts again, so it can't grow without end."""
        if len(self.seen) + len(tokens) > _KEEP:
            self.seen.clear()
            self.key_of.clear()
            self.special.clear()
            self.anchors.clear()
        for token in tokens:
            self.about(token)

    @classmethod
    def build(cls, groups: Mapping[str, Iterable[str]]) -> Lexicon:
        words: dict[str, str] = {}
        phrases: dict[str, list[tuple[int, tuple[str, ...], str]]] = {}
        for name, members in groups.items():
            concept = "@" + name
            for member in members:
                lemmas = tuple(base(w) for w in split_words(member.lower()))
                if len(lemmas) == 1:
                    words.setdefault(lemmas[0], concept)
                elif lemmas:
                    # The longest meaningful word: the rarest, so the fewest clauses to try.
                    at = max(range(len(lemmas)),
                             key=lambda i: (lemmas[i] not in STOP, len(lemmas[i])))
                    phrases.setdefault(lemmas[at], []).append((at, lemmas, concept))
        return cls(words, {anchor: tuple(sorted(found, key=lambda f: -len(f[1])))
                           for anchor, found in phrases.items()})


@dataclass(slots=True)
class Reading:
    """An answer as units: a word (or a phrase of the lexicon) with its concept or lemma."""

    keys: list[str]
    words: list[str]  # the answer's own words for each unit
    negated: list[bool]
    sentence: list[int]
    at: dict[str, list[int]]  # a key or a word as written -> its positions
    sentences: int
    phrases: list[tuple[str, int, int]]  # the lexicon's phrases: concept, start, length
    _by_start: dict[str, list[str]] | None = None

    def starting(self, letters: str) -> list[int]:
        """The positions of the words that begin with ``letters`` (five or more)."""
        if self._by_start is None:
            self._by_start = {}
            for word in self.at:
                if len(word) >= 5 and word[0] != "@":
                    self._by_start.setdefault(word[:5], []).append(word)
        return [p for word in self._by_start.get(letters[:5], ()) if word.startswith(letters)
                for p in self.at[word] if self.words[p] == word]


# Sentence and clause ends become the marks "." and ","; what cannot be in a word, a space.
_MARKS = str.maketrans({
    **{chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "'")},
    **dict.fromkeys(".!?;\n", "."), **dict.fromkeys(",:()\"", ","),
})


# A quote mark at the edge of a word (not an apostrophe inside one): rare, trimmed off.
_EDGE_QUOTE = re.compile(r"'(?:(?![a-z0-9])|(?<![a-z0-9]'))")


_TITLES = ("dr", "mr", "mrs", "ms", "st", "e.g", "i.e")


def _join_initials(lowered: str) -> str:
    """``lowered`` without the full stops that end no sentence: after an initial or a title
    ("J.", "Dr.", "e.g.")."""
    parts = lowered.split(".")
    out = [parts[0]]
    for part in parts[1:]:
        before = out[-1]
        word = before[before.rfind(" ") + 1:]
        if (len(word) == 1 and word.isalpha()) or word in _TITLES:
            out[-1] = before + part
        else:
            out.append(part)
    return ".".join(out)


def _clauses(lowered: str) -> list[list[list[str]]]:
    """The words of ``lowered`` (hyphenated ones split), clause by clause, sentence by sentence."""
    if "." in lowered:
        lowered = _join_initials(lowered)
    if lowered.isascii():
        marked = lowered.translate(_MARKS)
        quoted = "'" in marked and _EDGE_QUOTE.search(marked) is not None
        out = []
        for sentence in marked.split("."):
            clauses = []
            for clause in sentence.split(","):
                tokens = clause.split()
                if quoted:
                    tokens = [t for t in (t.strip("'") for t in tokens) if t]
                if tokens:
                    clauses.append(tokens)
            if clauses:
                out.append(clauses)
        return out
    return [clauses for clauses in ([split_words(c) for c in _CLAUSE.findall(sentence)
                                     if split_words(c)] for sentence in _SENTENCE.findall(lowered))
            if clauses]


PhraseTable = Mapping[str, tuple[tuple[int, tuple[str, ...], str], ...]]


def read(lowered: str, lexicon: Lexicon, wanted: PhraseTable | None = None) -> Reading:
    """``lowered`` (a normalized answer) as units, sentence by sentence, clause by clause.

    ``wanted``: the lexicon's phrases worth finding (those of the concepts that the question's
    exemplars and signals use), under their anchors; all of them when None.
    """
    table = lexicon.phrases if wanted is None else wanted
    keys: list[str] = []
    words: list[str] = []
    negated: list[bool] = []
    sentence_of: list[int] = []
    phrases: list[tuple[str, int, int]] = []  # phrases of the lexicon: concept, start, length
    about = lexicon.about
    key_of = lexicon.key_of
    special = lexicon.special
    anchors = lexicon.anchors
    number = -1
    for number, clauses in enumerate(_clauses(lowered)):
        for tokens in clauses:
            new = set(tokens).difference(key_of)
            if new:
                lexicon.learn(new)
            if not anchors.isdisjoint(tokens):
                _find_phrases(tokens, len(keys), lexicon, table, phrases)
            if special.isdisjoint(tokens):  # no negation: each word is its key, said plainly
                keys.extend(map(key_of.__getitem__, tokens))
                words.extend(tokens)
                negated.extend([False] * len(tokens))
                sentence_of.extend([number] * len(tokens))
                continue
            infos = [about(t) for t in tokens]
            _read_clause(tokens, infos, number, keys, words, negated, sentence_of)
    # Small words are not indexed: a cue is looked up by its longest word (``Cue.anchor``).
    at: defaultdict[str, list[int]] = defaultdict(list)
    for pos, key in enumerate(keys):
        if key not in _UNINDEXED:
            at[key].append(pos)
    for pos, word in enumerate(words):
        if word != keys[pos] and word not in _UNINDEXED:
            at[word].append(pos)
    for concept, pos, _ in phrases:
        at[concept].append(pos)
    return Reading(keys, words, negated, sentence_of, at, number + 1, phrases)


def _find_phrases(tokens: list[str], offset: int, lexicon: Lexicon, table: PhraseTable,
                  phrases: list[tuple[str, int, int]]) -> None:
    """The lexicon's phrases in a clause whose words start at ``offset``."""
    seen, about, anchors = lexicon.seen, lexicon.about, lexicon.anchors
    size = len(tokens)
    for i, token in enumerate(tokens):
        if token not in anchors:
            continue
        for at, phrase, concept in table.get(seen[token][2], ()):
            start = i - at
            if start < 0 or start + len(phrase) > size:
                continue
            for lemma_, word in zip(phrase, tokens[start:start + len(phrase)], strict=True):
                if (seen.get(word) or about(word))[2] != lemma_:
                    break
            else:
                phrases.append((concept, offset + start, len(phrase)))
                break


def _read_clause(tokens: list[str], infos: list[tuple[int, str, str, bool]], number: int,
                 keys: list[str], words: list[str], negated: list[bool],
                 sentence_of: list[int]) -> None:
    """One clause with a negation in it, word by word: what follows it is negated."""
    off = False  # whether a negation earlier in the clause turns the next word around
    i, end = 0, len(tokens)
    while i < end:
        token = tokens[i]
        kind, key, _, _ = infos[i]
        if kind == _CLAUSE_START:
            off = False
        elif kind == _NEGATOR or (token == "rather" and i + 1 < end and tokens[i + 1] == "than"):
            if i + 1 < end and tokens[i + 1] in _NOT_NEGATING:
                key = token  # "not only", "never hesitate": nothing is turned around
            else:
                keys.append(NOT)
                words.append(token)
                negated.append(off)
                sentence_of.append(number)
                off = True
                i += 2 if token == "rather" else 1
                continue
        keys.append(key)
        words.append(token)
        negated.append(off)
        sentence_of.append(number)
        i += 1


# --- cues -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Part:
    """One word of a cue."""

    key: str | None  # the concept or lemma a unit may have ("*": any unit), or None
    word: str  # the word as the cue writes it: a unit may be this word
    begins: bool  # a unit may be a word that begins with ``word``

    def matches(self, reading: Reading, pos: int) -> bool:
        if self.key is not None and (self.key == WILDCARD or reading.keys[pos] == self.key):
            return True
        said = reading.words[pos]
        return said == self.word or (self.begins and said.startswith(self.word))

    def places(self, reading: Reading) -> list[int]:
        """Where in ``reading`` this word may be, in order."""
        if self.word in _UNINDEXED and (self.key is None or self.key in _UNINDEXED):
            return [i for i in range(len(reading.keys)) if self.matches(reading, i)]
        found: list[int] = reading.at.get(self.word, [])
        more: list[int] = []
        if self.key is not None and self.key != self.word:
            more = reading.at.get(self.key, [])
        if self.begins:
            more = more + reading.starting(self.word)
        if not more:
            return found
        return sorted(set(found).union(more)) if found else sorted(set(more))


@dataclass(frozen=True, slots=True)
class Cue:
    """A phrase whose words follow each other in one sentence of the answer."""

    parts: tuple[Part, ...]
    anchor: int = 0  # the part looked up first: the longest word that is not a small word

    def find(self, reading: Reading) -> str | None:
        """The answer's words that say this cue, not negated, or None."""
        size, anchor = len(self.parts), self.anchor
        for found in self.parts[anchor].places(reading):
            pos = found - anchor
            if pos < 0 or pos + size > len(reading.keys) or reading.negated[pos]:
                continue
            if reading.sentence[pos + size - 1] != reading.sentence[pos]:
                continue
            if all(part.matches(reading, pos + k)
                   for k, part in enumerate(self.parts) if k != anchor):
                return " ".join(reading.words[pos:pos + size])
        return None


def compile_cue(text: str, lexicon: Lexicon) -> Cue | None:
    """The cue ``text`` ready to match, or None when it does not start with a word.

    A word in its dictionary form ("listen") matches every form of it and the other words of
    its concept; a word in another form ("listened") matches that form only, so a cue can ask
    for a story told in the past. Either matches longer words it begins when it has five
    letters or more ("advoca": "advocate").
    """
    parts: list[Part] = []
    for i, segment in enumerate(text.lower().split(WILDCARD)):
        if i:
            parts.append(Part(WILDCARD, WILDCARD, False))
        sub = read(segment, lexicon)
        for key, word in zip(sub.keys, sub.words, strict=True):
            if key == NOT or " " in word:
                parts.append(Part(key, word, False))
            elif word in _AS_WRITTEN or lemma(word) != word:
                parts.append(Part(None, word, len(word) >= 5))
            else:
                parts.append(Part(key, word, len(word) >= 5))
    if not parts or parts[0].key == WILDCARD:
        return None
    anchor = max(range(len(parts)), key=lambda k: (
        parts[k].key != WILDCARD and parts[k].word not in _UNINDEXED, len(parts[k].word)))
    return Cue(tuple(parts), anchor)


# --- exemplars and signals -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Exemplar:
    """A way of saying something: the meaningful words it needs in one sentence, each with
    whether it is said negated."""

    needs: tuple[tuple[str, bool], ...]

    def find(self, reading: Reading) -> str | None:
        """The answer's words (from the sentence that says it) or None."""
        if not self.needs:
            return None
        places: dict[int, list[int]] | None = None
        for key, negated in self.needs:
            here: dict[int, list[int]] = {}
            for pos in reading.at.get(key, ()):
                if reading.negated[pos] == negated:
                    here.setdefault(reading.sentence[pos], []).append(pos)
            if places is None:
                places = here
            else:
                places = {s: places[s] + here[s] for s in places.keys() & here.keys()}
            if not places:
                return None
        assert places is not None
        sentence = min(places)
        spots = places[sentence]
        first, last = min(spots), max(spots)
        if reading.negated[first]:  # show the negation it was said with
            while first > 0 and reading.sentence[first - 1] == sentence:
                first -= 1
                if reading.keys[first] == NOT:
                    break
        return " ".join(reading.words[first:last + 1])


def content_words(reading: Reading) -> list[tuple[str, bool]]:
    """The meaningful units of a reading, each with its negation, once each."""
    seen: dict[tuple[str, bool], None] = {}
    inside = {}  # the start of each phrase of the lexicon, and its length
    for concept, pos, size in reading.phrases:
        inside[pos] = (concept, size)
    pos = 0
    while pos < len(reading.keys):
        key, word, negated = reading.keys[pos], reading.words[pos], reading.negated[pos]
        if pos in inside:  # a phrase of the lexicon stands for its concept
            concept, size = inside[pos]
            seen.setdefault((concept, negated), None)
            pos += size
            continue
        if key != NOT and word not in STOP and key not in STOP:
            seen.setdefault((key, negated), None)
        pos += 1
    return list(seen)


def phrases_for(exemplars: Iterable[Exemplar], cues: Iterable[Cue],
                lexicon: Lexicon) -> PhraseTable:
    """The lexicon's phrases of the concepts ``exemplars`` and ``cues`` use, under their
    anchors (a cue word of a concept is said by a phrase of it too: "mutual", "as equals")."""
    concepts = {key for exemplar in exemplars for key, _ in exemplar.needs if key[0] == "@"}
    concepts.update(part.key for cue in cues for part in cue.parts
                    if part.key is not None and part.key[0] == "@")
    table = {anchor: tuple(p for p in found if p[2] in concepts)
             for anchor, found in lexicon.phrases.items()}
    return {anchor: found for anchor, found in table.items() if found}


def compile_exemplar(text: str, lexicon: Lexicon) -> Exemplar:
    # An exemplar is one sentence, however it is punctuated.
    flat = " ".join(_SENTENCE.findall(text.lower()))
    return Exemplar(tuple(content_words(read(flat, lexicon))))
