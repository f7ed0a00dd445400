"""The hooks in .pre-commit-hooks.yaml, run by pre-commit itself on a throwaway content repository."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_MODELS

REPO_ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
ENGLISH = "# Bridge\n\nThe mayor opened the new bridge on Monday.\n"


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    root = tmp_path_factory.mktemp("precommit")
    repo = root / "content"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (repo / "good.md").write_text(ENGLISH, encoding="utf-8")
    (repo / "bad.md").write_bytes((GOLDEN / "article.md").read_bytes())
    (repo / "script.py").write_text("# Die Polizei sucht nach Zeugen.\n", encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    constraints = root / "constraints.txt"
    # The hook environment must take the CPU build on this machine, not the newest CUDA one.
    constraints.write_text("torch==2.13.0\n")
    env = dict(os.environ, PRE_COMMIT_HOME=str(root / "cache"), PIP_CONSTRAINT=str(constraints),
               UNILINGO_MODELS=str(FIXTURE_MODELS))  # fmt: skip
    return repo, env


def hook(content, hook_id, *files):
    repo, env = content
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO_ROOT), hook_id, "--files", *files]
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def test_check_hook_rejects_german_and_passes_english(content):
    rejected = hook(content, "unilingo-check", "good.md", "bad.md", "script.py")
    assert rejected.returncode == 1, rejected.stdout + rejected.stderr
    assert 'bad.md:17:4: de (1.00) "Verwandte Artikel"' in rejected.stdout
    assert "good.md" not in rejected.stdout.split("unilingo check")[-1].replace("bad.md", "")
    assert "script.py" not in rejected.stdout
    passed = hook(content, "unilingo-check", "good.md")
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_check_hook_installs_no_torch(tmp_path):
    # pre-commit builds the check hook's environment with `pip install .`: resolve exactly that.
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
               "--report", str(report), str(REPO_ROOT)]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    names = {item["metadata"]["name"].lower() for item in json.loads(report.read_text())["install"]}
    assert "unilingo" in names and "py3langid" in names
    assert not names & {"torch", "transformers", "sentencepiece"}


def test_fix_hook_normalizes_then_passes(content):
    repo, _ = content
    fixed = hook(content, "unilingo-fix", "good.md", "bad.md")
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr
    assert (repo / "bad.md").read_bytes() == (GOLDEN / "article.inline.md").read_bytes()
    assert (repo / "good.md").read_text(encoding="utf-8") == ENGLISH
    again = hook(content, "unilingo-fix", "good.md", "bad.md")
    assert again.returncode == 0, again.stdout + again.stderr
    assert hook(content, "unilingo-check", "good.md", "bad.md").returncode == 0
