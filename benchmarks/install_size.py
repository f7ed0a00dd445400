"""How much an install of unilingo puts on disk: a fresh virtual environment per install, measured with du.

    python benchmarks/install_size.py                      # check-only (pip install .) and fast (.[fast])
    python benchmarks/install_size.py check fast translate # also the transformers backend (torch: large)
    python benchmarks/install_size.py hooks                # the pre-commit hooks' environments, beside codespell's

Each install goes into a new venv in a temporary folder, with pip's own
resolver and index settings as they are here (torch's CPU wheel index, for
instance, if PIP_INDEX_URL names it). Printed per install: site-packages in
MiB (``du -sm``, pip and setuptools included, as a user's venv holds them),
the install time, whether torch or transformers came along, and the largest
entries.

``hooks`` lets pre-commit itself build the environments of this checkout's
hooks (.pre-commit-hooks.yaml at HEAD: commit first) in a fresh
PRE_COMMIT_HOME, in a small content repository (the tests' golden German
article and an English page) whose configuration also holds codespell: a
local hook that installs codespell from the package index, as codespell's own
hook (a clone of its repository) installs the same package. Per hook: the
first ``pre-commit run HOOK --all-files`` (environment built, then run), a
second one (environment there), each on the same unchanged files, and the
environment's site-packages. The fix hook runs on the tests' tiny model
(UNILINGO_MODELS), converted for CTranslate2 on its first run.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTALLS = {"check": str(ROOT), "fast": f"{ROOT}[fast]", "translate": f"{ROOT}[translate]"}
LARGEST = 6
FIXTURES = ROOT / "tests" / "fixtures"
HOOKS = ("codespell", "unilingo-check", "unilingo-fix")
HOOK_CONFIG = """repos:
  - repo: {root}
    rev: {rev}
    hooks:
      - id: unilingo-check
      - id: unilingo-fix
  - repo: local
    hooks:
      - id: codespell
        name: codespell
        entry: codespell
        language: python
        additional_dependencies: [codespell]
        types: [text]
"""


def du_mib(path: Path) -> int:
    return int(subprocess.run(["du", "-sm", str(path)], capture_output=True, text=True, check=True).stdout.split()[0])


def measure(name: str, requirement: str, work: Path) -> dict:
    venv = work / name
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
    start = time.perf_counter()
    subprocess.run([*pip, "install", "--quiet", requirement], check=True)
    seconds = time.perf_counter() - start
    [site] = (venv / "lib").glob("python*/site-packages")
    entries = sorted(((du_mib(entry), entry.name) for entry in site.iterdir()), reverse=True)
    return {
        "install": name, "mib": du_mib(site), "seconds": seconds,
        "heavy": [module for module in ("torch", "transformers") if (site / module).is_dir()],
        "largest": entries[:LARGEST],
    }  # fmt: skip


def site_packages(env: Path) -> Path:
    [site] = env.glob("lib/python*/site-packages")
    return site


def hook_environments(home: Path) -> dict[str, Path]:
    """Each hook's environment in a PRE_COMMIT_HOME, from pre-commit's own record of its repositories."""
    with sqlite3.connect(home / "db.db") as db:
        repos = dict(db.execute("SELECT repo, path FROM repos"))
    named = {"unilingo-check": str(ROOT), "unilingo-fix": f"{ROOT}:.[fast]", "codespell": "local:codespell"}
    return {hook: next(Path(repos[key]).glob("py_env-*")) for hook, key in named.items() if key in repos}


def measure_hooks(work: Path) -> None:
    repo = work / "content"
    repo.mkdir()
    (repo / "article.md").write_bytes((ROOT / "tests" / "golden" / "article.md").read_bytes())
    (repo / "bridge.md").write_text("# Bridge\n\nThe mayor opened the new bridge on Monday.\n", encoding="utf-8")
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    (repo / ".pre-commit-config.yaml").write_text(HOOK_CONFIG.format(root=ROOT, rev=rev), encoding="utf-8")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "content"], cwd=repo, check=True)
    home = work / "pre-commit-home"
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), UNILINGO_MODELS=str(FIXTURES / "models.txt"),
               UNILINGO_CACHE_DIR=str(work / "unilingo-cache"), HF_HUB_OFFLINE="1")  # fmt: skip
    seconds: dict[str, list[float]] = {hook: [] for hook in HOOKS}
    for _ in range(2):
        for hook in HOOKS:
            began = time.perf_counter()
            # Exit 1 is a hook that found German or changed a file: that is the run being timed.
            done = subprocess.run([sys.executable, "-m", "pre_commit", "run", hook, "--all-files"], cwd=repo, env=env,
                                  capture_output=True, text=True)  # fmt: skip
            seconds[hook].append(time.perf_counter() - began)
            if done.returncode not in (0, 1):
                sys.exit(f"pre-commit run {hook} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
            subprocess.run(["git", "checkout", "-q", "--", "."], cwd=repo, check=True)  # the next run sees the same files
    environments = hook_environments(home)
    print(f"pre-commit {subprocess.run([sys.executable, '-m', 'pre_commit', '--version'], capture_output=True, text=True).stdout.split()[-1]}, "
          f"hooks of {ROOT.name} at {rev[:12]}")  # fmt: skip
    for hook in HOOKS:
        site = site_packages(environments[hook])
        entries = sorted(((du_mib(entry), entry.name) for entry in site.iterdir()), reverse=True)[:LARGEST]
        largest = ", ".join(f"{entry} {mib}" for mib, entry in entries)
        first, again = seconds[hook]
        print(f"{hook:15} {du_mib(site):6,} MiB  first run {first:6.1f} s  again {again:5.1f} s  largest (MiB): {largest}", flush=True)


def main(names: list[str]) -> int:
    if names == ["hooks"]:
        with tempfile.TemporaryDirectory(prefix="unilingo-hook-size-") as folder:
            measure_hooks(Path(folder))
        return 0
    unknown = [name for name in names if name not in INSTALLS]
    if unknown:
        print(f"unknown install {', '.join(unknown)}: use {', '.join(INSTALLS)}, or hooks alone", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="unilingo-install-size-") as folder:
        for name in names:
            row = measure(name, INSTALLS[name], Path(folder))
            largest = ", ".join(f"{entry} {mib}" for mib, entry in row["largest"])
            print(f"{name:10} {row['mib']:6,} MiB  {row['seconds']:6.1f} s  torch/transformers: "
                  f"{', '.join(row['heavy']) or 'none'}  largest (MiB): {largest}", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["check", "fast"]))
