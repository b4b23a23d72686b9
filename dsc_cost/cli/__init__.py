"""The command line: a Typer application with the commands compare, network, sweep, check,
conventions, devices, diff, report, import, export, measure and calibrate, one module each.

This package is the only code that writes to stdout or stderr. :func:`main` runs the command line
in-process and returns the exit code:

* 0 — done; 1 — ``check`` found a limit exceeded, or ``diff --fail-on-increase`` a total grown;
* 2 — bad usage (click's message, with the command's usage line and help hint) or dsc-cost's own
  errors (:class:`~dsc_cost.formulas.DscCostError`: a spec's problems, one located line each);
* 130 — interrupted (Ctrl-C); 70 — an unexpected internal error: one line asking for a bug report,
  the traceback only with ``--debug`` or ``DSC_COST_DEBUG=1``.
"""

from __future__ import annotations

import copy
import errno
import gc
import io
import os
import sys
from collections.abc import Sequence
from typing import Any

import typer
import typer.core
import typer.main
import typer.models

from .. import units
from ..errors import Located, SpecError
from ..formulas import DscCostError
from . import _click as click
from . import calibrate, check, compare, conventions, devices, diff, export, import_, measure, network, report, sweep
from ._app import MAX_PROBLEMS, app, debug
from ._shared import PROG, discard, say
from .params import FORMATS, TOOLS

__all__ = ["COMMANDS", "FORMATS", "OLD_SPELLINGS", "PROG", "TOOLS", "app", "command", "main", "parse", "run"]
_MODULES = (
    calibrate,
    check,
    compare,
    conventions,
    devices,
    diff,
    export,
    import_,
    measure,
    network,
    report,
    sweep,
)  # importing each adds its command to app

COMPLETE_VAR = "_DSC_COST_COMPLETE"
"""The environment variable of shell completion (click's name for the program dsc-cost)."""


OLD_SPELLINGS = {"--bias-both": ("--bias both", "--bias=both")}
"""Options as they were spelled before the command line used Typer, and still work."""


def _legacy(words: list[str]) -> list[str]:
    """``words`` with the old spellings of :data:`OLD_SPELLINGS` replaced by the new ones."""
    old = {spelling: new for new, spellings in OLD_SPELLINGS.items() for spelling in spellings}
    out: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--":
            return out + words[index:]
        pair = f"{word} {words[index + 1].lower()}" if index + 1 < len(words) else ""
        if pair in old:
            out.append(old[pair])
            index += 2
            continue
        out.append(old.get(word.lower(), word))
        index += 1
    return out


def _show_usage_error(error: Any) -> None:
    """Click's message, with a 'did you mean' for a mistyped option (click's NoSuchOption, the one error that
    has possibilities)."""
    possibilities = getattr(error, "possibilities", None)
    if possibilities:
        best = next(iter(possibilities))  # the closest first, as difflib ranks them
        error.message = f"{error.message}. Did you mean {best}?"
        error.possibilities = None
    elif isinstance(error, click.BadParameter) and error.message.startswith("Value error, "):
        error.message = error.message[len("Value error, ") :]  # Typer's validator's prefix says nothing
    error.show()


COMMANDS = (
    "compare",
    "network",
    "sweep",
    "check",
    "conventions",
    "devices",
    "diff",
    "report",
    "import",
    "export",
    "measure",
    "calibrate",
)


def command(only: str | None = None) -> Any:
    """The command line as a click command (a group of the five commands, or of ``only`` the one about
    to run, which is quicker to build), for introspection: its ``commands``, each with its ``params``."""
    if only is None:
        return typer.main.get_command(app)
    one = copy.copy(app)
    one.registered_commands = [info for info in app.registered_commands if _name(info) == only]
    return typer.main.get_command(one)


def _name(info: typer.models.CommandInfo) -> str:
    return info.name or getattr(info.callback, "__name__", "").replace("_", "-")


def parse(argv: Sequence[str]) -> tuple[str, dict[str, Any]]:
    """The command ``argv`` names and the values of its parameters, without running it.

    :raises click.UsageError: as the command line would report it (exit 2).
    """
    words = _legacy(list(argv))
    group = command()
    assert isinstance(group, typer.core.TyperGroup)
    name = words[0] if words else ""
    sub = group.commands.get(name)
    if sub is None:
        raise click.UsageError(f"No such command {name!r}.")
    with sub.make_context(name, words[1:]) as ctx:
        return name, dict(ctx.params)


_WRITE_ERRORS = {errno.ENOSPC, errno.EIO, errno.EBADF, errno.EFBIG, errno.EDQUOT, errno.EPIPE}
"""What an OSError reaching :func:`main` means when it is one of these: output that cannot be
written (help, a version, a usage message: commands write through :func:`~._shared.write`)."""


class _Closed(io.TextIOBase):
    """Standard output or error when the descriptor was closed before Python started: writing
    fails as writing to a closed descriptor does."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default ``sys.argv[1:]``); return the exit code:
    0 done, 1 a limit exceeded, 2 bad input, usage or output, 130 interrupted, 128 + N ended by
    signal N while writing a baseline, 70 an internal error."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:  # the descriptor was closed when Python started
            setattr(sys, name, _Closed())
    # A run builds hundreds of thousands of small immutable values (a row per layer) and frees them at exit:
    # the collector's default thresholds would walk them over and over, for a quarter of a big spec's time.
    # Reference counting frees them; cycles are still collected, less often.
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl-C while reporting
        return 130
    except Exception:  # a failure while reporting a failure: say nothing more, never a traceback
        return 70
    finally:
        gc.set_threshold(*thresholds)


def _main(argv: Sequence[str] | None) -> int:
    words = _legacy(list(sys.argv[1:] if argv is None else argv))
    end = words.index("--") if "--" in words else len(words)
    debug["on"] = "--debug" in words[:end] or os.environ.get("DSC_COST_DEBUG", "") not in ("", "0")
    words = [word for index, word in enumerate(words) if index >= end or word != "--debug" or index == 0]
    words, shown = _max_problems(words)
    completing = bool(os.environ.get(COMPLETE_VAR))
    try:
        command_ = command(words[0] if words and words[0] in COMMANDS and not completing else None)
        if completing:  # a shell asks for completions: Typer answers and exits
            command_.main(words, prog_name=PROG, complete_var=COMPLETE_VAR)
        with command_.make_context(PROG, words) as ctx:
            command_.invoke(ctx)
        return 0
    except typer.Exit as done:  # --help, --version, check's verdict
        return done.exit_code
    except click.ClickException as error:  # every one a usage error, whatever click's own code
        try:
            _show_usage_error(error)
        except (OSError, ValueError):
            discard(sys.stderr)
        return 2
    except typer.Abort:  # click's word for Ctrl-C or end of input at a prompt
        say(f"{PROG}: aborted\n")
        return 130
    except DscCostError as error:  # a spec's problems: one located line each; output too large or unwritable
        if isinstance(error, SpecError):
            say("".join(f"{line}\n" for line in problem_lines(error.problems, shown)))
        else:
            say(f"{PROG}: {error}\n" if isinstance(error, units.TooLarge) else f"{error}\n")
        return 2
    except KeyboardInterrupt as stop:  # Ctrl-C: no traceback, the shell's exit code for SIGINT
        signum = getattr(stop, "signum", None)  # files.Terminated: SIGTERM or SIGHUP while writing a file
        if signum is not None:
            say(f"{PROG}: {getattr(stop, 'name', signum)}: {getattr(stop, 'what', 'the file')} was left as it was\n")
            return 128 + int(signum)
        say(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:  # the reader went away during help or a message: nothing more to write
        discard(sys.stdout)
        return 0
    except OSError as error:
        if error.errno not in _WRITE_ERRORS:
            return _internal(error)
        discard(sys.stdout)
        say(f"{PROG}: cannot write the output: {error.strerror or error}\n")
        return 2
    except SystemExit as done:  # sys.exit() somewhere below: its code if it is one of ours
        code = done.code
        return code if isinstance(code, int) and code in (0, 1, 2, 130) else 0 if code is None else 70
    except Exception as error:
        return _internal(error)


def _max_problems(words: list[str]) -> tuple[list[str], int | None]:
    """``words`` without ``--max-problems N`` (given anywhere before ``--``: every command takes it), and N
    (``None`` when it is not given, or not a whole number: the command line then says what is wrong)."""
    end = words.index("--") if "--" in words else len(words)
    for index, word in enumerate(words[:end]):
        value = None
        if word == "--max-problems" and index + 1 < end:
            value, span = words[index + 1], 2
        elif word.startswith("--max-problems="):
            value, span = word.partition("=")[2], 1
        if value is None:
            continue
        rest = words[:index] + words[index + span :]
        if value.isdigit() and value.isascii() and len(value) <= 18:
            return (words if index == 0 else rest), int(value)
        return ["--max-problems", value, *rest], None  # the root's option says what is wrong with it
    return words, None


def problem_lines(problems: Sequence[Located], most: int | None) -> list[str]:
    """One line per problem, at most ``most`` of each file (``None``: :data:`~._app.MAX_PROBLEMS`; 0: all), then a
    line per file saying exactly how many more it has."""
    limit = MAX_PROBLEMS if most is None else most
    lines: list[str] = []
    shown: dict[str, int] = {}
    hidden: dict[str, int] = {}
    for problem in problems:
        count = shown.get(problem.file, 0)
        if limit and count >= limit:
            hidden[problem.file] = hidden.get(problem.file, 0) + 1
            continue
        shown[problem.file] = count + 1
        lines.append(str(problem))
    for file, more in hidden.items():
        lines.append(f"{file}: … and {more:,} more problem{'s' * (more != 1)} (--max-problems 0 shows them all)")
    return lines


def _internal(error: BaseException) -> int:
    """An unexpected error: one line asking for a report (the traceback too with --debug); exit 70."""
    if debug["on"]:
        import traceback

        say("".join(traceback.format_exception(error)))
    say(
        f"{PROG}: internal error: {type(error).__name__}: {units.shorten(str(error), 200)}. This is a bug in"
        " dsc-cost: please report it with the command that caused it"
        f"{'' if debug['on'] else ' (--debug shows the traceback)'}.\n"
    )
    return 70


def run() -> None:
    """Console-script entry point: :func:`main`, and its code as the process's exit status."""
    try:
        code = main()
    except KeyboardInterrupt:  # Ctrl-C between main's handlers
        say(f"{PROG}: interrupted\n")
        code = 130
    sys.exit(code)
