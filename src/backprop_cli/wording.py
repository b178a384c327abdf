"""Small helpers for the words of messages (no numpy, cheap to import)."""

from __future__ import annotations


def plural(k: int, word: str, many: str | None = None) -> str:
    """``plural(1, "input")`` is "1 input", ``plural(3, "input")`` "3 inputs"; ``many`` for
    irregular plurals (``plural(2, "entry", "entries")``)."""
    return f"{k:,} {word}" if k == 1 else f"{k:,} {many or word + 's'}"
