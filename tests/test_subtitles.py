"""Subtitles (.srt, .vtt): cues read with exact offsets, sentences across cues as one segment, translations wrapped."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import FIXTURE_MODELS, record_translated
from unilingo import Normalizer, formats, restore_sidecar
from unilingo._cli import cli
from unilingo._errors import InputError
from unilingo._inline import in_pieces, place
from unilingo.formats.subtitles import SRT as SRT_FORMAT
from unilingo.formats.subtitles._cues import parse
from unilingo.formats.subtitles._segments import segments
from unilingo.formats.subtitles._wrap import LINE_WIDTH, escape, fragment, markup_changed, same_cues, wrapped

FIXTURES = Path(__file__).parent / "fixtures" / "subtitles"

SRT = """1
00:00:01,000 --> 00:00:03,000
Die Polizei sucht nach Zeugen,

2
00:00:03,200 --> 00:00:05,000
die den Unfall gesehen haben.

3
00:00:06,000 --> 00:00:08,000
- Wie geht es dir?
- Gut, danke.

4
00:00:09,000 --> 00:00:10,000
{\\an8}<i>Das ist ja gut.</i>
"""

VTT = """WEBVTT - Kapitel 1

NOTE Ein Kommentar, der bleibt.

STYLE
::cue(.laut) { color: red }

einleitung
00:00:01.000 --> 00:00:03.000 align:start line:0
<v Anna>Der Zug nach M&uuml;nchen
hat zwanzig Minuten Versp&auml;tung.

00:00:04.000 --> 00:00:05.000
<c.laut>Alle</c> &amp; <00:00:04.500>jeder.
"""


def _segmented(text: str, vtt: bool):
    blocks, found, skipped = segments(text, parse(text, vtt), None)
    return found, skipped


def test_srt_cues_have_exact_offsets_and_timings() -> None:
    parsed = parse(SRT, vtt=False)
    cues = parsed.cues
    assert [SRT[cue.timing.start : cue.timing.end] for cue in cues][:2] == [
        "00:00:01,000 --> 00:00:03,000", "00:00:03,200 --> 00:00:05,000"]  # fmt: skip
    assert [(cue.begins, cue.ends) for cue in cues] == [(1000, 3000), (3200, 5000), (6000, 8000), (9000, 10000)]
    assert [SRT[line.start : line.end] for line in cues[2].text] == ["- Wie geht es dir?", "- Gut, danke."]


def test_a_sentence_across_two_cues_is_one_segment_split_by_the_exact_separator() -> None:
    found, _ = _segmented(SRT, vtt=False)
    first = found[0]
    assert first.text == "Die Polizei sucht nach Zeugen,\n\n2\n00:00:03,200 --> 00:00:05,000\ndie den Unfall gesehen haben."
    assert first.source == "Die Polizei sucht nach Zeugen, die den Unfall gesehen haben."
    (cue,) = first.inline.spans
    assert (cue.kind, SRT[cue.start : cue.inner_start]) == ("cue", "\n\n2\n00:00:03,200 --> 00:00:05,000\n")
    assert first.source[cue.source_start : cue.source_end] == "die den Unfall gesehen haben."
    # Without alignment, each cue is translated alone.
    assert first.inline.piece_sources == ("Die Polizei sucht nach Zeugen,", "die den Unfall gesehen haben.")


def test_dialogue_lines_are_segments_of_their_own_without_their_dashes() -> None:
    found, _ = _segmented(SRT, vtt=False)
    assert [segment.text for segment in found[1:3]] == ["Wie geht es dir?", "Gut, danke."]


def test_styling_tags_are_formatting_and_override_codes_stay_outside() -> None:
    found, _ = _segmented(SRT, vtt=False)
    last = found[3]
    assert last.text == "<i>Das ist ja gut.</i>"
    assert last.source == "Das ist ja gut."
    assert [span.kind for span in last.inline.spans] == ["i"]


def test_vtt_header_note_style_identifier_and_settings_are_never_segments() -> None:
    found, skipped = _segmented(VTT, vtt=True)
    assert skipped == ()
    assert [segment.text for segment in found] == [
        "Der Zug nach M&uuml;nchen\nhat zwanzig Minuten Versp&auml;tung.",
        "<c.laut>Alle</c> &amp; <00:00:04.500>jeder.",
    ]
    # Character references read as the characters they are; a line break as a space.
    assert found[0].source == "Der Zug nach München hat zwanzig Minuten Verspätung."
    assert found[1].source == "Alle & X1jeder."
    assert [span.kind for span in found[1].inline.spans] == ["c", "html"]


def test_crlf_and_a_byte_order_mark_stay_outside_every_segment() -> None:
    text = "\ufeff" + SRT.replace("\n", "\r\n")
    parsed = parse(text, vtt=False)
    found, _ = _segmented(text, vtt=False)
    assert [text[cue.timing.end : cue.timing.next] for cue in parsed.cues] == ["\r\n"] * 4
    assert found[0].text.startswith("Die Polizei") and found[0].text.endswith("haben.")
    assert all("\ufeff" not in segment.text for segment in found)


@pytest.mark.parametrize(("text", "vtt", "says"), [
    ("Das ist ein Brief.\n\nMit zwei Absätzen.\n", False, "not a SubRip file: line 1"),
    ("1\n00:00:01 --> 00:00:02\nText\n", False, "not a SubRip file"),
    ("1\n00:00:01.000 --> 00:00:02.000\nText\n", True, "not a WebVTT file"),
    ("WEBVTTX\n\n00:00:01.000 --> 00:00:02.000\nText\n", True, "not a WebVTT file"),
])  # fmt: skip
def test_a_file_that_is_no_subtitle_file_is_one_clear_input_error(text: str, vtt: bool, says: str) -> None:
    with pytest.raises(InputError, match=says) as raised:
        parse(text, vtt)
    assert "\n" not in str(raised.value) and "--format" in str(raised.value)


def test_a_block_without_timings_after_the_first_cue_is_left_as_it_is_and_reported() -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nErster Satz.\n\nverirrter Text ohne Zeit\n"
    found, skipped = _segmented(text, vtt=False)
    assert [segment.text for segment in found] == ["Erster Satz."]
    assert [text[skip.start : skip.end] for skip in skipped] == ["verirrter Text ohne Zeit"]


def test_cues_far_apart_or_ending_a_sentence_are_not_joined() -> None:
    text = ("1\n00:00:01,000 --> 00:00:02,000\nIch komme gleich,\n\n"
            "2\n00:00:09,000 --> 00:00:10,000\naber erst morgen\n\n"
            "3\n00:00:10,100 --> 00:00:11,000\nzurück.\n")  # fmt: skip
    found, _ = _segmented(text, vtt=False)
    assert [segment.source for segment in found] == ["Ich komme gleich,", "aber erst morgen zurück."]


def test_real_files_parse_and_leave_everything_but_cue_text_outside_segments() -> None:
    for path in sorted(FIXTURES.glob("*.*t")):
        text = path.read_text(encoding="utf-8")
        parsed = parse(text, vtt=path.suffix == ".vtt")
        found, _ = _segmented(text, vtt=path.suffix == ".vtt")
        timing_lines = [text[cue.timing.start : cue.timing.end] for cue in parsed.cues]
        assert parsed.cues, path.name
        for segment in found:
            # A segment's own text never holds a timing line: only its cue separators do.
            separators = "".join(text[span.start : span.inner_start] for span in (segment.inline.spans if segment.inline else ()) if span.kind == "cue")
            assert segment.text.count("-->") == separators.count("-->"), path.name
        assert all(line.count("-->") == 1 for line in timing_lines)


def test_a_translation_is_wrapped_into_short_balanced_lines() -> None:
    sentence = "The police are looking for witnesses who saw the accident on Monday."
    lines = wrapped(escape(sentence, vtt=False), "\n").split("\n")
    assert len(lines) == 2 and all(len(line) <= LINE_WIDTH for line in lines)
    assert " ".join(lines) == sentence
    assert abs(len(lines[0]) - len(lines[1])) < 12


def test_a_long_translation_takes_as_many_lines_as_it_needs_each_within_the_limit() -> None:
    sentence = " ".join(["Zeugen"] * 40)
    lines = wrapped(escape(sentence, vtt=True), "\r\n").split("\r\n")
    assert len(lines) > 2 and all(len(line) <= LINE_WIDTH for line in lines)


def test_no_wrapped_line_is_a_number_or_starts_with_a_dash() -> None:
    sentence = "x" * 38 + " 2019 " + "y" * 38 + " - und so weiter"
    for line in wrapped(escape(sentence, vtt=False), "\n").split("\n"):
        assert not line.isdigit() and not line.startswith("-")


def test_model_output_cannot_end_a_cue_form_a_timing_line_or_a_tag() -> None:
    output = "Ein Pfeil -->, ein langer ---> und ein längerer ---->\n\n2\n00:00:01,000 --> 00:00:02,000\n<b>fett</b> & so"
    srt, vtt = escape(output, vtt=False), escape(output, vtt=True)
    assert "\n" not in srt and "-->" not in srt and "\n" not in vtt and "-->" not in vtt
    assert "<" not in vtt and "&lt;b&gt;fett&lt;/b&gt; &amp; so" in vtt


@pytest.mark.parametrize("answer", ["<i>Achtung</i> frei", "{\\an8}frei", "<font color=red>frei</font>",
                                    "<img src=x onerror=alert(1)> frei", "<script>alert(1)</script> frei"])  # fmt: skip
def test_model_output_with_a_tag_is_not_written_into_subrip_even_in_a_cue_without_tags(answer, monkeypatch) -> None:
    # SubRip has no escapes, and players and web pages read HTML in it: a tag the cue did not have is kept out.
    from test_html_hostile import HostileTranslator

    normalizer = Normalizer("en", FIXTURE_MODELS, cache=False)
    monkeypatch.setattr(normalizer, "translator", HostileTranslator(answer))
    original = "1\n00:00:01,000 --> 00:00:02,000\nDie Polizei sucht nach Zeugen.\n"
    doc = normalizer.normalize(original, "srt")
    assert doc.text == original and doc.translated == 0
    assert doc.segments[0].reason == "translation not written: the translation would hold other subtitle tags; original kept"
    vtt = normalizer.normalize("WEBVTT\n\n" + original.replace(",", ".").removeprefix("1\n"), "vtt")
    assert vtt.translated == 1 and "<" not in vtt.text.split("\n", 3)[3]  # WebVTT escapes it


def test_a_fragment_keeps_one_space_at_its_edges_but_at_the_start_or_end_of_a_line() -> None:
    assert fragment(" the  accident ", 10, False, False, "\n") == " the accident "
    assert fragment(" the accident ", 0, True, False, "\n") == "the accident"


def test_markup_changed_refuses_cues_out_of_order_or_emptied_and_other_tags() -> None:
    found, _ = _segmented(SRT, vtt=False)
    first = found[0]
    separator = "\n\n2\n00:00:03,200 --> 00:00:05,000\n"
    assert markup_changed(SRT, first, f"The police are looking for witnesses{separator}who saw the accident.", False) is None
    assert "order" in markup_changed(SRT, first, "The police are looking for witnesses who saw the accident.", False)
    assert "without words" in markup_changed(SRT, first, f"{separator}The police are looking for witnesses.", False)
    assert "tags" in markup_changed(SRT, first, f"The <i>police</i>{separator}saw it.", False)


def test_same_cues_sees_a_changed_timing_number_setting_or_block() -> None:
    translated = SRT.replace("Die Polizei sucht nach Zeugen,", "The police are looking for witnesses")
    assert same_cues(SRT, translated, vtt=False)
    assert not same_cues(SRT, SRT.replace("00:00:03,200", "00:00:03,300"), vtt=False)
    assert not same_cues(SRT, SRT.replace("\n2\n", "\n7\n"), vtt=False)
    assert not same_cues(SRT, SRT.replace("dir?\n", "dir?\n\n"), vtt=False)
    assert same_cues(VTT, VTT.replace("Alle", "All"), vtt=True)
    assert not same_cues(VTT, VTT.replace("line:0", "line:1"), vtt=True)
    assert not same_cues(VTT, VTT.replace("bleibt", "stays"), vtt=True)
    assert not same_cues(VTT, "Kein WebVTT mehr", vtt=True)


def test_unpaired_and_unknown_tags_are_protected_and_ruby_text_is_kept_whole() -> None:
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<b>Das ist</i> <ruby>Kanji<rt>kan ji</rt></ruby> <x>gut.</x>\n"
    (segment,) = _segmented(text, vtt=True)[0]
    kinds = {text[span.start : span.end]: span.kind for span in segment.inline.spans}
    assert kinds == {"</i>": "html", "<ruby>Kanji<rt>kan ji</rt></ruby>": "ruby", "<rt>kan ji</rt>": "html", "<x>": "html"}
    # Markup at the edges of a cue's text (the unpaired <b>, </x>) stays outside the segment.
    assert segment.text == "Das ist</i> <ruby>Kanji<rt>kan ji</rt></ruby> <x>gut."
    assert segment.source == "Das istX1 KanjiX2 X3gut."


# --- end to end, with the tiny real model --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer("en", FIXTURE_MODELS, cache=False)


ACROSS = """1
00:00:01,000 --> 00:00:03,000
Die Polizei sucht nach Zeugen,

2
00:00:03,200 --> 00:00:05,000
die den Unfall gesehen haben.

3
00:00:06,000 --> 00:00:08,000
{\\an8}<i>Das ist ja gut.</i>
"""


def _cue_outline(text: str, vtt: bool) -> list[str]:
    """Each cue up to its text (number, timings) and the tags in its text: what a translation must keep byte for byte."""
    parsed = parse(text, vtt)
    return [text[block.start : block.cue.text[0].start] if block.cue and block.cue.text else text[block.start : block.end]
            for block in parsed.blocks]  # fmt: skip


def test_a_sentence_across_two_cues_is_translated_whole_and_split_back_over_both(normalizer, monkeypatch) -> None:
    seen = record_translated(normalizer, monkeypatch)
    doc = normalizer.normalize(ACROSS, "srt")
    assert seen[0] == "Die Polizei sucht nach Zeugen, die den Unfall gesehen haben."
    assert doc.text.startswith(
        "1\n00:00:01,000 --> 00:00:03,000\nThe police are looking for witnesses\n\n"
        "2\n00:00:03,200 --> 00:00:05,000\nwho saw the accident.\n\n"
    )
    assert doc.text.endswith("3\n00:00:06,000 --> 00:00:08,000\n{\\an8}<i>That is good.</i>\n")
    assert _cue_outline(doc.text, False) == _cue_outline(ACROSS, False)


def test_cue_numbers_timings_settings_and_tags_stay_byte_identical_and_lines_short(normalizer) -> None:
    text = (VTT.replace("Der Zug nach M&uuml;nchen\nhat zwanzig Minuten Versp&auml;tung.",
                        "Die Regierung hat am Montag neue Regeln f&uuml;r den Klimaschutz beschlossen.")
            .replace("<c.laut>Alle</c> &amp; <00:00:04.500>jeder.", "<c.laut>Alle akzeptieren</c>"))  # fmt: skip
    doc = normalizer.normalize(text, "vtt")
    assert doc.translated == 2
    assert _cue_outline(doc.text, True) == _cue_outline(text, True)
    # The unpaired voice tag stays where it was, the class span around its words; two balanced lines.
    assert "align:start line:0\n<v Anna>On Monday the government adopted\nnew rules for climate protection.\n" in doc.text
    assert doc.text.endswith("00:00:04.000 --> 00:00:05.000\n<c.laut>Accept all</c>\n")
    cue_lines = [line for cue in parse(doc.text, True).cues for line in doc.text[cue.text[0].start : cue.text[-1].end].splitlines()]
    assert max(len(line) for line in cue_lines) <= LINE_WIDTH


def test_restore_is_byte_exact_and_a_rerun_translates_nothing(normalizer) -> None:
    text = "\ufeff" + ACROSS.replace("\n", "\r\n")
    doc = normalizer.normalize(text, "srt")
    assert doc.translated and "\r\nwho saw the accident.\r\n" in doc.text
    assert "\n" not in doc.text.replace("\r\n", "")
    assert restore_sidecar(doc.sidecar()) == text
    again = normalizer.normalize(doc.text, "srt")
    assert again.translated == 0 and again.text == doc.text


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.*t")), ids=lambda path: path.name)
def test_real_files_round_trip(normalizer, path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    doc = normalizer.normalize(text, path.suffix[1:])
    assert _cue_outline(doc.text, path.suffix == ".vtt") == _cue_outline(text, path.suffix == ".vtt")
    assert restore_sidecar(doc.sidecar()) == text


def test_a_cue_with_tags_is_wrapped_with_the_files_own_line_endings(normalizer) -> None:
    text = ("1\r\n00:00:01,000 --> 00:00:03,000\r\nDie Regierung hat am <i>Montag</i> neue Regeln\r\n"
            "für den Klimaschutz beschlossen.\r\n\r\n2\r\n00:00:04,000 --> 00:00:05,000\r\n"
            "Die Polizei sucht nach <b>Zeugen</b>,\r\n\r\n3\r\n00:00:05,100 --> 00:00:06,000\r\n"
            "die den Unfall gesehen haben.\r\n")  # fmt: skip
    doc = normalizer.normalize(text, "srt")
    assert doc.translated == 2
    assert "\n" not in doc.text.replace("\r\n", "") and "\r" not in doc.text.replace("\r\n", "")
    assert _cue_outline(doc.text, False) == _cue_outline(text, False)
    # Each cue keeps its tag, and the sentence across cues 2 and 3 is split at the alignment.
    assert "\r\nThe police are looking for <b>witnesses</b>\r\n\r\n3\r\n00:00:05,100 --> 00:00:06,000\r\nwho saw the accident.\r\n" in doc.text
    first = parse(doc.text, False).cues[0]
    lines = doc.text[first.text[0].start : first.text[-1].end].split("\r\n")
    assert doc.text.count("<i>") == doc.text.count("</i>") == 1
    assert len(lines) == 2 and all(len(line.replace("<i>", "").replace("</i>", "")) <= LINE_WIDTH for line in lines)


# --- the command line and the hooks -------------------------------------------------------------------------------


def _run(*args):
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def test_translate_check_fix_detect_and_restore_from_the_command_line(tmp_path: Path) -> None:
    models = ["--models", FIXTURE_MODELS]
    german, english = tmp_path / "film.srt", tmp_path / "film.vtt"
    german.write_bytes(ACROSS.encode())
    english.write_bytes((FIXTURES / "vtt_example.vtt").read_bytes())
    checked = _run("check", german, english, *models)
    assert checked.exit_code == 1 and checked.stdout.startswith(f'{german}:3:1: de (1.00) "Die Polizei sucht nach Zeugen,')
    assert _run("detect", german).exit_code == 0
    translated = _run("translate", german, "-o", tmp_path / "out", *models)
    assert translated.exit_code == 0, translated.output
    output = (tmp_path / "out" / "film.srt").read_text(encoding="utf-8")
    assert "The police are looking for witnesses\n\n2\n00:00:03,200 --> 00:00:05,000\nwho saw the accident." in output
    assert (tmp_path / "out" / "film.srt.unilingo.json").exists()
    fixed = _run("fix", german, english, *models)
    assert fixed.exit_code == 1 and german.read_text(encoding="utf-8") == output
    assert english.read_bytes() == (FIXTURES / "vtt_example.vtt").read_bytes()
    assert _run("fix", german, english, *models).exit_code == 0
    assert _run("check", german, english, *models).exit_code == 0
    assert _run("restore", german).exit_code == 0 and german.read_bytes() == ACROSS.encode()


def test_a_file_that_is_no_subtitle_file_is_refused_in_one_line_with_exit_3(tmp_path: Path) -> None:
    path = tmp_path / "notes.vtt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nHallo\n", encoding="utf-8")
    result = _run("translate", path, "-o", tmp_path / "out", "--models", FIXTURE_MODELS)
    assert result.exit_code == 3
    assert result.stderr.strip().splitlines()[-1] == (
        f"unilingo: error: {path}: not a WebVTT file: it must start with a 'WEBVTT' line, not '1'; add that line or give the right --format"
    )
    assert "Traceback" not in result.output


def test_both_hooks_take_subtitle_files() -> None:
    hooks = yaml.safe_load((Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for hook in hooks:
        assert re.search(hook["files"], "film.srt") and re.search(hook["files"], "subs/film.vtt"), hook["id"]


def test_without_alignment_each_cue_is_translated_alone_and_wrapped() -> None:
    segmented = SRT_FORMAT.segment(ACROSS, None, ())
    segment = segmented.segments[0]
    assert place(ACROSS, "srt", segment, "The police are looking for witnesses who saw the accident.", None).output is None
    first, second = segment.inline.pieces
    translations = {first: "The police are looking for witnesses of the accident on the motorway,",
                    second: "who saw the accident."}  # fmt: skip
    output, _ = in_pieces(ACROSS, "srt", segment, translations)
    assert output == ("The police are looking for witnesses\nof the accident on the motorway,\n\n"
                      "2\n00:00:03,200 --> 00:00:05,000\nwho saw the accident.")  # fmt: skip
    assert SRT_FORMAT.markup_changed(ACROSS, segment, output) is None


# Each builds a hostile file from a size; four times the size must cost about four times the time, not sixteen.
HOSTILE = {
    "tags in one cue": lambda n: ("vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nDie Polizei " + "<i>sucht</i> &amp; <b> " * n + "nach Zeugen.\n"),
    "one long cue line": lambda n: ("srt", "1\n00:00:01,000 --> 00:00:02,000\n" + "Die Polizei sucht nach Zeugen, " * n + "\n"),
    "cues that run on": lambda n: ("srt", "".join(f"{i}\n00:00:01,000 --> 00:00:01,500\nDie Polizei sucht,\n\n" for i in range(1, n))),
}


def _segment_place_and_write(name: str, size: int) -> float:
    """Seconds to segment the file, carry each sentence's markup onto an identical translation and wrap it (best of three)."""
    format, text = HOSTILE[name](size)
    written_as = formats.get(format)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        segmented = written_as.segment(text, None, ())
        for index, segment in enumerate(segmented.segments):
            source = segment.source
            if segment.inline is not None and segment.inline.spans:
                placed = place(text, format, segment, source, list(range(len(source.split()))))
                assert placed.output is not None, placed.reason
            else:
                written_as.escape_output(source, segmented, index)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("name", HOSTILE)
def test_time_grows_linearly_with_the_file(name: str) -> None:
    small, large = _segment_place_and_write(name, 500), _segment_place_and_write(name, 2000)
    # Linear: about 4 times; quadratic: 16. The allowances absorb a machine busy with other work.
    assert large < 8 * small + 2.0, f"{small:.2f} s, then {large:.2f} s for four times the input"
