"""Every pitfall in the bank has signals that hear it, and only it (issue 13, point 2).

- No strong answer in tests/data (strong_answers_*.yaml, new_questions_answers.yaml, the
  development set's strong side) and no example answer of the bank commits any pitfall.
- tests/data/pitfall_answers.yaml holds answers that commit each pitfall, written the way
  candidates say them (not copied from the signals): each is recognised, and every pitfall of
  every question has at least one.
- A pitfall that contradicts no single key point may leave `undoes` out: it is still named,
  and no credit is taken.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.bank import BankError, load_bank
from bot.bank.model import Question
from bot.coaching import give_feedback
from bot.paths import CONTENT_DIR, PROJECT_ROOT

BANK = load_bank(CONTENT_DIR)
DATA = PROJECT_ROOT / "tests" / "data"


def question(qid: str) -> Question:
    found = BANK.get(qid)
    assert found is not None, f"no question {qid}"
    return found


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def strong_answers() -> list[tuple[str, str, str]]:
    """(where, question id, text) of every answer the tests hold up as strong."""
    out: list[tuple[str, str, str]] = []
    for name in ("strong_answers_1.yaml", "strong_answers_2.yaml"):
        for qid, text in _load(DATA / name).items():
            out.append((name, qid, text))
    for qid, entry in _load(DATA / "new_questions_answers.yaml").items():
        for i, text in enumerate(entry.get("strong", ())):
            out.append((f"new_questions_answers.yaml[{i}]", qid, text))
    for i, pair in enumerate(_load(DATA / "coaching_dev" / "pairs.yaml")):
        out.append((f"coaching_dev/pairs.yaml[{i}]", pair["question"], pair["strong"]))
    for qid, text in _load(DATA / "pitfall_heldout.yaml")["strong"].items():
        out.append(("pitfall_heldout.yaml", qid, text))
    for q in BANK.questions:
        out.append(("example_answer", q.id, q.example_answer))
    return out


STRONG = strong_answers()
PITFALL_ANSWERS: dict[str, list[dict[str, Any]]] = _load(DATA / "pitfall_answers.yaml")


def test_every_pitfall_of_the_bank_has_signals() -> None:
    missing = [f"{q.id} pitfall {i}" for q in BANK.questions
               for i, p in enumerate(q.pitfalls, 1)
               if p not in {s.pitfall for s in q.pitfall_signals}]
    assert missing == []


@pytest.mark.parametrize(("where", "qid", "text"), STRONG,
                         ids=[f"{w}:{q}" for w, q, _ in STRONG])
def test_a_strong_answer_commits_no_pitfall(where: str, qid: str, text: str) -> None:
    said = [(p.name, p.evidence) for p in give_feedback(question(qid), text).pitfalls]
    assert said == [], f"{where} {qid} commits {said}"


def test_every_pitfall_has_an_answer_that_commits_it() -> None:
    missing = [f"{q.id} pitfall {i}" for q in BANK.questions
               for i in range(1, len(q.pitfalls) + 1)
               if i not in {a["pitfall"] for a in PITFALL_ANSWERS.get(q.id, ())}]
    assert missing == []


CASES = [(qid, a["pitfall"], a["answer"]) for qid, answers in PITFALL_ANSWERS.items()
         for a in answers]


@pytest.mark.parametrize(("qid", "number", "answer"), CASES,
                         ids=[f"{q}:{n}" for q, n, _ in CASES])
def test_an_answer_that_commits_a_pitfall_is_heard(qid: str, number: int, answer: str) -> None:
    asked = question(qid)
    pitfall = asked.pitfalls[number - 1]
    feedback = give_feedback(asked, answer)
    named = [p for p in feedback.pitfalls if p.pitfall == pitfall]
    assert named, f"not heard: {pitfall!r}; heard {[p.name for p in feedback.pitfalls]}"
    undone = {k.id for k in feedback.key_points if k.covered} & set(named[0].undoes)
    assert not undone, f"still credited {undone}"
    assert any(named[0].name in tip for tip in feedback.tips)


def test_held_out_pitfall_answers_are_heard_no_less_often_than_measured() -> None:
    """Measured, not tuned: answers written after the signals, never used to write them.
    The floor is the count when they were written; raise it when signals improve."""
    held = _load(DATA / "pitfall_heldout.yaml")["pitfall_answers"]
    heard = [f"{qid}:{a['pitfall']}" for qid, answers in held.items() for a in answers
             if question(qid).pitfalls[a["pitfall"] - 1]
             in {p.pitfall for p in give_feedback(question(qid), a["answer"]).pitfalls}]
    assert sum(len(a) for a in held.values()) == 40
    assert len(heard) >= 4, heard


# --- a pitfall that undoes no single point ---------------------------------------------------

def test_a_pitfall_that_undoes_no_point_is_named_and_takes_no_credit() -> None:
    asked = question("pss-05")
    signal = next(s for s in asked.pitfall_signals if s.name == "Identifying details")
    assert signal.undoes == ()
    story = _load(DATA / "strong_answers_1.yaml")["pss-05"]
    plain = give_feedback(asked, story)
    named = give_feedback(asked, story + "\n\nHis full name was Dale Kowalski, and he "
                          "lived on Birch Street by the laundromat.")
    assert [p.name for p in named.pitfalls] == ["Identifying details"]
    assert named.tips[0].startswith("Identifying details: interviewers listen for")
    assert ([k.id for k in named.key_points if k.covered]
            == [k.id for k in plain.key_points if k.covered] != [])


def test_a_signal_without_undoes_loads_and_an_empty_undoes_is_still_reported(tmp_path: Path) -> None:
    text = (CONTENT_DIR / "pss-b.yaml").read_text(encoding="utf-8")
    old = '        undoes: ["evidence"]\n'
    assert old in text
    (tmp_path / "pss-b.yaml").write_text(text.replace(old, "", 1), encoding="utf-8")
    loaded = load_bank(tmp_path).get("pss-13")
    assert loaded is not None
    assert [s.undoes for s in loaded.pitfall_signals
            if s.name == "Adjectives with no evidence"] == [()]
    (tmp_path / "pss-b.yaml").write_text(text.replace(old, "        undoes: []\n", 1),
                                         encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_bank(tmp_path)
    assert any("undoes: must be a key point id" in str(p) for p in caught.value.problems)
