"""Turn (question, answer) into observable, explainable guidance: never a verdict on the person."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.bank.model import Kind, PitfallSignal, Question
from bot.coaching import cues, delivery, gaming, language, safety, star
from bot.coaching.answer import Answer
from bot.coaching.delivery import Length
from bot.coaching.language import LanguageNote
from bot.coaching.star import Star
from bot.text import find_words, normalize

# Points out of 100, by what they reward. Content dominates: what was said matters most, and
# the rest (delivery) counts in full only once half the key points are made.
CONTENT, STRUCTURE, LENGTH, LANGUAGE, FILLER = 60, 15, 15, 5, 5


class EmptyAnswer(ValueError):
    """The answer has no words in it."""

    def __init__(self) -> None:
        super().__init__("The answer is empty: write a few sentences, as you would say them.")


@dataclass(frozen=True, slots=True)
class KeyPointResult:
    id: str
    label: str
    covered: bool
    evidence: str | None  # the words of the answer that showed it


@dataclass(frozen=True, slots=True)
class PitfallNote:
    """A pitfall of the question that the answer commits."""

    pitfall: str  # as the question lists it
    name: str  # its short, kind name
    listen_for: str  # what interviewers listen for instead
    undoes: tuple[str, ...]  # the key points it took the credit of
    evidence: str  # the words of the answer that showed it

    def tip(self) -> str:
        return f"{self.name}: interviewers listen for {self.listen_for}."


@dataclass(frozen=True, slots=True)
class Feedback:
    question_id: str
    score: int
    summary: str
    key_points: tuple[KeyPointResult, ...]
    star: Star | None
    words: int
    speaking_seconds: int
    length: Length
    language: tuple[LanguageNote, ...]
    filler_words: dict[str, int]
    crisis: bool
    tips: tuple[str, ...]
    pitfalls: tuple[PitfallNote, ...] = ()
    unspoken: str | None = None  # why it is not a spoken answer (gaming.Unspoken), if it isn't
    # A crisis answer is not scored: ``score`` is 0 and counts nowhere (see the crisis branch).
    scored: bool = True
    # The answer's language as detected ("en", "es", ...): coaching reads English only.
    answer_language: str = "en"

    @property
    def covered(self) -> int:
        return sum(k.covered for k in self.key_points)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "score": self.score if self.scored else None,
            "scored": self.scored,
            "summary": self.summary,
            "key_points": [
                {"id": k.id, "label": k.label, "covered": k.covered, "evidence": k.evidence}
                for k in self.key_points
            ],
            "star": self.star.as_dict() if self.star else None,
            "action_share": self.star.action_share if self.star else None,
            "words": self.words,
            "speaking_seconds": self.speaking_seconds,
            "length": str(self.length),
            "language": [{"term": n.term, "suggestion": n.suggestion,
                          "self_described": n.self_described} for n in self.language],
            "filler_words": dict(self.filler_words),
            "crisis": self.crisis,
            "tips": list(self.tips),
            "pitfalls": [{"pitfall": p.pitfall, "name": p.name, "listen_for": p.listen_for,
                          "undoes": list(p.undoes), "evidence": p.evidence}
                         for p in self.pitfalls],
            "unspoken": self.unspoken,
            "answer_language": self.answer_language,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Feedback:
        """Feedback as stored with an answer (the inverse of ``to_dict``)."""
        raw_star = data.get("star")
        return cls(
            question_id=data["question_id"],
            score=int(data["score"] or 0),
            summary=data["summary"],
            key_points=tuple(
                KeyPointResult(k["id"], k["label"], bool(k["covered"]), k.get("evidence"))
                for k in data["key_points"]
            ),
            star=Star(**raw_star, action_share=float(data.get("action_share", 0.0)))
            if raw_star else None,
            words=int(data["words"]),
            speaking_seconds=int(data["speaking_seconds"]),
            length=Length(data["length"]),
            language=tuple(LanguageNote(n["term"], n["suggestion"],
                                        bool(n.get("self_described", False)))
                           for n in data["language"]),
            filler_words={str(k): int(v) for k, v in data["filler_words"].items()},
            crisis=bool(data["crisis"]),
            tips=tuple(data.get("tips", ())),
            pitfalls=tuple(PitfallNote(p["pitfall"], p["name"], p["listen_for"],
                                       tuple(p["undoes"]), p["evidence"])
                           for p in data.get("pitfalls", ())),
            unspoken=data.get("unspoken"),
            scored=bool(data.get("scored", data["score"] is not None)),
            answer_language=str(data.get("answer_language", "en")),
        )


def give_feedback(question: Question, written: str) -> Feedback:
    """Guidance on the answer ``written`` to ``question``. Raises ``EmptyAnswer`` for an
    answer of no words."""
    answer = Answer.of(written)
    words = len(answer.words)
    if words == 0:
        raise EmptyAnswer
    safe = safety.check(answer.lowered, normalized=True, vocabulary=answer.vocabulary)
    if safe.crisis:
        return _crisis_feedback(question, words, safe.language)
    reading = cues.reading_of(answer.lowered, question)
    pitfalls = tuple(PitfallNote(s.pitfall, s.name, s.listen_for, s.undoes, found)
                     for s, found in cues.committed(question, reading))
    points = tuple(
        KeyPointResult(point.id, point.label, found is not None, found)
        for point, found in cues.cover(question, reading, _signals(question, pitfalls))
    )
    structure = star.analyse(answer) if question.kind is Kind.BEHAVIORAL else None
    band = delivery.length_band(words, question.kind)
    notes = tuple(language.notes(answer))
    fillers = delivery.filler_counts(answer)
    unspoken = gaming.unspoken(answer, _prompt_words(question))

    covered = sum(p.covered for p in points)
    polish = (
        _structure_points(question.kind, structure, answer.lowered)
        + _length_points(words, band, question.kind)
        # The writer's own words for themselves cost nothing: people describe themselves.
        + max(0, LANGUAGE - 2 * sum(not n.self_described for n in notes))
        + max(0, FILLER - max(0, sum(fillers.values()) - 2))
    )
    weight = _delivery_weight(covered, len(points))
    score = round(CONTENT * covered / len(points) + polish * weight)
    score = max(0, min(100, score))
    if unspoken is not None:
        score = min(score, gaming.CAP)
    tips = tuple(_tips(points, structure, band, notes, fillers, question.kind, pitfalls,
                       unspoken))
    return Feedback(
        question_id=question.id,
        score=score,
        summary=_summary(score, covered, len(points), tips),
        key_points=points,
        star=structure,
        words=words,
        speaking_seconds=delivery.speaking_seconds(words),
        length=band,
        language=notes,
        filler_words=fillers,
        crisis=False,
        tips=tips,
        pitfalls=pitfalls,
        unspoken=None if unspoken is None else str(unspoken),
        answer_language=safe.language,
    )


def _crisis_feedback(question: Question, words: int, answer_language: str) -> Feedback:
    """In a crisis the guidance is the resources and the offer to pause (render.py): no
    score, no key points, no delivery notes, and the answer counts in no average."""
    return Feedback(
        question_id=question.id,
        score=0,
        summary="No score for this answer: it is not counted anywhere.",
        key_points=(),
        star=None,
        words=words,
        speaking_seconds=delivery.speaking_seconds(words),
        length=delivery.length_band(words, question.kind),
        language=(),
        filler_words={},
        crisis=True,
        tips=(),
        scored=False,
        answer_language=answer_language,
    )


def _signals(question: Question, notes: tuple[PitfallNote, ...]) -> list[PitfallSignal]:
    said = {(n.pitfall, n.undoes) for n in notes}
    return [s for s in question.pitfall_signals if (s.pitfall, s.undoes) in said]


def _prompt_words(question: Question) -> frozenset[str]:
    return _words_of(question.prompt)


@lru_cache(maxsize=4096)
def _words_of(prompt: str) -> frozenset[str]:
    return frozenset(find_words(normalize(prompt)))


def _delivery_weight(covered: int, total: int) -> float:
    """How much of the delivery points (structure, length, language, fillers) count.

    Delivery polishes content: it counts in full once half the key points are made and
    shrinks toward a fifth below that, so a fluent, well-shaped answer that makes no point
    (boilerplate, or a story about something else) stays a weak answer.
    """
    return 0.2 + 0.8 * min(1.0, 2 * covered / total)


def _structure_points(kind: Kind, structure: Star | None, lowered: str) -> float:
    if structure is not None:
        return STRUCTURE * structure.parts / 4
    # Outside stories, reward speaking to what *you* would do or understand, in a few sentences.
    sentences = star.full_sentences(lowered, enough=3)
    if kind is Kind.KNOWLEDGE:
        return STRUCTURE * min(1.0, sentences / 3)
    return STRUCTURE * min(1.0, sentences / 3) * (1.0 if _says_i_twice(lowered) else 0.6)


def _says_i_twice(lowered: str) -> bool:
    """Whether "i " starts ``lowered`` or " i " and "i'd " are in it two times in all (counted
    as ``str.count`` does), looking no further than the second."""
    times = int(lowered.startswith("i "))
    for word in (" i ", "i'd "):
        at = lowered.find(word)
        while at != -1:
            times += 1
            if times == 2:
                return True
            at = lowered.find(word, at + len(word))
    return False


def _length_points(words: int, band: Length, kind: Kind) -> float:
    low, _ = delivery.band_limits(kind)
    if band is Length.TOO_BRIEF:
        return LENGTH * words / low
    return LENGTH if band is Length.GOOD else LENGTH * 0.5


def _tips(
    points: tuple[KeyPointResult, ...],
    structure: Star | None,
    band: Length,
    notes: tuple[LanguageNote, ...],
    fillers: dict[str, int],
    kind: Kind,
    pitfalls: tuple[PitfallNote, ...] = (),
    unspoken: gaming.Unspoken | None = None,
) -> list[str]:
    """The most useful next steps, most important first."""
    tips = [gaming.TIPS[unspoken]] if unspoken is not None else []
    tips.extend(p.tip() for p in pitfalls)
    undone = {point for p in pitfalls for point in p.undoes}
    missed = [p.label for p in points if not p.covered and p.id not in undone]
    if missed:
        tips.append(f"Add: {missed[0][0].lower()}{missed[0][1:]}."
                    if len(missed) == 1 else f"Cover {len(missed)} more points, starting with: "
                    f"{missed[0][0].lower()}{missed[0][1:]}.")
    if structure is not None:
        gone = structure.missing()
        if gone:
            tips.append("Give your story its missing STAR part" + ("s" if len(gone) > 1 else "")
                        + ": " + ", ".join(g.capitalize() for g in gone) + ".")
        elif structure.action_share < 0.3:
            tips.append("Spend more of the story on what you did: the Action carries the answer.")
    low, high = delivery.band_limits(kind)
    if band is Length.TOO_BRIEF:
        tips.append(f"Say more: aim for {low}-{high} words (about "
                    f"{delivery.speaking_seconds(low)} s to {delivery.speaking_seconds(high)} s).")
    elif band is Length.TOO_LONG:
        tips.append(f"Trim to under {high} words: keep one example and your key points.")
    about_others = [n for n in notes if not n.self_described]
    if about_others:
        tips.append(f'Try "{about_others[0].suggestion}" instead of "{about_others[0].term}".')
    if sum(fillers.values()) > 2:
        worst = sorted(fillers, key=lambda f: (-fillers[f], f))[:3]
        counts = ", ".join(f'"{f}" {fillers[f]}x' for f in worst)
        tips.append(f"Cut filler words ({counts}); a pause sounds confident.")
    return tips


def _summary(score: int, covered: int, total: int, tips: tuple[str, ...]) -> str:
    if score >= 85:
        opening = "Strong answer"
    elif score >= 70:
        opening = "Solid answer"
    elif score >= 50:
        opening = "A fair start"
    else:
        opening = "Needs more substance"
    next_step = f" Next: {tips[0]}" if tips else " Nothing major to change."
    return f"{opening}: {covered} of {total} key points.{next_step}"
