"""Model output lands in Markdown as text: whatever it holds, the document keeps its structure."""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
from markdown_it import MarkdownIt
from test_commonmark import structure

from unilingo import Normalizer, restore_inline
from unilingo.formats.markdown.escape import escape_markdown
from unilingo._translate import Translation

FIXTURE_MODELS = "tests/fixtures/models.txt"
GERMAN = "Die Polizei sucht nach Zeugen."

# Where a translated segment can sit; {} is the German sentence.
CONTEXTS = {
    "paragraph": "{}\n",
    "after a line": "The weather is nice today.\n{}\n",
    "mid-line": "The weather is nice today. {}\n",
    "before text": "{} The weather is nice today.\n",
    "bullet": "- {}\n- The weather is nice today.\n",
    "ordered": "1. {}\n2. The weather is nice today.\n",
    "quote": "> {}\n",
    "quoted list": "> - {}\n",
    "heading": "# {}\n",
    "closed heading": "## {} ##\n",
    "setext heading": "{}\n===\n",
    "table cell": "| A | B |\n| --- | --- |\n| {} | x |\n",
    "emphasis": "*{}*\n",
    "strong": "**{}**\n",
    "underscores": "_{}_\n",
    "strikethrough": "~~{}~~\n",
    "inline html": "<b>{}</b>\n",
    "nested list": "- The weather is nice today.\n\n  10) {}\n",
    "after a lone star": "A lone * star. {}\n",
    "after a lone backtick": "A lone ` backtick. {}\n",
    "after an open tag": "An open <a href=x title. {}\n",
    "link text": "[{}](https://example.com)\n",
    "after code": "`code` {}\n",
}
# Model outputs that would be markup if spliced in as they are.
MARKUP = [
    "1. Bundesliga",
    "1) Bundesliga",
    "# Heading",
    "###",
    "Tom #",
    "- item",
    "+ item",
    "* item",
    "> quote",
    "---",
    "===",
    "***",
    "___",
    "~~~",
    "```",
    "5 * 3",
    "x* y",
    "a_b_c",
    "*wichtig*",
    "__strong__",
    "~~strike~~",
    "[x](y)",
    "![alt](image.png)",
    "[ref]: https://example.com",
    "<b>",
    "x>",
    "<https://example.com>",
    "<!-- note -->",
    "\\",
    "ends with a backslash\\",
    "\\*not emphasis\\*",
    "`code`",
    "&amp;",
    "&#35;",
    "Tom | Jerry",
]
# Ordinary outputs: they must land exactly as the model wrote them.
PLAIN = [
    "The police are looking for witnesses.",
    "Tom & Jerry",
    "5 < 6 and 7 > 3",
    "What happens next?!",
    "snake_case_name",
    "C# and F# are languages.",
    "Prices rose 3.5 percent, e.g. for energy.",
    "It costs 5 * 3 euros - or more.",
    "(see above)",
]


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def rendered_text(markdown: str) -> list[str]:
    """Each inline token's text as it renders (escapes resolved), markup left out."""
    texts = []
    for token in _renderer().parse(markdown):
        if token.type == "inline":
            texts.append("".join(child.content for child in token.children or () if child.type in ("text", "text_special")))
    return texts


@pytest.fixture(scope="module")
def offline_normalizer() -> Normalizer:
    return Normalizer("en", FIXTURE_MODELS, cache=False)


@pytest.fixture
def translate_to(offline_normalizer, monkeypatch):
    """A normalizer whose model answers every segment with ``output``."""

    def install(output: str) -> Normalizer:
        def translate(lang, target, texts, on_translated=None, attention=frozenset()):
            return [Translation(output) for _ in texts]

        monkeypatch.setattr(offline_normalizer.translator, "translate", translate)
        return offline_normalizer

    return install


@pytest.mark.parametrize("output", MARKUP + PLAIN)
@pytest.mark.parametrize("context", CONTEXTS)
def test_output_renders_as_text_in_the_source_structure(translate_to, context: str, output: str) -> None:
    source = CONTEXTS[context].format(GERMAN)
    doc = translate_to(output).normalize(source, "markdown")
    translated = [segment for segment in doc.segments if segment.output is not None]
    # The sentence, with whatever markup it holds around or beside it.
    assert len(translated) == 1 and GERMAN in translated[0].text
    assert structure(doc.text) == structure(source)
    assert rendered_text(doc.text) == [text.replace(GERMAN, output) for text in rendered_text(source)]
    assert doc.text[translated[0].output_start : translated[0].output_end] == translated[0].output
    assert doc.sidecar()["original"] == source
    assert restore_inline(doc.with_inline_originals()) == source


@pytest.mark.parametrize("output", PLAIN)
# There a '>' would close the tag, so "7 > 3" cannot land unchanged.
@pytest.mark.parametrize("context", [context for context in CONTEXTS if context != "after an open tag"])
def test_ordinary_output_lands_unchanged(translate_to, context: str, output: str) -> None:
    doc = translate_to(output).normalize(CONTEXTS[context].format(GERMAN), "markdown")
    # Any markup in the sentence stays around it.
    assert [segment.output for segment in doc.segments if segment.output is not None] == [
        segment.text.replace(GERMAN, output) for segment in doc.segments if segment.output is not None
    ]
    assert sum(segment.output is not None for segment in doc.segments) == 1


@pytest.mark.parametrize("output", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<!-- x", "<?php x ?>"])
@pytest.mark.parametrize("context", ["paragraph", "heading", "table cell", "link text", "after a lone backtick"])
def test_a_tag_in_the_output_lands_as_a_character_reference(translate_to, context: str, output: str) -> None:
    # Python-Markdown (MkDocs) and Markdown.pl have no "\\<" escape: "\\<script>" would run there.
    doc = translate_to(output).normalize(CONTEXTS[context].format(GERMAN), "markdown")
    [written] = [segment.output for segment in doc.segments if segment.output is not None]
    assert re.search(r"<[A-Za-z/!?]", written) is None and "&lt;" in written


@pytest.mark.parametrize("output", ['{: onclick="alert(1)"}', "Titel {onclick=alert(1)}", "{#id .x} und {", "{{ site.data }}",
                                    "{% include_relative _config.yml %}", "{{< shortcode >}}"])  # fmt: skip
@pytest.mark.parametrize("context", ["paragraph", "after a line", "heading", "closed heading", "link text"])
def test_attribute_lists_and_template_tags_in_the_output_are_escaped(translate_to, context: str, output: str) -> None:
    # Attributes on the heading or paragraph to Python-Markdown's attr_list, kramdown and Pandoc; Liquid in Jekyll.
    doc = translate_to(output).normalize(CONTEXTS[context].format(GERMAN), "markdown")
    [written] = [segment.output for segment in doc.segments if segment.output is not None]
    assert re.search(r"\{.*\}", written) is None
    assert rendered_text(doc.text) == [text.replace(GERMAN, output) for text in rendered_text(CONTEXTS[context].format(GERMAN))]


@pytest.mark.parametrize("output", ["1. Bundesliga", "*wichtig* <b>", "Tom | Jerry\\"])
def test_plain_text_is_never_escaped(translate_to, output: str) -> None:
    doc = translate_to(output).normalize(f"{GERMAN}\n", "text")
    assert doc.text == f"{output}\n"


@pytest.mark.parametrize(
    ("output", "landed"),
    [
        ("  padded  ", "padded"),
        ("    indented code?", "indented code?"),
        ("two\nlines", "two lines"),
        ("a paragraph\n\n# and a heading", "a paragraph # and a heading"),
    ],
)
def test_whitespace_that_would_make_blocks_is_folded(output: str, landed: str) -> None:
    source = f"- {GERMAN}\n"
    assert escape_markdown(output, source, 2, 2 + len(GERMAN)) == landed


@pytest.mark.parametrize(("first", "second"), [("&#x", "A; B"), ("x &amp", "; y"), ("&#1", "0; z"), ("Tom &", "amp; Jerry")])
def test_no_character_reference_is_made_across_two_translations(offline_normalizer, monkeypatch, first, second) -> None:
    # Each sentence is escaped for the original around it; the next one's translation lands right after this one's.
    answers = {GERMAN: first, "Der Eintritt ist frei.": second}

    def translate(lang, target, texts, on_translated=None, attention=frozenset()):
        return [Translation(answers[text]) for text in texts]

    monkeypatch.setattr(offline_normalizer.translator, "translate", translate)
    source = f"{GERMAN}Der Eintritt ist frei.\n"
    doc = offline_normalizer.normalize(source, "markdown")
    assert rendered_text(doc.text) == [first + second]
    assert restore_inline(doc.with_inline_originals()) == source
