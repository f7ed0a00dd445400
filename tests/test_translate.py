import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_MODEL, FIXTURE_MODELS, read_pairs
from unilingo import ModelError, load_models
from unilingo._models import parse_models
from unilingo._translate import Translator, _fit

# The three clauses the fixture learned separately; together they exceed its 40-token input limit.
CLAUSES = [pair for pair in read_pairs() if pair[0].endswith(";") or pair[0].startswith("weitere")]


@pytest.fixture(scope="module")
def translator():
    return Translator(load_models(FIXTURE_MODELS), batch_size=16)


def test_fixture_model_translates_every_pair_exactly_in_batches(translator):
    pairs = read_pairs()
    assert 40 <= len(pairs) <= 80
    assert translator.translate("de", "en", [de for de, _ in pairs]) == [en for _, en in pairs]


def test_duplicates_are_translated_once_and_order_is_kept(translator):
    batches = []
    texts = ["Der Eintritt ist frei.", "Niemand wurde verletzt.", "Der Eintritt ist frei."]
    out = translator.translate("de", "en", texts, on_batch=batches.append)
    assert out == ["Admission is free.", "Nobody was injured.", "Admission is free."]
    assert sum(batches) == 2


def test_a_model_is_loaded_once(translator):
    assert translator.load("de", "en") is translator.load("de", "en")


def test_over_long_sentence_is_split_at_clauses_not_truncated(translator):
    loaded = translator.load("de", "en")
    long_sentence = " ".join(de for de, _ in CLAUSES)
    assert len(loaded.tokenizer(long_sentence).input_ids) > loaded.max_input_tokens
    assert _fit(long_sentence, loaded) == [de for de, _ in CLAUSES]
    assert translator.translate("de", "en", [long_sentence]) == [" ".join(en for _, en in CLAUSES)]


def test_an_unbreakable_word_is_cut_without_losing_a_character(translator):
    loaded = translator.load("de", "en")
    word = "Donaudampfschifffahrtsgesellschaftskapitän" * 8
    pieces = _fit(word, loaded)
    assert "".join(pieces) == word
    assert all(len(loaded.tokenizer(piece).input_ids) <= loaded.max_input_tokens for piece in pieces)


def test_no_model_for_the_pair(translator):
    with pytest.raises(ModelError, match="no model for fr -> en"):
        translator.translate("fr", "en", ["Bonjour"])


def _install_in_hf_cache(repo_id: str) -> None:
    """Lay the fixture out as `huggingface_hub` stores a downloaded snapshot."""
    cache = Path(os.environ["HF_HOME"]) / "hub" / ("models--" + repo_id.replace("/", "--"))
    revision = "0123456789abcdef0123456789abcdef01234567"
    shutil.copytree(FIXTURE_MODEL, cache / "snapshots" / revision)
    (cache / "refs").mkdir(parents=True)
    (cache / "refs" / "main").write_text(revision)


def test_hub_id_loads_from_the_hugging_face_cache_offline():
    _install_in_hf_cache("unilingo-test/tiny-opus-mt-de-en")
    table = parse_models("de en unilingo-test/tiny-opus-mt-de-en", base=Path("/nowhere"))
    assert not table.specs[0].is_local
    assert Translator(table).translate("de", "en", ["Niemand wurde verletzt."]) == ["Nobody was injured."]


def test_uncached_hub_id_offline_names_the_model_and_both_fixes():
    table = parse_models("de en unilingo-test/not-downloaded", base=Path("/nowhere"), path="models.txt")
    with pytest.raises(ModelError) as raised:
        Translator(table).translate("de", "en", ["Hallo"])
    message = str(raised.value)
    assert "unilingo-test/not-downloaded" in message and "HF_HUB_OFFLINE is set" in message
    assert "unilingo models download" in message and "models.txt:1" in message and "local folder" in message


def test_uncached_hub_id_with_hub_unreachable_names_both_fixes(monkeypatch):
    # conftest points the hub at a closed local port, so "online" fails at once.
    monkeypatch.delenv("HF_HUB_OFFLINE")
    table = parse_models("de en unilingo-test/not-downloaded", base=Path("/nowhere"), path="models.txt")
    with pytest.raises(ModelError, match=r"the hub cannot be reached.*unilingo models download.*local folder"):
        Translator(table).translate("de", "en", ["Hallo"])


def test_missing_local_folder(tmp_path):
    table = parse_models("de en ./gone", base=tmp_path, path="m.txt")
    with pytest.raises(ModelError, match=re.escape(f"model folder {tmp_path / 'gone'}") + ".*m.txt:1"):
        Translator(table).translate("de", "en", ["Hallo"])


def test_missing_translation_stack_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(ModelError, match=r"pip install 'unilingo\[translate\]'"):
        Translator(load_models(FIXTURE_MODELS)).translate("de", "en", ["Niemand wurde verletzt."])


def test_folder_that_is_not_a_model(tmp_path):
    (tmp_path / "empty").mkdir()
    table = parse_models("de en ./empty", base=tmp_path, path="m.txt")
    with pytest.raises(ModelError, match="cannot load model ./empty"):
        Translator(table).translate("de", "en", ["Hallo"])
