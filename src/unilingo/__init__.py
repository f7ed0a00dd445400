"""unilingo: turn mixed-language documents into single-language ones, keeping the original."""

from ._api import Normalizer
from ._engines import EngineOptions
from ._errors import ConfigError, ExitCode, InputError, ModelError, OutputError, UnilingoError
from ._merge import Document, SegmentResult, restore_inline
from ._memory import TranslationMemory
from ._models import ModelSpec, ModelTable, load_models
from ._sidecar import restore_sidecar
from ._translate import Generation

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "Document",
    "EngineOptions",
    "ExitCode",
    "Generation",
    "InputError",
    "ModelError",
    "ModelSpec",
    "ModelTable",
    "Normalizer",
    "OutputError",
    "SegmentResult",
    "TranslationMemory",
    "UnilingoError",
    "load_models",
    "restore_inline",
    "restore_sidecar",
]
