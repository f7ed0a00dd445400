"""HTML: what is a segment, what never is, and every byte that is not translated text kept."""

from __future__ import annotations

import pytest

from unilingo import Normalizer
from unilingo._errors import InputError
from unilingo._escape import escape_attribute, escape_text
from unilingo._html import check_encoding
from unilingo._segment import segment


def texts(page: str) -> list[str]:
    """What the detector and the model read of each segment."""
    return [seg.source for seg in segment(page, "html").segments]


@pytest.mark.parametrize(
    "page, expected",
    [
        ("<p>Der Eintritt ist frei.</p>", ["Der Eintritt ist frei."]),
        # Inline elements stay inside the sentence; code-like ones are placeholders.
        ("<p>Das ist <b>ja</b> gut.</p>", ["Das ist ja gut."]),
        ("<p>Starten Sie <code>nginx</code> neu.</p>", ["Starten Sie X1 neu."]),
        ("<p>Siehe <kbd>Strg</kbd> und <samp>OK</samp>.</p>", ["Siehe X1 und X2."]),
        # <br> ends a line: a caption and its credit are decided apart.
        ("<figcaption>A bridge.<br>Quelle: dpa</figcaption>", ["A bridge.", "Quelle: dpa"]),
        # Block elements end a paragraph; whitespace that renders as one space reads as one.
        ("<div>Eins zwei drei.<p>Vier\n   fünf sechs.</p></div>", ["Eins zwei drei.", "Vier fünf sechs."]),
        # Character references are decoded for the detector and the model.
        ("<p>Gr&uuml;&szlig;e&nbsp;aus M&#252;nchen &amp; Berlin</p>", ["Grüße aus München & Berlin"]),
        ("<p>AT&T und &unknown; bleiben</p>", ["AT&T und &unknown; bleiben"]),
        # Attributes people read are segments of their own.
        ('<img src="a.jpg" alt="Eine Brücke über den Fluss">', ["Eine Brücke über den Fluss"]),
        # A sentence starts at its first tag, so a title in that tag comes after it.
        ('<a href="/x" title="Mehr erfahren">Weiter</a>', ["Weiter", "Mehr erfahren"]),
        ('<input type="submit" value="Ablehnen"><input type="text" value="Müller">', ["Ablehnen"]),
        ('<input placeholder="Suche"><div aria-label="Schließen"></div>', ["Suche", "Schließen"]),
        ('<meta name="description" content="Die Stadt plant."><meta name="author" content="Max Muster">', ["Die Stadt plant."]),
        ('<meta property="og:title" content="Verwandte Artikel">', ["Verwandte Artikel"]),
        ("<img alt='Fluss &amp; Brücke'>", ["Fluss & Brücke"]),
        ('<img src="a.jpg" data-alt="Fluss" class="Brücke">', []),
    ],
)
def test_segments(page, expected):
    assert texts(page) == expected


@pytest.mark.parametrize(
    "page",
    [
        "<script>var text = 'Die Stadt plant einen Radweg.';</script>",
        '<script type="application/ld+json">{"headline": "Die Stadt plant einen Radweg."}</script>',
        "<style>p::before { content: 'Die Stadt plant einen Radweg.' }</style>",
        "<pre>Die Stadt plant einen Radweg.</pre>",
        "<textarea>Die Stadt plant einen Radweg.</textarea>",
        "<noscript>Bitte aktivieren Sie JavaScript.</noscript>",
        "<template><p>Die Stadt plant einen Radweg.</p></template>",
        '<p translate="no">Die Stadt plant einen Radweg.</p>',
        '<div class="teaser notranslate"><p>Die Stadt plant einen Radweg.</p></div>',
        "<div contenteditable>Die Stadt plant einen Radweg.</div>",
        '<div translate="no"><img alt="Eine Brücke über den Fluss"></div>',
        "<!-- Die Stadt plant einen Radweg. -->",
        "<svg><text>Die Stadt plant einen Radweg.</text></svg>",
        "<p><!-- unilingo: off -->Die Stadt plant einen Radweg.<!-- unilingo: on --></p>",
    ],
)
def test_never_translated(page):
    assert texts(page) == []


def test_translate_no_inside_a_sentence_is_a_placeholder():
    assert texts('<p>Wir danken <span class="notranslate">Max Muster</span> herzlich.</p>') == ["Wir danken X1 herzlich."]


def test_contenteditable_false_is_translated():
    assert texts('<div contenteditable="false">Der Eintritt ist frei.</div>') == ["Der Eintritt ist frei."]


def test_segments_cover_the_source_exactly():
    page = '<p lang="de">Die <a href="/x" title="Zeugen gesucht">Polizei</a> sucht&nbsp;Zeugen.</p>'
    segmented = segment(page, "html")
    for seg in segmented.segments:
        assert page[seg.start : seg.end] == seg.text
    sentence, attribute = segmented.segments
    assert sentence.text == 'Die <a href="/x" title="Zeugen gesucht">Polizei</a> sucht&nbsp;Zeugen.'
    assert attribute.text == '"Zeugen gesucht"' and attribute.attribute == "title"
    assert [span.kind for span in sentence.inline.spans] == ["a"]


@pytest.mark.parametrize(
    "page, marked",
    [
        ('<html lang="de-AT"><p>Der Eintritt ist frei.</p></html>', ["de"]),
        ('<p lang="en">One <span lang="fr">deux</span></p><p>Drei.</p>', ["en", None]),
        ('<div lang="de"><p>Eins.</p><p>Zwei.</p></div><p>Drei.</p>', ["de", "de", None]),
        # An implied end tag closes the element, and its lang with it.
        ('<ul><li lang="de">Eins.<li>Zwei.</ul>', ["de", None]),
        ('<p lang="">Eins.</p>', [None]),
        ('<img lang="de" alt="Eine Brücke">', ["de"]),
    ],
)
def test_lang_is_the_marked_language(page, marked):
    assert [seg.marked for seg in segment(page, "html").segments] == marked


def test_misnested_tags_leave_the_sentence_to_its_runs():
    segmented = segment("<p>Das <b>ist <i>ja</b> gut</i>.</p>", "html")
    assert [seg.text for seg in segmented.segments] == ["Das", "ist", "ja", "gut"]
    assert all(seg.inline is None for seg in segmented.segments)


def test_blocks_followed_by_their_inline_original_are_not_segments():
    page = "<p>The entry is free.<!-- unilingo:original sha256=0\nDer Eintritt ist frei.\n--></p><p>Viele Schulen.</p>"
    assert texts(page) == ["Viele Schulen."]


@pytest.mark.parametrize(
    "output, expected",
    [("a < b & c > d", "a &lt; b &amp; c &gt; d"), ('Say "hi"', 'Say "hi"'), ("&amp;", "&amp;amp;")],
)
def test_text_is_escaped_never_markup(output, expected):
    assert escape_text(output) == expected


@pytest.mark.parametrize(
    "output, original, expected",
    [
        ('The "new" bridge', '"x"', '"The &quot;new&quot; bridge"'),
        ("It's <new>", "'x'", "'It&#39;s &lt;new&gt;'"),
        ("A bridge", "x", '"A bridge"'),  # an unquoted value gains quotes: the translation has spaces
        ("A\n  bridge", '"x"', '"A bridge"'),
    ],
)
def test_attribute_values_are_escaped_for_their_quoting(output, original, expected):
    assert escape_attribute(output, original) == expected


@pytest.mark.parametrize("declared", ['<meta charset="windows-1252">', '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'])
def test_a_page_declared_in_another_encoding_is_an_input_error(declared):
    with pytest.raises(InputError, match="declares its encoding as") as error:
        check_encoding(f"<html><head>{declared}</head></html>", "page.html")
    assert "iconv" in str(error.value)


@pytest.mark.parametrize("declared", ['<meta charset="utf-8">', "<meta charset=UTF-8>", ""])
def test_a_utf8_page_is_read(declared):
    check_encoding(f"<html><head>{declared}</head></html>", "page.html")


def test_detect_reads_lang_as_a_prior_and_skips_a_language_without_a_model():
    normalizer = Normalizer(cache=False, models="tests/fixtures/models.txt")
    page = '<p lang="fr">Die Stadt plant einen neuen Radweg entlang des Flusses.</p><p>Der Eintritt ist frei.</p>'
    decided = normalizer.detect(page, "html").segments
    assert [(seg.lang, seg.action) for seg in decided] == [("fr", "skip"), ("de", "translate")]
    assert decided[0].reason == "no model for fr -> en (marked lang=fr)"
