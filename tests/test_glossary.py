"""A glossary is untrusted: what a term becomes lands escaped for its place, and terms match only in translatable text."""

from __future__ import annotations

import html5lib
import pytest
import yaml
from markdown_it import MarkdownIt
from test_commonmark import structure

from conftest import FIXTURE_MODELS
from unilingo import ConfigError, Normalizer
from unilingo._glossary import Glossary, load_glossary
from unilingo._translate import Translation

SCRIPT = "<img src=x onerror=alert(1)>"
QUOTES = 'x" onload="alert(1)'
CELL = "a | b"
LINK = "*[x](javascript:alert(1))*"


@pytest.fixture(scope="module")
def read() -> list[str]:
    """What the stand-in model read, in order."""
    return []


@pytest.fixture(scope="module")
def echoing(normalizer, read) -> Normalizer:
    """A normalizer whose stand-in model gives back what it reads, so each term's replacement lands as it is."""
    made = Normalizer("en", FIXTURE_MODELS, engine=normalizer.translator.engine_options, cache=False)

    def translate(lang, target, texts, *args, **kwargs):
        read.extend(texts)
        return [Translation(text) for text in texts]

    made.translator.translate = translate
    return made


def normalize(normalizer: Normalizer, terms: dict[str, str], text: str, format: str) -> str:
    normalizer.glossary = Glossary.of(terms)
    return normalizer.normalize(text, format).text


def html_shape(page: str) -> list[tuple]:
    """Each element's tag and attribute names, and what scripts and styles hold: what a browser runs, less the words."""
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    return [(element.tag, sorted(element.attrib), element.text if element.tag in ("script", "style") else None) for element in tree.iter()]


def html_text(page: str) -> str:
    return "".join(html5lib.parse(page, namespaceHTMLElements=False).itertext())


def test_a_term_in_html_text_lands_as_text(echoing):
    page = "<p>Der Bundestag hat heute ein neues Gesetz beschlossen.</p>\n"
    out = normalize(echoing, {"Bundestag": SCRIPT}, page, "html")
    assert html_shape(out) == html_shape(page)
    assert f"Der {SCRIPT} hat heute" in html_text(out)


def test_a_term_in_an_html_attribute_is_replaced_and_lands_as_its_value(echoing):
    page = '<p title="Die Polizei sucht nach Zeugen im Bundestag.">Text</p>\n'
    out = normalize(echoing, {"Bundestag": SCRIPT, "Zeugen": QUOTES}, page, "html")
    assert html_shape(out) == html_shape(page)
    (paragraph,) = html5lib.parse(out, namespaceHTMLElements=False).iter("p")
    assert paragraph.get("title") == f"Die Polizei sucht nach {QUOTES} im {SCRIPT}."


def test_a_term_in_a_markdown_table_cell_adds_no_cell(echoing):
    table = "| A | B |\n| --- | --- |\n| Starten Sie Firefox heute bitte neu. | x |\n"
    out = normalize(echoing, {"Firefox": CELL}, table, "markdown")
    assert structure(out) == structure(table)
    cells = [token.content for token in MarkdownIt("commonmark").enable("table").parse(out) if token.type == "inline"]
    assert cells == ["A", "B", f"Starten Sie {CELL} heute bitte neu.", "x"]


@pytest.mark.parametrize(
    "text",
    [
        "Die Polizei sucht nach Zeugen in der Stadt.\n",  # a plain sentence
        "Die Polizei sucht nach **Zeugen** in der Stadt.\n",  # a sentence with markup
        "# Die Polizei sucht nach Zeugen in der Stadt\n",  # a heading
        "- Polizei sucht nach Zeugen in der Stadt.\n",  # the term first on its line
    ],
)
def test_a_term_in_markdown_makes_no_link_or_emphasis(echoing, text):
    out = normalize(echoing, {"Polizei": LINK}, text, "markdown")
    assert structure(out) == structure(text)
    rendered = MarkdownIt("commonmark").render(out)
    assert "<a " not in rendered and "<em>" not in rendered
    assert LINK in rendered


def test_a_term_inside_a_url_leaves_the_url_whole(echoing, read):
    text = "Siehe https://polizei.example/Firefox/zeugen für die Meldung mit Firefox heute.\n"
    read.clear()
    out = normalize(echoing, {"Firefox": "the browser"}, text, "markdown")
    assert out == "Siehe https://polizei.example/Firefox/zeugen für die Meldung mit the browser heute.\n"
    assert read == ["Siehe X1 für die Meldung mit X2 heute."]


@pytest.mark.parametrize(
    "text, kept",
    [
        ("Die [Meldung der Firefox Gruppe](https://example.com/Firefox) ist neu.\n", "](https://example.com/Firefox)"),
        ("Die Meldung <https://example.com/Firefox> der Gruppe ist neu.\n", "<https://example.com/Firefox>"),
        ("Die Meldung `Firefox --safe-mode` der Gruppe ist neu.\n", "`Firefox --safe-mode`"),
        ("Die Meldung ![Firefox](Firefox.png) der Gruppe ist neu.\n", "![Firefox](Firefox.png)"),
    ],
)
def test_terms_never_match_in_link_destinations_autolinks_code_or_images(echoing, text, kept):
    out = normalize(echoing, {"Firefox": "Browser"}, text, "markdown")
    assert structure(out) == structure(text)
    assert kept in out
    assert out.replace(kept, "").count("Firefox") == 0 and out.count("Browser") == text.replace(kept, "").count("Firefox")


@pytest.mark.parametrize("text", ["Ich nutze **Fire**fox jeden Tag sehr gerne.\n", "Ich nutze Fire\\_fox jeden Tag sehr gerne.\n"])
def test_a_term_is_a_whole_word_as_the_reader_reads_it(echoing, text):
    assert normalize(echoing, {"Fire": "Feuer"}, text, "markdown") == normalize(echoing, {}, text, "markdown")


def test_a_term_in_front_matter_is_replaced_and_the_value_stays_a_string(echoing):
    text = "---\ntitle: Die Polizei sucht nach Zeugen heute\nslug: polizei\n---\n\nDie Polizei sucht nach Zeugen heute.\n"
    out = normalize(echoing, {"Polizei": "Polizei: #1", "Zeugen": QUOTES}, text, "markdown")
    header = yaml.safe_load(out.split("---\n")[1])
    assert header == {"title": f"Die Polizei: #1 sucht nach {QUOTES} heute", "slug": "polizei"}


def test_a_term_in_an_image_alt_text_is_replaced_and_escaped(echoing):
    text = "![Die Polizei sucht nach Zeugen heute](bild.png)\n"
    out = normalize(echoing, {"Polizei": LINK}, text, "markdown")
    assert structure(out) == structure(text)
    (image,) = [t for t in MarkdownIt("commonmark").parseInline(out)[0].children if t.type == "image"]
    alt = "".join(child.content for child in image.children)
    assert alt == f"Die {LINK} sucht nach Zeugen heute" and image.attrs["src"] == "bild.png"


def test_a_value_whose_term_the_model_drops_is_kept_with_the_reason(normalizer):
    dropping = Normalizer("en", FIXTURE_MODELS, engine=normalizer.translator.engine_options, cache=False)
    dropping.translator.translate = lambda lang, target, texts, *args, **kwargs: [Translation(t.replace("X1", "")) for t in texts]
    page = '<p title="Die Polizei sucht nach Zeugen im Bundestag.">Text</p>\n'
    dropping.glossary = Glossary.of({"Bundestag": "Federal Parliament"})
    doc = dropping.normalize(page, "html")
    assert doc.text == page
    (value,) = [segment for segment in doc.segments if segment.attribute == "title"]
    assert value.action == "keep" and "the glossary term did not come back from the model (placeholder X1)" in value.reason


def test_a_byte_order_mark_does_not_hide_the_first_term(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_bytes("\ufeffFirefox\tthe browser\nChrome\n".encode("utf-8"))
    assert load_glossary(path).terms == {"Firefox": "the browser", "Chrome": "Chrome"}


def test_only_line_ends_end_a_line_not_a_form_feed_or_line_separator(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_text("# page 1\x0c\nFirefox\x0cNightly\tthe browser\r\nA\u2028B\rChrome\n \tbad\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"^{path}:5: expected 'term'"):
        load_glossary(path)
    path.write_text("# page 1\x0c\nFirefox\x0cNightly\tthe browser\r\nA\u2028B\rChrome\n", encoding="utf-8")
    assert load_glossary(path).terms == {"Firefox\x0cNightly": "the browser", "A\u2028B": "A\u2028B", "Chrome": "Chrome"}


def test_many_terms_cost_a_lookup_per_word(echoing):
    import time

    terms = {f"Begriff{number}": f"term {number}" for number in range(200_000)}
    started = time.perf_counter()
    glossary = Glossary.of(terms)
    text = "Die Polizei sucht nach Zeugen, Begriff199999 und Begriff7. " * 2_000
    found = glossary.matches(text, 0, len(text))
    assert len(found) == 4_000 and found[0][2] == "term 199999"
    assert time.perf_counter() - started < 10
