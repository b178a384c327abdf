"""``backprop train``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import ConfigArg, JsonOpt, SeedOpt, SetOpt, boundary, load, stderr, stdout


def train(
    config: ConfigArg = None,
    epochs: Annotated[Optional[int], typer.Option("--epochs", help="Override training.epochs.", min=1)] = None,
    learning_rate: Annotated[
        Optional[float], typer.Option("--learning-rate", "--lr", help="Override training.learning_rate (η).")
    ] = None,
    seed: SeedOpt = None,
    out: Annotated[
        Optional[Path],
        typer.Option("--out", help="Folder for model.npz, metrics.csv and the resolved config.yaml."),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Allow --out to replace a previous run's files.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar: a plain line every N epochs.")] = False,
    json_out: JsonOpt = False,
    sets: SetOpt = None,
) -> None:
    """Train a network with mini-batch gradient descent, W ← W − η ∂C/∂W.

    Shows progress (a bar on a terminal, plain lines otherwise) and a summary table with the final train/test cost and accuracy.

    Example: [bold]backprop train configs/iris.yaml --out runs/iris[/]
    """
    with boundary():
        from ..experiment import prepare
        from ..model_io import save_run
        from ..render.train import TrainProgress, print_summary, summary_dict
        from ..training import train as run_training

        cfg = load(config, {"training.epochs": epochs, "training.learning_rate": learning_rate, "seed": seed}, sets)
        if out is not None:
            _check_out_dir(out, overwrite)
        exp = prepare(cfg)
        console = stderr() if json_out else stdout()
        t = cfg.training
        bar = console.is_terminal and not quiet and not json_out
        with TrainProgress(console, t.epochs, bar=bar, every=t.log_every) as progress:
            result = run_training(
                exp.net, exp.train, exp.test,
                learning_rate=t.learning_rate, epochs=t.epochs, batch_size=t.batch_size,
                shuffle=t.shuffle, rng=exp.streams.shuffle, callback=progress,
            )
        if out is not None:
            save_run(out, exp, result.history)
        if json_out:
            typer.echo(json.dumps(summary_dict(exp, result, out)))
        else:
            print_summary(console, exp, result, out)


def _check_out_dir(out: Path, overwrite: bool) -> None:
    from ..errors import ConfigError

    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out}: exists and is not a folder")
    if out.is_dir() and (out / "model.npz").exists() and not overwrite:
        raise ConfigError(
            f"--out {out}: already holds a previous run (model.npz); refusing to overwrite it",
            "pass --overwrite to replace it, or choose another folder",
        )
