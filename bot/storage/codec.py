"""Answer text and its feedback, encrypted at rest when ``DATA_ENCRYPTION_KEY`` is set.

The one place that knows the format: repositories seal a value just before it is written
and open it just after it is read, so the SQL stays as it is. A sealed value is text,
``pp1:<key id>:<base64 of nonce + AES-256-GCM ciphertext>``; the column's name is the
associated data, so a text can't pass for a feedback. The key id (8 hex digits of an HMAC of
the key, which reveals nothing of it) tells a wrong key from damaged data. A value without
the prefix is plain text, as stored before encryption was turned on, and is read as it is.

The ``encryption`` table holds one sealed constant: it tells at start-up whether the
database is encrypted and whether the configured key is its key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from typing import Any

from bot.storage.errors import StorageError

PREFIX = "pp1:"
NONCE_BYTES = 12
CHECK_COLUMN = "key_check"
CHECK_PLAIN = "PeerPrep encryption key check"


class EncryptionKeyError(StorageError):
    """The key is missing, wrong, or a sealed value can't be opened; the message says which
    setting to fix. Never holds the key or any answer text."""

    user_message = ("PeerPrep can't read its stored answers just now (an encryption key "
                    "problem). The people who run this bot need to fix it; nothing was "
                    "changed.")


def new_key() -> str:
    """A fresh key for DATA_ENCRYPTION_KEY: 32 random bytes in base64."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


class Codec:
    """Seals and opens answer text and feedback with one key, or passes them through."""

    def __init__(self, key: bytes | None = None) -> None:
        self.use(key)

    def use(self, key: bytes | None) -> None:
        self._aead: Any = None
        self.key_id: str | None = None
        if key is not None:
            # Imported only with a key: without the setting, start-up is as before.
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            self._aead = AESGCM(key)
            self.key_id = hmac.new(key, b"peerprep key id", hashlib.sha256).hexdigest()[:8]

    def __repr__(self) -> str:  # never the key
        return f"Codec(key_id={self.key_id!r})"

    @property
    def enabled(self) -> bool:
        return self._aead is not None

    def seal(self, plain: str | None, column: str) -> str | None:
        if plain is None or self._aead is None:
            return plain
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plain.encode(), column.encode())
        return f"{PREFIX}{self.key_id}:{base64.b64encode(nonce + sealed).decode()}"

    def open(self, stored: str | None, column: str) -> str | None:
        if stored is None or not stored.startswith(PREFIX):
            return stored
        if self._aead is None:
            raise EncryptionKeyError(
                "the database's answers are encrypted: set DATA_ENCRYPTION_KEY to its key")
        key_id, _, body = stored[len(PREFIX):].partition(":")
        if key_id != self.key_id:
            raise EncryptionKeyError(
                "DATA_ENCRYPTION_KEY is not the key this database's answers were encrypted "
                "with")
        from cryptography.exceptions import InvalidTag

        try:
            raw = base64.b64decode(body, validate=True)
            plain = self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], column.encode())
        except (binascii.Error, ValueError, InvalidTag):
            raise EncryptionKeyError(f"an encrypted {column} in the database is damaged "
                                     "and can't be read") from None
        return plain.decode()

    def seal_json(self, value: Any, column: str = "feedback") -> str:
        text = self.seal(json.dumps(value), column)
        assert text is not None
        return text

    def open_json(self, stored: str, column: str = "feedback") -> Any:
        return json.loads(self.open(stored, column) or "null")

    def key_check(self) -> str | None:
        """The sealed constant stored in the ``encryption`` table (None without a key)."""
        return self.seal(CHECK_PLAIN, CHECK_COLUMN)

    def verify(self, stored_check: str) -> None:
        """Raise EncryptionKeyError unless this codec's key sealed ``stored_check``."""
        if self.open(stored_check, CHECK_COLUMN) != CHECK_PLAIN:
            raise EncryptionKeyError("DATA_ENCRYPTION_KEY is not the key this database's "
                                     "answers were encrypted with")
