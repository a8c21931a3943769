"""PeerPrep: interview practice for peer support specialists, on Discord and in a terminal."""

__version__ = "0.1.0"
