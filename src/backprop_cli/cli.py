"""The command line: each command parses its options, calls the core, renders.

Domain errors cross into the CLI at one boundary (``_boundary``): one line on
stderr (plus an optional hint), exit 2 for bad usage/config/data, 1 for a failed
check or a diverged run. Heavy modules (numpy and the core) are imported inside the
commands so that ``backprop --help`` starts fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console

from . import __version__

app = typer.Typer(
    name="backprop",
    help=(
        "Train, gradient-check and explain backpropagation in fully-connected neural networks.\n\n"
        "Every command takes an optional YAML config; with none it uses the built-in default "
        "(XOR, 2-3-1 sigmoid, squared error: seed 000's setting)."
    ),
    no_args_is_help=False,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

ConfigArg = Annotated[
    Optional[Path],
    typer.Argument(help="YAML config file. Omit to use the built-in default (XOR).", show_default=False),
]


def _stdout() -> Console:
    return Console(highlight=False)


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


@contextmanager
def _boundary() -> Iterator[None]:
    """Turn our errors into one line on stderr and an exit code; no traceback."""
    from .errors import BackpropError

    try:
        yield
    except BackpropError as e:
        err = _stderr()
        err.print(f"[bold red]error:[/] {_escape(e.message)}")
        if e.hint:
            err.print(f"[dim]hint:[/] {_escape(e.hint)}")
        raise typer.Exit(code=e.exit_code) from None


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"backprop-cli {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Train, gradient-check and explain backpropagation in fully-connected neural networks."""


@app.command()
def train(
    config: ConfigArg = None,
    epochs: Annotated[Optional[int], typer.Option("--epochs", help="Override training.epochs.", min=1)] = None,
    learning_rate: Annotated[
        Optional[float], typer.Option("--learning-rate", "--lr", help="Override training.learning_rate (η).")
    ] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Override the config's seed.", min=0)] = None,
    out: Annotated[
        Optional[Path],
        typer.Option("--out", help="Folder for model.npz, metrics.csv and the resolved config.yaml."),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Allow --out to replace a previous run's files.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar: a plain line every N epochs.")] = False,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the final summary as one JSON object on stdout.")
    ] = False,
) -> None:
    """Train a network with mini-batch gradient descent, W ← W − η ∂C/∂W.

    Shows progress (a bar on a terminal, plain lines otherwise) and a summary table with the final train/test cost and accuracy.

    Example: [bold]backprop train configs/iris.yaml --out runs/iris[/]
    """
    with _boundary():
        from .config import load_config
        from .experiment import prepare
        from .model_io import save_run
        from .render.train import TrainProgress, print_summary, summary_dict
        from .training import train as run_training

        overrides: dict[str, Any] = {}
        if epochs is not None:
            overrides["training.epochs"] = epochs
        if learning_rate is not None:
            overrides["training.learning_rate"] = learning_rate
        if seed is not None:
            overrides["seed"] = seed
        cfg = load_config(config, overrides)
        if out is not None:
            _check_out_dir(out, overwrite)
        exp = prepare(cfg)
        console = _stderr() if json_out else _stdout()
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
    from .errors import ConfigError

    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out}: exists and is not a folder")
    if out.is_dir() and (out / "model.npz").exists() and not overwrite:
        raise ConfigError(
            f"--out {out}: already holds a previous run (model.npz); refusing to overwrite it",
            "pass --overwrite to replace it, or choose another folder",
        )


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
