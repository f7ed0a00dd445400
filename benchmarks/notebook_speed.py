"""How much does reading a notebook cost over reading its Markdown cells as one Markdown file?

Builds a notebook from two of the test fixtures (Jupyter's "Working With
Markdown Cells", with its attachment, and "Importing Notebooks", with code
cells and outputs) repeated to about ``--size`` MB, and the same Markdown
cells joined by blank lines as one .md file. Times, in one process, the
notebook codec (reading the Markdown cells, writing every one of them
changed, reading the result again to verify it), and, each in a fresh
process with no translation memory, ``unilingo check`` on the notebook and
on the Markdown file (wall clock, interpreter start included; medians).

    python benchmarks/notebook_speed.py [--size MB] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "notebooks"
SOURCES = ("jupyter-working-with-markdown-cells.ipynb", "jupyter-importing-notebooks.ipynb")


def build(size: float) -> tuple[str, str]:
    cells = [cell for name in SOURCES for cell in json.loads((FIXTURES / name).read_text(encoding="utf-8"))["cells"]]
    notebook = json.loads((FIXTURES / SOURCES[0]).read_text(encoding="utf-8"))
    notebook["cells"] = []
    while len(json.dumps(notebook)) < size * 1e6:
        notebook["cells"] += [dict(cell, id=f"c{len(notebook['cells']) + number}") for number, cell in enumerate(cells)]
    markdown = "\n\n".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n", markdown + "\n"


def check_seconds(path: Path, runs: int) -> float:
    env = dict(os.environ, UNILINGO_CACHE_DIR=tempfile.mkdtemp(prefix="unilingo-bench-"))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "unilingo", "check", "--no-cache", str(path)], env=env, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=1.0, help="notebook size in MB")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from unilingo.formats.notebook._codec import read_notebook, write_notebook, written_problem

    notebook_text, markdown = build(args.size)
    start = time.perf_counter()
    notebook = read_notebook(notebook_text, "bench.ipynb")
    read = time.perf_counter() - start
    sources = {index: cell.text + " changed" for index, cell in enumerate(notebook.cells)}
    written = write_notebook(notebook, sources)
    wrote = time.perf_counter() - start - read
    assert written_problem(notebook, written, sources, "bench.ipynb") is None
    verified = time.perf_counter() - start - read - wrote
    print(f"notebook {len(notebook_text) / 1e6:.2f} MB, {len(notebook.cells)} Markdown cells holding {len(markdown) / 1e6:.2f} MB")
    print(f"codec: read {read:.3f} s, write {wrote:.3f} s, verify {verified:.3f} s")
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "bench.ipynb").write_text(notebook_text, encoding="utf-8")
        (Path(folder) / "bench.md").write_text(markdown, encoding="utf-8")
        for name in ("bench.ipynb", "bench.md"):
            print(f"unilingo check {name}: {check_seconds(Path(folder) / name, args.runs):.2f} s (median of {args.runs})")


if __name__ == "__main__":
    main()
