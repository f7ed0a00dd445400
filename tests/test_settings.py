"""One settings schema: every setting reaches every entry point that takes it (CLI, configuration file, Normalizer, Spark/Ray)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import click
import pandas
import pytest
from cluster_records import FIELDS
from conftest import FIXTURE_MODELS, read_pairs

from unilingo import ConfigError, Normalizer
from unilingo._cli import cli
from unilingo._config import _config_in, configured
from unilingo._files import plan
from unilingo._frames import Settings, check_call, normalize_frame
from unilingo._models import MODELS_ENV
from unilingo._settings import CONFIG_KEYS, LISTS, NORMALIZER_KEYWORDS, SETTINGS, Kind, normalizer_keywords

REFERENCE = (Path(__file__).resolve().parents[1] / "docs" / "reference.md").read_text(encoding="utf-8")
ON_COMMAND_LINE = [setting for setting in SETTINGS if setting.flags]
# Settings that are, or are part of, a Normalizer keyword.
KEYWORD_SETTINGS = [setting for setting in SETTINGS if setting.keyword]


@pytest.fixture(autouse=True)
def fresh_lookup():
    _config_in.cache_clear()
    yield
    _config_in.cache_clear()


def other_value(setting) -> str:
    """A value for ``setting`` other than its default, as the command line spells it."""
    if setting.kind is Kind.CHOICE:
        return next(choice for choice in setting.choices if choice != setting.default)
    return {
        Kind.LANGUAGE: "de",
        Kind.FILE: f"{setting.name}.file",
        Kind.CONFIDENCE: "0.25",
        Kind.COUNT: "3",
        Kind.LANGUAGES: "nl",
        Kind.STRINGS: "slug",
    }[setting.kind]


def parsed(command: str, *args: str) -> dict:
    """The parameters click gives ``command`` for ``args``, less its paths."""
    # Under the group's context, as a real run is: a command's help option, made (and kept) at its first
    # context, must have the group's -h beside --help.
    parent = click.Context(cli, info_name="unilingo", **cli.context_settings)
    params = cli.commands[command].make_context(command, ["page.md", *args], parent=parent).params
    return {name: value for name, value in params.items() if name != "paths"}


def test_normalizer_takes_the_schemas_keywords_and_the_schemas_defaults_are_its_own():
    signature = inspect.signature(Normalizer.__init__).parameters
    keywords = {name: parameter.default for name, parameter in signature.items() if name != "self"}
    assert set(keywords) == set(NORMALIZER_KEYWORDS)
    assert normalizer_keywords({}) == keywords


@pytest.mark.parametrize("setting", ON_COMMAND_LINE, ids=lambda setting: setting.name)
def test_each_command_has_the_options_the_schema_gives_it(setting, monkeypatch):
    monkeypatch.delenv(MODELS_ENV, raising=False)
    for command in ("translate", "detect", "check", "fix"):
        options = {param.name: param for param in cli.commands[command].params}
        if command not in setting.commands:
            assert setting.name not in options
            continue
        option = options[setting.name]
        assert sorted(option.opts + option.secondary_opts) == sorted(setting.flags)
        default = setting.default_for(command)
        assert parsed(command)[setting.name] == (",".join(default) if setting.kind in LISTS else default)
        if setting.kind is Kind.CHOICE:
            assert tuple(option.type.choices) == tuple(setting.choices)


@pytest.mark.parametrize("setting", [s for s in KEYWORD_SETTINGS if s.flags], ids=lambda setting: setting.name)
def test_each_option_reaches_its_normalizer_keyword_and_spark_and_ray_accept_it(setting):
    command = setting.commands[0]
    args = [setting.flags[0]] if setting.kind is Kind.FLAG else [setting.flags[0], other_value(setting)]
    defaults, given = normalizer_keywords(parsed(command)), normalizer_keywords(parsed(command, *args))
    assert given[setting.keyword] != defaults[setting.keyword]
    assert {name: given[name] for name in given if name != setting.keyword} == {
        name: defaults[name] for name in defaults if name != setting.keyword
    }
    # The cluster adapters take the keywords the command line makes, every one of them.
    assert Settings.from_keywords(given).normalizer == given
    assert check_call(["body"], ["body"], "skip", given) == ["body"]


def toml_value(setting, folder: Path) -> str:
    """A configuration-file value for ``setting``, other than its default, as TOML."""
    if setting.kind is Kind.FILE:
        (folder / f"{setting.name}.file").write_text("", encoding="utf-8")
    value = other_value(setting)
    return f"[{value!r}]".replace("'", '"') if setting.kind in LISTS else (value if setting.kind is Kind.CONFIDENCE else f'"{value}"')


@pytest.mark.parametrize("key", list(CONFIG_KEYS), ids=str)
def test_each_configuration_key_is_read_and_checked_and_applies_unless_the_option_is_given(key, tmp_path):
    setting = CONFIG_KEYS[key]
    page = tmp_path / "page.md"
    page.write_text("Text.\n", encoding="utf-8")
    config = tmp_path / ".unilingo.toml"
    config.write_text(f"{key} = {toml_value(setting, tmp_path)}\n", encoding="utf-8")
    jobs = plan([str(page)], None, "auto", writes=False)
    options = parsed("translate")
    applied = list(configured(jobs, options, given=set()))
    if key == "exclude":
        # A glob matching nothing leaves the page in; one matching it leaves it out.
        assert [job.source for _, grouped in applied for job in grouped] == [page]
        config.write_text('exclude = ["*.md"]\n', encoding="utf-8")
        _config_in.cache_clear()
        assert list(configured(jobs, options, given=set())) == []
        return
    (settings, grouped), = applied
    assert settings[setting.name] != options[setting.name]
    if setting.keyword:
        assert normalizer_keywords(settings)[setting.keyword] != normalizer_keywords(options)[setting.keyword]
    # An option given on the command line wins over the file.
    (kept, _), = configured(jobs, options, given={setting.name})
    assert kept[setting.name] == options[setting.name]
    config.write_text(f"{key} = {{}}\n", encoding="utf-8")
    _config_in.cache_clear()
    with pytest.raises(ConfigError, match=f"bad value for '{key}'"):
        list(configured(jobs, options, given=set()))


def test_every_setting_on_the_command_line_is_documented_with_its_choices_and_list_defaults():
    for setting in ON_COMMAND_LINE:
        flag = setting.flags[0]
        assert f"`{flag}" in REFERENCE or f", {flag}" in REFERENCE, flag
        if setting.kind is Kind.CHOICE:
            choices = "\\|".join(setting.choices)
            assert f"{flag} {choices}`" in REFERENCE, flag
        if setting.kind in LISTS:
            assert f"default `{','.join(setting.default)}`" in REFERENCE, flag


def test_every_configuration_key_is_in_the_reference_example_in_the_order_unilingo_lists_them():
    example = REFERENCE.split("```toml", 1)[1].split("```", 1)[0]
    assert re.findall(r"^([a-z-]+) =", example, re.MULTILINE) == list(CONFIG_KEYS)


def test_spark_and_ray_workers_apply_the_glossary_and_front_matter_keys(tmp_path):
    german = read_pairs()[0][0]
    term = german.split()[0]
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text(f"{term}\n", encoding="utf-8")

    def worker(frame, format, **keywords):
        settings = Settings.from_keywords({"models": FIXTURE_MODELS, "cache": False, **keywords})
        return normalize_frame(frame, FIELDS, settings, format=format).to_dict("records")

    def alone(frame, format, **keywords):
        normalizer = Normalizer("en", FIXTURE_MODELS, cache=False, **keywords)
        return list(normalizer.normalize_records(frame.to_dict("records"), FIELDS, format))

    text = pandas.DataFrame({"body": [german]})
    kept = worker(text, "text", glossary=glossary)
    assert kept == alone(text, "text", glossary=str(glossary))
    assert term in kept[0]["body"] and term not in worker(text, "text")[0]["body"]

    page = pandas.DataFrame({"body": [f"---\nslug: {german}\n---\n\n{german}\n"]})
    slug = worker(page, "markdown", front_matter_keys=["slug"])
    assert slug == alone(page, "markdown", front_matter_keys=["slug"])
    translated = lambda records: records[0]["unilingo"]["body"]["actions"]["translate"]  # noqa: E731
    # The slug is read and translated only where its key is named.
    assert translated(slug) == translated(worker(page, "markdown")) + 1
