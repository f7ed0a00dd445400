"""HTML torture: every input of the html5lib tokenizer suite, with a German sentence added, normalized as HTML.

Run by hand (it reads ../shared, which CI never has):

    python benchmarks/html_torture.py [--data DIR] [--limit N] [--write-subset tests/fixtures/html5lib-subset.json]

Each input becomes up to four documents (S is a German sentence the fixture model knows):

- after:     INPUT<p>S</p>
- before:    <p>S</p>INPUT
- attribute: <div lang="de" title="S"><img alt="S">INPUT</div>   (the input's own text is marked German, so it is translated too)
- state:     <TAG>INPUT<p>S</p>, only for tests the suite runs in another tokenizer state
             (RCDATA, RAWTEXT, script data, PLAINTEXT, CDATA): TAG is the element that opens that state

Each is normalized with the fixture model and checked:

- crash:     normalize, sidecar and inline originals raise nothing but the documented errors
- bytes:     outside the outermost translated segments every character is as it was, but a ``lang`` value set to the target
- restore:   the sidecar (through JSON) gives the original back; so do the inline originals where they can be written
- structure: html5lib reads the same element tree from the original and the output (tags, nesting, attributes but
             ``lang`` and the translated ones, comments and doctypes with their text; text nodes may differ)
- text:      what was translated is what html5lib reads as text (or as that attribute's value): markup the
             tokenizer passed over as text must not go to the model
- rerun:     normalizing the output again translates nothing outside what was translated; nothing at all where
             every translation was the model's English for a sentence it knows
- stand-in:  no model: every segment, whatever its language, gets a translation full of characters HTML must
             escape, merged as normalize merges; then bytes, restore, structure and text as above

Text that is not valid Unicode (a lone surrogate: only the API can be handed one, a UTF-8 file cannot hold it)
must be an InputError, as a file that is not UTF-8 is for the CLI: it cannot be written out, checksummed or
kept in a sidecar. Those inputs pass when normalize raises InputError and fail otherwise.

It prints, per file, the inputs, documents, documents translated, documents whose inline originals could be
written and documents passing every check; then each check's passes, and the failing documents by check with
an example of each. --write-subset vendors the tests' subset.
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import conftest  # noqa: E402,F401  (offline hub settings and CTranslate2's AVX2 kernels, as the tests run)

from test_html_torture import (  # noqa: E402  (the invariants the tests assert on the vendored subset)
    _SURROGATE,
    TARGET,
    check_bytes,
    check_rerun,
    check_restore,
    check_structure,
    check_text,
    documents,
    problems_of,
    stand_in,
    state_tag,
)

from unilingo import Normalizer  # noqa: E402
from unilingo._errors import InputError  # noqa: E402
from unilingo._segment import segment  # noqa: E402

CHECKS = ("crash", "bytes", "restore", "structure", "text", "rerun", "stand-in")


def load_suite(folder: Path) -> list[dict]:
    """Every test of every .test file, in file order: file, index, description, input, state tag."""
    cases = []
    for path in sorted(folder.glob("*.test")):
        data = json.loads(path.read_text(encoding="utf-8"))
        tests = data.get("tests", data.get("xmlViolationTests", []))
        for index, test in enumerate(tests):
            text = test["input"]
            if test.get("doubleEscaped"):
                # The suite writes characters JSON cannot carry (lone surrogates, NUL) as \uXXXX inside the string.
                text = re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), text)
            case = {"file": path.name, "index": index, "description": test["description"], "input": text}
            if state_tag(test):
                case["state_tag"] = state_tag(test)
            cases.append(case)
    return cases


# --- run ----------------------------------------------------------------------

_worker: dict[str, object] = {}


def _start_worker() -> None:
    pairs = [line.split("\t") for line in (ROOT / "tests/fixtures/pairs.de-en.tsv").read_text(encoding="utf-8").splitlines() if line]
    _worker["known_outputs"] = frozenset(english for _, english in pairs)
    _worker["normalizer"] = Normalizer(TARGET, ROOT / "tests/fixtures/models.txt", cache=False)


def check_documents(texts: list[str]) -> list[tuple[dict[str, str], bool, bool]]:
    """Per document: {check: problem} for the checks it fails, whether inline originals were written, whether anything was translated."""
    normalizer, known_outputs = _worker["normalizer"], _worker["known_outputs"]
    results: dict[int, tuple[dict[str, str], bool, bool]] = {}
    good = []
    for number, text in enumerate(texts):
        if _SURROGATE.search(text):
            problem = _invalid_unicode_problem(normalizer, text)
            results[number] = ({"crash": problem} if problem else {}, False, False)
        else:
            good.append(number)
    docs = dict(zip(good, _normalized(normalizer, [texts[n] for n in good])))
    ok = [n for n in good if not isinstance(docs[n], Exception)]
    reruns = dict(zip(ok, _normalized(normalizer, [docs[n].text for n in ok])))
    for n in good:
        problems: dict[str, str | None] = {"stand-in": _stand_in_problem(texts[n])}
        doc = docs[n]
        if isinstance(doc, Exception):
            problems["crash"] = _describe(doc)
            results[n] = ({k: v for k, v in problems.items() if v}, False, False)
            continue
        inline_written = False
        try:
            segmented = segment(doc.original, "html")
            problems["bytes"] = check_bytes(doc, segmented.marks)
            problems["restore"], inline_written = check_restore(doc)
            problems["structure"] = check_structure(doc)
            problems["text"] = check_text(doc, segmented)
            again = reruns[n]
            problems["rerun"] = f"rerun: {_describe(again)}" if isinstance(again, Exception) else check_rerun(doc, again, known_outputs)
        except Exception as error:  # noqa: BLE001  (a crash in sidecar, inline originals or restore is what is counted)
            problems["crash"] = _describe(error)
        results[n] = ({k: v for k, v in problems.items() if v}, inline_written, doc.translated > 0)
    return [results[number] for number in range(len(texts))]


def _stand_in_problem(text: str) -> str | None:
    try:
        found = problems_of(*stand_in(text))
    except Exception as error:  # noqa: BLE001
        return _describe(error)
    return "; ".join(f"{check}: {problem}" for check, problem in found.items()) or None


def _invalid_unicode_problem(normalizer, text: str) -> str | None:
    try:
        normalizer.normalize(text, "html")
    except InputError:
        return None
    except Exception as error:  # noqa: BLE001
        return _describe(error)
    return "no InputError for text that is not valid Unicode"


def _normalized(normalizer, texts: list[str]) -> list:
    """Each text normalized as HTML, or the exception it raised; together while none raises."""
    try:
        return list(normalizer.normalize_many([(text, "html") for text in texts]))
    except Exception:  # noqa: BLE001  (one document raised: find which, one at a time)
        found = []
        for text in texts:
            try:
                found.append(normalizer.normalize(text, "html"))
            except Exception as error:  # noqa: BLE001
                found.append(error)
        return found


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "html5lib-tokenizer-tests")
    parser.add_argument("--limit", type=int, default=None, help="only the first N tests of each file")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="worker processes (each loads the model once)")
    parser.add_argument("--failures", type=Path, default=None, help="write every failure as JSON Lines here")
    parser.add_argument("--write-subset", type=Path, default=None, help="vendor a subset for the tests here (see write_subset)")
    args = parser.parse_args()
    cases = load_suite(args.data)
    if args.limit:
        cases = [case for case in cases if case["index"] < args.limit]
    items = [(case, placement, text) for case in cases for placement, text in documents(case["input"], case.get("state_tag")).items()]
    chunks = [items[start : start + 128] for start in range(0, len(items), 128)]
    started = time.perf_counter()
    with multiprocessing.Pool(args.jobs, initializer=_start_worker) as pool:
        checked = [result for chunk in pool.imap(check_documents, [[text for _, _, text in chunk] for chunk in chunks]) for result in chunk]
    elapsed = time.perf_counter() - started
    per_file: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    per_check: collections.Counter = collections.Counter()
    failed_checks: collections.Counter = collections.Counter()
    failures = []
    for case in cases:
        per_file[case["file"]]["inputs"] += 1
    for (case, placement, text), (problems, inline_written, translated) in zip(items, checked):
        counts = per_file[case["file"]]
        counts["documents"] += 1
        counts["translated"] += translated
        counts["inline"] += inline_written
        counts["passed"] += not problems
        for check in CHECKS:
            if check not in problems:
                per_check[check] += 1
                continue
            failed_checks[check] += 1
            failures.append({"file": case["file"], "index": case["index"], "description": case["description"],
                             "placement": placement, "check": check, "detail": problems[check], "document": text})  # fmt: skip
    total = len(items)
    print(f"{len(cases)} inputs, {total} documents, {elapsed:.0f} s with {args.jobs} processes")
    print(f"{'file':<30}{'inputs':>7}{'docs':>7}{'transl.':>8}{'inline':>7}{'passed':>7}")
    for name, c in sorted(per_file.items()):
        print(f"{name:<30}{c['inputs']:>7}{c['documents']:>7}{c['translated']:>8}{c['inline']:>7}{c['passed']:>7}")
    print("documents passing each check:", ", ".join(f"{check} {per_check[check]}/{total}" for check in CHECKS))
    for check, count in failed_checks.most_common():
        example = next(failure for failure in failures if failure["check"] == check)
        print(f"  {check:<10}{count:>6} failing, e.g. {example['file']} #{example['index']} ({example['placement']}): {example['detail'][:120]}")
    if args.failures:
        with args.failures.open("w", encoding="utf-8") as out:
            for failure in failures:
                out.write(json.dumps(failure, ensure_ascii=True) + "\n")
    if args.write_subset:
        write_subset(args.write_subset, args.data, cases, failures)


# Inputs vendored per file, evenly spaced through it; failed inputs per (file, check), evenly spaced through those;
# every MODEL_EVERY-th vendored input goes through the fixture model in the tests too, besides those that failed with it.
PER_FILE = 16
FAILED_PER_GROUP = 6
MODEL_EVERY = 5


def _evenly(items: list, count: int) -> list:
    step = max(len(items) / count, 1)
    return [items[int(i * step)] for i in range(min(count, len(items)))]


def write_subset(path: Path, folder: Path, cases: list[dict], failures: list[dict]) -> None:
    """A deterministic subset for tests/test_html_torture.py, merged with the one already there (an input once vendored stays).

    Every kind of failure is in it (each file and check), not every failed input: they run to a thousand, most
    of them one unterminated doctype or comment in test3.test.
    """
    groups = collections.defaultdict(list)
    for failure in failures:
        key = (failure["file"], failure["index"])
        group = groups[failure["file"], failure["check"]]
        if key not in group:
            group.append(key)
    chosen = {key: False for group in groups.values() for key in _evenly(group, FAILED_PER_GROUP)}
    with_model = {key for (_, _, check), group in groups.items() if check != "stand-in" for key in _evenly(group, FAILED_PER_GROUP)}
    if path.exists():
        chosen.update(dict.fromkeys((t["file"], t["index"]) for t in json.loads(path.read_text(encoding="utf-8"))["tests"]))
    by_file = collections.defaultdict(list)
    for case in cases:
        by_file[case["file"]].append((case["file"], case["index"]))
    for keys in by_file.values():
        chosen.update(dict.fromkeys(_evenly(keys, PER_FILE)))
    index = {(case["file"], case["index"]): case for case in cases}
    tests = []
    for number, key in enumerate(sorted(chosen)):
        case = dict(index[key])
        if key in with_model or number % MODEL_EVERY == 0:
            case["model"] = True
        tests.append(case)
    commit = re.search(r"[0-9a-f]{40}", (folder / "PROVENANCE.md").read_text(encoding="utf-8")).group(0)
    subset = {
        "source": "html5lib-tests, tokenizer/*.test (https://github.com/html5lib/html5lib-tests)",
        "commit": commit,
        "licence": "MIT; licence_text is the project's LICENSE file",
        "licence_text": (folder / "LICENSE").read_text(encoding="utf-8"),
        "picked_by": f"benchmarks/html_torture.py --write-subset: {PER_FILE} inputs evenly spaced per file, and of the inputs that "
        f"failed there up to {FAILED_PER_GROUP} per file and check; 'model': also translated with the fixture model",
        "files": sorted(by_file),
        "tests": tests,
    }
    # ASCII: lone surrogates, which UTF-8 cannot hold, stay \\uXXXX escapes.
    path.write_text(json.dumps(subset, ensure_ascii=True, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(tests)} inputs ({sum('model' in t for t in tests)} also through the model) to {path}")


if __name__ == "__main__":
    main()
