"""Answers typed in the terminal that could not be saved, kept in files until they are.

When the database refuses an answer (busy, full, read-only, damaged) or another window has
taken the interview over, the text is not thrown away: it goes into a file of its own under
``DATA_DIR/recovery/`` (the folder 0700, the file 0600: only its owner can read it), and the
next ``practice`` under the same name offers to submit it. A file is removed once its answer
is stored, or when its writer says to discard it.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.clock import from_text, to_text, utcnow

FOLDER = "recovery"


@dataclass(frozen=True, slots=True)
class KeptAnswer:
    user: str
    question_id: str
    text: str
    written_at: datetime
    interview_id: int | None = None
    position: int | None = None
    token: str = ""  # unique per answer: its file's name and its submission key
    path: Path | None = None

    @property
    def key(self) -> str:
        """The submission key a recovered answer is stored under, so submitting it twice
        (two windows offered it at once) stores it once."""
        return f"recovered:{self.token}"


class RecoveryBox:
    """The recovery folder under ``data_dir``."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / FOLDER

    def keep(self, user: str, question_id: str, text: str, *, interview_id: int | None = None,
             position: int | None = None) -> Path:
        """Write the answer to a new file readable only by its owner; its path. Raises
        ``OSError`` when it can't be written (the caller then shows the text instead)."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        token = secrets.token_hex(8)
        now = utcnow()
        path = self.folder / f"answer-{now:%Y%m%d-%H%M%S}-{token}.json"
        record = {"user": user, "question_id": question_id, "text": text,
                  "written_at": to_text(now), "interview_id": interview_id,
                  "position": position, "token": token}
        data = json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                fd = -1
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            if fd >= 0:
                os.close(fd)
            path.unlink(missing_ok=True)
            raise
        return path

    def pending(self, user: str) -> list[KeptAnswer]:
        """``user``'s kept answers, oldest first (files that can't be read are left alone)."""
        try:
            paths = sorted(self.folder.glob("answer-*.json"))
        except OSError:
            return []
        kept = []
        for path in paths:
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
                if record.get("user") != user:
                    continue
                kept.append(KeptAnswer(
                    user=record["user"], question_id=str(record["question_id"]),
                    text=str(record["text"]), written_at=from_text(record["written_at"]),
                    interview_id=record.get("interview_id"), position=record.get("position"),
                    token=str(record["token"]), path=path))
            except (OSError, ValueError, KeyError, TypeError):
                continue
        return kept

    def discard(self, kept: KeptAnswer) -> None:
        if kept.path is not None:
            kept.path.unlink(missing_ok=True)

