"""The question bank's vocabulary: topics, kinds and the Question record."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    BEHAVIORAL = "behavioral"
    SITUATIONAL = "situational"
    KNOWLEDGE = "knowledge"
    PERSONAL = "personal"


TOPICS: dict[str, str] = {
    "role-recovery": "Role and recovery concepts",
    "lived-experience": "Sharing lived experience",
    "rapport": "Rapport and engagement",
    "crisis-safety": "Crisis and safety",
    "ethics-boundaries": "Ethics, boundaries and confidentiality",
    "trauma-informed": "Trauma-informed care",
    "goals-motivation": "Goals, motivation and recovery planning",
    "resources-advocacy": "Resources, referral and advocacy",
    "cultural-humility": "Cultural humility",
    "teamwork-conflict": "Teamwork and conflict",
    "groups": "Groups and facilitation",
    "self-care": "Self-care and supervision",
}

BANKS: dict[str, str] = {
    "cps": "Certified peer specialist questions",
    "pss": "Peer support specialist questions",
    "peerprep": "PeerPrep's own questions",
}


@dataclass(frozen=True, slots=True)
class KeyPoint:
    id: str
    label: str
    cues: tuple[str, ...]
    # Ways a candidate might say the point; one sentence of the answer holding all of an
    # exemplar's meaningful words (or their concepts) makes the point.
    exemplars: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PitfallSignal:
    """How to hear that an answer commits one of the question's pitfalls."""

    pitfall: str  # the pitfall, as the question lists it
    name: str  # a short, kind name for it: "Deciding who was in the wrong"
    listen_for: str  # what interviewers listen for instead: "hearing each side without..."
    # the key points it contradicts: no credit for them when committed; empty when the pitfall
    # contradicts no single point (it is still named in the guidance)
    undoes: tuple[str, ...]
    signals: tuple[str, ...]  # phrasings, read like exemplars


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A question the interviewer may ask next, probing one key point of the question."""

    key_point: str  # the id of the key point it probes
    prompt: str


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    bank: str
    prompt: str
    topic: str
    kind: Kind
    looking_for: str
    key_points: tuple[KeyPoint, ...]
    pitfalls: tuple[str, ...]
    example_answer: str
    follow_ups: tuple[FollowUp, ...]  # most important first
    source: str
    pitfall_signals: tuple[PitfallSignal, ...] = ()

    @property
    def topic_label(self) -> str:
        return TOPICS[self.topic]

    def key_point(self, point_id: str) -> KeyPoint | None:
        return next((p for p in self.key_points if p.id == point_id), None)


@dataclass(frozen=True, slots=True)
class Bank:
    """An ordered, validated collection of questions."""

    questions: tuple[Question, ...]
    _by_id: dict[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {q.id: q for q in self.questions})

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._by_id

    def get(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    def __getitem__(self, question_id: str) -> Question:
        return self._by_id[question_id]

    def select(self, bank: str = "all", topic: str | None = None) -> list[Question]:
        """Questions of one bank (or ``all``), optionally of one topic, in bank order."""
        return [
            q
            for q in self.questions
            if (bank == "all" or q.bank == bank) and (topic is None or q.topic == topic)
        ]

    def count_by_topic(self) -> dict[str, int]:
        counts = dict.fromkeys(TOPICS, 0)
        for q in self.questions:
            counts[q.topic] += 1
        return counts
