"""parse_yaml reads a config with libyaml's parser where PyYAML has it, and with PyYAML's own
otherwise: the two must give every document the same values (types, key order, a float's written
form) or the one PyYAML-worded refusal."""
import math
import random
from pathlib import Path

import pytest
import yaml

from backprop_cli import config
from backprop_cli.config import parse_yaml
from backprop_cli.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent

needs_libyaml = pytest.mark.skipif(not config._FAST, reason="PyYAML without libyaml: one parser only")


def _canon(v):
    """A value with everything a config reader relies on spelled out: types (1 is not 1.0 or True),
    key order, NaN, and the written text a float keeps for messages."""
    if isinstance(v, dict):
        return ("dict", tuple((_canon(k), _canon(x)) for k, x in v.items()))
    if isinstance(v, list):
        return ("list", tuple(_canon(x) for x in v))
    if isinstance(v, float):
        return (type(v).__name__, "nan" if math.isnan(v) else repr(v), getattr(v, "written", None))
    return (type(v).__name__, repr(v))


def _read(text, loader):
    try:
        return "read", _canon(yaml.load(text, Loader=loader))  # noqa: S506 - both are safe loaders
    except Exception as e:  # noqa: BLE001 - which refusal does not matter here: PyYAML words them all
        return "refused", type(e).__name__


def _shipped() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "configs").glob("*.yaml"))]


# Characters and words that make YAML mean something else, for the mutations below.
_TRICKY = list(":-[]{},#&*'\"%@`\n \r\\0123456789.eE+_xo~") + [
    "yes", "no", "on", "null", "true", ".inf", ".nan", "1e3", "1e-3", "0o17", "0x1f", "1:30", "010", "<<",
    "---", "...", "&a", "*a", "\n  ", "\n- ", ": ", " #", "1_000", "-.5", "[", "{a: 1}",
    "δ", "−", "\xa0", "\u3000", "\U0001f600", "e\u0301", "\u200b", "\r\n", "\u00ad",  # read alike
]


def _mutated(n: int, seed: int) -> list[str]:
    rng, texts = random.Random(seed), []
    seeds = _shipped()
    for _ in range(n):
        s = rng.choice(seeds)
        for _ in range(rng.randint(1, 6)):
            at, what = rng.randint(0, len(s)), rng.random()
            if what < 0.4:
                s = s[:at] + rng.choice(_TRICKY) + s[at:]
            elif what < 0.7:
                s = s[:at] + s[at + rng.randint(1, 3):]
            else:
                s = s[:at] + rng.choice(_TRICKY) + s[at + 1:]
        texts.append(s)
    return texts


@needs_libyaml
def test_a_plain_config_is_read_by_libyaml(monkeypatch):
    """The fast path is taken (else the tests below would hold nothing to account)."""
    monkeypatch.setattr(config, "_Loader", None)  # PyYAML's own reading would now fail
    assert parse_yaml((ROOT / "configs" / "xor.yaml").read_text(encoding="utf-8"), "x")["network"]


@needs_libyaml
@pytest.mark.parametrize("text", _shipped(), ids=lambda t: t.split("\n", 1)[0][:30])
def test_the_shipped_configs_read_the_same_by_both(text):
    assert _read(text, config._FastLoader) == _read(text, config._Loader)


@needs_libyaml
def test_whatever_libyaml_reads_pyyaml_reads_the_same():
    """Over mutated configs (numbers that are text in YAML 1.1, quotes, flow and block collections,
    anchors, merges, duplicate keys, comments): where the fast path is taken and libyaml reads the
    document, PyYAML reads the same values; what libyaml refuses goes to PyYAML. A 350,000-document
    run of this found the characters _PYYAML_ONLY sends to PyYAML."""
    read = 0
    for text in _mutated(400, seed=5):
        if config._PYYAML_ONLY.search(text):
            continue
        fast = _read(text, config._FastLoader)
        if fast[0] == "read":
            read += 1
            assert fast == _read(text, config._Loader), text
    assert read > 150  # the mutations leave most documents readable: the comparison is not empty


@pytest.mark.parametrize("text, expected", [
    ("!", None),                        # libyaml: ''
    ("a: |#x", ConfigError),            # libyaml: {'a': ''}
    ("[0.0?1, 2]", ConfigError),        # libyaml: ['0.0?1', 2]
    ("\ufeffa: 1\n", {"a": 1}),          # a byte-order mark at the start: both skip it
    ("\n\ufeffa: 1\n", {"\ufeffa": 1}),  # past the start, libyaml drops it: {'a': 1}
    ("- \x85a", ConfigError),           # NEL: libyaml reads ['a']
    ("epochs: 5\t# note\n", {"epochs": 5}),  # a separating tab: read as a space (libyaml reads it too)
    ("path: my-\tfile.csv\n", ConfigError),  # a tab between a value's words (libyaml: 'my-\tfile.csv')
])
def test_where_the_parsers_differ_pyyamls_reading_stands(text, expected):
    if expected is ConfigError:
        with pytest.raises(ConfigError):
            parse_yaml(text, "x")
    else:
        assert parse_yaml(text, "x") == expected


def test_a_refusal_is_worded_from_pyyaml_with_its_line_and_column():
    """libyaml refuses first; the message is PyYAML's, as it was before the fast path."""
    with pytest.raises(ConfigError, match=r"^x: YAML error \(line 2, column 5\): mapping values are not allowed here"):
        parse_yaml("a: 1\nb: c: d\n", "x")


@pytest.mark.parametrize("depth, reads", [(99, True), (100, True), (101, False), (600, False)])
def test_a_deeply_nested_document_is_read_as_pyyaml_reads_it(monkeypatch, depth, reads):
    """Deeper than 100 lists, PyYAML's own reading stands (600 deep is "nested too deeply to read",
    tests/test_bad_inputs.py): what reads a config recurses too."""
    text = "[" * depth + "]" * depth
    seen = _spied(monkeypatch)
    try:
        parse_yaml(text, "x")
    except ConfigError as e:
        assert depth == 600 and "nested too deeply to read" in str(e)
    assert (not seen) == reads or not config._FAST


def _spied(monkeypatch) -> list[int]:
    """Each time PyYAML's own loader is made, a 1 in the list returned."""
    seen, pyyaml = [], config._Loader
    monkeypatch.setattr(config, "_Loader", type("Spy", (pyyaml,), {
        "__init__": lambda self, stream: (seen.append(1), pyyaml.__init__(self, stream))[1]}))
    return seen


@pytest.mark.parametrize("text", [
    "network:\n  layers: " + "[" * 20000 + "]" * 20000 + "\n",  # libyaml 0.2.5 recursed in C: 100,000 crashed
    "- " * 5000 + "1\n",
    "a:\n" + "".join(f"{' ' * i}b{i}:\n" for i in range(1, 1200)),
])
def test_a_document_that_could_nest_deep_is_read_by_pyyaml_alone(monkeypatch, text):
    """Nesting opens at '[', '{', '- ' or a new line: with 1,000 such places or more, libyaml is not
    asked (no C recursion to overflow); PyYAML reads it, or says it is nested too deeply."""
    seen, fast = _spied(monkeypatch), []
    libyaml = config._FastLoader
    monkeypatch.setattr(config, "_FastLoader", type("Spy", (libyaml,), {
        "__init__": lambda self, stream: (fast.append(1), libyaml.__init__(self, stream))[1]}))
    with pytest.raises(ConfigError, match="nested too deeply to read"):
        parse_yaml(text, "x")
    assert seen and not fast


def test_an_alias_that_makes_a_value_deep_is_told_as_pyyaml_tells_it():
    """An anchor near the top reused inside: 600 levels of lists through aliases in a text nested
    much less. Counted by the longest chain, not the first path met; PyYAML's reading stands
    (a RecursionError traceback, where the depth was counted by the first path)."""
    n = 600
    text = ("[" + "".join(f"&A{i} [" if i % 50 == 0 else "[" for i in range(1, n + 1)) + "]" * n
            + "".join(f", *A{i}" for i in range(50, n + 1, 50)) + "]")
    with pytest.raises(ConfigError, match="nested too deeply to read"):
        parse_yaml("network:\n  layers: " + text + "\n", "x")


def test_a_list_that_holds_itself_reads_as_before():
    value = parse_yaml("a: &a [1, *a]\n", "x")
    assert value["a"][0] == 1 and value["a"][1] is value["a"]


def test_a_directive_is_read_by_pyyaml():
    """libyaml took '%YAML 1.2#' (a comment stuck to the directive); PyYAML refuses it."""
    with pytest.raises(ConfigError, match=r"\(line 1, column 10\): expected a digit or ' ', but found '#'"):
        parse_yaml("%YAML 1.2#\n---\na: 1\n", "x")
    assert parse_yaml("%YAML 1.1\n---\na: 1\n", "x") == {"a": 1}


def test_the_height_of_shared_lists_is_their_longest_chain():
    """A list met first by a short path and again by a long one counts by the long one."""
    from backprop_cli.config import _nested_at_most

    deep = [[[]]]                 # 3 levels
    value = [[[deep]], deep]      # 6 levels through the first entry, 4 through the second (met first)
    assert _nested_at_most(value, 6) and not _nested_at_most(value, 5)
    assert _nested_at_most({"a": 1, "b": [deep]}, 5) and not _nested_at_most({"a": 1, "b": [deep]}, 4)
    assert _nested_at_most(5, 0) and _nested_at_most([], 1) and not _nested_at_most([], 0)


def test_an_escape_past_the_last_character_is_a_yaml_error_not_a_traceback():
    """PyYAML's chr() of "\\U00110000" raised ValueError out of parse_yaml (a traceback, exit 1)."""
    with pytest.raises(ConfigError, match=r"^x: YAML error \(line 2, column 7\): the escape \\U00110000 names no "
                                          r"character \(the last is \\U0010FFFF\)$"):
        parse_yaml('a: 1\nb: [ "\\U00110000"]\n', "x")
    assert parse_yaml('a: "\\U0010FFFF"\n', "x") == {"a": "\U0010ffff"}


@pytest.mark.parametrize("text, message", [
    # the escape that raised, not the first \U past the end in the text (a comment's, a single-quoted one's)
    ('# "\\U00110000" is past the end\ncost: "\\U00110001"\n', r"\(line 2, column 8\): the escape \\U00110001 names"),
    ("note: '\\U00110000'\nb: \"x\\U00110002\"\n", r"\(line 2, column 6\): the escape \\U00110002 names"),
    ('x: 1\rb: "\\U00110000"\r', r"\(line 2, column 5\): the escape \\U00110000"),  # a lone CR ends a line
    # a date that is none: no traceback, and not blamed on an escape elsewhere
    ('# see "\\U00110000"\nseed: 2001-13-01\n',
     r"\(line 2, column 7\): 2001-13-01 reads as a date \(YAML's year-month-day\) but is none \(month must be in "
     r"1\.\.12\); put it in quotes to give it as text$"),
    ("a: [1, {b: 2001-02-30}]\n", r"\(line 1, column 12\): 2001-02-30 reads as a date .* \(day is out of range"),
])
def test_a_value_pyyaml_cannot_make_is_placed_where_it_is(text, message):
    with pytest.raises(ConfigError, match=r"^x: YAML error " + message):
        parse_yaml(text, "x")


def test_a_directive_after_a_lone_carriage_return_is_read_by_pyyaml():
    with pytest.raises(ConfigError, match=r"expected a digit or ' ', but found '#'"):
        parse_yaml("\r%YAML 1.2#\n---\na: 1\n", "x")


@pytest.mark.parametrize("text, message", [
    ("a: 2001-13-01\nb: 2001-14-01\n", r"\(line 1, column 4\): 2001-13-01 reads as a date"),  # the first, not the last
    ("a: [2001-13-01, 2001-14-01]\n", r"\(line 1, column 5\): 2001-13-01 reads as a date"),
    ("seed: !!bool abc\n", r"\(line 1, column 7\): abc cannot be read as !!bool$"),  # a KeyError traceback
    ("seed: !!timestamp abc\n", r"\(line 1, column 7\): abc cannot be read as !!timestamp$"),  # AttributeError
])
def test_the_first_value_pyyaml_cannot_make_is_named_whatever_it_raises(text, message):
    with pytest.raises(ConfigError, match=r"^x: YAML error " + message):
        parse_yaml(text, "x")
