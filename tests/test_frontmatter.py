"""Front matter: the values of an allow-list of keys are translated in place, quoted as they must be; nothing else moves."""

from __future__ import annotations

import json
import tomllib

import pytest
import yaml

from conftest import FIXTURE_MODELS
from unilingo import Normalizer, restore_inline
from unilingo._frontmatter import quote
from unilingo._merge import restore_sidecar
from unilingo._segment import segment

YAML = (
    "---\n"
    'title: "Die Polizei sucht nach Zeugen."\n'
    "description: Der Eintritt ist frei.\n"
    "summary: 'Niemand wurde verletzt.'  # kurz\n"
    "slug: die-polizei-sucht-nach-zeugen\n"
    "tags: [Polizei, Zeugen]\n"
    "aliases:\n"
    "  - /alt/die-polizei\n"
    "linkTitle: |\n"
    "  Der Eintritt ist frei.\n"
    "params:\n"
    "  title: Der Eintritt ist frei.\n"
    "---\n\n"
    "Die Ausstellung ist bis Ende März geöffnet.\n"
)
TOML = (
    "+++\n"
    'title = "Die Polizei sucht nach Zeugen."\n'
    "description = 'Der Eintritt ist frei.'\n"
    'url = "/die-polizei/"\n'
    "+++\n\n"
    "Die Ausstellung ist bis Ende März geöffnet.\n"
)


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer("en", FIXTURE_MODELS, cache=False)


def test_yaml_values_of_the_allowed_keys_are_translated_and_nothing_else(normalizer):
    doc = normalizer.normalize(YAML, "markdown")
    header = doc.text.split("---\n")[1]
    assert yaml.safe_load(header) == yaml.safe_load(YAML.split("---\n")[1]) | {
        "title": "The police are looking for witnesses.",
        "description": "Admission is free.",
        "summary": "Nobody was injured.",
    }
    # Each value keeps its quoting; the comment, the other keys and the block scalar keep every byte.
    assert doc.text.startswith(
        '---\ntitle: "The police are looking for witnesses."\ndescription: Admission is free.\n'
        "summary: 'Nobody was injured.'  # kurz\nslug: die-polizei-sucht-nach-zeugen\n"
    )
    assert "linkTitle: |\n  Der Eintritt ist frei.\nparams:\n  title: Der Eintritt ist frei.\n---\n" in doc.text
    assert doc.text.endswith("The exhibition is open until the end of March.\n")
    assert restore_sidecar(json.loads(json.dumps(doc.sidecar()))) == YAML
    assert restore_inline(doc.with_inline_originals()) == YAML


def test_toml_values_are_translated_in_place(normalizer):
    doc = normalizer.normalize(TOML, "markdown")
    header = doc.text.split("+++\n")[1]
    assert tomllib.loads(header) == {
        "title": "The police are looking for witnesses.",
        "description": "Admission is free.",
        "url": "/die-polizei/",
    }
    assert restore_inline(doc.with_inline_originals()) == TOML


def test_a_translated_front_matter_is_not_translated_again(normalizer):
    once = normalizer.normalize(YAML, "markdown").with_inline_originals()
    again = normalizer.normalize(once, "markdown")
    assert again.text == once and not again.translated


def test_the_allowed_keys_are_configurable():
    doc = Normalizer("en", FIXTURE_MODELS, cache=False, front_matter_keys=["slug"]).detect(YAML, "markdown")
    assert [segment.text for segment in doc.segments][:1] == ["die-polizei-sucht-nach-zeugen"]


@pytest.mark.parametrize(
    "line",
    ["title: 42", "title: true", "title: [a, b]", "title: >", "title: *anchor", 'title: """x"""', "title: a: b", "  title: x"],
)
def test_values_that_are_no_one_line_string_are_left_alone(line):
    assert segment(f"---\n{line}\n---\nText\n", "markdown").segments[0].text == "Text"


@pytest.mark.parametrize(
    "output, original, kind, written",
    [
        ("Admission is free.", "Eintritt frei", "yaml", "Admission is free."),
        ("Note: free", "Hinweis frei", "yaml", '"Note: free"'),
        ("#1 in town", "Nummer eins", "yaml", '"#1 in town"'),
        ("yes", "ja", "yaml", '"yes"'),
        ("It's free", "'frei'", "yaml", "'It''s free'"),
        ('Say "hi"', '"Hallo"', "yaml", '"Say \\"hi\\""'),
        ("It's free", "'frei'", "toml", '"It\'s free"'),
        ("free", "'frei'", "toml", "'free'"),
        ('a "b" \\ c', '"x"', "toml", '"a \\"b\\" \\\\ c"'),
    ],
)
def test_quoting_keeps_the_value_a_string_that_says_the_translation(output, original, kind, written):
    assert quote(output, original, kind) == written
    parsed = yaml.safe_load(f"k: {written}")["k"] if kind == "yaml" else tomllib.loads(f"k = {written}")["k"]
    assert parsed == output
