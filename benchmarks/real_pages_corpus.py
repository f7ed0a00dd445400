"""Build the real-page corpus of benchmarks/real_pages.py from its manifest, benchmarks/real_pages.tsv.

The documents are not in this repository: each manifest row names a public repository, a commit and a path.
Bring each repository's git directory onto the machine first (with the `fetch` tool, which puts
``owner/name`` at ``/work/.mirror/owner+name/repo``, or with ``git clone``), then:

    python benchmarks/real_pages_corpus.py --mirrors /work/.mirror --corpus /tmp/real-pages

Each document is read from its git object at the manifest's commit (never from a work tree) and written to
``CORPUS/<family>/<owner>+<name>/<path>``; a repository missing, or lacking that commit, is named with what to do
and nothing is written for it. The documents keep their own licences (the manifest's last column).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MANIFEST = Path(__file__).resolve().parent / "real_pages.tsv"
COLUMNS = ["family", "repo", "commit", "path", "licence"]
FAMILIES = frozenset(("html-en", "html-de", "md-en", "md-de"))
# Kept for a separate evaluation: never part of this corpus.
RESERVED = frozenset(("mozilla/readability", "adbar/trafilatura", "contao/docs", "rust-lang-de/rustbook-de"))


@dataclass(frozen=True)
class Entry:
    family: str
    repo: str
    commit: str
    path: str
    licence: str

    @property
    def relative(self) -> Path:
        """Where the document lies under the corpus folder; the manifest's path cannot climb out of it."""
        parts = Path(self.path).parts
        if not parts or Path(self.path).is_absolute() or ".." in parts:
            raise ValueError(f"manifest path {self.path!r} leaves its folder: fix the manifest")
        return Path(self.family, self.repo.replace("/", "+"), *parts)


def read_manifest(path: Path = MANIFEST) -> list[Entry]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    if not lines or lines[0].split("\t") != COLUMNS:
        raise ValueError(f"{path}: the first row must name the columns {', '.join(COLUMNS)}")
    entries = []
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != len(COLUMNS):
            raise ValueError(f"{path}: row {number} has {len(fields)} fields, not {len(COLUMNS)}")
        entry = Entry(*fields)
        if entry.family not in FAMILIES or entry.repo.lower() in RESERVED or not entry.licence:
            raise ValueError(f"{path}: row {number} needs a known family, a repository not kept apart, and a licence")
        entries.append(entry)
    return entries


def git_dir(mirrors: Path, repo: str) -> Path | None:
    """The repository's git directory: fetch's layout (owner+name/repo) or a clone (owner/name)."""
    for candidate in (mirrors / repo.replace("/", "+") / "repo", mirrors / repo / ".git", mirrors / repo):
        if (candidate / "HEAD").is_file():
            return candidate
    return None


def build(entries: list[Entry], mirrors: Path, corpus: Path) -> tuple[int, list[str]]:
    """Writes every document it can find; returns how many, and a line per repository it could not read."""
    written, problems = 0, {}
    for entry in entries:
        if entry.repo in problems:
            continue
        found = git_dir(mirrors, entry.repo)
        if found is None:
            problems[entry.repo] = f"{entry.repo}: not under {mirrors}: fetch github:{entry.repo} first"
            continue
        blob = subprocess.run(["git", "--git-dir", str(found), "cat-file", "blob", f"{entry.commit}:{entry.path}"],
                              capture_output=True)  # fmt: skip
        if blob.returncode != 0:
            problems[entry.repo] = f"{entry.repo}: {entry.commit[:12]}:{entry.path} not in {found}: fetch a snapshot holding that commit"
            continue
        target = corpus / entry.relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob.stdout)
        written += 1
    return written, list(problems.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", type=Path, required=True, help="folder holding the repositories' git directories")
    parser.add_argument("--corpus", type=Path, required=True, help="folder to write the documents to (outside the repository)")
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    args = parser.parse_args()
    try:
        entries = read_manifest(args.manifest)
    except (OSError, ValueError) as error:
        sys.exit(f"real_pages_corpus: {error}")
    written, problems = build(entries, args.mirrors, args.corpus)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{written} of {len(entries)} documents written to {args.corpus}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
