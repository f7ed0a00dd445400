"""CUDA 12's cuBLAS for CTranslate2's CUDA build, from the nvidia-cublas-cu12 wheel (the ``gpu`` extra) when installed.

CTranslate2 4.x wheels are built for CUDA 12 and open libcublas.so.12 by name
only when a model first runs, so without it a host with only CUDA 13 (seen on
an H200) loads the model and then fails mid-batch. pip puts the wheel's copy
in site-packages, where the dynamic loader never looks; loaded once by its
path, it is the library that CTranslate2's later load by name gets (the loader
matches libraries already loaded by their soname; Windows by file name).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

DISTRIBUTION = "nvidia-cublas-cu12"
GPU_EXTRA = "pip install 'unilingo[gpu]'"
# Lt first: libcublas needs it, and loaded first it is the wheel's own copy
# that libcublas binds, whatever else the loader's search path holds.
LIBRARIES = ("cublasLt64_12.dll", "cublas64_12.dll") if os.name == "nt" else ("libcublasLt.so.12", "libcublas.so.12")


def wheel_libraries() -> list[Path] | None:
    """The wheel's cuBLAS files in load order, as its installed file list places them; None without the wheel.

    Raises FileNotFoundError naming the file that an installed wheel lacks.
    """
    # Imported here: importlib.metadata costs 30 ms, and every command imports this module, few of them load CUDA.
    import importlib.metadata

    try:
        distribution = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None
    listed = {Path(str(entry)).name: entry for entry in distribution.files or ()}
    found = []
    for name in LIBRARIES:
        path = Path(str(distribution.locate_file(listed[name]))) if name in listed else None
        if path is None or not path.is_file():
            raise FileNotFoundError(name)
        found.append(path)
    return found


@functools.cache
def load_cublas() -> str | None:
    """Why CTranslate2 cannot use a CUDA device (one line, with the fix), or None once cuBLAS 12 is loaded.

    Call only where CTranslate2 is to run on CUDA: the libraries weigh 850 MB,
    and loading them is for nothing on a machine without a CUDA device.
    Cached: the process loads them once.
    """
    import ctypes

    try:
        paths = wheel_libraries()
    except FileNotFoundError as error:
        return f"the {DISTRIBUTION} package lacks {error.args[0]}: reinstall it (pip install --force-reinstall {DISTRIBUTION})"
    if paths is None:
        # No wheel: a CUDA 12 toolkit's cuBLAS on the loader's path serves as well.
        try:
            ctypes.CDLL(LIBRARIES[-1])
        except OSError:
            return f"{LIBRARIES[-1]} (cuBLAS of CUDA 12) is missing; {GPU_EXTRA} brings it"
        return None
    for path in paths:
        try:
            ctypes.CDLL(str(path), mode=ctypes.RTLD_GLOBAL)
        except OSError as error:
            # The loader's message names the file and what is wrong with it.
            return f"cuBLAS of {DISTRIBUTION} cannot be loaded: {error}; reinstall it: pip install --force-reinstall {DISTRIBUTION}"
    return None
