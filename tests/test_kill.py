"""`unilingo fix` killed with SIGKILL mid-run: every file is untouched or complete, and a re-run finishes the job."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURE_MODELS
from unilingo import restore_inline

GOLDEN = Path(__file__).parent / "golden"
# Enough segments for several of the Normalizer's windows, so files are written
# while later ones are still being translated.
FILES = 24
REPEATS = 10

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX-only")


def make_repo(folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    markdown = (GOLDEN / "article.md").read_text(encoding="utf-8")
    text = (GOLDEN / "article.txt").read_bytes()
    originals = {}
    for number in range(FILES):
        if number % 6 == 5:
            name, data = f"note{number:02}.txt", text
        else:
            # English headings: the test model rejects its translation of "Bericht 0-0", and fix then fails every run.
            body = "".join(f"## Report {number}-{part}\n\n{markdown}\n" for part in range(REPEATS))
            name, data = f"page{number:02}.md", body.encode("utf-8")
        (folder / name).write_bytes(data)
        originals[name] = data
    return originals


def fix(folder: Path, cache: Path, **popen):
    command = [sys.executable, "-m", "unilingo", "fix", str(folder), "--models", str(FIXTURE_MODELS), "-q",
               "--cache", str(cache), "--backend", "transformers"]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **popen)


def test_sigkill_mid_run_leaves_every_file_whole_and_a_rerun_finishes(tmp_path):
    reference = tmp_path / "reference"
    originals = make_repo(reference)
    done = fix(reference, tmp_path / "reference.sqlite3")
    assert done.wait(timeout=600) == 1, done.stderr.read().decode()
    normalized = {name: (reference / name).read_bytes() for name in originals}
    assert all(normalized[name] != originals[name] for name in originals)

    repo = tmp_path / "repo"
    make_repo(repo)
    cache = tmp_path / "killed.sqlite3"
    process = fix(repo, cache)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and process.poll() is None:
        if any((repo / name).read_bytes() != originals[name] for name in originals):
            break
        time.sleep(0.002)
    assert process.poll() is None, "fix finished before it could be killed; give it more work"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    states = {}
    for name, original in originals.items():
        now = (repo / name).read_bytes()
        assert now in (original, normalized[name]), f"{name} is neither untouched nor complete"
        states[name] = "untouched" if now == original else "fixed"
        if name.endswith(".md") and states[name] == "fixed":
            assert restore_inline(now.decode("utf-8")).encode("utf-8") == original
        if name.endswith(".txt") and states[name] == "fixed":
            assert (repo / (name + ".unilingo.json")).exists()
    assert "fixed" in states.values() and "untouched" in states.values(), states
    # A write the kill interrupted leaves at most a hidden temporary file, never a document.
    leftovers = {path.name for path in repo.iterdir()} - set(originals) - {name + ".unilingo.json" for name in originals}
    assert all(name.startswith(".") and name.endswith(".tmp") for name in leftovers), leftovers

    rerun = fix(repo, cache)
    assert rerun.wait(timeout=600) == 1, rerun.stderr.read().decode()
    for name in originals:
        if name.endswith(".md"):
            assert (repo / name).read_bytes() == normalized[name], name
        else:
            assert (repo / name).read_bytes() == normalized[name]
            sidecar = __import__("json").loads((repo / (name + ".unilingo.json")).read_text(encoding="utf-8"))
            assert sidecar["original"].encode("utf-8") == originals[name]
    again = fix(repo, cache)
    assert again.wait(timeout=600) == 0, "a third run must find nothing left to do"
    shutil.rmtree(repo)
