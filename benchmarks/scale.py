"""Records through one process, Spark local[2] and Ray with 2 workers, on the same cores: what do the engines cost?

    python benchmarks/scale.py [--records N] [--only single,spark,ray]

Builds (once) the opus-mt-de-en shape with random weights (opus_shape.py) and
N records (default 20,000) from the real dev text in ../shared/data/langid-dev/:
one or two English sentences each, and every 20th record in 3 (15%) German.
Each configuration runs in its own process, on every core of this machine,
beam 4, output length fixed to the input's (see throughput.py), no
translation memory:

- single: ``Normalizer.normalize_records`` in one process, every core as threads;
  it also says which records went to the model (those found German: random
  weights run every output to its length cap, so unilingo rejects each
  translation as a runaway and keeps the original, after the model ran);
- spark: ``unilingo.spark.normalize`` on local[2], 8 partitions, written to
  Spark's no-op sink; one thread per task (spark.task.cpus = 1);
- ray: ``unilingo.ray.normalize`` with 2 actors of 1 CPU each, materialized;
- spark-udf (only when asked for): the design unilingo.spark did not take,
  an iterator pandas UDF returning a struct column, then a select.

Reported per configuration: wall time from the engine's start to the last
record (session or cluster start, worker start and model loads included),
records/s, target tokens/s, model loads per worker, peak RSS per worker
(VmHWM of the processes that held a Normalizer), and the overhead against the
single process. The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pandas

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from opus_shape import build, dev_text  # noqa: E402

CONFIGS = ("single", "spark", "ray", "spark-udf")
FIELDS = ["body"]


def make_records(count: int) -> list[dict]:
    english = dev_text("flores200-devtest-first506.eng.txt", "tatoeba.deu-eng.en.txt")
    german = dev_text("tatoeba.deu-eng.de.txt", "flores200-devtest-first506.deu.txt")
    rows = []
    for number in range(count):
        if number % 20 < 3:
            body = german[number % len(german)]
        else:
            first = number % len(english)
            body = english[first] if number % 2 else f"{english[first]} {english[(first + 1) % len(english)]}"
        rows.append({"id": number, "source": "dev", "body": body})
    return rows


def settings(models: Path) -> dict:
    from unilingo import Generation

    return {"models": str(models), "cache": False, "generation": Generation(num_beams=4, output_ratio=1.0, output_extra=0)}


def run_single(rows, models: Path, stats_folder: Path) -> dict:
    from unilingo import Normalizer
    from unilingo._frames import process_stats

    started = time.perf_counter()
    normalizer = Normalizer(**settings(models))
    out = list(normalizer.normalize_records(rows, FIELDS))
    seconds = time.perf_counter() - started
    # Random weights run every output to its cap, which unilingo then rejects as a
    # runaway and keeps the original: the model still ran on every German record.
    translated = [row for row in out if "de" in row["unilingo"]["body"]["languages"]]
    stats = {**process_stats(), "models_loaded": len(normalizer.translator.loaded_models), "threads": normalizer.translator.choice.threads}
    return {"seconds": seconds, "records": len(out), "translated": [row["body_original"] for row in translated], "workers": [stats]}


def local_spark(rows):
    """A local[2] session and the records as a DataFrame of 8 partitions."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark, spark.createDataFrame(rows, "id long, source string, body string").repartition(8)


def run_spark(rows, models: Path, stats_folder: Path) -> dict:
    from unilingo import spark as unilingo_spark

    started = time.perf_counter()
    spark, df = local_spark(rows)
    unilingo_spark.normalize(df, FIELDS, **settings(models)).write.format("noop").mode("overwrite").save()
    seconds = time.perf_counter() - started
    workers = [stats for stats in unilingo_spark.worker_stats(spark, tasks=8) if stats["rows"]]
    spark.stop()
    return {"seconds": seconds, "records": sum(stats["rows"] for stats in workers), "workers": workers}


def run_spark_udf(rows, models: Path, stats_folder: Path) -> dict:
    """The alternative unilingo.spark did not take: an iterator pandas UDF returning one struct column, then a select."""
    from pyspark.sql.functions import col, pandas_udf
    from pyspark.sql.types import StringType, StructField, StructType

    from unilingo import spark as unilingo_spark
    from unilingo._frames import Settings, normalize_frame

    started = time.perf_counter()
    spark, df = local_spark(rows)
    keywords = settings(models)
    result = StructType(
        [StructField("body", StringType()), StructField("body_original", StringType()), StructField("unilingo", unilingo_spark.summary_type(FIELDS))]
    )

    @pandas_udf(result)
    def normalized(bodies: Iterator[pandas.Series]) -> Iterator[pandas.DataFrame]:
        worker_settings = Settings.from_keywords(keywords, threads=1)
        for batch in bodies:
            yield normalize_frame(batch.to_frame("body"), FIELDS, worker_settings, on_error="keep")

    out = df.withColumn("n", normalized(col("body"))).select("id", "source", "n.body", "n.body_original", "n.unilingo")
    out.write.format("noop").mode("overwrite").save()
    seconds = time.perf_counter() - started
    workers = [stats for stats in unilingo_spark.worker_stats(spark, tasks=8) if stats["rows"]]
    spark.stop()
    return {"seconds": seconds, "records": sum(stats["rows"] for stats in workers), "workers": workers}


def run_ray(rows, models: Path, stats_folder: Path) -> dict:
    import ray

    from unilingo import ray as unilingo_ray
    from unilingo._frames import STATS_ENV

    os.environ[STATS_ENV] = str(stats_folder)
    started = time.perf_counter()
    ray.init(num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False, configure_logging=False)
    ds = ray.data.from_items(rows)
    done = unilingo_ray.normalize(ds, FIELDS, concurrency=2, num_cpus=1, **settings(models)).materialize()
    records = done.count()
    seconds = time.perf_counter() - started
    ray.shutdown()
    workers = [json.loads(path.read_text()) for path in stats_folder.glob("*.json")]
    return {"seconds": seconds, "records": records, "workers": workers}


def child(config: str, count: int, models: Path) -> None:
    rows = make_records(count)
    with tempfile.TemporaryDirectory() as stats:
        runs = {"single": run_single, "spark": run_spark, "ray": run_ray, "spark-udf": run_spark_udf}
        result = runs[config](rows, models, Path(stats))
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--only", default="single,spark,ray", help="comma-separated: single, spark, ray, spark-udf")
    parser.add_argument("--child", choices=CONFIGS, help=argparse.SUPPRESS)
    parser.add_argument("--models", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.records, args.models)

    folder = build()
    work = Path(tempfile.mkdtemp(prefix="unilingo-scale-"))
    models = work / "models.txt"
    models.write_text(f"de en {folder}\n", encoding="utf-8")
    env = {**os.environ, "UNILINGO_CACHE_DIR": str(work / "cache"), "HF_HUB_OFFLINE": "1", "PYTHONWARNINGS": "ignore"}
    # Converted once outside the clock, as a cluster ships or caches its converted model.
    subprocess.run([sys.executable, __file__, "--child", "single", "--records", "20", "--models", str(models)], env=env, check=True, capture_output=True)
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    print(f"{args.records:,} records, {cpu} x {os.cpu_count()}")
    results = {}
    for config in args.only.split(","):
        completed = subprocess.run(
            [sys.executable, __file__, "--child", config, "--records", str(args.records), "--models", str(models)],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        if completed.returncode != 0:
            print(f"{config} failed:\n{completed.stderr[-3000:]}")
            continue
        results[config] = json.loads(completed.stdout.strip().splitlines()[-1])

    from transformers import MarianTokenizer

    german = results.get("single", {}).get("translated")
    if german is None:  # the single run says which records were translated; without it, the German ones by construction
        german = [row["body"] for row in make_records(args.records) if row["id"] % 20 < 3]
    target_tokens = sum(len(ids) for ids in MarianTokenizer.from_pretrained(folder)(german).input_ids)
    print(f"{len(german):,} records translated, {target_tokens:,} target tokens\n")
    print("| configuration | wall s | records/s | target tokens/s | workers | model loads per worker | peak RSS per worker MB | overhead vs single |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    single = results.get("single", {}).get("seconds")
    summary = {}
    for config, result in results.items():
        seconds, workers = result["seconds"], result["workers"]
        overhead = f"{(seconds / single - 1) * 100:+.0f}%" if single else ""
        loads = ", ".join(str(w["models_loaded"]) for w in workers)
        rss = ", ".join(f"{w['peak_rss_mb']:,.0f}" for w in workers)
        print(f"| {config} | {seconds:.1f} | {result['records'] / seconds:,.0f} | {target_tokens / seconds:,.0f} | {len(workers)} | {loads} | {rss} | {overhead} |")
        summary[config] = {"seconds": round(seconds, 2), "records": result["records"], "workers": workers}
    print(json.dumps({"records": args.records, "target_tokens": target_tokens, "cpu": cpu, **summary}))


if __name__ == "__main__":
    main()
