"""backprop-cli: train, gradient-check and explain backpropagation in fully-connected networks.

The Python API (the README's "Python API" section)::

    from backprop_cli import Network, check_gradients, load_model
    net = Network([2, 3, 1], activation="sigmoid", cost="squared_error", seed=0)
    net.predict(X); net.cost(X, Y); dw, db = net.gradients(X, Y)  # X (n_samples, n_inputs)
    report = check_gradients(net, X, Y)      # report.passed, report.tensors
    saved = load_model("runs/iris/model.npz")  # what `backprop train --out` saved
    saved.predict(X)                          # its standardization applied, as `backprop predict` does

These three are imported lazily, so that the command line starts without loading numpy.
More in ``backprop_cli.training`` (``Trainer``, ``train``), ``backprop_cli.data`` (``Dataset``),
``backprop_cli.config`` (``load_config``), ``backprop_cli.experiment`` (``prepare``) and
``backprop_cli.errors`` (the exceptions; bad input is a ValueError too)::

    from backprop_cli.data import Dataset
    from backprop_cli.training import train
    from backprop_cli.model_io import save_model
    ds = Dataset(X, Y, task="classification", class_names=("0", "1"))   # Y: one 0/1 column or one-hot rows
    result = train(net, ds, None, learning_rate=1.0, epochs=1000, batch_size=2, shuffle=True,
                   rng=np.random.default_rng(0))          # result.train_cost, result.history
    save_model("xor.npz", net, class_names=ds.class_names)   # no config: trained on arrays (evaluate: --data FILE.csv)

Explain and gradcheck from Python, results as data::

    from backprop_cli.explain import explain_layer, explain_all_layers
    from backprop_cli.gradcheck import numeric_gradients
    from backprop_cli.render.explain import to_json
    ex = explain_layer(net, x, y, layer="L")   # one example; ex.status, ex.weight_gradients.dw
    to_json(explain_all_layers(net, x, y))     # the dict `backprop explain --format json` prints
    nw, nb = numeric_gradients(net, X, Y)      # central differences, shaped like net.gradients(X, Y)
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what a type checker (mypy, pyright) sees; at run time __getattr__ imports them
    from .gradcheck import check_gradients
    from .model_io import load_model
    from .network import Network

__all__ = ["Network", "check_gradients", "load_model"]
__version__ = "0.1.0"

INTERRUPTED_EXIT = 128 + 2  # a shell's code for a process ended by Ctrl-C (SIGINT)


def run() -> None:
    """The ``backprop`` console script and ``python -m backprop_cli``: the CLI (``cli.main``),
    imported here so that a Ctrl-C while it loads (typer and rich take ~0.15 s) ends with one
    line and exit 130, not a traceback. (Inside a command typer turns Ctrl-C into exit 130
    itself, and ``train`` saves a checkpoint first. Only a Ctrl-C in Python's own first
    ~30 ms, before this function runs, can still print a traceback.)"""
    _say_terminated()
    _refuse_closed_stdout(sys.argv[1:])
    try:
        _plain_text_where_unicode_cannot_go()
        from .cli import main

        main()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(INTERRUPTED_EXIT) from None


def _out_value(words: list[str]) -> str | None:
    """The value of the last ``--out``/``-o`` in ``words`` (click takes the last one given), or None."""
    value = None
    for i, w in enumerate(words):
        if w in ("--out", "-o"):
            value = words[i + 1] if i + 1 < len(words) else None
        elif w.startswith("--out="):
            value = w[len("--out="):]
        elif w.startswith("-o") and not w.startswith("--"):
            value = w[2:]
    return value


def _stdout_needed(args: list[str]) -> bool:
    """Whether the command ``args`` writes its results to standard output: every one but ``plot``
    (PNG files), ``init NAME`` (a config file; ``init -`` prints it), ``predict … --out FILE`` and
    ``train … --out DIR`` without ``--json`` (its results are the run folder's files; the progress
    and summary it prints are lost, as they were before)."""
    words = args[:args.index("--")] if "--" in args else args
    command = next((w for w in words if not w.startswith("-")), None)
    if command == "plot":
        return "--help" in words
    if command == "init":
        return "-" in words or "--help" in words
    if command == "predict" and "--help" not in words:
        value = _out_value(words)
        return value is None or value == "-"
    if command == "train" and "--help" not in words and "--json" not in words:
        return _out_value(words) is None
    return True


def _refuse_closed_stdout(args: list[str]) -> None:
    """A closed standard output (``backprop predict m.npz rows.csv >&-``: Python's sys.stdout is
    None, or file descriptor 1 is not open) for a command whose results go there: one error line
    and exit 2 before any work, as when it cannot be written (``> /dev/full``). Its output went
    nowhere with exit 0."""
    if not _stdout_closed() or not _stdout_needed(args):
        return
    if sys.stderr is not None:
        try:
            instead = ", or give predict --out FILE" if next((w for w in args if not w.startswith("-")), None) == "predict" else ""
            sys.stderr.write("error: <stdout>: cannot write: it is closed (>&-); send the output to a file "
                             f"(> out.txt), or to /dev/null to discard it{instead}\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
    raise SystemExit(2)


def _stdout_closed() -> bool:
    """No sys.stdout (Python found file descriptor 1 closed at start), or a sys.stdout on
    descriptor 1 that is not open."""
    if sys.stdout is None:
        return True
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # a stream without a descriptor (an embedding program's)
        return False
    return fd == 1 and not _fd_open(1)


def _fd_open(fd: int) -> bool:
    import os

    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def _say_terminated() -> None:
    """SIGTERM (``kill``, ``timeout``) outside a training run (which checkpoints first, then
    exits 143 itself): the word ``terminated`` and exit 143, as Ctrl-C says ``interrupted``;
    it ended the process with nothing said (during start-up, reading the data, gradcheck)."""
    import signal

    from .errors import SignalExit  # now: not imported inside the handler, mid-way through other code

    def terminated(signum: int, frame: Any) -> None:
        sys.stderr.write("terminated\n")
        raise SignalExit(128 + signum)

    try:
        signal.signal(signal.SIGTERM, terminated)
    except (AttributeError, ValueError, OSError):  # no SIGTERM, or not the main thread
        pass


#: An ASCII stand-in for each symbol the output uses: one character where one keeps the meaning,
#: so that a table laid out for them stays aligned (one column each, as they are measured). Not an
#: operator or a mark with another meaning: ✓ is ``v`` (its shape; ``+`` read as arithmetic), ⚠ is
#: ``!`` (``?`` is "cannot judge"), δ is ``D`` (``d`` is ∂: δ_j = ∂C/∂z_j needs both). A power or a
#: fraction is written out (² → ``^2``, not ``2``: ``(a − y)2`` read "times 2", the very factor the
#: seeds' conventions differ by; ½ → ``(1/2)``), as are ≤ → ``<=`` (the pass rule, not a strict ``<``)
#: and η → ``eta`` (``n`` is the numeric gradient): see ``_ascii_replace`` for the columns they take.
#: So are the arrows (← → ``<-``: ``W < W - eta dC/dW`` read "less than"; ``0 > 0 > 2`` a false
#: inequality) and the letters that a one-letter stand-in turns into another quantity: λ → ``lambda``
#: (``l`` is the layer), β → ``beta`` (``b1`` is a bias), γ → ``gamma`` and μ → ``mu``, √ → ``sqrt``
#: and ∇ → ``grad`` (``V``), Σ → ``sum`` (``S_j``); ½ → ``(1/2)`` (``1/2(a - y)^2`` read
#: 1/(2(a − y)²)), ᵀ → ``^T``, ŷ → ``yhat``. ε and θ stay ``e`` and ``t``, as in ASCII papers: they
#: sit in wrapped prose, where three columns each would push a panel's border out.
_ASCII_FOR = {
    "−": "-", "–": "-", "—": "-", "←": "<-", "→": "->", "·": ".", "×": "x", "÷": "/", "≤": "<=",
    "≥": ">=", "≈": "~", "‖": "|", "∂": "d", "σ": "s", "δ": "D", "η": "eta", "ε": "e", "λ": "lambda",
    "μ": "mu", "β": "beta", "γ": "gamma", "θ": "t", "Σ": "sum", "∇": "grad", "√": "sqrt", "✓": "v",
    "✗": "X", "✕": "x", "…": ".", "⊙": "*", "•": "*", "●": "o", "○": "o", "▲": "^", "△": "^", "■": "#",
    "□": "#", "◆": "*", "⌊": "[", "⌋": "]", "∝": "~", "″": '"', "′": "'", "█": "#", "░": ":",
    "▒": ":", "▓": "#", "┤": "|", "├": "|", "┼": "+", "┬": "+", "┴": "+", "⚠": "!", "◉": "@",
    "ŷ": "yhat",  # seed 001's other name for the output (its decomposition, y, is the target)
    "½": "(1/2)", "²": "^2", "³": "^3", "ᵀ": "^T",
}


def _ascii_one(ch: str) -> str:
    """One character the stream cannot hold, as ASCII: its entry in ``_ASCII_FOR``, its
    decomposition (ŷ → y, ᵀ → T), a look-alike, a line of a box or chart (│ → |, ─ → -, braille
    dots → . or :), else ``?``."""
    import unicodedata

    sub = _ASCII_FOR.get(ch)
    if sub is not None:
        return sub
    plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
    name = unicodedata.name(ch, "")
    if len(plain) == 1 and plain.isprintable():
        return plain
    if name.startswith("BRAILLE PATTERN"):
        return " " if ch == "\u2800" else ":" if bin(ord(ch) - 0x2800).count("1") > 2 else "."
    if name.startswith("BOX DRAWINGS"):
        return "-" if "HORIZONTAL" in name and "VERTICAL" not in name else (
            "|" if "VERTICAL" in name and "HORIZONTAL" not in name else "+")
    return "?"


def _ascii_replace(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: each character the stream's encoding cannot hold becomes ASCII
    (``_ascii_one``). Where that is wider than the character (² → ``^2``), the line gives back
    the columns from its next run of spaces (a panel's or a cell's padding), so that a border after
    it stays in place; a line with no such room is left one column wider."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text, end = error.object, error.end
    out = "".join(_ascii_one(ch) for ch in text[error.start:end])
    owed = len(out) - (end - error.start)
    if owed <= 0:
        return out, end
    tail, i = [], end
    while i < len(text) and text[i] != "\n" and owed > 0:
        ch = text[i]
        if ch == " " and text[i + 1:i + 2] == " ":  # one of a run of spaces: padding, given back
            owed -= 1
        else:
            try:
                ch.encode(error.encoding)
            except (UnicodeError, LookupError):
                ch = _ascii_one(ch)
                owed += len(ch) - 1
            tail.append(ch)
        i += 1
    if owed > 0:  # no room on this line: the rest is encoded as it comes
        return out, end
    return out + "".join(tail), i


#: The characters that separate a rich table's or panel's cells on a line: box drawing verticals, and
#: the ASCII ``|`` of a box rich draws for an ASCII stream, when spaced as a border (``_spaced``).
_CELL_BORDERS = frozenset("│┃║╎╏┆┇┊┋|")
_TOKEN = None  # re.compile'd on first use: an ANSI escape sequence, or one character


def fit_to_encoding(text: str, encoding: str) -> str:
    """``text`` (a report, as rich laid it out) with every character ``encoding`` cannot hold written
    as its ASCII stand-in (``_ascii_one``), line by line and cell by cell: a stand-in wider than its
    symbol (λ → ``lambda``) takes its columns from the padding of its own cell, the spaces before the
    cell's right border (beyond one), then after its left border, so the borders of a table or panel
    stay in place where the cell has room. The stream's error handler (``_ascii_replace``) only took
    the spaces after the symbol on its line, which in a table are the next cell's: headers slid
    against their columns. Lines that can be encoded as they are pass untouched."""
    try:
        text.encode(encoding)
        return text
    except UnicodeEncodeError:
        pass
    except LookupError:
        return text
    return "\n".join(_fit_line(line, encoding) for line in text.split("\n"))


def _fit_line(line: str, encoding: str) -> str:
    import re

    global _TOKEN
    if _TOKEN is None:
        _TOKEN = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|.", re.S)
    try:
        line.encode(encoding)
        return line
    except UnicodeEncodeError:
        pass
    tokens = _TOKEN.findall(line)
    visible = [i for i, t in enumerate(tokens) if not t.startswith("\x1b")]
    cells: list[list[str]] = [[]]  # tokens of each cell; a border is a cell of its own
    for n, i in enumerate(visible):
        lo = visible[n - 1] + 1 if n else 0
        cells[-1].extend(tokens[lo:i])  # the escape sequences before it
        t = tokens[i]
        if t in _CELL_BORDERS and (t != "|" or _spaced(tokens, visible, n)):
            cells += [[t], []]
        else:
            cells[-1].append(t)
    cells[-1].extend(tokens[visible[-1] + 1:] if visible else tokens)
    out = []
    for i, cell in enumerate(cells):
        owed = 0
        mapped = []
        for t in cell:
            if len(t) == 1:
                try:
                    t.encode(encoding)
                except UnicodeEncodeError:
                    sub = _ascii_one(t)
                    owed += len(sub) - 1
                    t = sub
            mapped.append(t)
        closed = i + 1 < len(cells)  # a border follows: its padding is the cell's own
        opened = i > 0
        if owed > 0:
            owed = _give_back(mapped, owed, keep=1 if closed else 0, from_end=True)
        if owed > 0 and opened:
            _give_back(mapped, owed, keep=1, from_end=False)
        out.append("".join(mapped))
    return "".join(out)


def _spaced(tokens: list[str], visible: list[int], n: int) -> bool:
    """Whether the ASCII ``|`` at ``visible[n]`` is a border rich drew in an ASCII box (a space or the
    line's end on each side), not a bar of the content's own (``|a − n|``, ``(|a| + |n|)``)."""
    if n == 0 or n + 1 == len(visible):  # a line's first or last character: a panel's or table's edge
        return True
    return tokens[visible[n - 1]] == " " and tokens[visible[n + 1]] == " "


def _give_back(tokens: list[str], owed: int, keep: int, from_end: bool) -> int:
    """Remove up to ``owed`` spaces from the run of spaces at one end of a cell's ``tokens`` (escape
    sequences skipped), leaving ``keep`` of them; return what is still owed."""
    order = range(len(tokens) - 1, -1, -1) if from_end else range(len(tokens))
    spaces = [i for i in _edge_spaces(tokens, order)]
    removable = max(0, len(spaces) - keep)
    take = min(owed, removable)
    for i in sorted(spaces[len(spaces) - take:] if not from_end else spaces[:take], reverse=True):
        del tokens[i]
    return owed - take


def _edge_spaces(tokens: list[str], order: range) -> list[int]:
    """The indices of the spaces at the end of ``tokens`` that ``order`` starts from, up to the first
    visible character that is not a space."""
    found = []
    for i in order:
        t = tokens[i]
        if t.startswith("\x1b"):
            continue
        if t != " ":
            break
        found.append(i)
    return found


def _plain_text_where_unicode_cannot_go() -> None:
    """Output meets an encoding without σ, ∂ or δ (``LC_ALL=C`` with ``PYTHONUTF8=0``, a Latin-1
    locale, a redirected Windows console): write those symbols as ASCII look-alikes instead of
    failing with a UnicodeEncodeError traceback. A UTF-8 stream writes a file name's undecodable
    bytes back as they were; one whose error handling the user chose
    (``PYTHONIOENCODING=latin-1:replace``) is left alone."""
    import codecs

    codecs.register_error("backprop_ascii", _ascii_replace)
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            if codecs.lookup(encoding).name.startswith("utf"):
                # a file name that is not UTF-8 (caf\xe9.yaml from a Latin-1 system) reaches Python
                # as surrogates; printed, it ended in a UnicodeEncodeError traceback (en_US.UTF-8's
                # stdout is strict): it is written back as its own bytes, as ls and cat do
                if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
                    try:
                        stream.reconfigure(errors="surrogateescape")
                    except (ValueError, OSError):
                        pass
                continue
        except LookupError:
            continue
        if getattr(stream, "errors", "strict") in ("strict", "surrogateescape", "backslashreplace") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backprop_ascii")
            except (ValueError, OSError):  # a stream that cannot change now: leave it
                pass


def __getattr__(name: str) -> Any:
    if name == "Network":
        from .network import Network

        return Network
    if name == "check_gradients":
        from .gradcheck import check_gradients

        return check_gradients
    if name == "load_model":
        from .model_io import load_model

        return load_model
    raise AttributeError(f"module 'backprop_cli' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's names and the lazily imported ones, which tab completion (IPython, Jupyter)
    and ``dir()`` list only through this."""
    return sorted(set(globals()) | set(__all__))
