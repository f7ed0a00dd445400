import pytest

from unilingo._segment import format_for_path, segment


def texts(source: str, format: str) -> list[str]:
    doc = segment(source, format)
    for seg in doc.segments:
        assert source[seg.start : seg.end] == seg.text
    return [seg.text for seg in doc.segments]


@pytest.mark.parametrize(
    "source, expected",
    [
        ("Hello world. This is fine.\n", ["Hello world.", "This is fine."]),
        ("Caption line\nFoto: dpa\n", ["Caption line", "Foto: dpa"]),
        ("  indented line  \n", ["indented line"]),
        ("one\r\ntwo\rthree\nfour", ["one", "two", "three", "four"]),
        ("para one\n\n\xa0\n \t\npara two", ["para one", "para two"]),
        ("Siehe https://example.com/a?b=c. Danke", ["Siehe https://example.com/a?b=c.", "Danke"]),
        ("Mail an info@example.com bitte", ["Mail an info@example.com bitte"]),
            ("https://example.com", []),
        ("2024 -- 12:30 !!!", ["2024 -- 12:30 !!!"]),
        ("--- ... ***", []),
        ("Z. B. heute, z.B. morgen. Nr. 5 kommt.", ["Z. B. heute, z.B. morgen.", "Nr. 5 kommt."]),
    ],
)
def test_plain_text_segments(source, expected):
    assert texts(source, "text") == expected


def test_plain_text_blocks_are_paragraphs_and_lines_are_counted():
    doc = segment("a b\nc d\n\n\xa0\ne f", "text")
    assert [doc.text[b.start : b.end] for b in doc.blocks] == ["a b\nc d", "e f"]
    assert [(s.text, s.line, s.block) for s in doc.segments] == [("a b", 0, 0), ("c d", 1, 0), ("e f", 4, 1)]


@pytest.mark.parametrize(
    "source, expected",
    [
        ("# Verwandte Artikel\n", ["Verwandte Artikel"]),
        ("## Titel ##\n", ["Titel"]),
        ("Titel\n=====\n", ["Titel"]),
        ("- eins\n- zwei\n  drei\n", ["eins", "zwei", "drei"]),
        ("1. 1\n", ["1"]),
        ("> zitat\n> > tief\n", ["zitat", "tief"]),
        ("Lies *das* hier\n", ["Lies *das* hier"]),
        ("Lies **das**\n", ["Lies **das**"]),
        ("Ein [Link](https://example.com/a_(b) \"Titel t\") und mehr\n", ["Ein [Link](https://example.com/a_(b) \"Titel t\") und mehr"]),
        ("Ein [Link][ref] hier\n\n[ref]: https://example.com\n", ["Ein [Link][ref] hier"]),
        ("Code `a b` b\n", ["Code `a b` b"]),
            ("`a b` `c`\n", []),
        ("Bild ![Alt Text](bild.png) da\n", ["Bild ![Alt Text](bild.png) da", "Alt Text"]),  # the alt text inside the sentence too
        ("![Alt Text](bild.png)\n", ["Alt Text"]),
        ("![Alt *Text*](bild.png) ![](leer.png) ![Zweites Bild](b.png \"Titel\")\n", ["Zweites Bild"]),
        ("Auto <https://example.com/x> link\n", ["Auto <https://example.com/x> link"]),
        ("Zeile<br>zwei\n", ["Zeile<br>zwei"]),
        ("Preis \\* fünf &amp; sechs\n", ["Preis \\* fünf &amp; sechs"]),
        ("```\nDer Code bleibt.\n```\n", []),
        ("    Eingerückter Code.\n", []),
        ("<!-- Kommentar bleibt -->\n", []),
        ("<div>\nHTML bleibt\n</div>\n", []),
        ("---\ntitle: Titel wird übersetzt\n---\nText\n", ["Titel wird übersetzt", "Text"]),
        ("---\nslug: bleibt\n---\nText\n", ["Text"]),
        ("+++\ntitle = 'TOML-Titel'\nslug = 'bleibt'\n+++\nText\n", ["'TOML-Titel'", "Text"]),
        ("| Tag | Ort |\n|---|---|\n| heute | Berlin Mitte |\n", ["Tag", "Ort", "heute", "Berlin Mitte"]),
        ("Text ~~alt~~ neu\n", ["Text ~~alt~~ neu"]),
            ("Erst **fett. Dann** weiter. Zweiter Satz.\n", ["Erst **fett. Dann** weiter.", "Zweiter Satz."]),
            ("Ein *offener\nStern* hier\n", ["Ein", "offener", "Stern", "hier"]),
            ("Code `über\nZeilen` und weiter\n", ["Code `über\nZeilen` und weiter"]),  # markup over a break is copied whole
        ("Hart  \numbrochen\n", ["Hart", "umbrochen"]),
    ],
)
def test_markdown_segments(source, expected):
    assert texts(source, "markdown") == expected


def test_markdown_offsets_survive_crlf_and_tabs():
    source = "# Titel\r\n\r\n- eins\r\n>\tzitat hier\r\n\r\nEnde"
    assert texts(source, "markdown") == ["Titel", "eins", "zitat hier", "Ende"]


def test_markdown_blocks_are_top_level_and_whole_lines():
    source = "# Kopf\n\n- a\n- b\n\n\nText\nmehr\n"
    doc = segment(source, "markdown")
    assert [source[b.start : b.end] for b in doc.blocks] == ["# Kopf", "- a\n- b", "Text\nmehr"]
    assert [s.block for s in doc.segments] == [0, 1, 1, 2, 2]


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        segment("x", "rst")


@pytest.mark.parametrize(
    "name, format", [("a.md", "markdown"), ("B.MARKDOWN", "markdown"), ("c.txt", "text"), ("README", "text"), ("page.html", "html"), ("Page.XHTML", "html"), ("doc.rst", None), ("notes.v2.TEXT", "text")]
)
def test_format_for_path(name, format):
    assert format_for_path(name) == format


@pytest.mark.parametrize("format", ["text", "markdown"])
def test_off_on_markers_and_ignore_lines_hide_text(format):
    source = (
        "Erste Zeile bleibt sichtbar.\n\n"
        "<!-- unilingo: off -->\n\nDas Zitat bleibt Deutsch.\n\n<!-- unilingo: on -->\n\n"
        "Zweite Zeile ist sichtbar.\n\n"
        "Der Firmenname bleibt. <!-- unilingo: ignore -->\n"
        "Dritte Zeile ist sichtbar.\n\n"
        "<!-- unilingo: off -->\nBis zum Ende versteckt.\n"
    )
    assert texts(source, format) == ["Erste Zeile bleibt sichtbar.", "Zweite Zeile ist sichtbar.", "Dritte Zeile ist sichtbar."]


def test_a_sentence_holds_its_markup_for_the_model_and_the_detector():
    source = "Die [Polizei](https://example.com) sucht mit `grep -r` nach **Zeugen**.\n"
    (seg,) = segment(source, "markdown").segments
    assert seg.text == source.strip()
    inline = seg.inline
    assert inline.source == "Die Polizei sucht mit X1 nach Zeugen."
    assert inline.plain == "Die Polizei sucht mit nach Zeugen."
    assert [(span.kind, source[span.start : span.end], source[span.inner_start : span.inner_end],
             inline.source[span.source_start : span.source_end]) for span in inline.spans] == [
        ("link", "[Polizei](https://example.com)", "Polizei", "Polizei"),
        ("code", "`grep -r`", "`grep -r`", "X1"),
        ("strong", "**Zeugen**", "Zeugen", "Zeugen"),
    ]  # fmt: skip
    # The fallback: today's runs between markup.
    assert [source[start:end] for start, end in inline.pieces] == ["Die", "Polizei", "sucht mit", "nach", "Zeugen"]


@pytest.mark.parametrize(
    "source, kind",
    [
        ("Siehe [Label] hier\n\n[Label]: https://example.com\n", "reference"),
        ("Siehe [Label][] hier\n\n[Label]: https://example.com\n", "reference"),
        ("Siehe [](https://example.com) hier\n", "reference"),
        ("Siehe ![Bild](a.png) hier\n", "image"),
        ("Siehe <https://example.com> hier\n", "autolink"),
        ("Siehe <kbd>hier</kbd>\n", "html"),
        ("Mail an info@example.com bitte\n", "email"),
    ],
)
def test_protected_spans(source, kind):
    seg = segment(source, "markdown").segments[0]
    assert seg.inline.spans[0].kind == kind
    assert all(span.protected for span in seg.inline.spans)


def test_plain_sentences_carry_no_inline():
    doc = segment("Nur Text hier. Und mehr.\n", "markdown")
    assert [seg.inline for seg in doc.segments] == [None, None]


# A sentence wrapped over lines is one sentence; a line that ends a sentence, a short line and a credit keep to themselves.
@pytest.mark.parametrize("format", ["text", "markdown"])
@pytest.mark.parametrize(
    "source, expected",
    [
        ("Die Feuerwehr war heute mit vierzig\nEinsatzkräften vor Ort.\n", ["Die Feuerwehr war heute mit vierzig Einsatzkräften vor Ort."]),
        ("Die Feuerwehr war heute mit vierzig\r\n   Einsatzkräften vor Ort.\r\n", ["Die Feuerwehr war heute mit vierzig Einsatzkräften vor Ort."]),
        ("Wir speichern Ihre Daten nur so lange,\nwie es erforderlich ist.\n", ["Wir speichern Ihre Daten nur so lange, wie es erforderlich ist."]),
        ("Die Polizei sucht nach Zeugen.\nNiemand wurde verletzt.\n", ["Die Polizei sucht nach Zeugen.", "Niemand wurde verletzt."]),
        ("Kontakt\nImpressum\nDatenschutz\n", ["Kontakt", "Impressum", "Datenschutz"]),
        ("A crowd gathers on the new bridge at sunset\nQuelle: Deutsche Presse-Agentur\n",
         ["A crowd gathers on the new bridge at sunset", "Quelle: Deutsche Presse-Agentur"]),
        ("Foto: Max Mustermann/dpa und Anna Schmidt/AFP\nThe bridge opened on Monday.\n",
         ["Foto: Max Mustermann/dpa und Anna Schmidt/AFP", "The bridge opened on Monday."]),
    ],
)  # fmt: skip
def test_a_sentence_wrapped_over_lines_is_one(format, source, expected):
    segmented = segment(source, format)
    assert [seg.source for seg in segmented.segments] == expected
    for seg in segmented.segments:
        assert source[seg.start : seg.end] == seg.text


@pytest.mark.parametrize(
    "source, expected",
    [
        ("> Die Feuerwehr war heute mit vierzig\n> Einsatzkräften vor Ort.\n", "Die Feuerwehr war heute mit vierzig\n> Einsatzkräften vor Ort."),
        ("- Die Feuerwehr war heute mit *vierzig\n  Einsatzkräften* vor Ort.\n", "Die Feuerwehr war heute mit *vierzig\n  Einsatzkräften* vor Ort."),
    ],
)
def test_a_wrapped_sentence_in_a_quote_or_list_item_holds_its_markup(source, expected):
    (seg,) = segment(source, "markdown").segments
    assert seg.text == expected
    assert seg.source == "Die Feuerwehr war heute mit vierzig Einsatzkräften vor Ort."


# A code span, a link's title, an image or inline HTML that runs over a line
# break is copied whole, prefixes of its lines included, and the sentence
# around it is one.
@pytest.mark.parametrize(
    "source, expected",
    [
        ("Die Polizei sucht in der Innenstadt von `Berlin\nMitte` nach Zeugen.\n", ["`Berlin\nMitte`"]),
        ("> Die Polizei sucht in der Innenstadt von `Berlin\n> Mitte` nach Zeugen.\n", ["`Berlin\n> Mitte`"]),
        ("- Die Polizei sucht in der Innenstadt von `Berlin\n  Mitte` nach Zeugen.\n", ["`Berlin\n  Mitte`"]),
        ("Die Polizei sucht in der Innenstadt von <span\nclass=\"ort\">Berlin</span> nach Zeugen.\n", ['<span\nclass="ort">', "</span>"]),
        ("Die Polizei sucht in der Innenstadt von ![Berlin\nMitte](karte.png) nach Zeugen.\n", ["![Berlin\nMitte](karte.png)"]),
    ],
)
def test_markup_over_a_line_break_is_copied_whole_in_one_sentence(source, expected):
    (seg,) = segment(source, "markdown").segments
    assert source[seg.start : seg.end] == seg.text
    assert seg.text.endswith("nach Zeugen.") and seg.source.startswith("Die Polizei sucht in der Innenstadt von")
    assert [source[span.start : span.end] for span in seg.inline.spans if span.protected] == expected


def test_a_link_title_over_a_line_break_stays_in_its_sentence():
    source = 'Die Polizei sucht in der [Innenstadt](https://example.com "Berlin\nMitte") nach Zeugen.\n'
    (seg,) = segment(source, "markdown").segments
    assert seg.source == "Die Polizei sucht in der Innenstadt nach Zeugen."
    assert source[seg.start : seg.end] == seg.text == source.rstrip("\n")


def test_a_table_row_of_equal_cells_maps_each_cell_by_its_column():
    source = "| Feld | Pflicht | Hinweis |\n|---|---|---|\n| Name | **erforderlich** | **erforderlich** |\n"
    segmented = segment(source, "markdown")
    assert not segmented.skipped
    cells = [seg for seg in segmented.segments if seg.line == 2]
    assert [(source[seg.start : seg.end], seg.start) for seg in cells] == [
        ("Name", source.index("Name")),
        ("**erforderlich**", source.index("**erforderlich**")),
        ("**erforderlich**", source.rindex("**erforderlich**")),
    ]
