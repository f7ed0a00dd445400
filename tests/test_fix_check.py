"""`check` (findings, exit 1) and `fix` (in place, original kept, exit 1 when it changed a file)."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURE_MODELS
from unilingo._cli import cli

GOLDEN = Path(__file__).parent / "golden"
MODELS = ["--models", str(FIXTURE_MODELS)]


def run(*args):
    return CliRunner().invoke(cli, [str(arg) for arg in args])


@pytest.fixture
def repo(tmp_path):
    shutil.copy(GOLDEN / "article.md", tmp_path / "article.md")
    shutil.copy(GOLDEN / "article.txt", tmp_path / "article.txt")
    shutil.copy(GOLDEN / "article.out.md", tmp_path / "clean.md")
    return tmp_path


def test_check_lists_each_finding_and_fails(repo):
    result = run("check", repo / "article.md", repo / "clean.md", *MODELS)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f'{repo / "article.md"}:17:4: de (1.00) "Verwandte Artikel"' in lines
    # A sentence with inline markup is one segment ("[Alle akzeptieren](#accept) | [Einstellungen verwalten](#settings)").
    assert len(lines) == 8 and all(line.startswith(str(repo / "article.md")) for line in lines)
    assert "8 segment(s) not in en" in result.stderr


def test_check_passes_clean_files(repo):
    result = run("check", repo / "clean.md", *MODELS)
    assert result.exit_code == 0 and result.stdout == ""


def test_check_honours_skip_markers(repo):
    page = repo / "quote.md"
    page.write_text(
        "An English page.\n\n<!-- unilingo: off -->\nDie Polizei sucht nach Zeugen.\n<!-- unilingo: on -->\n\n"
        "Der Eintritt ist frei. <!-- unilingo: ignore -->\n",
        encoding="utf-8",
    )
    assert run("check", page, *MODELS).exit_code == 0


def test_fix_rewrites_markdown_with_inline_originals_then_changes_nothing(repo):
    first = run("fix", repo / "article.md", repo / "clean.md", *MODELS)
    assert first.exit_code == 1, first.output
    assert f"fixed {repo / 'article.md'}: 8 segment(s) translated" in first.stderr
    assert (repo / "article.md").read_bytes() == (GOLDEN / "article.inline.md").read_bytes()
    assert (repo / "clean.md").read_bytes() == (GOLDEN / "article.out.md").read_bytes()
    assert not (repo / "article.md.unilingo.json").exists()
    second = run("fix", repo / "article.md", repo / "clean.md", *MODELS)
    assert second.exit_code == 0 and second.stderr == ""
    assert (repo / "article.md").read_bytes() == (GOLDEN / "article.inline.md").read_bytes()
    assert run("check", repo / "article.md", *MODELS).exit_code == 0
    assert run("restore", repo / "article.md").exit_code == 0
    assert (repo / "article.md").read_bytes() == (GOLDEN / "article.md").read_bytes()


def test_fix_keeps_every_earlier_original_of_plain_text(repo):
    path = repo / "article.txt"
    original = path.read_bytes()
    assert run("fix", path, *MODELS).exit_code == 1
    fixed_once = path.read_bytes()
    assert fixed_once == (GOLDEN / "article.out.txt").read_bytes()
    path.write_bytes(fixed_once + "\r\nDer Eintritt ist frei.".encode())
    edited = path.read_bytes()
    assert run("fix", path, *MODELS).exit_code == 1
    assert path.read_bytes().endswith(b"\r\nAdmission is free.")
    sidecar = json.loads((repo / "article.txt.unilingo.json").read_text(encoding="utf-8"))
    assert sidecar["previous"]["original"].encode() == original
    assert run("restore", path).exit_code == 0
    assert path.read_bytes() == edited
    # The first run's output was edited before the second run: stepping back further would lose that edit.
    refused = run("restore", path)
    assert refused.exit_code == 3 and "was edited after unilingo wrote it" in refused.stderr and "--force" in refused.stderr
    assert path.read_bytes() == edited
    assert run("restore", "--force", path).exit_code == 0
    assert path.read_bytes() == original
    assert (repo / "article.txt.edited").read_bytes() == edited
    assert not (repo / "article.txt.unilingo.json").exists()


def test_fix_refuses_standard_input():
    result = run("fix", "-", *MODELS)
    assert result.exit_code == 2 and "fix rewrites files in place" in result.output


def test_a_translation_edited_by_hand_under_its_inline_original_is_kept(repo):
    assert run("fix", repo / "article.md", *MODELS).exit_code == 1
    fixed = (repo / "article.md").read_text(encoding="utf-8")
    # The person rewrites the heading's translation, even into words that read as German.
    edited = fixed.replace("## Related articles\n", "## Verwandte Beiträge und mehr\n", 1)
    assert edited != fixed
    (repo / "article.md").write_text(edited, encoding="utf-8")
    result = run("fix", repo / "article.md", *MODELS)
    assert result.exit_code == 0, result.output
    assert (repo / "article.md").read_text(encoding="utf-8") == edited
    assert edited.count("<!-- unilingo:original") == fixed.count("<!-- unilingo:original")


def test_an_original_edited_by_hand_is_translated_again(repo):
    assert run("fix", repo / "article.md", *MODELS).exit_code == 1
    fixed = (repo / "article.md").read_text(encoding="utf-8")
    comment = "<!-- unilingo:original sha256="
    start = fixed.index("## Related articles\n")
    heading_comment = fixed[start : fixed.index("-->", start) + 3]
    assert comment in heading_comment and "## Verwandte Artikel" in heading_comment
    (repo / "article.md").write_text(fixed.replace("## Verwandte Artikel\n-->", "## Weitere Nachrichten\n-->", 1), encoding="utf-8")
    result = run("fix", repo / "article.md", *MODELS)
    assert result.exit_code == 1 and "edited originals translated again" in result.output
    again = (repo / "article.md").read_text(encoding="utf-8")
    assert "## More news\n" + comment in again and "## Related articles" not in again
    restored = run("restore", "-o", "-", repo / "article.md")
    assert "## Weitere Nachrichten\n" in restored.stdout and "## Verwandte Artikel" not in restored.stdout
    assert run("fix", repo / "article.md", *MODELS).exit_code == 0


# Issue "Router v2": check flags text surely in any other language it knows,
# not only text headed for a model, so `check --target fr` fails on a German
# file; the look-alikes --also-detect lists are recognised to be left alone.
# Sentences from FLORES-200 devtest (CC-BY-SA 4.0), the first of
# ../shared/data/langid-dev/flores200-devtest-first506.*.txt.
CHECKED = {
    "de": "„Wir haben jetzt 4 Monate alte Mäuse, die Diabetes hatten und jetzt keinen mehr haben“, fügte er hinzu.",
    "en": '"We now have 4-month-old mice that are non-diabetic that used to be diabetic," he added.',
    "fr": "«\xa0Nous avons à présent des souris de 4\xa0mois qui ne sont pas diabétiques alors qu'elles l'étaient auparavant\xa0», a-t-il ajouté.",
    "nl": "'Inmiddels hebben we muizen van 4 maanden oud die geen diabetes hebben, maar dat eerder wel hebben,' voegde hij er nog aan toe.",
    "sv": "”Vi har nu 4 månader gamla möss som har blivit kvitt sin diabetes”, tillade han.",
    "placeholders": "aaa bbb ccc",  # made up, as are the names and the Italian
    "it": "Grazie mille!",
    "a name": "Olaf Scholz",
}  # fmt: skip


@pytest.mark.parametrize(
    "target, also, text, finding",
    [
        ("en", None, "de", "de (1.00)"),  # headed for the de->en model
        ("en", None, "en", None),
        ("en", None, "nl", None),  # look-alikes are left alone, as fix leaves them
        ("en", None, "sv", None),
        ("en", None, "fr", None),
        ("en", None, "placeholders", None),
        ("en", None, "a name", None),
        ("fr", None, "de", "no model for de -> fr"),  # no model into fr: still not the target
        ("fr", None, "en", "no model for en -> fr"),
        ("fr", None, "fr", None),
        ("fr", None, "nl", None),
        ("fr", "de", "de", None),  # listed to be left alone
        ("fr", "nl", "en", "no model for en -> fr"),
        ("de", None, "en", "no model for en -> de"),
        ("de", None, "de", None),
        ("en", None, "it", "no model for it -> en"),  # no candidate: py3langid over all its languages reads it
        ("de", None, "it", "no model for it -> de"),
        ("en", "it", "it", None),
    ],
)
def test_check_flags_text_surely_in_another_language(tmp_path, target, also, text, finding):
    page = tmp_path / "page.md"
    page.write_text(f"{CHECKED[text]}\n", encoding="utf-8")
    options = ["--target", target, *MODELS, "--no-cache"] + ([] if also is None else ["--also-detect", also])
    result = run("check", page, *options)
    if finding is None:
        assert (result.exit_code, result.stdout) == (0, ""), result.output
        return
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith(f"{page}:1:1: {text} (") and finding in result.stdout.splitlines()[0]
    assert f"1 segment(s) not in {target}" in result.stderr
    if "no model" in finding:
        assert f"add '{text} {target} MODEL' to the models file" in result.stderr


@pytest.mark.parametrize("marked, exit_code", [(' lang="it"', 0), ("", 1)])
def test_a_language_the_page_marks_is_no_finding_when_it_has_no_model(tmp_path, marked, exit_code):
    page = tmp_path / "page.html"
    page.write_text(f"<p>{CHECKED['en']}</p>\n<blockquote{marked}><p>{CHECKED['it']}</p></blockquote>\n", encoding="utf-8")
    result = run("check", page, *MODELS, "--no-cache")
    assert result.exit_code == exit_code, result.output
    assert ("no model for it -> en" in result.stdout) == bool(exit_code)


def test_check_names_every_missing_model_once(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(f"{CHECKED['de']}\n\n{CHECKED['en']}\n\n{CHECKED['de']}\n", encoding="utf-8")
    result = run("check", page, "--target", "fr", *MODELS, "--no-cache")
    assert result.exit_code == 1 and len(result.stdout.splitlines()) == 3
    assert "3 segment(s) not in fr; for those with no model, add 'de fr MODEL' and 'en fr MODEL' to the models file" in result.stderr


def test_german_in_markup_unilingo_cannot_place_is_still_a_finding(tmp_path):
    # The escaped pipe: the cell's text as parsed is not its text as written, so it has no exact offsets.
    page = tmp_path / "table.md"
    page.write_text("| Feld | Hinweis |\n|---|---|\n| Der Eintritt \\| ist frei | siehe oben |\n", encoding="utf-8")
    result = run("check", page, *MODELS)
    assert result.exit_code == 1
    (line,) = [line for line in result.output.splitlines() if "Eintritt" in line]
    assert line.startswith(f"{page}:3:1: de ") and "would be translated but cannot be placed" in line
    assert "cannot map to exact offsets" in line and "with no model" not in result.output


def test_checks_policy_is_the_librarys_so_the_api_gets_the_clis_answer(repo):
    from unilingo import Normalizer
    from unilingo._findings import Check

    normalizer = Normalizer("en", FIXTURE_MODELS, cache=False)
    outcome = Check()
    doc = normalizer.detect((repo / "article.md").read_text(encoding="utf-8"), "markdown")
    found = [segment for segment, finding in outcome.judged(normalizer, doc) if finding]
    result = run("check", repo / "article.md", *MODELS)
    assert [f'"{segment.text}"' in line for segment, line in zip(found, result.stdout.splitlines())] == [True] * len(found)
    assert len(found) == len(result.stdout.splitlines()) and int(outcome.exit_code) == result.exit_code
    assert result.stderr == f"unilingo: {outcome.summary()}\n"
