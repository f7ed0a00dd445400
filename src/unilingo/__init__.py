"""unilingo: turn mixed-language documents into single-language ones, keeping the original."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# Each public name and its module, imported on first use: `import unilingo._detect`
# (the benchmarks, the tests) then loads the detector, not the translator's
# stack behind Normalizer, and `import unilingo` alone loads nothing. The CLI
# uses Normalizer, so it imports that stack (no torch, ctranslate2 or numpy) either way.
_PUBLIC = {
    "ConfigError": "_errors",
    "Document": "_merge",
    "EngineOptions": "_engines",
    "ExitCode": "_errors",
    "Generation": "_translate",
    "InputError": "_errors",
    "ModelError": "_errors",
    "ModelSpec": "_models",
    "ModelTable": "_models",
    "Normalizer": "_api",
    "OutputError": "_errors",
    "SegmentResult": "_merge",
    "TranslationMemory": "_memory",
    "UnilingoError": "_errors",
    "load_models": "_models",
    "restore_inline": "_merge",
    "restore_sidecar": "_sidecar",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})


if TYPE_CHECKING:
    from ._api import Normalizer
    from ._engines import EngineOptions
    from ._errors import ConfigError, ExitCode, InputError, ModelError, OutputError, UnilingoError
    from ._merge import Document, SegmentResult, restore_inline
    from ._memory import TranslationMemory
    from ._models import ModelSpec, ModelTable, load_models
    from ._sidecar import restore_sidecar
    from ._translate import Generation
