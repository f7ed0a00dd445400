import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURE_MODELS, TRANSLATION_STACK, heavy_modules_after
from unilingo._cli import cli
from unilingo._console import json_reports

GOLDEN = Path(__file__).parent / "golden"
MODELS = ["--models", str(FIXTURE_MODELS)]


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(arg) for arg in args], input=input)


@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "docs"
    (folder / "news").mkdir(parents=True)
    (folder / ".git").mkdir()
    shutil.copy(GOLDEN / "article.md", folder / "article.md")
    shutil.copy(GOLDEN / "article.txt", folder / "news" / "article.txt")
    (folder / ".git" / "notes.md").write_text("Die Polizei sucht nach Zeugen.\n")
    (folder / "logo.png").write_bytes(b"\x89PNG")
    return folder


def assert_clean_error(result, code, *fragments):
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith("unilingo: error: ") and result.stderr.count("\n") == 1
    for fragment in fragments:
        assert fragment in result.stderr


def test_translate_file_writes_output_and_sidecar(docs, tmp_path):
    out = tmp_path / "out"
    result = run("translate", docs / "article.md", "-o", out, *MODELS)
    assert result.exit_code == 0, result.output
    assert (out / "article.md").read_bytes() == (GOLDEN / "article.out.md").read_bytes()
    assert (out / "article.md.unilingo.json").read_bytes() == (GOLDEN / "article.md.unilingo.json").read_bytes()
    assert "[1/1]" in result.stderr and "8 translated, 15 kept, 0 skipped" in result.stderr


def test_translate_folder_keeps_the_tree_and_reports_progress(docs, tmp_path):
    out = tmp_path / "out"
    result = run("translate", docs, "-o", out, *MODELS)
    assert result.exit_code == 0, result.output
    written = sorted(str(path.relative_to(out)) for path in out.rglob("*") if path.is_file())
    assert written == ["article.md", "article.md.unilingo.json", "news/article.txt", "news/article.txt.unilingo.json"]
    assert (out / "news" / "article.txt").read_bytes() == (GOLDEN / "article.out.txt").read_bytes()
    assert "[1/2]" in result.stderr and "[2/2]" in result.stderr


def test_stdin_to_stdout(docs):
    result = run("translate", "-", *MODELS, input=(docs / "news" / "article.txt").read_bytes())
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == (GOLDEN / "article.out.txt").read_bytes()


def test_quiet_prints_nothing_on_stderr(docs, tmp_path):
    result = run("translate", docs, "-o", tmp_path / "out", "--quiet", *MODELS)
    assert result.exit_code == 0 and result.stderr == ""


def test_keep_original_inline_for_markdown_and_sidecar_for_text(docs, tmp_path):
    out = tmp_path / "out"
    result = run("translate", docs, "-o", out, "--keep-original", "inline", *MODELS)
    assert result.exit_code == 0, result.output
    assert (out / "article.md").read_bytes() == (GOLDEN / "article.inline.md").read_bytes()
    assert not (out / "article.md.unilingo.json").exists()
    assert (out / "news" / "article.txt.unilingo.json").exists()


def test_keep_original_none_removes_a_stale_sidecar(docs, tmp_path):
    out = tmp_path / "out"
    assert run("translate", docs / "article.md", "-o", out, *MODELS).exit_code == 0
    assert (out / "article.md.unilingo.json").exists()
    assert run("translate", docs / "article.md", "-o", out, "--keep-original", "none", *MODELS).exit_code == 0
    assert not (out / "article.md.unilingo.json").exists()
    assert (out / "article.md").read_bytes() == (GOLDEN / "article.out.md").read_bytes()


def test_report_lists_every_segment_with_outputs(docs, tmp_path):
    report = tmp_path / "report.json"
    result = run("translate", docs / "article.md", "-o", tmp_path / "out", "--report", report, *MODELS)
    assert result.exit_code == 0, result.output
    (record,) = json.loads(report.read_text())
    assert record["path"] == str(docs / "article.md") and record["target"] == "en"
    translated = [s for s in record["segments"] if s["action"] == "translate"]
    assert {s["output"] for s in translated} >= {"Related articles", "Source: German Press Agency"}
    assert all("output" not in s for s in record["segments"] if s["action"] != "translate")


def test_detect_json_follows_the_contract(docs):
    result = run("detect", "--json", docs / "article.md", docs / "news" / "article.txt", *MODELS)
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [r["path"] for r in records] == [str(docs / "article.md"), str(docs / "news" / "article.txt")]
    for record in records:
        text = Path(record["path"]).read_bytes().decode("utf-8")
        assert set(record) == {"path", "target", "segments"} and record["target"] == "en"
        for segment in record["segments"]:
            assert set(segment) - {"attribute"} == {"start", "end", "lang", "confidence", "action", "reason"}
            if "attribute" in segment:  # an image's alt text
                assert segment["attribute"] == "alt" and text[segment["start"] - 2 : segment["start"]] == "!["
            assert text[segment["start"] : segment["end"]].strip() == text[segment["start"] : segment["end"]] != ""
            assert segment["action"] in ("translate", "keep", "skip")
    actions = {text_of(records[0], s): s["action"] for s in records[0]["segments"]}
    assert actions["Verwandte Artikel"] == "translate" and actions["12 May"] == "keep"
    assert actions["The mayor opened the new bridge on Monday."] == "keep"


def test_the_json_report_is_one_array_with_a_line_per_segment():
    """Streamed piece by piece, it reads back as the reports it was given: paths, targets, rows, non-ASCII as it is."""
    rows = [{"start": 0, "end": 4, "lang": "de", "confidence": 0.9985, "action": "translate", "reason": 'de -> en "Grüße"'},
            {"start": 6, "end": 9, "lang": None, "confidence": 0.0, "action": "skip", "reason": "no words"}]  # fmt: skip
    report = "".join(json_reports([("docs/ä.md", "en", iter(rows)), ("b.txt", "de", iter([]))]))
    assert json.loads(report) == [{"path": "docs/ä.md", "target": "en", "segments": rows}, {"path": "b.txt", "target": "de", "segments": []}]
    assert "Grüße" in report and [line.strip().rstrip(",") for line in report.splitlines()][2:4] == [
        json.dumps(row, ensure_ascii=False) for row in rows
    ]
    assert "".join(json_reports([])) == "[]"


def text_of(record, segment):
    return Path(record["path"]).read_text(encoding="utf-8")[segment["start"] : segment["end"]]


def test_detect_walks_folders_and_prints_one_line_per_segment(docs):
    result = run("detect", docs, *MODELS)
    assert result.exit_code == 0, result.output
    assert f'{docs / "article.md"}:17:4: translate de (1.00) "Verwandte Artikel"' in result.stdout
    assert f"{docs / 'news' / 'article.txt'}:3:44: translate de" in result.stdout
    assert ".git" not in result.stdout


@pytest.mark.parametrize("mode", ["sidecar", "inline"])
def test_restore_in_place_gives_back_the_original_byte_for_byte(docs, tmp_path, mode):
    out = tmp_path / "out"
    assert run("translate", docs, "-o", out, "--keep-original", mode, *MODELS).exit_code == 0
    result = run("restore", out / "article.md", out / "news" / "article.txt")
    assert result.exit_code == 0, result.output
    assert (out / "article.md").read_bytes() == (docs / "article.md").read_bytes()
    assert (out / "news" / "article.txt").read_bytes() == (docs / "news" / "article.txt").read_bytes()
    assert list(out.rglob("*.unilingo.json")) == []


def test_restore_a_folder_gives_back_every_output_in_it(docs, tmp_path):
    out = tmp_path / "out"
    assert run("translate", docs, "-o", out, "--keep-original", "sidecar", *MODELS).exit_code == 0
    (out / "untouched.md").write_text("The mayor opened the bridge.\n")
    result = run("restore", out)
    assert result.exit_code == 0, result.output
    assert (out / "article.md").read_bytes() == (docs / "article.md").read_bytes()
    assert (out / "news" / "article.txt").read_bytes() == (docs / "news" / "article.txt").read_bytes()
    assert list(out.rglob("*.unilingo.json")) == []
    assert "untouched.md" not in result.stderr


def test_restore_a_folder_to_one_output_is_refused(docs):
    result = run("restore", docs, "-o", "-")
    assert result.exit_code == 2 and "in place" in result.output


@pytest.mark.parametrize("command", [[], ["translate"], ["restore"], ["models", "list"], ["cache", "stats"]])
def test_h_shows_help_as_help_does(command):
    short, long = run(*command, "-h"), run(*command, "--help")
    assert short.exit_code == long.exit_code == 0
    assert short.output == long.output and "Usage:" in short.output


def test_restore_to_stdout_leaves_the_output_alone(docs, tmp_path):
    out = tmp_path / "out"
    assert run("translate", docs / "article.md", "-o", out, *MODELS).exit_code == 0
    result = run("restore", out / "article.md", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout_bytes == (docs / "article.md").read_bytes()
    assert (out / "article.md").read_bytes() == (GOLDEN / "article.out.md").read_bytes()


def test_running_on_its_own_output_changes_nothing(docs, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    assert run("translate", docs, "-o", first, *MODELS).exit_code == 0
    result = run("translate", first, "-o", second, *MODELS)
    assert result.exit_code == 0
    assert "0 translated" in result.stderr and " translated" in result.stderr
    for name in ("article.md", "news/article.txt"):
        assert (second / name).read_bytes() == (first / name).read_bytes()


def test_uncertain_report_lists_uncertain_segments_on_stderr(docs, tmp_path):
    result = run("translate", docs / "article.md", "-o", tmp_path / "out", "--min-confidence", "0.999",
                 "--uncertain", "report", *MODELS)  # fmt: skip
    assert result.exit_code == 0, result.output
    reported = [line for line in result.stderr.splitlines() if ": uncertain, reported:" in line]
    assert reported and all(line.startswith(f"{docs / 'article.md'}:") for line in reported)
    report_without = run("translate", docs / "article.md", "-o", tmp_path / "quiet", "--min-confidence", "0.999", *MODELS)
    assert ": uncertain" not in report_without.stderr


def test_also_detect_adds_candidate_languages(tmp_path):
    spanish = tmp_path / "es.txt"
    spanish.write_text("El perro duerme en el jardín todos los días.\n", encoding="utf-8")
    without = json.loads(run("detect", "--json", spanish, *MODELS).stdout)[0]["segments"][0]
    with_es = json.loads(run("detect", "--json", spanish, "--also-detect", "es", *MODELS).stdout)[0]["segments"][0]
    assert with_es["lang"] == "es" and with_es["action"] == "skip"
    assert without["lang"] != "es"


def test_models_list_shows_where_each_model_is():
    result = run("models", "list", *MODELS)
    assert result.exit_code == 0
    assert "de en tiny-opus-mt-de-en  [local folder]" in result.stdout
    default = run("models", "list")
    assert "de en Helsinki-NLP/opus-mt-de-en  [not cached: run 'unilingo models download']" in default.stdout


def test_models_download_offline_is_a_model_error():
    assert_clean_error(run("models", "download"), 4, "Helsinki-NLP/opus-mt-de-en", "HF_HUB_OFFLINE")


def test_models_download_skips_local_folders():
    result = run("models", "download", *MODELS)
    assert result.exit_code == 0 and "local folder, nothing to download" in result.stderr


# --- errors: one line, a documented code, no partial output ----------------


def test_missing_input(tmp_path):
    assert_clean_error(run("translate", tmp_path / "nope.md", "-o", tmp_path / "out", *MODELS), 3, "nope.md does not exist")


@pytest.mark.parametrize("command", ["translate", "detect", "check", "fix", "restore"])
def test_a_missing_input_in_a_batch_is_reported_and_the_others_are_done(docs, tmp_path, command):
    shutil.copy(docs / "article.md", tmp_path / "a.md")
    if command == "restore":
        assert run("fix", tmp_path / "a.md", *MODELS).exit_code == 1
    out = ("-o", tmp_path / "out") if command == "translate" else ()
    models = MODELS if command in ("translate", "fix") else ()
    result = run(command, tmp_path / "nope.md", tmp_path / "a.md", *out, *models)
    assert result.exit_code == 3 and "Traceback" not in result.output
    assert f"unilingo: error: {tmp_path / 'nope.md'} does not exist" in result.stderr
    assert "1 of 2 inputs failed; the others are done" in result.stderr
    done = {"translate": (tmp_path / "out" / "a.md").exists(), "detect": "a.md:" in result.stdout, "check": "a.md:" in result.stdout,
            "fix": (tmp_path / "a.md").read_text(encoding="utf-8") != (docs / "article.md").read_text(encoding="utf-8"),
            "restore": (tmp_path / "a.md").read_text(encoding="utf-8") == (docs / "article.md").read_text(encoding="utf-8")}  # fmt: skip
    assert done[command]


def test_input_that_is_not_utf8(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Gr\xfc\xdfe".encode("latin-1"))
    result = run("translate", tmp_path / "latin1.txt", "-o", tmp_path / "out", *MODELS)
    assert_clean_error(result, 3, "latin1.txt is not UTF-8 (byte 2 is 0xfc)", "iconv")
    assert not (tmp_path / "out").exists()


def test_unknown_target_language(docs):
    assert_clean_error(run("detect", docs, "--target", "xx", *MODELS), 2, "unknown language 'xx'")


def test_bad_models_file_line(docs, tmp_path):
    bad = tmp_path / "models.txt"
    bad.write_text("de en\n")
    assert_clean_error(run("detect", docs, "--models", bad), 2, f"{bad}:1: expected 'source target model'")


def test_model_that_cannot_be_loaded_writes_nothing(docs, tmp_path):
    models = tmp_path / "models.txt"
    models.write_text("de en ./missing-model\n")
    result = run("translate", docs, "-o", tmp_path / "out", "--models", models)
    assert_clean_error(result, 4, "missing-model", f"{models}:1")
    assert not (tmp_path / "out").exists()


def test_model_not_cached_offline(docs, tmp_path):
    result = run("translate", docs / "article.md", "-o", tmp_path / "out")
    assert_clean_error(result, 4, "Helsinki-NLP/opus-mt-de-en", "unilingo models download", "local folder")
    assert not (tmp_path / "out" / "article.md").exists()


def test_output_that_cannot_be_written(docs, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert_clean_error(run("translate", docs / "article.md", "-o", blocker / "out", *MODELS), 5, "cannot write")


@pytest.mark.parametrize(
    "args, message",
    [
        (["translate", "{docs}"], "is a folder: give an output folder with -o OUT"),
        (["translate", "{docs}/article.md", "{docs}/news/article.txt"], "several inputs would all go to standard output"),
        (["translate", "{docs}/article.md", "-o", "{docs}"], "over itself"),
    ],
)
def test_usage_errors(docs, args, message):
    result = run(*[arg.format(docs=docs) for arg in args], *MODELS)
    assert_clean_error(result, 2, message)


def test_nothing_to_restore(docs):
    assert_clean_error(run("restore", docs / "article.md"), 3, "nothing to restore")


def test_restore_of_several_files_passes_over_one_never_translated(tmp_path):
    # fix --keep-original inline leaves an English file as it was, without marks: restoring both is no failure.
    german, english = tmp_path / "de.md", tmp_path / "en.md"
    german.write_text("Der Hund schläft im Garten.\n", encoding="utf-8")
    english.write_text("The dog sleeps in the garden.\n", encoding="utf-8")
    assert run("fix", german, english, "--keep-original", "inline", "-q", *MODELS).exit_code == 1
    assert english.read_text(encoding="utf-8") == "The dog sleeps in the garden.\n"
    result = run("restore", german, english)
    assert result.exit_code == 0, result.output
    assert german.read_text(encoding="utf-8") == "Der Hund schläft im Garten.\n"
    assert f"nothing to restore: {english} has no sidecar" in result.output and "left as it is" in result.output


def test_help_documents_exit_codes():
    result = run("translate", "--help")
    assert result.exit_code == 0
    assert "Exit codes:" in result.stdout and "a model cannot be found" in result.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["--help"],
        ["detect", str(GOLDEN / "article.md"), *MODELS],
        ["restore", "-o", "-", "{sidecar_output}"],
        ["check", "{sidecar_output}", *MODELS],
        ["fix", "{sidecar_output}", *MODELS],
    ],
)
def test_commands_that_need_no_model_never_import_torch(tmp_path, command):
    output = tmp_path / "article.md"
    shutil.copy(GOLDEN / "article.out.md", output)
    shutil.copy(GOLDEN / "article.md.unilingo.json", tmp_path / "article.md.unilingo.json")
    command = [arg.format(sidecar_output=output) for arg in command]
    assert heavy_modules_after(command) == []


def test_check_over_a_megabyte_of_english_imports_no_translation_stack(tmp_path):
    # Its speed is measured by benchmarks/throughput.py; this holds the part a test can: no translation
    # stack, and, once py3langid's model is unpacked, neither numpy nor py3langid's module.
    from unilingo._langid import langid_model

    langid_model()
    english = (GOLDEN / "article.out.md").read_text(encoding="utf-8")
    big = tmp_path / "big.md"
    big.write_text(english * (1_000_000 // len(english) + 1), encoding="utf-8")
    assert heavy_modules_after(["check", big, *MODELS], (*TRANSLATION_STACK, "numpy", "py3langid")) == []


def test_bundled_example_normalizes_fully_with_the_fixture_models(tmp_path):
    example = Path(__file__).parents[1] / "examples" / "mixed-news.md"
    result = run("translate", example, "-o", tmp_path, *MODELS)
    assert result.exit_code == 0, result.output
    assert "6 translated, 5 kept, 0 skipped" in result.stderr
    output = (tmp_path / "mixed-news.md").read_text(encoding="utf-8")
    assert "## Related articles" in output and "Quelle" not in output


def test_readme_test_command_is_what_ci_runs():
    root = Path(__file__).parents[1]
    readme_commands = [line for line in (root / "README.md").read_text().splitlines()[:10] if "pytest" in line]
    assert readme_commands and readme_commands[0] in (root / ".ci" / "run").read_text()


def test_an_error_advises_the_option_on_the_command_line(docs, monkeypatch):
    # The library's error names the setting; the command line shows it as its option, Python as its keyword.
    monkeypatch.setattr("unilingo._engines._installed", lambda module: False)
    result = run("translate", docs / "article.md", "--backend", "ctranslate2", *MODELS)
    assert result.exit_code == 4
    assert result.output.strip().endswith("or use --backend transformers") and "\0" not in result.output


@pytest.mark.parametrize(
    "arguments, fragments",
    [(["translate", "--bogus"], ["No such option '--bogus' (see '", " translate --help')"]),
     (["nosuch"], ["No such command 'nosuch' (see '", " --help')"]),
     (["detect", "--format", "zzz", "a.md"], ["Invalid value for '--format'"]),
     (["fix", "-"], ["fix rewrites files in place; for standard input use 'unilingo translate -'"])],
)  # fmt: skip
def test_usage_errors_are_one_line_as_other_errors_are(arguments, fragments):
    assert_clean_error(run(*arguments), 2, *fragments)
