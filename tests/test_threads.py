"""Threads: a Normalizer shared by threads whose first calls come at once gives each what one thread alone gets."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from conftest import FIXTURE_MODELS
from unilingo import Normalizer
from unilingo._engines import EngineOptions

GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = Path(__file__).parents[1] / "examples"
# Each document with its format and expected output: Markdown and HTML sentences holding markup also go through alignment.
DOCUMENTS = [
    (GOLDEN / "article.md", "markdown", GOLDEN / "article.out.md"),
    (GOLDEN / "article.txt", "text", GOLDEN / "article.out.txt"),
    (EXAMPLES / "mixed-news.html", "html", GOLDEN / "news.out.html"),
    (GOLDEN / "article.md", "markdown", GOLDEN / "article.out.md"),
]
BACKENDS = ["transformers", "ctranslate2"]


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def at_once(work) -> list:
    """``work(index)`` in a thread per document, all started together; each one's result or exception."""
    results: list = [None] * len(DOCUMENTS)
    start = threading.Barrier(len(DOCUMENTS))

    def run(index: int) -> None:
        start.wait()
        try:
            results[index] = work(index)
        except Exception as error:  # reported by the assertion, with the others'
            results[index] = error

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(DOCUMENTS))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


def expected(backend: str) -> list[str]:
    """What one thread gets: the golden outputs, which are CTranslate2's; the fixture's loop guard differs by backend on
    a label it never learnt, so the transformers backend is run alone to compare with."""
    if backend == "ctranslate2":
        return [read(output) for _, _, output in DOCUMENTS]
    alone = Normalizer("en", FIXTURE_MODELS, engine=EngineOptions(backend), cache=False)
    return [alone.normalize(read(source), format).text for source, format, _ in DOCUMENTS]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_shared_normalizer_loads_once_and_translates_as_one_thread_does(tmp_path, backend):
    normalizer = Normalizer("en", FIXTURE_MODELS, engine=EngineOptions(backend), cache=tmp_path / "memory.sqlite3")
    outputs = at_once(lambda index: normalizer.normalize(read(DOCUMENTS[index][0]), DOCUMENTS[index][1]).text)
    assert outputs == expected(backend)
    assert normalizer.translator.loaded_models == (("de", "en"),)
    # Every thread's translations were stored: a new Normalizer on the file needs no model for plain text.
    again = Normalizer("en", FIXTURE_MODELS, engine=EngineOptions(backend), cache=tmp_path / "memory.sqlite3")
    source, format, _ = DOCUMENTS[1]
    assert again.normalize(read(source), format).text == expected(backend)[1]
    assert again.translator.loaded_models == ()


@pytest.mark.parametrize("backend", BACKENDS)
def test_normalizers_of_their_own_loading_at_once_all_work(backend):
    def work(index: int) -> str:
        source, format, _ = DOCUMENTS[index]
        return Normalizer("en", FIXTURE_MODELS, engine=EngineOptions(backend), cache=False).normalize(read(source), format).text

    assert at_once(work) == expected(backend)
