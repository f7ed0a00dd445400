"""JSON Lines for ETL: Normalizer.normalize_records and translate --jsonl."""

import io
import json
import sys

import pytest
from click.testing import CliRunner

from conftest import FIXTURE_MODELS
from unilingo import ConfigError, InputError
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
    # Named as --on-error skip names it: the file and the record's line.
    assert result.exit_code == 3 and f"unilingo: error: {source}:2: bad record, not JSON" in result.stderr
    assert not (tmp_path / "out" / "records.jsonl").exists()


def test_cli_field_needs_jsonl(tmp_path):
    result = CliRunner().invoke(cli, ["translate", "--field", "text", "-"], input="x")
    assert result.exit_code == 2 and "--field goes with --jsonl" in result.output


def test_cli_jsonl_without_a_field_names_the_option_to_give():
    result = CliRunner().invoke(cli, ["translate", "--jsonl", "-"], input="{}\n")
    assert result.exit_code == 2 and "--jsonl needs --field NAME" in result.output, result.output


def test_cli_report_is_refused_with_jsonl_rather_than_left_unwritten(tmp_path):
    result = CliRunner().invoke(cli, ["translate", "--jsonl", "--field", "text", "--report", str(tmp_path / "r.json"), "-"], input="{}\n")
    assert result.exit_code == 2 and "--report goes with documents" in result.output
    assert not (tmp_path / "r.json").exists()


@pytest.mark.parametrize("taken", ["text_original", "unilingo"])
def test_a_record_holding_a_field_unilingo_writes_is_bad_not_overwritten(normalizer, taken):
    records = [{"id": 1, "text": "Der Eintritt ist frei.", taken: "mine"}, {"id": 2, "text": "Niemand wurde verletzt."}]
    bad = []
    out = list(normalizer.normalize_records(records, ["text"], on_error="keep", on_bad_record=lambda *b: bad.append(b)))
    assert bad == [(1, f"it has a field {taken!r} already, which unilingo would overwrite: rename that field first")]
    assert out[0] == records[0] and out[1]["text"] == "Nobody was injured."


@pytest.mark.parametrize(
    "fields, message",
    [
        (["text", "text_original"], "fields 'text' and 'text_original' cannot be normalized together"),
        (["text", "text"], "field 'text' is named twice"),
        (["unilingo"], "field 'unilingo' cannot be normalized: unilingo writes its summary there"),
    ],
)
def test_fields_whose_outputs_collide_are_refused(normalizer, fields, message):
    records = [{"text": "Der Eintritt ist frei.", "text_original": "x", "unilingo": "y"}]
    with pytest.raises(ConfigError, match=message):
        list(normalizer.normalize_records(records, fields))


def test_one_field_name_may_be_given_alone(normalizer):
    [record] = normalizer.normalize_records([{"text": "Niemand wurde verletzt."}], "text")
    assert (record["text"], record["text_original"]) == ("Nobody was injured.", "Niemand wurde verletzt.")


def test_a_field_with_a_lone_surrogate_is_a_bad_record(normalizer):
    lines = ['{"text": "Der Eintritt \\ud800 ist frei."}', '{"text": "Niemand wurde verletzt."}']
    bad = []
    out = list(normalizer.normalize_records(lines, ["text"], on_bad_record=lambda *b: bad.append(b)))
    assert bad == [(1, "field 'text' holds a lone surrogate (U+D800), which is not valid Unicode")]
    assert [record["text"] for record in out] == ["Nobody was injured."]


def test_a_record_python_declines_to_read_is_a_bad_record_not_a_crash(normalizer):
    lines = ['{"text": "x", "n": ' + "1" * 5000 + "}", "[" * 100_000, '{"text": "Niemand wurde verletzt."}']
    bad = []
    out = list(normalizer.normalize_records(lines, ["text"], on_error="keep", on_bad_record=lambda *b: bad.append(b)))
    assert bad == [
        (1, f"a number of more than {sys.get_int_max_str_digits()} digits, more than Python reads"),
        (2, "nested deeper than Python's JSON reader follows"),
    ]
    assert out[:2] == lines[:2] and out[2]["text"] == "Nobody was injured."


def test_a_number_that_would_be_written_back_as_infinity_is_a_bad_record_kept_as_it_was(normalizer):
    lines = ['{"text": "Niemand wurde verletzt.", "n": 1e999}', '{"text": "x", "n": NaN}', '{"text": "Niemand wurde verletzt.", "n": 0.5}']
    bad = []
    out = list(normalizer.normalize_records(lines, ["text"], on_error="keep", on_bad_record=lambda *b: bad.append(b)))
    assert bad == [
        (1, "the number '1e999' is beyond a double and would be written back as Infinity, which is not JSON"),
        (2, "not JSON (NaN is Python's, not JSON's)"),
    ]
    assert out[:2] == lines[:2] and out[2]["n"] == 0.5


def test_a_name_given_twice_is_a_bad_record_rather_than_its_first_value_lost(normalizer):
    lines = ['{"text": "Niemand wurde verletzt.", "note": {"by": "a", "by": "b"}}', '{"text": "Niemand wurde verletzt."}']
    bad = []
    out = list(normalizer.normalize_records(lines, ["text"], on_error="keep", on_bad_record=lambda *b: bad.append(b)))
    assert bad == [(1, "the name 'by' is given twice in one object; only its last value would be kept")]
    assert out[0] == lines[0] and out[1]["text"] == "Nobody was injured."


def test_cli_jsonl_passes_a_lone_surrogate_in_another_field_through_escaped(tmp_path):
    line = '{"text": "Niemand wurde verletzt.", "note": "\\ud800 \\u00e4"}'
    result = CliRunner().invoke(cli, ["translate", "--jsonl", "--field", "text", "-", "--models", str(FIXTURE_MODELS)], input=line + "\n")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["note"] == "\ud800 \u00e4" and record["text"] == "Nobody was injured."


def test_cli_jsonl_refuses_fields_that_collide(tmp_path):
    result = CliRunner().invoke(
        cli, ["translate", "--jsonl", "--field", "body", "--field", "body_original", "-", "--models", str(FIXTURE_MODELS)],
        input='{"body": "x", "body_original": "y"}\n',
    )  # fmt: skip
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "unilingo: error: fields 'body' and 'body_original' cannot be normalized together: the original of 'body' goes to 'body_original'\n"


def test_a_document_that_is_not_a_string_is_a_type_error(normalizer):
    with pytest.raises(TypeError, match="a document is a str, not NoneType"):
        normalizer.normalize(None)
    with pytest.raises(TypeError, match="not bytes: decode it first"):
        normalizer.normalize(b"Hallo")


def test_a_record_stays_one_line_to_readers_that_split_on_unicode_line_ends():
    from unilingo._jsonl import write_records

    record = {"text": "Eins\u2028zwei\u2029drei\x85vier \u00e9", "id": 1}
    written = io.BytesIO()
    write_records([record], written, lambda: None)
    text = written.getvalue().decode("utf-8")
    assert len(text.splitlines()) == 1 and json.loads(text) == record and "\u00e9" in text
