"""Property tests: any text yields feedback or a clear error, never an exception; any YAML
yields a bank or a list of problems, never a crash."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.bank import BankError, load_bank
from bot.coaching import EmptyAnswer, give_feedback, in_crisis
from bot.coaching.language import language_notes
from bot.paths import CONTENT_DIR
from bot.text import replace_unreadable, words

ANSWER_TEXT = st.one_of(
    st.text(max_size=4000),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=600),
    st.lists(st.sampled_from([
        "I", "listen", "client", "@everyone", "**bold**", "`code`", "\u200b", "\u202e", "🙂",
        "don’t", "--", "—", "'", '"', "addict", "I want to die", "988", "safety plan",
        "'); DROP TABLE answers;--", "\n", "kind of", "um", ",", ".", "like,",
    ]), max_size=200).map(" ".join),
)


BANK = load_bank(CONTENT_DIR)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANSWER_TEXT, index=st.integers(min_value=0, max_value=10_000))
def test_coaching_never_raises_anything_but_empty_answer(text: str, index: int):
    question = BANK.questions[index % len(BANK)]
    try:
        feedback = give_feedback(question, text)
    except EmptyAnswer:
        assert not words(text)  # only an answer without a single word is refused
        return
    assert 0 <= feedback.score <= 100
    assert feedback.words > 0
    # In a crisis the guidance is the resources alone: no key points (and no follow-up).
    assert len(feedback.key_points) == (0 if feedback.crisis else len(question.key_points))
    assert feedback.crisis is in_crisis(text)
    assert isinstance(feedback.to_dict(), dict)
    assert isinstance(in_crisis(text), bool)
    assert isinstance(language_notes(text), list)


YAML_TEXT = st.one_of(
    st.text(max_size=500),
    st.lists(st.sampled_from([
        "bank: pss", "questions:", "  - id: pss-01", "    prompt: x", "    topic: rapport",
        "    kind: personal", "    key_points:", "      - {id: a, label: b, cues: [c]}",
        "  - [", "&a", "*a", "!!python/object:os.system", ": :", "\t", "- - -", "'", "{",
    ]), max_size=30).map("\n".join),
)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=YAML_TEXT)
def test_loader_reports_problems_for_any_yaml(tmp_path: Path, text: str):
    (tmp_path / "x.yaml").write_text(text, encoding="utf-8")
    problems: list = []
    try:
        load_bank(tmp_path)
    except BankError as exc:
        problems = exc.problems
    assert all(str(p) for p in problems)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=()), max_size=300))
def test_any_text_made_readable_encodes_and_keeps_its_length(text: str):
    fixed, replaced = replace_unreadable(text)
    fixed.encode("utf-8")  # SQLite, JSON and the terminal accept it
    pairs = len(text) - len(fixed)  # each valid surrogate pair became one character
    assert pairs >= 0 and replaced <= len(text)
    assert replace_unreadable(fixed) == (fixed, 0)
