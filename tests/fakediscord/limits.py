"""Discord's limits on what a bot may send, checked the way Discord checks them: a body over
a limit is refused whole with 400 Invalid Form Body (50035), naming the field that broke it."""

from __future__ import annotations

from typing import Any

ACK_DEADLINE = 3.0  # seconds Discord waits for an interaction's first response

CONTENT = 2000
EMBEDS = 10
EMBED_TOTAL = 6000  # all embeds of one message together
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
ROWS = 5
PER_ROW = 5
CUSTOM_ID = 100
BUTTON_LABEL = 80
MODAL_TITLE = 45
INPUT_LABEL = 45
PLACEHOLDER = 100
INPUT_LENGTH = 4000


class InvalidBody(Exception):
    """A body Discord would refuse; ``where`` is the field's path, e.g. embeds.0.title."""

    def __init__(self, where: str, limit: int, got: int) -> None:
        super().__init__(f"{where}: must be {limit} or fewer in length (got {got})")
        self.where = where
        self.limit = limit

    def errors(self) -> dict[str, Any]:
        """The ``errors`` object of Discord's answer, nested by the field's path."""
        tree: dict[str, Any] = {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH",
                                             "message": f"Must be {self.limit} or fewer in "
                                                        "length."}]}
        for part in reversed(self.where.split(".")):
            tree = {part: tree}
        return tree


def _at_most(where: str, value: Any, limit: int) -> None:
    size = len(value) if value is not None else 0
    if size > limit:
        raise InvalidBody(where, limit, size)


def check_message(body: dict[str, Any]) -> None:
    """A message as sent, edited or given as an interaction response."""
    _at_most("content", body.get("content") or "", CONTENT)
    embeds = body.get("embeds") or []
    _at_most("embeds", embeds, EMBEDS)
    total = 0
    for i, embed in enumerate(embeds):
        where = f"embeds.{i}"
        _at_most(f"{where}.title", embed.get("title"), TITLE)
        _at_most(f"{where}.description", embed.get("description"), DESCRIPTION)
        fields = embed.get("fields") or []
        _at_most(f"{where}.fields", fields, FIELDS)
        for j, field in enumerate(fields):
            _at_most(f"{where}.fields.{j}.name", field.get("name"), FIELD_NAME)
            _at_most(f"{where}.fields.{j}.value", field.get("value"), FIELD_VALUE)
        footer = (embed.get("footer") or {}).get("text")
        author = (embed.get("author") or {}).get("name")
        _at_most(f"{where}.footer.text", footer, FOOTER)
        _at_most(f"{where}.author.name", author, AUTHOR)
        total += sum(len(text or "") for text in (
            embed.get("title"), embed.get("description"), footer, author,
            *(f.get("name") for f in fields), *(f.get("value") for f in fields)))
    if total > EMBED_TOTAL:
        raise InvalidBody("embeds", EMBED_TOTAL, total)
    rows = body.get("components") or []
    _at_most("components", rows, ROWS)
    for i, row in enumerate(rows):
        children = row.get("components") or []
        _at_most(f"components.{i}.components", children, PER_ROW)
        for j, child in enumerate(children):
            where = f"components.{i}.components.{j}"
            _at_most(f"{where}.custom_id", child.get("custom_id"), CUSTOM_ID)
            _at_most(f"{where}.label", child.get("label"), BUTTON_LABEL)


def check_modal(data: dict[str, Any]) -> None:
    """A modal (interaction response type 9): its title, id and text inputs."""
    _at_most("data.title", data.get("title"), MODAL_TITLE)
    _at_most("data.custom_id", data.get("custom_id"), CUSTOM_ID)
    rows = data.get("components") or []
    _at_most("data.components", rows, ROWS)
    for i, row in enumerate(rows):
        # An action row of inputs, or a label holding one ("component"), as discord.py sends.
        children = row.get("components") or ([row["component"]] if "component" in row else [])
        _at_most(f"data.components.{i}.label", row.get("label"), INPUT_LABEL)
        for j, child in enumerate(children):
            where = f"data.components.{i}.components.{j}"
            _at_most(f"{where}.custom_id", child.get("custom_id"), CUSTOM_ID)
            _at_most(f"{where}.label", child.get("label"), INPUT_LABEL)
            _at_most(f"{where}.placeholder", child.get("placeholder"), PLACEHOLDER)
            if int(child.get("max_length") or 0) > INPUT_LENGTH:
                raise InvalidBody(f"{where}.max_length", INPUT_LENGTH, child["max_length"])
