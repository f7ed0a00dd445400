import re
from pathlib import Path

import pytest

from unilingo import ConfigError, InputError, Normalizer, load_models
from unilingo._models import default_models_path, parse_models

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_default_models_file_is_the_repo_one_and_names_real_opus_mt_ids():
    table = load_models()
    assert Path(table.path).read_text() == (REPO_ROOT / "models.txt").read_text()
    assert table.find("de", "en").name == "Helsinki-NLP/opus-mt-de-en"
    for spec in table.specs:
        assert not spec.is_local
        assert re.fullmatch(rf"Helsinki-NLP/opus-mt-{spec.source}-{spec.target}", spec.name), spec.name


def test_environment_variable_replaces_the_default(monkeypatch, tmp_path):
    custom = tmp_path / "m.txt"
    custom.write_text("de en ./model\n")
    monkeypatch.setenv("UNILINGO_MODELS", str(custom))
    assert default_models_path() == str(custom)
    assert load_models().find("de", "en").location == str(tmp_path / "model")


@pytest.mark.parametrize(
    "line, is_local, location",
    [
        ("de en Helsinki-NLP/opus-mt-de-en", False, "Helsinki-NLP/opus-mt-de-en"),
        ("de en t5-small", False, "t5-small"),
        ("de en ./models/de-en", True, "/base/models/de-en"),
        ("de en ../de-en", True, "/de-en"),
        ("de en /opt/models/de-en", True, "/opt/models/de-en"),
        ("de en models/x/de-en", True, "/base/models/x/de-en"),
        ("  de   en  Helsinki-NLP/opus-mt-de-en   # comment", False, "Helsinki-NLP/opus-mt-de-en"),
    ],
)
def test_model_locations(line, is_local, location):
    (spec,) = parse_models(line, base=Path("/base")).specs
    assert (spec.is_local, spec.location) == (is_local, location)


def test_comments_and_blank_lines_are_ignored():
    table = parse_models("# header\n\n   \nde en a/b # why\n", base=Path("/"))
    assert [(s.source, s.target, s.name, s.origin) for s in table.specs] == [("de", "en", "a/b", "<models>:4")]


@pytest.mark.parametrize(
    "text, message",
    [
        ("de en", r"<models>:1: expected 'source target model'"),
        ("de en a/b extra", r"<models>:1: the fourth field must be quantize=none or quantize=int8, got 'extra'"),
        ("de en a/b quantize=float16", r"<models>:1: the fourth field must be quantize=none or quantize=int8"),
        ("de en a/b quantize=none x", r"<models>:1: expected 'source target model'"),
        ("# c\nDeutsch en a/b", r"<models>:2: 'Deutsch' is not a language code"),
        ("de de a/b", r"source and target are both 'de'"),
        ("de en a/b\nde en c/d", r"<models>:2: a second model for de -> en"),
        ("de en " + "a" * 5000, r"<models>:1: 'a{40}'\.\.\. cannot be a model folder: File name too long"),
        ("de en ./my models/opus-mt-de-en", r"<models>:1: the model '\./my models/opus-mt-de-en' holds a space, which separates fields"),
        ("de en ./my models x quantize=none", r"<models>:1: the model '\./my models x quantize=none' holds a space"),
        ("de en ./a\0b", r"<models>:1: '\./a\\x00b' cannot be a model folder: it holds a NUL character"),
    ],
)
def test_bad_lines_name_the_line(text, message):
    with pytest.raises(ConfigError, match=message):
        parse_models(text, base=Path("/"))


def test_a_form_feed_or_line_separator_does_not_end_a_models_file_line():
    with pytest.raises(ConfigError, match=r"^<models>:2: expected 'source target model'.*got 'de en a/b\\u2028nl en c/d'"):
        parse_models("# models\x0c\nde en a/b\u2028nl en c/d", base=Path("/"))


def test_a_source_language_langid_does_not_know_names_its_models_file_line(tmp_path):
    (tmp_path / "models.txt").write_text("# models\nxx en owner/opus-mt-xx-en\nxx fr owner/opus-mt-xx-fr\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"models.txt:2: unknown language 'xx'"):
        Normalizer(models=tmp_path / "models.txt", cache=False)


def test_missing_models_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="does not exist: pass models=PATH or set UNILINGO_MODELS"):
        load_models(tmp_path / "nope.txt")


def test_a_nul_in_the_models_files_name_is_an_input_error():
    with pytest.raises(InputError, match="a file name cannot hold a NUL character"):
        load_models("models\0.txt")


def test_a_line_may_name_the_models_quantization():
    table = parse_models("de en a/b quantize=none\nnl en c/d", base=Path("/"))
    assert [spec.quantize for spec in table.specs] == ["none", None]


def test_the_models_quantization_is_its_default_and_part_of_the_memory_key():
    from unilingo import EngineOptions
    from unilingo._translate import Translator

    folder = Path(__file__).parent / "fixtures"
    as_file_says = parse_models("de en tiny-opus-mt-de-en quantize=none", base=folder)
    int8 = parse_models("de en tiny-opus-mt-de-en quantize=int8", base=folder)
    resolved = Translator(as_file_says, engine=EngineOptions("ctranslate2")).resolve("de", "en")
    assert resolved.choice.compute == "float32" and "ctranslate2/float32" in resolved.memory_key
    assert Translator(int8, engine=EngineOptions("ctranslate2")).resolve("de", "en").choice.compute == "int8"
    overridden = Translator(as_file_says, engine=EngineOptions("ctranslate2", quantize="int8")).resolve("de", "en")
    assert overridden.choice.compute == "int8" and "ctranslate2/int8" in overridden.memory_key
