"""Hostile pages and hostile model output: nothing a browser reads as script or markup is ever translated or injected.

Each page here is one where ``html.parser`` and HTML5 read the markup
differently (raw text elements with their escaped states, Unicode whitespace
in tags, end tags with attributes). The segmenter must read them as HTML5
does or leave them alone, and a stand-in translator that answers every
sentence with script must leave the page's HTML5 tree as it was: checked here
with html5lib, independently of the library's own check.
"""

from __future__ import annotations

import html5lib
import pytest

from conftest import FIXTURE_MODELS

from unilingo import Normalizer
from unilingo._decision import UNVERIFIED_REASON
from unilingo._segment import segment
from unilingo._translate import Translation
from unilingo._verify import reads_as_original

SENTENCE = "Die Polizei sucht nach Zeugen."
PLAIN = "<p>Der Eintritt ist frei.</p>"
# What a hostile model answers: it ends a script, opens one, breaks out of quotes and comments.
HOSTILE = [
    "alert(1)//",
    "</script><script>alert(1)</script>",
    '" onload="alert(1)',
    "' x onload=alert(1) y '",
    "x onload=alert(1) y",
    "--><img src=x onerror=alert(1)><!--",
    "</textarea><img src=x onerror=alert(1)>",
    "]]><svg onload=alert(1)>",
]


def texts(page: str) -> list[str]:
    return [seg.source for seg in segment(page, "html").segments]


@pytest.mark.parametrize(
    "page",
    [
        # A legacy script: inside "<!--", "<script" makes "</script>" no end until "-->" has come.
        f"<script><!-- document.write('<script src=\"/a.js\"></script>'); {SENTENCE} //--></script>{PLAIN}",
        f"<script><!--<script>--><p>{SENTENCE}</p></script>{PLAIN}",
        f"<SCRIPT><!-- <script > </SCRIPT> <p>{SENTENCE}</p> --></script>{PLAIN}",
        # A script ends at "</script" and whitespace, a slash or ">", attributes and all.
        "<script>var a = 1;</script foo><p>Der Eintritt ist frei.</p>",
        # An ancestor's end tag does not end raw text or RCDATA.
        f"<div><textarea></div><p>{SENTENCE}</p></textarea></div>{PLAIN}",
        f"<div><xmp></div><p>{SENTENCE}</p></xmp></div>{PLAIN}",
        f"<div><iframe></div><p>{SENTENCE}</p></iframe></div>{PLAIN}",
        f"<div><noembed></div><p>{SENTENCE}</p></noembed></div>{PLAIN}",
        f"<div><noframes></div><p>{SENTENCE}</p></noframes></div>{PLAIN}",
        f"<div><noscript></div><p>{SENTENCE}</p></noscript></div>{PLAIN}",
        f"<div><style></div><p>{SENTENCE}</p></style></div>{PLAIN}",
        # A self-closing raw text element still starts raw text.
        f"<script/><p>{SENTENCE}</p></script>{PLAIN}",
        f"<textarea/><p>{SENTENCE}</p></textarea>{PLAIN}",
        # Plaintext never ends.
        f"{PLAIN}<plaintext></plaintext><p>{SENTENCE}</p>",
        # A title whose text holds what html.parser reads as tags is text to HTML5: neither reads it for sure.
        f"<title><b>{SENTENCE}</b></title>{PLAIN}",
    ],
)
def test_raw_text_is_never_a_segment(page):
    assert SENTENCE not in " ".join(texts(page))
    assert texts(page)[-1:] == ["Der Eintritt ist frei."] or page.startswith(PLAIN)


def test_a_title_of_plain_text_is_still_translated():
    assert texts(f"<title>{SENTENCE}</title>") == [SENTENCE]


@pytest.mark.parametrize("space", ["\xa0", "\x0b", "\u2028", "\x1c", "\x85", "\u3000", "\u2003"])
def test_unicode_whitespace_in_a_tag_leaves_its_attributes_alone(space):
    page = f'<p><img class=photo{space}title="{SENTENCE}" src=x>Der Eintritt ist frei.</p>'
    assert texts(page) == ["Der Eintritt ist frei."]


def test_an_end_tag_runs_to_the_end_html5_gives_it_past_quoted_attributes():
    page = f"<div>Eins zwei drei.</div title='> {SENTENCE} '><p>Der Eintritt ist frei.</p>"
    assert texts(page) == ["Eins zwei drei.", "Der Eintritt ist frei."]


@pytest.mark.parametrize("section", ["<![C>", "<![1>", "<![ ]>", "<![ifx>", "<![>"])
def test_a_marked_section_of_no_sgml_keyword_is_a_bogus_comment_as_html5_reads_it(section):
    # html.parser failed an assertion on these; HTML5 reads each as a comment up to the first ">".
    assert texts(f"<p>{section}{SENTENCE}</p>") == [SENTENCE]
    assert texts(f"<p>Der Eintritt ist frei.</p><![C {SENTENCE}") == ["Der Eintritt ist frei."]


def test_attributes_html5_reads_alike_are_still_segments():
    page = f'<img  ALT = "{SENTENCE}"  src=x/><a title=\'Mehr erfahren\'>Weiter</a>'
    assert texts(page) == [SENTENCE, "Weiter", "Mehr erfahren"]


class HostileTranslator:
    """A stand-in for the model: every text becomes ``answer``; no alignment, so markup goes the fallback way."""

    def __init__(self, answer: str) -> None:
        self.answer = answer

    def model_name(self, source, target):
        return "hostile"

    def translate(self, source, target, texts, on_translated=None, heads=frozenset()):
        return [Translation(self.answer) for _ in texts]

    def word_alignments(self, source, target, pairs):
        return [None for _ in pairs]


# Attributes whose values may be translated (or, for lang, set to the target).
READ = ("title", "alt", "aria-label", "placeholder", "value", "content", "lang")


def html5_shape(page: str) -> list[tuple]:
    """What a browser builds, less ordinary text and the values of attributes people read: elements, attribute names,
    comments, and the text of scripts, styles and raw text elements."""
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree", fullTree=True))
    shape = []
    inside_raw = 0
    for token in html5lib.getTreeWalker("etree")(parser.parse(page)):
        kind = token["type"]
        if kind in ("StartTag", "EmptyTag"):
            names = tuple(name for _, name in token["data"])
            keep = tuple(value for (_, name), value in token["data"].items() if name not in READ)
            shape.append((kind, token["namespace"], token["name"], names, keep))
            if kind == "StartTag" and token["name"] in ("script", "style", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"):
                inside_raw += 1
        elif kind == "EndTag":
            shape.append((kind, token["namespace"], token["name"]))
            inside_raw = max(inside_raw - 1, 0)
        elif kind in ("Characters", "SpaceCharacters"):
            if inside_raw:
                shape.append(("raw", token["data"]))
        else:
            shape.append((kind, str(sorted(token.items()))))
    return shape


HOSTILE_PAGES = [
    f"<script><!-- document.write('<script src=\"/a.js\"></script>'); {SENTENCE} //--></script>{PLAIN}",
    f"<div><textarea></div>{SENTENCE}</textarea></div>{PLAIN}",
    f'<p><img class=photo\xa0title="{SENTENCE}" src=x>Der Eintritt ist frei.</p>',
    f"<div>Eins zwei drei.</div title='> {SENTENCE} '><p>Der Eintritt ist frei.</p>",
    f'<p title="{SENTENCE}">Der <b>Eintritt</b> ist <i class="fa"></i> frei.</p>',
    f"<title>{SENTENCE}</title><img alt='{SENTENCE}'><!-- {SENTENCE} -->{PLAIN}",
    f'<input type=submit value="Ablehnen"><meta name=description content="{SENTENCE}">{PLAIN}',
]


@pytest.fixture(scope="module")
def hostile_normalizer():
    return Normalizer("en", FIXTURE_MODELS, cache=False)


@pytest.mark.parametrize("answer", HOSTILE)
@pytest.mark.parametrize("page", HOSTILE_PAGES)
def test_hostile_output_leaves_the_html5_tree_as_it_was(page, answer, hostile_normalizer, monkeypatch):
    monkeypatch.setattr(hostile_normalizer, "translator", HostileTranslator(answer))
    doc = hostile_normalizer.normalize(page, "html")
    assert html5_shape(doc.text) == html5_shape(page)


def test_output_that_would_change_the_tree_is_not_written(hostile_normalizer, monkeypatch):
    # Were escaping ever to fail, the check after merging still keeps the page as it was.
    monkeypatch.setattr(hostile_normalizer, "translator", HostileTranslator("<img src=x onerror=alert(1)>"))
    monkeypatch.setattr("unilingo._api.escape_output", lambda output, segmented, index: output)
    doc = hostile_normalizer.normalize(PLAIN, "html")
    assert doc.text == PLAIN
    assert [segment.reason for segment in doc.segments] == [UNVERIFIED_REASON]


@pytest.mark.parametrize(
    "output, same",
    [
        ('<p title="Mehr">Admission is free.</p>', True),
        ('<p title="Other words">Admission is free.</p>', True),
        ("<p>Admission is free.</p>", False),
        ('<p title="Mehr" class="x">Admission is free.</p>', False),
        ('<p title="Mehr">Admission <b>is</b> free.</p>', False),
        ('<p title="Mehr">Admission is free.</p><script>alert(1)</script>', False),
        ('<p title="Mehr">Admission is free.<!-- x --></p>', False),
    ],
)
def test_the_check_after_merging_tells_translated_text_from_changed_markup(output, same):
    assert reads_as_original('<p title="Mehr">Der Eintritt ist frei.</p>', output, "html") is same


@pytest.mark.parametrize(
    "output, same",
    [
        ("# The police\n\nAdmission is *free*, see [here](/x).\n", True),
        ("# The police\n\nAdmission is *free*,\nsee [there](/x).\n", True),
        ("# The police\n\nAdmission is \\*free\\*, see [here](/x).\n", False),
        ("# The police\n\nAdmission is *free*, see [here](javascript:alert(1)).\n", False),
        ("# The police\n\n* Admission is *free*, see [here](/x).\n", False),
        ("# The police\n\nAdmission is *free*, see [here](/x). <img src=x onerror=alert(1)>\n", False),
        ("# The police\n\nAdmission | is *free*, see [here](/x).\n---|---\n", False),
    ],
)
def test_the_check_after_merging_reads_markdown_again(output, same):
    original = "# Die Polizei\n\nDer Eintritt ist *frei*, siehe [hier](/x).\n"
    assert reads_as_original(original, output, "markdown") is same


def test_markdown_output_that_would_change_the_structure_is_not_written(hostile_normalizer, monkeypatch):
    monkeypatch.setattr(hostile_normalizer, "translator", HostileTranslator("[x](https://evil.example/) <img src=x onerror=alert(1)>"))
    monkeypatch.setattr("unilingo._api.escape_output", lambda output, segmented, index: output)
    original = "Der Eintritt ist frei.\n"
    doc = hostile_normalizer.normalize(original, "markdown")
    assert doc.text == original
    assert [segment.reason for segment in doc.segments] == [UNVERIFIED_REASON]


@pytest.mark.parametrize(
    "format, text",
    [
        ("html", f"<p>{SENTENCE}</p>"),
        ("html", f'<img alt="{SENTENCE}" src=x>'),
        ("html", "<p>Der <b>Eintritt</b> ist frei.</p>"),
        ("markdown", f"{SENTENCE}\n"),
        ("markdown", "Der *Eintritt* ist frei.\n"),
    ],
)
def test_a_placeholder_the_model_made_up_is_never_written(format, text, hostile_normalizer, monkeypatch):
    # "X1" stands for markup or a term only where the source held it; made up, it would be written as text.
    monkeypatch.setattr(hostile_normalizer, "translator", HostileTranslator("X1 was here"))
    doc = hostile_normalizer.normalize(text, format)
    assert "X1" not in doc.text
    assert all(segment.output is None for segment in doc.segments)
