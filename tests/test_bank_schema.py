"""content/schema.json (what editors validate against) and the loader agree.

jsonschema is not a dependency, and for one test it would bring four packages: the schema
uses a dozen keywords, checked here by a small validator that refuses any keyword it doesn't
know (so a new one can't be silently ignored). Every shipped file must pass it, and a table
of broken questions must be refused by both the schema and the loader; the few rules only
the loader applies (the schema's description lists them) are in the table too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.paths import CONTENT_DIR, PROJECT_ROOT
from tests.test_bank_loader import VALID, problems_in

SCHEMA = json.loads((PROJECT_ROOT / "content" / "schema.json").read_text(encoding="utf-8"))
ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs"}
KEYWORDS = {"type", "enum", "required", "properties", "additionalProperties", "items",
            "minItems", "maxItems", "minLength", "maxLength", "pattern", "$ref"}
TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict), "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
}


def errors(value: Any, schema: dict[str, Any], where: str = "") -> list[str]:
    """Why ``value`` does not match ``schema`` (JSON Schema 2020-12, the keywords above)."""
    unknown = set(schema) - KEYWORDS - ANNOTATIONS
    assert not unknown, f"the test's validator doesn't know {unknown}: teach it"
    out: list[str] = []
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        out += errors(value, SCHEMA["$defs"][name], where)
    if "type" in schema and not TYPES[schema["type"]](value):
        return [*out, f"{where}: not {schema['type']}"]
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where}: not one of the enum")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", 1e9):
            out.append(f"{where}: length")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            out.append(f"{where}: pattern")
    if isinstance(value, list):
        if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", 1e9):
            out.append(f"{where}: number of items")
        for i, item in enumerate(value):
            out += errors(item, schema.get("items", {}), f"{where}[{i}]")
    if isinstance(value, dict):
        out += [f"{where}.{k}: required" for k in schema.get("required", []) if k not in value]
        properties = schema.get("properties", {})
        if schema.get("additionalProperties", True) is False:
            out += [f"{where}.{k}: not allowed" for k in value if k not in properties]
        for key, sub in properties.items():
            if key in value:
                out += errors(value[key], sub, f"{where}.{key}")
    return out


@pytest.mark.parametrize("file", sorted(CONTENT_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_file_matches_the_schema(file: Path):
    assert errors(yaml.safe_load(file.read_text(encoding="utf-8")), SCHEMA) == []


def question(data: dict[str, Any]) -> dict[str, Any]:
    return data["questions"][0]


def point(data: dict[str, Any], i: int = 0) -> dict[str, Any]:
    return question(data)["key_points"][i]


BOTH = {  # broken in a way both the schema and the loader refuse
    "unknown bank": lambda d: d.update(bank="nope"),
    "no questions": lambda d: d.update(questions=[]),
    "unknown top-level field": lambda d: d.update(extra=1),
    "id not like pss-07": lambda d: question(d).update(id="PSS-1"),
    "prompt of spaces": lambda d: question(d).update(prompt="   "),
    "prompt left blank": lambda d: question(d).update(prompt=None),
    "prompt too long": lambda d: question(d).update(prompt="x" * 401),
    "unknown topic": lambda d: question(d).update(topic="feelings"),
    "unknown kind": lambda d: question(d).update(kind="hypothetical"),
    "kind as a list": lambda d: question(d).update(kind=["knowledge"]),
    "missing looking_for": lambda d: question(d).pop("looking_for"),
    "unknown question field": lambda d: question(d).update(colour="blue"),
    "source a number": lambda d: question(d).update(source=12),
    "two key points": lambda d: question(d)["key_points"].pop(),
    "seven key points": lambda d: question(d)["key_points"].extend(
        {"id": f"more-{i}", "label": "More", "cues": ["more"]} for i in range(4)),
    "key point label blank": lambda d: point(d).update(label=None),
    "key point label empty": lambda d: point(d).update(label=""),
    "key point label missing": lambda d: point(d).pop("label"),
    "key point id blank": lambda d: point(d).update(id=None),
    "key point id not a slug": lambda d: point(d).update(id="Stay Calm"),
    "key point field unknown": lambda d: point(d).update(weight=2),
    "no cues": lambda d: point(d).update(cues=[]),
    "cue in upper case": lambda d: point(d).update(cues=["Listen"]),
    "cue of spaces": lambda d: point(d).update(cues=["  "]),
    "cue left blank": lambda d: point(d).update(cues=[None]),
    "cue a number": lambda d: point(d).update(cues=[3]),
    "no pitfalls": lambda d: question(d).update(pitfalls=[]),
    "pitfalls as text": lambda d: question(d).update(pitfalls="Giving advice."),
    "empty pitfall": lambda d: question(d).update(pitfalls=[""]),
    "follow-up left blank": lambda d: question(d).update(follow_ups=[None]),
    "follow-up as plain text": lambda d: question(d).update(follow_ups=["What next?"]),
    "follow-up without probes": lambda d: question(d).update(follow_ups=[{"ask": "Why?"}]),
    "follow-up question blank": lambda d: question(d).update(
        follow_ups=[{"probes": "listen", "ask": " "}]),
    "follow-up field unknown": lambda d: question(d)["follow_ups"][0].update(weight=1),
    "four follow-ups": lambda d: question(d).update(
        follow_ups=[{"probes": "listen", "ask": "Why?"}] * 4),
}
LOADER_ONLY = {  # rules the schema can't express (listed in its description)
    "example answer too short": lambda d: question(d).update(example_answer="Too short."),
    "duplicate key point ids": lambda d: point(d, 1).update(id=point(d)["id"]),
    "id of another bank": lambda d: question(d).update(id="cps-01"),
    "follow-up probes an unknown point": lambda d: question(d)["follow_ups"][0].update(
        probes="no-such-point"),
}


@pytest.mark.parametrize("name", [*BOTH, *LOADER_ONLY])
def test_the_schema_and_the_loader_refuse_the_same_questions(tmp_path: Path, name: str):
    data = yaml.safe_load(VALID)
    assert errors(data, SCHEMA) == [] and problems_in(tmp_path, VALID) == []
    (BOTH | LOADER_ONLY)[name](data)
    assert problems_in(tmp_path, yaml.safe_dump(data, sort_keys=False)), "the loader accepts it"
    assert bool(errors(data, SCHEMA)) == (name in BOTH)


def test_keys_given_twice_are_refused_by_the_loader(tmp_path: Path):
    """Parsed YAML keeps one of two equal keys, so no schema can see them: only the loader."""
    twice = VALID.replace("    topic: rapport\n", "    topic: rapport\n    topic: groups\n")
    assert problems_in(tmp_path, twice) == [
        "x.yaml:6: topic: given twice in one mapping (first on line 5); YAML would keep only "
        "this later value, so remove one"]
