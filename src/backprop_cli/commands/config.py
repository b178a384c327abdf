"""``backprop config show`` and ``backprop config validate``."""

from pathlib import Path
from typing import Annotated

import typer

from .common import ConfigArg, SetOpt, boundary, echo, load, stderr, stdout, typed_path

config_app = typer.Typer(
    name="config",
    help="Show the fully resolved config, or check one (including its data) before training.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


@config_app.command()
def show(config: ConfigArg = None, sets: SetOpt = None) -> None:
    """Print the resolved config as YAML: every key, with the defaults filled in.

    The output is itself a valid config (save it and train it); --set overrides are applied.

    Example:
      [bold]backprop config show configs/iris.yaml --set training.epochs=50 > mine.yaml[/]
    """
    with boundary():
        from ..scaffold import resolved_yaml

        echo(resolved_yaml(load(config, sets=sets)), nl=False, data=True)


@config_app.command()
def validate(
    config: Annotated[Path, typer.Argument(help="The YAML config file to check; '-' reads it from standard input.", show_default=False, metavar="CONFIG",
                                                  parser=typed_path)],
    sets: SetOpt = None,
) -> None:
    """Check a config: its keys and values, and that its data loads and fits network.layers.

    Prints "CONFIG: valid (…)" with a one-line summary and exits 0, or prints the error and exits 2. A warning on stderr says when training targets lie beyond the output activation's range (a squared error over sigmoid's (0, 1), say): for regression use network.output_activation: linear. A note says when early stopping would watch the test split (no data.validation_fraction), and when data.task: auto read a target of whole numbers as classes under an output that is not sigmoid or softmax (-1/1 under tanh trains as 0/1: data.task: regression keeps the values). The summary lists the classes when there are at most 10.

    Example:
      [bold]backprop config validate configs/iris.yaml[/]
    """
    with boundary():
        from ..experiment import prepare
        from ..scaffold import summary

        cfg = load(config, sets=sets)
        exp = prepare(cfg, training_dtype=True)  # as train holds its data: float32 range too
        from ..config import early_stopping_note, unused_settings

        from ..render import print_note, soft_wrap

        out = stdout()
        name = cfg.source if str(config) == "-" else config  # <stdin>, as its errors and train --json call it
        out.print(f"{name}: valid ({summary(exp)})", highlight=False, markup=False, soft_wrap=soft_wrap(out))
        for note in [*unused_settings(exp.config), early_stopping_note(exp.config)]:
            if note is not None:
                print_note(stderr(), f"note: {note}")
        from ..experiment import auto_classes_note, class_per_row_note, target_range_warning

        if (recoded := auto_classes_note(exp.config, exp.train)) is not None:
            print_note(stderr(), f"note: {recoded}")
        if (per_row := class_per_row_note(exp)) is not None:
            print_note(stderr(), f"note: {per_row}")
        if (unreachable := target_range_warning(exp.config, exp.train)) is not None:
            print_note(stderr(), f"warning: {unreachable}")
