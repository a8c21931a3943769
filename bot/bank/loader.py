"""Load the YAML question bank and validate all of it, reporting every problem at once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.bank.model import (
    BANKS,
    TOPICS,
    Bank,
    FollowUp,
    KeyPoint,
    Kind,
    PitfallSignal,
    Question,
)
from bot.text import word_count

REQUIRED_FIELDS = (
    "id", "prompt", "topic", "kind", "looking_for", "key_points",
    "pitfalls", "example_answer", "follow_ups", "source",
)
OPTIONAL_FIELDS = ("pitfall_signals",)
PITFALL_SIGNAL_FIELDS = ("pitfall", "name", "listen_for", "undoes", "signals")
# `undoes` may be left out when a pitfall contradicts no single key point: it is still named.
PITFALL_SIGNAL_REQUIRED = ("pitfall", "name", "listen_for", "signals")
ID_PREFIX = {"cps": "cps-", "pss": "pss-", "peerprep": "pp-"}
ID_RE = re.compile(r"^[a-z][a-z0-9]*-[0-9]{2,3}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_POINTS = (3, 6)
FOLLOW_UPS = (1, 3)
EXAMPLE_WORDS = (120, 250)
PROMPT_MAX = 400  # fits an embed title-plus-description comfortably


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the bank, located as precisely as the file allows."""

    file: str
    message: str
    question_id: str | None = None
    field: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        what = " ".join(p for p in (self.question_id, self.field) if p)
        return f"{where}: {what + ': ' if what else ''}{self.message}"


class BankError(Exception):
    """The bank could not be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the question bank")

    def report(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class _LineDict(dict[Any, Any]):
    line: int = 0
    key_lines: dict[Any, int]


class _LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings remember the line they start on, and which notes every
    key given twice in one mapping (YAML would silently keep the later value)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[Any, int, int]] = []  # key, its line, first line


# The same loader on libyaml, when PyYAML has it: it reads a bank in a seventh of the time.
# It reads only files the pure-Python reader would accept character by character, and a file
# it refuses is read again by ``_LineLoader``, whose messages content authors see.
_FastLineLoader: Any = None
if yaml.__with_libyaml__:
    class _CLineLoader(yaml.CSafeLoader):
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.duplicate_keys: list[tuple[Any, int, int]] = []

    _FastLineLoader = _CLineLoader


_MERGE_TAG = "tag:yaml.org,2002:merge"


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    first_lines: dict[Any, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
            continue
        key = loader.construct_object(key_node)
        line = key_node.start_mark.line + 1
        if key in first_lines:
            loader.duplicate_keys.append((key, line, first_lines[key]))
        else:
            first_lines[key] = line
    mapping = _LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {
        getattr(key, "value", None): key.start_mark.line + 1 for key, _ in node.value
    }
    return mapping


class _LineList(list[Any]):
    item_lines: list[int]


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _LineList:
    sequence = _LineList(loader.construct_sequence(node, deep=True))
    sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
    return sequence


for _loader in (_LineLoader, _FastLineLoader):
    if _loader is not None:
        _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                _construct_mapping)
        _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
                                _construct_sequence)


def _read_fast(text: str) -> tuple[Any, list[tuple[Any, int, int]]] | None:
    """``text`` read by libyaml: its data and repeated keys, or None to read it the slow way
    (no libyaml, a character the pure-Python reader refuses, or any YAML error)."""
    if _FastLineLoader is None or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    loader = _FastLineLoader(text)
    try:
        return loader.get_single_data(), loader.duplicate_keys
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def bank_files(path: Path) -> list[Path]:
    """The YAML files that make up a bank at ``path`` (a directory or one file), in load order."""
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
    return [path]


def load_bank(path: Path | Iterable[Path]) -> Bank:
    """Load and validate every file; raise ``BankError`` listing all problems found."""
    files = bank_files(path) if isinstance(path, Path) else list(path)
    problems: list[Problem] = []
    if not files:
        raise BankError([Problem(str(path), "no .yaml files found")])
    questions: list[Question] = []
    first_seen: dict[str, str] = {}
    for file in files:
        for qid, line, question in _load_file(file, problems):
            if qid in first_seen:
                problems.append(Problem(
                    str(file), f"duplicate id (first defined in {first_seen[qid]})",
                    qid, "id", line,
                ))
                continue
            first_seen[qid] = str(file)
            if question is not None:
                questions.append(question)
    if problems:
        raise BankError(problems)
    return Bank(tuple(questions))


def _load_file(
    file: Path, problems: list[Problem],
) -> list[tuple[str, int | None, Question | None]]:
    """(id, line, question or None when invalid) for each question of ``file`` that has an id."""
    name = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, f"cannot read file: {exc}"))
        return []
    loader: _LineLoader | None = None
    try:
        fast = _read_fast(text)
        if fast is None:
            loader = _LineLoader(text)  # the reader checks the characters here already
            data, duplicate_keys = loader.get_single_data(), loader.duplicate_keys
        else:
            data, duplicate_keys = fast
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problems.append(Problem(name, f"YAML syntax error: {exc.problem or exc}", line=line))
        return []
    except yaml.YAMLError as exc:
        problems.append(Problem(name, f"YAML error: {exc}"))
        return []
    finally:
        if loader is not None:
            loader.dispose()
    for key, line, first in duplicate_keys:
        problems.append(Problem(
            name, f"given twice in one mapping (first on line {first}); YAML would keep only "
                  f"this later value, so remove one", field=str(key), line=line))
    if not isinstance(data, dict):
        problems.append(Problem(name, "expected a mapping with 'bank' and 'questions'"))
        return []
    unknown = set(data) - {"bank", "questions"}
    if unknown:
        problems.append(Problem(
            name, f"unknown top-level field(s): {', '.join(sorted(map(str, unknown)))}"))
    bank = data.get("bank")
    if bank not in BANKS:
        problems.append(Problem(
            name, f"'bank' must be one of {', '.join(BANKS)} (got {bank!r})", field="bank",
        ))
        bank = None
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.append(Problem(name, "'questions' must be a non-empty list", field="questions"))
        return []
    out = []
    for index, raw in enumerate(raw_questions):
        reader = _QuestionReader(name, index, raw, bank, problems)
        question = reader.read()
        if reader.has_id:
            out.append((reader.qid, reader.line, question))
    return out


_FROM_QUESTION: Any = object()  # ``text()``'s default: read the question's own field
_PATH_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def _line_of(raw: Any, path: str) -> int | None:
    """The line of the deepest part of ``path`` ("key_points[1].cues[0]") found in the YAML:
    the line of a mapping's key or of a list's item."""
    line = None
    node = raw
    for index, key in _PATH_PART.findall(path):
        if index:
            if not isinstance(node, list) or int(index) >= len(node):
                break
            line = getattr(node, "item_lines", [line] * len(node))[int(index)] or line
            node = node[int(index)]
        else:
            if not isinstance(node, dict) or key not in node:
                break
            line = getattr(node, "key_lines", {}).get(key) or line
            node = node[key]
    return line


class _QuestionReader:
    """Validates one question mapping, collecting problems rather than stopping at the first."""

    def __init__(
        self, file: str, index: int, raw: Any, bank: str | None, problems: list[Problem],
    ) -> None:
        self.file, self.raw, self.bank, self.problems = file, raw, bank, problems
        self.line = getattr(raw, "line", None)
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        self.has_id = isinstance(raw_id, str) and bool(raw_id.strip())
        self.qid = str(raw_id).strip() if self.has_id else f"questions[{index}]"
        self.ok = True

    def problem(self, field: str | None, message: str, line: int | None = None) -> None:
        self.ok = False
        if line is None and field is not None:
            line = _line_of(self.raw, field)
        self.problems.append(Problem(self.file, message, self.qid, field, line or self.line))

    def read(self) -> Question | None:
        if not isinstance(self.raw, dict):
            self.problem(None, "each question must be a mapping of fields")
            return None
        for missing in (f for f in REQUIRED_FIELDS if f not in self.raw):
            self.problem(missing, "missing field")
        for extra in sorted(map(str, set(self.raw) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))):
            self.problem(extra, "unknown field (check the spelling)")
        qid = self.text("id")
        if qid and not ID_RE.match(qid):
            self.problem("id", "must look like 'pss-07': lower-case prefix, dash, 2-3 digits")
        elif qid and self.bank and not qid.startswith(ID_PREFIX[self.bank]):
            self.problem("id", f"ids in bank '{self.bank}' start with '{ID_PREFIX[self.bank]}'")
        prompt = self.text("prompt")
        if prompt and len(prompt) > PROMPT_MAX:
            self.problem("prompt", f"too long ({len(prompt)} characters, at most {PROMPT_MAX})")
        topic = self.text("topic")
        if topic and topic not in TOPICS:
            self.problem("topic", f"unknown topic {topic!r}; one of: {', '.join(TOPICS)}")
        kind = self.text("kind")
        if kind and kind not in Kind.__members__.values():
            self.problem("kind", f"unknown kind {kind!r}; one of: {', '.join(Kind)}")
        looking_for = self.text("looking_for")
        example = self.text("example_answer")
        if example:
            count = word_count(example)
            if not EXAMPLE_WORDS[0] <= count <= EXAMPLE_WORDS[1]:
                self.problem("example_answer", f"has {count} word(s); write {EXAMPLE_WORDS[0]}-"
                             f"{EXAMPLE_WORDS[1]}")
        pitfalls = self.text_list("pitfalls")
        source = self.text("source")
        key_points = self.key_points()
        follow_ups = self.follow_ups({p.id for p in key_points})
        signals = self.pitfall_signals(pitfalls, key_points)
        if not self.ok or self.bank is None:
            return None
        return Question(
            id=qid, bank=self.bank, prompt=prompt, topic=topic, kind=Kind(kind),
            looking_for=looking_for, key_points=key_points, pitfalls=pitfalls,
            example_answer=example, follow_ups=follow_ups, source=source,
            pitfall_signals=signals,
        )

    def text(self, field: str, value: Any = _FROM_QUESTION, where: str | None = None) -> str:
        """The text of ``value`` (default: the question's ``field``), reported at ``where``."""
        if value is _FROM_QUESTION:
            if field not in self.raw:
                return ""
            value = self.raw[field]
        if value is None:  # a key left blank in YAML
            self.problem(where or field, "must not be empty")
            return ""
        if not isinstance(value, str):
            self.problem(where or field, f"must be text (got {type(value).__name__})")
            return ""
        if not value.strip():
            self.problem(where or field, "must not be empty")
            return ""
        return " ".join(value.split()) if "\n" not in value.strip() else value.strip()

    def text_list(self, field: str) -> tuple[str, ...]:
        value = self.raw.get(field)
        if field not in self.raw:
            return ()
        if not isinstance(value, list) or not value:
            self.problem(field, "must be a non-empty list")
            return ()
        return tuple(self.text(field, item, f"{field}[{i}]") for i, item in enumerate(value))

    def key_points(self) -> tuple[KeyPoint, ...]:
        value = self.raw.get("key_points")
        if "key_points" not in self.raw:
            return ()
        if not isinstance(value, list):
            self.problem("key_points", "must be a list")
            return ()
        if not KEY_POINTS[0] <= len(value) <= KEY_POINTS[1]:
            self.problem("key_points", f"has {len(value)}; write {KEY_POINTS[0]}-{KEY_POINTS[1]}")
        points, seen = [], set()
        for i, raw in enumerate(value):
            where = f"key_points[{i}]"
            if not isinstance(raw, dict):
                self.problem(where, "must be a mapping with id, label and cues")
                continue
            for extra in sorted(map(str, set(raw) - {"id", "label", "cues", "exemplars"})):
                self.problem(f"{where}.{extra}", "unknown field")
            for missing in (f for f in ("id", "label") if f not in raw):
                self.problem(f"{where}.{missing}", "missing field")
            kp_id = self.text("id", raw["id"], f"{where}.id") if "id" in raw else ""
            if kp_id and not SLUG_RE.match(kp_id):
                self.problem(f"{where}.id", "must be a lower-case slug like 'stay-calm'")
            elif kp_id and kp_id in seen:
                self.problem(f"{where}.id", f"duplicate key point id {kp_id!r}")
            seen.add(kp_id)
            label = self.text("label", raw["label"], f"{where}.label") if "label" in raw else ""
            cues = raw.get("cues")
            exemplars = self.phrasings(raw, "exemplars", where) if "exemplars" in raw else ()
            if not isinstance(cues, list) or not (cues or exemplars):
                self.problem(f"{where}.cues", "a key point needs at least one cue")
                cues = []
            clean = []
            for j, cue in enumerate(cues):
                text = self.text("cues", cue, f"{where}.cues[{j}]")
                if text and text != text.lower():
                    self.problem(f"{where}.cues[{j}]", f"cues are lower case (got {text!r})")
                if text.split()[:1] == ["*"]:
                    self.problem(f"{where}.cues[{j}]",
                                 f"a cue starts with a word, not * (got {text!r})")
                clean.append(" ".join(text.split()))
            points.append(KeyPoint(kp_id, label, tuple(clean), exemplars))
        return tuple(points)

    def follow_ups(self, point_ids: set[str]) -> tuple[FollowUp, ...]:
        """Each follow-up names the key point it probes (``probes``) and what is asked (``ask``)."""
        value = self.raw.get("follow_ups")
        if "follow_ups" not in self.raw:
            return ()
        if not isinstance(value, list) or not value:
            self.problem("follow_ups", "must be a non-empty list")
            return ()
        if len(value) > FOLLOW_UPS[1]:
            self.problem("follow_ups", f"has {len(value)}; write {FOLLOW_UPS[0]}-{FOLLOW_UPS[1]}")
        out = []
        for i, raw in enumerate(value):
            where = f"follow_ups[{i}]"
            if not isinstance(raw, dict):
                self.problem(where, "must be a mapping: 'probes: <key point id>' and "
                                    "'ask: <the question>'")
                continue
            for extra in sorted(map(str, set(raw) - {"probes", "ask"})):
                self.problem(f"{where}.{extra}", "unknown field (a follow-up has probes and ask)")
            for missing in (f for f in ("probes", "ask") if f not in raw):
                self.problem(f"{where}.{missing}", "missing field")
            probes = (self.text("probes", raw["probes"], f"{where}.probes")
                      if "probes" in raw else "")
            if probes and probes not in point_ids:
                known = ", ".join(sorted(p for p in point_ids if p))
                self.problem(f"{where}.probes",
                             f"names no key point of this question ({probes!r}); one of: {known}")
            ask = self.text("ask", raw["ask"], f"{where}.ask") if "ask" in raw else ""
            out.append(FollowUp(probes, ask))
        return tuple(out)

    def phrasings(self, raw: dict[Any, Any], field: str, where: str) -> tuple[str, ...]:
        """An exemplar or signal list: sentences of at least two meaningful words each."""
        from bot.coaching.meaning import STOP, split_words  # the coaching reads them so

        value = raw.get(field)
        if not isinstance(value, list) or not value:
            self.problem(f"{where}.{field}", "must be a non-empty list of phrasings")
            return ()
        out = []
        for j, item in enumerate(value):
            text = self.text(field, item, f"{where}.{field}[{j}]")
            if not text:
                continue
            meaningful = {w for w in split_words(text.lower()) if w not in STOP}
            if len(meaningful) < 2:
                self.problem(f"{where}.{field}[{j}]", "needs at least two meaningful words "
                             f"(not counting I, they, the, would...): {text!r} would match "
                             "almost any answer")
                continue
            out.append(text)
        return tuple(out)

    def pitfall_signals(
        self, pitfalls: tuple[str, ...], points: tuple[KeyPoint, ...],
    ) -> tuple[PitfallSignal, ...]:
        if "pitfall_signals" not in self.raw:
            return ()
        value = self.raw["pitfall_signals"]
        if not isinstance(value, list) or not value:
            self.problem("pitfall_signals", "must be a non-empty list")
            return ()
        point_ids = {p.id for p in points}
        out = []
        for i, raw in enumerate(value):
            where = f"pitfall_signals[{i}]"
            if not isinstance(raw, dict):
                self.problem(where, "must be a mapping with " + ", ".join(PITFALL_SIGNAL_FIELDS))
                continue
            for extra in sorted(map(str, set(raw) - set(PITFALL_SIGNAL_FIELDS))):
                self.problem(f"{where}.{extra}", "unknown field")
            for missing in (f for f in PITFALL_SIGNAL_REQUIRED if f not in raw):
                self.problem(f"{where}.{missing}", "missing field")
            number = raw.get("pitfall")
            if "pitfall" in raw and (isinstance(number, bool) or not isinstance(number, int)
                                     or not 1 <= number <= len(pitfalls)):
                self.problem(f"{where}.pitfall", f"must be the number of one of the question's "
                             f"pitfalls, 1-{len(pitfalls)} (got {number!r})")
                number = None
            name = self.text("name", raw["name"], f"{where}.name") if "name" in raw else ""
            listen_for = (self.text("listen_for", raw["listen_for"], f"{where}.listen_for")
                          if "listen_for" in raw else "")
            raw_undoes = raw.get("undoes")
            if isinstance(raw_undoes, str):
                raw_undoes = [raw_undoes]
            undoes: tuple[str, ...] = ()
            undoes_ok = "undoes" not in raw
            if "undoes" in raw and (not isinstance(raw_undoes, list) or not raw_undoes):
                self.problem(f"{where}.undoes", "must be a key point id or a list of them")
            elif isinstance(raw_undoes, list):
                undoes = tuple(self.text("undoes", u, f"{where}.undoes") for u in raw_undoes)
                undoes_ok = all(undoes)
                for u in undoes:
                    if u and u not in point_ids:
                        self.problem(f"{where}.undoes", f"no key point {u!r} in this question; "
                                     f"one of: {', '.join(sorted(point_ids))}")
            signals = self.phrasings(raw, "signals", where) if "signals" in raw else ()
            if isinstance(number, int) and name and listen_for and undoes_ok and signals:
                out.append(PitfallSignal(pitfalls[number - 1], name, listen_for, undoes, signals))
        return tuple(out)
