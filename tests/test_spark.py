"""unilingo.spark on a local[2] Spark: the single-process answers, one model per Python worker, bad rows by policy."""

from __future__ import annotations

import os
import sys

import pytest
from cluster_records import FIELDS, records, single_process
from conftest import FIXTURE_MODELS

from unilingo import ConfigError
from unilingo import spark as unilingo_spark


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # Python workers run this interpreter, the one unilingo is installed in, whatever python3 is on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("unilingo-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    # One settings for every test, so each worker builds one Normalizer for the whole module.
    return {"models": str(FIXTURE_MODELS), "cache": str(tmp_path_factory.mktemp("spark-memory") / "memory.sqlite")}


def _rows(df) -> list[dict]:
    return sorted((row.asDict(recursive=True) for row in df.collect()), key=lambda row: row["id"])


def test_rows_equal_normalize_records_and_each_worker_loads_the_model_once(spark, settings):
    rows = records(40)
    df = spark.createDataFrame(rows, "id long, title string, body string").repartition(8)
    before = {stats["pid"]: stats for stats in unilingo_spark.worker_stats(spark)}

    normalized = unilingo_spark.normalize(df, FIELDS, **settings)

    assert normalized.columns == ["id", "title", "body", "body_original", "unilingo"]
    assert _rows(normalized) == single_process(rows, cache=False)
    after = unilingo_spark.worker_stats(spark)
    worked = [stats for stats in after if stats["rows"] > before.get(stats["pid"], {}).get("rows", 0)]
    assert sum(stats["rows"] - before.get(stats["pid"], {}).get("rows", 0) for stats in worked) == len(rows)
    assert sum(stats["batches"] - before.get(stats["pid"], {}).get("batches", 0) for stats in worked) >= 8
    assert worked and all(stats["normalizers"] == 1 and stats["models_loaded"] == 1 for stats in worked)
    # spark.task.cpus is 1: one thread per task, so two tasks use the two cores between them.
    assert all(stats["threads"] == 1 for stats in worked)


@pytest.mark.parametrize("on_error", ["skip", "keep"])
def test_a_null_field_is_handled_as_normalize_records_handles_a_bad_record(spark, settings, on_error):
    rows = records(6)
    rows[2]["body"] = None
    df = spark.createDataFrame(rows, "id long, title string, body string").coalesce(1)

    got = _rows(unilingo_spark.normalize(df, FIELDS, on_error=on_error, **settings))

    expected = single_process(rows, cache=False, on_error=on_error)
    if on_error == "keep":  # the record passes through unchanged; the columns it lacks are null
        expected[2] = {**rows[2], "body_original": None, "unilingo": None}
    assert got == expected
    assert len(got) == (6 if on_error == "keep" else 5)


def test_on_error_fail_fails_the_job_naming_the_record(spark, settings):
    rows = records(3)
    rows[1]["body"] = None
    df = spark.createDataFrame(rows, "id long, title string, body string").coalesce(1)
    with pytest.raises(Exception, match="record 2: field 'body' is NoneType, not a string"):
        unilingo_spark.normalize(df, FIELDS, on_error="fail", **settings).collect()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda df: unilingo_spark.normalize(df, ["text"]), "no column 'text' to normalize"),
        (lambda df: unilingo_spark.normalize(df.withColumnRenamed("title", "unilingo"), FIELDS), "column 'unilingo' exists already"),
        (lambda df: unilingo_spark.normalize(df, "body"), r"fields is a list of column names: fields=\['body'\]"),
        (lambda df: unilingo_spark.normalize(df, FIELDS, targte="en"), "unknown setting 'targte'"),
        (lambda df: unilingo_spark.normalize(df, FIELDS, on_error="drop"), "unknown on-error policy 'drop'"),
    ],
)
def test_mistakes_fail_at_the_call_with_one_clear_line(spark, call, message):
    df = spark.createDataFrame(records(2), "id long, title string, body string")
    with pytest.raises(ConfigError, match=message):
        call(df)


def test_a_model_missing_on_a_worker_fails_the_job_with_the_clis_message(spark, tmp_path):
    models = tmp_path / "models.txt"
    models.write_text(f"de en {tmp_path / 'no-such-model'}\n")
    df = spark.createDataFrame(records(1), "id long, title string, body string")
    with pytest.raises(Exception, match=r"ModelError: model folder \S*no-such-model for de -> en does not exist \(\S*models.txt:1\): fix the path"):
        unilingo_spark.normalize(df, FIELDS, models=str(models), cache=False).collect()


def test_the_parquet_example_writes_normalized_parquet(spark, tmp_path):
    import pandas
    from spark_parquet import main

    rows = records(6)
    pandas.DataFrame(rows).to_parquet(tmp_path / "in.parquet")
    main([str(tmp_path / "in.parquet"), str(tmp_path / "out"), "--field", "body", "--models", str(FIXTURE_MODELS)])

    written = pandas.read_parquet(tmp_path / "out").sort_values("id").reset_index(drop=True)
    assert written["body"].tolist() == [row["body"] for row in single_process(rows, cache=False)]
    assert written["body_original"].tolist() == [row["body"] for row in rows]
