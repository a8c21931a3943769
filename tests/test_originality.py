"""The bank is written in the project's own words: no 10-word run in common with the seed pages.

`data/seed_10word_hashes.txt` holds a 64-bit BLAKE2b hash of every run of ten consecutive
words in the two seed pages (words lower-cased, curly apostrophes straightened), so the check
needs no seed text in the project.
"""

import hashlib
import re
from pathlib import Path

import pytest

from bot.bank import Question, load_bank
from bot.paths import CONTENT_DIR

RUN = 10
HASHES = Path(__file__).parent / "data" / "seed_10word_hashes.txt"


def seed_words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.findall(r"[a-z0-9]+(?:'[a-z0-9]+)*", text)


def run_hash(words: list[str]) -> str:
    return hashlib.blake2b(" ".join(words).encode(), digest_size=8).hexdigest()


def runs(text: str) -> list[tuple[str, str]]:
    w = seed_words(text)
    return [(" ".join(w[i:i + RUN]), run_hash(w[i:i + RUN])) for i in range(len(w) - RUN + 1)]


SEED_HASHES = frozenset(
    line for line in HASHES.read_text().split() if re.fullmatch(r"[0-9a-f]{16}", line)
)


def texts(q: Question) -> dict[str, str]:
    fields = {"prompt": q.prompt, "looking_for": q.looking_for,
              "example_answer": q.example_answer, "source": q.source}
    fields |= {f"pitfalls[{i}]": t for i, t in enumerate(q.pitfalls)}
    fields |= {f"follow_ups[{i}].ask": f.prompt for i, f in enumerate(q.follow_ups)}
    fields |= {f"key_points[{i}].label": k.label for i, k in enumerate(q.key_points)}
    return fields


def test_hash_file_covers_both_seed_pages():
    assert len(SEED_HASHES) > 5000


def test_the_check_catches_a_copied_run():
    sample = "one two three four five six seven eight nine ten eleven"
    known = {h for _, h in runs(sample)}
    assert len(known) == 2
    copied = "Here it is: " + sample.upper().replace("FIVE", "five")
    assert {h for _, h in runs(copied)} & known


@pytest.mark.parametrize("question", list(load_bank(CONTENT_DIR)), ids=lambda q: q.id)
def test_no_ten_word_run_from_the_seeds(question: Question):
    copied = [
        f"{field}: {run!r}"
        for field, text in texts(question).items()
        for run, digest in runs(text)
        if digest in SEED_HASHES
    ]
    assert not copied, "copied from the seed pages:\n" + "\n".join(copied)
