"""Click's exceptions, reached through Typer's public API only.

Typer carries its own copy of click (since 0.26; earlier releases used the ``click`` package) and exports some of
its exceptions (``typer.BadParameter``, ``typer.Exit``, ``typer.Abort``) but not their bases, which the command
line raises (a usage error: exit 2, with the command's usage line) and catches (every click error). Both are
ancestors of ``typer.BadParameter``, found here by name, whichever click Typer uses; nothing is imported from
Typer's private modules."""

from __future__ import annotations

import typer

BadParameter = typer.BadParameter


def _ancestor(name: str) -> type[Exception]:
    """The base of ``typer.BadParameter`` called ``name``."""
    for cls in BadParameter.__mro__:
        if cls.__name__ == name and issubclass(cls, Exception):
            return cls
    raise ImportError(f"typer.BadParameter has no base {name}: an unexpected release of Typer")  # pragma: no cover


UsageError: type[Exception] = _ancestor("UsageError")
"""A usage error: click shows the command's usage line and help hint, then the message; exit 2."""
ClickException: type[Exception] = _ancestor("ClickException")
"""Every error click reports (usage errors, missing files): the command line shows it and exits 2."""

__all__ = ["BadParameter", "ClickException", "UsageError"]
