"""``backprop gradcheck``."""

import json
from collections.abc import Callable, Iterator
import sys
from contextlib import contextmanager, nullcontext, redirect_stdout
from typing import Annotated, Any, Optional

import typer

from .common import (ConfigArg, GradcheckSetOpt, ModelOpt, GradcheckOwnXOpt, OwnYOpt, boundary, choices, completer, echo,
                     experiment_for, name_parser, number_type, own_example, stderr, stdout,
                     whole_type)
from ..wording import and_list


def atol_type() -> Any:
    """--atol's type: ``auto`` (any case), or a finite number ≥ 0 (worded as every number option's)."""
    base = type(number_type(0))

    class AutoOrNumber(base):  # type: ignore[misc, valid-type]
        allowed = "auto or a number of at least 0"  # what cli._number_error says it must be: auto, the default, too

        def convert(self, value: Any, param: Any, ctx: Any) -> Any:
            if isinstance(value, str) and value.strip().lower() == "auto":
                return "auto"
            return super().convert(value, param, ctx)

    return AutoOrNumber(min=0)

EXIT = {"pass": 0, "fail": 1, "inconclusive": 3}


MODES = ("full", "sample", "fast")  # gradcheck.MODES, without importing numpy for --help

# a grading loop over students' files tells "their code is broken" from "my command is wrong" by "source"
JSON_HELP = ("Print the result as one JSON object on stdout. A refused run (exit 2) prints one too, beside "
             "its error line on stderr: {\"status\": \"error\", \"source\": \"backward\" when your --backward "
             "code is at fault (its file does not import, has no such function, raised, or returned the wrong "
             "structure or shapes) or \"input\" (the config, an option, a missing file), \"error\": the "
             "message} and, when known, \"file\", \"line\" and \"hint\".")


def gradcheck(
    ctx: typer.Context,
    config: ConfigArg = None,
    model: ModelOpt = None,
    layer: Annotated[Optional[list[str]], typer.Option("--layer", "-l", help="Check only layer l's w^(l) and b^(l) (without it: every layer), given as explain takes it: L (output), L-1, L-2, … (l, l-1 too) or a number from 1 to L; repeat it for several (--layer 1 --layer L). Only their entries are perturbed; the verdict, counts and global ratio cover them alone, and the output says which layers those are, and a diagnosis that the others would settle says so (check layer 2 too).", metavar="LAYER")] = None,
    examples: Annotated[int, typer.Option("--examples", help="How many training examples the checked cost averages over.", click_type=whole_type(1))] = 4,
    x_text: GradcheckOwnXOpt = None,
    y_text: OwnYOpt = None,
    seed: Annotated[int, typer.Option("--seed", help="Chooses the examples and the sampled entries/directions (the network comes from the config: drawn from its seed, or given by network.weights and network.biases).", click_type=whole_type(0))] = 0,
    eps: Annotated[float, typer.Option("--eps", help="Finite-difference step ε, every entry's first verdict (not with --convergence, which sweeps it). An entry that fails at ε, where ε is shown too large (truncation) or too small (rounding, a huge cost) for it, is re-judged at the step between ε·1e-6 and ε·1e4 where the difference quotient is stable (taken outwards from ε, stopping at the first that is), and counted per tensor as 're-judged'; unresolved (not judged) when none is. --fixed-eps turns this off.", click_type=number_type(0, low_open=True))] = 1e-5,
    rtol: Annotated[float, typer.Option("--rtol", help="Relative tolerance of the per-entry verdict (not with --convergence, which judges the order instead).", click_type=number_type(0))] = 1e-5,
    atol: Annotated[str, typer.Option("--atol", help="Absolute tolerance of the per-entry verdict: a number ≥ 0, or auto: the rounding of the costs at ε, 16·u·|C|/ε (u = 2.2e-16, C the cost; at most 1e-8), what central differences can resolve, so a ×2 error in gradients of 1e-9 is not passed as below a fixed 1e-8; each entry also allows for the forward pass's rounding of the output, and a network fitted to its data (√C below 1e-8 of its output's scale) keeps 1e-8.", click_type=atol_type(), metavar="<auto|number>")] = "auto",
    fixed_eps: Annotated[bool, typer.Option("--fixed-eps", help="Judge every entry at ε alone: no re-judging of failures at another step.")] = False,
    mode: Annotated[str, typer.Option("--mode", help="full: every entry. sample: --params random entries per tensor. fast: one random direction v per tensor (vᵀ∇C against the quotient along v), bisected on failure; it can pass an entry whose error is far below rtol·|vᵀ∇C|, which full would fail.", parser=name_parser(MODES), metavar=choices(MODES), autocompletion=completer(MODES))] = "full",
    params: Annotated[Optional[int], typer.Option("--params", help="Entries per tensor in sample mode. \\[default: 10]", click_type=whole_type(1))] = None,
    convergence: Annotated[bool, typer.Option("--convergence", help="Sweep ε from 1e-1 to 1e-8 and estimate the order: error ∝ ε² means a correct gradient, whatever ε you pick; an error that levels off where the numeric values settle, a wrong one, as is an entry whose quotients settle off its analytic value at every ε (named by tensor: tiny gradients weigh nothing in the global ratio); where they never settle (huge weights, a unit at a kink) it cannot judge (exit 3).")] = False,
    backward: Annotated[Optional[str], typer.Option("--backward", help="Check your own backprop instead of ours: FILE.py:FUNCTION, called as FUNCTION(weights, biases, X, Y, config) -> (dw, db) (config: the run's resolved config, whose config.cost, config.training.l2, config.network.layers, config.network.activation and config.network.resolved_output_activation a backward may read), the gradient of the mean cost over the rows of X (with λ·w when training.l2 is set): dw then db, each from layer 1 to L, shaped as the weights and biases (each bias gradient 1-D like its b^(l), not kept 2-D as a row or a column). It is handed copies; one that changes them in place (updates w inside the backward) gets a warning.", metavar="FILE.py:FUNCTION")] = None,
    json_out: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
    sets: GradcheckSetOpt = None,
) -> None:
    """Compare backprop's gradients with central finite differences, parameter by parameter.

    Every weight and bias of every layer (or of the layers --layer names): analytic a (backprop) against numeric n = [C(θ+ε) − C(θ−ε)]/2ε of the network's own cost, in float64. An entry passes when |a − n| ≤ atol + rtol·max(|a|, |n|); by default atol is the rounding of the two costs at ε (--atol auto), and the entries that pass on atol alone are counted. One that fails only because ε does not suit it (inputs or weights far from 1: truncation; a huge cost: rounding) is re-judged at a step that does, and counted in its tensor's row, "pass (6 re-judged)" (--fixed-eps: no). The whole network is summarised by Ng's ratio ‖a − n‖/(‖a‖ + ‖n‖) over the entries of at least atol: ≤1e-7 excellent · ≤1e-5 good · ≤1e-3 suspicious (fine near kinks) · ≤1e-2 likely a bug · >1e-2 almost surely a bug. Failing tensors get a diagnosis (a constant ratio such as ×2 or ×1/n, a sign flip, a transpose, a missing σ'(z), …) and their worst entries; tensors that share one (a factor 2 missing fails every tensor alike) share one box, which counts in a line the other mistakes that one tensor alone would fit and the rest rule out (--json names them), and a line under the boxes says what δ^(l) and BP1–BP4 are when a diagnosis cites them, and that an entry w^(l)\\[j,k] is the seeds' w_jk^(l). relu and leaky_relu entries whose step crosses z = 0 are re-checked one-sided (kink-ok), or marked kink when no side can judge them.

    Exit status: 0 all pass, 1 a failure, 2 usage or config error, 3 inconclusive (only entries at kinks, or unresolved by any step, could not be judged; with --convergence, a sweep that cannot judge).

    Examples:
      [bold]backprop gradcheck configs/iris.yaml --mode sample --params 20[/]
      [bold]backprop gradcheck --backward examples/backward.py:backward --layer L[/]
    """
    with boundary(json_refusal=json_out):  # a refusal: commands.common.refusal_json on stdout too
        from functools import partial

        import numpy as np

        from ..experiment import gradcheck_footprint
        from ..gradcheck import check_finite_cost, check_gradients, convergence_sweep, load_user_backward
        from ..render import print_note
        from ..render.gradcheck import render_convergence, render_gradcheck, to_json

        from ..errors import ConfigError

        if convergence:
            given = [f"--{name} {value:g}" for name, value in (("eps", eps), ("rtol", rtol))
                     if _given(ctx, name)]
            given += ["--fixed-eps"] if fixed_eps else []
            if given:
                raise ConfigError(f"{' and '.join(given)}: not used with --convergence, which sweeps ε from 1e-1 "
                                  "to 1e-8 and judges the order of the error, not each entry",
                                  "leave it out, or drop --convergence to check at that setting")
            if mode == "fast":
                raise ConfigError("--mode fast: --convergence runs in full or sample mode, not fast")
        if params is not None and mode != "sample":
            raise ConfigError(f"--params {params}: applies to --mode sample only (--mode is {mode})",
                              f"add --mode sample to check {params} random entries per tensor")
        footprint = partial(gradcheck_footprint, examples=examples, mode=mode, params=params)
        exp = experiment_for(config, model, None, sets, footprint=footprint,
                             own_example=x_text is not None or y_text is not None)
        from ..explain import parse_layer

        # as explain reads --layer, and refuses it in its words; before a --backward file is run
        layers = sorted({parse_layer(text, exp.net.L) for text in layer}) if layer else None
        def theirs() -> Any:  # around the --backward code, as it is imported and called
            return _their_code(json_out, backward) if backward is not None else nullcontext()

        with theirs():
            user = load_user_backward(backward) if backward is not None else None
        ds = exp.train
        rng = np.random.default_rng(seed)
        if x_text is not None or y_text is not None:
            if _given(ctx, "examples"):
                raise ConfigError(f"--examples {examples} picks training examples, --x and --y give your own: "
                                  "give one or the other")
            x, y = own_example(exp, x_text, y_text)
            idx = None
            X, Y = np.asarray(x)[None, :], np.asarray(y)[None, :]
        else:
            idx = np.sort(rng.choice(ds.n_samples, size=min(examples, ds.n_samples), replace=False))
            X, Y = ds.X[idx], ds.Y[idx]
        fn = user  # a UserBackward: its errors name FILE.py:FUNCTION, not just FUNCTION
        with np.errstate(over="ignore", invalid="ignore"):
            net64 = exp.net.astype("float64")
            check_finite_cost(net64.cost(X, Y), len(X), str(model or config or "the built-in default config"),
                              penalty=net64.penalty(), net=net64, X=X, rows=idx, Y=Y,
                              target_names=ds.target_names)
        if exp.net.dtype != np.float64 and not json_out:
            print_note(stderr(), f"note: the network trains in {exp.net.dtype.name}; the check runs in float64")
        if _given(ctx, "seed") and seed != exp.config.seed and not json_out:
            rows = "own" if idx is None else "all" if len(idx) == ds.n_samples else "some"
            from ..gradcheck import DEFAULT_SAMPLE

            # sample mode draws entries only from a tensor larger than --params (the others are checked whole)
            sizes = [t.size for l in (layers or range(1, exp.net.L + 1))
                     for t in (exp.net.weights[l - 1], exp.net.biases[l - 1])]
            drawn = mode == "fast" or (mode == "sample" and max(sizes) > (params or DEFAULT_SAMPLE))
            _seed_note(exp.config, model, seed, mode if drawn else "full", rows)
        if convergence:
            with _progress(enabled=True) as progress, theirs():  # a sweep of a large network takes minutes
                report = convergence_sweep(exp.net, X, Y, gradients=fn, mode=mode, params=params,
                                           rng=rng, config=exp.config, atol=atol, layers=layers, progress=progress)
            code = EXIT[report.status]
            if json_out:
                echo(json.dumps(_reproducible(to_json(report), seed, idx, X, Y)), data=True)
            else:
                _header(stdout(), report, exp.net, backward, idx, X, Y, examples)
                _warnings(stdout(), report)
                render_convergence(stdout(), report)
        else:
            with _progress(enabled=mode != "fast") as progress, theirs():
                report = check_gradients(exp.net, X, Y, gradients=fn, eps=eps, rtol=rtol, atol=atol,
                                         mode=mode, params=params, rng=rng, config=exp.config,
                                         progress=progress, adapt_step=not fixed_eps, layers=layers)
            code = EXIT[report.status]
            if json_out:
                echo(json.dumps(_reproducible(to_json(report), seed, idx, X, Y)), data=True)
            else:
                console = stdout()
                _header(console, report, exp.net, backward, idx, X, Y, examples)
                _warnings(console, report)
                render_gradcheck(console, report, "your backward" if backward else "backprop")
        raise typer.Exit(code=code)


def _header(console: Any, report: Any, net: Any, backward: str | None, idx: Any, X: Any, Y: Any,
            examples: int) -> None:
    """``checking backprop on 2-3-1 …, 4 examples (rows 0, 1, 2, 3 of the training split)``: what is
    checked, on what, and (with --layer) which layers; one line in a pipe, on a terminal broken
    between its parts ("layer" over "2 (L) only" read as two things)."""
    from ..render import print_parts
    from ..render.gradcheck import checked_layers
    from ..wording import plural

    what = f"your backward {backward}" if backward else "backprop"
    only = checked_layers(report) if report.restricted else ""
    if idx is None:
        fed = ", ".join(f"{v:.6g}" for v in X[0])
        where: tuple[str, ...] = ("1 example, your own:", f"x = ({fed}),",
                                  f"y = ({', '.join(f'{v:.6g}' for v in Y[0])})")
    else:
        rows = idx.tolist()
        shown = ", ".join(map(str, rows if len(rows) <= 12 else rows[:10])) + (
            "" if len(rows) <= 12 else f", … {rows[-1]}")  # --json lists them all
        row = "row" if len(rows) == 1 else "rows"
        if examples > len(rows):  # it read "all the training split has, of the 4 asked" (4: the default)
            where = (plural(len(rows), "example"), f"({row} {shown}:", "the whole training split,",
                     f"which has fewer than --examples {examples})")
        else:
            where = (plural(len(rows), "example"), f"({row} {shown}", "of the training split)")
    if only:
        where = (*where[:-1], where[-1] + ";")
    # the parts (the network, the examples, the layers) break between their phrases where they must break,
    # never inside one where a break between them will do ("--examples" over "4);", "layer 2 (L)" over "not checked")
    network, _, cost = _described(net).partition(", ")
    parts: list[str | tuple[str, ...]] = [(f"checking {what} on", f"{network},", f"{cost},"), where]
    if only:
        head, rest = only.split("; ", 1)
        parts.append((head + ";", rest))
    print_parts(console, parts, sep=" ", markup=False)


def _described(net: Any) -> str:
    """``2-3-1 sigmoid/sigmoid, squared_error``, with ``+ L2 (λ = 0.5)`` after the cost where the network
    has an L2 term: the cost checked is the regularized one, and the header never said so."""
    return net.describe() + (f" + L2 (λ = {net.l2:g})" if net.l2 else "")


def _warnings(console: Any, report: Any) -> None:
    """``warning: your backward changed weights[1] (w^(2)) in place: …`` under the header, before the
    table it explains (a failure that looks like no simple pattern)."""
    from ..render import print_note

    for text in report.warnings:
        print_note(console, f"warning: {text}")


class _Kept:
    """``stream`` (sys.stdout or sys.stderr) as a user's --backward code sees it: everything passes
    through but ``close()``, which is recorded (``closed_by_them``) and leaves the stream open for the
    report and the error lines."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.closed_by_them = False

    def close(self) -> None:
        self.closed_by_them = True

    @property
    def closed(self) -> bool:
        return self.closed_by_them or bool(getattr(self._stream, "closed", False))

    def __getattr__(self, name: str) -> Any:  # write, flush, buffer, fileno, isatty, encoding, …
        return getattr(self._stream, name)


@contextmanager
def _their_code(json_out: bool, spec: str) -> Iterator[None]:
    """Around a user's --backward code (its import, its calls). With --json its print()s go to stderr:
    stdout is the object alone. A print() into a closed pipe (``gradcheck --backward f.py:g | head -1``,
    ``| true``) ends the run as the tool's own output there does, exit 141 and nothing said, where it
    was their code's fault (exit 2, 'raised BrokenPipeError: [Errno 32] Broken pipe at f.py:5'): the
    reader went away, their code did nothing wrong. A BrokenPipeError of their own (a pipe to a
    process they started) with stdout and stderr still read is their code's, as before.
    ``sys.stdout.close()`` (or stderr's) in their code is refused once it returns, naming ``spec``
    (FILE.py:FUNCTION), exit 2: it ended in a traceback, 'ValueError: I/O operation on closed file'
    from the report's first write, exit 1 (under --json stderr was closed, and the error unsaid). The
    streams stay open for the report; a sys.stdout they replace is put back. ``sys.__stdout__`` and
    ``sys.__stderr__`` (the process's own streams, which the report is written to) likewise: closing
    one ended in that traceback, from ``_until_done``'s flush."""
    from contextlib import redirect_stderr

    from ..errors import BackwardError
    from .common import _closed_pipe

    out, err = _Kept(sys.stderr if json_out else sys.stdout), _Kept(sys.stderr)
    own = {name: getattr(sys, name, None) for name in ("__stdout__", "__stderr__")}
    kept = {name: _Kept(stream) for name, stream in own.items() if stream is not None}
    for name, stream in kept.items():
        setattr(sys, name, stream)
    try:
        with redirect_stdout(out), redirect_stderr(err):  # type: ignore[type-var]
            yield
    except BackwardError as e:
        if isinstance(e.__cause__, BrokenPipeError) and (_reader_gone(sys.stdout) or _reader_gone(sys.stderr)):
            raise _closed_pipe() from None
        raise
    finally:
        for name in kept:  # the process's own streams, put back (also where their code replaced one)
            setattr(sys, name, own[name])
    watched = [("sys.stdout", out), ("sys.stderr", err)] + [(f"sys.{name}", k) for name, k in kept.items()]
    closed = [name for name, stream in watched if stream.closed_by_them]
    if closed:
        what = and_list([f"{name} ({'standard output' if 'stdout' in name else 'standard error'})"
                         for name in closed])
        raise BackwardError(f"backward {spec}: closed {what}; leave {'it' if len(closed) == 1 else 'them'} "
                            f"open: gradcheck writes its report and errors there", file=spec.rpartition(":")[0])


def _reader_gone(stream: Any) -> bool:
    """Is ``stream`` (stdout or stderr) a pipe or socket whose reader has gone (poll: POLLERR or
    POLLHUP on its descriptor)? False where that cannot be told (no poll on Windows, no descriptor)."""
    import select

    try:
        poller = select.poll()
        poller.register(stream.fileno(), select.POLLOUT)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):
        return False


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[int, int, Any], None] | None]:
    """A progress bar with the time left on standard error, when it is a terminal (``animated``), else a
    plain line every ``LOG_EVERY`` seconds (``_logged``): a full check of a large network takes minutes
    (784-256-128-10 on 64 examples: 2.5 minutes).
    Yields the ``progress(done, total, again)`` callback for ``check_gradients``, or None.

    Entries that fail at ε and are looked at again at other steps get a second bar, "re-judging N"
    (entries), of their own evaluations (up to ~40 each, the most they can take: the bar's total
    shrinks as each look ends early); the first, "finite differences", counts the rest. One bar
    held them all and sat at 100% while the re-judging went on."""
    from ..render import animated

    err = stderr()
    if not enabled:
        yield None
        return
    if not animated(err):  # into a log (a pipe, a file, FORCE_COLOR, CI=true) or TERM=dumb: plain lines
        yield _logged(err)
        return
    from rich.progress import Progress

    columns, tail = _bar_columns(err.width)
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("finite differences", total=None, tail=tail)
        again_task: Any = None

        def progress(done: int, total: int, again: Any) -> None:
            nonlocal again_task
            bar.update(task, completed=done - again.done, total=total - again.total)
            if again.entries and again_task is None:
                again_task = bar.add_task(_rejudging(again.entries), total=again.total, tail="left")
            if again_task is not None:
                bar.update(again_task, description=_rejudging(again.entries), completed=again.done,
                           total=again.total)

        yield progress


#: Seconds between the plain progress lines of a check whose stderr is a log: a check shorter than this
#: prints none; a long one (784-1024-10 on 16 examples: 39 s) was silent until its report.
LOG_EVERY = 10.0


def _logged(err: Any, clock: Callable[[], float] | None = None) -> Callable[[int, int, Any], None]:
    """The progress callback where stderr is a log: every ``LOG_EVERY`` seconds one line, ``gradcheck:
    finite differences 46% (219,136 of 470,292 cost evaluations), 0:00:10 elapsed, about 0:00:11 left``
    (the time left at the rate so far; the total grows when entries are re-judged at other steps)."""
    import time

    from ..render import print_note

    now = clock or time.monotonic
    start = now()
    due = start + LOG_EVERY

    def progress(done: int, total: int, again: Any) -> None:
        nonlocal due
        t = now()
        if t < due or not 0 < done < total:
            return
        due = t + LOG_EVERY
        elapsed = t - start
        share = 100 * done / total
        percent = f"{share:.1f}%" if share < 10 else f"{int(share)}%"  # never 100% before the end
        line = (f"gradcheck: finite differences {percent} ({done:,} of {total:,} cost evaluations), "
                f"{_hms(elapsed)} elapsed, about {_hms(elapsed * (total - done) / done)} left")
        if again is not None and again.entries:
            line += f"; re-judging {again.entries:,} entries at other steps"
        print_note(err, line)

    return progress


def _hms(seconds: float) -> str:
    """``0:01:05``, as the terminal's bar writes times."""
    s = int(round(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def _bar_columns(width: int) -> tuple[tuple[Any, ...], str]:
    """The progress bar's columns and the first bar's tail for a terminal ``width`` columns wide: at
    60 columns rich cut the times to "0:0… elapsed · 0… left", a bar with no figure to read. The
    times now keep their 7 columns (the bar and the labels give way first), and below 80 the tail
    leaves out "· Ctrl-C stops" (the README and --help say it)."""
    from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
    from rich.table import Column

    def whole() -> Column:
        return Column(no_wrap=True, min_width=7)  # h:mm:ss

    from ..render.train import BAR_STYLES  # train's bar colours: never red (a failure) as it runs

    columns = (TextColumn("{task.description}"), BarColumn(**BAR_STYLES), TaskProgressColumn(),
               TimeElapsedColumn(table_column=whole()), TextColumn("elapsed ·"),
               TimeRemainingColumn(table_column=whole()), TextColumn("{task.fields[tail]}"))
    return columns, "left · Ctrl-C stops" if width >= 80 else "left"


def _rejudging(entries: int) -> str:
    """The second bar's label, ``re-judging 1,937`` (entries, at other steps than ε): no longer than
    "finite differences" up to 99,999, so the bars keep every figure whole at 80 columns."""
    return f"re-judging {entries:,}"


def _reproducible(result: dict[str, Any], seed: int, rows: Any, X: Any, Y: Any) -> dict[str, Any]:
    """The command's --seed and the training rows it chose, in the JSON's settings: what
    reproduces the report (the core is handed a generator, so it records no seed itself); for
    --x and --y, rows null and the example itself (x as fed to the network) as "x" and "y"."""
    settings = {**result.get("settings", {}), "seed": seed}
    if rows is None:
        settings.update(rows=None, x=[float(v) for v in X[0]], y=[float(v) for v in Y[0]])
    else:
        settings["rows"] = [int(i) for i in rows]
    result["settings"] = settings
    return result


def _seed_note(config: Any, model: Any, seed: int, mode: str, rows: str) -> None:
    """A note that --seed does not pick the network, where the config's seed draws some of it (its
    weights, or the biases init normal/uniform draws beside given weights): explain's and train's
    --seed draw the network, so gradcheck --seed 1 beside explain --seed 1 checked another network
    than the one explained. It says what --seed picks here: the examples (``rows`` "some": not with
    --x/--y, "own", nor where every row of the training split is checked, "all"), and the entries
    (sample) or directions (fast) checked; in full mode with every row or --x/--y, nothing."""
    from ..render import print_note

    net = config.network
    if model is not None or (net.weights is not None and (net.biases is not None or net.init == "auto")):
        return  # a trained model's, or given (init auto's biases are constants): no seed draws them
    drawn = "weights" if net.weights is None else "biases"
    picked = (["examples"] if rows == "some" else []) + {"sample": ["entries"], "fast": ["directions"]}.get(mode, [])
    given = "--x and --y give the example" if rows == "own" else "every row of the training split is checked"
    what = f"picks the {' and '.join(picked)} checked, not the network" if picked else (
        f"is not used here ({given}, and every entry is checked), and it does not pick the network")
    print_note(stderr(), f"note: --seed {seed} {what}: its {drawn} are drawn from the config's "
                         f"seed {config.seed} (explain's and train's --seed draw the network; here that is "
                         f"--set seed={seed})")


def _given(ctx: typer.Context, name: str) -> bool:
    """Whether option ``name`` was typed (or set from the environment), not left at its default."""
    source = ctx.get_parameter_source(name)
    return source is not None and source.name != "DEFAULT"
