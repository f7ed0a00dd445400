"""Front matter: the values of an allow-list of keys are translated in place, quoted as they must be; nothing else moves."""

from __future__ import annotations

import json
import tomllib

import pytest
import yaml

from conftest import FIXTURE_MODELS
from unilingo import Normalizer, restore_inline
from unilingo._frontmatter import quote
from unilingo._sidecar import restore_sidecar
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


# Translations that, written plain or as the original was quoted, would read as another type, break the YAML or TOML,
# or hold characters a string there may only hold escaped.
HOSTILE = ["Note: free", "12:30", "0x1F", ".NaN", "1_000", "2024-01-01", "~", "Null", "NO", "y", "- item", "[a, b]",
           "x #y", "a\x01b\x1bc", "a\x7fb\x9fc", "\ufeffBOM", "It's \"q\" \\ ok", "&anchor", "*alias", "!tag x", "%x", "@x", "`x`",
           "? x", "| x", "> x", "a\u2028b\x85c", "ends with:"]  # fmt: skip
ORIGINALS = {
    "yaml plain": ("yaml", "Die Polizei sucht nach Zeugen."),
    "yaml single": ("yaml", "'Die Polizei sucht nach Zeugen.'"),
    "yaml double": ("yaml", '"Die Polizei sucht nach Zeugen."'),
    "toml basic": ("toml", '"Die Polizei sucht nach Zeugen."'),
    "toml literal": ("toml", "'Die Polizei sucht nach Zeugen.'"),
}


def front_matter(kind: str, title: str) -> str:
    if kind == "yaml":
        return f"---\ntitle: {title}\nslug: x\ntags: [a, b]\n---\n\nText.\n"
    return f"+++\ntitle = {title}\nslug = 'x'\ntags = ['a', 'b']\n+++\n\nText.\n"


def parsed_header(kind: str, text: str) -> dict:
    if kind == "yaml":
        return yaml.safe_load(text.split("---\n")[1])
    return tomllib.loads(text.split("+++\n")[1])


@pytest.fixture
def answering(normalizer, monkeypatch):
    """The module's normalizer with a model that answers every segment with the given output."""
    from unilingo._translate import Translation

    def install(output: str) -> Normalizer:
        monkeypatch.setattr(normalizer.translator, "translate", lambda source, target, texts, *args: [Translation(output) for _ in texts])
        return normalizer

    return install


@pytest.mark.parametrize("output", HOSTILE)
@pytest.mark.parametrize("original", ORIGINALS)
def test_a_translated_value_parses_back_as_exactly_the_translation_and_nothing_else_changes(answering, original, output):
    kind, title = ORIGINALS[original]
    source = front_matter(kind, title)
    doc = answering(output).normalize(source, "markdown")
    assert [segment.action for segment in doc.segments][:1] == ["translate"]
    assert parsed_header(kind, doc.text) == parsed_header(kind, source) | {"title": " ".join(output.split())}
    assert restore_sidecar(doc.sidecar()) == source


@pytest.mark.parametrize("continuation", ["  nach Zeugen.", "\n  nach Zeugen.", "\t nach Zeugen."])
def test_a_yaml_value_wrapped_over_lines_is_left_whole(answering, continuation):
    source = f"---\ntitle: Die Polizei sucht\n{continuation}\nslug: x\n---\n\nText.\n"
    doc = answering("The police are looking for witnesses.").normalize(source, "markdown")
    assert doc.text.startswith(source.split("\nText")[0])
    assert all(segment.start > source.index("slug") for segment in doc.segments)


def test_a_front_matter_that_does_not_parse_keeps_its_values_and_says_why(answering):
    source = "---\ntitle: Die Polizei sucht nach Zeugen.\ntags: [a\n---\n\nText.\n"
    doc = answering("The police are looking for witnesses.").normalize(source, "markdown")
    assert doc.text.startswith("---\ntitle: Die Polizei sucht nach Zeugen.\n")
    title = doc.segments[0]
    assert title.action == "keep" and title.reason == (
        "translation not written: the front matter does not parse as YAML (ParserError), so what it would say cannot be checked; original kept"
    )


@pytest.mark.parametrize(
    "kind, written, problem",
    [
        ("yaml", "12:30", "the YAML parser would not read it back as the string written"),
        ("yaml", '"a"\nslug: y', "it would change other YAML keys"),
        ("yaml", '"a', "the front matter would no longer parse as YAML (ScannerError)"),
        ("toml", '"a"\nslug = "y"', "the front matter would no longer parse as TOML (TOMLDecodeError)"),
        ("toml", "12", "the TOML parser would not read it back as the string written"),
        ("toml", '"a"\nurl = "y"', "it would change other TOML keys"),
    ],
)
def test_a_written_value_that_parses_as_anything_else_is_refused(kind, written, problem):
    from unilingo._frontmatter import find_front_matter, written_problem

    source = front_matter(kind, '"Die Polizei sucht nach Zeugen."')
    lines = [0] + [index + 1 for index, char in enumerate(source) if char == "\n"][:-1]
    ends = [source.index("\n", start) for start in lines]
    front = find_front_matter(source, lines, ends)
    start = source.index('"Die')
    end = source.index('."', start) + 2
    # What each was meant to say: its first line, unquoted.
    output = written.split("\n")[0].strip('"')
    assert written_problem(source, front, start, end, written, output) == problem
