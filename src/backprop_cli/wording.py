"""Small helpers for the words of messages (no numpy, cheap to import)."""

from __future__ import annotations


def plural(k: int, word: str, many: str | None = None) -> str:
    """``plural(1, "input")`` is "1 input", ``plural(3, "input")`` "3 inputs"; ``many`` for
    irregular plurals (``plural(2, "entry", "entries")``)."""
    return f"{k:,} {word}" if k == 1 else f"{k:,} {many or word + 's'}"


def optimizer_name(optimizer: str, nesterov: bool) -> str:
    """The optimizer as trained: ``momentum (Nesterov)`` with training.nesterov, else its name."""
    return f"{optimizer} (Nesterov)" if optimizer == "momentum" and nesterov else optimizer


def rate_text(learning_rate: float, schedule: str, final: float | None) -> str:
    """η and where a schedule takes it: ``η = 0.3`` or ``η = 0.3 → 0.0375 (step schedule)``."""
    rate = f"η = {learning_rate:g}"
    if schedule != "constant" and final is not None:
        rate += f" → {final:.3g} ({schedule} schedule)"
    return rate
