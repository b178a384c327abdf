"""Everything that draws: rich tables and progress, Markdown/LaTeX, JSON encoding.

The core modules return plain data; only this package and ``cli.py`` know about
rich, colours and terminals. One module per command keeps each screenful small.
"""

import re
from typing import TYPE_CHECKING, Any

from rich import box
from rich.cells import cell_len, chop_cells
from rich.console import Console
from rich.measure import Measurement
from rich.text import Span, Text

if TYPE_CHECKING:  # rich.table (~10 ms) is imported by the renderers that draw a table, not for a note
    from rich.table import Table

# -- styles ---------------------------------------------------------------------------------
#: The colour scheme, legible on a dark terminal and on a light one (a projector's white
#: background): yellow and cyan text were ~1.1-2.5:1 on white and vanished, so no text is yellow
#: or cyan (yellow may stay for a panel's border). Colour never carries meaning alone: a word or
#: glyph says it too (FAIL, ⚠, ✓, "inconclusive"), for a colour-blind reader and NO_COLOR.
#: Dim is for decoration only (axis frames, separators), never for a formula or a note.
RESULT = "bold"  # a computed number the reader came for: the terminal's own foreground, bold
SYMBOL = "bold"  # the quantity a line computes (∂C0/∂w_00^(2))
OK = "green"  # a check that passed
OK_STRONG = "bold green"
WARN = "magenta"  # a warning or a check that cannot judge (kink, inconclusive, unresolved)
WARN_STRONG = "bold magenta"
FAIL = "bold red"  # a failed check, a bug
FAIL_BADGE = "bold white on red"
NOTE = ""  # a note, a legend, a label, a formula's symbols: plain, as they carry meaning (not dim)
#: A row that details another (the L2 penalty in a cost, the macro average under its classes): set apart,
#: not faded (it was dim, its figures washed out on a projector's white; dim is for axis lines only)
SUB_ROW = "italic"



def as_written(console: Console, label: str) -> str:
    """``label`` as ``console``'s stream will write it: its ASCII stand-ins (λ → ``lambda``) where
    the stream's encoding cannot hold a symbol, else itself. For a cell of a table without
    borders, whose width is measured before the stand-ins are put in: evaluate's ``of which L2
    penalty (λ/2)Σ‖w‖²`` came out 8 columns wider than its column, its figure out of line."""
    encoding = getattr(console.file, "encoding", None) or "utf-8"
    try:
        label.encode(encoding)
        return label
    except UnicodeEncodeError:
        from .. import fit_to_encoding

        return fit_to_encoding(label, encoding)
    except LookupError:
        return label


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


def print_note(console: Console, text: str) -> None:
    """A note on ``console`` (stderr: ``note: …``), plain prose with field names and formulas in it:
    one line in a pipe or a file (one line per record, for grep and logs); on a terminal broken as
    :class:`Prose` breaks it, between words and not inside a formula or a short bracket. Soft-wrapped,
    a 60-column terminal cut it anywhere (``training.optimi`` / ``zer``); wrapped by rich, a pipe got
    it broken at 80 columns."""
    if soft_wrap(console):
        console.print(Text(text), soft_wrap=True)
    else:
        console.print(Prose(Text(text)))


class _RuleUnderHead(box.Box):
    """rich's SIMPLE_HEAD (a rule under the header, nothing else), whose rule is ``-`` on a stream
    that takes ASCII alone: rich gave it the ASCII box there, ``|`` between columns whose padding
    the narrow frame takes away (``|100.0% |150``)."""

    def substitute(self, options: Any, safe: bool = True) -> box.Box:
        return _RULE_UNDER_HEAD_ASCII if options.ascii_only else self


_RULE_UNDER_HEAD_ASCII = box.Box("    \n    \n -- \n    \n    \n    \n    \n    \n", ascii=True)

#: A table's frame where its borders do not fit (as explain's tables below 80 columns): no edges, a
#: rule under the header and two spaces between columns, 2 + 3 a column narrower than boxed.
NARROW_FRAME: dict[str, Any] = {"box": _RuleUnderHead("    \n    \n ── \n    \n    \n    \n    \n    \n"),
                                "collapse_padding": True, "pad_edge": False, "show_edge": False}


def fit_columns(table: "Table", width: int) -> bool:
    """Whether ``table`` fits ``width`` columns with every cell's longest word whole (a figure is one
    word), its labels wrapped between words; where it does only so, its widest wrapping columns are
    narrowed to fit (each at least its longest word). rich, left to it, narrowed the widest column
    whatever it held, down to cutting a figure (``0.0131…``) or folding a name inside a word
    (``seto`` / ``sa``), or ended a label ``(cross_entr…``. False, the table left as it was, where even
    that is too wide: the caller lays the figures out otherwise."""
    import io

    console = Console(width=10_000, file=io.StringIO(), color_system=None)
    options = console.options
    # rich's private Table internals (_measure_column, _extra_width, _get_padding_width, Column._index),
    # under pyproject's unbounded rich>=14.3.2: the layouts they give are held by tests/test_predict_evaluate.py's
    # test_the_regression_table_never_cuts_a_figure_on_a_narrow_console,
    # test_the_class_table_never_folds_a_class_name_inside_a_word,
    # test_a_3_by_3_confusion_matrix_fits_down_to_41_columns_with_a_short_corner and
    # test_evaluates_cost_line_never_cuts_its_label_on_a_narrow_console, and tests/test_cli.py's
    # test_the_training_summary_never_cuts_a_label_or_a_figure_on_a_narrow_console. A rich without them
    # (AttributeError) or with other signatures (TypeError) gets the table where it fits whole, by rich's
    # public measure, else False, the caller's next layout (stacked), not a traceback
    # (test_fit_columns_falls_back_to_the_next_layout_without_richs_internals).
    try:
        extents = [table._measure_column(console, options, column) for column in table.columns]
        room = width - table._extra_width
        padding = [table._get_padding_width(column._index) for column in table.columns]
    except (AttributeError, TypeError):
        from rich.errors import NotRenderableError
        from rich.measure import Measurement

        try:
            return Measurement.get(console, options, table).maximum <= width
        except (AttributeError, TypeError, NotRenderableError):
            return False
    wanted = [m.maximum for m in extents]
    least = [m.maximum if column.no_wrap else m.minimum for m, column in zip(extents, table.columns)]
    if sum(wanted) <= room:
        return True
    if sum(least) > room:
        return False
    widths = list(wanted)
    while sum(widths) > room:  # one column at a time: the widest one that can still give
        i = max((k for k in range(len(widths)) if widths[k] > least[k]), key=lambda k: widths[k])
        widths[i] -= 1
    for column, given, w, pad in zip(table.columns, wanted, widths, padding):
        if w < given:
            column.max_width = w - pad
    return True


def stacked(name: str, parts: list[str], width: int, indent: str = "  ") -> list[str]:
    """One row of a table too wide for ``width`` columns as lines, as gradcheck stacks its entries:
    ``name: part · part · …``, broken before a ``·`` (the next line starting ``  · part``), a part
    wider than the line at its spaces; no figure is cut."""
    if not parts:
        return [name]
    return parts_broken([f"{name}: {parts[0]}", *parts[1:]], width, " · ", indent)


def _isatty(file: object) -> bool:
    try:
        return bool(file.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):  # no isatty, or a closed file
        return False


def _joined(units: list[tuple[str, str]]) -> str:
    """(joiner, piece) units as one line: a line's first piece goes without its joiner's space."""
    return "".join((joiner.lstrip() if i == 0 else joiner) + piece for i, (joiner, piece) in enumerate(units))


def print_parts(console: Console, parts: "list[str | tuple[str, ...]]", sep: str = " · ", indent: str = "",
                **kwargs: object) -> None:
    """Print ``parts`` joined by ``sep``: one line in a pipe or when it fits the terminal,
    else broken before a separator (``… squared_error · 2000 epochs`` / ``· sgd η = 2 · …``),
    so that no part is split while a break between parts will do; a part wider than the
    terminal breaks at its spaces, or, given as a tuple of phrases (joined by a space), between
    them (a phrase wider than the terminal at its spaces). Continuation lines start with ``indent``.
    Each part is measured as
    the stream writes it (:func:`as_written`): on an ASCII stream ``η`` is ``eta``, two columns wider
    than the one it was measured as, which put train's last line a column beyond the terminal's edge."""
    parts = [tuple(as_written(console, q) for q in p) if isinstance(p, tuple) else as_written(console, p) for p in parts]
    sep, indent = as_written(console, sep), as_written(console, indent)
    if soft_wrap(console):
        console.print(sep.join(" ".join(p) if isinstance(p, tuple) else p for p in parts), soft_wrap=True,
                      **kwargs)  # type: ignore[arg-type]
        return
    for line in parts_broken(parts, console.width, sep, indent):
        console.print(line, **kwargs)  # type: ignore[arg-type]


def parts_broken(parts: "list[str | tuple[str, ...]]", width: int, sep: str = " · ", indent: str = "") -> list[str]:
    """The lines :func:`print_parts` prints on a terminal ``width`` columns wide (the continuation
    lines with their ``indent``)."""
    width -= cell_len(indent)
    units = []  # (joiner, piece): whole parts, or the phrases or words of a part wider than the console
    for i, part in enumerate(parts):
        phrases = part if isinstance(part, tuple) else (part,)
        whole = " ".join(phrases)
        if cell_len(sep.lstrip() + whole) <= width:
            pieces = [whole]
        else:  # its phrases, each whole where it fits the line, else its words
            pieces = [piece for phrase in phrases
                      for piece in ([phrase] if cell_len(sep.lstrip() + phrase) <= width else phrase.split(" "))]
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
    return [(indent if n else "") + _joined(row) for n, row in enumerate(rows)]


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
        # a unit that a later one may follow on the next line keeps room for the separator it then
        # ends with: "(central differences)," was 1 wider than the panel, and rich broke it inside
        end = cell_len(sep.rstrip()) if not lead and i < len(units) - 1 else 0
        # a unit of several lines ("global ratio …" over "= 1.8e-11") is as wide as its first line here,
        # and what follows it goes on after its last
        first, *_, last = piece.plain.split("\n") if "\n" in piece.plain else (piece.plain, piece.plain)
        if i and width is not None and used + cell_len(sep) + cell_len(first) + end > width:
            head = sep.strip() + " " if lead and sep.strip() else ""
            out.append(("\n" + head) if lead else (sep.rstrip() + "\n"))
            used = cell_len(head)
        elif i:
            out.append(sep)
            used += cell_len(sep)
        out.append_text(piece)
        used = cell_len(last) if "\n" in piece.plain else used + piece.cell_len
    return out


#: A formula's operators, as tokens of their own (``C = ½(ŷ − y)²``).
_OPERATORS = frozenset("= · × − + - / * ≤ ≥ ≈ < > ≠ → ∝".split())
#: What makes a token part of a formula: a short index (``a_j``, ``w_jk``, not ``squared_error``),
#: a power, a prime (not an apostrophe: "layer's"), ∂, a Greek letter, ½, ², ᵀ, a norm or absolute
#: value, a quotient, an argument or index in brackets (``X[k]``, ``2(a``).
_FORMULA = re.compile(r"_[A-Za-z0-9]{1,3}(?![A-Za-z0-9])|[\^∂½²ᵀ‖|∇/\u0391-\u03a9\u03b1-\u03c9ŷ]"
                      r"|'(?![a-z])|\w[(\[]")
_PUNCT = ",;:.!?"  # a token ending a clause: the gap after it is English, whatever follows


def _is_formula(token: str) -> bool:
    """``δ_j^(1)``, ``½(ŷ``, ``2(a``, ``y)²,``, ``σ'``, ``X[k]``, or a single letter (``y)``, ``X,``)."""
    core = token.strip("()[]{}" + _PUNCT)
    return bool(_FORMULA.search(token)) or (len(core) == 1 and core.isalpha())


def _gap_glue(tokens: list[str], formula: list[bool], i: int) -> int:
    """How strongly the space between ``tokens[i]`` and ``tokens[i + 1]`` holds them on one line
    outside brackets: 2 between two formula tokens, or after an operator followed by an operand (a
    formula token or a number: ``= ½(ŷ``, ``< 1e-9``) and after an ``=`` whatever follows it (no line
    ends with ``=``: ``path =`` over ``2.71202e-05``), 1 before
    such an operator (``C =``: a formula too wide breaks there first, the next line starting with
    the operator), 0 in English or after a clause's punctuation (a number beside a formula is
    English: ``seed 001's E_h``)."""
    left, right = tokens[i], tokens[i + 1]

    def operand(k: int) -> bool:
        return 0 <= k < len(tokens) and tokens[k] not in _OPERATORS and (
            formula[k] or any(ch.isdigit() for ch in tokens[k]))

    if left[-1] in _PUNCT:
        return 0
    if right in _OPERATORS:
        return 1 if operand(i) and operand(i + 2) else 0
    if left in _OPERATORS:  # and to the formula or number after it, whatever is before ("and · σ'(Z_1)",
        # "abs < 1e-9"), an "=" to anything ("path = 2.71202e-05" ended a line with its "=")
        return 2 if operand(i + 1) or left == "=" else 0
    return 2 if formula[i] and formula[i + 1] else 0


def _prose_starts(line: str, width: int, hold: int | None = None) -> list[int]:
    """Where a line of prose wider than ``width`` columns starts its next lines (indices of a token
    that begins one), as rich's wrapping would put them (as many words on a line as fit), except
    that a space holds (see :class:`Prose`): inside brackets whose group takes at most half the
    line most, then, by how many brackets are open around it (fewer: weaker), inside a formula, before
    an operator, before an "=". A run of tokens held together that is wider than the line lets go of
    its weakest holds first, down to single words (a word wider than the line is rich's to fold); of
    its parts, one that starts with an operator and must itself break starts a line, and the part
    after one that broke starts the next. ``hold``: the line whose half a bracket may take
    (default ``width``; a hung vector's numbers are broken narrower than the panel's line)."""
    spans = [m.span() for m in re.finditer(r"\S+", line)]
    if len(spans) < 2:
        return []
    tokens = [line[a:b] for a, b in spans]
    off = [0]
    for ch in line:
        off.append(off[-1] + cell_len(ch))
    formula = [t not in _OPERATORS and _is_formula(t) for t in tokens]
    kind = [_gap_glue(tokens, formula, i) for i in range(len(tokens) - 1)]
    # brackets: the innermost group around each gap, held where it takes at most half the line
    stack: list[int] = []
    close: dict[int, int] = {}
    inner: dict[int, int] = {}  # the gap's token index -> its innermost open bracket
    depth = [0] * len(kind)  # the gap's token index -> how many brackets are open around it
    gap = 0
    for i, ch in enumerate(line):
        if gap < len(spans) - 1 and i == spans[gap][1]:
            if stack:
                inner[gap] = stack[-1]
            depth[gap] = len(stack)
            gap += 1
        if ch in "([":
            stack.append(i)
        elif ch in ")]" and stack and line[stack[-1]] == {")": "(", "]": "["}[ch]:
            close[stack.pop()] = i
    # a held gap's strength: its bracket depth first, then before an "=" (1), before another operator (2),
    # inside a formula (3, a multiple of 3 at any depth), so that a run too wide breaks between whole formulas of its outermost level:
    # "(∂a_i/∂z_j" over "= a_i (1[i = j] − a_j))", where "(∂a_i/∂z_j = a_i" read as ∂a_i/∂z_j = a_i,
    # and "= a_j Σ_i y_i − y_j" over "= a_j − y_j", where "… = a_j" over "− y_j" read as δ_j = a_j
    glue = [0 if k == 0 else 3 * depth[g] + (1 if k == 1 and tokens[g + 1] == "=" else 2 if k == 1 else 3)
            for g, k in enumerate(kind)]
    held = max(glue, default=0) + 1
    for g, opened in inner.items():
        if opened in close and 2 * (off[close[opened] + 1] - off[opened]) <= (width if hold is None else hold):
            glue[g] = held
    for g in range(len(glue)):  # two or more spaces set things apart ("   (from layer 2, reused)")
        if spans[g + 1][0] - spans[g][1] > 1:
            glue[g] = 0

    starts: list[int] = []
    used = 0  # the columns the current line's text takes (0: nothing on it yet)

    def place(first: int, last: int) -> bool:
        """Put tokens first..last, held together (by spaces stronger than the one before ``first``),
        on the lines; whether they were broken over lines of their own."""
        nonlocal used
        a, b = (0 if first == 0 else spans[first][0]), spans[last][1]  # the first line's indent goes with it
        w, space = off[b] - off[a], (off[a] - off[spans[first - 1][1]] if first else 0)
        if (used + space + w if used else w) <= width:  # on this line (or the first)
            used = used + space + w if used else w
        elif w <= width:  # on the next
            starts.append(spans[first][0])
            used = w
        elif first == last:  # a word wider than the line: rich folds it, and goes on after its last piece
            if used:
                starts.append(spans[first][0])
            used = cell_len(chop_cells(line[a:b], width)[-1])
            return True
        else:  # too wide held together: its runs held by the stronger spaces, one by one
            weakest = min(glue[first:last])
            cuts = [g for g in range(first, last) if glue[g] == weakest]
            broken = False
            for start, end in zip([first, *(g + 1 for g in cuts)], [*cuts, last]):
                # a formula that starts with its operator ("= Σ_i a_i (…) (…)") and must break between its
                # terms (not before an operator: "· a_3 …" reads on) starts a line, and the next one
                # ("= a_j …") follows a broken one on a line of its own: "∂C0/∂a_i = Σ_i" over "a_i …" read
                # as ∂C0/∂a_i = Σ_i, "(−y_i / a_i) = a_j …" as an equation
                wide = (start < end and off[spans[end][1]] - off[spans[start][0]] > width
                        and min(glue[start:end]) % 3 == 0)
                if used and start > first and tokens[start] in _OPERATORS and (broken or wide):
                    starts.append(spans[start][0])
                    used = 0
                broken = place(start, end)
            return True
        return False

    run = 0
    for g in range(len(glue)):
        if glue[g] == 0:
            place(run, g)
            run = g + 1
    place(run, len(tokens) - 1)
    return starts


def prose_broken(text: Text, width: int, hold: int | None = None) -> Text:
    """``text`` with a line break put before each token :func:`_prose_starts` starts a line with,
    where a line is wider than ``width``; the spaces before it stay at the end of the line above,
    as rich leaves them (it drops those beyond the width). Styles and spans are kept."""
    plain = text.plain
    if width < 1 or all(cell_len(line) <= width for line in plain.split("\n")):
        return text
    cuts: list[int] = []
    start = 0
    for line in plain.split("\n"):
        if cell_len(line) > width:
            cuts += [start + i for i in _prose_starts(line, width, hold)]
        start += len(line) + 1
    if not cuts:
        return text
    out = text.copy()
    pieces = [plain[a:b] for a, b in zip([0, *cuts], [*cuts, len(plain)])]
    out.plain = "\n".join(pieces)

    def moved(i: int, at_end: bool) -> int:  # a span's start moves with a cut at it, its end does not
        return i + sum(1 for c in cuts if c < i or (c == i and not at_end))

    out.spans = [Span(moved(s.start, False), moved(s.end, True), s.style) for s in text.spans]
    return out


#: What a line's wrapped continuation lines are indented by: its own indent and a list mark, ``note:``
#: or a vector's ``H_1 = [`` (its numbers go on under the first one, not at the panel's edge).
_HANG = re.compile(r" *(?:[•⚠✓✗] |note: |[A-Za-z][A-Za-z0-9_]* = \[(?=[^\]]*\]))?")


def hung(text: Text, width: int, console: Console) -> Text:
    """:func:`prose_broken`, with each line that still wraps given a hanging indent: the
    continuation lines of ``• a point``, ``⚠ a warning`` or ``note: …`` start under its first word, those of
    ``    = a · b`` under the ``=``, and those of a vector ``H_1 = [0.1, …]`` under its first number,
    instead of at column 0, where on a projector they read as a new item (seed 001's panel of iris
    read ``-0.434457, 0.930884]   (inputs 0, …, 7)`` at its edge). A hang wider than half the line is
    not kept (the text would be a narrow column)."""
    lines = text.split("\n", allow_blank=True)
    if width < 2 or all(line.cell_len <= width for line in lines):
        return text
    out: list[Text] = []
    for line in lines:
        cells = cell_len(_HANG.match(line.plain).group())  # type: ignore[union-attr]
        if line.cell_len <= width or not 0 < cells <= width // 2:
            out.append(prose_broken(line, width))
            continue
        cut = len(_HANG.match(line.plain).group())  # type: ignore[union-attr]
        head, body = line[:cut], line[cut:]
        # a vector's "(neurons 0, 1, 2)" is held as on an unhung line of this width
        vector = line.plain[:cut].rstrip().endswith("[")
        broken = prose_broken(body, width - cells, width) if vector else prose_broken(body, width - cells)
        rows = broken.wrap(console, width - cells)
        indent = Text(" " * cells)
        out.append(Text("\n").join([head + rows[0], *(indent + row for row in rows[1:])]))
    return text.blank_copy("\n").join(out)


class Prose:
    """A paragraph rich wraps as it would, except inside a formula or a short bracketed group: rich
    breaks a Text at any space, and on a projector's 60-80 columns read ``entry [j,`` / ``k]``,
    ``δ_j^(1)`` / ``a_k^(0)``, ``C = ½(ŷ −`` / ``y)²``, ``(seed 000,`` / ``eq. 4)``.

    The rule: a single space does not break a line inside (…) or […] no wider than half the line,
    between two formula tokens (with an index, a power, a prime, ∂, a Greek letter, …, or a single
    letter), after an operator followed by one, or beside an operator between two operands (those,
    or numbers), unless the token before it ends a clause (, ; : .). A held run wider than the line
    breaks first before its ``=``, then before its other operators, then between its formula tokens,
    each outside brackets before inside them (between whole formulas: ``= a_j Σ_i y_i − y_j`` over
    ``= a_j − y_j``, not ``… = a_j`` over ``− y_j``; ``(∂a_i/∂z_j`` over ``= a_i (1[i = j] − a_j))``, not
    ``(∂a_i/∂z_j = a_i`` over ``(1[i = j] − a_j))``), then inside its short brackets, never inside a
    word; a part of it that starts with an operator and must break itself starts a line (not ``… ·
    ∂C0/∂a_i = Σ_i`` over ``a_i …``), and the part after it the next. No line ends with an ``=``. The width is the one rich gives the text when it is printed. Every line
    that fits is left as it is: English wraps as rich wraps it, and a line that wraps keeps its hang
    (see :func:`hung`).
    """

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: Any) -> Any:
        return hung(self.text, options.max_width, console).__rich_console__(console, options)

    def __rich_measure__(self, console: Console, options: Any) -> Measurement:
        return self.text.__rich_measure__(console, options)
