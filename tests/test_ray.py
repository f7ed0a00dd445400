"""unilingo.ray on a local Ray: the single-process answers, one model per actor, bad rows by policy."""

from __future__ import annotations

import json
import os

import pytest
import ray
from cluster_records import FIELDS, records, single_process
from conftest import FIXTURE_MODELS

from unilingo import ConfigError
from unilingo import ray as unilingo_ray
from unilingo._frames import STATS_ENV


@pytest.fixture(scope="module")
def stats_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("ray-worker-stats")


@pytest.fixture(scope="module")
def cluster(stats_folder):
    # Workers inherit the driver's environment when ray.init starts the local cluster.
    os.environ[STATS_ENV] = str(stats_folder)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()
    del os.environ[STATS_ENV]


@pytest.fixture
def settings(tmp_path):
    return {"models": str(FIXTURE_MODELS), "cache": str(tmp_path / "memory.sqlite")}


def _rows(ds) -> list[dict]:
    rows = sorted(ds.take_all(), key=lambda row: row["id"])
    for row in rows:
        # An Arrow map reads as (language, model) pairs in Python rows.
        for summary in (row["unilingo"] or {}).values():
            summary["models"] = dict(summary["models"])
    return rows


def _stats(folder) -> list[dict]:
    return [json.loads(path.read_text()) for path in folder.glob("*.json")]


def test_rows_equal_normalize_records_one_actor_loads_the_model_once_and_keep_passes_bad_rows(cluster, stats_folder, settings):
    rows = records(40)
    rows[7]["body"] = None
    ds = ray.data.from_items(rows)

    normalized = unilingo_ray.normalize(ds, FIELDS, on_error="keep", batch_size=5, **settings)

    got = _rows(normalized)
    expected = single_process(rows, cache=False, on_error="keep")
    expected[7] = {**rows[7], "body_original": None, "unilingo": None}
    assert got == expected
    assert list(got[0]) == ["id", "title", "body", "body_original", "unilingo"]
    # Two CPUs: the default pool is one actor, leaving a core to Ray Data; it did all 8 batches with one model.
    [actor] = _stats(stats_folder)
    assert (actor["normalizers"], actor["models_loaded"], actor["batches"], actor["rows"], actor["bad_rows"]) == (1, 1, 8, 40, 1)
    assert actor["threads"] == 1


def test_skip_drops_a_bad_row_and_fail_fails_the_job_naming_it(cluster, settings):
    rows = records(4)
    rows[1]["body"] = None
    ds = ray.data.from_items(rows)
    assert _rows(unilingo_ray.normalize(ds, FIELDS, **settings)) == single_process(rows, cache=False)
    with pytest.raises(Exception, match="record 2: field 'body' is NoneType, not a string"):
        unilingo_ray.normalize(ds, FIELDS, on_error="fail", **settings).take_all()


@pytest.mark.parametrize(
    "keywords, message",
    [
        ({"fields": ["text"]}, "no column 'text' to normalize"),
        ({"fields": "body"}, r"fields is a list of column names"),
        ({"fields": FIELDS, "targte": "en"}, "unknown setting 'targte'"),
    ],
)
def test_mistakes_fail_at_the_call_with_one_clear_line(cluster, keywords, message):
    with pytest.raises(ConfigError, match=message):
        unilingo_ray.normalize(ray.data.from_items(records(2)), **keywords)


@pytest.mark.parametrize(
    "keywords, message",
    [
        ({"concurrency": 4, "num_cpus": 2}, r"concurrency=4 actors with num_cpus=2 need 8 CPUs, and the Ray cluster has 2"),
        ({"concurrency": (3, 4)}, r"concurrency=3 actors with num_cpus=1 need 3 CPUs"),
        ({"concurrency": 1, "num_gpus": 1}, r"need 1 GPUs, and the Ray cluster has 0"),
    ],
)
def test_a_pool_the_cluster_cannot_hold_fails_at_the_call_instead_of_waiting(cluster, settings, keywords, message):
    with pytest.raises(ConfigError, match=message):
        unilingo_ray.normalize(ray.data.from_items(records(2)), FIELDS, **keywords, **settings)


def test_a_model_missing_on_a_worker_fails_the_job_with_the_clis_message(cluster, tmp_path):
    models = tmp_path / "models.txt"
    models.write_text(f"de en {tmp_path / 'no-such-model'}\n")
    ds = ray.data.from_items(records(1))
    with pytest.raises(Exception, match=r"model folder \S*no-such-model for de -> en does not exist \(\S*models.txt:1\): fix the path"):
        unilingo_ray.normalize(ds, FIELDS, models=str(models), cache=False).take_all()
