"""Everything that draws: rich tables and progress, Markdown/LaTeX, JSON encoding.

The core modules return plain data; only this package and ``cli.py`` know about
rich, colours and terminals. One module per command keeps each screenful small.
"""

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text


def soft_wrap(console: Console) -> bool:
    """Whether a plain line stays one line: yes in a pipe or a file (one line per record, for
    grep and logs), no on a terminal, where rich wraps it between words instead of the
    terminal cutting a number or a name in two at its right edge. A terminal is a real one:
    FORCE_COLOR (set in many CI jobs) makes rich call a pipe a terminal for its colours, and
    the log's lines must stay whole there too."""
    return not (console.is_terminal and _isatty(console.file))


def animated(console: Console) -> bool:
    """Whether a progress bar may redraw itself in place: only on a real, capable terminal with
    no CI around it. FORCE_COLOR (set in many CI jobs for coloured logs) makes rich call a pipe
    a terminal, and its bar then wrote cursor codes and a redrawn line into the log; TERM=dumb
    (Emacs' shell) drew nothing until the end; a CI job with a pseudo-terminal (CI=true) is
    read as a log. Elsewhere the commands print plain lines instead."""
    import os

    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    return console.is_terminal and not console.is_dumb_terminal and _isatty(console.file)


def _isatty(file: object) -> bool:
    try:
        return bool(file.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):  # no isatty, or a closed file
        return False


def _joined(units: list[tuple[str, str]]) -> str:
    """(joiner, piece) units as one line: a line's first piece goes without its joiner's space."""
    return "".join((joiner.lstrip() if i == 0 else joiner) + piece for i, (joiner, piece) in enumerate(units))


def print_parts(console: Console, parts: list[str], sep: str = " · ", indent: str = "", **kwargs: object) -> None:
    """Print ``parts`` joined by ``sep``: one line in a pipe or when it fits the terminal,
    else broken before a separator (``… squared_error · 2000 epochs`` / ``· sgd η = 2 · …``),
    so that no part is split while a break between parts will do; a part wider than the
    terminal breaks at its spaces. Continuation lines start with ``indent``."""
    if soft_wrap(console):
        console.print(sep.join(parts), soft_wrap=True, **kwargs)  # type: ignore[arg-type]
        return
    width = console.width - cell_len(indent)
    units = []  # (joiner, piece): whole parts, or the words of a part wider than the console
    for i, part in enumerate(parts):
        pieces = [part] if cell_len(sep.lstrip() + part) <= width else part.split(" ")
        units += [("" if not (i or k) else " " if k else sep, piece) for k, piece in enumerate(pieces)]
    rows: list[list[tuple[str, str]]] = [[]]
    for joiner, piece in units:
        if rows[-1] and cell_len(_joined(rows[-1] + [(joiner, piece)])) > width:
            rows.append([])
        rows[-1].append((joiner, piece))
    if len(rows) > 1 and len(rows[-1]) == 1 and len(rows[-2]) > 1:
        # no short part alone on the last line ("· 0.41 s"): the one before goes down with it
        moved = [rows[-2][-1], rows[-1][0]]
        if cell_len(_joined(moved)) <= width:
            rows[-2:] = [rows[-2][:-1], moved]
    lines = [_joined(row) for row in rows]
    for n, line in enumerate(lines):
        console.print((indent if n else "") + line, **kwargs)  # type: ignore[arg-type]


def phrased(units: list[str | Text], sep: str, width: int | None, lead: bool = False, style: str = "") -> Text:
    """``units`` joined by ``sep`` into a Text that breaks only between units where a line would be
    wider than ``width`` (None: one line), never inside one: inside a panel rich wraps a line at any
    space, and split a formula (``rtol·max(|a|,`` / ``|n|)``), a setting (``atol`` / ``1e-08``) or a
    band (``≤1e-03`` / ``suspicious``). A continuation line starts with the separator when ``lead``
    (``· ≤1e-02 likely a bug``, as :func:`print_parts` breaks), else the separator ends the line
    before it (``rtol 1e-05,``). A unit wider than ``width`` is left to rich, which breaks it at its spaces."""
    out = Text(style=style)
    used = 0
    for i, unit in enumerate(units):
        piece = unit if isinstance(unit, Text) else Text(unit)
        if i and width is not None and used + cell_len(sep) + piece.cell_len > width:
            head = sep.strip() + " " if lead and sep.strip() else ""
            out.append(("\n" + head) if lead else (sep.rstrip() + "\n"))
            used = cell_len(head)
        elif i:
            out.append(sep)
            used += cell_len(sep)
        out.append_text(piece)
        used += piece.cell_len
    return out
