"""How fast are ``detect`` and ``check`` on a megabyte of HTML, and do they stay clear of torch?

Builds a page of real text from ../shared/data/langid-dev/ (FLORES devtest):
English articles as paragraphs with inline links, emphasis and code, every
tenth paragraph a German one, figures with an alt text and a German credit
line, a script, a style block and JSON-LD, about 1 MB in all. Then, each in a
fresh process with no translation memory, times ``unilingo detect`` and
``unilingo check`` on it (wall clock, interpreter start included), and, in
one process, segmenting alone. Reports whether torch, transformers or
ctranslate2 were imported.

    python benchmarks/html_speed.py [--size MB] [--runs N]
"""

from __future__ import annotations

import argparse
import html
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "langid-dev"
HEAVY = ("torch", "transformers", "ctranslate2")


def lines(name: str) -> list[str]:
    return (DEV / name).read_text(encoding="utf-8").splitlines()


def page(size: int, seed: int = 3) -> str:
    rng = random.Random(seed)
    english, german = lines("flores200-devtest-first506.eng.txt"), lines("flores200-devtest-first506.deu.txt")
    head = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>City news</title>\n'
        '<meta name="description" content="News from the city and the region.">\n'
        "<style>\n  body { font-family: serif; }\n  .credit { font-size: small; }\n</style>\n"
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "City news"}</script>\n'
        "</head>\n<body>\n<main>\n"
    )
    parts = [head]
    length = len(head)
    number = 0
    while length < size:
        number += 1
        if number % 10 == 0:
            text = " ".join(html.escape(rng.choice(german)) for _ in range(3))
            block = f'<p class="teaser"><a href="/artikel/{number}">{text}</a></p>\n'
        elif number % 7 == 0:
            block = (
                f'<figure>\n  <img src="/img/{number}.jpg" alt="{html.escape(rng.choice(english))}">\n'
                f"  <figcaption>{html.escape(rng.choice(english))}<br>Foto: Anna Schmidt/dpa</figcaption>\n</figure>\n"
            )
        else:
            words = [html.escape(rng.choice(english)) for _ in range(4)]
            words[1] = f"<em>{words[1]}</em>"
            words[2] = f'{words[2]} See <a href="https://example.com/{number}">the report</a> and <code>item_{number}</code>.'
            block = f"<p>{' '.join(words)}</p>\n"
        parts.append(block)
        length += len(block)
    parts.append("</main>\n<script>\n  document.body.classList.add('ready');\n</script>\n</body>\n</html>\n")
    return "".join(parts)


def timed(command: list[str], env: dict) -> tuple[float, str, int]:
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, completed.stdout, completed.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=float, default=1.0, help="page size in MB (default 1)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    text = page(int(args.size * 1_000_000))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.html"
        path.write_text(text, encoding="utf-8")
        env = {**os.environ, "UNILINGO_CACHE_DIR": folder}
        probe = (
            "import sys, time\n"
            "from click.testing import CliRunner\n"
            "from unilingo._cli import cli\n"
            f"result = CliRunner().invoke(cli, ['check', '--no-cache', {str(path)!r}])\n"
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules) or 'none')\n"
        )
        heavy = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env).stdout.strip()
        print(f"page: {len(text.encode('utf-8')) / 1e6:.2f} MB, {text.count('<p')} paragraphs; heavy modules imported by check: {heavy}")
        from unilingo._segment import segment

        start = time.perf_counter()
        segmented = segment(text, "html")
        segmenting = time.perf_counter() - start
        attributes = sum(seg.attribute is not None for seg in segmented.segments)
        print(f"segmenting alone, in process: {segmenting:.2f} s ({len(segmented.segments)} segments, {attributes} attribute values)")
        for command in ("detect", "check"):
            times = []
            for _ in range(args.runs):
                seconds, output, code = timed([sys.executable, "-m", "unilingo", command, "--no-cache", str(path)], env)
                times.append(seconds)
            findings = len([line for line in output.splitlines() if line.strip()])
            print(f"unilingo {command} (fresh process, no memory): median {statistics.median(times):.2f} s, "
                  f"range {min(times):.2f}-{max(times):.2f} s over {args.runs} runs; exit {code}, {findings} lines printed")  # fmt: skip


if __name__ == "__main__":
    main()
