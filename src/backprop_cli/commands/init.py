"""``backprop init``."""

import os
import shlex
from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import boundary, echo, not_a_folder, readable, stderr

DATASET_NAMES = ("xor", "circles", "moons", "spirals", "sine")  # scaffold.STARTERS, without importing it


def _as_typed(value: str) -> str:
    """NAME as typed (checked in :func:`init`); --help then calls its kind <path>, as CONFIG's, not <str>."""
    return value


_as_typed.__name__ = "path"


def _elsewhere(value: str, name: str) -> tuple[str | None, str | None]:
    """--dataset's note and hint for a data set that is not a built-in one: iris and digits ship as
    CSV files with their own configs, MNIST and the like are not shipped."""
    from ..config import NOT_SHIPPED, SHIPPED_CSVS
    from ..names import lookup

    if (shipped := lookup(value, {k: k for k in SHIPPED_CSVS})) is not None:
        copy = name if name.lower().endswith((".yaml", ".yml")) or name == "-" else name + ".yaml"
        how = f"cat configs/{shipped}.yaml" if copy == "-" else f"cp configs/{shipped}.yaml {shlex.quote(copy)}"
        return (f"{shipped} ships as a CSV file, data/{shipped}.csv, with its own config, configs/{shipped}.yaml",
                f"start from a copy of it (its data.path is relative to its folder): {how}")
    if (other := lookup(value, {k: k for k in NOT_SHIPPED})) is not None:
        return (f"{other} is not shipped and nothing is downloaded",
                "start from a built-in set and set data.path to a CSV or .npz file of it")
    return None, None


def _complete_dataset(incomplete: str) -> list[str]:
    """Shell completion of --dataset: the built-in data sets starting with what is typed."""
    return [name for name in DATASET_NAMES if name.startswith(incomplete.lower())]


def init(
    name: Annotated[
        str, typer.Argument(help="The config file to write ('.yaml' is added if missing); '-' writes it to "
                            "standard output.",
                            metavar="NAME", parser=_as_typed)
    ] = "backprop.yaml",
    dataset: Annotated[
        Optional[str],
        typer.Option(
            "--dataset", "-d",
            help=f"The built-in data set to start from: {', '.join(DATASET_NAMES)}. Default: NAME's stem "
            "when it is one of them (backprop init spirals), else circles.",
            show_default=False, metavar="DATASET", autocompletion=_complete_dataset,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", "--overwrite",
                                        help="Overwrite NAME if it exists (--overwrite, as train and predict "
                                        "call it, works too).")] = False,
) -> None:
    """Write a commented starter config that trains as written, and say (on stderr) the command to train it.

    Each field has a comment saying what it does and what it allows; the network, cost and learning rate are ones that fit the data set chosen.

    Example:
      [bold]backprop init mine.yaml --dataset spirals[/]
    """
    with boundary():
        from ..errors import ConfigError
        from ..model_io import atomic_write_text, write_target
        from ..names import canonical_name, choose, shown
        from ..scaffold import STARTERS, starter_text

        given = name  # as typed: Path() would drop a trailing "/" and make "" into "."
        if not given.strip():
            raise ConfigError("NAME: is empty; give a file name such as backprop.yaml")
        if given != given.strip():  # "mine.yaml " wrote 'mine.yaml .yaml', " - " a file ' - .yaml', not stdout
            raise ConfigError(f"NAME {shown(given)}: begins or ends with a blank, which the file's name would keep; "
                              f"give {shown(given.strip())}")
        if given.endswith(("/", os.sep)) or Path(given).is_dir():
            folder = Path(given)
            raise ConfigError(f"{given}: names a folder; give a file name such as {folder / 'backprop.yaml'}")
        target = Path(given)
        if dataset is None:
            dataset = canonical_name(target.stem, STARTERS) or "circles"
        dataset = choose(dataset, "--dataset", tuple(STARTERS), explain=lambda value: _elsewhere(value, given))
        if given == "-":  # the config on stdout, for a pipe (init - -d xor | sed … | backprop train -)
            echo(starter_text(dataset, f"{dataset}.yaml"), nl=False, data=True)
            return
        path = target if target.suffix.lower() in (".yaml", ".yml") else target.with_name(target.name + ".yaml")
        if path.is_dir():
            raise ConfigError(f"{path}: is a folder; give a file name such as {path / 'backprop.yaml'}")
        write_target(path)  # a FIFO or a device is never replaced by a file
        if path.exists() and not force:
            raise ConfigError(f"{path}: already exists; refusing to overwrite it", "pass --force (or --overwrite) to replace it")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)  # as `train --out` does
        except OSError as e:
            why = not_a_folder(path.parent) or e.strerror or e
            raise ConfigError(f"{path}: cannot create the folder {path.parent}: {why}") from None
        try:
            # the name in the file's comments: one that is not UTF-8 could not be written in a UTF-8 file
            # without --force, a NAME written meanwhile (another init, make -j) is refused, not replaced
            atomic_write_text(path, starter_text(dataset, readable(shlex.quote(str(path)))), replace=force)
        except FileExistsError:
            raise ConfigError(f"{path}: already exists (written while this config was being made); refusing to "
                              "overwrite it", "pass --force (or --overwrite) to replace it") from None
        except OSError as e:
            raise ConfigError(f"{path}: cannot write: {e.strerror or e}") from None
        from ..render import soft_wrap

        out = stderr()  # what was written and what to do next, not data: stdout stays empty
        out.print(f"wrote {path}: {STARTERS[dataset].description}", highlight=False, markup=False,
                  soft_wrap=soft_wrap(out))
        out.print(f"next: backprop train {shlex.quote(str(path))}", highlight=False, markup=False, soft_wrap=True)
