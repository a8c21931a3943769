"""Reading an answer given as bytes (a file, or piped in): which text encoding it is in,
and whether it is text at all.

A byte order mark names its encoding (UTF-8, UTF-16 or UTF-32, either byte order). Without
one, UTF-16 is recognised where it is clear: an even number of bytes with zeros at every
other position, as ASCII letters leave them, and none between. Everything else is read as
UTF-8, bytes that aren't UTF-8 kept as lone surrogates (the readers replace them with U+FFFD
and say how many). A NUL character, or control characters where words should be, mean a
program or an image, not an answer: ``NotText``.
"""

from __future__ import annotations

import codecs
import io
from typing import TextIO

# Longest first: a UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_SAMPLE = 8192  # bytes looked at to tell UTF-16 and binary data


class NotText(ValueError):
    """The bytes are not text in any encoding PeerPrep reads (a program, an image...)."""


def _utf16_without_bom(data: bytes) -> str | None:
    """``data``'s encoding if it is clearly UTF-16 without a byte order mark, else None."""
    sample = data[:_SAMPLE]
    if len(data) < 4 or len(data) % 2:
        return None
    pairs = len(sample) // 2
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    if odd_zeros >= 0.4 * pairs and even_zeros == 0:
        encoding = "utf-16-le"
    elif even_zeros >= 0.4 * pairs and odd_zeros == 0:
        encoding = "utf-16-be"
    else:
        return None
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding


def encoding_of(data: bytes) -> tuple[str, int]:
    """The encoding ``data`` is in, and the length of its byte order mark (0 without)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return _utf16_without_bom(data) or "utf-8", 0


def decode_text(data: bytes) -> str:
    """``data`` as text (see the module's notes); ``NotText`` for binary data."""
    encoding, skip = encoding_of(data)
    text = data[skip:].decode(encoding, "surrogateescape" if encoding == "utf-8" else "replace")
    sample = text[:_SAMPLE]
    controls = sum(1 for c in sample if c < " " and c not in _ALLOWED_CONTROLS)
    unreadable = sum(1 for c in sample if "\udc80" <= c <= "\udcff")
    if "\x00" in sample or controls > 0.02 * len(sample) or unreadable > 0.3 * len(sample):
        raise NotText(encoding)
    return text


class DetectedStdin:
    """Standard input read line by line in the encoding its first bytes show (a byte order
    mark, or clear UTF-16), else as it is (UTF-8, unreadable bytes kept as lone surrogates).

    The bytes are looked at when the first line is asked for, after the first prompt is
    shown: a program that waits for that prompt before typing is not kept waiting.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.inner: TextIO | None = None

    def _detect(self) -> TextIO:
        buffer = getattr(self.stream, "buffer", None)
        peek = getattr(buffer, "peek", None)
        if buffer is None or peek is None or self.stream.isatty():  # a person types UTF-8
            return self.stream
        try:
            head = peek(_SAMPLE)[:_SAMPLE]
        except (OSError, ValueError):
            return self.stream
        encoding, skip = encoding_of(head)
        if encoding == "utf-8":
            if skip:
                buffer.read(skip)  # a UTF-8 byte order mark is no part of the answer
            return self.stream
        buffer.read(skip)
        return io.TextIOWrapper(buffer, encoding=encoding, errors="replace")

    def readline(self) -> str:
        if self.inner is None:
            self.inner = self._detect()
        return self.inner.readline()
