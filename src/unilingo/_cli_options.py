"""The command line's side of the settings: click options made from the schema, and which ones were given."""

from __future__ import annotations

import click
from click.core import ParameterSource

from ._config import configured as configured_by_files
from ._settings import LISTS, Group, Kind, Setting, options_of


# Click types of the kinds that have one; a list is given comma-separated, a language as it is.
_CLICK_TYPES = {Kind.FILE: click.Path(dir_okay=False), Kind.CONFIDENCE: click.FloatRange(0.0, 1.0), Kind.COUNT: click.IntRange(min=1)}


def settings_options(command_name: str, group: Group):
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


def configured(jobs, options):
    """Jobs grouped by the settings that apply to them (``_config.configured``), once the options are found to agree."""
    for settings, grouped in configured_by_files(jobs, options, _given(options)):
        if settings.get("no_cache") and settings.get("cache_path"):
            raise click.UsageError("--cache and --no-cache contradict each other; give one")
        yield settings, grouped
