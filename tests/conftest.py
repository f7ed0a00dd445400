"""Tests run offline by construction: no hub, no shared data, a private HF cache."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Set before anything imports huggingface_hub, which reads these once.
os.environ["HF_HUB_OFFLINE"] = "1"
# Should anything still try the hub, it meets a closed port on this machine.
os.environ["HF_ENDPOINT"] = "http://127.0.0.1:9"
os.environ["HF_HOME"] = tempfile.mkdtemp(prefix="unilingo-test-hf-")
os.environ.pop("HF_HUB_CACHE", None)
os.environ.pop("UNILINGO_MODELS", None)
# The translation memory and converted models go to a throwaway folder, never the user's cache.
os.environ["UNILINGO_CACHE_DIR"] = tempfile.mkdtemp(prefix="unilingo-test-cache-")
# Converted models and hub copies are tens of MB a run: gone when the session ends.
THROWAWAY_FOLDERS = (os.environ["HF_HOME"], os.environ["UNILINGO_CACHE_DIR"])


def _cpu_has_avx2() -> bool:
    try:
        return " avx2 " in Path("/proc/cpuinfo").read_text().replace("\n", " ")
    except OSError:
        return False


# CTranslate2 and its GEMM libraries pick int8 kernels by instruction set, and
# they round differently: oneDNN without VNNI once turned "Alle akzeptieren"
# into "Acccept all". Every test gets what an AVX2 CPU gets, so a CI machine
# with AVX-512 proves what AVX2 users see (limits, not demands: a CPU without
# AVX2 keeps its own). test_translate.py also runs int8 with this CPU's own kernels.
INT8_KERNEL_LIMITS = {"ONEDNN_MAX_CPU_ISA": "AVX2", "MKL_ENABLE_INSTRUCTIONS": "AVX2"}
if _cpu_has_avx2():
    # These name an instruction set the CPU must have: CTranslate2 refuses to
    # start otherwise. fbgemm (torch's int8 for the transformers backend) and
    # ATen's vector kernels read theirs the same way.
    INT8_KERNEL_LIMITS.update(CT2_FORCE_CPU_ISA="AVX2", FBGEMM_ENABLE_INSTRUCTIONS="AVX2", ATEN_CPU_CAPABILITY="avx2")
os.environ.update(INT8_KERNEL_LIMITS)

import pytest  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_MODELS = FIXTURES / "models.txt"
FIXTURE_MODEL = FIXTURES / "tiny-opus-mt-de-en"


TRANSLATION_STACK = ("torch", "transformers", "sentencepiece", "ctranslate2")


def heavy_modules_after(command: list[str], modules: tuple[str, ...] = TRANSLATION_STACK) -> list[str]:
    """Which of ``modules`` (the translation stack's) a unilingo command imports, run in a fresh interpreter; it must exit 0."""
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from unilingo._cli import cli\n"
        f"result = CliRunner().invoke(cli, {[str(arg) for arg in command]!r})\n"
        "assert result.exit_code == 0, result.output\n"
        f"print(','.join(m for m in {modules!r} if m in sys.modules))\n"
    )
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    return [name for name in completed.stdout.strip().split(",") if name]


def record_translated(normalizer, monkeypatch) -> list[str]:
    """Every text ``normalizer`` hands its translator from now on, in order (the translation still runs)."""
    seen: list[str] = []
    real = normalizer.translator.translate

    def recording(lang, target, texts, on_translated=None, attention=frozenset()):
        seen.extend(texts)
        return real(lang, target, texts, on_translated, attention)

    monkeypatch.setattr(normalizer.translator, "translate", recording)
    return seen


def read_pairs() -> list[tuple[str, str]]:
    lines = (FIXTURES / "pairs.de-en.tsv").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line]


@pytest.fixture(scope="session")
def normalizer():
    from unilingo import Normalizer

    return Normalizer("en", FIXTURE_MODELS)


def pytest_sessionfinish(session, exitstatus):
    for folder in THROWAWAY_FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)
