"""HTML: what is a segment, what never is, and every byte that is not translated text kept."""

from __future__ import annotations

import json

import html5lib
import pytest
from click.testing import CliRunner

from conftest import FIXTURE_MODELS, heavy_modules_after

from unilingo import Normalizer, restore_inline, restore_sidecar
from unilingo._errors import InputError
from unilingo.formats.html.escape import escape_attribute, escape_text
from unilingo.formats.html.encoding import check_encoding
from unilingo._cli import cli
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
        # A named submit button's value is form data the server reads; a meta with http-equiv instructs the browser.
        ('<input type="submit" name="action" value="Löschen"><input type="reset" name="r" value="Zurücksetzen">', ["Zurücksetzen"]),
        ('<meta name="description" http-equiv="refresh" content="Die Stadt plant.">', []),
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
        check_encoding(f"<html><head>{declared}</head><p>Grüße</p></html>", "page.html")
    assert "iconv" in str(error.value)


@pytest.mark.parametrize("declared", ["windows-1252", "ISO-8859-1", "us-ascii", "koi8-r"])
def test_a_page_of_ascii_alone_is_read_whatever_ascii_compatible_encoding_it_declares(declared, tmp_path):
    page = f'<html><head><meta charset="{declared}"></head><body><p>Der Eintritt ist frei.</p><p>Gr&uuml;&szlig;e</p></body></html>\n'
    check_encoding(page, "page.html")
    (tmp_path / "page.html").write_text(page, encoding="ascii")
    result = run("translate", tmp_path / "page.html", "-o", f"{tmp_path / 'out'}/", *MODELS)
    assert result.exit_code == 0, result.output
    assert "<p>Admission is free.</p>" in (tmp_path / "out" / "page.html").read_text(encoding="ascii")
    assert run("restore", tmp_path / "out" / "page.html").exit_code == 0
    assert (tmp_path / "out" / "page.html").read_text(encoding="ascii") == page


@pytest.mark.parametrize("declared", ["utf-16", "utf-7", "no-such-encoding"])
def test_a_page_of_ascii_alone_declared_in_an_encoding_that_does_not_read_ascii_as_ascii_is_refused(declared):
    with pytest.raises(InputError, match="declares its encoding as"):
        check_encoding(f'<meta charset="{declared}"><p>Der Eintritt ist frei.</p>', "page.html")


def test_a_translation_other_than_ascii_is_not_written_into_a_page_declared_in_another_encoding():
    from unilingo._errors import OutputError
    from unilingo.formats.html.encoding import check_output_encoding

    check_output_encoding('<meta charset="iso-8859-1"><p>Admission is free.</p>', "page.html")
    check_output_encoding('<meta charset="utf-8"><p>Café</p>', "page.html")
    with pytest.raises(OutputError, match="other than ASCII, and the page declares its encoding as iso-8859-1"):
        check_output_encoding('<meta charset="iso-8859-1"><p>Café</p>', "page.html")


@pytest.mark.parametrize("declared", ['<meta charset="utf-8">', "<meta charset=UTF-8>", ""])
def test_a_utf8_page_is_read(declared):
    check_encoding(f"<html><head>{declared}</head></html>", "page.html")


def test_detect_reads_lang_as_a_prior_and_skips_a_language_without_a_model():
    normalizer = Normalizer(cache=False, models="tests/fixtures/models.txt")
    page = '<p lang="fr">Die Stadt plant einen neuen Radweg entlang des Flusses.</p><p>Der Eintritt ist frei.</p>'
    decided = normalizer.detect(page, "html").segments
    assert [(seg.lang, seg.action) for seg in decided] == [("fr", "skip"), ("de", "translate")]
    assert decided[0].reason == "no model for fr -> en (marked lang=fr)"


# --- the CLI on pages ------------------------------------------------------------------------

MODELS = ["--models", str(FIXTURE_MODELS)]
GERMAN_PAGE = (
    '<!DOCTYPE html>\r\n<html lang="de"><head><title>News</title></head>\r\n<body>\r\n'
    "<p>Die Polizei sucht nach Zeugen.</p>\r\n<p>Der Eintritt ist frei.<br>Niemand wurde verletzt.</p>\r\n"
    "<script>var ok = 'Die Polizei sucht nach Zeugen.';</script>\r\n</body></html>\r\n"
)


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(arg) for arg in args], input=input)


def test_translate_a_folder_includes_pages_and_restore_gives_them_back(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.html").write_bytes(GERMAN_PAGE.encode("utf-8"))
    (docs / "other.htm").write_text("<p>Hello there, how are you?</p>\n", encoding="utf-8")
    result = run("translate", docs, "-o", tmp_path / "out", *MODELS)
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "page.html").read_bytes().decode("utf-8")
    assert page == GERMAN_PAGE.replace('lang="de"', 'lang="en"').replace(
        "<p>Die Polizei sucht nach Zeugen.</p>", "<p>The police are looking for witnesses.</p>"
    ).replace("Der Eintritt ist frei.<br>Niemand wurde verletzt.", "Admission is free.<br>Nobody was injured.")
    assert (tmp_path / "out" / "other.htm").read_text(encoding="utf-8") == "<p>Hello there, how are you?</p>\n"
    assert run("restore", tmp_path / "out" / "page.html").exit_code == 0
    assert (tmp_path / "out" / "page.html").read_bytes() == GERMAN_PAGE.encode("utf-8")


def test_inline_originals_in_a_page_restore_and_a_rerun_changes_nothing(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>Der Eintritt ist frei.</p>\n<p>Hello there, how are you?</p>\n", encoding="utf-8")
    assert run("fix", page, "--keep-original", "inline", *MODELS).exit_code == 1
    fixed = page.read_text(encoding="utf-8")
    assert fixed == (
        "<p>Admission is free.<!-- unilingo:original sha256=" + fixed.split("sha256=")[1].split("\n")[0]
        + "\nDer Eintritt ist frei.\n--></p>\n<p>Hello there, how are you?</p>\n"
    )
    assert not (tmp_path / "page.html.unilingo.json").exists()
    assert run("fix", page, "--keep-original", "inline", *MODELS).exit_code == 0
    assert page.read_text(encoding="utf-8") == fixed
    assert run("restore", page).exit_code == 0
    assert page.read_text(encoding="utf-8") == "<p>Der Eintritt ist frei.</p>\n<p>Hello there, how are you?</p>\n"


def test_inline_originals_fall_back_to_a_sidecar_for_attributes_and_titles(tmp_path):
    for number, page_text in enumerate(['<img alt="Der Eintritt ist frei.">', "<title>Der Eintritt ist frei.</title>"]):
        page = tmp_path / f"page{number}.html"
        page.write_text(page_text, encoding="utf-8")
        assert run("fix", page, "--keep-original", "inline", *MODELS).exit_code == 1
        assert "unilingo:original" not in page.read_text(encoding="utf-8")
        assert (tmp_path / f"page{number}.html.unilingo.json").exists()
        assert run("restore", page).exit_code == 0 and page.read_text(encoding="utf-8") == page_text


def test_a_lang_set_to_the_target_keeps_its_old_value_after_its_tag(tmp_path):
    page = tmp_path / "page.html"
    original = '<html lang="de-AT"><body>\n<p lang=de>Der Eintritt ist frei.</p>\n<p lang="en-GB">Hello there.</p>\n</body></html>'
    page.write_text(original, encoding="utf-8")
    assert run("fix", page, "--keep-original", "inline", *MODELS).exit_code == 1
    fixed = page.read_text(encoding="utf-8")
    assert fixed.startswith('<html lang="en"><!-- unilingo:lang "de-AT" --><body>\n<p lang=en><!-- unilingo:lang de -->Admission is free.')
    assert '<p lang="en-GB">Hello there.</p>' in fixed  # already the target's language: left as it is
    assert not (tmp_path / "page.html.unilingo.json").exists()
    assert run("fix", page, "--keep-original", "inline", *MODELS).exit_code == 0
    assert page.read_text(encoding="utf-8") == fixed
    assert run("restore", page).exit_code == 0 and page.read_text(encoding="utf-8") == original


def test_a_kept_lang_value_edited_into_another_attribute_is_not_restored():
    edited = '<html lang="en"><!-- unilingo:lang "de" onload="alert(1)" --><body>\n<p>Admission is free.</p>\n</body></html>'
    with pytest.raises(InputError, match="not one attribute value"):
        restore_inline(edited, "page.html", "html")
    assert restore_inline(edited.replace(' onload="alert(1)"', ""), "page.html", "html").startswith('<html lang="de"><body>')


def test_check_flags_german_in_a_page_and_passes_english(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(GERMAN_PAGE.encode("utf-8"))
    result = run("check", page, *MODELS)
    assert result.exit_code == 1
    assert f'{page}:4:4: de (1.00) "Die Polizei sucht nach Zeugen."' in result.output
    page.write_text('<html lang="en"><p>The police are looking for witnesses.</p><script>x = "Zeugen"</script></html>')
    assert run("check", page, *MODELS).exit_code == 0


def test_detect_json_names_attributes(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<img src="a.jpg" alt="Die Polizei sucht nach Zeugen.">', encoding="utf-8")
    result = run("detect", "--json", page, *MODELS)
    assert result.exit_code == 0, result.output
    ((segment,),) = [record["segments"] for record in json.loads(result.output)]
    assert segment["attribute"] == "alt" and segment["action"] == "translate"


def test_jsonl_fields_as_html():
    record = {"body": '<p>Die Polizei sucht nach Zeugen.</p><img alt="Der Eintritt ist frei.">'}
    result = run("translate", "--jsonl", "--field", "body", "--format", "html", "-", *MODELS, input=json.dumps(record) + "\n")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["body"] == '<p>The police are looking for witnesses.</p><img alt="Admission is free.">'
    assert out["body_original"] == record["body"]


def test_a_page_declared_in_windows_1252_is_refused_and_the_rest_are_done(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.html").write_text('<meta charset="windows-1252"><p>Der Eintritt ist frei in München.</p>', encoding="utf-8")
    (docs / "b.html").write_text("<p>Der Eintritt ist frei.</p>", encoding="utf-8")
    result = run("translate", docs, "-o", tmp_path / "out", *MODELS)
    assert result.exit_code == 3
    assert "a.html declares its encoding as windows-1252" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "out" / "a.html").exists()
    assert (tmp_path / "out" / "b.html").read_text(encoding="utf-8") == "<p>Admission is free.</p>"


def test_check_of_a_page_loads_no_translation_stack(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(GERMAN_PAGE.replace("Zeugen.", "Zeugen, heute."), encoding="utf-8")
    assert heavy_modules_after(["detect", page, *MODELS]) == []



@pytest.mark.parametrize(
    "page, expected",
    [
        # html.parser hands markup left open at the end of the page over as text; HTML5 reads it as markup to the end.
        ("<p>Der Eintritt ist frei.</p><!DOCTYPE html ", ["Der Eintritt ist frei."]),
        ("<p>Der Eintritt ist frei.</p><!-- Niemand wurde verletzt.", ["Der Eintritt ist frei."]),
        ("<p>Der Eintritt ist frei.</p><a title='Niemand wurde verletzt.", ["Der Eintritt ist frei."]),
        # An "&#" that starts no reference is text, and the page goes on after it.
        ("&#x &#X <p>Der Eintritt ist frei.</p>", ["&#x &#X", "Der Eintritt ist frei."]),
        ("<p>x</p>&f", ["x", "&f"]),
        # Comments end at "-->" or "--!>" as in HTML5; "<!-->" is an empty comment.
        ("<!-- x -- ><p>Der Eintritt ist frei.</p>", []),
        ("<!--><p>Der Eintritt ist frei.</p>", ["Der Eintritt ist frei."]),
        ("<!-- x --!><p>Der Eintritt ist frei.</p>", ["Der Eintritt ist frei."]),
        # A quote left open in a tag runs on past its '>': the rest of the page is left as it is.
        ('<p>Eins.</p><a a ="a<p>Der Eintritt ist frei.</p>', ["Eins."]),
        # A tag html.parser gives up on ("<a" then a NUL) is a tag to HTML5, up to its '>'.
        ("<a\x00>Der Eintritt ist frei.", ["Der Eintritt ist frei."]),
    ],
)
def test_where_html_parser_and_html5_differ_the_page_is_read_as_html5_does_or_left_alone(page, expected):
    assert texts(page) == expected


def test_a_lone_surrogate_is_an_input_error():
    with pytest.raises(InputError, match="lone surrogate .U\\+D800. at offset 4"):
        segment("<p>x\ud800</p>", "html")


def test_fix_translates_a_block_again_when_its_inline_original_was_edited(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>Der Eintritt ist frei.</p>\n<p>Hello there, how are you?</p>\n", encoding="utf-8")
    assert run("fix", page, "--keep-original", "inline", *MODELS).exit_code == 1
    edited = page.read_text(encoding="utf-8").replace("\nDer Eintritt ist frei.\n", "\nNiemand wurde verletzt.\n")
    page.write_text(edited, encoding="utf-8")
    assert run("fix", page, "--keep-original", "inline", *MODELS).exit_code == 1
    refreshed = page.read_text(encoding="utf-8")
    assert refreshed.startswith("<p>Nobody was injured.<!-- unilingo:original sha256=")
    assert run("restore", page).exit_code == 0
    assert page.read_text(encoding="utf-8") == "<p>Niemand wurde verletzt.</p>\n<p>Hello there, how are you?</p>\n"


@pytest.mark.parametrize(
    "page, element",
    [
        ('<p><a href="/x"><i class="fa fa-lock"></i> Die Polizei sucht nach Zeugen.</a></p>\n', '<i class="fa fa-lock"></i>'),
        ('<p><a href="#">Die Polizei sucht nach Zeugen. <span class="caret">&nbsp;</span></a></p>\n', '<span class="caret">&nbsp;</span>'),
        ('<p><b>Die Polizei sucht nach Zeugen.<i class="icon"></i></b></p>\n', '<i class="icon"></i>'),
    ],
)
def test_an_element_without_text_comes_back_exactly_once(normalizer, page, element):
    (seg,) = segment(page, "html").segments
    assert [page[span.start : span.end] for span in seg.inline.spans if span.protected] == [element]
    doc = normalizer.normalize(page, "html")
    assert doc.translated == 1 and "Zeugen" not in doc.text
    assert doc.text.count(element) == 1


def test_lang_is_set_to_the_target_only_where_no_german_is_left(monkeypatch):
    from unilingo._translate import Translation

    normalizer = Normalizer("en", FIXTURE_MODELS, cache=False)
    real = normalizer.translator.translate

    def rejecting(lang, target, texts, on_translated=None, attention=frozenset()):
        # "Der Eintritt ist frei." comes back looping: its translation is rejected and the German kept.
        return [Translation("free free free free", looped=True) if text == "Der Eintritt ist frei." else found
                for text, found in zip(texts, real(lang, target, texts, on_translated, attention))]  # fmt: skip

    monkeypatch.setattr(normalizer.translator, "translate", rejecting)
    page = '<div lang="de"><p>Die Polizei sucht nach Zeugen.</p><p>Der Eintritt ist frei.</p></div><p lang="de">Niemand wurde verletzt.</p>\n'
    doc = normalizer.normalize(page, "html")
    assert doc.text == (
        '<div lang="de"><p>The police are looking for witnesses.</p><p>Der Eintritt ist frei.</p></div>'
        '<p lang="en">Nobody was injured.</p>\n'
    )



@pytest.mark.parametrize("reference, answer", [("&#xf", "Admission is free."), ("&#32", "3 people came."), ("&#32", "; then"),
                                               ("&nbsp", "Admission is free.")])  # fmt: skip
@pytest.mark.parametrize("sentence", ["Über die Brücke fahren viele Autos.", "Über die <b>Brücke</b> fahren viele Autos."])
def test_a_translation_right_after_a_reference_without_its_semicolon_does_not_become_part_of_it(reference, answer, sentence, monkeypatch):
    # "&#xf" then "Admission" reads as "&#xfA": another character, the block's start moved, its original cut short.
    from unilingo._translate import Translation

    normalizer = Normalizer("en", FIXTURE_MODELS, cache=False)
    monkeypatch.setattr(normalizer.translator, "translate", lambda source, target, texts, *args: [Translation(answer)] * len(texts))
    page = f"<p>{reference}{sentence}</p>"
    doc = normalizer.normalize(page, "html")
    assert doc.translated
    shown = "".join(html5lib.parse(doc.text, namespaceHTMLElements=False).find(".//p").itertext())
    reference_shown = html5lib.parse(f"<p>{reference}</p>", namespaceHTMLElements=False).find(".//p").text
    assert shown.startswith(reference_shown + answer[0])
    assert restore_inline(doc.with_inline_originals(), format="html") == page


@pytest.mark.parametrize("page", ["Eintritt <code>", "<p>Der Eintritt ist frei. <code>x<div>Hello there.</div>"])
def test_a_block_ending_in_an_unclosed_code_element_has_no_place_for_its_inline_original(page, normalizer):
    # A comment after the block would be the code element's content, never found after the block: a sidecar keeps it.
    doc = normalizer.normalize(page, "html")
    assert doc.translated
    with pytest.raises(ValueError, match="no place"):
        doc.with_inline_originals()


@pytest.mark.parametrize("value", ["</en", "d<e", "de=at", "d`e"])
def test_a_lang_value_restore_would_refuse_is_not_kept_inline(value, normalizer):
    # Restore reads a kept value back only as one attribute value; any other is kept in a sidecar, not written inline.
    page = f"<html lang={value}>Der Eintritt ist frei."
    doc = normalizer.normalize(page, "html")
    assert doc.languages_set
    with pytest.raises(ValueError, match="lang value"):
        doc.with_inline_originals()
    assert restore_sidecar(doc.sidecar()) == page


@pytest.mark.parametrize("space", ["\x0b", "\xa0", "\u2028", "\x1c", "\u3000"])
def test_a_block_starting_with_whitespace_only_to_python_keeps_it_through_inline_originals(space, normalizer):
    # Not HTML whitespace: it starts the block whether the text after it is read apart ("&") or with it (the translation).
    page = f"{space}&Die Polizei sucht nach Zeugen."
    doc = normalizer.normalize(page, "html")
    assert doc.translated
    assert restore_inline(doc.with_inline_originals(), format="html") == page
