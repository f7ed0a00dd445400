"""Hostile output: a stand-in model that answers every sentence with script, quotes, comment ends, control
characters, lone surrogates or Markdown syntax, over HTML, Markdown, front matter and glossary contexts.

Run by hand (it needs the test extra and the fixture models):

    python benchmarks/hostile.py [--verbose]

Every (context, answer) pair is normalized through the public API with the stand-in in the model's place, and
checked:

- traceback: anything raised but unilingo's documented errors
- structure: the output parses as the original does, apart from translated text and the values of attributes
  people read: html5lib's tree for HTML (elements, attribute names and other values, comments, script, style and
  raw text); markdown-it's tokens for Markdown (blocks, inline markup, link targets, code and raw HTML);
  PyYAML / tomllib for front matter (the same keys in the same order, every value a string where it was one,
  untranslated values unchanged)
- lost: the sidecar gives the original back exactly, and so do the inline originals wherever they can be written

It prints, per context family, the documents, how many had something translated, and the failures of each check,
with an example of each failure when --verbose.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import tomllib
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import conftest  # noqa: E402  (offline hub settings and the fixture models, as the tests run)

from test_html_hostile import HOSTILE, HostileTranslator, html5_shape  # noqa: E402

from unilingo import Normalizer, UnilingoError, restore_inline, restore_sidecar  # noqa: E402
from unilingo.formats.markdown.walker import parser as _parser  # noqa: E402

SENTENCE = "Die Polizei sucht nach Zeugen."
# The tests' hostile answers, then comment ends, control characters, surrogates, Markdown and YAML syntax.
ANSWERS = [
    *HOSTILE,
    "--!><script>alert(1)</script>",
    "</textarea></title></style><img src=x onerror=alert(1)>",
    "<!-- unilingo:original sha256=0000 -->",
    "&lt;script&gt; &amp; &#x3C;b&#x3E;",
    "\x00\x01\x08\x1b[31m\x7f\x85",
    "\u2028\u2029\ufeff\ufffe",
    "Text \ud800 with a lone surrogate",
    "*[x](javascript:alert(1))*",
    "[x](https://evil.example/) ![i](https://evil.example/i.png)",
    "<https://evil.example/> <b onclick=alert(1)>x</b>",
    "# Heading\n- item\n\n> quote",
    "1. Bundesliga | a | b |\n|---|---|",
    "`code` ``x`` ~~~ ``` \\",
    "___ *** --- ===",
    "Line one\n\nLine two",
    "title: x\nother: y\n---",
    '"\\"\'\\n: # [x] {y} &anchor *alias !tag %dir @at `tick` | > -',
    "12:30",
    ".NaN",
    "0x1F",
    "yes",
    "~",
    "'''\"\"\" = [x] \\u0000",
]

HTML = [
    f"<p>{SENTENCE}</p>",
    f"<p>Der <b>Eintritt</b> ist <a href='/x'>frei</a>. {SENTENCE}</p>",
    f'<p title="{SENTENCE}" class=x>Hallo</p>',
    f"<img alt='{SENTENCE}' src=x><input type=submit value=\"Ablehnen\"><input placeholder=Suche>",
    f'<meta name="description" content="{SENTENCE}"><title>{SENTENCE}</title>',
    f"<script><!-- document.write('<script src=\"/a.js\"></script>'); {SENTENCE} //--></script><p>{SENTENCE}</p>",
    f"<div><textarea></div>{SENTENCE}</textarea></div><p>{SENTENCE}</p>",
    f'<p><img class=photo\xa0title="{SENTENCE}" src=x>{SENTENCE}</p>',
    f"<div>{SENTENCE}</div title='> {SENTENCE} '><p>{SENTENCE}</p>",
    f'<p><a href="/x"><i class="fa fa-lock"></i> {SENTENCE}</a><span class="caret">&nbsp;</span></p>',
    f"<ul><li>{SENTENCE}<li lang=de>{SENTENCE}</ul><!-- {SENTENCE} -->",
    f"<table><tr><td>{SENTENCE}<td><code>x &lt; y</code> {SENTENCE}</table>",
    f"<svg><title>{SENTENCE}</title></svg><p>{SENTENCE}</p>",
]
MARKDOWN = [
    f"{SENTENCE}\n",
    f"# {SENTENCE}\n\n{SENTENCE}\n",
    f"- {SENTENCE}\n- *{SENTENCE}*\n",
    f"> {SENTENCE}\n",
    f"| Spalte | Wert |\n|---|---|\n| {SENTENCE} | **erforderlich** |\n",
    f"Die [Polizei](/x) sucht nach `Zeugen`. {SENTENCE}\n",
    f"![{SENTENCE}](bild.png)\n\n{SENTENCE}\n{SENTENCE}\n",
    f"{SENTENCE}\n===\n\n<div>\n{SENTENCE}\n</div>\n",
    f"1. {SENTENCE}\n\n    code {SENTENCE}\n",
    f"{SENTENCE} <span>x</span> <https://example.org/>\n",
]
FRONT_MATTER = [
    f"---\ntitle: {SENTENCE}\ntags: [a, b]\n---\n\n{SENTENCE}\n",
    f"---\ntitle: '{SENTENCE}'\ndescription: \"{SENTENCE}\"\ndate: 2024-01-01\n---\n",
    f"---\ntitle: {SENTENCE}\n  nach Zeugen heute.\nlayout: post\n---\n",
    f'+++\ntitle = "{SENTENCE}"\ndraft = false\n+++\n\n{SENTENCE}\n',
    f"+++\ntitle = '{SENTENCE}'\nweight = 3\n+++\n",
]
# Terms and what they always become: the glossary is data too.
GLOSSARY = "Polizei\t<img src=x onerror=alert(1)>\nZeugen\ta | b *[x](javascript:alert(1))*\nFirefox\n"
GLOSSARY_CONTEXTS = [
    ("markdown", "Die Polizei sucht nach Zeugen.\n"),
    ("markdown", "| Die Polizei sucht | nach Zeugen heute. |\n|---|---|\n| a | b |\n"),
    ("markdown", "Siehe https://polizei.example/Firefox/zeugen für Zeugen der Polizei.\n"),
    ("markdown", "---\ntitle: Die Polizei sucht nach Zeugen.\n---\n"),
    ("html", "<p>Die Polizei sucht nach Zeugen.</p>"),
    ("html", '<p title="Die Polizei sucht nach Zeugen.">Die Polizei sucht nach Zeugen.</p>'),
    ("html", '<p>Siehe <a href="https://polizei.example/Firefox/zeugen">Polizei</a> und Zeugen.</p>'),
]
_PLACEHOLDER = re.compile(r"\bX\d+\b")


class PlaceholderKeeper(HostileTranslator):
    """The hostile answer with the sentence's placeholders after it, so glossary terms and code come back."""

    def translate(self, source, target, texts, on_translated=None, heads=frozenset()):
        return [type(translation)(self.answer + "".join(" " + p for p in _PLACEHOLDER.findall(text)))
                for translation, text in zip(super().translate(source, target, texts), texts)]  # fmt: skip


def markdown_shape(text: str) -> list[tuple]:
    view = _front_matter_blanked(text)
    return [shape for token in _parser().parse(view) for shape in _token_shape(token)]


def _token_shape(token):
    if token.type in ("text", "text_special", "softbreak"):
        return
    verbatim = token.content if token.type in ("code_inline", "code_block", "fence", "html_block", "html_inline") else None
    yield token.type, token.tag, token.nesting, token.markup, verbatim, sorted((k, v) for k, v in token.attrs.items() if k != "alt")
    for child in token.children or ():
        yield from _token_shape(child)


_FRONT = re.compile(r"\A(---|\+\+\+)\n(.*?\n)\1\n", re.DOTALL)


def _front_matter_blanked(text: str) -> str:
    found = _FRONT.match(text)
    return text if found is None else "\n" * found.group(0).count("\n") + text[found.end() :]


def front_matter_of(text: str) -> dict | None:
    found = _FRONT.match(text)
    if found is None:
        return None
    body = found.group(2)
    return yaml.safe_load(body) if found.group(1) == "---" else tomllib.loads(body)


def front_matter_kept(original: str, output: str) -> bool:
    before, after = front_matter_of(original), front_matter_of(output)
    if before is None:
        return after is None
    if after is None or list(before) != list(after):
        return False
    return all(after[key] == value or (isinstance(value, str) and isinstance(after[key], str)) for key, value in before.items())


def structure_kept(format: str, original: str, output: str) -> bool:
    if format == "html":
        return html5_shape(original) == html5_shape(output)
    return markdown_shape(original) == markdown_shape(output) and front_matter_kept(original, output)


def check(normalizer: Normalizer, format: str, text: str) -> tuple[dict[str, str], bool]:
    """The failed checks of one document (check -> what happened), and whether anything was translated."""
    try:
        doc = normalizer.normalize(text, format)
    except UnilingoError:
        return {}, False
    except Exception as error:  # noqa: BLE001  (counting what escapes is the point)
        return {"traceback": f"{type(error).__name__}: {error}"[:200]}, False
    failed = {}
    if not structure_kept(format, text, doc.text):
        failed["structure"] = repr(doc.text[:200])
    try:
        if restore_sidecar(doc.sidecar()) != text:
            failed["lost"] = "sidecar"
        try:
            inline = doc.with_inline_originals()
        except ValueError:
            inline = None
        if inline is not None and restore_inline(inline, format=format) != text:
            failed["lost"] = "inline originals"
    except UnilingoError as error:
        failed["lost"] = str(error)[:200]
    except Exception as error:  # noqa: BLE001
        failed["traceback"] = f"restore: {type(error).__name__}: {error}"[:200]
    return failed, doc.translated > 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print an example of each failure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        glossary = Path(folder) / "glossary.tsv"
        glossary.write_text(GLOSSARY, encoding="utf-8")
        plain = Normalizer("en", conftest.FIXTURE_MODELS, cache=False)
        with_glossary = Normalizer("en", conftest.FIXTURE_MODELS, cache=False, glossary=glossary)
        families = {
            "html": [(plain, "html", page) for page in HTML],
            "markdown": [(plain, "markdown", doc) for doc in MARKDOWN],
            "front matter": [(plain, "markdown", doc) for doc in FRONT_MATTER],
            "glossary": [(with_glossary, format, doc) for format, doc in GLOSSARY_CONTEXTS],
        }
        totals: Counter = Counter()
        print(f"{'contexts':<14}{'documents':>10}{'translated':>11}{'structure':>10}{'traceback':>10}{'lost':>6}")
        for family, cases in families.items():
            counts: Counter = Counter()
            examples: dict[str, str] = {}
            for normalizer, format, text in cases:
                for answer in ANSWERS:
                    normalizer.translator = PlaceholderKeeper(answer)
                    failed, translated = check(normalizer, format, text)
                    counts["documents"] += 1
                    counts["translated"] += translated
                    for name, what in failed.items():
                        counts[name] += 1
                        examples.setdefault(name, f"{text[:80]!r} <- {answer!r}: {what}")
            totals.update(counts)
            print(f"{family:<14}{counts['documents']:>10}{counts['translated']:>11}{counts['structure']:>10}"
                  f"{counts['traceback']:>10}{counts['lost']:>6}")  # fmt: skip
            if args.verbose:
                for name, example in examples.items():
                    print(f"    {name}: {example}")
        print(f"{'all':<14}{totals['documents']:>10}{totals['translated']:>11}{totals['structure']:>10}"
              f"{totals['traceback']:>10}{totals['lost']:>6}")  # fmt: skip


if __name__ == "__main__":
    main()
