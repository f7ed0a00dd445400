"""Finding and loading CUDA 12's cuBLAS from the nvidia-cublas-cu12 wheel, without a GPU.

The wheel's layout is laid out in tmp_path as pip installs it (a dist-info
folder whose RECORD lists the files, the files themselves), with real
loadable shared libraries in the place of cuBLAS's 850 MB: the discovery is
importlib.metadata's, the loading the real dynamic loader's.
"""

from __future__ import annotations

import ctypes
import importlib.util
import logging
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_MODELS, read_pairs
from unilingo import EngineOptions, load_models
from unilingo._cuda import DISTRIBUTION, load_cublas, wheel_libraries
from unilingo._errors import ModelError
from unilingo._translate import Translator

# A shared library with no soname and no dependencies, so loading a copy of it touches nothing else.
LOADABLE = Path(importlib.util.find_spec("_bisect").origin)
WHEEL_FILES = ("libcublas.so.12", "libcublasLt.so.12", "libnvblas.so.12")
PAIRS = read_pairs()


@pytest.fixture(autouse=True)
def fresh_load():
    load_cublas.cache_clear()
    yield
    load_cublas.cache_clear()


@pytest.fixture
def loads(monkeypatch):
    """Every library the process loads through ctypes while the test runs, in order; each load is real."""
    seen: list[tuple[str, int]] = []
    real = ctypes.CDLL

    def recording(name, mode=ctypes.DEFAULT_MODE, *args, **kwargs):
        seen.append((Path(name).name, mode))
        return real(name, mode, *args, **kwargs)

    monkeypatch.setattr(ctypes, "CDLL", recording)
    return seen


def install_wheel(site: Path, monkeypatch, content: Path | bytes = LOADABLE, folder: str = "nvidia/cublas/lib",
                  files: tuple[str, ...] = WHEEL_FILES) -> Path:  # fmt: skip
    """The wheel as pip lays it out in site-packages, ``site`` put first on sys.path."""
    lib = site / folder
    lib.mkdir(parents=True)
    for name in files:
        if isinstance(content, Path):
            shutil.copyfile(content, lib / name)
        else:
            (lib / name).write_bytes(content)
    info = site / "nvidia_cublas_cu12-12.9.3.13.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.4\nName: {DISTRIBUTION}\nVersion: 12.9.3.13\n", encoding="utf-8")
    record = [f"{folder}/{name},," for name in files] + [f"{info.name}/METADATA,,", f"{info.name}/RECORD,,"]
    (info / "RECORD").write_text("\n".join(record) + "\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    return lib


def test_the_wheels_libraries_are_found_through_its_file_list_and_loaded_lt_first_and_global(tmp_path, monkeypatch, loads):
    lib = install_wheel(tmp_path, monkeypatch)
    assert wheel_libraries() == [lib / "libcublasLt.so.12", lib / "libcublas.so.12"]
    assert load_cublas() is None
    assert loads == [("libcublasLt.so.12", ctypes.RTLD_GLOBAL), ("libcublas.so.12", ctypes.RTLD_GLOBAL)]
    # Once a process: a second engine does not load them again.
    assert load_cublas() is None and len(loads) == 2


def test_the_file_list_not_a_fixed_folder_says_where_the_libraries_are(tmp_path, monkeypatch, loads):
    lib = install_wheel(tmp_path, monkeypatch, folder="nvidia/cu12/lib")
    assert wheel_libraries() == [lib / "libcublasLt.so.12", lib / "libcublas.so.12"]
    assert load_cublas() is None and [name for name, _ in loads] == ["libcublasLt.so.12", "libcublas.so.12"]


def test_a_file_that_is_not_a_library_is_named_with_the_loaders_reason_and_the_fix(tmp_path, monkeypatch, loads):
    lib = install_wheel(tmp_path, monkeypatch, content=b"not a shared library\n")
    reason = load_cublas()
    assert reason.startswith(f"cuBLAS of {DISTRIBUTION} cannot be loaded: {lib / 'libcublasLt.so.12'}: ")
    assert reason.endswith(f"reinstall it: pip install --force-reinstall {DISTRIBUTION}") and "\n" not in reason
    # Without its Lt, libcublas is not tried.
    assert [name for name, _ in loads] == ["libcublasLt.so.12"]


def test_a_wheel_missing_a_library_says_which(tmp_path, monkeypatch, loads):
    install_wheel(tmp_path, monkeypatch, files=("libcublasLt.so.12",))
    assert load_cublas() == f"the {DISTRIBUTION} package lacks libcublas.so.12: reinstall it (pip install --force-reinstall {DISTRIBUTION})"
    assert loads == []


def test_a_listed_file_deleted_since_is_missing_too(tmp_path, monkeypatch):
    lib = install_wheel(tmp_path, monkeypatch)
    (lib / "libcublasLt.so.12").unlink()
    assert load_cublas().startswith(f"the {DISTRIBUTION} package lacks libcublasLt.so.12")


def test_without_the_wheel_the_loaders_own_cublas_12_is_asked_for_by_name(monkeypatch, loads):
    # Absent even where the gpu extra is installed: a distribution of that name is nowhere.
    monkeypatch.setattr("unilingo._cuda.DISTRIBUTION", "nvidia-cublas-cu12-absent")
    assert wheel_libraries() is None
    reason = load_cublas()
    assert loads == [("libcublas.so.12", ctypes.DEFAULT_MODE)]
    try:
        ctypes.CDLL("libcublas.so.12")
    except OSError:  # as on machines without a CUDA 12 toolkit, these included
        assert reason == "libcublas.so.12 (cuBLAS of CUDA 12) is missing; pip install 'unilingo[gpu]' brings it"
    else:
        assert reason is None


def test_nothing_is_loaded_without_a_cuda_device_or_on_the_cpu(tmp_path, monkeypatch, loads):
    install_wheel(tmp_path, monkeypatch)
    monkeypatch.setattr("unilingo._engines._cuda_present", lambda backend: False)
    assert EngineOptions().resolve().device == "cpu"
    monkeypatch.setattr("unilingo._engines._cuda_present", lambda backend: True)
    choice = EngineOptions(device="cpu").resolve()
    assert (choice.backend, choice.device, choice.compute) == ("ctranslate2", "cpu", "int8")
    assert loads == []


def test_with_the_wheel_auto_runs_ctranslate2_in_float16_on_cuda(tmp_path, monkeypatch, loads):
    install_wheel(tmp_path, monkeypatch)
    monkeypatch.setattr("unilingo._engines._cuda_present", lambda backend: True)
    choice = EngineOptions().resolve()
    assert (choice.backend, choice.device, choice.compute, choice.note) == ("ctranslate2", "cuda", "float16", "")
    assert EngineOptions(quantize="int8").resolve().compute == "int8_float16"
    assert [name for name, _ in loads] == ["libcublasLt.so.12", "libcublas.so.12"]


def test_a_broken_wheel_on_a_gpu_host_falls_back_saying_why_or_stops_when_cuda_was_asked_for(tmp_path, monkeypatch):
    install_wheel(tmp_path, monkeypatch, content=b"\x7fELF truncated")
    monkeypatch.setattr("unilingo._engines._cuda_present", lambda backend: True)
    monkeypatch.setattr("unilingo._engines._installed", lambda module: module != "transformers")
    on_cpu = EngineOptions().resolve()
    assert (on_cpu.backend, on_cpu.device) == ("ctranslate2", "cpu")
    assert f"CTranslate2 cannot use the GPU: cuBLAS of {DISTRIBUTION} cannot be loaded: " in on_cpu.describe()
    with pytest.raises(ModelError, match=r"cannot be loaded: .*; or use backend='transformers' or device='cpu'$"):
        EngineOptions("ctranslate2", device="cuda").resolve()


def test_a_gpu_host_that_cannot_run_ctranslate2_there_is_warned_with_the_fix(tmp_path, monkeypatch, caplog):
    install_wheel(tmp_path / "site", monkeypatch, content=b"not a shared library\n")
    monkeypatch.setattr("unilingo._engines._cuda_present", lambda backend: True)
    monkeypatch.setattr("unilingo._engines._installed", lambda module: module != "transformers")
    translator = Translator(load_models(FIXTURE_MODELS), memory=None)
    with caplog.at_level(logging.WARNING, logger="unilingo"):
        assert translator.translate("de", "en", [PAIRS[0][0]])[0].text == PAIRS[0][1]
    [record] = caplog.records
    assert record.getMessage().startswith("loaded ") and " (ctranslate2 float32 on cpu, " in record.getMessage()
    assert f"(CTranslate2 cannot use the GPU: cuBLAS of {DISTRIBUTION} cannot be loaded: " in record.getMessage()
