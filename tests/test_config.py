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
    # A configuration file names files in its own folder or below, and so does the models file it names.
    shutil.copytree(repo / "models" / "tiny-opus-mt-de-en", repo / "docs" / "drafts" / "tiny-opus-mt-de-en")
    (repo / "docs" / "drafts" / "models.txt").write_text("de en ./tiny-opus-mt-de-en\n", encoding="utf-8")
    (repo / "docs" / "drafts" / ".unilingo.toml").write_text('models = "models.txt"\nmin-confidence = 1.0\n')
    result = run("detect", "--json", repo / "docs" / "news.md", repo / "docs" / "drafts" / "idea.md")
    assert result.exit_code == 0, result.output
    news, idea = __import__("json").loads(result.output)
    assert sum(s["action"] == "translate" for s in news["segments"]) > 0
    # Nothing reaches a confidence of 1.0 exactly, so under this file nothing is sure enough to translate.
    assert sum(s["action"] == "translate" for s in idea["segments"]) < sum(s["action"] == "translate" for s in news["segments"])


@pytest.mark.parametrize("folder", ["../../models/tiny-opus-mt-de-en", "/etc", "../../../no-such-folder", "~/models"])
def test_a_models_file_a_configuration_names_cannot_reach_outside_its_folder(repo, folder):
    (repo / "docs" / "drafts" / "models.txt").write_text(f"de en {folder}\n", encoding="utf-8")
    (repo / "docs" / "drafts" / ".unilingo.toml").write_text('models = "models.txt"\n')
    result = run("detect", repo / "docs" / "drafts" / "idea.md")
    assert result.exit_code == 2, result.output
    # The same words whether or not the folder exists there: the message tells nothing of the world outside.
    assert f"models.txt:1: the model folder '{folder}' is outside {(repo / 'docs' / 'drafts').resolve()}" in result.output
    assert "--models" in result.output and "Traceback" not in result.output


def test_a_models_file_the_command_line_replaces_is_never_read(repo):
    (repo / "docs" / ".unilingo.toml").write_text('models = "gone.txt"\n')
    replaced = run("detect", repo / "docs" / "news.md", "--models", FIXTURE_MODELS)
    assert replaced.exit_code == 0, replaced.output
    used = run("detect", repo / "docs" / "news.md")
    assert used.exit_code == 3 and "gone.txt" in used.output and "Traceback" not in used.output


@pytest.mark.parametrize(
    "content, message",
    [
        ('targett = "en"\n', "unknown key 'targett'"),
        ('target = "English"\n', "bad value for 'target'"),
        ('target = "xx"\n', "bad value for 'target': 'xx' is not a language unilingo knows"),
        ('also-detect = ["nl", "qq"]\n', "bad value for 'also-detect': 'qq' is not a language unilingo knows"),
        ("min-confidence = 2\n", "bad value for 'min-confidence': expected a number between 0 and 1"),
        ('keep-original = "both"\n', "bad value for 'keep-original': expected one of sidecar, inline, none"),
        ('exclude = "drafts"\n', "bad value for 'exclude': expected a list of strings"),
        ('glossary = "terms\\u0000.tsv"\n', "bad value for 'glossary': a file name cannot hold a NUL character"),
        ("target = \n", "is not valid TOML"),
        ("a = " + "[" * 100_000 + "]" * 100_000 + "\n", "nests deeper than a configuration file ever does"),
        ("a = " + "{b = " * 100_000 + "}" * 100_000 + "\n", "nests deeper than a configuration file ever does"),
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


@pytest.mark.parametrize("name, content", [(".unilingo.toml", "[secrets]\ntoken_name = 1\n"), ("pyproject.toml", "[tool.unilingo]\nsecret_key_name = 1\n")])
def test_a_configuration_file_that_links_outside_its_folder_is_refused_unread(repo, tmp_path_factory, name, content):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "credentials.toml"
    elsewhere.write_text(content, encoding="utf-8")
    (repo / "docs" / name).symlink_to(elsewhere)
    result = run("check", repo / "docs" / "news.md")
    assert result.exit_code == 2, result.output
    assert f"{repo / 'docs' / name} is a link to a file outside its folder" in result.output
    assert "secret" not in result.output and "token" not in result.output and "Traceback" not in result.output


def test_a_configuration_file_may_link_to_one_in_its_own_folder(repo):
    (repo / "docs" / "shared").mkdir()
    (repo / "docs" / "shared" / "unilingo.toml").write_text("beams = 4\n", encoding="utf-8")
    (repo / "docs" / ".unilingo.toml").symlink_to(repo / "docs" / "shared" / "unilingo.toml")
    result = run("check", repo / "docs" / "news.md")
    assert result.exit_code == 2 and "unknown key 'beams'" in result.output  # read: its key is judged


# --- files a configuration file names ----------------------------------------


@pytest.mark.parametrize("key", ["models", "glossary"])
@pytest.mark.parametrize("named", ["/proc/self/environ", "/dev/zero", "../../etc/passwd", "/etc/passwd", "link.txt"])
def test_a_configuration_file_names_no_file_outside_its_folder(repo, tmp_path_factory, monkeypatch, key, named):
    secret = "unilingo-test-secret-8d1f0c"
    monkeypatch.setenv("UNILINGO_TEST_TOKEN", secret)
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "secret.txt"
    elsewhere.write_text(f"TOKEN={secret}\n", encoding="utf-8")
    (repo / "docs" / "link.txt").symlink_to(elsewhere)
    (repo / "docs" / ".unilingo.toml").write_text(f'{key} = "{named}"\n', encoding="utf-8")
    result = run("check", repo / "docs" / "news.md")
    assert result.exit_code == 2, result.output
    assert f"'{key}' names '{named}', which is outside {(repo / 'docs').resolve()}" in result.output
    assert f"--{key}" in result.output
    assert secret not in result.output and "Traceback" not in result.output


def test_a_file_the_configuration_names_inside_its_folder_may_be_reached_through_dots(repo):
    (repo / "docs" / "terms.tsv").write_text("Polizei\n", encoding="utf-8")
    (repo / "docs" / ".unilingo.toml").write_text('models = "../docs/drafts/../../models/models.txt"\n', encoding="utf-8")
    assert "outside" in run("check", repo / "docs" / "news.md").output
    (repo / "docs" / ".unilingo.toml").write_text('glossary = "drafts/../terms.tsv"\n', encoding="utf-8")
    result = run("check", "--models", repo / "models" / "models.txt", repo / "docs" / "news.md")
    assert result.exit_code == 1, result.output


@pytest.mark.parametrize("option", ["--models", "--glossary"])
def test_a_file_outside_the_tree_given_on_the_command_line_is_read(repo, tmp_path_factory, option):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    shutil.copy(repo / "models" / "models.txt", elsewhere / "models.txt")
    shutil.copytree(repo / "models" / "tiny-opus-mt-de-en", elsewhere / "tiny-opus-mt-de-en")
    (elsewhere / "terms.tsv").write_text("Polizei\n", encoding="utf-8")
    (repo / "docs" / ".unilingo.toml").write_text('min-confidence = 0.5\n', encoding="utf-8")
    named = elsewhere / ("models.txt" if option == "--models" else "terms.tsv")
    result = run("check", option, named, "--models", elsewhere / "models.txt", repo / "docs" / "news.md")
    assert result.exit_code == 1, result.output
    assert "news.md" in result.output


@pytest.mark.parametrize("option, what", [("--models", "models file"), ("--glossary", "glossary")])
@pytest.mark.parametrize("named", ["/proc/self/environ", "/dev/zero"])
def test_only_a_regular_file_is_read_even_from_the_command_line(repo, monkeypatch, option, what, named):
    secret = "unilingo-test-secret-8d1f0c"
    monkeypatch.setenv("UNILINGO_TEST_TOKEN", secret)
    models = [] if option == "--models" else ["--models", repo / "models" / "models.txt"]
    result = run("check", option, named, *models, repo / "docs" / "news.md")
    assert result.exit_code == 3, result.output
    assert f"{what} {named} is not a regular file" in result.output
    assert secret not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("key, what", [("models", "models file"), ("glossary", "glossary")])
def test_a_folder_named_as_a_settings_file_is_refused_as_not_a_regular_file(repo, key, what):
    (repo / "docs" / "terms").mkdir()
    (repo / "docs" / ".unilingo.toml").write_text(f'{key} = "terms"\n', encoding="utf-8")
    models = [] if key == "models" else ["--models", repo / "models" / "models.txt"]
    result = run("check", *models, repo / "docs" / "news.md")
    assert result.exit_code == 3, result.output
    assert f"{what} {(repo / 'docs' / 'terms').resolve()} is not a regular file" in result.output


def test_a_fifo_is_refused_without_waiting_for_a_writer(repo):
    import subprocess
    import sys

    os = __import__("os")
    os.mkfifo(repo / "docs" / "terms.tsv")
    (repo / "docs" / ".unilingo.toml").write_text('glossary = "terms.tsv"\n', encoding="utf-8")
    command = [sys.executable, "-m", "unilingo", "check", "--models", str(repo / "models" / "models.txt"), str(repo / "docs" / "news.md")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")})
    assert result.returncode == 3, result.stderr
    assert f"glossary {(repo / 'docs' / 'terms.tsv').resolve()} is not a regular file" in result.stderr


def test_a_models_file_over_its_size_cap_is_refused(repo):
    big = repo / "models" / "big.txt"
    big.write_text("# " + "x" * (1 << 20) + "\n", encoding="utf-8")
    result = run("check", "--models", big, repo / "docs" / "news.md")
    assert result.exit_code == 3 and "is larger than 1 MiB" in result.output, result.output


def test_an_error_about_a_line_shows_only_a_short_escaped_excerpt_of_it(repo):
    secret = "s3cr3t" * 20
    (repo / "models" / "models.txt").write_text(f"\x1b[2Jde en model TOKEN={secret}\n", encoding="utf-8")
    result = run("check", "--models", repo / "models" / "models.txt", repo / "docs" / "news.md")
    assert result.exit_code == 2, result.output
    assert "got '\\x1b[2Jde en model TOKEN=s3cr3ts3cr3ts3cr3t" in result.output and secret not in result.output
    assert "\x1b" not in result.output
