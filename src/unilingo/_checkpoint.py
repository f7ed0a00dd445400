"""A Hugging Face checkpoint's tensors as numpy arrays, read without torch.

Two formats: ``model.safetensors`` (a little-endian JSON header, then raw
buffers) and ``pytorch_model.bin`` (torch's zip format: a pickle whose tensors
point at raw storages ``archive/data/N`` beside it). A downloaded pickle is
untrusted: the unpickler here builds tensors and ordered dicts and refuses
every other global, so loading one can run no code.
"""

from __future__ import annotations

import collections
import json
import pickle
import zipfile
from pathlib import Path

import numpy as np


# safetensors dtype names; BF16 is widened to float32 below (numpy has no bfloat16).
_SAFETENSORS_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "BF16": "<u2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?"}  # fmt: skip
# torch's legacy storage classes, the names its zip format pickles.
_STORAGE_DTYPES = {
    "DoubleStorage": "<f8", "FloatStorage": "<f4", "HalfStorage": "<f2", "BFloat16Storage": "<u2", "LongStorage": "<i8",
    "IntStorage": "<i4", "ShortStorage": "<i2", "CharStorage": "i1", "ByteStorage": "u1", "BoolStorage": "?",
}  # fmt: skip


def read_weights(folder: Path) -> dict[str, np.ndarray]:
    """The tensors of the model in ``folder``: its safetensors file where it has one, else its pytorch_model.bin."""
    safetensors = folder / "model.safetensors"
    if safetensors.is_file():
        return read_safetensors(safetensors)
    pickled = folder / "pytorch_model.bin"
    if pickled.is_file():
        return read_torch_zip(pickled)
    raise ValueError(f"{folder} has neither model.safetensors nor pytorch_model.bin")


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    try:
        # Read into a bytearray: CTranslate2's int8 quantization scales the arrays in place.
        data = bytearray(path.read_bytes())
        header_size = int.from_bytes(data[:8], "little")
        header = json.loads(data[8 : 8 + header_size])
        body = 8 + header_size
        tensors = {}
        for name, entry in header.items():
            if name == "__metadata__":
                continue
            start, end = entry["data_offsets"]
            dtype = np.dtype(_SAFETENSORS_DTYPES[entry["dtype"]])
            shape = tuple(int(size) for size in entry["shape"])
            if not 0 <= start <= end <= len(data) - body or end - start != dtype.itemsize * int(np.prod(shape)):
                raise ValueError(f"tensor {name} lies outside the file or does not fill its place")
            array = np.frombuffer(data, dtype, count=(end - start) // dtype.itemsize, offset=body + start).reshape(shape)
            tensors[name] = _widened(array, entry["dtype"] == "BF16")
        return tensors
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
        raise ValueError(f"{path} is not a readable safetensors file: {error}") from None


def read_torch_zip(path: Path) -> dict[str, np.ndarray]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            pickles = [name for name in names if name.endswith("/data.pkl")]
            if len(pickles) != 1:
                raise ValueError("no data.pkl in the archive (torch's legacy, non-zip format is not read)")
            root = pickles[0][: -len("data.pkl")]
            if f"{root}byteorder" in names and archive.read(f"{root}byteorder") != b"little":
                raise ValueError("its tensors are big-endian")
            state = _TensorUnpickler(archive, root).load()
    except (OSError, ValueError, KeyError, TypeError, IndexError, EOFError, zipfile.BadZipFile, pickle.UnpicklingError) as error:
        raise ValueError(f"{path} is not a readable PyTorch checkpoint: {error}") from None
    if not isinstance(state, dict) or not all(isinstance(value, np.ndarray) for value in state.values()):
        raise ValueError(f"{path} does not hold a plain dictionary of tensors")
    return dict(state)


class _Storage:
    """A storage class named in the pickle: only its element type matters."""

    def __init__(self, name: str) -> None:
        self.dtype = np.dtype(_STORAGE_DTYPES[name])
        self.bfloat16 = name == "BFloat16Storage"


def _rebuild_tensor_v2(storage, offset, size, stride, requires_grad=False, hooks=None, metadata=None):
    array, bfloat16 = storage
    size, stride = tuple(int(n) for n in size), tuple(int(n) for n in stride)
    if len(size) != len(stride) or min(size + stride + (offset,), default=0) < 0:
        raise ValueError("a tensor with a negative size, stride or offset")
    if 0 in size:
        return _widened(np.zeros(size, array.dtype), bfloat16)
    # as_strided trusts its strides: the last element must lie in the storage.
    if offset + sum((n - 1) * s for n, s in zip(size, stride)) >= len(array):
        raise ValueError("a tensor reaches past the end of its storage")
    view = np.lib.stride_tricks.as_strided(array[offset:], size, tuple(s * array.dtype.itemsize for s in stride))
    # A copy: the result owns writable memory laid out as numpy expects.
    return _widened(np.array(view), bfloat16)


class _TensorUnpickler(pickle.Unpickler):
    """Builds the tensors of a state dict; every other global is refused."""

    def __init__(self, archive: zipfile.ZipFile, root: str) -> None:
        super().__init__(archive.open(f"{root}data.pkl"))
        self._archive, self._root = archive, root
        self._storages: dict[str, tuple[np.ndarray, bool]] = {}

    def find_class(self, module: str, name: str):
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor_v2
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        if module == "torch" and name in _STORAGE_DTYPES:
            return _Storage(name)
        raise pickle.UnpicklingError(f"it names {module}.{name}, which a checkpoint of plain tensors never does")

    def persistent_load(self, pid):
        # ("storage", storage class, key, device, number of elements)
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage" and isinstance(pid[1], _Storage)):
            raise pickle.UnpicklingError(f"unexpected persistent id {pid!r:.80}")
        _, kind, key, _, count = pid
        if key not in self._storages:
            raw = bytearray(self._archive.read(f"{self._root}data/{key}"))
            if len(raw) < int(count) * kind.dtype.itemsize:
                raise ValueError(f"storage {key} is shorter than its {count} elements")
            self._storages[key] = (np.frombuffer(raw, kind.dtype, count=int(count)), kind.bfloat16)
        return self._storages[key]


def _widened(array: np.ndarray, bfloat16: bool) -> np.ndarray:
    """bfloat16 bits (read as uint16) as the float32 they stand for, exactly."""
    if not bfloat16:
        return array
    return (array.astype("<u4") << 16).view("<f4")
