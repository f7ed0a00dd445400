"""The translation memory: re-runs answered without a model, keys that tell settings apart, a cache that never fails a run."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from conftest import FIXTURE_MODEL, FIXTURE_MODELS, heavy_modules_after
from unilingo import ConfigError, Normalizer, load_models
from unilingo._cli import cli
from unilingo._engines import EngineOptions
from unilingo._memory import TranslationMemory
from unilingo._models import parse_models
from unilingo._translate import Generation, Translator

GOLDEN = Path(__file__).parent / "golden"
GERMAN = ["Der Eintritt ist frei.", "Niemand wurde verletzt."]
ENGLISH = ["Admission is free.", "Nobody was injured."]


def no_model_may_load(monkeypatch):
    def refuse(*args):
        raise AssertionError("a model was loaded")

    monkeypatch.setattr("unilingo._translate.open_engine", refuse)


def translate(translator, sources=GERMAN):
    return [translation.text for translation in translator.translate("de", "en", sources)]


def test_stored_translations_come_back_for_the_same_model_only(tmp_path):
    memory = TranslationMemory(tmp_path / "tm.sqlite3")
    memory.store("model-a", {"Hallo": ("Hello", False), "Schleife": ("loop loop loop", True)})
    assert memory.lookup("model-a", ["Hallo", "Schleife", "Neu"]) == {"Hallo": ("Hello", False), "Schleife": ("loop loop loop", True)}
    assert memory.lookup("model-b", ["Hallo"]) == {}


def test_a_rerun_is_answered_from_memory_without_loading_a_model(tmp_path, monkeypatch):
    table = load_models(FIXTURE_MODELS)
    first = Translator(table, memory=TranslationMemory(tmp_path / "tm.sqlite3"))
    assert translate(first) == ENGLISH
    no_model_may_load(monkeypatch)
    again = Translator(table, memory=TranslationMemory(tmp_path / "tm.sqlite3"))
    done = []
    assert [t.text for t in again.translate("de", "en", GERMAN, on_batch=done.append)] == ENGLISH
    assert sum(done) == len(GERMAN)


@pytest.mark.parametrize(
    "changed",
    [
        {"generation": Generation(num_beams=1)},
        {"generation": Generation(output_ratio=2.0)},
        {"engine": EngineOptions("transformers", quantize="int8")},
    ],
    ids=["beams", "output cap", "backend and quantization"],
)
def test_other_generation_settings_do_not_reuse_translations(tmp_path, changed):
    table = load_models(FIXTURE_MODELS)
    memory_path = tmp_path / "tm.sqlite3"
    first = Translator(table, engine=EngineOptions("transformers"), memory=TranslationMemory(memory_path))
    translate(first)
    other = {"engine": EngineOptions("transformers"), **changed}
    second = Translator(table, memory=TranslationMemory(memory_path), **other)
    assert second.resolve("de", "en").memory_key != first.resolve("de", "en").memory_key
    assert TranslationMemory(memory_path).lookup(second.resolve("de", "en").memory_key, GERMAN) == {}


def test_changed_local_weights_do_not_reuse_translations(tmp_path):
    model = tmp_path / "model"
    shutil.copytree(FIXTURE_MODEL, model)
    table = parse_models("de en ./model", base=tmp_path)
    memory = TranslationMemory(tmp_path / "tm.sqlite3")
    before = Translator(table, memory=memory).resolve("de", "en").revision
    assert Translator(table, memory=memory).resolve("de", "en").revision == before
    with open(model / "vocab.json", "a", encoding="utf-8") as handle:
        handle.write("\n")
    assert Translator(table, memory=memory).resolve("de", "en").revision != before


def test_a_corrupt_memory_is_a_warning_and_the_run_goes_on(tmp_path, caplog):
    broken = tmp_path / "tm.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    translator = Translator(load_models(FIXTURE_MODELS), memory=TranslationMemory(broken))
    with caplog.at_level(logging.WARNING, logger="unilingo"):
        assert translate(translator) == ENGLISH
    assert "cannot be used" in caplog.text and str(broken) in caplog.text and "unilingo cache clear" in caplog.text


@contextmanager
def locked_by_another_process(path: Path) -> Iterator[None]:
    """``path`` with an exclusive transaction open in another process, as a crashed or slow tool would leave it."""
    holder = subprocess.Popen(
        [sys.executable, "-c", f"""
import sqlite3, sys
db = sqlite3.connect({str(path)!r}, isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
"""],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline() == "locked\n"
        yield
    finally:
        holder.communicate()


def warnings_in(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "unilingo" and record.levelno == logging.WARNING]


@pytest.fixture(params=["wal", "rollback journal"])
def shared_memory_file(request, tmp_path) -> Path:
    """A memory file another unilingo made (WAL: readers go on, writers wait), or another tool (everything waits)."""
    path = tmp_path / "tm.sqlite3"
    if request.param == "wal":
        TranslationMemory(path).store("warm-up", {"a": ("b", False)})
    else:
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE other (x)")
    return path


def test_a_memory_locked_by_another_process_is_a_warning_and_the_run_goes_on(shared_memory_file, caplog):
    translator = Translator(load_models(FIXTURE_MODELS), memory=TranslationMemory(shared_memory_file))
    with locked_by_another_process(shared_memory_file), caplog.at_level(logging.WARNING, logger="unilingo"):
        assert translate(translator) == ENGLISH
    assert len(warnings_in(caplog)) == 1 and "is busy" in caplog.text and str(shared_memory_file) in caplog.text


def test_a_locked_memory_costs_one_busy_timeout_and_one_warning_however_many_operations(shared_memory_file, tmp_path, caplog):
    text = tmp_path / "file.txt"
    text.write_text("Hallo", encoding="utf-8")
    memory = TranslationMemory(shared_memory_file)  # the default busy timeout, as a run has it
    with locked_by_another_process(shared_memory_file), caplog.at_level(logging.WARNING, logger="unilingo"):
        start = time.monotonic()
        for number in range(20):
            memory.lookup("model", ["a", f"new {number}"])
            memory.lookup_detections("detector", ["a"])
            memory.file_sha256(text)
            memory.store("model", {f"new {number}": ("neu", False)})
            memory.store_detections("detector", {f"new {number}": {"language": "de"}})
            memory.stats()
        spent = time.monotonic() - start
    assert spent < 2.5, f"a locked memory cost {spent:.1f} s"
    assert len(warnings_in(caplog)) == 1, warnings_in(caplog)
    assert "going on without it" in caplog.text


def test_a_memory_written_by_another_unilingo_at_the_same_time_still_stores(tmp_path, caplog):
    path = tmp_path / "tm.sqlite3"
    TranslationMemory(path).store("warm-up", {"a": ("b", False)})
    # Write transactions a little shorter than the busy timeout, with a pause
    # between them as a run translating its next batch has.
    writer = subprocess.Popen(
        [sys.executable, "-c", f"""
import sqlite3, time
db = sqlite3.connect({str(path)!r}, isolation_level=None)
for number in range(4):
    db.execute("BEGIN IMMEDIATE")
    if number == 0:
        print("writing", flush=True)
    db.execute("INSERT OR REPLACE INTO translations VALUES ('other', ?, 'x', 0, 0)", (str(number),))
    time.sleep(0.3)
    db.execute("COMMIT")
    time.sleep(0.1)
"""],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert writer.stdout.readline() == "writing\n"
    memory = TranslationMemory(path)
    with caplog.at_level(logging.WARNING, logger="unilingo"):
        for number in range(4):
            memory.store("model", {str(number): ("neu", False)})
    writer.communicate()
    assert warnings_in(caplog) == []
    assert len(memory.lookup("model", ["0", "1", "2", "3"])) == 4
    assert len(memory.lookup("other", ["0", "1", "2", "3"])) == 4


def test_normalizer_without_cache_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("UNILINGO_CACHE_DIR", str(tmp_path / "cache"))
    doc = Normalizer("en", FIXTURE_MODELS, cache=False).normalize("Niemand wurde verletzt.\n")
    assert doc.text == "Nobody was injured.\n"
    assert not (tmp_path / "cache" / "translations.sqlite3").exists()


def test_cache_stats_and_clear(tmp_path):
    memory_file = tmp_path / "tm.sqlite3"
    runner = CliRunner()
    result = runner.invoke(cli, ["translate", str(GOLDEN / "article.md"), "-o", str(tmp_path / "out"),
                                 "--models", str(FIXTURE_MODELS), "--cache", str(memory_file)])  # fmt: skip
    assert result.exit_code == 0, result.output
    stats = runner.invoke(cli, ["cache", "stats", "--cache", str(memory_file)])
    assert stats.exit_code == 0
    entries = int(stats.output.split(": ", 1)[1].split()[0])
    assert entries > 5 and "tiny-opus-mt-de-en@" in stats.output and "beams=4" in stats.output
    cleared = runner.invoke(cli, ["cache", "clear", "--cache", str(memory_file)])
    assert cleared.exit_code == 0 and f"{entries} translations removed" in cleared.output
    assert "0 translations" in runner.invoke(cli, ["cache", "stats", "--cache", str(memory_file)]).output


def test_cache_stats_and_clear_say_when_there_is_no_memory_file(tmp_path):
    missing = tmp_path / "typo" / "tm.sqlite3"
    runner = CliRunner()
    stats = runner.invoke(cli, ["cache", "stats", "--cache", str(missing)])
    assert stats.exit_code == 0 and stats.output == f"{missing}: no translation memory there yet (check the path, or translate something first)\n"
    cleared = runner.invoke(cli, ["cache", "clear", "--cache", str(missing)])
    assert cleared.exit_code == 0 and cleared.output == f"{missing}: no translation memory there, nothing to clear\n"
    assert not missing.parent.exists()
    assert TranslationMemory(missing).stats().exists is False and TranslationMemory(missing).clear().existed is False


@pytest.mark.parametrize(
    "damage",
    [b"this is not a database" * 100, b"hi", "overwritten pages"],
    ids=["garbage", "a few bytes", "overwritten pages"],
)
def test_cache_clear_replaces_a_damaged_memory_with_an_empty_one(tmp_path, damage, caplog):
    path = tmp_path / "tm.sqlite3"
    if isinstance(damage, bytes):
        path.write_bytes(damage)
    else:
        memory = TranslationMemory(path)
        memory.store("model", {f"Satz {number}" * 50: ("sentence", False) for number in range(200)})
        memory.close()
        with open(path, "r+b") as handle:
            handle.seek(0)
            handle.write(b"\xff" * 4096 * 3)
    path.with_name(path.name + "-wal").write_bytes(b"stale")
    with caplog.at_level(logging.WARNING, logger="unilingo"):
        TranslationMemory(path).lookup("model", ["Hallo"])
    assert "cannot be used" in caplog.text
    cleared = CliRunner().invoke(cli, ["cache", "clear", "--cache", str(path)])
    assert cleared.exit_code == 0, cleared.output
    assert cleared.output == f"{path}: damaged, recreated\n"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    memory = TranslationMemory(path)
    memory.store("model", {"Hallo": ("Hello", False)})
    assert memory.lookup("model", ["Hallo"]) == {"Hallo": ("Hello", False)}


def test_clearing_a_memory_that_gave_up_makes_it_usable_again(tmp_path, caplog):
    path = tmp_path / "tm.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    memory = TranslationMemory(path)
    with caplog.at_level(logging.WARNING, logger="unilingo"):
        memory.store("model", {"Hallo": ("Hello", False)})
    assert memory.clear().recreated
    memory.store("model", {"Hallo": ("Hello", False)})
    assert memory.lookup("model", ["Hallo"]) == {"Hallo": ("Hello", False)}
    assert len(warnings_in(caplog)) == 1


def test_cache_clear_of_a_locked_memory_is_an_output_error_that_keeps_the_file(shared_memory_file):
    def contents() -> list[str]:
        with sqlite3.connect(shared_memory_file) as db:
            return list(db.iterdump())

    before = contents()
    with locked_by_another_process(shared_memory_file):
        cleared = CliRunner().invoke(cli, ["cache", "clear", "--cache", str(shared_memory_file)])
    assert cleared.exit_code == 5, cleared.output
    assert "in use by another process" in cleared.output and "Traceback" not in cleared.output
    assert contents() == before


def test_cache_and_no_cache_together_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["translate", str(GOLDEN / "article.md"), "--cache", str(tmp_path / "x"), "--no-cache"])
    assert result.exit_code == 2 and "contradict" in result.output


def test_a_cached_rerun_imports_no_translation_stack(tmp_path):
    command = ["translate", GOLDEN / "article.md", "-o", tmp_path / "out", "--models", FIXTURE_MODELS,
               "--cache", tmp_path / "tm.sqlite3"]  # fmt: skip
    assert heavy_modules_after(command) != []  # the first run did load the model
    assert heavy_modules_after(command) == []


def test_language_guesses_are_remembered_so_a_recheck_runs_no_language_model(tmp_path, monkeypatch):
    text = (GOLDEN / "article.md").read_text(encoding="utf-8")
    first = Normalizer("en", FIXTURE_MODELS, cache=tmp_path / "tm.sqlite3").detect(text, "markdown")

    def refuse(*args, **kwargs):
        raise AssertionError("the language models ran again")

    again = Normalizer("en", FIXTURE_MODELS, cache=tmp_path / "tm.sqlite3")
    monkeypatch.setattr(again.detector._scorer, "guess_many", refuse)
    assert again.detect(text, "markdown").segments == first.segments
    # Other detection settings are other guesses.
    other = Normalizer("en", FIXTURE_MODELS, cache=tmp_path / "tm.sqlite3", also_detect=["nl"])
    monkeypatch.setattr(other.detector._scorer, "guess_many", refuse)
    with pytest.raises(AssertionError, match="ran again"):
        other.detect(text, "markdown")


def test_a_nul_in_the_memorys_file_name_is_a_config_error_up_front():
    with pytest.raises(ConfigError, match="a file name cannot hold a NUL character"):
        Normalizer(models=FIXTURE_MODELS, cache="memory\0.sqlite3")
