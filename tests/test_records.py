"""JSON Lines for ETL: Normalizer.normalize_records and translate --jsonl."""

import json

import pytest
from click.testing import CliRunner

from conftest import FIXTURE_MODELS
from unilingo import InputError
from unilingo._cli import cli

GOOD = {"id": 1, "text": "Die Polizei sucht nach Zeugen.", "body": "Traffic will be diverted until Friday.", "n": [1]}
LINES = [
    json.dumps(GOOD, ensure_ascii=False),
    "not json",
    json.dumps({"id": 3, "text": 5, "body": "x"}),
    json.dumps({"id": 4, "body": "x"}),
    json.dumps(["a list"]),
    json.dumps({"id": 6, "text": "Der Eintritt ist frei.", "body": "Niemand wurde verletzt."}, ensure_ascii=False),
]
BAD = [
    (2, "not JSON (Expecting value at column 1)"),
    (3, "field 'text' is int, not a string"),
    (4, "no field 'text'"),
    (5, "not a JSON object but list"),
]


def normalize(normalizer, policy):
    bad = []
    out = list(normalizer.normalize_records(LINES, ["text", "body"], on_error=policy, on_bad_record=lambda *b: bad.append(b)))
    return out, bad


def test_fields_are_normalized_and_everything_else_kept(normalizer):
    out, bad = normalize(normalizer, "skip")
    assert bad == BAD
    first, last = out
    assert first["id"] == 1 and first["n"] == [1]
    assert (first["text"], first["text_original"]) == ("The police are looking for witnesses.", GOOD["text"])
    assert first["body"] == first["body_original"] == GOOD["body"]
    assert first["unilingo"]["text"] == {
        "languages": ["de"],
        "actions": {"translate": 1, "keep": 0, "skip": 0},
        "models": {"de": "tiny-opus-mt-de-en"},
    }
    assert first["unilingo"]["body"]["models"] == {}
    assert (last["text"], last["body"]) == ("Admission is free.", "Nobody was injured.")


def test_keep_passes_bad_records_through_in_order(normalizer):
    out, bad = normalize(normalizer, "keep")
    assert bad == BAD
    assert out[1:5] == LINES[1:5]
    assert [record["id"] for record in (out[0], out[5])] == [1, 6]


def test_fail_stops_at_the_first_bad_record(normalizer):
    with pytest.raises(InputError, match="record 2: not JSON"):
        normalize(normalizer, "fail")


def test_records_stream_without_reading_everything_first(normalizer):
    def endless():
        while True:
            yield {"text": "Niemand wurde verletzt."}

    first = next(iter(normalizer.normalize_records(endless(), ["text"])))
    assert first["text"] == "Nobody was injured."


def test_cli_jsonl_stdin_to_stdout_reports_bad_lines():
    result = CliRunner().invoke(
        cli, ["translate", "--jsonl", "--field", "text", "--field", "body", "-", "--models", str(FIXTURE_MODELS)],
        input="\n".join(LINES) + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [record["id"] for record in records] == [1, 6]
    for number, reason in BAD:
        assert f"<stdin>:{number}: bad record, {reason}" in result.stderr


def test_cli_jsonl_fail_writes_no_partial_output(tmp_path):
    source = tmp_path / "records.jsonl"
    source.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["translate", "--jsonl", "--field", "text", str(source), "-o", str(tmp_path / "out"),
              "--on-error", "fail", "--models", str(FIXTURE_MODELS)],
    )  # fmt: skip
    assert result.exit_code == 3 and "record 2: not JSON" in result.stderr
    assert not (tmp_path / "out" / "records.jsonl").exists()


def test_cli_field_needs_jsonl(tmp_path):
    result = CliRunner().invoke(cli, ["translate", "--field", "text", "-"], input="x")
    assert result.exit_code == 2 and "--field goes with --jsonl" in result.output
