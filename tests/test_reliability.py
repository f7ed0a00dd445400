"""Never fail quietly: what cannot be segmented is reported, restore never claims what it did not do,
one bad input never sinks a batch, and user errors are caught before any work."""

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURE_MODELS
from unilingo import InputError, restore_inline
from unilingo._cli import cli

GOLDEN = Path(__file__).parent / "golden"
MODELS = ["--models", str(FIXTURE_MODELS)]
GERMAN = "Die Polizei sucht nach Zeugen."
ENGLISH = "The police are looking for witnesses."
# A German item, nine deeper levels (past markdown-it's nesting limit of 20 tokens), German after them.
DEEP_LIST = "\n".join([f"- {GERMAN}"] + ["  " * depth + "- x" for depth in range(1, 10)]) + f"\n\n{GERMAN}\n"


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(arg) for arg in args], input=input)


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("unilingo: error: ")]


# --- whatever cannot be segmented is reported ------------------------------------------


def test_text_past_the_nesting_limit_is_a_reported_skip_not_silence(tmp_path):
    path = tmp_path / "d.md"
    path.write_text(DEEP_LIST, encoding="utf-8")
    result = run("detect", "--json", path, *MODELS)
    assert result.exit_code == 0, result.output
    segments = json.loads(result.stdout)[0]["segments"]
    [skipped] = [s for s in segments if "nested deeper" in s["reason"]]
    assert skipped["action"] == "skip" and DEEP_LIST[skipped["start"] : skipped["end"]].endswith(GERMAN)
    translated = run("translate", path, "-o", tmp_path / "out", *MODELS)
    assert translated.exit_code == 0, translated.output
    assert f"{path}:10:19: not translated: nested deeper than the Markdown parser follows" in translated.stderr


def test_fix_keeps_an_original_it_cannot_place_inline_in_a_sidecar_and_restores_exactly(tmp_path):
    path = tmp_path / "d.md"
    path.write_text(DEEP_LIST, encoding="utf-8")
    assert run("fix", path, *MODELS).exit_code == 1
    assert path.read_text(encoding="utf-8").startswith(f"- {ENGLISH}\n")
    assert (tmp_path / "d.md.unilingo.json").exists()
    assert run("restore", path).exit_code == 0
    assert path.read_text(encoding="utf-8") == DEEP_LIST


def test_restore_refuses_inline_originals_it_cannot_place_and_leaves_the_file(tmp_path):
    # An inline original inside the list nested past the parser's limit, where the parser does not look.
    unplaceable = DEEP_LIST.replace("- x\n\n", "- x\n  <!-- unilingo:original sha256=0\n  x\n  -->\n\n", 1)
    with pytest.raises(InputError, match="cannot place"):
        restore_inline(unplaceable)
    path = tmp_path / "d.md"
    path.write_text(unplaceable, encoding="utf-8")
    result = run("restore", path)
    assert result.exit_code == 3 and "nothing was restored" in result.stderr and not result.stderr.startswith("restored")
    assert path.read_text(encoding="utf-8") == unplaceable


# --- restore never loses an edit ----------------------------------------------------------


def test_restore_refuses_an_output_edited_since_it_was_written_and_force_keeps_the_edit(tmp_path):
    source = tmp_path / "a.md"
    shutil.copy(GOLDEN / "article.md", source)
    out = tmp_path / "out"
    assert run("translate", source, "-o", out, *MODELS).exit_code == 0
    with open(out / "a.md", "a", encoding="utf-8") as handle:
        handle.write("more\n")
    edited = (out / "a.md").read_bytes()
    refused = run("restore", out / "a.md")
    assert refused.exit_code == 3
    assert error_lines(refused) == [
        f"unilingo: error: {out / 'a.md'} was edited after unilingo wrote it, and restoring would lose the edit: "
        f"'unilingo restore --force {out / 'a.md'}' keeps the edited file as a.md.edited"
    ]
    assert (out / "a.md").read_bytes() == edited and (out / "a.md.unilingo.json").exists()
    forced = run("restore", "--force", out / "a.md")
    assert forced.exit_code == 0 and "a.md.edited" in forced.stderr
    assert (out / "a.md").read_bytes() == source.read_bytes()
    assert (out / "a.md.edited").read_bytes() == edited


def test_restore_into_a_folder_keeps_the_name(tmp_path):
    source = tmp_path / "r.md"
    shutil.copy(GOLDEN / "article.md", source)
    assert run("translate", source, "-o", tmp_path / "out", *MODELS).exit_code == 0
    result = run("restore", tmp_path / "out" / "r.md", "-o", f"{tmp_path / 'newdir'}/")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "newdir" / "r.md").read_bytes() == source.read_bytes()


# --- one bad input never sinks a batch ----------------------------------------------------


@pytest.fixture
def batch(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(GOLDEN / "article.md", folder / "a.md")
    (folder / "b.txt").write_bytes("Die Stra\xdfe ist gesperrt.\n".encode("latin-1"))
    (folder / "c.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    shutil.copy(GOLDEN / "article.txt", folder / "d.txt")
    return folder


def test_translate_folder_reports_each_bad_file_and_does_the_rest(batch, tmp_path):
    out = tmp_path / "out"
    result = run("translate", batch, "-o", out, *MODELS)
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    lines = error_lines(result)
    assert len(lines) == 2
    assert str(batch / "b.txt") in lines[0] and "not UTF-8" in lines[0] and "iconv" in lines[0]
    assert str(batch / "c.md") in lines[1] and "binary" in lines[1]
    assert "2 of 4 inputs failed" in result.stderr
    assert (out / "a.md").read_bytes() == (GOLDEN / "article.out.md").read_bytes()
    assert (out / "d.txt").read_bytes() == (GOLDEN / "article.out.txt").read_bytes()
    assert not (out / "b.txt").exists() and not (out / "c.md").exists()


def test_fix_folder_names_the_file_with_a_damaged_inline_original_and_fixes_the_rest(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "bad.md").write_text(f"# Title\n\n<!-- unilingo:original sha256=0\n{GERMAN}\n-->\n", encoding="utf-8")
    (folder / "good.md").write_text(f"{GERMAN}\n", encoding="utf-8")
    result = run("fix", folder, *MODELS)
    assert result.exit_code == 3, result.output
    [line] = error_lines(result)
    assert line.startswith(f"unilingo: error: {folder / 'bad.md'}:3: an inline original that does not follow its block")
    assert (folder / "good.md").read_text(encoding="utf-8").startswith(f"{ENGLISH}\n<!-- unilingo:original")


def test_detect_and_check_go_on_past_an_unreadable_file(batch):
    detected = run("detect", batch, *MODELS)
    assert detected.exit_code == 3 and len(error_lines(detected)) == 2
    assert f"{batch / 'd.txt'}:" in detected.stdout
    checked = run("check", batch, *MODELS)
    assert checked.exit_code == 3 and len(error_lines(checked)) == 2
    assert f"{batch / 'a.md'}:" in checked.stdout


@pytest.mark.parametrize("policy, kept", [("skip", False), ("keep", True)])
def test_a_line_that_is_not_utf8_is_a_bad_record_like_any_other(tmp_path, policy, kept):
    bad = b'{"text": "Stra\xdfe"}'
    source = tmp_path / "r.jsonl"
    source.write_bytes(b'{"text": "' + GERMAN.encode() + b'"}\n' + bad + b'\n{"text": "Hello world."}\n')
    out = tmp_path / "out"
    result = run("translate", "--jsonl", "--field", "text", source, "-o", out, "--on-error", policy, *MODELS)
    assert result.exit_code == 0, result.output
    assert f"{source}:2: bad record, not UTF-8" in result.stderr
    lines = (out / "r.jsonl").read_bytes().splitlines()
    assert json.loads(lines[0])["text"] == ENGLISH and json.loads(lines[-1])["text"] == "Hello world."
    assert (bad in lines) is kept and len(lines) == (3 if kept else 2)


def test_a_folder_with_a_symlink_loop_is_walked_without_a_traceback(tmp_path):
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(GOLDEN / "article.md", folder / "a.md")
    (folder / "sub" / "loop").symlink_to("..", target_is_directory=True)
    (folder / "self.md").symlink_to("self.md")
    result = run("translate", folder, "-o", tmp_path / "out", *MODELS)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.md", "a.md.unilingo.json"]


def test_a_link_in_a_walked_folder_to_a_file_outside_it_is_skipped_and_said_so(tmp_path):
    folder, outside = tmp_path / "docs", tmp_path / "outside"
    (folder / "sub").mkdir(parents=True)
    outside.mkdir()
    secret = outside / "id_rsa"
    secret.write_text(f"{GERMAN} hunter2\n")
    shutil.copy(GOLDEN / "article.md", folder / "a.md")
    (folder / "notes.md").symlink_to(secret)
    (folder / "sub" / "same.md").symlink_to(folder / "a.md")  # inside the tree: read as any file
    checked = run("check", folder)
    assert "hunter2" not in checked.output and "notes.md" not in checked.stdout
    assert f"skipped {folder / 'notes.md'}: a link to a file outside {folder}" in checked.stderr
    assert f"{folder / 'sub' / 'same.md'}:" in checked.stdout
    result = run("translate", folder, "-o", tmp_path / "out", *MODELS)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out" / "notes.md").exists() and (tmp_path / "out" / "sub" / "same.md").exists()
    named = run("check", folder / "notes.md")
    assert f"{folder / 'notes.md'}:" in named.stdout  # named as an input, it is the user's choice


def test_names_and_text_from_a_tree_reach_the_terminal_with_their_control_characters_escaped(tmp_path):
    # A name that retitles the terminal and forges a report line; text with an escape and a C1 CSI (U+009B).
    folder = tmp_path / "docs"
    folder.mkdir()
    name = "x\x1b]0;pwned\x07\nfake.md:1:1: en.md"
    (folder / name).write_text(f"{GERMAN} \x1b[2J \x9b2J\n", encoding="utf-8")
    (folder / "bad\x1b[2J.md").write_bytes(b"\xff\n")
    (folder / "far\x1b[2J.md").symlink_to(tmp_path / "elsewhere.md")
    (tmp_path / "elsewhere.md").write_text(GERMAN, encoding="utf-8")
    results = [run("check", folder), run("detect", folder), run("translate", folder, "-o", tmp_path / "out", *MODELS),
               run("restore", tmp_path / "out")]  # fmt: skip
    for result in results:
        assert not any(char in result.output for char in "\x1b\x07\x9b"), result.output
        assert not any(line.startswith("fake.md") for line in result.output.splitlines())
    assert "x\\x1b]0;pwned\\x07\\nfake.md:1:1: en.md:1:1: de" in results[0].stdout
    assert "bad\\x1b[2J.md is not UTF-8" in results[0].stderr
    assert "far\\x1b[2J.md: a link to a file outside" in results[0].stderr
    assert f"{GERMAN} \\u001b[2J \\x9b2J" in results[1].stdout
    assert (tmp_path / "out" / name).read_text(encoding="utf-8") == f"{GERMAN} \x1b[2J \x9b2J\n"
    # A JSON report names the file as it is: JSON's own quoting escapes the controls, and a reader gets the real name back.
    printed = run("detect", "--json", folder / name).stdout
    assert "\x9b" not in printed and json.loads(printed)[0]["path"] == str(folder / name)


@pytest.mark.parametrize("name", ["bom.txt", "bom.md"])
def test_a_byte_order_mark_is_kept_outside_every_segment(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + f"{GERMAN}\nHello world.\n".encode())
    out = tmp_path / "out"
    assert run("translate", path, "-o", out, *MODELS).exit_code == 0
    assert (out / name).read_bytes() == b"\xef\xbb\xbf" + f"{ENGLISH}\nHello world.\n".encode()
    assert run("restore", out / name).exit_code == 0
    assert (out / name).read_bytes() == path.read_bytes()


def test_stale_temporary_files_of_killed_writers_are_removed_and_live_ones_kept(tmp_path):
    source = tmp_path / "a.md"
    shutil.copy(GOLDEN / "article.md", source)
    out = tmp_path / "out"
    out.mkdir()
    dead_pid = 2**22 + 12345  # above Linux's pid_max: no such process
    stale = out / f".a.md.{dead_pid}.abc123.tmp"
    live = out / f".a.md.{os.getpid()}.def456.tmp"
    stale.write_text("half")
    live.write_text("half")
    assert run("translate", source, "-o", out, *MODELS).exit_code == 0
    assert not stale.exists() and live.exists()


# --- errors up front ------------------------------------------------------------------------


def test_an_unknown_extension_is_refused_and_format_text_forces_it(tmp_path):
    page = tmp_path / "list.rst"
    page.write_text(f"- {GERMAN}\n", encoding="utf-8")
    refused = run("translate", page, "-o", tmp_path / "out", *MODELS)
    assert refused.exit_code == 2 and "--format text" in refused.stderr and ".rst" in refused.stderr
    assert not (tmp_path / "out").exists()
    assert run("translate", page, "-o", tmp_path / "out", "--format", "text", *MODELS).exit_code == 0


@pytest.mark.parametrize("where", ["same file", "same folder"])
def test_an_output_over_its_input_is_refused_before_any_work(tmp_path, where):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(GOLDEN / "article.md", folder / "a.md")
    args = (folder / "a.md", "-o", folder / "a.md") if where == "same file" else (folder, "-o", folder)
    result = run("translate", *args, *MODELS)
    assert result.exit_code == 2 and len(error_lines(result)) == 1
    assert (folder / "a.md").read_bytes() == (GOLDEN / "article.md").read_bytes()
    assert sorted(p.name for p in folder.iterdir()) == ["a.md"]


@pytest.mark.parametrize("leads_to", ["elsewhere", "docs"])
def test_a_link_in_the_output_folder_to_a_folder_outside_it_is_refused_before_any_work(tmp_path, leads_to):
    # "elsewhere": files outside -o written over; "docs": the input folder itself, docs/a.md written over by sub/a.md's output.
    folder, out = tmp_path / "docs", tmp_path / "out"
    (folder / "sub").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    out.mkdir()
    shutil.copy(GOLDEN / "article.md", folder / "a.md")
    shutil.copy(GOLDEN / "article.md", folder / "sub" / "a.md")
    (out / "sub").symlink_to(tmp_path / leads_to)
    result = run("translate", folder, "-o", out, *MODELS)
    assert result.exit_code == 2 and error_lines(result) == [
        f"unilingo: error: -o would write {folder / 'sub' / 'a.md'} to {out / 'sub' / 'a.md'}, through a link out of {out}: "
        f"remove the link or choose another output folder"
    ]
    assert os.listdir(tmp_path / "elsewhere") == [] and (folder / "a.md").read_bytes() == (GOLDEN / "article.md").read_bytes()


def test_standard_input_with_an_output_folder_is_refused(tmp_path):
    result = run("translate", "-", "-o", tmp_path / "out", *MODELS, input=GERMAN)
    assert result.exit_code == 2 and "standard input goes to standard output" in result.stderr


def test_standard_output_says_the_original_is_not_kept(tmp_path):
    result = run("translate", "-", *MODELS, input=f"{GERMAN}\n")
    assert result.exit_code == 0 and result.stdout == f"{ENGLISH}\n"
    assert "the original is not kept" in result.stderr
    quiet = run("translate", "-", "--keep-original", "none", *MODELS, input=f"{GERMAN}\n")
    assert "not kept" not in quiet.stderr


def test_check_lists_uncertain_segments_when_asked(tmp_path):
    path = tmp_path / "a.md"
    shutil.copy(GOLDEN / "article.md", path)
    result = run("check", path, "--min-confidence", "1.0", "--uncertain", "report", *MODELS)
    uncertain = [line for line in result.stderr.splitlines() if line.startswith(f"{path}:")]
    assert uncertain and all(": skip " in line and "uncertain, reported" in line for line in uncertain)
    assert result.exit_code == 0 and result.stdout == ""


def test_an_empty_translation_keeps_the_original(monkeypatch):
    from unilingo import Normalizer
    from unilingo._decision import EMPTY_REASON
    from unilingo._translate import Translation

    normalizer = Normalizer("en", FIXTURE_MODELS, cache=False)
    monkeypatch.setattr(normalizer.translator, "translate", lambda source, target, texts, *args: [Translation(" ")] * len(texts))
    doc = normalizer.normalize(f"*{GERMAN}*\n", "markdown")
    assert doc.text == f"*{GERMAN}*\n"
    [segment] = doc.segments
    assert segment.action == "keep" and segment.reason == EMPTY_REASON


@pytest.mark.parametrize("damage", [b"", b"\xff" * 64, "cut"])
def test_damaged_weights_are_reported_before_the_translation_stack_loads(tmp_path, damage):
    from conftest import FIXTURE_MODEL

    model = tmp_path / "model"
    shutil.copytree(FIXTURE_MODEL, model)
    weights = model / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:100_000] if damage == "cut" else damage)
    (tmp_path / "models.txt").write_text("de en ./model\n")
    (tmp_path / "a.txt").write_text(f"{GERMAN}\n")
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from unilingo._cli import cli\n"
        f"result = CliRunner().invoke(cli, ['translate', {str(tmp_path / 'a.txt')!r}, '--models', {str(tmp_path / 'models.txt')!r}, '--no-cache'])\n"
        "print(result.exit_code, 'torch' in sys.modules)\n"
        "print(result.stderr)\n"
    )
    import subprocess
    import sys

    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    code, torch_imported = completed.stdout.splitlines()[0].split()
    assert (code, torch_imported) == ("4", "False"), completed.stdout + completed.stderr
    assert "has a damaged weights file: model.safetensors" in completed.stdout
    assert "replace the model folder with a good copy" in completed.stdout


def test_a_model_missing_offline_names_a_models_file_of_ones_own():
    from unilingo import ModelError
    from unilingo._models import parse_models
    from unilingo._translate import Translator

    table = parse_models("de en unilingo-test/not-downloaded", base=Path("/nowhere"), path="/site-packages/unilingo/models.txt")
    with pytest.raises(ModelError) as raised:
        Translator(table).translate("de", "en", [GERMAN])
    assert "models=PATH or UNILINGO_MODELS=FILE" in str(raised.value) and "change /site-packages" not in str(raised.value)


def test_model_output_with_a_lone_surrogate_keeps_the_original_and_is_not_remembered(tmp_path, monkeypatch):
    from unilingo import Normalizer
    from unilingo._decision import SURROGATE_REASON
    from unilingo._engines import Generated

    normalizer = Normalizer("en", FIXTURE_MODELS, cache=tmp_path / "memory.sqlite3")
    engine = normalizer.translator.load("de", "en")
    monkeypatch.setattr(engine, "generate", lambda texts, *args: [Generated("The \ud800 police", ("\u2581The",)) for _ in texts])
    for source, format in ((f"{GERMAN}\n", "text"), (f"*{GERMAN}*\n", "markdown")):
        doc = normalizer.normalize(source, format)
        assert doc.text == source and doc.sidecar()["original"] == source
        [segment] = doc.segments
        assert segment.action == "keep" and segment.reason == SURROGATE_REASON
    assert normalizer.translator.memory.stats().entries == 0


def test_fix_keeps_the_original_of_a_file_with_a_sidecar_in_the_sidecar_and_a_rerun_has_nothing_to_do(tmp_path):
    path = tmp_path / "d.md"
    path.write_text(DEEP_LIST, encoding="utf-8")
    assert run("fix", path, *MODELS).exit_code == 1
    first = "Der Eintritt ist frei.\n\n" + path.read_text(encoding="utf-8")
    path.write_text(first, encoding="utf-8")
    # Its new German sentence could be kept inline; the original stays in the sidecar, the one place restore reads.
    assert run("fix", path, *MODELS).exit_code == 1
    assert "unilingo:original" not in path.read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8").startswith(f"Admission is free.\n\n- {ENGLISH}\n")
    again = run("fix", path, *MODELS)
    assert again.exit_code == 0, again.output
    assert run("restore", path).exit_code == 0
    assert path.read_text(encoding="utf-8") == first


@pytest.mark.parametrize("command", ["translate", "fix"])
def test_a_file_unilingo_fails_on_is_reported_and_the_others_in_its_batch_are_done(command, tmp_path, monkeypatch):
    import unilingo._api

    real = unilingo._api.merge

    def failing_on_one(segmented, *args, **kwargs):
        # Stands in for a bug that only one file's content meets.
        if "Unfall" in segmented.text:
            raise IndexError("index out of range in self")
        return real(segmented, *args, **kwargs)

    monkeypatch.setattr(unilingo._api, "merge", failing_on_one)
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in (("a.md", "Der Eintritt ist frei.\n"), ("b.md", "Niemand sah den Unfall.\n"), ("c.md", f"{GERMAN}\n")):
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run(command, folder, *(["-o", out] if command == "translate" else []), *MODELS, "--no-cache")
    assert result.exit_code == 3 and "Traceback" not in result.output
    assert error_lines(result) == [f"unilingo: error: {folder / 'b.md'}: not written: unilingo failed on it "
                                   "(IndexError: index out of range in self); please report this"]  # fmt: skip
    written = out if command == "translate" else folder
    assert (written / "a.md").read_text(encoding="utf-8").startswith("Admission is free.\n")
    assert (written / "c.md").read_text(encoding="utf-8").startswith(f"{ENGLISH}\n")
    assert (folder / "b.md").read_text(encoding="utf-8") == "Niemand sah den Unfall.\n" and not (out / "b.md").exists()


def test_a_json_report_on_the_terminal_writes_c1_controls_as_escapes_that_read_back_the_same():
    from unilingo._console import json_reports

    printed = "".join(json_reports([("a\x9b2J\x7f.md", "en", [{"reason": "x\x85y"}])]))
    assert not any(0x7F <= ord(char) < 0xA0 for char in printed)
    assert json.loads(printed) == [{"path": "a\x9b2J\x7f.md", "target": "en", "segments": [{"reason": "x\x85y"}]}]
