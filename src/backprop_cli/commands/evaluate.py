"""``backprop evaluate``."""

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import JsonOpt, boundary, echo, rows_not_yaml, stderr, stdin_bytes, stdout, typed_path
from .predict import ModelArg


def evaluate(
    model: ModelArg,
    data: Annotated[
        Optional[Path],
        typer.Option(
            "--data",
            metavar="CONFIG_OR_CSV",
            help="Evaluate on a YAML config's test split, or on every row of a CSV file (also "
            "tab-separated, named .tsv or .txt; the model's feature and target columns, by name); '-' reads the CSV from standard input, "
            "and a pipe or FIFO (<(...)) is read as CSV. "
            "Default: the model's own test split, rebuilt from its stored config and seed (a model saved "
            "from Python arrays without a config has none: give --data). Rows the model was trained on "
            "(equal, inputs and target, to a row of its training or validation split) are counted: a "
            "warning on stderr, n_seen_in_training in --json.",
            show_default=False,
            parser=typed_path,
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Measure a trained model: cost and accuracy, per-class precision/recall/F1 and the confusion matrix (classifiers), or MSE, MAE and R² per output (regression).

    Inputs are standardized with the model's stored scaling. The cost of a model trained with training.l2 includes the penalty (λ/2)Σ‖w‖² of its weights, shown on the row under it.

    Examples:
      [bold]backprop train configs/iris.yaml --out runs/iris[/]
      [bold]backprop evaluate runs/iris[/]  # on its own test split
      [bold]backprop evaluate runs/iris --data data/iris.csv --json[/]
    """
    with boundary(json_refusal=json_out):  # --json: a refusal as an object too
        from ..evaluation import evaluate as run_evaluation
        from ..evaluation import evaluation_rows
        from ..model_io import load_model, model_file
        from ..prediction import model_schema
        from ..render import print_note
        from ..render.evaluate import evaluation_dict, print_evaluation, seen_warning

        given = str(model)  # as typed: the --json "model" field, which a script matches with its own
        model = model_file(model)  # a run folder: its model.npz, named as such in the report
        saved = load_model(model)
        schema = model_schema(saved)
        stdin = None
        if data is not None and str(data) == "-":
            stdin = stdin_bytes("--data '-'", "cat rows.csv | backprop evaluate model.npz --data -")
        if stdin is not None:  # a config piped in: said so, not its first comment line as the header
            import shlex

            with rows_not_yaml(stdin, "<stdin>", "--data - reads the rows of a CSV file; a config's test split is "
                               f"read from its file: backprop evaluate {shlex.quote(given)} --data CONFIG.yaml"):
                found = evaluation_rows(saved, schema, None, stdin)
        else:
            found = evaluation_rows(saved, schema, data, None)
        ev = run_evaluation(saved, schema, found.ds, found.split, model_name=str(model), lines=found.lines,
                            seen=found.seen, raw=found.raw)
        warning = seen_warning(ev, given, own=data is None or found.own)
        if warning is not None:
            print_note(stderr(), warning)
        if json_out:
            echo(json.dumps(evaluation_dict(ev, model=given)), data=True)
        else:
            print_evaluation(stdout(), ev)
