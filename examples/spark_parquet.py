"""Normalize text columns of a Parquet dataset on Spark, writing Parquet with the originals kept.

    pip install 'unilingo[fast,spark]'      # and a Java runtime, 17 or newer
    python examples/spark_parquet.py articles.parquet normalized/ --field body --field teaser
    python examples/spark_parquet.py articles.parquet normalized/ --field body --models tests/fixtures/models.txt

Runs on local[*] unless --master names a cluster (or submit it with
spark-submit, which sets the master). Every other column is kept; each field
gains <field>_original, and a unilingo column summarizes what was done.
"""

from __future__ import annotations

import argparse

from pyspark.sql import SparkSession

from unilingo import spark as unilingo_spark


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="a Parquet file or folder")
    parser.add_argument("destination", help="the Parquet folder to write (replaced if it exists)")
    parser.add_argument("--field", action="append", required=True, help="a text column to normalize; repeat for more")
    parser.add_argument("--target", default="en")
    parser.add_argument("--models", help="a models file every worker can read (default: the bundled one)")
    parser.add_argument("--on-error", default="skip", choices=("skip", "keep", "fail"), help="rows whose field is null")
    parser.add_argument("--master", help="e.g. local[4] or spark://host:7077 (default: Spark's own)")
    args = parser.parse_args(argv)

    builder = SparkSession.builder.appName("unilingo")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    articles = spark.read.parquet(args.source)
    normalized = unilingo_spark.normalize(articles, args.field, target=args.target, models=args.models, on_error=args.on_error)
    normalized.write.mode("overwrite").parquet(args.destination)


if __name__ == "__main__":
    main()
