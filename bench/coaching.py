"""How well the coaching judges meaning, on the labelled development set in
tests/data/coaching_dev/ (written as candidates speak, not from the bank's cues).

Run: python -m bench.coaching [--verbose]

Targets: strong beats weak in >= 90 % of pairs with a mean margin >= 15 points; every
gaming case <= 40; crisis recall 100 % with <= 1 false alarm in 40; every language case
right with no false flag; STAR >= 90 % of stories read with all four parts right.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

from bot.bank import Bank, load_bank
from bot.coaching import give_feedback, in_crisis
from bot.coaching.answer import Answer
from bot.coaching.language import language_notes
from bot.coaching.star import analyse
from bot.paths import CONTENT_DIR

DEV = Path(__file__).resolve().parent.parent / "tests" / "data" / "coaching_dev"
PARTS = ("situation", "task", "action", "result")
# Crisis sets written to score the safety net. Sets 1 and 2 were held out until round three
# of issue 13 point 4, which tuned on them; set 3 was held out until round four, which tuned
# on it: they are now development sets ("dev (was held out)"). Set 4 was written after round
# four and is held out: nothing is tuned on it.
WAS_HELD_OUT = ("crisis_heldout.yaml", "crisis_heldout2.yaml", "crisis_heldout3.yaml")
HELD_OUT = ("crisis_heldout4.yaml",)


def _load(name: str) -> list[dict[str, Any]]:
    path = DEV / name
    if not path.exists():
        return []
    return list(yaml.safe_load(path.read_text(encoding="utf-8")) or [])


def pairs(bank: Bank) -> dict[str, Any]:
    rows = []
    for case in _load("pairs.yaml"):
        question = bank[case["question"]]
        strong = give_feedback(question, case["strong"]).score
        weak = give_feedback(question, case["weak"]).score
        rows.append((case["question"], strong, weak))
    won = sum(s > w for _, s, w in rows)
    return {"cases": len(rows), "won": won, "accuracy": won / len(rows) if rows else 0.0,
            "margin": sum(s - w for _, s, w in rows) / len(rows) if rows else 0.0,
            "rows": rows}


def gaming(bank: Bank) -> dict[str, Any]:
    rows = [(c["question"], c["kind"], give_feedback(bank[c["question"]], c["answer"]).score)
            for c in _load("gaming.yaml")]
    return {"cases": len(rows), "max": max((s for *_, s in rows), default=0),
            "at_most_40": sum(s <= 40 for *_, s in rows), "rows": rows}


def crisis(name: str = "crisis.yaml") -> dict[str, Any]:
    cases = _load(name)
    said = [(c, in_crisis(c["text"])) for c in cases]
    crises = [fired for c, fired in said if c["crisis"]]
    calm = [fired for c, fired in said if not c["crisis"]]
    return {"cases": len(cases), "crises": len(crises), "recalled": sum(crises),
            "calm": len(calm), "false_alarms": sum(calm),
            "missed": [c["text"] for c, fired in said if c["crisis"] and not fired],
            "alarms": [c["text"] for c, fired in said if not c["crisis"] and fired]}


def language() -> dict[str, Any]:
    hits = flags_expected = false_flags = 0
    wrong = []
    for case in _load("language.yaml"):
        terms = [n.term.lower() for n in language_notes(case["text"])]
        if case["flag"]:
            flags_expected += 1
            if any(case["term"].lower() in term for term in terms):
                hits += 1
            else:
                wrong.append((case["text"], terms))
        elif terms:
            false_flags += 1
            wrong.append((case["text"], terms))
    return {"flag_cases": flags_expected, "hits": hits, "false_flags": false_flags,
            "wrong": wrong}


def star() -> dict[str, Any]:
    cases = _load("star.yaml")
    right = parts_right = 0
    wrong = []
    for case in cases:
        got = analyse(Answer.of(case["text"])).as_dict()
        ok = [got[p] == bool(case[p]) for p in PARTS]
        parts_right += sum(ok)
        if all(ok):
            right += 1
        else:
            wrong.append((case["text"][:60], {p: got[p] for p in PARTS if got[p] != case[p]}))
    return {"cases": len(cases), "right": right,
            "accuracy": right / len(cases) if cases else 0.0,
            "part_accuracy": parts_right / (4 * len(cases)) if cases else 0.0, "wrong": wrong}


def run() -> dict[str, Any]:
    bank = load_bank(CONTENT_DIR)
    return {"pairs": pairs(bank), "gaming": gaming(bank), "crisis": crisis(),
            "was_held_out": [(name, crisis(name)) for name in WAS_HELD_OUT],
            "heldout": [(name, crisis(name)) for name in HELD_OUT],
            "language": language(), "star": star()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="list every case that fails")
    verbose = parser.parse_args().verbose
    r = run()
    p, g, c, lang, s = r["pairs"], r["gaming"], r["crisis"], r["language"], r["star"]
    print(f"pairs:    {p['won']}/{p['cases']} strong > weak ({p['accuracy']:.0%}), "
          f"mean margin {p['margin']:.1f} points (target >= 90 %, >= 15)")
    print(f"gaming:   max score {g['max']}, {g['at_most_40']}/{g['cases']} at most 40 "
          f"(target: all)")
    if c["cases"]:
        print(f"crisis:   recall {c['recalled']}/{c['crises']}, false alarms "
              f"{c['false_alarms']}/{c['calm']} (target: all, <= 1)")
    else:
        print("crisis:   no tests/data/coaching_dev/crisis.yaml yet (written on coach-safety)")
    for name, held in r["was_held_out"]:
        if held["cases"]:
            print(f"  dev (was held out) ({name}): recall {held['recalled']}/{held['crises']}, "
                  f"false alarms {held['false_alarms']}/{held['calm']} (tuned on)")
    for name, held in r["heldout"]:
        if held["cases"]:
            print(f"  held out ({name}): recall {held['recalled']}/{held['crises']}, false alarms "
                  f"{held['false_alarms']}/{held['calm']} (scored, not tuned on)")
    print(f"language: {lang['hits']}/{lang['flag_cases']} flagged, {lang['false_flags']} false "
          f"flag(s) (target: all, 0)")
    print(f"star:     {s['right']}/{s['cases']} stories right ({s['accuracy']:.0%}), "
          f"parts {s['part_accuracy']:.0%} (target >= 90 %)")
    if verbose:
        for qid, strong, weak in p["rows"]:
            mark = "" if strong - weak >= 15 else "  <-- margin"
            print(f"  pair {qid:8} strong {strong:3} weak {weak:3}{mark}")
        for qid, kind, score in g["rows"]:
            if score > 40:
                print(f"  gaming {qid:8} {kind:6} {score}")
        for text in c["missed"]:
            print(f"  crisis missed: {text}")
        for text in c["alarms"]:
            print(f"  crisis false alarm: {text}")
        for name, held in r["was_held_out"] + r["heldout"]:
            for text in held["missed"]:
                print(f"  held out {name} missed: {text}")
            for text in held["alarms"]:
                print(f"  held out {name} false alarm: {text}")
        for text, terms in lang["wrong"]:
            print(f"  language: {text} -> {terms}")
        for text, diff in s["wrong"]:
            print(f"  star: {text}... got {diff}")


if __name__ == "__main__":
    main()
