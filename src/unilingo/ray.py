"""Normalize columns of a Ray Dataset: ``normalize(ds, fields=["body"], target="en", models=...)``.

Needs ``pip install 'unilingo[ray]'``. Batches go through ``map_batches`` to
a pool of actors; each actor builds its Normalizer once, so a model is loaded
once per actor. Rows gain ``<field>_original`` for each field and
``unilingo``, the per-field summary ``Normalizer.normalize_records`` gives.
"""

from __future__ import annotations

from typing import Any, Sequence

from ._decision import Action
from ._errors import ConfigError
from ._frames import SUMMARY_FIELD, Settings, check_call, normalize_frame

__all__ = ["normalize", "summary_arrow_type"]

# Rows per batch an actor normalizes at once: enough sentences to fill the model's batches.
DEFAULT_BATCH_ROWS = 256


class _Normalize:
    """The callable class each actor of the pool runs; its Normalizer lives as long as the actor."""

    def __init__(self, fields: Sequence[str], settings: Settings, format: str, on_error: str) -> None:
        self.fields, self.settings, self.format, self.on_error = fields, settings, format, on_error

    def __call__(self, batch):
        import pyarrow

        frame = normalize_frame(batch, self.fields, self.settings, self.format, self.on_error)
        added = [f"{name}_original" for name in self.fields] + [SUMMARY_FIELD]
        table = pyarrow.Table.from_pandas(frame.drop(columns=added), preserve_index=False)
        for name in added[:-1]:
            table = table.append_column(name, pyarrow.array(frame[name], type=pyarrow.string()))
        # Declared, not inferred: inferred from dicts, "models" would become a struct of
        # every language seen in the batch, {} turning into {"de": None}.
        summary = pyarrow.array(list(frame[SUMMARY_FIELD]), type=summary_arrow_type(self.fields))
        return table.append_column(SUMMARY_FIELD, summary)


def summary_arrow_type(fields: Sequence[str]):
    """The Arrow type of the ``unilingo`` column; ``models`` is a map, which Python rows show as (language, model) pairs."""
    import pyarrow

    per_field = pyarrow.struct(
        [
            ("languages", pyarrow.list_(pyarrow.string())),
            ("actions", pyarrow.struct([(action.value, pyarrow.int64()) for action in Action])),
            ("models", pyarrow.map_(pyarrow.string(), pyarrow.string())),
        ]
    )
    return pyarrow.struct([(name, per_field) for name in fields])


def normalize(
    ds,
    fields: Sequence[str],
    *,
    format: str = "text",
    on_error: str = "skip",
    concurrency: int | tuple[int, int] | None = None,
    num_cpus: float = 1,
    num_gpus: float = 0,
    batch_size: int = DEFAULT_BATCH_ROWS,
    **settings: Any,
):
    """``ds`` with ``fields`` normalized, ``<field>_original`` and ``unilingo`` added; lazy, like any Ray transformation.

    ``settings`` are ``Normalizer``'s keyword arguments, every one of them
    (``target``, ``models``, ``cache``, ``engine``, ``glossary``,
    ``front_matter_keys``, ...); ``models`` must be a path every node can
    read (or None for the bundled models.txt, fetched through each node's
    Hugging Face cache), and so must ``glossary``. The pool has ``concurrency`` actors (default:
    one per ``num_cpus`` of the cluster's CPUs, less one CPU, so Ray Data keeps
    a core for reading and writing: a pool that takes every CPU can stall the
    job), each with ``num_cpus`` CPUs, used as its translation threads, and
    ``num_gpus`` GPUs. A bad row (a field null) is dropped (``on_error="skip"``),
    kept with the added columns null (``"keep"``), or fails the job (``"fail"``).
    """
    import ray

    fields = check_call(ds.columns(), fields, on_error, settings)
    threads = max(1, int(num_cpus))
    worker_settings = Settings.from_keywords(settings, threads=threads)
    resources = ray.cluster_resources()
    if concurrency is None:
        cpus = resources.get("CPU", 1)
        concurrency = max(1, int((cpus - 1) // num_cpus)) if num_cpus else 1
    smallest = concurrency if isinstance(concurrency, int) else concurrency[0]
    _check_room(smallest, num_cpus, num_gpus, resources)
    # Ray 2.51 deprecates map_batches' concurrency; a pool strategy says the same and works on every Ray unilingo supports.
    pool = (ray.data.ActorPoolStrategy(size=concurrency) if isinstance(concurrency, int)
            else ray.data.ActorPoolStrategy(min_size=concurrency[0], max_size=concurrency[1]))  # fmt: skip
    return ds.map_batches(
        _Normalize,
        fn_constructor_kwargs={"fields": fields, "settings": worker_settings, "format": format, "on_error": on_error},
        batch_format="pandas",  # what the actor is given; it returns Arrow
        batch_size=batch_size,
        compute=pool,
        num_cpus=num_cpus,
        num_gpus=num_gpus,
    )


def _check_room(actors: int, num_cpus: float, num_gpus: float, resources: dict) -> None:
    """Refuse a pool the cluster cannot hold: Ray would wait for the missing CPUs or GPUs forever, without a word."""
    for name, per_actor, keyword in (("CPU", num_cpus, "num_cpus"), ("GPU", num_gpus, "num_gpus")):
        needed, present = actors * per_actor, resources.get(name, 0)
        if needed > present:
            raise ConfigError(
                f"concurrency={actors} actors with {keyword}={per_actor:g} need {needed:g} {name}s, and the Ray cluster "
                f"has {present:g}: lower concurrency or {keyword} (concurrency=None fits the pool to the cluster)"
            )

