"""The unilingo command: parses options and calls the library, nothing more."""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from pathlib import Path

import click
from click.core import ParameterSource

from . import __version__
from ._api import ON_ERROR
from ._batch import documents
from ._config import configured
from ._errors import ExitCode, InputError, UnilingoError
from ._files import INLINE_FORMATS, STDIO, atomic_open, decode, original_of, plan, read_text, rendered, report_record, restorable_under, restore_in_place, write_atomic, write_document
from ._findings import Check, Fix, listed_uncertain
from ._html import check_encoding, check_output_encoding
from ._jsonl import lines, write_records
from ._memory import TranslationMemory, default_memory_path
from ._models import MODELS_ENV, load_models
from ._settings import LISTS, Group, Kind, Normalizers, Setting, options_of
from ._translate import cached_snapshot, download

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


# Click types of the kinds that have one; a list is given comma-separated, a language as it is.
_CLICK_TYPES = {Kind.FILE: click.Path(dir_okay=False), Kind.CONFIDENCE: click.FloatRange(0.0, 1.0), Kind.COUNT: click.IntRange(min=1)}


def _settings_options(command_name: str, group: Group):
    """The options of the settings of ``group`` that ``command_name`` takes, from the schema."""

    def add(command):
        for setting in reversed(options_of(command_name, group)):
            command = _option(setting, command_name)(command)
        return command

    return add


def _option(setting: Setting, command_name: str):
    default = setting.default_for(command_name)
    extra: dict = {"envvar": setting.env} if setting.env else {}
    if setting.kind is Kind.FLAG:
        extra["is_flag"] = True
    elif setting.kind is Kind.CHOICE:
        extra["type"] = click.Choice(setting.choices)
    elif setting.kind in _CLICK_TYPES:
        extra["type"] = _CLICK_TYPES[setting.kind]
    if default is not None:
        extra["default"] = ",".join(default) if setting.kind in LISTS else default
    return click.option(*setting.flags, setting.name, show_default=setting.show_default, help=setting.help, **extra)


def _given(options: dict) -> set[str]:
    """The options given on the command line or through the environment: they win over configuration files."""
    context = click.get_current_context()
    return {name for name in options if context.get_parameter_source(name) not in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)}


def _configured(jobs, options):
    """Jobs grouped by their settings (see ``configured``), once the options are found to agree."""
    for settings, grouped in configured(jobs, options, _given(options)):
        if settings.get("no_cache") and settings.get("cache_path"):
            raise click.UsageError("--cache and --no-cache contradict each other; give one")
        yield settings, grouped


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
@_settings_options("translate", Group.DETECTION)
@_settings_options("translate", Group.ORIGINAL)
@click.option("--report", type=click.Path(dir_okay=False), help="Write every segment's decision and output as JSON here.")
@_settings_options("translate", Group.TRANSLATION)
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
def translate(paths, output, format, report, quiet, jsonl, fields, on_error, **options):
    """Translate PATHS (files, folders, or - for standard input) into the target language."""
    # JSON Lines files are read as records whatever their name; --format is for their fields.
    jobs = plan(paths, output, "text" if jsonl else format)
    normalizers = Normalizers()
    if jsonl:
        if any(Path(path).is_dir() for path in paths):
            raise click.UsageError("--jsonl takes files or -, not folders")
        for settings, grouped in _configured(jobs, options):
            for job in grouped:
                _translate_jsonl(normalizers.get(settings), job, list(fields), format, on_error, quiet)
        return
    if fields:
        raise click.UsageError("--field goes with --jsonl")
    records = []
    progress = _Progress(len(jobs), "file", enabled=not quiet)
    failures = _Failures(progress)
    number = 0
    for settings, grouped in _configured(jobs, options):
        readable = ((job, (text, job.format)) for job, text in _readable(grouped, failures))
        for job, doc in _documents(normalizers.get(settings), readable, lambda job: job.label, failures, progress):
            number += 1
            rejected = _report_problems(progress, job.label, doc)
            try:
                _put(doc, job, settings["keep_original"], progress)
            except UnilingoError as error:
                failures.add(error)
                progress.advance()
                continue
            records.append(report_record(doc, job.label, with_output=True))
            _report_uncertain(progress, job.label, doc, settings["uncertain"])
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


def _put(doc, job, keep_original: str, progress: "_Progress") -> None:
    """Write a translated document where its job says: a file with its original kept, or standard output."""
    if job.output is not None:
        write_document(doc, job.output, keep_original)
        return
    text = rendered(doc, keep_original)
    if doc.format == "html":
        check_output_encoding(text, job.label)
    if doc.translated and keep_original != "none" and text == doc.text:
        progress.echo(_ORIGINAL_NOT_KEPT)
    sys.stdout.buffer.write(text.encode("utf-8"))


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
    """``documents`` of the library, each input that fails reported as it happens."""

    def failed(error: InputError) -> None:
        failures.add(error)
        progress.advance()

    return documents(normalizer, items, label_of, failed, progress.segments_done)


def _readable(jobs, failures: _Failures):
    """(job, text) of each job that can be read; the others reported as failures."""
    for job in jobs:
        try:
            text = _read(job)
        except InputError as error:
            failures.add(error)
            continue
        yield job, text


def _report_problems(progress: "_Progress", label: str, doc) -> int:
    """Warn of each segment left untranslated for a reason of unilingo's; how many the model's translation was rejected for."""
    for segment in doc.segments:
        if segment.unsegmented:
            progress.echo(f"unilingo: warning: {_position(label, doc.original, segment)}: not translated: {segment.reason}")
    rejected = [segment for segment in doc.segments if segment.rejected]
    for segment in rejected:
        progress.echo(f"unilingo: warning: {_position(label, doc.original, segment)}: not translated: {segment.reason}: "
                      f"{json.dumps(segment.text, ensure_ascii=False)}")  # fmt: skip
    return len(rejected)


def _report_uncertain(progress: "_Progress", label: str, doc, uncertain: str) -> None:
    for segment in doc.segments:
        if listed_uncertain(segment, uncertain):
            progress.echo(_segment_line(label, doc.original, segment))


# Standard output has no place for a sidecar; said unless --keep-original none asked for nothing.
_ORIGINAL_NOT_KEPT = ("unilingo: warning: standard output has no sidecar, so the original is not kept: "
                      "use --keep-original inline (Markdown, HTML) or --report FILE, or -o with a file input")  # fmt: skip


def _translate_jsonl(normalizer, job, fields, format, on_error, quiet) -> None:
    progress = _Progress(None, "record", enabled=not quiet)

    def report(number: int, reason: str) -> None:
        progress.echo(f"unilingo: {job.label}:{number}: bad record, {reason}")

    records = normalizer.normalize_records(
        lines(job.source), fields, "text" if format == "auto" else format, on_error=on_error, on_bad_record=report
    )
    if job.output is None:
        write_records(records, sys.stdout.buffer, progress.advance)
    else:
        with atomic_open(job.output) as handle:
            write_records(records, handle, progress.advance)
    progress.close()


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
@_settings_options("detect", Group.DETECTION)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per file.")
@_reports_errors
def detect(paths, format, as_json, **options):
    """Show what would be translated in PATHS, and why. Loads no model."""
    records = []
    jobs = plan(paths, None, format, writes=False)
    failures = _Failures()
    normalizers = Normalizers()
    for settings, grouped in _configured(jobs, options):
        normalizer = normalizers.get(settings)
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
@_settings_options("fix", Group.DETECTION)
@_settings_options("fix", Group.ORIGINAL)
@_settings_options("fix", Group.TRANSLATION)
@click.option("--quiet", "-q", is_flag=True, help="No lines on standard error for fixed files.")
@_reports_errors
def fix(paths, format, quiet, **options):
    """Translate, in place, what in PATHS is not in the target language, keeping the original.

    Exits 1 when it changed a file, as formatters do, so a pre-commit run
    shows the change; a second run changes nothing. Exits 1 too when text it
    should translate stays as it was (the model's translation was rejected),
    each such segment listed on standard error.
    """
    if STDIO in paths:
        raise click.UsageError("fix rewrites files in place; for standard input use 'unilingo translate -'")
    jobs = plan(paths, None, format, writes=False)
    outcome = Fix()
    progress = _Progress(len(jobs), "file", enabled=not quiet)
    failures = _Failures(progress)
    normalizers = Normalizers()
    for settings, grouped in _configured(jobs, options):
        normalizer = normalizers.get(settings)
        pairs = (((job, text), (refreshed, job.format)) for job, text, refreshed in _refreshed(normalizer, grouped, failures))
        for (job, text), doc in _documents(normalizer, pairs, lambda item: item[0].label, failures, progress):
            progress.advance()
            outcome.untranslated += _report_problems(progress, job.label, doc)
            if not doc.translated and doc.original == text:
                continue
            try:
                write_document(doc, job.source, settings["keep_original"], in_place=True, read=text)
            except UnilingoError as error:
                failures.add(error)
                continue
            outcome.changed += 1
            if not quiet:
                again = "; edited originals translated again" if doc.original != text else ""
                progress.echo(f"fixed {job.label}: {doc.translated} segment(s) translated{again}")
    progress.close()
    failures.exit_if_any(len(jobs))
    _finish(outcome.summary(), outcome.exit_code)


def _refreshed(normalizer, jobs, failures: _Failures):
    """(job, text, text with hand-edited inline originals translated again) of each job that can be read."""
    for job, text in _readable(jobs, failures):
        try:
            refreshed = normalizer.refresh_inline_originals(text, job.label, job.format) if job.format in ("markdown", "html") else text
        except InputError as error:
            failures.add(error)
            continue
        yield job, text, refreshed


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True)
@_settings_options("check", Group.DETECTION)
@_reports_errors
def check(paths, format, **options):
    """Fail when PATHS hold text not in the target language. Loads no model.

    Findings are text that would be translated, and text surely in English,
    German or a language that is no candidate, with no model into the target
    (German under --target fr with no 'de fr' line in the models file,
    Italian under --target en; its line says so). Languages of
    --also-detect are recognised to be left alone and never fail the check,
    nor do names, codes or uncertain segments. With --uncertain report, the
    uncertain ones are listed on standard error.
    """
    outcome = Check()
    jobs = plan(paths, None, format, writes=False)
    failures = _Failures()
    normalizers = Normalizers()
    for settings, grouped in _configured(jobs, options):
        normalizer = normalizers.get(settings)
        for job, text in _readable(grouped, failures):
            for segment, found in outcome.judged(normalizer, normalizer.detect(text, job.format)):
                if found:
                    line = (f"{_position(job.label, text, segment)}: {segment.lang} ({segment.confidence:.2f}) "
                            f"{json.dumps(segment.text, ensure_ascii=False)}")  # fmt: skip
                    click.echo(line if segment.action == "translate" else f"{line}: {segment.reason}")
                elif listed_uncertain(segment, settings["uncertain"]):
                    click.echo(_segment_line(job.label, text, segment), err=True)
    failures.exit_if_any(len(jobs))
    _finish(outcome.summary(), outcome.exit_code)


def _finish(summary: str | None, code: ExitCode) -> None:
    """Say how a run that went through ended, and exit with its code unless that is success."""
    if summary is not None:
        click.echo(f"unilingo: {summary}", err=True)
    if code != ExitCode.OK:
        sys.exit(int(code))


def _position(label: str, text: str, segment) -> str:
    column = segment.start - (text.rfind("\n", 0, segment.start) + 1) + 1
    return f"{label}:{segment.line + 1}:{column}"


def _segment_line(label: str, text: str, segment) -> str:
    """``path:line:col: action lang (confidence) "text": reason``, as compilers and linters print."""
    return (
        f"{_position(label, text, segment)}: {segment.action} {segment.lang or '--'} "
        f"({segment.confidence:.2f}) {json.dumps(segment.text, ensure_ascii=False)}: {segment.reason}"
    )


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--output", "-o", help="Write the original to this file, into this folder (an existing one, or a name ending in /), or to standard output ('-'), instead of in place.")
@click.option("--force", is_flag=True, help="Restore an output edited since unilingo wrote it, keeping the edited file as NAME.edited "
              "(with -o: write the original as it is now).")
@click.option("--format", type=click.Choice(["auto", *INLINE_FORMATS]), default="auto", show_default=True,
              help="How to read inline originals; auto goes by file extension. Give the --format the file was translated with.")
@_reports_errors
def restore(paths, output, force, format):
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
                kept = restore_in_place(path, force=force, format=format)
                click.echo(f"restored {path}" + (f"; the edited file is kept as {kept}" if kept else ""), err=True)
                continue
            original = original_of(path, format, edited=force)[0]
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
    if job.format == "html":
        check_encoding(text, job.label)
    return text


def main() -> None:
    cli(prog_name="unilingo")
