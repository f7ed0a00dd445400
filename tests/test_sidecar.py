"""The sidecar (version 2): small, complete enough to rebuild the output, and version 1 still restores."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from unilingo import Document, restore_sidecar
from unilingo._sidecar import json_text as _json_text, sidecar_text

GOLDEN = Path(__file__).parent / "golden"
FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = (GOLDEN / "article.txt").read_bytes().decode("utf-8")
# Lines the detector skips, each for its own reason, beside lines it keeps and translates.
SKIPS = "Hello there, this is English.\n12345 67\nOlaf Scholz\nDet er en fin dag i dag.\nAlle Rechte vorbehalten.\n"


def read_segments(sidecar: dict) -> list[dict]:
    """A version 2 sidecar's segments with absolute offsets and every field spelled out."""
    segments, end = [], 0
    for gap, length, lang, confidence, *rest in sidecar["segments"]:
        start, end = end + gap, end + gap + length
        output = rest.pop(0) if rest and isinstance(rest[0], str) else None
        extra = rest.pop(0) if rest else {}
        assert not rest, "a segment holds at most a translation and one object"
        implied = "translate" if output is not None else "keep" if lang == sidecar["target"] else "skip"
        action = extra.get("action", implied)
        segments.append(
            {"start": start, "end": end, "lang": lang, "confidence": confidence, "action": action, "reason": extra.get("reason"), "output": output}
        )
    return segments


def rebuilt_output(sidecar: dict) -> str:
    original, pieces, position = sidecar["original"], [], 0
    for segment in read_segments(sidecar):
        if segment["output"] is not None:
            pieces.append(original[position : segment["start"]])
            pieces.append(segment["output"])
            position = segment["end"]
    pieces.append(original[position:])
    return "".join(pieces)


@pytest.fixture(scope="module")
def large(normalizer) -> tuple[str, Document]:
    # About 1 MB of the article's English and German lines; the 10 MB
    # input wrote a sidecar 7 times its size.
    text = (ARTICLE + "\r\n\r\n") * 2100
    return text, normalizer.normalize(text, "text")


def test_sidecar_is_under_twice_its_input(large):
    text, doc = large
    assert len(text.encode("utf-8")) > 1_000_000
    assert len(sidecar_text(doc).encode("utf-8")) < 2 * len(text.encode("utf-8"))


def test_segments_rebuild_the_output(large, normalizer):
    _, doc = large
    for document in (doc, normalizer.normalize((GOLDEN / "article.md").read_bytes().decode("utf-8"), "markdown")):
        sidecar = json.loads(sidecar_text(document))
        assert sidecar["unilingo"] == 2
        assert rebuilt_output(sidecar) == document.text
        assert restore_sidecar(sidecar) == document.original


def test_segments_keep_offsets_language_confidence_action_and_output(normalizer):
    doc = normalizer.normalize(SKIPS, "text")
    assert {"keep", "skip", "translate"} <= {segment.action for segment in doc.segments}
    expected = [
        {
            "start": segment.start,
            "end": segment.end,
            "lang": segment.lang,
            "confidence": round(segment.confidence, 4),
            "action": segment.action,
            "reason": segment.reason if segment.action == "skip" else None,
            "output": segment.output,
        }
        for segment in doc.segments
    ]
    assert read_segments(json.loads(sidecar_text(doc))) == expected


def test_an_action_the_row_does_not_imply_is_written_with_its_reason(normalizer):
    doc = normalizer.normalize(SKIPS, "text")
    # A translation rejected for looping keeps a German segment as it was.
    rejected = [
        dataclasses.replace(segment, action="keep", reason="translation rejected", output=None, output_end=segment.output_start + segment.end - segment.start)
        if segment.output is not None
        else segment
        for segment in doc.segments
    ]
    doc = dataclasses.replace(doc, text=doc.original, segments=tuple(rejected))
    segments = read_segments(json.loads(sidecar_text(doc)))
    kept_german = [segment for segment in segments if segment["lang"] == "de" and segment["action"] == "keep"]
    assert kept_german and all(segment["reason"] == "translation rejected" for segment in kept_german)
    assert rebuilt_output(json.loads(sidecar_text(doc))) == doc.text


def test_one_segment_a_line_also_in_the_previous_run(normalizer):
    doc = normalizer.normalize(ARTICLE, "text")
    record = doc.sidecar()
    record["previous"] = doc.sidecar()
    text = _json_text(record)
    assert json.loads(text) == record
    rows = [line.rstrip(",") for line in text.splitlines() if line.startswith("[")]
    assert rows == [json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in record["segments"]] * 2


def test_a_version_1_sidecar_still_restores_byte_for_byte():
    sidecar = json.loads((FIXTURES / "sidecar-v1.article.txt.unilingo.json").read_bytes().decode("utf-8"))
    assert sidecar["unilingo"] == 1
    assert restore_sidecar(sidecar).encode("utf-8") == (GOLDEN / "article.txt").read_bytes()


def _damaged(record: dict, damage: str) -> str:
    if damage == "previous":
        return json.dumps(record | {"previous": "x"})
    if damage == "surrogate":
        return json.dumps(record | {"original": "Die Polizei \ud800"})
    if damage == "nesting":
        return "[" * 200_000 + "]" * 200_000
    return "[]"


DAMAGE = {
    "previous": "is damaged: an earlier run's record ('previous') is a JSON str, not an object",
    "surrogate": "is damaged: it holds a lone surrogate (U+D800), which is not valid Unicode",
    "nesting": "nests deeper than a unilingo sidecar ever does: it was damaged",
    "list": "is damaged: it is a JSON list, not an object",
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_sidecar_is_one_line_and_exit_3_with_nothing_written(tmp_path, damage):
    from click.testing import CliRunner

    from conftest import FIXTURE_MODELS
    from unilingo._cli import cli

    source = tmp_path / "notice.txt"
    source.write_text("Die Polizei sucht nach Zeugen.\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["translate", "-q", str(source), "-o", str(tmp_path / "out"), "--models", str(FIXTURE_MODELS)]).exit_code == 0
    output, sidecar = tmp_path / "out" / "notice.txt", tmp_path / "out" / "notice.txt.unilingo.json"
    sidecar.write_text(_damaged(json.loads(sidecar.read_text(encoding="utf-8")), damage), encoding="utf-8")
    before = (output.read_bytes(), sidecar.read_bytes())
    for command in (["restore", str(output)], ["restore", str(output), "-o", "-"]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 3 and result.stdout == ""
        assert result.stderr == f"unilingo: error: {sidecar} {DAMAGE[damage]}\n"
    # fix keeps an earlier run's sidecar under "previous": a damaged one stops it before it writes.
    output.write_text("Der Eintritt ist frei.\n", encoding="utf-8")
    result = runner.invoke(cli, ["fix", "-q", str(output), "--keep-original", "sidecar", "--models", str(FIXTURE_MODELS)])
    assert result.exit_code == 3 and result.stderr == f"unilingo: error: {sidecar} {DAMAGE[damage]}\n"
    assert (output.read_text(encoding="utf-8"), sidecar.read_bytes()) == ("Der Eintritt ist frei.\n", before[1])


def test_a_sidecar_that_is_a_link_is_refused_and_its_target_never_read(tmp_path):
    # A tree's "notes.txt.unilingo.json" linking to ~/.docker/config.json: fix kept that file under "previous" in the
    # sidecar it wrote, in the tree, for the next commit to carry off.
    from click.testing import CliRunner

    from conftest import FIXTURE_MODELS
    from unilingo._cli import cli

    secret = tmp_path / "home" / "config.json"
    secret.parent.mkdir()
    secret.write_text('{"auths": {"registry.example": {"auth": "c2VjcmV0OnRva2Vu"}}}\n', encoding="utf-8")
    output, sidecar = tmp_path / "docs" / "notes.txt", tmp_path / "docs" / "notes.txt.unilingo.json"
    output.parent.mkdir()
    output.write_text((GOLDEN / "article.txt").read_text(encoding="utf-8"), encoding="utf-8")
    sidecar.symlink_to(secret)
    runner = CliRunner()
    for command in (["fix", "-q", str(output), "--models", str(FIXTURE_MODELS)], ["restore", str(output)], ["restore", str(output.parent)]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 3, result.output
        assert result.stderr == f"unilingo: error: {sidecar} is a link, not a sidecar unilingo wrote: remove it; nothing was written\n"
        assert sidecar.is_symlink() and output.read_text(encoding="utf-8") == (GOLDEN / "article.txt").read_text(encoding="utf-8")
