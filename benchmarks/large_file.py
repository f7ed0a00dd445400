"""One large Markdown file through detect and check: does memory follow the window, not the file?

    python benchmarks/large_file.py [--megabytes N] [--commands detect,detect-json,check]

Writes (once) an N MB Markdown file (default 50) of real text from
../shared/data/langid-dev/: headings and paragraphs of English FLORES
sentences, lists of Tatoeba sentences, and every tenth paragraph German.
Then runs each command on it in a fresh process, its output thrown away, no
translation memory, and reports the wall time (interpreter start included),
the peak RSS of that process (VmHWM) and the segments a second. The floor:
each within 500 MB on a 50 MB file.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import lines, peak_rss_mb  # noqa: E402

COMMANDS = {
    "detect": ["detect", "--no-cache"],
    "detect-json": ["detect", "--no-cache", "--json"],
    "check": ["check", "--no-cache"],
}


def write_document(path: Path, megabytes: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    english, german = lines("flores200-devtest-first506.eng.txt"), lines("flores200-devtest-first506.deu.txt")
    short = [line for line in lines("tatoeba.deu-eng.en.txt") if len(line) <= 60]
    with path.open("w", encoding="utf-8") as handle:
        written = number = 0
        while written < megabytes * 1_000_000:
            paragraph = " ".join(rng.sample(german if number % 10 == 9 else english, 3))
            block = f"## {rng.choice(short)}\n\n{paragraph}\n\n- {rng.choice(short)}\n- {rng.choice(short)}\n\n"
            written += handle.write(block)
            number += 1


class _LineCounter(io.TextIOBase):
    """Standard output thrown away, its lines counted: detect prints one a segment."""

    def __init__(self) -> None:
        self.lines = 0
        self.buffer = self

    def write(self, text) -> int:
        self.lines += text.count("\n" if isinstance(text, str) else b"\n")
        return len(text)


def worker(arguments: list[str]) -> None:
    """Run the CLI in this process, its output counted and thrown away, and print its peak RSS."""
    from unilingo._cli import cli

    sink = _LineCounter()
    code = 0
    with contextlib.redirect_stdout(sink):
        try:
            cli.main(arguments, prog_name="unilingo", standalone_mode=True)
        except SystemExit as leaving:
            code = leaving.code
    print(json.dumps({"exit": code, "peak_mb": peak_rss_mb(), "lines": sink.lines}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--commands", default=",".join(COMMANDS), help="detect comes first: its lines count the segments")
    parser.add_argument("--worker", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"unilingo-large-{args.megabytes}mb.md"
    if not path.exists():
        write_document(path, args.megabytes)
    print(f"{path}: {path.stat().st_size / 1e6:.1f} MB; CPU: {cpu_name()}")
    results, segments = {}, None
    for name in args.commands.split(","):
        began = time.perf_counter()
        completed = subprocess.run([sys.executable, __file__, "--worker", *COMMANDS[name], str(path)], capture_output=True, text=True)
        wall = time.perf_counter() - began
        if completed.returncode != 0:
            sys.exit(f"{name} failed:\n{completed.stderr[-3000:]}")
        result = json.loads(completed.stdout.strip().splitlines()[-1])
        segments = segments or result["lines"]  # detect's, which runs first
        results[name] = {"wall_s": round(wall, 1), "peak_mb": round(result["peak_mb"]), "segments_per_s": round(segments / wall),
                         "exit": result["exit"]}  # fmt: skip
        print(f"{name:12} {wall:7.1f} s  peak {result['peak_mb']:6.0f} MB  {segments / wall:8.0f} segments/s  exit {result['exit']}")
    print(json.dumps({"megabytes": args.megabytes, "segments": segments, **results}))


def cpu_name() -> str:
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        return next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "unknown")


if __name__ == "__main__":
    main()
