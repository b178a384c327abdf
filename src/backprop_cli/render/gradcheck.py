"""Rendering of ``backprop gradcheck``: the per-tensor table, the verdict, the diagnosis, JSON.

``render_gradcheck(console, report)`` prints a ``GradcheckReport``;
``render_convergence(console, report)`` a ``ConvergenceReport`` (``--convergence``);
``to_json(report)`` turns either into a plain dict for ``json.dumps`` (every figure of
the table, the verdict and the settings; NaN and infinities become None).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.measure import Measurement
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..gradcheck import (
    RATIO_BANDS,
    RULED_OUT,
    ROUNDING_BAND,
    ConvergenceReport,
    EntryResult,
    NO_SLOPE,
    GradcheckReport,
    TensorResult,
    box_key,
    ratio_band,
    read_without_l2,
    ruled_out,
    shared_words,
)
from ..wording import plural
from . import FAIL, NOTE, OK, WARN, Prose, phrased

# the scheme of render/__init__.py (legible on a dark and a light background): ok green, failure red,
# cannot judge magenta; the status word says it too
STYLES = {"pass": OK, "fail": FAIL, "inconclusive": WARN, "kink": WARN,
          "kink-ok": OK, "step-ok": OK, "unresolved": WARN}
PASS_RULE = "|a − n| ≤ atol + rtol·max(|a|, |n|)"
ON_ATOL_SHOWN = 1e-3  # a row says "(N on atol alone)" where such an entry's relative error reaches this


def atol_text(settings: dict[str, Any]) -> str:
    """``atol 1e-08``, or ``atol auto = 4.4e-11`` (the costs' rounding at ε, ``auto_atol``)."""
    return f"atol auto = {settings['atol']:.1e}" if settings.get("atol_auto") else f"atol {settings['atol']:g}"


def _on_atol_line(report: GradcheckReport) -> str | None:
    """``3 entries passed on atol alone (rel err up to 5.0e-01: b^(1) 4): their |a − n| is within atol
    but above rtol·max(|a|, |n|)``; None when there is none."""
    if not report.n_on_atol:
        return None
    tensors = [t for t in report.tensors if t.n_on_atol]
    worst = max(t.max_rel_on_atol or 0.0 for t in tensors)
    where = ", ".join(f"{t.label} {t.n_on_atol:,}" for t in tensors[:4]) + (", …" if len(tensors) > 4 else "")
    what = "entries or directions" if report.settings.get("mode") == "fast" else "entries"
    auto = " (the rounding of the costs or of the forward pass at ε: no finer difference is resolved)" if report.settings.get("atol_auto") else ""
    return (f"{report.n_on_atol:,} {'entry' if report.n_on_atol == 1 else what} passed on atol "
            f"alone, rel err up to {worst:.1e} ({where}): |a − n| ≤ atol{auto} but > rtol·max(|a|, |n|)")


RATIO_RULE = "‖a − n‖ / (‖a‖ + ‖n‖)"


def bands_text(kinks: bool = True) -> str:
    """The global-ratio bands on one line, e.g. ``≤1e-07 excellent · … · >1e-02 almost surely a bug``;
    ``kinks``: the network has ReLU-like kinks, where "suspicious" is fine (said only then)."""
    parts = [f"≤{limit:.0e} {name}" for limit, name in RATIO_BANDS if math.isfinite(limit)]
    parts[2] += " (fine near kinks)" * kinks
    return " · ".join(parts) + f" · >{RATIO_BANDS[-2][0]:.0e} {RATIO_BANDS[-1][1]}"


def _e(x: float | None) -> str:
    return "—" if x is None else f"{x:.3e}" if math.isfinite(x) else str(x)


def _e2(x: float | None) -> str:
    return "—" if x is None else f"{x:.2e}" if math.isfinite(x) else str(x)


def _g(x: float) -> str:
    return f"{x:.10g}"


def _styled(status: str) -> Text:
    return Text(status, style=STYLES.get(status, ""))


def _checked_cell(t: TensorResult, sample: bool = False) -> str:
    """``6``; in sample mode, where fewer than all were drawn, ``10 of 2,048``."""
    total = math.prod(t.shape)
    if t.directional is None:
        return f"{t.n_checked:,} of {total:,}" if sample and t.n_checked < total else f"{t.n_checked:,}"
    located = f" + {t.n_checked} located" if t.n_checked else ""
    return f"all {math.prod(t.shape):,} via v{located}"


def _status_notes(t: TensorResult) -> list[str]:
    """What the tensor's status does not say: how many of its entries sit at ReLU kinks, were
    re-judged at another step than ε, or are unresolved at every step; in fast mode also the
    random direction v's own (``v re-judged``, ``v unresolved``, ``v at a kink``). E.g.
    ``["7 at kinks", "5 re-judged"]``: short enough to stack under the status at 80 columns."""
    notes = [f"{t.n_kinks:,} at kinks"] * bool(t.n_kinks)
    notes += [f"{t.n_stepped:,} re-judged"] * bool(t.n_stepped)
    notes += [f"{t.n_unresolved:,} unresolved"] * bool(t.n_unresolved)
    # a "pass" beside a large relative error says why: atol covered it (the panel counts every such entry)
    notes += [f"{t.n_on_atol:,} on atol alone"] * (t.n_on_atol > 0 and (t.max_rel_on_atol or 0.0) >= ON_ATOL_SHOWN)
    d = t.directional
    if d is not None:
        notes += {"kink": ["v at a kink"], "unresolved": ["v unresolved"]}.get(d.status, [])
        notes += ["v re-judged"] * (d.status in ("pass", "fail") and d.step is not None)
    return notes


def _status_cell(t: TensorResult, stacked: bool = False) -> Text:
    """``pass (7 at kinks, 5 re-judged)``; ``stacked``: each note on a line of its own, where
    the one-line cell does not fit (rich would break it anywhere: "pass (7 at" over "kinks)")."""
    text = _styled(t.status)
    notes = _status_notes(t)
    if notes and stacked:
        text.append("".join(f"\n({note})" for note in notes), style=NOTE)
    elif notes:
        text.append(f" ({', '.join(notes)})", style=NOTE)
    return text


_COLUMNS = (("tensor", "left"), ("shape", "left"), ("checked", "right"), ("max abs err", "right"),
            ("max rel err", "right"), ("worst entry", "left"), ("status", "left"))
_DROPPED_FIRST = ("max abs err", "shape", "checked")  # on a narrow console, in this order


def tensor_table(report: GradcheckReport, console: Console | None = None, analytic: str = "backprop") -> Table:
    """One row per tensor: w^(l) or b^(l), shape, checked, errors, worst entry, status.

    Built to fit 80 columns (a pipe's width) without truncating a number or an entry label:
    those are what a user acts on. No vertical rules, two spaces between columns, and only
    the word columns (checked, status) wrap when the table is too wide. On a narrower
    ``console`` (a projector's large font) whole columns go instead, least needed first
    (max abs err, shape, checked), and the caption names them; below ~45 columns the table
    also loses its blank edges and folds its two-word headers, and as a last resort drops
    the worst entry (e.g. 40 columns with "inconclusive" statuses).
    """
    dropped: list[str] = []
    table = _tensor_table(report, dropped, analytic)
    if console is None:
        return table
    if _uncut_width(table, console) > console.width:  # first the status's notes (kinks, re-judged) go under it
        table = _tensor_table(report, dropped, analytic, stacked=True)
    for name in _DROPPED_FIRST:
        if _uncut_width(table, console) <= console.width:
            return table
        dropped.append(name)
        table = _tensor_table(report, dropped, analytic, stacked=True)
    for last in (None, "worst entry"):  # last resorts (e.g. 40 columns), then the worst entry too
        if last is not None:
            dropped.append(last)
            table = _tensor_table(report, dropped, analytic, stacked=True)
        table.show_edge = False  # the blank edge columns,
        for column in table.columns:  # then headers on two lines ("max rel" / "err")
            if _uncut_width(table, console) <= console.width:
                return table
            if isinstance(column.header, str) and " " in column.header:
                column.header = "\n".join(column.header.rsplit(" ", 1))
        if _uncut_width(table, console) <= console.width:
            return table
    return table


def _uncut_width(table: Table, console: Console) -> int:
    """The narrowest this table renders without cutting a cell: no_wrap columns at their
    widest cell, the others at their longest word; plus the edges and 2-space gaps."""
    widths = []
    options = console.options  # once: each read builds them anew from the terminal's size and the environment
    for column in table.columns:
        cells = [Measurement.get(console, options, c) for c in (column.header, *column.cells)]
        w = max(m.maximum if column.no_wrap else m.minimum for m in cells)
        widths.append(max(w, column.min_width or 0))
    return sum(widths) + 2 * (len(widths) - 1) + (2 if table.show_edge else 0)


def _tensor_table(report: GradcheckReport, dropped: list[str], analytic: str = "backprop",
                  stacked: bool = False) -> Table:
    fast = report.settings.get("mode") == "fast"
    table = Table(title=f"gradient check: {analytic} vs central differences", title_justify="left",
                  caption_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    names = [name for name, _ in _COLUMNS if name not in dropped]
    for name, justify in _COLUMNS:
        if name in dropped:
            continue
        wraps = name == "checked"  # the status never breaks within a line (its kinks may stack):
        longest = max([len(t.status) for t in report.tensors] + [len(name)]) if name == "status" else None
        table.add_column(name, justify=justify, no_wrap=not wraps, min_width=longest)  # type: ignore[arg-type]
    for t in report.tensors:
        cells = {"tensor": f"{t.kind}^({t.layer})", "shape": "×".join(map(str, t.shape)),
                 "checked": _checked_cell(t, report.settings.get("mode") == "sample"), "max abs err": _err_cell(t.max_abs_error, t),
                 "max rel err": _err_cell(t.max_rel_error, t) + "*" * bool(_left_out(t)),
                 "worst entry": t.worst.label if t.worst is not None else "—", "status": _status_cell(t, stacked)}
        table.add_row(*(cells[name] for name in names))
    captions = []
    marked = [t for t in report.tensors if _left_out(t)] if "max rel err" not in dropped else []
    if marked:
        captions.append(_left_out_caption(marked, report.settings["atol"]))
    if fast:
        tiny = any(t.n_below_atol and not math.isfinite(t.max_rel_error) for t in report.tensors)
        captions.append("fast mode: errors are those of the random-direction check vᵀ∇C" + (
            f" (max rel err — where vᵀ∇C and its quotient are below atol = {report.settings['atol']:.1e}: "
            "rounding noise)" if tiny and "max rel err" not in dropped else ""))
    if dropped:
        captions.append(f"narrow console: {', '.join(dropped)} not shown (--json has every figure)")
    if captions:  # in rich's caption style, not broken inside a bracket ("(--json has every" / "figure)")
        caption = Text("; ".join(captions), style=table.caption_style or "table.caption")
        table.caption = Prose(caption)  # type: ignore[assignment]
    return table


def _left_out(t: TensorResult) -> list[str]:
    """What a tensor's shown max rel err (and so the global ratio) leaves out that is larger than it
    and not small itself (a relative error of 1e-3 at least): ``["2 not judged", "1 below atol"]`` (with
    ``_left_out_rel``), or [] when nothing such is left out. A kink's or a tiny gradient's relative error of
    1.0 beside "max rel err 9.51e-10" read as if every entry agreed."""
    shown = t.max_rel_error if math.isfinite(t.max_rel_error) else None
    if shown is None:
        return []
    out = []
    worst = t.max_rel_unjudged
    if worst is not None and worst > shown and worst >= ON_ATOL_SHOWN:
        out.append(f"{t.n_unjudged:,} not judged, rel err up to {worst:.1e}")
    worst = t.max_rel_below_atol
    if worst is not None and worst > shown and worst >= ON_ATOL_SHOWN:
        # their relative error is rounding noise (1.0 for a 0 against 1e-12, "rel err up to 1.0e+00" beside a
        # pass): what judges them is |a − n| against atol
        diff = "" if t.max_abs_below_atol is None else f", |a − n| up to {t.max_abs_below_atol:.1e}"
        out.append(f"{t.n_below_atol:,} below atol{diff}")
    return out


def _left_out_caption(marked: list[TensorResult], atol: float) -> str:
    """``* max rel err and the global ratio leave out entries not judged (at a kink or unresolved, listed
    below): w^(1) 2 not judged, rel err up to 1.0e+00``, and those below atol where they are the ones."""
    said = [" ".join(_left_out(t)) for t in marked]
    kinds = ["entries not judged (at a kink or unresolved, listed below)"] * any("not judged" in x for x in said)
    kinds += [(f"entries below atol (|a| and |n| < {atol:.1e}: their relative error is rounding noise, and "
               f"|a − n| against atol judges them)")] * any("below atol" in x for x in said)
    parts = [f"{t.label} {', '.join(_left_out(t))}" for t in marked[:4]] + (["…"] if len(marked) > 4 else [])
    return f"* max rel err and the global ratio leave out {' and '.join(kinds)}: {'; '.join(parts)}"


def _counts_line(report: GradcheckReport) -> str:
    if report.settings.get("mode") == "fast":
        total = sum(math.prod(t.shape) for t in report.tensors)
        # a direction judged at another step than ε, or not at all (on a kink, unresolved at every
        # step: the report is then inconclusive while "failed 0 · at kinks 0" did not say why)
        dirs = [t.directional for t in report.tensors if t.directional is not None]
        stepped = sum(d.step is not None and d.status in ("pass", "fail") for d in dirs)
        unjudged = sum(d.status in ("kink", "unresolved") for d in dirs)
        notes = [f"{stepped:,} re-judged at another step"] * bool(stepped) + [f"{unjudged:,} not judged"] * bool(unjudged)
        return (f"random directions {len(report.tensors)} (covering all {total:,} entries"
                + ("; " + ", ".join(notes) if notes else "") + ")"
                + f" · entries located {report.n_checked:,} · failed {report.n_failed:,} · at kinks "
                f"{report.n_kinks:,}" + _steps_text(report))
    total = sum(math.prod(t.shape) for t in report.tensors)
    checked = (f"{report.n_checked:,} of {total:,}" if report.settings.get("mode") == "sample"
               and report.n_checked < total else f"{report.n_checked:,}")
    return (f"entries checked {checked} · failed {report.n_failed:,} · "
            f"at kinks {report.n_kinks:,}" + _steps_text(report))


def _steps_text(report: GradcheckReport) -> str:
    """`` · re-judged at another step 3 · unresolved 2``: entries whose step ε did not suit them (the
    table's "(3 re-judged)")."""
    return ((f" · re-judged at another step {report.n_stepped:,}" if report.n_stepped else "")
            + (f" · unresolved {report.n_unresolved:,}" if report.n_unresolved else ""))


def _stepped_line(report: GradcheckReport) -> str:
    """Why entries were judged at another step than ε: those that failed at ε (ε too large or too small for
    them) and, told apart, those that matched at ε only because the cost did not move there (``n_unmoved``)."""
    failed, unmoved = report.n_stepped - report.n_unmoved, report.n_unmoved
    parts = []
    if failed:
        # not 'because ε is too large or too small': a wrong entry fails at ε too, and is re-judged to confirm it
        parts.append(f"{plural(failed, 'entry', 'entries')} failed at ε: re-judged at the step from ε·1e-6 to ε·1e4 "
                     "where the difference quotient is stable (one that passes there had an ε too large or too "
                     "small for it; one that fails there too is wrong)")
    if unmoved:
        parts.append(f"{plural(unmoved, 'entry', 'entries')} matched at ε only because the cost did not move there "
                     "(its rounding, ~u·|C|/ε, is above the tolerance): judged at the step from ε·1e-6 to ε·1e4 where the "
                     "cost moves or its rounding bounds the slope within the tolerance")
    return "; ".join(parts)


def _ratio_line(report: GradcheckReport, width: int | None = None) -> Text:
    """``global ratio ‖a − n‖ / (‖a‖ + ‖n‖) = 3.158e-11  excellent``, or, where the ratio is
    not defined, "—" and why: a PASS beside "1.000e+00 almost surely a bug" (every gradient 0
    against its rounding noise), or an INCONCLUSIVE beside "0.000e+00 excellent" (nothing
    compared), contradicted its own verdict."""
    head = ("global ratio ", (RATIO_RULE, "italic"))
    fast = report.settings.get("mode") == "fast"  # its ratio is over the random directions
    what = "directions" if fast else "entries"
    unjudged = _unjudged(report)
    # in --convergence's words where it judges nothing either: "no entry … reaches atol" (it said "every entry
    # judged … is below atol", the sweep "none is judged", of the same entries)
    below = (f"no {'direction' if fast else 'entry'}{' judged' if unjudged else ''}, {'vᵀ∇C' if fast else 'analytic'} "
             f"or numeric, reaches atol = {report.settings['atol']:.2g}")
    why = {"none judged": "no entry could be judged, so there is nothing to compare",
           # with entries left unjudged, they are what the check lacks, not a lower --atol
           "below atol": f"{below} (such {what} pass on atol); the {unjudged} are not in the ratio" if unjudged else
                         f"{below}: each passes on atol, with nothing to judge beyond that (the ratio would compare "
                         "rounding noise); lower --atol to judge them"}.get(report.ratio_undefined or "")
    if why is not None:
        return Text.assemble(*head, " = —  ", (why, WARN))
    # "= 2.796e-11" on a line of its own where the whole is too wide (at 40 columns rich broke after
    # the "=", which ended a line)
    value = f"= {_e(report.global_ratio)}"
    wide = Text.assemble(*head).cell_len + 1 + len(value)
    # and with its band where the band does not fit beside it: at 60 columns 'excellent' stood alone under
    # '… = 3.158e-11', where '= 3.158e-11  excellent' goes under the rule's name
    beside = report.band != ROUNDING_BAND and width is not None and wide + 2 + len(report.band) > width
    gap = "\n" if width is not None and (wide > width or beside) else " "
    ratio = Text.assemble(*head, gap, value)
    if report.band == ROUNDING_BAND:  # tiny gradients: the ratio measures the costs' rounding, not the gradient
        return phrased([ratio,
                        Text(f"{ROUNDING_BAND}: rounding at ε alone (the costs', the forward pass's) allows up to {report.rounding_ratio:.1e} "
                             "for gradients this small", STYLES["pass"])], "  ", width)
    return phrased([ratio,
                    Text(report.band, STYLES["pass"] if report.global_ratio <= 1e-5 else WARN if report.global_ratio <= 1e-3 else FAIL)], "  ", width)


def _unjudged(report: GradcheckReport) -> str:
    """What the check could not judge, as the counts line names it: ``4 unresolved`` (entries
    unresolved or on a kink), ``2 directions not judged`` (fast mode); "" when it judged all."""
    if report.settings.get("mode") == "fast":
        n = sum(t.directional is not None and t.directional.status in ("kink", "unresolved") for t in report.tensors)
        return f"{plural(n, 'direction')} not judged" if n else ""
    return f"{report.n_unresolved:,} unresolved" if report.n_unresolved else ""


def checked_layers(report: GradcheckReport | ConvergenceReport) -> str:
    """``layer 2 (L) only: w^(2), b^(2); layer 1 (L-1) not checked``: what a check restricted to some
    layers (``--layer``) covers, for the header, the verdict panel and the sweep's panel, so that a
    PASS is not read as the whole network's; "" for a check of every layer."""
    if not report.restricted:
        return ""
    from ..explain import layer_label  # the seeds' names, as explain prints them

    L = report.n_layers

    def named(layers: list[int]) -> str:
        each = [f"{l} ({layer_label(l, L)})" for l in layers]
        listed = each[0] if len(each) == 1 else f"{', '.join(each[:-1])} and {each[-1]}"
        return f"{'layer' if len(each) == 1 else 'layers'} {listed}"

    rest = [l for l in range(1, L + 1) if l not in report.layers]
    tensors = ", ".join(f"{kind}^({l})" for l in report.layers for kind in ("w", "b"))
    return f"{named(list(report.layers))} only: {tensors}; {named(rest)} not checked"


def _only(report: GradcheckReport | ConvergenceReport) -> str:
    """`` (layer 2 only)`` after a panel's PASS or FAIL when ``--layer`` restricted the check."""
    if not report.restricted:
        return ""
    layers = report.layers
    return f" ({'layer' if len(layers) == 1 else 'layers'} {', '.join(map(str, layers))} only)"


def _err_cell(x: float, t: TensorResult) -> str:
    """A tensor's max error: "—" where it has none to show (NaN without a failure: no entry
    judged, or none of at least atol for the relative error), not a perfect 0.00e+00."""
    return "—" if not math.isfinite(x) and t.status != "fail" else _e2(x)


def verdict_panel(report: GradcheckReport, width: int | None = None, analytic: str = "backprop") -> Panel:
    """The verdict, the global ratio and its band, and the thresholds used, and what its rules' a
    and n are: ``analytic`` (backprop, or your backward) and numeric. With ``width`` (the
    room inside the panel) a line breaks only between its phrases: the pass rule, a tolerance and
    its value, a band and its name each stay on one line (on a projector's 60 columns
    ``rtol·max(|a|,`` / ``|n|)`` and ``≤1e-03`` / ``suspicious`` did not)."""
    s = report.settings
    # a and n of the ratio and the rule, said once: in class a is the activation
    numeric = [f"a: analytic ({analytic})", "n: numeric (central differences)", f"ε = {s['eps']:g}",
               f"mode {s['mode']}" + (f" ({s['params']} per tensor)" if s["mode"] == "sample" else ""),
               plural(s['n_examples'], 'example'), *([f"seed {s['seed']}"] if s["seed"] is not None else [])]
    only = checked_layers(report)
    lines = [
        *([Prose(Text(only, style="bold"))] if only else []),
        _ratio_line(report, width),
        phrased(_counts_line(report).split(" · "), " · ", width, lead=True),
        phrased(["an entry passes when", f"{PASS_RULE}:", f"rtol {s['rtol']:g}, {atol_text(s)}"], " ", width),
        phrased(numeric, ", ", width),
        # one example: its cost is the mean, so a sum where the mean is meant (×n) is the same number
        *([Prose(Text("with 1 example a sum over the examples equals their mean: a missing ÷n cannot show; "
                      "check 2 or more (--examples) to catch it", style=NOTE))] if s["n_examples"] == 1 else []),
        # every bias 0 under L2: λb, the L2 term a backward might wrongly add to ∂C/∂b, is 0 too
        *([Prose(Text(f"every bias{' checked' if report.restricted else ''} is 0: an L2 term wrongly added to the "
                      "biases (λb in ∂C/∂b) is 0 too and cannot show; check with biases not 0 (--set "
                      "network.init=normal draws them) to catch it", style=NOTE))]
          if s.get("l2") and report.zero_biases else []),
        *([Prose(Text(_stepped_line(report), style=WARN))] if report.n_stepped else []),
        *([Prose(Text(on_atol, style=WARN if report.status == "pass" and any(
            (t.max_rel_on_atol or 0.0) >= ON_ATOL_SHOWN for t in report.tensors) else NOTE))]
          if (on_atol := _on_atol_line(report)) else []),
        phrased(f"bands: {bands_text(report.kinked)}".split(" · "), " · ", width, lead=True, style=NOTE),
    ]
    if report.cast_from:
        lines.append(Prose(Text(f"checked in float64: the network is {report.cast_from}, cast for the check",
                                style=WARN)))
    title = {"pass": "PASS", "fail": "FAIL", "inconclusive": "INCONCLUSIVE"}[report.status]
    if report.status == "pass" and report.ratio_undefined == "below atol":  # as --convergence's: nothing measured
        title = "PASS on atol"  # the ratio line says why: no entry (direction) reaches atol
    return Panel(Group(*lines), title=Text(f"gradcheck: {title}{_only(report)}", style=STYLES[report.status]),
                 border_style=STYLES[report.status], expand=False)


_ENTRY_LAYOUTS = ((10, ("abs error", "rel error")), (7, ("abs error", "rel error")),
                  (5, ("abs error", "rel error")), (5, ("rel err",)), (3, ("rel err",)))


def entries_table(entries: tuple[EntryResult, ...], width: int = 76) -> Table | Text:
    """The given entries with both values, their errors and status, in the most digits that
    ``width`` columns (the room inside a tensor's panel) hold without cutting a cell: 10
    significant digits, else 7, else 5, then without the absolute error, at last 3 (a
    projector's large font). Both values in the same notation and precision, d.ddde±xx, so
    their digits line up. No vertical rules, as the tensor table. Where even the narrowest
    table does not fit (below ~53 columns), the entries are stacked (:func:`entries_stacked`):
    rich squeezed its columns and cut 'w^(1)[0…', '2.09e-…' and the status. --json has every
    figure."""
    measure = Console(width=max(width, 1))
    for digits, errors in _ENTRY_LAYOUTS:
        table = _entries_table(entries, digits, errors)
        if _uncut_width(table, measure) <= width:
            return table
    return entries_stacked(entries, width)


_STACKED_DIGITS = (10, 7, 5, 3)


def entries_stacked(entries: tuple[EntryResult, ...], width: int) -> Text:
    """The entries table one entry after the other, for a console too narrow for it (40-52
    columns): the two values one above the other, in the same d.ddde±xx form, lined up down the
    list as a table's columns, with as many significant digits as fit whole, then its errors and
    status on a line (broken between them where wider than ``width``)::

        w^(1)[0,0]: analytic  1.041327300e-02
                    numeric   2.082654600e-02
          abs 1.041e-02 · rel 5.000e-01 · fail

    The values sit beside the label where 5 digits or more fit there, else under it, 2 columns in."""
    pad = max(cell_len(e.label) for e in entries) + 2  # "w^(1)[0,0]: "
    words = ("analytic  ", "numeric   ")

    def value_width(digits: int) -> int:
        return max(len(_sig(v, digits)) for e in entries for v in (e.analytic, e.numeric))

    indent, digits = 2, _STACKED_DIGITS[-1]  # a last resort (below ~25 columns): rich folds it
    for where, least in ((pad, 5), (2, 3)):  # beside the label with 5 digits or more, else under it
        fits = [d for d in _STACKED_DIGITS if d >= least and where + len(words[0]) + value_width(d) <= width]
        if fits:
            indent, digits = where, fits[0]
            break
    beside = indent == pad
    vw = value_width(digits)

    def errors(e: EntryResult, fmt: Any) -> list[str | Text]:
        return [f"abs {fmt(e.abs_error)}", f"rel {fmt(e.rel_error)}", _styled(e.status)]

    def one_line(units: list[str | Text]) -> int:
        return sum(cell_len(u) if isinstance(u, str) else u.cell_len for u in units) + 3 * (len(units) - 1)

    # the errors on one line: with 4 digits where they fit, under the values where they fit there
    tries = [(where, fmt) for fmt in (_e, _e2) for where in ((pad, 2) if beside else (2,))]
    err_indent, fmt = next(((w, f) for w, f in tries if all(w + one_line(errors(e, f)) <= width
                                                               for e in entries)), (2, _e2))
    out = Text(overflow="fold")  # never an ellipsis: a line too wide still shows every digit
    for i, e in enumerate(entries):
        if i:
            out.append("\n")
        label = f"{e.label}:"
        for n, (word, value) in enumerate(zip(words, (e.analytic, e.numeric))):
            if n:
                out.append("\n")
            if beside:
                out.append(label.ljust(pad) if n == 0 else " " * pad)
            else:
                out.append((label + "\n") * (n == 0) + "  ")
            out.append(word, style=NOTE)
            out.append(_sig(value, digits).rjust(vw))
        out.append("\n")
        lines = phrased(errors(e, fmt), " · ", max(width - err_indent, 1), lead=True).split("\n")
        out.append_text(Text("\n").join(Text(" " * err_indent) + line for line in lines))
    return out


def _entries_table(entries: tuple[EntryResult, ...], digits: int, errors: tuple[str, ...]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    for name in ("entry", "analytic", "numeric", *errors, "status"):
        table.add_column(name, justify="left" if name in ("entry", "status") else "right", no_wrap=True,
                         min_width=len(name))
    for e in entries:
        shown = {"abs error": e.abs_error, "rel error": e.rel_error, "rel err": e.rel_error}
        cells = [_e(shown[n]) if digits == 10 else f"{shown[n]:.{1 if n == 'rel err' else 2}e}" for n in errors]
        table.add_row(e.label, _sig(e.analytic, digits), _sig(e.numeric, digits), *cells, _styled(e.status))
    return table


def _sig(x: float, digits: int) -> str:
    """``digits`` significant digits in scientific notation, trailing zeros kept; an exact zero (either
    sign) is ``0``, not ``-0.000000000e+00``."""
    if x == 0:
        return "0"
    return f"{x:.{digits - 1}e}" if math.isfinite(x) else str(x)


def _entry_parts(t: TensorResult, width: int, failures: bool = True) -> list[Any]:
    """What a tensor's panel shows under its diagnosis: the directional check (fast mode), its
    worst failing entries (``failures``) and the entries not judged."""
    parts: list[Any] = []
    d = t.directional
    if d is not None:
        parts.append(Prose(Text(f"direction v: vᵀ∇C = {_g(d.analytic)}, numeric {_g(d.numeric)}"
                                + (f" at step {d.step:.0e}" if d.step is not None else "")
                                + f" ({d.status}); {d.n_evaluations} cost evaluations, "
                                f"{plural(d.n_located, 'entry', 'entries')} located", style=NOTE)))
    if t.failures and failures:
        if len(t.failures) < t.n_failed:  # the title counts them all: say which few are listed
            # worst: furthest past its tolerance, which is not the order of either error column
            parts.append(Prose(Text(f"the {len(t.failures)} worst of the {t.n_failed:,} failing entries "
                                    "(by |a − n| over its tolerance):", style=NOTE)))
        parts.append(entries_table(t.failures, width - 4))  # the panel's border and padding
    if t.kinks:
        more = t.n_unjudged - len(t.kinks)
        how = ("the central difference, or the smooth side's one-sided one" if not t.n_unresolved else
               "at a kink the central or one-sided difference, unresolved the steps' best-agreeing quotient")
        parts.append(Prose(Text(f"not judged (numeric: {how})" + (f"; {more:,} more" if more > 0 else "") + ":",
                                style=NOTE)))
        parts.append(entries_table(t.kinks, width - 4))
    return parts


def _title(t: TensorResult) -> str:
    """``w^(1) 3×2: 6 failing``, or ``w^(1): inconclusive``."""
    if t.status == "inconclusive":
        return f"{t.label}: inconclusive"
    return f"{t.label} {'×'.join(map(str, t.shape))}: {t.n_failed} failing"


def tensor_details(t: TensorResult, width: int = 80) -> Panel:
    """Diagnosis lines, the directional check (fast mode) and the worst entries of one tensor."""
    parts: list[Any] = [Prose(Text(f"• {line}")) for line in [*_findings(t), *_ruled_out_line([t])]]
    parts += _entry_parts(t, width)
    return Panel(Group(*parts), title=_title(t), title_align="left", border_style=STYLES[t.status])


def shared_details(group: list[TensorResult], width: int = 80) -> Panel:
    """Failing tensors with one diagnosis (a factor 2 missing fails every w^(l) and b^(l) alike), in
    one panel: the tensors' names, the diagnosis once (without a tensor's own count: "on every entry"),
    then their failing entries, in one table where each lists them all or its worst few (a line
    says which), else tensor by tensor under its own title (fast mode's directions, entries not
    judged). Six boxes that said the same took ~45 lines at 80 columns."""
    names = ", ".join(t.label for t in group)
    total = sum(t.n_failed for t in group)
    title = f"{names}: {total:,} failing"
    parts: list[Any] = []
    if len(title) > width - 8:  # the border's corners and a little rule: the names go inside
        title = f"{len(group)} tensors: {total:,} failing"
        parts.append(Prose(Text(f"{names}:", style="bold")))
    said = shared_words([_findings(t) for t in group], [t.label for t in group])
    parts += [Prose(Text(f"• {line}")) for line in [*said, *_ruled_out_line(group)]]
    if all(t.directional is None and not t.kinks for t in group):
        cut = [t for t in group if len(t.failures) < t.n_failed]
        if cut:
            few = ", ".join(f"the {len(t.failures)} worst of {t.label}'s {t.n_failed:,}" for t in cut)
            rest = "; every failing entry of the others" if len(cut) < len(group) else ""
            parts.append(Prose(Text(f"failing entries: {few} (by |a − n| over its tolerance){rest}:",
                                    style=NOTE)))
        parts.append(entries_table(tuple(e for t in group for e in t.failures), width - 4))
    else:
        for t in group:
            parts.append(Text(_title(t), style="bold"))
            parts += _entry_parts(t, width)
    return Panel(Group(*parts), title=title, title_align="left", border_style=STYLES["fail"])


def _findings(t: TensorResult) -> tuple[str, ...]:
    """``t``'s diagnosis without the lines that rule a mistake out (``ruled_out``): what its box says of it."""
    return tuple(line for line in t.diagnosis if ruled_out(line) is None)


_TENSOR_NAME = re.compile(r"\b([wb])\^\((\d+)\)")


def _names(labels: Sequence[str]) -> str:
    """``w^(1)``, ``w^(1) and b^(1)``, ``w^(1), b^(1) and w^(3)``."""
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


def _ruled_out_line(group: list[TensorResult]) -> list[str]:
    """The mistakes ruled out for a box's tensors in one line, ``taken alone, w^(2) and b^(2) would fit 3 other
    mistakes too, which w^(1) and b^(1) rule out (--json names them)`` (a clause for each set of tensors that
    rule some out), or [] where none is: a learner with the
    mistake the box names read a bullet about each mistake they had not made (``not R'(z^(l)) where
    R'(z^(l−1)) belongs … but not the analytic values of w^(1) and b^(1)``). ``--json`` keeps each."""
    clauses: dict[tuple[str, ...], tuple[list[str], set[str]]] = {}  # rulers -> (tensors, mistakes)
    for t in group:
        lines = [line for line in t.diagnosis if ruled_out(line) is not None]
        if not lines:
            continue
        named = {m.group(0): (int(m.group(2)), m.group(1) == "b") for line in lines
                 for m in _TENSOR_NAME.finditer(line[line.index(RULED_OUT) + len(RULED_OUT):])}
        by = tuple(name for name, _ in sorted(named.items(), key=lambda item: item[1]))
        clause = clauses.setdefault(by, ([], set()))
        clause[0].append(t.label)
        clause[1].update(ruled_out(line) or "" for line in lines)
    if not clauses:
        return []
    said = []
    for by, (who, mistakes) in clauses.items():
        rulers = _names(list(by)) if by else "the other tensors"
        said.append(f"{_names(who)} would fit {plural(len(mistakes), 'other mistake')} too, which {rulers} "
                    f"{'rules' if len(by) == 1 else 'rule'} out")
    them = "it" if len(clauses) == 1 and len(next(iter(clauses.values()))[1]) == 1 else "them"
    return [f"taken alone, {'; '.join(said)} (--json names {them})"]


def _grouped(report: GradcheckReport) -> list[list[TensorResult]]:
    """The tensors to detail, failing ones with the same diagnosis (but for their counts) together,
    each group where its first tensor is."""
    groups: dict[Any, list[TensorResult]] = {}
    for t in report.tensors:
        if t.status == "pass":
            continue
        # the mistakes that give one tensor's values and that the others rule out are no finding of their own:
        # σ' left out of every hidden δ^(l) fails w^(1), b^(1), w^(2) and b^(2), and w^(2), b^(2) alone fit
        # three more mistakes, which w^(1) and b^(1) rule out (they had a box of their own, three bullets "not …")
        key = ("fail", box_key(_findings(t))) if t.status == "fail" and t.diagnosis else id(t)
        groups.setdefault(key, []).append(t)
    # under training.l2 a w^(l) read with λw taken out shares its words with the biases, not with a w^(l) whose whole
    # values, λw too, show the ratio: those have a box of their own
    out: list[list[TensorResult]] = []
    for group in groups.values():
        plain_w = [t for t in group if t.kind == "w" and not read_without_l2(t.diagnosis)]
        if plain_w and len(plain_w) < len(group) and any(read_without_l2(t.diagnosis) for t in group):
            out += [[t for t in group if t not in plain_w], plain_w]
        else:
            out.append(group)
    return out


#: The notation a diagnosis cites, said once under the boxes: δ and BP1–BP4 are defined in the
#: README's Notation only, and a learner of seed 001 knows the layer error as E.
DELTA_NOTE = "δ^(l) = ∂C/∂z^(l), the error of layer l"
BP_NOTE = "BP1–BP4, the four equations of backprop: README, Notation"
#: A failing weight's entries are named as numpy indexes them, w^(1)[1,0]; the seeds and explain write w_10^(1).
INDEX_NOTE = "w^(l)[j,k] is the seeds' w_jk^(l), from neuron k of layer l−1 to neuron j of layer l"


def delta_note(layer_errors: Sequence[str] = (), activations: Sequence[str] = ()) -> str:
    """What δ^(l) is, with seed 001's E_o and E_h written for the network's own cost and activations
    (``GradcheckReport.layer_errors``, explain's words): it read seed 001's E_o = (ŷ − y) ⊙ R'(Z_o) whatever
    the network, and copied onto the default squared_error, whose E_o is 2(ŷ − y) · σ'(Z_2), that is the
    "factor 2 missing" the diagnoses name. Then which activation each σ' is: hidden layers of several
    activations each by its layer, σ_1 = relu, σ_2 = tanh, … (their list without repeats, "σ = relu, tanh,
    elu", read as layers 1-3 of four)."""
    if not layer_errors:
        return DELTA_NOTE
    L = len(activations)
    kinds = list(dict.fromkeys(activations[:-1]))
    hidden = kinds[0] if len(kinds) == 1 else ""
    out = activations[-1] if activations else ""
    out_sigma = "σ'" in layer_errors[0]  # not the fused ŷ − y
    one = out_sigma and len(kinds) <= 1 and hidden in (out, "")  # every σ' the legend writes is one activation's
    each = (f"σ = {hidden}" if len(kinds) == 1 else
            ", ".join(f"σ_{l} = {name}" for l, name in enumerate(activations[:-1], 1)))
    parts = [f"{layer_errors[0]} at the output" + (f" (σ = {out})" if out_sigma and not one else "")]
    if len(layer_errors) > 1:
        parts.append(f"{layer_errors[1]} at {'the hidden layer' if L == 2 else 'a hidden layer'}"
                     + (f" ({each})" if kinds and not one else ""))
    return f"{DELTA_NOTE}, seed 001's E_l: {', '.join(parts)}" + (f" (σ = {out})" if one else "")


def notation_note(lines: list[str], report: GradcheckReport | None = None, weights: bool = False) -> str:
    """The footnote for the diagnoses ``lines``: what δ^(l) is where one cites it (``delta_note``, for
    ``report``'s network), where BP1–BP4 are where one cites them, and with ``weights`` (a weight's
    entries are shown) which w_jk^(l) an entry w^(l)[j,k] is; "" for none."""
    text = " ".join(lines)
    delta = delta_note(report.layer_errors, report.activations) if report is not None else DELTA_NOTE
    notes = ([delta] * ("δ" in text) + [BP_NOTE] * bool(re.search(r"\bBP[1-4]", text))
             + [INDEX_NOTE] * weights)
    return "; ".join(notes)


def render_gradcheck(console: Console, report: GradcheckReport, analytic: str = "backprop") -> None:
    """Print the table, the verdict panel and, for failing/inconclusive tensors, the details: one
    panel per diagnosis that several failing tensors share, and under them what δ and BP1–BP4 are
    when a diagnosis cites them."""
    console.print(tensor_table(report, console, analytic))
    console.print(verdict_panel(report, console.width - 4, analytic))  # the panel's border and padding
    for group in _grouped(report):
        console.print(tensor_details(group[0], console.width) if len(group) == 1
                      else shared_details(group, console.width))
    shown = [t for t in report.tensors if t.status != "pass"]
    note = notation_note([line for t in shown for line in _findings(t)], report,
                         weights=any(t.kind == "w" for t in shown))
    if note:
        console.print(Prose(Text(note, style=NOTE)))


def _convergence_table(report: ConvergenceReport, rows: list[list[str]], kinks: bool, folded: bool) -> Table:
    """As the tensor table: no vertical rules, and no figure ever wraps or is cut ("1.851e…" at
    60 columns before); ``folded`` puts the headers on two or three lines, and only the band's
    words wrap. No band where the sweep cannot judge: "almost surely a bug" beside every ε read as
    the verdict its panel then withholds."""
    title = "convergence: error as ε shrinks (central differences: ∝ ε²)"
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True,
                  min_width=len(title))  # without the band its columns are narrower than the title
    names = ("ε", "max rel error", "median rel error", "global ratio") + (
        ("band",) if report.status != "inconclusive" else ()) + (("steps across a kink",) if kinks else ())
    folded_names = {"max rel error": "max rel\nerror", "median rel error": "median\nrel error",
                    "global ratio": "global\nratio", "steps across a kink": "steps\nacross\na kink"}
    for i, name in enumerate(names):
        header = folded_names.get(name, name) if folded else name
        if name == "band":  # its words wrap; the longest one stays whole
            longest = max((len(word) for row in rows for word in row[i].split()), default=4)
            table.add_column(header, justify="left", min_width=longest)
        else:
            table.add_column(header, justify="right", no_wrap=True)
    for eps, cells in zip(report.eps_values, rows):
        table.add_row(*cells, style="bold" if eps == report.best_eps else "")
    return table


def _convergence_stacked(report: ConvergenceReport, rows: list[list[str]], kinks: bool, width: int) -> Group:
    """The sweep's table one ε after the other, for a console too narrow for its columns even with
    their headers folded (at 40-53 columns rich cut its figures, '5.000e-…', and broke the band's
    words, 'almos' / 'surel'): a legend line, then per ε ``1e-01: max 5.000e-01, median 4.997e-01``
    over ``ratio 3.331e-01 · almost surely a bug · 3 steps across a kink``, each line broken between
    its phrases where wider than ``width``, the best ε in bold as in the table."""
    band = report.status != "inconclusive"  # as the table: no band where the sweep cannot judge
    legend = ("each ε: the max and median rel error, then the global ratio" + (" and its band" if band else "")
              + (", and the steps across a kink" if kinks else ""))
    body = Text(overflow="fold")
    for i, (eps, cells) in enumerate(zip(report.eps_values, rows)):
        eps_text, mx, md, ratio, *rest = cells
        style = "bold" if eps == report.best_eps else ""
        then = [f"ratio {ratio}"] + ([rest.pop(0)] if band else []) + (
            [f"{rest[0]} step{'' if rest[0] == '1' else 's'} across a kink"] if kinks else [])
        for n, (units, sep, lead) in enumerate((([f"{eps_text}: max {mx}", f"median {md}"], ", ", False),
                                                (then, " · ", True))):
            for k, line in enumerate(phrased(units, sep, max(width - 2, 1), lead=lead).split("\n")):
                if i or n or k:
                    body.append("\n")
                body.append("  " * bool(n or k) + line.plain, style=style)  # the ε alone at the left
    title = "convergence: error as ε shrinks (central differences: ∝ ε²)"
    return Group(Prose(Text(title, style="table.title")), Prose(Text(legend, style=NOTE)), body, Text(""))


def render_convergence(console: Console, report: ConvergenceReport) -> None:
    """Print the error for each ε and the convergence verdict."""
    kinks = any(report.kink_crossings)
    band = report.status != "inconclusive"  # see _convergence_table
    some = any(math.isfinite(r) for r in report.global_ratios)

    eps_all, ratio_all = list(report.eps_values), list(report.global_ratios)

    floor = report.best_error  # where the sweep levels off: rounding, or a gradient's own small error

    def falls(i: int) -> bool:
        """Whether the ratio at ε_i is mostly truncation: at least twice the floor, and its excess over the
        floor falls as ε² (a slope of 1.5 at least) to the next, smaller ε. A ratio flat over the decades
        (a gradient off by 1e-6) is not; one whose next ε sits on the floor is (1.1e-5 over 5e-7)."""
        if i + 1 >= len(eps_all) or not all(math.isfinite(r) for r in ratio_all[i:i + 2]):
            return False
        excess, after = ratio_all[i] - floor, ratio_all[i + 1] - floor
        if ratio_all[i] < 2 * floor or excess <= 0:
            return False
        return after <= 0 or math.log10(excess / after) >= 1.5 * math.log10(eps_all[i] / eps_all[i + 1])

    def unjudged(i: int) -> bool:  # no entry of at least atol at ε_i: its 0s are a convention, not errors
        return bool(report.n_judged) and report.n_judged[i] == 0

    def named(i: int, eps: float, r: float, k: int) -> str:  # an ε whose cost overflows beside others: left out
        if not math.isfinite(r) and some:
            return "left out: cost not finite"
        if unjudged(i):  # "0.000e+00 excellent" where nothing was compared
            return "none reaches atol"
        if report.status == "pass" and eps > report.best_eps and ratio_band(r) != ratio_band(0.0):
            # a correct gradient's error at a large ε is the difference's own, falling as ε², or a ReLU kink
            # its steps cross: it read 'likely a bug' beside 'convergence: PASS … the gradient is correct'.
            # Only where the numbers show it: a ratio flat over the decades keeps its band
            if k:
                return "kinks crossed"
            if falls(i):
                return "truncation (ε²)"
        return ratio_band(r)

    rows = [[f"{eps:.0e}", *(("—",) * 3 if unjudged(i) else (_e(mx), _e(md), _e(r)))] + ([named(i, eps, r, k)] if band else []) + ([f"{k:,}"] if kinks else [])
            for i, (eps, mx, md, r, k) in enumerate(zip(report.eps_values, report.max_rel_errors,
                                                        report.median_rel_errors, report.global_ratios,
                                                        report.kink_crossings))]
    table = _convergence_table(report, rows, kinks, folded=False)
    if _uncut_width(table, console) > console.width:  # a projector's font: headers on 2-3 lines
        table = _convergence_table(report, rows, kinks, folded=True)
    if _uncut_width(table, console) > console.width:  # below 48 columns (59 with kinks): one ε after the other
        console.print(_convergence_stacked(report, rows, kinks, console.width))
    else:
        console.print(table)
    order = "—" if report.order is None else f"{report.order:.2f}"
    if (report.order is None and report.best_eps in report.eps_values and math.isfinite(report.best_error)
            and NO_SLOPE not in report.verdict):  # a failing verdict says it already: not twice
        order += f" ({_no_order(report)})"
    smallest = (f"; smallest ratio {_e(report.best_error)} at ε = {report.best_eps:.0e}"
                if not report.n_judged or any(report.n_judged) else "")  # no ratio at all: none to name
    status = report.status
    only = checked_layers(report)
    # prose broken between words, not inside 'ε = 1e-05' or '(central differences: 2)': rich
    # wrapped the verdict at any space, 'at ε =' over '1e-05' at 80 columns
    body = Group(*([Prose(Text(only, style="bold"))] if only else []), Prose(Text(report.verdict)),
                 *(Prose(Text(f"• {line}")) for line in report.diagnosis),
                 Prose(Text(f"order (slope of log ratio vs log ε) {order}{smallest}", style=NOTE)))
    title = {"pass": "PASS", "fail": "FAIL", "inconclusive": "CANNOT JUDGE"}[status]
    if report.n_judged and not any(report.n_judged):  # it passes as the plain check does, on atol: not a measured PASS
        title = "PASS on atol"  # the verdict says why: no entry reaches it
    console.print(Panel(body, title=Text(f"convergence: {title}{_only(report)}", style=STYLES[status]),
                        border_style=STYLES[status], expand=False))


def _no_order(report: ConvergenceReport) -> str:
    """Why a sweep measured no order, as ``gradcheck._order`` decides it: the smallest ratio is at the
    first ε whose steps cross no kink (no slope before it), or the ratios are at rounding level from
    there on; or no entry is judged (every one below atol) at any ε, or at the one whose ratio of 0 is
    the smallest. The panel said "order —" beside a verdict's "slope 0.0", and "the ratio is smallest
    already at ε = 1e-01" where every ratio was a 0 over no entry at all."""
    best = report.eps_values.index(report.best_eps)
    if report.n_judged and not any(report.n_judged):
        return "none measured: no entry reaches atol at any ε, so there is no ratio to take a slope of"
    if report.n_judged and report.n_judged[best] == 0:
        return (f"none measured: the ratio of 0 at ε = {report.best_eps:.0e} is over no entry (every one is below "
                "atol there), not an error that falls to it")
    first = best
    while first > 0 and report.kink_crossings[first - 1] == 0:
        first -= 1
    if first == best:
        which = "and the larger ε cross kinks" if first > 0 else "the largest ε"
        return f"none measured: the ratio is smallest already at ε = {report.best_eps:.0e}, {which}, {NO_SLOPE}"
    return (f"none measured: the ratios from ε = {report.eps_values[first]:.0e} on are at rounding level, "
            "where a slope measures only noise")


# --- JSON ---------------------------------------------------------------------------------------


def _clean(value: Any) -> Any:
    """Tuples to lists, non-finite floats to None, recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def _entry_json(e: EntryResult | None) -> dict[str, Any] | None:
    if e is None:
        return None
    return {"label": e.label, **asdict(e)}


def _tensor_json(t: TensorResult) -> dict[str, Any]:
    return {
        "name": t.label,
        "layer": t.layer,
        "kind": t.kind,
        "shape": t.shape,
        "n_checked": t.n_checked,
        "max_abs_error": t.max_abs_error,
        "max_rel_error": t.max_rel_error,
        "worst": _entry_json(t.worst),
        "n_failed": t.n_failed,
        "n_kinks": t.n_kinks,
        "status": t.status,
        "diagnosis": t.diagnosis,
        "failures": [_entry_json(e) for e in t.failures],
        "n_unjudged": t.n_unjudged,
        "n_stepped": t.n_stepped,
        "n_unmoved": t.n_unmoved,
        "n_unresolved": t.n_unresolved,
        "n_on_atol": t.n_on_atol,
        "max_rel_on_atol": t.max_rel_on_atol,
        "max_rel_unjudged": t.max_rel_unjudged,
        "n_below_atol": t.n_below_atol,
        "max_rel_below_atol": t.max_rel_below_atol,
        "unresolved_reasons": t.unresolved_reasons,
        "kinks": [_entry_json(e) for e in t.kinks],
        "directional": asdict(t.directional) if t.directional is not None else None,
    }


def to_json(report: GradcheckReport | ConvergenceReport) -> dict[str, Any]:
    """A plain, JSON-ready dict of a gradcheck or convergence report."""
    if isinstance(report, ConvergenceReport):
        data = asdict(report)
        judged = report.n_judged or (1,) * len(report.eps_values)
        # an ε where no entry reaches atol measured nothing: null, as its row's "—", not an error of 0.0
        for key in ("max_rel_errors", "median_rel_errors", "global_ratios"):
            data[key] = [x if n else None for x, n in zip(data[key], judged)]
        if not any(judged):  # no ε judged anything: there is no best ε (it read 0.1, its ratio 0.0)
            data["best_eps"] = data["best_error"] = None
        return _clean({"report": "convergence", **data})
    return _clean({
        "report": "gradcheck",
        "status": report.status,
        "passed": report.passed,
        "global_ratio": report.global_ratio,
        "band": report.band,
        "rounding_ratio": report.rounding_ratio,
        "bands": [{"max": limit if math.isfinite(limit) else None, "name": name}
                  for limit, name in RATIO_BANDS],
        "kinked": report.kinked,
        "rule": PASS_RULE,
        "n_checked": report.n_checked,
        "n_failed": report.n_failed,
        "n_kinks": report.n_kinks,
        "n_stepped": report.n_stepped,
        "n_unmoved": report.n_unmoved,
        "n_unresolved": report.n_unresolved,
        "n_on_atol": report.n_on_atol,
        "cast_from": report.cast_from,
        "layers": report.layers,
        "n_layers": report.n_layers,
        "zero_biases": report.zero_biases,
        "settings": report.settings,
        "tensors": [_tensor_json(t) for t in report.tensors],
        "warnings": report.warnings,
    })
