"""Pictures in the terminal: a loss curve and 2-D decision regions, drawn with rich only.

``loss_curve(train, test)`` is a line chart of the cost per epoch: the training cost as a
braille line (2×4 dots per character cell), the test cost as ``•`` markers, labelled axes,
and a log-scale y axis when the cost spans more than two decades.

``decision_regions(predict, X, Y, class_names)`` paints the class the network predicts over a
grid covering the data (a light background tint and a faint texture per class) and draws the
data points on top, one glyph and one colour per true class. On a terminal of 16 colours
(``TERM=xterm``, ``screen``, ``linux``) the tints, which all round to white there, give way to one
of the terminal's own colours per class, and on one of 256 to a pale colour of its own per class.

Both pictures carry their meaning in the characters as well as in the colours, so they stay
readable with ``NO_COLOR``, on a monochrome terminal and when captured as plain text.
Both are pure functions of their inputs and return a rich ``Text`` (never wrapped: a
narrow terminal crops the right edge instead of scrambling the chart).

``training_pictures(history, experiment, show_boundary)`` puts them together for
``backprop train``. The numeric helpers (``grid_bounds``, ``predicted_classes``,
``log_scale_wanted``) and the palette are shared with ``backprop plot``'s PNGs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from rich.color import Color
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Span, Text

from ..data import class_indices

if TYPE_CHECKING:
    from ..experiment import Experiment
    from ..training import EpochStats

#: Class colours, reused by ``backprop plot`` so both pictures agree; the loss curves take the
#: first three. Chosen for colour-blind readers and projectors: the first four (blue, red, purple,
#: green) stay apart under simulated protanopia, deuteranopia and tritanopia (tab10's orange and
#: green, which spirals' classes 1 and 2 had, came out one olive under protanopia); each reads on
#: white, on black and on its own region's tint (contrast 3:1 or more); and none turns yellow,
#: cyan or white where a 16-colour terminal (TERM=xterm) stands in its nearest colour.
PALETTE = ("#2255cc", "#cc2200", "#aa3399", "#228833", "#8c564b",
           "#dd5599", "#666666", "#5577aa", "#117777", "#6644aa")
#: One glyph per true class for the data points (cycled past ten classes).
POINT_GLYPHS = ("●", "✕", "▲", "■", "◆", "✚", "★", "▼", "♦", "✱")
#: matplotlib markers matching ``POINT_GLYPHS``.
POINT_MARKERS = ("o", "X", "^", "s", "D", "P", "*", "v", "d", "8")
#: A faint texture per predicted class, so the regions survive without colour.
REGION_TEXTURES = (" ", "·", ":", "-", "'", "=", "~", "^", "`", ",")

#: The regions' backgrounds on a terminal of 16 colours (rich's "standard" system: TERM=xterm,
#: screen, linux), where every tint rounds to white: one of the terminal's colours per class (blue,
#: red, magenta, green, yellow, cyan, then bright yellow, blue, cyan, magenta), never black or white
#: (a terminal's own background). The first six differ on 8 colours too (the Linux console shows
#: the bright backgrounds 100-107 as 40-47).
REGION_BG_16 = (4, 1, 5, 2, 3, 6, 11, 12, 14, 13)
#: The texture and the points on each of those backgrounds: bright white or black, whichever reads
#: on it (contrast 3:1 or more) in xterm's, the VGA's (Linux console's) and Windows' palettes.
REGION_FG_16 = (15, 15, 15, 0, 0, 0, 0, 15, 0, 0)
#: The regions' backgrounds on a terminal of 256 colours (TERM=xterm-256color): a pale colour of
#: the 6×6×6 cube near each tint's hue, one per class, on which the class's points read (contrast
#: 3:1 or more; rich's own rounding of the tints gave classes 2, 4, 7 and 9 one grey, 188).
REGION_BG_256 = (153, 217, 182, 194, 223, 225, 252, 189, 152, 183)

TRAIN_COLOR = PALETTE[0]
#: What the training cost of an epoch is, beside it in the legend (the test cost is measured after
#: the epoch, the training cost during it, each batch before its step).
TRAIN_MEAN = "(mean during epoch)"
#: The same where the training cost is the legend's only series: it says both that the value is the
#: last epoch's and what it is, where "(last epoch)" after "(mean during epoch)" was a second note,
#: alone on a line of its own under the entry below ~64 columns (the default XOR at 60).
TRAIN_MEAN_LAST = "(mean during the last epoch)"
TEST_COLOR = PALETTE[1]
TRAIN_GLYPH = "⠒"  # the legend's sample of the braille training line
TEST_GLYPH = "•"
VAL_COLOR = PALETTE[2]  # the validation curve, as in loss.png
VAL_GLYPH = "○"
BOTH_GLYPH = "◉"  # a validation and a test marker in one cell: the ○ with the • inside it
BEST_GLYPH = "▲"  # on the x axis: the epoch whose weights early stopping kept

#: Above this ratio of the largest to the smallest cost (two decades), the y axis is logarithmic.
LOG_SCALE_RATIO = 100.0

# Braille: a character cell is 2 dots wide and 4 dots tall; bit of the dot at (column, row).
_BRAILLE_BASE = 0x2800
_BRAILLE_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))


# -----------------------------------------------------------------------------------------
# Shared numeric helpers


def _mix(color: str, other: str, t: float) -> str:
    """``color`` moved a share ``t`` (0..1) of the way towards ``other`` (both ``#rrggbb``)."""
    a = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))


def class_color(k: int) -> str:
    """The strong colour of class ``k`` (``#rrggbb``)."""
    return PALETTE[k % len(PALETTE)]


def class_tint(k: int) -> str:
    """The light background tint of class ``k``'s region (``#rrggbb``)."""
    return _mix(class_color(k), "#ffffff", 0.72)


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{v:02x}" for v in rgb)


@lru_cache(maxsize=1024)
def region_style(region: int, point: int | None = None, color_system: str | None = "truecolor") -> Style:
    """The style of a cell of ``region``'s region (class index): its texture (``point`` None) or
    the glyph of a data point of true class ``point`` on it, for a console of ``color_system``
    (rich's names: "truecolor", "256", "standard", "windows"; None is no colour, as truecolor).

    Truecolor: the class's tint (:func:`class_tint`), the texture a darker shade of it, the point in
    its class's colour, bold. 256 colours: ``REGION_BG_256``'s colour in place of the tint. 16
    colours ("standard", "windows"): ``REGION_BG_16``'s colour, texture and point in
    ``REGION_FG_16``'s black or bright white (the point bold; its glyph tells its class).
    """
    n = len(REGION_BG_16)
    if color_system in ("standard", "windows"):
        return Style(color=Color.from_ansi(REGION_FG_16[region % n]),
                     bgcolor=Color.from_ansi(REGION_BG_16[region % n]), bold=point is not None)
    if color_system == "256":
        bgcolor = Color.from_ansi(REGION_BG_256[region % n])
        bg = _hex(bgcolor.get_truecolor())
    else:
        bg = class_tint(region)
        bgcolor = Color.parse(bg)
    if point is None:
        return Style(color=_mix(bg, "#000000", 0.25), bgcolor=bgcolor)
    return Style(color=_mix(class_color(point), "#000000", 0.15), bgcolor=bgcolor, bold=True)


class _Regions(Text):
    """A ``Text`` whose region styles give way, where it is printed on a console of 16 or 256
    colours, to those :func:`region_style` gives for that console (rich would round each tint to
    its nearest colour there: white for every class in 16 colours). Printed, it is cast
    (``__rich__``) to a renderable that picks the styles for the console (``console.print`` joins the
    ``Text`` objects it is given into one plain ``Text``); copies and joins of it are plain ``Text``,
    in truecolor styles."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.swaps: dict[str, dict[Style, Style]] = {system: {} for system in ("256", "standard", "windows")}

    def region_style(self, region: int, point: int | None = None) -> Style:
        """:func:`region_style`'s truecolor style, with those of the other systems to swap in."""
        style = region_style(region, point)
        if style not in self.swaps["256"]:
            for system, swaps in self.swaps.items():
                swaps[style] = region_style(region, point, system)
        return style

    def __rich__(self) -> _ForConsole:
        return _ForConsole(self)


class _ForConsole:
    """A :class:`_Regions` as printed: in the styles of the console's colour system."""

    def __init__(self, text: _Regions) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        swaps = self.text.swaps.get(console.color_system or "")
        text = self.text.copy()  # a plain Text
        if swaps:
            text.spans = [Span(s.start, s.end, swaps.get(s.style, s.style)) for s in text.spans]  # type: ignore[arg-type]
        return text.__rich_console__(console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return self.text.__rich_measure__(console, options)


# The class each row of outputs (or of a target) stands for: class 1 above 0.5 for a single
# output, else the argmax; the same rule as accuracy() in data.py.
predicted_classes = class_indices

#: At most this many times its data's span is a window's side widened to keep equal units: beyond,
#: features on different scales (metres and millimetres) would leave the data a thin line in an
#: empty window, so each axis spans its own data instead.
MAX_STRETCH = 4.0


def grid_bounds(
    X: ArrayLike, aspect: float = 1.0, margin: float = 0.1
) -> tuple[float, float, float, float]:
    """``(x_min, x_max, y_min, y_max)`` of a window around 2-D points, with a margin.

    Args:
        X: shape ``(n, 2)``, n ≥ 1; non-finite rows are ignored.
        aspect: the wanted ratio (x span) / (y span) of the window; the shorter side is widened
            around its centre so that the data keep their shape (1.0: equal units on both axes),
            unless that would widen it more than ``MAX_STRETCH`` times: then each axis spans its
            own data (units differ; the axes' labels say by how much).
        margin: share of the span added on every side (a zero span counts as 1).
    """
    X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
    X = X[np.all(np.isfinite(X), axis=1)]
    if X.shape[0] == 0:
        X = np.zeros((1, 2))
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    lo, hi = lo - margin * span, hi + margin * span
    cx, cy = (lo + hi) / 2
    sx, sy = hi - lo
    if sx / sy < aspect:
        if sy * aspect <= MAX_STRETCH * sx:
            sx = sy * aspect
    elif sx / aspect <= MAX_STRETCH * sy:
        sy = sx / aspect
    return cx - sx / 2, cx + sx / 2, cy - sy / 2, cy + sy / 2


def log_scale_wanted(values: Sequence[float | None]) -> bool:
    """True when the finite positive values span more than two decades (max/min > 100)."""
    v = np.array([x for x in values if x is not None], dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0 or np.any(v <= 0):
        return False
    return float(v.max()) / float(v.min()) > LOG_SCALE_RATIO


def _nice_step(span: float, n_ticks: int) -> float:
    """A 1-2-5 × 10^k step giving about ``n_ticks`` ticks over ``span``."""
    raw = span / max(1, n_ticks)
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    p = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= m * p:
            return m * p
    return 10.0 * p


# -----------------------------------------------------------------------------------------
# Loss curve


def _finite(values: Sequence[float | None] | None) -> list[float]:
    if values is None:
        return []
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


def _y_scale(values: list[float], rows: int, log: bool) -> tuple[float, float, list[float]]:
    """(low, high, ticks) of the y axis, in plotted units (log10 of the cost when ``log``)."""
    if log:
        lo, hi = math.log10(min(values)), math.log10(max(values))
        ticks = [float(d) for d in range(math.ceil(lo), math.floor(hi) + 1)]
        while len(ticks) > max(2, rows // 2):  # too many decades for the rows: every other one
            ticks = ticks[::2]
        return lo, hi, ticks
    lo, hi = min(values), max(values)
    if hi == lo:
        pad = abs(hi) * 0.1 or 1.0
        # a cost near float64's largest (1e308, an L2 penalty under adam): the pad goes below only
        lo, hi = (lo - pad, hi + pad) if math.isfinite(hi + pad) else (lo - 2 * pad, hi)
    if not math.isfinite(hi - lo):  # no step spans it: the two ends alone
        return lo, hi, [lo, hi]
    step = _nice_step(hi - lo, max(2, rows // 3))
    low, high = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if math.isfinite(low) and math.isfinite(high):  # rounded out to the step, unless that overflows
        lo, hi = low, high
    else:
        lo = low if math.isfinite(low) else lo
    n = math.floor((hi - lo) / step + 1e-9)
    return lo, hi, [lo + i * step for i in range(n + 1)]


def _y_label(v: float, log: bool, step: float) -> str:
    if log:
        return f"{10.0 ** v:g}"
    if step > 0 and max(abs(v), step) >= 1e6:  # '125000000000' took the plot's width: 1.25e+11
        if v == 0:
            return "0"
        digits = math.floor(math.log10(abs(v))) - math.floor(math.log10(step)) + 1
        if step / 10.0 ** math.floor(math.log10(step)) % 1 > 1e-9:  # steps like 2.5e10
            digits += 1
        return f"{v:.{max(1, digits)}g}"
    decimals = max(0, -math.floor(math.log10(step))) if step > 0 else 0
    if step * 10 ** decimals % 1 > 1e-9:  # steps like 0.25
        decimals += 1
    return f"{v:.{decimals}f}"


def _x_ticks(n_epochs: int, cols: int) -> list[int]:
    """Epoch numbers to label: 1, then multiples of a nice step, up to ``n_epochs``."""
    if n_epochs <= 1:
        return [1]
    step = max(1, int(_nice_step(n_epochs, max(1, cols // 10))))
    ticks = [1] + [e for e in range(step, n_epochs + 1, step)]
    return sorted(set(ticks))


def loss_curve(
    train: Sequence[float],
    test: Sequence[float | None] | None = None,
    width: int = 60,
    height: int = 12,
    title: str = "cost per epoch",
    columns: int | None = None,
    validation: Sequence[float | None] | None = None,
    best_epoch: int | None = None,
) -> Text:
    """A line chart of the cost per epoch, in text.

    Args:
        train: the training cost of epochs 1..n, shape ``(n,)``; NaN/inf entries are skipped.
        test: the test cost of the same epochs, shape ``(n,)``, or None (no test split);
            None/NaN entries are skipped.
        width: columns of the plotting area (the y labels add about 8 more).
        height: rows of the plotting area (title, x axis and legend add 4 more).
        title: the line above the chart.
        columns: the console's width, when known: the x axis's name ("epoch") and the
            legend's "(last epoch)" are left out where they would not fit, and the legend
            takes a second line rather than wrap a series' name from its value.
        validation: the validation cost of the same epochs (``data.validation_fraction``,
            the cost early stopping watches), or None; drawn as ``○`` markers like the test's,
            on top of them: where the two share a cell, ``◉`` (the legend says "both").
        best_epoch: the epoch whose weights early stopping kept, or None: a ``▲`` on the x axis
            and "▲ best epoch N (kept)" in the legend.

    The training cost is a braille line (2 × 4 dots per character, so ``2·width`` epochs
    resolve across), the test cost a ``•`` per column, or per pair of columns once there are
    more than ``width // 2`` epochs (the mean over the epochs it covers), drawn over the line;
    the validation cost the same way with ``○``, and ``◉`` where it shares a cell with a test
    marker: the curve early stopping watches is never hidden. When the costs span more than two decades the y axis is log10 and its label says so (not
    with a cost of exactly 0); costs within a dot of each other share a dot row (1e-12 and 0).
    The legend gives each series' last value, "(last epoch)"; the training cost's is marked "(mean during epoch)":
    the mean over the epoch's batches, each measured before its step, where the test cost is
    measured after the epoch ("(mean during the last epoch)" where it is the only series, one note for both). Axis numbers and names are not dim (a projector's white), the axis
    lines are. Colours: train blue, test red, validation purple; the glyphs alone tell them apart.
    Returns a ``Text`` that never wraps.
    """
    width, height = max(10, int(width)), max(3, int(height))
    tr = [float(v) if v is not None else math.nan for v in train]
    te = None if test is None else [float(v) if v is not None else math.nan for v in test]
    if te is not None and not _finite(te):
        te = None
    va = None if validation is None else [float(v) if v is not None else math.nan for v in validation]
    if va is not None and not _finite(va):
        va = None
    n = max(len(tr), len(te) if te is not None else 0, len(va) if va is not None else 0)
    values = _finite(tr) + _finite(te) + _finite(va)
    out = Text(no_wrap=True, overflow="crop")
    if n == 0 or not values:
        out.append(f"{title}: no finite cost to plot")
        return out

    log = log_scale_wanted(values) if min(values) > 0 else False
    lo, hi, ticks = _y_scale(values, height, log)
    t = (lambda v: math.log10(v)) if log else (lambda v: v)
    dots_x, dots_y = 2 * width, 4 * height

    def xdot(i: int) -> int:  # epoch index 0..n-1 -> dot column
        return 0 if n == 1 else round(i * (dots_x - 1) / (n - 1))

    def ydot(v: float) -> int:  # plotted value -> dot row, 0 at the top
        # hi and lo sit mid-cell (dot rows 1.5 and 4·height − 2.5), level with their tick marks.
        # A position exactly between two dot rows goes to the one nearer the middle of the plot: lo
        # itself rounded half to even (45.5 -> 46) one dot below values a hair above it (45.49… ->
        # 45), so a cost reaching exactly 0 (or its minimum) read as a last drop it never made.
        y = 1.5 + (hi - v) / (hi - lo) * (dots_y - 4)
        return min(dots_y - 1, max(0, math.floor(y + 0.5) if y < (dots_y - 1) / 2 else math.ceil(y - 0.5)))

    # The training line: consecutive finite points joined dot by dot.
    cells = [[0] * width for _ in range(height)]

    def dot(x: int, y: int) -> None:
        cells[y // 4][x // 2] |= _BRAILLE_BITS[x % 2][y % 4]

    prev: tuple[int, int] | None = None
    for i, v in enumerate(tr):
        if not (math.isfinite(v) and (v > 0 or not log)):
            prev = None
            continue
        p = (xdot(i), ydot(t(v)))
        if prev is None:
            dot(*p)
        else:
            steps = max(abs(p[0] - prev[0]), abs(p[1] - prev[1]), 1)
            for s in range(1, steps + 1):
                dot(round(prev[0] + (p[0] - prev[0]) * s / steps), round(prev[1] + (p[1] - prev[1]) * s / steps))
        prev = p

    # The test markers, at the mean of the epochs they cover. When the epochs fill the width,
    # one marker per pair of columns, so the training line still shows between the markers
    # where the two curves meet.
    def markers_of(series: list[float] | None) -> dict[int, int]:
        if series is None:
            return {}
        pair = 2 if n > width // 2 else 1
        per_col: dict[int, list[float]] = {}
        for i, v in enumerate(series):
            if math.isfinite(v) and (v > 0 or not log):
                per_col.setdefault(xdot(i) // 2 // pair * pair, []).append(t(v))
        return {c: ydot(sum(vs) / len(vs)) // 4 for c, vs in per_col.items()}

    markers, val_markers = markers_of(te), markers_of(va)

    tick_rows = {ydot(v) // 4: v for v in ticks}
    step = ticks[1] - ticks[0] if len(ticks) > 1 else (hi - lo)
    labels = {r: _y_label(v, log, step) for r, v in tick_rows.items()}
    lw = max(len(s) for s in labels.values())
    train_style, test_style = Style(color=TRAIN_COLOR), Style(color=TEST_COLOR, bold=True)
    val_style = Style(color=VAL_COLOR, bold=True)
    # Dim is for the axis lines only: their numbers and names are read (dim text faded to nothing
    # on a projector's white in a 16-colour terminal).
    axis_style = Style(dim=True)

    y_name = "cost (log scale)" if log else "cost"
    pad = " " * (lw + 2)
    out.append(pad + title.center(width).rstrip() + "\n", style="bold")
    out.append(" " * max(0, lw - 4) + y_name + "\n")
    shared = False
    for r in range(height):
        if r in labels:
            out.append(f"{labels[r]:>{lw}}")
            out.append(" ┤", style=axis_style)
        else:
            out.append(" " * lw + " │", style=axis_style)
        for c in range(width):
            if markers.get(c) == r and val_markers.get(c) == r:
                out.append(BOTH_GLYPH, style=val_style)
                shared = True
            elif val_markers.get(c) == r:
                out.append(VAL_GLYPH, style=val_style)
            elif markers.get(c) == r:
                out.append(TEST_GLYPH, style=test_style)
            elif cells[r][c]:
                out.append(chr(_BRAILLE_BASE + cells[r][c]), style=train_style)
            else:
                out.append(" ")
        out.append("\n")

    # x axis: tick marks on the line, epoch numbers centred below them (no overlaps).
    epochs = n
    # The last epoch is always labelled; a nice tick too close to it gives way.
    axis = ["─"] * width
    label_line = [" "] * (width + 12)
    taken: list[tuple[int, int]] = []
    for e in [epochs] + [e for e in _x_ticks(epochs, width) if e != epochs]:
        c = xdot(e - 1) // 2
        s = str(e)
        start = max(0, min(c - len(s) // 2, width + 12 - len(s)))
        end = start + len(s) - 1
        if any(start <= b + 1 and end >= a - 1 for a, b in taken):
            continue
        taken.append((start, end))
        axis[c] = "┬"
        label_line[start:start + len(s)] = s
    best = best_epoch is not None and 1 <= best_epoch <= n
    out.append(" " * lw + " └", style=axis_style)
    if best:
        c = xdot(best_epoch - 1) // 2  # type: ignore[operator]
        out.append("".join(axis[:c]), style=axis_style)
        out.append(BEST_GLYPH, style=Style(bold=True))
        out.append("".join(axis[c + 1:]) + "\n", style=axis_style)
    else:
        out.append("".join(axis) + "\n", style=axis_style)
    x_name = "epoch"
    line = "".join(label_line).rstrip()
    named = line + " " * max(2, width - len(line) - len(x_name)) + x_name
    if columns is None or lw + 2 + len(named) <= columns:  # else the title says it ("per epoch")
        line = named
    out.append(" " * (lw + 2) + line + "\n")

    # What the glyphs that are not a series mean, on a line above the series' legend (whose last
    # line ends with its values' "(last epoch)").
    keys = [(BOTH_GLYPH, val_style, " validation and test in one cell")] if shared else []
    if best:
        keys.append((BEST_GLYPH, Style(bold=True), f" best epoch {best_epoch:,} (kept)"))
    used = lw + 2
    for i, (glyph, style, label) in enumerate(keys):
        size = len(glyph) + len(label)
        if i and columns is not None and used + 3 + size > columns:
            out.append("\n" + " " * (lw + 2))
            used = lw + 2
        elif i:
            out.append("   ")
            used += 3
        else:
            out.append(" " * (lw + 2))
        out.append(glyph, style=style)
        out.append(label)
        used += size
    if keys:
        out.append("\n")

    # Legend, with the last value of each series.
    # The training cost is the mean over the epoch's batches, each measured before its step: not
    # comparable with the test cost, measured after the epoch (digits' epoch 1: 0.70 vs 0.45).
    last_train = _finite(tr)
    alone = te is None and va is None  # the training cost alone: one note says both, TRAIN_MEAN_LAST
    note = TRAIN_MEAN_LAST if alone else TRAIN_MEAN
    legend = [(TRAIN_GLYPH * 3, train_style,
               f" train {last_train[-1]:.4g} {note}" if last_train else f" train {note}")]
    if te is not None:
        legend.append((TEST_GLYPH, test_style, f" test {_finite(te)[-1]:.4g}"))
    if va is not None:
        legend.append((VAL_GLYPH, val_style, f" validation {_finite(va)[-1]:.4g}"))
    # "(last epoch)" goes with the last series: the values need not be the summary's (the epoch's
    # mean; with early stopping, not the kept weights), so it moves to the next line with it
    # rather than be left out; where even a line of their own is too narrow for the two, it goes
    # on a line of its own under it, as "(mean during epoch)" does under the train entry. The training
    # cost alone says it in its own note (TRAIN_MEAN_LAST).
    last_epoch = "" if alone else "   (last epoch)"
    out.append(" " * (lw + 2))
    used = lw + 2
    for i, (glyph, style, label) in enumerate(legend):
        size = len(glyph) + len(label)
        need = size
        if i == len(legend) - 1 and columns is not None and lw + 2 + size + len(last_epoch) <= columns:
            need += len(last_epoch)
        if columns is not None and lw + 2 + size > columns:  # wider than a line: "(mean during epoch)"
            item = Text(glyph, style=style)  # on a line of its own, broken between words if need be
            item.append(label.removesuffix(f" {note}"))
            parts = [("   ", item, True)] + ([(" ", Text(note), True)] if i == 0 and label.endswith(note) else [])
            used = lw + 2 + _flow(out, parts, lw + 2, columns, used=used - lw - 2)
            continue
        if i and columns is not None and used + 3 + need > columns:  # a narrow console: one more line
            out.append("\n" + " " * (lw + 2))
            used = lw + 2
        elif i:
            out.append("   ")
            used += 3
        out.append(glyph, style=style)
        out.append(label)
        used += size
    if last_epoch:
        _flow(out, [(last_epoch[:3], Text(last_epoch[3:]), True)], lw + 2, columns, used=used - lw - 2)
    return out


# -----------------------------------------------------------------------------------------
# Decision regions


def _flow(out: Text, items: Sequence[tuple[str, Text, bool]], indent: int, columns: int | None,
          used: int | None = None) -> int:
    """Append ``items`` (each ``(gap before it, text, breakable)``) to ``out`` on lines indented by
    ``indent`` and no wider than ``columns`` (when known): an item that does not fit on the line
    starts the next one, and a breakable item wider than a line of its own is broken between its
    words, so that no word is cropped ("(background: predicted clas" at 36 columns). ``used``: the
    cells after the indent already on the current line (None: start one, indent included).
    Returns the cells after the indent on the last line."""
    room = None if columns is None else max(1, columns - indent)
    if used is None:
        out.append(" " * indent)
        used = 0
    for gap, item, breakable in items:
        parts = [(gap, item)]
        if breakable and room is not None and item.cell_len > room:
            words = [w for w in item.split(" ") if w.plain]
            parts = [(gap, words[0])] + [(" ", w) for w in words[1:]]
        for space, part in parts:
            if used and room is not None and used + len(space) + part.cell_len > room:
                out.append("\n" + " " * indent)
                used = 0
            elif used:
                out.append(space)
                used += len(space)
            out.append_text(part)
            used += part.cell_len
    return used


def decision_regions(
    predict: Callable[[NDArray[np.float64]], NDArray[Any]],
    X: ArrayLike,
    Y: ArrayLike,
    class_names: Sequence[str],
    width: int = 60,
    height: int = 24,
    title: str = "decision regions",
    feature_names: Sequence[str] = ("x0", "x1"),
    columns: int | None = None,
) -> Text:
    """The class a network predicts over the plane, with the data on top, in text.

    Args:
        predict: maps raw inputs, shape ``(m, 2)``, to network outputs, shape ``(m, k)``
            (compose the standardizer and ``net.predict``). ``k == 1``: class 1 where the
            output is above 0.5; ``k > 1``: the argmax.
        X: the data points, shape ``(n, 2)``, in raw (unstandardized) units.
        Y: their targets, shape ``(n, k)``: one-hot, or one 0/1 column.
        class_names: one name per class (two for a single 0/1 column).
        width, height: columns and rows of the grid. A character cell is about twice as tall
            as wide, so each row covers twice the distance of a column: the data keep their
            shape (the window is widened on its shorter side as needed).
        title: the line above the grid; ``feature_names`` label the axes.
        columns: the console's width, when known: the legend breaks between its items to fit.

    Every grid cell is painted with the light tint of the class predicted at its centre and
    a faint texture (``REGION_TEXTURES``: blank, ``·``, ``:``, …); a cell holding data points
    shows the glyph of their (majority) true class (``POINT_GLYPHS``: ``●``, ``✕``, ``▲``, …)
    in that class's colour. A point on the wrong side of the boundary is a misclassified
    one. The caption gives the accuracy on these points. Returns a ``Text`` that never wraps;
    printed on a console of 16 or 256 colours it takes :func:`region_style`'s colours for that
    console (in 16, where every tint was white, one of the terminal's colours per region, with the
    texture and points in black or bright white on it: the glyph tells a point's class).
    """
    width, height = max(4, int(width)), max(2, int(height))
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision_regions needs X of shape (n, 2), got {X.shape}")
    true = predicted_classes(Y)
    n_classes = max(2, len(class_names))
    x_min, x_max, y_min, y_max = grid_bounds(X, aspect=width / (2.0 * height))
    ux, uy = (x_max - x_min) / width, (y_max - y_min) / height

    cx = x_min + (np.arange(width) + 0.5) * ux
    cy = y_max - (np.arange(height) + 0.5) * uy
    gx, gy = np.meshgrid(cx, cy)  # (height, width), row 0 at the top
    grid = predicted_classes(predict(np.column_stack([gx.ravel(), gy.ravel()]))).reshape(height, width)

    # Data points per cell: the majority true class wins a shared cell.
    counts: dict[tuple[int, int], dict[int, int]] = {}
    ok = np.all(np.isfinite(X), axis=1)
    cols = np.clip(np.floor((X[:, 0] - x_min) / ux), 0, width - 1).astype(int)
    rows = np.clip(np.floor((y_max - X[:, 1]) / uy), 0, height - 1).astype(int)
    for r, c, k, good in zip(rows, cols, true, ok):
        if good:
            cell = counts.setdefault((int(r), int(c)), {})
            cell[int(k)] = cell.get(int(k), 0) + 1

    acc = float(np.mean(predicted_classes(predict(X[ok])) == true[ok])) if ok.any() else math.nan

    def label(v: float) -> str:
        return f"{v:.3g}"

    top, bottom = label(y_max - uy / 2), label(y_min + uy / 2)
    lw = max(len(top), len(bottom), len(feature_names[1]))
    axis_style = Style(dim=True)
    out = _Regions(no_wrap=True, overflow="crop")
    out.append(" " * (lw + 2) + title.center(width).rstrip() + "\n", style="bold")
    out.append(f"{feature_names[1]:>{lw}}\n")  # names and numbers are read: not dim, the lines are
    for r in range(height):
        tick = top if r == 0 else bottom if r == height - 1 else ""
        out.append(f"{tick:>{lw}}")
        out.append(f" {'┤' if tick else '│'}", style=axis_style)
        for c in range(width):
            region = int(grid[r, c])
            here = counts.get((r, c))
            if here:
                k = max(sorted(here), key=lambda j: here[j])
                out.append(POINT_GLYPHS[k % len(POINT_GLYPHS)], style=out.region_style(region, k))
            else:
                out.append(REGION_TEXTURES[region % len(REGION_TEXTURES)], style=out.region_style(region))
        out.append("\n")
    axis = ["─"] * width
    axis[0] = axis[-1] = "┬"
    out.append(" " * lw + " └" + "".join(axis) + "\n", style=axis_style)
    left, right = label(x_min + ux / 2), label(x_max - ux / 2)
    mid = feature_names[0].center(max(1, width - len(left) - len(right) - 2))
    out.append(" " * (lw + 2) + left + " " + mid + " " + right + "\n")

    # Legend: a swatch of each region, in brackets (class 0's texture is blank: "[  ]", not
    # nothing), next to the glyph of each class's points, then what the two mean; broken between
    # its items where a line would be wider than ``columns`` ("true" over "class)" at column 0 at
    # 80 columns), and a caption wider than the line itself between its words.
    items: list[tuple[str, Text, bool]] = []
    for k in range(n_classes):
        name = class_names[k] if k < len(class_names) else str(k)
        item = Text("[")
        item.append(REGION_TEXTURES[k % len(REGION_TEXTURES)] * 2, style=out.region_style(k))
        item.append("] ")
        item.append(POINT_GLYPHS[k % len(POINT_GLYPHS)], style=Style(color=class_color(k), bold=True))
        item.append(f" {name}")
        items.append(("   ", item, False))
    items += [("   ", Text("(background: predicted class,"), True), (" ", Text("glyph: true class)"), True)]
    _flow(out, items, lw + 2, columns)
    out.append("\n")
    acc_text = "—" if math.isnan(acc) else f"{100 * acc:.1f}%"
    # on two lines or more where one would be cropped ("on 4 poi" at 40 columns)
    _flow(out, [(" ", Text(f"training accuracy {acc_text}", style="italic"), True),
                (" ", Text(f"on {int(ok.sum())} points", style="italic"), True)], lw + 2, columns)
    return out


# -----------------------------------------------------------------------------------------
# For `backprop train`


def boundary_unavailable(experiment: Experiment) -> str | None:
    """Why decision regions cannot be drawn for this experiment, or None when they can."""
    ds = experiment.train
    if ds.task != "classification":
        return "decision regions need classification data (this is regression)"
    if ds.n_inputs != 2:
        return f"decision regions need 2 inputs; the data has {ds.n_inputs}"
    return None


def raw_inputs(experiment: Experiment, X: NDArray[np.float64]) -> NDArray[np.float64]:
    """Undo the experiment's standardization: X (n, n_inputs) -> raw units, same shape."""
    s = experiment.standardizer
    return X if s is None else X * s.scale + s.mean


def raw_predictor(experiment: Experiment) -> Callable[[NDArray[np.float64]], NDArray[Any]]:
    """``predict(X_raw (m, n_inputs)) -> outputs (m, n_outputs)``: standardize, then the net."""
    s, net = experiment.standardizer, experiment.net
    if s is None:
        return net.predict
    return lambda X: net.predict(s.transform(X))


def training_pictures(
    history: Sequence[EpochStats], experiment: Experiment, show_boundary: bool, width: int = 60,
    columns: int | None = None, best_epoch: int | None = None,
) -> list[RenderableType]:
    """What ``backprop train`` draws after training.

    Always the loss curve (train and, with a test split, test cost per epoch from the
    ``EpochStats`` history, and the validation cost with ``data.validation_fraction``), titled
    ``cost (+ L2 penalty) per epoch`` when the network's λ is not 0. With
    ``show_boundary``: the decision regions on the training data (raw units; predictions
    through ``experiment.standardizer`` and ``experiment.net``) when the data is 2-D
    classification, otherwise a one-line dim note saying why not.
    ``width`` is the plotting width of both (each picture is about 12 columns wider; pass
    e.g. ``min(60, console.width - 14)`` on a narrow terminal); heights follow it.
    ``columns``: the console's width, and ``best_epoch`` (early stopping's kept epoch), for
    :func:`loss_curve`.
    """
    width = max(20, int(width))
    train = [s.train_cost for s in history]
    test = [s.test_cost for s in history] if any(s.test_cost is not None for s in history) else None
    val = [s.val_cost for s in history] if any(s.val_cost is not None for s in history) else None
    # With training.l2 every cost drawn includes (λ/2)Σ‖w‖², as the summary's cost row says.
    title = "cost (+ L2 penalty) per epoch" if experiment.net.l2 else "cost per epoch"
    pictures: list[RenderableType] = [loss_curve(train, test, width=width, height=max(6, width // 5),
                                                     title=title, columns=columns, validation=val,
                                                     best_epoch=best_epoch)]
    if show_boundary:
        why = boundary_unavailable(experiment)
        if why is not None:
            pictures.append(Text(f"--show-boundary: {why}"))
        else:
            ds = experiment.train
            pictures.append(decision_regions(
                raw_predictor(experiment), raw_inputs(experiment, ds.X), ds.Y,
                ds.class_names or ("0", "1"), width=width, height=max(8, round(width * 0.4)),
                feature_names=ds.feature_names, columns=columns,
            ))
    return pictures
