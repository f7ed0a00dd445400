"""The unilingo command: parses options and calls the library, nothing more."""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
from pathlib import Path

# A run allocates hundreds of thousands of small objects (imported modules, tokens, segments, guesses, rows)
# and frees them itself: the collector looks for cycles every 100,000 allocations, not every 700, and goes
# over the survivors again after 50 such looks, not 10. At 20,000 and 10 it took 0.05 s of `check` of a
# megabyte, 0.015 s of `detect` of 4,000 sentences; now 0.03 s and 0.002 s. Set before the imports below,
# whose objects it would otherwise walk some forty times, and at import, so a run through `cli.main` gets it too.
gc.set_threshold(100_000, 50, 10)

import click

from . import __version__
from ._api import ON_ERROR
from ._batch import documents
from ._decision import Action
from ._cli_options import configured, settings_options
from ._console import EchoHandler, Failures, Progress, as_option, finish, json_reports, position, quoted, report_problems, report_uncertain, reports_errors, segment_line
from ._errors import ExitCode, InputError, UnilingoError, printable
from ._files import NothingToRestore, STDIO, atomic_open, decode, original_of, plan, read_text, rendered, report_record, report_row, restorable_under, restore_in_place, write_atomic, write_document
from ._findings import Check, Fix, listed_uncertain
from . import formats
from ._jsonl import lines, write_records
from ._memory import TranslationMemory, default_memory_path
from ._models import MODELS_ENV, load_models
from ._settings import Group, Normalizers
from ._translate import cached_snapshot, download

EXIT_CODES = f"""\b
Exit codes:
  {ExitCode.OK}  success
  {ExitCode.FINDINGS}  check found text not in the target language; fix changed files or left some untranslated
  {ExitCode.USAGE}  usage error: bad option, unknown language, bad models file line, output over its input,
     a file extension unilingo does not read, a bad configuration file
  {ExitCode.INPUT}  input missing, unreadable, not UTF-8, binary, or nothing to restore; a restore that could not
     be exact or would lose an edit
  {ExitCode.MODEL}  a model cannot be found, downloaded or loaded
  {ExitCode.OUTPUT}  an output cannot be written

\b
In a batch, each input that fails is reported on its own line, the others are
done, and the run exits with the first failure's code.
"""


class _OneLineErrors(click.Group):
    """Usage errors in one line, as every other error: click's own take three (the usage, a hint, the error)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.NoArgsIsHelpError as error:
            error.show()  # no command at all: the help, as click gives it
            sys.exit(error.exit_code)
        except click.UsageError as error:
            hint = f" (see '{error.ctx.command_path} --help')" if error.ctx is not None else ""
            click.echo(f"unilingo: error: {printable(error.format_message().rstrip('.'))}{hint}", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            click.echo(f"unilingo: error: {printable(error.format_message())}", err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=_OneLineErrors, epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="unilingo")
def cli() -> None:
    """Turn mixed-language documents into single-language ones, keeping the original.

    Settings may also come from .unilingo.toml or [tool.unilingo] in
    pyproject.toml, the nearest one above each file; options given here win.
    """
    logger = logging.getLogger("unilingo")
    logger.handlers[:] = [EchoHandler()]
    logger.setLevel(logging.WARNING)
    logger.propagate = False


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True)
@click.option("--output", "-o", help="Output folder (created if missing); '-' or none for one input: standard output.")
@settings_options("translate", Group.DETECTION)
@settings_options("translate", Group.ORIGINAL)
@click.option("--report", type=click.Path(dir_okay=False), help="Write every segment's decision and output as JSON here (not with --jsonl: its records hold theirs).")
@settings_options("translate", Group.TRANSLATION)
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
@reports_errors
def translate(paths, output, format, report, quiet, jsonl, fields, on_error, **options):
    """Translate PATHS (files, folders, or - for standard input) into the target language."""
    # JSON Lines files are read as records whatever their name; --format is for their fields.
    jobs = plan(paths, output, "text" if jsonl else format)
    normalizers = Normalizers()
    if jsonl:
        if any(Path(path).is_dir() for path in paths):
            raise click.UsageError("--jsonl takes files or -, not folders")
        if not fields:
            # The library's own message names fields=[...]; here it is an option.
            raise click.UsageError("--jsonl needs --field NAME: a string field of the records to normalize; repeat it for more")
        if report:
            # Left unwritten, a report asked for would go missing without a word.
            raise click.UsageError("--report goes with documents; with --jsonl each record's 'unilingo' field holds its decisions")
        for settings, grouped in configured(jobs, options):
            for job in grouped:
                _translate_jsonl(normalizers.get(settings), job, list(fields), format, on_error, quiet)
        return
    if fields:
        raise click.UsageError("--field goes with --jsonl")
    records = []
    progress = Progress(len(jobs), "file", enabled=not quiet)
    failures = Failures(progress)
    number = 0
    for settings, grouped in configured(jobs, options):
        readable = ((job, (text, job.format)) for job, text in _readable(grouped, failures))
        for job, doc in _documents(normalizers.get(settings), readable, lambda job: job.label, failures, progress):
            number += 1
            rejected = report_problems(progress, job.label, doc)
            try:
                _put(doc, job, settings["keep_original"], progress)
            except UnilingoError as error:
                failures.add(error)
                progress.advance()
                continue
            records.append(report_record(doc, job.name, with_output=True))
            report_uncertain(progress, job.label, doc, settings["uncertain"])
            if not quiet:
                counts = {action: sum(s.action == action for s in doc.segments) for action in Action}
                where = f" -> {printable(str(job.output))}" if job.output else ""
                progress.echo(f"[{number}/{len(jobs)}] {job.label}{where}: {doc.translated} translated, "
                              f"{counts[Action.KEEP] - rejected} kept, {counts[Action.SKIP]} skipped"
                              + (f", {rejected} not translated (translation rejected)" if rejected else ""))  # fmt: skip
            progress.advance()
    progress.close()
    if report:
        write_atomic(Path(report), (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    failures.exit_if_any(len(jobs))


def _put(doc, job, keep_original: str, progress: Progress) -> None:
    """Write a translated document where its job says: a file with its original kept, or standard output."""
    if job.output is not None:
        write_document(doc, job.output, keep_original)
        return
    text = rendered(doc, keep_original)
    formats.get(doc.format).check_output(text, job.label)
    if doc.translated and keep_original != "none" and text == doc.text:
        progress.echo(_ORIGINAL_NOT_KEPT)
    sys.stdout.buffer.write(text.encode("utf-8"))


def _documents(normalizer, items, label_of, failures: Failures, progress: Progress):
    """``documents`` of the library, each input that fails reported as it happens."""

    def failed(error: InputError) -> None:
        failures.add(error)
        progress.advance()

    return documents(normalizer, items, label_of, failed, progress.segments_done)


def _readable(jobs, failures: Failures):
    """(job, text) of each job that can be read; the others reported as failures."""
    for job in jobs:
        try:
            text = _read(job)
        except InputError as error:
            failures.add(error)
            continue
        yield job, text


# Standard output has no place for a sidecar; said unless --keep-original none asked for nothing.
_ORIGINAL_NOT_KEPT = ("unilingo: warning: standard output has no sidecar, so the original is not kept: "
                      "use --keep-original inline (Markdown, HTML) or --report FILE, or -o with a file input")  # fmt: skip


def _translate_jsonl(normalizer, job, fields, format, on_error, quiet) -> None:
    progress = Progress(None, "record", enabled=not quiet)

    def report(number: int, reason: str) -> None:
        progress.echo(f"unilingo: {job.label}:{number}: bad record, {reason}")

    records = normalizer.normalize_records(
        lines(job.source), fields, "text" if format == "auto" else format, on_error=on_error, on_bad_record=report,
        source=job.label,
    )
    if job.output is None:
        write_records(records, sys.stdout.buffer, progress.advance)
    else:
        with atomic_open(job.output) as handle:
            write_records(records, handle, progress.advance)
    progress.close()


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True)
@settings_options("detect", Group.DETECTION)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per file and one segment a line.")
@reports_errors
def detect(paths, format, as_json, **options):
    """Show what would be translated in PATHS, and why. Loads no model."""
    jobs = plan(paths, None, format, writes=False)
    failures = Failures()
    detected = _detected(jobs, options, failures)
    if as_json:
        reports = ((job.name, normalizer.target, (report_row(row, with_output=False) for row in rows)) for job, _, normalizer, _, rows in detected)
        # Written as the stream buffers it: click.echo flushes each piece, a write per segment and a twentieth of the run.
        for piece in json_reports(reports):
            sys.stdout.write(piece)
        click.echo()
    else:
        for job, text, _, _, rows in detected:
            for segment in rows:
                click.echo(segment_line(job.label, text, segment))
    failures.exit_if_any(len(jobs))


def _detected(jobs, options, failures: Failures):
    """(job, text, its normalizer, its settings, its segments' rows) of each readable job; the rows come a window at a time."""
    normalizers = Normalizers()
    for settings, grouped in configured(jobs, options):
        normalizer = normalizers.get(settings)
        for job, text in _readable(grouped, failures):
            yield job, text, normalizer, settings, normalizer.detect_rows(text, job.format)


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True)
@settings_options("fix", Group.DETECTION)
@settings_options("fix", Group.ORIGINAL)
@settings_options("fix", Group.TRANSLATION)
@click.option("--quiet", "-q", is_flag=True, help="No lines on standard error for fixed files.")
@reports_errors
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
    progress = Progress(len(jobs), "file", enabled=not quiet)
    failures = Failures(progress)
    normalizers = Normalizers()
    for settings, grouped in configured(jobs, options):
        normalizer = normalizers.get(settings)
        pairs = (((job, text), (refreshed, job.format)) for job, text, refreshed in _refreshed(normalizer, grouped, failures))
        for (job, text), doc in _documents(normalizer, pairs, lambda item: item[0].label, failures, progress):
            progress.advance()
            outcome.untranslated += report_problems(progress, job.label, doc)
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
    finish(outcome.summary(), outcome.exit_code)


def _refreshed(normalizer, jobs, failures: Failures):
    """(job, text, text with hand-edited inline originals translated again) of each job that can be read."""
    for job, text in _readable(jobs, failures):
        try:
            refreshed = normalizer.refresh_inline_originals(text, job.label, job.format) if formats.get(job.format).supports_inline else text
        except InputError as error:
            failures.add(error)
            continue
        yield job, text, refreshed


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True)
@settings_options("check", Group.DETECTION)
@reports_errors
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
    failures = Failures()
    for job, text, normalizer, settings, rows in _detected(jobs, options, failures):
        for segment, found in outcome.judged(normalizer, rows):
            if found:
                line = (f"{position(job.label, text, segment)}: {segment.lang} ({segment.confidence:.2f}) "
                        f"{quoted(segment.text)}")  # fmt: skip
                click.echo(line if segment.action == Action.TRANSLATE else f"{line}: {segment.reason}")
            elif listed_uncertain(segment, settings["uncertain"]):
                click.echo(segment_line(job.label, text, segment), err=True)
    failures.exit_if_any(len(jobs))
    finish(outcome.summary(), outcome.exit_code)


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--output", "-o", help="Write the original to this file, into this folder (an existing one, or a name ending in /), or to standard output ('-'), instead of in place.")
@click.option("--force", is_flag=True, help="Restore an output edited since unilingo wrote it, keeping the edited file as NAME.edited "
              "(with -o: write the original as it is now).")
@click.option("--format", type=click.Choice(["auto", *formats.inline_names()]), default="auto", show_default=True,
              help="How to read inline originals; auto goes by file extension. Give the --format the file was translated with.")
@reports_errors
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
    failures = Failures()
    for path in files:
        try:
            if output is None:
                kept = restore_in_place(path, force=force, format=format)
                click.echo(f"restored {printable(str(path))}" + (f"; the edited file is kept as {printable(str(kept))}" if kept else ""), err=True)
                continue
            original = original_of(path, format, edited=force)[0]
            if output == STDIO:
                sys.stdout.buffer.write(original.encode("utf-8"))
                continue
            destination = Path(output)
            if output.endswith(("/", os.sep)) or destination.is_dir():
                destination = destination / path.name
            write_atomic(destination, original.encode("utf-8"))
        except NothingToRestore as error:
            if len(files) == 1:
                raise
            # Among several files (a glob, a hook's list), one that fix or --keep-original inline left as it was.
            click.echo(f"unilingo: {error.shown(as_option)}; left as it is", err=True)
        except UnilingoError as error:
            failures.add(error)
    failures.exit_if_any(len(files))


@cli.group()
def models() -> None:
    """The models file and the Hugging Face cache."""


# Configuration files are found from the files a command reads; these commands read none, so only this names the file.
_MODELS_FILE = click.option(
    "--models", "models_file", type=click.Path(dir_okay=False), envvar=MODELS_ENV,
    help=f"Models file; a configuration file's 'models' is not read here. [default: ${MODELS_ENV} or the bundled models.txt]",
)


@models.command("list", epilog=EXIT_CODES)
@_MODELS_FILE
@reports_errors
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
@_MODELS_FILE
@reports_errors
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
@reports_errors
def cache_stats(cache_path):
    """Where the translation memory is, how big, and its entries per model and settings."""
    stats = TranslationMemory(cache_path or default_memory_path()).stats()
    if not stats.exists:
        click.echo(f"{stats.path}: no translation memory there yet (check the path, or translate something first)")
        return
    click.echo(f"{stats.path}: {stats.entries} translations, {stats.size_bytes / 1e6:.1f} MB")
    for model, entries in sorted(stats.models.items()):
        click.echo(f"  {entries:>9}  {model}")


@cache.command("clear", epilog=EXIT_CODES)
@_CACHE_FILE
@reports_errors
def cache_clear(cache_path):
    """Forget every remembered translation; a damaged memory file is replaced by an empty one."""
    memory = TranslationMemory(cache_path or default_memory_path())
    cleared = memory.clear()
    if not cleared.existed:
        click.echo(f"{memory.path}: no translation memory there, nothing to clear")
    elif cleared.recreated:
        click.echo(f"{memory.path}: damaged, recreated")
    else:
        click.echo(f"{memory.path}: {cleared.removed} translations removed")


def _read(job) -> str:
    text = decode(sys.stdin.buffer.read(), job.label) if job.source is None else read_text(job.source)
    formats.get(job.format).check_input(text, job.label)
    return text


def main() -> None:
    try:
        cli(prog_name="unilingo")
    finally:
        # The process is ending: the collection at exit would walk every object the run left (0.03 s after
        # `check` of a megabyte) to free what the operating system frees anyway.
        gc.freeze()
