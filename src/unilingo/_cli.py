"""The unilingo command: parses options and calls the library, nothing more."""

from __future__ import annotations

import functools
import json
import logging
import sys
from contextlib import nullcontext
from pathlib import Path

import click

from . import __version__
from ._api import ON_ERROR, Normalizer
from ._detect import DEFAULT_LOOK_ALIKES, DEFAULT_MIN_CONFIDENCE, UNCERTAIN_POLICIES, UNCERTAIN_REASON
from ._errors import ExitCode, InputError, UnilingoError
from ._files import (
    KEEP_ORIGINAL,
    atomic_open,
    STDIO,
    decode,
    original_of,
    plan,
    restore_in_place,
    read_text,
    rendered,
    report_record,
    write_atomic,
    write_document,
)
from ._engines import BACKENDS, DEVICES, QUANTIZATIONS, EngineOptions
from ._memory import CACHE_DIR_ENV, TranslationMemory, default_memory_path
from ._models import MODELS_ENV, load_models
from ._translate import DEFAULT_BATCH_SIZE, DEFAULT_BATCH_TOKENS, Generation, cached_snapshot, download

EXIT_CODES = f"""\b
Exit codes:
  {ExitCode.OK}  success
  {ExitCode.FINDINGS}  check found text to translate; fix changed files
  {ExitCode.USAGE}  usage error: bad option, unknown language, bad models file line
  {ExitCode.INPUT}  input missing, unreadable, not UTF-8, or nothing to restore
  {ExitCode.MODEL}  a model cannot be found, downloaded or loaded
  {ExitCode.OUTPUT}  an output cannot be written
"""


def _reports_errors(command):
    """One line on stderr and the documented exit code instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except UnilingoError as error:
            click.echo(f"unilingo: error: {error}", err=True)
            sys.exit(int(error.exit_code))
        except KeyboardInterrupt:
            click.echo("unilingo: interrupted", err=True)
            sys.exit(130)

    return wrapper


def _detection_options(command):
    options = [
        click.option("--target", "-t", default="en", show_default=True, help="Language to normalize to."),
        click.option(
            "--models",
            "models_file",
            type=click.Path(dir_okay=False),
            envvar=MODELS_ENV,
            help=f"Models file ('source target model' per line). [default: ${MODELS_ENV} or the bundled models.txt]",
        ),
        click.option(
            "--format",
            "format_",
            type=click.Choice(["auto", "text", "markdown"]),
            default="auto",
            show_default=True,
            help="Document format; auto goes by file extension (standard input is text).",
        ),
        click.option(
            "--min-confidence",
            type=click.FloatRange(0.0, 1.0),
            default=DEFAULT_MIN_CONFIDENCE,
            show_default=True,
            help="Segments the detector is less sure of are uncertain (see --uncertain).",
        ),
        click.option(
            "--uncertain",
            type=click.Choice(UNCERTAIN_POLICIES),
            default="keep",
            show_default=True,
            help="Uncertain segments: keep them as they are, translate them by the best guess, "
            "or keep them and list them on standard error.",
        ),
        click.option(
            "--also-detect",
            default=",".join(DEFAULT_LOOK_ALIKES),
            show_default=True,
            help="Languages to recognise besides the target and those with a model, so that they are "
            "left alone rather than mistaken for one with a model; comma-separated, '' for none.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _translation_options(command):
    options = [
        click.option("--batch-size", type=click.IntRange(min=1), default=DEFAULT_BATCH_SIZE, show_default=True,
                     help="Most sentences in one model call."),
        click.option("--batch-tokens", type=click.IntRange(min=1), default=DEFAULT_BATCH_TOKENS, show_default=True,
                     help="Most padded input tokens in one model call."),
        click.option("--beams", type=click.IntRange(min=1), help="Beam size. [default: the model's own, 4 for opus-mt]"),
        click.option("--backend", type=click.Choice(BACKENDS), default="auto", show_default=True,
                     help="auto: ctranslate2 when installed (pip install 'unilingo[fast]'), else transformers."),
        click.option("--device", type=click.Choice(DEVICES), default="auto", show_default=True,
                     help="auto: CUDA when a CUDA device is present (float16), else CPU."),
        click.option("--quantize", type=click.Choice(QUANTIZATIONS),
                     help="int8 weights on CPU. [default: int8 for ctranslate2, none for transformers]"),
        click.option("--threads", type=click.IntRange(min=1), help="CPU threads. [default: every core available]"),
        click.option("--cache", "cache_path", type=click.Path(dir_okay=False),
                     help=f"Translation memory file. [default: translations.sqlite3 in the user cache folder or ${CACHE_DIR_ENV}]"),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the translation memory."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


class _EchoHandler(logging.Handler):
    """Library warnings (a busy translation memory, ...) as one 'unilingo: warning:' line each."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"unilingo: {record.levelname.lower()}: {record.getMessage()}", err=True)


@click.group(epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="unilingo")
def cli() -> None:
    """Turn mixed-language documents into single-language ones, keeping the original."""
    logger = logging.getLogger("unilingo")
    logger.handlers[:] = [_EchoHandler()]
    logger.setLevel(logging.WARNING)
    logger.propagate = False


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True)
@click.option("--output", "-o", help="Output folder (created if missing); '-' or none for one input: standard output.")
@_detection_options
@click.option(
    "--keep-original",
    type=click.Choice(KEEP_ORIGINAL),
    default="sidecar",
    show_default=True,
    help="sidecar: NAME.unilingo.json beside the output; inline: an HTML comment after each translated "
    "Markdown block (plain text falls back to a sidecar); none: keep nothing.",
)
@click.option("--report", type=click.Path(dir_okay=False), help="Write every segment's decision and output as JSON here.")
@_translation_options
@click.option("--quiet", "-q", is_flag=True, help="No progress on standard error.")
@click.option("--jsonl", is_flag=True, help="Inputs are JSON Lines: normalize the --field fields of every record.")
@click.option("--field", "fields", multiple=True, help="With --jsonl: a string field to normalize; repeat for more.")
@click.option(
    "--on-error",
    type=click.Choice(ON_ERROR),
    default="skip",
    show_default=True,
    help="With --jsonl: a bad record (not JSON, field missing or not a string) is dropped, stops the job "
    "(exit 3), or is passed through unchanged; each is reported on standard error with its line number.",
)
@_reports_errors
def translate(
    paths, output, target, models_file, format_, min_confidence, uncertain, also_detect, keep_original, report,
    quiet, jsonl, fields, on_error, **translation,
):  # fmt: skip
    """Translate PATHS (files, folders, or - for standard input) into the target language."""
    jobs = plan(paths, output, format_)
    normalizer = _normalizer(target, models_file, min_confidence, uncertain, also_detect, **translation)
    if jsonl:
        if any(Path(path).is_dir() for path in paths):
            raise click.UsageError("--jsonl takes files or -, not folders")
        for job in jobs:
            _translate_jsonl(normalizer, job, list(fields), format_, on_error)
        return
    if fields:
        raise click.UsageError("--field goes with --jsonl")
    texts = [_read(job) for job in jobs]
    records = []
    progress = _TranslationProgress(enabled=not quiet and sys.stderr.isatty())
    documents = normalizer.normalize_many(zip(texts, (job.format for job in jobs)), on_translated=progress.advance)
    for number, (job, doc) in enumerate(zip(jobs, documents), start=1):
        if job.output is None:
            sys.stdout.buffer.write(rendered(doc, keep_original).encode("utf-8"))
        else:
            write_document(doc, job.output, keep_original)
        records.append(report_record(doc, job.label, with_output=True))
        progress.clear()
        if uncertain == "report":
            for segment in doc.segments:
                if segment.reason.startswith(UNCERTAIN_REASON):
                    click.echo(_segment_line(job.label, doc.original, segment), err=True)
        if not quiet:
            counts = {action: sum(s.action == action for s in doc.segments) for action in ("translate", "keep", "skip")}
            where = f" -> {job.output}" if job.output else ""
            click.echo(
                f"[{number}/{len(jobs)}] {job.label}{where}: {doc.translated} translated, "
                f"{counts['keep']} kept, {counts['skip']} skipped",
                err=True,
            )
    if report:
        write_atomic(Path(report), (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def _translate_jsonl(normalizer, job, fields, format_, on_error) -> None:
    def report(number: int, reason: str) -> None:
        click.echo(f"unilingo: {job.label}:{number}: bad record, {reason}", err=True)

    records = normalizer.normalize_records(
        _jsonl_lines(job), fields, "text" if format_ == "auto" else format_, on_error=on_error, on_bad_record=report
    )
    if job.output is None:
        _write_records(records, sys.stdout.buffer)
    else:
        with atomic_open(job.output) as handle:
            _write_records(records, handle)


def _jsonl_lines(job):
    # Standard input is read, never closed; a file is closed when the records end.
    stream = nullcontext(sys.stdin.buffer) if job.source is None else _open_input(job.source)
    with stream as lines:
        for number, line in enumerate(lines, start=1):
            try:
                yield line.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                raise InputError(f"{job.label}:{number} is not UTF-8: convert the file first") from None


def _open_input(path: Path):
    try:
        return open(path, "rb")
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None


def _write_records(records, handle) -> None:
    for record in records:
        line = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
        handle.write((line + "\n").encode("utf-8"))


class _TranslationProgress:
    """A running count of translated segments on a terminal's stderr, between the per-file lines."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.done = 0

    def advance(self, segments: int) -> None:
        self.done += segments
        if self.enabled:
            click.echo(f"\rtranslating: {self.done} segments done", nl=False, err=True)

    def clear(self) -> None:
        if self.enabled and self.done:
            click.echo("\r\033[K", nl=False, err=True)


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True)
@_detection_options
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per file.")
@_reports_errors
def detect(paths, target, models_file, format_, min_confidence, uncertain, also_detect, as_json):
    """Show what would be translated in PATHS, and why. Loads no model."""
    jobs = plan(paths, None, format_, writes=False)
    normalizer = _normalizer(target, models_file, min_confidence, uncertain, also_detect)
    records = []
    for job in jobs:
        text = _read(job)
        doc = normalizer.detect(text, job.format)
        if as_json:
            records.append(report_record(doc, job.label, with_output=False))
            continue
        for segment in doc.segments:
            click.echo(_segment_line(job.label, text, segment))
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=1))


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True)
@_detection_options
@click.option(
    "--keep-original",
    type=click.Choice(KEEP_ORIGINAL),
    default="inline",
    show_default=True,
    help="inline: an HTML comment after each translated Markdown block, a sidecar for other files; "
    "sidecar: always NAME.unilingo.json; none: keep nothing.",
)
@_translation_options
@click.option("--quiet", "-q", is_flag=True, help="No lines on standard error for fixed files.")
@_reports_errors
def fix(paths, target, models_file, format_, min_confidence, uncertain, also_detect, keep_original, quiet, **translation):
    """Translate, in place, what in PATHS is not in the target language, keeping the original.

    Exits 1 when it changed a file, as formatters do, so a pre-commit run
    shows the change; a second run changes nothing.
    """
    if STDIO in paths:
        raise click.UsageError("fix rewrites files in place; for standard input use 'unilingo translate -'")
    jobs = plan(paths, None, format_, writes=False)
    normalizer = _normalizer(target, models_file, min_confidence, uncertain, also_detect, **translation)
    texts = [_read(job) for job in jobs]
    changed = 0
    for job, doc in zip(jobs, normalizer.normalize_many(zip(texts, (job.format for job in jobs)))):
        if not doc.translated:
            continue
        write_document(doc, job.source, keep_original, in_place=True)
        changed += 1
        if not quiet:
            click.echo(f"fixed {job.label}: {doc.translated} segment(s) translated", err=True)
    if changed:
        sys.exit(int(ExitCode.FINDINGS))


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True)
@_detection_options
@_reports_errors
def check(paths, target, models_file, format_, min_confidence, uncertain, also_detect):
    """Fail when PATHS hold text that would be translated. Loads no model."""
    normalizer = _normalizer(target, models_file, min_confidence, uncertain, also_detect)
    findings = 0
    for job in plan(paths, None, format_, writes=False):
        text = _read(job)
        for segment in normalizer.detect(text, job.format).segments:
            if segment.action == "translate":
                findings += 1
                click.echo(f"{_position(job.label, text, segment)}: {segment.lang} ({segment.confidence:.2f}) "
                           f"{json.dumps(segment.text, ensure_ascii=False)}")  # fmt: skip
    if findings:
        click.echo(f"unilingo: {findings} segment(s) not in {target}; 'unilingo fix' translates them", err=True)
        sys.exit(int(ExitCode.FINDINGS))


def _position(label: str, text: str, segment) -> str:
    column = segment.start - (text.rfind("\n", 0, segment.start) + 1) + 1
    return f"{label}:{segment.line + 1}:{column}"


def _segment_line(label: str, text: str, segment) -> str:
    """``path:line:col: action lang (confidence) "text": reason``, as compilers and linters print."""
    return (
        f"{_position(label, text, segment)}: {segment.action} {segment.lang or '--'} "
        f"({segment.confidence:.2f}) {json.dumps(segment.text, ensure_ascii=False)}: {segment.reason}"
    )


def _normalizer(
    target, models_file, min_confidence, uncertain, also_detect, batch_size=DEFAULT_BATCH_SIZE,
    batch_tokens=DEFAULT_BATCH_TOKENS, beams=None, backend="auto", device="auto", quantize=None, threads=None,
    cache_path=None, no_cache=False,
):  # fmt: skip
    """The Normalizer the shared detection and translation options describe."""
    if no_cache and cache_path:
        raise click.UsageError("--cache and --no-cache contradict each other; give one")
    return Normalizer(
        target,
        models_file,
        min_confidence=min_confidence,
        uncertain=uncertain,
        also_detect=_languages(also_detect),
        batch_size=batch_size,
        batch_tokens=batch_tokens,
        engine=EngineOptions(backend, device, quantize, threads),
        generation=Generation(num_beams=beams),
        cache=False if no_cache else (cache_path or True),
    )


def _languages(comma_separated: str) -> list[str]:
    return [code.strip() for code in comma_separated.split(",") if code.strip()]


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--output", "-o", help="Write the original here ('-': standard output) instead of in place.")
@_reports_errors
def restore(paths, output):
    """Give back the original of unilingo outputs, byte for byte.

    In place by default: the output file becomes the original again and its
    sidecar, now redundant, is removed (or, after several fix runs, steps
    back to the run before).
    """
    if output is not None and len(paths) > 1:
        raise click.UsageError("restore -o takes one file; restore several in place instead")
    for raw in paths:
        path = Path(raw)
        if output is None:
            restore_in_place(path)
            click.echo(f"restored {path}", err=True)
            continue
        original = original_of(path)[0]
        if output == STDIO:
            sys.stdout.buffer.write(original.encode("utf-8"))
        else:
            write_atomic(Path(output), original.encode("utf-8"))


@cli.group()
def models() -> None:
    """The models file and the Hugging Face cache."""


@models.command("list", epilog=EXIT_CODES)
@click.option("--models", "models_file", type=click.Path(dir_okay=False), envvar=MODELS_ENV)
@_reports_errors
def models_list(models_file):
    """What the models file maps, and whether each model is available here."""
    table = load_models(models_file)
    click.echo(f"# {table.path}")
    for spec in table.specs:
        click.echo(f"{spec.source} {spec.target} {spec.name}  [{_availability(spec)}]")


def _availability(spec) -> str:
    if spec.is_local:
        return "local folder" if Path(spec.location).is_dir() else f"missing folder {spec.location}"
    return "cached" if cached_snapshot(spec) else "not cached: run 'unilingo models download'"


@models.command("download", epilog=EXIT_CODES)
@click.option("--models", "models_file", type=click.Path(dir_okay=False), envvar=MODELS_ENV)
@_reports_errors
def models_download(models_file):
    """Fetch every hub model of the models file into the Hugging Face cache."""
    for spec in load_models(models_file).specs:
        if spec.is_local:
            click.echo(f"{spec.name}: local folder, nothing to download", err=True)
            continue
        # huggingface_hub shows its own progress bars while it downloads.
        click.echo(f"{spec.name}: downloaded to {download(spec)}", err=True)


@cli.group()
def cache() -> None:
    """The translation memory: translations kept to answer re-runs without a model."""


_CACHE_FILE = click.option(
    "--cache", "cache_path", type=click.Path(dir_okay=False), help="Translation memory file. [default: the user cache one]"
)


@cache.command("stats", epilog=EXIT_CODES)
@_CACHE_FILE
@_reports_errors
def cache_stats(cache_path):
    """Where the translation memory is, how big, and its entries per model and settings."""
    stats = TranslationMemory(cache_path or default_memory_path()).stats()
    click.echo(f"{stats.path}: {stats.entries} translations, {stats.size_bytes / 1e6:.1f} MB")
    for model, entries in sorted(stats.models.items()):
        click.echo(f"  {entries:>9}  {model}")


@cache.command("clear", epilog=EXIT_CODES)
@_CACHE_FILE
@_reports_errors
def cache_clear(cache_path):
    """Forget every remembered translation."""
    memory = TranslationMemory(cache_path or default_memory_path())
    click.echo(f"{memory.path}: {memory.clear()} translations removed")


def _read(job) -> str:
    if job.source is None:
        return decode(sys.stdin.buffer.read(), job.label)
    return read_text(job.source)


def main() -> None:
    cli(prog_name="unilingo")
