"""`restore` gives back exactly what unilingo read, or refuses: copied, edited or damaged inline originals, the format."""

import base64
import re

import pytest
from click.testing import CliRunner

from conftest import FIXTURE_MODELS
from unilingo import _files as files
from unilingo import restore_inline
from unilingo._cli import cli
from unilingo._translate import Translator

MODELS = ["--models", str(FIXTURE_MODELS)]
GERMAN = "Die Polizei sucht nach Zeugen."
ORIGINAL = f"An English intro.\n\n{GERMAN}\n\nMore English text.\n"


def run(*args):
    return CliRunner().invoke(cli, [str(arg) for arg in args])


@pytest.fixture
def fixed(tmp_path):
    """A Markdown file after `fix`: one translated paragraph, its original in a comment after it."""
    path = tmp_path / "page.md"
    path.write_text(ORIGINAL, encoding="utf-8")
    assert run("fix", path, *MODELS).exit_code == 1
    text = path.read_text(encoding="utf-8")
    assert text.count("<!-- unilingo:original") == 1
    return path


def comment_of(text: str) -> str:
    return re.search(r"<!-- unilingo:original.*?\n-->", text, re.S).group(0)


def assert_refused(path, result, message):
    assert result.exit_code == 3, result.output
    assert message in result.stderr and "Traceback" not in result.output


def assert_restore_and_fix_refuse(path, damaged, message):
    """``path`` holds ``damaged``: restore and fix each refuse it with ``message`` and leave it as it is."""
    path.write_text(damaged, encoding="utf-8")
    for command in (["restore", path], ["fix", path, *MODELS]):
        assert_refused(path, run(*command), message)
        assert path.read_text(encoding="utf-8") == damaged


# --- copied inline originals -------------------------------------------------------------


@pytest.mark.parametrize("edit", [False, True])
def test_an_original_copied_after_another_block_is_refused(fixed, edit):
    text = fixed.read_text(encoding="utf-8")
    copy = comment_of(text).replace("Zeugen", "Hinweisen") if edit else comment_of(text)
    damaged = text.replace("More English text.\n", f"More English text.\n{copy}\n")
    fixed.write_text(damaged, encoding="utf-8")
    for command in (["restore", fixed], ["restore", "-o", "-", fixed], ["fix", fixed, *MODELS]):
        assert_refused(fixed, run(*command), f"{fixed}:9: an inline original with the same checksum as the one on line 4")
        # Neither "More English text." replaced by the copy, nor the first original dropped.
        assert fixed.read_text(encoding="utf-8") == damaged


@pytest.mark.parametrize("edit", [False, True])
def test_an_original_copied_right_after_itself_is_refused(fixed, edit):
    text = fixed.read_text(encoding="utf-8")
    comment = comment_of(text)
    copy = comment.replace("Zeugen", "Hinweisen") if edit else comment
    damaged = text.replace(comment, f"{comment}\n{copy}")
    assert_restore_and_fix_refuse(fixed, damaged, f"{fixed}:7: an inline original that follows another one instead of its block")


def test_an_html_original_copied_into_another_block_is_refused(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(f"<p>An English intro.</p>\n<p>{GERMAN}</p>\n<p>More English text.</p>\n", encoding="utf-8")
    assert run("fix", page, *MODELS).exit_code == 1
    text = page.read_text(encoding="utf-8")
    damaged = text.replace("More English text.", "More English text." + comment_of(text).replace("Zeugen", "Hinweisen"))
    assert_restore_and_fix_refuse(page, damaged, f"{page}:5: an inline original with the same checksum as the one on line 2")


def test_a_paragraph_the_page_repeats_keeps_one_original_each(tmp_path):
    path = tmp_path / "page.md"
    original = f"{GERMAN}\n\nAn English line.\n\n{GERMAN}\n"
    path.write_text(original, encoding="utf-8")
    assert run("fix", path, *MODELS).exit_code == 1
    assert path.read_text(encoding="utf-8").count("<!-- unilingo:original") == 2
    assert run("fix", path, *MODELS).exit_code == 0
    assert run("restore", path).exit_code == 0
    assert path.read_text(encoding="utf-8") == original


@pytest.mark.parametrize("inside", ["\n", "\r\n"])
def test_an_original_whose_block_holds_other_line_breaks_than_the_one_after_it_is_restored(normalizer, inside):
    # The comment's header ends with the "\r" after the block, and the block's own line break comes later in the comment.
    original = f"{GERMAN}{inside}Ja\r"
    inline = normalizer.normalize(original, "markdown").with_inline_originals()
    assert restore_inline(inline) == original


# --- checksums ---------------------------------------------------------------------------


@pytest.fixture
def fixed_base64(tmp_path):
    """A Markdown file whose original holds '-->', so it is kept in base64."""
    path = tmp_path / "page.md"
    path.write_text(f"An English intro.\n\n{GERMAN} <!-- x -->\n", encoding="utf-8")
    assert run("fix", path, *MODELS).exit_code == 1
    assert " base64\n" in path.read_text(encoding="utf-8")
    return path


def _replace_base64(path, change):
    text = path.read_text(encoding="utf-8")
    body = re.search(r" base64\n(.*)\n-->", text).group(1)
    path.write_text(text.replace(body, change(body)), encoding="utf-8")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "change, message",
    [
        # One character flipped: valid base64 of other text (a changed byte of the original).
        (lambda body: body[:8] + ("A" if body[8] != "A" else "B") + body[9:], "does not match its checksum"),
        (lambda body: body[:-1], "is damaged (not base64 of UTF-8 text)"),
        (lambda body: base64.b64encode(GERMAN.encode("utf-8")[:-2] + b"\xff\xfe").decode("ascii"), "is damaged (not base64 of UTF-8 text)"),
    ],
    ids=["flipped", "padding", "not-utf8"],
)
def test_a_damaged_base64_original_is_refused(fixed_base64, change, message):
    damaged = _replace_base64(fixed_base64, change)
    for command in (["restore", fixed_base64], ["restore", "--force", fixed_base64], ["fix", fixed_base64, *MODELS]):
        assert_refused(fixed_base64, run(*command), f"{fixed_base64}:4: an inline original in base64 {message}")
        assert fixed_base64.read_text(encoding="utf-8") == damaged


def test_an_original_edited_by_hand_is_restored_only_when_forced(fixed):
    edited = fixed.read_text(encoding="utf-8").replace(f"{GERMAN}\n-->", "Die Polizei sucht nach Hinweisen.\n-->")
    fixed.write_text(edited, encoding="utf-8")
    refused = run("restore", fixed)
    assert_refused(fixed, refused, f"{fixed}:4: 1 inline original(s) no longer match their checksum")
    assert "'unilingo fix'" in refused.stderr and "--force" in refused.stderr
    assert fixed.read_text(encoding="utf-8") == edited
    assert_refused(fixed, run("restore", "-o", "-", fixed), "no longer match their checksum")
    forced = run("restore", "--force", "-o", "-", fixed)
    assert forced.exit_code == 0 and forced.stdout == ORIGINAL.replace("Zeugen", "Hinweisen")
    assert run("restore", "--force", fixed).exit_code == 0
    assert fixed.read_text(encoding="utf-8") == ORIGINAL.replace("Zeugen", "Hinweisen")
    assert fixed.with_name("page.md.edited").read_text(encoding="utf-8") == edited


def test_a_file_with_an_original_edited_by_hand_is_translated_again_with_its_originals_inline(fixed, tmp_path):
    edited = fixed.read_text(encoding="utf-8").replace(f"{GERMAN}\n-->", "Die Polizei sucht nach Hinweisen.\n-->")
    fixed.write_text(edited + "\nNiemand wurde verletzt.\n", encoding="utf-8")
    result = run("translate", fixed, "--keep-original", "inline", "-o", tmp_path / "out", *MODELS)
    assert result.exit_code == 0, result.output
    output = (tmp_path / "out" / "page.md").read_text(encoding="utf-8")
    assert output.startswith(edited) and "Nobody was injured.\n<!-- unilingo:original" in output
    assert not (tmp_path / "out" / "page.md.unilingo.json").exists()


# --- the format ----------------------------------------------------------------------------


def test_html_under_another_name_is_restored_as_html(tmp_path):
    page = tmp_path / "page.tpl"
    original = f"<html><body>\n<p>An English intro.</p>\n<p>{GERMAN}</p>\n</body></html>\n"
    page.write_text(original, encoding="utf-8")
    assert run("fix", "--format", "html", page, *MODELS).exit_code == 1
    translated = page.read_text(encoding="utf-8")
    assert "<!-- unilingo:original" in translated and "witnesses" in translated
    unknown = run("restore", page)
    assert unknown.exit_code == 2 and "give --format markdown or --format html" in unknown.stderr
    assert page.read_text(encoding="utf-8") == translated
    assert run("restore", "-o", "-", "--format", "html", page).stdout == original
    assert run("restore", "--format", "html", page).exit_code == 0
    assert page.read_text(encoding="utf-8") == original


# --- sidecars a killed or a concurrent run left --------------------------------------------


def _fix_killed_before_its_output(path, monkeypatch):
    """`fix` of ``path`` killed after it wrote the sidecar, before the file: as SIGKILL between the two renames."""
    real = files.write_atomic

    def killed(target, data):
        if target == path:
            raise KeyboardInterrupt
        real(target, data)

    with monkeypatch.context() as patch:
        patch.setattr(files, "write_atomic", killed)
        assert run("fix", path, *MODELS).exit_code == 130


def test_a_sidecar_whose_output_never_landed_is_no_edit(tmp_path, monkeypatch):
    path = tmp_path / "notes.txt"
    original = f"An English line.\n{GERMAN}\n"
    path.write_text(original, encoding="utf-8")
    _fix_killed_before_its_output(path, monkeypatch)
    assert path.read_text(encoding="utf-8") == original and files.sidecar_path(path).exists()
    assert run("restore", "-o", "-", path).stdout == original
    result = run("restore", path)
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == original and not files.sidecar_path(path).exists()


def test_a_fix_after_a_killed_one_restores_in_one_step(tmp_path, monkeypatch):
    path = tmp_path / "notes.txt"
    original = f"An English line.\n{GERMAN}\n"
    path.write_text(original, encoding="utf-8")
    assert run("fix", path, *MODELS).exit_code == 1
    fixed = path.read_text(encoding="utf-8")
    path.write_text(fixed + "Niemand wurde verletzt.\n", encoding="utf-8")
    edited = path.read_text(encoding="utf-8")
    _fix_killed_before_its_output(path, monkeypatch)
    assert run("fix", path, *MODELS).exit_code == 1
    assert path.read_text(encoding="utf-8") == fixed + "Nobody was injured.\n"
    # Each restore steps back one run that landed: the killed one is no step, and no false "edited".
    assert run("restore", path).exit_code == 0
    assert path.read_text(encoding="utf-8") == edited
    refused = run("restore", path)
    assert refused.exit_code == 3 and "was edited after unilingo wrote it" in refused.stderr
    assert run("restore", "--force", path).exit_code == 0
    assert path.read_text(encoding="utf-8") == original and not files.sidecar_path(path).exists()


def test_fix_does_not_write_over_a_file_another_run_changed_meanwhile(tmp_path, monkeypatch):
    path = tmp_path / "notes.txt"
    path.write_text(f"An English line.\n{GERMAN}\n", encoding="utf-8")
    other = "Another run wrote this.\n"
    real = Translator._translate_fresh

    def meanwhile(translator, *args):
        path.write_text(other, encoding="utf-8")
        return real(translator, *args)

    monkeypatch.setattr(Translator, "_translate_fresh", meanwhile)
    result = run("fix", "--no-cache", path, *MODELS)
    assert result.exit_code == 5 and "changed while unilingo translated it" in result.stderr
    assert path.read_text(encoding="utf-8") == other and not files.sidecar_path(path).exists()


def test_an_html_original_that_would_not_read_as_its_block_once_put_back_is_not_restored():
    from unilingo import InputError
    from unilingo._originals import inline_comment

    # Two spaces before a block's first word are no part of it as HTML is read: no writer kept them, so the page
    # was edited, or read otherwise when it was written; restored, it would differ from the page it came from.
    page = "<html><body><p>Admission is free." + inline_comment("  Der Eintritt ist frei.", "\n") + "</p></body></html>\n"
    with pytest.raises(InputError, match="would not read as its block once put back; was the file edited"):
        restore_inline(page, format="html")
    kept = "<html><body><p>Admission is free." + inline_comment(" Der Eintritt ist frei.", "\n") + "</p></body></html>\n"
    assert restore_inline(kept, format="html") == "<html><body><p> Der Eintritt ist frei.</p></body></html>\n"


@pytest.mark.parametrize("answer", ["  Admission is free.", "Admission is free. \n", "\n\tAdmission is free."])
def test_an_html_translation_with_whitespace_at_its_ends_is_restored_byte_for_byte(monkeypatch, answer):
    # Written as the model gave it, the leading whitespace was read back as the block's own: restore kept it.
    from unilingo import Normalizer
    from unilingo._translate import Translation

    normalizer = Normalizer("en", FIXTURE_MODELS, cache=False)
    monkeypatch.setattr(normalizer.translator, "translate", lambda lang, target, texts, *rest, **kw: [Translation(answer) for _ in texts])
    source = "<p>Der Eintritt ist frei.</p>\n"
    doc = normalizer.normalize(source, "html")
    assert doc.text == "<p>Admission is free.</p>\n"
    assert restore_inline(doc.with_inline_originals(), format="html") == source


# A block starts at a lone space before a word, but after one before a reference, a stray "&" or a comment: where a
# translation starts otherwise than its original, its inline original would go back one character off. Moving
# where blocks start would mis-restore files written before, unseen, so such an output gets a sidecar instead.
@pytest.mark.parametrize(
    "source, answer",
    [
        ("<p> Der Eintritt ist frei.</p>\n", "> quote"),  # restore refused: a space too many
        ("<p> &lt; Der Eintritt ist frei.</p>\n", "Admission"),  # restore dropped the space, and read back alike
        ("<h2>&#12 Der Eintritt ist frei.</h2>\n", "& free"),
        ("<p> <!-- c --> Der Eintritt ist frei.</p>\n", "<free>"),
    ],
)
def test_an_html_output_whose_inline_originals_would_not_restore_exactly_is_refused_and_kept_in_a_sidecar(monkeypatch, tmp_path, source, answer):
    from unilingo import Normalizer
    from unilingo._files import write_document
    from unilingo._translate import Translation

    normalizer = Normalizer("en", FIXTURE_MODELS, cache=False)
    monkeypatch.setattr(normalizer.translator, "translate", lambda lang, target, texts, *rest, **kw: [Translation(answer) for _ in texts])
    doc = normalizer.normalize(source, "html")
    assert any(segment.output is not None for segment in doc.segments)
    with pytest.raises(ValueError, match="keep a sidecar"):
        doc.with_inline_originals()
    output = tmp_path / "page.html"
    write_document(doc, output, "inline")
    assert output.read_text(encoding="utf-8") == doc.text and (tmp_path / "page.html.unilingo.json").exists()
