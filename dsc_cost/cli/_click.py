"""Click as the installed Typer carries it: inside Typer (``typer._click``) in recent
releases, the ``click`` package in earlier ones."""

from __future__ import annotations

try:
    from typer._click.core import Command
    from typer._click.exceptions import BadParameter, ClickException, NoSuchOption, UsageError
except ImportError:  # pragma: no cover - Typer before it carried click
    from click import (  # type: ignore[assignment,no-redef,import-not-found,unused-ignore]
        BadParameter,
        ClickException,
        Command,
        NoSuchOption,
        UsageError,
    )

__all__ = ["BadParameter", "ClickException", "Command", "NoSuchOption", "UsageError"]
