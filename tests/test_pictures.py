"""Pictures: the terminal loss curve and decision regions (render/plots.py), `backprop plot`."""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console
from typer.testing import CliRunner

from backprop_cli.cli import app
from backprop_cli.commands.plot import MISSING_MATPLOTLIB, read_metrics
from backprop_cli.config import load_config
from backprop_cli.experiment import prepare
from backprop_cli.network import Network
from backprop_cli.render.plots import (
    POINT_GLYPHS,
    REGION_TEXTURES,
    TEST_GLYPH,
    VAL_GLYPH,
    class_tint,
    decision_regions,
    grid_bounds,
    log_scale_wanted,
    loss_curve,
    predicted_classes,
    training_pictures,
)
from backprop_cli.training import EpochStats

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
BRAILLE = {chr(c) for c in range(0x2801, 0x2900)}


def text_of(renderable, no_color: bool = False, width: int = 120) -> list[str]:
    console = Console(record=True, width=width, no_color=no_color, file=open("/dev/null", "w"))
    console.print(renderable)
    return console.export_text().rstrip("\n").split("\n")


# -- loss curve --------------------------------------------------------------------------


def test_loss_curve_has_the_expected_size_legend_and_ticks():
    train = np.linspace(1.0, 0.5, 50)
    lines = text_of(loss_curve(train, train - 0.05, width=40, height=10, title="my run"))
    # title, y-axis name, 10 plot rows, x axis, x tick labels, legend
    assert len(lines) == 15
    assert "my run" in lines[0] and lines[1].strip() == "cost"
    rows = lines[2:12]
    offset = rows[0].index("┤") + 1
    assert all(len(r.rstrip()) <= offset + 40 for r in rows)
    assert all(r[offset - 1] in "┤│" for r in rows)
    assert lines[12].lstrip().startswith("└") and len(lines[12].strip()) == 41
    ticks = lines[13].split()
    assert ticks[0] == "1" and ticks[-2] == "50" and ticks[-1] == "epoch"  # the last epoch too
    assert "1.0 ┤" in rows[0]  # the top tick sits on the first row
    assert any(r.lstrip().startswith("0.4 ┤") for r in rows)
    assert "train 0.5" in lines[14] and "test 0.45" in lines[14] and TEST_GLYPH in lines[14]
    body = "".join(r[offset:] for r in rows)
    assert BRAILLE & set(body) and TEST_GLYPH in body


def test_loss_curve_reads_without_colour():
    train = np.linspace(1.0, 0.5, 50)
    plain = text_of(loss_curve(train, train + 0.2), no_color=True)
    assert plain == text_of(loss_curve(train, train + 0.2))  # the glyphs carry the meaning
    body = "\n".join(plain[2:14])
    assert BRAILLE & set(body) and TEST_GLYPH in body


def test_loss_curve_goes_log_scale_when_the_cost_spans_decades():
    train = 10.0 ** -np.linspace(0, 3, 200)  # 1 -> 0.001
    lines = text_of(loss_curve(train, None))
    assert "cost (log scale)" in lines[1]
    labels = {line.split("┤")[0].strip() for line in lines if "┤" in line}
    assert {"1", "0.1", "0.01", "0.001"} <= labels
    assert "test" not in lines[-1] and TEST_GLYPH not in "\n".join(lines)
    assert "log scale" not in "\n".join(text_of(loss_curve(np.linspace(1.0, 0.02, 20))))
    assert log_scale_wanted([1.0, 0.009]) and not log_scale_wanted([1.0, 0.011])
    assert not log_scale_wanted([1.0, 0.0, 1e-9])  # a zero cannot go on a log axis


def _train_dots(lines: list[str]) -> dict[int, set[int]]:
    """The braille line's lit dots of a loss curve's plot rows: dot column -> its dot rows (0 at the top)."""
    bits = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
    rows = [line for line in lines if "┤" in line or ("│" in line and "└" not in line)]
    offset = rows[0].index("┤" if "┤" in rows[0] else "│") + 1
    dots: dict[int, set[int]] = {}
    for r, line in enumerate(rows):
        for c, ch in enumerate(line[offset:]):
            if ch in BRAILLE:
                for dx in (0, 1):
                    for dy in range(4):
                        if (ord(ch) - 0x2800) & bits[dx][dy]:
                            dots.setdefault(2 * c + dx, set()).add(4 * r + dy)
    return dots


def test_a_cost_that_reaches_0_is_drawn_on_the_row_of_the_costs_just_above_it():
    """Seed 001's 1-1-1 ReLU toy (η = 0.05): the cost falls to 1.4e-12 by epoch 10 and is exactly 0
    from epoch 25 on. The line along the 0.00 row turned from ⠒ to ⠤ about epoch 14, a drop that did
    not happen: 0 sat exactly between two dot rows and rounded half to even, one dot below the costs
    a hair above it. Costs within a dot of each other are drawn on one dot row, on a log axis too."""
    costs = [0.18 * 0.10368 ** k for k in range(24)] + [0.0] * 6  # metrics.csv's, to 3 digits
    dots = _train_dots(text_of(loss_curve(costs, None, width=60, height=12)))
    floor = {x: ys for x, ys in dots.items() if x >= 16}  # epoch 9 on: every cost below 1e-10
    assert len(set().union(*floor.values())) == 1, floor
    # the minimum of a log axis (xor's last epochs) beside costs a hair above it
    log = [1.0, 0.1] + [1e-3 * (1 + 1e-13)] * 20 + [1e-3]
    dots = _train_dots(text_of(loss_curve(log, None, width=40, height=10)))
    assert "log scale" in text_of(loss_curve(log, None, width=40, height=10))[1]
    assert len({y for x, ys in dots.items() if x >= 20 for y in ys}) == 1


def test_loss_curve_draws_the_validation_cost_early_stopping_watches():
    """With data.validation_fraction the validation cost is a third series (○), where a learner
    sees it part from the training cost; it names its last value in the legend."""
    train = np.linspace(1.0, 0.2, 40)
    val = np.concatenate([np.linspace(1.0, 0.5, 20), np.linspace(0.5, 0.9, 20)])  # overfits after 20
    lines = text_of(loss_curve(train, None, width=40, height=10, validation=val))
    body = "\n".join(lines[2:12])
    assert body.count(VAL_GLYPH) >= 15 and TEST_GLYPH not in body
    assert "validation 0.9" in lines[-1] and "test" not in lines[-1]
    plain = text_of(loss_curve(train, train + 0.1, width=40, height=10, validation=val), no_color=True)
    assert VAL_GLYPH in "\n".join(plain[2:12]) and TEST_GLYPH in "\n".join(plain[2:12])
    assert "test 0.3" in plain[-1] and "validation 0.9" in plain[-1]


@pytest.mark.parametrize("columns", [40, 50, 60, 80])
def test_the_loss_curves_legend_never_splits_a_series_from_its_value(columns):
    train = np.linspace(1.0, 0.2, 40)
    curve = loss_curve(train, train + 0.01, width=columns - 14, height=6, columns=columns, validation=train + 0.02)
    lines = text_of(curve, width=columns)
    legend = lines[lines.index(next(line for line in lines if "train 0.2" in line)):]
    assert all(len(line) <= columns for line in lines)
    assert re.search(r"• test 0\.21\b", "\n".join(legend)) and re.search(r"○ validation 0\.22\b", "\n".join(legend))


def test_loss_curve_survives_nan_and_empty_input():
    assert "no finite cost" in text_of(loss_curve([], None))[0]
    lines = text_of(loss_curve([0.5, float("nan"), 0.3], [None, 0.4, None], width=20, height=5))
    assert len(lines) == 10


# -- decision regions ----------------------------------------------------------------------


def _step_net() -> Network:
    """One sigmoid unit, a = σ(10·x0): class 1 exactly where x0 > 0."""
    net = Network([2, 1], activation="sigmoid", cost="squared_error", seed=0)
    net.weights = [np.array([[10.0, 0.0]])]
    net.biases = [np.array([0.0])]
    return net


def _grid(lines: list[str], height: int) -> list[str]:
    """The grid rows of an exported decision-regions picture (after the axis mark)."""
    rows = lines[2:2 + height]
    return [r[r.index("┤" if "┤" in r else "│") + 1:] for r in rows]


def test_decision_regions_put_each_class_on_its_side():
    X = np.array([[-1.0, 0.0], [1.0, 0.0], [-0.5, 0.5], [0.5, -0.5]])
    Y = np.array([[0.0], [1.0], [0.0], [1.0]])
    width, height = 20, 8
    picture = decision_regions(_step_net().predict, X, Y, ("no", "yes"), width=width, height=height)
    lines = text_of(picture)
    assert len(lines) == 2 + height + 4
    grid = _grid(lines, height)
    assert all(len(row) == width for row in grid)
    left, right = REGION_TEXTURES[0], REGION_TEXTURES[1]
    for row in grid:  # the boundary x0 = 0 is the middle column: blank left, textured right
        assert set(row[: width // 2]) <= {left, POINT_GLYPHS[0]}
        assert set(row[width // 2:]) <= {right, POINT_GLYPHS[1]}
    body = "".join(grid)
    assert body.count(POINT_GLYPHS[0]) == 2 and body.count(POINT_GLYPHS[1]) == 2
    assert "● no" in lines[-2] and "✕ yes" in lines[-2]
    assert "training accuracy 100.0% on 4 points" in lines[-1]

    # The colours agree: the background of a cell is the tint of the class predicted there.
    console = Console(width=120, color_system="truecolor", force_terminal=True, file=open("/dev/null", "w"))
    row = console.render_lines(picture, console.options, pad=False)[2 + height // 2]
    cells = [(ch, seg.style) for seg in row for ch in seg.text]
    start = next(i for i, (ch, _) in enumerate(cells) if ch in "┤│") + 1
    first, last = cells[start][1], cells[start + width - 1][1]
    assert first.bgcolor.get_truecolor() == tuple(int(class_tint(0)[i:i + 2], 16) for i in (1, 3, 5))
    assert last.bgcolor.get_truecolor() == tuple(int(class_tint(1)[i:i + 2], 16) for i in (1, 3, 5))


def test_decision_regions_argmax_for_several_outputs_and_a_misclassified_point():
    def predict(X):  # three bands along x0
        x = X[:, 0]
        return np.column_stack([x < -1 / 3, np.abs(x) <= 1 / 3, x > 1 / 3]).astype(float)

    X = np.array([[-1.0, 0.0], [0.0, 0.0], [1.0, 0.0], [1.0, 0.8]])
    Y = np.eye(3)[[0, 1, 2, 0]]  # the last point is class 0 but lies in class 2's band
    lines = text_of(decision_regions(predict, X, Y, ("a", "b", "c"), width=30, height=10))
    grid = _grid(lines, 10)
    blank, b_tex, c_tex = REGION_TEXTURES[:3]
    for row in grid:  # three bands, left to right: a (blank), b (·), c (:)
        assert row[0] in (blank, POINT_GLYPHS[0]) and row[-1] == c_tex
        assert row.strip(blank + POINT_GLYPHS[0])[0] == b_tex
    y0 = next(row for row in grid if POINT_GLYPHS[1] in row)  # the row of the points at x1 = 0
    a, b, c = (y0.index(g) for g in POINT_GLYPHS[:3])
    assert a < b < c
    assert set(y0[:a]) == {blank} and y0[b - 1] == y0[b + 1] == b_tex and y0[c - 1] == y0[c + 1] == c_tex
    misplaced = [row for row in grid if POINT_GLYPHS[0] in row and c_tex in row[: row.index(POINT_GLYPHS[0])]]
    assert len(misplaced) == 1  # the class-a point drawn on class c's band
    assert "training accuracy 75.0% on 4 points" in lines[-1]


def test_helpers():
    assert predicted_classes([[0.2], [0.7]]).tolist() == [0, 1]
    assert predicted_classes([[0.1, 0.8, 0.1]]).tolist() == [1]
    x0, x1, y0, y1 = grid_bounds([[0.0, 0.0], [1.0, 1.0]], aspect=2.0)
    assert x0 < 0 < 1 < x1 and y0 < 0 < 1 < y1
    assert (x1 - x0) == pytest.approx(2 * (y1 - y0))


def test_features_on_different_scales_fill_the_window(tmp_path):
    """x in hundreds, y in hundredths: equal units made the window ±190 tall around data 0.07
    tall (terminal and PNG), a flat line with the boundary invisible. Beyond MAX_STRETCH each
    axis spans its own data; similar scales keep equal units."""
    x0, x1, y0, y1 = grid_bounds([[200.0, 2.96], [800.0, 3.03]], aspect=1.0)
    assert x0 < 200 < 800 < x1 and 2.9 < y0 < 2.96 < 3.03 < y1 < 3.1
    x0, x1, y0, y1 = grid_bounds([[0.0, 0.0], [3.0, 1.0]], aspect=1.0)  # within the stretch: equal units
    assert (x1 - x0) == pytest.approx(y1 - y0)
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from backprop_cli.commands.plot import boundary_figure

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2)) * [100, 0.01] + [500, 3]
    label = (X[:, 0] - 500) / 100 + (X[:, 1] - 3) / 0.01 > 0
    (tmp_path / "d.csv").write_text("a,b,c\n" + "".join(f"{p},{q},{int(t)}\n" for (p, q), t in zip(X, label)))
    (tmp_path / "d.yaml").write_text("data: {path: d.csv, standardize: true}\nnetwork: {layers: [2, 3, 1]}\n")
    ax = boundary_figure(Figure, prepare(load_config(tmp_path / "d.yaml")), resolution=40).axes[0]
    lo, hi = ax.get_ylim()
    assert lo < X[:, 1].min() and X[:, 1].max() < hi and hi - lo < 2 * np.ptp(X[:, 1])
    regions = "\n".join(text_of(decision_regions(
        lambda Z: np.zeros((len(Z), 1)), X, label[:, None].astype(float), ("0", "1"), width=40, height=12)))
    assert "3.0" in regions and "100" not in regions  # the y axis's labels: the data's range


# -- training_pictures (for `backprop train`) ----------------------------------------------


def _history(n: int, test: bool) -> list[EpochStats]:
    return [EpochStats(e, 1.0 / e, None, 1.1 / e if test else None, None, 0.0) for e in range(1, n + 1)]


def test_training_pictures_for_2d_classification_and_for_regression():
    exp = prepare(load_config(ROOT / "configs" / "circles.yaml", {"data.n_samples": 40}))
    pictures = training_pictures(_history(30, test=True), exp, show_boundary=True, width=40)
    assert len(pictures) == 2
    loss, regions = ("\n".join(text_of(p)) for p in pictures)
    assert "test" in loss and TEST_GLYPH in loss
    assert "training accuracy" in regions and "x0" in regions
    assert len(training_pictures(_history(30, test=False), exp, show_boundary=False)) == 1
    assert VAL_GLYPH not in loss and "validation" not in loss
    with_val = [s._replace(val_cost=1.2 / s.epoch) for s in _history(30, test=True)]
    loss = "\n".join(text_of(training_pictures(with_val, exp, show_boundary=False)[0]))
    assert VAL_GLYPH in loss and "validation 0.04" in loss  # 1.2 / 30

    sine = prepare(load_config(ROOT / "configs" / "sine.yaml", {"data.n_samples": 20}))
    pictures = training_pictures(_history(5, test=True), sine, show_boundary=True)
    assert len(pictures) == 2 and "regression" in text_of(pictures[1])[0]


# -- backprop plot ---------------------------------------------------------------------------


def _run(tmp_path: Path, config: str, **sets) -> Path:
    out = tmp_path / config
    args = ["train", str(ROOT / "configs" / f"{config}.yaml"), "--out", str(out), "--epochs", "3", "--quiet"]
    for key, value in sets.items():
        args += ["--set", f"{key}={value}"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    return out


PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def circles_plotted(tmp_path_factory) -> tuple[Path, object, dict[str, object]]:
    """circles (40 samples, 3 epochs) trained and plotted once, for the tests that read the run
    (none changes it): its folder, `backprop plot`'s result and the figures it saved."""
    pytest.importorskip("matplotlib")
    run = _run(tmp_path_factory.mktemp("plotted"), "circles", **{"data.n_samples": 40})
    with pytest.MonkeyPatch.context() as mp:
        drawn = _figures(mp)
        return run, runner.invoke(app, ["plot", str(run)]), drawn


def test_plot_writes_loss_and_boundary_for_2d_data(circles_plotted):
    run, r, _ = circles_plotted
    assert r.exit_code == 0, r.output
    for name in ("loss.png", "boundary.png"):
        assert (run / name).read_bytes().startswith(PNG) and f"wrote {run / name}" in r.output
    assert not [p for p in run.iterdir() if p.name.endswith(".tmp")]


def test_plot_writes_only_the_loss_for_1d_data_into_out(tmp_path):
    pytest.importorskip("matplotlib")
    run = _run(tmp_path, "sine", **{"data.n_samples": 20})
    out = tmp_path / "pictures" / "sine"
    r = runner.invoke(app, ["plot", str(run), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["loss.png"]
    assert "no boundary.png" in r.output and "1" in r.output


def _one_line_error(r, *needles: str) -> None:
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), r.stderr
    for needle in needles:
        assert needle in lines[0]


def test_plot_of_standard_input_is_told_where_dash_reads(tmp_path, monkeypatch):
    """`backprop plot -` said '-: run folder not found (make one with: backprop train CONFIG --out -)', a
    folder named '-' that no one means: '-' reads standard input for rows and configs, as a MODEL of '-' is told."""
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["plot", "-"])
    assert r.exit_code == 2 and r.stdout == "" and r.stderr.splitlines() == [
        ("error: -: a run folder cannot be read from standard input ('-' reads it only for a CSV of rows, predict's "
         "INPUT_CSV and evaluate --data, and for a CONFIG); give the run's folder"),
        "hint: backprop train CONFIG --out DIR makes one: backprop plot DIR"], r.stderr

def test_plot_errors_are_one_line(tmp_path):
    _one_line_error(runner.invoke(app, ["plot", str(tmp_path / "nope")]), "run folder not found")
    empty = tmp_path / "empty"
    empty.mkdir()
    _one_line_error(runner.invoke(app, ["plot", str(empty)]), "no metrics.csv and no model.npz")
    (tmp_path / "file").write_text("x")
    _one_line_error(runner.invoke(app, ["plot", str(tmp_path / "file")]), "is not a folder")

    run = _run(tmp_path, "xor")
    (run / "metrics.csv").write_text("epoch,train_cost\n1,0.5\n2,oops\n")
    _one_line_error(runner.invoke(app, ["plot", str(run)]), "metrics.csv: line 3: column train_cost: oops is not a number")
    (run / "metrics.csv").write_text("epoch,train_cost\n")
    _one_line_error(runner.invoke(app, ["plot", str(run)]), "no epochs")
    (run / "metrics.csv").unlink()
    _one_line_error(runner.invoke(app, ["plot", str(run)]), "no metrics.csv")
    assert not (run / "loss.png").exists()


@pytest.mark.parametrize("kind", ["binary", "latin-1", "folder", "broken-link", "fifo", "model-folder"])
def test_plot_of_a_damaged_metrics_csv_or_model_says_what_it_is(tmp_path, kind):
    """A binary metrics.csv was 'cannot read ('utf-8' codec can't decode byte 0xdd in position 0: …)',
    a folder or a broken link there 'no metrics.csv', a FIFO waited on for ever, and a model.npz
    that is a folder read as 'the run has not finished'. Each is named, in the words other commands
    use for a data file that is not UTF-8, one line, nothing written."""
    if kind == "fifo" and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    run = tmp_path / "run"
    run.mkdir()
    metrics, model = run / "metrics.csv", run / "model.npz"
    model.write_bytes(b"")  # not read: the metrics are refused first
    if kind == "binary":
        metrics.write_bytes(b"\xdd\x01\x00\x7f\x00\x03binary\x00\x00")
        said = f"error: {metrics}: is a binary file (it holds NUL bytes), not CSV text"
    elif kind == "latin-1":
        metrics.write_bytes("epoch,train_cost\n1,0.5\n2,0.4 café\n".encode("latin-1"))
        said = f"error: {metrics}: line 3: is not UTF-8 text (byte 0xe9 cannot be decoded); save it as UTF-8 CSV"
    elif kind == "folder":
        metrics.mkdir()
        said = f"error: {metrics}: is a folder, not the metrics file loss.png is drawn from"
    elif kind == "broken-link":
        metrics.symlink_to(tmp_path / "gone.csv")
        said = f"error: {metrics}: is a broken link (to {tmp_path / 'gone.csv'}, which does not exist), not the metrics"
    elif kind == "fifo":
        os.mkfifo(metrics)
        said = f"error: {metrics}: is a FIFO (named pipe), not the metrics file"
    else:
        metrics.write_text("epoch,train_cost\n1,0.5\n")
        model.unlink()
        model.mkdir()
        said = f"error: {model}: is a folder, not a model .npz file"
    r = runner.invoke(app, ["plot", str(run), "--out", str(tmp_path / "pictures")])
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    assert r.stderr.splitlines()[0].startswith(said), r.stderr
    assert len(r.stderr.splitlines()) == (1 if kind in ("binary", "latin-1") else 2), r.stderr  # the rest: a hint
    assert not (tmp_path / "pictures").exists()



def _run_holding(tmp_path, run_has, make_metrics, config_text):
    """A run folder whose metrics.csv ``make_metrics`` makes (a folder, a broken link), with a config.yaml
    and, as ``run_has`` says, a checkpoint and a model (empty files: plot reads neither before its hint)."""
    run = tmp_path / "run"
    run.mkdir()
    make_metrics(run / "metrics.csv")
    (run / "config.yaml").write_text(config_text)
    if run_has != "nothing":
        (run / "checkpoint.npz").write_bytes(b"")
    if run_has == "checkpoint-and-model":
        (run / "model.npz").write_bytes(b"")
    return run

@pytest.mark.parametrize("run_has", ["checkpoint-and-model", "checkpoint", "nothing"])
def test_plot_of_a_metrics_csv_that_is_no_file_says_how_to_get_it_back(tmp_path, run_has):
    """A metrics.csv that is a folder, a FIFO or a broken link was named, with nothing on what to do
    (model.npz's have a hint). Train refuses to replace it, so it goes first; then a --resume writes
    it from the checkpoint's history, of a run without model.npz at once, of a finished one only when
    it trains more epochs (with nothing to train its files are left as they are); else a new run."""
    run = _run_holding(tmp_path, run_has, lambda metrics: metrics.mkdir(), "seed: 0\n")
    r = runner.invoke(app, ["plot", str(run), "--out", str(tmp_path / "pictures")])
    assert r.exit_code == 2, r.output
    config, resume = run / "config.yaml", f"backprop train {run / 'config.yaml'} --out {run} --resume"
    assert r.stderr.splitlines()[1] == "hint: " + {
        "checkpoint-and-model": f"remove it; a resume writes it from the run's checkpoint when it trains more epochs "
                                f"({resume} --epochs N, N above the run's), or train the run again: backprop train "
                                f"{config} --out {run} --overwrite",
        "checkpoint": f"remove it, then finish the run, which writes it from its checkpoint: {resume}",
        "nothing": f"remove it, then train the run again: backprop train {config} --out {run} --overwrite",
    }[run_has], r.stderr


@pytest.mark.parametrize("run_has", ["checkpoint-and-model", "checkpoint", "nothing"])
def test_plot_of_a_metrics_csv_that_is_a_broken_link_says_restore_or_remove_and_names_the_epochs(tmp_path, run_has):
    """A broken link's hint read 'restore the file it pointed to, or remove the link, then train the run
    again' (as if restoring needed a new run too): the two ways are apart. And '--epochs N, N above the
    run's' names the epochs of the run's config.yaml."""
    run = _run_holding(tmp_path, run_has, lambda metrics: metrics.symlink_to(tmp_path / "gone.csv"),
                       "seed: 0\ntraining:\n  epochs: 300\n")
    r = runner.invoke(app, ["plot", str(run), "--out", str(tmp_path / "pictures")])
    assert r.exit_code == 2, r.output
    config, resume = run / "config.yaml", f"backprop train {run / 'config.yaml'} --out {run} --resume"
    back = "restore the file it pointed to; or remove the link"
    assert r.stderr.splitlines()[1] == "hint: " + {
        "checkpoint-and-model": f"{back}, then a resume writes it from the run's checkpoint when it trains more "
                                f"epochs ({resume} --epochs N, N above the run's 300), or train the run again: "
                                f"backprop train {config} --out {run} --overwrite",
        "checkpoint": f"{back} and finish the run, which writes it from its checkpoint: {resume}",
        "nothing": f"{back} and train the run again: backprop train {config} --out {run} --overwrite",
    }[run_has], r.stderr


@pytest.mark.parametrize("ended", ["finished", "stopped-early"])
def test_plot_s_hint_for_a_broken_metrics_link_writes_it_back_when_followed(tmp_path, ended):
    """Followed literally, the hint gets the run's metrics.csv back. A run early stopping ended (iris at
    epoch 26 of 200) was advised '--resume --epochs N, N above the run's 200', as a finished one is: that
    resume has nothing to train ('nothing saved: the run's files … are left as they were', exit 0) and
    metrics.csv stayed missing; such a run is trained again (--overwrite), as it ran."""
    import shlex

    run = tmp_path / "run"
    sets = (["--epochs", "20"] if ended == "finished" else
            ["--set", "training.early_stopping=true", "--set", "training.patience=3", "--set",
             "training.min_delta=0.01", "--set", "data.validation_fraction=0.2"])
    config = ROOT / "configs" / ("xor.yaml" if ended == "finished" else "iris.yaml")
    trained = runner.invoke(app, ["train", str(config), *sets, "--out", str(run), "--quiet"])
    assert trained.exit_code == 0, trained.output
    rows = (run / "metrics.csv").read_text().splitlines()
    (run / "metrics.csv").unlink()
    (run / "metrics.csv").symlink_to(tmp_path / "gone.csv")
    r = runner.invoke(app, ["plot", str(run), "--out", str(tmp_path / "pictures")])
    assert r.exit_code == 2, r.output
    hint = r.stderr.splitlines()[1]
    assert hint.startswith("hint: restore the file it pointed to; or remove the link"), hint
    if ended == "finished":
        found = re.search(r"\((backprop train .* --resume) --epochs N, N above the run's (\d+)\)", hint)
        assert found is not None and found[2] == "20", hint
        command = [*shlex.split(found[1])[1:], "--epochs", str(int(found[2]) + 1)]
    else:
        assert "(early stopping ended it at epoch " in hint and "--epochs N" not in hint, hint
        found = re.search(r": (backprop train \S+ --out \S+ --overwrite)$", hint)
        assert found is not None, hint
        command = shlex.split(found[1])[1:]
        resumed = runner.invoke(app, ["train", str(run / "config.yaml"), "--out", str(run), "--resume", "--epochs",
                                      "201"])  # what it advised: nothing written
        assert resumed.exit_code == 0 and "nothing saved" in resumed.output, resumed.output
    (run / "metrics.csv").unlink()  # "remove the link"
    followed = runner.invoke(app, [*command, "--quiet"])
    assert followed.exit_code == 0, followed.output
    assert (run / "metrics.csv").is_file() and not (run / "metrics.csv").is_symlink()
    got = (run / "metrics.csv").read_text().splitlines()
    assert len(got) == len(rows) + (1 if ended == "finished" else 0), (rows, got)
    assert read_metrics(run / "metrics.csv")["epoch"][-1] == len(got) - 1


@pytest.mark.parametrize("bad", [b"caf\xe9,1", b"\xe9,1"], ids=["in-a-line", "a-line's-first"])
def test_plot_names_the_byte_and_line_not_utf8_after_a_byte_order_mark(tmp_path, bad):
    """utf-8-sig counts positions after the 3-byte BOM: a metrics.csv saved with one named the byte
    3 before the bad one ('byte 0x63' for café's é), and the line before it when that byte is in
    the first 3 of its line."""
    run = tmp_path / "run"
    run.mkdir()
    (run / "metrics.csv").write_bytes(b"\xef\xbb\xbfepoch,train_cost\n1,0.5\n2,0.4\n" + bad + b"\n")
    r = runner.invoke(app, ["plot", str(run), "--out", str(tmp_path / "pictures")])
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        f"error: {run / 'metrics.csv'}: line 4: is not UTF-8 text (byte 0xe9 cannot be decoded); save it as UTF-8 CSV"
    ], r.stderr


@pytest.mark.parametrize("state", ["finished", "interrupted"])
def test_plot_of_the_folder_of_a_run_named_model_npz_names_the_run(tmp_path, state):
    """`train --out y/model.npz`: `plot y` said 'y/model.npz: is a folder, not a model .npz file' (a
    run's folder taken for a model.npz that is a folder), where predict and evaluate name the run in
    it: plot decides as load_model does, and names it. Its message said 'no model.npz' beside a hint
    naming y/model.npz: it says what that is."""
    y = tmp_path / "y"
    run = y / "model.npz"
    run.mkdir(parents=True)
    (run / "metrics.csv").write_text("epoch,train_cost\n1,0.5\n")
    (run / "checkpoint.npz").write_bytes(b"")
    if state == "finished":
        (run / "model.npz").write_bytes(b"")
    r = runner.invoke(app, ["plot", str(y), "--out", str(tmp_path / "pictures")])
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    said = f"error: {y}: not a training run: no metrics.csv, and its model.npz is a run's folder, not a model .npz file"
    assert r.stderr.splitlines() == [said, f"hint: it holds a run: {run}; give it"], r.stderr
    assert not (tmp_path / "pictures").exists()


def test_plot_of_a_folder_whose_model_npz_holds_runs_says_so(tmp_path):
    """A model.npz folder holding runs (train --out y/model.npz/a): `plot y` said 'no model.npz' beside
    the hint naming the run in y/model.npz."""
    y = tmp_path / "y"
    (y / "model.npz" / "a").mkdir(parents=True)
    (y / "model.npz" / "a" / "model.npz").write_bytes(b"")
    r = runner.invoke(app, ["plot", str(y), "--out", str(tmp_path / "pictures")])
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    said = f"error: {y}: not a training run: no metrics.csv, and its model.npz is a folder of runs, not a model .npz file"
    assert r.stderr.splitlines() == [said, f"hint: it holds a run: {y / 'model.npz' / 'a'}; give it"], r.stderr


def test_plot_of_the_folder_of_a_run_named_model_npz_before_its_first_checkpoint_names_the_run(tmp_path):
    """`train --out y/model.npz` before its first checkpoint (only its lock there): `plot y` said 'not a
    training run: no metrics.csv and no model.npz' with no hint, where predict says 'it holds a run:
    y/model.npz; give it'. The same hint, from the same helper; the message says what its model.npz is."""
    from backprop_cli.runs import RUN_LOCK, lock_run

    pytest.importorskip("fcntl")
    y = tmp_path / "y"
    run = y / "model.npz"
    run.mkdir(parents=True)
    held = lock_run(run)  # a train writing it (flock: another open file description, as another process's)
    (run / RUN_LOCK).write_text(f"{os.getppid()}\n")  # its pid another's (this process's own is not a writer)
    try:
        r = runner.invoke(app, ["plot", str(y), "--out", str(tmp_path / "pictures")])
        p = runner.invoke(app, ["predict", str(y), str(tmp_path / "x.csv")])
    finally:
        held.release()
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    said = f"error: {y}: not a training run: no metrics.csv, and its model.npz is a run's folder, not a model .npz file"
    assert r.stderr.splitlines() == [said, f"hint: it holds a run: {run}; give it"], r.stderr
    assert p.exit_code == 2 and p.stderr.splitlines()[-1] == f"hint: it holds a run: {run}; give it", p.stderr
    assert not (tmp_path / "pictures").exists()


def test_plot_of_a_runs_file_or_of_the_folder_of_runs_hints_the_run(tmp_path):
    """`plot runs/iris/model.npz` said only 'is not a folder; give the folder of a run' (predict and
    evaluate take either), and `plot runs` 'not a training run' where predict names the runs in it:
    both now hint the run folder."""
    run = tmp_path / "runs" / "iris"
    run.mkdir(parents=True)
    (run / "metrics.csv").write_text("epoch,train_cost\n1,0.5\n")
    (run / "model.npz").write_bytes(b"")
    for name in ("model.npz", "metrics.csv"):
        r = runner.invoke(app, ["plot", str(run / name)])
        assert r.exit_code == 2 and r.stderr.splitlines() == [
            f"error: {run / name}: is not a folder; give the folder of a run (backprop train --out DIR)",
            f"hint: the run folder is {run}: backprop plot {run}"], r.output
    (tmp_path / "notes.txt").write_text("x")  # a file in no run: no hint
    _one_line_error(runner.invoke(app, ["plot", str(tmp_path / "notes.txt")]), "is not a folder")
    r = runner.invoke(app, ["plot", str(run.parent)])
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        f"error: {run.parent}: not a training run: no metrics.csv and no model.npz",
        f"hint: it holds a run: {run}; give it"], r.output
    (run.parent / "sine").mkdir()
    (run.parent / "sine" / "metrics.csv").write_text("epoch,train_cost\n1,0.5\n")  # unfinished: plot draws it too
    r = runner.invoke(app, ["plot", str(run.parent)])
    assert r.exit_code == 2 and r.stderr.splitlines()[1] == \
        f"hint: it holds runs: {run}, {run.parent / 'sine'}; give one of them", r.output


def test_plot_into_a_run_folder_it_cannot_write_names_the_folder_not_out(tmp_path, monkeypatch):
    """A read-only run folder and no --out said '--out roplot: cannot write into the folder', naming an
    option the user never typed; it names the run folder, with a hint to use --out."""
    import tempfile

    pytest.importorskip("matplotlib")
    run = tmp_path / "roplot"
    run.mkdir()
    (run / "metrics.csv").write_text("epoch,train_cost\n1,0.5\n")  # an unfinished run: loss.png alone

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", refused)  # a read-only folder (root ignores modes)
    r = runner.invoke(app, ["plot", str(run)])
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        f"error: {run}: cannot write into the run folder: Permission denied",
        f"hint: draw the pictures elsewhere: backprop plot {run} --out DIR"], r.output
    r = runner.invoke(app, ["plot", str(run), "--out", str(tmp_path / "pictures")])
    _one_line_error(r, f"--out {tmp_path / 'pictures'}: cannot write into the folder: Permission denied")
    assert not list(run.glob("*.png"))


def test_plot_refuses_metrics_that_no_run_writes(tmp_path):
    """Epochs out of order, repeated, skipped or fractional, and negative costs were drawn as a
    curve (a line going back and forth); train writes epochs 1, 2, 3, … and costs ≥ 0."""
    run = _run(tmp_path, "xor")
    for rows, needle in (("2,0.5", "line 2: column epoch: '2', expected 1"),
                         ("1,0.5\n1,0.4", "line 3: column epoch: '1', expected 2"),
                         ("1,0.5\n3,0.4", "line 3: column epoch: '3', expected 2"),
                         ("1.5,0.5", "line 2: column epoch: '1.5', expected 1"),
                         ("1,0.5\n2,-0.25", "line 3: column train_cost: '-0.25' is negative")):
        (run / "metrics.csv").write_text(f"epoch,train_cost\n{rows}\n")
        _one_line_error(runner.invoke(app, ["plot", str(run)]), f"metrics.csv: {needle}")
    assert not list(run.glob("*.png"))
    (run / "metrics.csv").write_text("epoch,train_cost\n1.0,0.5\n2,nan\n3,inf\n")  # a diverged run's
    assert read_metrics(run / "metrics.csv")["epoch"] == [1.0, 2.0, 3.0]


def test_plot_draws_no_boundary_for_a_run_whose_data_file_changed_or_moved(tmp_path):
    """The boundary's points are rebuilt from the data file: changed since training, they are
    not the points the model learned (evaluate refuses the same), yet plot drew them. loss.png
    needs no data, so it is still drawn; boundary.png is skipped (an older one removed), saying why."""
    pytest.importorskip("matplotlib")
    rows = [(x, y, int(x * y > 0)) for x in (-2, -1, 1, 2) for y in (-1.5, -0.5, 0.5, 1.5)]
    data = tmp_path / "d.csv"
    data.write_text("a,b,label\n" + "".join(f"{x},{y},{c}\n" for x, y, c in rows))
    cfg = tmp_path / "d.yaml"
    cfg.write_text("data: {path: d.csv}\nnetwork: {layers: [2, 3, 1]}\ntraining: {epochs: 2}\n")
    run = tmp_path / "run"
    assert runner.invoke(app, ["train", str(cfg), "--out", str(run), "--quiet"]).exit_code == 0
    assert runner.invoke(app, ["plot", str(run)]).exit_code == 0 and (run / "boundary.png").is_file()
    data.write_text(data.read_text().replace("-2,-1.5,1", "-2,-1.5,0"))
    r = runner.invoke(app, ["plot", str(run)])
    assert r.exit_code == 0, r.output
    assert (run / "loss.png").read_bytes().startswith(PNG) and not (run / "boundary.png").exists()
    (note,) = [line for line in r.stderr.splitlines() if line.startswith("no boundary.png")]
    assert "cannot draw boundary.png: the data in" in note and "d.csv are not the ones it was trained on" in note
    assert "restore the file" in note and r.stdout == ""
    assert all(line.startswith(("wrote ", "no boundary.png")) for line in r.stderr.splitlines()), r.stderr
    data.write_text("".join(",".join(line.split(",")[1:]) for line in data.read_text().splitlines(True)))
    r = runner.invoke(app, ["plot", str(run)])  # a column cut: said to be changed too (it ended the plot, exit 2,
    assert r.exit_code == 0 and (run / "loss.png").is_file(), r.output  # 'network.layers[0]: 2 does not match …')
    (note,) = [line for line in r.stderr.splitlines() if line.startswith("no boundary.png")]
    assert "(the file has changed since: it now has 1 input and 1 output, the network 2-3-1)" in note, note
    data.unlink()  # moved away: the same, saying the file is gone
    r = runner.invoke(app, ["plot", str(run)])
    assert r.exit_code == 0 and (run / "loss.png").is_file(), r.output
    (note,) = [line for line in r.stderr.splitlines() if line.startswith("no boundary.png")]
    assert "d.csv" in note


def test_plot_draws_the_loss_of_a_run_that_diverged_and_says_why_no_boundary(tmp_path):
    pytest.importorskip("matplotlib")
    run = tmp_path / "odiv"
    r = runner.invoke(app, ["train", str(ROOT / "configs" / "xor_relu.yaml"), "--lr", "100",
                            "--checkpoint-every", "10", "--out", str(run), "--quiet"])
    assert r.exit_code == 1 and not (run / "model.npz").exists(), r.output
    (run / "boundary.png").write_text("an earlier plot's")  # of another model: must not stay beside this loss
    r = runner.invoke(app, ["plot", str(run)])
    assert r.exit_code == 0, r.output
    assert (run / "loss.png").read_bytes().startswith(PNG) and not (run / "boundary.png").exists()
    notes = [line for line in r.stderr.splitlines() if line.startswith("no boundary.png")]
    assert len(notes) == 1 and "no model.npz" in notes[0], r.stderr
    diverged_at = int(read_metrics(run / "metrics.csv")["epoch"][-1])
    assert f"the run diverged at epoch {diverged_at}; loss.png shows its epochs up to that one" in notes[0]
    assert "has not finished" not in notes[0] and "checkpoint" not in notes[0]  # it was drawn up to the divergence


def test_a_run_that_diverged_before_its_first_checkpoint_is_described_from_its_config_yaml(tmp_path):
    """sine at --lr 1 with L2 diverges at epoch ~10, before its first checkpoint: plot called it an
    'unfinished run' whose cost had no L2 in it, and said loss.png stopped at a checkpoint."""
    from backprop_cli.commands.plot import _experiment

    run = tmp_path / "divl2"
    r = runner.invoke(app, ["train", str(ROOT / "configs" / "sine.yaml"), "--lr", "1", "--set", "training.l2=0.01",
                            "--out", str(run), "--quiet"])
    assert r.exit_code == 1 and not (run / "checkpoint.npz").exists(), r.output
    history = read_metrics(run / "metrics.csv")
    described, l2, exp, why, kept = _experiment(run, None, history)
    assert described == "1-16-1 tanh/linear, half_squared_error (diverged)" and l2 == 0.01
    assert exp is None and kept is None
    assert why.endswith(f"the run diverged at epoch {int(history['epoch'][-1])}; loss.png shows its epochs up to that one")
    lines = (run / "metrics.csv").read_text().splitlines()  # the same past epoch 999: said as 1,2xx, as elsewhere
    col = lines[0].split(",").index("epoch")
    rows = [line.split(",") for line in [lines[1]] * 1233 + [lines[-1]]]  # the first row's figures, then the last's
    (run / "metrics.csv").write_text("\n".join([lines[0], *(",".join(str(e) if i == col else v for i, v in enumerate(row))
                                                           for e, row in enumerate(rows, 1))]) + "\n")
    why = _experiment(run, None, read_metrics(run / "metrics.csv"))[3]
    assert why.endswith("the run diverged at epoch 1,234; loss.png shows its epochs up to that one"), why


def test_plot_draws_the_loss_of_an_interrupted_run(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from backprop_cli.commands import train

    asked = iter(range(10**9))
    monkeypatch.setattr(train._StopOnSignal, "requested", lambda self: next(asked) >= 60)  # Ctrl-C a few epochs in
    run = tmp_path / "stopped"
    r = runner.invoke(app, ["train", str(ROOT / "configs" / "circles.yaml"), "--out", str(run), "--quiet"])
    assert r.exit_code == 130, r.output
    r = runner.invoke(app, ["plot", str(run)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in run.glob("*.png")) == ["loss.png"] and "no model.npz" in r.stderr
    assert "has not finished (it is still training, or it was interrupted or diverged)" in r.stderr
    assert len(read_metrics(run / "metrics.csv")["epoch"]) >= 2


def test_plot_refuses_a_folder_that_mixes_two_runs(tmp_path):
    circles = _run(tmp_path, "circles", **{"data.n_samples": 40})
    spirals = _run(tmp_path, "spirals", **{"data.n_samples": 40})
    for name in ("checkpoint.npz", "metrics.csv"):  # what --overwrite left before it cleared the folder
        (circles / name).write_bytes((spirals / name).read_bytes())
    _one_line_error(runner.invoke(app, ["plot", str(circles)]), "model.npz and checkpoint.npz are from different runs",
                    "data.dataset circles vs spirals", "--overwrite")
    assert not list(circles.glob("*.png"))


def test_plot_draws_costs_near_the_float_maximum_on_a_readable_log_axis(tmp_path):
    pytest.importorskip("matplotlib")
    import warnings

    from matplotlib.figure import Figure

    from backprop_cli.commands.plot import _saver, loss_figure

    run = tmp_path / "hugec"
    r = runner.invoke(app, ["train", str(ROOT / "configs" / "xor_relu.yaml"), "--lr", "100", "--epochs", "70",
                            "--out", str(run), "--quiet"])
    assert r.exit_code == 0, r.output
    history = read_metrics(run / "metrics.csv")
    assert max(history["train_cost"]) > 1e290
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib's "overflow encountered in exp" was leaking
        warnings.filterwarnings("ignore", category=DeprecationWarning)  # a library's own (_NOT_OURS), hidden as ever
        r = runner.invoke(app, ["plot", str(run)])
        assert r.exit_code == 0, r.output
        fig = loss_figure(Figure, history, "hugec")
        _saver(fig)(io.BytesIO())
        ax = fig.axes[0]
    assert ax.get_ylabel() == "cost (log scale)"
    lo, hi = ax.get_ylim()  # log10 of the cost: the whole curve, from the first epoch's to the last's
    assert lo <= np.log10(min(history["train_cost"])) and np.log10(max(history["train_cost"])) <= hi <= 309
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "$10^{250}$" in labels, labels
    # costs near the maximum that span less than two decades: the log axis too (a linear one fails)
    near = {"epoch": [1.0, 2.0], "train_cost": [1e307, 1.7e308], "test_cost": [None, None], "val_cost": [None, None]}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", category=DeprecationWarning)  # (_NOT_OURS)
        fig = loss_figure(Figure, near, "near")
        _saver(fig)(io.BytesIO())
    assert fig.axes[0].get_ylabel() == "cost (log scale)"


def test_plot_without_matplotlib_names_the_extra(tmp_path, monkeypatch):
    run = _run(tmp_path, "xor")
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib...` raises ImportError
    r = runner.invoke(app, ["plot", str(run)])
    _one_line_error(r, MISSING_MATPLOTLIB)
    assert r.stderr.strip() == f"error: {MISSING_MATPLOTLIB}"
    assert not (run / "loss.png").exists()


@pytest.mark.parametrize("columns", [40, 50, 60, 70, 80, 120])
def test_the_loss_curves_legend_keeps_saying_its_values_are_the_last_epochs(columns):
    """The legend's values are the last epoch's, which the summary under it need not show (the
    epoch mean, and with early stopping the kept epoch's weights). With a validation series the
    legend filled a 60-column line and "(last epoch)" was left out, so "validation 0.2848" stood
    above a table saying 0.190363; it now goes to the next line with the last series."""
    train = np.linspace(1.0, 0.3936, 18)
    curve = loss_curve(train, train - 0.1, width=max(20, min(60, columns - 14)), height=6, columns=columns,
                       validation=train - 0.05)
    lines = text_of(curve, width=columns)
    assert all(len(line) <= columns for line in lines)
    assert lines[-1].rstrip().endswith("(last epoch)"), lines[-3:]
    assert re.search(r"○ validation 0\.3436\b", "\n".join(lines[-2:])), lines[-2:]


def test_a_training_cost_drawn_alone_says_it_is_the_last_epochs_mean_in_one_note(monkeypatch):
    """The default XOR (no test split) at 60 columns: `⠒⠒⠒ train 0.0008365 (mean during epoch)` over
    `(last epoch)` alone on a line of its own (below 64 columns), a second note that read as nothing's. The
    training cost alone says both in one note, `(mean during the last epoch)`: beside its entry where
    that fits, else whole on a line of its own under it, from 40 to 100 columns."""
    for columns in (40, 50, 54, 55, 60, 64, 100):
        monkeypatch.setenv("COLUMNS", str(columns))
        r = runner.invoke(app, ["train", "--quiet"])
        assert r.exit_code == 0, r.output
        lines = [line.rstrip() for line in r.output.splitlines()]
        start = next(i for i, line in enumerate(lines) if "⠒⠒⠒ train" in line)
        legend = lines[start:lines.index("", start)]
        indent = lines[start].index("⠒")
        assert all(len(line) <= columns and line[:indent].strip() == "" for line in legend), legend
        assert " ".join(" ".join(legend).split()) == "⠒⠒⠒ train 0.0008365 (mean during the last epoch)", legend
        assert legend[-1].strip().startswith(("⠒⠒⠒", "(mean during the last epoch)")), legend  # the note whole
        assert (len(legend) == 1) == (columns >= 55), (columns, legend)
    # with a test series the values stay marked "(last epoch)", after the last one
    train = np.linspace(1.0, 0.05533, 18)
    lines = text_of(loss_curve(train, train - 0.01, width=40, height=6, columns=80), width=80)
    assert lines[-1].split() == ["⠒⠒⠒", "train", "0.05533", "(mean", "during", "epoch)", "•", "test", "0.04533",
                                 "(last", "epoch)"], lines[-1]


@pytest.mark.parametrize("columns", [30, 36, 40])
def test_the_loss_curves_legend_breaks_between_words_on_a_narrow_terminal(columns):
    """At 36 columns `train` printed `⠒⠒⠒ train 0.05533 (mean during` and then `epoch)` at column 0,
    under the y axis: a legend entry wider than a line now breaks between its words, under itself."""
    train = np.linspace(1.0, 0.05533, 18)
    lines = text_of(loss_curve(train, train - 0.01, width=20, height=6, columns=columns), width=columns)
    start = next(i for i, line in enumerate(lines) if "⠒⠒⠒ train" in line)
    indent = lines[start].index("⠒")
    legend = lines[start:]
    assert all(len(line) <= columns and line[:indent].strip() == "" for line in legend), legend
    words = " ".join(" ".join(legend).split())
    assert re.fullmatch(r"⠒⠒⠒ train 0\.05533 \(mean during epoch\) • test 0\.04533 \(last epoch\)", words), legend
    assert "(mean during epoch)" in legend[1], legend  # whole, on its own line: not "(mean" / "during epoch)"


@pytest.mark.parametrize("columns", [30, 36, 40, 50, 80])
def test_the_loss_curves_legend_keeps_last_epoch_on_a_narrow_terminal(columns):
    """circles at 30 columns: the train entry kept "(mean during epoch)" on a line of its own, but the test
    entry's "(last epoch)" was left out ("• test 0.134"), so the two values read as the same kind of number;
    it goes on a line of its own under the test entry the same way, whole, under the legend's indent."""
    train = np.linspace(1.0, 0.1563, 30)
    lines = text_of(loss_curve(train, train - 0.0223, width=20, height=6, columns=columns), width=columns)
    start = next(i for i, line in enumerate(lines) if "⠒⠒⠒ train" in line)
    indent = lines[start].index("⠒")
    legend = [line.rstrip() for line in lines[start:] if line.strip()]
    assert all(len(line) <= columns and line[:indent].strip() == "" for line in legend), legend
    assert legend[-1].endswith("(last epoch)") and "• test 0.134" in "\n".join(legend[-2:]), legend
    if columns == 30:
        assert legend[-2:] == [" " * indent + "• test 0.134", " " * indent + "(last epoch)"], legend


def test_plot_draws_dollar_signs_in_names_as_text_not_mathtext(tmp_path):
    """A `$` in the run folder's name, a column name or a class name started matplotlib's
    mathtext: `backprop plot 'runs/mt$\\frac$'` ended in a ParseSyntaxException traceback."""
    pytest.importorskip("matplotlib")
    (tmp_path / "d.csv").write_text("p$\\frac$,q,y\n0,0,$a\n1,1,b$\\x$\n0,1,$a\n1,0,b$\\x$\n")
    (tmp_path / "d.yaml").write_text("data: {path: d.csv, test_fraction: 0}\nnetwork: {layers: [2, 3, 1]}\n"
                                     "training: {epochs: 3}\n")
    run = tmp_path / "run$\\frac$"
    r = runner.invoke(app, ["train", str(tmp_path / "d.yaml"), "--out", str(run), "--quiet"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["plot", str(run)])
    assert r.exit_code == 0 and r.exception is None, r.output
    for name in ("loss.png", "boundary.png"):
        assert (run / name).read_bytes().startswith(PNG)


def test_plot_draws_a_cost_with_no_neighbour_as_a_dot(tmp_path):
    """A line through one point draws nothing: loss.png of a one-epoch run (the README's
    `backprop train configs/hand_worked.yaml --epochs 1 --out runs/hand_worked`) had empty axes,
    where the terminal curve shows its dot. Such a cost, and one between gaps, is a marker."""
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from backprop_cli.commands.plot import loss_figure

    run = tmp_path / "one"
    r = runner.invoke(app, ["train", str(ROOT / "configs" / "hand_worked.yaml"), "--epochs", "1", "--out", str(run),
                            "--quiet"])
    assert r.exit_code == 0, r.output
    assert runner.invoke(app, ["plot", str(run)]).exit_code == 0 and (run / "loss.png").read_bytes().startswith(PNG)
    ax = loss_figure(Figure, read_metrics(run / "metrics.csv"), "one").axes[0]
    (line,) = ax.get_lines()
    assert line.get_marker() == "o" and list(line.get_markevery()) == [0]
    lo, hi = ax.get_xlim()
    assert lo < 1 < hi and [t.get_text() for t in ax.get_xticklabels()] == ["1"]  # the dot inside, not on the frame

    nan = float("nan")
    history = {"epoch": [1.0, 2.0, 3.0, 4.0, 5.0], "train_cost": [0.5, 0.4, 0.3, 0.2, 0.1],
               "test_cost": [0.6, nan, 0.5, nan, nan], "val_cost": [None] * 5}
    train, test = loss_figure(Figure, history, "gaps").axes[0].get_lines()
    assert train.get_marker() in ("None", "", None)  # a joined line keeps no dots
    assert test.get_marker() == "o" and list(test.get_markevery()) == [0, 2] and not test.get_clip_on()


def test_plot_names_a_picture_it_cannot_replace_by_its_path_without_out(tmp_path):
    """Without --out the error said `--out RUN_DIR: loss.png: is a folder`, an option not typed."""
    pytest.importorskip("matplotlib")
    run = _run(tmp_path, "sine", **{"data.n_samples": 20})
    (run / "loss.png").mkdir()
    r = runner.invoke(app, ["plot", str(run)])
    _one_line_error(r, f"{run / 'loss.png'}: is a folder, not a regular file")
    assert "--out" not in r.stderr
    r = runner.invoke(app, ["plot", str(run), "--out", str(run)])
    _one_line_error(r, f"--out {run}: loss.png: is a folder")


#: The warnings-as-errors blocks here look for the plot's own warnings (matplotlib's about the axis, numpy's
#: overflow), not a library's deprecations, which Python hides from users (matplotlib 3.5-3.7's mathtext calls
#: pyparsing 3.3's parseString, a PyparsingDeprecationWarning, on every log axis: plot exited 1 under "error").
_NOT_OURS = DeprecationWarning


def test_plot_costs_all_at_one_power_of_ten_get_an_axis_without_a_warning():
    """A run whose costs are all 1e300 set the log axis from 10^300 to 10^300: matplotlib warned
    'Attempting to set identical low and high ylims' on stderr and drew a flat axis."""
    pytest.importorskip("matplotlib")
    import warnings

    from matplotlib.figure import Figure

    from backprop_cli.commands.plot import _saver, loss_figure

    history = {"epoch": [1.0, 2.0], "train_cost": [1e300, 1e300], "test_cost": [None, None],
               "val_cost": [None, None]}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", category=DeprecationWarning)  # (_NOT_OURS)
        fig = loss_figure(Figure, history, "flat")
        _saver(fig)(io.BytesIO())
    assert fig.axes[0].get_ylim() == (299, 301)


def test_a_run_with_l2_says_its_curves_include_the_penalty(tmp_path):
    """With training.l2 every cost drawn includes (λ/2)Σ‖w‖², as the summary's `cost (… + L2)` row
    says; the terminal curve's title and loss.png's y axis said only "cost"."""
    run = tmp_path / "l2"
    args = ["train", str(ROOT / "configs" / "xor.yaml"), "--epochs", "20", "--set", "l2=0.01"]
    r = runner.invoke(app, [*args, "--out", str(run)])
    assert r.exit_code == 0, r.output
    assert "cost (+ L2 penalty) per epoch" in r.output and "cost per epoch" not in r.output
    plain = runner.invoke(app, ["train", str(ROOT / "configs" / "xor.yaml"), "--epochs", "20"])
    assert "cost per epoch" in plain.output and "L2" not in plain.output
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from backprop_cli.commands.plot import _experiment, loss_figure

    assert _experiment(run, run / "model.npz")[1] == 0.01
    history = read_metrics(run / "metrics.csv")
    assert loss_figure(Figure, history, "l2", l2=0.01).axes[0].get_ylabel() == "cost (+ L2 penalty)"
    assert loss_figure(Figure, history, "plain").axes[0].get_ylabel() == "cost"
    assert runner.invoke(app, ["plot", str(run)]).exit_code == 0


# -- the teacher's audit of the pictures (Dec 2026) ------------------------------------------


def _figures(monkeypatch) -> dict[str, object]:
    """The figures `backprop plot` saves, by file name (its PNGs are still written)."""
    from backprop_cli.commands import plot as plot_command

    drawn: dict[str, object] = {}
    saver = plot_command._saver

    def keep(fig):
        drawn["loss.png" if "epoch" in fig.axes[0].get_xlabel() else "boundary.png"] = fig
        return saver(fig)

    monkeypatch.setattr(plot_command, "_saver", keep)
    return drawn


def _early_stopped(tmp_path: Path) -> tuple[Path, int, int]:
    """spirals with a validation split and early stopping: (run folder, kept epoch, last epoch)."""
    run = tmp_path / "spir_es"
    r = runner.invoke(app, ["train", str(ROOT / "configs" / "spirals.yaml"), "--out", str(run), "--quiet",
                            "--set", "data.n_samples=300", "--set", "data.validation_fraction=0.2",
                            "--set", "training.early_stopping=true", "--set", "training.optimizer=adam",
                            "--set", "training.learning_rate=0.01", "--set", "training.patience=5",
                            "--set", "training.epochs=200"])
    assert r.exit_code == 0, r.output
    kept = int(re.search(r"kept the weights of epoch (\d+)", r.stdout).group(1))
    last = len(read_metrics(run / "metrics.csv")["epoch"])
    assert kept < last, (kept, last)
    return run, kept, last


@pytest.fixture(scope="module")
def early_stopped(tmp_path_factory) -> tuple[Path, int, int, object, dict[str, object]]:
    """_early_stopped's run trained and plotted once (its checkpoint there), for the tests that
    read them: (run folder, kept epoch, last epoch, `backprop plot`'s result, the figures it saved).
    A test that changes the folder works on a copy."""
    pytest.importorskip("matplotlib")
    run, kept, last = _early_stopped(tmp_path_factory.mktemp("early_stopped"))
    with pytest.MonkeyPatch.context() as mp:
        drawn = _figures(mp)
        return run, kept, last, runner.invoke(app, ["plot", str(run)]), drawn


def test_plot_marks_the_epoch_early_stopping_kept_and_says_both_pictures_show_its_weights(
        tmp_path, monkeypatch, early_stopped, circles_plotted):
    """The terminal curve marked `▲ best epoch 42 (kept)` and the summary was on epoch 42's weights,
    but loss.png had no marker, its legend gave epoch 52's costs only, and boundary.png, drawn from
    epoch 42's weights, did not say so. Now a ▲ line at the kept epoch whose legend entry gives its
    validation and test costs (the summary's), and "(weights of epoch 42)" in both titles; found in
    the run's checkpoint, or without it again in metrics.csv by early stopping's rule."""
    shared, kept, last, r, drawn = early_stopped  # plotted with its checkpoint
    run = shutil.copytree(shared, tmp_path / shared.name)  # whose checkpoint is removed below
    history = read_metrics(run / "metrics.csv")
    for without_checkpoint in (False, True):
        if without_checkpoint:
            (run / "checkpoint.npz").unlink()
            drawn = _figures(monkeypatch)
            r = runner.invoke(app, ["plot", str(run)])
        assert r.exit_code == 0, r.output
        loss, boundary = drawn["loss.png"].axes[0], drawn["boundary.png"].axes[0]
        assert loss.get_title().endswith(f"(weights of epoch {kept})"), loss.get_title()
        assert boundary.get_title().split("\n")[0].endswith(f"(weights of epoch {kept})"), boundary.get_title()
        (line,) = [ln for ln in loss.get_lines() if ln.get_label().startswith(f"epoch {kept}: weights kept")]
        assert list(line.get_xdata()) == [kept, kept] and line.get_marker() == "^"
        val, test = history["val_cost"][kept - 1], history["test_cost"][kept - 1]
        assert f"(validation {val:.4g}, test {test:.4g})" in line.get_label()
        assert f"epoch {kept}: weights kept" in [t.get_text() for t in loss.get_legend().get_texts()][-1]

    # without early stopping, or when the kept epoch is the last: no "(weights of epoch …)"
    _, r, drawn = circles_plotted
    assert r.exit_code == 0
    assert "weights of epoch" not in drawn["loss.png"].axes[0].get_title()
    assert not [ln for ln in drawn["loss.png"].axes[0].get_lines() if "weights kept" in ln.get_label()]


def test_the_train_curve_is_labelled_as_the_mean_during_each_epoch():
    """circles' legend said `train 0.01437 (last epoch)` above a summary of 0.0134266, and at digits'
    epoch 1 train 0.70 stood beside test 0.45: the train figure is the mean over the epoch's
    batches, each before its step; the test's is measured after the epoch. Both legends say so."""
    train = np.linspace(1.0, 0.3, 30)
    for columns in (60, 80, 100):
        lines = text_of(loss_curve(train, train - 0.1, width=columns - 14, height=6, columns=columns,
                                   validation=train - 0.05), width=columns)
        legend = "\n".join(lines[-3:])
        assert re.search(r"⠒⠒⠒ train 0\.3 \(mean during epoch\)", legend), legend
        assert all(len(line) <= columns for line in lines)
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from backprop_cli.commands.plot import loss_figure

    history = {"epoch": [1.0, 2.0], "train_cost": [0.7, 0.5], "test_cost": [0.45, 0.4], "val_cost": [None, None]}
    labels = [t.get_text() for t in loss_figure(Figure, history, "digits").axes[0].get_legend().get_texts()]
    assert labels == ["train, mean during each epoch (last 0.5)", "test, after each epoch (last 0.4)"]


def _simulated_lab(color: str, kind: str) -> np.ndarray:
    """CIELAB of ``color`` as seen with protanopia, deuteranopia or tritanopia (Machado et al. 2009,
    severity 1, applied to linear sRGB)."""
    machado = {"protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                              [-0.003882, -0.048116, 1.051998]],
               "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                                [-0.011820, 0.042940, 0.968881]],
               "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                              [0.004733, 0.691367, 0.303900]]}
    srgb = np.array([int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    seen = np.clip(np.array(machado[kind]) @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ seen
    f = np.cbrt(np.maximum(xyz / [0.95047, 1.0, 1.08883], 0.008856))
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _contrast(a: str, b: str) -> float:
    def luminance(c: str) -> float:
        srgb = np.array([int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)])
        return float(np.array([0.2126, 0.7152, 0.0722]) @ np.where(srgb <= 0.04045, srgb / 12.92,
                                                                    ((srgb + 0.055) / 1.055) ** 2.4))
    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_class_colours_stay_apart_for_colour_blind_readers_and_read_on_white_and_black():
    """spirals' classes 1 and 2 were tab10's orange and green: under protanopia both points and
    regions came out one olive. The first four classes now differ by ΔE ≥ 15 under each simulated
    dichromacy; every colour reads on white, on black and (as a point) on its region's tint; none
    becomes yellow, cyan or white in a 16-colour terminal; the PNG's regions differ by hatch too."""
    from rich.color import Color, ColorSystem

    from backprop_cli.commands.plot import REGION_HATCHES
    from backprop_cli.render.plots import PALETTE, _mix, class_color

    for kind in ("protanopia", "deuteranopia", "tritanopia"):
        for i in range(4):
            for j in range(i):
                gap = float(np.linalg.norm(_simulated_lab(class_color(i), kind) - _simulated_lab(class_color(j), kind)))
                assert gap >= 15, (kind, i, j, gap)
    for k, color in enumerate(PALETTE):
        assert _contrast(color, "#ffffff") >= 3 and _contrast(color, "#000000") >= 2.9, color
        assert _contrast(_mix(color, "#000000", 0.15), class_tint(k)) >= 3.3, color  # a point on its region
        for shade in (color, _mix(color, "#000000", 0.15)):
            assert Color.parse(shade).downgrade(ColorSystem.STANDARD).number not in {3, 6, 7, 11, 14, 15}, shade
    assert len(set(REGION_HATCHES)) == len(REGION_HATCHES) == len(PALETTE)


def test_boundary_png_draws_the_validation_points_and_hatches_each_region(early_stopped):
    """spir_es's boundary.png drew 384 training and 120 test points: its 96 validation rows were
    missing and the legend did not mention them. They are drawn half-filled, with their own legend
    entries and accuracy; each region has its own hatch and legend entry."""
    _, _, _, r, drawn = early_stopped
    assert r.exit_code == 0
    ax = drawn["boundary.png"].axes[0]
    val = [ln for ln in ax.get_lines() if ln.get_label().endswith("(validation)")]
    assert len(val) == 3 and all(ln.get_fillstyle() == "left" for ln in val)
    assert sum(len(ln.get_xdata()) for ln in val) == 48  # 300 rows: 60 test, then 20% of the other 240
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "class 1 (validation)" in labels and labels[-3:] == ["predicted 0", "predicted 1", "predicted 2"]
    assert "validation accuracy" in ax.get_title()
    legend = ax.get_legend()  # legend_handles from matplotlib 3.7, legendHandles before (3.5 is supported)
    handles = getattr(legend, "legend_handles", None) or legend.legendHandles
    hatches = [h.get_hatch() for h in handles[-3:]]
    assert len(set(hatches)) == 3, hatches


def test_the_pictures_read_in_a_16_colour_terminal_on_white(monkeypatch):
    """Under TERM=xterm the train curve was cyan and the axis numbers dim, both faint on a
    projector's white (and the decision regions' class 1 points yellow). No piece of the pictures
    is yellow or cyan now, and their numbers and names are not dim (the axis lines still are)."""
    from rich.style import Style
    from test_legibility import SGR

    from backprop_cli import render
    from backprop_cli.commands import common

    # rich keeps a combined style's escape codes for the colour system it was first printed in: an
    # earlier test's 256-colour console would leave its codes here (one process, one terminal: never)
    Style._add.cache_clear()

    for name, value in (("COLUMNS", "80"), ("FORCE_COLOR", "1"), ("TERM", "xterm")):  # as test_legibility's
        monkeypatch.setenv(name, value)                                              # _coloured, 16 colours
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(common._Stdout, "isatty", lambda self: True, raising=False)
    monkeypatch.setattr(render, "_isatty", lambda file: True)
    r = runner.invoke(app, ["train", str(ROOT / "configs" / "spirals.yaml"), "--show-boundary",
                            "--set", "training.epochs=20", "--set", "data.validation_fraction=0.2"])
    assert r.exit_code == 0, r.output
    out = r.stdout
    pictures = out[out.index("cost per epoch"):out.index("training summary")] + out[out.index("decision regions"):]
    assert "\x1b[38;" not in pictures and "\x1b[48;" not in pictures  # 16 colours only
    pieces = SGR.split(pictures)
    styled = [(codes.split(";"), text) for codes, text in zip(pieces[1::2], pieces[2::2]) if text.strip()]
    assert not [(c, t) for c, t in styled if {"33", "93", "36", "96"} & set(c)], styled
    dim = [t for c, t in styled if "2" in c]
    assert dim and all(set(t) <= set(" ─│┤└┬▲") for t in dim), dim
    assert any("94" in c or "34" in c for c, t in styled if set(t) & BRAILLE)  # the train line: blue


# -- decision regions in 16 and 256 colours (acceptance audit) -------------------------------------


def _bands(n: int):
    """A predictor of ``n`` classes in vertical bands along x0 over [-1, 1] (one-hot outputs)."""
    def predict(X):
        k = np.clip(np.floor((X[:, 0] + 1) / 2 * n), 0, n - 1).astype(int)
        return np.eye(n)[k]
    return predict


def _region_cells(picture, console: Console, height: int) -> list[tuple[str, object]]:
    """(character, style) of every grid cell of a decision-regions picture as ``console`` renders it."""
    cells = []
    for row in console.render_lines(picture, console.options, pad=False)[2:2 + height]:
        chars = [(ch, seg.style) for seg in row for ch in seg.text]
        start = next(i for i, (ch, _) in enumerate(chars) if ch in "┤│") + 1
        cells += chars[start:]
    return cells


WHITE = {"standard": {7, 15}, "windows": {7, 15}, "256": {7, 15, 231, 255, 253, 254}}


@pytest.mark.parametrize("system", ["standard", "windows", "256"])
def test_each_region_has_its_own_visible_background_in_16_and_256_colours(system):
    """On a 16-colour terminal (TERM=xterm, screen, linux) every class's pale tint rounded to white
    (37;47 everywhere, texture included): the regions were invisible; in 256 colours classes 2, 4, 7
    and 9 came out one grey. Each region now has a background of its own, never white or the
    terminal's default, its texture and its points in a colour that differs from it."""
    from rich.color import ColorSystem

    n, width, height = 10, 40, 6
    X = np.column_stack([np.linspace(-0.95, 0.95, n), np.zeros(n)])
    picture = decision_regions(_bands(n), X, np.eye(n), [f"c{k}" for k in range(n)], width=width, height=height)
    console = Console(width=120, color_system=system, force_terminal=True, file=io.StringIO())
    cells = _region_cells(picture, console, height)
    assert len(cells) == width * height
    depth = {"standard": ColorSystem.STANDARD, "windows": ColorSystem.WINDOWS, "256": ColorSystem.EIGHT_BIT}[system]
    backgrounds: dict[str, set[int]] = {}
    for ch, style in cells:
        assert style.bgcolor is not None and not style.bgcolor.is_default, (ch, style)
        bg, fg = style.bgcolor.downgrade(depth).number, style.color.downgrade(depth).number
        assert bg not in WHITE[system] and fg != bg, (ch, style)
        region = REGION_TEXTURES.index(ch) if ch in REGION_TEXTURES else POINT_GLYPHS.index(ch)  # each point on its own band
        backgrounds.setdefault(ch if ch in REGION_TEXTURES else REGION_TEXTURES[region], set()).add(bg)
    assert len(backgrounds) == n and all(len(b) == 1 for b in backgrounds.values()), backgrounds
    assert len({b for bs in backgrounds.values() for b in bs}) == n, backgrounds  # ten classes, ten colours
    # the legend's swatches are the regions' colours; the text reads as without colour
    console.print(picture)
    out = console.file.getvalue()
    if system != "256":
        assert "\x1b[38;" not in out and "\x1b[48;" not in out  # the terminal's own 16 colours
    assert text_of(picture, no_color=True) == text_of(picture)


def test_the_linux_consoles_8_colours_tell_six_regions_apart(monkeypatch):
    """TERM=linux is rich's 16-colour system, but the Linux console shows the bright backgrounds
    (100-107) as 40-47: the first six classes still differ there, and no region is black or white
    (its own background, or a light terminal's). Through `backprop train --show-boundary`, as printed."""
    from test_legibility import SGR

    from backprop_cli import render
    from backprop_cli.commands import common

    for name, value in (("COLUMNS", "80"), ("FORCE_COLOR", "1"), ("TERM", "linux")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.setattr(common._Stdout, "isatty", lambda self: True, raising=False)
    monkeypatch.setattr(render, "_isatty", lambda file: True)
    r = runner.invoke(app, ["train", str(ROOT / "configs" / "xor.yaml"), "--show-boundary", "--quiet"])
    assert r.exit_code == 0, r.output
    grid = r.stdout[r.stdout.index("decision regions"):].split("└")[0]
    pieces = SGR.split(grid)
    backgrounds = {c for codes, text in zip(pieces[1::2], pieces[2::2]) if text.strip("\n")
                   for c in codes.split(";") if c.startswith(("4", "10")) and len(c) in (2, 3)}
    assert backgrounds == {"41", "44"}, backgrounds  # xor's two classes: blue and red, not 47 (white) twice

    from backprop_cli.render.plots import REGION_BG_16, REGION_FG_16

    base = [c % 8 for c in REGION_BG_16]
    assert len(set(base[:6])) == 6 and not {0, 7} & set(base)
    assert all(f in (0, 15) for f in REGION_FG_16)


def test_the_regions_glyphs_read_on_their_16_and_256_colour_backgrounds():
    """The texture and points on each 16-colour background (black or bright white) read in xterm's,
    the VGA's (Linux console's, the bright backgrounds shown as the base ones) and Windows' palettes,
    and each class's points on its own 256-colour background, as on its tint (contrast 3:1 or more)."""
    from rich._palettes import STANDARD_PALETTE, WINDOWS_PALETTE
    from rich.color import ColorSystem

    from backprop_cli.render.plots import REGION_BG_16, REGION_FG_16, region_style

    xterm = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
             (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
             (255, 0, 255), (0, 255, 255), (255, 255, 255)]

    def hexed(rgb) -> str:
        return "#" + "".join(f"{v:02x}" for v in rgb)

    for k, (bg, fg) in enumerate(zip(REGION_BG_16, REGION_FG_16)):
        for palette, shown in ((STANDARD_PALETTE, bg), (STANDARD_PALETTE, bg % 8), (WINDOWS_PALETTE, bg), (xterm, bg)):
            assert _contrast(hexed(palette[shown]), hexed(palette[fg])) >= 3, (k, shown, fg)
    for k in range(10):
        on = region_style(k, k, "256")
        rgb = [hexed(c.downgrade(ColorSystem.EIGHT_BIT).get_truecolor()) for c in (on.bgcolor, on.color)]
        assert _contrast(*rgb) >= 3, (k, rgb)


@pytest.mark.parametrize("columns", [40, 50, 80])
def test_the_decision_regions_caption_is_not_cropped_on_a_narrow_terminal(columns):
    """At 40 columns (`train --show-boundary`'s picture 26 wide) the caption read
    `training accuracy 100.0% on 4 poi`: it now takes a second line where one is too narrow."""
    X = np.array([[-1.0, 0.0], [1.0, 0.0], [-0.5, 0.5], [0.5, -0.5]])
    Y = np.array([[0.0], [1.0], [0.0], [1.0]])
    lines = text_of(decision_regions(_step_net().predict, X, Y, ("no", "yes"), width=columns - 14,
                                     height=8, columns=columns), width=columns)
    assert all(len(line) <= columns for line in lines), lines
    assert re.search(r"training accuracy 100\.0%\s+on 4 points$", "\n".join(lines[-2:])), lines[-2:]


@pytest.mark.parametrize("columns", [30, 36, 40, 50])
def test_every_word_of_the_decision_regions_caption_shows_whole_on_a_narrow_terminal(columns, monkeypatch):
    """`train --show-boundary` at 36 columns cut the caption to `(background: predicted clas`, and
    at 30 the accuracy to `training accuracy 100.`: each line now breaks between words to fit."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("NO_COLOR", "1")
    result = runner.invoke(app, ["train", "configs/xor.yaml", "--show-boundary", "--quiet"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "decision regions")
    end = next(i for i in range(start, len(lines)) if not lines[i].strip())
    block = lines[start:end]
    assert all(len(line.rstrip()) <= columns for line in block), block
    legend = block[next(i for i, line in enumerate(block) if "x0" in line) + 1:]
    caption = "(background: predicted class, glyph: true class) training accuracy 100.0% on 4 points"
    assert " ".join(" ".join(legend).split()).endswith(caption), legend


def test_the_readmes_show_boundary_sample_is_what_xor_draws_in_50_columns(monkeypatch):
    """The README's captured --show-boundary picture is the one the command prints (plain text, as
    with NO_COLOR or through a pipe), line for line."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "backprop train configs/xor.yaml --show-boundary --quiet"
    marker = f"```\n$ {command}\n"
    assert marker in readme
    block = [line.rstrip() for line in readme.split(marker, 1)[1].split("```", 1)[0].splitlines()]
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "50")
    monkeypatch.setenv("NO_COLOR", "1")
    result = runner.invoke(app, command.split()[1:])
    assert result.exit_code == 0, result.output
    printed = [line.rstrip() for line in result.stdout.splitlines()]
    assert block[0].strip() == "decision regions" and block[-1].strip().startswith("training accuracy")
    start = printed.index(block[0])
    assert printed[start:start + len(block)] == block


@pytest.mark.parametrize("costs", [[1.72415e308] * 3, [1.7e308, 1.2e308, 1.5e308], [1e308, 1.79e308]])
def test_a_loss_curve_of_costs_near_floats_largest_is_drawn(costs):
    """`train --set training.l2=1e308 --set training.optimizer=adam` (costs of 1.7e308, finite) ended in
    a traceback: the axis padded past float64's largest ('cannot convert float infinity to integer')."""
    from backprop_cli.render.plots import loss_curve

    lines = text_of(loss_curve(costs, width=40, height=10))
    labels = [line.split("┤")[0].strip() for line in lines if "┤" in line]
    assert len(labels) >= 2 and all(len(label) <= 9 and "inf" not in label for label in labels), lines


def test_a_loss_curves_large_costs_are_labelled_in_a_few_characters():
    """Costs of 1e9-1e11 (adam under a λ of 1e10) labelled the axis '125000000000', twelve characters of the
    plot's width: they read 1.25e+11, 1e+11, …, each still a different number."""
    from backprop_cli.render.plots import loss_curve

    train = [1.0126e11, 1.7e10, 8.5e9, 2.8e10, 3.3e9, 1e10, 5.9e9, 3.2e9, 3.7e9, 2.2e9, 1.5e9]
    lines = text_of(loss_curve(train, width=40, height=12))
    labels = [line.split("┤")[0].strip() for line in lines if "┤" in line]
    assert "1.25e+11" in labels and "2.5e+10" in labels and "0" in labels, labels
    assert len(set(labels)) == len(labels) and all(len(label) <= 8 for label in labels), labels
    assert [float(label) for label in labels] == sorted((float(label) for label in labels), reverse=True)
