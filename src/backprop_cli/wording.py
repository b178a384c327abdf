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


#: The optimizer's own settings the summaries name when they differ from their defaults:
#: (training field, symbol, the optimizer that reads it; None: every optimizer).
SETTINGS = (("momentum", "μ", "momentum"), ("beta1", "β1", "adam"), ("beta2", "β2", "adam"),
            ("epsilon", "ε", "adam"), ("l2", "λ", None))


def settings_text(training: object) -> str:
    """``, μ = 0.95, λ = 0.01``: what follows η in the summaries' ``momentum η = 0.3``, the
    settings of ``training`` (a ``TrainingConfig``) that its optimizer reads and that differ from
    their defaults; "" when all are the defaults. λ is named whenever it is not 0: the costs
    reported then include the penalty (λ/2) Σ‖w‖²."""
    from .config import TrainingConfig as defaults  # here: this module is imported without numpy

    optimizer = getattr(training, "optimizer")
    return "".join(f", {symbol} = {getattr(training, name):g}" for name, symbol, used in SETTINGS
                   if used in (None, optimizer) and getattr(training, name) != getattr(defaults, name))
