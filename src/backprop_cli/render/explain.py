"""Rendering of ``backprop explain``: rich panels, Markdown with LaTeX, JSON.

Three views of the same ``LayerExplanation`` data (``backprop_cli.explain``):

- ``render_rich(explanations, console)``: panels and tables sized to be read on a
  projector; every check shows ``✓`` with its relative errors, a loud ``✗ FAIL``, or
  ``?`` where a ReLU kink, its rounding noise, or a cost bending within every usable step
  leaves the finite difference unable to judge.
- ``to_markdown(explanations) -> str``: Markdown with LaTeX in ``$$ … $$`` blocks (each
  ``$$`` on its own line), ready to paste into Obsidian or a Jupyter cell.
- ``to_json(explanations) -> dict``: every term, as numbers (non-finite values -> null).

Each accepts one ``LayerExplanation`` or a sequence of them (``--all-layers``, from layer
L down to 1); with a sequence the network-wide part (warnings, gradient norms) is shown
once, at the end.
"""

from __future__ import annotations

import contextvars
import copy
import dataclasses
import functools
import io
import itertools
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.measure import Measurement
from rich.padding import Padding
from rich.panel import Panel
from rich.segment import Segment
from rich.style import Style
from rich.table import Row, Table
from rich.text import Span, Text

from ..activations import ACTIVATIONS
from ..explain import (
    ABS_TOL,
    REL_TOL,
    _ix,
    ChainProduct,
    Check,
    Equation,
    Expansion,
    ForwardSum,
    HandBack,
    LayerExplanation,
    LayerNorm,
    LearnerWarning,
    NeuronRow,
    Term,
    overall_status,
)
from ..network import RELU_BIAS0
from ..wording import plural
from . import (FAIL_BADGE, NOTE, OK_STRONG, RESULT, SYMBOL, WARN, WARN_STRONG, Prose, as_written, parts_broken, phrased,
               prose_broken)

Explanations = LayerExplanation | Sequence[LayerExplanation]

_MARKS = {"pass": "✓", "inconclusive": "?", "fail": "✗"}
_CHECK_HEADER = "rel err vs\nbackprop /\nfinite diff"
#: Said before the first written-out product, whose ``✓ 0 / 3e-10`` came before any column header
#: named its two figures (and under --brief, with no products table, never): the header's words.
CHECK_LEGEND = "each product's check: ✓ " + " ".join(_CHECK_HEADER.split())
_MAX_LONG_FORM = 8  # up to this many products are written out one per line / $$ block
#: False: rich does all the work of printing and measuring (:class:`_Table`, :class:`_Fitted` and
#: the measures that count characters stand aside), as the tests do to hold the output to rich's
#: own, byte for byte.
SHORTCUTS = True


def _as_tuple(explanations: Explanations) -> tuple[LayerExplanation, ...]:
    if isinstance(explanations, LayerExplanation):
        return (explanations,)
    return tuple(explanations)


# --------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------
def _n(v: float | None, digits: int = 6) -> str:
    """A number for text: 6 significant digits, ``—`` for None, ``inf``/``nan`` spelled out."""
    if v is None:
        return "—"
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v + 0.0:.{digits}g}"  # + 0.0 turns -0.0 into 0.0


def _cell(v: float | None, digits: int) -> str:
    """A table cell: ``digits`` significant digits with the zeros of a rounding kept, ``0.1500`` for
    0.149965 and ``-0.8500`` for -0.850035 (which read ``0.15`` and ``-0.85``, exact to a learner), and
    a value the digits hold exactly as :func:`_n` writes it (``0``, ``1``, ``0.5``)."""
    s = _n(v, digits)
    if v is None or not math.isfinite(v) or float(s) == v:
        return s
    mantissa, e, exponent = f"{v + 0.0:#.{digits}g}".partition("e")
    return mantissa.rstrip(".") + e + exponent


def _cf(v: float, digits: int) -> str:
    """:func:`_cell` as a factor in a product, negative values in parentheses (see :func:`_f`)."""
    s = _cell(v, digits)
    return f"({s})" if s.startswith("-") else s


def _fixed(v: float, decimals: int) -> str:
    """``v`` to ``decimals`` places, never ``-0.0``: log10 of 0.96 is -0.0177, which printed as
    '-0.0' under the bars of the gradient norms."""
    s = f"{v:.{decimals}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s


def _f(v: float, digits: int = 6) -> str:
    """A factor in a product: negative values in parentheses, ``0.62 · (-1)``."""
    s = _n(v, digits)
    return f"({s})" if s.startswith("-") else s


#: The most significant digits an operand gets so that the shown operands combine to the shown
#: result (``_operand_digits``). Past it the result is a rounding residue (0.1 · 0.3 − 0.03 =
#: 3.5e-18 needs 17 digits: 0.10000000000000001 …), better read as "they cancel" than in 17 digits.
MOST_OPERAND_DIGITS = 10


#: How close (relative) to a rounding tie the shown operands may combine before ``_operand_digits``
#: gives them more digits: far above floating-point noise, far below a 6-digit unit.
TIE_MARGIN = 1e-12


def _operand_digits(values: Sequence[float], result: float, combine: Any = math.prod, digits: int = 6) -> int:
    """Significant digits for the operands of a displayed identity ("= 1.44444 · 0.623682 ·
    0.00468944 = 0.00422456", a sum of terms), whose result is shown with ``digits``: ``digits``,
    or more (up to :data:`MOST_OPERAND_DIGITS`) where the rounded operands would combine to
    another result. A learner multiplying (adding) the shown operands then gets the shown
    result; with every operand rounded to 6 digits a product of three was off by up to 3 units in
    the 6th digit, and a sum with cancellation (0.209165 − 0.0699875 − 0.116758 vs 0.0224196) by
    10. Combining to a tie at the last shown digit does not count (0.373299 · 0.5 = 0.1866495 reads
    0.18665 on paper, the screen said 0.186649): 0.37329899 · 0.5 = 0.186649495 does. Where even
    that many digits do not reach the result (terms that cancel down to rounding residue),
    ``digits``."""
    values = [float(v) for v in values]
    if not (math.isfinite(result) and all(math.isfinite(v) for v in values)):
        return digits
    shown = _n(result, digits)
    # a result itself shown to 9 or 10 digits (a saturated unit's z, the terms that add up to it)
    # gets operands of up to 2 digits more: with 10, a product near a rounding tie was off by 2 units
    for d in range(digits, max(MOST_OPERAND_DIGITS, digits + 2) + 1):
        got = combine([float(_n(v, d)) for v in values])
        # and so does every value within floating-point noise of it: shown operands that combine
        # to a tie (0.373299 · 0.5 = 0.1866495) round half up on paper, either way in floating point
        if all(_n(g, digits) == shown for g in (got, got * (1 - TIE_MARGIN), got * (1 + TIE_MARGIN))):
            return d
    return digits


def _result_digits(values: Sequence[float], result: float, combine: Any, digits: int = 6) -> tuple[int, int]:
    """(digits of the result, digits of its operands) for a displayed identity whose operands, at
    any number of digits, combine to a rounding tie of the result at ``digits``: a hand-back Σ of
    −1.921956 + (−3.815479) = −5.737435 showed −5.73743 (the float lies just above the tie) beside
    terms −1.92196 and −3.81548 that add to −5.73744, and no operand digits mend a tie that is
    exact. The result then gets more digits too (−5.737435), up to :data:`MOST_OPERAND_DIGITS`, as a
    forward sum's z does for its σ; (``digits``, ``_operand_digits``) where none is needed or none
    helps."""
    values = [float(v) for v in values]
    if math.isfinite(result) and all(math.isfinite(v) for v in values):
        for big in range(digits, MOST_OPERAND_DIGITS + 1):
            d = _operand_digits(values, result, combine, digits=big)
            got = combine([float(_n(v, d)) for v in values])
            if all(_n(g, big) == _n(result, big) for g in (got, got * (1 - TIE_MARGIN), got * (1 + TIE_MARGIN))):
                return big, d
    return digits, _operand_digits(values, result, combine, digits=digits)


def _lx(v: float | None, paren: bool = False, digits: int = 6) -> str:
    """A number in LaTeX: ``1.5\\times 10^{-7}`` for exponents, ``\\left(-1\\right)`` if asked."""
    if v is None or not math.isfinite(v):
        return r"\text{" + _n(v) + "}"
    s = f"{v + 0.0:.{digits}g}"
    if "e" in s:
        mant, exp = s.split("e")
        s = rf"{mant} \times 10^{{{int(exp)}}}"
    return rf"\left({s}\right)" if paren and v < 0 else s


def _err(v: float) -> str:
    return "0" if v == 0 else f"{v:.0e}"


def _errs(c: Check) -> str:
    """``rel err vs backprop / rel err vs finite difference``; a comparison that passes on its
    absolute difference alone (both values ~0, so the relative error means nothing) shows
    that difference instead, e.g. ``abs 9e-13``, not a 100% error beside a ✓ (no ``|``: it
    would split a Markdown table cell)."""

    def one(rel: float, absolute: float, atol: float = ABS_TOL) -> str:
        if rel >= REL_TOL and absolute < atol:
            return f"abs {_err(absolute)}"
        return _err(rel)

    numeric = one(c.rel_err_numeric, c.abs_err_numeric, max(ABS_TOL, c.numeric_noise))
    return f"{one(c.rel_err_backprop, c.abs_err_backprop)} / {numeric}"


def _errs_labelled(c: Check) -> str:
    """``_errs`` for a check with no column header over it (--expand's panel): each figure named,
    ``rel err vs backprop 1e-16, vs finite diff 6e-10``; ``✓ 0 / 0`` there read as a division."""
    bp, fd = _errs(c).split(" / ")
    kind_bp, kind_fd = ("abs err" if e.startswith("abs ") else "rel err" for e in (bp, fd))
    bp, fd = bp.removeprefix("abs "), fd.removeprefix("abs ")
    side = " (one-sided)" if c.difference == "one-sided" else ""
    return f"{kind_bp} vs backprop {bp}, {'' if kind_fd == kind_bp else kind_fd + ' '}vs finite diff {fd}{side}"


def _check_labelled(c: Check | None, width: int = 10_000) -> Text:
    """``_check_text`` in words, for a check that stands in prose with no column header over it; a
    line wider than ``width`` breaks after its first comma or semicolon, between its two comparisons
    (not inside ``finite diff``)."""
    if c is None:
        return Text("")
    why = {"kink": "a ReLU kink", "noise": "the value is within its rounding noise of 0",
           "steep": "the cost bends within any step"}.get(c.status)
    if c.status == "pass":
        text, style = f"✓ {_errs_labelled(c)}", OK_STRONG
    elif why is not None:
        text, style = f"? rel err vs backprop {_err(c.rel_err_backprop)}; finite diff cannot judge ({why})", WARN_STRONG
    else:
        fd = "finite diff (one-sided)" if c.difference == "one-sided" else "finite diff"
        text = f"✗ FAIL {_errs_labelled(c)}\nbackprop {_n(c.backprop)}, {fd} {_n(c.numeric)}"
        style = FAIL_BADGE
    first, _, rest = text.partition("\n")
    if cell_len(first) > width:
        cut = min(i for i in (first.find(", "), first.find("; "), len(first)) if i >= 0)
        first = first[:cut + 1] + "\n  " + first[cut + 2:] if cut < len(first) else first
    return Text(first + ("\n" + rest if rest else ""), style=style)


# --------------------------------------------------------------------------------------
# Rich
# --------------------------------------------------------------------------------------
def _check_text(c: Check | None) -> Text:
    if c is None:
        return Text("")
    errs = _errs(c)
    if c.status == "pass":
        side = " one-sided" if c.difference == "one-sided" else ""
        return Text(f"✓ {errs}{side}", style=OK_STRONG)
    if c.status == "kink":
        return Text(f"? {_err(c.rel_err_backprop)} / kink\nfinite diff cannot judge", style=WARN_STRONG)
    if c.status == "noise":
        return Text(f"? {_err(c.rel_err_backprop)} / noise\nbelow finite diff's noise", style=WARN_STRONG)
    if c.status == "steep":
        return Text(f"? {_err(c.rel_err_backprop)} / steep\ncost bends within any step", style=WARN_STRONG)
    fd = "finite diff (one-sided)" if c.difference == "one-sided" else "finite diff"
    return Text(
        f"✗ FAIL {errs}\nbackprop {_n(c.backprop)}, {fd} {_n(c.numeric)}",
        style=FAIL_BADGE,
    )


def _top_level(text: str, ops: tuple[str, ...]) -> bool:
    """Does ``text`` contain one of ``ops`` outside every (…), {…} and […]?"""
    depth, flat = 0, []
    for ch in text:
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
        elif depth == 0:
            flat.append(ch)
    return any(op in "".join(flat) for op in ops)


def _paren(text: str) -> str:
    """Wrap a factor's formula in parentheses when it is a sum or difference."""
    return f"({text})" if _top_level(text, (" − ", " + ", "Σ")) else text


def _paren_lx(latex: str) -> str:
    return rf"\left({latex}\right)" if _top_level(latex, (" - ", " + ", r"\sum")) else latex


#: Where a written-out formula may be broken when it does not fit: before an operator (the
#: next line starts with it, as in typeset mathematics) or after a list's comma or the gap
#: before a check or an aside. Never inside (…), […] or {…}.
_BREAK_BEFORE = (" · ", " = ", " + ", " − ")
_BREAK_AFTER = (", ", "   ")


#: Which break a line prefers among those that fit (lower first): the gap before a check or an
#: aside, then "=", then "+" or "−", then a comma, then "·" (a product stays whole if it can).
_BREAK_RANK = {"   ": 0, " = ": 1, " + ": 2, " − ": 2, ", ": 3, " · ": 4, " else ": 1, " / ": 2}
#: Where a formula's right-hand side standing on its own line may break besides: before a
#: quotient's "/" and a case's "else" (elu's ``= z if z > 0 else e^z`` over ``− 1]`` read as its
#: else; softmax's ``= e^(z_j) / Σ_i`` over ``e^(z_i)]`` parted Σ_i from its term).
_RHS_BREAK_BEFORE = _BREAK_BEFORE + (" else ", " / ")


@functools.lru_cache(maxsize=None)
def _marks(starts: frozenset[str]) -> re.Pattern[str]:
    """A pattern of the brackets and the characters in ``starts``: the only characters at which
    the break-point scans below do anything (the others were ~3/4 of their time)."""
    return re.compile("[" + re.escape("()[]{}" + "".join(sorted(starts))) + "]")


@functools.lru_cache(maxsize=None)
def _any_of(texts: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern matching the first of ``texts`` (in their order) that starts where it is tried."""
    return re.compile("|".join(map(re.escape, texts)))


@functools.lru_cache(maxsize=1 << 16)  # a --full layer's every term, broken at several widths
def _break_points(plain: str, before: tuple[str, ...], after: tuple[str, ...]) -> tuple[tuple[int, int, int], ...]:
    """(end of a line, start of the next, rank) at every top-level place ``plain`` may be broken."""
    points, depth = [], 0
    starts = {op[0] for op in before + after}
    first_op, first_gap = _any_of(before).match, _any_of(after).match
    for m in _marks(frozenset(starts)).finditer(plain):  # the brackets and where an operator may start
        i, ch = m.start(), m.group()
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(depth - 1, 0)
        if depth or ch not in starts:
            continue
        op = first_op(plain, i) if before else None  # the first of ``before`` there
        if op is not None:
            points.append((i, i + 1, _BREAK_RANK.get(op.group(), 5)))
            continue
        gap = first_gap(plain, i) if after else None
        if gap is not None and (i == 0 or plain[i - 1] != " "):
            gap_text = gap.group()
            points.append((i + len(gap_text.rstrip()), i + len(gap_text), _BREAK_RANK.get(gap_text, 5)))
    return tuple(points)


@functools.lru_cache(maxsize=1 << 16)
def _inner_break_points(plain: str) -> tuple[tuple[int, int, int, int, int], ...]:
    """(end of a line, start of the next, rank, depth, index of the innermost open bracket) at every
    place inside (…), […] or {…} where ``plain`` may be broken: before an operator, after a comma,
    or at a space between two factors ("w_i0^(2) σ'(z_i^(2))"), never next to an operator; and
    outside brackets at such a space (depth 0, no bracket: -1)."""
    points: list[tuple[int, int, int, int, int]] = []
    stack: list[int] = []
    for m in _marks(frozenset(" ,")).finditer(plain):
        i, ch = m.start(), m.group()
        if ch in "([{":
            stack.append(i)
            continue
        if ch in ")]}":
            if stack:
                stack.pop()
            continue
        if ch not in " ,":  # every break starts at a space or a comma
            continue
        if not stack:  # outside brackets only a space between two factors: "σ'(z_i^(2)) ∂C0/∂a_i^(2)"
            if _factor_gap(plain, i):
                points.append((i, i + 1, 5, 0, -1))
            continue
        op = next((op for op in _BREAK_BEFORE if plain.startswith(op, i)), None)
        if op is not None:
            points.append((i, i + 1, _BREAK_RANK[op], len(stack), stack[-1]))
        elif plain.startswith(", ", i):
            points.append((i + 1, i + 2, _BREAK_RANK[", "], len(stack), stack[-1]))
        elif _factor_gap(plain, i):
            points.append((i, i + 1, 5, len(stack), stack[-1]))
    return tuple(points)


def _factor_gap(plain: str, i: int) -> bool:
    """Is ``plain[i]`` a single space between two factors, not next to an operator? (A line may
    start with "/", never end with it: "(a − y)" over "/ (a (1 − a))".)"""
    return (plain[i] == " " and 0 < i < len(plain) - 1 and plain[i - 1] not in " ,·=+−:/"
            and plain[i + 1] not in " ·=+−")


def _pick(points: list[Any], off: Sequence[int], begin: int, used: int, width: int) -> tuple[int, int]:
    """Among ``points`` that fit, one that fills at least 60% of the line, best rank first, else
    the last (``off``: the line's :func:`_cell_offsets`)."""
    full = [p for p in points if used + off[p[0]] - off[begin] >= 0.6 * width]
    p = min(full, key=lambda p: (p[2], -p[0])) if full else points[-1]
    return p[0], p[1]


@functools.lru_cache(maxsize=1 << 16)
def _cell_offsets(line: str) -> tuple[int, ...]:
    """The columns each prefix of ``line`` takes: ``cell_len(line[a:b]) == off[b] - off[a]`` (each
    character's width, added up; an explanation's text has no zero-width joiner or variation
    selector, which change their neighbours' widths: with one, each prefix is measured whole)."""
    if "\u200d" in line or "\ufe0f" in line:
        return tuple(cell_len(line[:i]) for i in range(len(line) + 1))
    if "\n" not in line and _narrow(line):
        return tuple(range(len(line) + 1))
    return tuple(itertools.accumulate(map(cell_len, line), initial=0))


def _widest(texts: Sequence[str]) -> int:
    """The columns the widest line of ``texts`` takes (0 for none)."""
    return max((max(map(len, text.split("\n"))) if _narrow(text) else max(map(cell_len, text.split("\n")))
                for text in texts), default=0)


def _break_formula(text: Text, width: int, indent: int = 8, before: tuple[str, ...] = _BREAK_BEFORE,
                   after: tuple[str, ...] = _BREAK_AFTER, step: int = 2) -> Text:
    """``text`` with each of its lines that is wider than ``width`` broken at its top-level
    operators (see :data:`_BREAK_BEFORE`), the continuation lines indented by ``indent``: on a
    projector's 60 columns rich wrapped a written-out product wherever the line ended, with no
    indent, and left a check's '6e-08' alone at the start of the next line, where it reads as
    the next line of the derivation. Among the breaks that fit, one that fills at least 60% of
    the line is taken by :data:`_BREAK_RANK` ("=" before "·"), else the last that fits. A piece
    wider than ``width`` on its own (a factor in parentheses, a long vector) is broken inside its
    outermost brackets the same way, or at a space there, the next line starting under the
    bracket's first character (or ``indent`` + 2 past mid-line): at 40 columns rich wrapped
    '· (Σ_i w_i0^(2) σ'(z_i^(2)) ∂C0/∂a_i^(2))' at column 0, inside its parentheses, where
    '∂C0/∂a_i^(2))' read as the next equation. Only a piece without any such break is left to rich.
    A product of factors broken between two of them goes on ``step`` columns further in than
    ``indent`` (0 for the header's prose, whose other lines go on at its ``indent``)."""
    out, start = Text(), 0
    for n, line in enumerate(text.plain.split("\n")):
        if n:
            out.append("\n")
        if cell_len(line) <= width:
            out.append_text(_piece(text, start, start + len(line)))
        else:
            for begin, end, cont in _line_pieces(line, width, indent, before, after, step):
                out.append_text(_piece(text, start + begin, start + end))
                if cont is not None:
                    out.append("\n" + cont)
        start += len(line) + 1
    return out


def _piece(text: Text, start: int, end: int) -> Text:
    """``text[start:end]`` (0 ≤ start ≤ end ≤ its length) as rich's ``Text.__getitem__`` gives it:
    the plain text, the style, justify and overflow, the spans cut to the piece (those left with
    something of it), without dividing the whole text into three (a stacked table's 2,048 rows,
    each sliced for its lines and pieces, spent ~0.1 s there)."""
    if not SHORTCUTS:
        return text[start:end]
    spans = ((max(0, s - start), min(e, end) - start, style) for s, e, style in text.spans)
    return Text(text.plain[start:end], style=text.style, justify=text.justify, overflow=text.overflow,
                spans=[Span(a, b, style) for a, b, style in spans if b > a])


def _break_plain(line: str, width: int, indent: int = 8, before: tuple[str, ...] = _BREAK_BEFORE,
                 after: tuple[str, ...] = _BREAK_AFTER) -> str:
    """``_break_formula(Text(line), …).plain`` for one line without styles, without building Text
    (a --full table's thousands of terms are broken at several widths while it is fitted)."""
    if cell_len(line) <= width:
        return line
    return "".join(line[begin:end] + ("" if cont is None else "\n" + cont)
                   for begin, end, cont in _line_pieces(line, width, indent, before, after))


@functools.lru_cache(maxsize=1 << 16)
def _line_pieces(line: str, width: int, indent: int, before: tuple[str, ...],
                 after: tuple[str, ...], step: int = 2) -> tuple[tuple[int, int, str | None], ...]:
    """Where :func:`_break_formula` breaks one line wider than ``width``: (begin, end, indent of
    the next line, None after the last piece) per piece ``line[begin:end]``."""
    out: list[tuple[int, int, str | None]] = []
    off = _cell_offsets(line)  # the columns line[a:b] takes: off[b] - off[a]
    lead = len(line) - len(line.lstrip(" "))
    pad = " " * max(indent, lead)
    begin, used = 0, 0  # used: the columns the current line's indent takes
    points = [p for p in _break_points(line, before, after) if p[0] > lead]
    inner: list[tuple[int, int, int, int, int]] | None = None  # worked out where a top-level break does not do
    while True:
        if used + off[-1] - off[begin] <= width:
            out.append((begin, len(line), None))
            break
        later = [p for p in points if p[0] > begin]
        fits = [p for p in later if used + off[p[0]] - off[begin] <= width]
        stop = later[0][0] if later else len(line)
        deep = []
        if not fits:
            if inner is None:
                inner = [p for p in _inner_break_points(line) if p[0] > lead]
            deep = [p for p in inner if begin < p[0] < stop and used + off[p[0]] - off[begin] <= width]
        cont = pad
        if fits:
            end, nxt = _pick(fits, off, begin, used, width)
        elif deep:  # the piece up to the next top-level break is too wide on its own
            # the outermost level with a break a third of the way along or further ("one" over
            # "example: x = (0, -0.337455, …" broke a 64-number header at its first space)
            depth = min((p[3] for p in deep if used + off[p[0]] - off[begin] >= width / 3),
                        default=None)
            level = [p for p in deep if p[3] == depth] if depth is not None else deep
            end, nxt = _pick(level, off, begin, used, width)
            opened = max(p[4] for p in deep if p[0] == end)
            col = used + off[opened + 1] - off[begin] if opened >= begin else used
            if depth == 0 or col > width // 2:  # a product of factors goes on ``step`` (2) columns further in
                col = len(pad) + step
            cont = " " * col
        elif later:
            end, nxt = later[0][:2]
        else:
            out.append((begin, len(line), None))
            break
        out.append((begin, end, cont))
        begin, used = nxt, len(cont)
    return tuple(out)


def _long_form(p: ChainProduct, width: int = 10_000) -> Text:
    """``∂C0/∂w_00^(2) = ∂z/∂w · … = a_0^(1) · σ'(…) · … = 0.62 · 0.24 · 0.82 = 0.12  ✓``, each
    line broken at its operators where it is wider than ``width``."""
    t = Text()
    t.append(p.symbol, style=SYMBOL)
    t.append(" = " + " · ".join(f.symbol for f in p.factors), style=NOTE)
    t.append("\n    = " + " · ".join(_paren(f.formula) for f in p.factors))
    d = _operand_digits([f.value for f in p.factors], p.value)
    t.append("\n    = " + " · ".join(_f(f.value, d) for f in p.factors))
    t.append(" = ")
    t.append(_n(p.value), style=RESULT)
    if p.check is not None:
        t.append("   ")
        t.append_text(_check_text(p.check))
    return _break_formula(t, width)


def _written_out(products: tuple[ChainProduct, ...]) -> tuple[ChainProduct, ...]:
    """The products written out in full: all of them up to :data:`_MAX_LONG_FORM`, else the one of
    the largest |value| (the first of a tie), the weight or bias this example moves most and the one
    ``--expand`` expands. A wide layer (iris's 3 × 8 output weights) wrote none out in the terminal,
    where ``--brief`` and Markdown wrote the first, w_00, whatever its size."""
    if len(products) <= _MAX_LONG_FORM:
        return products
    return (max(products, key=lambda p: abs(p.value) if math.isfinite(p.value) else -1.0),)


def _written_out_scope(ex: LayerExplanation) -> tuple[str, int]:
    """(whose products the written-out one is the largest of, the rows of layer l they come from):
    ``("", n_l)`` for the layer, ``("neuron 0's ", 1)`` where ``--neuron`` (or ``--weight``) took one
    neuron's row."""
    j = ex.neuron if ex.neuron is not None else ex.weight[0] if ex.weight is not None else None
    return ("", ex.sizes[ex.layer]) if j is None else (f"neuron {j}'s ", 1)


def _written_out_note(products: tuple[ChainProduct, ...], l: int, brief: bool, markdown: bool = False,
                      total: int | None = None, owner: str = "") -> str:
    """Under a wide layer's one written-out product: which it is and why that one, ``written out
    above: ∂C0/∂w_20^(2), the largest |∂C0/∂w_jk^(2)| of the 24, the weight this example moves most;
    the table below has each``. ``total``: the products there are where only some are shown (an 8 × 8
    corner of spirals' 64 × 64): the largest is then of those shown, said so, and not called the one
    this example moves most (w_00 of the 64 shown, where one of the 4,096 is 10x it). ``owner``:
    ``"neuron 0's "`` where ``--neuron`` took one neuron's row: its largest, not the layer's."""
    p = _written_out(products)[0]
    weight = p.kind == "weight"
    generic = f"∂C0/∂w_jk^({l})" if weight else f"∂C0/∂b_j^({l})"
    what = "weight" if weight else "bias"
    part = total is not None and total > len(products)
    shown = (f"the {len(products):,} shown of {owner}{total:,}" if part else
             f"{owner}{len(products):,}" if owner else f"the {len(products):,}")
    if all(q.value == 0 for q in products):
        why = f"the first of {shown}, as every {generic} {'shown ' if part else ''}is 0 for this example"
    elif part:
        why = f"the largest |{generic}| of {shown} (--full shows them all)"
    elif owner:
        why = f"the largest |{generic}| of {shown}"
    else:
        why = f"the largest |{generic}| of {shown}, the {what} this example moves most"
    cmd = "`backprop explain`" if markdown else "explain"
    rest = (f"the others {'shown ' if part else ''}are checked, plain {cmd} tables them" if brief else
            f"the table below has each{' shown' if part else ''}")
    return f"written out above: {p.symbol}, {why}; {rest}"


def _factor_headers(products: tuple[ChainProduct, ...], l: int, short: bool = False) -> list[str] | None:
    """Generic column headers (j, k symbolic) when every product has the same rule; ``short``
    (a narrow console) leaves layer l's superscript to the table's title."""
    rules = {p.rule for p in products}
    if len(rules) != 1 or not products:
        return None
    up = "" if short else f"^({l})"
    first = f"a_k^({l - 1})" if products[0].kind == "weight" else ("∂z_j/∂b_j" if short else "∂z_j/∂b_j = 1")
    if rules == {"fused"}:
        rule = "a_j Σ_i y_i − y_j" if "Σ" in products[0].factors[-1].formula else "a_j − y_j"  # softmax, Σy ≠ 1
        return [first, f"δ_j{up} =\n{rule}" if short else f"δ_j{up} = {rule}"]
    return [first, f"σ'(z_j{up})", f"∂C0/∂a_j{up}"]


def _digits(width: int) -> int:
    """Significant digits for table cells: 6 on a wide console, 4 on a narrow one."""
    return 6 if width >= 110 else 4


def _frame(width: int) -> dict[str, Any]:
    """Table borders for a console ``width`` wide: boxed, or on a narrow console (< 80) only a
    rule under the header and two spaces between columns, which leaves ~12 more characters
    for the numbers of a 6-column table."""
    if width >= 80:
        return {}
    return {"box": box.SIMPLE_HEAD, "collapse_padding": True, "pad_edge": False}


#: What rich's markup or emoji codes could change in a str cell ("[bold]", ":smile:").
_MARKUP_LIKE = re.compile(r"\[|:\S*:")


@functools.lru_cache(maxsize=None)
def _one_column(ch: str) -> bool:
    return cell_len(ch) == 1


def _narrow(text: str) -> bool:
    """Does every character of ``text`` but its newlines take one column? Then any piece of a
    line of it takes as many columns as it has characters (rich's ``cell_len`` adds up its
    characters' widths; a zero-width joiner or variation selector, which change that, take none)."""
    return SHORTCUTS and all(map(_one_column, set(text).difference("\n")))


def _text_measure(plain: str) -> tuple[int, int]:
    """(longest word, widest line) of a text, as rich's Text measures itself."""
    lines = plain.splitlines()
    size = len if _narrow(plain) else cell_len
    widest = max(map(size, lines)) if lines else 0
    words = plain.split()
    return (max(map(size, words)) if words else widest), widest


_plain_measure = functools.lru_cache(maxsize=1 << 16)(_text_measure)  # the same cells, for each table tried


@functools.lru_cache(maxsize=1 << 16)
def _extent(plain: str, max_width: int) -> tuple[int, int]:
    """``Measurement.get`` of a text whose plain text is ``plain``, as (minimum, maximum)."""
    m = Measurement(*_plain_measure(plain)).normalize().with_maximum(max_width)
    m = Measurement(0, 0) if m.maximum < 1 else m.normalize()
    return m.minimum, m.maximum


@functools.lru_cache(maxsize=1 << 16)
def _str_extent(cell: str, max_width: int) -> tuple[int, int] | None:
    """``_extent`` of a str cell rich reads as plain text, None for one with markup or emoji codes."""
    return None if _MARKUP_LIKE.search(cell) else _extent(cell, max_width)


def _column_extent(console: Console, options: Any, column: Any) -> tuple[int, int]:
    """(the largest minimum, the largest maximum) of ``Measurement.get`` over a column's header
    and cells, a Text or a str without markup worked out from its plain text as rich's Text
    measures itself (its longest word and its widest line): rich's own took ~80% of fitting a
    --full table of 2,048 rows, tried several times."""
    if not SHORTCUTS:
        cells = [Measurement.get(console, options, c) for c in (column.header, *column.cells)]
        return max(m.minimum for m in cells), max(m.maximum for m in cells)
    header = Measurement.get(console, options, column.header)
    lo, hi = header.minimum, header.maximum
    max_width = options.max_width
    for cell in column.cells:
        if isinstance(cell, Text):
            m = _extent(cell.plain, max_width)
        elif type(cell) is str:
            m = _str_extent(cell, max_width) or Measurement.get(console, options, cell)
        else:
            m = Measurement.get(console, options, cell)
        if m[0] > lo:
            lo = m[0]
        if m[1] > hi:
            hi = m[1]
    return lo, hi


class _FrameWidths(dict):
    """What a table's frame adds to its headers' widths, by :func:`_frame_key`; ``cache_clear``
    as the renderer's other caches have (tests/test_explain_output.py clears them all)."""

    def __init__(self) -> None:
        super().__init__()
        self.cache_clear = self.clear


_frame_widths = _FrameWidths()


def _frame_key(table: Table) -> tuple[Any, ...] | None:
    """Everything the width a table's frame adds depends on (its edges, padding and headers), or
    None where it is not worked out as :func:`_fits` caches it (a header not a str, a footer, a
    fixed table width)."""
    if not (table.columns and table.show_header and not table.show_footer and table.width is None):
        return None
    if any(type(c.header) is not str for c in table.columns):
        return None
    return (bool(table.box), table.show_edge, table.padding, table.collapse_padding, table.pad_edge, table.expand,
            table.min_width, tuple((c.header, c.width, c.min_width, c.max_width, c.ratio, c.no_wrap)
                                   for c in table.columns))


def _fits(table: Table, width: int) -> bool:
    """Does ``table`` fit ``width`` columns with every no_wrap cell whole and every other cell's
    longest word whole? (rich's own measurement takes a no_wrap cell's longest word too.)"""
    return _table_need(table) <= width


def _table_need(table: Table, natural: bool = False) -> int:
    """The columns ``table`` takes with every no_wrap cell whole and every other cell's longest
    word whole (:func:`_fits`), or ``natural``, every cell's widest line whole: the width it takes
    where no column is narrowed."""
    console = Console(width=10_000, file=io.StringIO(), color_system=None)
    options = console.options
    need = 0
    for column in table.columns:
        lo, hi = _column_extent(console, options, column)
        need += max(hi if column.no_wrap or natural else lo, column.min_width or 0)
    key = _frame_key(table) if SHORTCUTS else None
    if key in _frame_widths:  # the same headers and edges in each of a table's ~20 tries
        return need + _frame_widths[key]
    # The edges, gaps and padding: what the table's frame adds to its headers' natural widths.
    # Rendered without the rows (and title), which cost the same whatever the rows: rendering
    # the whole table took 0.1 s a try for a --full table of 320 rows, tried ~20 times.
    frame = copy.copy(table)
    frame.columns = [column.copy() for column in table.columns]
    frame.rows, frame.title, frame.caption = [], None, None
    if key is not None:
        # Each line rich renders of it (a border, the header) is its columns' widths plus the edges
        # and dividers: the widths as rich lays them out, not rendered (~2 ms a try, most of the
        # time explain took to fit its tables); render_lines crops at 10,000.
        extra = frame._extra_width
        widths = Table._calculate_column_widths(frame, console, options.update_width(options.max_width - extra))
        rendered = min(sum(widths) + extra, options.max_width)
    else:
        lines = console.render_lines(frame, options, pad=False)
        rendered = max((sum(seg.cell_length for seg in line) for line in lines), default=0)
    headers = sum(max(Measurement.get(console, options, c.header).maximum, c.min_width or 0) for c in table.columns)
    if key is not None:
        if len(_frame_widths) >= 4096:  # a long-lived process's: bounded
            _frame_widths.clear()
        _frame_widths[key] = rendered - headers
    return need + (rendered - headers)


# --------------------------------------------------------------------------------------
# Printing: rich's output, byte for byte, without rich's work per cell where it is plain
# --------------------------------------------------------------------------------------
class _Table(Table):
    """A rich ``Table`` printed as rich prints it, character for character and style for style,
    several times faster when it has many rows (a ``--full`` layer's 2,048 products).

    rich renders every cell through several layers (a padding, a text wrapped into lines, its
    styled segments, each line cut or padded to the column three times over): ~0.1 ms a cell,
    5 cells a row, which was most of ``explain --full``'s time (a 64-32-10 network's layer 1:
    ~1.2 s of ~2 s in printing its products table). Here rich still lays out the columns and
    prints the title, the header and the frame (a copy of the table without its rows, its
    columns fixed at the widths rich gives the whole table), and the rows are put together as
    rich's ``Table._render`` does, line by line: the left edge, each cell's line with its
    padding, the dividers, the right edge. A cell of plain text (no markup, no spans) whose
    lines fit its column is worked out directly: each line justified as rich's ``Text.wrap``
    does it, one segment in the cell's style. Any other cell is rendered by rich itself, with
    the options rich would give it. A table laid out otherwise (see :func:`_plain_layout`) is
    left to rich. ``tests/test_explain_output.py`` holds both to the same output."""

    def __rich_console__(self, console: Console, options: Any) -> Any:
        fast = _fast_table(self, console, options) if SHORTCUTS else None
        yield from Table.__rich_console__(self, console, options) if fast is None else fast

    def _calculate_column_widths(self, console: Console, options: Any) -> list[int]:
        """rich's widths; and where the title is wider than the table they make, it is broken
        between its phrases (rich prints the title next, wrapped at the table's width, and broke
        it at any space: ``z_j^(1) =`` over ``Σ_k …``, ``δ_j^(2)`` over ``= ∂C0/∂z_j^(2)``)."""
        widths: list[int] = super()._calculate_column_widths(console, options)
        given = self.__dict__.setdefault("_given_title", self.title)
        if isinstance(given, str):
            self.title = _phrase_broken(given, sum(widths) + self._extra_width)
        return widths


def _phrases(title: str) -> list[str]:
    """A title's phrases, each with the ``;``, ``:`` or ``,`` that ends it, split where one of them
    is followed by a space outside brackets: ``Forward pass of layer 2 (eq. 2):``, ``z_j^(2) = Σ_k
    w_jk^(2) a_k^(1) + b_j^(2),``, ``then a_j^(2) = σ(z_j^(2))``; a formula has none of them."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(title):
        depth += (ch in "([{") - (ch in ")]}")
        if ch in ";:," and depth == 0 and title[i + 1:i + 2] == " ":
            out.append(title[start:i + 1])
            start = i + 2
    return out + [title[start:]]


def _phrase_broken(title: str, width: int) -> str:
    """``title`` with each of its lines wider than ``width`` broken between phrases (see
    :func:`_phrases`), as many on a line as fit; a phrase wider than ``width`` is broken as prose is
    (:func:`prose_broken`: not inside a bracket up to half the line, nor inside a formula that fits),
    where rich broke it at any space (``(eq. 8 with k → j, j →`` over ``i):`` at 60 columns). A
    title that fits is returned as it is."""
    lines = []
    for line in title.split("\n"):
        if cell_len(line) <= width:
            lines.append(line)
            continue
        rows: list[str] = []
        for phrase in _phrases(line):
            if rows and cell_len(rows[-1]) + 1 + cell_len(phrase) <= width:
                rows[-1] += " " + phrase
            elif cell_len(phrase) > width:
                # a bracket held up to the whole line: "(eq. 8 with k → j, j → i):" is one phrase's part
                broken = prose_broken(Text(phrase), width, hold=2 * width).plain
                rows += [row.rstrip() for row in broken.split("\n")]
            else:
                rows.append(phrase)
        lines += rows
    return "\n".join(lines)


def _plain_layout(table: Table) -> bool:
    """Does ``table`` lay out as :class:`_Table` puts it together: a header, then its rows one
    line after another, with nothing between rows, per row or under them (no row lines, row
    styles, footer, caption, vertical padding, ``expand``; columns without a style or a fixed
    width of their own, their cells aligned to the top)?"""
    top, _, bottom, _ = table.padding
    return (bool(table.rows) and table.show_header and bool(table.columns)
            and not (table.show_footer or table.show_lines or table.leading or table.row_styles or table.expand
                     or table.min_width is not None or table.caption or top or bottom)
            and all(row.style is None and not row.end_section for row in table.rows)
            and all(c.vertical == "top" and not c.style and c.width is None for c in table.columns))


def _plain_of(cell: Any) -> tuple[str, Any] | None:
    """(text, style) of a cell rich prints as plain text in one style: a str without markup or
    emoji codes, a Text without spans or its own justify, overflow, wrapping or tabs; else None."""
    if type(cell) is str:
        return None if _MARKUP_LIKE.search(cell) else (cell, "")
    if (isinstance(cell, Text) and not cell.spans and cell.justify is None and cell.overflow is None
            and cell.no_wrap is None):
        return cell.plain, cell.style
    return None


def _justified(plain: str, justify: str, width: int) -> list[str] | None:
    """The lines of ``plain`` as rich's ``Text.wrap`` justifies them in ``width`` columns where
    each fits (so none is wrapped, cut or stripped of a control character), else None."""
    lines = plain.split("\n")
    out = []
    for line in lines:
        if len(line) > width or not line.isprintable() or (justify != "left" and line[-1:] == " "):
            return None  # right and center strip trailing spaces first
        excess = width - cell_len(line)
        if excess < 0:
            return None
        if justify == "left":
            out.append(line + " " * excess)
        elif justify == "right":
            out.append(" " * excess + line)
        else:
            out.append(" " * (excess // 2) + line + " " * (excess - excess // 2))
    return out


class _Fitted:
    """A Text printed as rich prints it, without rich's wrapping of it line by line where every
    line fits the width: rich's Text.wrap would then leave each line as it is (nothing to break,
    cut or justify), and its lines joined render the same segments as the text itself but at
    the line ends, where the lines are split anyway. A stacked table of 2,048 rows spent ~0.3 s
    in that wrapping at 40 columns."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: Any) -> Any:
        t, width = self.text, options.max_width
        plain = t.plain
        if (not SHORTCUTS or (t.justify or options.justify or "default") != "default" or "\t" in plain
                or not all(len(line) <= width for line in plain.split("\n"))
                or not (_narrow(plain) or all(cell_len(line) <= width for line in plain.split("\n")))):
            return t.__rich_console__(console, options)
        return t.render(console, end=t.end)

    def __rich_measure__(self, console: Console, options: Any) -> Measurement:
        return self.text.__rich_measure__(console, options)


class _Measured:
    """Stands in for a column's plain-text cells while rich works out the columns' widths:
    measures as they do, the largest of their minima and of their maxima."""

    def __init__(self, minimum: int, maximum: int) -> None:
        self.minimum, self.maximum = minimum, maximum

    def __rich_measure__(self, console: Console, options: Any) -> Measurement:
        return Measurement(self.minimum, self.maximum)

    def __rich_console__(self, console: Console, options: Any) -> Any:  # measured only, never printed
        return iter(())


def _with_cells(table: Table, cells: list[list[Any]]) -> Table:
    """A copy of ``table`` whose columns hold ``cells`` ([column][row]), with as many empty rows."""
    out = copy.copy(table)
    out.columns = [column.copy() for column in table.columns]
    for column, col in zip(out.columns, cells):
        column._cells = col
    out.rows = [Row() for _ in range(max(len(col) for col in cells))]
    return out


def _measured_as(table: Table, raw: list[list[Any]], plain: list[list[tuple[str, Any] | None]]) -> Table:
    """``table`` as rich measures it, each column's plain cells (``raw``, [column][row], whose
    :func:`_plain_of` is ``plain``) one :class:`_Measured` that measures as they do together."""
    proxies = []
    for cells, col in zip(raw, plain):
        measured = [_plain_measure(p[0]) for p in col if p is not None]
        proxies.append(([_Measured(max(m[0] for m in measured), max(m[1] for m in measured))] if measured else [])
                       + [c for c, p in zip(cells, col) if p is None])
    return _with_cells(table, proxies)


def _measured_width(table: Table, width: int) -> int:
    """``Console(width=width).measure(table).maximum``, a :func:`_plain_layout` table's plain cells
    measured from their text (rich measured each of δ aᵀ's cells through its layers, twice or more
    a table: ~50 ms for a --full layer's)."""
    console = Console(width=width, file=io.StringIO())
    if SHORTCUTS and _plain_layout(table):
        raw = [list(column.cells) for column in table.columns]
        table = _measured_as(table, raw, [[_plain_of(cell) for cell in col] for col in raw])
    return console.measure(table).maximum


def _fast_table(table: Table, console: Console, options: Any) -> list[Segment] | None:
    """The segments rich prints for ``table`` (see :class:`_Table`), or None: leave it to rich."""
    if not _plain_layout(table):
        return None
    columns, n = table.columns, len(table.rows)
    raw = [list(column.cells) for column in columns]  # [column][row]
    plain = [[_plain_of(cell) for cell in col] for col in raw]
    max_width = options.max_width if table.width is None else table.width
    sized = options.update_width(max_width - table._extra_width)

    # The columns' widths as rich works them out from every cell's widest line and longest word.
    widths = Table._calculate_column_widths(_measured_as(table, raw, plain), console, sized)
    # The title, the header and the frame: the table without rows, its columns fixed at those widths.
    head = _with_cells(table, [[] for _ in columns])
    for i, column in enumerate(head.columns):
        column.width = widths[i] - table._get_padding_width(i)
    if Table._calculate_column_widths(head, console, sized) != widths:
        return None
    render_options = options.update(width=sum(widths) + table._extra_width, highlight=table.highlight, height=None)
    safe_box = table.safe_box if table.safe_box is not None else console.safe_box
    # as Table._render substitutes it (ASCII where the encoding asks)
    edge_box = table.box.substitute(render_options, safe=safe_box) if table.box else None
    out = list(Table.__rich_console__(head, console, options))
    new_line = Segment.line()
    border_style = console.get_style(table.style or "") + console.get_style(table.border_style or "")
    bottom = [Segment(edge_box.get_bottom(widths), border_style), new_line] if edge_box and table.show_edge else []
    if out[len(out) - len(bottom):] != bottom:
        return None
    del out[len(out) - len(bottom):]

    null = Style.null()
    row_style = console.get_style(table.get_row_style(console, 0))  # every row's: no row styles
    cell_style = null + row_style
    layout = []  # per column: its padding segments, its width inside them, how its plain cells justify
    for i, column in enumerate(columns):
        left = right = 0
        if any(table.padding):  # rich wraps every cell in a Padding: its sides are the same in every row
            pad = next(itertools.islice(table._get_cells(console, i, column), 1, 2)).renderable
            left, right = pad.left, pad.right
        justify = (column.justify if not column.highlight and column.justify in ("left", "center", "right")
                   and column.overflow in ("fold", "crop", "ellipsis") else None)
        layout.append(([Segment(" " * left, null)] if left else [], [Segment(" " * right, null)] if right else [],
                       left, right, widths[i] - left - right, justify))
    if min(inner for _, _, _, _, inner, _ in layout) < 1:
        return None
    styles: dict[Any, Style] = {}
    if edge_box:
        edges = []
        for part in ("mid", "foot"):  # rows, the last row
            left_edge, right_edge, divider = (Segment(getattr(edge_box, f"{part}_{side}"), border_style)
                                              for side in ("left", "right", "vertical"))
            if not divider.text.strip():
                divider = Segment(divider.text, row_style.background_style + divider.style)
            edges.append((left_edge if table.show_edge else None, right_edge if table.show_edge else None, divider))
    last_column = len(columns) - 1
    append, extend = out.append, out.extend
    for k in range(n):
        cells: list[list[list[Segment]]] = []
        for i, (lpad, rpad, left, right, inner, justify) in enumerate(layout):
            p = plain[i][k]
            lines = None if p is None or justify is None else _justified(p[0], justify, inner)
            if lines is not None:
                style = p[1]  # type: ignore[index]
                if style:
                    if style not in styles:
                        styles[style] = console.get_style(style, default=null)
                    cells.append([[*lpad, Segment(line, styles[style]), *rpad] for line in lines])
                else:
                    cells.append([[*lpad, Segment(line), *rpad] for line in lines])
            else:  # as Table._render renders a cell
                column = columns[i]
                cell_options = render_options.update(width=widths[i], justify=column.justify, no_wrap=column.no_wrap,
                                                     overflow=column.overflow, height=None, highlight=column.highlight)
                lines_of = console.render_lines(Padding(raw[i][k], (0, right, 0, left)), cell_options, style=cell_style)
                cells.append(Segment.set_shape(lines_of, widths[i]))
        row_height = max(map(len, cells))
        height = max(row_height, 1)
        if any(len(cell) != height for cell in cells):  # rich tops a row's cells: blank lines below
            cells = [Segment.set_shape(Segment.align_top(cell, width, row_height, cell_style), width, height)
                     for cell, width in zip(cells, widths)]
        if edge_box:
            left_edge, right_edge, divider = edges[k == n - 1]
            for line_no in range(height):
                if left_edge is not None:
                    append(left_edge)
                for i, cell in enumerate(cells):
                    extend(cell[line_no])
                    if i < last_column:
                        append(divider)
                if right_edge is not None:
                    append(right_edge)
                append(new_line)
        else:
            for line_no in range(height):
                for cell in cells:
                    extend(cell[line_no])
                append(new_line)
    return out + bottom


def _products_table(
    title: str, products: tuple[ChainProduct, ...], index_name: str, l: int, width: int = 120
) -> Table | Group:
    """One row per product: its factors' values, the product and its check. No number is ever
    folded or cut (a projector's 60 columns turned '-0.7164' into '-0.716' over '4', and
    '-0.5676' into '-0.56…'): where the table does not fit, step by step, the headers drop layer
    l's superscript (the title names the layers), the blank edge columns go, and each check
    goes on two lines (or more, wrapped between words: a failure's values). Where even that does
    not fit (below ~50 columns), the products are stacked: one line each, "j,k: factors =
    product   check", broken at its operators (see :func:`_stacked`). The form is the one the
    factors at the products' digits fit; in it, the factors get the digits it takes for each row
    to multiply out (:func:`_table_digits`) where those fit too, else the products' digits and a
    note under the table says so (at 60 columns the wider factors put iris's checks on two lines
    a row, and a pipe's 80 columns dropped a --full digits table's frame)."""
    by_factor = _factor_headers(products, l) is not None
    digits = _digits(width)
    rows = _product_rows(products, by_factor, digits)
    fitted = _products_form(title, products, index_name, l, width, rows)
    if fitted is None:
        return _products_stacked(title, products, index_name, l, width)
    level, table = fitted
    exact = _product_rows(products, by_factor, digits, rows)
    if _row_texts(exact) == _row_texts(rows):
        return table
    wider = _products_table_of(title, products, index_name, l, width, level, exact)
    # and no column narrower than in that form: one whose checks wrap (at 60 columns, digits'
    # --layer 1) kept its rows' two lines but took its header from 3 lines to 6
    if _table_need(wider, natural=True) <= max(width, _table_need(table, natural=True)):
        return wider
    # else the next forms whose rows still take one line each (shorter headers, no blank edges): iris's
    # --layer 1 at 70 columns rounded its factors under the note where 69 columns showed every digit
    for narrower in range(level + 1, 3):
        wider = _products_table_of(title, products, index_name, l, width, narrower, exact)
        if _fits(wider, width):
            return wider
    # in the words of a table's "left out for width" notes: a wider console shows the other digits
    note = [f"factors rounded to {digits} digits for width:", "each product is of the unrounded values"]
    return Group(table, Prose(phrased(note, " ", width, style=NOTE)), Text(""))  # a line before what follows


def _products_form(
    title: str, products: tuple[ChainProduct, ...], index_name: str, l: int, width: int, rows: list[tuple[Any, ...]]
) -> tuple[int, Table] | None:
    """(the level, the table) of the first of the products table's forms that fits ``width`` with
    ``rows``, None where none does (stacked)."""
    # each form is narrower than the one before: on a narrow console, where the narrowest does not
    # fit, none does (trying all 4 took 0.4 s for 2,048 rows)
    if width < 80 and not _fits(_products_table_of(title, products, index_name, l, width, 3, rows), width):
        return None
    for level in (0, 1, 2, 3):
        table = _products_table_of(title, products, index_name, l, width, level, rows)
        if _fits(table, width):
            return level, table
    return None


def _row_texts(rows: list[tuple[Any, ...]]) -> list[list[str]]:
    """The plain text of each of ``rows``' cells."""
    return [[c.plain if isinstance(c, Text) else c for c in row] for row in rows]


def _products_stacked(title: str, products: tuple[ChainProduct, ...], index_name: str, l: int,
                      width: int) -> Group:
    """The products table stacked: "j,k: 0.5 · 0.2326 · 1.264 = 0.147   ✓ 0 / 3e-10" a product,
    the factors with the digits it takes for them to multiply to the shown product."""
    digits = _digits(width)
    headers = _factor_headers(products, l, short=True)
    factors = " · ".join(h.replace("\n", " ") for h in headers) if headers else "factors"
    title += f" (j in layer {l}" + (f", k in layer {l - 1})" if "k" in index_name else ")")
    rows = []
    for p in products:
        idx = ",".join(map(str, p.index))
        d = _operand_digits([f.value for f in p.factors], p.value, digits=digits)
        assert p.check is not None
        line = _row_line(f"{idx}: " + " · ".join(_cf(f.value, d) for f in p.factors) + " = ",
                         Text(_cell(p.value, digits), style=RESULT), "   ", _check_text(p.check),
                         indent=len(idx) + 2)
        rows.append([(line, len(idx) + 2, _BREAK_BEFORE)])
    return _stacked(title, f"{index_name}: {factors} = product, then its check (rel err vs backprop / "
                    "finite diff)", rows, width)


def _table_digits(products: tuple[ChainProduct, ...], digits: int) -> tuple[int, list[int]]:
    """(significant digits of a products table's factors, of each row's product) such that every
    row's shown factors multiply to its shown product: the factors one count for the whole table,
    the least from ``digits`` on that does it (a column shows each value the same way in every row:
    σ'(z_0) is 0.22271 on each of neuron 0's rows), each product ``digits``, or one more where its
    factors land within a rounding of its last digit's tie (8 of 1,092 rows in a teacher's tables).
    With every factor at the product's digits, sig3.yaml's ``0,1 │ 0.490102 │ 0.244968 │ 0.741867 │
    0.0890682`` multiplied to 0.0890680: 652 of the teacher's 2,150 rows missed their product by
    half a last digit or more, at 4 digits or 6. A row no count mends (a product exactly on a tie)
    keeps ``digits``, as :func:`_operand_digits` does."""
    rows = [([f.value for f in p.factors], p.value) for p in products]
    best: tuple[int, int, list[int]] | None = None  # (rows not mended, D, products' digits)
    for d in range(digits, max(MOST_OPERAND_DIGITS, digits + 2) + 1):
        shown, missed = [], 0
        # a layer's 2,048 rows share ~100 factor values (a_k on each j's row, σ'(z_j) on each k's)
        rounded: dict[float, float] = {}
        for values, value in rows:
            p = next((q for q in (digits, digits + 1) if _multiplies_out(values, value, d, q, rounded)), None)
            missed += p is None
            shown.append(digits if p is None else p)
            if best is not None and missed >= best[0]:
                break
        else:
            if best is None or missed < best[0]:
                best = (missed, d, shown)
            if not missed:
                break
    assert best is not None
    return best[1], best[2]


def _multiplies_out(values: list[float], result: float, d: int, digits: int,
                    rounded: dict[float, float] | None = None) -> bool:
    """Whether ``values`` shown with ``d`` digits multiply to ``result`` shown with ``digits``, as
    :func:`_operand_digits` judges it (a product within floating-point noise of a tie does not);
    ``rounded``: the values already shown with ``d`` digits, read back."""
    if not (math.isfinite(result) and all(math.isfinite(v) for v in values)):
        return True
    if rounded is None:
        rounded = {}
    got = 1.0
    for v in values:
        r = rounded.get(v)
        if r is None:
            r = rounded[v] = float(_n(v, d))
        got *= r
    shown = _n(result, digits)
    return all(_n(g, digits) == shown for g in (got, got * (1 - TIE_MARGIN), got * (1 + TIE_MARGIN)))


def _product_rows(products: tuple[ChainProduct, ...], by_factor: bool, digits: int,
                  at: list[tuple[Any, ...]] | None = None) -> list[tuple[Any, ...]]:
    """The cells of the products table's rows, the same whatever its headers and edges: worked
    out once, not for each of the up to 4 tables tried (2,048 rows for a --full layer). The factors
    have the products' ``digits`` (a factors cell 6); given the rows so made (``at``: their index
    and check cells are kept), the digits it takes for each row to multiply to its product as
    shown (:func:`_table_digits`)."""
    if at is None:
        d, shown = (digits if by_factor else 6), [digits] * len(products)
    else:
        d, shown = _table_digits(products, digits)
    rows = []
    for i, (p, dp) in enumerate(zip(products, shown)):
        cells = [_cell(f.value, d) for f in p.factors] if by_factor else [
            " · ".join(_cf(f.value, d) for f in p.factors)]
        product = Text(_cell(p.value, dp), style=RESULT)
        if at is not None:
            rows.append((at[i][0], *cells, product, at[i][-1]))
            continue
        assert p.check is not None
        rows.append((",".join(map(str, p.index)), *cells, product, _check_text(p.check)))
    return rows


def _products_table_of(
    title: str, products: tuple[ChainProduct, ...], index_name: str, l: int, width: int, level: int,
    rows: list[tuple[Any, ...]],
) -> Table:
    short = level >= 1
    headers = _factor_headers(products, l, short)
    if short and headers is not None:
        title += f" (j in layer {l}" + (f", k in layer {l - 1})" if "k" in index_name else ")")
    table = _Table(title=title, title_style="bold", header_style="bold", show_lines=False, **_frame(width))
    if level >= 2:
        table.show_edge = False
    widest = max([len(",".join(map(str, p.index))) for p in products] + [len(index_name)])
    table.add_column(index_name, justify="center", no_wrap=True, min_width=widest)
    if headers is not None:
        for h in headers:
            table.add_column(h, justify="right", no_wrap=True)
    else:
        table.add_column("factors", justify="right")
    table.add_column("product", justify="right", no_wrap=True, min_width=None if short else 10)
    table.add_column(_CHECK_HEADER, justify="right", no_wrap=level < 3)  # at 3 it wraps between words
    for *cells, check in rows:
        if level >= 3:  # "✓ 2e-16" over "/ 8e-09"
            check = check.copy()
            check.plain = check.plain.replace(" / ", "\n/ ", 1)
        table.add_row(*cells, check)
    return table


#: A stacked row's line: its text, the indent of its continuation lines, and where it may break
#: before (operators; none: only after its commas, for a list "z_j = 0.34, a_j = 0.33").
_Line = tuple[Text, int, tuple[str, ...]]


def _stacked(title: str, legend: str, rows: list[list[_Line]], width: int) -> Group:
    """A table too wide for ``width`` in every form tried, one row after the other: ``title``
    (bold), ``legend`` (dim: what a row's items are), then each row's lines, each broken at its
    operators or commas where wider than ``width``. Below ~50 columns rich squeezed such a table's
    columns and cut its numbers ('-0.3018…', '(-0.389…': another number to a learner) or dropped a
    whole column, and wrapped its terms anywhere; stacked, every number is shown whole."""
    body = Text()
    for i, row in enumerate(rows):
        for n, (line, indent, before) in enumerate(row):
            if i or n:
                body.append("\n")
            body.append_text(_break_formula(line, width, indent=indent, before=before))
    # the title breaks between its phrases, as a table's title does; the legend as prose, not after an
    # "=" ("j: ∂z_j/∂b_j · σ'(z_j) · ∂C0/∂a_j =" over "product" at 40 columns)
    head = [*([Text(_phrase_broken(title, width), style="bold")] if title else []),
            *([Prose(Text(legend, style=NOTE))] if legend else [])]
    return Group(*head, _Fitted(body), Text(""))


def _row_line(*parts: str | Text, indent: int = 0) -> Text:
    """A Text of ``parts`` (a str plain, a Text with its styles), its later lines (a check's "finite
    diff cannot judge") ``indent`` columns in, under the row's first item rather than at column 0,
    where they would read as the next row."""
    t = Text()
    for part in parts:
        if isinstance(part, Text):
            t.append_text(part)
        else:
            t.append(part)
    if "\n" in t.plain:
        lines = t.split("\n", allow_blank=True)
        t = Text("\n").join([lines[0], *(Text(" " * indent) + line for line in lines[1:])])
    return t


def _term_lines(cell: str, width: int) -> list[_Line]:
    """A forward or hand-back cell's terms ("k=0: w · a = term", one a line) for a stacked table:
    2 columns in, continuation lines under the first factor; the hint after left-out terms broken
    between its words."""
    out = []
    for line in cell.split("\n"):
        if line.startswith("…"):
            out += [(Text("  " + part), 4, ()) for part in _wrap_hint(line, width - 2).split("\n")]
        else:
            out.append((Text("  " + line), 2 + (line.index(": ") + 2 if ": " in line else 2), _BREAK_BEFORE))
    return out


#: A panel's border and padding: its text gets the console's width less these columns.
_PANEL_FRAME = 4


def _equations(eqs: tuple[Equation, ...], width: int = 10_000) -> Text:
    """One labelled equation a line, each broken at its operators where wider than ``width``. A
    chain ``lhs = rule = values`` that does not fit puts its last ``= values`` on a line of its
    own, as the written-out products do: at 80 columns the weight rule read ``· ∂C0/∂a_j^(2) =
    a_k^(1) · σ'(z_j^(2)) · …`` on one line, the rule's last factor run into the values, where
    the bias rule below it showed its ``= 1 · σ'(z_j^(2)) · …`` alone."""
    t = Text()
    for i, e in enumerate(eqs):
        if i:
            t.append("\n")
        t.append(f"{e.label}: ", style=NOTE)
        last = _last_top_level_equals(e.text)
        if last is not None and cell_len(f"{e.label}: {e.text}") > width:
            t.append(e.text[:last] + "\n    " + e.text[last + 1:])
        else:
            t.append(e.text)
    return _break_formula(t, width, indent=4)


def _values_apart(symbols: Text, values: Text, width: int, indent: int) -> Text:
    """``symbols`` (``E_1[1] = E_2[0] · W_2[0,1] · σ'(Z_1)_1``) and ``values`` (``= 0.2958 · 1.0965
    · 0.2216 = 0.0719``) on one line where it fits; else each broken at its operators, the values
    starting a line of their own with their ``=``, as a chain rule that wraps puts them: broken
    wherever the line ended, at 40 columns seed 001's panel read ``· σ'(Z_1)_1 = 0.2957971`` (E_2[0]'s
    value beside σ'(Z_1)_1, whose value is 0.2215578), at 55 ``C'(W_2)[0,1] = E_2[0] · H_1[1] =
    0.13849856`` (the derivative is 0.0827)."""
    if "\n" not in symbols.plain and cell_len(symbols.plain) + 1 + cell_len(values.plain) <= width:
        return Text(" ").join([symbols, values])
    return Text("\n").join([_break_formula(symbols, width, indent=indent),
                            _break_formula(Text(" " * indent) + values, width, indent=indent)])


def _last_top_level_equals(text: str) -> int | None:
    """The index of the last `` = `` outside brackets in ``text`` when there are two or more (a
    chain ``a = b = c``), else None."""
    depth, found = 0, []
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif depth == 0 and text.startswith(" = ", i):
            found.append(i)
    return found[-1] if len(found) >= 2 else None


def _neuron_table(ex: LayerExplanation, width: int) -> Table | Group:
    """z, a, σ', ∂C0/∂a, δ, ∂C0/∂b per neuron; on a narrow console ∂C0/∂b (= δ) goes to the title.
    No number or flag is ever cut (at 60 columns '-0.004909' became '-0.0049…' and the
    'inactive' flags were dropped): where the table does not fit, step by step, the headers drop
    layer l's superscript (the title names the layer), then the blank edges go, then the gaps
    between columns narrow to one space. Where even that does not fit (below ~45 columns for a
    layer with a flagged neuron), the neurons are stacked: "j: z_j = …, a_j = …, …" each."""
    # ∂C0/∂b_j keeps its column while the table fits with at most the frame's edges gone (at 80 to
    # 100 columns it went to the title at once, beside the room it left): then, before the gaps
    # between the columns go, its title says ∂C0/∂b_j = δ_j instead
    for with_b, level in [(True, level) for level in (0, 1, 2)] + [(False, level) for level in (0, 1, 2, 3)]:
        table = _neuron_table_of(ex, width, level, with_b)
        if _fits(table, width):
            return table
    return _neurons_stacked(ex, width)


def _neuron_flag(r: NeuronRow) -> str:
    """A neuron's flag in the per-neuron table: ``saturated``, ``at kink (z ≈ 0)`` (a ReLU-family z
    that is 0 up to rounding: by hand σ'(0) takes the rule's else-branch), ``inactive (z ≤ 0)``
    (a relu unit with z ≤ 0, exactly 0 included), or nothing."""
    if r.saturated:
        return "saturated"
    if r.near_kink:
        return "at kink (z ≈ 0)"
    return "inactive (z ≤ 0)" if r.dead else ""


def _neurons_shown(ex: LayerExplanation) -> str:
    """`` (8 of 10 shown)`` where the per-neuron table leaves neurons out, else "": a layer shown
    whole, as its forward table's title, says nothing of it ('(1 of 1 shown)' told a learner nothing)."""
    return f" ({len(ex.neurons):,} of {ex.n_neurons:,} shown)" if len(ex.neurons) < ex.n_neurons else ""


def _neurons_stacked(ex: LayerExplanation, width: int) -> Group:
    l, d = ex.layer, _digits(width)
    title = (f"Layer {l} ({ex.label}), {ex.activation}: per neuron{_neurons_shown(ex)}; j in layer {l}; "
             "δ_j = ∂C0/∂z_j; ∂C0/∂b_j = δ_j for one example")
    rows = []
    for r in ex.neurons:
        values = zip(("z_j", "a_j", "σ'(z_j)", "∂C0/∂a_j", "δ_j"), (r.z, r.a, r.sigma_prime, r.grad_a, r.delta))
        line = _row_line(f"{r.j}: " + ", ".join(f"{name} = {_cell(v, d)}" for name, v in values))
        flag = _neuron_flag(r)
        if flag:
            line.append("   ")
            line.append(flag, style="bold red")
        rows.append([(line, len(str(r.j)) + 2, ())])
    return _stacked(title, "", rows, width)


def _neuron_table_of(ex: LayerExplanation, width: int, level: int, with_b: bool = True) -> Table:
    l, d = ex.layer, _digits(width)
    roomy = width >= 80
    up = "" if level >= 1 else f"^({l})"
    title = f"Layer {l} ({ex.label}), {ex.activation}: per neuron{_neurons_shown(ex)}"
    if level >= 1:
        title += f"; j in layer {l}"
    if not roomy:  # a projector's font: what δ is moves to the title, as ∂C0/∂b does
        title += f"; δ_j{up} = ∂C0/∂z_j{up}"
    if not with_b:  # where its column went
        title += f"; ∂C0/∂b_j{up} = δ_j for one example (its column left out for width)"
    table = _Table(title=title, title_style="bold", header_style="bold", **_frame(width))
    if level >= 2:
        table.show_edge = False
    if level >= 3:
        table.padding = (0, 0)
    delta = f"δ_j{up} =\n∂C0/∂z_j{up}" if roomy else f"δ_j{up}"
    headers = ["j", f"z_j{up}", f"a_j{up}", f"σ'(z_j{up})", f"∂C0/∂a_j{up}", delta]
    widest_j = max([len(str(r.j)) for r in ex.neurons] + [1])
    table.add_column(headers[0], justify="right", no_wrap=True, min_width=widest_j)  # never squeezed away
    for h in headers[1:] + ([f"∂C0/∂b_j{up}"] if with_b else []):
        table.add_column(h, justify="right", no_wrap=True)
    flagged = any(_neuron_flag(r) for r in ex.neurons)
    if flagged:  # a warnings column only when a neuron has something to say
        table.add_column("", no_wrap=True)
    for r in ex.neurons:
        flag = Text(_neuron_flag(r).replace(" (", "\n(") if level >= 2 else _neuron_flag(r), style="bold red")
        cells = [_cell(v, d) for v in (r.z, r.a, r.sigma_prime, r.grad_a, r.delta)]
        cells += [_cell(r.grad_b, d)] if with_b else []
        table.add_row(str(r.j), *cells, *([flag] if flagged else []))
    return table


# --------------------------------------------------------------------------------------
# A neuron's factors worked out with its numbers (under the per-neuron table)
# --------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class _Worked:
    """One factor of a neuron's products worked out: ``symbol = formula = numbers = value``, then
    ``aside``; each a (text, LaTeX) pair, ``formula`` and ``numbers`` empty where the value needs none
    (a ReLU's σ' = 1, as z > 0). The products above multiply σ'(z_j) and ∂C0/∂a_j (or δ_j) as numbers:
    these lines say where each comes from, the factor's value as the products use it."""

    symbol: tuple[str, str]
    formula: tuple[str, str]
    numbers: tuple[str, str]
    value: float
    aside: tuple[str, str] = ("", "")


def _p(s: str) -> str:
    """A shown number as an operand after an operator: ``(-2)`` for a negative one."""
    return f"({s})" if s.startswith("-") else s


def _plx(s: str) -> str:
    return rf"\left({s}\right)" if s.startswith("-") else s


def _sq(s: str) -> str:
    """A shown number squared: ``0.5²``, ``(-0.5)²``, ``(1e-07)²``."""
    return f"({s})²" if s.startswith("-") or "e" in s else f"{s}²"


def _sq_lx(s: str) -> str:
    return rf"\left({s}\right)^{{2}}" if s.startswith("-") or r"\times" in s else f"{s}^{{2}}"


def _worked_digits(operands: Sequence[float], value: float, combine: Any, most: int = 17) -> int | None:
    """Digits for ``operands`` with which, shown rounded, they combine to ``value`` as shown (6
    digits): the written-out products' rule (:func:`_operand_digits`, up to 10); else, up to ``most``
    = 17, every digit of the floats (a cost's derivative is computed from a as it is); None where
    neither gives it (σ' computed from z, which the digits of an a near 1 cannot give)."""
    if not (math.isfinite(value) and all(math.isfinite(v) for v in operands)):
        return None
    formula = combine

    def combine(v: list[float]) -> float:
        # operands rounded can leave the formula undefined: a = 1 − 2e-9 shown as 1 in
        # (a − y) / (a (1 − a)), a sigmoid output at z = 20 under cross_entropy (more digits then)
        try:
            return float(formula(v))
        except (ZeroDivisionError, OverflowError, ValueError):
            return math.nan

    shown = _n(value)
    d = _operand_digits(operands, value, combine)
    got = combine([float(_n(v, d)) for v in operands])
    if all(_n(g) == shown for g in (got, got * (1 - TIE_MARGIN), got * (1 + TIE_MARGIN))):
        return d
    if most >= 17 and _n(combine([float(_n(v, 17)) for v in operands])) == shown:
        return 17
    return None


def _substituted(operands: Sequence[float], value: float, combine: Any, text: Callable[..., str],
                 latex: Callable[..., str], most: int = 17) -> tuple[str, str] | None:
    """``text`` and ``latex`` of the shown ``operands`` (:func:`_worked_digits`), None where no digits
    make them combine to the shown ``value``."""
    d = _worked_digits(operands, value, combine, most)
    if d is None:
        return None
    return text(*(_n(v, d) for v in operands)), latex(*(_lx(v, digits=d) for v in operands))


def _sum_y_digits(total: float) -> int:
    """Digits for softmax's Σ_i y_i of targets that do not sum to 1, as the output rule's note gives it
    (``Σ_i y_i = 1.0000005``: 10 digits, trailing zeros dropped), or more (up to 17) where 10 show 1:
    6 digits showed 1 (``a_0 Σ_i y_i − y_0 = 0.211811 · 1 − 0.5`` hid the point). One value, so the
    same on every line that shows it."""
    shown = float(f"{total:.10g}")
    for d in range(1, 18):
        got = float(_n(total, d))
        if (got == shown and shown != 1.0) or (shown == 1.0 and got != 1.0) or total == 1.0:
            return d
    return 17


def _fixed_operand(combine: Any, index: int, value: float) -> Any:
    """``combine`` with operand ``index`` always as shown at its own digits (:func:`_sum_y_digits`),
    whatever the digits sought for the others."""
    fixed = float(_n(value, _sum_y_digits(value)))

    def combined(v: list[float]) -> float:
        return combine([fixed if i == index else x for i, x in enumerate(v)])

    return combined


def _slope_at(name: str) -> Callable[[list[float]], float]:
    """σ' of activation ``name`` at a shown z, as explain computes it (``Activation.slope`` of z and
    σ(z)): the value a z-form's shown z gives."""
    act = ACTIVATIONS[name]

    def combine(v: list[float]) -> float:
        z = np.array([[v[0]]])
        with np.errstate(over="ignore"):
            return float(act.slope(z, act.fn(z))[0, 0])

    return combine


def _sigma_prime_worked(ex: LayerExplanation, r: NeuronRow, term: Term) -> _Worked:
    """σ'(z_j) of neuron ``r`` with its numbers, in the activation's own form: sigmoid's a (1 − a) and
    tanh's 1 − a² from the a of the forward pass, with the digits it takes for them to give the σ'
    the products use (computed from z: README, "σ' of sigmoid and tanh"), or from z where an a near
    ±1 has too few digits for that; the ReLUs' 1 or 0 (0.01) by z's sign; linear's 1; elu, softplus
    and silu from z."""
    l, j, act = ex.layer, _ix(r.j), ex.activation
    a_t, a_lx = f"a_{j}^({l})", rf"a_{{{j}}}^{{({l})}}"
    z_t, z_lx = f"z_{j}^({l})", rf"z_{{{j}}}^{{({l})}}"
    symbol, value, none = (term.formula, term.formula_latex), term.value, ("", "")
    zs = _n(r.z)
    sign = ((f"as {z_t} = {zs} > 0", rf"\text{{as }} {z_lx} = {_lx(r.z)} > 0") if r.z > 0 else
            (f"as {z_t} = {zs} ≤ 0", rf"\text{{as }} {z_lx} = {_lx(r.z)} \le 0"))
    if act in ("relu", "leaky_relu") or (act == "elu" and r.z > 0):
        return _Worked(symbol, none, none, value, sign)
    if act == "linear":
        return _Worked(symbol, none, none, value, ("as σ(z) = z", r"\text{as } \sigma(z) = z"))
    if act == "sigmoid":
        numbers = _substituted([r.a], value, lambda v: v[0] * (1.0 - v[0]),
                               lambda a: f"{a} · (1 − {a})", lambda a: rf"{a} \cdot \left(1 - {a}\right)",
                               most=MOST_OPERAND_DIGITS)
        if numbers is not None:
            return _Worked(symbol, (f"{a_t} (1 − {a_t})", rf"{a_lx} \left(1 - {a_lx}\right)"), numbers, value)
        formula = (f"{a_t} (1 − {a_t}) = e^(−{z_t}) / (1 + e^(−{z_t}))²",
                   rf"{a_lx} \left(1 - {a_lx}\right) = \frac{{e^{{-{z_lx}}}}}{{\left(1 + e^{{-{z_lx}}}\right)^{{2}}}}")
        near = (f"from z, as 1 − {a_t} would lose its digits",
                rf"\text{{from }} z\text{{, as }} 1 - {a_lx} \text{{ would lose its digits}}")
        numbers = _substituted([-r.z], value, lambda v: _slope_at(act)([-v[0]]),
                               lambda m: f"e^({m}) / (1 + e^({m}))²",
                               lambda m: rf"\frac{{e^{{{m}}}}}{{\left(1 + e^{{{m}}}\right)^{{2}}}}")
        return _Worked(symbol, formula, numbers or none, value, near)
    if act == "tanh":
        numbers = _substituted([r.a], value, lambda v: 1.0 - v[0] * v[0],
                               lambda a: f"1 − {_sq(a)}", lambda a: rf"1 - {_sq_lx(a)}", most=MOST_OPERAND_DIGITS)
        if numbers is not None:
            return _Worked(symbol, (f"1 − ({a_t})²", rf"1 - \left({a_lx}\right)^{{2}}"), numbers, value)
        formula = (f"1 − ({a_t})² = 4 / (e^({z_t}) + e^(−{z_t}))²",
                   rf"1 - \left({a_lx}\right)^{{2}} = \frac{{4}}{{\left(e^{{{z_lx}}} + e^{{-{z_lx}}}\right)^{{2}}}}")
        near = (f"from z, as 1 − ({a_t})² would lose its digits",
                rf"\text{{from }} z\text{{, as }} 1 - \left({a_lx}\right)^{{2}} \text{{ would lose its digits}}")
        numbers = _substituted([r.z], value, _slope_at(act),
                               lambda z: f"4 / (e^({z}) + e^({_neg(z)}))²",
                               lambda z: rf"\frac{{4}}{{\left(e^{{{z}}} + e^{{{_neg(z)}}}\right)^{{2}}}}")
        return _Worked(symbol, formula, numbers or none, value, near)
    if act == "elu":  # z ≤ 0
        numbers = _substituted([r.z], value, _slope_at(act), lambda z: f"e^({z})", lambda z: f"e^{{{z}}}")
        return _Worked(symbol, (f"e^({z_t})", f"e^{{{z_lx}}}"), numbers or none, value, sign)
    if act == "softplus":
        numbers = _substituted([r.z], value, _slope_at(act), lambda z: f"1 / (1 + e^({_neg(z)}))",
                               lambda z: rf"\frac{{1}}{{1 + e^{{{_neg(z)}}}}}")
        return _Worked(symbol, (f"1 / (1 + e^(−{z_t}))", rf"\frac{{1}}{{1 + e^{{-{z_lx}}}}}"), numbers or none, value)
    if act == "silu":
        numbers = _substituted(
            [r.z], value, _slope_at(act),
            lambda z: f"(1 + (1 + {_p(z)}) · e^({_neg(z)})) / (1 + e^({_neg(z)}))²",
            lambda z: rf"\frac{{1 + \left(1 + {_plx(z)}\right) \cdot e^{{{_neg(z)}}}}}{{\left(1 + e^{{{_neg(z)}}}\right)^{{2}}}}")
        formula = (f"(1 + (1 + {z_t}) e^(−{z_t})) / (1 + e^(−{z_t}))²",
                   rf"\frac{{1 + \left(1 + {z_lx}\right) e^{{-{z_lx}}}}}{{\left(1 + e^{{-{z_lx}}}\right)^{{2}}}}")
        return _Worked(symbol, formula, numbers or none, value)
    # an activation without a form here: its rule, at this z
    return _Worked(symbol, none, none, value,
                   (f"σ'(z) = {ex.activation_prime} at {z_t} = {zs}",
                    rf"\text{{{ex.activation_prime} at }} {z_lx} = {_lx(r.z)}"))


def _neg(s: str) -> str:
    """The negation of a shown number, as shown: ``-0.5`` of ``0.5``, ``0.5`` of ``-0.5`` (0 stays 0);
    in LaTeX too (``-1.5 \\times 10^{-7}``)."""
    return s[1:] if s.startswith("-") else s if s in ("0", "0.0") else "-" + s


def _output_worked(ex: LayerExplanation, r: NeuronRow, term: Term) -> _Worked | None:
    """The output layer's ∂C0/∂a_j (or a fused rule's δ_j = a_j − y_j) with its numbers, from the a
    and y it is computed of: 2(a − y) under squared_error, a − y under half_squared_error, (a − y) /
    (a (1 − a)) under cross_entropy's generic chain; None for a cost without a form here."""
    a, y = r.a, ex.y[r.j]
    symbol, formula, value = (term.symbol, term.latex), (term.formula, term.formula_latex), term.value
    if term.symbol.startswith("∂C0/∂z"):  # the fused δ_j: a_j − y_j, or a_j Σ_i y_i − y_j
        if "Σ" in term.formula:  # Σ_i y_i as on every line: 1.0000005, which 6 digits show as 1
            total = float(np.sum(np.asarray(ex.y)))
            st, slx = _n(total, _sum_y_digits(total)), _lx(total, digits=_sum_y_digits(total))
            numbers = _substituted([a, total, y], value, _fixed_operand(lambda v: v[0] * v[1] - v[2], 1, total),
                                   lambda a, _, y: f"{a} · {_p(st)} − {_p(y)}",
                                   lambda a, _, y: rf"{a} \cdot {_plx(slx)} - {_plx(y)}")
        else:
            numbers = _substituted([a, y], value, lambda v: v[0] - v[1], lambda a, y: f"{a} − {_p(y)}",
                                   lambda a, y: f"{a} - {_plx(y)}")
    elif ex.cost == "squared_error":
        numbers = _substituted([a, y], value, lambda v: 2.0 * (v[0] - v[1]), lambda a, y: f"2({a} − {_p(y)})",
                               lambda a, y: rf"2\left({a} - {_plx(y)}\right)")
    elif ex.cost == "half_squared_error":
        numbers = _substituted([a, y], value, lambda v: v[0] - v[1], lambda a, y: f"{a} − {_p(y)}",
                               lambda a, y: f"{a} - {_plx(y)}")
    elif ex.cost == "cross_entropy":
        numbers = _substituted([a, y], value, lambda v: (v[0] - v[1]) / (v[0] * (1.0 - v[0])),
                               lambda a, y: f"({a} − {_p(y)}) / ({a} · (1 − {a}))",
                               lambda a, y: rf"\frac{{{a} - {_plx(y)}}}{{{a} \cdot \left(1 - {a}\right)}}")
    else:
        return None
    return None if numbers is None else _Worked(symbol, formula, numbers, value)


def _worked_neurons(ex: LayerExplanation) -> tuple[NeuronRow, ...]:
    """The neurons whose factors are worked out: each shown one up to :data:`_MAX_LONG_FORM`, else
    those of the products written out (a wide layer's largest weight and bias)."""
    if len(ex.neurons) <= _MAX_LONG_FORM:
        return ex.neurons
    js = {p.index[0] for products in (ex.weight_products, ex.bias_products) if products
          for p in _written_out(products)}
    return tuple(r for r in ex.neurons if r.j in js)


def _worked(ex: LayerExplanation) -> list[list[_Worked]]:
    """Each worked neuron's factors as its products take them (its bias product's factors after
    ∂z_j/∂b_j): σ'(z_j) at every layer but a softmax output; at the output ∂C0/∂a_j too, or the
    fused rule's δ_j in their place. A hidden layer's ∂C0/∂a_j is the sum received from layer l+1,
    worked out in its table above."""
    bias = {p.index[0]: p for p in ex.bias_products}
    out = []
    for r in _worked_neurons(ex):
        p = bias.get(r.j)
        if p is None:
            continue
        lines: list[_Worked | None] = []
        if p.rule == "fused":
            lines.append(_output_worked(ex, r, p.factors[1]))
        else:
            lines.append(_sigma_prime_worked(ex, r, p.factors[1]))
            if ex.is_output:
                lines.append(_output_worked(ex, r, p.factors[2]))
        out.append([w for w in lines if w is not None])
    return [w for w in out if w]


def _worked_note(ex: LayerExplanation) -> str:
    """Where a wide layer's factors are worked out for some of its shown neurons only: which, and why."""
    js = [r.j for r in _worked_neurons(ex)]
    if len(js) == len(ex.neurons):
        return ""
    which = f"neuron {js[0]}" if len(js) == 1 else f"neurons {js[0]} and {js[1]}"
    return f"worked out for {which} only, whose products are written out below; the table has every neuron's"


def _worked_line(w: _Worked, width: int) -> Text:
    """``σ'(z_0^(2)) = a_0^(2) (1 − a_0^(2)) = 0.641796 · (1 − 0.641796) = 0.229894`` on one line where
    it fits; else the symbol and its formula on one line and ``= numbers = value`` on the next, as a
    written-out product puts them (never a formula beside numbers that are not its value: at 60 columns
    ``σ'(z_0^(2)) = a_0^(2) (1 − a_0^(2)) = 0.641796`` read as σ' = a), each broken at its operators
    where wider than ``width``; an aside that does not fit goes on under them."""
    head = Text()
    head.append(w.symbol[0], style=SYMBOL)
    if w.formula[0]:
        head.append(" = " + w.formula[0])
    tail = Text(" = " + w.numbers[0] if w.numbers[0] else "")
    tail.append(" = ")
    tail.append(_n(w.value), style=RESULT)
    comma = "," if w.aside[0] else ""
    one = head + tail
    if cell_len(one.plain + (f", {w.aside[0]}" if comma else "")) <= width:
        return one + Text(", ") + Text(w.aside[0], style=NOTE) if comma else one
    if cell_len(one.plain + comma) > width:  # the numbers on a line of their own
        one = Text("\n").join([_unbracketed_break(head, width), _unbracketed_break(Text("   ") + tail, width)])
    if comma:
        one += Text(comma + "\n    ") + Text(w.aside[0], style=NOTE)
    return one


def _unbracketed_break(text: Text, width: int) -> Text:
    """:func:`_break_formula`, its lines going on 8 columns in, or 4 (under the numbers' ``=``) where
    that keeps each line's brackets whole, as --expand's factors table never breaks a formula inside its
    brackets: at 40 columns silu's σ' read ``= (1 + (1 + z_0^(2))`` over ``e^(−z_0^(2)))``. Where 4 does
    not either, the break at 8 as before."""
    def whole(t: Text) -> bool:
        return all(_depth_ok(line) for line in t.plain.split("\n"))

    broken = _break_formula(text, width)
    if whole(broken):
        return broken
    trial = _break_formula(text, width, indent=4)  # under the "= numbers" line's "="
    return trial if whole(trial) else broken


def _depth_ok(line: str) -> bool:
    """Whether every bracket ``line`` opens it closes, and none it closes was opened before it."""
    depth = 0
    for ch in line:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _worked_text(ex: LayerExplanation, width: int) -> Prose | None:
    """The lines under the per-neuron table: each worked neuron's factors (:func:`_worked`, each
    :func:`_worked_line`); then which neurons, where not every one shown is."""
    lines = [_worked_line(w, width) for neuron in _worked(ex) for w in neuron]
    if not lines:
        return None
    t = Text("\n").join(lines)
    note = _worked_note(ex)
    if note:
        t.append("\n")
        t.append(note, style=NOTE)
    return Prose(t)


def _md_worked(ex: LayerExplanation) -> list[str]:
    """Markdown's lines of :func:`_worked_text`: one $$ block, each worked factor a row aligned at its
    first =; then which neurons, where not every one shown is."""
    rows = []
    for neuron in _worked(ex):
        for w in neuron:
            parts = [w.formula[1], w.numbers[1], _lx(w.value)]
            aside = rf", \quad {w.aside[1]}" if w.aside[1] else ""
            one = f"{w.symbol[1]} &= " + " = ".join(p for p in parts if p) + aside
            if _latex_ex(one) <= MD_ROW_EX:
                rows.append(one)
                continue
            # a saturated σ' from z ran to ~115 ex on one row: the formula, then its numbers and
            # value, then the aside, each a row of its own, as the terminal breaks it
            values = " = ".join(p for p in parts[1:] if p)
            if w.formula[1]:
                rows += [f"{w.symbol[1]} &= {w.formula[1]}", f"&= {values}" + ("," if aside else "")]
            else:
                rows.append(f"{w.symbol[1]} &= {values}" + ("," if aside else ""))
            if aside:
                rows.append(rf"&\quad {w.aside[1]}")
    out = _block(_aligned(rows)) if rows else []
    note = _worked_note(ex)
    if note:
        out += [f"*{note[0].upper()}{note[1:]}.*", ""]
    return out


def _weight_matrix(ex: LayerExplanation, width: int) -> Table | Group:
    """δ (a_prev)ᵀ as a table, with as many k columns as fit in ``width`` characters; the ones
    left out named under it (:func:`_left_out_note`), broken at the console's width, not the table's."""
    wg = ex.weight_gradients
    n_cols = max(1, min(len(wg.cols), (width - 24) // 12))
    table = _weight_matrix_of(ex, width, n_cols)
    # the guess above takes 12 columns a number; with the frame, the padding and a wide header
    # (δ_j \ a_k^(2)) 8 columns took 126 of 120 and rich cut the last number ('0.09' for 0.09431)
    while n_cols > 1 and _measured_width(table, 10_000) > width:
        n_cols -= 1
        table = _weight_matrix_of(ex, width, n_cols)
    # and short of it: with a narrow header (δ_j \ a_k^(0)) the numbers take 11 columns or fewer,
    # and at 69 columns iris's k=3 was left out of a table 67 wide with it
    while n_cols < len(wg.cols) and _measured_width(wider := _weight_matrix_of(ex, width, n_cols + 1), 10_000) <= width:
        n_cols, table = n_cols + 1, wider
    if n_cols < len(wg.cols):  # at 40 columns '[showing 3×1]' alone: k=1 gone, unsaid
        need = _measured_width(_weight_matrix_of(ex, width, len(wg.cols)), 10_000)
        if width < 80 <= need:  # boxed from 80 columns on
            need = _measured_width(_weight_matrix_of(ex, need, len(wg.cols)), 10_000)
        gone = wg.cols[n_cols:]
        return Group(table, Prose(_left_out_note(_columns_named("k", gone), need, len(gone) > 1, width=width)))
    return table


def _columns_named(letter: str, indices: Sequence[int]) -> str:
    """``column k=1``, ``columns k=1, 2``, ``columns k=3 to 7`` (consecutive, more than 2)."""
    if len(indices) == 1:
        return f"column {letter}={indices[0]}"
    if len(indices) > 2 and list(indices) == list(range(indices[0], indices[-1] + 1)):
        return f"columns {letter}={indices[0]} to {indices[-1]}"
    return f"columns {letter}={', '.join(map(str, indices))}"


def _left_out_note(what: str, need: int, them: bool, json: str = "every figure", width: int | None = None) -> Text:
    """What a table leaves out for the console's width, in the per-neuron table's words ("its column
    left out for width"), the width that shows it and that ``--json`` has it: ``column k=1 left out
    for width: 43 columns show it, --json every figure``; ``need``: the columns the whole table
    takes. Broken between its phrases where wider than ``width``. It said "narrow console: …
    not shown (a terminal 854 columns wide or --json shows them)", on a projector's 100 columns
    too, and at 40 broke it to "…not shown (a" / "terminal 43 columns wide or --json shows" / "it)"."""
    it = "them" if them else "it"
    shows = f"{need:,} columns show {it},"
    stream = _ASCII_STREAM.get()
    if stream is not None:  # an ASCII stream: measured as it writes the note ("..." for "…", yhat for ŷ)
        from .. import fit_to_encoding

        encoding, on_stream = stream
        what = fit_to_encoding(what.replace("…", "..."), encoding)
        if on_stream is not None:  # the width at which this stream shows it, laid out for its stand-ins
            least = on_stream(need)
            shows = f"{least:,} columns show {it}," if least is not None else f"a wider console shows {it},"
    units = [what, "left out for width:", shows, f"--json {json}"]
    return phrased(units, " ", width, style=NOTE)


def _rank(ex: LayerExplanation) -> str:
    """An outer product δ aᵀ has rank one, unless δ or a is 0: then it is all zero (the default
    XOR's example 0 has x = (0, 0), and "rank one" was printed over a zero matrix)."""
    wg, l = ex.weight_gradients, ex.layer
    if wg.norm > 0 or np.any(np.asarray(wg.dw) != 0):  # (a norm can underflow to 0; NaN != 0)
        return "rank one"
    if np.any(np.asarray(wg.delta) != 0):
        return f"all zero, as a^({l - 1}) = 0"
    if np.any(np.asarray(wg.a_prev) != 0):
        return f"all zero, as δ^({l}) = 0"
    return "all zero"


def _weight_matrix_of(ex: LayerExplanation, width: int, n_cols: int) -> Table:
    wg = ex.weight_gradients
    l = ex.layer
    head = f"∂C0/∂w^({l}) = δ^({l}) (a^({l - 1}))ᵀ"
    # of a 1×1 matrix (one neuron on one input) "rank one, shape 1×1" says nothing the table does
    # not; "all zero, as a^(0) = 0" still says why
    single = tuple(wg.shape) == (1, 1)
    facts = [*([] if single and _rank(ex) == "rank one" else [_rank(ex)]),
             *([] if single else [f"shape {wg.shape[0]}×{wg.shape[1]}"]), f"‖·‖ = {_n(wg.norm)}"]
    tail = ", ".join(facts)
    if wg.truncated or n_cols < len(wg.cols):
        facts.append(f"[showing {len(wg.rows)}×{n_cols}]")
        tail += f"  {facts[-1]}"
    # Text, not a str: a str title is markup, in which "[showing 8×3]" was a tag and never shown.
    table = _Table(title=Text(f"{head}, {tail}"), title_style="bold", header_style="bold",
                  **_frame(width))
    table.add_column("j", justify="right", no_wrap=True, min_width=max([len(str(j)) for j in wg.rows] + [2]))
    table.add_column(f"δ_j \\ a_k^({l - 1})", justify="right", no_wrap=True, min_width=10)
    for k, a in zip(wg.cols[:n_cols], wg.a_prev):  # 4 digits: an overview, the products table has 6
        table.add_column(f"k={k}\n{_cell(a, 4)}", justify="right", no_wrap=True, min_width=10)
    for j, d, row in zip(wg.rows, wg.delta, wg.dw):
        table.add_row(str(j), _cell(d, 4), *(_cell(v, 4) for v in row[:n_cols]))
    # A title wider than the table wraps at its width, which split "‖·‖ =" from its number (a
    # narrow table: one output, or --weight): then the formula gets a line, the facts the next,
    # and facts that are still too wide (40 columns) are broken between two facts, never in one
    # (rich dropped "[showing …]" when it wrapped that line itself).
    room = _measured_width(table, width)
    if cell_len(str(table.title)) > room:
        lines = [head, facts[0]]
        for fact in facts[1:]:
            sep = "  " if fact.startswith("[") else ", "
            if cell_len(lines[-1] + sep + fact) <= room:
                lines[-1] += sep + fact
            else:
                lines.append(fact)
        table.title = Text("\n".join(lines))
    return table


def _hand_back_table(ex: LayerExplanation, width: int) -> Table | Group:
    l = ex.layer
    rule = next((e.text for e in ex.rules if e.label.startswith("hand-back")), "")
    factors = _sum_factors(rule.split(" = ")[-1]) if rule else ()
    # named as the received table is, "∂C0/∂a_k^(l−1) …": the rows' k are neurons of layer l−1
    title = f"∂C0/∂a_k^({l - 1}) handed back to layer {l - 1} (eq. 8): Σ_j {' · '.join(factors)}"
    narrowed = ex.neuron is not None or ex.weight is not None
    return _sums_table(ex.hand_back, title, ("k", l - 1), ("j", l), factors,
                       "--full without --neuron/--weight" if narrowed else "--full", width)


def _received_table(ex: LayerExplanation, width: int) -> Table | Group:
    """∂C0/∂a_j^(l) of the shown neurons j as layer l+1's hand-back sums (eq. 8), numbers in."""
    l = ex.layer
    rule = ex.source.equations[0].text if ex.source.equations else ""
    factors = _sum_factors(rule.split(" = ")[-1]) if rule else ()
    # its factors joined by "·" as in its terms and in the hand-back's title (the equation has none)
    # seed 000's eq. 8 sums over j for a_k; here the letters are one layer up: w_ij^(l+1) is entry [i, j] of
    # w^(l+1), i the receiving neuron (layer l+1) and j the sending one (layer l), as w_jk is in the seed
    title = f"∂C0/∂a_j^({l}) received from layer {l + 1} (eq. 8 with k → j, j → i): Σ_i {' · '.join(factors)}"
    return _sums_table(ex.received, title, ("j", l), ("i", l + 1), factors, f"all: --layer {l + 1} --full", width)


def _sum_factors(formula: str) -> tuple[str, ...]:
    """The factors of an eq. 8 sum's formula, "Σ_i w_ij^(2) σ'(z_i^(2)) ∂C0/∂a_i^(2)" (or with
    "·" between them): ("w_ij^(2)", "σ'(z_i^(2))", "∂C0/∂a_i^(2)")."""
    _, _, body = formula.partition(" ")
    return tuple(f for f in body.replace(" · ", " ").split(" ") if f)


def _sums_legend(term_index: str, factors: tuple[str, ...], room: int) -> str:
    """What a term of an eq. 8 sum is, "(i: w_ij^(2) · σ'(z_i^(2)) · ∂C0/∂a_i^(2) = term)", or
    without the layers, "(i: w_ij · σ'(z_i) · ∂C0/∂a_i = term)", the widest within ``room``
    columns (the terms' widest line: the legend never widens the column), else "(i: factors =
    term)": "factors" alone left a learner to guess which number was w, σ' or ∂C0/∂a."""
    bare = tuple(re.sub(r"\^\(\d+\)", "", f) for f in factors)
    for names in (factors, bare):
        legend = f"({term_index}: {' · '.join(names)} = term)"
        if names and cell_len(legend) <= room:
            return legend
    return f"({term_index}: factors = term)"


def _sums_table(sums: tuple[HandBack, ...], title: str, index: tuple[str, int], term_index: tuple[str, int],
                factors: tuple[str, ...], more: str, width: int) -> Table | Group:
    """One row per eq. 8 sum: its ``index`` (k handed back, or j received, with its layer), its
    terms labelled by ``term_index`` ("j=0: factors = term"), Σ and the check; ``factors``: the
    symbols of a term's factors, for the legend; ``more``: how to see the terms left out."""
    (letter, layer), (term_letter, term_layer) = index, term_index

    def widest(cells: list[str]) -> int:
        return _widest(cells)

    def build(cells: list[str], broken: bool, split: bool = False) -> Table:
        table = _Table(title=title, title_style="bold", header_style="bold", **_frame(width))
        table.add_column(letter, justify="right")
        if broken:  # "terms" over the legend
            header = _terms_header(_sums_legend(term_letter, factors, widest(cells)), cells)
        else:
            header = "terms " + _sums_legend(term_letter, factors, widest(cells) - len("terms "))
        table.add_column(header, justify="left" if broken else "right", no_wrap=True)
        table.add_column("Σ", justify="right")
        table.add_column(_CHECK_HEADER, justify="right", no_wrap=True)
        for h, cell in zip(sums, cells):
            check = _check_text(h.check)
            if split:  # "✓ 4e-16" over "/ 5e-10", as in the products table
                check.plain = check.plain.replace(" / ", "\n/ ", 1)
            table.add_row(str(h.k), cell, Text(_n(h.value, _sum_digits(h)), style=RESULT), check)
        return table

    def stack(cells: list[str]) -> Group:
        rows = []
        for h, cell in zip(sums, cells):
            head = _row_line(f"{h.k}: Σ = ", Text(_n(h.value, _sum_digits(h)), style=RESULT), "   ", _check_text(h.check),
                             indent=len(str(h.k)) + 2)
            rows.append([(head, len(str(h.k)) + 2, _BREAK_BEFORE), *_term_lines(cell, width)])
        terms = " · ".join(factors) if factors else "factors"
        return _stacked(title, f"each {letter} (a neuron of layer {layer}): Σ and its check (rel err vs backprop / "
                        f"finite diff), then its terms {term_letter} (layer {term_layer}): {terms} = term", rows, width)

    return _fit_terms(build, [_terms_cell(h, more, term_letter) for h in sums], width, stack,
                      splits=(False, True))


def _fit_terms(build: Any, cells: list[str], width: int, stack: Any,
               splits: tuple[bool, ...] = (False,)) -> Table | Group:
    """The table ``build(cells, broken)`` makes, its terms ("j=0: 0.4 · 0.19 · 0.74 = 0.055", one a
    line) whole where it fits ``width``; else each term broken at its operators, continuation
    lines under its first factor and starting with "·" or "=", as narrow as the table needs
    (rich wrapped a term wherever the column ended: at 80 columns '… · 0.7413651 =' over
    '0.0553994', at 60 '(-0.2170715) = -0.0190491' under 'j=1: 0.5 · 0.1755101 ·', right-aligned
    like a separate line). Where that does not fit, and ``splits`` has True, it is tried again
    with ``build(cells, True, True)``: the hand-back's checks on two lines (at 50 columns the
    one-line checks left the terms too little room). Where that does not fit either, the
    continuation lines are indented by 2 only (at 50 columns '= -0.00344196' under the first
    factor of 'k=1: (-0.344196) · 0.01' made the forward table 2 columns too wide), and a term's
    label may stand alone over its first factor. Where not even that fits (below ~50 columns),
    ``stack(cells)``: the rows one after the other (rich wrapped the terms anywhere and cut
    numbers: '(-0.389388…' under 'k=2:')."""
    table = build(cells, False)
    if _fits(table, width):
        return table
    # The terms' narrowest header, no terms, the narrowest checks: where even that does not fit,
    # no broken table does (each of ~20 tries broke every term: 1 s for 2,048 terms at 40 columns)
    if not _fits(build([""] * len(cells), True, *((True,) if True in splits else ())), width):
        return stack(cells)

    def broken(target: int, compact: bool) -> list[str]:
        out = []
        for cell in cells:
            lines = []
            for line in cell.split("\n"):
                if line.startswith("…"):  # "… 55 more terms (--neuron 3 --full)"
                    lines.append(_wrap_hint(line, target))
                    continue
                lead = line.index(": ") + 2 if line.startswith(("i=", "j=", "k=")) and ": " in line else 2
                if compact:  # 2 columns in, and "j=0:" may stand alone over "(-1.44202)"
                    lines.append(_break_plain(line, target, indent=2, after=(": ",)))
                else:
                    lines.append(_break_plain(line, target, indent=lead, after=()))
            out.append("\n".join(lines))
        return out

    widest = _widest(cells)
    for compact in (False, True):
        for split in splits:
            extra = (True,) if split else ()
            lo, hi, best = 12, widest, None  # the widest target whose table fits
            while lo <= hi:
                mid = (lo + hi) // 2
                candidate = build(broken(mid, compact), True, *extra)
                if _fits(candidate, width):
                    best, lo = candidate, mid + 1
                else:
                    hi = mid - 1
            if best is not None:
                return best
    return stack(cells)


def _wrap_hint(line: str, target: int) -> str:
    """"… 55 more terms (--full without --neuron/--weight)" within ``target`` columns: the count,
    then the hint in parentheses on the next lines, broken between its words (whole, the hint
    was 37 columns wide and set the terms column's width: at 60 columns the hand-back table of
    ``--neuron 9`` of a 10-neuron layer did not fit, and rich wrapped its terms anywhere)."""
    if cell_len(line) <= target or " (" not in line:
        return line
    count, _, hint = line.partition(" (")
    # and after a word's "/": whole, '--neuron/--weight)' under its 3-column indent was 21 columns,
    # and at 50 columns the hand-back table of digits' --layer 2 --neuron 3 did not fit with it
    pieces = [(part, " " if i == 0 else "") for word in hint.split(" ")
              for i, part in enumerate(word.replace("/", "/\n").split("\n")) if part]
    out, cur = [count], "  (" + pieces[0][0]
    for part, glue in pieces[1:]:
        if cell_len(f"{cur}{glue}{part}") <= target:
            cur += f"{glue}{part}"
        else:
            out.append(cur)
            cur = "   " + part
    return "\n".join(out + [cur])


def _terms_header(legend: str, cells: list[str]) -> str:
    """The header of broken terms: "terms" over its ``legend`` ("(j: factors = term)"), the legend
    over two lines, broken before its "=", where the terms are narrower than it: a header that
    does not wrap set the column's width, and at 50 columns kept the hand-back table from fitting
    (rich wrapped its terms anywhere again, right-aligned, operators at the line ends)."""
    widest = _widest(cells)
    if cell_len(legend) <= widest or " = " not in legend:
        return f"terms\n{legend}"
    head, _, tail = legend.partition(" = ")
    return f"terms\n{head}\n= {tail}"


def _terms_cell(h: HandBack, more: str = "--full", term_index: str = "j") -> str:
    """The shown terms of one hand-back sum; ``more``: how to see the rest (--neuron or --weight
    shows the first terms and neuron j's even with --full: the rest only without them)."""
    lines = []
    for t, (dt, df) in zip(h.terms, _hand_back_digits(h)):
        lines.append(f"{term_index}={t.index[0]}: " + " · ".join(_f(f.value, df) for f in t.factors) + f" = {_n(t.value, dt)}")
    if len(h.terms) < h.n_terms:
        lines.append(f"… {plural(h.n_terms - len(h.terms), 'more term')} ({more})")
    return "\n".join(lines)


def _hand_back_digits(h: HandBack) -> list[tuple[int, int]]:
    """Per shown term of a hand-back sum: (digits of the term, digits of its factors), so that
    the shown terms add up to the shown Σ (when every term is shown) and each term's shown
    factors multiply to the term as shown."""
    dt = 6
    if len(h.terms) == h.n_terms:
        dt = _operand_digits([t.value for t in h.terms], h.value, math.fsum, digits=_sum_digits(h))
    return [(dt, _operand_digits([f.value for f in t.factors], t.value, digits=dt)) for t in h.terms]


def _sum_digits(h: HandBack) -> int:
    """Digits of a hand-back sum's shown Σ: 6, more where its every shown term adds to a rounding
    tie of it (see :func:`_result_digits`)."""
    if len(h.terms) < h.n_terms:
        return 6
    return _result_digits([t.value for t in h.terms], h.value, math.fsum)[0]


def _forward_table(ex: LayerExplanation, width: int) -> Table | Group:
    """Each shown neuron's forward sum z_j = Σ_k w_jk a_k + b_j (eq. 2) and a_j = σ(z_j), laid
    out as the hand-back table: one row per neuron, its terms "k=0: w · a = term" (truncated as
    the hand-back's are), b_j, then z_j and a_j from the forward pass."""
    l = ex.layer
    fwd, act = (next((e.text for e in ex.rules if e.label.startswith(name)), "") for name in ("forward", "activation"))
    title = (f"Forward pass of layer {l} (eq. 2): {fwd}, then {act}"
             + (f" ({len(ex.forward):,} of {ex.n_neurons:,} neurons shown)" if len(ex.forward) < ex.n_neurons else ""))
    narrowed = ex.neuron is not None or ex.weight is not None  # --neuron j --full shows neuron j's every term
    rows = []
    for f in ex.forward:
        hint = f"--neuron {f.j} --full" if narrowed else "--full"
        dz, dt, digits = _forward_digits(f, ex.activation)
        lines = [f"k={t.index[1]}: " + " · ".join(_f(x.value, d) for x in t.factors) + f" = {_n(t.value, dt)}"
                 for t, d in zip(f.terms, digits)]
        if len(f.terms) < f.n_terms:
            lines.append(f"… {plural(f.n_terms - len(f.terms), 'more term')} ({hint})")
        rows.append((str(f.j), "\n".join(lines), _n(f.b, dt), _n(f.z, dz), _n(f.a)))
    a_head = "softmax(z)_j" if ex.activation == "softmax" else "σ(z_j)"
    headers = ("j", f"terms (k: w_jk^({l}) · a_k^({l - 1}) = term)", f"b_j^({l})", f"z_j^({l}) =\nΣ + b_j",
               f"a_j^({l}) =\n{a_head}")
    if _table_width(headers, rows) > width:  # a projector's font: the title says what z and a are,
        headers = ("j", "terms (k: w · a = term)", "b_j", "z_j", "a_j")  # the terms get the room

    def build(cells: list[str], broken: bool) -> Table:
        table = _Table(title=title, title_style="bold", header_style="bold", **_frame(width))
        table.add_column(headers[0], justify="right", no_wrap=True)
        table.add_column(_terms_header("(k: w · a = term)", cells) if broken else headers[1],
                         justify="left" if broken else "right", no_wrap=True)
        for h in headers[2:]:
            table.add_column(h, justify="right", no_wrap=True)
        for (j, _, b, z, a), terms in zip(rows, cells):
            table.add_row(j, terms, b, Text(z, style=RESULT), Text(a, style=RESULT))
        return table

    def stack(cells: list[str]) -> Group:
        out = []
        for (j, _, b, z, a), terms in zip(rows, cells):
            head = _row_line(f"{j}: b_j = {b}, z_j = ", Text(z, style=RESULT), ", a_j = ",
                             Text(a, style=RESULT))
            out.append([(head, len(j) + 2, ()), *_term_lines(terms, width)])
        return _stacked(title, f"each j: b_j, z_j = Σ + b_j, a_j = {a_head}, then its terms k: w_jk · a_k "
                        "= term", out, width)

    return _fit_terms(build, [r[1] for r in rows], width, stack)


def _table_width(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> int:
    """The width a table of these headers and cells (lines split at newlines) takes unwrapped,
    in the explain tables' frame: a rule and a blank either side of every column."""
    widths = [max(len(line) for cell in (h, *(r[i] for r in rows)) for line in cell.split("\n"))
              for i, h in enumerate(headers)]
    return sum(widths) + 3 * len(widths) + 1


def _forward_digits(f: ForwardSum, activation: str) -> tuple[int, int, list[int]]:
    """(digits of z, of the terms and b, of each term's factors) for one forward sum, so that
    σ of the shown z gives the shown a (element-wise σ), the shown terms plus the shown b add
    up to the shown z (when every term is shown) and each term's shown w · a give the term."""
    act = ACTIVATIONS.get(activation)
    dz = 6
    if act is not None and act.prime_into is not None:  # softmax's a_j takes every z_i: not from z_j alone
        dz = _operand_digits([f.z], f.a, lambda v: float(act.fn(np.array(v, dtype=np.float64))[0]))
    dt = 6
    if len(f.terms) == f.n_terms:
        dt = _operand_digits([t.value for t in f.terms] + [f.b], f.z, math.fsum, digits=dz)
    return dz, dt, [_operand_digits([x.value for x in t.factors], t.value, digits=dt) for t in f.terms]


def _seed001_panel(ex: LayerExplanation, width: int = 10_000) -> Panel:
    s = ex.seed001
    inner = width - _PANEL_FRAME
    body = Text()
    body.append_text(_equations(s.equations, inner))
    body.append("\n\n")
    for name, values, note, more in _seed001_vectors(ex):
        body.append(f"{name} = {_vec(values, more)}   ({note})\n")
    body.append("\n")
    for p in (s.error_example, s.weight_example):
        symbols = Text()
        symbols.append(p.symbol, style=SYMBOL)
        symbols.append(" = " + _joined(p, [f.symbol for f in p.factors], " ", " · "))
        values = Text("= ")
        if len(p.factors) > 1:
            ds = _factor_digits(p)
            values.append(_joined(p, [_f(f.value, d) for f, d in zip(p.factors, ds)], " · ", " · ") + " = ")
        values.append(_n(p.value), style=RESULT)
        body.append_text(_values_apart(symbols, values, inner, indent=4))
        body.append("\n")
    for note in s.notes:
        body.append(f"• {note}\n", style=NOTE)
    body.rstrip()  # no blank line above the bottom border
    return _titled_panel(Prose(body), f"Seed 001's notation: layer error {s.error_name}", width, "none")


def _combine(p: ChainProduct) -> Any:
    """How ``p``'s factor values combine to its value: their product, or for seed 001's E_o[j] under a fused
    output rule (rule ``difference``) the product of all but the last minus the last (ŷ_j − y_j)."""
    if p.rule == "difference":
        return lambda v: math.prod(v[:-1]) - v[-1]
    return math.prod


def _factor_digits(p: ChainProduct) -> list[int]:
    """Each factor's digits in seed 001's worked E_o[j] or C'(W)[j,k]: :func:`_operand_digits`, but a
    difference's Σ_i y_i (ŷ_j Σ_i y_i − y_j) at :func:`_sum_y_digits`, as on the worked lines above."""
    values = [f.value for f in p.factors]
    if p.rule == "difference" and len(values) == 3:
        d = _operand_digits(values, p.value, _fixed_operand(_combine(p), 1, values[1]))
        return [d, _sum_y_digits(values[1]), d]
    return [_operand_digits(values, p.value, _combine(p))] * len(values)


def _joined(p: ChainProduct, parts: list[str], times: str, dot: str, minus: str = " − ") -> str:
    """``p``'s factors (their symbols or values) as written: ``a · b · c``, or for a difference
    ``ŷ_0 − y_0`` (``ŷ_0 Σ_i y_i − y_0``: ``times`` between the operands that multiply)."""
    if p.rule == "difference":
        return times.join(parts[:-1]) + minus + parts[-1]
    return dot.join(parts)


def _titled_panel(body: Any, title: str, width: int, border_style: str) -> Panel:
    """A Panel with ``title`` in its top border where it fits there whole; else the title is the
    body's first line, bold, broken between its words as prose is (:class:`Prose`: not inside ``(seed
    000)``, which read ``(seed`` over ``000)`` at 40 columns): rich cut a long title at the border, and at
    40 columns read 'The chain rule for layer 1 (seed 00', 'layer error E_', 'the whole chain to
    w_11^(' (another seed, a cut index)."""
    if cell_len(title) + 6 <= width:  # "╭─ " title " ─╮"
        return Panel(body, title=title, title_align="left", border_style=border_style)
    return Panel(Group(Prose(Text(title, style="bold")), body), border_style=border_style)


def _vec(values: tuple[float, ...], more: bool = False) -> str:
    """``[v0, v1, …]``, ending in ``…`` where ``more`` entries are left out."""
    return "[" + ", ".join([_n(v) for v in values] + (["…"] if more else [])) + "]"


def _seed001_vectors(ex: LayerExplanation) -> list[tuple[str, tuple[float, ...], str, bool]]:
    """Seed 001's panel's vectors, (name, values, note, truncated): E_{l+1} (a hidden layer: reused), E_l
    and H_{l−1} (or X), each note naming the indices shown and, where some are left out that --full
    shows, ``… N more (--full)``: digits' E_2 showed 8 of its 10 entries with no word of it."""
    s = ex.seed001
    out = []
    hint = ("--full" if ex.neuron is None and ex.weight is None else  # the option given, as the forward table's
            f"--neuron {ex.neuron} --full" if ex.weight is None else f"--weight {ex.weight[0]},{ex.weight[1]} --full")

    def one(name: str, values: tuple[float, ...], index: tuple[int, ...], what: str, n: int, widen: bool,
            lead: str = "") -> None:
        more = widen and len(index) < n
        if more:  # the first ones: 0 to 7 of 10
            note = f"{what}s {index[0]} to {index[-1]} of {n:,}, … {n - len(index):,} more ({hint})"
        else:
            note = f"{what if len(index) == 1 else what + 's'} {_idx(index)}"
        out.append((name, values, lead + note, more))

    if s.upstream is not None and s.upstream_name:
        index = s.upstream_index if s.upstream_index is not None else tuple(range(len(s.upstream)))
        one(s.upstream_name, s.upstream, index, "neuron", ex.sizes[ex.layer + 1], True,
            f"from layer {ex.layer + 1}, reused; ")
    one(s.error_name.split()[0], s.error, s.error_index, "neuron", ex.n_neurons,
        ex.neuron is None and ex.weight is None)
    one(s.input_name, s.layer_input, s.input_index, "input", ex.n_inputs, ex.weight is None)
    return out


def _idx(ix: tuple[int, ...]) -> str:
    return ", ".join(map(str, ix)) if len(ix) <= 10 else f"{ix[0]} to {ix[-1]}"


def _top_level_broken(formula: str, room: int) -> str | None:
    """``formula`` with a line break before each of its top-level operators (outside every bracket)
    that it takes for each line to be at most ``room`` wide, the next line starting with its operator
    (``(a_0^(2) − y_0)`` over ``/ (a_0^(2) (1 − a_0^(2)))``); None where a part between two of them is
    wider (``2(a_0^(3) − y_0)`` has none: it is never broken inside its brackets)."""
    if cell_len(formula) <= room:
        return formula
    cuts = [(end, nxt) for end, nxt, _ in _break_points(formula, _RHS_BREAK_BEFORE, ())]
    lines, begin = [], 0
    while cell_len(formula[begin:]) > room:
        fit = [(end, nxt) for end, nxt in cuts if end > begin and cell_len(formula[begin:end]) <= room]
        if not fit:
            return None
        end, nxt = fit[-1]
        lines.append(formula[begin:end])
        begin = nxt
    return "\n".join([*lines, formula[begin:]])


#: --expand's factors table's forms, widest first, with seed 001's names (level 0) and without (1):
#: (level, formulas broken to fit (``"fit"``) or whole (None), spaces between the columns).
_FACTORS_FORMS = (((0, None, 2), (0, None, 1), (0, "fit", 1)), ((1, None, 2), (1, "fit", 2)))


def _factors_table(e: Expansion, level: int, width: int | None = None, gap: int = 2) -> Table | None:
    """The factors of the largest path, every cell whole: level 0 every column, 1 without seed 001's
    names (narrower consoles stack them: ``_expansion_panel``), ``gap`` spaces between the columns.
    With ``width``, the formulas broken at their top-level operators to fit beside the other columns in
    that width (None where one cannot be): at 60 columns rich wrapped ``2(a_0^(3) −`` over ``y_0)``
    inside its brackets to keep seed 001's names, which one space between the columns now keeps."""
    table = _Table(header_style="bold", box=None, pad_edge=False, padding=(0, gap - 1, 0, 1) if gap else (0, 0))
    # "formula": what the seed 000 factor is in this network's terms (a column headed "=" said nothing)
    headers = ("seed 001", "seed 000", "formula", "value") if level == 0 else ("seed 000", "formula", "value")
    for h in headers:
        table.add_column(h, justify="right" if h == "value" else "left", overflow="fold", no_wrap=True)
    d = _operand_digits([f.value for f in e.factors], e.path_value, digits=_expansion_digits(e)[1])
    formulas = [f.formula for f in e.factors]
    if width is not None:  # the room the other columns and the gaps between them leave the formulas
        others = [["seed 000", *(f.symbol for f in e.factors)], ["value", *(_n(f.value, d) for f in e.factors)]]
        others += [["seed 001", *(f.alias for f in e.factors)]] if level == 0 else []
        room = width - sum(max(map(cell_len, cells)) for cells in others) - gap * len(others)
        broken = [_top_level_broken(f, room) for f in formulas]
        if room < len("formula") or any(b is None for b in broken):
            return None
        formulas = [b for b in broken if b is not None]
    for f, formula in zip(e.factors, formulas):
        table.add_row(*((f.alias,) if level == 0 else ()), f.symbol, formula, _n(f.value, d))
    return table


def _chain_broken(text: Text, width: int) -> Text:
    """--expand's chain broken before its ``·`` where wider than ``width``, its lines going on 4 columns
    in (as the chain rule's), without a lone factor on its last line (at 80 columns 2-3-3-1's ended
    ``· dZ_1/dW_1`` alone, at 72 the 1-1-1-1 chain's ``· dH_1/dZ_1 · dZ_1/dW_1`` went on at column 0): a
    line fewer wide is taken where it puts two there in as many lines."""
    broken = _break_formula(text, width, indent=4)
    lines = broken.plain.split("\n")
    if len(lines) < 2 or " · " in lines[-1].strip():
        return broken
    for narrower in range(width - 1, width // 2, -1):
        trial = _break_formula(text, narrower, indent=4)
        if trial.plain.count("\n") != len(lines) - 1:
            break
        if " · " in trial.plain.rsplit("\n", 1)[-1].strip():
            return trial
    return broken


def _hanging(text: Text, width: int, indent: int = 4) -> Text:
    """A line of prose broken as :func:`prose_broken` breaks it, its lines after the first going on
    ``indent`` columns in, as --expand's chain above it does: at 50 to 80 columns ``∂C0/∂w_10^(1) = Σ over
    3 paths (…`` went on at column 0 ('the path goes through in layer m) of the product …')."""
    first = prose_broken(text, width).plain.split("\n", 1)[0]
    if len(first) == len(text.plain):
        return text
    lines = [text[:len(first)], *(Text(" " * indent) + line
                                  for line in prose_broken(text[len(first):], width - indent).split("\n"))]
    for line in lines:
        line.rstrip()  # the spaces a break leaves at the end of a line
    return Text("\n").join(lines)


def _expansion_panel(e: Expansion, width: int = 80) -> Panel:
    body = Text()
    body.append_text(_chain_broken(Text(e.chain.text, style="bold"), width - 4))
    body.append("\n")
    body.append_text(_hanging(Text(e.path_sum.text), width - 4))
    if e.n_paths > 1:
        body.append("\n\n")
        body.append_text(_paths_text(e))
    body.append("\n")  # one blank line above the factors (with one path there were two)
    dt, dp = _expansion_digits(e)  # the listed paths add up to the total shown
    table: Any = None
    # every column, each cell whole; then one space between the columns; then the formulas broken at their
    # top-level operators (never inside their brackets); if that does not fit either, without the seed
    # 001 column, the same way
    for level, room, gap in _FACTORS_FORMS[0] + _FACTORS_FORMS[1]:
        candidate = _factors_table(e, level, None if room is None else width - 4, gap)
        if candidate is not None and _fits(candidate, width - 4):  # the panel's border and padding
            table = candidate
            break
    tail = Text()
    if level > 0 or table is None:  # at 50 columns the seed 001 column went, unsaid
        def shows(w: int) -> bool:  # every column, in one of its forms
            forms = (_factors_table(e, 0, None if room is None else w - 4, gap) for _, room, gap in _FACTORS_FORMS[0])
            return any(t is not None and _fits(t, w - 4) for t in forms)

        need = next(w for w in itertools.count(width + 1) if shows(w))
        # the names, not "the seed 001 column": stacked, there is no table, and no column, to speak of
        names = f"({e.factors[0].alias}, …)" if e.factors and e.factors[0].alias else ""
        tail.append_text(_left_out_note(f"seed 001's names {names}".rstrip(), need, True, "has them", width - 4))
        tail.append("\n")
    if table is None:  # stacked, a factor a line broken at its operators: folded, a symbol split in its
        # subscript at 40 columns ('∂C0/∂a_0^(2' over ')'), a formula at its '−' ('2(a_0^(2) −' over 'y_0)')
        d = _operand_digits([f.value for f in e.factors], e.path_value, digits=dp)
        lines = [_values_apart(_equation_broken(Text(f.symbol), Text(f.formula), width - 4, indent=2),
                               Text(f"= {_n(f.value, d)}"), width - 4, indent=2)
                 for f in e.factors]
        table = Text("\n").join(lines)
    tail.append(f"\nproduct along {'the largest' if e.n_paths > 1 else 'this'} path = ")
    tail.append(_n(e.path_value, dp), style=RESULT)
    if e.n_paths > 1:
        how = "summing all" if e.enumerated else "memoized, not enumerated:"
        tail.append(f"\ntotal ({how} {e.n_paths:,} paths) = ")
        tail.append(_n(e.total, dt), style=RESULT)
    if e.check is not None:  # on a line of its own: beside the value it wrapped inside "finite diff"
        tail.append("\n")
        tail.append_text(_check_labelled(e.check, width - 4))
    m = e.multiplications
    tail.append(
        f"\n\nmultiplications, this weight: expanding every path {m.expanded_weight:,} vs memoized "
        f"layer errors {m.memoized_weight:,} ({_saves(m.saved_weight)})"
        f"\nmultiplications, every weight of layer {e.layer}: {m.expanded_layer:,} vs {m.memoized_layer:,} "
        f"({_saves(m.saved_layer)})"
        f"\nmultiplications, all weights of all layers: {m.expanded_network:,} vs {m.memoized_network:,} "
        f"({_saves(m.saved_network, network=True)})"
    )
    for note in e.notes:
        tail.append(f"\n• {note}", style=NOTE)
    return _titled_panel(Group(Prose(body), table, Prose(tail)),
                         f"--expand: the whole chain to w_{_ix(e.j, e.k)}^({e.layer})", width, "none")


#: The most paths the terminal and Markdown list under --full (JSON: every enumerated one).
MAX_SHOWN_PATHS = 10_000


def _expansion_digits(e: Expansion) -> tuple[int, int]:
    """(digits of the total, digits of each listed path's product): where every path is listed, the
    shown products add up to the shown total, as a hand-back sum's terms do (:func:`_result_digits`):
    relu2's −2.39452 + (−0.108837) = −2.503357 was shown beside a total of −2.50335; else 6 each."""
    if e.n_paths > 1 and len(e.paths[:MAX_SHOWN_PATHS]) == e.n_paths:
        return _result_digits([t.value for t in e.paths], e.total, math.fsum)
    return 6, 6


def _paths_lines(e: Expansion) -> tuple[str, list[tuple[str, str, str]], str]:
    """The listed paths of an expansion: (heading, rows of (path, product, mark), what is left out):
    all of them up to 8 (it showed the largest only, the 2 or 6 others unsaid), else the 8 largest,
    every one under --full; the largest first, marked as the one whose factors follow. Their
    products have the digits that add up to the total (:func:`_expansion_digits`)."""
    dp = _expansion_digits(e)[1]
    shown = e.paths[:MAX_SHOWN_PATHS]
    listed_all = len(shown) == e.n_paths
    heading = (f"the {e.n_paths:,} paths" if listed_all else f"{len(shown):,} of the {e.n_paths:,} paths") + \
        " (neurons, layer L → layer l), largest |product| first:"
    rows = [(" → ".join(map(str, t.path)), _n(t.value, dp), "largest: its factors below" if i == 0 else "")
            for i, t in enumerate(shown)]
    left = e.n_paths - len(shown)
    more = ""
    if left:
        how = ("--json lists all" if len(e.paths) > len(shown) else
               "--full lists all" if e.enumerated else "too many to list; the total is memoized")
        more = f"… {left:,} more ({how})"
    return heading, rows, more


def _paths_text(e: Expansion) -> Text:
    heading, rows, more = _paths_lines(e)
    text = Text(heading)
    wp, wv = max(len(r[0]) for r in rows), max(len(r[1]) for r in rows)
    for path, value, mark in rows:
        text.append(f"\n  {path:<{wp}}  ")
        text.append(f"{value:>{wv}}", style=RESULT if mark else "")
        if mark:
            text.append(f"   ({mark})", style=NOTE)
    if more:
        text.append(f"\n  {more}")
    return text


def _saves(n: int, network: bool = False) -> str:
    if network and n > 0:  # seed 001's memoization: the layers before reuse each layer's error
        return f"saves {n:,}: each layer's error is computed once, for all its weights and the layer before it"
    return f"saves {n:,}" if n > 0 else ("the same: one path, nothing to reuse" if n == 0 else f"{-n:,} more")


#: What the terminal and Markdown say where the learner warnings have nothing to say.
NO_WARNINGS = "no learner warnings (no saturated or inactive units that slow learning, no vanishing gradients)"


#: The note under the gradient norms: two phrases, each of two halves.
_BARS_NOTE = (("bars: against", "the largest layer's,"), ("1/8 shorter", "per factor of 10 below it"))


def _bars_note(width: int, style: str = "") -> Text:
    """The bars note, broken between its phrases where wider than ``width`` (the table's, or the console's
    where stacked), and a phrase wider than that between its halves (at its words below ~25 columns), never with
    one word alone on the last line (``parts_broken``). Rich wrapped it at any space: at 80 columns toy 1-1-1's
    norms table left "it" alone on its second line; breaking between the phrases only, at 34-36 columns the second,
    37 wide, still did ('1/8 shorter per factor of 10 below' over 'it')."""
    return Text("\n".join(parts_broken(list(_BARS_NOTE), width, sep=" ")), style=style)


def _network_section(warnings: tuple[LearnerWarning, ...], norms: tuple[LayerNorm, ...],
                     width: int = 80, norms_table: bool = True) -> Group:
    table = _Table(title="‖∂C0/∂w^(l)‖ of every layer (vanishing gradients show up here)",
                  title_style="bold", header_style="bold", **_frame(width))
    headers = ("layer", "σ", "‖∂C0/∂w‖", "‖∂C0/∂b‖", "log10 ‖∂C0/∂w‖")
    for h in headers:  # no cell wraps: a bar and its log10 stay on one line
        table.add_column(h, justify="right" if h != headers[-1] else "left", no_wrap=True)
    rows = [(f"{n.layer} ({n.label})", n.activation, _n(n.weight_norm), _n(n.bias_norm)) for n in norms]
    # The bars share what the other columns leave of the width (at most 24 blocks), so that no
    # bar is cut short and their lengths stay comparable: the full length for the largest layer,
    # 1/8 of it less per factor of 10 below it.
    others = sum(max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers[:-1])) if rows else 0
    rules = 3 * len(headers) + 1 if width >= 80 else 2 * len(headers)  # boxed, or _frame's narrow form
    biggest = max((n.weight_norm for n in norms), default=0.0)

    def bar(n: LayerNorm, full: int) -> str:
        if n.weight_norm <= 0:
            return "0 (no gradient)"
        blocks = max(1, int(round(full * (1 + math.log10(n.weight_norm / biggest) / 8))))
        return f"{'█' * blocks} {_fixed(math.log10(n.weight_norm), 1)}"

    full = max(8, min(24, width - others - rules - len(" -10.0")))
    for n, row in zip(norms, rows):
        table.add_row(*row, bar(n, full))
    # A full bar is the largest layer's, not a healthy gradient: 7.7e-05 got one, unexplained.
    table.caption, table.caption_justify = _bars_note(_measured_width(table, width)), "left"
    items: list[Any] = [table]
    if not _fits(table, width):  # below ~55 columns rich cut every column ('0.25…', 'sig…'): stacked
        full = max(1, min(24, width - 2 - len(" -10.0")))
        items = [_stacked(str(table.title), "each layer: σ, ‖∂C0/∂w‖, ‖∂C0/∂b‖, then log10 ‖∂C0/∂w‖",
                          [[(Text(f"{layer} {act}: ‖∂C0/∂w‖ = {w}, ‖∂C0/∂b‖ = {b}"), len(layer) + 1, ()),
                            (Text("  " + bar(n, full)), 4, ())] for n, (layer, act, w, b) in zip(norms, rows)],
                          width), Prose(_bars_note(width, style=NOTE))]
    if not norms_table:  # --brief: the warnings only
        items = []
    if warnings:
        w = Text()
        for i, lw in enumerate(warnings):
            if i:
                w.append("\n")
            w.append("⚠ ", style=WARN_STRONG)
            w.append(lw.message)
        items.append(Panel(Prose(w), title="learner warnings", title_align="left", border_style=WARN))
    else:
        items.append(Text(NO_WARNINGS, style="green"))
    return Group(*items)


def _noise_clause(checks: list[Check], n: int) -> str:
    """The pass rule's third arm, for the closing line, where some of ``n`` checks pass on it:
    ``, or within the finite difference's rounding noise (16·u·|C0|/2ε ≈ 1.6e-04): 5 of 8``. A cost far
    larger than the gradient (C0 = 9e4 behind a --y of ±300) leaves a finite difference at ε = 1e-6
    that agrees only to ~1e-4, which "rel err < 1e-5 or abs < 1e-9" alone did not say; "" when
    none does."""
    noisy = [c.numeric_noise for c in checks if c.on_noise]
    if not noisy:
        return ""
    lo, hi = (f"{v:.1e}" for v in (min(noisy), max(noisy)))
    size = f"≈ {hi}" if lo == hi else f"up to {hi}"
    return f", or within the finite difference's rounding noise (16·u·|C0|/2ε {size}): {len(noisy):,} of {n:,}"


def _verdict(exs: tuple[LayerExplanation, ...]) -> tuple[str, str]:
    """The closing line (without a mark) and the status: pass, inconclusive or fail."""
    checks = [c for ex in exs for c in ex.checks]
    status = overall_status(checks)
    n_bad = sum(c.status == "fail" for c in checks)
    n_kink = sum(c.status == "kink" for c in checks)
    n_noise = sum(c.status == "noise" for c in checks)
    n_steep = sum(c.status == "steep" for c in checks)
    n_side = sum(c.difference == "one-sided" for c in checks)
    side = (f"; {plural(n_side, 'check')} at a ReLU kink used a one-sided finite difference, on the "
            "side where no unit crosses z = 0" if n_side else "")
    if status == "fail":
        text = (f"{n_bad:,} of {len(checks):,} checks FAILED: the product of the factors does not match "
                "the backward pass or the finite difference")
    elif status == "inconclusive":
        rest = len(checks) - n_kink - n_noise - n_steep
        noise = _noise_clause(checks, rest)
        rule = f" (rel err < 1e-5 or abs < 1e-9){noise}" if noise else ""
        why = []
        if n_kink:
            why.append(f"{n_kink:,} where a step of ±1e-6 moves some ReLU unit's z across 0 on both sides")
        if n_noise:
            why.append(f"{n_noise:,} whose value lies within the finite difference's rounding noise of 0 "
                       "(a cost far larger than the gradient)")
        if n_steep:
            why.append(f"{n_steep:,} where weights or inputs this large make even the smallest step the "
                       "difference can take move z so far that the cost bends within it")
        text = (f"{n_kink + n_noise + n_steep:,} of {len(checks):,} checks inconclusive: the backward pass agrees, but no "
                f"finite difference can judge them ({'; '.join(why)})"
                + (f"; the other {rest:,} agree{rule}{side}" if rest else ""))
    else:
        text = (f"all {len(checks):,} products agree with the backward pass and the finite "
                f"difference (rel err < 1e-5 or abs < 1e-9){_noise_clause(checks, len(checks))}{side}")
    return text, status


def _summary(exs: tuple[LayerExplanation, ...]) -> Text:
    text, status = _verdict(exs)
    style = {"pass": OK_STRONG, "inconclusive": WARN_STRONG}.get(status, FAIL_BADGE)
    return Text(f"{_MARKS[status]} {text}", style=style)


def _sigma_text(ex: LayerExplanation) -> str:
    """``sigmoid: σ(z) = 1 / (1 + e^(−z))``; softmax's with its index, ``σ(z)_j = e^(z_j) / …``
    (σ(z) = e^(z_j) / … had a j on one side only)."""
    return f"{ex.activation}: σ(z){'_j' if ex.activation == 'softmax' else ''} = {ex.activation_formula}"


def _sigma_prime_text(ex: LayerExplanation) -> str:
    """``σ'(z) = σ(z)(1 − σ(z))``; for softmax, which has none, what stands in its place
    ("σ'(z) = (not element-wise)" read as a formula)."""
    if ex.activation == "softmax":
        # targets that do not sum to 1 (the Python API's; the CLI's within 1e-6): δ = a Σ y − y, as explain.py says
        rule = "a − y" if abs(sum(ex.y) - 1.0) <= 8 * 2.220446049250313e-16 * max(1, len(ex.y)) else "a Σ_i y_i − y"
        return f"no σ'(z), not element-wise: δ^(L) = {rule}"
    return f"σ'(z) = {ex.activation_prime}"


def _c0_note(ex: LayerExplanation, markdown: bool = False) -> str:
    """For --example i (i > 0): `` (seed 000's C_2, called C0 below)``. Seed 000's
    C_i is the i-th example's cost; explain writes C0 for the example explained, as the seed's derivation
    does for the one at hand, and a learner matching `example 2 … C0 = 0.1058` to C_0 was misled."""
    if ex.row is None or ex.row == 0:
        return ""
    name = f"$C_{{{ex.row}}}$" if markdown else f"C_{ex.row}"
    return f" (seed 000's {name}, called C0 below)"


def _which(ex: LayerExplanation) -> str:
    """Which example the numbers are of: ``example 2`` (--example 2, the row of the
    training split), or ``your example`` (--x and --y, or one given from Python)."""
    return "your example" if ex.row is None else f"example {ex.row}"


#: The most inputs whose values in the data's units the header lists (--json has them all).
_MAX_RAW_X = 8


def _origin_text(ex: LayerExplanation, markdown: bool = False) -> str:
    """Where ``--example i`` comes from, for the header's second line: ``example 0 is line 110 of
    data/iris.csv: x = (6.7, 2.5, 5.8, 1.8) before standardizing, class virginica`` (row i of the
    shuffled training split, whose standardized x alone a learner could not find in the file); for
    --x and --y, ``your example as given: x = (5.1, 3.5, 1.4, 0.2) before standardizing, class
    setosa``; "" where nothing is known beyond the header (a class named by its own index adds
    nothing to y). ``markdown``: the file in a code span, the class escaped (a user's names:
    ``iris*v2*.csv`` read as iris<em>v2</em>.csv)."""
    o = ex.origin
    if o is None:
        return ""
    items = []
    if o.raw_x is not None and len(o.raw_x) <= _MAX_RAW_X:  # digits' 64 pixels: the file line finds them
        items.append(f"x = ({', '.join(_n(v) for v in o.raw_x)}) before standardizing")
    if o.class_name is not None:
        items.append(f"class {_md_escape(o.class_name) if markdown else o.class_name}")
    if ex.row is None:
        return f"{_which(ex)} as given: " + ", ".join(items) if items else ""
    file = _md_code(o.file) if markdown and o.file is not None else o.file
    lead = _which(ex) + (f" is line {o.line} of {file}" if o.file is not None and o.line is not None else "")
    if not items and lead == _which(ex):
        return ""
    return lead + (": " + ", ".join(items) if items else "")


def _parameters_text(ex: LayerExplanation, markdown: bool = False) -> str:
    """Whose weights and biases the numbers are, for the header: ``parameters: a fresh initialisation
    (network.init auto, seed 0), untrained``, ``… the trained model runs/xor/model.npz`` or ``…
    configs/hand_worked.yaml's network.weights and network.biases, untrained``; "" where unknown (the
    Python API given none). It never said, and an untrained net's numbers read as a trained one's."""
    s = ex.parameters
    if s is None:
        return ""
    path = None if s.path is None else _short_path(s.path)
    path = _md_code(path) if markdown and path is not None else path
    drawn = f"network.init {s.init}, seed {s.seed}"
    if s.kind == "model":
        return f"parameters: the trained model {path}"
    if s.kind == "config":
        rest = [f"network.{k}" for k in ("weights", "biases") if k not in s.given]
        owner = f"{path}'s" if path is not None and not path.startswith("<") else "the config's"  # <built-in default>
        filed = [f"network.{k}" for k in s.given if k not in s.set_by]
        mine = "; ".join(([f"{owner} {' and '.join(filed)}"] if filed else [])  # '; ': 'A's w and b from --set'
                         + ([f"{' and '.join(f'network.{k}' for k in s.set_by)} from --set"] if s.set_by else []))
        if not rest:
            return f"parameters: {mine}, untrained"
        if rest == ["network.biases"] and s.init == "auto":  # constants: the seed draws no bias
            return f"parameters: {mine}, its biases {_auto_biases_text(ex)}, untrained"
        return f"parameters: {mine}, its {rest[0].split('.')[1]} drawn by {drawn}, untrained"
    return f"parameters: a fresh initialisation ({drawn}), untrained"


def _auto_biases_text(ex: LayerExplanation) -> str:
    """What network.init auto sets every b^(l) to, the same whatever the seed: 0, or RELU_BIAS0 in a
    relu or leaky_relu (kinked) layer: ``network.init auto's constant 0``, or ``… constants 0.01 in
    layer 1, 0 in layer 2`` where they differ. The layers' σ are read from ``ex.architecture``
    (Network.describe: ``2-3-1 relu/sigmoid, squared_error``)."""
    names = ex.architecture.split(" ", 1)[1].rsplit(", ", 1)[0].split("/")
    values = [RELU_BIAS0 if name in ACTIVATIONS and ACTIVATIONS[name].kink else 0.0 for name in names]
    if len(set(values)) == 1:
        return f"network.init auto's constant {values[0]:g}"
    groups = {v: [str(l) for l, w in enumerate(values, 1) if w == v] for v in dict.fromkeys(values)}
    return "network.init auto's constants " + ", ".join(
        f"{v:g} in {'layer' if len(ls) == 1 else 'layers'} {_and_list(ls)}" for v, ls in groups.items())


def _and_list(items: Sequence[str]) -> str:
    """``1``, ``1 and 2``, ``1, 2 and 3``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _short_path(path: str) -> str:
    """A path for the header: as given where relative (the command makes one under the current folder
    so); an absolute one by its name, a run's model.npz with its folder (``…/run1/model.npz``):
    a temporary folder's path took three lines of a 1-1-1-1 chain's header. JSON has it whole."""
    from pathlib import PurePath

    p = PurePath(path)
    if not p.is_absolute():
        return path
    return "…/" + (f"{p.parent.name}/{p.name}" if p.name == "model.npz" and p.parent.name else p.name)


def _md_escape(text: str) -> str:
    """A user's name in Markdown text: every ASCII punctuation character CommonMark (or a $…$ math
    plugin) could read as markup backslash-escaped, which CommonMark allows for any of them."""
    return re.sub(r"([\\`*_{}\[\]<>()#+\-.!|~$&])", r"\\\1", text)


def _md_code(text: str) -> str:
    """``text`` as a Markdown code span, its fence longer than any run of backticks in it."""
    fence = "`" * (max((len(r) for r in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _x_name(ex: LayerExplanation) -> str:
    """``x``, or ``standardized x`` where x is the data's row scaled by data.standardize: a
    learner looking for iris's 6.7, 3.0, … in the header found -0.30, …, with no word of why."""
    return "standardized x" if ex.standardized else "x"


def _left_out(exs: tuple[LayerExplanation, ...], markdown: bool = False) -> str:
    """What ``--brief`` left out, for its closing line: the tables and panels a class can do without
    on one screen, and how many written-out products a wide layer's one stands for."""
    hidden = sum(max(0, len(p) - 1) for ex in exs for p in (ex.weight_products, ex.bias_products)
                 if len(p) > _MAX_LONG_FORM)
    more = f" ({plural(hidden, 'more product')}, checked)" if hidden else ""
    cmd = "`backprop explain`" if markdown else "explain"
    return (f"{'`--brief`' if markdown else '--brief'} left out the per-neuron table, the each-weight and each-bias tables{more}, "
            f"δ aᵀ, seed 001's notation and the gradient norms; plain {cmd} shows them")


def _header(ex: LayerExplanation, width: int = 10_000) -> Text:
    """The layer's header panel's text, its lines at most ``width`` columns: the layer, σ and σ',
    the example and its cost (and the weight or neuron asked for), where it comes from."""
    l = ex.layer
    head = Text()
    head.append(f"Layer {l} ({ex.label})", style="bold")
    head.append(f" of {ex.architecture}\n")
    # σ and σ' on a line of their own, side by side, whatever the width: after the architecture
    # one or both fitted or not by its length, so relu's σ' sat under its σ and leaky_relu's beside it;
    # where the two do not fit, each on its lines, broken before its "=" (_equation_broken)
    both = f"    [{_sigma_text(ex)}]   [{_sigma_prime_text(ex)}]"
    if cell_len(both) <= width:
        head.append(both)
    else:
        head.append_text(Text("\n").join(_bracketed_equation(text, width)
                                         for text in (_sigma_text(ex), _sigma_prime_text(ex))))
    head.append("\n")
    example = Text(f"{_which(ex)}: {_x_name(ex)} = ({', '.join(_n(v) for v in ex.x)}), "
                   f"y = ({', '.join(_n(v) for v in ex.y)}), "
                   f"C0 = {_n(ex.cost_value)}{_c0_note(ex)}")
    # broken between its items only: "C0 =" over its value
    # (each line goes on 4 columns in, as the header's others: a break between two words inside its
    # x's bracket, or before it, put 'x = (…' and the origin's 'data/iris.csv: …' 6 in at 60 columns)
    head.append_text(_break_formula(example, width, indent=4, before=(), step=0))
    aside = (f"weight w_{_ix(*ex.weight)}^({l})" if ex.weight is not None
             else f"neuron {ex.neuron}" if ex.neuron is not None else None)
    if aside is not None:  # beside C0 after "   · ", else on the next line without its "·": at 40
        # columns "C0 = 0.502632" over "· weight w_01^(2)" read as a product
        last = head.plain.rsplit("\n", 1)[-1]
        head.append(f"   · {aside}" if cell_len(last) + 5 + cell_len(aside) <= width else f"\n    {aside}")
    if _origin_text(ex):
        head.append(f"\n{_origin_text(ex)}")
    if _parameters_text(ex):
        head.append(f"\n{_parameters_text(ex)}")
    # broken between its items only: the origin's and parameters' lines (the others fit)
    return _break_formula(head, width, indent=4, before=(), step=0)


def _bracketed_equation(text: str, width: int) -> Text:
    """``    [text]`` (σ's ``sigmoid: σ(z) = 1 / (1 + e^(−z))``, σ''s) on one line where it fits
    ``width``, else broken before its ``=`` (:func:`_equation_broken`)."""
    line = Text(f"    [{text}]")
    if cell_len(line.plain) <= width or " = " not in text:
        return line
    lhs, rhs = text.split(" = ", 1)
    return _equation_broken(Text(f"    [{lhs}"), Text(f"{rhs}]"), width, indent=6)


def _equation_broken(lhs: Text, rhs: Text, width: int, indent: int) -> Text:
    """``lhs = rhs`` on one line where it fits ``width``; else ``lhs`` on its line(s) and ``= rhs``
    under it, indented by ``indent``, ``rhs`` broken at its operators only where that line is too
    narrow for it. Broken inside its right-hand side, an equation's first line read as the whole:
    at 40 columns the header's ``[sigmoid: σ(z) = 1`` over ``/ (1 + e^(−z))]`` (σ(z) = 1), at 30
    ``--expand``'s ``∂C0/∂a_0^(2) = a_0^(2)`` over ``− y_0``."""
    whole = lhs + " = " + rhs
    if cell_len(whole.plain) <= width:
        return whole
    return Text("\n").join([_break_formula(lhs, width, indent=indent),
                            _break_formula(Text(" " * indent + "= ") + rhs, width, indent=indent + 2,
                                           before=_RHS_BREAK_BEFORE)])


def _ascii_encoding(console: Console) -> str | None:
    """The encoding of ``console``'s stream where it cannot hold the explanation's symbols (``LC_ALL=C``,
    ``PYTHONIOENCODING=ascii``: they are written as ASCII stand-ins, ∂ as ``d``, Σ as ``sum``), else None."""
    encoding = getattr(console.file, "encoding", None) or "utf-8"
    try:
        "∂σΣŷ−·".encode(encoding)
    except UnicodeEncodeError:
        return encoding
    except LookupError:
        pass
    return None


#: While :func:`_print_fitted` lays out for a stream that takes ASCII stand-ins: its encoding, and what
#: turns a note's width that shows everything, measured with the symbols, into this stream's
#: (:func:`_left_out_note`; None while that is being found, the width left as it is).
_ASCII_STREAM: contextvars.ContextVar[tuple[str, Callable[[int], int | None] | None] | None] = \
    contextvars.ContextVar("_ASCII_STREAM", default=None)


class _Rendered:
    """Segments rendered already, printed as they are."""

    def __init__(self, segments: list[Segment]) -> None:
        self.segments = segments

    def __rich_console__(self, console: Console, options: Any) -> Any:
        return self.segments


def _print_fitted(console: Console, build: Callable[[int], Any]) -> None:
    """Print ``build(console.width)``. On a stream that takes ASCII stand-ins, which are wider than
    the symbols they were laid out as (Σ is ``sum``, ŷ ``yhat``), a line that comes out wider than
    the console, as the stream writes it, has the whole built again for as many columns fewer:
    at 57 columns ``--expand``'s ``C'(W_1) = dC/dyhat . dyhat/dZ_2 . …`` ran 2 past the edge, where
    the terminal wrapped it (train measures its η and R² as the stream writes them: ``as_written``).
    The lines rendered to measure are the ones printed (rendering each section twice took
    ``spirals --layer L-1 --full`` from 2.3 s to 3.3 s). A note of what a table leaves out for
    width names the least width at which this stream shows it (at 57 to 59 columns ``--expand``
    said '57 columns show them', which on this stream took 60)."""
    encoding = _ascii_encoding(console)
    if encoding is None:
        console.print(build(console.width))
        return
    from .. import _ASCII_FOR, fit_to_encoding

    wider = {ord(ch): sub for ch, sub in _ASCII_FOR.items() if len(sub) > 1}

    def written_width(line: str, limit: int) -> int:
        """The columns ``line`` takes as the stream writes it, or where no more than ``limit``, at most
        as many: its stand-ins fitted (``fit_to_encoding``, slow) only where, each put in as it is
        (fitting takes their columns from the padding, it adds none), it would take more."""
        if line.isascii():
            return len(line)
        most = cell_len(line.translate(wider))
        return most if most <= limit else cell_len(fit_to_encoding(line, encoding))

    # each layout once per call: a note's width (on_stream) lays the section out for up to 40 consoles, each
    # trying widths the others tried (circles' --expand at 70 columns took 1.25 s, 0.1 s with this)
    rendered: dict[tuple[int, bool], list[Segment]] = {}

    def render(width: int) -> list[Segment]:
        stream = _ASCII_STREAM.get()
        key = (width, stream is not None and stream[1] is None)  # a note's own layouts name no width
        if key not in rendered:
            rendered[key] = list(console.render(build(width), console.options.update_width(width)))
        return rendered[key]

    def laid_out(console_width: int) -> tuple[int, list[Segment]]:
        """The width the section is laid out at on a console ``console_width`` wide, and its segments."""
        width = console_width
        segments = render(width)
        # each time narrower (a line wrapped anew can come out as tight: at 46 columns --expand's chain
        # took 1 off each time, and 4 times were not enough); a stand-in wider than its line never fits
        def over_by(segments: list[Segment]) -> int:
            lines = "".join(s.text for s in segments if not s.control).split("\n")
            return max((written_width(line, console_width) for line in lines), default=0) - console_width

        while True:
            over = over_by(segments)
            if over <= 0 or width - over < 20:
                break
            width -= over
            segments = render(width)
        if over <= 0:  # the widest layout that fits: taking off what the widest line was over can overshoot
            # (wrapped anew, its words move): at 61 and 62 columns --expand's chain, 'C'(W_1) = sum_paths
            # dC/dyhat . …', went to 53, where seed 001's names were left out, which 60 showed
            for wider in range(console_width - 1, width, -1):
                trial = render(wider)
                if over_by(trial) <= 0:
                    return wider, trial
        return width, segments

    def on_stream(need: int) -> int | None:
        """The least console width at which this stream's layout is ``need`` wide or wider, so
        shows what a layout ``need`` wide does; None where it is not found within 40 columns more."""
        token = _ASCII_STREAM.set((encoding, None))
        try:
            return next((c for c in range(need, need + 40) if laid_out(c)[0] >= need), None)
        finally:
            _ASCII_STREAM.reset(token)

    token = _ASCII_STREAM.set((encoding, on_stream))
    try:
        _, segments = laid_out(console.width)
    finally:
        _ASCII_STREAM.reset(token)
    console.print(_Rendered(segments))


def render_layer(ex: LayerExplanation, console: Console, network_section: bool = True, brief: bool = False,
                 check_legend: bool = True) -> None:
    """Print one layer's explanation; ``network_section`` adds the warnings and norms. ``brief``
    (``--brief``): the header, the chain rule, the forward pass, where ∂C0/∂a comes from (and the
    received sums), the written-out products (all of a layer's up to 8, else the first), the
    hand-back, the warnings and notes; not the per-neuron table, the product tables, δ aᵀ, seed
    001's panel or the gradient norms (``--expand``'s panel, asked for, stays). ``check_legend``:
    :data:`CHECK_LEGEND` goes before the first written-out product unless a table whose column
    header names the checks came before it (False: an earlier layer's output did)."""
    l = ex.layer
    fitted = functools.partial(_print_fitted, console)
    fitted(lambda w: Panel(_header(ex, w - _PANEL_FRAME), border_style="bold"))
    fitted(lambda w: _titled_panel(Prose(_equations(ex.rules, w - _PANEL_FRAME)),
                                   f"The chain rule for layer {l} (seed 000)", w, "none"))
    fitted(lambda w: _forward_table(ex, w))

    def source(w: int) -> Panel:
        src = Text()
        src.append_text(_equations(ex.source.equations, w - _PANEL_FRAME))
        for note in ex.source.notes:
            src.append(f"\n• {note}", style=NOTE)
        return _titled_panel(Prose(src), f"Where ∂C0/∂a^({l}) comes from ({ex.source.kind})", w, "none")

    fitted(source)
    if ex.received:  # its check column (or stacked, its legend) names the checks
        fitted(lambda w: _received_table(ex, w))
    explained = not check_legend or bool(ex.received)
    if not brief:
        fitted(lambda w: _neuron_table(ex, w))
        if _worked(ex):  # where σ'(z_j) and ∂C0/∂a_j (or δ_j) in the products come from, with numbers
            fitted(lambda w: _worked_text(ex, w))

    owner, rows = _written_out_scope(ex)
    for title, products, idx, total in (
        (f"∂C0/∂w_jk^({l}), each weight", ex.weight_products, "j,k", rows * ex.sizes[l - 1]),
        (f"∂C0/∂b_j^({l}), each bias", ex.bias_products, "j", rows),
    ):
        if products:  # every product up to 8, else the largest (plain, brief and Markdown alike)
            if not explained:
                console.print(Prose(Text(CHECK_LEGEND, style=NOTE)))
                explained = True
            for p in _written_out(products):
                fitted(functools.partial(_long_form, p))
            if len(products) > _MAX_LONG_FORM:
                fitted(lambda w, products=products, total=total: Prose(Text(
                    _written_out_note(products, l, brief, total=total, owner=owner), style=NOTE)))
        if not brief:
            fitted(functools.partial(_products_table, title, products, idx, l))
            explained = True
    if not brief:
        fitted(lambda w: _weight_matrix(ex, w))
        fitted(lambda w: _seed001_panel(ex, w))
    if ex.expansion is not None:
        fitted(functools.partial(_expansion_panel, ex.expansion))
    # last, what goes on down: it stood between the bias products and δ aᵀ, splitting this layer's
    # gradients; here, under --all-layers, the next layer's rule ("handed back by layer l") follows it
    if ex.hand_back:
        fitted(lambda w: _hand_back_table(ex, w))
    if network_section:
        fitted(lambda w: _network_section(ex.warnings, ex.gradient_norms, w, norms_table=not brief))
    for note in ex.notes:
        fitted(lambda w, note=note: Prose(Text(f"note: {note_line(note)}", style="italic")))


def note_line(note: str) -> str:
    """A note written as a sentence (markdown's and JSON's ``The network is float32; … digits.``) as the
    tool's other ``note:`` lines say theirs: from a lower-case word, without the closing full stop
    (``note: the network is float32; …``); a first word that is a name (``ReLU``, ``E_o``) is kept."""
    word = note.split(" ", 1)[0]
    if word[:1].isupper() and word.isalpha() and (len(word) == 1 or word[1:].islower()):
        note = note[0].lower() + note[1:]
    return note[:-1] if note.endswith(".") and not note.endswith("..") else note


def render_rich(explanations: Explanations, console: Console, brief: bool = False) -> None:
    """Print one explanation, or several (``--all-layers``, L down to 1), then the verdict;
    ``brief`` (``--brief``): see ``render_layer``, and a last line saying what it left out."""
    exs = _as_tuple(explanations)
    for i, ex in enumerate(exs):
        if len(exs) > 1:
            head = f"layer {ex.layer} ({ex.label})"
            # as the stream writes it: on an ASCII one "<-", which ran the rule a column past the edge
            flow = as_written(console, "←  error flows back from the cost" if i == 0 else
                              f"←  ∂C0/∂a^({ex.layer}) handed back by layer {ex.layer + 1}")
            if cell_len(f"{head}  {flow}") <= console.width - 4:  # a rule's title is cut to fit, with "…"
                console.rule(f"[bold]{head}  {flow}")
            else:  # at 40 columns '←  ∂C0/∂a^(1) handed…': the rule names the layer, the flow goes under it
                console.rule(f"[bold]{head}")
                console.print(Text(flow, style="bold"))
        render_layer(ex, console, network_section=len(exs) == 1, brief=brief, check_legend=i == 0)
    if len(exs) > 1 and exs:
        console.rule("[bold]the whole network")
        _print_fitted(console, lambda w: _network_section(exs[0].warnings, exs[0].gradient_norms, w,
                                                          norms_table=not brief))
    _print_fitted(console, lambda w: Prose(_summary(exs)))
    if brief:
        _print_fitted(console, lambda w: Prose(Text(_left_out(exs) + ".", style=NOTE)))


# --------------------------------------------------------------------------------------
# Markdown + LaTeX
# --------------------------------------------------------------------------------------
def _block(latex: str) -> list[str]:
    return ["$$", latex, "$$", ""]


#: How wide (in ex, MathJax's unit: ~7 px at 16 px type) the terms on one row of a Markdown
#: sum or product may get before the row is broken: with the left-hand side (~12 ex) a row stays
#: under ~100 ex, the width of Obsidian's readable column; KaTeX and MathJax never break display
#: math, a one-line sum of 64 terms ran to 1,700 ex.
MD_ROW_EX = 80


_EX = {".": 0.65, "(": 0.9, ")": 0.9, "-": 1.8, " ": 0.0, "·": 2.2, "+": 3.5, "=": 3.5, "e": 1.0}


def _ex(plain: str, numeric: bool = False) -> float:
    """Roughly how wide a term typesets, in ex, from its plain-text form: numbers by their
    characters (a digit ~1.13 ex, a point 0.65, · with its spacing 2.2); a symbol's plain text
    (``σ'(z_0^(2))``) spells its sub- and superscripts out, ~0.8 ex a character."""
    if not numeric:
        return len(plain) * 0.8
    return sum(_EX.get(ch, 1.13) for ch in plain)


def _latex_ex(latex: str) -> int:
    """Roughly how wide a row of LaTeX typesets, in ex: the characters it shows (a command such as
    ``\\sigma`` one, ``\\left``, ``\\right``, braces, ``^`` and ``_`` none), a ``\\frac`` the wider of
    its numerator and denominator (a saturated σ' from z, 115 ex in MathJax, counts 98 so)."""
    out, i = [], 0
    while i < len(latex):
        if latex.startswith(r"\frac{", i):
            parts = []
            for _ in range(2):
                start, depth = i + (6 if not parts else 2), 0
                for k in range(start - 1, len(latex)):
                    depth += {"{": 1, "}": -1}.get(latex[k], 0)
                    if depth == 0:
                        break
                parts.append(latex[start:k])
                i = k
            out.append("x" * max(_latex_ex(p) for p in parts))
            i += 1
        else:
            out.append(latex[i])
            i += 1
    flat = re.sub(r"\\(left|right|quad)", "", "".join(out))
    return len(re.sub(r"[{}&^_\s\\]", "", re.sub(r"\\[a-zA-Z]+", "x", flat)))


def _rows(items: Sequence[str], widths: Sequence[float], sep: str, tail: str = "", tail_ex: float = 0.0) -> list[str]:
    """``items`` joined by ``sep`` (`` + `` or `` \\cdot ``) in rows of at most ``MD_ROW_EX``, each
    row after the first starting with its operator; ``tail`` (`` = 0.5``, `` + b = z``, ``tail_ex``
    wide) ends the last row, with the last item."""
    rows: list[list[str]] = [[]]
    used = 0.0
    for i, (item, w) in enumerate(zip(items, widths)):
        if i == len(items) - 1:
            w += tail_ex
        if rows[-1] and used + w > MD_ROW_EX:
            rows.append([])
            used = 0.0
        rows[-1].append(item)
        used += w + 2.5
    op = sep.strip()
    out = [sep.join(r) if i == 0 else rf"\quad {op} " + sep.join(r) for i, r in enumerate(rows)]
    out[-1] += tail
    return out


def _aligned(rows: Sequence[str]) -> str:
    """Display rows aligned at their ``&``: each row's ``&`` before its ``=`` (or, on a
    continuation row, before ``\\quad +``). KaTeX and MathJax both take aligned inside $$."""
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"


def _product_latex(p: ChainProduct) -> str:
    """\\frac{∂C_0}{∂w} = factors (symbols) / = factors (formulas) / = values = product, one
    row each, as the terminal's long form breaks it."""
    syms = r" \cdot ".join(f.latex for f in p.factors)
    forms = r" \cdot ".join(_paren_lx(f.formula_latex) for f in p.factors)
    d = _operand_digits([f.value for f in p.factors], p.value)
    vals = _rows([_lx(f.value, paren=True, digits=d) for f in p.factors],
                 [_ex(_f(f.value, d), numeric=True) for f in p.factors], r" \cdot ",
                 f" = {_lx(p.value)}", _ex(_n(p.value), numeric=True) + 3)
    return _aligned([rf"{p.latex} &= {syms}", f"&= {forms}", f"&= {vals[0]}", *(f"&{v}" for v in vals[1:])])


def _check_md(c: Check | None) -> str:
    if c is None:
        return ""
    mark = {"pass": "✓", "kink": "? **inconclusive** (ReLU kink)",
            "noise": "? **inconclusive** (within the finite difference's rounding noise)",
            "steep": "? **inconclusive** (the cost bends too sharply within any step)"}.get(c.status, "✗ **FAIL**")
    side = {"one-sided": " (one-sided, at a ReLU kink)",
            "kink": " (straddles a ReLU kink: cannot judge)"}.get(c.difference, "")
    bp, fd = _errs(c).split(" / ")
    bp, fd = (e if e.startswith("abs") else f"rel err {e}" for e in (bp, fd))
    return f"{mark} backprop {_n(c.backprop)} ({bp}), finite difference{side} {_n(c.numeric)} ({fd})"


def _md_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---:" for _ in headers) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


def _md_products(title: str, products: tuple[ChainProduct, ...], layer: int, brief: bool = False,
                 total: int | None = None, owner: str = "") -> list[str]:
    out = [f"#### {title}", ""]
    long_form = _written_out(products)
    for p in long_form:
        out += _block(_product_latex(p))
        out += [_check_md(p.check), ""]
    if len(products) > len(long_form):
        out += [f"*{_written_out_note(products, layer, brief, markdown=True, total=total, owner=owner)}.*", ""]
    if len(products) > len(long_form) and not brief:
        rows = []
        for p in products:
            assert p.check is not None
            d = _operand_digits([f.value for f in p.factors], p.value)
            rows.append([",".join(map(str, p.index)), " · ".join(_f(f.value, d) for f in p.factors), _n(p.value),
                         _n(p.check.backprop), _n(p.check.numeric),
                         _check_cell_md(p.check)])
        out += _md_table(["index", "factors", "product", "backprop", "finite diff", "check (rel err bp / fd)"], rows)
    return out


def _md_hand_back_digits(h: HandBack) -> list[int]:
    """Digits of each shown term's factors in a Markdown hand-back sum, which shows no term
    values: with every term shown, the shown factors' products add up to the shown Σ."""
    if len(h.terms) < h.n_terms:
        return [6] * len(h.terms)
    combine = _sum_of_products([len(t.factors) for t in h.terms])
    big = _md_sum_digits(h)
    # the terminal's digits for each term's factors, where their products add to the shown Σ too
    each = [df for _, df in _hand_back_digits(h)]
    got = math.fsum(math.prod(float(_n(f.value, df)) for f in t.factors) for t, df in zip(h.terms, each))
    if _n(got, big) == _n(h.value, big):
        return each
    d = _operand_digits([f.value for t in h.terms for f in t.factors], h.value, combine, digits=big)
    return [d] * len(h.terms)


def _md_sum_digits(h: HandBack) -> int:
    """Digits of a Markdown hand-back Σ, whose shown factors' products add to it: 6, more where they
    add to a rounding tie of it (see :func:`_result_digits`)."""
    if len(h.terms) < h.n_terms:
        return 6
    combine = _sum_of_products([len(t.factors) for t in h.terms])
    return _result_digits([f.value for t in h.terms for f in t.factors], h.value, combine)[0]


def _sum_of_products(groups: list[int]) -> Callable[[list[float]], float]:
    """``values`` (every term's factors, in order; term i has ``groups[i]``) -> Σ of each term's
    product: the sum a hand-back's shown factors give."""
    def combine(values: list[float]) -> float:
        out, i = [], 0
        for g in groups:
            out.append(math.prod(values[i:i + g]))
            i += g
        return math.fsum(out)

    return combine


def _md_layer(ex: LayerExplanation, network_section: bool, brief: bool = False) -> list[str]:
    l = ex.layer
    out = [f"## Layer {l} ({ex.label}) of {ex.architecture}", ""]
    out += [f"{_which(ex).capitalize()}: {_x_name(ex)} = ({', '.join(_n(v) for v in ex.x)}), "
            f"y = ({', '.join(_n(v) for v in ex.y)}), "
            f"C0 = {_n(ex.cost_value)}{_c0_note(ex, markdown=True)}. Activation {_sigma_text(ex)}; "
            f"{_sigma_prime_text(ex)}.", ""]
    origin = _origin_text(ex, markdown=True)
    if origin:
        out += [f"{origin[0].upper()}{origin[1:]}.", ""]
    params = _parameters_text(ex, markdown=True)
    if params:
        out += [f"{params[0].upper()}{params[1:]}.", ""]
    out += [f"### The chain rule for layer {l} (seed 000)", ""]
    for e in ex.rules:
        out += [f"*{e.label}*", ""] + _block(e.latex)
    out += _md_forward(ex)
    out += [f"### Where ∂C0/∂a^({l}) comes from ({ex.source.kind})", ""]
    for e in ex.source.equations:
        out += _block(e.latex)
    out += [f"- {n}" for n in ex.source.notes] + [""]
    if ex.received:
        out += [f"#### ∂C0/∂a_j^({l}) received from layer {l + 1} (eq. 8 with k → j, j → i)", ""]
        out += _md_sums(ex.received)

    if brief:  # --brief: the written-out products, the hand-back, the warnings (see render_layer)
        out += ["### Products, each checked", ""]
        out += _md_products("Weights", ex.weight_products, l, brief=True, total=_written_out_scope(ex)[1] * ex.sizes[l - 1], owner=_written_out_scope(ex)[0])
        out += _md_products("Biases", ex.bias_products, l, brief=True, total=_written_out_scope(ex)[1], owner=_written_out_scope(ex)[0])
        if ex.expansion is not None:
            out += _md_expansion(ex.expansion)
        if ex.hand_back:
            out += [f"### ∂C0/∂a_k^({l - 1}) handed back to layer {l - 1} (eq. 8)", ""]
            out += _md_sums(ex.hand_back)
        if network_section:
            out += _md_warnings(ex.warnings)
        out += [f"> {n}" for n in ex.notes]
        return out + [""]
    out += [f"### Per neuron{_neurons_shown(ex)}", ""]
    out += _md_table(
        ["j", f"$z_j^{{({l})}}$", f"$a_j^{{({l})}}$", rf"$\sigma'(z_j^{{({l})}})$",
         rf"$\partial C_0/\partial a_j^{{({l})}}$",
         rf"$\delta_j^{{({l})}} = \partial C_0/\partial z_j^{{({l})}}$",
         rf"$\partial C_0/\partial b_j^{{({l})}}$", "flag"],
        [[str(r.j), _n(r.z), _n(r.a), _n(r.sigma_prime), _n(r.grad_a), _n(r.delta), _n(r.grad_b),
          "saturated" if r.saturated else ("at kink (z ≈ 0)" if r.near_kink else ("inactive" if r.dead else ""))]
         for r in ex.neurons],
    )
    out += _md_worked(ex)
    out += ["### Products, each checked", ""]
    out += _md_products("Weights", ex.weight_products, l, total=_written_out_scope(ex)[1] * ex.sizes[l - 1], owner=_written_out_scope(ex)[0])
    out += _md_products("Biases", ex.bias_products, l, total=_written_out_scope(ex)[1], owner=_written_out_scope(ex)[0])
    wg = ex.weight_gradients
    shape = "" if tuple(wg.shape) == (1, 1) else f", shape {wg.shape[0]}×{wg.shape[1]}"  # as the terminal's title
    rank = _rank(ex)  # "all zero, as a^(0) = 0" where δ or a is 0, as the terminal's title says
    kind = "rank-one product" if shape and rank == "rank one" else "product"
    zero = "" if rank == "rank one" else f", {rank}"
    out += [f"### Weight gradients: {kind} δ^({l}) (a^({l - 1}))ᵀ{zero}{shape}, "
            f"norm {_n(wg.norm)}" + (f" (showing {len(wg.rows)}×{len(wg.cols)})" if wg.truncated else ""), ""]
    out += _md_table(["δ_j \\ a_k"] + [f"k={k}: {_n(a)}" for k, a in zip(wg.cols, wg.a_prev)],
                     [[f"j={j}: {_n(d)}"] + [_n(v) for v in row] for j, d, row in zip(wg.rows, wg.delta, wg.dw)])
    s = ex.seed001
    out += [f"### Seed 001's notation: layer error {s.error_name}", ""]
    for e in s.equations:
        out += _block(e.latex)
    out += _md_seed001_vectors(ex)
    for p in (s.error_example, s.weight_example):
        vals = _joined(p, [_lx(f.value, paren=True, digits=d) for f, d in zip(p.factors, _factor_digits(p))],
                       r" \cdot ", r" \cdot ", " - ")
        vals = f" = {vals}" if len(p.factors) > 1 else ""
        out += _block(rf"{p.latex} = " + _joined(p, [f.latex for f in p.factors], " ", r" \cdot ", " - ")
                      + f"{vals} = {_lx(p.value)}")
    out += [f"- {n}" for n in s.notes] + [""]
    if ex.expansion is not None:
        out += _md_expansion(ex.expansion)
    if ex.hand_back:  # its own section, last, as in the terminal (it was a "####" under Products)
        out += [f"### ∂C0/∂a_k^({l - 1}) handed back to layer {l - 1} (eq. 8)", ""]
        out += _md_sums(ex.hand_back)
    if network_section:
        out += _md_network(ex.warnings, ex.gradient_norms)
    out += [f"> {n}" for n in ex.notes]
    return out + [""]


def _md_name(name: str) -> str:
    """Seed 001's plain name in LaTeX: E_2 -> E_{2}, X -> X."""
    base, _, sub = name.partition("_")
    return f"{base}_{{{sub}}}" if sub else base


def _md_vector(name: str, values: tuple[float, ...], note: str, more: bool = False) -> list[str]:
    """``name &= [v0, v1, …] \\quad (note)`` as aligned rows, broken every few values as the
    terminal's panel wraps them (a [ … ] spanning rows has no \\left, \\right); ``more``: a last
    \\dots for the entries left out."""
    shown = [_n(v) for v in values]
    rows = _rows([_lx(v) for v in values] + ([r"\dots"] if more else []),
                 [_ex(t, numeric=True) for t in shown] + ([2.0] if more else []), ", ",
                 rf"] \quad \text{{({note})}}", _ex(note) + 4)
    rows = [r.replace(r"\quad , ", r"\quad ", 1) for r in rows]
    return [f"{_md_name(name)} &= [{rows[0]}" + ("," if len(rows) > 1 else ""),
            *(f"&{r}" + ("," if i < len(rows) - 2 else "") for i, r in enumerate(rows[1:]))]


_HINT = re.compile(r" \((--[^)]*)\)$")  # a vector note's "(--full)", "(--neuron 3 --full)"


def _md_seed001_vectors(ex: LayerExplanation) -> list[str]:
    """The terminal panel's vectors: E_{l+1} (a hidden layer: reused), E_l and H_{l-1} (or X), in a
    $$ block; the option that shows the entries left out (``… 2 more (--full)`` in the terminal) in
    a line after it, in a code span: in \\text KaTeX sets -- as a dash, and MathJax reads no macro
    there (\\texttt), nor a {} between the two."""
    rows: list[str] = []
    cut: list[str] = []
    hint = ""
    for name, values, note, more in _seed001_vectors(ex):
        found = _HINT.search(note)
        if found:
            hint = found.group(1)
            cut.append(_md_escape(name))
        rows += _md_vector(name, values, _HINT.sub("", note), more)
    out = _block(_aligned(rows))
    if cut:
        names = cut[0] if len(cut) == 1 else f"{', '.join(cut[:-1])} and {cut[-1]}"
        out += [f"*{_md_code(hint)} shows every entry of {names} (the … more left out above).*", ""]
    return out


def _md_sums(sums: tuple[HandBack, ...]) -> list[str]:
    """Each eq. 8 sum as one $$ … $$ block, aligned: its terms in symbols (as a product's block has
    them; the first only, then \\dots, past 4 terms), then with their numbers, the rows broken
    every few terms (:func:`_rows`); and its check."""
    out: list[str] = []
    for h in sums:
        shown = h.terms if len(h.terms) == h.n_terms and h.n_terms <= 4 else h.terms[:1]
        symbols = _rows([r" \cdot ".join(_paren_lx(f.formula_latex) for f in t.factors) for t in shown],
                        [_ex(" · ".join(_paren(f.formula) for f in t.factors)) for t in shown], " + ")
        if len(shown) < h.n_terms:
            symbols[-1] += r" + \dots"
        digits = _md_hand_back_digits(h)
        total = _n(h.value, _md_sum_digits(h))
        tail, tail_ex = f" = {_lx(h.value, digits=_md_sum_digits(h))}", _ex(total, numeric=True) + 3
        if len(h.terms) < h.n_terms:
            tail = rf" + \dots\ (\text{{{h.n_terms - len(h.terms):,} more}})" + tail
            tail_ex += 16
        terms = _rows([r" \cdot ".join(_lx(f.value, paren=True, digits=d) for f in t.factors)
                       for t, d in zip(h.terms, digits)],
                      [_ex(" · ".join(_f(f.value, d) for f in t.factors), numeric=True)
                       for t, d in zip(h.terms, digits)], " + ", tail, tail_ex)
        rows = [rf"{h.latex} &= {symbols[0]}", *(f"&{r}" for r in symbols[1:]),
                f"&= {terms[0]}", *(f"&{r}" for r in terms[1:])]
        out += _block(_aligned(rows))
        out += [_check_md(h.check), ""]
    return out


def _md_forward(ex: LayerExplanation) -> list[str]:
    """A $$ block per shown neuron: z_j = Σ_k w_jk a_k + b_j = w_j0 · a_0 + … + b_j (the numbers)
    = z_j, then a_j = σ(z_j) = a_j; the factors carry the digits it takes for the shown products
    plus b to add up to the shown z (with every term shown), as in a hand-back sum."""
    l = ex.layer
    # the neurons shown where some are left out, as the terminal's title says them ('1 of 1 neuron shown' was filler)
    out = [f"### Forward pass of layer {l} (eq. 2)"
           + (f", {len(ex.forward):,} of {ex.n_neurons:,} neurons shown" if len(ex.forward) < ex.n_neurons else ""), ""]
    softmax = ex.activation == "softmax"
    for f in ex.forward:
        j = _ix(f.j)
        dz, dt, each = _forward_digits(f, ex.activation)
        d = 6
        if len(f.terms) == f.n_terms:
            d = _operand_digits([x.value for t in f.terms for x in t.factors] + [f.b], f.z,
                                lambda v: math.fsum([*(v[i] * v[i + 1] for i in range(0, len(v) - 1, 2)), v[-1]]),
                                digits=dz)
        # the terminal's digits (each term's factors as its table shows them, b as its b_j column),
        # where their products plus b add up to the shown z as well: 6.5313670302, not 6.531367
        shown = [[float(_n(x.value, dt_k)) for x in t.factors] for t, dt_k in zip(f.terms, each)]
        got = math.fsum([*(math.prod(v) for v in shown), float(_n(f.b, dt))])
        same = len(f.terms) == f.n_terms and _n(got, dz) == _n(f.z, dz)
        digits, db = (each, dt) if same else ([d] * len(f.terms), d)
        more = ""
        if len(f.terms) < f.n_terms:
            more = rf" + \dots\ (\text{{{f.n_terms - len(f.terms):,} more}})"
        b = rf"b_{{{j}}}^{{({l})}}"
        vals = _rows([r" \cdot ".join(_lx(x.value, paren=True, digits=dk) for x in t.factors)
                      for t, dk in zip(f.terms, digits)],
                     [_ex(" · ".join(_f(x.value, dk) for x in t.factors), numeric=True)
                      for t, dk in zip(f.terms, digits)], " + ",
                     f"{more} + {_lx(f.b, paren=True, digits=db)} = {_lx(f.z, digits=dz)}",
                     (16 if more else 0) + _ex(_f(f.b, db) + _n(f.z, dz), numeric=True) + 6)
        a_sym = rf"a_{{{j}}}^{{({l})}}"
        rule = (rf"\frac{{e^{{{f.latex}}}}}{{\sum_{{i}} e^{{z_{{i}}^{{({l})}}}}}}" if softmax
                else rf"\sigma\left({f.latex}\right)")
        out += _block(_aligned([
            rf"{f.latex} &= \sum_{{k}} w_{{{_ix(f.j, 'k')}}}^{{({l})}} a_{{k}}^{{({l - 1})}} + {b}",
            f"&= {vals[0]}", *(f"&{v}" for v in vals[1:]),
            rf"{a_sym} &= {rule} = {_lx(f.a)}"]))
    return out


def _md_expansion(e: Expansion) -> list[str]:
    out = [f"### Expanded: the whole chain to $w_{{{_ix(e.j, e.k)}}}^{{({e.layer})}}$", ""]
    lhs, eq, rhs = e.chain.latex.partition(" = ")
    chain = _rows(rhs.split(r" \cdot "), [5.0] * len(rhs.split(r" \cdot ")), r" \cdot ")  # d…/d… ~5 ex each
    out += _block(e.chain.latex if len(chain) == 1 or not eq
                  else _aligned([f"{lhs} &= {chain[0]}", *(f"&{r}" for r in chain[1:])]))
    out += _block(e.path_sum.latex)
    if e.n_paths > 1:
        heading, rows, more = _paths_lines(e)
        out += [heading[0].upper() + heading[1:], ""]
        out += _md_table(["path", "product", ""], [[p, v, m] for p, v, m in rows] + ([[more, "", ""]] if more else []))
    dt, dp = _expansion_digits(e)  # the listed paths add up to the total shown
    d = _operand_digits([f.value for f in e.factors], e.path_value, digits=dp)
    path = _rows([_lx(f.value, paren=True, digits=d) for f in e.factors],
                 [_ex(_f(f.value, d), numeric=True) for f in e.factors], r" \cdot ",
                 f" = {_lx(e.path_value, digits=dp)}", _ex(_n(e.path_value, dp), numeric=True) + 3)
    out += _block(path[0] if len(path) == 1 else _aligned([f"&{r}" for r in path]))
    out += _md_table(["seed 001", "factor", "value"],
                     [[f.alias, f"${f.latex} = {f.formula_latex}$", _n(f.value, d)] for f in e.factors])
    m = e.multiplications
    out += [f"Total over {'all ' if e.n_paths > 1 else 'its '}{plural(e.n_paths, 'path')}: {_n(e.total, dt)} "
            f"({'enumerated' if e.enumerated else 'from the memoized backward pass'}). {_check_md(e.check)}", "",
            f"Multiplications for this weight: {m.expanded_weight:,} expanding every path vs "
            f"{m.memoized_weight:,} with memoized layer errors; for every weight of layer {e.layer}: "
            f"{m.expanded_layer:,} vs {m.memoized_layer:,}; for all weights of all layers: "
            f"{m.expanded_network:,} vs {m.memoized_network:,} ({_saves(m.saved_network, network=True)}).", ""]
    return out + [f"- {n}" for n in e.notes] + [""]


def _md_network(warnings: tuple[LearnerWarning, ...], norms: tuple[LayerNorm, ...]) -> list[str]:
    out = ["### Gradient norm of every layer", ""]
    out += _md_table(["layer", "σ", "‖∂C0/∂w‖", "‖∂C0/∂b‖"],
                     [[f"{n.layer} ({n.label})", n.activation, _n(n.weight_norm), _n(n.bias_norm)] for n in norms])
    return out + _md_warnings(warnings)


def _md_warnings(warnings: tuple[LearnerWarning, ...]) -> list[str]:
    """The learner warnings' section, or the terminal's line saying there are none (Markdown left
    it out, plain and --brief: a reader could not tell none from not looked for)."""
    if warnings:
        return ["### Learner warnings", ""] + [f"- ⚠ {w.message}" for w in warnings] + [""]
    return [f"{NO_WARNINGS[0].upper()}{NO_WARNINGS[1:]}.", ""]


def _check_cell_md(c: Check) -> str:
    """The check column of a Markdown products table: mark, rel errs bp / fd."""
    errs = _errs(c)
    if c.status == "kink":
        return f"? {_err(c.rel_err_backprop)} / kink (cannot judge)"
    if c.status == "noise":
        return f"? {_err(c.rel_err_backprop)} / noise (cannot judge)"
    if c.status == "steep":
        return f"? {_err(c.rel_err_backprop)} / steep (cannot judge)"
    side = " one-sided" if c.difference == "one-sided" else ""
    return ("✓ " if c.status == "pass" else "✗ FAIL ") + errs + side


def to_markdown(explanations: Explanations, brief: bool = False) -> str:
    """Markdown with LaTeX ``$$`` blocks (each ``$$`` alone on its line); ``brief`` (``--brief``)
    leaves out what the terminal's brief form does (``render_layer``) and says so last."""
    exs = _as_tuple(explanations)
    lines = ["# backprop explain", ""]
    for ex in exs:
        lines += _md_layer(ex, network_section=len(exs) == 1, brief=brief)
    if len(exs) > 1:
        lines += ["## The whole network", ""]
        lines += _md_warnings(exs[0].warnings) if brief else _md_network(exs[0].warnings, exs[0].gradient_norms)
    text, status = _verdict(exs)
    lines.append(f"**{_MARKS[status]} {text}.**")
    if brief:
        lines += ["", f"*{_left_out(exs, markdown=True)}.*"]  # `--brief` a code span, as the command is
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------
def _plain(v: Any) -> Any:
    """A dataclass as JSON types, in one pass what ``dataclasses.asdict`` and then tuples ->
    lists, non-finite floats -> None gave (asdict's deep copies took ~0.6 s of a --full layer's
    JSON): a dataclass -> a dict of its fields in order, a tuple or list -> a list."""
    kind = type(v)
    if kind in _ATOMS:
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    names = _FIELDS.get(kind)
    if names is None and dataclasses.is_dataclass(v) and not isinstance(v, type):
        names = _FIELDS[type(v)] = tuple(f.name for f in dataclasses.fields(v))
    if names is not None:
        return {name: _plain(getattr(v, name)) for name in names}
    if isinstance(v, dict):
        return {copy.deepcopy(k): _plain(x) for k, x in v.items()}
    return copy.deepcopy(v)


_FIELDS: dict[type, tuple[str, ...]] = {}  # each dataclass's field names, in order
_ATOMS = frozenset((str, int, bool, type(None)))  # what asdict's deep copy gives back as it is


def _layer_json(ex: LayerExplanation) -> dict[str, Any]:
    d: dict[str, Any] = _plain(ex)
    # a received sum is for neuron j of this layer, its terms over the neurons i of layer l+1, as
    # the rich and Markdown output letter them (the HandBack's field is k, for layer l+1's hand-back)
    d["received"] = [{"j": r.pop("k"), **r} for r in d["received"]]
    d["passed"] = ex.passed
    d["status"] = ex.status
    d["n_checks"] = len(ex.checks)
    if ex.expansion is not None:
        m = ex.expansion.multiplications
        d["expansion"]["multiplications"]["saved_weight"] = m.saved_weight
        d["expansion"]["multiplications"]["saved_layer"] = m.saved_layer
        d["expansion"]["multiplications"]["saved_network"] = m.saved_network
    return d


def to_json(explanations: Explanations) -> dict[str, Any]:
    """One layer -> its dict (every dataclass field; ``passed``, ``status``, ``n_checks``
    added); several -> ``{"layers": [...], "passed": bool, "status": str}``. ``status`` is
    pass, inconclusive or fail. Numbers stay numbers; non-finite -> null."""
    if isinstance(explanations, LayerExplanation):
        return _layer_json(explanations)
    layers = [_layer_json(ex) for ex in explanations]
    checks = [c for ex in explanations for c in ex.checks]
    return {"layers": layers, "passed": all(d["passed"] for d in layers),
            "status": overall_status(checks)}


__all__ = ["render_layer", "render_rich", "to_json", "to_markdown"]
