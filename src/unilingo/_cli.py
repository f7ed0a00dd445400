"""The unilingo command: parses options and calls the library, nothing more."""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Sequence

import click
from click.core import ParameterSource

from . import __version__
from ._api import ON_ERROR, Normalizer
from ._detect import DEFAULT_LOOK_ALIKES, DEFAULT_MIN_CONFIDENCE, NO_MODEL_REASON, UNCERTAIN_POLICIES, UNCERTAIN_REASON
from ._errors import ExitCode, InputError, UnilingoError
from ._files import (
    KEEP_ORIGINAL,
    atomic_open,
    STDIO,
    decode,
    original_of,
    plan,
    restorable_under,
    restore_in_place,
    read_text,
    rendered,
    report_record,
    write_atomic,
    write_document,
)
from ._config import config_for
from ._frontmatter import DEFAULT_KEYS as FRONT_MATTER_KEYS
from . import formats
from ._engines import BACKENDS, DEVICES, QUANTIZATIONS, TRANSFORMERS_BEAM_TOKENS, EngineOptions
from ._memory import CACHE_DIR_ENV, TranslationMemory, default_memory_path
from ._models import MODELS_ENV, load_models
from ._translate import CUDA_BATCH_SIZE, CUDA_BATCH_TOKENS, DEFAULT_BATCH_SIZE, DEFAULT_BATCH_TOKENS, Generation, cached_snapshot, download

EXIT_CODES = f"""\b
Exit codes:
  {ExitCode.OK}  success
  {ExitCode.FINDINGS}  check found text not in the target language; fix changed files or left some untranslated
  {ExitCode.USAGE}  usage error: bad option, unknown language, bad models file line, output over its input
  {ExitCode.INPUT}  input missing, unreadable, not UTF-8, binary, or nothing to restore; a restore that could not be exact
  {ExitCode.MODEL}  a model cannot be found, downloaded or loaded
  {ExitCode.OUTPUT}  an output cannot be written

\b
In a batch, each input that fails is reported on its own line, the others are
done, and the run exits with the first failure's code.
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
            "--glossary",
            type=click.Path(dir_okay=False),
            help="TSV of terms: 'term<TAB>translation', or a term alone to keep it as it is (whole words, case-sensitive).",
        ),
        click.option(
            "--front-matter-keys",
            default=",".join(FRONT_MATTER_KEYS),
            show_default=True,
            help="Comma-separated front-matter keys whose values are translated (Markdown).",
        ),
        click.option(
            "--format",
            "format_",
            type=click.Choice(["auto", *formats.names()]),
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
        click.option(
            "--cache",
            "cache_path",
            type=click.Path(dir_okay=False),
            help=f"Translation memory (translations and language guesses). [default: translations.sqlite3 in the user cache folder or ${CACHE_DIR_ENV}]",
        ),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the translation memory."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _translation_options(command):
    options = [
        click.option("--batch-size", type=click.IntRange(min=1),
                     help=f"Most sentences in one model call. [default: {DEFAULT_BATCH_SIZE} on a CPU, {CUDA_BATCH_SIZE} on a GPU]"),
        click.option("--batch-tokens", type=click.IntRange(min=1),
                     help=f"Most padded input tokens in one model call (transformers on a CPU: also at most {TRANSFORMERS_BEAM_TOKENS} divided by the beams). "
                          f"[default: {DEFAULT_BATCH_TOKENS} on a CPU, {CUDA_BATCH_TOKENS} on a GPU]"),
        click.option("--beams", type=click.IntRange(min=1), help="Beam size. [default: the model's own, 4 for opus-mt]"),
        click.option("--backend", type=click.Choice(BACKENDS), default="auto", show_default=True,
                     help="auto: ctranslate2 when installed (pip install 'unilingo[fast]'), else transformers."),
        click.option("--device", type=click.Choice(DEVICES), default="auto", show_default=True,
                     help="auto: CUDA when a CUDA device is present (float16), else CPU."),
        click.option("--quantize", type=click.Choice(QUANTIZATIONS),
                     help="int8 weights on CPU. [default: int8 for ctranslate2, none for transformers]"),
        click.option("--threads", type=click.IntRange(min=1), help="CPU threads. [default: every core available]"),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def _keep_original_option(default: str):
    """--keep-original: translate writes beside its output by default, fix inside the file."""
    return click.option(
        "--keep-original",
        type=click.Choice(KEEP_ORIGINAL),
        default=default,
        show_default=True,
        help="sidecar: NAME.unilingo.json beside the output; inline: an HTML comment after each translated "
        "Markdown or HTML block (other files, and HTML whose translated text lies in a title or an attribute, "
        "fall back to a sidecar); none: keep nothing.",
    )


class _EchoHandler(logging.Handler):
    """Library warnings (a busy translation memory, ...) as one 'unilingo: warning:' line each."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"unilingo: {record.levelname.lower()}: {record.getMessage()}", err=True)


@click.group(epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="unilingo")
def cli() -> None:
    """Turn mixed-language documents into single-language ones, keeping the original.

    Settings may also come from .unilingo.toml or [tool.unilingo] in
    pyproject.toml, the nearest one above each file; options given here win.
    """
    logger = logging.getLogger("unilingo")
    logger.handlers[:] = [_EchoHandler()]
    logger.setLevel(logging.WARNING)
    logger.propagate = False


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True)
@click.option("--output", "-o", help="Output folder (created if missing); '-' or none for one input: standard output.")
@_detection_options
@_keep_original_option("sidecar")
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
def translate(paths, output, format_, report, quiet, jsonl, fields, on_error, **options):
    """Translate PATHS (files, folders, or - for standard input) into the target language."""
    # JSON Lines files are read as records whatever their name; --format is for their fields.
    jobs = plan(paths, output, "text" if jsonl else format_)
    if jsonl:
        if any(Path(path).is_dir() for path in paths):
            raise click.UsageError("--jsonl takes files or -, not folders")
        for settings, grouped in _configured(jobs, options):
            for job in grouped:
                _translate_jsonl(_normalizer(settings), job, list(fields), format_, on_error, quiet)
        return
    if fields:
        raise click.UsageError("--field goes with --jsonl")
    records = []
    progress = _Progress(len(jobs), "file", enabled=not quiet)
    failures = _Failures(progress)
    number = 0
    for settings, grouped in _configured(jobs, options):
        normalizer = _normalizer(settings)
        readable = ((job, (text, job.format)) for job, text in _readable(grouped, failures))
        for job, doc in _documents(normalizer, readable, lambda job: job.label, failures, progress):
            number += 1
            _report_unsegmented(progress, job.label, doc)
            rejected = _report_rejected(progress, job.label, doc)
            try:
                if job.output is None:
                    text = rendered(doc, settings["keep_original"])
                    formats.get(doc.format).check_output(text, job.label)
                    if doc.translated and settings["keep_original"] != "none" and text == doc.text:
                        progress.echo(_ORIGINAL_NOT_KEPT)
                    sys.stdout.buffer.write(text.encode("utf-8"))
                else:
                    write_document(doc, job.output, settings["keep_original"])
            except UnilingoError as error:
                failures.add(error)
                progress.advance()
                continue
            records.append(report_record(doc, job.label, with_output=True))
            if settings["uncertain"] == "report":
                for segment in doc.segments:
                    if segment.reason.startswith(UNCERTAIN_REASON):
                        progress.echo(_segment_line(job.label, doc.original, segment))
            if not quiet:
                counts = {action: sum(s.action == action for s in doc.segments) for action in ("translate", "keep", "skip")}
                where = f" -> {job.output}" if job.output else ""
                progress.echo(f"[{number}/{len(jobs)}] {job.label}{where}: {doc.translated} translated, "
                              f"{counts['keep'] - rejected} kept, {counts['skip']} skipped"
                              + (f", {rejected} not translated (translation rejected)" if rejected else ""))  # fmt: skip
            progress.advance()
    progress.close()
    if report:
        write_atomic(Path(report), (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    failures.exit_if_any(len(jobs))


class _Failures:
    """Inputs of a batch that failed: each reported on one line as it happens, the rest done, the exit code at the end."""

    def __init__(self, progress: "_Progress | None" = None) -> None:
        self.progress = progress
        self.errors: list[UnilingoError] = []

    def add(self, error: UnilingoError) -> None:
        self.errors.append(error)
        line = f"unilingo: error: {error}"
        if self.progress is not None:
            self.progress.echo(line)
        else:
            click.echo(line, err=True)

    def exit_if_any(self, inputs: int) -> None:
        """Exit with the first failure's code when any input failed."""
        if self.errors:
            if inputs > 1:
                click.echo(f"unilingo: {len(self.errors)} of {inputs} inputs failed; the others are done", err=True)
            sys.exit(int(self.errors[0].exit_code))


def _documents(normalizer, items, label_of, failures: _Failures, progress: "_Progress"):
    """(item, its document) for each (item, source) of ``items`` translated; one whose translation failed is reported and left out."""
    seen: list = []
    failed: set[int] = set()

    def sources():
        for item, source in items:
            seen.append(item)
            yield source

    def on_failed(index: int, error: Exception) -> None:
        failed.add(index)
        message = str(error).strip().splitlines()[0] if str(error).strip() else ""
        failures.add(InputError(f"{label_of(seen[index])}: not written: unilingo failed on it "
                                f"({type(error).__name__}: {message}); please report this"))  # fmt: skip
        progress.advance()

    index = 0
    for doc in normalizer.normalize_many(sources(), on_translated=progress.segments_done, on_failed=on_failed):
        while index in failed:
            index += 1
        yield seen[index], doc
        seen[index] = None  # done with: a long batch keeps no more than it must
        index += 1


def _readable(jobs, failures: _Failures):
    """(job, text) of each job that can be read; the others reported as failures."""
    for job in jobs:
        try:
            text = _read(job)
        except InputError as error:
            failures.add(error)
            continue
        yield job, text


def _report_unsegmented(progress: "_Progress", label: str, doc) -> None:
    for segment in doc.segments:
        if segment.unsegmented:
            progress.echo(f"unilingo: warning: {_position(label, doc.original, segment)}: not translated: {segment.reason}")


def _report_rejected(progress: "_Progress", label: str, doc) -> int:
    """Warn of each segment whose translation was rejected; how many there were."""
    rejected = [segment for segment in doc.segments if segment.rejected]
    for segment in rejected:
        progress.echo(f"unilingo: warning: {_position(label, doc.original, segment)}: not translated: {segment.reason}: "
                      f"{json.dumps(segment.text, ensure_ascii=False)}")  # fmt: skip
    return len(rejected)


# What fix says when text it should translate stays as it was, and check will keep finding it.
_REJECTED_ADVICE = ("translate them by hand, or keep them from unilingo with <!-- unilingo: off --> ... "
                    "<!-- unilingo: on --> or 'unilingo: ignore' on their line")  # fmt: skip


# Standard output has no place for a sidecar; said unless --keep-original none asked for nothing.
_ORIGINAL_NOT_KEPT = ("unilingo: warning: standard output has no sidecar, so the original is not kept: "
                      "use --keep-original inline (Markdown, HTML) or --report FILE, or -o with a file input")  # fmt: skip


# Settings a configuration file may give, by the option they stand in for.
_CONFIGURABLE = {
    "target": "target",
    "models": "models_file",
    "min_confidence": "min_confidence",
    "uncertain": "uncertain",
    "also_detect": "also_detect",
    "keep_original": "keep_original",
    "glossary": "glossary",
    "front_matter_keys": "front_matter_keys",
}


def _configured(jobs, options):
    """Jobs grouped by the settings that apply to them: the nearest configuration file's under the options given.

    An option given on the command line or through the environment wins over
    the file; files matched by the file's ``exclude`` globs are left out.
    """
    context = click.get_current_context()
    groups: dict = {}
    for job in jobs:
        config = config_for(job.source)
        if job.source is not None and config.excludes(job.source):
            continue
        groups.setdefault(config.path, (config, []))[1].append(job)
    for config, grouped in groups.values():
        settings = dict(options)
        for key, value in config.values.items():
            name = _CONFIGURABLE.get(key)
            if name in settings and context.get_parameter_source(name) in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP):
                settings[name] = ",".join(value) if key == "also_detect" else value
        yield settings, grouped


def _translate_jsonl(normalizer, job, fields, format_, on_error, quiet) -> None:
    progress = _Progress(None, "record", enabled=not quiet)

    def report(number: int, reason: str) -> None:
        progress.echo(f"unilingo: {job.label}:{number}: bad record, {reason}")

    records = normalizer.normalize_records(
        _jsonl_lines(job), fields, "text" if format_ == "auto" else format_, on_error=on_error, on_bad_record=report
    )
    if job.output is None:
        _write_records(records, sys.stdout.buffer, progress)
    else:
        with atomic_open(job.output) as handle:
            _write_records(records, handle, progress)
    progress.close()


def _jsonl_lines(job):
    # Standard input is read, never closed; a file is closed when the records end.
    stream = nullcontext(sys.stdin.buffer) if job.source is None else _open_input(job.source)
    with stream as lines:
        for line in lines:
            try:
                yield line.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                # A bad record like any other: normalize_records reports it, and passes it through byte for byte on --on-error keep.
                yield line.rstrip(b"\r\n")


def _open_input(path: Path):
    try:
        return open(path, "rb")
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None


def _write_records(records, handle, progress) -> None:
    for record in records:
        if isinstance(record, bytes):
            handle.write(record + b"\n")
        else:
            line = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
            try:
                data = (line + "\n").encode("utf-8")
            except UnicodeEncodeError:
                # A field left alone may hold a lone surrogate (a JSON escape like \ud800): escaped, it goes out as it came in.
                data = (json.dumps(record) + "\n").encode("utf-8")
            handle.write(data)
        progress.advance()


class _Progress:
    """A progress bar of files or records on standard error, when it is a terminal; lines printed above it."""

    def __init__(self, total: int | None, unit: str, enabled: bool) -> None:
        self.bar = None
        self.segments = 0
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False, desc="unilingo")

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.update()

    def segments_done(self, count: int) -> None:
        self.segments += count
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self.segments} segments translated", refresh=True)

    def echo(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            click.echo(line, err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True)
@_detection_options
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per file.")
@_reports_errors
def detect(paths, format_, as_json, **options):
    """Show what would be translated in PATHS, and why. Loads no model."""
    records = []
    jobs = plan(paths, None, format_, writes=False)
    failures = _Failures()
    for settings, grouped in _configured(jobs, options):
        normalizer = _normalizer(settings)
        for job, text in _readable(grouped, failures):
            doc = normalizer.detect(text, job.format)
            if as_json:
                records.append(report_record(doc, job.label, with_output=False))
                continue
            for segment in doc.segments:
                click.echo(_segment_line(job.label, text, segment))
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=1))
    failures.exit_if_any(len(jobs))


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True)
@_detection_options
@_keep_original_option("inline")
@_translation_options
@click.option("--quiet", "-q", is_flag=True, help="No lines on standard error for fixed files.")
@_reports_errors
def fix(paths, format_, quiet, **options):
    """Translate, in place, what in PATHS is not in the target language, keeping the original.

    Exits 1 when it changed a file, as formatters do, so a pre-commit run
    shows the change; a second run changes nothing. Exits 1 too when text it
    should translate stays as it was (the model's translation was rejected),
    each such segment listed on standard error.
    """
    if STDIO in paths:
        raise click.UsageError("fix rewrites files in place; for standard input use 'unilingo translate -'")
    jobs = plan(paths, None, format_, writes=False)
    changed = untranslated = 0
    progress = _Progress(len(jobs), "file", enabled=not quiet)
    failures = _Failures(progress)
    for settings, grouped in _configured(jobs, options):
        normalizer = _normalizer(settings)
        ready = []
        for job, text in _readable(grouped, failures):
            try:
                refreshed = normalizer.refresh_inline_originals(text, job.label, job.format) if formats.get(job.format).supports_inline else text
            except InputError as error:
                failures.add(error)
                continue
            ready.append((job, text, refreshed))
        pairs = (((job, text), (refreshed, job.format)) for job, text, refreshed in ready)
        for (job, text), doc in _documents(normalizer, pairs, lambda item: item[0].label, failures, progress):
            progress.advance()
            _report_unsegmented(progress, job.label, doc)
            untranslated += _report_rejected(progress, job.label, doc)
            if not doc.translated and doc.original == text:
                continue
            try:
                write_document(doc, job.source, settings["keep_original"], in_place=True, read=text)
            except UnilingoError as error:
                failures.add(error)
                continue
            changed += 1
            if not quiet:
                again = "; edited originals translated again" if doc.original != text else ""
                progress.echo(f"fixed {job.label}: {doc.translated} segment(s) translated{again}")
    progress.close()
    failures.exit_if_any(len(jobs))
    if untranslated:
        click.echo(f"unilingo: {untranslated} segment(s) could not be translated (the model's translation was rejected), "
                   f"so 'unilingo check' still finds them: {_REJECTED_ADVICE}", err=True)  # fmt: skip
    if changed or untranslated:
        sys.exit(int(ExitCode.FINDINGS))


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True)
@_detection_options
@_reports_errors
def check(paths, format_, **options):
    """Fail when PATHS hold text not in the target language. Loads no model.

    Findings are text that would be translated, and text surely in English,
    German or a language that is no candidate, with no model into the target
    (German under --target fr with no 'de fr' line in the models file,
    Italian under --target en; its line says so). Languages of
    --also-detect are recognised to be left alone and never fail the check,
    nor do names, codes or uncertain segments. With --uncertain report, the
    uncertain ones are listed on standard error.
    """
    findings = 0
    targets = set()
    without_model = set()
    jobs = plan(paths, None, format_, writes=False)
    failures = _Failures()
    for settings, grouped in _configured(jobs, options):
        normalizer = _normalizer(settings)
        targets.add(settings["target"])
        for job, text in _readable(grouped, failures):
            for segment in normalizer.detect(text, job.format).segments:
                if normalizer.detector.is_finding(segment.lang, segment.action, segment.reason):
                    findings += 1
                    line = (f"{_position(job.label, text, segment)}: {segment.lang} ({segment.confidence:.2f}) "
                            f"{json.dumps(segment.text, ensure_ascii=False)}")  # fmt: skip
                    if segment.action != "translate":
                        line += f": {segment.reason}"
                    if segment.reason.startswith(NO_MODEL_REASON):
                        without_model.add(f"{segment.lang} {settings['target']}")
                    click.echo(line)
                elif settings["uncertain"] == "report" and segment.reason.startswith(UNCERTAIN_REASON):
                    click.echo(_segment_line(job.label, text, segment), err=True)
    failures.exit_if_any(len(jobs))
    if findings:
        how = "'unilingo fix' translates them"
        if without_model:
            lines = " and ".join(f"'{pair} MODEL'" for pair in sorted(without_model))
            how = f"for those with no model, add {lines} to the models file (--models), then 'unilingo fix' translates them"
        click.echo(f"unilingo: {findings} segment(s) not in {'/'.join(sorted(targets))}; {how}", err=True)
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


def _normalizer(settings: dict) -> Normalizer:
    """The Normalizer the detection and translation options describe; one per distinct settings, so one model load."""
    options = {name: value for name, value in settings.items() if name != "keep_original"}
    made = click.get_current_context().meta.setdefault("unilingo.normalizers", {})
    key = tuple(sorted(options.items()))
    if key not in made:
        made[key] = _make_normalizer(options)
    return made[key]


def _make_normalizer(options: dict) -> Normalizer:
    if options.get("no_cache") and options.get("cache_path"):
        raise click.UsageError("--cache and --no-cache contradict each other; give one")
    return Normalizer(
        options["target"],
        options["models_file"],
        min_confidence=options["min_confidence"],
        uncertain=options["uncertain"],
        also_detect=_comma_list(options["also_detect"]),
        batch_size=options.get("batch_size"),
        batch_tokens=options.get("batch_tokens"),
        engine=EngineOptions(options.get("backend", "auto"), options.get("device", "auto"), options.get("quantize"), options.get("threads")),
        generation=Generation(num_beams=options.get("beams")),
        cache=False if options.get("no_cache") else (options.get("cache_path") or True),
        glossary=options.get("glossary"),
        front_matter_keys=_comma_list(options.get("front_matter_keys", FRONT_MATTER_KEYS)),
    )


def _comma_list(values: str | Sequence[str]) -> tuple[str, ...]:
    # A configuration file gives a list, the command line a comma-separated string.
    return tuple(value.strip() for value in (values.split(",") if isinstance(values, str) else values) if value.strip())


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--output", "-o", help="Write the original to this file, into this folder (an existing one, or a name ending in /), or to standard output ('-'), instead of in place.")
@click.option("--force", is_flag=True, help="Restore an output edited since unilingo wrote it, keeping the edited file as NAME.edited "
              "(with -o: write the original as it is now).")
@click.option("--format", "format_", type=click.Choice(["auto", *formats.inline_names()]), default="auto", show_default=True,
              help="How to read inline originals; auto goes by file extension. Give the --format the file was translated with.")
@_reports_errors
def restore(paths, output, force, format_):
    """Give back the original of unilingo outputs, byte for byte.

    In place by default: the output file becomes the original again and its
    sidecar, now redundant, is removed (or, after several fix runs, steps
    back to the run before). An output edited since unilingo wrote it is
    refused, so that the edit is not lost; --force keeps it as NAME.edited
    and restores. A restore that cannot be exact is refused, the file left
    as it is. A folder restores every unilingo output below it, as translate
    walks it.
    """
    if output is not None and (len(paths) > 1 or Path(paths[0]).is_dir()):
        raise click.UsageError("restore -o takes one file; restore several, or a folder, in place instead")
    files = [file for raw in paths for file in (restorable_under(Path(raw)) if Path(raw).is_dir() else [Path(raw)])]
    failures = _Failures()
    for path in files:
        try:
            if output is None:
                kept = restore_in_place(path, force=force, format=format_)
                click.echo(f"restored {path}" + (f"; the edited file is kept as {kept}" if kept else ""), err=True)
                continue
            original = original_of(path, format_, edited=force)[0]
            if output == STDIO:
                sys.stdout.buffer.write(original.encode("utf-8"))
                continue
            destination = Path(output)
            if output.endswith(("/", os.sep)) or destination.is_dir():
                destination = destination / path.name
            write_atomic(destination, original.encode("utf-8"))
        except UnilingoError as error:
            failures.add(error)
    failures.exit_if_any(len(files))


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
    """Forget every remembered translation; a damaged memory file is replaced by an empty one."""
    memory = TranslationMemory(cache_path or default_memory_path())
    cleared = memory.clear()
    if cleared.recreated:
        click.echo(f"{memory.path}: damaged, recreated")
    else:
        click.echo(f"{memory.path}: {cleared.removed} translations removed")


def _read(job) -> str:
    text = decode(sys.stdin.buffer.read(), job.label) if job.source is None else read_text(job.source)
    formats.get(job.format).check_input(text, job.label)
    return text


def main() -> None:
    cli(prog_name="unilingo")
