"""The command line: the Typer app and its commands (one module each in ``commands/``).

Domain errors cross into the CLI at one boundary (``commands.common.boundary``):
one line on stderr (plus an optional hint), exit 2 for bad usage/config/data/model,
1 for a failed check or a diverged run, 3 for an inconclusive gradient check.
"""

from __future__ import annotations

from typing import Annotated

import typer

from . import __version__
from .commands.explain import explain
from .commands.gradcheck import gradcheck
from .commands.train import train
from .commands.plot import plot
from .commands.predict import predict
from .commands.evaluate import evaluate
from .commands.config import config_app
from .commands.init import init

app = typer.Typer(
    name="backprop",
    help=(
        "Train, gradient-check and explain backpropagation in fully-connected neural networks.\n\n"
        "Every command takes an optional YAML config; with none it uses the built-in default "
        "(XOR, 2-3-1 sigmoid, squared error: seed 000's setting)."
    ),
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


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


app.command()(train)
app.command()(plot)
app.command()(predict)
app.command()(evaluate)
app.command()(init)
app.add_typer(config_app, name="config")
app.command()(explain)
app.command()(gradcheck)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
