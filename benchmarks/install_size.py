"""How much an install of unilingo puts on disk: a fresh virtual environment per install, measured with du.

    python benchmarks/install_size.py                      # check-only (pip install .) and fast (.[fast])
    python benchmarks/install_size.py check fast translate # also the transformers backend (torch: large)

Each install goes into a new venv in a temporary folder, with pip's own
resolver and index settings as they are here (torch's CPU wheel index, for
instance, if PIP_INDEX_URL names it). Printed per install: site-packages in
MiB (``du -sm``, pip and setuptools included, as a user's venv holds them),
the install time, whether torch or transformers came along, and the largest
entries.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTALLS = {"check": str(ROOT), "fast": f"{ROOT}[fast]", "translate": f"{ROOT}[translate]"}
LARGEST = 6


def du_mib(path: Path) -> int:
    return int(subprocess.run(["du", "-sm", str(path)], capture_output=True, text=True, check=True).stdout.split()[0])


def measure(name: str, requirement: str, work: Path) -> dict:
    venv = work / name
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
    start = time.perf_counter()
    subprocess.run([*pip, "install", "--quiet", requirement], check=True)
    seconds = time.perf_counter() - start
    [site] = (venv / "lib").glob("python*/site-packages")
    entries = sorted(((du_mib(entry), entry.name) for entry in site.iterdir()), reverse=True)
    return {
        "install": name, "mib": du_mib(site), "seconds": seconds,
        "heavy": [module for module in ("torch", "transformers") if (site / module).is_dir()],
        "largest": entries[:LARGEST],
    }  # fmt: skip


def main(names: list[str]) -> int:
    unknown = [name for name in names if name not in INSTALLS]
    if unknown:
        print(f"unknown install {', '.join(unknown)}: use {', '.join(INSTALLS)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="unilingo-install-size-") as folder:
        for name in names:
            row = measure(name, INSTALLS[name], Path(folder))
            largest = ", ".join(f"{entry} {mib}" for mib, entry in row["largest"])
            print(f"{name:10} {row['mib']:6,} MiB  {row['seconds']:6.1f} s  torch/transformers: "
                  f"{', '.join(row['heavy']) or 'none'}  largest (MiB): {largest}", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["check", "fast"]))
