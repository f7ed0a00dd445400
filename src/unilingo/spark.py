"""Normalize columns of a Spark DataFrame: ``normalize(df, fields=["body"], target="en", models=...)``.

Needs ``pip install 'unilingo[spark]'`` and a Java runtime (17 or newer).
Rows go through ``mapInPandas`` in Arrow batches; each Python worker builds
its Normalizer once and keeps it for every partition it is given (Spark
reuses Python workers by default). The output has the input's columns, then
``<field>_original`` for each field, then ``unilingo``: per field, the
languages found, how many segments were translated, kept and skipped, and the
models used, exactly as ``Normalizer.normalize_records`` gives them.
"""

from __future__ import annotations

from typing import Any, Sequence

from ._decision import Action
from ._frames import SUMMARY_FIELD, Settings, check_call, normalize_frames, process_stats

__all__ = ["normalize", "summary_type", "worker_stats"]


def summary_type(fields: Sequence[str]):
    """The Spark type of the ``unilingo`` column for ``fields``."""
    from pyspark.sql.types import ArrayType, LongType, MapType, StringType, StructField, StructType

    per_field = StructType(
        [
            StructField("languages", ArrayType(StringType())),
            StructField("actions", StructType([StructField(action.value, LongType()) for action in Action])),
            StructField("models", MapType(StringType(), StringType())),
        ]
    )
    return StructType([StructField(name, per_field) for name in fields])


def normalize(
    df,
    fields: Sequence[str],
    *,
    format: str = "text",
    on_error: str = "skip",
    threads: int | None = None,
    **settings: Any,
):
    """``df`` with ``fields`` normalized, ``<field>_original`` and ``unilingo`` added; lazy, like any Spark transformation.

    ``settings`` are ``Normalizer``'s keyword arguments, every one of them
    (``target``, ``models``, ``cache``, ``engine``, ``glossary``,
    ``front_matter_keys``, ...); ``models`` must be a path every worker can
    read (or None for the bundled models.txt, fetched through each worker's
    Hugging Face cache), and so must ``glossary``. ``threads`` per task defaults to the task's
    CPU allotment (``spark.task.cpus``), so tasks running side by side do not
    oversubscribe the cores. A bad row (a field null) is dropped
    (``on_error="skip"``), kept with the added columns null (``"keep"``), or
    fails the job (``"fail"``).
    """
    from pyspark.sql.types import StringType, StructField, StructType

    fields = check_call(df.columns, fields, on_error, settings)
    schema = StructType(
        list(df.schema.fields)
        + [StructField(f"{name}_original", StringType()) for name in fields]
        + [StructField(SUMMARY_FIELD, summary_type(fields))]
    )

    def normalize_partition(frames):
        from pyspark import TaskContext

        context = TaskContext.get()
        task_cpus = context.cpus() if context is not None else None
        worker_settings = Settings.from_keywords(settings, threads=threads or task_cpus)
        yield from normalize_frames(frames, fields, worker_settings, format, on_error)

    return df.mapInPandas(normalize_partition, schema)


def worker_stats(spark, tasks: int | None = None) -> list[dict[str, Any]]:
    """What each Python worker that answers holds: Normalizers built, models loaded, threads, batches, rows, peak RSS (MB).

    Runs ``tasks`` one-row tasks (default: the default parallelism) through
    ``mapInPandas``, as ``normalize`` does, so they land on the Python
    workers Spark keeps for it; a worker that ran several is listed once.
    """
    import pandas

    count = tasks or spark.sparkContext.defaultParallelism
    names = ("pid", "normalizers", "models_loaded", "threads", "batches", "rows", "bad_rows", "peak_rss_mb")

    def stats(frames):
        for _ in frames:
            yield pandas.DataFrame([process_stats()])[list(names)]

    schema = ", ".join(f"{name} {'double' if name == 'peak_rss_mb' else 'long'}" for name in names)
    collected = [row.asDict() for row in spark.range(count, numPartitions=count).mapInPandas(stats, schema).collect()]
    return list({row["pid"]: row for row in collected}.values())
