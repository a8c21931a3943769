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
        # Blank values are empty, not "read the question's field instead".
        ("d_blank.yaml:11:", "pss-92 key_points[0].label", "must not be empty"),
        ("d_blank.yaml:13:", "pss-92 key_points[1].id", "must not be empty"),
        ("d_blank.yaml:16:", "pss-92 key_points[2].id", "missing field"),
        # A key given twice is a problem on the later line, not a silent overwrite.
        ("d_blank.yaml:5:", "prompt", "given twice", "first on line 4"),
        ("d_blank.yaml:19:", "id", "given twice", "first on line 18"),
        # Problems inside a key point are on its own lines, not on the key_points: line.
        ("d_blank.yaml:23:", "pss-92 key_points[3].cues[1]", "must not be empty"),
        ("d_blank.yaml:24:", "pss-92 key_points[3].cues[2]", "lower case"),
        ("a_bad.yaml:13:", "pss-90 key_points[1].label", "must not be empty"),
        ("a_bad.yaml:14:", "pss-90 key_points[1].cues[0]", "lower case"),
    ],
)
def test_every_problem_is_reported_with_its_place(problems: list[str], parts: tuple[str, ...]):
    assert has(problems, *parts), "\n".join(problems)


EXAMPLE = " ".join(["listen"] * 130)
VALID = f"""\
bank: pss
questions:
  - id: pss-01
    prompt: What would you do first with a new person?
    topic: rapport
    kind: situational
    looking_for: Listening first.
    key_points:
      - id: listen
        label: Listen first
        cues: [listen, "hear them"]
      - id: ask
        label: Ask what they want
        cues: [ask]
      - id: respect
        label: Respect their choice
        cues: [choice, respect]
    pitfalls: [Giving advice.]
    example_answer: {EXAMPLE}
    follow_ups:
      - probes: ask
        ask: "What if they don't talk?"
    source: test
"""


def problems_in(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "x.yaml").write_text(text)
    try:
        load_bank(tmp_path)
    except BankError as exc:
        return [str(p).replace(str(tmp_path / "x.yaml"), "x.yaml") for p in exc.problems]
    return []


@pytest.mark.parametrize(("line", "blank"), [
    ("        label: Listen first", "        label:"),
    ("      - id: listen", "      - id:"),
])
def test_a_blank_key_point_field_is_refused_on_its_line(tmp_path: Path, line: str, blank: str):
    """Before, a blank label loaded as '' and a blank id silently became the question's id."""
    assert problems_in(tmp_path, VALID) == []
    number = VALID.splitlines().index(line) + 1
    field = blank.split()[-1].rstrip(":")
    assert problems_in(tmp_path, VALID.replace(line, blank)) == [
        f"x.yaml:{number}: pss-01 key_points[0].{field}: must not be empty"]


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


def test_a_follow_up_names_a_key_point_of_its_question(tmp_path: Path):
    """``content check`` says which follow-up names an unknown point: file, line, id, field."""
    line = "      - probes: ask"
    number = VALID.splitlines().index(line) + 1
    assert problems_in(tmp_path, VALID.replace(line, "      - probes: asking")) == [
        f"x.yaml:{number}: pss-01 follow_ups[0].probes: names no key point of this question "
        f"('asking'); one of: ask, listen, respect"]


def test_a_follow_up_written_the_old_way_says_how_to_write_it(tmp_path: Path):
    old = VALID.replace('      - probes: ask\n        ask: "What if they don\'t talk?"',
                        '      - What if they don\'t talk?')
    assert old != VALID
    [problem] = problems_in(tmp_path, old)
    assert "follow_ups[0]" in problem and "probes: <key point id>" in problem


def test_follow_ups_load_with_their_key_point(tmp_path: Path):
    (tmp_path / "x.yaml").write_text(VALID)
    [question] = load_bank(tmp_path)
    assert [(f.key_point, f.prompt) for f in question.follow_ups] == [
        ("ask", "What if they don't talk?")]


def _with_lines(data: object) -> object:
    """``data`` with the lines the loader noted, to compare two readings of one file."""
    if isinstance(data, dict):
        return (getattr(data, "line", None), getattr(data, "key_lines", None),
                {k: _with_lines(v) for k, v in data.items()})
    if isinstance(data, list):
        return (getattr(data, "item_lines", None), [_with_lines(v) for v in data])
    return data


def test_libyaml_reads_the_bank_as_the_python_reader_does():
    """The bank is read with libyaml when PyYAML has it; the data, the lines and the repeated
    keys must be what the pure-Python reader (whose error messages authors see) gives."""
    from bot.bank import loader
    from bot.paths import CONTENT_DIR

    if loader._FastLineLoader is None:
        pytest.skip("PyYAML without libyaml")
    texts = [f.read_text(encoding="utf-8") for f in loader.bank_files(CONTENT_DIR)]
    texts.append("bank: peerprep\nquestions:\n  - id: a\n    id: b\n")  # a repeated key
    for text in texts:
        fast = loader._read_fast(text)
        assert fast is not None
        slow = loader._LineLoader(text)
        assert _with_lines(fast[0]) == _with_lines(slow.get_single_data())
        assert fast[1] == slow.duplicate_keys
    for bad in ("questions: [\n", "a: \x07\n", "\tbank: x\n"):  # read again the slow way
        assert loader._read_fast(bad) is None
