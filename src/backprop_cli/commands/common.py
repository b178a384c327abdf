"""What every command shares: the error boundary, consoles, common options, loading."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..names import shown
from ..names import typed as _typed

if TYPE_CHECKING:
    from ..config import Config
    from ..experiment import Experiment, Footprint

def typed_path(value: str | Path) -> Path:
    """A path argument or option as typed. An empty one (``--out "$OUT"`` with OUT unset) is a
    usage error: ``Path("")`` is ".", and the command would read or write the current folder."""
    if isinstance(value, Path):  # a default
        return value
    if value == "":
        raise typer.BadParameter("is empty; give a file or folder name")
    return Path(value)


typed_path.__name__ = "path"  # typer shows a parser's name as the value's kind: <path>, as for Path


def name_parser(allowed: tuple[str, ...]) -> Any:
    """A parser for an option that takes one of ``allowed`` names, by the rule every name of the
    tool follows (``names.canonical_name``: ``--format JSON``, ``--mode Sample``); the value is
    the canonical name. Give the option ``metavar=choices(allowed)`` so --help lists them."""
    def parse(value: Any) -> str:
        from ..names import canonical_name, did_you_mean

        value = getattr(value, "value", value)  # a default given as an Enum member
        found = canonical_name(value, allowed)
        if found is None:  # worded as a config's names are: `--format JS-ON` "(did you mean json?)"
            note = did_you_mean(value, allowed)
            raise typer.BadParameter(f"{shown(value)} is not one of: {', '.join(allowed)}"
                                     f"{f' ({note})' if note else ''}")
        return found

    parse.__name__ = "|".join(allowed)
    return parse


def choices(allowed: tuple[str, ...]) -> str:
    """The metavar of a ``name_parser`` option: ``<full|sample|fast>``, as typer shows a choice."""
    return "<" + "|".join(allowed) + ">"


def completer(allowed: tuple[str, ...]) -> Any:
    """Shell completion of a ``name_parser`` option (``autocompletion=completer(MODES)``): the names
    starting with what is typed (``--mode f`` → ``full``, ``fast``)."""
    def complete(incomplete: str) -> list[str]:
        return [name for name in allowed if name.startswith(incomplete.lower())]

    return complete


def allowed_number(whole: bool, low: float | None = None, high: float | None = None,
                   low_open: bool = False, high_open: bool = False) -> str:
    """What a number option takes, in words: ``a whole number of at least 1``, ``a number greater
    than 0``, ``a whole number from 1 to 1,000``; ``a whole number`` without bounds."""
    kind = "a whole number" if whole else "a number"

    def n(x: float) -> str:  # 1, not 1.0; 1,000,000 as a config's messages write it
        return f"{int(x):,}" if float(x).is_integer() else shown(float(x))

    if low is not None and high is not None:
        if not low_open and not high_open:
            return f"{kind} from {n(low)} to {n(high)}"
        return (f"{kind} {'greater than' if low_open else 'of at least'} {n(low)} and "
                f"{'less than' if high_open else 'at most'} {n(high)}")
    if low is not None:
        return f"{kind} {'greater than' if low_open else 'of at least'} {n(low)}"
    if high is not None:
        return f"{kind} {'less than' if high_open else 'of at most'} {n(high)}"
    return kind


def number_type(low: float | None = None, *, low_open: bool = False) -> Any:
    """The type of a fractional option (``click_type=``): a finite number (nan and inf are not
    steps or rates), at least ``low``, or greater than it with ``low_open`` (which typer's
    ``min=`` cannot say: --eps 0 is no step). Its errors are worded by ``cli.main``, as every
    number option's are: the option, the value and :func:`allowed_number`."""
    import importlib
    import math

    # the click typer uses: vendored in typer._click by some versions, the click package by others
    types = importlib.import_module(typer.BadParameter.__module__.rpartition(".")[0] + ".types")

    class FiniteRange(types.FloatRange):  # type: ignore[misc, name-defined]
        def convert(self, value: Any, param: Any, ctx: Any) -> Any:
            number = super().convert(value, param, ctx)
            if not math.isfinite(number):
                self.fail(f"{value} is not a finite number", param, ctx)
            if isinstance(value, str) and ctx is not None and param is not None:  # the text, for hints to repeat
                typed = ctx.meta.setdefault(_TYPED_META, {})
                typed.update({opt: (value.strip(), number) for opt in param.opts})
            return number

    return FiniteRange(min=low, min_open=low_open)


def whole_type(low: int, most: int | None = None) -> Any:
    """The type of a whole-number option (``click_type=``): a whole number of at least ``low``, written
    as a config's field may be, ``5``, ``5.0`` or ``1e3`` (``--epochs 5.0`` was refused, 'is not written
    as a whole number (write 5)', where ``epochs: 5.0`` in a config is 5). A fraction (``2.5``) is still
    refused, worded by ``cli.main`` as every number option's error is; so is one beyond the largest
    float (``1e400``), 'too large', with ``most``, the maximum a later check holds it to, if any."""
    import importlib
    import math

    types = importlib.import_module(typer.BadParameter.__module__.rpartition(".")[0] + ".types")

    class WholeRange(types.IntRange):  # type: ignore[misc, name-defined]
        whole_floats = True  # cli.main's wording of its errors reads 0.0 as the number 0 (out of range)

        def convert(self, value: Any, param: Any, ctx: Any) -> Any:
            if isinstance(value, str):
                try:
                    number = float(value.strip())
                except ValueError:
                    number = math.nan
                if math.isfinite(number) and number.is_integer() and not value.strip().lstrip("+-").isdigit():
                    value = str(int(number))  # 5.0, 1e3: the whole number it is
            return super().convert(value, param, ctx)

    whole = WholeRange(min=low)
    whole.most = most  # said by cli.main for 1e400; the config's check words 2e6 ('the most allowed')
    return whole


#: ``click.Context.meta``'s key for the numbers typed for :func:`number_type`'s options: each option
#: string (``--lr``) -> (the text typed, the float it gave), read by :func:`_as_typed`.
_TYPED_META = "backprop_cli.typed_numbers"


def readable(name: str) -> str:
    """A file name for text that must be valid Unicode (a config's comments, a picture's title):
    bytes that are not UTF-8 (caf\xe9.yaml from a Latin-1 system, surrogates in Python) become
    U+FFFD instead of failing to encode."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


ConfigArg = Annotated[
    Optional[Path],
    typer.Argument(help="YAML config file; '-' reads it from standard input. Omit to use the built-in default (XOR).",
                   show_default=False,
                   metavar="CONFIG", parser=typed_path),
]
ModelOpt = Annotated[
    Optional[Path],
    typer.Option("--model", help="A trained model (model.npz from `backprop train --out DIR`, or the folder DIR); its stored config gives the architecture and data.",
                 parser=typed_path),
]
SeedOpt = Annotated[Optional[int], typer.Option("--seed", help="Override the config's seed.", click_type=whole_type(0))]
#: What a refused run prints under --json, as each command's --help says it (gradcheck's JSON_HELP adds its
#: "source": "backward"); the object is :func:`refusal_json`'s, written by :func:`boundary`.
REFUSAL_JSON_HELP = ("A refused run (exit 2: a bad config, option, file or value) prints instead one JSON object, "
                     "beside its error line on stderr: {\"status\": \"error\", \"source\": \"input\", \"error\": "
                     "the message} and, when known, \"hint\".")
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as one JSON object on stdout. " + REFUSAL_JSON_HELP)]
# (no long word right before punctuation: a narrow help column folds it, leaving a line that starts
# with '.' or ',': 'training.learning_rate).' at 80 columns)
_SET_HELP = ("Override a config field: --set network.activation=tanh (repeatable, once per field; keys as in "
             "a config file, where training.learning_rate may be lr; the value is read as YAML: "
             "--set layers=[2,5,1], quoted when it has spaces: --set 'training={lr: 0.5, epochs: 20}', a mapping merged "
             "into the config's section; KEY=null unsets an optional field such as network.weights).")


def complete_set(incomplete: str) -> list[str]:
    """Shell completion of --set: the config fields starting with what is typed, as ``KEY=``
    (``--set training.ep`` → ``training.epochs=``); nothing once the '=' is typed."""
    from ..config import field_paths

    if "=" in incomplete:
        return []
    return [f"{path}=" for path in field_paths() if path.startswith(incomplete)]


def _set_option(tail: str = "") -> Any:
    """``--set KEY=VALUE``, its help ending in what the command's own options do beside it: one
    sentence for every command said 'dedicated options such as --seed', which in gradcheck picks
    the examples and leaves the config's seed alone, and config show/validate have none."""
    return Annotated[
        Optional[list[str]],
        typer.Option("--set", help=_SET_HELP + tail, show_default=False, metavar="KEY=VALUE",
                     autocompletion=complete_set),
    ]


SetOpt = _set_option()  # config show, config validate: no option of theirs overrides a field
TrainSetOpt = _set_option(" Precedence: config file < --set < --epochs, --lr, --seed, --checkpoint-every.")
ExplainSetOpt = _set_option(" Precedence: config file < --set < --seed.")
GradcheckSetOpt = _set_option(" The network's seed is --set seed=N: --seed here picks the examples and entries "
                              "checked, not the config's seed.")


def joined_set(key: str, value: str) -> str:
    """``--set training.epochs=5``: a --set KEY and VALUE typed apart, as one word (shell-quoted)."""
    import shlex

    return f"--set {shlex.quote(key.strip().removesuffix('=').rstrip(': ') + '=' + value)}"


def empty_set_value(item: str, value: str) -> tuple[str, str]:
    """(error, hint) for ``--set training.epochs= 5``: a KEY= whose VALUE was typed after a space, as
    bash's completion of ``--set training.epoc`` leaves one (``training.epochs= ``)."""
    return (f"--set {item} has no VALUE: {_typed(value)} is a separate word, after a space",
            f"KEY=VALUE is one word, with no space after the '=' (shell completion adds one after KEY=): "
            f"{joined_set(item[:-1], value)}")


def _value_taken_for_config(item: str, config: Path | None) -> str | None:
    """The VALUE of ``--set training.epochs 5`` (or ``--set training.epochs= 5``) typed with a space
    and no CONFIG, which click took for the CONFIG (after a CONFIG it is an extra argument, which
    ``cli.main`` says), or None. Judged from the command line as typed: the KEY and that CONFIG side
    by side, and no file or folder of the CONFIG's name (``--set training.epochs my.yaml`` lacks its
    value)."""
    if config is None or str(config) == "-" or config.exists():
        return None
    args = sys.argv[1:]
    for i, word in enumerate(args):
        if word == "--":
            break
        if word == "--set" and args[i + 1:i + 2] == [item]:
            at = i + 2
        elif word == f"--set={item}":
            at = i + 1
        else:
            continue
        if at < len(args) and not args[at].startswith("-") and Path(args[at]) == config:
            return args[at]
    return None


def set_value_taken_for_config(items: list[str] | None, config: Path | None) -> str | None:
    """The VALUE of a ``--set KEY VALUE`` or ``--set KEY= VALUE`` among ``items`` that click took for
    the CONFIG (see :func:`_value_taken_for_config`), or None: then there is no config file, only a
    usage error (``config validate --json`` says "file": null)."""
    for item in items or []:
        key, sep, value = item.partition("=")
        if key.strip() and (not sep or not value):  # the --set items parse_sets asks about
            taken = _value_taken_for_config(item, config)
            if taken is not None:
                return taken
    return None


def parse_sets(items: list[str] | None, config: Path | None = None) -> dict[str, Any]:
    """``["a.b=1", "c=[2, 3]"]`` -> ``{"a.b": 1, "c": [2, 3]}``; values parsed as YAML. ``config``:
    the command's CONFIG, which may be the VALUE of a ``--set KEY VALUE`` typed with a space."""
    from ..config import canonical_field_path, key_path_text, parse_yaml
    from ..errors import ConfigError

    def typed_text(text: str) -> str:  # as typed; empty, blank-ended or with a line break: quoted, not raw
        return text if text.isprintable() and text and text == text.strip() else shown(text)

    out: dict[str, Any] = {}
    given: dict[str, tuple[str, str]] = {}  # field path -> (the key, the value) as typed
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            taken = _value_taken_for_config(item, config) if key else None
            raise ConfigError(f"--set {shown(item)}: expected KEY.PATH=VALUE, e.g. --set training.epochs=50",
                              None if taken is None else
                              f"KEY and VALUE are one word, joined by '=': {joined_set(item, taken)}")
        if not value:  # `--set training.epochs= 5`: the VALUE, after a space, taken for the CONFIG
            taken = _value_taken_for_config(item, config)
            if taken is not None:
                raise ConfigError(*empty_set_value(item, taken))
        as_typed, key = key, canonical_field_path(key)  # training.lr, layers: the field they name
        try:
            parsed = parse_yaml(value, f"--set {key_path_text(key)}") if value.strip() else None
        except ConfigError as e:  # 'training={lr:' of an unquoted --set training={lr: 0.5}: cut by the shell
            depth = value.count("{") + value.count("[") - value.count("}") - value.count("]")
            if e.hint is None and depth > 0 and value.endswith((":", ",")):  # where a space was
                e.hint = (f"a --set value with spaces needs quotes, or the shell splits it at each space: "
                          f"--set '{as_typed}={value} …'")
            elif value.lstrip()[:1] in _YAML_INDICATORS and (depth == 0 or value.lstrip()[0] not in "[{"):
                # @x, *, [x].csv (a list, then text): YAML's syntax, where text was meant; not [2,3 (unclosed)
                quote = f"if it is text (a file name), quote it for YAML inside the shell's quotes: " \
                        f"{_yaml_quoted_set(as_typed, value)}"
                e.hint = quote if e.hint is None else f"{e.hint}; {quote}"
            raise
        if parsed is None and _no_value(value) is not None and _takes_null(key):
            raise _empty_set_error(item, as_typed, key, value)
        def fields(k: str, v: Any) -> dict[str, Any] | None:
            """A section's mapping (training={lr: 0.5}) as the fields it names, which it merges into
            the config's section (training.learning_rate: 0.5); None for any other --set."""
            if "." in k or not isinstance(v, dict) or not all(isinstance(name, str) for name in v):
                return None
            return {canonical_field_path(f"{k}.{name}"): item for name, item in v.items()}

        def same(a: Any, b: Any) -> bool:  # (1e-3 and 0.001: a float either way)
            return a == b and (type(a) is type(b) or isinstance(a, float) and isinstance(b, float))

        for other, typed in given.items():  # the same key twice, or a section and a key in it
            if other == key and same(out[key], parsed):
                continue
            mine, theirs = fields(key, parsed), fields(other, out[other])
            if (mine is not None or theirs is not None) and not (other == key and (mine is None or theirs is None)):
                # a mapping merges: only a field named by both overlaps (a section given whole, null, with it does)
                mine = {key: parsed} if mine is None else mine
                theirs = {other: out[other]} if theirs is None else theirs
                if all(not (a == b or a.startswith(b + ".") or b.startswith(a + ".")) or a == b and same(mine[a], theirs[b])
                       for a in mine for b in theirs):
                    continue
            if other == key or key.startswith(other + ".") or other.startswith(key + "."):
                first, then = (typed_text(f"{typed[0]}={typed[1]}"), typed_text(f"{as_typed}={value}")) \
                    if typed[0] != other or as_typed != key else (typed_text(typed[1]), typed_text(value))
                if other == key:
                    raise ConfigError(f"--set {key_path_text(key)}: given twice ({first}, then {then}); give each "
                                      "field once")
                # named as typed, value and all, as either --set's own error would be (it said '--set training:')
                raise ConfigError(f"--set {typed_text(f'{as_typed}={value}')}: overlaps --set "
                                  f"{typed_text(f'{typed[0]}={typed[1]}')}; give each field once")
        if key in given and isinstance(out[key], dict) and isinstance(parsed, dict):  # data={…} twice: one merge
            given[key] = (as_typed, f"{given[key][1]} + {value}")
            named = {canonical_field_path(f"{key}.{name}") for name in parsed if isinstance(name, str)}
            kept = {name: item for name, item in out[key].items()  # lr then learning_rate: one field, once
                    if not (isinstance(name, str) and canonical_field_path(f"{key}.{name}") in named)}
            out[key] = {**kept, **parsed}
        else:
            given[key] = (as_typed, value)
            out[key] = parsed
    return out


#: The characters YAML reads as its own syntax at the start of a value, not as text (``@x``, ``*``,
#: ``[x].csv``, ``!x``, ``|x``): a --set VALUE starting with one that YAML refuses is told to quote it.
_YAML_INDICATORS = frozenset("@`*&!%|>[]{},")


def _yaml_quoted_set(key: str, value: str) -> str:
    """``--set "data.path='#hash.csv'"``: a --set whose VALUE YAML reads as text (single-quoted for YAML,
    its quotes doubled), in the shell's double quotes where nothing in it is special to them, else
    shlex-quoted."""
    import shlex

    item = f"{key}='{value.replace(chr(39), chr(39) * 2)}'"
    return f'--set "{item}"' if not any(c in item for c in '"$`\\!') else f"--set {shlex.quote(item)}"


def _no_value(value: str) -> str | None:
    """How a --set VALUE that YAML reads as null gives no value, where it does not write one (``null``,
    ``~``): ``"empty"`` (nothing after the '='), ``"comment"`` (``#hash.csv``: YAML's comment) or
    ``"other"`` (``&x``, an anchor with nothing after it); None for a written null."""
    import re

    text = value.strip()
    if re.fullmatch(r"(null|Null|NULL|~)(\s+#.*)?", text, re.DOTALL) or _tagged(text):
        return None
    return "empty" if not text else "comment" if text.startswith("#") else "other"


def _tagged(text: str) -> bool:
    """The VALUE's scalar carries an explicit tag (``!!null``, ``!<tag:yaml.org,2002:null>``): a null
    written as one, as ``null`` and ``~`` are."""
    import yaml

    try:
        return any(isinstance(event, yaml.ScalarEvent) and event.tag is not None for event in yaml.parse(text))
    except yaml.YAMLError:
        return False


def _reads_as_null(value: str) -> bool:
    """YAML reads the --set VALUE as null (an empty one, ``#x``, ``null``); False for one it refuses."""
    from ..config import parse_yaml
    from ..errors import ConfigError

    try:
        return not value.strip() or parse_yaml(value, "--set") is None
    except ConfigError:
        return False


def _takes_null(key: str) -> bool:
    """The field (or section) ``key`` accepts null (``data.path``: no file; ``training.log_every``: its
    default), tried on the built-in default: a --set VALUE that gives none (``--set data.path=``, an
    empty shell variable) would then be taken silently. Not for an unknown key, or one refusing null,
    whose own error says it (with :func:`_hint_empty_set`'s hint)."""
    from ..config import load_config
    from ..errors import ConfigError

    try:
        load_config(None, {key: None})
    except (ConfigError, ValueError, TypeError, KeyError):
        return False
    return True


def _empty_set_error(item: str, as_typed: str, key: str, value: str) -> Any:
    """``--set data.path=`` (or ``=#hash.csv``, ``=&x``) for a field that accepts null: YAML reads no value
    there, which would unset the field (data.path: the built-in data instead) where the user meant to
    give one (an empty shell variable, a file name starting with '#')."""
    from ..config import key_path_text
    from ..errors import ConfigError

    field, typed = key_path_text(key), item if item.isprintable() else shown(item)
    effect, unset = f"unset {field}", f"to unset {field}, write null: --set {as_typed}=null"
    if "." not in key:  # a section: --set data=
        effect, unset = f"reset the {field} section to its defaults", f"to do so, write null: --set {as_typed}=null"
    quoted = _yaml_quoted_set(as_typed, value.strip())
    how = _no_value(value)
    if how == "empty":
        error = ConfigError(f"--set {typed}: no VALUE after the '=' (YAML reads it as null, which would {effect})",
                            f"write the value right after the '=', no space between: --set {as_typed}=VALUE; {unset}")
    elif how == "comment":
        error = ConfigError(f"--set {typed}: YAML reads a VALUE starting with '#' as a comment, so it gives no value "
                            f"(null, which would {effect})",
                            f"quote it for YAML inside the shell's quotes: {quoted}; {unset}")
    else:
        error = ConfigError(f"--set {typed}: YAML reads this VALUE as no value (null, which would {effect})",
                            f"if it is text (a file name), quote it for YAML inside the shell's quotes: {quoted}; "
                            f"{unset}")
    error.field = key
    return error


#: The exit status when the reader of our output goes away (``backprop explain | head``):
#: 128 + SIGPIPE, what a shell reports for a program the closed pipe stopped.
CLOSED_PIPE_EXIT = 141


def _closed_pipe() -> SystemExit:
    """Send the rest of stdout nowhere (no "Exception ignored" at exit) and stop quietly."""
    import os
    import sys

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return SystemExit(CLOSED_PIPE_EXIT)


class _Console(Console):
    """The commands' console: rich's progress times (yellow and cyan in its default theme) and counts
    (magenta, green) in the
    terminal's own colour and its table captions not dim (legible on a light background too: see ``render``'s styles); under
    NO_COLOR no dim either (rich's no_color drops colours only, and a screen or projector that
    cannot show colour often cannot show faint text either)."""

    def __init__(self, **kwargs: Any) -> None:
        from rich.theme import Theme

        # a table's caption says what its numbers are (explain's bars, evaluate's averages): not dim
        # the bars' counts too: rich's magenta percentage and green M/N read as a warning and a pass
        super().__init__(theme=Theme({"progress.elapsed": "none", "progress.remaining": "none",
                                      "progress.percentage": "none", "progress.download": "none",
                                      "table.caption": "italic"}), **kwargs)

    def render(self, renderable: Any, options: Any = None) -> Any:
        segments = super().render(renderable, options)
        if not self.no_color:
            return segments
        return (_undimmed(segment) for segment in segments)

    def on_broken_pipe(self) -> None:  # rich's default exits 1, which we reserve for a failed check
        self.quiet = True
        raise _closed_pipe()


def _undimmed(segment: Any) -> Any:
    """``segment`` without dim, as NO_COLOR shows it (rich drops its colours itself)."""
    from rich.segment import Segment
    from rich.style import Style

    style = segment.style
    if style is None or not style.dim or segment.control:
        return segment
    return Segment(segment.text, style + Style(dim=False), segment.control)


def _sys_stdout() -> Any:
    """``sys.stdout``, or a sink when there is none (``backprop … >&-``: Python sets it to None;
    the output goes nowhere, as a shell's ``>&-`` asks)."""
    import io
    import sys

    return sys.stdout if sys.stdout is not None else io.StringIO()


class _Stdout:
    """``sys.stdout`` (looked up at every call: test runners swap it) whose write errors name
    it: ``backprop predict … > /dev/full`` says ``<stdout>: cannot write: No space left on
    device``, not the bare system message. A closed pipe stays a BrokenPipeError (exit 141).
    The rich consoles' reports are written as ``echo`` writes (``_write``): on a stdout another
    program made non-blocking, ``explain --all-layers`` stopped after 54 of its 112 kB, exit 0."""

    def write(self, text: str) -> int:
        _write(text, data=False)
        return len(text)

    def flush(self) -> None:
        stream = _sys_stdout()
        try:
            _until_done(stream.flush, getattr(stream, "buffer", None))
        except BrokenPipeError:
            raise
        except OSError as e:
            raise _stdout_failed(e) from None

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding, … of the real stream
        return getattr(_sys_stdout(), name)


STDOUT = _Stdout()


class _Stderr:
    """``sys.stderr`` (looked up at every call) whose write errors are dropped: notes, progress
    and error lines are about the work, not the work. ``backprop train c.yaml --json 2>/dev/full``
    ended with exit 1 and no JSON, and a bad config with exit 1, a failed check's status, instead
    of 2; the work and its exit status now stand, the lines that could not be written are lost.
    A closed pipe stays a BrokenPipeError: its reader left (``… 2>&1 | head``), exit 141. A
    non-blocking stderr (node-based CI) is waited for, as stdout (``_write_to``): train --json's
    progress lost every epoch line that came while the pipe was full."""

    def write(self, text: str) -> int:
        try:
            if sys.stderr is not None:
                _write_to(sys.stderr, text, data=False)
        except BrokenPipeError:
            raise
        except (OSError, ValueError):  # a full disk, a failing device, a closed file
            pass
        return len(text)

    def flush(self) -> None:
        try:
            if sys.stderr is not None:
                _until_done(sys.stderr.flush, getattr(sys.stderr, "buffer", None))
        except BrokenPipeError:
            raise
        except (OSError, ValueError):
            pass

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding, … of the real stream
        import io

        return getattr(sys.stderr if sys.stderr is not None else io.StringIO(), name)


STDERR = _Stderr()


def _stdout_failed(e: OSError) -> Exception:
    """The one-line error for a failed write to stdout; what is still buffered goes nowhere, so
    Python's own flush at exit adds no second message."""
    import os
    import sys

    from ..errors import OutputError

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return OutputError(f"<stdout>: cannot write: {e.strerror or e}")


def echo(text: str, nl: bool = True, data: bool = False) -> None:
    """``text`` to stdout, its write errors naming it (see ``_Stdout``), a closed pipe a
    BrokenPipeError (exit 141).

    ``data``: machine-readable output (predict's CSV or JSON, config show's YAML, every --json)
    is written as UTF-8 whatever the locale, the bytes ``--out`` would write: in an ASCII locale
    the look-alikes for text (σ → s, é → e) rewrote class names and paths, so ``predict > p.csv``
    differed from ``predict --out p.csv``. Other text is encoded as the stream says.

    The bytes go to the stream's binary layer in a loop: with PYTHONUNBUFFERED=1 (set in many
    CI images) that layer is the raw file, whose write may take part of a large text (a pipe
    whose reader left), and the text layer silently dropped the rest: ``predict … | head -1``
    then ended with exit 0 instead of 141."""
    _write(text + "\n" if nl else text, data)


#: How many writes to stdout were begun (``_write``): a refusal under --json writes its object only where
#: the command has written nothing there (``boundary``), so stdout never holds two documents.
_stdout_writes = 0


def _write(text: str, data: bool) -> None:
    """``echo``'s write (and the rich consoles', through ``_Stdout``): the whole text or an error."""
    global _stdout_writes
    if text:
        _stdout_writes += 1
    try:
        _write_to(_sys_stdout(), text, data)
    except BrokenPipeError:
        raise
    except OSError as e:
        raise _stdout_failed(e) from None


def _write_to(stream: Any, text: str, data: bool) -> None:
    """The whole ``text`` to ``stream`` (stdout or stderr) through its binary layer (see ``echo``),
    waiting for room where another program made it non-blocking; OSError otherwise."""
    binary = getattr(stream, "buffer", None)
    if binary is None:  # a text-only stream (an embedding program's)
        stream.write(text)
        return
    encoding = "utf-8" if data else (getattr(stream, "encoding", None) or "utf-8")
    # data: a name read from the file system (undecodable bytes, surrogate-escaped) goes back as its bytes
    errors = "surrogateescape" if data else (getattr(stream, "errors", None) or "strict")
    if errors == "backprop_ascii":  # an ASCII or Latin-1 stream: the report's symbols as look-alikes, cell by cell
        from .. import fit_to_encoding

        text = fit_to_encoding(text, encoding)
    encoded = text.encode(encoding, errors)
    _until_done(stream.flush, binary)  # what was printed before goes first
    view = memoryview(encoded)
    while view:
        try:
            written = binary.write(view)
        except BlockingIOError as e:  # a stream another program made non-blocking: wait for room
            written = e.characters_written
            _wait_for_room(binary)
        if written is None:  # the raw file of a non-blocking stream, full for now
            written = 0
            _wait_for_room(binary)
        view = view[written:]
    _until_done(binary.flush, binary)


def _until_done(flush: Any, binary: Any) -> None:
    """``flush()``, waiting for room while a non-blocking stdout is full (BlockingIOError)."""
    while True:
        try:
            flush()
            return
        except BlockingIOError:
            if binary is None:
                raise
            _wait_for_room(binary)


def _wait_for_room(binary: Any) -> None:
    import select

    try:
        select.select([], [binary.fileno()], [], 1.0)
    except (OSError, ValueError, AttributeError):  # no file descriptor: try again at once
        pass


def sane_terminal_size() -> None:
    """Forget a COLUMNS or LINES of 0 (some CI runners and ``docker exec`` export the size of a
    terminal they do not have as 0): rich took COLUMNS=0 as a width of 0 and printed nothing at
    all, reports and error lines alike (exit statuses alone). Without it, rich measures the
    terminal, or takes 80 columns for a pipe."""
    import os

    for name in ("COLUMNS", "LINES"):
        if os.environ.get(name, "").strip() == "0":
            del os.environ[name]


def stdout() -> Console:
    sane_terminal_size()
    # emoji=False: rich would turn ':fire:' in 'mine.py:fire: …' (a FILE.py:FUNCTION) into 🔥
    return _Console(file=STDOUT, highlight=False, emoji=False)  # type: ignore[arg-type]


def stderr() -> Console:
    sane_terminal_size()
    return _Console(file=STDERR, highlight=False, emoji=False)  # type: ignore[arg-type]


def refusal_json(message: str, source: str = "input", hint: str | None = None, file: str | None = None,
                 line: int | None = None) -> str:
    """The object a refused run (exit 2) of a command given --json (explain's --format json) prints on
    stdout besides its error line: ``{"status": "error", "source": "input", "error": message}`` (gradcheck's
    "source" is "backward" where the --backward code is at fault), with "file", "line" and "hint" when
    known. ``message``: the error line's, without its ``error: ``."""
    import json

    found = {"status": "error", "source": source, "error": message}
    found.update({k: v for k, v in (("file", file), ("line", line), ("hint", hint)) if v is not None})
    return json.dumps(found)


def refusal_on_stdout(message: str, source: str = "input", hint: str | None = None, file: str | None = None,
                      line: int | None = None) -> None:
    """:func:`refusal_json` on stdout: nothing where stdout cannot take it, an OutputError or a closed
    pipe (``train x.yaml --json | true``): the error line on stderr and exit 2 still say the refusal,
    as without --json (a closed pipe ended it with exit 141 and no word); the rest of stdout goes
    nowhere then (no "Exception ignored" at exit)."""
    refusal_document(refusal_json(message, source, hint, file, line))


def refusal_document(text: str) -> None:
    """A refusal's JSON ``text`` on stdout (:func:`refusal_on_stdout`'s, config validate's ``{"valid":
    false, …}``): left out where stdout is a closed pipe or cannot be written; the error line and exit 2
    follow all the same."""
    from ..errors import OutputError

    try:
        echo(text, data=True)
    except BrokenPipeError:
        _closed_pipe()  # (its stdout sent to os.devnull; not raised: the refusal's exit is 2)
    except OutputError:
        pass


@contextmanager
def boundary(json_refusal: bool = False) -> Iterator[None]:
    """Turn our errors into one line on stderr (plus a hint line) and an exit code; no traceback.

    ``json_refusal``: the command's --json (explain's --format json) was given: a run refused with
    exit 2 (a BackpropError, or the last resorts' MemoryError and OSError) also writes
    :func:`refusal_json` on stdout, before its error line, so a script parsing stdout gets the error
    as it gets a result. Not for an OutputError (stdout cannot take it), nor where the command has
    already written to stdout (its result: a second document would follow it); other exits (1, 3,
    130, …) write none."""
    from ..errors import BackpropError, BackwardError, OutputError
    from ..names import cli_option_names

    written = _stdout_writes

    def as_json(message: str, hint: str | None = None, source: str = "input", file: str | None = None,
                line: int | None = None) -> None:
        if json_refusal and _stdout_writes == written:
            refusal_on_stdout(message, source, hint, file, line)

    try:
        with cli_option_names():  # the core's errors name --layer, --neuron, --weight, not the Python arguments
            yield
    except BackpropError as e:
        if e.exit_code == 2 and not isinstance(e, OutputError):
            as_json(e.message, e.hint, "backward" if isinstance(e, BackwardError) else "input",
                    getattr(e, "file", None), getattr(e, "line", None))
        err = stderr()
        for error in getattr(e, "errors", (e,)):  # config validate's several (errors.ConfigErrors)
            err.print(f"[bold red]error:[/] {escape(error.message)}", soft_wrap=True)
            if error.hint:
                err.print(f"[dim]hint:[/] {escape(error.hint)}", soft_wrap=True)
        raise typer.Exit(code=e.exit_code) from None
    except MemoryError as e:  # a last resort: sizes are estimated and refused up front (experiment.py)
        detail = " ".join(str(e).split())
        message = f"ran out of memory{f' ({detail})' if detail else ''}"
        hint = "use a smaller network, training.batch_size or data set"
        as_json(message, hint)
        err = stderr()
        err.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
        err.print(f"[dim]hint:[/] {escape(hint)}", soft_wrap=True)
        raise typer.Exit(code=2) from None
    except KeyboardInterrupt:  # Ctrl-C in gradcheck, explain, evaluate… (train stops on its own
        # and says what a second one kept; before training, here): one word instead of typer's silent exit 130
        from .. import INTERRUPTED_EXIT

        stderr().print("interrupted", soft_wrap=True)
        raise typer.Exit(code=INTERRUPTED_EXIT) from None
    except BrokenPipeError:  # typer.echo into a closed pipe (rich consoles raise it themselves)
        raise _closed_pipe() from None
    except OSError as e:  # a last resort: the system refused (a full disk, no permission, a long name)
        where = f"{e.filename}: " if e.filename else ""
        as_json(where + str(e.strerror or e))
        stderr().print(f"[bold red]error:[/] {escape(where + str(e.strerror or e))}", soft_wrap=True)
        raise typer.Exit(code=2) from None


def writable_folder(folder: Path, option: str = "--out", what: str = "the folder", hint: str | None = None) -> None:
    """Make ``folder`` (and its parents) and check that files can be created in it, so that a
    read-only or foreign folder is reported now, by its option, not at the first write after
    minutes of work (and not by the name of a temporary file). ``option`` "": a folder the user
    gave as no option (plot's run folder), which messages call ``what``; ``hint``: the error's."""
    import tempfile

    from ..errors import ConfigError

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        cannot = f"cannot create {what}" if not folder.is_dir() else f"cannot write into {what}"
        name = f"{option} {folder}" if option else str(folder)
        raise ConfigError(f"{name}: {cannot}: {not_a_folder(folder) or e.strerror or e}", hint) from None


def not_a_folder(folder: Path) -> str | None:
    """'notes.txt is a file, not a folder' when a part of ``folder``'s path that exists is not a
    folder (mkdir said only "File exists" or "Not a directory"); None otherwise."""
    for part in (folder, *folder.parents):
        try:
            if part.exists() or part.is_symlink():
                return None if part.is_dir() else f"{part} is a file, not a folder"
        except OSError:
            return None
    return None


def stdin_bytes(what: str, example: str) -> BinaryIO:
    """Standard input as a binary stream for the CSV reader, which reads it once. ``what``
    names the argument that asked for it (e.g. ``--data '-'``), ``example`` is a pipeline for
    the hint when standard input is a terminal."""
    import sys

    from ..errors import ConfigError

    problem = _stdin_unusable()
    if problem is not None:
        raise ConfigError(f"{what} reads a CSV from standard input, but standard input is {problem}",
                          f"pipe a file in: {example}")
    return sys.stdin.buffer


@contextmanager
def rows_not_yaml(stream: BinaryIO, where: str, hint: str) -> Iterator[None]:
    """Reading CSV rows from ``stream`` (standard input) in the block: a config piped in instead
    (``cat configs/iris.yaml | backprop predict m.npz -``) was said as 'columns … not found …; the file has:
    # Iris (Fisher 1936): …', its first comment line read as the header. Its start, peeked at before the
    read, is tried as YAML: where the read fails and it looks like a config's keys, that is said instead,
    as predict says of a .yaml path."""
    from ..errors import DataError

    try:
        if hasattr(stream, "peek"):  # a pipe's buffered reader: what its first read brought
            head = stream.peek(65536)[:65536].decode("utf-8", "replace")
        elif stream.seekable():  # a file redirected in (< x.yaml), a test's bytes
            at = stream.tell()
            head = stream.read(65536).decode("utf-8", "replace")
            stream.seek(at)
        else:
            head = ""
    except (OSError, ValueError):
        head = ""
    try:
        yield
    except DataError:
        keys = _yaml_top_keys(head)
        if keys is None:
            raise
        raise DataError(f"{where}: looks like a YAML config (keys {keys}), not a CSV file of rows", hint) from None


def _yaml_top_keys(text: str) -> str | None:
    """``seed, data, network, …``: the top-level keys of text that starts as a YAML mapping does (its first
    line that is no comment a ``key:``, with no comma but in a flow value, ``key: {…}``), else None."""
    import re

    key = re.compile(r"([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]|$)")
    content = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith(("#", "---"))]
    first = key.match(content[0]) if content else None
    if first is None or "," in content[0] and not content[0][first.end():].lstrip().startswith(("{", "[")):
        return None  # 'a,b': a CSV header; 'network: {layers: [4, 3]}' a YAML one
    names = list(dict.fromkeys(m.group(1) for line in content if (m := key.match(line))))
    return ", ".join(names[:6]) + (", …" if len(names) > 6 else "")


def _stdin_unusable() -> str | None:
    """Why standard input cannot be read for a '-': ``"closed (<&-)"`` (no sys.stdin: Python found file
    descriptor 0 closed at start, or it is not open now), ``"a terminal"``; None where it can be."""
    import io
    import os
    import sys

    if sys.stdin is None:
        return "closed (<&-)"
    try:
        os.fstat(sys.stdin.fileno())
    except io.UnsupportedOperation:  # a stream with no descriptor (a test's, a notebook's): read as it is
        pass
    except (OSError, ValueError):  # descriptor 0 not open, or sys.stdin closed
        return "closed (<&-)"
    return "a terminal" if sys.stdin.isatty() else None


def _running_command() -> str:
    """The command running, as a hint repeats it: ``backprop config validate``, ``python -m backprop_cli
    explain`` (``backprop train`` outside a command's context)."""
    import importlib

    from ..cli import _program

    ctx = importlib.import_module(typer.BadParameter.__module__.rpartition(".")[0] + ".globals").get_current_context(
        silent=True)
    words: list[str] = []
    while ctx is not None and ctx.parent is not None:  # "train", "config validate": not the program's name
        words.insert(0, ctx.info_name)
        ctx = ctx.parent
    return f"{_program()} {' '.join(words) or 'train'}"


def _stdin_config() -> Path:
    """CONFIG '-': the config piped to standard input (``sed 's/…/' x.yaml | backprop train -``),
    read through /dev/stdin like any pipe (its relative paths from the current folder)."""
    from ..errors import ConfigError

    problem = _stdin_unusable()
    if problem is not None:
        raise ConfigError(f"CONFIG '-' reads a YAML config from standard input, but standard input is {problem}",
                          f"pipe one in: cat configs/xor.yaml | {_running_command()} -")
    stdin = Path("/dev/stdin")
    if not stdin.exists():  # pragma: no cover - Windows
        raise ConfigError("CONFIG '-': this system has no /dev/stdin to read a config from; give a file")
    return stdin


def _as_typed(value: Any, option: str | None = None) -> str:
    """An option's value as a hint repeats it: for a float, the text typed for ``option`` (``--lr 1e-3``,
    ``--lr 1.0``: typer gives the float, not the text; :func:`number_type` keeps it), else a whole float as
    a whole number (``--lr 1``); any other as :func:`shown` gives it."""
    if isinstance(value, float):
        import importlib

        # the click typer uses (see number_type): its context of the command running, None outside one
        ctx = importlib.import_module(typer.BadParameter.__module__.rpartition(".")[0] + ".globals").get_current_context(
            silent=True)
        typed, number = (ctx.meta.get(_TYPED_META, {}) if ctx is not None else {}).get(option, (None, None))
        if typed and number == value and typed.isprintable() and len(typed) <= 40:
            return typed
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
    return shown(value)


def load(
    config: Path | None, overrides: dict[str, Any] | None = None, sets: list[str] | None = None,
    every: bool = False,
) -> Config:
    """Load the config (or the built-in default) with command-line overrides applied.

    ``sets`` are ``--set KEY=VALUE`` items; ``overrides`` (dedicated options, None
    when not given) win over them. ``every``: an invalid config raises every error of one field's
    own value (``errors.ConfigErrors`` where there are several: ``config validate``), not the first.
    """
    from ..config import load_config
    from ..errors import ConfigError

    name = None
    merged = parse_sets(sets, config)
    given_sets = dict(merged)
    if config is not None and str(config) == "-":
        config, name = _stdin_config(), "<stdin>"  # as predict and evaluate call it
    options = {k: v for k, v in (overrides or {}).items() if v is not None}
    merged.update(options)
    as_typed = {k: f"{_FIELD_OPTION_NAMES.get(k, k)} {_as_typed(v, _FIELD_OPTION_NAMES.get(k))}"
                for k, v in options.items()}
    try:
        cfg = load_config(config, merged, name, checked=as_typed, sets=given_sets,
                          typed_as={**_sets_typed(sets or []), **as_typed}, every=every)
    except ConfigError as e:
        for error in getattr(e, "errors", (e,)):
            _hint_empty_set(error, sets or [])
        raise
    _check_replaced_sets(cfg, given_sets, options, _sets_typed(sets or []))
    return cfg


def _sets_typed(sets: list[str]) -> dict[str, str]:
    """Each --set's field path -> the --set as typed (``--set lr=-1``), which its errors quote; a
    section given twice (merged): both."""
    from ..config import canonical_field_path

    typed: dict[str, str] = {}
    for item in sets:
        key = canonical_field_path(item.partition("=")[0].strip())
        text = item if item.isprintable() and item == item.strip() else shown(item)
        if len(text) > 120:  # a long VALUE (900 digits) is the message's to show, shortened
            text = f"{item.partition('=')[0].strip()}=…"
        typed[key] = f"{typed[key]} --set {text}" if key in typed else f"--set {text}"
    return typed


def _hint_empty_set(e: Any, sets: list[str]) -> None:
    """``--set training.epochs=`` refused as null (the VALUE left out, or typed after a space as
    bash's completion of KEY= leaves one): a hint to write the value right after the '='."""
    if e.hint is not None:
        return
    for item in sets:
        key, sep, value = item.partition("=")
        how = _no_value(value) if sep and _reads_as_null(value) else None
        if how is None or not key.strip():
            continue
        if e.message.startswith(f"{next(iter(_sets_typed([item]).values()))}: "):
            if how == "empty":
                e.hint = (f"--set {item} gives no VALUE (YAML's null); write it right after the '=', no space "
                          f"between: --set {key.strip()}=VALUE")
            else:  # training.epochs=#5: a comment
                e.hint = (f"--set {item} gives no VALUE (YAML's null): YAML reads "
                          f"{'a VALUE starting with # as a comment' if how == 'comment' else 'this VALUE as none'}; "
                          f"write the value itself, quoted for YAML if it is text: "
                          f"{_yaml_quoted_set(key.strip(), value.strip())}")
            return


#: The options that override a config field (train's; explain's --seed), as the messages name them.
_FIELD_OPTION_NAMES = {"training.epochs": "--epochs", "training.learning_rate": "--lr", "seed": "--seed",
                       "training.checkpoint_every": "--checkpoint-every"}


def _check_replaced_sets(cfg: Config, sets: dict[str, Any], options: dict[str, Any], typed_as: dict[str, str]) -> None:
    """A --set whose field an option replaces (``--set training.epochs=abc --epochs 1``) is still
    checked: an invalid one is an error naming the --set, not silently dropped. Checked on the
    resolved config with that --set alone applied."""
    from ..config import canonical_field_path, config_from_dict
    from ..errors import ConfigError

    for key, value in sets.items():
        replaced = [o for o in options if canonical_field_path(o) == key or canonical_field_path(o).startswith(f"{key}.")]
        if not replaced:
            continue
        try:
            config_from_dict(cfg.to_dict(), cfg.source, Path.cwd(), {key: value}, typed_as)
        except ConfigError as e:
            try:  # the resolved config read back alone: an error of its own is none of the --set's
                config_from_dict(cfg.to_dict(), cfg.source, Path.cwd())
            except ConfigError:  # pragma: no cover - config show's output is itself a valid config
                return
            option = replaced[0]
            named = f"{_FIELD_OPTION_NAMES.get(canonical_field_path(option), option)} {shown(options[option])}"
            error = ConfigError(e.message, f"{named} replaces it, but the --set is checked still: drop it, or give a "
                                "valid value")
            error.field_message = e.field_message
            raise error from None


def _note_other_data(model: Path, stored: Any, changed: Any) -> None:
    """A note on stderr when a seed or data field given with --model differs from the model's
    stored config: the data are then drawn and split with it, so the training examples (and
    ``--example N``) may not be the ones the model was trained on (xor's truth table does not
    depend on the seed; a noisy or split data set does)."""
    old, new = stored.to_dict(), changed.to_dict()
    diffs = [f"seed {new['seed']} (the model's: {old['seed']})"] if new["seed"] != old["seed"] else []
    diffs += [f"data.{k} {shown(new['data'][k])} (the model's: {shown(old['data'][k])})"
              for k in new["data"] if new["data"][k] != old["data"].get(k)]
    if diffs:
        from ..render import print_note

        print_note(stderr(), f"note: {', '.join(diffs)}: the data are drawn and split with it, so the examples "
                   f"may not be the ones {model} was trained on")


def experiment_for(
    config: Path | None,
    model: Path | None,
    overrides: dict[str, Any] | None = None,
    sets: list[str] | None = None,
    footprint: Footprint | None = None,
    own_example: bool = False,
) -> Experiment:
    """The data and network a checking command works on.

    With ``model``: the stored config gives the data and architecture, the stored
    weights replace the fresh ones, and the stored standardization is applied; a --set
    that would change the network itself (layers, activations, cost, dtype, L2 λ, or its
    given initial network.weights and network.biases) is refused.
    Without: a freshly initialised network from the config (or the default).
    ``footprint``: the command's memory estimate, checked before anything large is
    allocated (``experiment.prepare``).
    ``own_example``: the command's example is given with --x and --y: a config that names no
    data, or a model saved from arrays, reads none (``experiment.example_only``: its splits are
    empty); the data a config names is read and held to its network still.
    """
    from ..config import config_from_dict
    from ..errors import ConfigError, DataError
    from ..experiment import example_only, prepare
    from ..model_io import load_model, model_file, network_differences

    if model is None:
        cfg = load(config, overrides, sets)
        if own_example and not cfg.data_named:
            return example_only(cfg, footprint)
        return prepare(cfg, footprint=footprint, own_example=own_example)
    if config is not None:
        parse_sets(sets, config)  # --set seed 3: its 3 was taken for a CONFIG; say that first
        raise ConfigError(
            f"give either a CONFIG or --model, not both (the model {model} stores its own config)"
        )
    model = model_file(model)  # a run folder: its model.npz, named as such in messages
    saved = load_model(model)
    cfg = saved.config
    merged = parse_sets(sets)
    options = {k: v for k, v in (overrides or {}).items() if v is not None}
    by = " and ".join(w for w, used in (("--set", merged), ("the command's options", options)) if used)
    merged.update(options)
    no_data = not saved.has_data and not any(k.split(".")[0] == "data" for k in merged)
    if no_data and not own_example:
        from ..model_io import no_data_message

        raise DataError(no_data_message(model, "to take examples from"),
                        "give its data with --set data.path=FILE.csv (its feature and target columns), an example of "
                        "your own with --x and --y, which needs none, or explain and check it from Python "
                        "(backprop_cli.explain.explain_layer, check_gradients)")
    if merged:  # a problem is then the change's, not the stored config's: say both
        stored = cfg.to_dict()
        if not saved.has_data:  # its data section is only the default: the --set data.* are the data
            del stored["data"]
        typed_as = {**_sets_typed(sets or []),
                    **{k: f"{_FIELD_OPTION_NAMES.get(k, k)} {shown(v)}" for k, v in options.items()}}
        cfg = config_from_dict(stored, f"{model} (stored config, changed by {by})", Path.cwd(), merged, typed_as)
        # the model's own network is used (its stored weights): a change to what defines it
        # would be silently ignored (--set network.activation=relu explained the tanh net)
        for what, have, _ in network_differences(saved.net, cfg)[:1]:
            by_set = _changed_by(cfg, lambda c: any(w == what for w, _, _ in network_differences(saved.net, c)), what)
            raise ConfigError(f"{by_set}: {what} cannot change for a trained model ({model}): its network "
                              f"is the stored one, {shown(have)}")
        for key in ("weights", "biases"):  # the starting values of training: the model has trained ones
            if getattr(cfg.network, key) != getattr(saved.config.network, key):
                by_set = _changed_by(cfg, lambda c: getattr(c.network, key) != getattr(saved.config.network, key),
                                     f"network.{key}")
                raise ConfigError(f"{by_set}: network.{key} cannot change for a trained model ({model}): its "
                                  f"{key} are the stored, trained ones; to explain or check given {key}, "
                                  "give a config instead of --model")
        _note_other_data(model, saved.config, cfg)
    if no_data or own_example and _stores_its_example(saved, merged):
        # its --x and --y, in its own units (its stored scaling), with its names and classes: its data file is
        # not read (a model whose training CSV has moved was refused, 'data.path: …: no such file')
        return example_only(cfg, footprint, net=saved.net, standardizer=saved.standardizer, model=saved)
    # the model's own scaling; its data file changed so that its network no longer fits it is said to be changed
    from ..runs import trained_on

    data_as_stored = not any(k.split(".")[0] == "data" for k in merged)
    what = "cannot take examples from its data"
    hint = ("give the data it was trained on with --set data.path=FILE.csv, or an example of your own with --x and "
            "--y, which needs no data")
    changed = trained_on(saved.data_digest, saved.net.sizes, what, model, hint) if data_as_stored else None
    try:
        exp = prepare(cfg, net=saved.net, standardizer=saved.standardizer, footprint=footprint,
                      own_example=own_example, trained_on=changed, digest=changed is not None)
    except DataError as e:  # its training file moved: where it is now, or an example that needs none
        if e.hint is not None and e.hint.startswith("a model stores the absolute path"):
            e.hint += "; give its new place with --set data.path=FILE.csv"
            if data_as_stored:  # (a data field --set reads the data for --x too)
                e.hint += ", or an example of your own with --x and --y, which needs no data"
        raise
    if changed is not None:  # changed but still fitting: its examples are not the ones it was trained and split on
        # (evaluate refused such a file, explain and gradcheck --model took their examples from it)
        from ..runs import check_same_data

        check_same_data(saved.data_digest, exp.data_digest, exp.train.source, what, model, hint)
    return exp


def _stores_its_example(saved: Any, merged: dict[str, Any]) -> bool:
    """Does the model ``saved`` store all that an example given with --x and --y takes from its data (its
    input names, its task and classes, its scaling where data.standardize is on), with no data field
    changed by a --set (data of the user's own choosing is read)? Files from before these were stored
    read their data for them."""
    if any(k.split(".")[0] == "data" for k in merged):
        return False
    return (saved.feature_names is not None and saved.task in ("classification", "regression")
            and (saved.task == "regression" or saved.class_names is not None)
            and (saved.standardizer is not None or not saved.config.data.standardize))


def _changed_by(cfg: Any, changed: Any, what: str) -> str:
    """The --sets, as typed (``--set network.layers=[4,5,3]``), that make ``changed(cfg)`` true: those
    without which it is false, or the config is no valid one (``--set network.output_activation=softmax
    --set cost=cross_entropy``: each needs the other). Where none is needed alone (``--set
    network.activation=tanh --set network.output_activation=tanh``: either changes the activations),
    every one that changes a field ``what`` names (``activations (network.activation,
    network.output_activation)``, ``network.layers``); ``--set`` where none can be told."""
    from ..config import HIDDEN_ONLY, _a_cause, without_sets

    sets = [(field, typed_as) for field, typed_as in getattr(cfg, "given_by", ()) if typed_as.startswith("--set ")]
    causes: list[str] = []
    for field, typed_as in sets:
        if typed_as not in causes:
            other = without_sets(cfg, (field,))
            if other is None or not changed(other):
                causes.append(typed_as)
    if not causes:
        fields = what[what.index("(") + 1:what.rindex(")")].split(", ") if "(" in what else [what]
        for field, typed_as in sets:
            written = "network.activation" if field == f"network.{HIDDEN_ONLY}" else field  # its other spelling
            if typed_as not in causes and written in fields and _a_cause(cfg, field):
                causes.append(typed_as)
    return " ".join(causes) or "--set"


def _own_x_option(instead: str, picks: str) -> object:
    """--x's help in each command's words: ``picks`` is the option it cannot go with, that
    command's own (explain's --example, gradcheck's --examples; neither has the other)."""
    return Annotated[Optional[str], typer.Option(
        "--x", help=f"Your own example instead of {instead}: its inputs x, in the data's units (standardized as "
        f"the training split was when the config says so), e.g. --x 0.05,0.10; with --y, not with {picks}. A config "
        "that names no data (no data.path or data.dataset) needs none: x is fed as given.",
        metavar="x1,x2")]


ExplainOwnXOpt = _own_x_option("a training one", "--example")
GradcheckOwnXOpt = _own_x_option("training ones", "--examples")
OwnYOpt = Annotated[Optional[str], typer.Option(
    "--y", help="The target y of --x's example: one number per output (e.g. --y 0.01,0.99), or one of the data's "
    "class names.", metavar="y1|CLASS")]


def _numbers(text: str, option: str, n: int, what: str, names: tuple[str, ...]) -> list[float]:
    """``--x 0.05,0.10`` (or spaces between, or in [ ]): ``n`` finite numbers, else one clear line."""
    import math

    from ..errors import ConfigError
    from ..wording import plural

    inner = text.strip()
    while len(inner) >= 2 and inner[0] + inner[-1] in ("[]", "()"):  # [1, 2], ((1, 2)): the pairs around it
        inner = inner[1:-1].strip()
    if any(c in inner for c in "[]()"):  # '[1,2', '1]', '[/]]': a bracket not closed, or closing none
        example = ",".join((["1"] + ["0"] * (n - 1)) if what == "output" else ["0.5"] * n)
        raise ConfigError(f"{option}: {_typed(text)} has a bracket that does not pair up; give {plural(n, 'number')}"
                          f"{' separated by commas' if n > 1 else ''}, bare or in one pair of brackets"
                          + (f", e.g. {option} [{example}]" if n <= 6 else ""))
    inner = inner[:-1] if inner.endswith(",") and not inner.endswith(",,") else inner  # [1, 2,] as Python writes it
    words = [w.strip() for w in inner.split(",")] if "," in inner else inner.split()
    if "," in inner and "" in words:  # '1,,2': a number left out, not a separator typed twice
        raise ConfigError(f"{option}: {shown(text)} has an empty entry (number {words.index('') + 1}); give "
                          f"{plural(n, 'number')} separated by commas")
    values = []
    for w in words:
        try:
            v = float(w)
        except ValueError:
            raise ConfigError(f"{option}: {shown(w)} is not a number; give {plural(n, 'number')}, one per "
                              f"{what} ({', '.join(names)})") from None
        if not math.isfinite(v):
            raise ConfigError(f"{option}: {w} is not a finite number")
        values.append(v)
    if len(values) != n:
        # a target one-hot (1, 0, 0): within every cost's domain, where 0.5,0.5,0.5 was refused next
        # by softmax's rule; past 6 numbers no example ('e.g. --x …' showed nothing)
        example = ",".join((["1"] + ["0"] * (n - 1)) if what == "output" else ["0.5"] * n)
        raise ConfigError(f"{option}: {plural(len(values), 'number')} for {plural(n, what)} "
                          f"({', '.join(names) if n <= 12 else f'{names[0]} … {names[-1]}'}); "
                          + ("give 1 number" if n == 1 else f"give {n}, separated by commas")
                          + (f", e.g. {option} {example}" if n <= 6 else ""))
    return values


def typed_x(exp: object, x_text: str) -> list[float]:
    """The numbers of --x as typed (before data.standardize), one per input of ``exp``'s network."""
    return _numbers(x_text, "--x", exp.net.sizes[0], "input",  # type: ignore[attr-defined]
                    tuple(exp.train.feature_names))  # type: ignore[attr-defined]


def _standardized_overflow(exp: object, typed: Any, x: Any) -> None:
    """--x entries that data.standardize's (x − mean) / scale takes past the largest float: one line naming
    the first (and how many more), its mean and scale, and how large an x that input can take."""
    import math

    import numpy as np

    from ..errors import ConfigError

    names = tuple(exp.train.feature_names)  # type: ignore[attr-defined]
    mean, scale = exp.standardizer.mean, exp.standardizer.scale  # type: ignore[attr-defined]
    bad = np.flatnonzero(~np.isfinite(x))
    j = int(bad[0])
    name = names[j] if j < len(names) else f"x{j + 1}"
    with np.errstate(over="ignore"):
        limit = float(scale[j]) * float(np.finfo(np.float64).max)
    if math.isfinite(limit):  # two digits, rounded down: an x within it standardizes to a finite number
        digits = 10.0 ** (math.floor(math.log10(limit)) - 1)
        limit = math.floor(limit / digits) * digits
    named = [f"{names[k] if k < len(names) else f'x{k + 1}'} = {shown(float(typed[k]))}" for k in bad[1:4]]
    others = f"; {', '.join(named)}{', …' if len(bad) > 4 else ''} {'overflow' if len(named) > 1 else 'overflows'} " \
             "too" if named else ""
    raise ConfigError(f"--x: {name} = {shown(float(typed[j]))} overflows when standardized as the training split was "
                      f"(data.standardize: mean {float(mean[j]):.6g}, scale {float(scale[j]):.3g}): "
                      f"(x − mean) / scale is beyond the largest float, 1.8e308; allowed: |x − mean| up to "
                      f"{shown(float(f'{limit:.2g}')) if math.isfinite(limit) else 'the largest float'} for {name}{others}")


def own_example(exp: object, x_text: str | None, y_text: str | None) -> tuple[object, object]:
    """The example of --x and --y: x standardized as the training split was (a note on stderr
    gives a^(0)), y checked against the cost's domain as training data are."""
    import numpy as np

    from ..costs import rows_outside_domain
    from ..errors import ConfigError
    from ..names import canonical_name, did_you_mean, shown

    if x_text is None or y_text is None:
        raise ConfigError(f"{'--x' if x_text is not None else '--y'}: needs {'--y' if x_text is not None else '--x'} "
                          f"too; an example is its inputs x and its target y (the cost C0 compares a^(L) with y)")
    ds, net, cfg = exp.train, exp.net, exp.config  # type: ignore[attr-defined]
    n_out = net.sizes[-1]
    x = np.array([typed_x(exp, x_text)])
    if exp.standardizer is not None:  # type: ignore[attr-defined]
        typed, x = x[0], exp.standardizer.transform(x)  # type: ignore[attr-defined]
        if not np.isfinite(x).all():  # 1e308 with scale 0.418: (x − mean) / scale is beyond the largest float
            _standardized_overflow(exp, typed, x[0])
    names = tuple(ds.class_names or ())
    label = canonical_name(y_text.strip(), names) if names and y_text.strip() not in ("0", "1") else None
    if label is not None:  # a class: its one-hot row, or its 0/1 for one output of two classes
        y = np.zeros((1, n_out))
        if n_out == 1:
            y[0, 0] = names.index(label)
        else:
            y[0, names.index(label)] = 1.0
    else:
        target_names = tuple(f"{names[j]}" for j in range(n_out)) if len(names) == n_out else \
            tuple(ds.target_names) if len(ds.target_names) == n_out else tuple(f"y{j}" for j in range(n_out))
        try:
            y = np.array([_numbers(y_text, "--y", n_out, "output", target_names)])
        except ConfigError as e:
            if names and e.hint is None:
                near = did_you_mean(y_text.strip(), names)
                e.hint = (f"or give a class name: {', '.join(shown(n) for n in names[:8])}"
                          f"{', …' if len(names) > 8 else ''}{f' ({near.strip()})' if near else ''}")
            raise
    found = rows_outside_domain(cfg.cost, cfg.network.resolved_output_activation, y)
    if found is not None and found[0].any():
        raise ConfigError(f"--y: {found[1]}; ({', '.join(f'{v:g}' for v in y[0])}) is not")
    if exp.standardizer is not None:  # type: ignore[attr-defined]
        from ..render import print_note

        print_note(stderr(), f"note: --x standardized as the training split was (data.standardize): a^(0) = "
                             f"({', '.join(f'{v:.6g}' for v in x[0])})")
    return x[0], y[0]
