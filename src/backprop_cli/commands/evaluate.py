"""``backprop evaluate``."""

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import JsonOpt, boundary, echo, stdin_bytes, stdout, typed_path
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
            "from Python arrays without a config has none: give --data).",
            show_default=False,
            parser=typed_path,
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Measure a trained model: cost and accuracy, per-class precision/recall/F1 and the confusion matrix (classifiers), or MSE, MAE and R² per output (regression).

    Inputs are standardized with the model's stored scaling. The cost of a model trained with training.l2 includes the penalty (λ/2)Σ‖w‖² of its weights, shown on the row under it.

    Example: [bold]backprop evaluate runs/iris/model.npz[/]
    """
    with boundary():
        from ..evaluation import evaluate as run_evaluation
        from ..evaluation import evaluation_data
        from ..model_io import load_model, model_file
        from ..prediction import model_schema
        from ..render.evaluate import evaluation_dict, print_evaluation

        model = model_file(model)  # a run folder: its model.npz, named as such in the report
        saved = load_model(model)
        schema = model_schema(saved)
        if data is not None and str(data) == "-":
            from ..evaluation import csv_dataset

            stdin = stdin_bytes("--data '-'", "cat rows.csv | backprop evaluate model.npz --data -")
            (ds, lines), split = csv_dataset(saved, schema, stdin, name="<stdin>"), "file"
        else:
            ds, split, lines = evaluation_data(saved, schema, data)
        ev = run_evaluation(saved, schema, ds, split, model_name=str(model), lines=lines)
        if json_out:
            echo(json.dumps(evaluation_dict(ev)), data=True)
        else:
            print_evaluation(stdout(), ev)
