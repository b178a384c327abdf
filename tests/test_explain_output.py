"""``explain`` prints what rich prints, byte for byte, where ``render/explain.py`` takes shortcuts
past rich's own work (``SHORTCUTS``: ``_Table``'s rows, ``_Fitted`` texts, measures that count
characters), and the shortcuts are taken: a ``--full`` layer of 2,048 weights took 2-3.5 s, most
of it rich rendering every table cell through its layers one by one."""

from __future__ import annotations

import copy
import dataclasses
import io
import math
import random

import pytest
from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from backprop_cli import explain as core
from backprop_cli.config import load_config
from backprop_cli.experiment import prepare
from backprop_cli.explain import explain_all_layers, explain_layer
from backprop_cli.render import explain as R


def _console(width: int, color: bool) -> Console:
    return Console(file=io.StringIO(), width=width, color_system="truecolor" if color else None,
                   force_terminal=color, highlight=False, emoji=False)


def _cold() -> None:
    """Forget every measure and break the renderer cached, so that one path cannot reuse what
    the other worked out."""
    for value in vars(R).values():
        if hasattr(value, "cache_clear"):
            value.cache_clear()


def _printed(draw, width: int, color: bool, shortcuts: bool, monkeypatch) -> str:
    monkeypatch.setattr(R, "SHORTCUTS", shortcuts)
    _cold()
    console = _console(width, color)
    draw(console)
    monkeypatch.setattr(R, "SHORTCUTS", True)
    return console.file.getvalue()


def _explanation(config: str | None, layer: str | None, sets: dict | None = None, **kw):
    exp = prepare(load_config(config, sets) if sets else load_config(config))
    x, y = exp.train.X[0], exp.train.Y[0]
    if layer is None:
        return explain_all_layers(exp.net, x, y, **kw)
    return explain_layer(exp.net, x, y, layer=layer, **kw)


def _with_every_check(ex):
    """``ex`` with its first products' checks turned into a failure, a kink and a noise (two-line
    cells, other styles), as a broken network or a ReLU kink shows them."""
    def variant(check, status: str, difference: str):
        return dataclasses.replace(check, status=status, difference=difference, passed=status == "pass",
                                   numeric=check.numeric * 1.5 + 1e-3, rel_err_numeric=0.25)
    products = list(ex.weight_products)
    for i, (status, difference) in enumerate((("fail", "central"), ("kink", "kink"), ("noise", "central"),
                                              ("pass", "one-sided"), ("fail", "one-sided"))):
        if i < len(products):
            products[i] = dataclasses.replace(products[i], check=variant(products[i].check, status, difference))
    return dataclasses.replace(ex, weight_products=tuple(products))


@pytest.fixture(scope="module")
def explanations():
    return {
        # softmax output, the whole network
        "iris all --full": _explanation("configs/iris.yaml", None, {"network.layers": [4, 6, 3]}, full=True),
        # a failed, a kink and a noise check among the products; received sums; a hidden layer of 12
        # (two-digit indices, "10,3")
        "checks": _with_every_check(_explanation("configs/iris.yaml", "1", {"network.layers": [4, 12, 3]}, full=True)),
        # given weights, --weight, --expand (the factors table, the panels)
        "hand-worked --expand": _explanation("configs/hand_worked.yaml", "1", weight=(0, 0), expand=True),
        # 8 of 12 terms shown ("… 4 more terms (--full)"), 8 of 12 inputs
        "iris L": _explanation("configs/iris.yaml", "L", {"network.layers": [4, 12, 3]}),
    }


@pytest.mark.parametrize("width", [40, 50, 60, 80, 150])
def test_explain_prints_what_rich_prints(explanations, width, monkeypatch):
    """Every explanation, at widths from a projector's 40 columns (stacked tables, broken terms)
    to 150, in colour (where styled segments must start and end where rich's do) and plain."""
    for name, ex in explanations.items():
        for color in (True, False) if width == 40 else (True,):
            got = _printed(lambda c: R.render_rich(ex, c), width, color, True, monkeypatch)
            rich_own = _printed(lambda c: R.render_rich(ex, c), width, color, False, monkeypatch)
            assert got == rich_own, f"{name} at {width} columns, colour {color}"


# --- any table: _Table prints as Table does --------------------------------------------------
_BOXES = [None, box.SQUARE, box.HEAVY_HEAD, box.SIMPLE_HEAD, box.ASCII, box.MINIMAL, box.ROUNDED, box.SIMPLE]
_WORDS = ["0", "-0.337455", "1.04707", "(-0.2081378)", "✓ 2e-16 / 5e-10", "k=12: 0.175374 · 1.18619 = 0.208027",
          "saturated", "", " ", "lead", "trail ", "  two  spaces", "日本語", "a\tb", "[bold]x[/]", ":smile:",
          "a\nbb", "line one\nline two is longer", "\n", "x\n", "∂C0/∂w_jk^(1)", "a very long cell of words that "
          "will have to wrap in a narrow column", "supercalifragilisticexpialidocious", "é", "e\u0301", "🙂"]
_STYLES = ["", "bold yellow", "bold green", "bold white on red", "dim", "italic", "bold red"]


def _cell(rng: random.Random):
    word = rng.choice(_WORDS)
    kind = rng.random()
    if kind < 0.45:
        return word
    if kind < 0.8:
        return Text(word, style=rng.choice(_STYLES))
    if kind < 0.9:  # spans inside
        return Text.assemble((word, rng.choice(_STYLES)), " · ", ("0.5", "bold"))
    t = Text(word, style=rng.choice(_STYLES), justify=rng.choice(["left", "right", "center"]),
             no_wrap=rng.choice([None, True, False]))
    return t if rng.random() < 0.7 else Padding(word, (0, 1))


def _table_spec(rng: random.Random) -> dict:
    n_cols, n_rows = rng.randint(1, 5), rng.randint(1, 8)
    return {
        "kw": dict(box=rng.choice(_BOXES), show_edge=rng.random() < 0.7, pad_edge=rng.random() < 0.7,
                   collapse_padding=rng.random() < 0.3, show_lines=rng.random() < 0.05,
                   padding=rng.choice([(0, 1), (0, 1), (0, 0), (0, 2), (0, 1, 0, 2), (1, 1)]),
                   title=rng.choice([None, "a title", "a title long enough to be wrapped over lines"]),
                   header_style=rng.choice(["", "bold magenta"]), border_style=rng.choice([None, "blue"]),
                   row_styles=["", "on grey11"] if rng.random() < 0.05 else None,
                   caption="a caption" if rng.random() < 0.05 else None,
                   show_header=rng.random() < 0.95, expand=rng.random() < 0.05),
        "columns": [dict(header=rng.choice(["j", "k", "product", "rel err vs\nbackprop", "a_j^(1) =\nσ(z_j)", ""]),
                         justify=rng.choice(["left", "right", "center", "full"]), no_wrap=rng.random() < 0.6,
                         overflow=rng.choice(["fold", "crop", "ellipsis", "ignore"]),
                         min_width=rng.choice([None, None, 3, 10]), style="cyan" if rng.random() < 0.02 else None,
                         vertical="top" if rng.random() < 0.97 else rng.choice(["middle", "bottom"]))
                    for _ in range(n_cols)],
        "rows": [([_cell(rng) for _ in range(n_cols)], "on blue" if rng.random() < 0.01 else None,
                  rng.random() < 0.01) for _ in range(n_rows)],
    }


def _table(cls: type, spec: dict) -> Table:
    table = cls(**spec["kw"])
    for column in spec["columns"]:
        table.add_column(**column)
    for cells, style, end_section in spec["rows"]:
        table.add_row(*copy.deepcopy(cells), style=style, end_section=end_section)
    return table


def test_any_table_prints_as_rich_prints_it():
    rng = random.Random(2026)
    fast = 0
    for i in range(200):
        spec = _table_spec(rng)
        width, color = rng.randint(8, 100), rng.random() < 0.6
        printed = []
        for cls in (Table, R._Table):
            console = _console(width, color)
            table = _table(cls, spec)
            if cls is R._Table:
                fast += R._fast_table(table, console, console.options) is not None
            console.print(table)
            printed.append(console.file.getvalue())
        assert printed[0] == printed[1], f"table {i} at {width} columns, colour {color}: {spec}"
    assert fast > 50  # the others are laid out otherwise (row styles, a footer, ...) or squeezed to nothing


def test_any_table_measures_as_rich_measures_it():
    """δ aᵀ's table is measured to choose how many k columns fit: each plain cell through rich's
    layers (~50 ms a --full layer's table, twice or more); _measured_width gives rich's measure."""
    rng = random.Random(2027)
    for i in range(100):
        spec = _table_spec(rng)
        width = rng.choice([10_000, rng.randint(8, 100)])
        want = Console(width=width, file=io.StringIO()).measure(_table(Table, spec)).maximum
        assert R._measured_width(_table(R._Table, spec), width) == want, f"table {i} at {width} columns: {spec}"


def test_a_text_measures_as_rich_measures_it():
    rng = random.Random(7)
    console = Console(width=80)
    for _ in range(500):
        plain = "".join(rng.choice(_WORDS + [" ", "\n", "\t", "\u200d", "\ufe0f"]) for _ in range(rng.randint(0, 6)))
        rich_own = Text(plain).__rich_measure__(console, console.options)
        assert R._text_measure(plain) == (rich_own.minimum, rich_own.maximum), repr(plain)
        assert R._widest([plain]) == rich_own.maximum or not plain.strip("\n"), repr(plain)


def test_a_piece_of_a_text_is_rich_own_slice():
    rng = random.Random(11)
    for _ in range(3000):
        n = rng.randint(1, 12)
        text = Text("".join(rng.choice("ab \n·∂日") for _ in range(n)), style=rng.choice(["", "bold", "red"]),
                    justify=rng.choice([None, "left"]), overflow=rng.choice([None, "crop"]))
        for _ in range(rng.randint(0, 4)):
            start = rng.randint(0, n)
            text.stylize(rng.choice(["bold", "italic", "on red"]), start, rng.randint(start, n))
        start = rng.randint(0, n)
        end = rng.randint(start, n)
        want, got = text[start:end], R._piece(text, start, end)
        assert [(t.plain, t.style, t.justify, t.overflow, t.no_wrap, t.end, t.spans) for t in (want, got)] == \
            [(want.plain, want.style, want.justify, want.overflow, want.no_wrap, want.end, want.spans)] * 2


def _reference_break_points(plain, before, after):
    """render/explain.py's scan for top-level break points as it was, character by character."""
    points, depth = [], 0
    starts = {op[0] for op in before + after}
    for i, ch in enumerate(plain):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(depth - 1, 0)
        if depth or ch not in starts:
            continue
        op = next((op for op in before if plain.startswith(op, i)), None)
        if op is not None:
            points.append((i, i + 1, R._BREAK_RANK.get(op, 5)))
            continue
        gap = next((g for g in after if plain.startswith(g, i)), None)
        if gap is not None and (i == 0 or plain[i - 1] != " "):
            points.append((i + len(gap.rstrip()), i + len(gap), R._BREAK_RANK.get(gap, 5)))
    return tuple(points)


def _reference_inner_break_points(plain):
    """... and for the break points inside brackets."""
    points, stack = [], []
    for i, ch in enumerate(plain):
        if ch in "([{":
            stack.append(i)
            continue
        if ch in ")]}":
            if stack:
                stack.pop()
            continue
        if ch not in " ,":
            continue
        if not stack:
            if R._factor_gap(plain, i):
                points.append((i, i + 1, 5, 0, -1))
            continue
        op = next((op for op in R._BREAK_BEFORE if plain.startswith(op, i)), None)
        if op is not None:
            points.append((i, i + 1, R._BREAK_RANK[op], len(stack), stack[-1]))
        elif plain.startswith(", ", i):
            points.append((i + 1, i + 2, R._BREAK_RANK[", "], len(stack), stack[-1]))
        elif R._factor_gap(plain, i):
            points.append((i, i + 1, 5, len(stack), stack[-1]))
    return tuple(points)


def test_break_points_are_found_where_a_scan_of_every_character_finds_them():
    """The scans jump from bracket to bracket and space to comma (a pattern finds them), which
    took 3/4 off a stacked table's 2,048 rows at 40 columns; the places are the same."""
    rng = random.Random(5)
    pieces = list("ab01 ,·=+−()[]{}:✓") + [" · ", " = ", " + ", " − ", ", ", "   ", "0.337455", "(-0.2081378)",
                                          "数字"]
    for _ in range(3000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        for before, after in ((R._BREAK_BEFORE, R._BREAK_AFTER), (R._BREAK_BEFORE, ()), ((), (", ",)),
                              (R._BREAK_BEFORE, (": ",)), ((), ())):
            assert R._break_points(line, before, after) == _reference_break_points(line, before, after), line
        assert R._inner_break_points(line) == _reference_inner_break_points(line), line


# --- the shortcuts are taken ------------------------------------------------------------------
def _counting(monkeypatch, owner, name: str) -> list[int]:
    calls = [0]
    original = getattr(owner, name)

    def counted(*args, **kwargs):
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_a_long_table_is_not_rendered_cell_by_cell(explanations, monkeypatch):
    """rich renders each cell through a Padding (~0.1 ms each): 2,048 rows of 5 cells were ~1.2 s
    of a --full layer's ~2 s. Here only the header's cells and any cell that is not plain text are."""
    ex = explanations["checks"]  # layer 1: 48 products
    table = R._products_table("products", ex.weight_products, "j,k", 1, 120)
    assert len(table.rows) == 48
    paddings = _counting(monkeypatch, Padding, "__rich_console__")
    _console(120, True).print(table)
    assert paddings[0] <= len(table.columns)


def test_a_stacked_table_is_not_wrapped_line_by_line(explanations, monkeypatch):
    """At 40 columns the products are stacked, one text of many lines, each broken to fit: rich
    wrapped it again line by line (~0.3 s for 2,048 rows). Printed as it is where every line fits."""
    ex = explanations["iris L"]
    stacked = R._products_table("products", ex.weight_products, "j,k", 2, 40)
    assert isinstance(stacked, Group) and len(ex.weight_products) == 24
    wraps = _counting(monkeypatch, Text, "wrap")
    _console(40, False).print(stacked)
    assert wraps[0] <= 3  # the title, the legend, the blank line under it


def test_json_is_made_without_deep_copies(explanations, monkeypatch):
    """``dataclasses.asdict`` deep-copies every field (~0.6 s of a --full layer's JSON); the one
    pass gives the same document."""
    for ex in explanations.values():
        def legacy(v):  # asdict, then tuples -> lists and non-finite floats -> None, as before
            if isinstance(v, dict):
                return {k: legacy(x) for k, x in v.items()}
            if isinstance(v, (list, tuple)):
                return [legacy(x) for x in v]
            if isinstance(v, float):
                return v if math.isfinite(v) else None
            return v
        for one in ex if isinstance(ex, tuple) else (ex,):
            assert R._plain(one) == legacy(dataclasses.asdict(one))
    copies = _counting(monkeypatch, copy, "deepcopy")
    R.to_json(explanations["iris all --full"])
    assert copies[0] == 0


def test_each_neurons_factors_are_made_once(monkeypatch):
    """σ'(z_j) · ∂C0/∂a_j is the same for every weight w_jk of neuron j: made once per neuron,
    not once per weight (~20 µs each, 2,048 times for a --full layer)."""
    calls = _counting(monkeypatch, core, "_neuron_factors")
    handed = _counting(monkeypatch, core, "_hand_back_factors")
    ex = _explanation("configs/iris.yaml", "1", {"network.layers": [4, 12, 3]}, full=True)
    assert len(ex.weight_products) == 48
    assert calls[0] == 12  # layer 1's neurons
    assert handed[0] == 3  # layer 2's δ (softmax: fused), for the sums layer 1 receives
