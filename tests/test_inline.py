"""Sentences, not fragments: a sentence with inline markup goes to the model whole, and its markup comes back on the right words."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURE_MODELS, FIXTURES, record_translated
from unilingo import Normalizer, restore_inline
from unilingo._decision import FALLBACK_REASON
from unilingo._engines import EngineOptions
from unilingo._inline import place
from unilingo._sidecar import restore_sidecar
from unilingo._segment import segment
from unilingo._translate import Translation

ENGINES = {
    "transformers float32": EngineOptions("transformers"),
    "transformers int8": EngineOptions("transformers", quantize="int8"),
    "ctranslate2 int8": EngineOptions("ctranslate2"),
}
ISSUE = (
    "Klicken Sie auf **Speichern**, um die Datei zu sichern.\n\n"
    "Die [Polizei](https://example.com) sucht nach Zeugen, die den Unfall gesehen haben.\n\n"
    "Installieren Sie das Paket mit `pip install foo` und starten Sie den Server neu.\n\n"
    "Ich habe den **Bericht** gestern gelesen.\n"
)
TRANSLATED = (
    "Click **Save** to save the file.\n\n"
    "The [police](https://example.com) are looking for witnesses who saw the accident.\n\n"
    "Install the package with `pip install foo` and restart the server.\n\n"
    "I read the **report** yesterday.\n"
)


def markup_pairs() -> list[tuple[str, str]]:
    lines = (FIXTURES / "markup.de-en.tsv").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")[:2]) for line in lines if line]  # type: ignore[misc]


@pytest.fixture(scope="module", params=ENGINES.values(), ids=ENGINES.keys())
def normalizer(request) -> Normalizer:
    return Normalizer("en", FIXTURE_MODELS, engine=request.param, cache=False)


def test_each_sentence_goes_to_the_model_whole(monkeypatch):
    normalizer = Normalizer("en", FIXTURE_MODELS, cache=False)
    seen = record_translated(normalizer, monkeypatch)
    normalizer.normalize(ISSUE, "markdown")
    assert seen == [
        "Klicken Sie auf Speichern, um die Datei zu sichern.",
        "Die Polizei sucht nach Zeugen, die den Unfall gesehen haben.",
        "Installieren Sie das Paket mit X1 und starten Sie den Server neu.",
        "Ich habe den Bericht gestern gelesen.",
    ]


def test_the_markup_lands_on_the_right_words_through_every_backend(normalizer):
    doc = normalizer.normalize(ISSUE, "markdown")
    assert doc.text == TRANSLATED
    sentences = [result for result in doc.segments if result.output is not None]
    assert [result.text for result in sentences] == [line for line in ISSUE.splitlines() if line]
    for result in sentences:
        assert FALLBACK_REASON not in result.reason
        assert doc.text[result.output_start : result.output_end] == result.output
        for span in result.spans:
            if span.kind == "code":
                assert doc.text[span.output_start : span.output_end] == ISSUE[span.start : span.end]  # byte for byte
    assert [(s.kind, doc.text[s.output_start : s.output_end]) for seg in sentences for s in seg.spans] == [
        ("strong", "**Save**"),
        ("link", "[police](https://example.com)"),
        ("code", "`pip install foo`"),
        ("strong", "**report**"),
    ]
    assert restore_inline(doc.with_inline_originals()) == ISSUE
    sidecar = json.loads(json.dumps(doc.sidecar()))
    assert restore_sidecar(sidecar) == ISSUE
    assert ["spans" in row[-1] for row in sidecar["segments"]] == [True] * 4


def test_markup_that_cannot_be_placed_takes_the_old_way_and_says_why(normalizer):
    source = "Das ist *ja* gut.\n\nLesen Sie auch: https://example.com/news\n"
    doc = normalizer.normalize(source, "markdown")
    # "ja" has no English word: the runs between markup are translated one by one, as before.
    assert doc.text == "That is *yes* good.\n\nRead also: https://example.com/news\n"
    reasons = [segment.reason for segment in doc.segments]
    assert FALLBACK_REASON in reasons[0] and "no translated word aligns with the emphasis text" in reasons[0]
    assert FALLBACK_REASON in reasons[1] and "the URL did not come back from the model (placeholder X1)" in reasons[1]
    # The markup, copied as it was, is listed where it landed between the translated runs.
    assert [[span.kind for span in segment.spans] for segment in doc.segments] == [["em"], ["url"]]
    emphasis, url = (segment.spans[0] for segment in doc.segments)
    assert doc.text[emphasis.output_start : emphasis.output_end] == "*yes*"
    assert doc.text[url.output_start : url.output_end] == source[url.start : url.end] == "https://example.com/news"
    assert restore_inline(doc.with_inline_originals()) == source


def test_protected_spans_in_plain_text_come_back_byte_identical(normalizer):
    source = "Siehe https://example.com/a?b=c und info@example.com.\n"
    doc = normalizer.normalize(source, "text")
    assert doc.text == "See https://example.com/a?b=c and info@example.com.\n"
    (segment,) = doc.segments
    assert [(span.kind, doc.text[span.output_start : span.output_end]) for span in segment.spans] == [
        ("url", "https://example.com/a?b=c"),
        ("email", "info@example.com"),
    ]


def test_whole_sentence_markup_needs_no_alignment(normalizer, monkeypatch):
    def no_alignment(*args, **kwargs):
        raise AssertionError("aligned a sentence whose markup covers all of it")

    monkeypatch.setattr(normalizer.translator, "word_alignments", no_alignment)
    assert normalizer.normalize("**Speichern**\n", "markdown").text == "**Save**\n"


def test_every_markup_pair_is_translated_exactly(normalizer):
    pairs = markup_pairs()
    translations = normalizer.translator.translate("de", "en", [de for de, _ in pairs])
    assert [translation.text for translation in translations] == [en for _, en in pairs]


# --- placement, with the model's answer given --------------------------------

SENTENCE = "Die [Polizei](https://example.com) sucht `grep` nach **Zeugen**."


def placed(output: str, alignment: list[int] | None, source: str = SENTENCE):
    (seg,) = segment(source + "\n", "markdown").segments
    return place(source + "\n", "markdown", seg, output, alignment)


def test_placement_follows_the_alignment_across_reordering():
    # Die Polizei sucht X1 nach Zeugen. -> Witnesses X1 are sought by the police.
    result = placed("Witnesses X1 are sought by the police.", [5, 3, 2, 2, 4, 0, 1])
    assert result.output == "**Witnesses** `grep` are sought by the [police](https://example.com)."
    assert [span.kind for span in result.spans] == ["link", "code", "strong"]


@pytest.mark.parametrize(
    "output, alignment, reason",
    [
        ("The police are looking for witnesses.", [0, 1, 2, 2, 4, 5], "the inline code did not come back"),
        ("The police X1 X1 witnesses.", [0, 1, 3, 3, 5], "the model repeated the inline code"),
        ("The police X1 X2 witnesses.", [0, 1, 3, 3, 5], "the model made up a placeholder (X2)"),
        ("The police X1 witnesses.", [0, 2, 3, 4], "no translated word aligns with the link text"),
        ("The police look for witnesses X1.", [0, 1, 5, 4, 1, 3], "the link and the strong emphasis would cross or share"),
        ("The X1 police look for witnesses.", [0, 1, 3, 2, 2, 5], "the inline code would move into the link"),
        ("The police look X1 for witnesses.", None, "no word alignment to place the link with"),
    ],
)
def test_placement_that_fails_says_why(output, alignment, reason):
    result = placed(output, alignment)
    assert result.output is None and reason in result.reason


def test_markup_the_model_writes_lands_as_text():
    result = placed("The police *look* X1 for witnesses.", [0, 1, 2, 3, 4, 5])
    assert result.output == "The [police](https://example.com) \\*look\\* `grep` for **witnesses**."


def test_text_that_reads_as_a_placeholder_is_not_placed():
    result = placed("The police X1 look for witnesses X1.", [0, 1, 3, 2, 5, 5], "Die **Polizei** sucht `X1` nach X1.")
    assert result.output is None and "reads as a placeholder" in result.reason


def test_a_rejected_sentence_falls_back_to_its_runs(monkeypatch):
    normalizer = Normalizer("en", FIXTURE_MODELS, cache=False)

    def translate(lang, target, texts, on_translated=None, attention=frozenset()):
        # The whole sentence loops; its runs translate (the German ones to themselves).
        sentence = "Klicken Sie auf Speichern jetzt."
        return [Translation("loop loop loop loop", looped=True) if text == sentence else Translation({"Speichern": "Save"}.get(text, text))
                for text in texts]  # fmt: skip

    monkeypatch.setattr(normalizer.translator, "translate", translate)
    doc = normalizer.normalize("Klicken Sie auf **Speichern** jetzt.\n", "markdown")
    assert doc.text == "Klicken Sie auf **Save** jetzt.\n"
    assert "repeats itself" in doc.segments[0].reason and doc.segments[0].action == "translate"


# --- glossary ----------------------------------------------------------------


@pytest.mark.parametrize(
    "entries, translated",
    [("Firefox\n", "Restart Firefox.\n"), ("Firefox\tthe browser\n", "Restart the browser.\n")],
)
def test_a_glossary_term_is_kept_or_translated_its_way(normalizer, entries, translated, tmp_path):
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("# product names\n\n" + entries, encoding="utf-8")
    with_glossary = Normalizer("en", FIXTURE_MODELS, engine=normalizer.translator.engine_options, cache=False, glossary=glossary)
    doc = with_glossary.normalize("Starten Sie Firefox neu.\n", "text")
    assert doc.text == translated
    (segment,) = doc.segments
    assert [span.kind for span in segment.spans] == ["glossary"]


def test_glossary_terms_are_whole_words_and_case_sensitive():
    from unilingo._glossary import Glossary

    glossary = Glossary.of({"Go": "Go", "Go Modules": "Go modules"})
    text = "Go, Gopher, go und Go Modules."
    assert [text[start:end] for start, end, _ in glossary.matches(text, 0, len(text))] == ["Go", "Go Modules"]


def test_a_bad_glossary_line_is_named(tmp_path):
    from unilingo import ConfigError
    from unilingo._glossary import load_glossary

    glossary = tmp_path / "terms.tsv"
    glossary.write_text("Firefox\n Chrome\tChrome\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="terms.tsv:2"):
        load_glossary(glossary)


def test_glossary_from_the_command_line_and_the_configuration(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from unilingo._cli import cli

    models = ["--models", str(FIXTURE_MODELS), "--no-cache"]
    for folder, options in (("given", ["--glossary", "terms.tsv"]), ("configured", [])):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "terms.tsv").write_text("Firefox\n", encoding="utf-8")
        (tmp_path / folder / "a.txt").write_text("Starten Sie Firefox neu.\n", encoding="utf-8")
        if not options:
            (tmp_path / folder / ".unilingo.toml").write_text('glossary = "terms.tsv"\n', encoding="utf-8")
        monkeypatch.chdir(tmp_path / folder)
        result = CliRunner().invoke(cli, ["translate", "a.txt", "-o", "out/", *options, *models])
        assert result.exit_code == 0, result.output
        assert (tmp_path / folder / "out" / "a.txt").read_text(encoding="utf-8") == "Restart Firefox.\n"


def test_ctranslate2_aligns_while_decoding_and_a_remembered_translation_is_forced(tmp_path, monkeypatch):
    normalizer = Normalizer("en", FIXTURE_MODELS, engine=EngineOptions("ctranslate2"), cache=tmp_path / "memory.sqlite")
    forced: list[list[tuple[str, str]]] = []
    real = normalizer.translator.word_alignments

    def counting(lang, target, pairs):
        forced.append(list(pairs))
        return real(lang, target, pairs)

    monkeypatch.setattr(normalizer.translator, "word_alignments", counting)
    assert normalizer.normalize(ISSUE, "markdown").text == TRANSLATED
    assert forced == []  # the alignment head came with the beam search's best hypothesis
    assert normalizer.normalize(ISSUE, "markdown").text == TRANSLATED
    assert [source for source, _ in forced[0]] == [
        "Klicken Sie auf Speichern, um die Datei zu sichern.",
        "Die Polizei sucht nach Zeugen, die den Unfall gesehen haben.",
        "Ich habe den Bericht gestern gelesen.",
    ]


def test_the_translate_report_lists_each_sentences_inline_spans(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from unilingo._cli import cli

    (tmp_path / "a.md").write_text(ISSUE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["translate", "a.md", "-o", "out/", "--report", "report.json",
                                      "--models", str(FIXTURE_MODELS), "--no-cache"])  # fmt: skip
    assert result.exit_code == 0, result.output
    (record,) = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    output = (tmp_path / "out" / "a.md").read_text(encoding="utf-8")
    landed = [(span["kind"], ISSUE[span["start"] : span["end"]], output[span["output_start"] : span["output_end"]])
              for segment in record["segments"] for span in segment.get("spans", [])]  # fmt: skip
    assert landed == [
        ("strong", "**Speichern**", "**Save**"),
        ("link", "[Polizei](https://example.com)", "[police](https://example.com)"),
        ("code", "`pip install foo`", "`pip install foo`"),
        ("strong", "**Bericht**", "**report**"),
    ]


def test_a_protected_span_moved_to_the_start_of_a_line_may_not_open_a_block():
    # "<?php" at the start of a line opens an HTML block; mid-line it is inline HTML.
    result = placed("X1 then", None, "Dann <?php echo 1; ?>")
    assert result.output is None and "would start another kind of block" in result.reason
    assert placed("then X1", None, "Dann <?php echo 1; ?>").output == "then <?php echo 1; ?>"


def test_an_image_alone_on_its_line_has_its_alt_text_translated(normalizer):
    source = "![Die Polizei sucht nach Zeugen.](polizei.png \"Foto\")\n"
    doc = normalizer.normalize(source, "markdown")
    assert doc.text == "![The police are looking for witnesses.](polizei.png \"Foto\")\n"
    assert restore_inline(doc.with_inline_originals()) == source


@pytest.mark.parametrize("format", ["text", "markdown"])
def test_a_sentence_wrapped_over_lines_is_translated_whole(normalizer, format):
    source = "Intro line that is English and stays.\n\nDie Feuerwehr war mit vierzig\nEinsatzkräften vor Ort.\n"
    doc = normalizer.normalize(source, format)
    assert doc.text == "Intro line that is English and stays.\n\nThe fire brigade was on the scene with forty emergency workers.\n"
    assert restore_sidecar(json.loads(json.dumps(doc.sidecar()))) == source


@pytest.mark.parametrize("prefix, continued", [("> ", "> "), ("- ", "  "), ("", "")])
def test_a_code_span_over_a_line_break_is_carried_whole(normalizer, prefix, continued):
    source = (f"Intro line that is English and stays.\n\n{prefix}Installieren Sie das Paket mit `pip\n"
              f"{continued}install foo` und starten Sie den Server neu.\n")  # fmt: skip
    doc = normalizer.normalize(source, "markdown")
    assert doc.text == (f"Intro line that is English and stays.\n\n{prefix}Install the package with `pip\n"
                        f"{continued}install foo` and restart the server.\n")  # fmt: skip
    assert restore_sidecar(json.loads(json.dumps(doc.sidecar()))) == source
    assert restore_inline(doc.with_inline_originals()) == source


# An image inside a translated sentence: the sentence carries the image
# where the model put it, and the image's alt text is translated inside it.
@pytest.mark.parametrize(
    "format, source, expected",
    [
        ("markdown", "Installieren Sie das Paket mit ![Die Polizei sucht nach Zeugen.](p.png \"Titel\") und starten Sie den Server neu.\n",
         "Install the package with ![The police are looking for witnesses.](p.png \"Titel\") and restart the server.\n"),
        ("html", '<p>Installieren Sie das Paket mit <img src=p.png alt="Die Polizei sucht nach Zeugen."> und starten Sie den Server neu.</p>\n',
         '<p>Install the package with <img src=p.png alt="The police are looking for witnesses."> and restart the server.</p>\n'),
    ],
)  # fmt: skip
def test_the_alt_text_of_an_image_inside_a_sentence_is_translated(normalizer, format, source, expected):
    doc = normalizer.normalize(source, format)
    assert doc.text == expected
    assert [(s.attribute, s.action) for s in doc.segments] == [(None, "translate"), ("alt", "translate")]
    assert restore_sidecar(json.loads(json.dumps(doc.sidecar()))) == source
    if format == "markdown":
        with_originals = doc.with_inline_originals()
        assert restore_inline(with_originals) == source
        assert normalizer.normalize(with_originals, format).text == with_originals


def test_the_alt_text_of_an_image_inside_an_english_sentence_is_translated_alone(normalizer):
    source = "Intro line that is English and stays.\n\nThe dog in ![Die Polizei sucht nach Zeugen.](p.png) plays every day in the park.\n"
    doc = normalizer.normalize(source, "markdown")
    assert doc.text == ("Intro line that is English and stays.\n\n"
                        "The dog in ![The police are looking for witnesses.](p.png) plays every day in the park.\n")  # fmt: skip
    assert restore_inline(doc.with_inline_originals()) == source


# Over the fixture's input limit (95 tokens against 40) with a link: aligned piece by piece, as it is translated.
LONG_WITH_LINK = (
    "Die [Polizei](/x) sucht nach Zeugen, die Stadt plant einen neuen Radweg entlang des Flusses, viele Schulen "
    "bleiben wegen des Sturms geschlossen, die Ausstellung ist bis Ende März geöffnet und der Eintritt ist frei.\n"
)


@pytest.mark.parametrize("backend", ["ctranslate2", "transformers"])
def test_a_sentence_with_markup_over_the_models_limit_is_aligned_in_pieces(backend):
    normalizer = Normalizer("en", FIXTURE_MODELS, engine=EngineOptions(backend), cache=False)
    translator = normalizer.translator
    source = " ".join(LONG_WITH_LINK.replace("[Polizei](/x)", "Polizei").split())
    translation = translator.translate("de", "en", [source])[0].text
    assert translator.load("de", "en").token_counts([source])[0] > translator.load("de", "en").max_input_tokens
    (alignment,) = translator.word_alignments("de", "en", [(source, translation)])
    assert alignment is not None and len(alignment) == len(translation.split())
    assert all(0 <= word < len(source.split()) for word in alignment)
    doc = normalizer.normalize(LONG_WITH_LINK, "markdown")
    assert doc.text.count("](/x)") == 1
    assert restore_inline(doc.with_inline_originals()) == LONG_WITH_LINK


def test_a_pair_the_backend_refuses_costs_that_sentence_its_alignment_only(monkeypatch):
    normalizer = Normalizer("en", FIXTURE_MODELS, engine=EngineOptions("transformers"), cache=False)
    engine = normalizer.translator.load("de", "en")
    real = engine.attention

    def refusing(sources, targets):
        if any("Zeugen" in source for source in sources):
            raise IndexError("index out of range in self")
        return real(sources, targets)

    monkeypatch.setattr(engine, "attention", refusing)
    pairs = [("Die Polizei sucht nach Zeugen.", "The police are looking for witnesses."), ("Ich habe den Bericht gestern gelesen.", "I read the report yesterday.")]
    refused, aligned = normalizer.translator.word_alignments("de", "en", pairs)
    assert refused is None and aligned is not None and len(aligned) == 5


def test_a_folder_with_an_over_long_sentence_with_markup_is_translated_whole(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from unilingo._cli import cli

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "long.md").write_text(LONG_WITH_LINK, encoding="utf-8")
    (tmp_path / "in" / "short.md").write_text(ISSUE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for backend in ("ctranslate2", "transformers"):
        result = CliRunner().invoke(cli, ["translate", "in", "-o", f"{backend}/", "--backend", backend,
                                          "--models", str(FIXTURE_MODELS), "--no-cache"])  # fmt: skip
        assert result.exit_code == 0, result.output
        assert (tmp_path / backend / "short.md").read_text(encoding="utf-8") == TRANSLATED
        assert (tmp_path / backend / "long.md").read_text(encoding="utf-8").count("](/x)") == 1


def looping_sentence_translator(sentence: str, runs: dict[str, str]):
    """A stand-in: ``sentence`` loops, so its runs between markup are translated; a run it does not know stays as it is."""

    def translate(lang, target, texts, on_translated=None, attention=frozenset()):
        return [Translation("loop loop loop loop", looped=True) if text == sentence else Translation(runs.get(text, text)) for text in texts]

    return translate


def test_a_character_reference_is_part_of_its_word_in_the_runs_between_markup(monkeypatch):
    normalizer = Normalizer("en", FIXTURE_MODELS, cache=False)
    runs = {"Die": "The", "Ausstellung": "exhibition", "ist bis Ende März geöffnet.": "is open until the end of March."}
    monkeypatch.setattr(normalizer.translator, "translate", looping_sentence_translator("Die Ausstellung ist bis Ende März geöffnet.", runs))
    source = "<p>Die <b>Ausstellung</b> ist bis Ende M&auml;rz ge&ouml;ffnet.</p>\n"
    (seg,) = segment(source, "html").segments
    assert seg.inline.piece_sources == ("Die", "Ausstellung", "ist bis Ende März geöffnet.")
    doc = normalizer.normalize(source, "html")
    assert doc.text == "<p>The <b>exhibition</b> is open until the end of March.</p>\n"
    assert restore_inline(doc.with_inline_originals(), format="html") == source


def test_runs_between_markup_that_would_change_the_markup_keep_the_original_and_say_why(monkeypatch):
    normalizer = Normalizer("en", FIXTURE_MODELS, cache=False)
    # "Note." before a letter: the closing ** would follow punctuation and precede a letter, a literal "**".
    runs = {"Lesen Sie den": "Read the", "Hinweis": "Note.", "text jetzt.": "text now."}
    monkeypatch.setattr(normalizer.translator, "translate", looping_sentence_translator("Lesen Sie den Hinweistext jetzt.", runs))
    source = "Lesen Sie den **Hinweis**text jetzt.\n"
    doc = normalizer.normalize(source, "markdown")
    assert doc.text == source
    (seg,) = doc.segments
    assert seg.action == "keep" and "would parse into other inline markup; original kept" in seg.reason
