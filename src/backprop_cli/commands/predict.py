"""``backprop predict``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..wording import plural
from .common import boundary, echo, stdin_bytes, stdout

ModelArg = Annotated[
    Path,
    typer.Argument(help="A trained model: model.npz from `backprop train --out`.",
                   show_default=False, metavar="MODEL"),
]


def predict(
    model: ModelArg,
    input_csv: Annotated[
        Path,
        typer.Argument(
            help="CSV with a header row and the model's feature columns, found by name; other "
            "columns (the target, ids) are ignored. '-' reads standard input; a pipe or FIFO (<(...)) works too.",
            show_default=False,
            metavar="INPUT_CSV",
        ),
    ],
    out: Annotated[
        Optional[Path],
        typer.Option("--out", "-o", help="Write the predictions to this file (atomically; through a symlink to its target) instead of stdout; '-' is stdout."),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Allow --out to replace an existing file.")
    ] = False,
    json_out: Annotated[
        bool, typer.Option("--json", help="A JSON list of records, one per row, instead of CSV.")
    ] = False,
) -> None:
    """Apply a trained model to the rows of a CSV file.

    Reads the model's input columns by name and applies the standardization it was trained with. Classifiers give the predicted class and one probability per class (p_<class>; score_<class> for outputs that are not probabilities); regression gives one column per target.

    Example: [bold]backprop predict runs/iris/model.npz data/iris.csv --out predictions.csv[/]
    """
    with boundary():
        from ..model_io import load_model
        from ..prediction import model_schema, read_inputs
        from ..prediction import predict as run_model

        if out is not None and str(out) == "-":  # as INPUT_CSV '-' is standard input
            out = None
        saved = load_model(model)
        schema = model_schema(saved)
        if out is not None:
            _check_out(out, input_csv, model, overwrite)
        where = "<stdin>" if str(input_csv) == "-" else str(input_csv)
        if str(input_csv) == "-":
            stdin = stdin_bytes("INPUT_CSV '-'", "cat rows.csv | backprop predict model.npz -")
            X, lines = read_inputs(stdin, schema, name=where)
        else:
            X, lines = read_inputs(input_csv, schema)
        pred = run_model(saved, schema, X, where, lines)
        text = _json_lines(pred.records()) if json_out else pred.to_csv()
        if out is None:
            echo(text, nl=False)
            return
        _write(out, text)
        columns = ", ".join(pred.columns)
        from ..render import soft_wrap

        console = stdout()
        console.print(f"wrote {plural(pred.n_rows, 'prediction')} ({columns}) to {out}", highlight=False,
                      markup=False, soft_wrap=soft_wrap(console))


def _json_lines(records: list[dict[str, object]]) -> str:
    """A JSON list with one record per line."""
    return "[\n" + ",\n".join(json.dumps(r) for r in records) + "\n]\n"


def _check_out(out: Path, input_csv: Path, model: Path, overwrite: bool) -> None:
    from ..errors import ConfigError
    from ..model_io import write_target

    if out.is_dir():
        raise ConfigError(f"--out {out}: is a folder; give a file name such as {out / 'predictions.csv'}")
    # a FIFO, a device, /dev/stdout: not a file to replace
    write_target(out, f"--out {out}", "give a file name, or --out - (or no --out) for standard output")
    for other, what in ((input_csv, "the input file"), (model, "the model file")):
        if out.exists() and other.exists() and out.resolve() == other.resolve():
            raise ConfigError(f"--out {out}: is {what}; refusing to overwrite it")
    if out.exists() and not overwrite:
        raise ConfigError(f"--out {out}: already exists; refusing to overwrite it",
                          "pass --overwrite to replace it, or choose another file name")


def _write(out: Path, text: str) -> None:
    from ..errors import ConfigError
    from ..model_io import atomic_write_text

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(out, text)
    except OSError as e:
        raise ConfigError(f"--out {out}: cannot write: {e.strerror or e}") from None
