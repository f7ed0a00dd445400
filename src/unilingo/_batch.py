"""A run over many inputs: their documents translated in shared batches, an input that fails reported and left out."""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator

from ._api import Normalizer, Source
from ._errors import InputError
from ._merge import Document


def documents(
    normalizer: Normalizer,
    items: Iterable[tuple[Any, Source]],
    label_of: Callable[[Any], str],
    on_failed: Callable[[InputError], None],
    on_translated: Callable[[int], None] | None = None,
) -> Iterator[tuple[Any, Document]]:
    """(item, its document) for each (item, source) of ``items``, in order.

    An input whose translation fails on something unilingo did not foresee
    is passed to ``on_failed`` as an InputError naming it, and left out: the
    others of the batch are still done.
    """
    seen: list = []
    failed: set[int] = set()

    def sources():
        for item, source in items:
            seen.append(item)
            yield source

    def failed_at(index: int, error: Exception) -> None:
        failed.add(index)
        message = str(error).strip().splitlines()[0] if str(error).strip() else ""
        on_failed(InputError(f"{label_of(seen[index])}: not written: unilingo failed on it "
                             f"({type(error).__name__}: {message}); please report this"))  # fmt: skip

    index = 0
    for doc in normalizer.normalize_many(sources(), on_translated=on_translated, on_failed=failed_at):
        while index in failed:
            index += 1
        yield seen[index], doc
        seen[index] = None  # done with: a long batch keeps no more than it must
        index += 1
