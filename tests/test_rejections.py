"""A rejected translation (a runaway, nothing) is said, makes `fix` fail, and is remembered: a re-run says it again without the model."""

import pytest
from click.testing import CliRunner

from conftest import FIXTURE_MODELS
from unilingo import Normalizer
from unilingo._cli import cli
from unilingo._memory import TranslationMemory
from unilingo._translate import Translation, Translator

MODELS = ["--models", str(FIXTURE_MODELS)]
GERMAN = "Die Polizei sucht nach Zeugen."
ENGLISH = "The police are looking for witnesses."
REJECTIONS = {"loop": Translation("Polizei Polizei Polizei Polizei", looped=True), "empty": Translation(" ")}


def run(*args):
    return CliRunner().invoke(cli, [str(arg) for arg in args])


class StandIn:
    """The model, as `_translate_fresh` gives it: rejects every text while ``rejecting``; counts what it is asked."""

    def __init__(self, rejection: Translation) -> None:
        self.rejection = rejection
        self.rejecting = True
        self.asked: list[str] = []

    # Set on the class, an instance is no method: it is called without the Translator.
    def __call__(self, resolved, missing, texts, on_batch=None, attention=frozenset()):
        self.asked += missing
        return {text: self.rejection if self.rejecting else Translation(ENGLISH) for text in missing}


@pytest.mark.parametrize("kind", REJECTIONS)
def test_fix_says_what_it_could_not_translate_every_run_and_asks_the_model_once(tmp_path, monkeypatch, kind):
    model = StandIn(REJECTIONS[kind])
    monkeypatch.setattr(Translator, "_translate_fresh", model)
    page = tmp_path / "page.md"
    page.write_text(f"An English line.\n\n{GERMAN}\n", encoding="utf-8")
    cache = ["--cache", tmp_path / "memory.sqlite3"]
    for attempt in (1, 2):
        result = run("fix", page, *MODELS, *cache)
        assert result.exit_code == 1, result.output
        assert f'{page}:3:1: not translated: translation rejected: ' in result.stderr and f'"{GERMAN}"' in result.stderr
        assert "1 segment(s) could not be translated" in result.stderr and "unilingo check" in result.stderr
        assert page.read_text(encoding="utf-8") == f"An English line.\n\n{GERMAN}\n"
        # The same model and settings would reject it again: the second run answers from the memory.
        assert model.asked == [GERMAN]
        assert run("check", page, *MODELS).exit_code == 1
    # A model that would now translate it is asked once the memory is cleared.
    model.rejecting = False
    assert run("fix", page, *MODELS, *cache).exit_code == 1 and model.asked == [GERMAN]
    assert run("cache", "clear", *cache).exit_code == 0
    assert run("fix", page, *MODELS, *cache).exit_code == 1 and model.asked == [GERMAN, GERMAN]
    assert page.read_text(encoding="utf-8").startswith(f"An English line.\n\n{ENGLISH}\n<!-- unilingo:original")
    assert run("check", page, *MODELS).exit_code == 0
    again = run("fix", page, *MODELS, *cache)
    assert again.exit_code == 0 and again.stderr == ""


def test_translate_counts_a_rejected_segment_apart_from_those_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(Translator, "_translate_fresh", StandIn(REJECTIONS["loop"]))
    page = tmp_path / "page.md"
    page.write_text(f"An English line.\n\n{GERMAN}\n", encoding="utf-8")
    result = run("translate", page, "-o", tmp_path / "out", "--no-cache", *MODELS)
    assert result.exit_code == 0, result.output
    assert f"{page}:3:1: not translated: translation rejected" in result.stderr
    assert "0 translated, 1 kept, 0 skipped, 1 not translated (translation rejected)" in result.stderr


def test_a_rejection_is_remembered_so_a_rerun_loads_no_model_and_still_keeps_the_original(tmp_path, monkeypatch):
    model = StandIn(REJECTIONS["loop"])
    monkeypatch.setattr(Translator, "_translate_fresh", model)
    memory_file = tmp_path / "memory.sqlite3"
    texts = [GERMAN, "Niemand wurde verletzt."]
    document = f"{texts[0]}\n\n{texts[1]}\n"
    first = Normalizer("en", FIXTURE_MODELS, cache=memory_file)
    assert all(segment.rejected for segment in first.normalize(document, "markdown").segments)
    key = first.translator.resolve("de", "en").memory_key
    assert TranslationMemory(memory_file).lookup(key, texts) == {text: (REJECTIONS["loop"].text, True) for text in texts}
    again = Normalizer("en", FIXTURE_MODELS, cache=memory_file)
    doc = again.normalize(document, "markdown")
    assert doc.text == document and all(segment.rejected for segment in doc.segments)
    assert model.asked == texts and again.translator.loaded_models == ()
