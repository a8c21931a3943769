"""The loader reports every problem at once, located by file, question id, field and line."""

from pathlib import Path

import pytest

from bot.bank import BankError, load_bank

BROKEN = Path(__file__).parent / "data" / "bank_broken"


@pytest.fixture(scope="module")
def problems() -> list[str]:
    with pytest.raises(BankError) as caught:
        load_bank(BROKEN)
    return [str(p) for p in caught.value.problems]


def has(problems: list[str], *parts: str) -> bool:
    return any(all(part in p for part in parts) for p in problems)


@pytest.mark.parametrize(
    "parts",
    [
        ("a_bad.yaml:4", "pss-90 prompt", "must not be empty"),
        ("pss-90 topic", "unknown topic 'feelings'"),
        ("pss-90 kind", "unknown kind 'hypothetical'"),
        ("pss-90 key_points[0].cues", "at least one cue"),
        ("pss-90 key_points[1].id", "duplicate key point id"),
        ("pss-90 key_points[1].label", "must not be empty"),
        ("pss-90 key_points[1].cues[0]", "lower case"),
        ("pss-90 key_points", "has 2; write 3-6"),
        ("pss-90 example_answer", "has 2 word(s)"),
        ("pss-90 colour", "unknown field"),
        ("pss-91 prompt", "missing field"),
        ("pss-91 example_answer", "missing field"),
        ("b_dup.yaml", "pss-90 id", "start with 'cps-'"),
        ("c_syntax.yaml:5", "YAML syntax error"),
    ],
)
def test_every_problem_is_reported_with_its_place(problems: list[str], parts: tuple[str, ...]):
    assert has(problems, *parts), "\n".join(problems)


def test_duplicate_ids_across_files(tmp_path: Path):
    good = (BROKEN / "b_dup.yaml").read_text().replace("bank: cps", "bank: pss")
    (tmp_path / "one.yaml").write_text(good)
    (tmp_path / "two.yaml").write_text(good)
    with pytest.raises(BankError) as caught:
        load_bank(tmp_path)
    assert has([str(p) for p in caught.value.problems], "two.yaml", "pss-90 id", "duplicate id")


@pytest.mark.parametrize("text", ["", "just a string\n", "- a\n- list\n", "bank: pss\n"])
def test_wrong_shapes_are_problems_not_crashes(tmp_path: Path, text: str):
    (tmp_path / "x.yaml").write_text(text)
    with pytest.raises(BankError) as caught:
        load_bank(tmp_path)
    assert caught.value.problems


def test_empty_directory(tmp_path: Path):
    with pytest.raises(BankError, match="1 problem"):
        load_bank(tmp_path)


def test_binary_file_is_reported(tmp_path: Path):
    (tmp_path / "x.yaml").write_bytes(b"\xff\xfe\x00bank")
    with pytest.raises(BankError) as caught:
        load_bank(tmp_path)
    assert "cannot read file" in str(caught.value.problems[0])
