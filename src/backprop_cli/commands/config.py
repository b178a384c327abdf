"""``backprop config show`` and ``backprop config validate``."""

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from .common import ConfigArg, SetOpt, boundary, echo, load, set_value_taken_for_config, stderr, stdout, typed_path

config_app = typer.Typer(
    name="config",
    help=("Show the fully resolved config, or check one (including its data) before training.\n\n"
          "config show prints a config with every default filled in, itself a config to train; config validate "
          "checks one, its data included, before a long run (exit 0 valid, 2 not).\n\n"
          "Examples:\n"
          "  [bold]backprop config show configs/iris.yaml --set training.epochs=50 > mine.yaml[/]\n"
          "  [bold]backprop config validate mine.yaml[/]"),
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


#: The sections of a config: an error's message starting with one of them (``training.epochs: …``,
#: ``network.layers[1]: …``) names the field at fault.
_FIELD = re.compile(r"(?:--set )?((?:seed|cost|data|network|training)(?:\.[A-Za-z_]\w*)*(?:\[-?\d+\])*)(?=: | \()")
_LINE = re.compile(r"YAML error \(line (\d+), column (\d+)\)")
#: A --set's key as its message names it: ``--set foo: …``, ``--set training.epochs= has no VALUE``.
_SET_KEY = re.compile(r"--set ([^\s:=]+)(?=: |= )")
#: A config's unknown top-level key as its message names it: ``foo: unknown key foo; allowed: …``.
_UNKNOWN_KEY = re.compile(r"([^\s:]+): unknown key ")
#: The message of a --set that is no KEY=VALUE (``--set foo``): what it names is no field.
_NO_KEY = ": expected KEY.PATH=VALUE"


def error_record(message: str, hint: str | None, name: str | None, field_message: str | None = None,
                 at_fault: str | None = None) -> dict[str, Any]:
    """One entry of ``validate --json``'s "errors": the message (and hint) as the error line says
    them, the config field at fault ("field", null when the error is not one field's: a YAML
    syntax error, a data file's row) and, for a YAML error, its "line" and "column".
    ``field_message``: the message as the field says it, where the message names a --set first.
    ``at_fault``: the field the error was raised for (``BackpropError.field``), where the message
    does not start with it (``network.layers [2, 100000, 1]: …``, ``…/iris.csv: target column foo
    (data.target) not found``)."""
    rest = field_message if field_message else message.removeprefix(f"{name}: ") if name else message
    field = _FIELD.match(rest)
    typed = _SET_KEY.match(rest)  # another key a --set names (`--set foo=1`: unknown section foo)
    unknown = _UNKNOWN_KEY.match(rest)  # a file's unknown top-level key, named as --set foo=1's is
    key = field.group(1) if field else typed.group(1) if typed else at_fault if at_fault else \
        unknown.group(1) if unknown else None
    if _NO_KEY in rest and key is not None:  # `--set foo`, `--set training`: a field only if it is one
        from ..config import field_paths

        key = key if key in field_paths() else None
    record: dict[str, Any] = {"field": key, "message": message, "hint": hint}
    line = _LINE.search(message)
    if line:
        record.update(line=int(line.group(1)), column=int(line.group(2)))
    return record


def refusal_json(message: str, hint: str | None, name: str | None, field_message: str | None = None,
                 at_fault: str | None = None, more: tuple[Any, ...] = ()) -> str:
    """The object of a ``validate --json`` that finds an error (exit 2): valid false, the error, and
    ``more`` (``BackpropError``s: the others found in the same pass) after it."""
    errors = [error_record(message, hint, name, field_message, at_fault),
              *(error_record(e.message, e.hint, name, e.field_message, e.field) for e in more)]
    return json.dumps({"valid": False, "file": name, "summary": None, "errors": errors, "notes": [],
                       "warnings": []})


@contextmanager
def _invalid_as_json(enabled: bool, name: str | None) -> Iterator[None]:
    """With --json, an invalid config also writes :func:`refusal_json` on stdout; the error line
    on stderr and the exit status stay ``boundary``'s."""
    from ..errors import BackpropError, OutputError
    from .common import refusal_document

    try:
        yield
    except BackpropError as e:
        if enabled and e.exit_code == 2 and not isinstance(e, OutputError):  # stdout cannot take it
            first, *more = getattr(e, "errors", (e,))  # every one found (errors.ConfigErrors)
            refusal_document(refusal_json(first.message, first.hint, name, first.field_message, first.field,
                                          tuple(more)))
        raise


@config_app.command()
def validate(
    config: Annotated[Path, typer.Argument(help="The YAML config file to check; '-' reads it from standard input.", show_default=False, metavar="CONFIG",
                                                  parser=typed_path)],
    sets: SetOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as one JSON object on stdout: valid (true or false), file, summary, errors (every one found, each with its field, message and hint), notes and warnings; the exit status is the same (0 valid, 2 not).")] = False,
) -> None:
    """Check a config: its keys and values, and that its data loads and fits network.layers.

    Prints "CONFIG: valid (…)" with a one-line summary and exits 0, or prints the errors and exits 2: every field whose own value is wrong (its type, its range, an unknown key, a name none of those allowed), in the file's order then the --sets', one error line each, and a clash between fields only where it is the first error the check meets (the fields it reads passed their own checks; a later clash could follow from a bad value); data that do not fit the layers only when nothing else is wrong. A warning on stderr says when training targets lie beyond the output activation's range (a squared error over sigmoid's (0, 1), say): for regression use network.output_activation: linear; and when the schedule takes η below 1e-12·η0 by the last epoch (training.gamma: 0.5 every 10 epochs of 2,000 does by epoch 401), the epochs after that barely moving the weights. A note says when early stopping would watch the test split (no data.validation_fraction), and when data.task: auto read a target of whole numbers as classes under an output that is not sigmoid or softmax (-1/1 under tanh trains as 0/1: data.task: regression keeps the values), or several target columns as classes, every row being one-hot. The summary lists the classes when there are at most 10. With --json, one object on stdout instead, for a script, valid or not (the warnings, the notes and the error lines stay on stderr too).

    Examples:
      [bold]backprop config validate configs/iris.yaml[/]
      [bold]backprop config validate mine.yaml --json[/]
    """
    given = "<stdin>" if str(config) == "-" else str(config)  # as its errors and train --json call it
    if set_value_taken_for_config(sets, config) is not None:  # --set training.epochs 5: '5' is no file
        given = None
    with boundary(), _invalid_as_json(json_out, given):
        from ..experiment import prepare
        from ..scaffold import summary

        cfg = load(config, sets=sets, every=True)  # every field's own error, not only the first
        exp = prepare(cfg, training_dtype=True)  # as train holds its data: float32 range too
        from ..config import early_stopping_note, unused_settings

        from ..render import print_note, soft_wrap

        name = cfg.source if str(config) == "-" else config  # <stdin>, as its errors and train --json call it
        line = f"{name}: valid ({summary(exp)})"
        notes = [note for note in [*unused_settings(exp.config), early_stopping_note(exp.config)] if note is not None]
        from ..experiment import auto_classes_note, class_per_row_note, one_hot_note, target_range_warning

        notes += [note for note in (auto_classes_note(exp.config, exp.train), one_hot_note(exp.config, exp.train),
                                    class_per_row_note(exp)) if note is not None]  # train's notes, in its order
        from ..training import schedule_warning

        warnings = [w for w in (target_range_warning(exp.config, exp.train), schedule_warning(exp.config.training))
                    if w is not None]  # train's, in its order
        if json_out:
            val = getattr(exp, "val", None)
            echo(json.dumps({"valid": True, "file": str(name), "summary": summary(exp), "errors": [], "notes": notes,
                             "warnings": warnings, "layers": list(exp.config.network.layers),
                             "examples": {"train": exp.train.n_samples,
                                          "validation": None if val is None else val.n_samples,
                                          "test": None if exp.test is None else exp.test.n_samples}}), data=True)
        else:
            out = stdout()
            out.print(line, highlight=False, markup=False, soft_wrap=soft_wrap(out))
        for note in notes:
            print_note(stderr(), f"note: {note}")
        for warning in warnings:
            print_note(stderr(), f"warning: {warning}")
