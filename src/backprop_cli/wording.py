"""Small helpers for the words of messages (no numpy, cheap to import)."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path


def and_list(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: names joined as a sentence lists them."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def plural(k: int, word: str, many: str | None = None) -> str:
    """``plural(1, "input")`` is "1 input", ``plural(3, "input")`` "3 inputs"; ``many`` for
    irregular plurals (``plural(2, "entry", "entries")``)."""
    return f"{k:,} {word}" if k == 1 else f"{k:,} {many or word + 's'}"


def looks_transposed(l: int | str, rows: int, cols: int) -> str:
    """What a message adds of w^(l) given with the shape of its transpose, cols × rows where w^(l) is
    rows × cols (n_l × n_(l−1)): seed 001's Z = XW keeps W = wᵀ, inputs × outputs. ``l`` a layer's
    number, or "l" where the message does not know it."""
    prev = f"{l - 1}" if isinstance(l, int) else "l−1"
    return (f"this {cols}×{rows} matrix looks transposed (inputs × outputs): w^({l})'s rows are the neurons j of "
            f"layer {l}, its columns the inputs k, from layer {prev} (w_jk); seed 001's W (Z = XW) stores the "
            "transpose")


def one_number_hint(given: tuple[int, ...], expected: tuple[int, ...]) -> str:
    """What a message adds of a plain number (shape (), or a 1-D array of one) given where a 1×1 matrix or a 1-D
    array of one is expected, as a 1-1 layer's w^(l) and b^(l) are (and their gradients): what to wrap it in,
    ``np.array([[v]])`` or ``np.array([v])``, as the (1, 1) bias's ".ravel() it" says what to unwrap; "" otherwise."""
    number = "a plain number" if given == () else "a 1-D array of one number"
    if expected == (1, 1) and given in ((), (1,)):
        return (f": {number} where a 1×1 matrix is expected (w^(l) is (n_l, n_{{l−1}}), a matrix even for one unit "
                f"and one input): {'wrap it as np.array([[v]])' if given == () else '.reshape(1, 1) it'}")
    if expected == (1,) and given == ():
        return f": {number} where a 1-D array of one is expected (b^(l) is (n_l,), 1-D): wrap it as np.array([v])"
    return ""


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


#: (test, what it is) for a mode that is no regular file, as messages name it (model_io, runs.py, plot.py via
#: not_a_file; here, below config and data, which name a broken link of theirs too).
NOT_REGULAR = (
    (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"),
)


def not_a_file(path: Path) -> str | None:
    """What ``path`` is when it is there but no regular file to read: "a folder", "a FIFO (named
    pipe)", "a device", "a socket" (with " (a link to T)" through a symlink), or "a broken link (to T,
    which does not exist)"; None for a regular file or a link to one, and where nothing is there."""
    try:
        link = stat.S_ISLNK(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return None
    to = None
    if link:
        try:
            to = os.readlink(path)
        except OSError:
            to = "?"
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return f"a broken link (to {_chain(path, to)}, which does not exist)" if link else None
    except (OSError, ValueError) as e:  # a loop of links (ELOOP), no permission on the way
        return f"a link that cannot be followed (to {to}: {e.strerror or e})" if link else None
    if stat.S_ISREG(mode):
        return None
    kind = next((what for test, what in NOT_REGULAR if test(mode)), "not a regular file")
    return kind + (f" (a link to {to})" if link else "")


def _chain(path: Path, to: str | None) -> str | None:
    """The links a broken link goes through to the name that is missing: ``mid.py → gone.py`` where its
    target mid.py is a link to gone.py (it said 'to mid.py, which does not exist' of a mid.py that is
    there, a link itself); ``to`` alone where it is not a link."""
    names, at = [to], Path(path).parent / str(to)
    for _ in range(40):  # (a loop of links is ELOOP, not a missing name: never here)
        try:
            if not stat.S_ISLNK(os.lstat(at).st_mode):
                break
            nxt = os.readlink(at)
        except OSError:
            break
        names.append(nxt)
        at = at.parent / nxt
    return " → ".join(str(n) for n in names)
