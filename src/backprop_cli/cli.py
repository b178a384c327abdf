"""The command line: the Typer app and its commands (one module each in ``commands/``).

Domain errors cross into the CLI at one boundary (``commands.common.boundary``):
one line on stderr (plus an optional hint), exit 2 for bad usage/config/data/model,
1 for a failed check or a diverged run, 3 for a check left inconclusive (ReLU kinks; gradcheck's entries no step resolves);
a stop signal's own: 130 (Ctrl-C), 143 (SIGTERM), 129 (SIGHUP), 141 (a closed pipe). docs/architecture.md
lists them per command.
"""

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

if TYPE_CHECKING:
    from rich.text import Text

from . import __version__
from .commands.common import stderr
from .names import shown
from .commands.explain import explain
from .commands.gradcheck import gradcheck
from .commands.train import train
from .commands.plot import plot
from .commands.predict import predict
from .commands.evaluate import evaluate
from .commands.config import config_app
from .commands.init import init


def _flags_without_a_type() -> None:
    """typer 0.29's help labels every on/off flag ``<bool>`` (``--quiet <bool>``, ``--help <bool>``),
    which reads as if the flag took a value (``--quiet true`` is then an error). Flags get no
    label, as in earlier typer versions; a version without this method is left alone."""
    from typer import core

    option = getattr(core, "TyperOption", None)
    labelled = getattr(option, "display_type_rich", None)
    if option is None or labelled is None or getattr(labelled, "_flags_unlabelled", False):
        return

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        return None if getattr(self, "is_flag", False) else labelled(self, ctx)

    display_type_rich._flags_unlabelled = True  # type: ignore[attr-defined]
    option.display_type_rich = display_type_rich


_flags_without_a_type()


def _numbers_named_as_errors_say() -> None:
    """--help labels a number option as click names its type, ``<int range> [x>=1]`` or
    ``<float range> [x>0]``; it is ``<whole number> [x>=1]`` or ``<number> [x>0]``, the words of
    the option's errors and of a config's (``--epochs: abc is not a whole number; …``)."""
    from typer import core

    option = getattr(core, "TyperOption", None)
    labelled = getattr(option, "make_metavar", None)
    if option is None or labelled is None or getattr(labelled, "_numbers_named", False):
        return

    def make_metavar(self: Any, *args: Any, **kwargs: Any) -> str:
        classes = {c.__name__ for c in type(self.type).__mro__}
        if self.metavar is None and getattr(self, "nargs", 1) == 1 and classes & {"IntParamType", "FloatParamType"}:
            return "<whole number>" if "IntParamType" in classes else "<number>"
        return labelled(self, *args, **kwargs)  # type: ignore[no-any-return]

    make_metavar._numbers_named = True  # type: ignore[attr-defined]
    option.make_metavar = make_metavar


_numbers_named_as_errors_say()


def _fold_help_cells() -> None:
    """typer's --help tables cut a cell that does not fit with an ellipsis: at 50 columns (a
    projector's large font) ``--learning-…``, ``--checkpoin…`` and ``training.e…``, and at 80
    columns train's --set help ended ``training.learning_rate…``. A cell folds onto the next line
    instead, so every character of an option's name and help is shown; a version of typer whose
    help has no such tables is left alone."""
    from typer import rich_utils

    table = getattr(rich_utils, "Table", None)
    if table is None or getattr(table, "_folds", False):
        return

    class FoldingTable(table):  # type: ignore[misc, valid-type]
        _folds = True

        def add_row(self, *renderables: Any, **kwargs: Any) -> None:
            super().add_row(*renderables, **kwargs)
            for column in self.columns:
                column.overflow = "fold"

    rich_utils.Table = FoldingTable  # type: ignore[misc]
    helped = getattr(rich_utils, "_get_parameter_help", None)
    if helped is None:
        return

    def parameter_help(*args: Any, **kwargs: Any) -> Any:  # its Text pieces sit in a grid of their own
        renderable = helped(*args, **kwargs)
        for item in getattr(renderable, "renderables", ()):
            if hasattr(item, "overflow") and getattr(item, "overflow", None) is None:
                item.overflow = "fold"
        return renderable

    rich_utils._get_parameter_help = parameter_help


#: A help's example line: its indent, ``backprop …``, and the comment after it (``# …``), if any.
_EXAMPLE = re.compile(r"( +)(backprop (?:[^#]*[^#\s])?)(?:(\s+)(#.*))?")


def _example_units(command: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces of an example's command line that stay on one line: ``backprop``
    with its command words (``backprop config show``), an option with its value (``--layer L``,
    ``--set training.epochs=50``), a redirection with its file (``> mine.yaml``), else a word."""
    words = [m.span() for m in re.finditer(r"\S+", command)]
    units: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        a, b = words[i]
        word = command[a:b]
        if i == 0:
            while i + 1 < len(words) and re.fullmatch(r"[a-z]+", command[words[i + 1][0]:words[i + 1][1]]):
                i += 1
        elif (word.startswith("-") or word in (">", ">>", "<", "|")) and i + 1 < len(words) \
                and not command[words[i + 1][0]:].startswith("-"):
            i += 1
        units.append((a, words[i][1]))
        i += 1
    return units


def _help_examples_broken(text: "Text", width: int) -> "Text":
    """``text`` (a command's help) with each example line wider than ``width`` columns broken as a
    shell line is: between the pieces of its command (:func:`_example_units`), each line but the last
    ending ``\\``, the next ones indented 4 columns more (a lone flag on the last takes the piece before
    it along), so that every line still reads as a part of the one command and the lines copied
    together run it; its comment, where it does not fit after
    the command, goes under it as a comment line (``#`` again on each line it takes, no word alone
    on its last). rich wrapped an example as prose, its next line at column 0: at 72 columns gradcheck's
    ``… examples/backward.py:backward --layer`` over ``L``, and explain's ``--format`` over ``markdown``.
    The lines of an "Example(s):" paragraph that start ``backprop`` are examples; the rest is left as it is."""
    from rich.cells import cell_len
    from rich.text import Text

    lines = text.split("\n", allow_blank=True)
    out: list[Text] = []
    examples = False
    for line in lines:
        plain = line.plain
        if plain.strip() in ("Example:", "Examples:"):
            examples = True
        elif not plain.strip():
            examples = False
        m = _EXAMPLE.fullmatch(plain.rstrip()) if examples else None
        if m is None or cell_len(plain.rstrip()) <= width:
            out.append(line)
            continue
        indent, start = len(m.group(1)), m.start(2)
        hang = " " * (indent + 4)
        pieces: list[Text] = []
        for a, b in _example_units(m.group(2)):  # a piece too wide for a line of its own: its words
            piece = line[start + a:start + b]
            fits = len(hang) + piece.cell_len + 2 <= width or " " not in piece.plain
            pieces += [piece] if fits else [w for w in piece.split(" ") if w.plain]
        rows: list[list[Text]] = [[]]
        for k, piece in enumerate(pieces):
            used = (indent if len(rows) == 1 else len(hang)) + sum(p.cell_len + 1 for p in rows[-1])
            more = 2 if k < len(pieces) - 1 else 0  # room for the " \" that ends a line the next piece goes on
            if rows[-1] and used + piece.cell_len + more > width:
                rows.append([])
            rows[-1].append(piece)
        if len(rows) > 2 and len(rows[-1]) == 1 and " " not in rows[-1][0].plain and len(rows[-2]) > 1 \
                and len(hang) + sum(p.cell_len + 1 for p in rows[-2][-1:] + rows[-1]) - 1 <= width:
            rows[-1].insert(0, rows[-2].pop())  # a flag not alone on the last line: "--keep species --json"
        broken = [Text(" " * indent if n == 0 else hang) + Text(" ").join(row) + Text(" \\" if n < len(rows) - 1 else "")
                  for n, row in enumerate(rows)]
        if m.group(4):
            comment = line[m.start(4):len(plain.rstrip())]
            if broken[-1].cell_len + len(m.group(3)) + comment.cell_len <= width:
                broken[-1] = broken[-1] + line[m.start(3):m.end(3)] + comment
            else:  # on lines of its own under the command, each a comment
                words = [w for w in comment[1:].split(" ") if w.plain]
                room = max(1, width - len(hang) - 2)
                said: list[list[Text]] = [[]]
                for w in words:
                    if said[-1] and sum(x.cell_len + 1 for x in said[-1]) + w.cell_len > room:
                        said.append([])
                    said[-1].append(w)
                if len(said) > 1 and len(said[-1]) == 1 and len(said[-2]) > 1 \
                        and sum(x.cell_len + 1 for x in said[-2][-1:] + said[-1]) - 1 <= room:
                    said[-1].insert(0, said[-2].pop())  # no word alone on the comment's last line
                broken += [Text(hang) + Text("# ") + Text(" ").join(row) for row in said]
        out += broken
    return Text("\n").join(out)


class _HelpWithExamples:
    """A help's text, its examples broken by :func:`_help_examples_broken` at the width it is printed at."""

    def __init__(self, text: "Text") -> None:
        self.text = text

    def _at(self, width: int) -> "Text":
        return _help_examples_broken(self.text, width)

    def __rich_console__(self, console: Any, options: Any) -> Any:
        yield self._at(options.max_width)

    def __rich_measure__(self, console: Any, options: Any) -> Any:
        return self._at(options.max_width).__rich_measure__(console, options)


def _examples_kept_whole() -> None:
    """typer's help text (the paragraphs under the usage line) laid out by :class:`_HelpWithExamples`;
    a typer without that function, or whose help text is no group of rich Texts, is left alone."""
    from rich.text import Text
    from typer import rich_utils

    helped = getattr(rich_utils, "_get_help_text", None)
    if helped is None or getattr(helped, "_examples_whole", False):
        return

    def help_text(*args: Any, **kwargs: Any) -> Any:
        group = helped(*args, **kwargs)
        renderables = getattr(group, "renderables", None)
        if isinstance(renderables, list):
            renderables[:] = [_HelpWithExamples(r) if isinstance(r, Text) and "Example" in r.plain else r
                              for r in renderables]
        return group

    help_text._examples_whole = True  # type: ignore[attr-defined]
    rich_utils._get_help_text = help_text


def _help_folds_what_does_not_fit() -> None:
    """:func:`_fold_help_cells` (and :func:`_examples_kept_whole`) once a help is printed: typer imports
    its rich help module only then, and importing it for every command would add 45-70 ms to each start."""
    from typer import core

    for name in ("TyperCommand", "TyperGroup"):
        kind = getattr(core, name, None)
        formatter = getattr(kind, "format_help", None)
        if formatter is None or getattr(formatter, "_folds", False):
            continue

        def format_help(self: Any, *args: Any, _formatter: Any = formatter, **kwargs: Any) -> Any:
            _fold_help_cells()
            _examples_kept_whole()
            return _formatter(self, *args, **kwargs)

        format_help._folds = True  # type: ignore[attr-defined]
        kind.format_help = format_help  # type: ignore[union-attr]


_help_folds_what_does_not_fit()


def _help_into_a_closed_pipe_is_141() -> None:
    """typer prints --help (and the help of ``backprop`` or ``backprop config`` alone) with its
    own rich consoles, whose closed-pipe handler exits 1, the status of a failed check:
    ``backprop --help | head -1`` did. Theirs stops as ours do (exit 141, nothing more written)."""
    from rich.console import Console

    from .commands.common import _Console

    Console.on_broken_pipe = _Console.on_broken_pipe  # type: ignore[method-assign]


_help_into_a_closed_pipe_is_141()

app = typer.Typer(
    name="backprop",
    help=(
        "Train, gradient-check and explain backpropagation in fully-connected neural networks.\n\n"
        "train, explain, gradcheck and config show take an optional YAML config; with none they use "
        "the built-in default (XOR, 2-3-1, with seed 000's sigmoid σ and squared-error cost C0). config "
        "validate checks a config file, init writes one; predict and evaluate take a trained model, "
        "plot a run's folder.\n\n"
        "Examples:\n"
        "  [bold]backprop init mine.yaml --dataset spirals[/]\n"
        "  [bold]backprop train configs/iris.yaml --out runs/iris[/]\n"
        "  [bold]backprop evaluate runs/iris[/]\n"
        "  [bold]backprop explain --layer L-1[/]\n"
        "  [bold]backprop gradcheck configs/iris.yaml[/]"
    ),
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    no_args_is_help=True,
)


def _version(value: bool) -> None:
    if value:
        from .commands.common import _closed_pipe, echo

        try:
            echo(f"backprop-cli {__version__}")
        except BrokenPipeError:  # typer would make it exit 1, a failed check's status
            raise _closed_pipe() from None
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


#: typer's own usage errors (a bad option value, an unknown option, a missing argument): the
#: base class click calls ClickException, found through a public subclass because typer
#: vendors click in some versions and depends on it in others.
_USAGE_ERRORS = tuple(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def _program() -> str:
    """The program's name in messages: ``python -m backprop_cli`` when run so, else ``backprop``.
    Given to click rather than left to it: click names a program by ``__main__``'s module, which
    in-process (pytest, a notebook's `main()`) made hints read `see python -m pytest.backprop ...`."""
    return "python -m backprop_cli" if Path(sys.argv[0]).name == "__main__.py" else "backprop"


def _command_path(args: list[str]) -> str:
    """``backprop train`` or ``backprop config show`` from the command line's leading words:
    for errors raised while parsing (``train --epochs`` with no value), which have no context."""
    command: Any = typer.main.get_command(app)
    # the program as click names it in its own messages: ``python -m backprop_cli`` when run so
    path = [_program()]
    for word in args:
        sub = command.commands.get(word) if hasattr(command, "commands") else None
        if sub is None:
            break
        path.append(word)
        command = sub
    return " ".join(path)


def _typed_option(e: Exception, args: list[str]) -> tuple[str, str] | None:
    """The option a usage error is about, by the name typed (--lr or --learning-rate), and the
    value typed for it (``x`` of ``--epochs x`` or ``--epochs=x``; the last one, which is the one
    used), or None when they cannot be told."""
    param = getattr(e, "param", None)
    names = [*getattr(param, "opts", []), *getattr(param, "secondary_opts", [])]
    if not names or not any(n.startswith("--") for n in names):
        return None
    short = [n for n in names if not n.startswith("--") and len(n) == 2]  # -o FILE, -oFILE
    found = None
    for i, word in enumerate(args):
        if word == "--":
            break
        if word in names and i + 1 < len(args):
            found = word, args[i + 1]
        elif any(word.startswith(n + "=") for n in names if n.startswith("--")):
            found = word.partition("=")[0], word.partition("=")[2]
        elif not word.startswith("--") and any(word.startswith(n) and len(word) > 2 for n in short):
            found = word[:2], word[2:]
    return found


def _number_error(option: str, value: str, kind: Any) -> str | None:
    """``--examples: abc is not a whole number; it must be a whole number of at least 1``: a number
    option's bad value as a config's are said (the option, the value, what is allowed), from the
    option's click type (whole or not, its bounds) and the value, whatever words click has for it
    (``'abc' is not a valid int range``, ``0 is not in the range x>=1``); None for a type that is
    not a number's or a value that is not wrong."""
    import math

    from .commands.common import allowed_number
    from .names import typed

    classes = {c.__name__ for c in type(kind).__mro__}
    if not classes & {"IntParamType", "FloatParamType"}:
        return None
    whole = "IntParamType" in classes
    low, high = getattr(kind, "min", None), getattr(kind, "max", None)
    low_open, high_open = getattr(kind, "min_open", False), getattr(kind, "max_open", False)
    # a type that takes a word too says so (--atol: auto or a number of at least 0)
    allowed = getattr(kind, "allowed", None) or allowed_number(whole, low, high, low_open, high_open)
    text = value.strip()
    try:
        number: float | None = int(text) if whole else float(text)
    except ValueError:  # abc; 2.5 or 1e3 for a whole number
        number = None
        if whole and getattr(kind, "whole_floats", False):  # commands.common.whole_type: 5.0 and 1e3 are whole
            try:
                number = int(float(text)) if float(text).is_integer() else None
            except (ValueError, OverflowError):
                number = None
    if number is None:
        try:
            fraction: float | None = float(text)
        except ValueError:
            fraction = None
        most = getattr(kind, "most", None)  # commands.common.whole_type's maximum, checked later (--epochs)
        if whole and fraction == math.inf and any(c.isdigit() for c in text):
            # 1e400: a whole number beyond the largest float, not 'not a whole number' (inf, the word, is not one)
            beyond = "" if most is not None else " (more than 1.8e308, the largest number)"
            allowed = allowed_number(True, low, most) if most is not None else allowed
            return f"{option}: {typed(value)} is too large{beyond}; it must be {allowed}"
        if whole and fraction == -math.inf and low is not None and any(c.isdigit() for c in text):
            return f"{option}: {typed(value)} is out of range; it must be {allowed}"  # -1e400, as -5
        if whole and fraction is not None and math.isfinite(fraction) and fraction.is_integer():
            # 1e3, 4.0: a whole number, written otherwise than click reads one (1e20 too: no
            # "1e20 is not a whole number"; its 21 digits are not spelled out)
            digits = f" (write {int(fraction)})" if abs(fraction) < 1e15 else ""
            wrong = f"is not written as a whole number{digits}"
        else:
            wrong = "is not a whole number" if whole else "is not a number"
    elif not math.isfinite(number):
        wrong = "is not a finite number"
    elif (low is not None and (number <= low if low_open else number < low)) or \
            (high is not None and (number >= high if high_open else number > high)):
        wrong = "is out of range"
    else:
        return None
    said = f"{option}: {typed(value)} {wrong}"
    return said if allowed in ("a whole number", "a number") else f"{said}; it must be {allowed}"


def _option_error(e: Exception, args: list[str]) -> str | None:
    """A bad option value said as ``--OPTION: VALUE what is wrong; what is allowed``, the form of
    the tool's own messages (``--dataset: iris is not one of: xor, …``), for typer's "Invalid value
    for '--epochs': …"; None when the option or its value cannot be told (typer's words are kept)."""
    from .names import typed

    given = _typed_option(e, args)
    if given is None:
        return None
    option, value = given
    said = _number_error(option, value, getattr(getattr(e, "param", None), "type", None))
    if said is not None:
        return said
    message = " ".join(str(getattr(e, "message", "")).split())
    if message.startswith((f"{typed(value)} ", f"{shown(value)} ")):  # our parsers' (name_parser): the value first
        return f"{option}: {message}"
    if message.startswith("is "):  # typed_path's "is empty; give a file or folder name"
        return f"{option}: {typed(value)} {message}"
    return None


def _unquoted_set(args: list[str]) -> str | None:
    """``--set 'training={lr: 0.5, epochs: 20}'`` when a ``--set`` value with spaces was typed without
    quotes (the shell split it: ``training={lr:`` then stray words), else None."""
    import shlex

    for i, word in enumerate(args):
        if word == "--":
            break
        value = args[i + 1] if word == "--set" and i + 1 < len(args) else \
            word.partition("=")[2] if word.startswith("--set=") else None
        if value is None:
            continue
        words, rest = [value], args[i + (2 if word == "--set" else 1):]
        depth = lambda text: text.count("{") + text.count("[") - text.count("}") - text.count("]")  # noqa: E731
        while depth(" ".join(words)) > 0 and rest:
            words.append(rest.pop(0))
        if len(words) > 1 and depth(" ".join(words)) == 0:
            return f"--set {shlex.quote(' '.join(words))}"
    return None


def _spaced_set(args: list[str], message: str, config: Any = None) -> tuple[str, str, str] | None:
    """``--set training.epochs 5`` (or ``training.epochs: 5``, or ``training.epochs= 5`` as bash's
    completion leaves it, KEY= and a space): a --set whose value has no ``=`` (or nothing after it)
    and whose VALUE became click's unexpected extra argument, as ``(training.epochs, --set
    training.epochs=5, 5)``;
    else None. Without a CONFIG the stray word was taken for one, and --set's own check says it;
    with one typed after it (``--set training.epochs 5 c.yaml``), 5 is the ``config`` click took
    and c.yaml the extra argument."""
    from .commands.common import joined_set

    for i, word in enumerate(args):
        if word == "--":
            break
        key = args[i + 1] if word == "--set" and i + 1 < len(args) else \
            word.partition("=")[2] if word.startswith("--set=") else None
        after = i + (2 if word == "--set" else 1)
        if key is not None and key.endswith("=") and key.count("=") == 1:  # `--set training.epochs= 5`
            key = key if key[:-1].strip(": ") else None
        elif key is not None and "=" in key:
            key = None
        if key is None or not key.strip(": ") or after >= len(args):
            continue
        value = args[after]
        if value.startswith("-") or (value not in message and (config is None or Path(value) != config)):
            continue
        return key, joined_set(key, value), value
    return None


def _several_configs(e: Exception, message: str) -> tuple[str, str] | None:
    """(error, hint) for ``backprop train a.yaml b.yaml``: a command that takes one CONFIG given
    more, each a .yaml/.yml file (click said only "Got unexpected extra argument(s) (b.yaml)");
    the hint runs one command per config, or varies one with --set. None otherwise."""
    import shlex

    ctx = getattr(e, "ctx", None)
    params = getattr(getattr(ctx, "command", None), "params", [])
    if ctx is None or not any(p.name == "config" and p.param_type_name == "argument" for p in params):
        return None
    config = ctx.params.get("config")
    head, _, inside = message.partition(" (")  # click: "Got unexpected extra argument(s) (b.yaml)"
    if config is None or not head.startswith("Got unexpected extra argument") or not inside.endswith(")"):
        return None
    configs = [w for w in sys.argv[1:] if w.lower().endswith((".yaml", ".yml"))]
    if str(config) == "-":  # standard input's, then the files
        configs.insert(0, "-")
    if Path(configs[0] if configs else "") != config:  # CONFIG: the first of them
        return None
    extra = configs[1:]
    if not extra or " ".join(extra) != inside[:-1]:  # every extra argument a config
        return None
    words, c = [], ctx
    while c is not None and c.parent is not None:  # "train", "config validate": not the program's name
        words.insert(0, c.info_name)
        c = c.parent
    command = " ".join(words)
    listed = ", ".join(configs[:-1]) + f" and {configs[-1]}"
    path = f"{_command_path([])} {command}"  # the program as typed: backprop, python -m backprop_cli
    runs = ", then ".join(f"{path} {shlex.quote(c)}" for c in configs[:2]) + (
        ", …" if len(configs) > 2 else "")
    example = {"train": "training.epochs=50", "explain": "network.activation=relu",
               "gradcheck": "network.activation=relu"}.get(command)
    vary = "" if example is None else f", or vary one config with --set (e.g. --set {example})"
    return (f"{command} takes one CONFIG, but got {len(configs)}: {listed}",
            f"run one command per config ({runs}){vary}")


#: For ``train CONFIG 5``: the options a stray number may have been meant for: (whole number or
#: not, the least value allowed, the option's names; one already typed is not offered).
_NUMBER_OPTIONS = {
    "train": ((True, 1, ("--epochs",)), (True, 0, ("--seed",)), (False, 0, ("--learning-rate", "--lr"))),
    "explain": ((True, 1, ("-l", "--layer")), (True, 0, ("--example",))),
    "gradcheck": ((True, 1, ("--examples",)), (True, 0, ("--seed",)), (False, 0, ("--eps",))),
}
#: Options a suggestion would be refused beside (``--eps`` with ``--convergence``, which sets ε).
_REFUSED_BESIDE = {"--layer": ("--all-layers",), "--eps": ("--convergence",)}
#: The config fields a command has an option of its own for (gradcheck's --seed picks the examples,
#: not the config's seed): a field typed as an option is pointed to it before --set.
_FIELD_OPTIONS = {
    "train": {"training.epochs": "--epochs", "training.learning_rate": "--lr", "seed": "--seed",
              "training.checkpoint_every": "--checkpoint-every"},
    "explain": {"seed": "--seed"},
}


def _stray_data(e: Exception, message: str) -> str | None:
    """``evaluate takes one MODEL; test.csv is an extra argument (meant as --data test.csv?)`` for
    ``backprop evaluate model.npz test.csv``, as predict takes its CSV (click said only "Got
    unexpected extra argument(s) (test.csv)"); None for a word that names no data, several, a
    --data already typed, or another command."""
    from .data import DATA_SUFFIXES

    ctx = getattr(e, "ctx", None)
    head, _, inside = message.partition(" (")
    if getattr(ctx, "info_name", None) != "evaluate" or ctx.params.get("model") is None \
            or head != "Got unexpected extra argument(s)" or not inside.endswith(")"):
        return None
    word = inside[:-1]
    if " " in word.strip() or any(w.partition("=")[0] == "--data" for w in sys.argv[1:]):
        return None
    if word != "-" and not word.lower().endswith((*DATA_SUFFIXES, ".yaml", ".yml")):
        return None
    return f"evaluate takes one MODEL; {word} is an extra argument (meant as --data {word}?)"


def _stray_number(e: Exception, message: str) -> str | None:
    """``train takes one CONFIG; 5 is an extra argument (meant as --epochs 5 or --seed 5?)``
    for ``backprop train a.yaml 5`` (and explain's, gradcheck's), a number typed without its option (click said only "Got
    unexpected extra argument(s) (5)"); None for another word, several, or another command."""
    import math

    ctx = getattr(e, "ctx", None)
    command = getattr(ctx, "info_name", None)
    options = _NUMBER_OPTIONS.get(command) if ctx is not None and ctx.parent is not None else None
    head, _, inside = message.partition(" (")
    if options is None or ctx.params.get("config") is None or head != "Got unexpected extra argument(s)" \
            or not inside.endswith(")") or " " in inside[:-1]:
        return None
    word = inside[:-1]
    try:
        number = float(word)
    except ValueError:
        return None
    if not math.isfinite(number) or "_" in word:
        return None
    # 1e3 or 5.0 is a whole number too, written out for the option ("--epochs 1e3" is refused)
    whole = number.is_integer() and abs(number) < 2**53
    written = word.strip() if word.strip().lstrip("+-").isdigit() else str(int(number)) if whole else word
    typed = [w.partition("=")[0] for w in sys.argv[1:]]
    meant = [f"{names[-1]} {written}" for is_whole, low, names in options
             if (whole if is_whole else not number.is_integer()) and number >= low and (is_whole or number > 0)
             and not any(n in typed for n in (*names, *_REFUSED_BESIDE.get(names[-1], ())))]
    return f"{command} takes one CONFIG; {word} is an extra argument" + (
        f" (meant as {' or '.join(meant)}?)" if meant else "")


def _option_as_field(e: Exception, message: str, argv: list[str]) -> str | None:
    """``train --batch-size 2``: no such option, but a config field, set with ``--set
    training.batch_size=2`` (click offered only "Possible options: …"); ``train --plot``: the
    command that draws the pictures. None for another option or a command without --set."""
    ctx = getattr(e, "ctx", None)
    if ctx is None or not message.startswith("No such option: "):
        return None
    option = message.removeprefix("No such option: ").split()[0]
    if not option.startswith("--") or not any(p.name == "sets" for p in ctx.command.params):
        return None
    name = option[2:]
    if ctx.info_name == "train" and name in ("plot", "plots", "save-plot", "save-plots"):
        return "backprop plot DIR draws loss.png (and boundary.png) of a run saved with train --out DIR"
    from .config import canonical_field_path

    try:
        path = "training.epsilon" if name == "eps" else canonical_field_path(name)
    except Exception:  # noqa: BLE001 - a word that is no key at all ('--a.b.'): no hint
        return None
    if "." not in path and path not in ("seed", "cost"):  # not a field (a section takes a mapping)
        return None
    value = "VALUE"
    for i, word in enumerate(argv):
        if word == option and i + 1 < len(argv) and not argv[i + 1].startswith("--"):
            value = argv[i + 1]
        elif word.startswith(option + "="):
            value = word.partition("=")[2]
    import shlex

    if path == "training.epsilon" and ctx.info_name in ("gradcheck", "explain"):  # ε: their finite-difference step
        adam = f"Adam's ε is the config field {path}, set with --set {shlex.quote(f'{path}={value}')}"
        if ctx.info_name == "gradcheck":
            return f"the finite-difference step ε is --eps: --eps {shlex.quote(value)} ({adam})"
        return ("explain picks its finite-difference step itself (ε = 1e-6 first); `backprop gradcheck --eps "
                f"{shlex.quote(value)}` checks the gradients at a step you choose ({adam})")
    if name == "eps":  # train --eps: gradcheck's option, no field of that name (Adam's ε is training.epsilon)
        return (f"Adam's ε is the config field {path}: set it with --set {shlex.quote(f'{path}={value}')} "
                "(--eps is gradcheck's finite-difference step)")
    if path == "network.layers" and not value.startswith("["):  # `--layers 2 5 1`: the list, not its first size
        return f"{name} is the config field {path}: set it with --set {path}=[…], e.g. --set {path}=[2,5,1]"
    own = _FIELD_OPTIONS.get(ctx.info_name or "", {}).get(path)
    if own is not None:  # `train --eta 0.5`: train's own --lr, not only --set
        return (f"{name} is the config field {path}: set it with {own} {shlex.quote(value)} "
                f"(or --set {shlex.quote(f'{path}={value}')})")
    return f"{name} is the config field {path}: set it with --set {shlex.quote(f'{path}={value}')}"


#: Options that delete or replace files: never offered for an unknown option by click's fuzzy
#: match (`train --verbose` read "Possible options: --overwrite", which removes the previous run).
DESTRUCTIVE_OPTIONS = ("--overwrite", "--force")


def _no_destructive_suggestions(e: Exception) -> None:
    """Leave --overwrite and --force out of click's "(Possible options: …)" for an unknown option,
    unless what was typed is that option mistyped (`--overwrit`, `--ovewrite`: a letter or two off),
    not another option that merely shares letters with it (`--verbose`)."""
    import difflib

    possibilities = getattr(e, "possibilities", None)
    typed = str(getattr(e, "option_name", "") or "")
    if possibilities:
        e.possibilities = [p for p in possibilities if p not in DESTRUCTIVE_OPTIONS  # type: ignore[attr-defined]
                           or difflib.SequenceMatcher(None, typed, p).ratio() >= 0.85]


def _typed_value(option: str, argv: list[str]) -> str | None:
    """The value typed after an unknown option (``--config a.yaml`` or ``--config=a.yaml``), or None."""
    for i, word in enumerate(argv):
        if word == option and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            return argv[i + 1]
        if word.startswith(option + "="):
            return word.partition("=")[2]
    return None


def _retyped(program: str, argv: list[str], skip: int, option: str, as_: str) -> str:
    """The command line typed, with ``option VALUE`` made the positional argument (``as_`` is its
    metavar, CONFIG or MODEL, first after the command) or another option (``--data``)."""
    import shlex

    rest, given, i = [], None, skip
    while i < len(argv):
        word = argv[i]
        if word == option:
            if i + 1 < len(argv) and not argv[i + 1].startswith("-"):
                given, i = argv[i + 1], i + 2
            else:
                given, i = None, i + 1
            if as_.startswith("-"):
                rest += [as_, given if given is not None else "VALUE"]
            continue
        if word.startswith(option + "="):
            given = word.partition("=")[2]
            if as_.startswith("-"):
                rest += [as_, given]
            i += 1
            continue
        rest.append(word)
        i += 1
    words = [shlex.quote(w) if w not in ("VALUE",) else w for w in rest]
    if not as_.startswith("-"):
        words.insert(0, shlex.quote(given) if given is not None else as_)
    return " ".join([program, *words])


def _option_meant(e: Exception, argv: list[str]) -> str | None:
    """The hint for an unknown option another tool would have, told what this one does instead:
    ``train --verbose`` (progress is shown by default), ``train --model DIR`` (train starts from a
    config; --resume continues a run), ``--config a.yaml`` (CONFIG is positional; evaluate's is
    --data). None for any other option, whose click suggestions (--epoch: --epochs) stand."""
    import shlex

    ctx = getattr(e, "ctx", None)
    option = getattr(e, "option_name", None)
    if ctx is None or not isinstance(option, str) or ctx.parent is None:
        return None
    command, name = ctx.info_name, option.partition("=")[0]
    params = {p.name: p for p in ctx.command.params}
    words, c = [], ctx
    while c is not None and c.parent is not None:  # "train", "config validate"
        words.insert(0, c.info_name)
        c = c.parent
    program = f"{_command_path([])} {' '.join(words)}"
    value = _typed_value(name, argv)
    if name in ("--verbose", "-v", "-vv", "--progress"):
        if command == "train":
            return ("train shows its progress by default: a bar on a terminal, else a line every "
                    "training.log_every epochs; --quiet (-q) hides the bar")
        if command == "explain":
            return "explain has no --verbose: --full shows every neuron and weight, --expand the full product chain"
        return None
    if name in ("--config", "-c", "--cfg"):
        if "config" in params and params["config"].param_type_name == "argument":
            return f"CONFIG is positional, not an option: {_retyped(program, argv, len(words), name, 'CONFIG')}"
        if command == "evaluate":
            return (f"evaluate takes a config as --data (its test split): "
                    f"{_retyped(program, argv, len(words), name, '--data')}")
        return None
    if name == "--model" and command == "train":
        run = Path(value) if value is not None else None
        if run is not None and run.suffix.lower() == ".npz":
            run = run.parent
        configs = [w for w in argv if w.lower().endswith((".yaml", ".yml")) and w != value]
        config = configs[0] if configs else (str(run / "config.yaml") if run is not None else "CONFIG")
        folder = shlex.quote(str(run)) if run is not None else "DIR"
        return (f"train starts from a config; to continue a run: {program} {shlex.quote(config)} --out {folder} "
                f"--resume (--model is explain's and gradcheck's; predict and evaluate take the model as MODEL)")
    if name == "--model" and "model" in params and params["model"].param_type_name == "argument":
        return f"MODEL is positional, not an option: {_retyped(program, argv, len(words), name, 'MODEL')}"
    if name in ("--data", "--input", "-i", "--csv") and command == "predict":  # evaluate's --data, here positional
        return f"INPUT_CSV is positional, after MODEL, not an option: {_input_retyped(program, argv, len(words), name, ctx)}"
    return None


def _input_retyped(program: str, argv: list[str], skip: int, option: str, ctx: Any) -> str:
    """``predict MODEL --data rows.csv`` typed again as ``predict MODEL rows.csv``: ``option``'s value put
    right after MODEL (the first word that is no option or an option's value), MODEL named if none is given."""
    import shlex

    takes_value = {o for p in ctx.command.params if getattr(p, "param_type_name", "") == "option"
                   and not getattr(p, "is_flag", False) for o in p.opts}
    rest, given, i = [], None, skip
    while i < len(argv):
        word = argv[i]
        if word == option:
            if i + 1 < len(argv) and not argv[i + 1].startswith("-"):
                given = argv[i + 1]
            i += 2 if given is not None else 1
            continue
        if word.startswith(option + "="):
            given, i = word.partition("=")[2], i + 1
            continue
        rest.append(word)
        i += 1
    at, i = None, 0
    while i < len(rest):  # MODEL: the first positional word
        if rest[i] in takes_value:
            i += 2
        elif rest[i].startswith("-"):
            i += 1
        else:
            at = i
            break
    words = [shlex.quote(w) for w in rest]
    value = shlex.quote(given) if given is not None else "INPUT_CSV"
    if at is None:
        words = ["MODEL", value, *words]
    else:
        words.insert(at + 1, value)
    return " ".join([program, *words])


#: The commands whose --json (explain's --format json too) prints a refused run as an object on stdout
#: as well (``commands.common.refusal_json``): a usage error of theirs does so here.
_JSON_COMMANDS = ("train", "explain", "gradcheck", "predict", "evaluate")


def _json_refusal(args: list[str]) -> bool:
    """Whether a usage error is of a run of a ``_JSON_COMMANDS`` command given --json (explain's
    --format json: its last --format, the one click takes), which then prints its refusal as a JSON
    object on stdout as well; not predict's with --out FILE, whose stdout stays empty."""
    from . import _out_value
    from .commands.explain import FORMATS
    from .names import canonical_name

    words = args[:args.index("--")] if "--" in args else args  # (--version, the only global option, ends the run)
    if words[:1] not in [[command] for command in _JSON_COMMANDS]:
        return False
    if words[0] == "predict" and _out_value(words) not in (None, "-"):
        return False
    if "--json" in words:
        return True
    given = [w.partition("=")[2] if "=" in w else words[i + 1] if i + 1 < len(words) else ""
             for i, w in enumerate(words) if w == "--format" or w.startswith("--format=")]
    return words[0] == "explain" and bool(given) and canonical_name(given[-1], FORMATS) == "json"


def _validate_json(args: list[str]) -> bool:
    """Whether a usage error is of a ``config validate --json`` run, which then prints its result,
    valid false, as a JSON object on stdout as well (``commands.config.refusal_json``)."""
    words = args[:args.index("--")] if "--" in args else args
    return words[:2] == ["config", "validate"] and "--json" in words


def main() -> None:
    """Console-script entry point: typer's usage errors become one line (and a hint), exit 2,
    like every other error of the tool, instead of a boxed usage panel."""
    from .commands.common import empty_set_value, sane_terminal_size

    sane_terminal_size()  # before typer's own consoles (--help) are made
    try:
        code = app(standalone_mode=False, prog_name=_program())
    except _USAGE_ERRORS as e:
        if type(e).__name__ == "NoArgsIsHelpError":  # `backprop`, `backprop config`: the help, shown
            message = e.format_message()  # (empty when typer's rich help already printed it)
            if message.strip():
                typer.echo(message)
            raise SystemExit(e.exit_code) from None
        ctx = getattr(e, "ctx", None)
        where = f"{ctx.command_path if ctx is not None else _command_path(sys.argv[1:])} --help"
        err = stderr()
        _no_destructive_suggestions(e)  # before the message is made: `--verbose` is not `--overwrite`
        message = " ".join(e.format_message().split()).replace("Value error, ", "")  # pydantic's prefix
        given = _typed_option(e, sys.argv[1:])
        value = None if given is None else given[1]
        head, sep, tail = message.partition("': ")
        # click quotes the value as Python does ('abc'), our own parsers as a config does (names.shown)
        named = value is not None and (repr(value) in message or tail.startswith(f"{shown(value)} "))
        reworded = _option_error(e, sys.argv[1:])
        if reworded is not None:  # the option, the value, what is allowed: as a config's field is said
            message = reworded
        elif value is not None and not named and message.startswith("Invalid value for '"):
            # "Invalid value for '--epochs': Input should be a valid integer" does not say what was given
            message = f"{head}' ({shown(value)}){': ' if sep else ''}{tail}"
        extra = message.startswith("Got unexpected extra argument")
        quoted = _unquoted_set(sys.argv[1:]) if extra else None
        config = getattr(ctx, "params", {}).get("config") if ctx is not None else None
        spaced = _spaced_set(sys.argv[1:], message, config) if extra and quoted is None else None
        several = _several_configs(e, message) if extra and quoted is None and spaced is None else None
        number = (_stray_number(e, message) or _stray_data(e, message)) \
            if extra and quoted is None and spaced is None and several is None else None
        empty = None if spaced is None or not spaced[0].endswith("=") else empty_set_value(spaced[0], spaced[2])
        if empty is not None:  # `--set training.epochs= 5`: bash's completion leaves a space after KEY=
            message = empty[0]
        elif spaced is not None:  # 'Got unexpected extra argument(s) (5)' did not say it was --set's VALUE
            message = f"--set {shown(spaced[0])}: expected KEY.PATH=VALUE, e.g. --set training.epochs=50"
        elif several is not None:  # 'Got unexpected extra argument(s) (b.yaml)': train takes one CONFIG
            message = several[0]
        elif number is not None:  # 'Got unexpected extra argument(s) (5)': --epochs 5 (--data x.csv) was meant?
            message = number
        meant = None if extra or quoted is not None else _option_meant(e, sys.argv[1:])
        field = meant if meant is not None or extra or quoted is not None \
            else _option_as_field(e, message, sys.argv[1:])
        if field is not None:  # click's '(Possible options: --lr, --out)' for --plot: names it does not mean
            message = message.partition(" (Possible options:")[0]
        if quoted is not None:  # the shell split the value at its spaces: say so, not just "see --help"
            hint = f"a --set value with spaces needs quotes: {quoted}"
        elif empty is not None:
            hint = empty[1]
        elif spaced is not None:
            hint = f"KEY and VALUE are one word, joined by '=': {spaced[1]}"
        elif several is not None:
            hint = several[1]
        elif field is not None:
            hint = field
        else:
            hint = f"see {where}"
        if _json_refusal(sys.argv[1:]):  # train, explain, gradcheck, predict, evaluate --json: an object on stdout too
            from .commands.common import refusal_on_stdout

            refusal_on_stdout(message, "input", hint)
        elif _validate_json(sys.argv[1:]):  # config validate --json: {"valid": false, …} on stdout too
            from .commands import config as config_command
            from .commands.common import refusal_document

            refusal_document(config_command.refusal_json(message, hint, None))
        err.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
        err.print(f"[dim]hint:[/] {escape(hint)}", soft_wrap=True)
        code = e.exit_code
    except typer.Abort:
        stderr().print("aborted", soft_wrap=True)
        code = 1
    raise SystemExit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
