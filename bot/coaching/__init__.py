"""Coaching after an answer: key points judged by meaning, pitfalls, unspoken answers, STAR,
length, language, filler words, the safety net."""

from bot.coaching.cues import prepare
from bot.coaching.delivery import Length
from bot.coaching.feedback import (
    EmptyAnswer,
    Feedback,
    KeyPointResult,
    PitfallNote,
    give_feedback,
)
from bot.coaching.language import LanguageNote
from bot.coaching.safety import in_crisis
from bot.coaching.star import Star

__all__ = [
    "EmptyAnswer", "Feedback", "KeyPointResult", "LanguageNote", "Length", "PitfallNote", "Star",
    "give_feedback", "in_crisis", "prepare",
]
