"""One rule for every enumerated name a user types: activations, costs, optimizers, schedules,
init schemes, data sets, tasks, dtypes, and the command line's ``--mode``/``--format``/``--dataset``.

A name matches its canonical spelling whatever its case, with ``-``, ``_`` and spaces alike
(``ReLU``, ``cross-entropy``, ``Cross Entropy``, ``half-squared-error``), or with them left out
where that names one value only (``crossentropy``). Whatever matched is replaced by the canonical
name, so everything afterwards (``config show``, a run's config.yaml, explain, JSON) sees only
that. Names other libraries use are the registries' business (``activations.activation_name``,
``costs.cost_name``): accepted where they mean exactly one of ours, explained where they do not.
"""

from __future__ import annotations

import difflib
import re
import reprlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .errors import ConfigError

_SEPARATORS = re.compile(r"[\s_\-]+")

_SHORT = reprlib.Repr()
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlevel = 60, 60, 3
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxset = _SHORT.maxdict = 6

#: Appended when YAML turned an unquoted yes/no/on/off into a boolean where none belongs.
READ_AS_BOOLEAN = "YAML reads unquoted yes/no/on/off/true/false as booleans"


def shown(v: Any) -> str:
    """A user's value as a message shows it: its repr, shortened when long or deep (a YAML
    alias can make a value huge or self-referencing); dates and other scalars as text; no value
    as YAML writes it, ``null`` (an empty ``activation:`` showed Python's ``None``)."""
    if v is None:
        return "null"
    if isinstance(v, (str, bytes, int, float, bool, list, dict, set)):
        return _SHORT.repr(v)
    return _SHORT.repr(str(v))


def name_key(text: str) -> str:
    """``'Cross Entropy'``, ``'cross-entropy'``, ``' CROSS_entropy '`` -> ``'cross_entropy'``."""
    return _SEPARATORS.sub("_", text.strip()).strip("_").casefold()


def loose_key(text: str) -> str:
    """The name without any separator: ``'binary_crossentropy'`` and ``'BinaryCrossentropy'``
    -> ``'binarycrossentropy'`` (how other libraries' names are looked up)."""
    return _SEPARATORS.sub("", text).casefold()


def canonical_name(value: Any, allowed: Iterable[str]) -> str | None:
    """The member of ``allowed`` that ``value`` names under the rule above, or None."""
    if not isinstance(value, str):
        return None
    allowed = tuple(allowed)
    if value in allowed:
        return value
    key = name_key(value)
    hits = [a for a in allowed if name_key(a) == key]
    if not hits:  # 'crossentropy', 'halfsquarederror': only where one name fits
        loose = loose_key(value)
        hits = [a for a in allowed if loose_key(a) == loose]
    return hits[0] if len(hits) == 1 else None


def _close(value: str, allowed: tuple[str, ...]) -> str | None:
    keys = {name_key(a): a for a in allowed}
    close = difflib.get_close_matches(name_key(value), list(keys), n=1, cutoff=0.6)
    return keys[close[0]] if close else None


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

    ``aliases`` maps other libraries' names (by ``loose_key``) to ours where they mean exactly the
    same; an alias to a name not in ``allowed`` is not used. ``explain(loose_key)`` gives, for a
    name that is known but refused, a note for the message (replacing the "did you mean") and a
    hint line, or (None, None).
    """
    allowed = tuple(allowed)
    found = canonical_name(value, allowed)
    if found is not None:
        return found
    listed = ", ".join(allowed)
    if isinstance(value, str):
        loose = loose_key(value)
        target = (aliases or {}).get(loose)
        if target in allowed:
            return target  # type: ignore[return-value]
        note, hint = explain(loose) if explain is not None else (None, None)
        if note is None:
            close = _close(value, allowed)
            note = f"did you mean {close!r}?" if close else None
        raise error(f"{path}: {shown(value)} is not one of: {listed}{f' ({note})' if note else ''}", hint)
    if value is None:  # YAML's null (``activation:`` left empty), not Python's None
        raise error(f"{path}: null is not one of: {listed} (YAML reads an empty value, null and ~ as no value; "
                    "leave the field out for its default)")
    if isinstance(value, (list, dict)):  # {name: adam, lr: 0.01}, as other tools nest a setting
        what = "a list" if isinstance(value, list) else "a mapping"
        raise error(f"{path}: {shown(value)} is {what}, not a name; give one of: {listed}")
    extra = f" ({READ_AS_BOOLEAN}; quote it if you meant a name)" if isinstance(value, bool) else ""
    raise error(f"{path}: {shown(value)} is not one of: {listed}{extra}")
