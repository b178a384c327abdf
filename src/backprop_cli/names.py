"""One rule for every enumerated name a user types: activations, costs, optimizers, schedules,
init schemes, data sets, tasks, dtypes, config keys, and the command line's ``--mode``/``--format``/
``--dataset``; and one form for every value a message quotes (:func:`shown`).

A name matches its canonical spelling (or another library's name for it) whatever its case, with
``-``, ``_`` and spaces alike, or with them left out: ``ReLU``, ``LeakyReLU``, ``cross-entropy``,
``Cross Entropy``, ``crossentropy``, ``learningRate``, ``FLOAT-64``. A separator may stand only
where the name has a word boundary (a ``_`` of the canonical name, or where letters meet digits):
``cro ss_entropy`` or ``epo chs`` breaks a word and is no name (its error says "did you mean").
Whatever matched is replaced by the canonical name, so everything afterwards (``config show``, a
run's config.yaml, explain, JSON) sees only that. Names other libraries use are the registries'
business (``activations.activation_name``, ``costs.cost_name``), spelled in their tables with
their word boundaries (``binary_cross_entropy``): accepted where they mean exactly one of ours,
explained where they do not.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from .errors import ConfigError

_SEPARATORS = re.compile(r"[\s_\-]+")
_T = TypeVar("_T")

#: Appended when YAML turned an unquoted yes/no/on/off into a boolean where none belongs.
READ_AS_BOOLEAN = "YAML reads unquoted yes/no/on/off/true/false as booleans"

# --- values in messages ----------------------------------------------------------------------

#: How much of a value a message shows: text and whole numbers longer than these are cut in the
#: middle, lists and mappings after _MAX_ITEMS entries, and nesting below _MAX_LEVEL levels (a
#: YAML alias can make a value huge, or a list that contains itself).
_MAX_TEXT, _MAX_DIGITS, _MAX_ITEMS, _MAX_LEVEL = 60, 40, 6, 3


def shown(v: Any) -> str:
    """A user's value as a message quotes it: as YAML writes it, in flow style, the form the user
    wrote or would write: ``{a: 1}``, ``[1, 2]``, ``true``, ``null``, ``0.1``, ``1e-8``, ``.inf``;
    text bare where YAML reads it as that text (``relu6``, ``Cross Entrop``) and quoted where YAML
    would read it otherwise or not at all (``'yes'``, ``'1e3'``, ``''``, ``' x'``, ``'a, b'``), a line
    break or control character escaped (``"a\\nb"``). Shortened when long or deep. numpy scalars
    and arrays are shown as the numbers and lists they hold (never ``np.float64(0.1)``); tuples as
    lists; dates as YAML writes them; anything else as its text."""
    return _flow(v, _MAX_LEVEL)


def typed(text: str) -> str:
    """A value typed on the command line as a message quotes it: as typed, bare (``--layer 9``
    says 9, where :func:`shown` writes YAML's '9', a text that reads as a number), shortened when
    long; quoted as :func:`shown` quotes it only when it is empty, has blanks at either end or a
    character that does not print."""
    if text and text == text.strip() and text.isprintable():
        return _cut(text, _MAX_TEXT)
    return shown(text)


def _flow(v: Any, level: int) -> str:
    if type(v).__module__ == "numpy" and hasattr(v, "tolist"):  # np.float64(0.1), np.bool_, an array
        v = _from_numpy(v)
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v) if abs(v) < 10**_MAX_DIGITS else _long_int(v)
    if isinstance(v, float):  # a config's 1e400 as written (config.WrittenFloat), not the .inf it became
        written = getattr(v, "written", None)
        return written if isinstance(written, str) else _float_text(v)
    if isinstance(v, str):
        return _text(v)
    if isinstance(v, (list, tuple, set, frozenset, dict)):
        if level <= 0:
            inside = "..." if v else ""
            return f"{{{inside}}}" if isinstance(v, (dict, set, frozenset)) else f"[{inside}]"
        items = list(v.items()) if isinstance(v, dict) else list(v)
        more = ", ..." if len(items) > _MAX_ITEMS else ""
        items = items[:_MAX_ITEMS]
        if isinstance(v, dict):  # a key as YAML writes it too: {true: 1}, {null: x}
            return "{" + ", ".join(f"{_flow(k, level - 1)}: {_flow(x, level - 1)}" for k, x in items) + more + "}"
        if isinstance(v, (set, frozenset)):  # YAML's !!set is a mapping of keys without values: {a, b}
            return "{" + ", ".join(_flow(x, level - 1) for x in items) + more + "}"
        return "[" + ", ".join(_flow(x, level - 1) for x in items) + more + "]"
    if isinstance(v, type):  # a class given for a value (dtype=np.float16): its name
        return _text(v.__name__)
    import datetime

    if isinstance(v, (datetime.date, datetime.datetime)):  # YAML's timestamps
        return _text(str(v), quote=False)
    return _text(str(v))


def _from_numpy(v: Any) -> Any:
    """A numpy scalar or array as the Python numbers and lists it holds, an array only as much of it
    as a message shows (the first _MAX_ITEMS + 1 entries along the axes shown, so that a weight
    matrix of millions is not converted whole), and a float of fewer than 64 bits by its own
    shortest digits: np.float32(0.1) is 0.1, not the 0.10000000149011612 its float64 value has (a
    longdouble by the float64 nearest it)."""
    shape = getattr(v, "shape", ())
    if shape:
        v = v[tuple(slice(0, _MAX_ITEMS + 1 if axis < _MAX_LEVEL else 1) for axis in range(len(shape)))]
    dtype = getattr(v, "dtype", None)
    if dtype is None or dtype.kind != "f" or dtype.itemsize == 8:
        return v.tolist()
    if shape:
        return [_from_numpy(x) for x in v]
    return float(str(v[()]))  # numpy's str of the scalar (a 0-d array's too): the shortest digits


def _long_int(v: int) -> str:
    """A whole number of more than _MAX_DIGITS digits by its first and last digits, ``1234...6789``,
    without writing it out (Python refuses to convert more than 4300 digits to text)."""
    n, half = abs(v), (_MAX_DIGITS - 3) // 2
    digits = int(math.log10(n)) + 1  # (a float: one too many just below a power of ten)
    digits -= 10 ** (digits - 1) > n
    head = str(n // 10 ** max(digits - half, 0))[:half]
    return f"{'-' if v < 0 else ''}{head}...{n % 10**half:0{half}d}"


def _float_text(x: float) -> str:
    """A float as YAML writes it, to every digit it has (``repr``), the exponent as a user writes it:
    ``0.1``, ``2.0``, ``1e-8``, ``1e30``, ``.inf``, ``-.inf``, ``.nan``."""
    if math.isnan(x):
        return ".nan"
    if math.isinf(x):
        return ".inf" if x > 0 else "-.inf"
    return re.sub(r"e([+-])0*(\d)", lambda m: f"e{'-' if m.group(1) == '-' else ''}{m.group(2)}", repr(x))


def _cut(text: str, limit: int) -> str:
    """``text`` shortened in the middle to about ``limit`` characters: ``aaaa...zzz``."""
    if len(text) <= limit:
        return text
    head = (limit - 3) // 2
    return text[:head] + "..." + text[len(text) - (limit - 3 - head):]


def _text(s: str, quote: bool = True) -> str:
    """Text as YAML writes it in flow style (within ``[...]``, the strictest place): bare, or quoted
    where YAML would read it as something else (a number, a boolean, null), as flow punctuation, or
    with blanks at either end; a line break or control character escaped in double quotes."""
    s = _cut(s, _MAX_TEXT)
    return _quoted(s) if quote else s


@functools.lru_cache(maxsize=4096)  # a message's names come again and again (11,000 cost checks a test run);
def _quoted(s: str) -> str:          # kept once cut, so that a long text is not held whole
    import yaml

    from .config import Dumper  # quotes what our loader reads as a number (1e3, 0o17) too

    if not s.isprintable():  # single quotes would fold 'a\nb' over two lines
        return '"' + "".join(_ESCAPES.get(c) or (c if c.isprintable() else _escape(c)) for c in s) + '"'
    out = yaml.dump([s], Dumper=Dumper, default_flow_style=True, allow_unicode=True, width=2**31 - 1)
    out = out.strip()[1:-1]
    if out.startswith("'") and "''" in out[1:-1] and '"' not in s and "\\" not in s:
        return f'"{s}"'  # a CSV cell '1' as "'1'" (YAML reads it so too), not YAML's own dump, three quotes a side
    return out


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(c: str) -> str:
    """A character YAML's double quotes escape, by its code (not YAML's rarer ``\\a``, ``\\e``, ``\\N``)."""
    n = ord(c)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


# --- names -----------------------------------------------------------------------------------

def name_key(text: str) -> str:
    """``'Cross Entropy'``, ``'cross-entropy'``, ``' CROSS_entropy '`` -> ``'cross_entropy'``."""
    return _SEPARATORS.sub("_", text.strip()).strip("_").casefold()


def loose_key(text: str) -> str:
    """The name without any separator: ``'binary_crossentropy'`` and ``'BinaryCrossentropy'``
    -> ``'binarycrossentropy'``."""
    return _SEPARATORS.sub("", text).casefold()


def _cuts(text: str) -> frozenset[int]:
    """Where ``text`` has a separator, as positions in its ``loose_key`` (blanks and separators at
    either end do not count): ``'cro ss_entropy'`` -> {3, 5}."""
    words = [w for w in _SEPARATORS.split(text) if w]
    cuts, at = set(), 0
    for w in words[:-1]:
        at += len(w.casefold())
        cuts.add(at)
    return frozenset(cuts)


def _boundaries(spelled: str) -> frozenset[int]:
    """Where a name has a word boundary, as positions in its ``loose_key``: its separators, and
    where letters meet digits (``float64``: 5, so ``FLOAT-64`` and ``fp 32`` are read)."""
    loose = loose_key(spelled)
    digits = {i for i in range(1, len(loose)) if loose[i - 1].isdigit() != loose[i].isdigit()}
    return _cuts(spelled) | digits


def names_it(value: str, spelled: str) -> bool:
    """``value`` is the name ``spelled`` (written with ``_`` at its word boundaries) under the rule
    above: the same letters whatever their case and separators, and each separator of ``value`` at a
    word boundary of ``spelled``: ``Leaky ReLU``, ``leakyrelu``, ``LeakyReLU`` name leaky_relu,
    ``leaky_re_lu`` does not."""
    return loose_key(value) == loose_key(spelled) and _cuts(value) <= _boundaries(spelled)


def canonical_name(value: Any, allowed: Iterable[str]) -> str | None:
    """The member of ``allowed`` that ``value`` names under the rule above, or None (no name, or
    more than one)."""
    if not isinstance(value, str):
        return None
    allowed = tuple(allowed)
    if value in allowed:
        return value
    key = name_key(value)
    hits = [a for a in allowed if name_key(a) == key] or [a for a in allowed if names_it(value, a)]
    return hits[0] if len(hits) == 1 else None


def lookup(value: Any, table: Mapping[str, _T]) -> _T | None:
    """The entry of ``table`` (other tools' names, spelled with their word boundaries:
    ``binary_cross_entropy``, ``n_epochs``) that ``value`` names under the rule above, or None."""
    name = canonical_name(value, table)
    return None if name is None else table[name]


def _close(value: str, allowed: tuple[str, ...]) -> str | None:
    keys = {name_key(a): a for a in allowed}
    close = difflib.get_close_matches(name_key(value), list(keys), n=1, cutoff=0.6)
    return keys[close[0]] if close else None


def nearest_name(value: str, allowed: Iterable[str]) -> str | None:
    """The member of ``allowed`` nearest ``value`` (by :func:`name_key`: case and separators aside), or
    None when none is near."""
    return _close(value, tuple(allowed))


def did_you_mean(value: Any, allowed: Iterable[str]) -> str | None:
    """``did you mean relu?`` for the member of ``allowed`` nearest ``value``, or None."""
    close = _close(value, tuple(allowed)) if isinstance(value, str) else None
    return f"did you mean {shown(close)}?" if close else None


def choose(
    value: Any,
    path: str,
    allowed: Iterable[str],
    *,
    aliases: Mapping[str, str] | None = None,
    explain: Callable[[str], tuple[str | None, str | None]] | None = None,
    error: type[ConfigError] | Callable[..., Exception] = ConfigError,
) -> str:
    """The canonical name ``value`` stands for, or an error naming ``path``, the value and the
    allowed names.

    ``aliases`` maps other libraries' names (spelled with their word boundaries, read by
    :func:`lookup`) to ours where they mean exactly the same; an alias to a name not in ``allowed``
    is not used. ``explain(value)`` gives, for a name that is known but refused, a note for the
    message (replacing the "did you mean") and a hint line, or (None, None).
    """
    allowed = tuple(allowed)
    found = canonical_name(value, allowed)
    if found is not None:
        return found
    listed = ", ".join(allowed)
    if isinstance(value, str):
        target = lookup(value, aliases or {})
        if target in allowed:
            return target  # type: ignore[return-value]
        note, hint = explain(value) if explain is not None else (None, None)
        if note is None:  # a name with a word broken ('dou ble', 'cro ss_entropy'): the name it breaks
            loose = loose_key(value)
            near = {a for a in allowed if loose_key(a) == loose} | {
                t for k, t in (aliases or {}).items() if t in allowed and loose_key(k) == loose}
            note = f"did you mean {shown(near.pop())}?" if len(near) == 1 else did_you_mean(value, allowed)
        raise error(f"{path}: {shown(value)} is not one of: {listed}{f' ({note})' if note else ''}", hint)
    if value is None:  # YAML's null (``activation:`` left empty), not Python's None
        raise error(f"{path}: null is not one of: {listed} (YAML reads an empty value, null and ~ as no value; "
                    "leave the field out for its default)")
    if isinstance(value, (list, dict)):  # {name: adam, lr: 0.01}, as other tools nest a setting
        what = "a list" if isinstance(value, list) else "a mapping"
        raise error(f"{path}: {shown(value)} is {what}, not a name; give one of: {listed}")
    extra = f" ({READ_AS_BOOLEAN}; quote it if you meant a name)" if isinstance(value, bool) else ""
    raise error(f"{path}: {shown(value)} is not one of: {listed}{extra}")


#: How errors name the arguments that pick a layer, a neuron and a weight: the Python API's own names
#: (``explain_layer(…, layer=5)`` was told ``--layer: 5 is not a layer``); the CLI sets its options'
#: (``cli_option_names``) in ``commands.common.boundary``, around every command.
OPTION_NAMES: ContextVar[dict[str, str]] = ContextVar(
    "OPTION_NAMES", default={"layer": "layer", "neuron": "neuron", "weight": "weight"})


@contextmanager
def cli_option_names() -> Iterator[None]:
    """Within it, errors name --layer, --neuron and --weight (the command line's words)."""
    token = OPTION_NAMES.set({"layer": "--layer", "neuron": "--neuron", "weight": "--weight"})
    try:
        yield
    finally:
        OPTION_NAMES.reset(token)
