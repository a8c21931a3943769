"""Feedback laid out for people: titled sections that any front end can print or embed."""

from __future__ import annotations

from dataclasses import dataclass

from bot.bank.model import Question
from bot.coaching.answer_language import NAMES
from bot.coaching.delivery import Length
from bot.coaching.feedback import Feedback
from bot.coaching.language import LanguageNote

LENGTH_WORDS = {Length.TOO_BRIEF: "too brief", Length.GOOD: "about right", Length.TOO_LONG: "trim"}


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    body: str


def crisis_section(resources: tuple[str, ...]) -> Section:
    lines = "\n".join(f"• {r}" for r in resources)
    return Section(
        "You matter more than this practice",
        "It sounds like you may be going through something very hard right now. "
        "You deserve support from a person, today:\n"
        f"{lines}\n"
        "This answer has no score and is not counted anywhere. We can pause the practice "
        "whenever you like, and come back to it when you choose. If you were describing "
        "someone else, carry on with the next question.",
    )


def english_only_section(language: str) -> Section:
    name = NAMES.get(language, "another language")
    return Section(
        "Coaching is in English only",
        f"This answer looks like it is in {name}. PeerPrep reads answers in English only, so "
        "its key points and score may miss what you said. Practising in English gives "
        "you the full guidance.",
    )


def feedback_sections(
    question: Question, feedback: Feedback, crisis_resources: tuple[str, ...],
    *, with_example: bool = False,
) -> list[Section]:
    """The guidance, most important first. When the safety net fires, the resources and the
    offer to pause are the whole guidance: no score, no key points, no delivery notes."""
    if feedback.crisis:
        return [crisis_section(crisis_resources)]
    sections = [Section(f"Score {feedback.score}/100", feedback.summary)]
    if feedback.answer_language != "en":
        sections.append(english_only_section(feedback.answer_language))
    sections.append(Section("What interviewers look for", question.looking_for))
    sections.append(Section(
        f"Key points ({feedback.covered}/{len(feedback.key_points)})",
        "\n".join(("✅ " if k.covered else "⬜ ") + k.label for k in feedback.key_points),
    ))
    if feedback.star is not None:
        star = feedback.star
        marks = "  ".join(("✅ " if ok else "⬜ ") + part.capitalize()
                          for part, ok in star.as_dict().items())
        sections.append(Section("STAR structure", marks))
    minutes, seconds = divmod(feedback.speaking_seconds, 60)
    spoken = f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"
    delivery = [f"{feedback.words} words, about {spoken} spoken: {LENGTH_WORDS[feedback.length]}."]
    if feedback.filler_words:
        delivery.append("Filler words: " + ", ".join(
            f'"{w}" ×{n}' for w, n in sorted(feedback.filler_words.items(), key=lambda i: -i[1])))
    sections.append(Section("Delivery", "\n".join(delivery)))
    if feedback.language:
        sections.append(Section("Recovery-oriented language", "\n".join(
            _language_line(n) for n in feedback.language)))
    if feedback.tips:
        sections.append(Section("Try next", "\n".join(f"• {t}" for t in feedback.tips)))
    if with_example:
        sections.append(Section("An example answer", question.example_answer))
    return sections


def _language_line(note: LanguageNote) -> str:
    if note.self_described:
        return (f'"{note.term}": you may describe yourself as you choose; for the people you '
                f"serve, try: {note.suggestion}.")
    return f'"{note.term}" → {note.suggestion}'


def as_text(sections: list[Section]) -> str:
    return "\n\n".join(f"── {s.title} ──\n{s.body}" for s in sections)
