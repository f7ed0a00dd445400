import re
from pathlib import Path

import pytest

from unilingo import ConfigError, InputError, load_models
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
        ("de en a/b extra", r"<models>:1: expected 'source target model'"),
        ("# c\nDeutsch en a/b", r"<models>:2: 'Deutsch' is not a language code"),
        ("de de a/b", r"source and target are both 'de'"),
        ("de en a/b\nde en c/d", r"<models>:2: a second model for de -> en"),
    ],
)
def test_bad_lines_name_the_line(text, message):
    with pytest.raises(ConfigError, match=message):
        parse_models(text, base=Path("/"))


def test_missing_models_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="does not exist: pass --models FILE or set UNILINGO_MODELS"):
        load_models(tmp_path / "nope.txt")
