"""The command classes whose help fits the terminal: :class:`Typer` makes every command and group with them.

Typer's own help (rich panels of a shrinking table) cuts option names at 80 columns, shows ``<bool>`` for flags,
``FILE <list[str]>`` and ``{FILE}...`` for arguments, ``[default: (0)]``, and wraps example commands without a
continuation mark; these classes draw help with :mod:`._screen` instead, and write the usage line of help and of
usage errors with arguments as ``FILE...``. A command or group made through :class:`Typer` gets them whatever
``cls`` it is declared with, so a new command or option needs nothing more. The drawing (and rich) is imported
only when help or a usage line is shown, so that a command that runs starts no slower.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer
import typer.core

# ---------------------------------------------------------------- the command classes


class _HelpMixin:
    """What :class:`HelpCommand` and :class:`HelpGroup` add to Typer's classes: help drawn by :func:`render`,
    and usage lines with arguments as ``FILE...``."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from ._screen import render

        text, colour = render(self, ctx)
        if colour:  # click's echo would strip the colour of a pipe that FORCE_COLOR asks to colour
            ctx.color = True
        formatter.write(text)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        from ._screen import is_argument, usage_name

        command: Any = self
        pieces = [command.options_metavar] if command.options_metavar else []
        for param in command.get_params(ctx):
            pieces += [usage_name(param)] if is_argument(param) else param.get_usage_pieces(ctx)
        if isinstance(self, typer.core.TyperGroup) and self.subcommand_metavar:
            pieces.append(self.subcommand_metavar)
        return pieces


class HelpCommand(_HelpMixin, typer.core.TyperCommand):
    """A Typer command whose help fits the terminal (:mod:`._screen`)."""


class HelpGroup(_HelpMixin, typer.core.TyperGroup):
    """A Typer group whose help fits the terminal (:mod:`._screen`)."""


def with_help(cls: type[Any] | None, default: type[Any]) -> Any:
    """``cls`` (``default`` when ``None``) with the help of this module."""
    if cls is None:
        return default
    if issubclass(cls, _HelpMixin):
        return cls
    return type(cls.__name__, (_HelpMixin, cls), {"__doc__": cls.__doc__, "__module__": cls.__module__})


class Typer(typer.Typer):
    """A Typer application whose commands and groups draw their help with this module, whatever ``cls`` they
    are declared with."""

    def __init__(self, *args: Any, cls: type[typer.core.TyperGroup] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, cls=with_help(cls, HelpGroup), **kwargs)

    def command(
        self, name: str | None = None, *, cls: type[typer.core.TyperCommand] | None = None, **kwargs: Any
    ) -> Callable[[Any], Any]:
        return super().command(name, cls=with_help(cls, HelpCommand), **kwargs)

    def add_typer(
        self, typer_instance: typer.Typer, *, cls: type[typer.core.TyperGroup] | None = None, **kwargs: Any
    ) -> None:
        super().add_typer(typer_instance, cls=with_help(cls, HelpGroup), **kwargs)
