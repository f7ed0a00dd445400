"""Configuration files: found upward from each file, overridden by the command line, strict about keys and values."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURE_MODELS
from unilingo._cli import cli
from unilingo._config import _config_in

GOLDEN = Path(__file__).parent / "golden"
GERMAN = (GOLDEN / "article.md").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def fresh_lookup():
    # Configurations are cached per folder for one process; each test writes its own.
    _config_in.cache_clear()
    yield
    _config_in.cache_clear()


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "models").mkdir()
    shutil.copy(FIXTURE_MODELS, tmp_path / "models" / "models.txt")
    shutil.copytree(FIXTURE_MODELS.parent / "tiny-opus-mt-de-en", tmp_path / "models" / "tiny-opus-mt-de-en")
    (tmp_path / "docs" / "drafts").mkdir(parents=True)
    (tmp_path / "docs" / "news.md").write_text(GERMAN, encoding="utf-8")
    (tmp_path / "docs" / "drafts" / "idea.md").write_text(GERMAN, encoding="utf-8")
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def test_unilingo_toml_sets_models_and_excludes_globs_relative_to_itself(repo):
    (repo / ".unilingo.toml").write_text('models = "models/models.txt"\nexclude = ["docs/drafts/*"]\n', encoding="utf-8")
    result = run("check", repo / "docs" / "news.md", repo / "docs" / "drafts" / "idea.md")
    assert result.exit_code == 1, result.output
    assert "news.md" in result.output and "idea.md" not in result.output
    # Folders are walked and filtered the same way.
    assert "idea.md" not in run("check", repo / "docs").output


def test_pyproject_table_is_found_upward_and_a_pyproject_without_one_is_passed_over(repo):
    (repo / "pyproject.toml").write_text('[tool.unilingo]\nmodels = "models/models.txt"\nkeep-original = "sidecar"\n')
    (repo / "docs" / "pyproject.toml").write_text('[project]\nname = "docs"\n')
    result = run("fix", repo / "docs" / "news.md", "-q")
    assert result.exit_code == 1, result.output
    assert (repo / "docs" / "news.md.unilingo.json").exists()


def test_command_line_options_win_over_the_file(repo):
    (repo / ".unilingo.toml").write_text('models = "models/models.txt"\nkeep-original = "sidecar"\n')
    result = run("fix", repo / "docs" / "news.md", "-q", "--keep-original", "inline")
    assert result.exit_code == 1, result.output
    assert not (repo / "docs" / "news.md.unilingo.json").exists()
    assert "<!-- unilingo:original" in (repo / "docs" / "news.md").read_text(encoding="utf-8")


def test_the_nearest_file_applies_to_each_file(repo):
    (repo / ".unilingo.toml").write_text('models = "models/models.txt"\n')
    (repo / "docs" / "drafts" / ".unilingo.toml").write_text('models = "../../models/models.txt"\nmin-confidence = 1.0\n')
    result = run("detect", "--json", repo / "docs" / "news.md", repo / "docs" / "drafts" / "idea.md")
    assert result.exit_code == 0, result.output
    news, idea = __import__("json").loads(result.output)
    assert sum(s["action"] == "translate" for s in news["segments"]) > 0
    # Nothing reaches a confidence of 1.0 exactly, so under this file nothing is sure enough to translate.
    assert sum(s["action"] == "translate" for s in idea["segments"]) < sum(s["action"] == "translate" for s in news["segments"])


@pytest.mark.parametrize(
    "content, message",
    [
        ('targett = "en"\n', "unknown key 'targett'"),
        ('target = "English"\n', "bad value for 'target'"),
        ("min-confidence = 2\n", "bad value for 'min-confidence': expected a number between 0 and 1"),
        ('keep-original = "both"\n', "bad value for 'keep-original': expected one of sidecar, inline, none"),
        ('exclude = "drafts"\n', "bad value for 'exclude': expected a list of strings"),
        ("target = \n", "is not valid TOML"),
    ],
)
def test_a_bad_file_is_a_usage_error_naming_file_and_key(repo, content, message):
    (repo / ".unilingo.toml").write_text(content, encoding="utf-8")
    result = run("check", repo / "docs" / "news.md")
    assert result.exit_code == 2
    assert str(repo / ".unilingo.toml") in result.output and message in result.output
    assert "Traceback" not in result.output


def test_a_bad_pyproject_table_names_the_table(repo):
    (repo / "pyproject.toml").write_text("[tool.unilingo]\nbeams = 4\n")
    result = run("check", repo / "docs" / "news.md")
    assert result.exit_code == 2 and "pyproject.toml [tool.unilingo]: unknown key 'beams'" in result.output
