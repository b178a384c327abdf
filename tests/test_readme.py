"""The README's Python examples run as printed: each ```python block on its own, from the
repository root, as a reader pastes it (so a block may not lean on names from another)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backprop_cli.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```python\n(.*?)^```", README, re.S | re.M)
runner = CliRunner()


def _after(marker: str, text: str = README, where: str = "README.md") -> str:
    """``text`` after the first ``marker``: the passage a test reads. A marker that is gone (a
    heading renamed, a sentence reworded) fails naming it, not with an IndexError."""
    _, found, tail = text.partition(marker)
    if not found:
        pytest.fail(f"{where} no longer holds {marker!r}, which this test reads: update the test with the "
                    f"text", pytrace=False)
    return tail


def _match(pattern: str, text: str = README, flags: int = 0, where: str = "README.md") -> re.Match[str]:
    """The first match of ``pattern`` in ``text``; a failure naming the pattern when there is none."""
    found = re.search(pattern, text, flags)
    if found is None:
        pytest.fail(f"{where} no longer holds a match of {pattern!r}, which this test reads: update the test "
                    f"with the text", pytrace=False)
    return found


def test_a_passage_the_readme_no_longer_holds_fails_by_name() -> None:
    """The README tests read passages after headings and sentences; one renamed failed as an
    IndexError (or 'NoneType' object is not subscriptable) that named nothing to look for."""
    with pytest.raises(pytest.fail.Exception, match=r"README\.md no longer holds '## Set  up', which this test"):
        _after("## Set  up")
    with pytest.raises(pytest.fail.Exception, match=r"pyproject\.toml no longer holds a match of 'requires-py"):
        _match(r"requires-python = 3", "", where="pyproject.toml")
    assert _after("## Set up").startswith("\n") and _match(r"## (Set) up")[1] == "Set"


def test_the_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_a_readme_python_block_runs_on_its_own(code: str, monkeypatch: pytest.MonkeyPatch, capsys,
                                               tmp_path: Path) -> None:
    monkeypatch.chdir(ROOT)  # the examples name configs/… relative to the checkout
    if "runs/iris/model.npz" in code:  # after the `backprop train configs/iris.yaml --out runs/iris` it names,
        for name in ("configs", "data"):  # run in a copy of the checkout's layout (no runs/ in the checkout)
            (tmp_path / name).symlink_to(ROOT / name)
        monkeypatch.chdir(tmp_path)
        done = runner.invoke(app, ["train", "configs/iris.yaml", "--out", "runs/iris", "--quiet"])
        assert done.exit_code == 0, done.output
    exec(compile(code, "README.md", "exec"), {"__name__": "__readme__"})


# --- the README's shell samples --------------------------------------------------------------


def _sample(command: str) -> list[str]:
    """The lines the README prints under ``$ COMMAND`` (up to the next ``$ `` line or the fence's
    end), without the ``…`` that stand for lines left out."""
    block = _after(f"\n$ {command}\n").split("```", 1)[0]
    lines = block.split("\n$ ", 1)[0].splitlines()
    return [line.rstrip() for line in lines if line.strip() not in ("", "…")]


# Deterministic reports (no timing in them) as the README shows them, from a 100-column terminal.
SAMPLES = ["backprop train", "backprop train configs/sine.yaml --set l2=0.01 --quiet", "backprop gradcheck", "backprop explain --layer L --example 1",
           "backprop config show configs/circles.yaml", "backprop config validate configs/iris.yaml"]


#: gradcheck's errors at rounding level (1e-9 and below): their digits, and so which entry is the
#: worst, depend on numpy's and the CPU's summation order (numpy 1.23 printed 1.15e-12 at b^(1)[2]
#: where 2.4 prints 3.93e-12 at b^(1)[1]); the rest of such a line is still compared.
_ROUNDING = re.compile(r"\d\.\d+e-(?:09|[1-9]\d)\b")


def _neutral(line: str) -> str:
    if not _ROUNDING.search(line):
        return line
    return re.sub(r"\b[wb]\^\(\d+\)\[[\d,]+\]", "<entry>", _ROUNDING.sub("<rounding>", line))


def test_only_rounding_level_figures_and_their_entries_are_left_uncompared() -> None:
    line = " b^(1)   3            3     3.93e-12     2.21e-10  b^(1)[1]     pass"
    assert _neutral(line) == " b^(1)   3            3     <rounding>     <rounding>  <entry>     pass"
    assert _neutral(" w^(1)[0,1]  0.0123  1.2e-03") == " w^(1)[0,1]  0.0123  1.2e-03"  # not at rounding level


@pytest.mark.parametrize("command", SAMPLES)
def test_a_readme_sample_shows_lines_the_command_prints(command: str, monkeypatch) -> None:
    """A reader compares the README's sample with the screen: each line shown is one the command
    prints (the tour's explain sample lacked the header panel's borders the command draws)."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "100")
    shown = [_neutral(line) for line in _sample(command) if not re.search(r" · [0-9.]+ s$", line)]  # wall time
    result = runner.invoke(app, command.split()[1:])
    assert result.exit_code == 0, result.output
    printed = [_neutral(line.rstrip()) for line in result.output.splitlines()]
    assert shown and [line for line in shown if line not in printed] == []


def test_the_readmes_piped_configs_load(monkeypatch, tmp_path) -> None:
    """`sed 's/A/B/' configs/X.yaml | backprop train -`, as the README suggests it: a config read
    from a pipe finds its data.path from the current folder, so the shipped config must be one
    that works so (configs/iris.yaml's ../data/iris.csv did not: exit 2, no such file)."""
    from backprop_cli.config import load_config
    from backprop_cli.experiment import prepare

    monkeypatch.chdir(ROOT)
    pipes = re.findall(r"`sed 's/([^/']*)/([^/']*)/' (configs/\S+\.yaml) \| backprop train -`", README)
    assert pipes
    for old, new, config in pipes:
        lines = (ROOT / config).read_text(encoding="utf-8").splitlines(keepends=True)
        piped = tmp_path / "piped.yaml"
        piped.write_text("".join(re.sub(old, new, line, count=1) for line in lines), encoding="utf-8")
        # what CONFIG '-' does: the text of standard input, its relative paths from the current folder
        prepare(load_config(piped, name="<stdin>"))


def test_the_config_reference_shows_every_field() -> None:
    """The Config reference's annotated YAML and its key table name every field `config show`
    writes (the YAML left out data.validation_fraction, which the table listed last, away from
    data's other keys)."""
    import yaml

    from backprop_cli.config import load_config
    from backprop_cli.scaffold import resolved_dict

    fields = {f"{section}.{key}" if isinstance(body, dict) else section
              for section, body in resolved_dict(load_config(None)).items() for key in (body if isinstance(body, dict) else [None])}
    reference = _after("## Config reference").split("\n## ", 1)[0]
    sample = yaml.safe_load(_after("```yaml\nseed:", reference, "README.md's config reference").split("```", 1)[0].join(["seed:", ""]))
    shown = {f"{s}.{k}" if isinstance(v, dict) else s for s, v in sample.items()
             for k in (v if isinstance(v, dict) else [None])}
    assert shown == fields
    rows = [line.split(" | ", 1)[0] for line in reference.splitlines() if line.startswith("| `")]
    listed = set()
    for cell in rows:
        names = re.findall(r"`([\w.]+)`", cell)
        if not names:
            continue
        section = names[0].rsplit(".", 1)[0] if "." in names[0] else ""
        listed |= {n if "." in n or not section else f"{section}.{n}" for n in names}
    assert fields <= listed, fields - listed
    order = [name for cell in rows for name in re.findall(r"`(data\.[\w]+)`", cell)]
    assert order.index("data.validation_fraction") == order.index("data.test_fraction") + 1, order


def test_the_pictures_sample_is_the_loss_curve_xor_draws_in_64_columns(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "64")
    block = _after("which the title already gives):\n\n```\n").split("```", 1)[0]
    result = runner.invoke(app, ["train", "configs/xor.yaml", "--quiet"])
    printed = [line.rstrip() for line in result.output.splitlines()]
    start = printed.index(block.splitlines()[0].rstrip())
    assert printed[start:start + len(block.splitlines())] == [line.rstrip() for line in block.splitlines()]


# --- statements of the README held to the code: counts, the config reference, options, paths ---


def _parametrized_items(function) -> int:
    """How many tests pytest collects from ``function``: the product of the sizes of its
    ``parametrize`` marks' value lists (stacked marks multiply), 1 without any."""
    count = 1
    for mark in getattr(function, "pytestmark", []):
        if mark.name == "parametrize":
            values = mark.args[1] if len(mark.args) > 1 else mark.kwargs["argvalues"]
            count *= len(list(values))
    return count


def test_the_readme_counts_the_bad_input_cases_pytest_runs(request) -> None:
    """The README's "tests/test_bad_inputs.py holds N such cases": N is the number of one-clear-line
    cases pytest collects from the table (it said 176 while there were 180)."""
    import test_bad_inputs

    cases = test_bad_inputs.test_bad_input_gives_one_clear_line_and_writes_nothing
    said = re.search(r"`tests/test_bad_inputs\.py` holds ([\d,]+) such cases", " ".join(README.split()))
    assert said, "the README's sentence on tests/test_bad_inputs.py is gone"
    n = _parametrized_items(cases)
    assert int(said.group(1).replace(",", "")) == n == len(test_bad_inputs.CASES)
    collected = [item for item in request.session.items if getattr(item, "originalname", None) == cases.__name__]
    options = request.config.option
    if collected and not (options.keyword or options.markexpr or getattr(options, "deselect", None)):
        assert len(collected) == n  # a whole run's own collection says the same


def _reference_rows() -> list[tuple[list[str], str, str]]:
    """The config reference's key table: (field paths, default cell, allowed cell) per row; a row
    naming two fields (`training.beta1`, `beta2`) gives both their section."""
    reference = _after("## Config reference").split("\n## ", 1)[0]
    table = _after("| key | default | allowed |", reference, "README.md's config reference").split("\n\n", 1)[0]
    rows = []
    for line in table.splitlines()[2:]:
        key, default, allowed = (cell.strip() for cell in line.strip().strip("|").split(" | ", 2))
        names = re.findall(r"`([\w.]+)`", key)
        section = names[0].rpartition(".")[0]
        rows.append(([n if "." in n or not section else f"{section}.{n}" for n in names], default, allowed))
    return rows


def _schema_defaults() -> dict[str, object]:
    """Every config field and its default in the schema (``MISSING`` for a required one)."""
    from dataclasses import fields

    from backprop_cli.config import Config, DataConfig, NetworkConfig, TrainingConfig

    out = {f.name: f.default for f in fields(Config) if f.name in ("seed", "cost")}
    for section, cls in (("data", DataConfig), ("network", NetworkConfig), ("training", TrainingConfig)):
        out |= {f"{section}.{f.name}": f.default for f in fields(cls)}
    return out


def _split_cell(cell: str, n: int, sep: str) -> list[str]:
    """A cell of a row naming n fields: one part per field (``0.9, 0.999``), or the same for all."""
    parts = [p.strip() for p in cell.split(sep)] if n > 1 else [cell]
    return parts[:n] if len(parts) >= n else [cell] * n


def _first_value(cell: str) -> object:
    """The value a default cell starts with: a number, true/false, or a name (`xor`)."""
    word = re.match(r"`?([^`\s,;(]+)`?", cell).group(1)  # type: ignore[union-attr]
    if word in ("true", "false"):
        return word == "true"
    try:
        return float(word.replace(",", ""))
    except ValueError:
        return word


def test_the_config_reference_names_real_fields_with_their_defaults() -> None:
    """Each row of the key table names fields of the schema, and its default is the schema's:
    a plain default as it is; a required field 'required'; a field whose default depends on the
    data set (None in the schema) its value for each built-in set."""
    from dataclasses import MISSING

    from backprop_cli.config import DataConfig, NetworkConfig, config_from_dict
    from backprop_cli.data import GENERATORS

    schema = _schema_defaults()
    seen = set()
    for names, default_cell, _ in _reference_rows():
        for name, cell in zip(names, _split_cell(default_cell, len(names), ", ")):
            assert name in schema, f"the config reference names {name}, which is not a field"
            seen.add(name)
            default, shown = schema[name], _first_value(cell)
            if default is MISSING:
                assert cell == "required", (name, cell)
            elif default is not None:  # a number, true/false or a name, as the cell starts
                assert shown == default and isinstance(shown, bool) == isinstance(default, bool), (name, cell)
            elif name == "data.dataset":  # no data section at all: the xor truth table
                plain = config_from_dict({"network": {"layers": [2, 1]}}, "README", ROOT)
                assert shown == plain.data.dataset, (name, cell)
            elif name == "data.test_fraction":
                assert shown == DataConfig(dataset="circles").effective_test_fraction, (name, cell)
                assert DataConfig(dataset="xor").effective_test_fraction == 0 and "0 for the xor" in cell
            elif name == "data.n_samples":  # 'xor: the 4-row truth table; circles, moons, sine: 200; …'
                given = {s.strip(): v.strip() for part in cell.split(";") for v in [part.split(":", 1)[1]]
                         for s in part.split(":", 1)[0].replace(" and ", ", ").split(",")}
                assert set(given) == set(GENERATORS), (cell, sorted(GENERATORS))
                for gen in GENERATORS.values():
                    expected = "the 4-row truth table" if gen.default_n_samples is None else str(gen.default_n_samples)
                    assert given[gen.name] == expected, (gen.name, cell)
            elif name == "data.noise":  # '0.1 (spirals 0.2; xor 0)': the rest take the first
                others = dict(p.split() for p in cell.split("(", 1)[1].rstrip(")").split(";"))
                for gen in GENERATORS.values():
                    assert float(others.get(gen.name, shown)) == gen.default_noise, (gen.name, cell)  # type: ignore[arg-type]
            elif name == "data.classes":
                takes = [g for g in GENERATORS.values() if g.default_classes is not None]
                assert [shown] == [float(g.default_classes) for g in takes], (cell, takes)  # type: ignore[arg-type]
            elif name == "network.output_activation":
                assert cell == "`activation`"
                assert NetworkConfig(layers=(2, 3, 1), activation="tanh").resolved_output_activation == "tanh"
            else:  # given by the data, by init, or chosen per run: said in words, not a value
                assert isinstance(shown, str) and cell not in ("`null`", "null"), (name, cell)
    assert seen == set(schema), set(schema) ^ seen


#: The config's enumerated fields and the names the code takes for each.
def _choices() -> dict[str, tuple[str, ...]]:
    from backprop_cli.activations import HIDDEN_ACTIVATIONS
    from backprop_cli.config import DATASETS, DTYPES, INITS, TASKS
    from backprop_cli.optimizers import OPTIMIZERS, SCHEDULES

    return {"data.dataset": DATASETS, "data.task": TASKS, "network.activation": HIDDEN_ACTIVATIONS,
            "network.init": INITS, "training.dtype": DTYPES, "training.optimizer": tuple(OPTIMIZERS),
            "training.schedule": tuple(SCHEDULES)}


def test_the_config_reference_lists_the_names_each_field_takes() -> None:
    """An enumerated field's allowed cell, and its line of the annotated YAML, name exactly the
    values the code takes (command and field names may stand beside them in the prose); the cost
    table lists every cost; output_activation is the hidden ones and softmax."""
    import typer.main

    from backprop_cli.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
    from backprop_cli.costs import COSTS

    words = set(typer.main.get_command(app).commands) | {k.rpartition(".")[2] for k in _schema_defaults()}
    rows = {names[0]: allowed for names, _, allowed in _reference_rows()}
    for name, allowed in _choices().items():
        listed = set(re.findall(r"`([a-z_0-9]+)`", rows[name]))
        assert set(allowed) <= listed and listed - set(allowed) <= words, (name, rows[name], allowed)
    assert rows["network.output_activation"].startswith("the above and `softmax`")
    assert set(ACTIVATIONS) == {*HIDDEN_ACTIVATIONS, "softmax"}
    costs = _after("\n\n", _after("Costs, per example")).split("\n\n", 1)[0]
    assert set(re.findall(r"^\| `(\w+)` \|", costs, re.M)) == set(COSTS), costs
    assert rows["cost"] == "see below"
    # the annotated YAML's comments: "task: auto   # auto, classification, regression"
    sample = _after("```yaml\nseed:", _after("## Config reference")).split("```", 1)[0]
    for name, allowed in {**_choices(), "cost": tuple(COSTS)}.items():
        key = name.rpartition(".")[2]
        if key == "activation":  # its comment says one name or one per hidden layer
            continue
        value, comment = _match(rf"^\s*{key}: (\w+)\s+# (.*)$", sample, re.M, "README.md's annotated YAML").groups()
        comment = re.sub(r"\([^)]*\)|built-in:|-- or --|^or ", "", comment)
        assert {value, *(w.strip() for w in comment.split(","))} == set(allowed), (name, comment)


_RANGES = (  # how the allowed cells write a range: 0 ≤ μ < 1, 0 < γ ≤ 1; 1 … 1,000,000; ≥ 1, > 0
    ("between", re.compile(r"(-?[\d.]+) ([≤<]) \S+ ([≤<]) ([\d.,]+)")),
    ("span", re.compile(r"([\d,]+) … ([\d,]+)")),
    ("above", re.compile(r"(?<![\w)])([≥>]) (-?[\d.]+)")),
)


def _range(cell: str) -> tuple[float, bool, float | None, bool] | None:
    """(low, low included, high or None, high included) of the first range a cell writes."""
    found = [(m.start(), kind, m) for kind, rx in _RANGES for m in [rx.search(cell)] if m]
    if not found:
        return None
    _, kind, m = min(found, key=lambda f: f[0])
    if kind == "between":
        return float(m[1]), m[2] == "≤", float(m[4].replace(",", "")), m[3] == "≤"
    if kind == "span":
        return float(m[1].replace(",", "")), True, float(m[2].replace(",", "")), True
    return float(m[2]), m[1] == "≥", None, False


def _accepts(name: str, value: object) -> bool:
    from backprop_cli.config import ConfigError, config_from_dict

    section, _, key = name.rpartition(".")
    raw: dict = {"network": {"layers": [2, 3, 1]}}
    if name == "data.classes":
        raw["data"] = {"dataset": "spirals"}
    (raw.setdefault(section, {}) if section else raw)[key] = value
    try:
        config_from_dict(raw, "README", ROOT)
    except ConfigError:
        return False
    return True


def test_the_config_reference_ranges_are_what_a_config_may_hold() -> None:
    """Every number range of the allowed column (≥ 1, > 0, 0 ≤ μ < 1, 1 … 1,000,000) is the one
    the config's checks apply: each bound given is taken or refused as written, and a step past
    it is refused."""
    import typing

    from backprop_cli.config import Config, DataConfig, TrainingConfig

    hints = {"seed": int, **{f"{s}.{k}": v for s, cls in (("data", DataConfig), ("training", TrainingConfig))
                             for k, v in typing.get_type_hints(cls).items()}}
    assert typing.get_type_hints(Config)["seed"] is int
    probed = []
    for names, _, allowed_cell in _reference_rows():
        for name, cell in zip(names, _split_cell(allowed_cell, len(names), ";")):
            types = typing.get_args(hints.get(name)) or (hints.get(name),)
            bounds = _range(cell)
            if bounds is None or not {int, float} & set(types):  # names, flags, files, network.layers
                continue
            whole = int in types
            step = 1 if whole else 1e-9
            low, low_in, high, high_in = bounds
            cast = int if whole else float
            assert _accepts(name, cast(low)) == low_in, (name, cell, low)
            assert not _accepts(name, cast(low - step)), (name, cell, low - step)
            assert _accepts(name, cast(low + step)), (name, cell, low + step)
            if high is not None:
                assert _accepts(name, cast(high)) == high_in, (name, cell, high)
                assert not _accepts(name, cast(high + step)), (name, cell, high + step)
            probed.append(name)
    assert len(probed) >= 20, probed  # every numeric field but the layer sizes


def _command(path: tuple[str, ...]):
    import typer.main

    command = typer.main.get_command(app)
    for word in path:
        command = command.commands[word]  # type: ignore[attr-defined]
    return command


COMMANDS = [("train",), ("gradcheck",), ("explain",), ("predict",), ("evaluate",), ("plot",), ("init",),
            ("config", "show"), ("config", "validate")]


def _options(command) -> set[str]:
    return {o for p in command.params if p.param_type_name == "option" for o in (*p.opts, *p.secondary_opts)}


def _option_tables() -> list[tuple[str, list[list[str]]]]:
    """Each `| option | …` table of the README with the command of the section it is in."""
    tables = []
    for m in re.finditer(r"^\| option \|.*\n\|[-|]+\|\n((?:\|.*\n)+)", README, re.M):
        command = re.findall(r"^### `backprop (\w+)`", README[:m.start()], re.M)[-1]
        rows = [[c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]] for line in m[1].splitlines()]
        tables.append((command, rows))
    return tables


def test_the_option_tables_are_each_commands_options() -> None:
    """Each command's option table lists exactly the options of its --help, with its defaults
    (a default column) and every choice of an option that takes names (--mode, --format)."""
    tables = _option_tables()
    assert {command for command, _ in tables} == {"train", "gradcheck", "explain", "predict"}
    for command_name, rows in tables:
        command = _command((command_name,))
        by_option = {o: p for p in command.params for o in (*p.opts, *p.secondary_opts)}
        listed = {o for row in rows for o in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", row[0])}
        assert listed == _options(command), (command_name, listed ^ _options(command))
        for row in rows:
            opts = [o for o in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", row[0]) if o.startswith("--")]
            params = list(dict.fromkeys(by_option[o] for o in opts))
            for p in params:
                if p.metavar and p.metavar.startswith("<"):  # <full|sample|fast>
                    for choice in p.metavar.strip("<>").split("|"):
                        assert re.search(rf"\b{choice}\b", " ".join(row)), (command_name, choice, row)
            if len(row) == 3:  # | option | default | meaning |
                for p, cell in zip(params, _split_cell(row[1], len(params), ", ")):
                    help_default = re.search(r"\[default: ([^\]]+)\]", p.help or "")
                    default = help_default[1] if p.default is None and help_default else p.default
                    if default is None:
                        assert not re.match(r"`?-?[\d.]", cell) and cell != "off", (command_name, p.name, cell)
                    elif default is False:
                        assert cell == "off", (command_name, p.name, cell)
                    else:
                        assert _first_value(cell) in (default, float(default) if re.match(r"[\d.e-]+$", str(default))
                                                      else default), (command_name, p.name, cell, default)


def test_every_commands_options_are_in_its_readme_section() -> None:
    """A reader finds each option of each command in its section (a table, a synopsis such as
    `backprop init [NAME] [--dataset D | -d D] [--force | --overwrite]`, or the prose); a
    synopsis with options in brackets names them all."""
    headings = {"plot": "Pictures", "config": "`backprop config show` and `backprop config validate`"}
    for path in COMMANDS:
        heading = headings.get(path[0], f"`backprop {path[0]}`")
        section = _after(f"\n### {heading}\n").split("\n### ", 1)[0]
        options = _options(_command(path)) - {"--help"}
        mentioned = set(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", section))
        assert options <= mentioned, (path, options - mentioned)
        for synopsis in re.findall(rf"`backprop {' '.join(path)} ([^`]*\[--[^`]*)`", section):
            assert set(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", synopsis)) == options, (path, synopsis)


def _examples() -> list[str]:
    """Every backprop command line the README gives: `$ backprop …` lines, lines of a shell block,
    and inline code, each part of a pipeline or of `$( … )` on its own; synopses ([CONFIG]) and
    lines with parts left out (…) are not commands as typed."""
    spans = [line[2:] for line in README.splitlines() if line.startswith("$ backprop ")]
    spans += re.findall(r"^(backprop [^\n]*)", README, re.M)
    spans += [" ".join(s.split()) for s in re.findall(r"`([^`]*\bbackprop [^`]*)`", README)]
    commands = []
    for span in spans:
        span = re.sub(r"<\([^)]*\)", "/dev/fd/63", span.split(" #", 1)[0])  # <(grep … rows.csv): a file
        for part in re.split(r"\||&&|\$\(|\)", span):
            words = part.split()
            while words and words[0] in ("env", "-u") or words and words[0].isupper() and words[0] != "CONFIG":
                words = words[1:]  # env -u OPENBLAS_CORETYPE backprop …
            if words[:1] == ["backprop"] and not any(c in part for c in "[]…") and "..." not in part:
                commands.append(" ".join(words))
    return sorted(set(commands))


def test_every_readme_command_line_parses() -> None:
    """Each command line of the README (placeholders such as MODEL or DIR included) names a real
    command and only its options, with values of the right kind: what `backprop` parses before
    it runs anything (a renamed option would leave the README's examples failing)."""
    import shlex

    import typer

    usage_errors = tuple(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
    examples = _examples()
    assert len(examples) >= 30, examples
    for line in examples:
        words = shlex.split(line)[1:]
        if words in (["--help"], ["--version"]):
            continue
        path = (words[0], words[1]) if words[0] == "config" else (words[0],)
        try:
            _command(path).make_context(" ".join(path), words[len(path):])
        except usage_errors as e:
            if type(e).__name__ == "MissingParameter" and len(words) == len(path) or \
                    type(e).__name__ == "BadOptionUsage" and words[-1].startswith("--"):
                continue  # a name in a sentence: `backprop config validate` checks …, `backprop train --out`'s folder
            pytest.fail(f"README: `{line}`: {e}")


#: Paths the README names that a command makes (runs/…) or that stand for a user's file.
_NOT_SHIPPED = ("runs/", "configs/x.yaml")


def test_every_path_the_readme_names_exists() -> None:
    """configs/…, data/…, docs/…, tests/…, src/…, benchmarks/… and .ci/… as named, and every module of
    the Development table (a file moved or renamed leaves the README pointing at nothing)."""
    named = set(re.findall(r"(?<![\w/.])((?:configs|data|docs|tests|src|benchmarks|\.ci)/[\w./-]*\w/?)", README))
    missing = [p for p in named if not p.startswith(_NOT_SHIPPED) and not (ROOT / p).exists()]
    assert len(named) >= 20 and missing == [], missing
    development = _after("\n## Development\n")
    package = ROOT / "src" / "backprop_cli"
    listed = set(re.findall(r"`(\w+\.py)`", development))  # the module table, and cli.py after it
    assert listed == {p.name for p in package.glob("*.py")} - {"__init__.py", "__main__.py"}
    assert all((package / d).is_dir() for d in re.findall(r"`(\w+)/`", development))


def test_the_readmes_requirements_are_the_packages():
    """Set up's versions are pyproject.toml's: Python, each dependency's bounds, the test extra."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    setup = " ".join(_after("## Set up").split("\n## ", 1)[0].split())
    python = _match(r'requires-python = ">=([\d.]+)"', pyproject, where="pyproject.toml")[1]
    assert f"Python {python} or newer" in setup
    deps = _match(r"^dependencies = \[(.*?)^\]", pyproject, re.S | re.M, "pyproject.toml")[1]
    for name, spec in re.findall(r'"([A-Za-z]+)([^"]*)"', deps):
        words = " and ".join(f"{'≥' if op == '>=' else '<'} {v}" for op, v in re.findall(r"(>=|<)([\d.]+)", spec))
        assert re.search(rf"\b{name} {words}\b", setup, re.I), (name, spec, setup[:200])
    extra = _match(r'^test = \[(.*)\]', pyproject, re.M, "pyproject.toml")[1]
    shown = _match(r"install with the test extra \(([^)]*)\)", setup, where="README.md's Set up")[1]
    assert set(re.findall(r'"([\w-]+)', extra)) == {part.split()[0] for part in shown.split(",")}, shown


@pytest.fixture(scope="module")
def iris_run(tmp_path_factory) -> Path:
    """A run of configs/iris.yaml (one epoch: standardized inputs, class names, a data file)."""
    out = tmp_path_factory.mktemp("readme") / "iris"
    done = runner.invoke(app, ["train", str(ROOT / "configs" / "iris.yaml"), "--epochs", "1", "--out", str(out),
                               "--quiet"])
    assert done.exit_code == 0, done.output
    return out


def test_the_model_file_holds_what_the_readme_lists(iris_run) -> None:
    """Reproducing a run elsewhere's `model.npz` bullet names the file's arrays, and says that
    config_yaml is the run's config.yaml (it said `config show`'s format, which writes lists in
    flow style and comments that the file does not hold)."""
    import numpy as np

    bullet = " ".join(re.split(r"\n- |\n\n", _after("- **`model.npz`**"), maxsplit=1)[0].split())
    documented = set(re.findall(r"`([a-zA-Z_]\w*)`", bullet)) - {"predict", "evaluate"}  # "`predict` applies …"
    with np.load(iris_run / "model.npz", allow_pickle=False) as f:
        arrays = {re.sub(r"^([wb])\d+$", r"\g<1>1", n) for n in f.files} | {"wL", "bL"}
        config_yaml = str(f["config_yaml"])
    assert documented == arrays, documented ^ arrays
    assert config_yaml == (iris_run / "config.yaml").read_text(encoding="utf-8")
    said = re.search(r"`config_yaml` \(([^)]*)\)", bullet)
    assert said and "the text of the run's `config.yaml`" in said[1], bullet


def test_the_python_names_the_readme_uses_are_the_apis(iris_run) -> None:
    """Every `saved.x`, `net.x`, `report.x`, `res.x`, `cache.x`, `exp.x`, `result.x` (and on down,
    `saved.standardizer.mean`) in the README's code, prose and comments is an attribute of the
    object it names, as is every `backprop_cli.module.name` (the API section named the
    standardizer's arrays x_mean/x_scale, model.npz's names, for its attributes mean and scale)."""
    import importlib
    import importlib.util

    import numpy as np

    from backprop_cli import Network, check_gradients, load_model
    from backprop_cli.activations import Activation
    from backprop_cli.config import TrainingConfig, load_config
    from backprop_cli.experiment import prepare
    from backprop_cli.training import Trainer

    X, Y = np.array([[0, 0], [0, 1], [1, 0], [1, 1]]), np.array([[0], [1], [1], [0]])
    net = Network([2, 3, 1], seed=0)
    cache = net.forward(X)
    report = check_gradients(net, X, Y)
    exp = prepare(load_config(None))
    settings = TrainingConfig(epochs=2, batch_size=None)
    objects = {"saved": load_model(iris_run / "model.npz"), "net": net, "cache": cache,
               "res": net.backward(cache, Y), "report": report, "t": report.tensors[0], "exp": exp,
               "result": Trainer(exp.net, exp.train, exp.test, settings, exp.streams.shuffle).run(),
               "settings": settings, "Network": Network, "Activation": Activation, "Trainer": Trainer}
    code = "\n".join(re.findall(r"`([^`\n]+)`", README) + BLOCKS)
    seen = set()
    for root, chain in re.findall(rf"(?<![\w.])({'|'.join(objects)})((?:\.[A-Za-z_]\w*)+)", code):
        obj = objects[root]
        for name in chain[1:].split("."):
            assert hasattr(obj, name), f"README: {root}{chain}: no attribute {name}"
            obj = getattr(obj, name)
        seen.add(root + chain)
    assert {"saved.standardizer.mean", "saved.standardizer.scale", "report.n_stepped"} <= seen, seen
    for path in set(re.findall(r"(?<![\w.])backprop_cli\.(\w+)\.(\w+)", code)):
        module = importlib.import_module(f"backprop_cli.{path[0]}")
        # a name, or a submodule (backprop_cli.render.explain), an attribute only once imported
        assert hasattr(module, path[1]) or importlib.util.find_spec(f"backprop_cli.{path[0]}.{path[1]}"), path


def test_the_readme_says_which_rows_the_cost_before_training_measures() -> None:
    """An outside check recomputing `cost_before_training` from the README got another figure on
    a split of more than 4,096 rows: it read '4,096 evenly spaced ones' (no word of the L2
    penalty), where every k-th row from the first is measured, 2,500 of 5,000, penalty included."""
    import numpy as np

    from backprop_cli.data import generate
    from backprop_cli.network import Network
    from backprop_cli.training import BEFORE_ROWS, cost_before_training

    passage = _after("started is the lower of epoch 1's cost and the untrained network's")[:400]
    assert "with the L2 penalty" in passage
    found = _match(r"more than ([\d,]+) rows on every k-th row from the first, k = ⌈n/([\d,]+)⌉: "
                   r"([\d,]+) of ([\d,]+) rows", passage)
    limit, per, shown, n = (int(g.replace(",", "")) for g in found.groups())
    assert limit == per == BEFORE_ROWS
    data = generate("circles", np.random.default_rng(0), n_samples=n)
    net = Network([2, 3, 1], activation="sigmoid", cost="squared_error", seed=1, l2=0.1)
    cost, rows = cost_before_training(net, data)
    k = -(-n // per)  # ⌈n/4,096⌉, by hand: every k-th row, a 2-3-1 sigmoid network's Σ(a − y)²
    X, Y = data.X[::k], data.Y[::k]
    a1 = 1 / (1 + np.exp(-(X @ net.weights[0].T + net.biases[0])))
    a2 = 1 / (1 + np.exp(-(a1 @ net.weights[1].T + net.biases[1])))
    penalty = 0.1 / 2 * sum(float(np.sum(w * w)) for w in net.weights)
    assert rows == shown == len(X)
    assert cost == pytest.approx(float(np.mean(np.sum((a2 - Y) ** 2, axis=1))) + penalty, rel=1e-12)


def test_the_readme_says_what_softmax_as_network_activation_does_without_a_hidden_layer() -> None:
    """An outside audit read 'network.activation: the hidden layers' and asked what softmax does
    for a [n, k] network, which has none: there the one name is the output's, softmax too, as the
    Python API reads it (it was refused, with output_activation: softmax beside it or not); with a
    hidden layer it is refused as the README quotes."""
    from backprop_cli.config import ConfigError, config_from_dict
    from backprop_cli.network import Network

    passage = _after("A single name in `network.activation` sets every layer")[:700]
    quoted = _match(r"\(`(network\.activation: softmax is allowed only as network\.output_activation)`\)", passage)[1]

    def network(layers: list[int], **fields: object):
        raw = {"network": {"layers": layers, **fields}, "cost": "cross_entropy"}
        return config_from_dict(raw, "README", ROOT).network

    assert "`activation: softmax` there\nis a softmax output" in passage
    for given in ({"activation": "softmax"}, {"activation": "softmax", "output_activation": "softmax"},
                  {"activation": ["softmax"]}, {"output_activation": "softmax"}):
        assert network([4, 3], **given).resolved_output_activation == "softmax", given
    assert "beside\n`output_activation` it sets no layer (`config show` writes `activation: []`)" in passage
    beside = network([4, 3], activation="softmax", output_activation="sigmoid")
    assert (beside.activation, beside.resolved_output_activation) == ((), "sigmoid")
    with pytest.raises(ConfigError, match=re.escape(quoted)):
        network([4, 5, 3], activation="softmax", output_activation="softmax")
    assert 'Network([4, 3], activation="softmax")' in passage
    assert [a.name for a in Network([4, 3], activation="softmax", cost="cross_entropy").activations] == ["softmax"]


def test_the_readme_names_every_output_activation_predict_writes_as_scores() -> None:
    """An outside audit read predict's 'not probabilities (a linear or tanh output layer)' as the
    whole rule, where relu, leaky_relu, elu, softplus and silu outputs are score_<class> too."""
    from backprop_cli.activations import ACTIVATIONS
    from backprop_cli.prediction import PROBABILITY_OUTPUTS

    found = _match(r"Only a `(\w+)` or `(\w+)` output layer gives `p_<class>`: any other \(([^)]*)\) gives "
                   r"outputs that are not probabilities, written as\s+`score_<class>`", _after("### `backprop predict`"))
    assert set(found.groups()[:2]) == set(PROBABILITY_OUTPUTS)
    assert set(re.findall(r"`(\w+)`", found[3])) == set(ACTIVATIONS) - set(PROBABILITY_OUTPUTS), found[3]


def test_the_readme_says_every_case_of_a_null_global_ratio() -> None:
    """The --json schema said global_ratio is null "when every judged entry is below atol, or none was judged": a NaN
    gradient gives null too, with the band "almost surely a bug", which a reader of the schema took for no data."""
    import json

    import numpy as np

    from backprop_cli import Network, check_gradients
    from backprop_cli.render.gradcheck import to_json

    net = Network([2, 3, 1], seed=0)
    X, Y = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]]), np.array([[0.0], [1], [1], [0]])

    def nan_in_layer_1(weights, biases, X_, Y_, config):
        dw, db = net.gradients(X_, Y_)
        dw[0][0, 0] = np.nan
        return dw, db

    report = json.loads(json.dumps(to_json(check_gradients(net, X, Y, gradients=nan_in_layer_1))))
    assert report["global_ratio"] is None and report["band"] == "almost surely a bug", report["band"]
    said = _match(r'"global_ratio": float\|null \(([^)]*)\)', _after("`--json` schema: `{\"report\": \"gradcheck\""))[1]
    assert "NaN" in said and "almost surely a bug" in said, said


def test_the_readme_names_every_field_of_a_tensor_result() -> None:
    """TensorResult.max_abs_below_atol, the |a − n| the table's caption gives entries below atol, was in neither the
    README's Python example nor its --json schema: a field from Python no reader could learn of."""
    from dataclasses import fields

    from backprop_cli.gradcheck import TensorResult

    schema = _after("`--json` schema: `{\"report\": \"gradcheck\"")
    python = next(block for block in BLOCKS if "for t in report.tensors:" in block)
    missing = [f.name for f in fields(TensorResult)
               if not re.search(rf'"{f.name}"', schema) and not re.search(rf"\bt\.{f.name}\b", python)]
    assert not missing, missing
    assert "`TensorResult.max_abs_below_atol`" in schema


def test_gradchecks_json_settings_are_the_fields_the_readme_lists_in_their_order() -> None:
    """The README listed "rows" between "n_examples" and "seed" (the JSON has it last, "x" and "y"
    after it with --x and --y) and --convergence's settings as {…}: each list is what is emitted."""
    import json

    schema = _after("`--json` schema: `{\"report\": \"gradcheck\"")
    for pattern, extra in ((r'"settings": \{("eps", [^}]*)\}', []),
                           (r'"verdict": str, "settings": \{([^}]*)\}', ["--convergence"])):
        listed = re.findall(r'"(\w+)"', _match(pattern, schema).group(1))
        for own in ([], ["--x", "0.5,0.5", "--y", "1"]):
            r = runner.invoke(app, ["gradcheck", "--json", *extra, *own])
            assert r.exit_code == 0, r.output
            emitted = list(json.loads(r.stdout)["settings"])
            assert emitted == listed + (["x", "y"] if own else []), (extra, own)


def test_gradcheck_convergence_json_keys_are_the_fields_the_readme_schema_lists() -> None:
    """The README's `gradcheck --convergence --json` schema names each key the object has, and no other (it
    left out "diagnosis", a failing sweep's pattern, when the panel began to print it)."""
    import json

    schema = _after('`{"report": "convergence"')
    schema = schema[:schema.index("}`")]
    schema = re.sub(r'"settings": \{[^}]*\}', '"settings"', schema)
    while re.search(r"\([^()]*\)", schema):  # what the parentheses say of a key names no key
        schema = re.sub(r"\([^()]*\)", "", schema)
    listed = set(re.findall(r'(?<!: )"(\w+)"', schema)) | {"report"}
    r = runner.invoke(app, ["gradcheck", "--convergence", "--json"])
    assert r.exit_code == 0, r.output
    assert set(json.loads(r.stdout)) == listed


def test_trains_json_keys_are_the_fields_the_readme_schema_lists() -> None:
    """The README's `train --json` schema names each key the object has, and no other ("nesterov"
    was added for scripts that could not tell Nesterov's momentum from the plain one)."""
    import json

    schema = _after("`--json` schema, printed once training has ended")
    schema = schema[:schema.index("}`")]
    listed = set(re.findall(r'(?<![|(\w])"(\w+)"(?!\|)', schema))
    r = runner.invoke(app, ["train", "--json", "--epochs", "2"])
    assert r.exit_code == 0, r.output
    assert set(json.loads(r.stdout)) == listed


def _explain_schema() -> dict[str, object]:
    """The README's `explain --format json` schema as {name: node}: "layer" (one layer's object), "layers" (the
    --all-layers object) and each named part ("equation", "product", "factor", "sum", "check", "expansion").
    A node is ("object", {key: node}) (a key "k|j" takes either name), ("list", node), ("ref", name) or
    ("leaf", {"int", "float", "str", "bool", '"pass"', …}); an object, list or ref whose alternatives name
    null gets ``nullable``: (kind, inner, True). What the parentheses say of a key names no key."""
    text = _after("`--format json` schema (")
    text = " ".join(text[:text.index("\n\n")].replace("`", "").split())
    while re.search(r"\([^()]*\)", text):
        text = re.sub(r"\([^()]*\)", "", text)
    tokens: list[str] = []

    def value() -> tuple:
        kinds, inner = set(), None
        while True:
            tok = tokens.pop(0)
            if tok == "{":
                inner = obj()
            elif tok == "[":
                inner = ("list", value(), False)
                assert tokens.pop(0) == "]", tokens[:5]
            elif tok == "null":
                kinds.add("null")
            elif re.fullmatch(r"[a-z]+", tok) and tok not in ("int", "float", "str", "bool"):
                inner = ("ref", tok, False)
            else:
                kinds.add(tok)
            if tokens[0] != "|":
                break
            tokens.pop(0)
        if inner is None:
            return ("leaf", kinds, "null" in kinds)
        assert kinds <= {"null"}, (inner, kinds)
        return (inner[0], inner[1], "null" in kinds)

    def obj() -> tuple:
        keys: dict[str, tuple] = {}
        group: list[str] = []
        while True:
            tok = tokens.pop(0)
            if tok == "}":
                assert not group, group
                return ("object", keys, False)
            if tok == ",":
                continue
            name = tok.strip('"')
            while tokens[0] == "|":  # "k"|"j": either name
                tokens.pop(0)
                name += "|" + tokens.pop(0).strip('"')
            group.append(name)
            if tokens[0] == ":":
                tokens.pop(0)
                node = value()
                keys.update(dict.fromkeys(group, node))
                group = []

    parts: dict[str, object] = {}
    for found in re.finditer(r"(?:\ban?|'s|--all-layers) ?(\w*) (?:is )?\{", text):
        start = found.end() - 1
        depth, end = 0, start
        for end in range(start, len(text)):
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            if depth == 0:
                break
        tokens[:] = re.findall(r'"[^"]*"|[{}\[\]:,|]|\w+', text[start:end + 1])
        tokens.pop(0)
        parts[found.group(1) or "layers"] = obj()
    return parts


def _unlike_the_schema(v: object, node: tuple, parts: dict[str, object], where: str, met: set[str]) -> list[str]:
    """Where ``v`` (explain's JSON) is not as ``node`` documents it: a key output and not documented, or
    documented and not output, a null the schema does not allow, a value of another type. ``met`` gathers
    the named parts met with a value."""
    kind, inner, nullable = node
    while kind == "ref":
        met.add(inner) if v is not None else None
        kind, inner, also = parts[inner]
        nullable = nullable or also
    if v is None:
        return [] if nullable or (kind == "leaf" and "float" in inner) else [f"{where}: null"]
    if kind == "object":
        if not isinstance(v, dict):
            return [f"{where}: not an object"]
        named = {alt: key for key in inner for alt in key.split("|")}
        out = [f"{where}.{k}: not documented" for k in v if k not in named]
        out += [f"{where}.{key}: documented, not output" for key in inner if not set(key.split("|")) & set(v)]
        return out + [x for k in v if k in named for x in _unlike_the_schema(v[k], inner[named[k]], parts, f"{where}.{k}", met)]
    if kind == "list":
        if not isinstance(v, list):
            return [f"{where}: not a list"]
        return [x for item in v for x in _unlike_the_schema(item, inner, parts, f"{where}[]", met)]
    ok = {"int": lambda: type(v) is int, "float": lambda: type(v) is float, "bool": lambda: type(v) is bool,
          "str": lambda: type(v) is str}
    if any(ok[t]() for t in inner & set(ok)) or (type(v) is str and f'"{v}"' in inner):
        return []
    return [f"{where}: {v!r} is none of {sorted(inner)}"]


def test_explains_json_is_the_schema_the_readme_documents(tmp_path) -> None:
    """`explain --format json` had no schema in the README, its keys scattered through the option table and
    "Scripts, Makefiles and CI" saying "keys as in each command's schema above": each key output is
    documented with its type and null-ness, each documented key is output (all of them always are), for
    one layer and `--all-layers`, `--expand`, `--neuron`, `--weight`, `--x`/`--y`, softmax and `--model`."""
    import json

    parts = _explain_schema()
    assert set(parts) == {"layer", "layers", "equation", "product", "factor", "sum", "check", "expansion"}, set(parts)
    iris, hand = str(ROOT / "configs" / "iris.yaml"), str(ROOT / "configs" / "hand_worked.yaml")
    from backprop_cli.config import load_config
    from backprop_cli.experiment import prepare
    from backprop_cli.model_io import save_model

    cfg = load_config(hand)
    save_model(tmp_path / "m.npz", prepare(cfg).net, cfg)
    met: set[str] = set()
    for args in (["--layer", "L"], ["--all-layers", "--expand"], [iris, "--layer", "1", "--neuron", "2"],
                 [iris, "--layer", "L", "--x", "5.1,3.5,1.4,0.2", "--y", "setosa"],
                 [hand, "--layer", "1", "--weight", "1,0", "--expand"], ["--model", str(tmp_path / "m.npz"), "--layer", "L"]):
        r = runner.invoke(app, ["explain", *args, "--format", "json"])
        assert r.exit_code == 0, (args, r.output)
        out = json.loads(r.stdout)
        top = "layers" if "--all-layers" in args else "layer"
        unlike = _unlike_the_schema(out, ("ref", top, False), parts, top, met)
        assert not unlike, f"explain {' '.join(args)} --format json, against the README's schema: {unlike}"
    assert met == set(parts)  # every part's keys were held to an object of it


def test_explain_and_gradcheck_at_a_relu_unit_of_z_0_are_as_each_readme_section_says(tmp_path, monkeypatch) -> None:
    """An outside audit read explain's `? 0 / noise` (exit 3) and gradcheck's pass (3 entries at
    kinks) on one network with a ReLU unit at z = 0 as a contradiction: both sections now say why,
    with these figures (a 2-2-1 network, C0 = 31.36, unit 0 of layer 1 at z = 0)."""
    import json

    (tmp_path / "d.csv").write_text("a,b,y\n1,2,0.5\n")
    (tmp_path / "c.yaml").write_text(
        "data: {path: d.csv, target: y, test_fraction: 0, task: regression}\n"
        "network: {layers: [2, 2, 1], activation: relu, output_activation: linear,\n"
        "          weights: [[[0.5, -0.25], [1, 1]], [[2, 3]]], biases: [[0, -1], [0.1]]}\n")
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["explain", "c.yaml", "--layer", "1", "--json"])
    assert r.exit_code == 3, r.output
    out = json.loads(r.stdout)
    assert out["cost_value"] == pytest.approx(31.36) and out["status"] == "inconclusive"
    zeros = [p["check"] for p in out["weight_products"] + out["bias_products"] if p["value"] == 0.0]
    assert len(zeros) == 3 and {c["status"] for c in zeros} == {"noise"}
    assert {c["difference"] for c in zeros} == {"one-sided"}
    assert f"{max(abs(c['numeric']) for c in zeros):.0e}" == "7e-09"
    r = runner.invoke(app, ["gradcheck", "c.yaml", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["status"] == "pass" and out["n_kinks"] == 3 and out["settings"]["atol"] == 1e-8
    assert out["tensors"][0]["worst"]["status"] == "kink-ok"
    assert f"{max(t['max_abs_error'] for t in out['tensors'] if t['layer'] == 1):.0e}" == "7e-10"
    for section, other in (("### `backprop gradcheck`", "(#backprop-explain)"),
                           ("### `backprop explain`", "(#backprop-gradcheck)")):
        passage = _after(section)[:_after(section).index(other) + 30]
        passage = passage[passage.rindex("A unit at z exactly 0"):]
        assert all(f in passage for f in ("C0 of 31", "`? 0 / noise`", "exits 3", "`kink-ok`", "`n_kinks`",
                                          "up to 7e-9", "up to 7e-10", "1e-8")), passage


def test_the_notebook_xor_example_learns_xor_and_prints_what_its_comments_show() -> None:
    """The README's notebook XOR example (lr 0.5, 500 epochs) stopped on a plateau: predict gave
    [0.045, 0.501, 0.944, 0.493] with train_accuracy 1.0. Its settings now learn XOR, every output on
    the right side of 0.5 by a margin, and its comments are what the lines print."""
    import numpy as np

    block = next(b for b in BLOCKS if "xor = Dataset(" in b)
    namespace: dict[str, object] = {"__name__": "__readme__"}
    exec(compile(block, "README.md", "exec"), namespace)
    net, X, result = namespace["net"], namespace["X"], namespace["result"]
    out = net.predict(X).ravel()  # type: ignore[attr-defined]
    assert np.all(np.where(np.array([0, 1, 1, 0]) == 1, out - 0.5, 0.5 - out) > 0.4), out
    shown = _match(r"net\.predict\(X\)\.round\(2\)\.ravel\(\) +# (array\(\[[^\]]*\]\))", block)[1]
    assert shown == repr(out.round(2)), (shown, out)
    said = _match(r"^result +# (TrainResult\(.*\))$", block, re.M)[1]
    pos = 0
    for piece in said.split("…"):  # each piece in order; "…" stands for what the line leaves out
        found = repr(result).find(piece, pos)
        assert found >= 0, (piece, repr(result))
        pos = found + len(piece)


def test_the_gradcheck_figures_the_readme_quotes_are_what_the_checks_print() -> None:
    """The README quoted spirals' worst entry of w^(2) as [2,2], rel err 9.8e-07, and a deep net's
    rounding level as 3.6e-03, figures from before `--atol auto` moved each entry's tolerance:
    the check now printed [2,63], 1.3e-06 and 4.2e-03."""
    import json

    r = runner.invoke(app, ["gradcheck", str(ROOT / "configs" / "spirals.yaml"), "--json"])
    assert r.exit_code == 0, r.output
    w2 = next(t for t in json.loads(r.stdout)["tensors"] if t["name"] == "w^(2)")
    quoted = _match(r"spirals' w\^\(2\): max rel\s+err ([\d.e+-]+) from an entry below 1e-7 in size, worst entry "
                    r"(w\^\(2\)\[\d+,\d+\]), its rel err ([\d.e+-]+), on our machine")
    assert quoted[1] == f"{w2['max_rel_error']:.2e}"
    # which entry is worst, at rounding level, moves with the BLAS (numpy 1.23's picked [60,57], 2.2e-06)
    assert 1 / 3 < w2["worst"]["rel_error"] / float(quoted[3]) < 3 and w2["worst"]["rel_error"] < w2["max_rel_error"] / 10

    deep = "[2,4,4,4,4,4,4,4,4,4,4,1]"
    r = runner.invoke(app, ["gradcheck", str(ROOT / "configs" / "xor.yaml"), "--set", f"network.layers={deep}",
                            "--layer", "2", "--json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    quoted = _match(r"over the\s+same entries: ([\d.e+-]+) for layer 2 of a ten-hidden-layer sigmoid net, whose\s+"
                    r"ratio is about ([\d.e+-]+)\) reads `rounding level: rounding at ε alone \(the costs', the forward "
                    r"pass's\) allows up to ([\d.e+-]+)")
    assert report["band"] == "rounding level"
    assert quoted[1] == quoted[3] == f"{report['rounding_ratio']:.1e}"
    assert report["global_ratio"] == pytest.approx(float(quoted[2]), rel=0.1)  # (1.8e-04 with numpy 1.23's BLAS)


def test_the_line_counts_the_readme_gives_for_explain_brief_are_explains(monkeypatch) -> None:
    """`--brief`'s row quoted line counts of a 1-1-1-1 chain a reader could not build, and they had
    drifted (52/106 and 143/297 against 54/108 and 147/301) when the header gained a line."""
    monkeypatch.setenv("COLUMNS", "80")
    row = _match(r"At 80 columns the default XOR network's `--layer L` is (\d+) lines instead of (\d+), its "
                 r"`--all-layers` (\d+) instead of (\d+); `configs/iris.yaml --layer L` (\d+) instead of (\d+)\.")
    quoted = [int(n) for n in row.groups()]

    def lines(*args: str) -> int:
        r = runner.invoke(app, ["explain", *args])
        assert r.exit_code == 0, r.output
        return len(r.stdout.splitlines())

    iris = str(ROOT / "configs" / "iris.yaml")
    assert quoted == [lines("--layer", "L", "--brief"), lines("--layer", "L"),
                      lines("--all-layers", "--brief"), lines("--all-layers"),
                      lines(iris, "--layer", "L", "--brief"), lines(iris, "--layer", "L")]


def test_the_readmes_bad3_sample_is_every_error_config_validate_lists(monkeypatch, tmp_path) -> None:
    """The `config validate` section's bad3.yaml (configs/iris.yaml with learning_rate: -1 and epochs: 10.5):
    its sample lines and its --json "errors" are what the command prints for that file."""
    import json

    text = _after("### `backprop config show` and `backprop config validate`")
    said = _match(r"\(`bad3\.yaml`: `configs/iris\.yaml` with `learning_rate: (\S+)` and `epochs: (\S+)`\)", text)
    config = (ROOT / "configs" / "iris.yaml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^  learning_rate: .*$", f"  learning_rate: {said.group(1)}", config)
    config = re.sub(r"(?m)^  epochs: .*$", f"  epochs: {said.group(2)}", config)
    (tmp_path / "bad3.yaml").write_text(config.replace("../data/", f"{ROOT}/data/"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["config", "validate", "bad3.yaml", "--json"])
    assert result.exit_code == 2, result.output
    assert _sample("backprop config validate bad3.yaml") == result.stderr.splitlines()
    errors = _match(r"`bad3\.yaml`'s `\"errors\"` are `(\[.*?\])`", text, re.S).group(1)
    assert json.loads(" ".join(errors.split())) == json.loads(result.stdout)["errors"]


def test_the_readmes_seed_001_toy_config_gives_the_hand_calculations_numbers(monkeypatch, tmp_path) -> None:
    """"Reproduce a hand calculation" did not say that seed 001's bias-free toy needs `biases: [[0], [0]]`:
    without it its relu layers start at bias 0.01 and explain's H reads 1.01 where the hand has 1. The
    section's config, run on its toy.csv, gives H = 1 and the C'(W_1) line it quotes; without its biases line,
    H = 1.01, as it says."""
    import json

    text = _after("### Reproduce a hand calculation")
    said = _match(r"With a one-row `toy\.csv` of `x,y` and `([^`]+)`:\n\n```yaml\n(.*?)```", text, re.DOTALL)
    config = said.group(2)
    assert "biases: [[0], [0]]" in config, config
    (tmp_path / "toy.csv").write_text(f"x,y\n{said.group(1)}\n")
    (tmp_path / "toy.yaml").write_text(config)
    (tmp_path / "bias0.yaml").write_text("".join(line for line in config.splitlines(keepends=True)
                                                 if "biases:" not in line))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "100")
    quoted = _match(r"\(its panel: `(C'\(W_1\)\[0,0\] =\s+E_1\[0\] · X\[0\] = [^`]+)`\)", text).group(1)
    r = runner.invoke(app, ["explain", "toy.yaml", "--layer", "1"])
    assert r.exit_code == 0, r.output
    assert " ".join(quoted.split()) in r.output, r.output
    for name, h in (("toy.yaml", 1.0), ("bias0.yaml", 1.01)):
        r = runner.invoke(app, ["explain", name, "--layer", "L", "--json"])
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout)["seed001"]["layer_input"] == [h], (name, r.stdout)
    assert "H_1 = a^(1) shows 1.01 where the hand calculation has 1" in " ".join(text.split())


def test_the_notation_section_maps_seed_001s_0_based_memoization_example_onto_our_layers(tmp_path, monkeypatch) -> None:
    """"Layers are numbered as in the seeds" was half true: seed 001's memoization example counts from 0
    (C'(W_0) = (O − y) · R'(Z_3) · W_3 · R'(Z_2) · W_2 · R'(Z_1) · W_1 · R'(Z_0) · X, H_0 its first hidden
    layer), its 10-layer chain from 1. The section says which numbering the tool follows and how seed 001's
    0-based one maps: with its W_0 as our w^(1), … W_3 as w^(4), the memoization example's C'(W_0), worked
    by hand, is explain's ∂C0/∂w^(1), and --expand's panel says so in a note."""
    import json

    text = " ".join(_after("## Notation").split("\n| ")[0].split())  # its first paragraph, on one line
    assert "the input x = a^(0) (seed 001's X) is layer 0, the first hidden layer is layer 1" in text, text
    assert "Seed 001's memoization example (C'(W_3) … C'(W_0)) counts from 0 instead: its W_0, Z_0, H_0 are the " \
           "first hidden layer's, our w^(1), z^(1), a^(1)" in text, text
    assert "its W_3, Z_3, O the output layer's, our w^(4), z^(4), a^(4); add 1 to its index" in text, text
    (tmp_path / "one.csv").write_text("x,y\n2,0.5\n")
    W = [0.5, 1.5, 0.8, 1.2]  # seed 001's W_0 … W_3, all active: R' = 1
    (tmp_path / "memo.yaml").write_text(
        "data: {path: one.csv, target: y, task: regression, test_fraction: 0, standardize: false}\n"
        f"network: {{layers: [1, 1, 1, 1, 1], activation: relu, weights: {[[[w]] for w in W]},\n"
        "          biases: [[0], [0], [0], [0]]}\ncost: half_squared_error\n")
    monkeypatch.chdir(tmp_path)
    x, y = 2.0, 0.5
    O = x * W[0] * W[1] * W[2] * W[3]
    by_hand = {0: (O - y) * W[3] * W[2] * W[1] * x, 3: (O - y) * x * W[0] * W[1] * W[2]}  # C'(W_0), C'(W_3)
    for m, value in by_hand.items():
        r = runner.invoke(app, ["explain", "memo.yaml", "--layer", str(m + 1), "--json"])  # W_m is w^(m+1)
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout)["weight_products"][0]["value"] == pytest.approx(value, rel=1e-12), m
    monkeypatch.setenv("COLUMNS", "200")
    r = runner.invoke(app, ["explain", "memo.yaml", "--layer", "1", "--expand"])
    assert "• Seed 001's memoization example counts from 0: its W_0, Z_0, H_0 are W_1, Z_1, H_1 here." in r.output


def test_the_readme_names_every_field_of_a_gradcheck_report() -> None:
    """GradcheckReport.ratio_undefined (why the global ratio is NaN with nothing wrong), kinked and layer_errors were in
    neither the README's Python example nor its --json schema: fields from Python no reader could learn of. Each is
    in the schema (as JSON has it) or in the example, as report.NAME."""
    from dataclasses import fields

    from backprop_cli.gradcheck import GradcheckReport

    schema = _after("`--json` schema: `{\"report\": \"gradcheck\"")
    python = next(block for block in BLOCKS if "for t in report.tensors:" in block)
    missing = [f.name for f in fields(GradcheckReport)
               if not re.search(rf'"{f.name}"', schema) and not re.search(rf"\breport\.{f.name}\b", python)]
    assert not missing, missing
