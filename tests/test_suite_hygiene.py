"""The test suite cleans up after itself."""

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).parent


def test_a_test_run_leaves_no_cache_or_hub_folders_in_the_temp_folder(tmp_path):
    temp = tmp_path / "temp"
    temp.mkdir()
    env = dict(os.environ, TMPDIR=str(temp))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--basetemp", str(tmp_path / "base"),
               f"{TESTS / 'test_models.py'}::test_comments_and_blank_lines_are_ignored"]  # fmt: skip
    completed = subprocess.run(command, cwd=TESTS.parent, env=env, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert sorted(path.name for path in temp.iterdir()) == []
