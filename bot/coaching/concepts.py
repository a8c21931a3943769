"""The concept lexicon: groups of words and phrases that say the same thing in peer work.

It lives in content/concepts.yaml, edited like the question bank (content/README.md says how).
A word or phrase belongs to one concept at most; cues, exemplars and pitfall signals written
with any member of a group match every other member.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.bank.loader import Problem
from bot.coaching.meaning import Lexicon, base, split_words
from bot.paths import PROJECT_ROOT

CONCEPTS_FILE = PROJECT_ROOT / "content" / "concepts.yaml"
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


class _Lines(yaml.SafeLoader):
    """Keeps the line of each concept name and each member."""


def _mapping(loader: _Lines, node: yaml.MappingNode) -> dict[Any, Any]:
    out = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        out[key] = (key_node.start_mark.line + 1, loader.construct_object(value_node, deep=True))
    return out


def _sequence(loader: _Lines, node: yaml.SequenceNode) -> list[Any]:
    return [(item.start_mark.line + 1, loader.construct_object(item, deep=True))
            for item in node.value]


_Lines.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Lines.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def read_concepts(path: Path) -> tuple[dict[str, list[str]], list[Problem]]:
    """The concept groups in ``path`` and every problem with them (file, line, concept, word)."""
    name = str(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Lines)
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [Problem(name, f"cannot read file: {exc}")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return {}, [Problem(name, f"YAML syntax error: {exc.problem or exc}",
                            line=mark.line + 1 if mark else None)]
    problems: list[Problem] = []
    if not isinstance(data, dict) or "concepts" not in data:
        return {}, [Problem(name, "expected a mapping with 'concepts'")]
    line, groups = data["concepts"]
    if not isinstance(groups, dict) or not groups:
        return {}, [Problem(name, "'concepts' must map concept names to lists", line=line)]
    out: dict[str, list[str]] = {}
    owner: dict[tuple[str, ...], str] = {}
    for concept, (line, members) in groups.items():
        if not isinstance(concept, str) or not _NAME.match(concept):
            problems.append(Problem(name, "a concept name is a lower-case slug like 'take-sides'",
                                    str(concept), line=line))
            continue
        if not isinstance(members, list) or len(members) < 2:
            problems.append(Problem(name, "list at least two words or phrases that say the "
                                    "same thing", concept, line=line))
            continue
        out[concept] = []
        for index, (member_line, member) in enumerate(members):
            where = f"[{index}]"
            if not isinstance(member, str) or not member.strip():
                problems.append(Problem(name, "must be a word or phrase", concept, where,
                                        member_line))
                continue
            if member != member.lower():
                problems.append(Problem(name, f"words are lower case (got {member!r})", concept,
                                        where, member_line))
                continue
            lemmas = tuple(base(w) for w in split_words(member))
            if not lemmas:
                problems.append(Problem(name, f"{member!r} has no word in it", concept, where,
                                        member_line))
                continue
            if lemmas in owner and owner[lemmas] != concept:
                problems.append(Problem(name, f"{member!r} is already in concept "
                                        f"{owner[lemmas]!r}: a word belongs to one concept",
                                        concept, where, member_line))
                continue
            owner[lemmas] = concept
            out[concept].append(member)
    return out, problems


@lru_cache(maxsize=8)
def load_lexicon(path: Path = CONCEPTS_FILE) -> Lexicon:
    """The lexicon at ``path``; an empty one when the file is missing (the cues still work)."""
    if not path.exists():
        return Lexicon({}, {})
    groups, _ = read_concepts(path)
    return Lexicon.build(groups)
