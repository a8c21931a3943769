"""The question bank: validated YAML questions with topics, key points and example answers."""

from bot.bank.loader import BankError, Problem, load_bank
from bot.bank.model import BANKS, TOPICS, Bank, FollowUp, KeyPoint, Kind, Question

__all__ = [
    "BANKS", "TOPICS", "Bank", "BankError", "FollowUp", "KeyPoint", "Kind", "Problem", "Question",
    "load_bank",
]
