"""``docs/architecture.md`` stays the architecture as it is: its module map names every module
file of the package (and no file that is gone), its import table is the core's imports, and the
rule it states, no core module imports the CLI's side, holds."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "backprop_cli"
DOC_PATH = ROOT / "docs" / "architecture.md"
#: The package's modules that are not the core: the entry points and the CLI's side.
NOT_CORE = {"__init__", "__main__", "cli"}
#: What a core module never imports ("the core computes, the CLI renders").
EDGES = {"cli", "commands", "render", "rich", "typer"}


def _doc() -> str:
    if not DOC_PATH.is_file():
        pytest.fail(f"{DOC_PATH.relative_to(ROOT)} is missing: it is the maintainer's map of the code", pytrace=False)
    return DOC_PATH.read_text(encoding="utf-8")


def _section(number: int) -> str:
    """Section ``number`` of the doc, from its ``## N.`` heading to the next ``## ``."""
    found = re.search(rf"^## {number}\. .*?(?=^## |\Z)", _doc(), re.S | re.M)
    if found is None:
        pytest.fail(f"docs/architecture.md has no section '## {number}.', which this test reads", pytrace=False)
    return found.group(0)


def _modules() -> list[str]:
    """Every module file of the package, as its path under ``src/backprop_cli/`` (``render/train.py``)."""
    return sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _core() -> list[str]:
    return sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem not in NOT_CORE)


def _imports(module: str) -> tuple[set[str], set[str], set[str]]:
    """What the top-level ``module`` imports: (the package's modules at load, the package's
    modules inside functions, every top-level name it imports at all, ours and others', at any
    depth and under ``TYPE_CHECKING`` too). The first two leave ``TYPE_CHECKING`` imports out."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    at_load: set[str] = set()
    called: set[str] = set()
    every: set[str] = set()

    def ours(node: ast.ImportFrom) -> list[str]:
        if node.level == 0:
            parts = (node.module or "").split(".")
            return [parts[1]] if parts[0] == "backprop_cli" and len(parts) > 1 else []
        if node.module:  # from .network import Network; from .render.explain import to_json
            return [node.module.split(".")[0]]
        return [a.name.split(".")[0] for a in node.names]  # from . import blas

    def visit(node: ast.AST, in_function: bool, type_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            only = type_only or (isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test))
            names: list[str] = []
            if isinstance(child, ast.Import):
                every.update(a.name.split(".")[0] for a in child.names)
                names = [a.name.split(".")[1] for a in child.names
                         if a.name.startswith("backprop_cli.") and "." in a.name]
            elif isinstance(child, ast.ImportFrom):
                names = ours(child)
                if child.level == 0:
                    every.add((child.module or "").split(".")[0])
                every.update(names)
            if names and not only:
                (called if inner else at_load).update(names)
            visit(child, inner, only)

    visit(tree, False, False)
    return at_load - {module}, called - at_load - {module}, every


def test_the_module_map_names_every_module_file() -> None:
    """A module added, moved or renamed under src/backprop_cli/ without its line in the map fails
    here, naming it; and a file the map names that no longer exists fails too."""
    section = _section(1)
    missing = [m for m in _modules() if f"`{m}`" not in section]
    assert missing == [], f"docs/architecture.md's module map does not name {missing}: add a line for each"
    named = re.findall(r"^\| `([\w/]+\.py)` \|", section, re.M)
    gone = [m for m in named if not (PACKAGE / m).is_file()]
    assert len(named) >= len(_modules()) and gone == [], f"the map names files that do not exist: {gone}"


def test_the_import_table_is_the_core_modules_imports() -> None:
    """Section 2's table lists each core module once, with the core modules it imports at load and
    inside functions, as the code does: an import added or removed shows here."""
    rows = re.findall(r"^\| `(\w+)\.py` \| ([^|]*) \| ([^|]*) \|$", _section(2), re.M)
    listed = [r[0] for r in rows]
    assert sorted(listed) == _core(), f"the import table's modules differ from the core's: {set(listed) ^ set(_core())}"

    def cell(text: str) -> set[str]:
        return {w.strip() for w in text.split(",") if w.strip() not in ("", "—")}

    wrong = {}
    for module, load_cell, called_cell in rows:
        at_load, called, _ = _imports(module)
        if (cell(load_cell), cell(called_cell)) != (at_load, called):
            wrong[module] = {"at load": sorted(at_load), "when called": sorted(called)}
    assert wrong == {}, f"docs/architecture.md's import table differs from the code; the code has: {wrong}"


@pytest.mark.parametrize("module", _core())
def test_no_core_module_imports_the_cli_side(module: str) -> None:
    """The core computes, the CLI renders: no core module imports cli, commands, render, rich or
    typer, at load, inside a function or for type checking."""
    _, _, every = _imports(module)
    assert every & EDGES == set(), f"{module}.py imports {sorted(every & EDGES)}"


def test_the_import_reader_sees_each_kind_of_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks above are only as good as ``_imports``: it tells load-time imports from those in
    functions, leaves TYPE_CHECKING ones out of the table, and sees rich, render and ``from . import``."""
    (tmp_path / "probe.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from .network import Network\nfrom . import blas\nimport backprop_cli.data\n"
        "if TYPE_CHECKING:\n    from .config import Config\n"
        "def f():\n    from .render.train import print_summary\n    import rich.console\n    from .network import x\n",
        encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path)
    at_load, called, every = _imports("probe")
    assert at_load == {"network", "blas", "data"} and called == {"render"}
    assert {"rich", "render", "config"} <= every
