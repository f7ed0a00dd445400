"""The package's structure: no import circle, no private name taken from another module, formats compared only in the registry."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "unilingo"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _runs(tree: ast.AST):
    """Every node that runs: what only a type checker reads (``if TYPE_CHECKING:``) left out."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            yield from (n for part in node.orelse for n in [part, *_runs(part)])
            continue
        yield node
        yield from _runs(node)


def _imports(name: str) -> list[tuple[str, list[str]]]:
    """(module, names) for each import the module runs, at its top or inside a function."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in _runs(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            module = ".".join(part for part in (base if node.level else "", node.module or "") if part)
            found.append((module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name in MODULES:
        edges = set()
        for module, names in _imports(name):
            for imported in names or [""]:
                target = f"{module}.{imported}" if f"{module}.{imported}" in MODULES else module
                if target in MODULES and target != name:
                    edges.add(target)
        graph[name] = edges
    return graph


def test_no_module_imports_itself_back():
    graph = _graph()
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done
    path: list[str] = []

    def walk(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                pytest.fail("import circle: " + " -> ".join(path[path.index(target) :] + [target]))
            if target not in state:
                walk(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module)


def test_no_private_name_crosses_modules():
    crossing = [
        f"{name} takes {imported} from {module}"
        for name in MODULES
        for module, names in _imports(name)
        if module.startswith("unilingo") and module != name
        for imported in names
        if imported.startswith("_") and not imported.startswith("__") and f"{module}.{imported}" not in MODULES
    ]
    assert crossing == []


def test_format_names_are_compared_only_in_the_registry():
    """``format == "markdown"`` and the like belong to the formats: everywhere else asks the format object."""
    names = {"text", "markdown", "html"}
    found = []
    for name, path in MODULES.items():
        if name.startswith("unilingo.formats"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                literals = {
                    value
                    for operand in [node.left, *node.comparators]
                    for value in ([operand] if not isinstance(operand, (ast.Tuple, ast.List, ast.Set)) else operand.elts)
                    if isinstance(value, ast.Constant) and isinstance(value.value, str)
                }
                compared = {literal.value for literal in literals} & names
                uses_format = any(isinstance(part, (ast.Name, ast.Attribute)) and "format" in ast.unparse(part)
                                  for part in [node.left, *node.comparators])  # fmt: skip
                if compared and uses_format:
                    found.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
    assert found == []


def test_the_package_loads_a_module_only_when_one_of_its_names_is_used():
    """``import unilingo`` (and so ``python -m unilingo``) costs nothing until a name is used; every public name resolves."""
    probe = (
        "import sys, unilingo\n"
        "before = sorted(m for m in sys.modules if m.startswith('unilingo.'))\n"
        "names = {name: getattr(unilingo, name).__module__ for name in unilingo.__all__}\n"
        "print(before, 'unilingo._api' in sys.modules, names['Normalizer'], names['restore_sidecar'], sep='|')\n"
    )
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "[]|True|unilingo._api|unilingo._sidecar"


def test_detect_of_a_text_file_imports_no_other_formats_parser(tmp_path):
    """Each format's parser is imported when a file of it is read: markdown-it, html.parser and the rest cost a short run."""
    from conftest import heavy_modules_after

    note = tmp_path / "note.txt"
    note.write_text("Ich habe Hunger.\n\nThe mayor opened the new bridge.\n", encoding="utf-8")
    parsers = ("markdown_it", "html.parser", "importlib.metadata", "unilingo.formats.subtitles._cues", "unilingo.formats.notebook._codec")
    assert heavy_modules_after(["detect", "--no-cache", note], parsers) == []
    page = tmp_path / "page.md"
    page.write_text("# Titel\n\nIch habe Hunger.\n", encoding="utf-8")
    assert heavy_modules_after(["detect", "--no-cache", page], parsers) == ["markdown_it"]
