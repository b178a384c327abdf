"""``backprop explain``."""

import json
from typing import Annotated, Any, Optional

import typer

from ..names import typed
from ..wording import plural
from .common import (REFUSAL_JSON_HELP, ConfigArg, ExplainSetOpt, ModelOpt, ExplainOwnXOpt, OwnYOpt, SeedOpt, boundary, choices, completer, echo,
                     experiment_for, name_parser, own_example, stderr, stdout, typed_x, whole_type)


FORMATS = ("rich", "markdown", "json")


def explain(
    config: ConfigArg = None,
    layer: Annotated[
        Optional[str],
        typer.Option("--layer", "-l", help="The layer, as in the seeds: L (output), L-1, L-2, … (l, l-1 too) or a number from 1 to L. Required, unless --all-layers.", metavar="LAYER"),
    ] = None,
    model: ModelOpt = None,
    example: Annotated[Optional[int], typer.Option("--example", help="Which training example to explain (its cost is seed 000's C_i, called C0 in the output): row i of the shuffled training split, 0-based; the header gives its file line, x in the data's units and its class. [default: 0]", click_type=whole_type(0), show_default=False)] = None,
    x_text: ExplainOwnXOpt = None,
    y_text: OwnYOpt = None,
    neuron: Annotated[Optional[int], typer.Option("--neuron", help="Narrow to neuron j of the layer (0-based).", click_type=whole_type(0))] = None,
    weight: Annotated[Optional[str], typer.Option("--weight", help="Narrow to one weight w_jk, written j,k (0-based).", metavar="j,k")] = None,
    expand: Annotated[bool, typer.Option("--expand", help="The full product chain from the cost back to one weight, and the multiplications memoization saves.")] = False,
    full: Annotated[bool, typer.Option("--full", help="Show every neuron and weight (wide layers are truncated otherwise); in the terminal and Markdown a layer of more than 10,000 weights is refused (each is a checked, printed product): narrow it with --neuron j --full, or take --json, which writes up to 250,000 (a 784 × 256 layer: about a minute and 2 GB).")] = False,
    all_layers: Annotated[bool, typer.Option("--all-layers", help="Explain every layer from L down to 1: the error flowing back.")] = False,
    brief: Annotated[bool, typer.Option("--brief", "-b", help="About half the lines, for a class: the header, the chain rule, the forward pass, where ∂C0/∂a comes from, the written-out products with their checks (a wide layer's first) and what is handed back, with the learner warnings; not the per-neuron table, the each-weight/each-bias tables, δ aᵀ, seed 001's panel or the gradient norms (a last line says so). Markdown too; not with --format json, which is never shortened.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="rich (terminal), markdown (with $$ LaTeX $$, for Obsidian/Jupyter) or json (a refused run: an error object, as --json says).", parser=name_parser(FORMATS), metavar=choices(FORMATS), autocompletion=completer(FORMATS))] = "rich",
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json (the --json of train, gradcheck, predict and evaluate). " + REFUSAL_JSON_HELP)] = False,
    seed: SeedOpt = None,
    sets: ExplainSetOpt = None,
) -> None:
    """Show the chain rule of one layer with the numbers of a real network plugged in.

    For layer l and one example (a training one, --example i, or your own, --x and --y): the forward pass z_j = Σ_k w_jk a_k^(l−1) + b_j, a_j = σ(z_j) with the weights plugged in; ∂C0/∂w_jk = ∂z_j/∂w_jk · ∂a_j/∂z_j · ∂C0/∂a_j = a_k^(l−1) · σ'(z_j) · ∂C0/∂a_j, the bias rule, the value ∂C0/∂a_k^(l−1) handed back to layer l−1, where ∂C0/∂a comes from (the cost, or the sum layer l+1 handed back, with its numbers), the same in seed 001's notation (E_o, E_h), and learner warnings. Every product is checked against the backward pass and a finite difference (✓ or ✗; exit 1 on ✗, 3 when a ReLU kink, the finite difference's rounding noise or a cost bending within every usable step (huge weights) leaves a check inconclusive; exit 2 when the example's forward or backward pass overflows).

    Examples:
      [bold]backprop explain --layer L-1 --example 3[/]   # x = (1, 1), so no ∂C0/∂w is 0
      [bold]backprop explain configs/iris.yaml --layer L --neuron 2 --format markdown[/]
      [bold]backprop explain --layer L-1 --brief[/]   # about half the lines, for a class
    """
    with boundary(json_refusal=as_json or fmt == "json"):  # a refusal as an object too
        from ..errors import ConfigError
        from ..explain import explain_all_layers, explain_layer, layer_choices, overall_status
        from ..render.explain import render_rich, to_json, to_markdown

        if as_json:
            if fmt not in ("rich", "json"):  # rich: the default, given or not
                raise ConfigError(f"--json and --format {fmt}: give one; --json is --format json")
            fmt = "json"
        if brief and fmt == "json":
            raise ConfigError(f"--brief shortens the terminal and Markdown output; {'--json' if as_json else '--format json'} "
                              "is never shortened, it has every number plain explain shows, each once (take the keys you need): give one or the other")
        if all_layers and (layer is not None or neuron is not None or weight is not None):
            raise ConfigError("--all-layers explains every layer; it does not take --layer, --neuron or --weight")
        from ..experiment import explain_footprint

        # a fresh network: explain's own estimate (not training's, whose batch_size hint does not
        # apply); a trained model is loaded already, only its data is still to be made
        exp = experiment_for(config, model, {"seed": seed}, sets,
                             footprint=explain_footprint if model is None else None,
                             own_example=x_text is not None or y_text is not None)
        if layer is None and not all_layers:  # the choices of this network, as for a --layer that is none
            raise ConfigError(f"--layer: missing; give one of this {'-'.join(map(str, exp.net.sizes))} network's "
                              f"layers: {layer_choices(exp.net.L)} (or use --all-layers)")
        ds = exp.train
        if x_text is not None or y_text is not None:
            if example is not None:
                raise ConfigError("--example picks a training example, --x and --y give your own: give one or the other")
            x, y = own_example(exp, x_text, y_text)
            row = None
            origin = _own_origin(ds, typed_x(exp, x_text) if exp.standardizer is not None else None, y)
        else:
            example = 0 if example is None else example
            row = example
        if row is not None and example >= ds.n_samples:
            raise ConfigError(
                f"--example: {example} is out of range; the training split has "
                f"{plural(ds.n_samples, 'example')}, use "
                f"{'0' if ds.n_samples == 1 else f'a number from 0 to {ds.n_samples - 1}'}"
            )
        if row is not None:
            x, y = ds.X[example], ds.Y[example]
            origin = _origin(ds, example, exp.standardizer)
        from ..experiment import own_target_range_warning, target_range_warning
        from ..render import print_note

        # a target the output cannot reach, as train warns of it (--json too: on stderr, as the
        # JSON's "warnings" are the learner warnings' objects)
        unreachable = (target_range_warning(exp.config, ds) if row is not None
                       else own_target_range_warning(exp.config, y))
        if unreachable is not None:
            print_note(stderr(), f"warning: {unreachable}")
        parameters = _parameters(exp, model, sets)
        if full and neuron is None and weight is None:
            _full_fits(exp.net.sizes, None if all_layers else layer, json_out=fmt == "json")
        if all_layers:
            result = explain_all_layers(exp.net, x, y, expand=expand, full=full,
                                        target_names=ds.target_names, row=row,
                                        standardized=exp.standardizer is not None, origin=origin,
                                        parameters=parameters)
        else:
            assert layer is not None
            result = explain_layer(exp.net, x, y, layer=layer, neuron=neuron,
                                   weight=_parse_weight(weight), expand=expand, full=full,
                                   target_names=ds.target_names, row=row,
                                   standardized=exp.standardizer is not None, origin=origin,
                                   parameters=parameters)
        if row is not None:
            result = _try_another(exp.net, ds, row, result)
        if fmt == "json":
            echo(json.dumps(to_json(result)), data=True)
        elif fmt == "markdown":
            echo(to_markdown(result, brief=brief), data=True)  # a document for a .md file: UTF-8 in any locale
        else:
            render_rich(result, stdout(), brief=brief)
        explanations = result if isinstance(result, tuple) else (result,)
        status = overall_status([c for ex in explanations for c in ex.checks])
        if status != "pass":
            raise typer.Exit(code=1 if status == "fail" else 3)


#: ``--full`` shows (and checks, each with finite differences) every product of a layer; past
#: this many weights the terminal's and Markdown's output is a flood no one reads (a 256 × 784
#: layer: 200,704 products, 200,000 lines), so it is refused with the ways to narrow it.
MAX_FULL_WEIGHTS = 10_000
#: --full --json is for a program, which may well want every product of a wide layer: it is bounded
#: only by what one process can hold, ~10 KB of memory and ~2 KB of JSON per weight while each is
#: checked (measured: a 3136 × 64 layer, 200,704 weights, took 62 s, 2.1 GB and wrote 418 MB), so
#: MNIST's 784 × 256 first layer fits and a layer that would take tens of GB is refused.
MAX_FULL_JSON_WEIGHTS = 250_000


def _full_fits(sizes: list[int], layer: str | None, json_out: bool = False) -> None:
    """Refuse --full on a layer with more than MAX_FULL_WEIGHTS weights (MAX_FULL_JSON_WEIGHTS with
    --json; every layer with --all-layers), naming the layer, its shape and the options that narrow it."""
    from ..errors import ConfigError
    from ..explain import layer_label, parse_layer

    L = len(sizes) - 1
    layers = range(L, 0, -1) if layer is None else (parse_layer(layer, L),)
    limit = MAX_FULL_JSON_WEIGHTS if json_out else MAX_FULL_WEIGHTS
    for l in layers:
        n_l, n_prev = sizes[l], sizes[l - 1]
        if n_l * n_prev > limit:
            which = (f"layer {l} ({layer_label(l, L)})" if layer is not None
                     else f"--all-layers: layer {l} ({layer_label(l, L)})")
            narrow = (f"narrow it: --layer {l} --neuron j --full shows neuron j's {n_prev} weights in full, "
                      f"--weight j,k one weight; without --full {min(n_l, 8)} × {min(n_prev, 8)} are shown")
            if json_out:
                raise ConfigError(
                    f"--full --json: {which} has {n_l * n_prev:,} weights ({n_l} × {n_prev}), more than the "
                    f"{limit:,} it writes (each is a checked product: ~10 KB of memory and ~2 KB of JSON, "
                    f"~{n_l * n_prev * 10_000 / 1e9:.0f} GB for this layer)", narrow)
            raise ConfigError(
                f"--full: {which} has {n_l * n_prev:,} weights ({n_l} × {n_prev}), more than the "
                f"{limit:,} --full shows in the terminal or Markdown (each is a checked product, printed)",
                narrow + ("; --json writes them all" if n_l * n_prev <= MAX_FULL_JSON_WEIGHTS else ""),
            )


def _parameters(exp: Any, model: Any, sets: list[str] | None = None) -> Any:
    """Whose weights and biases are explained (a ParameterSource): the trained model's (a run folder:
    its model.npz), the config's network.weights and network.biases (those a --set gave named so: the
    header credited them to the file), or a fresh draw of network.init with the config's seed (--seed
    included)."""
    from pathlib import Path

    from ..config import canonical_field_path
    from ..explain import ParameterSource
    from ..model_io import model_file

    def where(path: Path) -> str:  # relative to the current folder where it lies under it, else absolute
        try:
            return str(path.resolve().relative_to(Path.cwd().resolve()))
        except (ValueError, OSError):
            return str(path.resolve())

    cfg = exp.config
    if model is not None:
        return ParameterSource("model", path=where(model_file(Path(model))))
    given = tuple(k for k in ("weights", "biases") if getattr(cfg.network, k) is not None)
    if given:
        source = cfg.source if cfg.source == "-" or not Path(cfg.source).is_file() else where(Path(cfg.source))
        set_by = []
        for item in sets or ():
            try:
                key = canonical_field_path(item.partition("=")[0].strip())
            except Exception:  # noqa: BLE001 - a malformed --set was refused before this
                continue
            set_by += [k for k in given if key == f"network.{k}" and k not in set_by]
        return ParameterSource("config", seed=cfg.seed, init=cfg.network.init, path=source, given=given,
                               set_by=tuple(set_by))
    return ParameterSource("init", seed=cfg.seed, init=cfg.network.init)


def _parse_weight(text: str | None) -> tuple[int, int] | None:
    from ..errors import ConfigError

    if text is None:
        return None
    parts = text.replace(" ", "").split(",")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise ConfigError(f"--weight: {typed(text)} must be two 0-based indices j,k (e.g. --weight 0,1)")
    return int(parts[0]), int(parts[1])


def _try_another(net: Any, ds: Any, row: int, result: Any) -> Any:
    """Where a training example gives a layer no weight gradient, the training example to try
    instead, by its number: --expand's note on a weight whose every chain ends in 0, and the warning
    of a layer whose input is all zeros (xor's example 0 is x = (0, 0)): 'try --example 1'."""
    import dataclasses

    from ..explain import MAX_SEARCHED_EXAMPLES, ZERO_INPUT_TRY, LayerExplanation, example_with_gradient

    def one(ex: Any) -> Any:
        e = ex.expansion
        if e is not None and e.all_zero:
            i = example_with_gradient(net, ds.X, ds.Y, ex.layer, tuple(r.j for r in ex.neurons), ex.inputs_shown,
                                      row)
            if i is not None:
                notes = (e.notes[0] + f" For a chain that is not 0, try --example {i}.", *e.notes[1:])
                ex = dataclasses.replace(ex, expansion=dataclasses.replace(e, notes=notes))
        warnings = []
        for w in ex.warnings:
            if w.kind == "zero_input" and ZERO_INPUT_TRY in w.message:
                l = w.layer
                i = example_with_gradient(net, ds.X, ds.Y, l, tuple(range(net.sizes[l])),
                                          tuple(range(net.sizes[l - 1])), row)
                if i is not None:
                    instead = f"try --example {i}, whose ∂C0/∂w^({l}) is not 0, or your own with --x and --y"
                else:  # another --example would not help: say so
                    some = "" if len(ds.X) <= MAX_SEARCHED_EXAMPLES else f" of the first {MAX_SEARCHED_EXAMPLES:,}"
                    instead = (f"no training example{some} gives a ∂C0/∂w^({l}) that is not 0 at these weights; "
                               f"try your own with --x and --y")
                w = dataclasses.replace(w, message=w.message.replace(ZERO_INPUT_TRY, instead))
            warnings.append(w)
        return dataclasses.replace(ex, warnings=tuple(warnings))

    return one(result) if isinstance(result, LayerExplanation) else tuple(one(ex) for ex in result)


def _raw_x(x: Any, standardizer: Any) -> Any:
    """x in the data's own units (None where it is as written): x·scale + mean gives the file's 1.3
    as 1.3000000000000003, so 15 significant digits, as written; digits of the larger of x·scale and
    mean, as the sum rounds at theirs: the file's 0 in a column of mean 0.725 is −0.725 + 0.725, which came
    out −1.11022e-16 (+ 0.0: a 0 is 0, not −0)."""
    import math

    import numpy as np

    if standardizer is None:
        return None
    moved = np.asarray(x, dtype=np.float64) * standardizer.scale
    out = []
    for t, m in zip(moved.tolist(), np.asarray(standardizer.mean, dtype=np.float64).tolist()):
        v, big = t + m, max(abs(t), abs(m))
        if big > 0 and math.isfinite(v):
            v = round(v, 14 - math.floor(math.log10(big))) + 0.0
        out.append(float(f"{v:.15g}"))
    return tuple(out)


def _class_name(ds: Any, y: Any, exact: bool = False) -> str | None:
    """The class of a classification y (None where its name is its index: "class 1" of y = (0, 1)
    adds nothing); ``exact``: only a one-hot y (or 0/1 of a single output) names one, as --y's
    numbers need not be."""
    import numpy as np

    if ds.task != "classification" or not ds.class_names:
        return None
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    if exact and not (np.isin(y, (0.0, 1.0)).all() and (y.shape[0] == 1 or y.sum() == 1)):
        return None
    from ..data import class_indices

    k = int(class_indices(y[None, :])[0])  # the rule accuracy and evaluate use (> 0.5 for one output)
    if k >= len(ds.class_names):
        return None
    return ds.class_names[k] if ds.class_names[k] != str(k) else None


def _own_origin(ds: Any, typed: Any, y: Any) -> Any:
    """The ExampleOrigin of --x and --y: ``typed``, --x's numbers as typed (None where the header's x is
    not standardized: it is they), not x standardized and back (x·scale + mean, whose rounding said a
    typed 1.234e-12 was 0), and the class --y names (a class name, or its one-hot numbers); None where
    that adds nothing."""
    from ..explain import ExampleOrigin

    raw, name = None if typed is None else tuple(float(v) for v in typed), _class_name(ds, y, exact=True)
    return None if raw is None and name is None else ExampleOrigin(None, None, raw, name)


def _origin(ds: Any, i: int, standardizer: Any) -> Any:
    """An ExampleOrigin: where row ``i`` of the training split ``ds`` comes from: a CSV file's line (the
    file relative to the current folder where it lies under it, else its name), x before
    data.standardize, a classification y's class."""
    from pathlib import Path

    from ..explain import ExampleOrigin

    file = line = None
    if ds.lines is not None:
        path = Path(ds.source)
        try:
            file = str(path.relative_to(Path.cwd()))
        except ValueError:  # its name: data.path says where it is, and a temporary folder's path is a line
            file = path.name
        line = int(ds.lines[i])
    return ExampleOrigin(file, line, _raw_x(ds.X[i], standardizer), _class_name(ds, ds.Y[i]))
