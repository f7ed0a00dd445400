"""Hostile nesting and long runs of markup: segmenting a document and carrying its markup stay near-linear."""

from __future__ import annotations

import gc
import time
from types import SimpleNamespace

import pytest

from unilingo._inline import place
from unilingo._segment import segment

# Each builds a document from a size; four times the size must cost about four times the time, not sixteen.
DOCUMENTS = {
    "nested HTML elements": lambda n: ("html", "<p>" + "<b>" * n + "Die Polizei sucht nach Zeugen." + "</b>" * n + "</p>"),
    "HTML elements in a row": lambda n: ("html", "<p>Die Polizei " + "<b>sucht</b> " * n + "nach Zeugen.</p>"),
    "nested Markdown emphasis": lambda n: ("markdown", "*" * n + "Die Polizei sucht nach Zeugen." + "*" * n + "\n"),
    "Markdown emphasis in a row": lambda n: ("markdown", "Die Polizei " + "*sucht* `x` " * n + "nach Zeugen.\n"),
    "sentences with markup on one line": lambda n: ("markdown", "Der Satz *hier* ist `gut`. " * n + "\n"),
    "sentences with HTML markup on one line": lambda n: ("html", "<p>" + "Der Satz <b>hier</b> ist <code>gut</code>. " * n + "</p>"),
}


def _segment_and_place(format: str, text: str) -> int:
    """Segments the document and carries each sentence's markup onto an identical "translation", word for word."""
    placed = 0
    for seg in segment(text, format, None, ()).segments:
        if seg.inline is not None and seg.inline.spans:
            words = seg.inline.source.split()
            placement = place(text, format, seg, seg.inline.source, list(range(len(words))))
            assert placement.output is not None, placement.reason
            placed += 1
    return placed


def _seconds(format: str, text: str) -> float:
    best = float("inf")
    for _ in range(3):
        gc.collect()
        started = time.perf_counter()
        assert _segment_and_place(format, text) > 0
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("name", DOCUMENTS)
def test_time_grows_linearly_with_markup(name):
    small, large = DOCUMENTS[name](1000), DOCUMENTS[name](4000)
    small_seconds, large_seconds = _seconds(*small), _seconds(*large)
    # Linear: about 4 times; quadratic: 16. The allowances absorb a machine busy with other work.
    assert large_seconds < 8 * small_seconds + 2.0, f"{small_seconds:.2f} s, then {large_seconds:.2f} s for four times the input"


def _best_of_three(run) -> float:
    best = float("inf")
    for _ in range(3):
        gc.collect()
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def _assert_linear(build) -> None:
    small_seconds, large_seconds = _best_of_three(build(1)), _best_of_three(build(4))
    assert large_seconds < 8 * small_seconds + 0.5, f"{small_seconds:.3f} s, then {large_seconds:.3f} s for four times the input"


def _one_line(times: int) -> tuple[str, list[int]]:
    """A Markdown document of one line: sentences with a link, and where each sentence starts."""
    sentence = "Die Polizei sucht [nach](https://example.org) Zeugen. "
    return "- " + sentence * times + "\n", [2 + len(sentence) * number for number in range(times)]


@pytest.mark.parametrize("where", ["escape_markdown", "starts_line", "report column"])
def test_a_line_of_a_megabyte_is_searched_back_once_not_per_sentence(where):
    # Each looked back from every sentence to the start of the line: a minified page took minutes.
    from unilingo._console import position
    from unilingo.formats.markdown.escape import escape_markdown, starts_line

    calls = {
        "escape_markdown": lambda text, start: escape_markdown("Die *Polizei*", text, start, start + 10),
        "starts_line": starts_line,
        "report column": lambda text, start: position("doc.md", text, SimpleNamespace(start=start, line=0)),
    }

    def build(scale: int):
        text, starts = _one_line(3000 * scale)
        return lambda: [calls[where](text, start) for start in starts]

    _assert_linear(build)


def test_lines_ended_by_a_lone_carriage_return_are_each_read_back_to_their_own_start():
    from unilingo._document import Element
    from unilingo._sentences import continues

    line = "Die Polizei sucht nach Zeugen, die den Unfall gesehen haben,\r"

    def build(scale: int):
        text = line * (3000 * scale)
        ends = range(len(line) - 1, len(text) - len(line), len(line))
        return lambda: [continues(Element("text", end - 6, end, "haben,"), text, end, end + 1) for end in ends]

    _assert_linear(build)


def test_the_line_before_a_sentence_reads_as_the_whole_line():
    from unilingo._console import position
    from unilingo._lines import line_before, line_start
    from unilingo.formats.markdown.escape import escape_fragment

    text = "x\r\n> 1. **Die** <b x=1> Polizei >\r- sucht\rnach <i Zeugen\n## Der Satz ist gut. " + "a" * 5000 + " <b>Ende"
    for offset in range(len(text) + 1):
        start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
        assert line_start(text, offset) == start
        assert position("f", text, SimpleNamespace(start=offset, line=0)) == f"f:1:{offset - text.rfind(chr(10), 0, offset)}"
        for fragment in ("1. *x* <a", "> # y", "~z_"):
            assert escape_fragment(fragment, line_before(text, offset), "*") == escape_fragment(fragment, text[start:offset], "*")


def _hostile_line(kind: str, times: int) -> tuple[str, list[int]]:
    """One line whose every sentence follows a long run of markers or of letters, and where each sentence starts."""
    if kind == "markers":
        opening, sentence = "> - " * (25 * times) + "# ", "Der Satz ist gut. "
        return opening + sentence * times + "\n", [len(opening) + len(sentence) * number for number in range(times)]
    opening = "- &#" + "7" * (25 * times)
    return opening + "x" * (25 * times) + "\n", list(range(len(opening) + 25, len(opening) + 25 * times, 25))


@pytest.mark.parametrize("kind", ["markers", "letters"])
@pytest.mark.parametrize("where", ["escape_markdown", "starts_line", "escape_html"])
def test_a_long_run_of_markers_or_letters_is_read_once_per_line_not_per_sentence(kind, where):
    # Each read the whole run again: 800 sentences after 350 kB of "> " took 40 s to escape.
    from unilingo import formats
    from unilingo.formats.markdown.escape import escape_markdown, starts_line

    calls = {
        "escape_markdown": lambda text, start: escape_markdown("Die *Polizei* #", text, start, start + 3),
        "starts_line": starts_line,
        "escape_html": lambda text, start: formats.get("html").escape_piece("Admission", text, start, start + 3),
    }

    def build(scale: int):
        text, starts = _hostile_line(kind, 500 * scale)
        return lambda: [calls[where](text, start) for start in starts]

    _assert_linear(build)


def test_the_line_before_a_sentence_after_long_runs_reads_as_the_whole_line():
    from unilingo._lines import line_before, line_start
    from unilingo.formats.html.escape import escape_text
    from unilingo.formats.markdown.escape import escape_fragment

    for opening in ("> " * 50 + "# ", "- " * 50 + "1. ", " " * 50 + "####### ", "> " * 50 + "1234567890. # "):
        text = opening + "Der Satz &#" + "0" * 40 + "6 ist &" + "a" * 40 + " gut <b " + "x" * 40
        for offset in range(len(opening), len(text) + 1):
            whole = text[line_start(text, offset) : offset]
            for fragment in ("Titel #", "5 # x", "> y"):
                assert escape_fragment(fragment, line_before(text, offset), "") == escape_fragment(fragment, whole, "")
                assert escape_text(fragment, line_before(text, offset)) == escape_text(fragment, whole)


def _sentence_with_tags(times: int):
    """A sentence of many tags, each with an attribute edited inside it, as merge hands them to ``_with_inner_edits``."""
    from unilingo._inline import PlacedSpan

    tag = '<b title="Zeugen">x</b> '
    spans = [SimpleNamespace(start=len(tag) * n, end=len(tag) * n + 22, inner_start=len(tag) * n + 18, protected=False)
             for n in range(times)]  # fmt: skip
    placed = tuple(PlacedSpan("b", span.start, span.end, span.start + 3, span.end + 3) for span in spans)
    items = [(span.start + 10, span.start + 16, "Witnesses", number if number % 2 else None) for number, span in enumerate(spans)]
    return SimpleNamespace(inline=SimpleNamespace(spans=spans)), "..." + tag * times, placed, items


def test_edits_inside_many_tags_of_a_sentence_are_made_in_one_pass():
    from unilingo._merge import _with_inner_edits

    def build(scale: int):
        arguments = _sentence_with_tags(1000 * scale)
        return lambda: _with_inner_edits(*arguments)

    _assert_linear(build)


def test_edits_inside_tags_land_where_they_did():
    from unilingo._inline import PlacedSpan
    from unilingo._merge import _with_inner_edits

    output, found, moved = _with_inner_edits(*_sentence_with_tags(2))
    assert output == '...<b title="Witnesses">x</b> <b title="Witnesses">x</b> '
    assert found == {1: (40, 49)}
    assert moved == (PlacedSpan("b", 0, 22, 3, 28), PlacedSpan("b", 24, 46, 30, 55))
    # The last span that holds an edit takes it; an edit no span holds is left out.
    segment = SimpleNamespace(inline=SimpleNamespace(spans=[SimpleNamespace(start=0, end=9, inner_start=9, protected=True)]))
    placed = (PlacedSpan("i", 0, 9, 0, 9), PlacedSpan("i", 0, 9, 10, 19), PlacedSpan("i", 2, 4, 20, 22))
    output, found, moved = _with_inner_edits(segment, "a" * 25, placed, [(1, 3, "XYZ", 0), (20, 21, "?", 1)])
    assert (output, found) == ("a" * 11 + "XYZ" + "a" * 12, {0: (11, 14)})
    assert moved == (PlacedSpan("i", 0, 9, 0, 9), PlacedSpan("i", 0, 9, 10, 20), PlacedSpan("i", 2, 4, 21, 23))


def _column_as_measured_from_the_line_start(text: str, position: int) -> int:
    from unilingo.formats.subtitles._wrap import LINE_WIDTH, _width

    start = max(text.rfind("\n", 0, position), text.rfind("\r", 0, position)) + 1
    return min(_width(text[start:position]), LINE_WIDTH + 1)


def test_a_cue_column_is_what_the_line_before_it_shows_up_to_past_the_limit():
    from unilingo.formats.subtitles._wrap import column_before

    cue = ("1\r\n00:00:01,000 --> 00:00:02,000\r\n<i>Der</i> Hund &amp; <font color=\"red\">die</font> {\\an8}Katze\rlaufen"
           " <b>" + "schnell, " * 8 + "</b> &#233;&x; <unclosed weiter\n" + "<i></i>" * 30 + "Ende &lt;" + "x" * 50 + "\n")  # fmt: skip
    for position in range(len(cue) + 1):
        assert column_before(cue, position) == _column_as_measured_from_the_line_start(cue, position), position


def test_a_cue_line_of_many_tags_is_measured_once_not_per_piece():
    from unilingo.formats.subtitles._wrap import column_before

    def build(scale: int):
        cue = "1\n00:00:01,000 --> 00:00:02,000\n" + "<i>Der Hund</i> " * (4000 * scale) + "\n"
        pieces = [index + 3 for index in range(len(cue)) if cue.startswith("<i>", index)]
        return lambda: [column_before(cue, position) for position in pieces]

    _assert_linear(build)
