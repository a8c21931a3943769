"""A process that opens (and so migrates) a fresh database each time it reads a line.

Used by test_storage.py: two of these get each line at the same moment, so both open the same
new file at once. Prints ``ok N`` or ``error N <message>`` per line. Run:
python -m tests.open_race DIRECTORY
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.storage import StorageError, Store


async def open_once(path: Path) -> str:
    try:
        async with Store(path) as store:
            return f"ok {await store.db.version()}"
    except StorageError as exc:
        return f"error {exc}"


def main(directory: Path) -> None:
    print("ready", flush=True)
    for line in sys.stdin:
        print(asyncio.run(open_once(directory / f"{line.strip()}.sqlite3")), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
