"""``backprop predict``."""

import json
import os
import shlex
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..wording import plural
from .common import REFUSAL_JSON_HELP, boundary, echo, rows_not_yaml, stderr, stdin_bytes, typed_path

ModelArg = Annotated[
    Path,
    typer.Argument(help="A trained model: model.npz from `backprop train --out DIR`, or the folder DIR.",
                   show_default=False, metavar="MODEL", parser=typed_path),
]


def predict(
    model: ModelArg,
    input_csv: Annotated[
        Path,
        typer.Argument(
            help="CSV with a header row and the model's feature columns, found by name; other "
            "columns (the target, ids) are ignored, unless --keep copies them. '-' reads standard input; a pipe or FIFO (<(...)) works too. "
            "A header without data rows gives the output's header alone (exit 0).",
            show_default=False,
            metavar="INPUT_CSV",
            parser=typed_path,
        ),
    ],
    out: Annotated[
        Optional[str],  # as typed: Path() would drop a trailing "/" (a folder) and make "" into "."
        typer.Option("--out", "-o", metavar="FILE", help="Write the predictions to this file (atomically; through a symlink to its target) instead of stdout, and say so on stderr (stdout stays empty); '-' is stdout."),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Allow --out to replace an existing file.")
    ] = False,
    json_out: Annotated[
        bool, typer.Option("--json", help="A JSON list of records, one per row, instead of CSV. " + REFUSAL_JSON_HELP
                           + " (Not with --out FILE, which leaves stdout empty.)")
    ] = False,
    keep: Annotated[
        Optional[list[str]],
        typer.Option("--keep", "-k", metavar="COLUMN", show_default=False,
                     help="Copy this column of INPUT_CSV (an id, a name) to the output, before the predictions, "
                     "as text (a string in --json), exactly as read; repeat it for several (--keep id --keep "
                     "name), in that order. A column named as a prediction column (--keep price beside the "
                     "predicted price) is written as price_kept."),
    ] = None,
) -> None:
    """Apply a trained model to the rows of a CSV file.

    Reads the model's input columns by name and applies the standardization it was trained with. Classifiers give the predicted class and one probability per class (p_<class> from a sigmoid or softmax output; score_<class>, the outputs themselves, from any other); regression gives one column per target.

    Examples:
      [bold]backprop train configs/iris.yaml --out runs/iris[/]
      [bold]backprop predict runs/iris data/iris.csv --out predictions.csv[/]
      [bold]backprop predict runs/iris data/iris.csv --keep species --json[/]
    """
    # --json: a refusal as an object too, where the predictions would go to stdout (not with --out FILE)
    with boundary(json_refusal=json_out and out in (None, "-")):
        from ..model_io import load_model, model_file
        from ..prediction import (keep_columns, kept_columns, kept_names, model_schema, prediction_columns,
                                  read_inputs_keeping)
        from ..prediction import predict as run_model

        from ..errors import ConfigError, DataError, ModelFileError

        out_path = _out_path(out)
        keep_names = kept_names(keep or [])
        if overwrite and out_path is None:  # accepted and doing nothing: the predictions go to stdout
            raise ConfigError("--overwrite: needs --out FILE, a file it lets predict replace (without one the "
                              "predictions go to standard output)")
        given = str(model)  # as typed, for the hints that name a command to run (evaluate's hints do too)
        model = model_file(model)  # a run folder: its model.npz
        try:
            saved = load_model(model)
        except ModelFileError as e:  # 'backprop predict rows.csv model.npz': the two swapped
            swapped = input_csv.suffix.lower() == ".npz" or (input_csv / "model.npz").is_file()  # a run folder too
            if e.hint is None and model.suffix.lower() in (".csv", ".tsv", ".txt") and swapped:
                e.hint = f"the model comes first: backprop predict {shlex.quote(str(input_csv))} {shlex.quote(given)}"
            raise
        schema = model_schema(saved)
        kept_columns(keep_names, prediction_columns(saved, schema))  # a refused name, before the rows are read
        if out_path is not None:
            _check_out(out_path, input_csv, model, overwrite)
        where = "<stdin>" if str(input_csv) == "-" else str(input_csv)
        if str(input_csv) == "-":
            stdin = stdin_bytes("INPUT_CSV '-'", "cat rows.csv | backprop predict model.npz -")
            with rows_not_yaml(stdin, where, "predict reads the rows of a CSV file; to measure the model on a "
                               f"config's test split: backprop evaluate {shlex.quote(given)} --data CONFIG.yaml"):
                X, lines, kept = read_inputs_keeping(stdin, schema, keep_names, name=where)
        else:
            try:
                X, lines, kept = read_inputs_keeping(input_csv, schema, keep_names)
            except DataError as e:  # a config given for the rows: its comment line was read as a header
                suffix = input_csv.suffix.lower()
                if suffix in (".yaml", ".yml") and not input_csv.exists():  # no config to evaluate on either
                    if e.hint is None:
                        e.hint = f"predict reads the rows of a CSV file; a {suffix} file is a config, not rows of inputs"
                    raise
                if suffix in (".yaml", ".yml") and input_csv.is_file():  # not a folder named *.yaml
                    hint = (f"predict reads the rows of a CSV file; to measure the model on a config's test "
                            f"split: backprop evaluate {shlex.quote(given)} --data {shlex.quote(str(input_csv))}")
                    keys = _yaml_keys(input_csv)
                    if keys is not None:  # not 'the file has: # Iris (Fisher 1936): …', a comment as columns
                        raise DataError(f"{input_csv}: looks like a YAML config (keys {keys}), not a CSV file "
                                        "of rows", hint) from None
                    if e.hint is None:
                        e.hint = hint
                raise
        pred = keep_columns(run_model(saved, schema, X, where, lines), keep_names, kept)
        text = _json_lines(pred.records()) if json_out else pred.to_csv()
        for name, written in zip(keep_names, pred.kept_columns):
            if name != written:  # on stderr, as the note below: stdout holds data
                stderr().print(f"note: --keep {name}: written as {written}, beside the prediction column {name}",
                               markup=False, highlight=False, soft_wrap=True)
        if out_path is None:
            echo(text, nl=False, data=True)
            if pred.n_rows == 0:  # on stderr: stdout, perhaps piped on, holds just the header
                shape = "an empty JSON list" if json_out else "the header row only"
                stderr().print(f"note: {where} has no data rows; wrote {shape}", markup=False,
                               highlight=False, soft_wrap=True)
            return
        _write(out_path, text, overwrite)
        columns = ", ".join(pred.header)
        from ..render import soft_wrap

        console = stderr()  # what was written, not data: stdout stays empty (as for plot, init)
        console.print(f"wrote {plural(pred.n_rows, 'prediction')} ({columns}) to {out_path}", highlight=False,
                      markup=False, soft_wrap=soft_wrap(console))


def _yaml_keys(path: Path) -> str | None:
    """``data, network, training``: the top-level keys of ``path`` when it reads as a YAML mapping
    (a config, as one names its keys), else None (CSV text in a .yaml file, or not YAML at all)."""
    from ..config import MAX_CONFIG_BYTES, parse_yaml
    from ..errors import BackpropError
    from ..names import shown

    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            return None
        parsed = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError, BackpropError):
        return None
    if not isinstance(parsed, dict) or not parsed:
        return None
    names = [shown(k) for k in parsed]
    return ", ".join(names[:6]) + (", …" if len(names) > 6 else "")


def _json_lines(records: list[dict[str, object]]) -> str:
    """A JSON list with one record per line (``[]`` for none)."""
    if not records:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(r) for r in records) + "\n]\n"


def _out_path(out: str | None) -> Path | None:
    """--out as a file path; None for standard output (no --out, or '-' as INPUT_CSV's '-' is
    standard input). An empty name, or one ending in '/' (a folder), is refused."""
    from ..errors import ConfigError

    if out is None or out == "-":
        return None
    if not out.strip():
        raise ConfigError("--out: is empty; give a file name such as predictions.csv, or - for standard output")
    if out.endswith(("/", os.sep)):
        raise ConfigError(f"--out {out}: names a folder; give a file name such as {Path(out) / 'predictions.csv'}")
    return Path(out)


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
        raise _exists(out)


def _exists(out: Path) -> Exception:
    from ..errors import ConfigError

    return ConfigError(f"--out {out}: already exists; refusing to overwrite it",
                       "pass --overwrite to replace it, or choose another file name")


def _write(out: Path, text: str, overwrite: bool) -> None:
    """``text`` to ``out``, atomically; without ``overwrite`` a file another program wrote there
    since the start-up check is left alone and refused as that check refuses it."""
    from ..errors import ConfigError
    from ..model_io import atomic_write_text

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            atomic_write_text(out, text, replace=overwrite)
        except FileExistsError as e:
            if e.filename is not None and os.path.realpath(e.filename) == os.path.realpath(out):  # not a temp file's
                raise _exists(out) from None
            raise
    except OSError as e:
        from .common import not_a_folder

        raise ConfigError(f"--out {out}: cannot write: {not_a_folder(out.parent) or e.strerror or e}") from None
