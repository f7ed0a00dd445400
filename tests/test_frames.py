"""The core under the Spark and Ray adapters, without either engine: pandas batches and per-process state."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pandas
import pytest
from cluster_records import FIELDS, records, single_process
from conftest import FIXTURE_MODELS

from unilingo import ConfigError
from unilingo._frames import Settings, normalize_frame, normalizer, process_stats
from unilingo._engines import EngineOptions


@pytest.fixture
def settings(tmp_path):
    return Settings.from_keywords({"models": FIXTURE_MODELS, "cache": str(tmp_path / "memory.sqlite")})


def test_a_batch_gets_normalize_records_answers_and_other_columns_keep_their_types(settings):
    rows = records(9)
    frame = pandas.DataFrame(rows).assign(score=[float(n) / 2 for n in range(9)])

    out = normalize_frame(frame, FIELDS, settings)

    assert list(out.columns) == ["id", "title", "body", "score", "body_original", "unilingo"]
    assert out["id"].dtype == frame["id"].dtype and out["score"].dtype == frame["score"].dtype
    expected = single_process([{**row, "score": float(n) / 2} for n, row in enumerate(rows)], cache=False)
    assert out.to_dict("records") == expected


@pytest.mark.parametrize("missing", [None, float("nan"), pandas.NA])
def test_a_missing_value_is_a_bad_row_however_pandas_spells_it(settings, missing):
    frame = pandas.DataFrame(records(3)).astype({"body": object})
    frame.loc[1, "body"] = missing
    skipped = normalize_frame(frame, FIELDS, settings)
    kept = normalize_frame(frame, FIELDS, settings, on_error="keep")
    assert skipped["id"].tolist() == [0, 2]
    assert kept["id"].tolist() == [0, 1, 2]
    assert kept.loc[1, "body_original"] is None and kept.loc[1, "unilingo"] is None
    assert kept.loc[0, "unilingo"] == skipped.loc[0, "unilingo"]


def test_one_normalizer_per_process_for_the_same_settings(settings):
    first = normalizer(settings)
    assert normalizer(Settings.from_keywords({"models": FIXTURE_MODELS, "cache": settings.normalizer["cache"]})) is first
    before = process_stats()["normalizers"]
    normalizer(Settings.from_keywords({"models": str(FIXTURE_MODELS), "cache": False, "target": "en"}))
    assert process_stats()["normalizers"] == before + 1


def test_threads_fill_the_engine_only_where_the_user_left_them_open():
    assert Settings.from_keywords({}, threads=3).normalizer["engine"] == EngineOptions(threads=3)
    given = EngineOptions("transformers", threads=1)
    assert Settings.from_keywords({"engine": given}, threads=3).normalizer["engine"] == given


def test_a_missing_field_among_columns_named_by_numbers_is_named(settings):
    frame = pandas.DataFrame({0: ["Die Polizei sucht nach Zeugen."], "title": ["x"]})
    with pytest.raises(ConfigError, match="no column 'body' to normalize: the columns are 0, title"):
        normalize_frame(frame, ["body"], settings)


def test_a_field_that_names_two_columns_is_refused_rather_than_every_row_dropped(settings):
    frame = pandas.DataFrame([["Die Polizei sucht nach Zeugen.", "Niemand wurde verletzt."]], columns=["body", "body"])
    with pytest.raises(ConfigError, match="2 columns are named 'body': rename or drop all but the one to normalize"):
        normalize_frame(frame, ["body"], settings)


def test_an_unknown_setting_names_itself():
    with pytest.raises(ConfigError, match="unknown setting 'modles'"):
        Settings.from_keywords({"modles": "x"})


def test_each_live_worker_process_gets_a_translation_memory_file_of_its_own(tmp_path):
    # A worker holds its slot's lock for its life; the next process takes the next free slot.
    probe = textwrap.dedent(
        """
        import sys
        from unilingo._frames import _worker_memory_path
        print(_worker_memory_path().name, flush=True)
        sys.stdin.read()
        """
    )
    env = {**os.environ, "UNILINGO_CACHE_DIR": str(tmp_path)}
    start = lambda: subprocess.Popen([sys.executable, "-c", probe], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)  # noqa: E731
    first, second = start(), None
    try:
        assert first.stdout.readline().strip() == "worker-0.sqlite"
        second = start()
        assert second.stdout.readline().strip() == "worker-1.sqlite"
    finally:
        for process in (first, second):
            if process:
                process.communicate("")
    again = start()
    assert again.communicate("")[0].strip() == "worker-0.sqlite"
