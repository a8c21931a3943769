"""Which language an answer is written in: English, or one the safety net also reads.

PeerPrep coaches in English only, but a trainee may write in their first language, most
often Spanish, and a crisis said in Spanish ("quiero morir") must still reach the safety
net. This is a small guess from function words, the short words every sentence of a language
uses ("que", "los", "pero"; "je", "pas"; "ich", "nicht"), counted once each:

- an answer is in the language with the most of its function words, English when it ties;
- a language other than English needs at least one of its words and more than English has.

A mixed answer ("I'm practising, quiero morir") is English here, and the safety net still
reads it in Spanish: ``languages_present`` names every language with any of its words, so
the net runs each language's check it has (bot/coaching/crisis_phrases_other.py).
"""

from __future__ import annotations

from collections.abc import Iterable

ENGLISH = "en"

# The language's name in English, for the note that coaching is English only.
NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese"}

# Function words and a few everyday words, with and without accents. A
# word that is also common English ("me", "he", "no", "a", "die", "will", "as") is left out.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split(" "))


_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and to i i'm i'd i've is of that it my with for was have be this you they what"
        " would don't when we them their about how at so but not can just an are or if do"
        " would've there peer peers"),
    "es": _words(
        "que de la el los las y en un una es por para con yo mi mis te se lo muy pero mas más"
        " estoy quiero tengo todo todos nada ya esta está este como cómo cuando porque sin hay"
        " soy al del su sus le les nunca vida morir aqui aquí también tambien puedo estar"
        " siento persona personas nadie si muero matar matarme vivir suicidarme pastillas"
        " noche hoy ganas aguanto anoche ojala ojalá otra vez volvi volví mañana manana"
        " despierte cortarme cortando quitarme hacerme"),
    "fr": _words(
        "je tu il elle nous vous les des est et une pas ne pour dans avec que qui sur mais"
        " suis veux plus moi mon ma mes c'est j'ai au aux du le très tres être etre personne"
        " mourir vivre"),
    "de": _words(
        "ich und nicht der das ist zu mit mein meine mehr bin habe ein eine sich auch auf dass"
        " noch nur wie kann leben sterben mich mir wir sie ihr ja aber oder wenn"),
    "pt": _words(
        "eu não nao que de um uma é com para por os meu minha mais estou quero tenho ser"
        " muito você voce isso já também tambem nada morrer viver porque sem vida aqui"),
}
_OTHERS = tuple(lang for lang in _WORDS if lang != ENGLISH)
# Every other language's words: most answers have none, and one look tells.
_ANY_OTHER = frozenset().union(*(_WORDS[lang] for lang in _OTHERS))


def has_other_words(vocabulary: set[str] | frozenset[str]) -> bool:
    """Whether any word of a language other than English is among ``vocabulary``."""
    return not _ANY_OTHER.isdisjoint(vocabulary)


def counts(vocabulary: Iterable[str]) -> dict[str, int]:
    """How many of each language's words are among ``vocabulary`` (lower-case words)."""
    words = vocabulary if isinstance(vocabulary, (set, frozenset)) else set(vocabulary)
    return {lang: len(markers.intersection(words)) for lang, markers in _WORDS.items()}


def detect(vocabulary: Iterable[str]) -> str:
    """The answer's language code ("en", "es", ...) from its lower-case words."""
    return pick(counts(vocabulary))


def languages_present(found: dict[str, int]) -> tuple[str, ...]:
    """The languages other than English worth a crisis check: any word of theirs when
    English has fewer, else at least two (one stray "de" or "que" in English is common)."""
    english = found[ENGLISH]
    return tuple(lang for lang in _OTHERS if found[lang] > english or found[lang] >= 2)


def pick(found: dict[str, int]) -> str:
    """The language with the most of its words found; English unless another has more."""
    best = max(_OTHERS, key=lambda lang: found[lang])
    return best if found[best] > found[ENGLISH] else ENGLISH
